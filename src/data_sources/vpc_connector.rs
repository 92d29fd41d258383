//! `apprunner_vpc_connector`: looks up an active VPC connector by `arn` or
//! by `vpc_connector_name` (the AWS provider has no such data source). Its
//! attributes have the names of the resource's.

use async_trait::async_trait;

use serde::Deserialize;

use crate::apprunner::vpc_connector::{
    NAME_PATTERN, NAME_RULE, VpcConnectorAttributes, describe, find_by_name,
};
use crate::plugin::model;
use crate::plugin::validators as v;
use crate::plugin::{
    Attribute, Block, DataSource, Diagnostic, Diagnostics, PlanCtx, Schema, Value,
};
use crate::provider::{AppRunner, arns, region, tags};

pub struct VpcConnectorData;

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description(
                "Looks up an active App Runner VPC connector by `arn` or `vpc_connector_name`.",
            )
            .attribute(
                Attribute::string("arn")
                    .optional()
                    .computed()
                    .validate(arns::validator("vpcconnector"))
                    .description("ARN of the connector. Conflicts with `vpc_connector_name`."),
            )
            .attribute(
                Attribute::string("vpc_connector_name")
                    .optional()
                    .computed()
                    .validate(v::string_length(4, 40))
                    .validate(v::string_matches(NAME_PATTERN, NAME_RULE))
                    .description(
                        "Name of the connector (its newest active revision). Conflicts with `arn`.",
                    ),
            )
            .attribute(
                Attribute::string("region")
                    .optional()
                    .computed()
                    .description(
                        "Region to look in. Defaults to the ARN's region, else the provider's.",
                    ),
            )
            .attribute(
                Attribute::string("id")
                    .computed()
                    .description("Same as `arn`."),
            )
            .attribute(
                Attribute::string_set("subnets")
                    .computed()
                    .description("Subnets of the connector."),
            )
            .attribute(
                Attribute::string_set("security_groups")
                    .computed()
                    .description("Security groups of the connector."),
            )
            .attribute(
                Attribute::int("vpc_connector_revision")
                    .computed()
                    .description("Revision of the connector."),
            )
            .attribute(
                Attribute::string("status")
                    .computed()
                    .description("Status of the connector (`ACTIVE`)."),
            )
            .attribute(
                Attribute::string_map("tags")
                    .computed()
                    .description("Tags of the connector."),
            ),
    )
}

#[async_trait]
impl DataSource<AppRunner> for VpcConnectorData {
    fn type_name(&self) -> &'static str {
        "apprunner_vpc_connector"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        super::one_of_arn_or(config, "vpc_connector_name", diags);
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        #[derive(Deserialize)]
        struct Lookup {
            arn: Option<String>,
            vpc_connector_name: Option<String>,
        }
        let provider = ctx.provider()?;
        let lookup: Lookup = model::from_value(&config)?;
        let (found, wanted) = match lookup.arn {
            Some(arn) => (describe(provider, &arn).await?, arn),
            None => {
                let name = lookup.vpc_connector_name.as_deref().unwrap_or_default();
                let r = region::of(provider, &config);
                (
                    find_by_name(provider, r, name).await?,
                    format!("named {name} in {r}"),
                )
            }
        };
        let Some(c) = found else {
            return Err(Diagnostic::error(
                "VPC connector not found",
                format!("App Runner has no active VPC connector {wanted}."),
            )
            .into());
        };
        let attributes = VpcConnectorAttributes::from(&c);
        let tags = tags::read(provider, &attributes.arn).await?;
        super::found(config, &schema(), &attributes, tags)
    }
}
