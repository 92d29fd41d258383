//! The state model: every App Runner object the control plane holds, per
//! account and region, and the service's rules for changing them. Nothing
//! here knows about HTTP, JSON framing or signatures; the wire layer parses a
//! request, calls one method here and renders what it returns.
//!
//! Asynchronous work (a service being created, a domain being bound) is
//! stored as a pending step with a due time; [`Backend::settle`] applies every
//! step whose time has come. It runs before each request, so a client sees
//! statuses move exactly as if a worker had moved them.

mod configs;
mod connections;
mod domains;
mod network;
mod service_config;
mod services;
mod sts;
mod tags;

use std::collections::BTreeMap;

use rand::Rng;
use serde::{Deserialize, Serialize};

pub(crate) use configs::{
    AutoScalingConfig, AutoScalingSettings, ConfigKind, ObservabilityConfig, ObservabilitySettings,
    Revision, Revisions,
};
pub(crate) use connections::Connection;
pub(crate) use domains::CustomDomain;
pub(crate) use network::{IngressConnection, VpcConnector};
pub(crate) use services::{CreateService, Operation, Service, UpdateService};
pub(crate) use sts::{AssumeRole, Principal, Session, Sts};
pub(crate) use tags::deserialize_tags;

use super::errors::ApiError;

/// How an asynchronous operation ends; chosen by fault rules per request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub(crate) enum Outcome {
    #[default]
    Succeed,
    Fail,
    Rollback,
    Stuck,
}

/// What a call needs to know besides its arguments.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ctx {
    /// Current (possibly advanced) time, in epoch milliseconds.
    pub now: i64,
    /// How long each step of an operation started by this call takes.
    pub duration_ms: i64,
    pub outcome: Outcome,
}

/// All state, keyed by `ACCOUNT/REGION`.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct Backend {
    pub regions: BTreeMap<String, Region>,
    /// Added to the wall clock by `POST /_emulator/clock/advance`.
    #[serde(default)]
    pub clock_offset_ms: i64,
    /// Custom domains' validation records count as published in DNS as
    /// soon as they exist (`POST /_emulator/custom-domains/publish-dns`
    /// with `"always": true`).
    #[serde(default)]
    pub publish_dns_always: bool,
    /// Temporary credentials handed out by STS.
    #[serde(default)]
    pub sts: Sts,
}

impl Backend {
    pub fn now(&self) -> i64 {
        // A state file may hold any offset; saturate rather than overflow.
        wall_clock_ms().saturating_add(self.clock_offset_ms)
    }

    pub fn region(&mut self, account: &str, region: &str) -> &mut Region {
        let now = self.now();
        self.regions
            .entry(format!("{account}/{region}"))
            .or_insert_with(|| Region::new(account, region, now))
    }

    /// Applies every pending step that is due; true when anything changed.
    pub fn settle(&mut self) -> bool {
        let now = self.now();
        let mut changed = false;
        for region in self.regions.values_mut() {
            if self.publish_dns_always {
                region.publish_domain_dns(now, |d| !d.dns_published);
            }
            changed |= region.settle(now);
        }
        changed
    }
}

pub(crate) fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The objects of one account in one region.
#[derive(Serialize, Deserialize)]
pub(crate) struct Region {
    pub account: String,
    pub region: String,
    /// Includes `DELETED` services, which stay describable.
    pub services: Vec<Service>,
    /// Newest last; listed newest first.
    pub operations: Vec<Operation>,
    /// All revisions, `INACTIVE` ones included.
    pub auto_scaling: Revisions<AutoScalingSettings>,
    pub default_auto_scaling_arn: String,
    pub observability: Revisions<ObservabilitySettings>,
    pub vpc_connectors: Vec<VpcConnector>,
    pub ingress: Vec<IngressConnection>,
    pub domains: Vec<CustomDomain>,
    pub connections: Vec<Connection>,
    /// Tags by resource ARN, in insertion order.
    pub tags: BTreeMap<String, Vec<(String, String)>>,
}

impl Region {
    fn new(account: &str, region: &str, now: i64) -> Region {
        let mut r = Region {
            account: account.into(),
            region: region.into(),
            services: vec![],
            operations: vec![],
            auto_scaling: Revisions::default(),
            default_auto_scaling_arn: String::new(),
            observability: Revisions::default(),
            vpc_connectors: vec![],
            ingress: vec![],
            domains: vec![],
            connections: vec![],
            tags: BTreeMap::new(),
        };
        r.seed_builtins(now);
        r
    }

    pub fn arn(&self, resource: &str) -> String {
        format!(
            "arn:aws:apprunner:{}:{}:{}",
            self.region, self.account, resource
        )
    }

    /// The resource part of one of our ARNs (`service/NAME/ID`), or `None`
    /// when the ARN is for another partition, service, region or account.
    pub fn resource_of<'a>(&self, arn: &'a str) -> Option<&'a str> {
        let prefix = self.arn("");
        arn.strip_prefix(prefix.as_str())
    }

    fn settle(&mut self, now: i64) -> bool {
        let mut changed = false;
        // Steps can chain (a zero duration finishes several at once).
        loop {
            let step =
                self.settle_services(now) | self.settle_ingress(now) | self.settle_domains(now);
            if !step {
                return changed;
            }
            changed = true;
        }
    }
}

/// 32 lowercase hex digits, as App Runner's resource IDs.
pub(crate) fn hex_id() -> String {
    format!("{:032x}", rand::rng().random::<u128>())
}

/// A random version 4 UUID, as operation IDs.
pub(crate) fn uuid() -> String {
    let mut b: [u8; 16] = rand::rng().random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A random DNS label like the ones App Runner hands out.
pub(crate) fn dns_label(len: usize) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect()
}

/// Result type of backend calls.
pub(crate) type Res<T> = Result<T, ApiError>;

/// Refuses one more object once `count` has reached `max`, naming the
/// quota as `what`.
fn check_quota(count: usize, max: usize, what: &str) -> Res<()> {
    if count >= max {
        return Err(ApiError::quota(format!(
            "You have reached the maximum number of {what} ({max})"
        )));
    }
    Ok(())
}

/// Refuses, with `InvalidStateException`, a call that an object's `status`
/// does not allow.
fn require_status(status: &str, allowed: &[&str], refusal: impl FnOnce() -> String) -> Res<()> {
    if allowed.contains(&status) {
        Ok(())
    } else {
        Err(ApiError::invalid_state(refusal()))
    }
}

#[cfg(test)]
mod tests;
