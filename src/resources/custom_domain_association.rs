//! `apprunner_custom_domain_association`: links a domain name to a service,
//! as `aws_apprunner_custom_domain_association`.
//!
//! Beyond the AWS provider:
//! - `certificate_validation_records_by_domain` holds the validation records
//!   keyed by the names the certificate covers (`domain_name`, and
//!   `www.<domain_name>` with `enable_www_subdomain`), plus the record App
//!   Runner adds for a random label under the domain, whose name only App
//!   Runner's answer tells: it is keyed `<domain_name>/app-runner`. Its keys
//!   are known at plan time, so it can drive `for_each` in the same apply
//!   that creates the association (AWS #23460);
//!   `certificate_validation_records` is the AWS-compatible set, unknown
//!   until apply;
//! - `dns_target` is read back on refresh and after import;
//! - `wait_for_status` (e.g. `"active"`) waits, within `timeouts`, until the
//!   domain reaches that status; by default create waits, as the AWS
//!   provider does, until the validation records exist;
//! - the root domain / subdomain / wildcard rules of the App Runner guide
//!   are checked at plan time.
//!
//! App Runner reports custom domain statuses in lower case; they are
//! compared without regard to case. Import ID: `domain_name,service_arn`
//! (optionally `@REGION`, the service's); the identity is those two.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_apprunner::types::{CertificateValidationRecord, CustomDomain};
use serde::{Deserialize, Serialize};

use crate::apprunner::custom_domain::{self, CustomDomainAttributes, ValidationRecord, status_of};
use crate::plugin::ListResource;
use crate::plugin::generate;
use crate::plugin::model::{self, Field};
use crate::plugin::schema::Validator;
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, AttributePath, Block, Ctx, Diagnostic, Diagnostics,
    IdentityAttribute, IdentitySchema, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Type,
    Value, timeouts,
};
use crate::provider::lifecycle::ReadModel;
use crate::provider::listing::{self, RegionQuery, RegionalList};
use crate::provider::waiter::{Poll, Waiting, wait_for};
use crate::provider::{AppRunner, arns, calls, lifecycle, region};

pub struct CustomDomainAssociation;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// What the resource reads of its configuration, plan or state.
#[derive(Deserialize)]
struct AssociationModel {
    domain_name: Field<String>,
    service_arn: Field<String>,
    enable_www_subdomain: Field<bool>,
    wait_for_status: Field<String>,
    region: Field<String>,
    id: Field<String>,
    dns_target: Field<String>,
    status: Field<String>,
    certificate_validation_records_by_domain: Field<BTreeMap<String, Field<ValidationRecord>>>,
}

impl AssociationModel {
    fn domain(&self) -> &str {
        self.domain_name.as_deref().unwrap_or_default()
    }

    fn service(&self) -> &str {
        self.service_arn.as_deref().unwrap_or_default()
    }

    /// Whether www is associated too (App Runner's default when unknown).
    fn www(&self) -> bool {
        self.enable_www_subdomain.known().copied().unwrap_or(true)
    }
}

/// The resource's identity: the parts of the import ID.
#[derive(Deserialize)]
struct Identity {
    domain_name: Field<String>,
    service_arn: Field<String>,
}

/// What the plan decides where the configuration is silent.
#[derive(Default, Serialize)]
struct Defaults {
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Field<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enable_www_subdomain: Option<Field<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Field<String>>,
}

/// The attributes App Runner decides, as planned.
#[derive(Serialize)]
struct PlannedAttributes {
    id: Field<String>,
    dns_target: Field<String>,
    status: Field<String>,
    certificate_validation_records: Field<Vec<ValidationRecord>>,
    certificate_validation_records_by_domain: Field<BTreeMap<String, Field<ValidationRecord>>>,
}

/// The attributes the association's names decide (the region is the
/// service's).
#[derive(Serialize)]
struct Names<'a> {
    id: String,
    region: Option<&'a str>,
}

impl<'a> Names<'a> {
    fn of(domain: &str, service: &'a str) -> Self {
        Names {
            id: format!("{domain},{service}"),
            region: region::from_arn(service),
        }
    }
}

/// The attributes a description of the association fills.
#[derive(Serialize)]
struct Described {
    status: String,
    certificate_validation_records: Vec<ValidationRecord>,
    certificate_validation_records_by_domain: BTreeMap<String, ValidationRecord>,
}

/// Statuses `wait_for_status` accepts, in the order a domain reaches them.
pub(crate) const WAITABLE: &[&str] = &[
    "pending_certificate_dns_validation",
    "binding_certificate",
    "active",
];

/// The App Runner guide's rules for a domain to associate: a root domain
/// (`example.com`), a subdomain (`login.example.com`), or a wildcard that is
/// only the first label (`*.example.com`).
pub(crate) fn domain_rules() -> Validator {
    Validator::new("a root domain, subdomain or wildcard", |v| {
        let Some(domain) = v.as_str() else {
            return Ok(());
        };
        if domain.ends_with('.') {
            return Err(format!(
                "must be written without a trailing dot, got {domain:?}"
            ));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.iter().any(|l| l.is_empty()) {
            return Err(format!(
                "must not contain empty labels (\"..\" or a leading dot), got {domain:?}"
            ));
        }
        if labels.len() < 2 {
            return Err(format!(
                "must be a root domain (example.com), a subdomain (login.example.com) or a wildcard (*.example.com), got {domain:?}"
            ));
        }
        for (i, label) in labels.iter().enumerate() {
            if label.contains('*') {
                if i != 0 || *label != "*" {
                    return Err(format!(
                        "may use \"*\" only as the whole first label of a wildcard such as *.example.com, got {domain:?}"
                    ));
                }
                if labels.len() < 3 {
                    return Err(format!(
                        "must be a wildcard of a domain (*.example.com), not of a top-level domain, got {domain:?}"
                    ));
                }
                continue;
            }
            if label.len() > 63 {
                return Err(format!(
                    "must have labels of at most 63 characters, got {label:?} ({} characters)",
                    label.len()
                ));
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err(format!(
                    "must not have labels that start or end with a hyphen, got {label:?}"
                ));
            }
        }
        Ok(())
    })
}

pub(crate) fn is_wildcard(domain: &str) -> bool {
    domain.starts_with("*.")
}

/// The names the certificate covers.
pub(crate) fn covered_names(domain: &str, www: bool) -> Vec<String> {
    let mut names = vec![domain.to_string()];
    if www && !is_wildcard(domain) {
        names.push(format!("www.{domain}"));
    }
    names
}

/// The key of the record App Runner adds for a label of its own under the
/// domain (`_<token>.<label>.<domain>.`): the name is App Runner's choice,
/// so the key is fixed, and cannot be mistaken for a host name.
fn app_runner_key(domain: &str) -> String {
    format!("{domain}/app-runner")
}

/// The keys of `certificate_validation_records_by_domain`, known at plan
/// time: the covered names and [`app_runner_key`].
pub(crate) fn record_keys(domain: &str, www: bool) -> Vec<String> {
    let mut keys = covered_names(domain, www);
    keys.push(app_runner_key(domain));
    keys
}

fn wait_status() -> Validator {
    Validator::new(format!("one of {}", WAITABLE.join(", ")), |v| {
        match v.as_str() {
            Some(s) if !WAITABLE.iter().any(|w| w.eq_ignore_ascii_case(s)) => Err(format!(
                "must be one of {} (any letter case), got {s:?}",
                WAITABLE
                    .iter()
                    .map(|w| format!("{w:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => Ok(()),
        }
    })
}

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("Associates a custom domain name with an App Runner service. Add the validation records (`certificate_validation_records_by_domain` works with `for_each`) and a record pointing at `dns_target` to your DNS.")
            .attribute(
                Attribute::string("domain_name")
                    .required()
                    .requires_replace()
                    .validate(v::string_length(1, 255))
                    .validate(v::string_matches("[A-Za-z0-9*.-]{1,255}", "letters, digits, hyphens, dots and \"*\""))
                    .validate(domain_rules())
                    .description("The domain to associate: a root domain (`example.com`), a subdomain (`login.example.com`) or a wildcard (`*.example.com`)."),
            )
            .attribute(
                Attribute::string("service_arn")
                    .required()
                    .requires_replace()
                    .validate(arns::validator("service"))
                    .description("ARN of the App Runner service."),
            )
            .attribute(
                Attribute::bool("enable_www_subdomain")
                    .optional()
                    .computed()
                    .requires_replace()
                    .description("Also associate `www.<domain_name>`. Defaults to `true`, except for a wildcard domain, which cannot have one."),
            )
            .attribute(
                Attribute::string("wait_for_status")
                    .optional()
                    .validate(wait_status())
                    .description("Wait, within `timeouts`, until the domain reaches this status: `pending_certificate_dns_validation`, `binding_certificate` or `active`. Unset, create waits until the validation records exist, as the AWS provider does."),
            )
            .attribute(region::attribute())
            .attribute(Attribute::string("id").computed().keep_prior().description("`domain_name` and `service_arn`, separated by a comma."))
            .attribute(Attribute::string("dns_target").computed().keep_prior().description("The App Runner host name to point the domain at (CNAME or alias record)."))
            .attribute(Attribute::string("status").computed().description("Status of the association, e.g. `pending_certificate_dns_validation` or `active` (lower case, as App Runner reports it)."))
            .attribute(
                Attribute::new("certificate_validation_records", Type::set(ValidationRecord::value_type()))
                    .computed()
                    .description("Certificate validation records to add to your DNS (`name`, `type`, `value`, `status`), as in the AWS provider. Unknown until apply; use `certificate_validation_records_by_domain` with `for_each`."),
            )
            .attribute(
                Attribute::new("certificate_validation_records_by_domain", Type::map(ValidationRecord::value_type()))
                    .computed()
                    .description("The validation record of each name the certificate covers, keyed by that name (`domain_name`, and `www.<domain_name>` with `enable_www_subdomain`), and the record App Runner adds for a label of its own under the domain, keyed `<domain_name>/app-runner`. The keys are known at plan time, so this map can drive `for_each` in the apply that creates the association."),
            )
            .block(timeouts::block(&["create", "update", "delete"], DEFAULT_TIMEOUT)),
    )
}

#[async_trait]
impl Resource<AppRunner> for CustomDomainAssociation {
    fn type_name(&self) -> &'static str {
        "apprunner_custom_domain_association"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    /// The parts of the import ID; the region is the service's.
    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::of(vec![
            IdentityAttribute::required("domain_name", "The associated domain name."),
            IdentityAttribute::required(
                "service_arn",
                "ARN of the service the domain is associated with.",
            ),
        ]))
    }

    fn import_id_from_identity(&self, identity: &Value) -> Option<String> {
        let identity: Identity = model::from_value(identity).ok()?;
        let domain = identity.domain_name.as_deref()?;
        let service = identity.service_arn.as_deref()?;
        Some(format!("{domain},{service}"))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let config = match AssociationModel::of(config) {
            Ok(c) => c,
            Err(d) => return diags.push(d),
        };
        let service_region = config.service_arn.as_deref().and_then(region::from_arn);
        if let (Some(r), Some(s)) = (config.region.as_deref(), service_region)
            && r != s
        {
            diags.error_at(
                AttributePath::attr("region"),
                "Region differs from the service's",
                format!("The service is in {s}, but `region` is {r}. Leave `region` out to use the service's."),
            );
        }
        let Some(domain) = config.domain_name.as_deref() else {
            return;
        };
        if is_wildcard(domain) && config.enable_www_subdomain == Field::Known(true) {
            diags.error_at(
                AttributePath::attr("enable_www_subdomain"),
                "A wildcard domain cannot have a www subdomain",
                format!(
                    "App Runner cannot associate www with the wildcard {domain}. Remove enable_www_subdomain or set it to false."
                ),
            );
        }
        if is_wildcard(domain) && domain.split('.').count() > 3 {
            diags.push(
                Diagnostic::warning(
                    "Wildcard below a subdomain",
                    format!(
                        "App Runner accepts a wildcard only as the immediate subdomain of a root domain \
                         (*.example.com, not *.login.example.com). {domain} works only if {} is itself a \
                         registered domain (such as example.co.uk).",
                        &domain[2..]
                    ),
                )
                .at(AttributePath::attr("domain_name")),
            );
        }
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
        if plan.planned.is_null() {
            return;
        }
        if let Err(d) = plan_association(ctx, plan) {
            plan.diagnostics.push(d);
        }
    }

    fn lister(&self) -> Option<&dyn ListResource<AppRunner>> {
        Some(self)
    }

    /// The region is the service's, so it is never written; the www
    /// subdomain is written when it is not the default (which would
    /// replace the association).
    fn generate_config(&self, _ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        #[derive(Serialize)]
        struct Www {
            enable_www_subdomain: bool,
        }
        let mut config = generate::config_from_state(&schema.block, state);
        let Ok(state) = AssociationModel::of(state) else {
            return config;
        };
        let default = state.domain_name.as_deref().map(|d| !is_wildcard(d));
        if let Some(&www) = state.enable_www_subdomain.known()
            && Some(www) != default
        {
            let www = Www {
                enable_www_subdomain: www,
            };
            // The attribute is in the schema, so writing it cannot fail.
            let _ = super::write_model(&mut config, schema, &www);
        }
        config
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let planned = crate::or_return!(AssociationModel::of(&req.planned), Applied::failed);
        let (domain, service, www) = (planned.domain(), planned.service(), planned.www());
        let timeout = timeouts::get(&req.planned, "create", DEFAULT_TIMEOUT);
        let associated =
            custom_domain::associate(ctx, provider, service, domain, www, timeout).await;
        let mut state = req.planned.clone();
        let (dns_target, custom_domain) = match associated {
            Ok(made) => made,
            Err(calls::CreateFailed {
                made: Some((dns_target, custom_domain)),
                diagnostic,
            }) => {
                let mut diags = Diagnostics::from(diagnostic);
                let filled = super::write_model(&mut state, &schema(), &Names::of(domain, service))
                    .and_then(|()| {
                        fill(&mut state, &dns_target, custom_domain.as_ref(), domain, www)
                    });
                if let Err(d) = filled {
                    diags.push(d);
                }
                return Applied::partial(state, diags);
            }
            Err(failed) => return Applied::failed(failed.diagnostic),
        };
        let filled = super::write_model(&mut state, &schema(), &Names::of(domain, service))
            .and_then(|()| fill(&mut state, &dns_target, custom_domain.as_ref(), domain, www));
        if let Err(d) = filled {
            return Applied::partial(state, d);
        }
        let target = planned.wait_for_status.as_deref();
        let waited = wait(ctx, provider, service, domain, www, target, timeout).await;
        finish(waited, state.clone(), state, domain, www)
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        #[derive(Serialize)]
        struct Found<'a> {
            #[serde(flatten)]
            names: Names<'a>,
            enable_www_subdomain: bool,
        }
        let provider = ctx.provider();
        let known = crate::or_return!(AssociationModel::of(&req.state), Read::failed);
        let (domain, service) = (known.domain(), known.service());
        let (dns_target, found) = match custom_domain::find(provider, service, domain).await {
            Ok(Some(x)) => x,
            Ok(None) => return Read::gone(),
            Err(d) => return Read::failed(d),
        };
        let mut names = Names::of(domain, service);
        if let Some(r) = known.region.as_deref() {
            names.region = Some(r);
        }
        let www = found.enable_www_subdomain();
        let mut state = req.state.clone();
        let found_names = Found {
            names,
            enable_www_subdomain: www,
        };
        let filled = super::write_model(&mut state, &schema(), &found_names)
            .and_then(|()| fill(&mut state, &dns_target, Some(&found), domain, www));
        match filled {
            Ok(()) => Read::found(state),
            Err(d) => Read::failed(d),
        }
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        // Only wait_for_status and timeouts change in place: wait for the
        // (new) status and report what App Runner says.
        let planned = crate::or_return!(AssociationModel::of(&req.planned), Applied::failed);
        let (domain, service, www) = (planned.domain(), planned.service(), planned.www());
        let timeout = timeouts::get(&req.planned, "update", DEFAULT_TIMEOUT);
        let target = planned.wait_for_status.as_deref();
        let waited = wait(ctx, provider, service, domain, www, target, timeout).await;
        finish(waited, req.planned.clone(), req.prior.clone(), domain, www)
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, _private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let known = crate::or_return!(AssociationModel::of(state), Diagnostics::from);
        let timeout = timeouts::get(state, "delete", DEFAULT_TIMEOUT);
        custom_domain::disassociate(ctx, provider, known.service(), known.domain(), timeout).await
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        let expected = "DOMAIN_NAME,SERVICE_ARN (e.g. example.com,arn:aws:apprunner:us-east-1:123456789012:service/web/0123…)";
        let (domain, service, at) =
            lifecycle::import_pair(id, expected, |d, s| !d.is_empty() && arns::is("service", s))?;
        region::check_import_region(id, region::from_arn(service), at)?;
        #[derive(Serialize)]
        struct Imported<'a> {
            #[serde(flatten)]
            names: Names<'a>,
            domain_name: &'a str,
            service_arn: &'a str,
        }
        let seed = Imported {
            names: Names::of(domain, service),
            domain_name: domain,
            service_arn: service,
        };
        Ok(model::to_value(&seed, &schema().implied_type())?)
    }
}

#[async_trait]
impl RegionalList for CustomDomainAssociation {
    fn filters(&self) -> Block {
        Block::new()
            .description("Lists the custom domains associated with the services of a region.")
            .attribute(
                Attribute::string("service_arn")
                    .optional()
                    .validate(arns::validator("service"))
                    .description("Only the domains of this service (listed in its region)."),
            )
    }

    fn region_of<'a>(&self, provider: &'a AppRunner, config: &'a Value) -> &'a str {
        listing::service_region(provider, config)
    }

    async fn ids_in(&self, query: &RegionQuery<'_>) -> Result<Vec<String>, Diagnostics> {
        let all_services = crate::apprunner::service::arns(query.provider, query.region);
        listing::per_service(query, all_services, |service, room| async move {
            let found = custom_domain::names(query.provider, &service, room).await?;
            Ok(found
                .into_iter()
                .map(|domain| format!("{domain},{service}"))
                .collect())
        })
        .await
    }

    fn display_name(&self, state: &Value) -> String {
        format!(
            "{} ({})",
            state.attr("domain_name").as_str().unwrap_or_default(),
            state
                .attr("service_arn")
                .as_str()
                .and_then(arns::name_of)
                .unwrap_or_default()
        )
    }
}

/// Plans `region` and `enable_www_subdomain` left out of the
/// configuration, and what App Runner decides: known keys of
/// `certificate_validation_records_by_domain` for a new association,
/// statuses that may move while an update waits.
fn plan_association(ctx: &PlanCtx<AppRunner>, plan: &mut Plan) -> Result<(), Diagnostic> {
    let config = AssociationModel::of(&plan.config)?;
    let planned = AssociationModel::of(&plan.planned)?;
    let prior: Option<AssociationModel> = model::from_value(&plan.prior)?;
    let mut defaults = Defaults::default();
    // The association lives where its service does (not region::plan:
    // the provider's region does not matter here).
    if config.region.is_null() {
        let service = &planned.service_arn;
        defaults.region = Some(match service.as_deref().and_then(region::from_arn) {
            Some(r) => r.into(),
            None if service.is_unknown() => Field::Unknown,
            None => match ctx.provider() {
                Ok(p) => p.region.as_str().into(),
                Err(_) => Field::Unknown,
            },
        });
    }
    let domain = planned.domain_name.as_deref();
    let mut www = planned.enable_www_subdomain.clone();
    if config.enable_www_subdomain.is_null() {
        www = domain.map_or(Field::Unknown, |d| Field::Known(!is_wildcard(d)));
        if prior
            .as_ref()
            .is_some_and(|p| p.enable_www_subdomain != www)
        {
            plan.require_replace(AttributePath::attr("enable_www_subdomain"));
        }
        defaults.enable_www_subdomain = Some(www.clone());
    }
    // A failed association stays failed: only a new one helps.
    let failed = |p: &AssociationModel| p.status.as_deref().is_some_and(|s| s.ends_with("failed"));
    if prior.as_ref().is_some_and(failed) {
        defaults.status = Some(Field::Unknown);
        plan.require_replace(AttributePath::attr("status"));
    }
    super::write_model(&mut plan.planned, &schema(), &defaults)?;
    let computed = match prior {
        Some(prior) if !plan.is_replace() => {
            if plan.planned == plan.prior {
                return Ok(());
            }
            // Only wait_for_status or timeouts change: the association
            // stays; statuses may move while the update waits.
            let by_domain = match prior.certificate_validation_records_by_domain {
                Field::Known(entries) => Field::Known(
                    entries
                        .into_iter()
                        .map(|(k, record)| {
                            let record = match record {
                                Field::Known(r) => Field::Known(ValidationRecord {
                                    status: Field::Unknown,
                                    ..r
                                }),
                                _ => Field::Unknown,
                            };
                            (k, record)
                        })
                        .collect(),
                ),
                _ => Field::Unknown,
            };
            PlannedAttributes {
                id: planned.id,
                dns_target: prior.dns_target,
                status: Field::Unknown,
                certificate_validation_records: Field::Unknown,
                certificate_validation_records_by_domain: by_domain,
            }
        }
        _ => PlannedAttributes {
            id: match (domain, planned.service_arn.as_deref()) {
                (Some(d), Some(s)) => Field::Known(format!("{d},{s}")),
                _ => Field::Unknown,
            },
            dns_target: Field::Unknown,
            status: Field::Unknown,
            certificate_validation_records: Field::Unknown,
            // The point of this attribute: keys known now, values at apply.
            certificate_validation_records_by_domain: match (domain, www.known()) {
                (Some(d), Some(&www)) => Field::Known(
                    record_keys(d, www)
                        .into_iter()
                        .map(|name| (name, Field::Unknown))
                        .collect(),
                ),
                _ => Field::Unknown,
            },
        },
    };
    super::write_model(&mut plan.planned, &schema(), &computed)
}

/// What a wait ended with: the DNS target and the domain, or the last ones
/// seen with the error.
type Waited = Result<(String, CustomDomain), (Option<(String, CustomDomain)>, Diagnostic)>;

/// Waits until the domain reaches `target` (or, without one, until it left
/// `creating` and has a validation record for every name it covers).
async fn wait(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    service: &str,
    domain: &str,
    www: bool,
    target: Option<&str>,
    timeout: Duration,
) -> Waited {
    let target = target.map(str::to_ascii_lowercase);
    let wanted = target
        .as_deref()
        .and_then(|t| WAITABLE.iter().position(|w| *w == t));
    let last = Mutex::new(None::<(String, CustomDomain)>);
    let waiting = Waiting::on("the custom domain's status", domain);
    let waited = wait_for(ctx.cancellation(), timeout, waiting, || async {
        let (dns_target, found) = match custom_domain::find(provider, service, domain).await {
            Ok(Some(x)) => x,
            Ok(None) => {
                return Poll::Failed(Diagnostic::error(
                    "Custom domain association disappeared",
                    format!("{domain} is no longer associated with {service}."),
                ));
            }
            Err(d) => return Poll::Failed(d),
        };
        let status = status_of(&found);
        *last.lock().unwrap_or_else(|e| e.into_inner()) = Some((dns_target.clone(), found.clone()));
        if status.ends_with("failed") {
            return Poll::Failed(Diagnostic::error(
                format!("Custom domain {domain} association failed ({status})"),
                format!(
                    "App Runner reports {domain} on {service} as {status}. If CAA records exist for the domain, \
                     one of them must allow amazon.com; see the App Runner guide on custom domain names."
                ),
            ));
        }
        let reached = WAITABLE.iter().position(|w| *w == status);
        let records_ready = status != "creating"
            && covered_names(domain, www)
                .iter()
                .all(|name| record_for(&found, name).is_some());
        let done = match wanted {
            Some(w) => reached.is_some_and(|r| r >= w) && records_ready,
            None => records_ready,
        };
        if done {
            Poll::Ready((dns_target, found))
        } else {
            Poll::Pending(status)
        }
    })
    .await;
    waited.map_err(|e| {
        let what = match &target {
            Some(t) => format!("custom domain {domain} to become {t}"),
            None => format!("the certificate validation records of custom domain {domain}"),
        };
        (
            last.lock().unwrap_or_else(|e| e.into_inner()).take(),
            e.into_diagnostic(&what, timeout),
        )
    })
}

/// The validation record for `name` (a name the certificate covers):
/// records are named `_<token>.<name>.`; a wildcard's record may name the
/// domain under the wildcard.
fn record_for<'a>(d: &'a CustomDomain, name: &str) -> Option<&'a CertificateValidationRecord> {
    let name = name.to_ascii_lowercase();
    let base = name.strip_prefix("*.");
    d.certificate_validation_records().iter().find(|r| {
        let Some(record) = r.name() else {
            return false;
        };
        let record = record.trim_end_matches('.').to_ascii_lowercase();
        let Some((_, validated)) = record.split_once('.') else {
            return false;
        };
        validated == name || Some(validated) == base
    })
}

/// The record App Runner adds for its own label under the domain: the one
/// under the domain (without `*.`) that no covered name accounts for.
fn app_runner_record<'a>(
    d: &'a CustomDomain,
    domain: &str,
    www: bool,
) -> Option<&'a CertificateValidationRecord> {
    let domain = domain.to_ascii_lowercase();
    let base = domain.strip_prefix("*.").unwrap_or(&domain);
    let covered: Vec<_> = covered_names(&domain, www)
        .iter()
        .filter_map(|n| record_for(d, n))
        .filter_map(|r| r.name())
        .collect();
    d.certificate_validation_records().iter().find(|r| {
        let Some(name) = r.name() else {
            return false;
        };
        let record = name.trim_end_matches('.').to_ascii_lowercase();
        let under = record
            .split_once('.')
            .and_then(|(_, validated)| validated.strip_suffix(base))
            .is_some_and(|label| label.ends_with('.') && label.len() > 1);
        under && !covered.contains(&name)
    })
}

/// The state a wait ends with: `state` filled from what App Runner
/// reports, or on failure `kept` filled from the last description seen.
fn finish(waited: Waited, mut state: Value, mut kept: Value, domain: &str, www: bool) -> Applied {
    match waited {
        Ok((dns_target, d)) => match fill(&mut state, &dns_target, Some(&d), domain, www) {
            Ok(()) => Applied::ok(state),
            Err(e) => Applied::partial(state, e),
        },
        Err((last, e)) => {
            let mut diags = Diagnostics::from(e);
            if let Some((dns_target, c)) = last
                && let Err(e) = fill(&mut kept, &dns_target, Some(&c), domain, www)
            {
                diags.push(e);
            }
            Applied::partial(kept, diags)
        }
    }
}

/// Sets what App Runner decides from a description of the association.
fn fill(
    state: &mut Value,
    dns_target: &str,
    d: Option<&CustomDomain>,
    domain: &str,
    www: bool,
) -> Result<(), Diagnostic> {
    #[derive(Serialize)]
    struct DnsTarget<'a> {
        dns_target: &'a str,
    }
    let known = AssociationModel::of(state)?;
    if !dns_target.is_empty() || known.dns_target.is_unknown() {
        super::write_model(state, &schema(), &DnsTarget { dns_target })?;
    }
    let Some(d) = d else {
        return Ok(());
    };
    let CustomDomainAttributes {
        status,
        certificate_validation_records,
        ..
    } = CustomDomainAttributes::from(d);
    let certificate_validation_records_by_domain = record_keys(domain, www)
        .into_iter()
        .map(|name| {
            let record = if name == app_runner_key(domain) {
                app_runner_record(d, domain, www)
            } else {
                record_for(d, &name)
            };
            (name, record.map(ValidationRecord::from).unwrap_or_default())
        })
        .collect();
    let described = Described {
        status,
        certificate_validation_records,
        certificate_validation_records_by_domain,
    };
    super::write_model(state, &schema(), &described)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(domain: &str) -> Result<(), String> {
        domain_rules().check(&Value::from(domain))
    }

    #[test]
    fn root_domains_subdomains_and_wildcards_are_accepted() {
        for ok in [
            "example.com",
            "login.example.com",
            "admin.login.example.com",
            "*.example.com",
            "xn--bcher-kva.example",
        ] {
            assert!(check(ok).is_ok(), "{ok}: {:?}", check(ok));
        }
    }

    #[test]
    fn what_the_guide_rules_out_is_refused() {
        for bad in [
            "login*.example.com",
            "*.*.example.com",
            "a.*.example.com",
            "*.com",
            "localhost",
            "example.com.",
            "example..com",
            ".example.com",
            "-bad.example.com",
        ] {
            assert!(check(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn validation_records_fit_the_schema_with_their_type() {
        let record = CertificateValidationRecord::builder()
            .name("_1.example.com.")
            .r#type("CNAME")
            .value("_2.acm-validations.aws.")
            .build();
        let value = model::to_value(
            &ValidationRecord::from(&record),
            &ValidationRecord::value_type(),
        )
        .unwrap();
        let expected = Value::Object(
            [
                ("name", Value::from("_1.example.com.")),
                ("status", Value::Null),
                ("type", Value::from("CNAME")),
                ("value", Value::from("_2.acm-validations.aws.")),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        );
        assert_eq!(value, expected);
    }

    #[test]
    fn covered_names_follow_the_www_option() {
        assert_eq!(
            covered_names("example.com", true),
            ["example.com", "www.example.com"]
        );
        assert_eq!(covered_names("example.com", false), ["example.com"]);
        assert_eq!(covered_names("*.example.com", true), ["*.example.com"]);
        assert_eq!(
            record_keys("*.example.com", false),
            ["*.example.com", "*.example.com/app-runner"]
        );
    }
}
