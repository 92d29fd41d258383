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

use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_apprunner::types::{CertificateValidationRecord, CustomDomain};

use crate::apprunner::custom_domain::{self, record_value, status_of};
use crate::plugin::ListResource;
use crate::plugin::framework::MoveSource;
use crate::plugin::generate;
use crate::plugin::json::{self, Strictness};
use crate::plugin::schema::Validator;
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, AttributePath, Block, Ctx, Diagnostic, Diagnostics,
    IdentityAttribute, IdentitySchema, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Type,
    Value, timeouts,
};
use crate::provider::listing::{self, RegionQuery, RegionalList};
use crate::provider::waiter::{Poll, Waiting, wait_for};
use crate::provider::{AppRunner, arns, calls, migrate, region};

pub struct CustomDomainAssociation;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Statuses `wait_for_status` accepts, in the order a domain reaches them.
pub(crate) const WAITABLE: &[&str] = &[
    "pending_certificate_dns_validation",
    "binding_certificate",
    "active",
];

fn record_type() -> Type {
    Type::object([
        ("name", Type::String),
        ("status", Type::String),
        ("type", Type::String),
        ("value", Type::String),
    ])
}

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
                Attribute::new("certificate_validation_records", Type::set(record_type()))
                    .computed()
                    .description("Certificate validation records to add to your DNS (`name`, `type`, `value`, `status`), as in the AWS provider. Unknown until apply; use `certificate_validation_records_by_domain` with `for_each`."),
            )
            .attribute(
                Attribute::new("certificate_validation_records_by_domain", Type::map(record_type()))
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
        Some(IdentitySchema {
            version: 0,
            attributes: vec![
                IdentityAttribute {
                    name: "domain_name".into(),
                    ty: Type::String,
                    description: "The associated domain name.".into(),
                    required_for_import: true,
                },
                IdentityAttribute {
                    name: "service_arn".into(),
                    ty: Type::String,
                    description: "ARN of the service the domain is associated with.".into(),
                    required_for_import: true,
                },
            ],
        })
    }

    fn import_id_from_identity(&self, identity: &Value) -> Option<String> {
        let domain = identity.attr("domain_name").as_str()?;
        let service = identity.attr("service_arn").as_str()?;
        Some(format!("{domain},{service}"))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let service_region = config
            .attr("service_arn")
            .as_str()
            .and_then(region::from_arn);
        if let (Some(r), Some(s)) = (config.attr("region").as_str(), service_region)
            && r != s
        {
            diags.error_at(
                AttributePath::attr("region"),
                "Region differs from the service's",
                format!("The service is in {s}, but `region` is {r}. Leave `region` out to use the service's."),
            );
        }
        let Some(domain) = config.attr("domain_name").as_str() else {
            return;
        };
        if is_wildcard(domain) && config.attr("enable_www_subdomain").as_bool() == Some(true) {
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
        // The association lives where its service does (not region::plan:
        // the provider's region does not matter here).
        if plan.config.attr("region").is_null() {
            let service = plan.planned.attr("service_arn");
            let r = match service.as_str().and_then(region::from_arn) {
                Some(r) => r.into(),
                None if service.is_unknown() => Value::unknown(),
                None => match ctx.provider() {
                    Ok(p) => p.region.as_str().into(),
                    Err(_) => Value::unknown(),
                },
            };
            plan.planned.set_attr("region", r);
        }
        let domain = plan
            .planned
            .attr("domain_name")
            .as_str()
            .map(str::to_string);
        if plan.config.attr("enable_www_subdomain").is_null() {
            let default = match &domain {
                Some(d) => Value::Bool(!is_wildcard(d)),
                None => Value::unknown(),
            };
            if !plan.is_create() && plan.prior.attr("enable_www_subdomain") != &default {
                plan.require_replace(AttributePath::attr("enable_www_subdomain"));
            }
            plan.planned.set_attr("enable_www_subdomain", default);
        }
        // A failed association stays failed: only a new one helps.
        if !plan.is_create()
            && plan
                .prior
                .attr("status")
                .as_str()
                .is_some_and(|s| s.ends_with("failed"))
        {
            plan.planned.set_attr("status", Value::unknown());
            plan.require_replace(AttributePath::attr("status"));
        }
        if plan.is_create() || plan.is_replace() {
            let service = plan.planned.attr("service_arn").as_str();
            plan.planned.set_attr(
                "id",
                match (&domain, service) {
                    (Some(d), Some(s)) => format!("{d},{s}").into(),
                    _ => Value::unknown(),
                },
            );
            for computed in ["dns_target", "status", "certificate_validation_records"] {
                plan.planned.set_attr(computed, Value::unknown());
            }
            // The point of this attribute: keys known now, values at apply.
            let by_domain = match (&domain, plan.planned.attr("enable_www_subdomain").as_bool()) {
                (Some(d), Some(www)) => Value::Map(
                    record_keys(d, www)
                        .into_iter()
                        .map(|name| (name, Value::unknown()))
                        .collect(),
                ),
                _ => Value::unknown(),
            };
            plan.planned
                .set_attr("certificate_validation_records_by_domain", by_domain);
        } else if plan.planned != plan.prior {
            // Only wait_for_status or timeouts change: the association
            // stays; statuses may move while the update waits.
            plan.planned
                .set_attr("dns_target", plan.prior.attr("dns_target").clone());
            plan.planned.set_attr("status", Value::unknown());
            plan.planned
                .set_attr("certificate_validation_records", Value::unknown());
            let by_domain = match plan
                .prior
                .attr("certificate_validation_records_by_domain")
                .as_entries()
            {
                Some(entries) => Value::Map(
                    entries
                        .iter()
                        .map(|(k, record)| {
                            let mut record = record.clone();
                            if record.is_null() {
                                record = Value::unknown();
                            } else {
                                record.set_attr("status", Value::unknown());
                            }
                            (k.clone(), record)
                        })
                        .collect(),
                ),
                None => Value::unknown(),
            };
            plan.planned
                .set_attr("certificate_validation_records_by_domain", by_domain);
        }
    }

    fn lister(&self) -> Option<&dyn ListResource<AppRunner>> {
        Some(self)
    }

    /// The region is the service's, so it is never written; the www
    /// subdomain is written when it is not the default (which would
    /// replace the association).
    fn generate_config(&self, _ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        let mut config = generate::config_from_state(&schema.block, state);
        let www = state.attr("enable_www_subdomain");
        let default = state
            .attr("domain_name")
            .as_str()
            .map(|d| Value::Bool(!is_wildcard(d)));
        if !www.is_null() && Some(www) != default.as_ref() {
            config.set_attr("enable_www_subdomain", www.clone());
        }
        config
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let p = &req.planned;
        let domain = p
            .attr("domain_name")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let service = p
            .attr("service_arn")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let www = p.attr("enable_www_subdomain").as_bool().unwrap_or(true);
        let timeout = timeouts::get(p, "create", DEFAULT_TIMEOUT);
        let associated =
            custom_domain::associate(ctx, provider, &service, &domain, www, timeout).await;
        let (dns_target, custom_domain) = match associated {
            Ok(made) => made,
            Err(calls::CreateFailed {
                made: Some((dns_target, custom_domain)),
                diagnostic,
            }) => {
                let mut state = req.planned.clone();
                state.set_attr("id", format!("{domain},{service}").into());
                state.set_attr("region", region::from_arn(&service).into());
                fill(
                    &mut state,
                    &dns_target,
                    custom_domain.as_ref(),
                    &domain,
                    www,
                );
                return Applied::partial(state, diagnostic);
            }
            Err(failed) => return Applied::failed(failed.diagnostic),
        };
        let mut state = req.planned.clone();
        state.set_attr("id", format!("{domain},{service}").into());
        state.set_attr("region", region::from_arn(&service).into());
        fill(
            &mut state,
            &dns_target,
            custom_domain.as_ref(),
            &domain,
            www,
        );
        let target = p.attr("wait_for_status").as_str().map(str::to_string);
        match wait(
            ctx,
            provider,
            &service,
            &domain,
            www,
            target.as_deref(),
            timeout,
        )
        .await
        {
            Ok((dns_target, d)) => {
                fill(&mut state, &dns_target, Some(&d), &domain, www);
                Applied::ok(state)
            }
            Err((last, d)) => {
                if let Some((dns_target, c)) = last {
                    fill(&mut state, &dns_target, Some(&c), &domain, www);
                }
                Applied::partial(state, d)
            }
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        let provider = ctx.provider();
        let domain = req.state.attr("domain_name").as_str().unwrap_or_default();
        let service = req.state.attr("service_arn").as_str().unwrap_or_default();
        let (dns_target, found) = match custom_domain::find(provider, service, domain).await {
            Ok(Some(x)) => x,
            Ok(None) => return Read::gone(),
            Err(d) => return Read::failed(d),
        };
        let mut state = req.state.clone();
        state.set_attr("id", format!("{domain},{service}").into());
        if state.attr("region").is_null() {
            state.set_attr("region", region::from_arn(service).into());
        }
        let www = found.enable_www_subdomain();
        state.set_attr("enable_www_subdomain", www.into());
        fill(&mut state, &dns_target, Some(&found), domain, www);
        Read::found(state)
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        // Only wait_for_status and timeouts change in place: wait for the
        // (new) status and report what App Runner says.
        let p = &req.planned;
        let domain = p
            .attr("domain_name")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let service = p
            .attr("service_arn")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let www = p.attr("enable_www_subdomain").as_bool().unwrap_or(true);
        let timeout = timeouts::get(p, "update", DEFAULT_TIMEOUT);
        let target = p.attr("wait_for_status").as_str().map(str::to_string);
        let mut state = req.planned.clone();
        match wait(
            ctx,
            provider,
            &service,
            &domain,
            www,
            target.as_deref(),
            timeout,
        )
        .await
        {
            Ok((dns_target, d)) => {
                fill(&mut state, &dns_target, Some(&d), &domain, www);
                Applied::ok(state)
            }
            Err((last, d)) => {
                let mut kept = req.prior.clone();
                if let Some((dns_target, c)) = last {
                    fill(&mut kept, &dns_target, Some(&c), &domain, www);
                }
                Applied::partial(kept, d)
            }
        }
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, _private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let domain = state.attr("domain_name").as_str().unwrap_or_default();
        let service = state.attr("service_arn").as_str().unwrap_or_default();
        let timeout = timeouts::get(state, "delete", DEFAULT_TIMEOUT);
        custom_domain::disassociate(ctx, provider, service, domain, timeout).await
    }

    /// From `aws_apprunner_custom_domain_association` (no ARN of its own:
    /// `region` comes from the service's).
    fn move_state(
        &self,
        source: &MoveSource,
        schema: &Schema,
    ) -> Option<Result<Value, Diagnostics>> {
        migrate::from_aws(self.type_name(), source, schema).map(|r| r.map(with_region))
    }

    fn upgrade_state(
        &self,
        _version: i64,
        raw: &serde_json::Value,
        schema: &Schema,
    ) -> Result<Value, Diagnostics> {
        json::decode(raw, &schema.implied_type(), Strictness::Lenient)
            .map(with_region)
            .map_err(|e| Diagnostic::error("Cannot read stored state", e).into())
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        let (pair, at) = region::split_import_id(id)?;
        let parsed = pair
            .split_once(',')
            .filter(|(d, s)| !d.is_empty() && arns::is("service", s));
        let Some((domain, service)) = parsed else {
            return Err(Diagnostic::error(
                "Invalid import ID",
                format!(
                    "Expected DOMAIN_NAME,SERVICE_ARN (e.g. example.com,arn:aws:apprunner:us-east-1:123456789012:service/web/0123…), optionally followed by @REGION, got {id:?}."
                ),
            )
            .into());
        };
        region::check_import_region(id, region::from_arn(service), at)?;
        Ok(Value::Object(
            [
                ("id".to_string(), Value::from(pair)),
                ("domain_name".to_string(), Value::from(domain)),
                ("service_arn".to_string(), Value::from(service)),
                ("region".to_string(), region::from_arn(service).into()),
            ]
            .into(),
        ))
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

/// Fills a missing `region` from the service ARN.
fn with_region(mut state: Value) -> Value {
    if state.attr("region").is_null()
        && let Some(r) = state
            .attr("service_arn")
            .as_str()
            .and_then(region::from_arn)
            .map(str::to_string)
    {
        state.set_attr("region", r.into());
    }
    state
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

/// Sets what App Runner decides from a description of the association.
fn fill(state: &mut Value, dns_target: &str, d: Option<&CustomDomain>, domain: &str, www: bool) {
    if !dns_target.is_empty() || state.attr("dns_target").is_unknown() {
        state.set_attr("dns_target", dns_target.into());
    }
    let Some(d) = d else {
        return;
    };
    state.set_attr("status", status_of(d).into());
    state.set_attr(
        "certificate_validation_records",
        Value::Set(
            d.certificate_validation_records()
                .iter()
                .map(record_value)
                .collect(),
        ),
    );
    state.set_attr(
        "certificate_validation_records_by_domain",
        Value::Map(
            record_keys(domain, www)
                .into_iter()
                .map(|name| {
                    let record = if name == app_runner_key(domain) {
                        app_runner_record(d, domain, www)
                    } else {
                        record_for(d, &name)
                    };
                    let value = record.map(record_value).unwrap_or_else(|| {
                        Value::Object(
                            ["name", "status", "type", "value"]
                                .iter()
                                .map(|k| (k.to_string(), Value::Null))
                                .collect(),
                        )
                    });
                    (name, value)
                })
                .collect(),
        ),
    );
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
