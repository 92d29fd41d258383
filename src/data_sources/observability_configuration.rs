//! `apprunner_observability_configuration`: looks up one revision of an App
//! Runner observability configuration (the AWS provider has no such data
//! source). By `arn`, or by `name` with `latest = true` (the default) or a
//! `revision`, with the lookup rules of `apprunner_auto_scaling_configuration`.

use async_trait::async_trait;

use super::revision_lookup::{Lookup, NamedRevision, lookup_attributes, validate_lookup};
use crate::apprunner::observability_configuration::{
    ObservabilityAttributes, describe, find_by_name,
};
use crate::plugin::{
    Attribute, Block, Ctx, DataSource, Diagnostic, Diagnostics, Schema, Type, Value,
};
use crate::provider::{AppRunner, tags};

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

    async fn read(&self, ctx: &Ctx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        let provider = ctx.provider()?;
        let lookup = Lookup::of(&config)?;
        let r = lookup.region(provider, &config);
        let arn = match &lookup {
            Lookup::Arn(arn) => Some(arn.clone()),
            Lookup::Latest(name) | Lookup::Revision(name, _) => {
                find_by_name(provider, &r, name, lookup.revision(), &lookup.describe(&r)).await?
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
        let attributes = NamedRevision {
            attributes: ObservabilityAttributes::from(&c),
            name: c.observability_configuration_name().map(str::to_string),
            revision: Some(c.observability_configuration_revision()),
        };
        let tags = tags::read(provider, &attributes.attributes.arn).await?;
        super::found(config, &schema(), &attributes, tags)
    }
}
