//! Custom domains of a service (DescribeCustomDomains): finding one,
//! describing them all, associating one without a duplicate request
//! failing, and disassociating one once App Runner allows it; and what
//! `apprunner_custom_domain_association` and `apprunner_custom_domains`
//! both show of a domain ([`CustomDomainAttributes`], [`ValidationRecord`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use aws_sdk_apprunner::operation::describe_custom_domains::DescribeCustomDomainsOutput;
use aws_sdk_apprunner::types::{CertificateValidationRecord, CustomDomain, VpcDnsTarget};

use serde::{Deserialize, Serialize};

use crate::plugin::model::Field;
use crate::plugin::{Ctx, Diagnostic, Diagnostics, Type};
use crate::provider::errors::{api_error, code, is_not_found};
use crate::provider::waiter::{Poll, Waiting, wait_for};
use crate::provider::{AppRunner, calls};

/// A custom domain's status as App Runner reports it: lower case.
pub fn status_of(d: &CustomDomain) -> String {
    d.status().as_str().to_ascii_lowercase()
}

/// A certificate validation record as the association and the
/// `apprunner_custom_domains` data source show it (a typed model, see
/// [`crate::plugin::model`]); a plan may leave its parts unknown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ValidationRecord {
    pub name: Field<String>,
    pub status: Field<String>,
    pub r#type: Field<String>,
    pub value: Field<String>,
}

impl ValidationRecord {
    /// The Terraform type of a record in the schemas that show one.
    pub fn value_type() -> Type {
        Type::object([
            ("name", Type::String),
            ("status", Type::String),
            ("type", Type::String),
            ("value", Type::String),
        ])
    }
}

impl From<&CertificateValidationRecord> for ValidationRecord {
    fn from(r: &CertificateValidationRecord) -> Self {
        ValidationRecord {
            name: r.name().into(),
            status: r.status().map(|s| s.as_str()).into(),
            r#type: r.r#type().into(),
            value: r.value().into(),
        }
    }
}

/// What App Runner says of one custom domain, in the attributes the
/// association and the data source share.
#[derive(Serialize)]
pub struct CustomDomainAttributes {
    pub domain_name: String,
    pub enable_www_subdomain: bool,
    /// Lower case, as App Runner reports it.
    pub status: String,
    /// Sorted by name.
    pub certificate_validation_records: Vec<ValidationRecord>,
}

impl From<&CustomDomain> for CustomDomainAttributes {
    fn from(d: &CustomDomain) -> Self {
        let mut records: Vec<ValidationRecord> = d
            .certificate_validation_records()
            .iter()
            .map(ValidationRecord::from)
            .collect();
        records.sort_by(|a, b| a.name.as_deref().cmp(&b.name.as_deref()));
        CustomDomainAttributes {
            domain_name: d.domain_name().to_string(),
            enable_www_subdomain: d.enable_www_subdomain(),
            status: status_of(d),
            certificate_validation_records: records,
        }
    }
}

/// Follows the pages DescribeCustomDomains answers for `service`, keeping
/// what `pick` takes of each, until `limit` items are kept. A service that
/// does not exist has no pages, or with `must_exist` is an error.
async fn walk<T: Clone>(
    provider: &AppRunner,
    service: &str,
    limit: usize,
    must_exist: bool,
    pick: impl Fn(&DescribeCustomDomainsOutput) -> Vec<T>,
) -> Result<Vec<T>, Diagnostics> {
    let request = provider.client_for_arn(service).describe_custom_domains();
    let stream = request.service_arn(service).into_paginator().send();
    let mut kept = Vec::new();
    let walked = super::try_pages(stream, |page| {
        super::keep_wanted(&mut kept, &pick(&page), |_| true, limit)
    })
    .await;
    match walked {
        Ok(()) => Ok(kept),
        // Deleted since it was listed, or gone since it was read.
        Err(e) if is_not_found(&e) && !must_exist => Ok(kept),
        Err(e) => Err(api_error("DescribeCustomDomains", service, e).into()),
    }
}

/// The DNS target of the service and the association of `domain`, or
/// `None` when the service or the association no longer exists.
pub async fn find(
    provider: &AppRunner,
    service: &str,
    domain: &str,
) -> Result<Option<(String, CustomDomain)>, Diagnostic> {
    let found = walk(provider, service, 1, false, |page| {
        page.custom_domains()
            .iter()
            .find(|d| d.domain_name().eq_ignore_ascii_case(domain))
            .map(|d| (page.dns_target().to_string(), d.clone()))
            .into_iter()
            .collect()
    })
    .await
    .map_err(super::first)?;
    Ok(found.into_iter().next())
}

/// Everything DescribeCustomDomains reports for a service.
pub struct Domains {
    /// The App Runner host name the service's domains point at.
    pub dns_target: String,
    pub custom_domains: Vec<CustomDomain>,
    pub vpc_dns_targets: Vec<VpcDnsTarget>,
}

/// Every custom domain of `service`, with its DNS targets.
pub async fn describe_all(provider: &AppRunner, service: &str) -> Result<Domains, Diagnostics> {
    let mut all = Domains {
        dns_target: String::new(),
        custom_domains: Vec::new(),
        vpc_dns_targets: Vec::new(),
    };
    for page in walk(provider, service, usize::MAX, true, |page| {
        vec![page.clone()]
    })
    .await?
    {
        if all.dns_target.is_empty() {
            all.dns_target = page.dns_target().to_string();
        }
        if all.vpc_dns_targets.is_empty() {
            all.vpc_dns_targets = page.vpc_dns_targets().to_vec();
        }
        all.custom_domains
            .extend(page.custom_domains().iter().cloned());
    }
    Ok(all)
}

/// The names of the custom domains of `service`, at most `limit`; none
/// when the service no longer exists.
pub async fn names(
    provider: &AppRunner,
    service: &str,
    limit: usize,
) -> Result<Vec<String>, Diagnostics> {
    walk(provider, service, limit, false, |page| {
        page.custom_domains()
            .iter()
            .map(|d| d.domain_name().to_string())
            .collect()
    })
    .await
}

/// What an association answers: the service's DNS target and the domain,
/// when App Runner described it.
pub type Associated = (String, Option<CustomDomain>);

/// Sends AssociateCustomDomain through [`calls::create_or_adopt`]: an
/// association whose answer was lost is found by its domain name.
pub async fn associate(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    service: &str,
    domain: &str,
    www: bool,
    timeout: Duration,
) -> Result<Associated, calls::CreateFailed<Associated>> {
    let client = provider.client_for_arn(service);
    let send = || async {
        let request = client
            .associate_custom_domain()
            .service_arn(service)
            .domain_name(domain)
            .enable_www_subdomain(www)
            .customize();
        let out = request.config_override(calls::one_attempt()).send().await?;
        Ok((out.dns_target, out.custom_domain))
    };
    // App Runner refuses the association while the service is busy (its own
    // maintenance, or an operation Terraform started earlier).
    super::service::create_when_settled(
        ctx,
        provider,
        service,
        "AssociateCustomDomain",
        &format!("{domain} on {service}"),
        &super::operation::Deadline::after(timeout),
        send,
        || async {
            find(provider, service, domain)
                .await
                .map(|found| found.map(|(target, d)| (target, Some(d))))
        },
    )
    .await
}

/// Disassociates `domain` from `service` and waits, within `timeout`, until
/// it is gone. App Runner refuses while the domain is being created or
/// deleted: those are waited out.
pub async fn disassociate(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    service: &str,
    domain: &str,
    timeout: Duration,
) -> Diagnostics {
    let client = provider.client_for_arn(service);
    let requested = AtomicBool::new(false);
    let waiting = Waiting::on("disassociate the custom domain", domain);
    let waited = wait_for(ctx.cancellation(), timeout, waiting, || async {
        let found = match find(provider, service, domain).await {
            Ok(Some((_, d))) => d,
            Ok(None) => return Poll::Ready(()),
            Err(d) => return Poll::Failed(d),
        };
        let status = status_of(&found);
        match status.as_str() {
            // App Runner refuses to disassociate in these; wait them out.
            "creating" | "deleting" => return Poll::Pending(status),
            "delete_failed" if requested.load(Ordering::Relaxed) => {
                return Poll::Failed(Diagnostic::error(
                    format!("Custom domain {domain} could not be disassociated"),
                    format!("App Runner reports {domain} on {service} as delete_failed."),
                ));
            }
            _ => {}
        }
        match client
            .disassociate_custom_domain()
            .service_arn(service)
            .domain_name(domain)
            .send()
            .await
        {
            Ok(_) => {
                requested.store(true, Ordering::Relaxed);
                Poll::Pending("deleting".into())
            }
            Err(e) if is_not_found(&e) => Poll::Ready(()),
            Err(e) if code(&e).as_deref() == Some("InvalidStateException") => Poll::Pending(status),
            Err(e) => Poll::Failed(api_error(
                "DisassociateCustomDomain",
                &format!("{domain} on {service}"),
                e,
            )),
        }
    })
    .await;
    let what = format!("custom domain {domain} to be disassociated");
    match waited {
        Ok(()) => Diagnostics::new(),
        Err(e) => e.into_diagnostic(&what, timeout).into(),
    }
}
