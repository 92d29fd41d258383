//! The lookup both configuration data sources share
//! (`apprunner_auto_scaling_configuration` and
//! `apprunner_observability_configuration`): by `arn`, or by `name` with
//! `latest = true` (the default) or a `revision`.

use serde::{Deserialize, Serialize};

use crate::apprunner::revisions::{NAME_PATTERN, NAME_RULE, Revisioned, find_by_name};
use crate::plugin::model::{self, Field};
use crate::plugin::validators as v;
use crate::plugin::{Attribute, AttributePath, Diagnostic, Diagnostics, PlanCtx, Schema, Value};
use crate::provider::{AppRunner, arns, region, tags};

/// The lookup arguments every configuration data source has: `arn`, or
/// `name` with `latest`/`revision`, and `region`.
pub(crate) fn lookup_attributes(arn_kind: &'static str) -> Vec<Attribute> {
    vec![
        Attribute::string("arn")
            .optional()
            .computed()
            .validate(arns::validator(arn_kind))
            .description("ARN of the revision to find. Conflicts with `name`."),
        Attribute::string("name")
            .optional()
            .computed()
            .validate(v::string_length(4, 32))
            .validate(v::string_matches(NAME_PATTERN, NAME_RULE))
            .description("Name of the configuration to find. Conflicts with `arn`."),
        Attribute::int("revision")
            .optional()
            .computed()
            .validate(v::int_at_least(1))
            .description("With `name`: the revision to find. Conflicts with `latest`."),
        Attribute::bool("latest")
            .optional()
            .computed()
            .description(
                "With `name`: find the newest active revision (the default when no `revision` is given). \
                 Afterwards: whether the revision found is the newest.",
            ),
        Attribute::string("region")
            .optional()
            .computed()
            .description("Region to look in. Defaults to the ARN's region, else the provider's."),
        Attribute::string("id").computed().description("Same as `arn`."),
        Attribute::string("status").computed().description("Status of the revision (active)."),
        Attribute::string_map("tags").computed().description("Tags of the revision."),
    ]
}

/// The lookup arguments as the configuration gives them.
#[derive(Deserialize)]
struct LookupConfig {
    arn: Field<String>,
    name: Field<String>,
    revision: Field<i64>,
    latest: Field<bool>,
    region: Field<String>,
}

/// Cross-argument rules of the lookup; unknown values are skipped.
pub(crate) fn validate_lookup(config: &Value, diags: &mut Diagnostics) {
    let Ok(config) = model::from_value::<LookupConfig>(config) else {
        return;
    };
    let LookupConfig {
        arn,
        name,
        revision,
        latest,
        region,
    } = config;
    if arn.is_unknown() || name.is_unknown() {
        return;
    }
    match (arn.is_null(), name.is_null()) {
        (true, true) => diags.error(
            "Nothing to look up",
            "Set `arn`, or `name` (with `latest = true` or a `revision`).",
        ),
        (false, false) => diags.error_at(
            AttributePath::attr("name"),
            "Conflicting lookup",
            "Set either `arn` or `name`, not both.",
        ),
        (false, true) => {
            let arn_region = arn.as_deref().and_then(region::from_arn);
            if let (Some(r), Some(a)) = (region.as_deref(), arn_region)
                && r != a
            {
                diags.error_at(
                    AttributePath::attr("region"),
                    "Region differs from the ARN's",
                    format!("The ARN is in {a}, but `region` is {r}. Leave `region` out to use the ARN's."),
                );
            }
            for (attr, is_set) in [
                ("revision", !revision.is_null()),
                ("latest", !latest.is_null()),
            ] {
                if is_set {
                    diags.error_at(
                        AttributePath::attr(attr),
                        format!("{attr} needs name"),
                        format!(
                            "`{attr}` selects a revision by name; an ARN already names one revision."
                        ),
                    );
                }
            }
        }
        (true, false) => {
            if latest.known() == Some(&true) && !revision.is_null() {
                diags.error_at(
                    AttributePath::attr("latest"),
                    "Conflicting lookup",
                    "Set either `latest = true` or `revision`, not both.",
                );
            }
            if latest.known() == Some(&false) && revision.is_null() {
                diags.error_at(
                    AttributePath::attr("latest"),
                    "Revision missing",
                    "With `latest = false`, set the `revision` to find.",
                );
            }
        }
    }
}

/// How the configuration asks to find a revision.
pub(crate) enum Lookup {
    Arn(String),
    Latest(String),
    Revision(String, i64),
}

impl Lookup {
    pub(crate) fn of(config: &Value) -> Result<Lookup, Diagnostics> {
        let config: LookupConfig = model::from_value(config)?;
        if let Some(arn) = config.arn.into_known() {
            return Ok(Lookup::Arn(arn));
        }
        let name = config.name.into_known().unwrap_or_default();
        Ok(match config.revision.into_known() {
            Some(r) => Lookup::Revision(name, r),
            None => Lookup::Latest(name),
        })
    }

    /// The region to ask: the ARN's, else the configured one, else the provider's.
    pub(crate) fn region(&self, provider: &AppRunner, config: &Value) -> String {
        match self {
            Lookup::Arn(arn) => region::from_arn(arn)
                .map(str::to_string)
                .unwrap_or_else(|| region::of(provider, config).to_string()),
            _ => region::of(provider, config).to_string(),
        }
    }

    /// The revision asked for; `None` for the latest.
    pub(crate) fn revision(&self) -> Option<i64> {
        match self {
            Lookup::Revision(_, r) => Some(*r),
            _ => None,
        }
    }

    /// "NAME (latest revision) in REGION" and the like, for messages.
    pub(crate) fn describe(&self, region: &str) -> String {
        match self {
            Lookup::Arn(arn) => arn.clone(),
            Lookup::Latest(name) => format!("{name} (latest revision) in {region}"),
            Lookup::Revision(name, r) => format!("{name} revision {r} in {region}"),
        }
    }
}

/// A revision's attributes under the data sources' names (`name`,
/// `revision`), with those of its kind.
#[derive(Serialize)]
struct NamedRevision<T> {
    #[serde(flatten)]
    attributes: T,
    name: Option<String>,
    revision: Option<i32>,
}

/// Reads the data source of kind `K` (`what` names it in messages, `title`
/// starts the not-found error): finds the revision the configuration
/// asks for and writes its attributes over the configuration.
pub(crate) async fn read<K: Revisioned>(
    ctx: &PlanCtx<AppRunner>,
    config: Value,
    schema: &Schema,
    what: &str,
    title: &str,
) -> Result<Value, Diagnostics> {
    let provider = ctx.provider()?;
    let lookup = Lookup::of(&config)?;
    let r = lookup.region(provider, &config);
    let arn = match &lookup {
        Lookup::Arn(arn) => Some(arn.clone()),
        Lookup::Latest(name) | Lookup::Revision(name, _) => {
            find_by_name::<K>(provider, &r, name, lookup.revision(), &lookup.describe(&r)).await?
        }
    };
    let found = match arn {
        Some(arn) => K::describe(provider, &arn).await?,
        None => None,
    };
    let Some(api) = found else {
        return Err(Diagnostic::error(
            format!("{title} not found"),
            format!("App Runner has no active {what} {}.", lookup.describe(&r)),
        )
        .into());
    };
    let tags = tags::read(provider, K::arn(&api)).await?;
    let attributes = NamedRevision {
        attributes: K::attributes(&api),
        name: K::name(&api).map(str::to_string),
        revision: K::revision(&api),
    };
    super::found(config, schema, &attributes, tags)
}
