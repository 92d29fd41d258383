//! Logs as go-plugin's host reads them: one hclog-style JSON object per line
//! on stderr (`@level`, `@message`, `@timestamp`, `@module`, plus fields).
//! Terraform re-logs each line at its level; `TF_LOG_PROVIDER` (else
//! `TF_LOG`) chooses how much the provider emits.
//!
//! Written by hand because no maintained crate writes hclog's JSON shape;
//! it is a small `tracing` layer.

use std::fmt::Write as _;
use std::io::Write as _;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// The level chosen by `TF_LOG_PROVIDER` or `TF_LOG` (default: warnings).
pub fn level_from_env() -> LevelFilter {
    let raw = std::env::var("TF_LOG_PROVIDER")
        .or_else(|_| std::env::var("TF_LOG"))
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

/// Installs the hclog JSON writer for `module` (e.g. `provider.apprunner`).
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
        let mut fields = JsonFields::default();
        event.record(&mut fields);
        let level = match *event.metadata().level() {
            Level::TRACE => "trace",
            Level::DEBUG => "debug",
            Level::INFO => "info",
            Level::WARN => "warn",
            Level::ERROR => "error",
        };
        let timestamp = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let mut line = serde_json::Map::new();
        line.insert("@level".into(), level.into());
        line.insert("@message".into(), fields.message.into());
        line.insert("@module".into(), self.module.into());
        line.insert("@timestamp".into(), timestamp.into());
        line.extend(fields.extra);
        let mut text = serde_json::Value::Object(line).to_string();
        text.push('\n');
        // One write per line so concurrent lines do not interleave.
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
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
