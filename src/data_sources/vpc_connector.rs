//! `apprunner_vpc_connector`: looks up an active VPC connector by `arn` or
//! by `vpc_connector_name` (the AWS provider has no such data source). Its
//! attributes have the names of the resource's.

use async_trait::async_trait;

use super::Wanted;
use crate::apprunner::vpc_connector::{
    NAME_PATTERN, NAME_RULE, VpcConnectorAttributes, describe, find_by_name,
};
use crate::plugin::{Attribute, Block, DataSource, Diagnostics, PlanCtx, Schema, Value};
use crate::provider::{AppRunner, arns, attributes};

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
                attributes::name("vpc_connector_name", 40, NAME_PATTERN, NAME_RULE)
                    .optional()
                    .computed()
                    .description(
                        "Name of the connector (its newest active revision). Conflicts with `arn`.",
                    ),
            )
            .attributes(attributes::lookup_region_and_id("arn"))
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
            .attribute(attributes::lookup_tags("connector")),
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
        super::arn_or_name(config, "vpc_connector_name", diags);
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        let provider = ctx.provider()?;
        let wanted = Wanted::of(provider, &config, "vpc_connector_name");
        let found = match wanted {
            Wanted::Arn(arn) => describe(provider, arn).await?,
            Wanted::Named { name, region } => find_by_name(provider, region, name).await?,
        };
        let c = wanted.found(found, "VPC connector", "active VPC connector")?;
        let attributes = VpcConnectorAttributes::from(&c);
        super::found(provider, config, &schema(), &attributes.arn, &attributes).await
    }
}
