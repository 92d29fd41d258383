//! `apprunner_vpc_ingress_connection`: looks up a VPC ingress connection
//! (private endpoint) by `arn`, `name` or the `service_arn` it serves (a
//! service has at most one). The AWS provider has no such data source; the
//! attributes have the names of the resource's.

use async_trait::async_trait;

use serde::Deserialize;

use crate::apprunner::vpc_ingress_connection::{IngressAttributes, describe, find_arn};
use crate::plugin::model::{self, Field};
use crate::plugin::validators as v;
use crate::plugin::{
    Attribute, AttributePath, Block, DataSource, Diagnostic, Diagnostics, PlanCtx, Schema, Type,
    Value,
};
use crate::provider::{AppRunner, arns, region, tags};

pub struct VpcIngressConnectionData;

/// The lookup arguments: one of them is set.
#[derive(Deserialize)]
struct LookupConfig {
    arn: Field<String>,
    name: Field<String>,
    service_arn: Field<String>,
}

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("Looks up an App Runner VPC ingress connection by `arn`, `name` or `service_arn`.")
            .attribute(
                Attribute::string("arn")
                    .optional()
                    .computed()
                    .validate(arns::validator("vpcingressconnection"))
                    .description("ARN of the connection."),
            )
            .attribute(
                Attribute::string("name")
                    .optional()
                    .computed()
                    .validate(v::string_length(4, 40))
                    .validate(v::string_matches(r"[A-Za-z0-9][A-Za-z0-9\-_]{3,39}", "4 to 40 letters, digits, hyphens or underscores, starting with a letter or digit"))
                    .description("Name of the connection."),
            )
            .attribute(
                Attribute::string("service_arn")
                    .optional()
                    .computed()
                    .validate(arns::validator("service"))
                    .description("ARN of the service the connection makes reachable."),
            )
            .attribute(
                Attribute::string("region")
                    .optional()
                    .computed()
                    .description("Region to look in. Defaults to the ARN's region, else the provider's."),
            )
            .attribute(Attribute::string("id").computed().description("Same as `arn`."))
            .attribute(
                Attribute::new(
                    "ingress_vpc_configuration",
                    Type::list(Type::object([
                        ("vpc_id", Type::String),
                        ("vpc_endpoint_id", Type::String),
                    ])),
                )
                .computed()
                .description("The VPC and VPC endpoint (one element, as the resource's block)."),
            )
            .attribute(Attribute::string("domain_name").computed().description("Domain name through which the service is reachable from the VPC."))
            .attribute(Attribute::string("status").computed().description("Status of the connection, e.g. `AVAILABLE`."))
            .attribute(Attribute::string_map("tags").computed().description("Tags of the connection.")),
    )
}

#[async_trait]
impl DataSource<AppRunner> for VpcIngressConnectionData {
    fn type_name(&self) -> &'static str {
        "apprunner_vpc_ingress_connection"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let Ok(lookup) = model::from_value::<LookupConfig>(config) else {
            return;
        };
        let lookups = [
            ("arn", &lookup.arn),
            ("name", &lookup.name),
            ("service_arn", &lookup.service_arn),
        ];
        if lookups.iter().any(|(_, v)| v.is_unknown()) {
            return;
        }
        let set: Vec<&str> = lookups
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(a, _)| a)
            .collect();
        match set.as_slice() {
            [] => diags.error("Nothing to look up", "Set `arn`, `name` or `service_arn`."),
            [only] if *only != "name" => super::region_of_arn_agrees(config, only, diags),
            [_] => {}
            [_, second, ..] => diags.error_at(
                AttributePath::attr(second),
                "Conflicting lookup",
                "Set only one of `arn`, `name` and `service_arn`.",
            ),
        }
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        let provider = ctx.provider()?;
        let lookup: LookupConfig = model::from_value(&config)?;
        let (arn, wanted) = if let Some(arn) = lookup.arn.known() {
            (Some(arn.to_string()), arn.to_string())
        } else if let Some(service) = lookup.service_arn.as_deref() {
            let r = region::from_arn(service).unwrap_or(region::of(provider, &config));
            (
                find_arn(provider, r, Some(service), None).await?,
                format!("for service {service}"),
            )
        } else {
            let name = lookup.name.as_deref().unwrap_or_default();
            let r = region::of(provider, &config);
            (
                find_arn(provider, r, None, Some(name)).await?,
                format!("named {name} in {r}"),
            )
        };
        let found = match arn {
            Some(arn) => describe(provider, &arn).await?,
            None => None,
        };
        let Some(c) = found else {
            return Err(Diagnostic::error(
                "VPC ingress connection not found",
                format!("App Runner has no VPC ingress connection {wanted}."),
            )
            .into());
        };
        let attributes = IngressAttributes::from(&c);
        let tags = tags::read(provider, &attributes.arn).await?;
        super::found(config, &schema(), &attributes, tags)
    }
}
