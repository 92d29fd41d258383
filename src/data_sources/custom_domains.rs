//! `apprunner_custom_domains`: every custom domain associated with a
//! service, with its validation records, the service's DNS target and its
//! VPC DNS targets (private services). The AWS provider has no such data
//! source; names follow `apprunner_custom_domain_association`.

use async_trait::async_trait;

use crate::apprunner::custom_domain::{self, record_value, status_of};
use crate::plugin::{Attribute, Block, DataSource, Diagnostics, PlanCtx, Schema, Type, Value};
use crate::provider::{AppRunner, arns, region};

pub struct CustomDomainsData;

fn record_type() -> Type {
    Type::object([
        ("name", Type::String),
        ("status", Type::String),
        ("type", Type::String),
        ("value", Type::String),
    ])
}

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("The custom domains associated with an App Runner service.")
            .attribute(
                Attribute::string("service_arn")
                    .required()
                    .validate(arns::validator("service"))
                    .description("ARN of the service."),
            )
            .attribute(Attribute::string("region").computed().description("Region of the service (from its ARN)."))
            .attribute(Attribute::string("id").computed().description("Same as `service_arn`."))
            .attribute(Attribute::string("dns_target").computed().description("The App Runner host name the service's domains point at."))
            .attribute(
                Attribute::new(
                    "custom_domains",
                    Type::list(Type::object([
                        ("domain_name", Type::String),
                        ("enable_www_subdomain", Type::Bool),
                        ("status", Type::String),
                        ("certificate_validation_records", Type::list(record_type())),
                    ])),
                )
                .computed()
                .description("The associated domains, sorted by name: `domain_name`, `enable_www_subdomain`, `status` (lower case, as App Runner reports it) and `certificate_validation_records` (`name`, `type`, `value`, `status`)."),
            )
            .attribute(
                Attribute::new(
                    "vpc_dns_targets",
                    Type::list(Type::object([
                        ("vpc_ingress_connection_arn", Type::String),
                        ("vpc_id", Type::String),
                        ("domain_name", Type::String),
                    ])),
                )
                .computed()
                .description("For a service reachable through VPC ingress connections: the domain name to target in each VPC."),
            ),
    )
}

#[async_trait]
impl DataSource<AppRunner> for CustomDomainsData {
    fn type_name(&self) -> &'static str {
        "apprunner_custom_domains"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        let provider = ctx.provider()?;
        let service = config
            .attr("service_arn")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let custom_domain::Domains {
            dns_target,
            custom_domains: mut domains,
            vpc_dns_targets,
        } = custom_domain::describe_all(provider, &service).await?;
        let vpc_targets: Vec<Value> = vpc_dns_targets
            .iter()
            .map(|t| {
                Value::Object(
                    [
                        (
                            "vpc_ingress_connection_arn".to_string(),
                            t.vpc_ingress_connection_arn().into(),
                        ),
                        ("vpc_id".to_string(), t.vpc_id().into()),
                        ("domain_name".to_string(), t.domain_name().into()),
                    ]
                    .into(),
                )
            })
            .collect();
        domains.sort_by(|a, b| a.domain_name().cmp(b.domain_name()));
        let domains: Vec<Value> = domains
            .iter()
            .map(|d| {
                let mut records: Vec<Value> = d
                    .certificate_validation_records()
                    .iter()
                    .map(record_value)
                    .collect();
                records.sort_by_key(|r| r.attr("name").as_str().unwrap_or_default().to_string());
                Value::Object(
                    [
                        ("domain_name".to_string(), d.domain_name().into()),
                        (
                            "enable_www_subdomain".to_string(),
                            d.enable_www_subdomain().into(),
                        ),
                        ("status".to_string(), status_of(d).into()),
                        (
                            "certificate_validation_records".to_string(),
                            Value::List(records),
                        ),
                    ]
                    .into(),
                )
            })
            .collect();
        let mut state = config;
        state.set_attr("id", service.as_str().into());
        state.set_attr("region", region::from_arn(&service).into());
        state.set_attr("dns_target", dns_target.into());
        state.set_attr("custom_domains", Value::List(domains));
        state.set_attr("vpc_dns_targets", Value::List(vpc_targets));
        Ok(state)
    }
}
