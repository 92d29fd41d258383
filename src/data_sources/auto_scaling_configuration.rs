//! `apprunner_auto_scaling_configuration`: looks up one revision of an App
//! Runner auto scaling configuration (the AWS provider has no such data
//! source). By `arn`, or by `name` with `latest = true` (the default) or a
//! `revision`. Only active revisions are found.
//!
//! The lookup rules are shared with `apprunner_observability_configuration`
//! (see [`super::revision_lookup`]).

use async_trait::async_trait;

use crate::apprunner::auto_scaling_configuration::AutoScaling;
use crate::plugin::{Attribute, Block, DataSource, Diagnostics, PlanCtx, Schema, Value};
use crate::provider::AppRunner;

use super::revision_lookup::{self, lookup_attributes, validate_lookup};

pub struct AutoScalingConfigurationData;

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description(
                "Looks up one active revision of an App Runner auto scaling configuration, by `arn`, or by \
                 `name` with `latest = true` (the default) or a `revision`.",
            )
            .attributes(lookup_attributes("autoscalingconfiguration"))
            .attribute(Attribute::int("max_concurrency").computed().description("Concurrent requests an instance handles before App Runner scales up."))
            .attribute(Attribute::int("max_size").computed().description("Maximum number of instances."))
            .attribute(Attribute::int("min_size").computed().description("Minimum number of provisioned instances."))
            .attribute(Attribute::bool("has_associated_service").computed().description("Whether a service uses this revision."))
            .attribute(Attribute::bool("is_default").computed().description("Whether this is the account's default configuration.")),
    )
}

#[async_trait]
impl DataSource<AppRunner> for AutoScalingConfigurationData {
    fn type_name(&self) -> &'static str {
        "apprunner_auto_scaling_configuration"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_lookup(config, diags);
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        revision_lookup::read::<AutoScaling>(
            ctx,
            config,
            &schema(),
            "auto scaling configuration",
            "Auto scaling configuration",
        )
        .await
    }
}
