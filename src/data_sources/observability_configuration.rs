//! `apprunner_observability_configuration`: looks up one revision of an App
//! Runner observability configuration (the AWS provider has no such data
//! source). By `arn`, or by `name` with `latest = true` (the default) or a
//! `revision`, with the lookup rules of `apprunner_auto_scaling_configuration`.

use std::future::Future;

use super::revision_lookup::{ConfigurationData, read};
use crate::apprunner::observability_configuration::Observability;
use crate::plugin::{Attribute, Diagnostics, PlanCtx, Type, Value};
use crate::provider::AppRunner;

pub struct ObservabilityConfigurationData;

impl ConfigurationData for ObservabilityConfigurationData {
    type Kind = Observability;
    const TYPE_NAME: &'static str = "apprunner_observability_configuration";
    const ARN_KIND: &'static str = "observabilityconfiguration";
    const WHAT: &'static str = "observability configuration";

    fn revision_attributes() -> Vec<Attribute> {
        vec![
            Attribute::new(
                "trace_configuration",
                Type::list(Type::object([("vendor", Type::String)])),
            )
            .computed()
            .description("Tracing of the services that use this configuration: a list of at most one `{ vendor }`."),
        ]
    }

    fn lookup(
        ctx: &PlanCtx<AppRunner>,
        config: Value,
    ) -> impl Future<Output = Result<Value, Diagnostics>> + Send + '_ {
        read::<Self>(ctx, config)
    }
}
