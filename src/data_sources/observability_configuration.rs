//! `apprunner_observability_configuration`: looks up one revision of an App
//! Runner observability configuration (the AWS provider has no such data
//! source). By `arn`, or by `name` with `latest = true` (the default) or a
//! `revision`, with the lookup rules of `apprunner_auto_scaling_configuration`.

use async_trait::async_trait;

use crate::data_sources::auto_scaling_configuration::{Lookup, lookup_attributes, validate_lookup};
use crate::plugin::{
    Attribute, Block, DataSource, Diagnostic, Diagnostics, PlanCtx, Schema, Type, Value,
};
use crate::provider::errors::api_error;
use crate::provider::{AppRunner, region, tags};
use crate::resources::observability_configuration::{describe, trace_from_api};

pub struct ObservabilityConfigurationData;

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description(
                "Looks up one active revision of an App Runner observability configuration, by `arn`, or by \
                 `name` with `latest = true` (the default) or a `revision`.",
            )
            .attributes(lookup_attributes("observabilityconfiguration"))
            .attribute(
                Attribute::new(
                    "trace_configuration",
                    Type::list(Type::object([("vendor", Type::String)])),
                )
                .computed()
                .description("Tracing of the services that use this configuration: a list of at most one `{ vendor }`."),
            ),
    )
}

#[async_trait]
impl DataSource<AppRunner> for ObservabilityConfigurationData {
    fn type_name(&self) -> &'static str {
        "apprunner_observability_configuration"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_lookup(config, diags);
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        let provider = ctx.provider()?;
        let lookup = Lookup::of(&config);
        let r = lookup.region(provider, &config);
        let arn = match &lookup {
            Lookup::Arn(arn) => Some(arn.clone()),
            Lookup::Latest(name) | Lookup::Revision(name, _) => {
                find_by_name(provider, &r, name, &lookup).await?
            }
        };
        let found = match arn {
            Some(arn) => describe(provider, &arn).await?,
            None => None,
        };
        let Some(c) = found else {
            return Err(Diagnostic::error(
                "Observability configuration not found",
                format!(
                    "App Runner has no active observability configuration {}.",
                    lookup.describe(&r)
                ),
            )
            .into());
        };
        let arn = c
            .observability_configuration_arn()
            .unwrap_or_default()
            .to_string();
        let tags = tags::read(provider, &arn).await?;
        let mut state = config;
        state.set_attr("arn", arn.as_str().into());
        state.set_attr("id", arn.as_str().into());
        state.set_attr("region", region::from_arn(&arn).unwrap_or(&r).into());
        state.set_attr("name", c.observability_configuration_name().into());
        state.set_attr("revision", c.observability_configuration_revision().into());
        state.set_attr("latest", c.latest().into());
        state.set_attr("status", c.status().map(|s| s.as_str().to_string()).into());
        state.set_attr(
            "trace_configuration",
            trace_from_api(c.trace_configuration()),
        );
        state.set_attr("tags", Value::string_map(tags));
        Ok(state)
    }
}

/// The ARN of the revision a name lookup selects, if any.
async fn find_by_name(
    provider: &AppRunner,
    r: &str,
    name: &str,
    lookup: &Lookup,
) -> Result<Option<String>, Diagnostics> {
    let client = provider.client_in(r);
    let latest_only = matches!(lookup, Lookup::Latest(_));
    // The highest matching revision seen (of one revision, when asked for one).
    let mut best: Option<(i64, String)> = None;
    let mut token = None;
    loop {
        let out = client
            .list_observability_configurations()
            .observability_configuration_name(name)
            .latest_only(latest_only)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| {
                Diagnostics::from(api_error(
                    "ListObservabilityConfigurations",
                    &lookup.describe(r),
                    e,
                ))
            })?;
        for c in out.observability_configuration_summary_list() {
            let revision = c.observability_configuration_revision() as i64;
            let wanted = c.observability_configuration_name() == Some(name)
                && match lookup {
                    Lookup::Revision(_, r) => revision == *r,
                    _ => best.as_ref().is_none_or(|(b, _)| revision > *b),
                };
            if let (true, Some(arn)) = (wanted, c.observability_configuration_arn()) {
                best = Some((revision, arn.to_string()));
            }
        }
        // Pages may be empty with a token still to follow.
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(best.map(|(_, arn)| arn)),
        }
    }
}
