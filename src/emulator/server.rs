//! The HTTP layer: one port serving the AWS JSON 1.0 API (SigV4-signed
//! `POST /` with `X-Amz-Target: AppRunner.<Operation>`) and the unsigned
//! admin endpoint under `/_emulator/`. Faults that act on the transport
//! (latency, throttling, 5xx, a dropped response) are applied here.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use http::{Method, Request, Response};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::backend::{Backend, Ctx, Principal};
use super::errors::ApiError;
use super::faults::{ASYNC_OPERATIONS, FaultKind, Faults};
use super::{EmulatorConfig, admin, api, shapes};

const MAX_BODY: usize = 8 * 1024 * 1024;

/// State shared by all connections.
pub(crate) struct Shared {
    pub config: EmulatorConfig,
    pub backend: Mutex<Backend>,
    pub faults: Mutex<Faults>,
    /// Held open for the lock on the state file (see [`lock_state_file`]).
    _state_lock: Option<File>,
}

/// The connection is closed without a response (`drop_response` fault).
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("response dropped by fault rule")
    }
}

impl std::error::Error for DropConnection {}

type Reply = Result<Response<Full<Bytes>>, DropConnection>;

impl Shared {
    pub fn new(config: EmulatorConfig) -> Result<Shared, String> {
        let state_lock = match &config.state_file {
            Some(path) => Some(lock_state_file(path)?),
            None => None,
        };
        let backend = match &config.state_file {
            Some(path) if path.exists() => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("reading {}: {e}", path.display()))?;
                serde_json::from_str(&text)
                    .map_err(|e| format!("state file {} is not valid: {e}", path.display()))?
            }
            _ => Backend::default(),
        };
        let faults = Faults {
            rules: config.faults.clone(),
        };
        Ok(Shared {
            config,
            backend: Mutex::new(backend),
            faults: Mutex::new(faults),
            _state_lock: state_lock,
        })
    }

    /// The state, locked; a lock poisoned by a panicked request is taken over.
    pub fn lock_backend(&self) -> MutexGuard<'_, Backend> {
        self.backend.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The fault rules, locked as [`Shared::lock_backend`] locks the state.
    pub fn lock_faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The state as it is now, to put back with [`Shared::keep`] if the
    /// change about to be made cannot be saved; `None` without a state file.
    pub fn snapshot(&self, backend: &Backend) -> Option<Vec<u8>> {
        self.config.state_file.as_ref()?;
        serde_json::to_vec(backend).ok()
    }

    /// Saves the state; when that fails, puts `snapshot` back (so that what
    /// is served is what is kept) and returns an AWS-shaped 500.
    pub fn keep(&self, backend: &mut Backend, snapshot: Option<Vec<u8>>) -> Result<(), ApiError> {
        let Err(e) = self.save(backend) else {
            return Ok(());
        };
        if let Some(old) = snapshot.and_then(|s| serde_json::from_slice(&s).ok()) {
            *backend = old;
        }
        Err(ApiError::internal(format!(
            "The change could not be saved, so it was not made: {e}"
        )))
    }

    /// Writes the state file when persistence is on: a uniquely named
    /// temporary file in the same folder, synced, renamed over the old one,
    /// then the folder synced, so that a crash leaves the old or the new
    /// state and never a torn one.
    pub fn save(&self, backend: &Backend) -> Result<(), String> {
        let Some(path) = &self.config.state_file else {
            return Ok(());
        };
        let result = serde_json::to_vec(backend)
            .map_err(std::io::Error::other)
            .and_then(|bytes| write_atomically(path, &bytes));
        result.map_err(|e| {
            tracing::error!(path = %path.display(), error = %e, "could not save state");
            format!("saving {}: {e}", path.display())
        })
    }
}

/// Takes an exclusive lock on `PATH.lock` for as long as the returned file
/// is open, so that two control planes never write the same state file.
/// The lock is the kernel's (`flock`), so a killed process leaves none.
fn lock_state_file(path: &Path) -> Result<File, String> {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    let lock_path = PathBuf::from(name);
    let file = private_options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| format!("opening {}: {e}", lock_path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(format!(
            "state file {} is in use by another control plane (it holds {})",
            path.display(),
            lock_path.display()
        )),
        Err(TryLockError::Error(e)) => Err(format!("locking {}: {e}", lock_path.display())),
    }
}

/// Options that create files readable by their owner only: the state holds
/// environment variables and other users' secrets.
fn private_options() -> OpenOptions {
    #[cfg_attr(not(unix), allow(unused_mut))] // only Unix has a mode to set
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the state file path names no file"))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        super::backend::hex_id()
    ));
    let written = private_options()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename is durable once the folder is.
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    Ok(())
}

/// Accepts connections until the future is dropped. At most
/// `max_connections` are served at once (the others wait in the listen
/// backlog); a connection that sends no complete request headers within
/// `idle_timeout`, idle between requests included, is closed.
pub(crate) async fn run(shared: Arc<Shared>, listener: TcpListener) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(shared.config.max_connections));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Ok(());
        };
        let (stream, peer) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let idle_timeout = shared.config.idle_timeout;
            match shared.config.tls.clone() {
                None => serve_connection(shared, peer, stream).await,
                Some(tls) => {
                    // The handshake is bounded like a request's headers.
                    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
                    match tokio::time::timeout(idle_timeout, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => serve_connection(shared, peer, stream).await,
                        Ok(Err(e)) => tracing::debug!(error = %e, "TLS handshake failed"),
                        Err(_) => tracing::debug!("TLS handshake timed out"),
                    }
                }
            }
            drop(slot);
        });
    }
}

/// Serves HTTP/1.1 requests on one connection, plain or TLS.
async fn serve_connection<S>(shared: Arc<Shared>, peer: SocketAddr, stream: S)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let idle_timeout = shared.config.idle_timeout;
    let service = service_fn(move |req| handle(shared.clone(), peer, req));
    if let Err(e) = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(idle_timeout)
        .serve_connection(TokioIo::new(stream), service)
        .await
    {
        tracing::debug!(error = %e, "connection closed");
    }
}

pub(crate) fn json_response(status: u16, body: &Value) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(
            serde_json::to_vec(body).expect("JSON serialises"),
        )))
        .expect("valid response")
}

fn api_response(status: u16, body: Vec<u8>, error: Option<&str>) -> Response<Full<Bytes>> {
    let mut b = Response::builder()
        .status(status)
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amzn-requestid", super::backend::uuid());
    if let Some(code) = error {
        b = b.header("x-amzn-errortype", code);
    }
    b.body(Full::new(Bytes::from(body)))
        .expect("valid response")
}

fn error_response(e: &ApiError) -> Response<Full<Bytes>> {
    api_response(e.status, e.body(), Some(e.code))
}

/// Reads a request body of at most [`MAX_BODY`] bytes within the idle
/// timeout; a declared length over the cap is refused before reading.
pub(crate) async fn read_body(
    shared: &Shared,
    headers: &http::HeaderMap,
    body: Incoming,
) -> Result<Bytes, ApiError> {
    let too_large = || ApiError::serialization("Request body is too large or unreadable");
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    match tokio::time::timeout(
        shared.config.idle_timeout,
        Limited::new(body, MAX_BODY).collect(),
    )
    .await
    {
        Ok(Ok(b)) => Ok(b.to_bytes()),
        Ok(Err(_)) => Err(too_large()),
        Err(_) => Err(ApiError::serialization(
            "Request body did not arrive in time",
        )),
    }
}

async fn handle(shared: Arc<Shared>, peer: SocketAddr, req: Request<Incoming>) -> Reply {
    let (parts, body) = req.into_parts();
    if parts.uri.path().starts_with("/_emulator/") || parts.uri.path() == "/_emulator" {
        if let Some(refused) = admin::refusal(&shared.config, peer.ip(), &parts.headers) {
            return Ok(refused);
        }
        let body = match read_body(&shared, &parts.headers, body).await {
            Ok(b) => b,
            Err(e) => return Ok(error_response(&e)),
        };
        return Ok(admin::handle(
            &shared,
            &parts.method,
            parts.uri.path(),
            &body,
        ));
    }
    api_call(&shared, parts, body).await
}

/// A signed request whose signature checked out: who made it, where
/// (the signing region), and its body.
pub(crate) struct Signed {
    pub principal: Principal,
    pub region: String,
    pub body: Bytes,
}

/// Checks a request's SigV4 signature for `service` against the control
/// plane's own key or the temporary credentials it handed out, reading the
/// body only once the headers pass.
pub(crate) async fn authenticate(
    shared: &Shared,
    parts: &http::request::Parts,
    body: Incoming,
    service: &str,
) -> Result<Signed, ApiError> {
    let cfg = &shared.config;
    let uri = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let (authenticated, (principal, secret)) =
        super::sigv4::authenticate(&parts.headers, service, |key, token| {
            let backend = shared.lock_backend();
            backend.sts.principal(
                (&cfg.access_key, &cfg.secret_key, &cfg.account_id),
                key,
                token,
                backend.now(),
            )
        })?;
    let body = read_body(shared, &parts.headers, body).await?;
    let signer =
        authenticated.verify(parts.method.as_str(), uri, &parts.headers, &body, &secret)?;
    Ok(Signed {
        principal,
        region: signer.region,
        body,
    })
}

async fn api_call(shared: &Shared, parts: http::request::Parts, body: Incoming) -> Reply {
    // App Runner names its operation in X-Amz-Target; STS's Query protocol
    // in a form body.
    if !parts.headers.contains_key("x-amz-target") {
        return Ok(super::sts_api::call(shared, parts, body).await);
    }
    let cfg = &shared.config;
    let refused = |e: ApiError| {
        tracing::info!(code = e.code, message = %e.message, "request refused");
        Ok(error_response(&e))
    };
    let Signed {
        principal,
        region: signing_region,
        body,
    } = match authenticate(shared, &parts, body, "apprunner").await {
        Ok(s) => s,
        Err(e) => return refused(e),
    };
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(op) = target
        .strip_prefix("AppRunner.")
        .filter(|op| shapes::input_shape(op).is_some())
    else {
        return Ok(error_response(&ApiError::unknown_operation(target)));
    };
    if parts.method != Method::POST {
        return Ok(error_response(&ApiError::serialization(
            "Only POST is supported",
        )));
    }

    // Transport faults come first, as they would at a real front end.
    let (latency, throttle, server_error) = {
        let mut f = shared.lock_faults();
        (
            f.fire(op, FaultKind::Latency),
            f.fire(op, FaultKind::Throttle),
            f.fire(op, FaultKind::ServerError),
        )
    };
    if let Some(rule) = latency {
        tokio::time::sleep(Duration::from_millis(rule.latency_ms.unwrap_or(1000))).await;
    }
    if throttle.is_some() {
        tracing::info!(operation = op, "fault: throttling");
        return Ok(error_response(&ApiError::throttling()));
    }
    if let Some(rule) = server_error {
        tracing::info!(operation = op, "fault: server error");
        let e = match rule.status.unwrap_or(500) {
            500 => ApiError::internal("An internal error occurred. Try again later."),
            503 => ApiError::new(
                "ServiceUnavailableException",
                503,
                "Service is unavailable. Try again later.",
            ),
            s => ApiError::new(
                "InternalServiceErrorException",
                s,
                "An internal error occurred. Try again later.",
            ),
        };
        return Ok(error_response(&e));
    }

    let input: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return Ok(error_response(&ApiError::serialization(format!(
                    "Request body is not valid JSON: {e}"
                ))));
            }
        }
    };
    if let Err(e) = shapes::validate(op, &input) {
        tracing::info!(operation = op, code = e.code, message = %e.message, "request refused");
        return Ok(error_response(&e));
    }

    let result = {
        let mut backend = shared.lock_backend();
        let snapshot = if api::is_mutating(op) {
            shared.snapshot(&backend)
        } else {
            None
        };
        let settled = backend.settle();
        let (outcome, rule) = if ASYNC_OPERATIONS.contains(&op) {
            shared.lock_faults().outcome(op)
        } else {
            Default::default()
        };
        let ctx = Ctx {
            now: backend.now(),
            duration_ms: i64::try_from(cfg.duration_for(op).as_millis()).unwrap_or(i64::MAX),
            outcome,
        };
        let region = backend.region(&principal.account, &signing_region);
        if let Some(arn) = input["ServiceArn"].as_str()
            && let Some(rule) = shared.lock_faults().fire(op, FaultKind::Maintenance)
        {
            let default_ms = ctx.duration_ms.saturating_mul(3);
            let ms = rule
                .duration_ms
                .map_or(default_ms, |ms| i64::try_from(ms).unwrap_or(i64::MAX));
            if region.start_maintenance(arn, ctx.now, ms) {
                tracing::info!(operation = op, service = arn, "fault: maintenance");
            }
        }
        let result = api::dispatch(region, &ctx, op, &input);
        let result = if result.is_ok() && api::is_mutating(op) {
            // Never acknowledge a change that was not kept.
            shared.keep(&mut backend, snapshot).and(result)
        } else {
            if settled {
                // Steps that came due are applied again after a restart
                // if this save fails; the call itself changed nothing.
                let _ = shared.save(&backend);
            }
            result
        };
        if let (Err(_), Some(i)) = (&result, rule) {
            shared.lock_faults().unfire(i);
        }
        result
    };

    match result {
        Ok(out) => {
            tracing::info!(operation = op, region = %signing_region, caller = %principal.arn, "ok");
            let dropped = shared.lock_faults().fire(op, FaultKind::DropResponse);
            if dropped.is_some() {
                tracing::info!(operation = op, "fault: response dropped after the change");
                return Err(DropConnection);
            }
            Ok(api_response(
                200,
                serde_json::to_vec(&out).expect("JSON serialises"),
                None,
            ))
        }
        Err(e) => {
            tracing::info!(operation = op, code = e.code, message = %e.message, "request refused");
            Ok(error_response(&e))
        }
    }
}
