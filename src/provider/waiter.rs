//! Waiting for App Runner's asynchronous work: poll with capped backoff
//! until done, failed, timed out or cancelled by Terraform. Each poll is
//! logged at info level (resource, operation ID, status, elapsed time), so
//! a wait of many minutes shows its progress under `TF_LOG=INFO`.

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

/// What a wait is for, as its progress lines in the log name it.
#[derive(Clone, Copy, Debug)]
pub struct Waiting<'a> {
    /// What is awaited, e.g. "create the service".
    pub what: &'a str,
    /// The resource: its ARN, or its name when it has none yet.
    pub resource: &'a str,
    /// App Runner's ID of the operation followed, when there is one.
    pub operation_id: Option<&'a str>,
}

impl<'a> Waiting<'a> {
    pub fn on(what: &'a str, resource: &'a str) -> Self {
        Waiting {
            what,
            resource,
            operation_id: None,
        }
    }

    pub fn operation(self, operation_id: Option<&'a str>) -> Self {
        Waiting {
            operation_id,
            ..self
        }
    }

    /// Logs one poll's outcome (`status`) at info level.
    fn log_poll(&self, status: &str, elapsed: Duration) {
        tracing::info!(
            resource = self.resource,
            operation_id = self.operation_id.unwrap_or("none"),
            status,
            elapsed = %seconds(elapsed),
            "poll: {status} after {} ({})",
            seconds(elapsed),
            self.what,
        );
    }
}

/// "0.3s", "75.0s": elapsed time to a tenth of a second, for poll lines.
fn seconds(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
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

/// When to look again. App Runner reports no ETA, so the gap between polls
/// bounds how long an apply runs on after the work is done (half the gap on
/// average). Short operations get quick looks: the first gap is 250 ms and
/// grows by half up to 1 s. After `QUICK_PHASE` polls come every 2 s: lag
/// under a second on average, at most one read per 2 s per waiting resource.
const FIRST_DELAY: Duration = Duration::from_millis(250);
const QUICK_DELAY: Duration = Duration::from_secs(1);
const QUICK_PHASE: Duration = Duration::from_secs(10);
const STEADY_DELAY: Duration = Duration::from_secs(2);

/// The gap after the poll that started `elapsed` into the wait, following
/// a gap of `previous`.
fn next_delay(elapsed: Duration, previous: Duration) -> Duration {
    if elapsed >= QUICK_PHASE {
        STEADY_DELAY
    } else if previous.is_zero() {
        FIRST_DELAY
    } else {
        (previous * 3 / 2).min(QUICK_DELAY)
    }
}

/// Polls `check` until it is ready, fails, `timeout` passes or `cancel` fires.
///
/// Gaps are measured from the start of one poll to the start of the next, so
/// a slow answer does not add to the lag. A poll that took longer than its
/// gap (the SDK retrying a throttled or failed call with backoff) is followed
/// by a gap at least as long as it took: when App Runner throttles, the
/// waiter asks less often instead of adding to the load.
pub async fn wait_for<T, F, Fut>(
    cancel: &CancellationToken,
    timeout: Duration,
    waiting: Waiting<'_>,
    mut check: F,
) -> Result<T, WaitError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Poll<T>>,
{
    let began = Instant::now();
    let deadline = super::calls::deadline_after(timeout);
    let mut delay = Duration::ZERO;
    let mut last_status = "not yet known".to_string();
    loop {
        let polled = Instant::now();
        // A look that hangs (a control plane that never answers) ends with
        // the deadline or Terraform's stop request too.
        last_status = match super::calls::bounded(cancel, deadline, check()).await {
            Ok(Poll::Ready(v)) => {
                waiting.log_poll("done", began.elapsed());
                return Ok(v);
            }
            // A look that failed because Terraform asked to stop is a stop.
            Ok(Poll::Failed(_)) if cancel.is_cancelled() => {
                return Err(WaitError::Cancelled { last_status });
            }
            Ok(Poll::Failed(d)) => {
                waiting.log_poll("failed", began.elapsed());
                return Err(WaitError::Failed(d));
            }
            Ok(Poll::Pending(status)) => {
                waiting.log_poll(&status, began.elapsed());
                status
            }
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
        delay = next_delay(polled - began, delay);
        let took = now - polled;
        let next = if took > delay {
            now + took
        } else {
            polled + delay
        };
        tokio::select! {
            _ = cancel.cancelled() => return Err(WaitError::Cancelled { last_status }),
            _ = tokio::time::sleep_until(next.min(deadline)) => {}
        }
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

    const TEST: Waiting<'static> = Waiting {
        what: "a test",
        resource: "arn:aws:apprunner:us-east-1:123456789012:service/test/0",
        operation_id: None,
    };

    #[tokio::test(start_paused = true)]
    async fn times_out_with_the_last_status() {
        let cancel = CancellationToken::new();
        let err = wait_for(&cancel, Duration::from_secs(5), TEST, || async {
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
        let err = wait_for(&cancel, Duration::from_secs(60), TEST, || async {
            Poll::<()>::Pending("x".into())
        })
        .await
        .unwrap_err();
        assert!(matches!(err, WaitError::Cancelled { .. }));
    }

    #[tokio::test(start_paused = true)]
    async fn a_look_that_never_ends_times_out() {
        let cancel = CancellationToken::new();
        let err = wait_for(&cancel, Duration::from_secs(5), TEST, || {
            std::future::pending::<Poll<()>>()
        })
        .await
        .unwrap_err();
        assert!(matches!(err, WaitError::TimedOut { .. }), "{err:?}");
    }

    /// Start times of the polls of a wait that never ends, each poll
    /// taking `took(n)` for the n-th poll; the last one, at the deadline,
    /// is left out.
    async fn poll_times(wait: Duration, took: impl Fn(usize) -> Duration) -> Vec<Duration> {
        let began = Instant::now();
        let times = std::sync::Mutex::new(Vec::new());
        let cancel = CancellationToken::new();
        let _ = wait_for(&cancel, wait, TEST, || {
            let n = {
                let mut t = times.lock().unwrap();
                t.push(began.elapsed());
                t.len() - 1
            };
            let took = took(n);
            async move {
                tokio::time::sleep(took).await;
                Poll::<()>::Pending("OPERATION_IN_PROGRESS".into())
            }
        })
        .await;
        let mut times = times.into_inner().unwrap();
        times.pop();
        times
    }

    #[tokio::test(start_paused = true)]
    async fn polls_quickly_then_every_two_seconds() {
        let times = poll_times(Duration::from_secs(300), |_| Duration::ZERO).await;
        let early: Vec<_> = times.iter().take(5).map(|t| t.as_millis()).collect();
        // (Paused time rounds each sleep up to the millisecond.)
        assert_eq!(early, [0, 250, 625, 1188, 2032]);
        // Never more than a second between looks in the first 10 s.
        for pair in times.windows(2).filter(|p| p[1] <= QUICK_PHASE) {
            assert!(pair[1] - pair[0] <= QUICK_DELAY, "{pair:?}");
        }
        // After 10 s: one look per 2 s, so a 5 min wait polls at most 145 times after it.
        let late: Vec<_> = times.iter().filter(|t| **t > QUICK_PHASE).collect();
        for pair in late.windows(2) {
            assert_eq!(*pair[1] - *pair[0], STEADY_DELAY);
        }
        assert!(late.len() <= 145, "{} polls after 10 s", late.len());
    }

    #[tokio::test(start_paused = true)]
    async fn slow_answers_do_not_delay_the_schedule() {
        let times = poll_times(Duration::from_secs(60), |_| Duration::from_millis(300)).await;
        let late: Vec<_> = times.iter().filter(|t| **t > QUICK_PHASE).collect();
        for pair in late.windows(2) {
            assert_eq!(*pair[1] - *pair[0], STEADY_DELAY);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_poll_slowed_by_retries_is_followed_by_a_longer_gap() {
        // The SDK retried the 12th poll for 9 s (throttling backoff).
        let times = poll_times(Duration::from_secs(120), |n| {
            Duration::from_secs(if n == 12 { 9 } else { 0 })
        })
        .await;
        let gap_after = times[13] - times[12];
        assert!(gap_after >= Duration::from_secs(18), "{gap_after:?}");
        assert_eq!(times[14] - times[13], STEADY_DELAY);
    }

    #[tokio::test(start_paused = true)]
    async fn the_last_poll_comes_at_the_deadline() {
        let cancel = CancellationToken::new();
        let began = Instant::now();
        let last = std::sync::Mutex::new(Duration::ZERO);
        let _ = wait_for(&cancel, Duration::from_millis(11_500), TEST, || {
            *last.lock().unwrap() = began.elapsed();
            async { Poll::<()>::Pending("x".into()) }
        })
        .await;
        assert_eq!(*last.lock().unwrap(), Duration::from_millis(11_500));
    }

    #[test]
    fn durations_read_like_timeouts() {
        assert_eq!(humanize(Duration::from_secs(1200)), "20m");
        assert_eq!(humanize(Duration::from_secs(5430)), "1h30m30s");
    }
}
