//! The admin endpoint under `/_emulator/` (no signature; loopback peers only,
//! or any peer with `--admin-token`): inspect every object held, reset,
//! manage fault rules, complete a connection handshake, publish custom
//! domains' validation records in DNS and advance the clock. Documented in
//! docs/guides/local-control-plane.md.

use std::net::IpAddr;

use http::{HeaderMap, Method, Response};
use http_body_util::Full;
use hyper::body::Bytes;
use serde_json::{Map, Value, json};

use super::EmulatorConfig;
use super::backend::{
    AutoScalingSettings, Backend, ObservabilitySettings, Region, Revision, Session,
};
use super::errors::ApiError;
use super::faults::FaultRule;
use super::responses::{self as out, ConfigShape};
use super::server::{Shared, json_response};

fn bad_request(message: impl Into<String>) -> Response<Full<Bytes>> {
    json_response(400, &json!({ "error": message.into() }))
}

/// The header that carries `--admin-token`.
pub(crate) const TOKEN_HEADER: &str = "x-emulator-admin-token";

/// Whether an admin call may proceed: with a configured token, only when
/// the call carries it (from any peer); without one, only from loopback.
fn admitted(token: Option<&str>, peer: IpAddr, given: Option<&[u8]>) -> bool {
    match token {
        Some(token) => given.is_some_and(|g| {
            // Constant time, so the token cannot be guessed byte by byte.
            g.len() == token.len()
                && g.iter()
                    .zip(token.as_bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        }),
        // An IPv4 peer of a dual-stack socket shows as ::ffff:127.0.0.1.
        None => peer.to_canonical().is_loopback(),
    }
}

/// The answer to an admin call that is not [`admitted`], given before its
/// body is read; `None` when the call may proceed.
pub(crate) fn refusal(
    config: &EmulatorConfig,
    peer: IpAddr,
    headers: &HeaderMap,
) -> Option<Response<Full<Bytes>>> {
    let given = headers.get(TOKEN_HEADER).map(|v| v.as_bytes());
    if admitted(config.admin_token.as_deref(), peer, given) {
        return None;
    }
    tracing::info!(%peer, "admin call refused");
    let message = if config.admin_token.is_some() {
        format!("the admin endpoint requires the {TOKEN_HEADER} header set by --admin-token")
    } else {
        "the admin endpoint answers loopback peers only (see --admin-token)".to_string()
    };
    Some(json_response(403, &json!({ "error": message })))
}

/// A change that could not be saved (and so was undone).
fn not_kept(e: &ApiError) -> Response<Full<Bytes>> {
    json_response(e.status, &json!({ "error": e.message }))
}

pub(crate) fn handle(
    shared: &Shared,
    method: &Method,
    path: &str,
    body: &[u8],
) -> Response<Full<Bytes>> {
    let input: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => return bad_request(format!("body is not valid JSON: {e}")),
        }
    };
    match (method.as_str(), path.trim_end_matches('/')) {
        ("GET", "/_emulator/health") => json_response(200, &json!({ "status": "ok" })),
        ("GET", "/_emulator/state") => {
            let mut backend = shared.lock_backend();
            if backend.settle() {
                // Due steps are applied again after a restart if this fails.
                let _ = shared.save(&backend);
            }
            json_response(200, &inspect(&backend, &shared.config.account_id))
        }
        ("POST", "/_emulator/reset") => {
            let mut backend = shared.lock_backend();
            let snapshot = shared.snapshot(&backend);
            *backend = Backend::default();
            if let Err(e) = shared.keep(&mut backend, snapshot) {
                return not_kept(&e);
            }
            json_response(200, &json!({ "reset": true }))
        }
        ("GET", "/_emulator/faults") => {
            json_response(200, &json!({ "rules": shared.lock_faults().rules }))
        }
        ("POST", "/_emulator/faults") => {
            let rules: Vec<FaultRule> = match serde_json::from_value(input["rules"].clone()) {
                Ok(r) => r,
                Err(e) => return bad_request(format!("expected {{\"rules\": [...]}}: {e}")),
            };
            if let Some(e) = rules.iter().find_map(|r| r.check().err()) {
                return bad_request(e);
            }
            let mut faults = shared.lock_faults();
            faults.rules.extend(rules);
            json_response(200, &json!({ "rules": faults.rules }))
        }
        ("DELETE", "/_emulator/faults") => {
            shared.lock_faults().rules.clear();
            json_response(200, &json!({ "rules": [] }))
        }
        ("POST", "/_emulator/connections/complete-handshake") => {
            let Some(arn) = input["connection_arn"].as_str() else {
                return bad_request("expected {\"connection_arn\": \"...\"}");
            };
            let mut backend = shared.lock_backend();
            let snapshot = shared.snapshot(&backend);
            let region = backend
                .regions
                .values_mut()
                .find(|r| r.connections.iter().any(|c| c.arn == arn));
            let Some(region) = region else {
                return json_response(404, &json!({ "error": format!("no connection {arn}") }));
            };
            match region.complete_handshake(arn) {
                Ok(c) => {
                    let v = out::connection(&c);
                    if let Err(e) = shared.keep(&mut backend, snapshot) {
                        return not_kept(&e);
                    }
                    json_response(200, &json!({ "Connection": v }))
                }
                Err(e) => json_response(409, &json!({ "error": e.message })),
            }
        }
        ("POST", "/_emulator/custom-domains/publish-dns") => publish_dns(shared, &input),
        ("POST", "/_emulator/maintenance") => {
            // Maintenance on demand: one service, or every live one.
            let arn = input.get("service_arn").and_then(Value::as_str);
            if input.get("service_arn").is_some_and(|v| !v.is_null()) && arn.is_none() {
                return bad_request("service_arn must be a string");
            }
            let default_ms = shared
                .config
                .duration_for("UpdateService")
                .as_millis()
                .saturating_mul(3);
            let ms = match input.get("duration_ms") {
                None | Some(Value::Null) => i64::try_from(default_ms).unwrap_or(i64::MAX),
                Some(v) => match v.as_u64() {
                    Some(ms) => i64::try_from(ms).unwrap_or(i64::MAX),
                    None => {
                        return bad_request("duration_ms must be a whole number of milliseconds");
                    }
                },
            };
            let mut backend = shared.lock_backend();
            let snapshot = shared.snapshot(&backend);
            backend.settle();
            let now = backend.now();
            let mut started = Vec::new();
            let mut known = false;
            for region in backend.regions.values_mut() {
                for service in region.live_service_arns() {
                    if arn.is_some_and(|a| a != service) {
                        continue;
                    }
                    known = true;
                    if region.start_maintenance(&service, now, ms) {
                        started.push(service);
                    }
                }
            }
            if let (Some(arn), false) = (arn, known) {
                return json_response(404, &json!({ "error": format!("no service {arn}") }));
            }
            if let Err(e) = shared.keep(&mut backend, snapshot) {
                return not_kept(&e);
            }
            json_response(200, &json!({ "services": started, "duration_ms": ms }))
        }
        ("POST", "/_emulator/clock/advance") => {
            let Some(ms) = advance_ms(&input) else {
                return bad_request(format!(
                    "expected {{\"seconds\": N}} or {{\"ms\": N}}, not negative and at most {MAX_CLOCK_OFFSET_MS} ms"
                ));
            };
            let mut backend = shared.lock_backend();
            let Some(offset) = backend
                .clock_offset_ms
                .checked_add(ms)
                .filter(|o| *o <= MAX_CLOCK_OFFSET_MS)
            else {
                return bad_request(format!(
                    "the clock would be more than {MAX_CLOCK_OFFSET_MS} ms ahead (now {} ms)",
                    backend.clock_offset_ms
                ));
            };
            let snapshot = shared.snapshot(&backend);
            backend.clock_offset_ms = offset;
            backend.settle();
            if let Err(e) = shared.keep(&mut backend, snapshot) {
                return not_kept(&e);
            }
            json_response(200, &json!({ "clock_offset_ms": backend.clock_offset_ms }))
        }
        _ => json_response(
            404,
            &json!({ "error": format!("no admin route {method} {path}") }),
        ),
    }
}

/// How far the clock may be advanced in all: about a century, which keeps
/// every time the backend computes far inside `i64` milliseconds.
const MAX_CLOCK_OFFSET_MS: i64 = 100 * 365 * 24 * 3600 * 1000;

/// The advance asked for by `{"seconds": N}` or `{"ms": N}`, in
/// milliseconds; `None` when negative, not a number or too large.
fn advance_ms(input: &Value) -> Option<i64> {
    let ms = match input["seconds"].as_f64() {
        Some(s) => {
            let ms = s * 1000.0;
            (ms.is_finite() && (0.0..=MAX_CLOCK_OFFSET_MS as f64).contains(&ms))
                .then_some(ms as i64)
        }
        None => input["ms"].as_i64(),
    }?;
    (0..=MAX_CLOCK_OFFSET_MS).contains(&ms).then_some(ms)
}

/// Kinds of object counted in `counts` and `total`.
const OBJECT_KINDS: &[&str] = &[
    "services",
    "auto_scaling_configurations",
    "observability_configurations",
    "vpc_connectors",
    "vpc_ingress_connections",
    "custom_domains",
    "connections",
];

/// Everything held, grouped by region and kind. Lists hold live objects
/// (deleted ones are under `deleted`); the built-in `DefaultConfiguration`
/// revisions are listed with `"Builtin": true` but not counted.
/// Stands for the custom domains' validation records being published in
/// DNS: every domain held, or those named by `domain_name` and/or
/// `service_arn`; with `"always": true`, every domain associated from now
/// on too (until a reset).
fn publish_dns(shared: &Shared, input: &Value) -> Response<Full<Bytes>> {
    let field = |name: &str| match &input[name] {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err(format!("{name} must be a string")),
    };
    let (domain, service) = match (field("domain_name"), field("service_arn")) {
        (Ok(d), Ok(s)) => (d, s),
        (Err(e), _) | (_, Err(e)) => return bad_request(e),
    };
    let always = match &input["always"] {
        Value::Null => false,
        Value::Bool(b) => *b,
        _ => return bad_request("always must be true or false"),
    };
    if always && (domain.is_some() || service.is_some()) {
        return bad_request(
            "always applies to every domain: give it without domain_name or service_arn",
        );
    }
    let mut backend = shared.lock_backend();
    let snapshot = shared.snapshot(&backend);
    backend.publish_dns_always |= always;
    backend.settle();
    let now = backend.now();
    let published: usize = backend
        .regions
        .values_mut()
        .map(|r| {
            r.publish_domain_dns(now, |d| {
                domain.as_ref().is_none_or(|n| d.domain_name == *n)
                    && service.as_ref().is_none_or(|s| d.service_arn == *s)
            })
        })
        .sum();
    if let Err(e) = shared.keep(&mut backend, snapshot) {
        return not_kept(&e);
    }
    json_response(
        200,
        &json!({ "published": published, "always": backend.publish_dns_always }),
    )
}

/// Everything held: the control plane's own account's objects by region
/// (`regions`), other accounts' (reached with assumed roles) by account and
/// region (`accounts`), counts over all, and the STS sessions handed out,
/// with what they were asked for but without their secrets.
pub(crate) fn inspect(backend: &Backend, own_account: &str) -> Value {
    let mut regions = Map::new();
    let mut accounts: Map<String, Value> = Map::new();
    let mut totals: Map<String, Value> = Map::new();
    for r in backend.regions.values() {
        let v = inspect_region(r);
        for (k, n) in v["counts"].as_object().expect("counts is an object") {
            let sum = totals.get(k).and_then(Value::as_u64).unwrap_or(0) + n.as_u64().unwrap_or(0);
            totals.insert(k.clone(), json!(sum));
        }
        if r.account == own_account {
            regions.insert(r.region.clone(), v);
        } else if let Value::Object(of_account) = accounts
            .entry(r.account.clone())
            .or_insert_with(|| json!({}))
        {
            of_account.insert(r.region.clone(), v);
        }
    }
    let total: u64 = OBJECT_KINDS
        .iter()
        .map(|k| totals.get(*k).and_then(Value::as_u64).unwrap_or(0))
        .sum();
    let sessions: Vec<Value> = backend.sts.sessions.iter().map(inspect_session).collect();
    json!({
        "regions": regions,
        "accounts": accounts,
        "counts": totals,
        "total": total,
        "clock_offset_ms": backend.clock_offset_ms,
        "sts": { "sessions": sessions },
    })
}

/// A session as tests check it: who assumed which role with what, never
/// its secret key or token.
fn inspect_session(s: &Session) -> Value {
    let tags: Map<String, Value> = s.tags.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    json!({
        "Action": s.action,
        "AssumedBy": s.assumed_by,
        "RoleArn": s.role_arn,
        "RoleSessionName": s.session_name,
        "Account": s.account,
        "AssumedRoleArn": s.assumed_role_arn,
        "AccessKeyId": s.access_key_id,
        "DurationSeconds": s.duration_seconds,
        "ExternalId": s.external_id,
        "Policy": s.policy,
        "PolicyArns": s.policy_arns,
        "Tags": tags,
        "TransitiveTagKeys": s.transitive_tag_keys,
        "SourceIdentity": s.source_identity,
        "WebIdentity": s.web_identity.as_ref().map(|c| json!({
            "Provider": c.provider, "Subject": c.subject, "Audience": c.audience,
        })),
    })
}

/// Where a service holds runtime environment variables.
const ENVIRONMENT_POINTERS: &[&str] = &[
    "/SourceConfiguration/ImageRepository/ImageConfiguration/RuntimeEnvironmentVariables",
    "/SourceConfiguration/CodeRepository/CodeConfiguration/CodeConfigurationValues/RuntimeEnvironmentVariables",
];

/// The value shown instead of an environment variable's.
const REDACTED: &str = "(redacted)";

/// A service with the names of its environment variables but not their
/// values, which often hold secrets: the admin endpoint is unsigned.
fn redact_environment(mut service: Value) -> Value {
    for pointer in ENVIRONMENT_POINTERS {
        if let Some(Value::Object(vars)) = service.pointer_mut(pointer) {
            for value in vars.values_mut() {
                *value = json!(REDACTED);
            }
        }
    }
    service
}

/// A kind's active revisions, the built-in ones marked.
fn active_configs<T: ConfigShape>(r: &Region) -> Vec<Value> {
    let active = r.list_configs::<T>(None, false);
    let render = |c: &Revision<T>| {
        let mut v = T::render(r, c);
        if c.builtin {
            v["Builtin"] = json!(true);
        }
        v
    };
    active.iter().map(render).collect()
}

fn inspect_region(r: &Region) -> Value {
    let services: Vec<Value> = r
        .services
        .iter()
        .filter(|s| s.is_live())
        .map(|s| redact_environment(out::service(r, s)))
        .collect();
    let asc = active_configs::<AutoScalingSettings>(r);
    let obs = active_configs::<ObservabilitySettings>(r);
    let connectors: Vec<Value> = r.active_vpc_connectors().map(out::vpc_connector).collect();
    let ingress: Vec<Value> = r
        .ingress
        .iter()
        .filter(|i| i.status != "DELETED")
        .map(|i| out::ingress(r, i))
        .collect();
    let domains: Vec<Value> = r
        .domains
        .iter()
        .map(|d| {
            let mut v = out::custom_domain(d);
            v["ServiceArn"] = json!(d.service_arn);
            v
        })
        .collect();
    let connections: Vec<Value> = r.connections.iter().map(out::connection).collect();
    let live_arns: Vec<&str> = r
        .services
        .iter()
        .filter(|s| s.is_live())
        .map(|s| s.arn.as_str())
        .collect();
    let operations: Vec<Value> = r.operations.iter().rev().map(out::operation).collect();
    let live_operations = r
        .operations
        .iter()
        .filter(|o| live_arns.contains(&o.target_arn.as_str()))
        .count();
    let tags: Map<String, Value> = r
        .tags
        .iter()
        .map(|(arn, t)| {
            (
                arn.clone(),
                Value::Object(t.iter().map(|(k, v)| (k.clone(), json!(v))).collect()),
            )
        })
        .collect();
    let deleted = json!({
        "services": r.services.iter().filter(|s| !s.is_live()).map(|s| &s.arn).collect::<Vec<_>>(),
        "auto_scaling_configurations": r.auto_scaling.iter().filter(|c| c.status != "active").map(|c| &c.arn).collect::<Vec<_>>(),
        "observability_configurations": r.observability.iter().filter(|c| c.status != "ACTIVE").map(|c| &c.arn).collect::<Vec<_>>(),
        "vpc_connectors": r.vpc_connectors.iter().filter(|c| c.status != "ACTIVE").map(|c| &c.arn).collect::<Vec<_>>(),
        "vpc_ingress_connections": r.ingress.iter().filter(|c| c.status == "DELETED").map(|c| &c.arn).collect::<Vec<_>>(),
    });
    let counts = json!({
        "services": services.len(),
        "auto_scaling_configurations": r.auto_scaling.iter().filter(|c| c.status == "active" && !c.builtin).count(),
        "observability_configurations": r.observability.iter().filter(|c| c.status == "ACTIVE" && !c.builtin).count(),
        "vpc_connectors": connectors.len(),
        "vpc_ingress_connections": ingress.len(),
        "custom_domains": domains.len(),
        "connections": connections.len(),
        "operations": live_operations,
        "operations_in_progress": r.services.iter().filter(|s| s.pending.is_some()).count(),
        "tagged_resources": tags.len(),
    });
    json!({
        "account_id": r.account,
        "counts": counts,
        "services": services,
        "auto_scaling_configurations": asc,
        "default_auto_scaling_configuration_arn": r.default_auto_scaling_arn,
        "observability_configurations": obs,
        "vpc_connectors": connectors,
        "vpc_ingress_connections": ingress,
        "custom_domains": domains,
        "connections": connections,
        "operations": operations,
        "tags": tags,
        "deleted": deleted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_calls_need_loopback_or_the_token() {
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        let remote: IpAddr = "192.0.2.7".parse().unwrap();
        let remote_mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert!(admitted(None, local, None));
        assert!(admitted(None, mapped, None));
        assert!(admitted(None, "::1".parse().unwrap(), None));
        assert!(!admitted(None, remote, None));
        assert!(!admitted(None, remote_mapped, Some(b"anything")));
        assert!(admitted(Some("s3cret"), remote, Some(b"s3cret")));
        assert!(!admitted(Some("s3cret"), local, None));
        assert!(!admitted(Some("s3cret"), local, Some(b"s3cre")));
        assert!(!admitted(Some("s3cret"), local, Some(b"s3cres")));
    }

    #[test]
    fn environment_values_are_redacted() {
        let service = json!({ "SourceConfiguration": {
            "ImageRepository": { "ImageConfiguration": {
                "Port": "8080", "RuntimeEnvironmentVariables": { "DB_PASSWORD": "hunter2" } } },
            "CodeRepository": { "CodeConfiguration": { "CodeConfigurationValues": {
                "RuntimeEnvironmentVariables": { "API_KEY": "abc" } } } } } });
        let shown = redact_environment(service).to_string();
        assert!(
            !shown.contains("hunter2") && !shown.contains("abc"),
            "{shown}"
        );
        assert!(
            shown.contains("DB_PASSWORD") && shown.contains("API_KEY") && shown.contains("8080")
        );
    }

    #[test]
    fn clock_advances_are_bounded() {
        assert_eq!(advance_ms(&json!({ "seconds": 1.5 })), Some(1500));
        assert_eq!(advance_ms(&json!({ "ms": 7 })), Some(7));
        assert_eq!(advance_ms(&json!({ "seconds": -1 })), None);
        assert_eq!(advance_ms(&json!({ "seconds": 1e300 })), None);
        assert_eq!(advance_ms(&json!({ "ms": i64::MAX })), None);
        assert_eq!(advance_ms(&json!({ "ms": u64::MAX })), None);
        assert_eq!(advance_ms(&json!({})), None);
    }
}
