//! Access to App Runner, one module per kind of object: describing,
//! finding by name, listing (every list follows App Runner's pages with
//! [`crate::provider::listing::pages`]), following operations and waiting,
//! and finding the object a create made when its answer was lost.
//! Resources, data sources and list blocks depend on this layer, never on
//! one another.

use crate::plugin::{Diagnostic, Diagnostics};

pub mod custom_domain;
pub mod deployment;
pub mod operation;
pub mod service;

/// The error a failed page walk reports: each page fails with one
/// diagnostic, which callers that answer a single one pass on.
fn first_error(diags: Diagnostics) -> Diagnostic {
    diags
        .0
        .into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error("App Runner call failed", ""))
}
