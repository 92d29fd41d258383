//! Logs as go-plugin's host reads them: one hclog-style JSON object per line
//! on stderr (`@level`, `@message`, `@timestamp`, `@module`, plus fields).
//! Terraform re-logs each line at its level; `TF_LOG_PROVIDER_<NAME>`
//! (else `TF_LOG_PROVIDER`, else `TF_LOG`) chooses how much the provider
//! emits.
//!
//! Written by hand because no maintained crate writes hclog's JSON shape;
//! it is a small `tracing` layer.
//!
//! No secret reaches the log: values registered with [`redact`]
//! (credentials, environment variable values) are replaced in every line,
//! and the HTTP and SDK libraries, whose trace level dumps requests and
//! responses, log at most at debug level.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::RwLock;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// The level chosen by `TF_LOG_PROVIDER_<NAME>` (the provider's own
/// variable, as Terraform's providers have: `<NAME>` is the last part of
/// its source `address`, upper-cased), `TF_LOG_PROVIDER` or `TF_LOG`
/// (default: warnings).
pub fn level_from_env(address: &str) -> LevelFilter {
    let own = own_variable(address);
    let raw = [own.as_str(), "TF_LOG_PROVIDER", "TF_LOG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_default();
    match raw.trim().to_ascii_uppercase().as_str() {
        "TRACE" | "JSON" => LevelFilter::TRACE,
        "DEBUG" => LevelFilter::DEBUG,
        "INFO" => LevelFilter::INFO,
        "WARN" => LevelFilter::WARN,
        "ERROR" => LevelFilter::ERROR,
        "OFF" => LevelFilter::OFF,
        _ => LevelFilter::WARN,
    }
}

/// `TF_LOG_PROVIDER_<NAME>` for the provider at `address`, e.g.
/// `registry.terraform.io/ns/my-cloud` → `TF_LOG_PROVIDER_MY_CLOUD`.
fn own_variable(address: &str) -> String {
    let name = address.rsplit('/').next().unwrap_or(address);
    format!(
        "TF_LOG_PROVIDER_{}",
        name.to_ascii_uppercase().replace('-', "_")
    )
}

/// Installs the hclog JSON writer for `module` (e.g. `provider.example`).
/// Values never to be written to the log; see [`redact`].
static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// What a redacted value is logged as.
const REDACTED: &str = "[REDACTED]";

/// Shorter values are not redacted: replacing them everywhere would
/// garble the log while hiding next to nothing.
const MIN_SECRET_LEN: usize = 3;

/// Registers `secret` so that no later log line shows it.
pub fn redact(secret: &str) {
    if secret.len() < MIN_SECRET_LEN {
        return;
    }
    let mut secrets = SECRETS
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !secrets.iter().any(|s| s == secret) {
        secrets.push(secret.to_string());
        // Longest first, so a secret that contains another goes whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }
}

/// `line` with every registered secret (as is, or escaped as in JSON or
/// Rust's debug output, as values appear in log fields) replaced.
fn redacted(mut line: String) -> String {
    let secrets = SECRETS
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for secret in secrets.iter() {
        if line.contains(secret.as_str()) {
            line = line.replace(secret.as_str(), REDACTED);
        }
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json = json.trim_matches('"');
        if json != secret && line.contains(json) {
            line = line.replace(json, REDACTED);
        }
        // Escaped once more when a debug-printed value lands in a JSON field.
        let twice = serde_json::to_string(json).unwrap_or_default();
        let twice = twice.trim_matches('"');
        if twice != json && line.contains(twice) {
            line = line.replace(twice, REDACTED);
        }
    }
    line
}

/// Libraries whose trace (and some debug) output holds request and
/// response headers and bodies: capped at debug level. Every AWS SDK
/// service crate (`aws_sdk_*`) counts too.
const WIRE_LEVEL_TARGETS: &[&str] = &[
    "aws_smithy_runtime",
    "aws_smithy_http",
    "aws_smithy_http_client",
    "aws_smithy_runtime_api",
    "aws_smithy_types",
    "aws_sigv4",
    "aws_runtime",
    "aws_config",
    "hyper",
    "hyper_util",
    "h2",
    "rustls",
    "tower",
];

fn is_wire_level(target: &str) -> bool {
    target.starts_with("aws_sdk_")
        || WIRE_LEVEL_TARGETS.iter().any(|t| {
            target
                .strip_prefix(t)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
        })
}

pub fn init(module: &'static str, level: LevelFilter) {
    let _ = tracing_subscriber::registry()
        .with(HclogLayer { module }.with_filter(level))
        .try_init();
}

struct HclogLayer {
    module: &'static str,
}

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let metadata = event.metadata();
        if *metadata.level() > Level::DEBUG && is_wire_level(metadata.target()) {
            return;
        }
        let mut fields = JsonFields::default();
        event.record(&mut fields);
        let level = match *event.metadata().level() {
            Level::TRACE => "trace",
            Level::DEBUG => "debug",
            Level::INFO => "info",
            Level::WARN => "warn",
            Level::ERROR => "error",
        };
        let timestamp = hclog_timestamp(time::OffsetDateTime::now_utc());
        let mut line = serde_json::Map::new();
        line.insert("@level".into(), level.into());
        line.insert("@message".into(), fields.message.into());
        line.insert("@module".into(), self.module.into());
        line.insert("@timestamp".into(), timestamp.into());
        line.extend(fields.extra);
        let mut text = redacted(serde_json::Value::Object(line).to_string());
        text.push('\n');
        // One write per line so concurrent lines do not interleave.
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

/// hclog's timestamp layout, which go-plugin parses strictly (exactly six
/// fractional digits): a line it cannot parse is logged raw at debug level,
/// so an info or warning line would not show at `TF_LOG=info`.
fn hclog_timestamp(t: time::OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

#[derive(Default)]
struct JsonFields {
    message: String,
    extra: serde_json::Map<String, serde_json::Value>,
}

impl Visit for JsonFields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let mut s = String::new();
        let _ = write!(s, "{value:?}");
        if field.name() == "message" {
            self.message = s;
        } else {
            self.extra.insert(field.name().to_string(), s.into());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_string();
        } else {
            self.extra.insert(field.name().to_string(), value.into());
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.extra.insert(field.name().to_string(), value.into());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.extra.insert(field.name().to_string(), value.into());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.extra.insert(field.name().to_string(), value.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_providers_own_variable_comes_from_its_address() {
        assert_eq!(
            own_variable("registry.terraform.io/ns/my-cloud"),
            "TF_LOG_PROVIDER_MY_CLOUD"
        );
        assert_eq!(own_variable("example"), "TF_LOG_PROVIDER_EXAMPLE");
    }

    #[test]
    fn registered_secrets_never_reach_a_line() {
        redact("s3cr\"et/value");
        redact("ab");
        let line = serde_json::json!({
            "@message": "body",
            "raw": "x s3cr\"et/value y",
            "debug": format!("{:?}", "s3cr\"et/value"),
        })
        .to_string();
        let out = redacted(line);
        assert!(!out.contains("s3cr"), "{out}");
        assert!(out.contains(REDACTED));
        // Too short to redact.
        assert_eq!(redacted("ab cd".into()), "ab cd");
    }

    #[test]
    fn timestamps_have_the_layout_go_plugin_parses() {
        let t = time::OffsetDateTime::from_unix_timestamp_nanos(1_700_000_000_123_456_789).unwrap();
        assert_eq!(hclog_timestamp(t), "2023-11-14T22:13:20.123456Z");
    }

    #[test]
    fn wire_level_targets_are_matched_by_module() {
        assert!(is_wire_level("aws_smithy_runtime::client::orchestrator"));
        assert!(is_wire_level("hyper"));
        assert!(!is_wire_level("hyperion"));
        assert!(is_wire_level("aws_sdk_sts::operation::assume_role"));
        assert!(!is_wire_level("terraform_provider_example::provider"));
    }
}
