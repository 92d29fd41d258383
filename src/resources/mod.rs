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
