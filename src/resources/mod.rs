//! Managed resource types, one module per Terraform type. Each module holds
//! the type's whole behaviour: schema, plan rules, and the mapping to and
//! from the App Runner API; calls to App Runner that other types share
//! live in [`crate::apprunner`].
//!
//! # Writing a resource
//!
//! [`auto_scaling_configuration_version`] is the reference. A resource is a
//! unit struct implementing [`crate::plugin::Resource<AppRunner>`]:
//!
//! - `schema()`: attributes and blocks with their behaviour declared in
//!   place — `.required()/.optional()/.computed()`, `.default(v)`,
//!   `.requires_replace()`, `.keep_prior()` (computed values that do not
//!   change once known, such as `arn` and `id`), `.validate(...)` with the
//!   validators in [`crate::plugin::validators`] (encode every rule of the
//!   API model so bad input fails at `terraform validate`), and
//!   `.equivalence(f)` for values App Runner normalises (the prior form is
//!   kept, so no perpetual diff). Regional types add
//!   [`crate::provider::region::attribute`]; taggable ones
//!   [`crate::provider::tags::tags_attribute`] and `tags_all_attribute`.
//! - `validate()`: rules across attributes (skip unknown values).
//! - `plan()`: runs after the schema's rules; call
//!   [`crate::provider::region::plan`] and [`crate::provider::tags::plan_tags_all`],
//!   then anything specific (`plan.require_replace(path)` …).
//! - `create/read/update/delete/import`: `ctx.provider()` is the configured
//!   [`AppRunner`] with its clients (`client_in(region)` to create,
//!   `client_for_arn(arn)` afterwards). Build the new state from the
//!   planned value and fill what App Runner decides. When a create fails
//!   after the object exists, return `Applied::partial(state, diags)` so the
//!   object stays in state (tainted). `read` returns `Read::gone()` when the
//!   object no longer exists, and keeps the prior representation of values
//!   App Runner normalises.
//! - Errors come from [`crate::provider::errors::api_error`] (operation,
//!   resource and AWS's message); waits from [`crate::provider::waiter`].
//!
//! Register the type in [`crate::resource_types`], and give it acceptance tests in `tests/`
//! (see `tests/support`), an example in `examples/resources/<type>/` and a
//! page in `docs/resources/`.

pub mod auto_scaling_configuration_version;
pub mod connection;
pub mod custom_domain_association;
pub mod default_auto_scaling_configuration_version;
pub mod deployment;
pub mod observability_configuration;
pub mod service;
pub mod vpc_connector;
pub mod vpc_ingress_connection;

/// Writes the attributes of `model` (a typed model, see
/// [`crate::plugin::model`]) into `state`, a value of `schema`.
pub(crate) fn write_model<T: serde::Serialize>(
    state: &mut crate::plugin::Value,
    schema: &crate::plugin::Schema,
    model: &T,
) -> Result<(), crate::plugin::Diagnostic> {
    crate::plugin::model::merge_into(state, model, &schema.implied_type()).map_err(Into::into)
}

/// Writes `model` into the planned state of `plan`, or reports there why
/// it could not.
pub(crate) fn write_planned<T: serde::Serialize>(
    plan: &mut crate::plugin::Plan,
    schema: &crate::plugin::Schema,
    model: &T,
) {
    if let Err(d) = write_model(&mut plan.planned, schema, model) {
        plan.diagnostics.push(d);
    }
}

/// The state `import` makes of an App Runner ARN of `kind` (`expected`
/// describes it for the error): `arn`, `id` and `region`, for `read` to
/// fill in.
pub(crate) fn import_by_arn(
    schema: &crate::plugin::Schema,
    id: &str,
    kind: &'static str,
    expected: &str,
) -> Result<crate::plugin::Value, crate::plugin::Diagnostics> {
    #[derive(serde::Serialize)]
    struct ArnImport<'a> {
        arn: &'a str,
        id: &'a str,
        region: Option<&'a str>,
    }
    let arn = crate::provider::arns::import_id(id, kind, expected)?;
    let seed = ArnImport {
        arn,
        id: arn,
        region: crate::provider::region::from_arn(arn),
    };
    Ok(crate::plugin::model::to_value(
        &seed,
        &schema.implied_type(),
    )?)
}

/// The filters of `list` blocks of a type with named revisions (also used
/// by the observability configuration).
pub(crate) fn revisioned_list_filters(what: &str) -> crate::plugin::Block {
    use crate::apprunner::revisions::{NAME_PATTERN, NAME_RULE};
    use crate::plugin::{Attribute, Block};
    use crate::provider::{attributes, listing};
    Block::new()
        .description(format!(
            "Lists the active {what} revisions of a region (App Runner's own `DefaultConfiguration` left out)."
        ))
        .attribute(
            attributes::name("name", 32, NAME_PATTERN, NAME_RULE)
                .optional()
                .description("Only revisions of this name."),
        )
        .attribute(listing::name_prefix_attribute("revisions"))
        .attribute(
            Attribute::bool("latest_only")
                .optional()
                .description("Only the latest revision of each name (default false: every active revision)."),
        )
}

/// The ARNs of the revisions of `region` a `list` block's `config` asks
/// for (never App Runner's own `DefaultConfiguration`), at most `limit`.
pub(crate) async fn listed_revisions<K: crate::apprunner::revisions::Revisioned>(
    query: &crate::provider::listing::RegionQuery<'_>,
) -> Result<Vec<String>, crate::plugin::Diagnostics> {
    use crate::apprunner::revisions::{APP_RUNNER_DEFAULT, RevisionSummary};

    #[derive(serde::Deserialize)]
    struct Filters {
        name: Option<String>,
        latest_only: Option<bool>,
    }
    let filters: Filters = crate::plugin::model::from_value(query.config)?;
    let found = crate::apprunner::revisions::list::<K>(
        query.provider,
        query.region,
        filters.name.as_deref(),
        filters.latest_only,
        query.region,
        query.limit,
        |c| {
            let name = c.name().unwrap_or_default();
            name != APP_RUNNER_DEFAULT && query.has_prefix(name)
        },
    )
    .await?;
    Ok(found
        .iter()
        .filter_map(|c| c.arn().map(str::to_string))
        .collect())
}
