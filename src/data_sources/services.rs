//! `apprunner_services`: the App Runner services of a region, optionally
//! those whose name starts with `name_prefix`, as summaries. ListServices
//! is followed to its last page: App Runner may return short or empty pages
//! that still carry a token.

use async_trait::async_trait;
use aws_sdk_apprunner::types::ServiceSummary;
use serde::{Deserialize, Serialize};

use crate::apprunner::service;
use crate::plugin::model::{self, Field};
use crate::plugin::validators as v;
use crate::plugin::{Attribute, Block, DataSource, Diagnostics, PlanCtx, Schema, Type, Value};
use crate::provider::AppRunner;

pub struct ServicesData;

/// What the configuration asks for.
#[derive(Deserialize)]
struct ServicesQuery {
    name_prefix: Field<String>,
    region: Field<String>,
}

/// One service of the list, as [`summary_type`] describes it.
#[derive(Serialize)]
struct Summary<'a> {
    arn: Option<&'a str>,
    service_name: Option<&'a str>,
    service_id: Option<&'a str>,
    service_url: Option<&'a str>,
    status: Option<&'a str>,
}

impl<'a> From<&'a ServiceSummary> for Summary<'a> {
    fn from(s: &'a ServiceSummary) -> Self {
        Summary {
            arn: s.service_arn(),
            service_name: s.service_name(),
            service_id: s.service_id(),
            service_url: s.service_url(),
            status: s.status().map(|st| st.as_str()),
        }
    }
}

/// What the data source reports.
#[derive(Serialize)]
struct ServicesFound<'a> {
    region: &'a str,
    /// The region listed.
    id: &'a str,
    services: Vec<Summary<'a>>,
    arns: Vec<&'a str>,
    names: Vec<&'a str>,
}

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
        let query: ServicesQuery = model::from_value(&config)?;
        let in_region = query.region.as_deref().unwrap_or(provider.region.as_str());
        let prefix = query.name_prefix.as_deref().unwrap_or_default();
        let mut found = service::list(provider, in_region, usize::MAX, |s| {
            s.service_name().unwrap_or_default().starts_with(prefix)
        })
        .await?;
        found.sort_by(|a, b| {
            (a.service_name(), a.service_arn()).cmp(&(b.service_name(), b.service_arn()))
        });
        let strings = |f: fn(&ServiceSummary) -> Option<&str>| {
            found.iter().map(|s| f(s).unwrap_or_default()).collect()
        };
        let listed = ServicesFound {
            region: in_region,
            id: in_region,
            services: found.iter().map(Summary::from).collect(),
            arns: strings(ServiceSummary::service_arn),
            names: strings(ServiceSummary::service_name),
        };
        let mut state = config.clone();
        model::merge_into(&mut state, &listed, &schema().implied_type())?;
        Ok(state)
    }
}
