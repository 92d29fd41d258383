//! Data source types, one module per Terraform type, registered in
//! [`crate::data_source_types`].

pub mod auto_scaling_configuration;
pub mod connection;
pub mod custom_domains;
pub mod hosted_zone_id;
pub mod observability_configuration;
mod revision_lookup;
pub mod service;
pub mod services;
pub mod vpc_connector;
pub mod vpc_ingress_connection;

/// The tags every data source reports.
#[derive(serde::Serialize)]
struct TagsAttribute {
    tags: std::collections::BTreeMap<String, String>,
}

/// The state of a data source that found its object: the configuration
/// with the object's attributes (the model shared with its resource) and
/// tags written over it.
pub(crate) fn found<T: serde::Serialize>(
    mut config: crate::plugin::Value,
    schema: &crate::plugin::Schema,
    attributes: &T,
    tags: std::collections::BTreeMap<String, String>,
) -> Result<crate::plugin::Value, crate::plugin::Diagnostics> {
    let ty = schema.implied_type();
    crate::plugin::model::merge_into(&mut config, attributes, &ty)?;
    crate::plugin::model::merge_into(&mut config, &TagsAttribute { tags }, &ty)?;
    Ok(config)
}

/// Exactly one of `arn` and `name_attr` must be set (unknowns are skipped).
pub(crate) fn one_of_arn_or(
    config: &crate::plugin::Value,
    name_attr: &str,
    diags: &mut crate::plugin::Diagnostics,
) {
    let (arn, name) = (config.attr("arn"), config.attr(name_attr));
    if arn.is_unknown() || name.is_unknown() {
        return;
    }
    match (arn.is_null(), name.is_null()) {
        (true, true) => diags.error("Nothing to look up", format!("Set `arn` or `{name_attr}`.")),
        (false, false) => diags.error_at(
            crate::plugin::AttributePath::attr(name_attr),
            "Conflicting lookup",
            format!("Set either `arn` or `{name_attr}`, not both."),
        ),
        _ => region_of_arn_agrees(config, "arn", diags),
    }
}

/// A `region` set next to an ARN (in `arn_attr`) must be the ARN's.
pub(crate) fn region_of_arn_agrees(
    config: &crate::plugin::Value,
    arn_attr: &str,
    diags: &mut crate::plugin::Diagnostics,
) {
    let region = config.attr("region").as_str();
    let arn_region = config
        .attr(arn_attr)
        .as_str()
        .and_then(crate::provider::region::from_arn);
    if let (Some(r), Some(a)) = (region, arn_region)
        && r != a
    {
        diags.error_at(
            crate::plugin::AttributePath::attr("region"),
            "Region differs from the ARN's",
            format!("The {arn_attr} is in {a}, but `region` is {r}. Leave `region` out to use the ARN's."),
        );
    }
}
