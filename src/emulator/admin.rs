//! The admin endpoint under `/_emulator/` (no signature): inspect every
//! object held, reset, manage fault rules, complete a connection handshake,
//! publish custom domains' validation records in DNS and advance the clock.
//! Documented in docs/guides/local-control-plane.md.

use std::sync::PoisonError;

use http::{Method, Response};
use http_body_util::Full;
use hyper::body::Bytes;
use serde_json::{Map, Value, json};

use super::backend::{Backend, Region};
use super::faults::FaultRule;
use super::responses as out;
use super::server::{Shared, json_response};

fn bad_request(message: impl Into<String>) -> Response<Full<Bytes>> {
    json_response(400, &json!({ "error": message.into() }))
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
            let mut backend = shared
                .backend
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if backend.settle() {
                shared.save(&backend);
            }
            json_response(200, &inspect(&backend))
        }
        ("POST", "/_emulator/reset") => {
            let mut backend = shared
                .backend
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            *backend = Backend::default();
            shared.save(&backend);
            json_response(200, &json!({ "reset": true }))
        }
        ("GET", "/_emulator/faults") => json_response(
            200,
            &json!({ "rules": shared.faults.lock().unwrap_or_else(PoisonError::into_inner).rules }),
        ),
        ("POST", "/_emulator/faults") => {
            let rules: Vec<FaultRule> = match serde_json::from_value(input["rules"].clone()) {
                Ok(r) => r,
                Err(e) => return bad_request(format!("expected {{\"rules\": [...]}}: {e}")),
            };
            if let Some(e) = rules.iter().find_map(|r| r.check().err()) {
                return bad_request(e);
            }
            let mut faults = shared.faults.lock().unwrap_or_else(PoisonError::into_inner);
            faults.rules.extend(rules);
            json_response(200, &json!({ "rules": faults.rules }))
        }
        ("DELETE", "/_emulator/faults") => {
            shared
                .faults
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .rules
                .clear();
            json_response(200, &json!({ "rules": [] }))
        }
        ("POST", "/_emulator/connections/complete-handshake") => {
            let Some(arn) = input["connection_arn"].as_str() else {
                return bad_request("expected {\"connection_arn\": \"...\"}");
            };
            let mut backend = shared
                .backend
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
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
                    shared.save(&backend);
                    json_response(200, &json!({ "Connection": v }))
                }
                Err(e) => json_response(409, &json!({ "error": e.message })),
            }
        }
        ("POST", "/_emulator/custom-domains/publish-dns") => publish_dns(shared, &input),
        ("POST", "/_emulator/clock/advance") => {
            let ms = input["seconds"]
                .as_f64()
                .map(|s| (s * 1000.0) as i64)
                .or_else(|| input["ms"].as_i64());
            let Some(ms) = ms.filter(|ms| *ms >= 0) else {
                return bad_request("expected {\"seconds\": N} or {\"ms\": N}, not negative");
            };
            let mut backend = shared
                .backend
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            backend.clock_offset_ms += ms;
            backend.settle();
            shared.save(&backend);
            json_response(200, &json!({ "clock_offset_ms": backend.clock_offset_ms }))
        }
        _ => json_response(
            404,
            &json!({ "error": format!("no admin route {method} {path}") }),
        ),
    }
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
    let mut backend = shared
        .backend
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
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
    shared.save(&backend);
    json_response(
        200,
        &json!({ "published": published, "always": backend.publish_dns_always }),
    )
}

pub(crate) fn inspect(backend: &Backend) -> Value {
    let mut regions = Map::new();
    let mut totals: Map<String, Value> = Map::new();
    for r in backend.regions.values() {
        let v = inspect_region(r);
        for (k, n) in v["counts"].as_object().expect("counts is an object") {
            let sum = totals.get(k).and_then(Value::as_u64).unwrap_or(0) + n.as_u64().unwrap_or(0);
            totals.insert(k.clone(), json!(sum));
        }
        regions.insert(r.region.clone(), v);
    }
    let total: u64 = OBJECT_KINDS
        .iter()
        .map(|k| totals.get(*k).and_then(Value::as_u64).unwrap_or(0))
        .sum();
    json!({ "regions": regions, "counts": totals, "total": total, "clock_offset_ms": backend.clock_offset_ms })
}

fn builtin(mut v: Value, is_builtin: bool) -> Value {
    if is_builtin {
        v["Builtin"] = json!(true);
    }
    v
}

fn inspect_region(r: &Region) -> Value {
    let services: Vec<Value> = r
        .services
        .iter()
        .filter(|s| s.is_live())
        .map(|s| out::service(r, s))
        .collect();
    let asc: Vec<Value> = r
        .auto_scaling
        .iter()
        .filter(|c| c.status == "active")
        .map(|c| builtin(out::asc(r, c), c.builtin))
        .collect();
    let obs: Vec<Value> = r
        .observability
        .iter()
        .filter(|c| c.status == "ACTIVE")
        .map(|c| builtin(out::observability(r, c), c.builtin))
        .collect();
    let connectors: Vec<Value> = r
        .vpc_connectors
        .iter()
        .filter(|c| c.status == "ACTIVE")
        .map(out::vpc_connector)
        .collect();
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
