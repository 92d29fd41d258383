//! Bounds and safety for App Runner calls made on Terraform's behalf.
//!
//! - [`bounded`] races a call against Terraform's stop request
//!   (StopProvider, the context's cancellation token) and the operation's
//!   deadline, so neither a control plane that never answers nor Ctrl-C
//!   leaves Terraform waiting.
//! - [`create_or_adopt`] sends a create and, when it fails in a way that
//!   leaves open whether the object was made (timeout, reset, lost answer,
//!   5xx or throttling), looks the object up and adopts it: a lost answer
//!   never leads to a second object, nor to a failed apply while the
//!   object exists outside state. Every resource that creates something
//!   goes through it.
//! - [`stoppable`] makes every call of a client end at once on Terraform's
//!   stop request, even inside the SDK's own retries: its back-off between
//!   attempts (up to 20 s) is cut short and no further attempt is sent.

use std::future::Future;
use std::time::Duration;

use aws_sdk_apprunner::config::retry::RetryConfig;
use aws_sdk_apprunner::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep, Sleep};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::errors::api_error;
use super::waiter::humanize;
use crate::plugin::{Ctx, Diagnostic, stop};

use super::AppRunner;

/// How long a lookup may take after an interrupted create: long enough to
/// find what a healthy control plane made, short enough to give control
/// back to the user at once.
const LOOKUP_GRACE: Duration = Duration::from_secs(1);

/// A deadline `total` from now; saturates instead of overflowing.
pub fn deadline_after(total: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(total)
        // Far enough to never come, near enough to never overflow.
        .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 24 * 3600))
}

/// Why a bounded call ended without an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupted {
    /// Terraform asked the provider to stop.
    Stopped,
    /// The operation's deadline passed.
    TimedOut,
}

impl Interrupted {
    /// A diagnostic naming the call, what it was for, and the bound.
    pub fn diagnostic(self, operation: &str, resource: &str, timeout: Duration) -> Diagnostic {
        match self {
            Interrupted::Stopped => Diagnostic::error(
                format!("App Runner {operation} interrupted for {resource}"),
                "Terraform asked the provider to stop before App Runner answered.",
            ),
            Interrupted::TimedOut => Diagnostic::error(
                format!("Timed out: App Runner {operation} for {resource}"),
                format!(
                    "App Runner did not answer within the resource's timeout ({}). Check the network and the \
                     endpoint, or raise the matching setting of the resource's `timeouts` block.",
                    humanize(timeout)
                ),
            ),
        }
    }
}

/// Runs `call` until it ends, Terraform asks to stop, or `deadline` passes.
pub async fn bounded<F: Future>(
    cancel: &CancellationToken,
    deadline: Instant,
    call: F,
) -> Result<F::Output, Interrupted> {
    tokio::select! {
        out = call => Ok(out),
        _ = cancel.cancelled() => Err(Interrupted::Stopped),
        _ = tokio::time::sleep_until(deadline) => Err(Interrupted::TimedOut),
    }
}

/// Makes the clients built from `builder` give up on Terraform's stop
/// request ([`plugin::stop`](crate::plugin::stop)): the SDK's sleeps (its
/// back-off between retries, which would otherwise run out first) end at
/// once, and no attempt starts after the stop.
pub fn stoppable(
    builder: aws_sdk_apprunner::config::Builder,
) -> aws_sdk_apprunner::config::Builder {
    builder
        .sleep_impl(SharedAsyncSleep::new(SleepUntilStopped))
        .interceptor(NoAttemptAfterStop)
}

/// Tokio's sleep, ended early by the stop request of the request that
/// started it.
#[derive(Debug)]
struct SleepUntilStopped;

impl AsyncSleep for SleepUntilStopped {
    fn sleep(&self, duration: Duration) -> Sleep {
        // Read here, inside the calling request, not in the sleep's future.
        match stop::current() {
            Some(token) => Sleep::new(async move {
                tokio::select! {
                    _ = tokio::time::sleep(duration) => {}
                    _ = token.cancelled_owned() => {}
                }
            }),
            None => Sleep::new(tokio::time::sleep(duration)),
        }
    }
}

/// Refuses to send an attempt once Terraform has asked to stop.
#[derive(Debug)]
struct NoAttemptAfterStop;

impl Intercept for NoAttemptAfterStop {
    fn name(&self) -> &'static str {
        "NoAttemptAfterStop"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if stop::requested() {
            return Err("Terraform asked the provider to stop".into());
        }
        Ok(())
    }
}

/// [`bounded`] for a call that can fail: a failure after Terraform's stop
/// is the stop's doing (see [`stoppable`]), so it counts as the stop.
async fn bounded_call<T, E, F: Future<Output = Result<T, E>>>(
    cancel: &CancellationToken,
    deadline: Instant,
    call: F,
) -> Result<Result<T, E>, Interrupted> {
    match bounded(cancel, deadline, call).await {
        Ok(Err(_)) if cancel.is_cancelled() => Err(Interrupted::Stopped),
        other => other,
    }
}

/// A configuration override that makes the SDK send exactly one attempt;
/// [`create_or_adopt`] retries creates itself, looking up between attempts.
pub fn one_attempt() -> aws_sdk_apprunner::config::Builder {
    aws_sdk_apprunner::config::Builder::default().retry_config(RetryConfig::disabled())
}

/// Whether a failed call may have taken effect (its answer was lost) or
/// may succeed when sent again.
pub fn is_ambiguous<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> bool {
    match err {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(e) => {
            matches!(
                e.err().code(),
                Some(
                    "ThrottlingException"
                        | "InternalServiceErrorException"
                        | "ServiceUnavailableException"
                )
            ) || e.raw().status().as_u16() >= 500
        }
        _ => false,
    }
}

/// How a create that did not produce its object ended.
pub struct CreateFailed<T> {
    /// The object, when it was found after all (a create interrupted
    /// while App Runner was making it): it belongs in state, tainted.
    pub made: Option<T>,
    pub diagnostic: Diagnostic,
}

impl<T> CreateFailed<T> {
    /// A create that failed before anything was made.
    pub fn nothing(diagnostic: Diagnostic) -> Self {
        CreateFailed {
            made: None,
            diagnostic,
        }
    }
}

/// Sends a create with `send` (which must send one attempt: see
/// [`one_attempt`]) and retries it, up to the provider's retry budget,
/// while it fails in ways that may be retried. After any failure that
/// leaves open whether the object was made, `find` looks for it (by name
/// or ARN) before anything is sent again, and a found object is adopted;
/// after such a failure, any later refusal (typically "already exists")
/// also leads to a lookup. `find` must find only what this create made
/// (for a service, one that did not exist before the first attempt).
pub async fn create_or_adopt<T, E, S, SF, F, FF>(
    ctx: &Ctx<AppRunner>,
    operation: &str,
    resource: &str,
    timeout: Duration,
    mut send: S,
    mut find: F,
) -> Result<T, CreateFailed<T>>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    S: FnMut() -> SF,
    SF: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    F: FnMut() -> FF,
    FF: Future<Output = Result<Option<T>, Diagnostic>>,
{
    let cancel = ctx.cancellation();
    let deadline = deadline_after(timeout);
    let attempts = ctx.provider().max_attempts.max(1);
    let mut unsure = false;
    let mut delay = Duration::from_millis(250);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let err = match bounded_call(cancel, deadline, send()).await {
            Ok(Ok(made)) => return Ok(made),
            Ok(Err(e)) => e,
            Err(interrupted) => {
                // The request may have reached App Runner: look, briefly.
                return Err(CreateFailed {
                    made: last_look(&mut find).await,
                    diagnostic: interrupted.diagnostic(operation, resource, timeout),
                });
            }
        };
        let ambiguous = is_ambiguous(&err);
        if !(ambiguous || unsure) {
            return Err(CreateFailed::nothing(api_error(operation, resource, err)));
        }
        unsure = true;
        match bounded_call(cancel, deadline, find()).await {
            Ok(Ok(Some(made))) => {
                tracing::warn!(
                    operation,
                    resource,
                    attempt,
                    "the answer to the create was lost; adopting the object it made"
                );
                return Ok(made);
            }
            Ok(Ok(None)) => {}
            Ok(Err(d)) => return Err(CreateFailed::nothing(d)),
            Err(interrupted) => {
                // Stopped (or out of time) before the look ended: the
                // object may exist all the same.
                return Err(CreateFailed {
                    made: last_look(&mut find).await,
                    diagnostic: interrupted.diagnostic(operation, resource, timeout),
                });
            }
        }
        if !ambiguous || attempt >= attempts {
            return Err(CreateFailed::nothing(api_error(operation, resource, err)));
        }
        tracing::info!(
            operation,
            resource,
            attempt,
            error = %aws_smithy_types::error::display::DisplayErrorContext(&err),
            "create failed in a way that may be retried; nothing was made, sending it again"
        );
        if let Err(interrupted) = bounded(cancel, deadline, tokio::time::sleep(delay)).await {
            return Err(CreateFailed::nothing(
                interrupted.diagnostic(operation, resource, timeout),
            ));
        }
        delay = (delay * 2).min(Duration::from_secs(8));
    }
}

/// The look for what an interrupted create made: brief, and out of reach
/// of the stop request that interrupted it.
async fn last_look<T, F, FF>(find: &mut F) -> Option<T>
where
    F: FnMut() -> FF,
    FF: Future<Output = Result<Option<T>, Diagnostic>>,
{
    stop::shielded(tokio::time::timeout(LOOKUP_GRACE, find()))
        .await
        .ok()
        .and_then(Result::ok)
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn bounded_calls_end_at_the_deadline_or_on_stop() {
        let cancel = CancellationToken::new();
        let never = std::future::pending::<()>();
        let at = deadline_after(Duration::from_secs(5));
        assert_eq!(
            bounded(&cancel, at, never).await,
            Err(Interrupted::TimedOut)
        );
        cancel.cancel();
        let far = deadline_after(Duration::from_secs(3600));
        assert_eq!(
            bounded(&cancel, far, std::future::pending::<()>()).await,
            Err(Interrupted::Stopped)
        );
    }

    #[tokio::test]
    async fn absurd_deadlines_saturate() {
        let _ = deadline_after(Duration::MAX);
        let _ = deadline_after(Duration::from_secs(u64::MAX / 2));
    }
}
