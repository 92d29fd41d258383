//! Per-resource `region` (as in the AWS provider v6): one provider
//! configuration manages objects in several regions. Unset, a resource
//! lives in the provider's region; changing it replaces the resource.

use crate::plugin::{Attribute, Ctx, Plan, Value};

use super::AppRunner;

/// The `region` argument every regional resource and data source has.
pub fn attribute() -> Attribute {
    Attribute::string("region")
        .optional()
        .computed()
        .requires_replace()
        .description("Region where this resource is managed. Defaults to the provider's region.")
}

/// Plans `region`: the configured one, else the provider's.
pub fn plan(ctx: &Ctx<AppRunner>, plan: &mut Plan) {
    if !plan.config.attr("region").is_null() {
        return;
    }
    let Ok(provider) = ctx.provider() else { return };
    let region = Value::from(provider.region.as_str());
    let prior = plan.prior.attr("region");
    if !prior.is_null() && prior != &region {
        // The provider moved to another region: the object must follow.
        plan.require_replace(crate::plugin::AttributePath::attr("region"));
    }
    plan.planned.set_attr("region", region);
}

/// The region a resource value names, else the provider's.
pub fn of<'a>(provider: &'a AppRunner, value: &'a Value) -> &'a str {
    value
        .attr("region")
        .as_str()
        .filter(|r| !r.is_empty())
        .unwrap_or(provider.region.as_str())
}

/// The region inside an App Runner ARN.
pub fn from_arn(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}
