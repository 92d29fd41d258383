//! The HTTP layer: one port serving the AWS JSON 1.0 API (SigV4-signed
//! `POST /` with `X-Amz-Target: AppRunner.<Operation>`) and the unsigned
//! admin endpoint under `/_emulator/`. Faults that act on the transport
//! (latency, throttling, 5xx, a dropped response) are applied here.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use http::{Method, Request, Response};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::backend::{Backend, Ctx};
use super::errors::ApiError;
use super::faults::{ASYNC_OPERATIONS, FaultKind, Faults};
use super::{EmulatorConfig, admin, api, shapes};

const MAX_BODY: usize = 8 * 1024 * 1024;

/// State shared by all connections.
pub(crate) struct Shared {
    pub config: EmulatorConfig,
    pub backend: Mutex<Backend>,
    pub faults: Mutex<Faults>,
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
        })
    }

    /// Writes the state file (atomically) when persistence is on.
    pub fn save(&self, backend: &Backend) {
        let Some(path) = &self.config.state_file else {
            return;
        };
        let tmp = path.with_extension("tmp");
        let result = serde_json::to_vec(backend)
            .map_err(std::io::Error::other)
            .and_then(|bytes| std::fs::write(&tmp, bytes))
            .and_then(|_| std::fs::rename(&tmp, path));
        if let Err(e) = result {
            tracing::error!(path = %path.display(), error = %e, "could not save state");
        }
    }
}

/// Accepts connections until the future is dropped.
pub(crate) async fn run(shared: Arc<Shared>, listener: TcpListener) -> std::io::Result<()> {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(shared.clone(), req));
            if let Err(e) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(error = %e, "connection closed");
            }
        });
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

async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Reply {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return Ok(error_response(&ApiError::serialization(
                "Request body is too large or unreadable",
            )));
        }
    };
    if parts.uri.path().starts_with("/_emulator/") || parts.uri.path() == "/_emulator" {
        return Ok(admin::handle(
            &shared,
            &parts.method,
            parts.uri.path(),
            &body,
        ));
    }
    api_call(&shared, parts, body).await
}

async fn api_call(shared: &Shared, parts: http::request::Parts, body: Bytes) -> Reply {
    let uri = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let cfg = &shared.config;
    let signer = match super::sigv4::verify(
        parts.method.as_str(),
        uri,
        &parts.headers,
        &body,
        &cfg.access_key,
        &cfg.secret_key,
    ) {
        Ok(s) => s,
        Err(e) => {
            tracing::info!(code = e.code, message = %e.message, "request refused");
            return Ok(error_response(&e));
        }
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
        let mut f = shared.faults.lock().unwrap_or_else(PoisonError::into_inner);
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
        let mut backend = shared
            .backend
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let settled = backend.settle();
        let (outcome, rule) = if ASYNC_OPERATIONS.contains(&op) {
            shared
                .faults
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .outcome(op)
        } else {
            Default::default()
        };
        let ctx = Ctx {
            now: backend.now(),
            duration_ms: cfg.duration_for(op).as_millis() as i64,
            outcome,
        };
        let region = backend.region(&cfg.account_id, &signer.region);
        if let Some(arn) = input["ServiceArn"].as_str()
            && let Some(rule) = shared
                .faults
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .fire(op, FaultKind::Maintenance)
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
        if let (Err(_), Some(i)) = (&result, rule) {
            shared
                .faults
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .unfire(i);
        }
        if settled || (result.is_ok() && api::is_mutating(op)) {
            shared.save(&backend);
        }
        result
    };

    match result {
        Ok(out) => {
            tracing::info!(operation = op, region = %signer.region, "ok");
            let dropped = shared
                .faults
                .lock()
                .unwrap()
                .fire(op, FaultKind::DropResponse);
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
