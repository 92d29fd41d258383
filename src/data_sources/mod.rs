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

use std::collections::BTreeMap;

use serde::Serialize;

use crate::plugin::model::{self, Field};
use crate::plugin::{AttributePath, Diagnostic, Diagnostics, Schema, Value};
use crate::provider::{AppRunner, tags};

/// The tags every data source reports.
#[derive(Serialize)]
struct TagsAttribute {
    tags: BTreeMap<String, String>,
}

/// The state of a data source that found its object: the configuration
/// with the object's attributes (the model shared with its resource) and
/// the tags of the object at `arn` written over it.
pub(crate) async fn found<T: Serialize>(
    provider: &AppRunner,
    mut config: Value,
    schema: &Schema,
    arn: &str,
    attributes: &T,
) -> Result<Value, Diagnostics> {
    let tags = tags::read(provider, arn).await?;
    let ty = schema.implied_type();
    model::merge_into(&mut config, attributes, &ty)?;
    model::merge_into(&mut config, &TagsAttribute { tags }, &ty)?;
    Ok(config)
}

/// The error of a lookup that found nothing: "`what` not found".
pub(crate) fn not_found(what: &str, detail: String) -> Diagnostics {
    Diagnostic::error(format!("{what} not found"), detail).into()
}

/// "named NAME in REGION", for messages about a lookup by name.
pub(crate) fn named(name: &str, region: &str) -> String {
    format!("named {name} in {region}")
}

/// What a lookup by `arn` or by name asks for: the ARN when one is
/// configured, else the name in the configured region (or the provider's).
pub(crate) enum Wanted<'a> {
    Arn(&'a str),
    Named { name: &'a str, region: &'a str },
}

impl<'a> Wanted<'a> {
    /// What `config` asks for, its name being the attribute `name_attribute`.
    pub(crate) fn of(provider: &'a AppRunner, config: &'a Value, name_attribute: &str) -> Self {
        match config.attr("arn").as_str() {
            Some(arn) => Wanted::Arn(arn),
            None => Wanted::Named {
                name: config.attr(name_attribute).as_str().unwrap_or_default(),
                region: crate::provider::region::of(provider, config),
            },
        }
    }

    /// The object the lookup `found`, or the error "`what` not found"
    /// saying App Runner has no `kind` (e.g. "active VPC connector") so
    /// named.
    pub(crate) fn found<T>(
        &self,
        found: Option<T>,
        what: &str,
        kind: &str,
    ) -> Result<T, Diagnostics> {
        found.ok_or_else(|| {
            let wanted = match self {
                Wanted::Arn(arn) => arn.to_string(),
                Wanted::Named { name, region } => named(name, region),
            };
            not_found(what, format!("App Runner has no {kind} {wanted}."))
        })
    }
}

/// What a lookup argument names its object by.
pub(crate) enum By {
    Arn,
    Name,
}

/// Exactly one of the lookup arguments (attribute, what it names the
/// object by, configured value) must be set; unknown values are skipped. A
/// `region` set next to an ARN must be the ARN's.
pub(crate) fn exactly_one_lookup(
    lookups: &[(&str, By, &Field<String>)],
    region: &Field<String>,
    diags: &mut Diagnostics,
) {
    if lookups.iter().any(|(_, _, value)| value.is_unknown()) {
        return;
    }
    let names: Vec<String> = lookups
        .iter()
        .map(|(attr, ..)| format!("`{attr}`"))
        .collect();
    let set: Vec<_> = lookups
        .iter()
        .filter(|(.., value)| !value.is_null())
        .collect();
    match set.as_slice() {
        [] => diags.error(
            "Nothing to look up",
            format!("Set {}.", listed(&names, "or")),
        ),
        [(attr, By::Arn, arn)] => region_agrees_with_arn(attr, arn, region, diags),
        [_] => {}
        [_, (second, ..), ..] => {
            let detail = match names.as_slice() {
                [one, other] => format!("Set either {one} or {other}, not both."),
                _ => format!("Set only one of {}.", listed(&names, "and")),
            };
            diags.error_at(AttributePath::attr(second), "Conflicting lookup", detail);
        }
    }
}

/// [`exactly_one_lookup`] of `arn` and the name in `name_attribute`, for
/// the data sources that look up by [`Wanted`].
pub(crate) fn arn_or_name(config: &Value, name_attribute: &str, diags: &mut Diagnostics) {
    let string = |attr| model::from_value::<Field<String>>(config.attr(attr));
    let (Ok(arn), Ok(name), Ok(region)) = (string("arn"), string(name_attribute), string("region"))
    else {
        return;
    };
    let lookups = [("arn", By::Arn, &arn), (name_attribute, By::Name, &name)];
    exactly_one_lookup(&lookups, &region, diags);
}

/// "`a`, `b` or `c`", with `last` before the last name.
fn listed(names: &[String], last: &str) -> String {
    match names {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., end] => format!("{} {last} {end}", init.join(", ")),
    }
}

/// A `region` set next to an ARN must be the ARN's; `the_arn` names the
/// ARN in the message.
pub(crate) fn region_agrees_with_arn(
    the_arn: &str,
    arn: &Field<String>,
    region: &Field<String>,
    diags: &mut Diagnostics,
) {
    let arn_region = arn.as_deref().and_then(crate::provider::region::from_arn);
    if let (Some(r), Some(a)) = (region.as_deref(), arn_region)
        && r != a
    {
        diags.error_at(
            AttributePath::attr("region"),
            "Region differs from the ARN's",
            format!(
                "The {the_arn} is in {a}, but `region` is {r}. Leave `region` out to use the ARN's."
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(arn: Field<String>, name: Field<String>, region: Field<String>) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let lookups = [("arn", By::Arn, &arn), ("thing_name", By::Name, &name)];
        exactly_one_lookup(&lookups, &region, &mut diags);
        diags
    }

    fn arn(region: &str) -> Field<String> {
        Field::Known(format!(
            "arn:aws:apprunner:{region}:123456789012:vpcconnector/web/1/abc"
        ))
    }

    #[test]
    fn a_lookup_needs_exactly_one_argument() {
        let none = check(Field::Null, Field::Null, Field::Null);
        assert_eq!(none.0.len(), 1);
        assert_eq!(none.0[0].summary, "Nothing to look up");
        assert_eq!(none.0[0].detail, "Set `arn` or `thing_name`.");

        let both = check(arn("us-east-1"), "web".into(), Field::Null);
        assert_eq!(both.0.len(), 1);
        assert_eq!(both.0[0].summary, "Conflicting lookup");
        assert_eq!(
            both.0[0].detail,
            "Set either `arn` or `thing_name`, not both."
        );
        assert_eq!(both.0[0].path, Some(AttributePath::attr("thing_name")));

        assert!(check(Field::Null, "web".into(), "eu-west-1".into()).is_empty());
        assert!(check(Field::Unknown, Field::Null, Field::Null).is_empty());
    }

    #[test]
    fn a_region_next_to_an_arn_must_be_the_arns() {
        assert!(check(arn("us-east-1"), Field::Null, "us-east-1".into()).is_empty());
        let other = check(arn("us-east-1"), Field::Null, "eu-west-1".into());
        assert_eq!(other.0.len(), 1);
        assert_eq!(other.0[0].path, Some(AttributePath::attr("region")));
        assert_eq!(
            other.0[0].detail,
            "The arn is in us-east-1, but `region` is eu-west-1. Leave `region` out to use the ARN's."
        );
    }

    #[test]
    fn three_lookups_are_listed_in_messages() {
        let (a, b, c) = (Field::Null, Field::Known("x".to_string()), arn("us-east-1"));
        let lookups = [
            ("arn", By::Arn, &a),
            ("name", By::Name, &b),
            ("service_arn", By::Arn, &c),
        ];
        let mut diags = Diagnostics::new();
        exactly_one_lookup(&lookups, &Field::Null, &mut diags);
        assert_eq!(
            diags.0[0].detail,
            "Set only one of `arn`, `name` and `service_arn`."
        );
        assert_eq!(diags.0[0].path, Some(AttributePath::attr("service_arn")));
        let mut diags = Diagnostics::new();
        exactly_one_lookup(&lookups[..1], &Field::Null, &mut diags);
        assert_eq!(diags.0[0].detail, "Set `arn`.");
    }
}
