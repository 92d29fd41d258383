//! `apprunner_vpc_connector`: looks up an active VPC connector by `arn` or
//! by `vpc_connector_name` (the AWS provider has no such data source). Its
//! attributes have the names of the resource's.

use async_trait::async_trait;

use crate::plugin::validators as v;
use crate::plugin::{
    Attribute, AttributePath, Block, DataSource, Diagnostic, Diagnostics, PlanCtx, Schema, Value,
};
use crate::provider::errors::api_error;
use crate::provider::{AppRunner, arns, region, tags};
use crate::resources::vpc_connector::{NAME_PATTERN, describe, string_set};

pub struct VpcConnectorData;

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("Looks up an active App Runner VPC connector by `arn` or `vpc_connector_name`.")
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
                    .validate(v::string_matches(NAME_PATTERN, "4 to 40 letters, digits, hyphens or underscores, starting with a letter or digit"))
                    .description("Name of the connector (its newest active revision). Conflicts with `arn`."),
            )
            .attribute(
                Attribute::string("region")
                    .optional()
                    .computed()
                    .description("Region to look in. Defaults to the ARN's region, else the provider's."),
            )
            .attribute(Attribute::string("id").computed().description("Same as `arn`."))
            .attribute(Attribute::string_set("subnets").computed().description("Subnets of the connector."))
            .attribute(Attribute::string_set("security_groups").computed().description("Security groups of the connector."))
            .attribute(Attribute::int("vpc_connector_revision").computed().description("Revision of the connector."))
            .attribute(Attribute::string("status").computed().description("Status of the connector (`ACTIVE`)."))
            .attribute(Attribute::string_map("tags").computed().description("Tags of the connector.")),
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
        one_of_arn_or(config, "vpc_connector_name", diags);
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        let provider = ctx.provider()?;
        let (arn, wanted) = match config.attr("arn").as_str() {
            Some(arn) => (Some(arn.to_string()), arn.to_string()),
            None => {
                let name = config
                    .attr("vpc_connector_name")
                    .as_str()
                    .unwrap_or_default();
                let r = region::of(provider, &config);
                (
                    newest_named(provider, r, name).await?,
                    format!("named {name} in {r}"),
                )
            }
        };
        let found = match arn {
            Some(arn) => describe(provider, &arn).await?,
            None => None,
        };
        let Some(c) = found else {
            return Err(Diagnostic::error(
                "VPC connector not found",
                format!("App Runner has no active VPC connector {wanted}."),
            )
            .into());
        };
        let arn = c.vpc_connector_arn().unwrap_or_default().to_string();
        let tags = tags::read(provider, &arn).await?;
        let mut state = config;
        state.set_attr("arn", arn.as_str().into());
        state.set_attr("id", arn.as_str().into());
        state.set_attr("region", region::from_arn(&arn).into());
        state.set_attr("vpc_connector_name", c.vpc_connector_name().into());
        state.set_attr("subnets", string_set(c.subnets()));
        state.set_attr("security_groups", string_set(c.security_groups()));
        state.set_attr("vpc_connector_revision", c.vpc_connector_revision().into());
        state.set_attr("status", c.status().map(|s| s.as_str().to_string()).into());
        state.set_attr("tags", Value::string_map(tags));
        Ok(state)
    }
}

/// Exactly one of `arn` and `name_attr` must be set (unknowns are skipped).
pub(crate) fn one_of_arn_or(config: &Value, name_attr: &str, diags: &mut Diagnostics) {
    let (arn, name) = (config.attr("arn"), config.attr(name_attr));
    if arn.is_unknown() || name.is_unknown() {
        return;
    }
    match (arn.is_null(), name.is_null()) {
        (true, true) => diags.error("Nothing to look up", format!("Set `arn` or `{name_attr}`.")),
        (false, false) => diags.error_at(
            AttributePath::attr(name_attr),
            "Conflicting lookup",
            format!("Set either `arn` or `{name_attr}`, not both."),
        ),
        _ => region_of_arn_agrees(config, "arn", diags),
    }
}

/// A `region` set next to an ARN (in `arn_attr`) must be the ARN's.
pub(crate) fn region_of_arn_agrees(config: &Value, arn_attr: &str, diags: &mut Diagnostics) {
    let region = config.attr("region").as_str();
    let arn_region = config.attr(arn_attr).as_str().and_then(region::from_arn);
    if let (Some(r), Some(a)) = (region, arn_region)
        && r != a
    {
        diags.error_at(
            AttributePath::attr("region"),
            "Region differs from the ARN's",
            format!("The {arn_attr} is in {a}, but `region` is {r}. Leave `region` out to use the ARN's."),
        );
    }
}

/// The ARN of the newest active revision of the connector called `name`.
async fn newest_named(
    provider: &AppRunner,
    r: &str,
    name: &str,
) -> Result<Option<String>, Diagnostics> {
    let mut best: Option<(i32, String)> = None;
    let mut pages = provider
        .client_in(r)
        .list_vpc_connectors()
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Diagnostics::from(api_error("ListVpcConnectors", name, e)))?;
        for c in page.vpc_connectors() {
            let active = c
                .status()
                .is_some_and(|s| s.as_str().eq_ignore_ascii_case("ACTIVE"));
            let revision = c.vpc_connector_revision();
            if c.vpc_connector_name() == Some(name)
                && active
                && best.as_ref().is_none_or(|(b, _)| revision > *b)
                && let Some(arn) = c.vpc_connector_arn()
            {
                best = Some((revision, arn.to_string()));
            }
        }
    }
    Ok(best.map(|(_, arn)| arn))
}
