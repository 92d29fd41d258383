//! `apprunner_auto_scaling_configuration`: looks up one revision of an App
//! Runner auto scaling configuration (the AWS provider has no such data
//! source). By `arn`, or by `name` with `latest = true` (the default) or a
//! `revision`. Only active revisions are found.
//!
//! The lookup rules are shared with `apprunner_observability_configuration`
//! (see [`super::revision_lookup`]).

use std::future::Future;

use super::revision_lookup::{ConfigurationData, read};
use crate::apprunner::auto_scaling_configuration::AutoScaling;
use crate::plugin::{Attribute, Diagnostics, PlanCtx, Value};
use crate::provider::AppRunner;

pub struct AutoScalingConfigurationData;

impl ConfigurationData for AutoScalingConfigurationData {
    type Kind = AutoScaling;
    const TYPE_NAME: &'static str = "apprunner_auto_scaling_configuration";
    const ARN_KIND: &'static str = "autoscalingconfiguration";
    const WHAT: &'static str = "auto scaling configuration";

    fn revision_attributes() -> Vec<Attribute> {
        vec![
            Attribute::int("max_concurrency").computed().description(
                "Concurrent requests an instance handles before App Runner scales up.",
            ),
            Attribute::int("max_size")
                .computed()
                .description("Maximum number of instances."),
            Attribute::int("min_size")
                .computed()
                .description("Minimum number of provisioned instances."),
            Attribute::bool("has_associated_service")
                .computed()
                .description("Whether a service uses this revision."),
            Attribute::bool("is_default")
                .computed()
                .description("Whether this is the account's default configuration."),
        ]
    }

    fn lookup(
        ctx: &PlanCtx<AppRunner>,
        config: Value,
    ) -> impl Future<Output = Result<Value, Diagnostics>> + Send + '_ {
        read::<Self>(ctx, config)
    }
}
