//! The data source type both configuration data sources are
//! (`apprunner_auto_scaling_configuration` and
//! `apprunner_observability_configuration`): a lookup of one revision by
//! `arn`, or by `name` with `latest = true` (the default) or a `revision`.
//! Each kind states only what differs ([`ConfigurationData`]).

use std::future::Future;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::apprunner::revisions::{NAME_PATTERN, NAME_RULE, Revisioned, find_by_name};
use crate::plugin::model::{self, Field};
use crate::plugin::validators as v;
use crate::plugin::{
    Attribute, AttributePath, Block, DataSource, Diagnostics, PlanCtx, Schema, Value,
};
use crate::provider::{AppRunner, arns, attributes, region};

/// A configuration data source: what its kind of configuration adds to
/// the lookup every such data source shares.
pub(crate) trait ConfigurationData: Send + Sync + 'static {
    /// The kind of configuration.
    type Kind: Revisioned;
    /// The Terraform type name.
    const TYPE_NAME: &'static str;
    /// The kind as its ARNs name it (`autoscalingconfiguration`).
    const ARN_KIND: &'static str;
    /// The kind in messages ("auto scaling configuration").
    const WHAT: &'static str;

    /// The attributes of a revision of this kind.
    fn revision_attributes() -> Vec<Attribute>;

    /// [`read`] for this kind: written where the kind is known, which
    /// shows that its calls may run on any thread.
    fn lookup(
        ctx: &PlanCtx<AppRunner>,
        config: Value,
    ) -> impl Future<Output = Result<Value, Diagnostics>> + Send + '_;

    fn schema() -> Schema {
        Schema::new(
            Block::new()
                .description(format!(
                    "Looks up one active revision of an App Runner {}, by `arn`, or by `name` with \
                     `latest = true` (the default) or a `revision`.",
                    Self::WHAT
                ))
                .attributes(lookup_attributes(Self::ARN_KIND))
                .attributes(Self::revision_attributes()),
        )
    }
}

#[async_trait]
impl<T: ConfigurationData> DataSource<AppRunner> for T {
    fn type_name(&self) -> &'static str {
        T::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        T::schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_lookup(config, diags);
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        T::lookup(ctx, config).await
    }
}

/// The lookup arguments every configuration data source has: `arn`, or
/// `name` with `latest`/`revision`, and `region`; and what it reports of
/// every kind.
fn lookup_attributes(arn_kind: &'static str) -> Vec<Attribute> {
    let [region, id] = attributes::lookup_region_and_id("arn");
    vec![
        Attribute::string("arn")
            .optional()
            .computed()
            .validate(arns::validator(arn_kind))
            .description("ARN of the revision to find. Conflicts with `name`."),
        attributes::name("name", 32, NAME_PATTERN, NAME_RULE)
            .optional()
            .computed()
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
        region,
        id,
        Attribute::string("status").computed().description("Status of the revision (active)."),
        attributes::lookup_tags("revision"),
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
fn validate_lookup(config: &Value, diags: &mut Diagnostics) {
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
            super::region_agrees_with_arn("ARN", &arn, &region, diags);
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
enum Lookup {
    Arn(String),
    Latest(String),
    Revision(String, i64),
}

impl Lookup {
    fn of(config: &Value) -> Result<Lookup, Diagnostics> {
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
    fn region(&self, provider: &AppRunner, config: &Value) -> String {
        match self {
            Lookup::Arn(arn) => region::from_arn(arn)
                .map(str::to_string)
                .unwrap_or_else(|| region::of(provider, config).to_string()),
            _ => region::of(provider, config).to_string(),
        }
    }

    /// The revision asked for; `None` for the latest.
    fn revision(&self) -> Option<i64> {
        match self {
            Lookup::Revision(_, r) => Some(*r),
            _ => None,
        }
    }

    /// "NAME (latest revision) in REGION" and the like, for messages.
    fn describe(&self, region: &str) -> String {
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

/// Reads the configuration data source `D`: finds the revision the
/// configuration asks for and writes its attributes over the
/// configuration.
pub(crate) async fn read<D: ConfigurationData>(
    ctx: &PlanCtx<AppRunner>,
    config: Value,
) -> Result<Value, Diagnostics> {
    type K<D> = <D as ConfigurationData>::Kind;
    let what = D::WHAT;
    let provider = ctx.provider()?;
    let lookup = Lookup::of(&config)?;
    let r = lookup.region(provider, &config);
    let arn = match &lookup {
        Lookup::Arn(arn) => Some(arn.clone()),
        Lookup::Latest(name) | Lookup::Revision(name, _) => {
            find_by_name::<K<D>>(provider, &r, name, lookup.revision(), &lookup.describe(&r))
                .await?
        }
    };
    let found = match arn {
        Some(arn) => K::<D>::describe(provider, &arn).await?,
        None => None,
    };
    let Some(api) = found else {
        let detail = format!("App Runner has no active {what} {}.", lookup.describe(&r));
        return Err(super::not_found(&sentence_case(what), detail));
    };
    let attributes = NamedRevision {
        attributes: K::<D>::attributes(&api),
        name: K::<D>::name(&api).map(str::to_string),
        revision: K::<D>::revision(&api),
    };
    super::found(
        provider,
        config,
        &D::schema(),
        K::<D>::arn(&api),
        &attributes,
    )
    .await
}

/// `what` with a capital first letter, to start a message.
fn sentence_case(what: &str) -> String {
    let mut chars = what.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
