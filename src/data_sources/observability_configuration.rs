//! `apprunner_observability_configuration`: looks up one revision of an App
//! Runner observability configuration (the AWS provider has no such data
//! source). By `arn`, or by `name` with `latest = true` (the default) or a
//! `revision`, with the lookup rules of `apprunner_auto_scaling_configuration`.

use async_trait::async_trait;

use super::revision_lookup::{self, lookup_attributes, validate_lookup};
use crate::apprunner::observability_configuration::Observability;
use crate::plugin::{Attribute, Block, DataSource, Diagnostics, PlanCtx, Schema, Type, Value};
use crate::provider::AppRunner;

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
        revision_lookup::read::<Observability>(
            ctx,
            config,
            &schema(),
            "observability configuration",
            "Observability configuration",
        )
        .await
    }
}
