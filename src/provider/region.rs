//! Per-resource `region` (as in the AWS provider v6): one provider
//! configuration manages objects in several regions. Unset, a resource
//! lives in the provider's region; changing it replaces the resource.

use crate::plugin::{Attribute, Diagnostic, Diagnostics, Plan, PlanCtx, Value};

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
pub fn plan(ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
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

/// Plans `region` for a type that lives where another object does: the
/// region of the ARN in `arn_attribute` (e.g. `service_arn`), else the
/// provider's.
pub fn plan_following(ctx: &PlanCtx<AppRunner>, plan: &mut Plan, arn_attribute: &str) {
    if !plan.config.attr("region").is_null() {
        return;
    }
    let source = plan.config.attr(arn_attribute);
    if source.is_unknown() {
        // Known once the other object exists; changing it replaces anyway.
        plan.planned.set_attr("region", Value::unknown());
        return;
    }
    match source.as_str().and_then(from_arn).map(str::to_string) {
        Some(r) => plan.planned.set_attr("region", Value::from(r)),
        None => self::plan(ctx, plan),
    }
}

/// A configured `region` must be the region of the ARN in `arn_attribute`.
pub fn validate_following(config: &Value, arn_attribute: &str, diags: &mut Diagnostics) {
    let owner = config.attr(arn_attribute).as_str().and_then(from_arn);
    if let (Some(r), Some(o)) = (config.attr("region").as_str(), owner)
        && r != o
    {
        diags.push(
            Diagnostic::error(
                "Region differs from the related object's",
                format!(
                    "`{arn_attribute}` is in {o}, but `region` is {r}. Leave `region` out to use {o}."
                ),
            )
            .at(crate::plugin::AttributePath::attr("region")),
        );
    }
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

/// Whether `s` has the form of a region name (`us-east-1`, `us-gov-west-1`).
pub fn is_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Splits an import ID as the AWS provider v6 accepts it: `ID`, or
/// `ID@REGION` to import an object of another region than the provider's.
pub fn split_import_id(id: &str) -> Result<(&str, Option<&str>), Diagnostics> {
    match id.rsplit_once('@') {
        None => Ok((id, None)),
        Some((rest, r)) if !rest.is_empty() && is_name(r) => Ok((rest, Some(r))),
        Some(_) => Err(Diagnostic::error(
            "Invalid import ID",
            format!("Expected ID or ID@REGION (e.g. @eu-west-1), got {id:?}."),
        )
        .into()),
    }
}

/// Refuses an `@REGION` suffix that differs from the region the ID itself
/// names (e.g. the region inside an ARN).
pub fn check_import_region(
    id: &str,
    named: Option<&str>,
    at: Option<&str>,
) -> Result<(), Diagnostics> {
    match (named, at) {
        (Some(named), Some(at)) if named != at => Err(Diagnostic::error(
            "Invalid import ID",
            format!("{id:?} names an object in {named}, but its @REGION suffix says {at}. Leave the suffix out or make it {named}."),
        )
        .into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_are_recognised() {
        assert!(is_name("us-east-1"));
        assert!(is_name("ap-southeast-2"));
        assert!(is_name("us-gov-west-1"));
        assert!(!is_name("123456789012"));
        assert!(!is_name("US-EAST-1"));
        assert!(!is_name("us-east"));
    }

    #[test]
    fn import_ids_may_name_a_region() {
        assert_eq!(split_import_id("web").unwrap(), ("web", None));
        assert_eq!(
            split_import_id("web@eu-west-1").unwrap(),
            ("web", Some("eu-west-1"))
        );
        assert!(split_import_id("web@nowhere").is_err());
        assert!(split_import_id("@eu-west-1").is_err());
        assert!(check_import_region("x", Some("us-east-1"), Some("eu-west-1")).is_err());
        assert!(check_import_region("x", Some("us-east-1"), Some("us-east-1")).is_ok());
        assert!(check_import_region("x", Some("us-east-1"), None).is_ok());
    }
}
