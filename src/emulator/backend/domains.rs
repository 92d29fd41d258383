//! Custom domains: certificate validation records and the lowercase status
//! walk `creating` → `pending_certificate_dns_validation` →
//! `binding_certificate` → `active` (or `create_failed`), then `deleting`.
//!
//! As App Runner does, a domain `d` gets a validation record for `d`, one
//! for `www.d` with the www option, and one for a random 31-character label
//! under `d` (a wildcard `*.d`: `d` and the label). The association waits in
//! `pending_certificate_dns_validation` until its records are published in
//! DNS, which the admin call `POST /_emulator/custom-domains/publish-dns`
//! stands for; time alone never validates them.

use serde::{Deserialize, Serialize};

use super::{ApiError, Ctx, Outcome, Region, Res, dns_label, hex_id};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct ValidationRecord {
    pub name: String,
    pub value: String,
    pub status: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct CustomDomain {
    pub service_arn: String,
    pub domain_name: String,
    pub enable_www: bool,
    pub status: String,
    pub records: Vec<ValidationRecord>,
    /// Due time of the next step (`None` = stuck) and whether it fails.
    pub pending: Option<(Option<i64>, bool)>,
    pub step_ms: i64,
    /// Whether the validation records are published in DNS: until then
    /// the association stays in `pending_certificate_dns_validation`.
    #[serde(default)]
    pub dns_published: bool,
}

fn validation_record(domain: &str) -> ValidationRecord {
    ValidationRecord {
        name: format!("_{}.{domain}.", hex_id()),
        value: format!("_{}.{}.acm-validations.aws.", hex_id(), dns_label(10)),
        status: "PENDING_VALIDATION".into(),
    }
}

impl Region {
    pub fn associate_domain(
        &mut self,
        ctx: &Ctx,
        service_arn: &str,
        domain: &str,
        www: bool,
    ) -> Res<CustomDomain> {
        self.attachable_service(
            service_arn,
            "custom domains can be associated only with a RUNNING or PAUSED service",
        )?;
        if self
            .domains
            .iter()
            .any(|d| d.service_arn == service_arn && d.domain_name == domain)
        {
            return Err(ApiError::invalid_request(format!(
                "Domain {domain} is already associated with service {service_arn}"
            )));
        }
        let base = domain.strip_prefix("*.").unwrap_or(domain);
        let mut records = vec![validation_record(base)];
        if www && base == domain {
            records.push(validation_record(&format!("www.{domain}")));
        }
        records.push(validation_record(&format!("{}.{base}", dns_label(31))));
        let pending = match ctx.outcome {
            Outcome::Stuck => (None, false),
            Outcome::Fail | Outcome::Rollback => {
                (Some(ctx.now.saturating_add(ctx.duration_ms)), true)
            }
            Outcome::Succeed => (Some(ctx.now.saturating_add(ctx.duration_ms)), false),
        };
        let d = CustomDomain {
            service_arn: service_arn.into(),
            domain_name: domain.into(),
            enable_www: www,
            status: "creating".into(),
            records,
            pending: Some(pending),
            step_ms: ctx.duration_ms,
            dns_published: false,
        };
        self.domains.push(d.clone());
        Ok(d)
    }

    pub fn disassociate_domain(
        &mut self,
        ctx: &Ctx,
        service_arn: &str,
        domain: &str,
    ) -> Res<CustomDomain> {
        self.live_service(service_arn)?;
        let d = self
            .domains
            .iter_mut()
            .find(|d| d.service_arn == service_arn && d.domain_name == domain)
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "Domain {domain} isn't associated with service {service_arn}"
                ))
            })?;
        if matches!(d.status.as_str(), "creating" | "deleting") {
            return Err(ApiError::invalid_state(format!(
                "Domain {domain} can't be disassociated while its status is {}",
                d.status
            )));
        }
        d.status = "deleting".into();
        d.pending = Some(match ctx.outcome {
            Outcome::Stuck => (None, false),
            Outcome::Fail | Outcome::Rollback => {
                (Some(ctx.now.saturating_add(ctx.duration_ms)), true)
            }
            Outcome::Succeed => (Some(ctx.now.saturating_add(ctx.duration_ms)), false),
        });
        Ok(d.clone())
    }

    pub fn domains_of(&self, service_arn: &str) -> Res<Vec<CustomDomain>> {
        self.service(service_arn)?;
        Ok(self
            .domains
            .iter()
            .filter(|d| d.service_arn == service_arn)
            .cloned()
            .collect())
    }

    /// Marks the validation records of the domains that `filter` accepts
    /// as published in DNS; an association waiting for them moves on one
    /// step later. Returns how many were marked.
    pub fn publish_domain_dns(
        &mut self,
        now: i64,
        filter: impl Fn(&CustomDomain) -> bool,
    ) -> usize {
        let mut marked = 0;
        for d in self.domains.iter_mut().filter(|d| filter(d)) {
            marked += 1;
            d.dns_published = true;
            if d.status == "pending_certificate_dns_validation" && d.pending.is_none() {
                d.pending = Some((Some(now + d.step_ms), false));
            }
        }
        marked
    }

    pub(super) fn settle_domains(&mut self, now: i64) -> bool {
        let mut changed = false;
        let mut removed = vec![];
        for (i, d) in self.domains.iter_mut().enumerate() {
            let Some((Some(due), fails)) = d.pending else {
                continue;
            };
            if due > now {
                continue;
            }
            changed = true;
            let next = match (d.status.as_str(), fails) {
                ("creating", true) => "create_failed",
                ("creating", false) => "pending_certificate_dns_validation",
                ("pending_certificate_dns_validation", _) => "binding_certificate",
                ("binding_certificate", _) => "active",
                ("deleting", true) => "delete_failed",
                ("deleting", false) => {
                    removed.push(i);
                    continue;
                }
                _ => "active",
            };
            d.status = next.into();
            if next == "binding_certificate" {
                for r in &mut d.records {
                    r.status = "SUCCESS".into();
                }
            }
            d.pending = match next {
                "pending_certificate_dns_validation" if !d.dns_published => None,
                "pending_certificate_dns_validation" | "binding_certificate" => {
                    Some((Some(due.saturating_add(d.step_ms)), false))
                }
                _ => None,
            };
        }
        for i in removed.into_iter().rev() {
            self.domains.remove(i);
        }
        changed
    }
}
