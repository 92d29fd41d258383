//! `apprunner_services`: the App Runner services of a region, optionally
//! those whose name starts with `name_prefix`, as summaries. ListServices
//! is followed to its last page: App Runner may return short or empty pages
//! that still carry a token.

use async_trait::async_trait;

use crate::apprunner::service;
use crate::plugin::validators as v;
use crate::plugin::{Attribute, Block, DataSource, Diagnostics, PlanCtx, Schema, Type, Value};
use crate::provider::AppRunner;

pub struct ServicesData;

fn summary_type() -> Type {
    Type::object([
        ("arn", Type::String),
        ("service_name", Type::String),
        ("service_id", Type::String),
        ("service_url", Type::String),
        ("status", Type::String),
    ])
}

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("Lists the App Runner services of a region (deleted ones left out), sorted by name.")
            .attribute(
                Attribute::string("name_prefix")
                    .optional()
                    .validate(v::string_length(1, 40))
                    .description("Only services whose name starts with this."),
            )
            .attribute(
                Attribute::string("region")
                    .optional()
                    .computed()
                    .description("Region to list. Defaults to the provider's."),
            )
            .attribute(Attribute::string("id").computed().description("The region listed."))
            .attribute(
                Attribute::new("services", Type::list(summary_type()))
                    .computed()
                    .description("One `{ arn, service_name, service_id, service_url, status }` per service."),
            )
            .attribute(Attribute::string_list("arns").computed().description("ARNs of the services, in the same order."))
            .attribute(Attribute::string_list("names").computed().description("Names of the services, in the same order.")),
    )
}

#[async_trait]
impl DataSource<AppRunner> for ServicesData {
    fn type_name(&self) -> &'static str {
        "apprunner_services"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        let provider = ctx.provider()?;
        let in_region = config
            .attr("region")
            .as_str()
            .unwrap_or(provider.region.as_str())
            .to_string();
        let prefix = config
            .attr("name_prefix")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut found = service::list(provider, &in_region, usize::MAX, |s| {
            s.service_name()
                .unwrap_or_default()
                .starts_with(prefix.as_str())
        })
        .await?;
        found.sort_by(|a, b| {
            (a.service_name(), a.service_arn()).cmp(&(b.service_name(), b.service_arn()))
        });
        let services = found
            .iter()
            .map(|s| {
                Value::Object(
                    [
                        ("arn", s.service_arn().into()),
                        ("service_name", s.service_name().into()),
                        ("service_id", s.service_id().into()),
                        ("service_url", s.service_url().into()),
                        ("status", s.status().map(|st| st.as_str()).into()),
                    ]
                    .into_iter()
                    .map(|(k, v): (&str, Value)| (k.to_string(), v))
                    .collect(),
                )
            })
            .collect();
        let strings = |f: fn(&aws_sdk_apprunner::types::ServiceSummary) -> Option<&str>| {
            Value::List(
                found
                    .iter()
                    .map(|s| f(s).unwrap_or_default().into())
                    .collect(),
            )
        };
        let mut state = config;
        state.set_attr("region", in_region.as_str().into());
        state.set_attr("id", in_region.as_str().into());
        state.set_attr("services", Value::List(services));
        state.set_attr("arns", strings(|s| s.service_arn()));
        state.set_attr("names", strings(|s| s.service_name()));
        Ok(state)
    }
}
