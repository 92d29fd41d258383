//! `apprunner_vpc_ingress_connection`: looks up a VPC ingress connection
//! (private endpoint) by `arn`, `name` or the `service_arn` it serves (a
//! service has at most one). The AWS provider has no such data source; the
//! attributes have the names of the resource's.

use async_trait::async_trait;

use serde::Deserialize;

use super::By;
use crate::apprunner::vpc_ingress_connection::{
    IngressAttributes, NAME_PATTERN, describe, find_arn,
};
use crate::plugin::model::{self, Field};
use crate::plugin::{Attribute, Block, DataSource, Diagnostics, PlanCtx, Schema, Type, Value};
use crate::provider::{AppRunner, arns, attributes, region};

pub struct VpcIngressConnectionData;

/// The lookup arguments: one of them is set.
#[derive(Deserialize)]
struct LookupConfig {
    arn: Field<String>,
    name: Field<String>,
    service_arn: Field<String>,
    region: Field<String>,
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
                attributes::name("name", 40, NAME_PATTERN, "4 to 40 letters, digits, hyphens or underscores, starting with a letter or digit")
                    .optional()
                    .computed()
                    .description("Name of the connection."),
            )
            .attribute(
                Attribute::string("service_arn")
                    .optional()
                    .computed()
                    .validate(arns::validator("service"))
                    .description("ARN of the service the connection makes reachable."),
            )
            .attributes(attributes::lookup_region_and_id("arn"))
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
            .attribute(attributes::lookup_tags("connection")),
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
            ("arn", By::Arn, &lookup.arn),
            ("name", By::Name, &lookup.name),
            ("service_arn", By::Arn, &lookup.service_arn),
        ];
        super::exactly_one_lookup(&lookups, &lookup.region, diags);
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
                super::named(name, r),
            )
        };
        let found = match arn {
            Some(arn) => describe(provider, &arn).await?,
            None => None,
        };
        let Some(c) = found else {
            let detail = format!("App Runner has no VPC ingress connection {wanted}.");
            return Err(super::not_found("VPC ingress connection", detail));
        };
        let attributes = IngressAttributes::from(&c);
        super::found(provider, config, &schema(), &attributes.arn, &attributes).await
    }
}
