//! A local AWS App Runner control plane, run as
//! `terraform-provider-apprunner emulator`.
//!
//! It speaks the real wire protocol (AWS JSON 1.0, `X-Amz-Target:
//! AppRunner.<Operation>`, SigV4) for all 37 operations of API version
//! 2020-05-15, applies the model's input rules and the service's own rules,
//! moves asynchronous operations through their statuses over a configurable
//! time, and injects faults on demand. It has no data plane: nothing runs.
//!
//! Layout (a backend apart from the wire layer, as moto does it):
//! - `backend`: the state model and the service's rules;
//! - `shapes`: the API model's input rules and the validator;
//! - `api` and `responses`: operations' input parsing and output shapes;
//! - `sts_api`: STS (GetCallerIdentity, AssumeRole,
//!   AssumeRoleWithWebIdentity) on its own Query/XML wire protocol;
//! - `sigv4`, `server`, `admin`, `faults`, `errors`: the transport.
//!
//! See docs/guides/local-control-plane.md for the user's guide.

mod admin;
mod api;
mod backend;
mod errors;
mod faults;
mod responses;
mod server;
mod shapes;
mod sigv4;
mod sts_api;

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

use faults::{ASYNC_OPERATIONS, FaultRule};

/// Command-line arguments of `terraform-provider-apprunner emulator`.
#[derive(clap::Args, Debug, Clone)]
pub struct EmulatorArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4599")]
    pub listen: String,

    /// Allow listening on a non-loopback address.
    #[arg(long)]
    pub allow_remote: bool,

    /// Access key ID that requests must be signed with.
    #[arg(long, value_name = "KEY", default_value = "test")]
    pub access_key: String,

    /// Secret access key that signatures are verified against.
    #[arg(long, value_name = "SECRET", default_value = "test")]
    pub secret_key: String,

    /// Account ID used in ARNs.
    #[arg(long, value_name = "ID", default_value = "123456789012")]
    pub account_id: String,

    /// How long each step of an asynchronous operation takes, e.g. `2s`,
    /// `500ms`, `0s`; or `OPERATION=DURATION` for one operation, e.g.
    /// `DeleteService=0s`. Repeatable.
    #[arg(long, value_name = "DURATION", default_value = "2s")]
    pub operation_duration: Vec<String>,

    /// Load state from this file at start and save it after every change.
    #[arg(long, value_name = "PATH")]
    pub state_file: Option<PathBuf>,

    /// Require this token, sent as the `x-emulator-admin-token` header, on
    /// every `/_emulator/` call; without it, only loopback peers may call.
    #[arg(long, value_name = "TOKEN", env = "APPRUNNER_EMULATOR_ADMIN_TOKEN")]
    pub admin_token: Option<String>,

    /// Close a connection that sends no complete request headers for this
    /// long (idle keep-alive connections included); a request body must
    /// also arrive within it.
    #[arg(long, value_name = "DURATION", default_value = "30s")]
    pub idle_timeout: String,

    /// How many connections are served at once; more wait to be accepted.
    #[arg(long, value_name = "N", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(1..=65_536))]
    pub max_connections: u32,

    /// Serve HTTPS with this PEM certificate (chain), e.g. to test clients'
    /// CA bundles; needs --tls-key.
    #[arg(long, value_name = "PATH", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "PATH", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// A fault rule, `KIND[:OPERATION][,rate=P][,count=N][,latency_ms=MS][,status=5XX]`,
    /// e.g. `throttle:CreateService,rate=0.5`. Repeatable.
    #[arg(long, value_name = "RULE")]
    pub fault: Vec<String>,
}

/// Configuration of a control plane; build it with
/// [`EmulatorConfig::from_args`] or start from [`Default`].
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub access_key: String,
    pub secret_key: String,
    pub account_id: String,
    /// Duration of each step of an asynchronous operation.
    pub operation_duration: Duration,
    /// Optional persistence.
    pub state_file: Option<PathBuf>,
    /// Per-operation durations, by operation name.
    durations: BTreeMap<String, Duration>,
    faults: Vec<FaultRule>,
    /// Token required on admin calls; `None` admits loopback peers only.
    pub admin_token: Option<String>,
    /// See [`EmulatorArgs::idle_timeout`].
    pub idle_timeout: Duration,
    pub max_connections: usize,
    /// Set to serve HTTPS (`--tls-cert`, `--tls-key`).
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            access_key: "test".into(),
            secret_key: "test".into(),
            account_id: "123456789012".into(),
            operation_duration: Duration::from_secs(2),
            state_file: None,
            durations: BTreeMap::new(),
            faults: vec![],
            admin_token: None,
            idle_timeout: Duration::from_secs(30),
            max_connections: 256,
            tls: None,
        }
    }
}

impl EmulatorConfig {
    /// Checks and converts command-line arguments.
    pub fn from_args(args: &EmulatorArgs) -> Result<EmulatorConfig, String> {
        if args.account_id.len() != 12 || !args.account_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "--account-id must be 12 digits, got {:?}",
                args.account_id
            ));
        }
        let defaults = EmulatorConfig::default();
        if args.allow_remote
            && (args.access_key == defaults.access_key || args.secret_key == defaults.secret_key)
        {
            return Err(format!(
                "--allow-remote needs credentials of your own: anyone who can reach the port could sign with the default {}/{}; pass --access-key and --secret-key",
                defaults.access_key, defaults.secret_key
            ));
        }
        if args.admin_token.as_deref().is_some_and(str::is_empty) {
            return Err("--admin-token must not be empty".into());
        }
        let idle_timeout =
            parse_duration(&args.idle_timeout).map_err(|e| format!("--idle-timeout: {e}"))?;
        if idle_timeout.is_zero() {
            return Err("--idle-timeout must be more than 0s".into());
        }
        let mut config = EmulatorConfig {
            access_key: args.access_key.clone(),
            secret_key: args.secret_key.clone(),
            account_id: args.account_id.clone(),
            state_file: args.state_file.clone(),
            admin_token: args.admin_token.clone(),
            idle_timeout,
            max_connections: args.max_connections as usize,
            tls: match (&args.tls_cert, &args.tls_key) {
                (Some(cert), Some(key)) => Some(tls_config(cert, key)?),
                _ => None,
            },
            ..defaults
        };
        for d in &args.operation_duration {
            match d.split_once('=') {
                Some((op, d)) => {
                    if !ASYNC_OPERATIONS.contains(&op) {
                        return Err(format!(
                            "--operation-duration: {op} starts no asynchronous work; use one of {}",
                            ASYNC_OPERATIONS.join(", ")
                        ));
                    }
                    config.durations.insert(op.to_string(), parse_duration(d)?);
                }
                None => config.operation_duration = parse_duration(d)?,
            }
        }
        for f in &args.fault {
            config
                .faults
                .push(FaultRule::parse(f).map_err(|e| format!("--fault {f:?}: {e}"))?);
        }
        Ok(config)
    }

    fn duration_for(&self, operation: &str) -> Duration {
        self.durations
            .get(operation)
            .copied()
            .unwrap_or(self.operation_duration)
    }
}

/// The TLS settings of `--tls-cert` and `--tls-key`.
fn tls_config(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> Result<Arc<rustls::ServerConfig>, String> {
    let read = |path: &std::path::Path| {
        std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))
    };
    let cert_pem = read(cert)?;
    let certs = rustls_pemfile::certs(&mut cert_pem.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("--tls-cert {}: {e}", cert.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "--tls-cert {} holds no PEM certificate",
            cert.display()
        ));
    }
    let key_pem = read(key)?;
    let key_der = rustls_pemfile::private_key(&mut key_pem.as_slice())
        .map_err(|e| format!("--tls-key {}: {e}", key.display()))?
        .ok_or_else(|| format!("--tls-key {} holds no PEM private key", key.display()))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certs, key_der)
        .map_err(|e| format!("--tls-cert/--tls-key: {e}"))?;
    Ok(Arc::new(config))
}

/// The longest operation step a flag may ask for. Bounding it keeps every
/// due time (`now + duration`) far inside `i64` milliseconds.
pub(crate) const MAX_OPERATION_DURATION: Duration = Duration::from_secs(24 * 3600);

/// Parses `500ms`, `2s`, `1.5s`, `1m` or `1h`, up to
/// [`MAX_OPERATION_DURATION`].
fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let bad = || format!("invalid duration {text:?} (expected e.g. 500ms, 2s, 1m)");
    let (num, unit) = match t.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => t.split_at(i),
        None => return Err(bad()),
    };
    let n: f64 = num.parse().map_err(|_| bad())?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(bad()),
    };
    match Duration::try_from_secs_f64(secs) {
        Ok(d) if d <= MAX_OPERATION_DURATION => Ok(d),
        _ => Err(format!(
            "invalid duration {text:?}: at most {}h",
            MAX_OPERATION_DURATION.as_secs() / 3600
        )),
    }
}

/// Serves the control plane on `listener` until the returned future is
/// dropped (or accepting fails for good). Fails at once if the state file
/// cannot be read.
pub async fn serve(config: EmulatorConfig, listener: TcpListener) -> std::io::Result<()> {
    let shared = server::Shared::new(config).map_err(std::io::Error::other)?;
    server::run(Arc::new(shared), listener).await
}

/// The input rules this control plane enforces, in the vocabulary of the
/// published API model (`operations` → input shape; `shapes` → `type`,
/// `members`, `required`, `min`, `max`, `pattern`, `enum`, …), so that they
/// can be checked against the model.
pub fn input_rules() -> serde_json::Value {
    shapes::rules_as_json()
}

async fn resolve_listen(listen: &str, allow_remote: bool) -> Result<SocketAddr, String> {
    let addr = tokio::net::lookup_host(listen)
        .await
        .map_err(|e| format!("--listen {listen:?}: {e}"))?
        .next()
        .ok_or_else(|| format!("--listen {listen:?}: no address"))?;
    if !addr.ip().is_loopback() && !allow_remote {
        return Err(format!(
            "refusing to listen on {addr}, which is not a loopback address; pass --allow-remote to allow it"
        ));
    }
    Ok(addr)
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Runs the control plane until SIGINT or SIGTERM.
pub fn main(args: EmulatorArgs) -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .try_init();
    let fail = |message: String| {
        eprintln!("error: {message}");
        ExitCode::FAILURE
    };
    // Flags that parse but make no sense are usage errors, as clap's own.
    let usage = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    };
    let config = match EmulatorConfig::from_args(&args) {
        Ok(c) => c,
        Err(e) => return usage(e),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(format!("starting the runtime: {e}")),
    };
    let code = runtime.block_on(async move {
        let addr = match resolve_listen(&args.listen, args.allow_remote).await {
            Ok(a) => a,
            Err(e) => return usage(e),
        };
        let listener = match TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => return fail(format!("listening on {addr}: {e}")),
        };
        let local = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => return fail(format!("listening on {addr}: {e}")),
        };
        let tls = config.tls.is_some();
        let shared = match server::Shared::new(config) {
            Ok(s) => Arc::new(s),
            Err(e) => return fail(e),
        };
        {
            let mut out = std::io::stdout().lock();
            let scheme = if tls { "https" } else { "http" };
            let _ = writeln!(out, "apprunner emulator listening on {scheme}://{local}");
            let _ = out.flush();
        }
        tracing::info!(address = %local, "serving the App Runner API and /_emulator/");
        tokio::select! {
            r = server::run(shared, listener) => match r {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(format!("serving: {e}")),
            },
            _ = shutdown_signal() => {
                tracing::info!("shutting down");
                ExitCode::SUCCESS
            }
        }
    });
    // Open connections must not hold up the exit.
    runtime.shutdown_timeout(Duration::from_millis(500));
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("0s").unwrap(), Duration::ZERO);
        assert_eq!(parse_duration("1m").unwrap(), Duration::from_secs(60));
        assert!(parse_duration("2").is_err());
        assert!(parse_duration("fast").is_err());
        assert_eq!(parse_duration("24h").unwrap(), MAX_OPERATION_DURATION);
        for huge in ["25h", "1e400s", "99999999999999999999999h", "1.8e308s"] {
            assert!(parse_duration(huge).is_err(), "{huge}");
        }
    }
}
