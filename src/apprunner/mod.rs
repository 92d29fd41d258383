//! Access to App Runner objects, one module per kind: describe, find by
//! name, list, follow operations and wait, and find what a create whose
//! answer was lost made. Resources, data sources and list blocks reach App
//! Runner through here, never through each other. Each module also maps
//! its kind's API type to the attributes its resource and data source
//! share (typed models, see [`crate::plugin::model`]).
//!
//! Lists follow App Runner's pages with the SDK's paginators, through
//! [`pages`], or with [`crate::provider::listing::pages`].

pub mod auto_scaling_configuration;
pub mod connection;
pub mod custom_domain;
pub mod deployment;
pub mod observability_configuration;
pub mod operation;
pub mod revisions;
pub mod service;
pub mod superseded;
pub mod vpc_connector;
pub mod vpc_ingress_connection;

use std::ops::ControlFlow;

use aws_sdk_apprunner::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::plugin::{Diagnostic, Diagnostics};
use crate::provider::errors::api_error;

/// Hands each page of a paginator's stream to `each` until the pages end
/// or `each` breaks; a failed page is an error naming `operation` and
/// `resource`.
pub async fn pages<O, E>(
    mut stream: PaginationStream<Result<O, SdkError<E, HttpResponse>>>,
    operation: &str,
    resource: &str,
    mut each: impl FnMut(O) -> ControlFlow<()>,
) -> Result<(), Diagnostics>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    while let Some(page) = stream.next().await {
        let page = page.map_err(|e| Diagnostics::from(api_error(operation, resource, e)))?;
        if each(page).is_break() {
            break;
        }
    }
    Ok(())
}

/// Keeps `item` and says whether `limit` items are kept now.
pub fn keep<T>(kept: &mut Vec<T>, item: T, limit: usize) -> ControlFlow<()> {
    if kept.len() < limit {
        kept.push(item);
    }
    if kept.len() >= limit {
        ControlFlow::Break(())
    } else {
        ControlFlow::Continue(())
    }
}

/// The first diagnostic of `diags` (calls that fail give exactly one).
pub fn first(diags: Diagnostics) -> Diagnostic {
    diags
        .0
        .into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error("App Runner call failed", ""))
}

/// Whether an App Runner status is `status`, ignoring case (App Runner
/// writes some in lower case).
pub fn status_is<S: AsRef<str>>(status: Option<S>, wanted: &str) -> bool {
    status.is_some_and(|s| s.as_ref().eq_ignore_ascii_case(wanted))
}
