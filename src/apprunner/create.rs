//! Creating an object of any kind: one create call, sent through
//! [`calls::create_or_adopt`] so a lost answer adopts what it made.

use std::future::Future;
use std::time::Duration;

use aws_sdk_apprunner::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use super::first;
use crate::plugin::{Ctx, Diagnostic, Diagnostics};
use crate::provider::AppRunner;
use crate::provider::calls::{self, CreateFailed};

/// What one attempt of a create answers: the object made (`None` when
/// the answer holds none), or App Runner's error.
pub type Attempt<T, E> = Result<Option<T>, SdkError<E, HttpResponse>>;

/// Creates `name` with `send` (one attempt of `operation`, whose answer
/// holds the object) and adopts what `find` finds after an answer that may
/// have been lost. An answer without the object is an error that names it
/// as `what` ("connector", "configuration", …).
pub async fn create<T, E, S, SF, F, FF>(
    ctx: &Ctx<AppRunner>,
    operation: &str,
    what: &str,
    name: &str,
    timeout: Duration,
    send: S,
    mut find: F,
) -> Result<T, CreateFailed<T>>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    S: FnMut() -> SF,
    SF: Future<Output = Attempt<T, E>>,
    F: FnMut() -> FF,
    FF: Future<Output = Result<Option<T>, Diagnostics>>,
{
    let created = calls::create_or_adopt(ctx, operation, name, timeout, send, || {
        let found = find();
        async { found.await.map(|made| made.map(Some)).map_err(first) }
    })
    .await;
    match created {
        Ok(Some(made)) => Ok(made),
        Ok(None) => Err(CreateFailed::nothing(Diagnostic::error(
            format!("App Runner {operation} returned no {what}"),
            format!("Creating {name} gave an empty answer."),
        ))),
        Err(CreateFailed { made, diagnostic }) => Err(CreateFailed {
            made: made.flatten(),
            diagnostic,
        }),
    }
}
