//! `apprunner_vpc_ingress_connection`: looks up a VPC ingress connection
//! (private endpoint) by `arn`, `name` or the `service_arn` it serves (a
//! service has at most one). The AWS provider has no such data source; the
//! attributes have the names of the resource's.

use async_trait::async_trait;

use crate::plugin::validators as v;
use crate::plugin::{
    Attribute, AttributePath, Block, Ctx, DataSource, Diagnostic, Diagnostics, Schema, Type, Value,
};
use crate::provider::errors::api_error;
use crate::provider::{AppRunner, arns, region, tags};
use crate::resources::vpc_ingress_connection::describe;

pub struct VpcIngressConnectionData;

const LOOKUPS: [&str; 3] = ["arn", "name", "service_arn"];

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
        if LOOKUPS.iter().any(|a| config.attr(a).is_unknown()) {
            return;
        }
        let set: Vec<&str> = LOOKUPS
            .into_iter()
            .filter(|a| !config.attr(a).is_null())
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

    async fn read(&self, ctx: &Ctx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        let provider = ctx.provider()?;
        let (arn, wanted) = if let Some(arn) = config.attr("arn").as_str() {
            (Some(arn.to_string()), arn.to_string())
        } else if let Some(service) = config.attr("service_arn").as_str() {
            let r = region::from_arn(service).unwrap_or(region::of(provider, &config));
            (
                find(provider, r, Some(service), None).await?,
                format!("for service {service}"),
            )
        } else {
            let name = config.attr("name").as_str().unwrap_or_default();
            let r = region::of(provider, &config);
            (
                find(provider, r, None, Some(name)).await?,
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
        let arn = c
            .vpc_ingress_connection_arn()
            .unwrap_or_default()
            .to_string();
        let tags = tags::read(provider, &arn).await?;
        let vpc = c.ingress_vpc_configuration();
        let mut state = config;
        state.set_attr("arn", arn.as_str().into());
        state.set_attr("id", arn.as_str().into());
        state.set_attr("region", region::from_arn(&arn).into());
        state.set_attr("name", c.vpc_ingress_connection_name().into());
        state.set_attr("service_arn", c.service_arn().into());
        state.set_attr(
            "ingress_vpc_configuration",
            Value::List(vec![Value::Object(
                [
                    ("vpc_id".to_string(), vpc.and_then(|v| v.vpc_id()).into()),
                    (
                        "vpc_endpoint_id".to_string(),
                        vpc.and_then(|v| v.vpc_endpoint_id()).into(),
                    ),
                ]
                .into(),
            )]),
        );
        state.set_attr("domain_name", c.domain_name().into());
        state.set_attr("status", c.status().map(|s| s.as_str().to_string()).into());
        state.set_attr("tags", Value::string_map(tags));
        Ok(state)
    }
}

/// The ARN of the live connection for `service`, or called `name`.
async fn find(
    provider: &AppRunner,
    r: &str,
    service: Option<&str>,
    name: Option<&str>,
) -> Result<Option<String>, Diagnostics> {
    let mut request = provider.client_in(r).list_vpc_ingress_connections();
    if let Some(service) = service {
        request = request.filter(
            aws_sdk_apprunner::types::ListVpcIngressConnectionsFilter::builder()
                .service_arn(service)
                .build(),
        );
    }
    let what = service.or(name).unwrap_or_default();
    let mut pages = request.into_paginator().send();
    while let Some(page) = pages.next().await {
        let page =
            page.map_err(|e| Diagnostics::from(api_error("ListVpcIngressConnections", what, e)))?;
        for summary in page.vpc_ingress_connection_summary_list() {
            let Some(arn) = summary.vpc_ingress_connection_arn() else {
                continue;
            };
            let matches = match (service, name) {
                (Some(s), _) => summary.service_arn() == Some(s),
                (None, Some(n)) => arns::name_of(arn) == Some(n),
                _ => false,
            };
            if matches {
                return Ok(Some(arn.to_string()));
            }
        }
    }
    Ok(None)
}
