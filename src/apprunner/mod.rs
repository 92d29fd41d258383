//! Access to App Runner objects, one module per kind: describe, find by
//! name, list, follow operations and wait, and find what a create whose
//! answer was lost made. Resources, data sources and list blocks reach App
//! Runner through here, never through each other. Each module also maps
//! its kind's API type to the attributes its resource and data source
//! share (typed models, see [`crate::plugin::model`]).
//!
//! Every list follows App Runner's pages with the SDK's paginators
//! (`into_paginator().send()`, which follows NextToken past short and
//! empty pages), through [`collect`] or, where some errors are an answer,
//! [`try_collect`] and [`try_pages`].

pub mod auto_scaling_configuration;
pub mod connection;
pub mod create;
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
use crate::provider::errors::{api_error, is_not_found};

/// The pages a paginator's stream yields.
pub type Pages<O, E> = PaginationStream<Result<O, SdkError<E, HttpResponse>>>;

/// Hands each page of `stream` to `each` until the pages end or `each`
/// breaks. A failed page ends the walk with App Runner's error, for
/// callers that take some errors (an object gone) as an answer.
pub async fn try_pages<O, E>(
    mut stream: Pages<O, E>,
    mut each: impl FnMut(O) -> ControlFlow<()>,
) -> Result<(), SdkError<E, HttpResponse>> {
    while let Some(page) = stream.next().await {
        if each(page?).is_break() {
            break;
        }
    }
    Ok(())
}

/// The items (`items` of each page) that `wanted` keeps, at most `limit`,
/// in App Runner's order; a failed page is an error naming `operation`
/// and `resource`.
pub async fn collect<O, E, T: Clone>(
    stream: Pages<O, E>,
    operation: &str,
    resource: &str,
    limit: usize,
    items: impl Fn(&O) -> &[T],
    wanted: impl Fn(&T) -> bool,
) -> Result<Vec<T>, Diagnostics>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let (kept, walked) = try_collect(stream, limit, items, wanted).await;
    walked.map_err(|e| api_error(operation, resource, e))?;
    Ok(kept)
}

/// [`collect`], answering what was kept with the error that ended the
/// walk early, if one did.
pub async fn try_collect<O, E, T: Clone>(
    stream: Pages<O, E>,
    limit: usize,
    items: impl Fn(&O) -> &[T],
    wanted: impl Fn(&T) -> bool,
) -> (Vec<T>, Result<(), SdkError<E, HttpResponse>>) {
    let mut kept = Vec::new();
    let walked = try_pages(stream, |page| {
        keep_wanted(&mut kept, items(&page), &wanted, limit)
    })
    .await;
    (kept, walked)
}

/// Keeps the `items` that `wanted` keeps and says whether `limit` items
/// are kept now.
pub fn keep_wanted<T: Clone>(
    kept: &mut Vec<T>,
    items: &[T],
    wanted: impl Fn(&T) -> bool,
    limit: usize,
) -> ControlFlow<()> {
    for item in items.iter().filter(|i| wanted(i)) {
        if kept.len() >= limit {
            break;
        }
        kept.push(item.clone());
    }
    if kept.len() >= limit {
        ControlFlow::Break(())
    } else {
        ControlFlow::Continue(())
    }
}

/// App Runner's answer, or `None` when it does not know the object
/// (describing or deleting what is gone); other errors name `operation`
/// and `resource`.
pub fn unless_not_found<T, E>(
    answer: Result<T, SdkError<E, HttpResponse>>,
    operation: &str,
    resource: &str,
) -> Result<Option<T>, Diagnostic>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match answer {
        Ok(out) => Ok(Some(out)),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(api_error(operation, resource, e)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_apprunner::operation::list_services::ListServicesError;
    use aws_smithy_async::future::pagination_stream::fn_stream::FnStream;

    /// A paginator's stream yielding `book`'s pages.
    fn stream(book: &[&[i32]]) -> Pages<Vec<i32>, ListServicesError> {
        let book: Vec<Vec<i32>> = book.iter().map(|p| p.to_vec()).collect();
        PaginationStream::new(FnStream::new(|tx| {
            Box::pin(async move {
                for page in book {
                    if tx.send(Ok(page)).await.is_err() {
                        return;
                    }
                }
            })
        }))
    }

    fn items(page: &Vec<i32>) -> &[i32] {
        page
    }

    #[tokio::test]
    async fn collect_keeps_what_is_wanted_across_pages_up_to_the_limit() {
        let book: &[&[i32]] = &[&[1, 2], &[], &[3, 4], &[5]];
        let all = collect(stream(book), "ListServices", "r", usize::MAX, items, |_| {
            true
        });
        assert_eq!(all.await.unwrap(), [1, 2, 3, 4, 5]);
        let odd = collect(stream(book), "ListServices", "r", 10, items, |i| i % 2 == 1);
        assert_eq!(odd.await.unwrap(), [1, 3, 5]);
        let first = collect(stream(book), "ListServices", "r", 3, items, |_| true);
        assert_eq!(first.await.unwrap(), [1, 2, 3]);
    }
}
