//! `apprunner_custom_domains`: every custom domain associated with a
//! service, with its validation records, the service's DNS target and its
//! VPC DNS targets (private services). The AWS provider has no such data
//! source; names follow `apprunner_custom_domain_association`.

use async_trait::async_trait;
use aws_sdk_apprunner::types::VpcDnsTarget;
use serde::{Deserialize, Serialize};

use crate::apprunner::custom_domain::{self, CustomDomainAttributes, ValidationRecord};
use crate::plugin::model;
use crate::plugin::{Attribute, Block, DataSource, Diagnostics, PlanCtx, Schema, Type, Value};
use crate::provider::{AppRunner, arns, region};

pub struct CustomDomainsData;

/// What the data source reads of its configuration.
#[derive(Deserialize)]
struct Lookup {
    service_arn: String,
}

/// What the data source found.
#[derive(Serialize)]
struct Found {
    id: String,
    region: Option<String>,
    dns_target: String,
    custom_domains: Vec<CustomDomainAttributes>,
    vpc_dns_targets: Vec<VpcDnsTargetAttributes>,
}

/// The domain name to target in one VPC.
#[derive(Serialize)]
struct VpcDnsTargetAttributes {
    vpc_ingress_connection_arn: Option<String>,
    vpc_id: Option<String>,
    domain_name: Option<String>,
}

impl From<&VpcDnsTarget> for VpcDnsTargetAttributes {
    fn from(t: &VpcDnsTarget) -> Self {
        VpcDnsTargetAttributes {
            vpc_ingress_connection_arn: t.vpc_ingress_connection_arn().map(str::to_string),
            vpc_id: t.vpc_id().map(str::to_string),
            domain_name: t.domain_name().map(str::to_string),
        }
    }
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
                        ("certificate_validation_records", Type::list(ValidationRecord::value_type())),
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
        let Lookup { service_arn } = model::from_value(&config)?;
        let mut all = custom_domain::describe_all(provider, &service_arn).await?;
        all.custom_domains
            .sort_by(|a, b| a.domain_name().cmp(b.domain_name()));
        let found = Found {
            region: region::from_arn(&service_arn).map(str::to_string),
            dns_target: all.dns_target,
            custom_domains: all.custom_domains.iter().map(Into::into).collect(),
            vpc_dns_targets: all.vpc_dns_targets.iter().map(Into::into).collect(),
            id: service_arn,
        };
        let mut state = config;
        model::merge_into(&mut state, &found, &schema().implied_type())?;
        Ok(state)
    }
}
