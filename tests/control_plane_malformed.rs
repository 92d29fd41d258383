//! Malformed-input properties of the local control plane over HTTP: signed
//! API calls whose bodies follow the operation's input shape with hostile
//! values (wrong types, huge numbers, forged pagination tokens, unknown
//! ARNs), signatures that are broken in every part of the Authorization
//! header, requests of random methods, paths and headers, and admin calls
//! with random bodies. Every request gets an HTTP answer within a bound, and
//! nothing in the process panics.
//!
//! Each property runs 10,000 cases, or `PROPTEST_CASES` when set (the long
//! run: `scripts/fuzz`). Each has its own control plane, in this process, so
//! that a panic anywhere in it is seen by the panic hook.

#[path = "emulator_support/mod.rs"]
mod emulator_support;

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use terraform_provider_apprunner::emulator::{self, EmulatorConfig};

use emulator_support::signed_headers;

/// How long one request may take before it counts as a hang.
const ANSWER_BOUND: Duration = Duration::from_secs(10);

fn config() -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = 10_000;
    }
    c.failure_persistence = None;
    c
}

/// Prefix of the names of the threads serving the control planes.
const SERVER_THREAD: &str = "control-plane-";

/// Panics seen on each control plane's threads, by thread name.
static PANICS: Mutex<BTreeMap<String, usize>> = Mutex::new(BTreeMap::new());

fn count_panics() {
    static HOOK: OnceLock<()> = OnceLock::new();
    HOOK.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(name) = std::thread::current().name()
                && name.starts_with(SERVER_THREAD)
            {
                let mut panics = PANICS.lock().unwrap_or_else(|e| e.into_inner());
                *panics.entry(name.to_string()).or_default() += 1;
            }
            previous(info);
        }));
    });
}

/// A control plane served from a thread of this process, with a few
/// objects made up front whose ARNs requests can name.
struct ControlPlane {
    /// Name of its threads.
    thread: String,
    addr: String,
    arns: Vec<String>,
    requests: AtomicUsize,
    cases: AtomicUsize,
}

/// One control plane per property, so that fault rules one property sets
/// through the admin endpoint never meet another's requests.
fn control_plane(name: &'static str) -> &'static ControlPlane {
    static PLANES: OnceLock<Mutex<HashMap<&'static str, &'static ControlPlane>>> = OnceLock::new();
    count_panics();
    let mut planes = PLANES.get_or_init(Default::default).lock().unwrap();
    planes.entry(name).or_insert_with(|| {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let thread = format!("{SERVER_THREAD}{name}");
        let worker = thread.clone();
        let serve = move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name(worker)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let mut config = EmulatorConfig::default();
                config.operation_duration = Duration::ZERO;
                emulator::serve(config, listener).await
            })
        };
        std::thread::Builder::new()
            .name(thread.clone())
            .spawn(serve)
            .unwrap();
        let plane = Box::leak(Box::new(ControlPlane {
            thread,
            addr,
            arns: Vec::new(),
            requests: AtomicUsize::new(0),
            cases: AtomicUsize::new(0),
        }));
        plane.arns = plane.seed_objects();
        plane
    })
}

impl ControlPlane {
    /// How many times its threads panicked so far.
    fn panics(&self) -> usize {
        let panics = PANICS.lock().unwrap_or_else(|e| e.into_inner());
        panics.get(&self.thread).copied().unwrap_or(0)
    }

    fn call(&self, op: &str, body: &Value) -> Option<(u16, Value)> {
        let body = serde_json::to_vec(body).unwrap();
        let headers = signed_headers(&self.addr, op, &body, "us-east-1", "test", "test");
        let (status, raw) = self.send("POST", "/", &headers, &body)?;
        Some((status, serde_json::from_slice(&raw).unwrap_or(Value::Null)))
    }

    /// Objects of every kind, to give requests ARNs that exist.
    fn seed_objects(&self) -> Vec<String> {
        let mut arns = Vec::new();
        let mut keep = |op: &str, body: Value, pointer: &str| {
            if let Some((200, v)) = self.call(op, &body)
                && let Some(arn) = v.pointer(pointer).and_then(Value::as_str)
            {
                arns.push(arn.to_string());
            }
        };
        keep(
            "CreateService",
            emulator_support::service_body("fuzz-svc"),
            "/Service/ServiceArn",
        );
        keep(
            "CreateAutoScalingConfiguration",
            json!({ "AutoScalingConfigurationName": "fuzz-asc" }),
            "/AutoScalingConfiguration/AutoScalingConfigurationArn",
        );
        keep(
            "CreateObservabilityConfiguration",
            json!({ "ObservabilityConfigurationName": "fuzz-obs" }),
            "/ObservabilityConfiguration/ObservabilityConfigurationArn",
        );
        keep(
            "CreateVpcConnector",
            json!({ "VpcConnectorName": "fuzz-vpc", "Subnets": ["subnet-1"] }),
            "/VpcConnector/VpcConnectorArn",
        );
        keep(
            "CreateConnection",
            json!({ "ConnectionName": "fuzz-conn", "ProviderType": "GITHUB" }),
            "/Connection/ConnectionArn",
        );
        arns
    }

    /// Sends one request; `None` when the connection closed without an answer.
    fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Option<(u16, Vec<u8>)> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(ANSWER_BOUND)).unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nconnection: close\r\n");
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        {
            head += &format!("content-length: {}\r\n", body.len());
        }
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            head += &format!("host: {}\r\n", self.addr);
        }
        for (k, v) in headers {
            head += &format!("{k}: {v}\r\n");
        }
        head += "\r\n";
        // The server may answer (and close) before reading everything.
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        if let Err(e) = stream.read_to_end(&mut raw) {
            assert!(
                raw.starts_with(b"HTTP/1.1 "),
                "no answer to {method} {path} within {ANSWER_BOUND:?}: {e}"
            );
        }
        let text = String::from_utf8_lossy(&raw);
        let status = text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()?;
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
        Some((status, raw[split..].to_vec()))
    }

    /// Starts over every few hundred requests, so that what the fuzzing
    /// creates does not pile up.
    fn maybe_reset(&self) {
        if (self.cases.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(512) {
            self.send("POST", "/_emulator/reset", &[], b"");
            self.seed_objects();
        }
    }
}

/// The operations and input shapes the control plane enforces.
fn rules() -> &'static Value {
    static RULES: OnceLock<Value> = OnceLock::new();
    RULES.get_or_init(emulator::input_rules)
}

fn operations() -> Vec<String> {
    rules()["operations"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// Strings that are wrong in interesting ways.
const HOSTILE_STRINGS: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "é",
    "😀",
    "arn:aws:apprunner:us-east-1:123456789012:service/x/y",
    "arn:aws:apprunner:us-east-1:123456789012:service/",
    "arn:aws:apprunner:::",
    "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/a/99999999999999999999/b",
    "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/a/-1/b",
    "arn:aws:apprunner:eu-west-1:123456789012:vpcconnector/a/0/b",
    "99999999999999999999999999",
    "-9223372036854775808",
    "1e400",
    "NaN",
    "%00%ff",
    "../../etc/passwd",
];

/// A pagination token: forged in the control plane's own format (with
/// offsets up to the largest integer), or random.
fn token(rng: &mut StdRng, op: &str) -> String {
    let offset = match rng.random_range(0..4) {
        0 => rng.random_range(0..10).to_string(),
        1 => u64::MAX.to_string(),
        2 => (usize::MAX - rng.random_range(0..200)).to_string(),
        _ => rng.random::<u64>().to_string(),
    };
    let flag = ["0", "1", "x", ""][rng.random_range(0..4)];
    match rng.random_range(0..4) {
        0 => URL_SAFE_NO_PAD.encode(format!("{op}:{offset}:{flag}")),
        1 => URL_SAFE_NO_PAD.encode(format!("{op}:{offset}")),
        2 => URL_SAFE_NO_PAD.encode(random_text(rng)),
        _ => random_text(rng),
    }
}

fn random_text(rng: &mut StdRng) -> String {
    let len = rng.random_range(0..40);
    (0..len)
        .map(|_| match rng.random_range(0..10) {
            0 => char::from_u32(rng.random_range(0..0x11_0000)).unwrap_or('?'),
            _ => char::from(rng.random_range(0x20u8..0x7f)),
        })
        .collect()
}

fn hostile_number(rng: &mut StdRng) -> Value {
    match rng.random_range(0..8) {
        0 => json!(i64::MAX),
        1 => json!(i64::MIN),
        2 => json!(u64::MAX),
        3 => json!(1e308),
        4 => json!(-0.5),
        5 => json!(rng.random_range(-5..200)),
        6 => serde_json::from_str("123456789012345678901234567890").unwrap(),
        _ => json!(rng.random::<f64>() * 1e12),
    }
}

/// A value for `shape`: mostly of the right type (so that requests reach
/// the operation), often out of range, sometimes of the wrong type.
fn value_for(rng: &mut StdRng, shape: &str, arns: &[String], op: &str, depth: u32) -> Value {
    let s = &rules()["shapes"][shape];
    if depth > 6 || rng.random_range(0..12) == 0 {
        return any_json(rng, 2);
    }
    match s["type"].as_str().unwrap_or_default() {
        "structure" => {
            let mut o = serde_json::Map::new();
            for (name, m) in s["members"].as_object().into_iter().flatten() {
                let required = s["required"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|n| n == name));
                if required || rng.random_bool(0.5) {
                    let v = if name == "NextToken" {
                        json!(token(rng, op))
                    } else {
                        value_for(rng, m["shape"].as_str().unwrap(), arns, op, depth + 1)
                    };
                    o.insert(name.clone(), v);
                }
            }
            Value::Object(o)
        }
        "string" => {
            if let Some(values) = s["enum"].as_array()
                && rng.random_bool(0.8)
            {
                return values[rng.random_range(0..values.len())].clone();
            }
            match rng.random_range(0..5) {
                0 | 1 if !arns.is_empty() => json!(arns[rng.random_range(0..arns.len())]),
                2 => json!(HOSTILE_STRINGS[rng.random_range(0..HOSTILE_STRINGS.len())]),
                3 => json!("x".repeat(rng.random_range(0..3000))),
                _ => json!(format!("fuzz-{}", rng.random_range(0..50))),
            }
        }
        "integer" => {
            if rng.random_bool(0.5) {
                let min = s["min"].as_i64().unwrap_or(0);
                let max = s["max"].as_i64().unwrap_or(100).max(min);
                json!(rng.random_range(min..=max))
            } else {
                hostile_number(rng)
            }
        }
        "boolean" => json!(rng.random_bool(0.5)),
        "list" => {
            let n = rng.random_range(0..4);
            let m = s["member"]["shape"].as_str().unwrap();
            Value::Array(
                (0..n)
                    .map(|_| value_for(rng, m, arns, op, depth + 1))
                    .collect(),
            )
        }
        "map" => {
            let n = rng.random_range(0..4);
            let v = s["value"]["shape"].as_str().unwrap();
            Value::Object(
                (0..n)
                    .map(|_| (random_text(rng), value_for(rng, v, arns, op, depth + 1)))
                    .collect(),
            )
        }
        _ => any_json(rng, 2),
    }
}

fn any_json(rng: &mut StdRng, depth: u32) -> Value {
    match rng.random_range(0..if depth == 0 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.random_bool(0.5)),
        2 => hostile_number(rng),
        3 => json!(random_text(rng)),
        4 => json!(HOSTILE_STRINGS[rng.random_range(0..HOSTILE_STRINGS.len())]),
        5 => Value::Array(
            (0..rng.random_range(0..4))
                .map(|_| any_json(rng, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.random_range(0..4))
                .map(|_| (random_text(rng), any_json(rng, depth - 1)))
                .collect(),
        ),
    }
}

/// Breaks one part of a signed request's Authorization header.
fn break_authorization(rng: &mut StdRng, header: &str) -> String {
    let parts: Vec<&str> = header.splitn(2, ' ').collect();
    let fields: Vec<String> = parts
        .get(1)
        .unwrap_or(&"")
        .split(", ")
        .map(str::to_string)
        .collect();
    let mut fields = fields;
    let i = rng.random_range(0..fields.len().max(1));
    let replacement = match rng.random_range(0..8) {
        0 => String::new(),
        1 => "Credential=".into(),
        2 => "Credential=test/20990101/us-east-1/apprunner".into(),
        3 => "Credential=test/x/../../apprunner/aws4_request/extra".into(),
        4 => "SignedHeaders=".into(),
        5 => format!(
            "SignedHeaders={}",
            [
                "host",
                "x-amz-date",
                "",
                ";;",
                "authorization",
                "content-length"
            ]
            .join(";")
        ),
        6 => format!("Signature={}", random_text(rng)),
        _ => random_text(rng),
    };
    if let Some(f) = fields.get_mut(i) {
        *f = replacement;
    }
    let scheme = ["AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256", "AWS4", ""][rng.random_range(0..4)];
    format!("{scheme} {}", fields.join(rng_sep(rng)))
}

fn rng_sep(rng: &mut StdRng) -> &'static str {
    [", ", ",", " ,", ",,"][rng.random_range(0..4)]
}

fn header_value(rng: &mut StdRng) -> String {
    // Visible ASCII and spaces: what an HTTP/1.1 header value may hold.
    let len = rng.random_range(0..60);
    (0..len)
        .map(|_| char::from(rng.random_range(0x20u8..0x7f)))
        .collect::<String>()
        .trim()
        .to_string()
}

/// Checks the answer and that nothing panicked.
fn answered(
    plane: &ControlPlane,
    answer: Option<(u16, Vec<u8>)>,
    panics_before: usize,
    what: &str,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        plane.panics(),
        panics_before,
        "the control plane panicked on {}",
        what
    );
    let Some((status, _)) = answer else {
        return Err(TestCaseError::fail(format!("no answer to {what}")));
    };
    prop_assert!(
        (200..600).contains(&status),
        "status {} for {}",
        status,
        what
    );
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Signed calls of every operation with shape-aware hostile bodies,
    /// some with the signature broken afterwards.
    #[test]
    fn api_calls_with_hostile_bodies_get_an_answer(seed in any::<u64>()) {
        let plane = control_plane("api");
        plane.maybe_reset();
        let mut rng = StdRng::seed_from_u64(seed);
        let ops = operations();
        let op = ops[rng.random_range(0..ops.len())].clone();
        let shape = rules()["operations"][&op]["input"]["shape"].as_str().unwrap().to_string();
        let body = match rng.random_range(0..10) {
            0 => (0..rng.random_range(0..64)).map(|_| rng.random::<u8>()).collect(),
            1 => serde_json::to_vec(&any_json(&mut rng, 3)).unwrap(),
            _ => serde_json::to_vec(&value_for(&mut rng, &shape, &plane.arns, &op, 0)).unwrap(),
        };
        let region = ["us-east-1", "eu-west-1", "ap-northeast-3", "xx-nowhere-9", "us-east-1x"]
            [rng.random_range(0..5)];
        let mut headers = signed_headers(&plane.addr, &op, &body, region, "test", "test");
        match rng.random_range(0..8) {
            0 => {
                let h = headers.iter_mut().find(|(k, _)| k == "authorization").unwrap();
                h.1 = break_authorization(&mut rng, &h.1.clone());
            }
            1 => {
                let i = rng.random_range(0..headers.len());
                headers[i].1 = header_value(&mut rng);
            }
            2 => {
                let i = rng.random_range(0..headers.len());
                headers.remove(i);
            }
            _ => {}
        }
        let what = format!("{op} {}", String::from_utf8_lossy(&body));
        let before = plane.panics();
        let answer = plane.send("POST", "/", &headers, &body);
        answered(plane, answer, before, &what)?;
    }

    /// Requests of any method, path and headers, signed or not.
    #[test]
    fn requests_with_random_framing_get_an_answer(
        seed in any::<u64>(),
        method in prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
        path in prop_oneof![
            Just("/".to_string()),
            Just("/?Action=ListServices".to_string()),
            "/[a-zA-Z0-9_/%.?=&-]{0,30}",
            Just("/_emulator".to_string()),
            "/_emulator/[a-z/]{0,20}",
        ],
        extra in prop::collection::vec(("[a-zA-Z][a-zA-Z0-9-]{0,15}", "[ -~]{0,40}"), 0..6),
    ) {
        let plane = control_plane("framing");
        plane.maybe_reset();
        let mut rng = StdRng::seed_from_u64(seed);
        let ops = operations();
        let target = match rng.random_range(0..4) {
            0 => format!("AppRunner.{}", ops[rng.random_range(0..ops.len())]),
            1 => format!("AppRunner.{}", random_text(&mut rng)),
            2 => header_value(&mut rng),
            _ => String::new(),
        };
        let mut headers = vec![("x-amz-target".to_string(), target)];
        match rng.random_range(0..4) {
            0 => headers.push(("authorization".into(), break_authorization(&mut rng, "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/apprunner/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"))),
            1 => headers.push(("authorization".into(), header_value(&mut rng))),
            2 => headers.push(("x-amz-date".into(), ["20240101T000000Z", "99999999T999999Z", "2024", "", "20240101T000000"][rng.random_range(0..5)].into())),
            _ => {}
        }
        headers.extend(extra.into_iter().filter(|(k, _)| {
            !matches!(k.to_ascii_lowercase().as_str(), "content-length" | "transfer-encoding" | "connection" | "host" | "expect" | "upgrade")
        }));
        let body: Vec<u8> = if method == "HEAD" || method == "GET" {
            Vec::new()
        } else if rng.random_bool(0.5) {
            serde_json::to_vec(&any_json(&mut rng, 3)).unwrap()
        } else {
            (0..rng.random_range(0..64)).map(|_| rng.random::<u8>()).collect()
        };
        let what = format!("{method} {path} {headers:?}");
        let before = plane.panics();
        let answer = plane.send(method, &path, &headers, &body);
        answered(plane, answer, before, &what)?;
    }

    /// Admin calls with random bodies: fault rules, clock advances,
    /// handshakes. Fault rules are removed after each case.
    #[test]
    fn admin_calls_with_hostile_bodies_get_an_answer(seed in any::<u64>()) {
        let plane = control_plane("admin");
        plane.maybe_reset();
        let mut rng = StdRng::seed_from_u64(seed);
        let kinds = ["throttle", "server_error", "latency", "drop_response", "stuck", "rollback", "fail", "maintenance", "nope"];
        let (method, path, body) = match rng.random_range(0..6) {
            0 => {
                let mut rule = json!({ "kind": kinds[rng.random_range(0..kinds.len())] });
                for key in ["rate", "count", "latency_ms", "status", "fired", "duration_ms", "operation"] {
                    if rng.random_bool(0.4) {
                        rule[key] = if key == "operation" { json!(random_text(&mut rng)) } else { hostile_number(&mut rng) };
                    }
                }
                // Keep rules that would hold up the next requests from firing.
                if rng.random_bool(0.9) {
                    rule["operation"] = json!("NoSuchOperation");
                }
                let rules = if rng.random_bool(0.8) { json!([rule]) } else { any_json(&mut rng, 2) };
                ("POST", "/_emulator/faults", json!({ "rules": rules }))
            }
            1 => {
                let key = ["seconds", "ms"][rng.random_range(0..2)];
                ("POST", "/_emulator/clock/advance", json!({ key: hostile_number(&mut rng) }))
            }
            2 => {
                let arn = if rng.random_bool(0.5) && !plane.arns.is_empty() {
                    plane.arns[rng.random_range(0..plane.arns.len())].clone()
                } else {
                    random_text(&mut rng)
                };
                ("POST", "/_emulator/connections/complete-handshake", json!({ "connection_arn": arn }))
            }
            3 => ("GET", "/_emulator/state", Value::Null),
            4 => ("POST", "/_emulator/faults", any_json(&mut rng, 3)),
            _ => (["GET", "POST", "DELETE", "PUT"][rng.random_range(0..4)], "/_emulator/faults", any_json(&mut rng, 2)),
        };
        let body = if body.is_null() { Vec::new() } else { serde_json::to_vec(&body).unwrap() };
        let what = format!("{method} {path} {}", String::from_utf8_lossy(&body));
        let before = plane.panics();
        let headers = [("content-type".to_string(), "application/json".to_string())];
        let answer = plane.send(method, path, &headers, &body);
        plane.send("DELETE", "/_emulator/faults", &[], b"");
        answered(plane, answer, before, &what)?;
        // And the control plane still serves the API.
        let (status, _) = plane.call("ListServices", &json!({})).expect("an answer");
        prop_assert_eq!(status, 200);
    }
}
