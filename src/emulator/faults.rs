//! Fault rules, set by `--fault` or `/_emulator/faults`: request-level faults
//! (throttling, 5xx, latency, a dropped response) and outcomes of the
//! asynchronous operations a request starts (stuck, rollback, failure).

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::backend::Outcome;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FaultKind {
    Throttle,
    ServerError,
    Latency,
    DropResponse,
    Stuck,
    Rollback,
    Fail,
    /// The service the request names enters App Runner maintenance.
    Maintenance,
}

impl FaultKind {
    fn parse(s: &str) -> Option<FaultKind> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
    }
}

/// The longest latency a rule may add (24 hours): long enough to stand for
/// a control plane that never answers, short of any timer overflow.
pub(crate) const MAX_LATENCY_MS: u64 = 24 * 3600 * 1000;

fn one() -> f64 {
    1.0
}

/// The number a `key=value` option of the compact form holds.
fn number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("invalid value for {key}: {value:?}"))
}

/// One rule. It fires on requests for `operation` (any operation when
/// absent) with probability `rate`, at most `count` times when set.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    pub kind: FaultKind,
    #[serde(default = "one")]
    pub rate: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// For `latency`: how long to wait (default 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// For `server_error`: 500 (InternalServiceErrorException, the default)
    /// or 503 (ServiceUnavailableException).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// For `maintenance`: how long it lasts (default: three times the
    /// operation duration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// How many times the rule has fired.
    #[serde(default)]
    pub fired: u32,
}

impl FaultRule {
    /// Parses the compact form `KIND[:OPERATION][,key=value…]`, keys being
    /// `rate`, `count`, `latency_ms`, `status` and `duration_ms`; for example
    /// `throttle:CreateService,rate=0.5`, `drop_response:CreateService,count=1`
    /// or `maintenance:UpdateService,count=1,duration_ms=5000`.
    pub fn parse(text: &str) -> Result<FaultRule, String> {
        let mut parts = text.split(',');
        let head = parts.next().unwrap_or_default().trim();
        let (kind, operation) = match head.split_once(':') {
            Some((k, op)) => (k, Some(op.trim().to_string())),
            None => (head, None),
        };
        let kind = FaultKind::parse(kind.trim()).ok_or_else(|| {
            format!("unknown fault kind {kind:?} (expected throttle, server_error, latency, drop_response, stuck, rollback, fail or maintenance)")
        })?;
        let mut rule = FaultRule {
            operation,
            kind,
            rate: 1.0,
            count: None,
            latency_ms: None,
            status: None,
            duration_ms: None,
            fired: 0,
        };
        for kv in parts {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| format!("expected key=value, got {kv:?}"))?;
            match k.trim() {
                "rate" => rule.rate = number(k, v)?,
                "count" => rule.count = Some(number(k, v)?),
                "latency_ms" => rule.latency_ms = Some(number(k, v)?),
                "status" => rule.status = Some(number(k, v)?),
                "duration_ms" => rule.duration_ms = Some(number(k, v)?),
                other => {
                    return Err(format!(
                        "unknown fault option {other:?} (expected rate, count, latency_ms, status or duration_ms)"
                    ));
                }
            }
        }
        rule.check()?;
        Ok(rule)
    }

    pub fn check(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.rate) {
            return Err(format!("rate must be between 0 and 1, got {}", self.rate));
        }
        if let Some(ms) = self.latency_ms
            && ms > MAX_LATENCY_MS
        {
            return Err(format!(
                "latency_ms must be at most {MAX_LATENCY_MS} (24 hours), got {ms}"
            ));
        }
        if let Some(s) = self.status
            && !(500..=599).contains(&s)
        {
            return Err(format!("status must be a 5xx code, got {s}"));
        }
        Ok(())
    }

    fn applies(&self, op: &str, kind: FaultKind) -> bool {
        self.kind == kind
            && self.operation.as_deref().is_none_or(|o| o == op)
            && self.count.is_none_or(|c| self.fired < c)
    }
}

/// The active rules.
#[derive(Default)]
pub(crate) struct Faults {
    pub rules: Vec<FaultRule>,
}

impl Faults {
    /// The first rule of `kind` that fires for `op` now; counts it as fired.
    pub fn fire(&mut self, op: &str, kind: FaultKind) -> Option<FaultRule> {
        self.fire_index(op, kind).map(|i| self.rules[i].clone())
    }

    fn fire_index(&mut self, op: &str, kind: FaultKind) -> Option<usize> {
        let mut rng = rand::rng();
        for (i, rule) in self.rules.iter_mut().enumerate() {
            if rule.applies(op, kind) && (rule.rate >= 1.0 || rng.random::<f64>() < rule.rate) {
                rule.fired = rule.fired.saturating_add(1);
                return Some(i);
            }
        }
        None
    }

    /// How asynchronous work started by `op` will end, and the rule that
    /// decided it (to be given back with [`Faults::unfire`] if the request
    /// is refused and starts nothing).
    pub fn outcome(&mut self, op: &str) -> (Outcome, Option<usize>) {
        for (kind, outcome) in [
            (FaultKind::Stuck, Outcome::Stuck),
            (FaultKind::Rollback, Outcome::Rollback),
            (FaultKind::Fail, Outcome::Fail),
        ] {
            if let Some(i) = self.fire_index(op, kind) {
                return (outcome, Some(i));
            }
        }
        (Outcome::Succeed, None)
    }

    pub fn unfire(&mut self, index: usize) {
        if let Some(rule) = self.rules.get_mut(index) {
            rule.fired = rule.fired.saturating_sub(1);
        }
    }
}

/// Operations that start asynchronous work, and so take an outcome and an
/// operation duration.
pub(crate) const ASYNC_OPERATIONS: &[&str] = &[
    "CreateService",
    "UpdateService",
    "DeleteService",
    "PauseService",
    "ResumeService",
    "StartDeployment",
    "AssociateCustomDomain",
    "DisassociateCustomDomain",
    "CreateVpcIngressConnection",
    "UpdateVpcIngressConnection",
    "DeleteVpcIngressConnection",
];
