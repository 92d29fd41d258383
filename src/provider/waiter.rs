//! Waiting for App Runner's asynchronous work: poll with capped backoff
//! until done, failed, timed out or cancelled by Terraform.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::plugin::Diagnostic;

/// One look at the thing being waited for.
pub enum Poll<T> {
    /// Done, with the final result.
    Ready(T),
    /// Not yet; the status seen, for messages.
    Pending(String),
    /// It will never be ready.
    Failed(Diagnostic),
}

/// Why waiting ended without a result.
#[derive(Debug)]
pub enum WaitError {
    TimedOut { last_status: String },
    Cancelled { last_status: String },
    Failed(Diagnostic),
}

impl WaitError {
    /// A diagnostic saying what was waited for and how it ended.
    pub fn into_diagnostic(self, what: &str, timeout: Duration) -> Diagnostic {
        match self {
            WaitError::TimedOut { last_status } => Diagnostic::error(
                format!("Timed out waiting for {what}"),
                format!(
                    "Still {last_status} after {}. Raise the timeout in the resource's `timeouts` block if this \
                     operation legitimately takes longer.",
                    humanize(timeout)
                ),
            ),
            WaitError::Cancelled { last_status } => Diagnostic::error(
                format!("Stopped waiting for {what}"),
                format!(
                    "Terraform asked the provider to stop; the last status seen was {last_status}."
                ),
            ),
            WaitError::Failed(d) => d,
        }
    }
}

/// First delay between polls; it grows by half each time up to the cap.
const FIRST_DELAY: Duration = Duration::from_millis(200);
const MAX_DELAY: Duration = Duration::from_secs(10);

/// Polls `check` until it is ready, fails, `timeout` passes or `cancel` fires.
pub async fn wait_for<T, F, Fut>(
    cancel: &CancellationToken,
    timeout: Duration,
    mut check: F,
) -> Result<T, WaitError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Poll<T>>,
{
    let deadline = super::calls::deadline_after(timeout);
    let mut delay = FIRST_DELAY;
    let mut last_status = "not yet known".to_string();
    loop {
        // A look that hangs (a control plane that never answers) ends with
        // the deadline or Terraform's stop request too.
        last_status = match super::calls::bounded(cancel, deadline, check()).await {
            Ok(Poll::Ready(v)) => return Ok(v),
            Ok(Poll::Failed(d)) => return Err(WaitError::Failed(d)),
            Ok(Poll::Pending(status)) => status,
            Err(super::calls::Interrupted::Stopped) => {
                return Err(WaitError::Cancelled { last_status });
            }
            Err(super::calls::Interrupted::TimedOut) => {
                return Err(WaitError::TimedOut { last_status });
            }
        };
        let now = Instant::now();
        if now >= deadline {
            return Err(WaitError::TimedOut { last_status });
        }
        let sleep = delay.min(deadline - now);
        tokio::select! {
            _ = cancel.cancelled() => return Err(WaitError::Cancelled { last_status }),
            _ = tokio::time::sleep(sleep) => {}
        }
        delay = (delay * 3 / 2).min(MAX_DELAY);
    }
}

/// "20m", "1h30m", "45s".
pub fn humanize(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn times_out_with_the_last_status() {
        let cancel = CancellationToken::new();
        let err = wait_for(&cancel, Duration::from_secs(5), || async {
            Poll::<()>::Pending("OPERATION_IN_PROGRESS".into())
        })
        .await
        .unwrap_err();
        match err {
            WaitError::TimedOut { last_status } => assert_eq!(last_status, "OPERATION_IN_PROGRESS"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn stops_when_cancelled() {
        let cancel = CancellationToken::new();
        cancel.cancel();
        let err = wait_for(&cancel, Duration::from_secs(60), || async {
            Poll::<()>::Pending("x".into())
        })
        .await
        .unwrap_err();
        assert!(matches!(err, WaitError::Cancelled { .. }));
    }

    #[tokio::test(start_paused = true)]
    async fn a_look_that_never_ends_times_out() {
        let cancel = CancellationToken::new();
        let err = wait_for(&cancel, Duration::from_secs(5), || {
            std::future::pending::<Poll<()>>()
        })
        .await
        .unwrap_err();
        assert!(matches!(err, WaitError::TimedOut { .. }), "{err:?}");
    }

    #[test]
    fn durations_read_like_timeouts() {
        assert_eq!(humanize(Duration::from_secs(1200)), "20m");
        assert_eq!(humanize(Duration::from_secs(5430)), "1h30m30s");
    }
}
