//! `apprunner_auto_scaling_configuration`: looks up one revision of an App
//! Runner auto scaling configuration (the AWS provider has no such data
//! source). By `arn`, or by `name` with `latest = true` (the default) or a
//! `revision`. Only active revisions are found.
//!
//! The lookup rules here are shared with `apprunner_observability_configuration`.

use async_trait::async_trait;

use crate::plugin::validators as v;
use crate::plugin::{
    Attribute, AttributePath, Block, DataSource, Diagnostic, Diagnostics, PlanCtx, Schema, Value,
};
use crate::provider::errors::api_error;
use crate::provider::{AppRunner, arns, region, tags};
use crate::resources::auto_scaling_configuration_version::{NAME_PATTERN, NAME_RULE, describe};

pub struct AutoScalingConfigurationData;

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

/// Cross-argument rules of the lookup; unknown values are skipped.
pub(crate) fn validate_lookup(config: &Value, diags: &mut Diagnostics) {
    let (arn, name) = (config.attr("arn"), config.attr("name"));
    let (revision, latest) = (config.attr("revision"), config.attr("latest"));
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
            let region = config.attr("region").as_str();
            let arn_region = arn.as_str().and_then(region::from_arn);
            if let (Some(r), Some(a)) = (region, arn_region)
                && r != a
            {
                diags.error_at(
                    AttributePath::attr("region"),
                    "Region differs from the ARN's",
                    format!("The ARN is in {a}, but `region` is {r}. Leave `region` out to use the ARN's."),
                );
            }
            for (attr, value) in [("revision", revision), ("latest", latest)] {
                if !value.is_null() {
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
            if latest.as_bool() == Some(true) && !revision.is_null() {
                diags.error_at(
                    AttributePath::attr("latest"),
                    "Conflicting lookup",
                    "Set either `latest = true` or `revision`, not both.",
                );
            }
            if latest.as_bool() == Some(false) && revision.is_null() {
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
    pub(crate) fn of(config: &Value) -> Lookup {
        if let Some(arn) = config.attr("arn").as_str() {
            return Lookup::Arn(arn.to_string());
        }
        let name = config.attr("name").as_str().unwrap_or_default().to_string();
        match config.attr("revision").as_i64() {
            Some(r) => Lookup::Revision(name, r),
            None => Lookup::Latest(name),
        }
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

    /// "NAME (latest revision) in REGION" and the like, for messages.
    pub(crate) fn describe(&self, region: &str) -> String {
        match self {
            Lookup::Arn(arn) => arn.clone(),
            Lookup::Latest(name) => format!("{name} (latest revision) in {region}"),
            Lookup::Revision(name, r) => format!("{name} revision {r} in {region}"),
        }
    }
}

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
        let provider = ctx.provider()?;
        let lookup = Lookup::of(&config);
        let r = lookup.region(provider, &config);
        let arn = match &lookup {
            Lookup::Arn(arn) => Some(arn.clone()),
            Lookup::Latest(name) | Lookup::Revision(name, _) => {
                find_by_name(provider, &r, name, &lookup).await?
            }
        };
        let found = match arn {
            Some(arn) => describe(provider, &arn).await?,
            None => None,
        };
        let Some(asc) = found else {
            return Err(Diagnostic::error(
                "Auto scaling configuration not found",
                format!(
                    "App Runner has no active auto scaling configuration {}.",
                    lookup.describe(&r)
                ),
            )
            .into());
        };
        let arn = asc
            .auto_scaling_configuration_arn()
            .unwrap_or_default()
            .to_string();
        let tags = tags::read(provider, &arn).await?;
        let mut state = config;
        state.set_attr("arn", arn.as_str().into());
        state.set_attr("id", arn.as_str().into());
        state.set_attr("region", region::from_arn(&arn).unwrap_or(&r).into());
        state.set_attr("name", asc.auto_scaling_configuration_name().into());
        state.set_attr("revision", asc.auto_scaling_configuration_revision().into());
        state.set_attr("latest", asc.latest().into());
        state.set_attr(
            "status",
            asc.status().map(|s| s.as_str().to_string()).into(),
        );
        state.set_attr("max_concurrency", asc.max_concurrency().into());
        state.set_attr("max_size", asc.max_size().into());
        state.set_attr("min_size", asc.min_size().into());
        state.set_attr(
            "has_associated_service",
            asc.has_associated_service().into(),
        );
        state.set_attr("is_default", asc.is_default().into());
        state.set_attr("tags", Value::string_map(tags));
        Ok(state)
    }
}

/// The ARN of the revision a name lookup selects, if any.
async fn find_by_name(
    provider: &AppRunner,
    r: &str,
    name: &str,
    lookup: &Lookup,
) -> Result<Option<String>, Diagnostics> {
    let client = provider.client_in(r);
    let latest_only = matches!(lookup, Lookup::Latest(_));
    // The highest matching revision seen (of one revision, when asked for one).
    let mut best: Option<(i64, String)> = None;
    let mut token = None;
    loop {
        let out = client
            .list_auto_scaling_configurations()
            .auto_scaling_configuration_name(name)
            .latest_only(latest_only)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| {
                Diagnostics::from(api_error(
                    "ListAutoScalingConfigurations",
                    &lookup.describe(r),
                    e,
                ))
            })?;
        for c in out.auto_scaling_configuration_summary_list() {
            let revision = c.auto_scaling_configuration_revision() as i64;
            let wanted = c.auto_scaling_configuration_name() == Some(name)
                && !c
                    .status()
                    .is_some_and(|s| s.as_str().eq_ignore_ascii_case("inactive"))
                && match lookup {
                    Lookup::Revision(_, r) => revision == *r,
                    _ => best.as_ref().is_none_or(|(b, _)| revision > *b),
                };
            if let (true, Some(arn)) = (wanted, c.auto_scaling_configuration_arn()) {
                best = Some((revision, arn.to_string()));
            }
        }
        // Pages may be empty with a token still to follow.
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(best.map(|(_, arn)| arn)),
        }
    }
}
