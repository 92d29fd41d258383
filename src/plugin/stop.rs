//! Terraform's stop request (StopProvider, sent on Ctrl-C), as seen from
//! code deep inside a call.
//!
//! [`Ctx::cancellation`](super::Ctx::cancellation) hands the stop token to
//! the code a resource writes; but a client library's own waits (an SDK's
//! back-off between retries, say) run where no context reaches. The server
//! runs every request inside [`scoped`], so such code can ask [`requested`]
//! or wait on [`current`] and end at once when Terraform asks to stop.

use std::future::Future;

use tokio_util::sync::CancellationToken;

tokio::task_local! {
    static STOP: CancellationToken;
}

/// Runs `fut` with `token` as the stop request of everything it calls.
pub async fn scoped<F: Future>(token: CancellationToken, fut: F) -> F::Output {
    STOP.scope(token, fut).await
}

/// Runs `fut` out of reach of the current stop request: for the brief,
/// bounded look that must still happen after a stop (finding the object an
/// interrupted create made, so that it lands in state).
pub async fn shielded<F: Future>(fut: F) -> F::Output {
    STOP.scope(CancellationToken::new(), fut).await
}

/// The stop request of the current request, if the caller runs inside one.
pub fn current() -> Option<CancellationToken> {
    STOP.try_with(CancellationToken::clone).ok()
}

/// Whether Terraform has asked the current request to stop.
pub fn requested() -> bool {
    STOP.try_with(CancellationToken::is_cancelled)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stop_reaches_code_in_scope_but_not_shielded_code() {
        let token = CancellationToken::new();
        assert!(!requested());
        assert!(current().is_none());
        token.cancel();
        scoped(token, async {
            assert!(requested());
            assert!(current().is_some_and(|t| t.is_cancelled()));
            shielded(async { assert!(!requested()) }).await;
        })
        .await;
    }
}
