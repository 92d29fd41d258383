//! `apprunner_auto_scaling_configuration_version`: an App Runner auto
//! scaling configuration, with the arguments and attributes of
//! `aws_apprunner_auto_scaling_configuration_version`, but changeable in
//! place (AWS #38534).
//!
//! App Runner revisions are immutable and a name holds at most 5 of them.
//! A change of `max_concurrency`, `max_size` or `min_size` is an in-place
//! update that creates a new revision under the same name: `arn` and the
//! revision number are unknown in the plan, so services referencing `.arn`
//! move to the new revision in the same apply. The revision it supersedes
//! is deleted at once when nothing uses it; otherwise (a service, or the
//! account default, still points at it) its ARN is kept in the resource's
//! private state and deleted by a later refresh, apply or destroy, as soon
//! as it is free. Only revisions this resource created are ever deleted.
//! A name change replaces the resource; tags change in place. A create
//! whose answer was lost leaves one revision: the one it made is adopted.

use async_trait::async_trait;
use aws_sdk_apprunner::types::AutoScalingConfiguration;
use serde::{Deserialize, Serialize};

use crate::plugin::Listed;
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, AttributePath, Block, Ctx, Diagnostic, Diagnostics,
    IdentitySchema, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Value,
};
use crate::provider::errors::{api_error, code, is_not_found};
use crate::provider::listing;
use crate::provider::{AppRunner, calls, region, superseded, tags};

pub struct AutoScalingConfigurationVersion;

/// App Runner's rule for configuration names (also used by the data source).
pub const NAME_PATTERN: &str = r"[A-Za-z0-9][A-Za-z0-9\-_]{3,31}";
pub const NAME_RULE: &str =
    "4 to 32 letters, digits, hyphens or underscores, starting with a letter or digit";

/// The settings a revision fixes; changing one makes a new revision.
const SETTINGS: [&str; 3] = ["max_concurrency", "max_size", "min_size"];

/// Attributes that name the revision, unknown while a new one is planned.
const REVISION_ATTRIBUTES: [&str; 3] = ["arn", "id", "auto_scaling_configuration_revision"];

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description(
                "An App Runner auto scaling configuration. Changing a setting creates a new revision of the same \
                 name in place (services referencing `arn` follow in the same apply) and deletes the superseded \
                 revision once nothing uses it.",
            )
            .attribute(
                Attribute::string("auto_scaling_configuration_name")
                    .required()
                    .requires_replace()
                    .validate(v::string_length(4, 32))
                    .validate(v::string_matches(NAME_PATTERN, NAME_RULE))
                    .description("Name of the configuration; App Runner numbers its revisions. Changing it replaces the resource."),
            )
            .attribute(
                Attribute::int("max_concurrency")
                    .default(100)
                    .validate(v::int_between(1, 200))
                    .description("Concurrent requests an instance handles before App Runner scales up (1 to 200, default 100). Changing it creates a new revision."),
            )
            .attribute(
                Attribute::int("max_size")
                    .default(25)
                    .validate(v::int_at_least(1))
                    .description("Maximum number of instances (default 25; higher values need a quota increase). Changing it creates a new revision."),
            )
            .attribute(
                Attribute::int("min_size")
                    .default(1)
                    .validate(v::int_between(1, 25))
                    .description("Minimum number of provisioned instances (1 to 25, default 1). Changing it creates a new revision."),
            )
            .attribute(region::attribute())
            .attribute(tags::tags_attribute())
            .attribute(tags::tags_all_attribute())
            .attribute(Attribute::string("arn").computed().keep_prior().description("ARN of the current revision."))
            .attribute(Attribute::string("id").computed().keep_prior().description("Same as `arn`."))
            .attribute(
                Attribute::int("auto_scaling_configuration_revision")
                    .computed()
                    .keep_prior()
                    .description("Revision number App Runner gave the current revision."),
            )
            .attribute(Attribute::bool("latest").computed().description("Whether this is the newest revision of the name."))
            .attribute(Attribute::string("status").computed().description("`active`, or `inactive` once deleted."))
            .attribute(Attribute::bool("has_associated_service").computed().description("Whether a service uses this revision."))
            .attribute(Attribute::bool("is_default").computed().description("Whether this is the account's default configuration.")),
    )
}

/// What the resource keeps in Terraform's private state: the revisions it
/// superseded that could not be deleted yet.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
struct Private {
    #[serde(default)]
    superseded: Vec<String>,
}

impl Private {
    fn decode(bytes: &[u8]) -> Private {
        serde_json::from_slice(bytes).unwrap_or_default()
    }

    /// Never empty: the protocol layer reads empty private data as "keep
    /// the previous one".
    fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("private state serialises")
    }

    fn of(held: &[Held]) -> Private {
        Private {
            superseded: held.iter().map(|h| h.arn.clone()).collect(),
        }
    }
}

/// A superseded revision that could not be deleted yet, and why.
#[derive(Debug)]
struct Held {
    arn: String,
    reason: String,
}

fn describe_held(held: &[Held]) -> String {
    held.iter()
        .map(|h| format!("- {} ({})", h.arn, h.reason))
        .collect::<Vec<_>>()
        .join("\n")
}

#[async_trait]
impl Resource<AppRunner> for AutoScalingConfigurationVersion {
    fn type_name(&self) -> &'static str {
        "apprunner_auto_scaling_configuration_version"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::arn(
            "ARN of the auto scaling configuration revision.",
        ))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let min = config.attr("min_size").as_i64().unwrap_or(1);
        let max = config.attr("max_size").as_i64().unwrap_or(25);
        let unknown = config.attr("min_size").is_unknown() || config.attr("max_size").is_unknown();
        if !unknown && min > max {
            let at = if config.attr("min_size").is_null() {
                "max_size"
            } else {
                "min_size"
            };
            diags.error_at(
                AttributePath::attr(at),
                "min_size exceeds max_size",
                format!("min_size ({min}) must not be greater than max_size ({max})."),
            );
        }
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
        region::plan(ctx, plan);
        tags::plan_tags_all(ctx, plan);
        if !plan.is_create() && !plan.is_replace() && settings_change(&plan.prior, &plan.planned) {
            // A new revision: its ARN and number are App Runner's to give.
            for name in REVISION_ATTRIBUTES {
                plan.planned.set_attr(name, Value::unknown());
            }
        }
    }

    fn list_schema(&self) -> Option<Schema> {
        Some(revisioned_list_schema("auto scaling configuration"))
    }

    async fn list(
        &self,
        ctx: &Ctx<AppRunner>,
        config: &Value,
        limit: usize,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let provider = ctx.provider();
        let in_region = listing::region(provider, config);
        let client = provider.client_in(in_region);
        let arns = listing::pages(limit, |token| {
            let client = client.clone();
            async move {
                let page = client
                    .list_auto_scaling_configurations()
                    .set_auto_scaling_configuration_name(
                        config.attr("name").as_str().map(str::to_string),
                    )
                    .set_latest_only(config.attr("latest_only").as_bool())
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|e| {
                        Diagnostics::from(api_error("ListAutoScalingConfigurations", in_region, e))
                    })?;
                let arns = page
                    .auto_scaling_configuration_summary_list()
                    .iter()
                    .filter(|c| {
                        !c.status()
                            .is_some_and(|s| s.as_str().eq_ignore_ascii_case("inactive"))
                    })
                    .filter(|c| {
                        let name = c.auto_scaling_configuration_name().unwrap_or_default();
                        name != APP_RUNNER_DEFAULT && listing::has_prefix(config, name)
                    })
                    .filter_map(|c| c.auto_scaling_configuration_arn().map(str::to_string))
                    .collect();
                Ok((arns, page.next_token().map(str::to_string)))
            }
        })
        .await?;
        listing::imported(self, ctx, arns, |s| {
            format!(
                "{} revision {}",
                s.attr("auto_scaling_configuration_name")
                    .as_str()
                    .unwrap_or_default(),
                s.attr("auto_scaling_configuration_revision")
                    .as_i64()
                    .unwrap_or_default()
            )
        })
        .await
    }

    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        listing::generate_config(ctx, state, schema)
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        match create_revision(ctx, provider, &req.planned).await {
            Ok(asc) => {
                let mut state = req.planned.clone();
                fill(&mut state, &asc);
                with_private(Applied::ok(state), &Private::of(&[]))
            }
            Err(d) => Applied::failed(d),
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        let provider = ctx.provider();
        // Superseded revisions are deleted during apply only (see
        // provider::superseded): a plan never changes anything.
        let arn = req
            .state
            .attr("arn")
            .as_str()
            .or(req.state.attr("id").as_str())
            .unwrap_or_default()
            .to_string();
        let asc = match describe(provider, &arn).await {
            Ok(Some(asc)) => asc,
            Ok(None) => return Read::gone(),
            Err(d) => return Read::failed(d),
        };
        let mut state = req.state.clone();
        fill(&mut state, &asc);
        state.set_attr("max_concurrency", asc.max_concurrency().into());
        state.set_attr("max_size", asc.max_size().into());
        state.set_attr("min_size", asc.min_size().into());
        match tags::read(provider, &arn).await {
            Ok(remote) => tags::set_in_state(provider, &mut state, &req.state, remote),
            Err(d) => return Read::failed(d),
        }
        Read::found(state)
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let prior_arn = req
            .prior
            .attr("arn")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let pending = Private::decode(&req.private).superseded;
        if settings_change(&req.prior, &req.planned) {
            // Free what can be freed first, so the new revision fits the quota.
            let (held, mut diags) = retire(provider, pending, None).await;
            let asc = match create_revision(ctx, provider, &req.planned).await {
                Ok(created) => created,
                Err(mut d) => {
                    if !held.is_empty() {
                        d.push(Diagnostic::error(
                            "Superseded revisions still held",
                            format!(
                                "These revisions this resource superseded cannot be deleted yet, and count \
                                 towards App Runner's quota of revisions per name:\n{}\nMove what uses them to \
                                 the current revision, then apply again.",
                                describe_held(&held)
                            ),
                        ));
                    }
                    diags.extend(d);
                    let private = Private::of(&held);
                    return with_private(Applied::partial(req.prior, diags), &private);
                }
            };
            let mut state = req.planned.clone();
            fill(&mut state, &asc);
            // The revision this one supersedes goes now, or once it is free.
            let mut superseded: Vec<String> = held.into_iter().map(|h| h.arn).collect();
            superseded.push(prior_arn);
            let new_arn = asc
                .auto_scaling_configuration_arn()
                .unwrap_or_default()
                .to_string();
            let (held, more) = retire(provider, superseded, Some(&new_arn)).await;
            diags.extend(more);
            let mut applied = Applied::ok(state);
            applied.diagnostics = diags;
            return with_private(applied, &Private::of(&held));
        }
        // Only tags changed: the same revision keeps its ARN.
        let private = Private {
            superseded: pending,
        };
        if let Err(d) = tags::update(
            provider,
            &prior_arn,
            req.prior.attr("tags_all"),
            req.planned.attr("tags_all"),
        )
        .await
        {
            return with_private(Applied::partial(req.prior, d), &private);
        }
        let mut state = req.planned.clone();
        match describe(provider, &prior_arn).await {
            Ok(Some(asc)) => {
                fill(&mut state, &asc);
                with_private(Applied::ok(state), &private)
            }
            Ok(None) => Applied::failed(Diagnostic::error(
                "Auto scaling configuration disappeared",
                format!("{prior_arn} was deleted outside Terraform while its tags were updated."),
            )),
            Err(d) => with_private(Applied::partial(req.prior, d), &private),
        }
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let arn = state.attr("arn").as_str().unwrap_or_default();
        // Superseded revisions go first: while one is held the resource
        // stays in state, so it is never forgotten.
        let (held, mut diags) = retire(provider, Private::decode(private).superseded, None).await;
        if !held.is_empty() {
            diags.push(Diagnostic::error(
                "Superseded revisions still in use",
                format!(
                    "{arn} cannot be destroyed yet: revisions it superseded are still held and would be left \
                     behind:\n{}\nMove what uses them to another configuration (or make another configuration \
                     the default), then destroy again.",
                    describe_held(&held)
                ),
            ));
            return diags;
        }
        // Services that use the account default (this revision, maybe)
        // are deleted at the same time, with no edge in Terraform's graph.
        let client = provider.client_for_arn(arn);
        let request = client
            .delete_auto_scaling_configuration()
            .auto_scaling_configuration_arn(arn);
        match crate::provider::in_use::delete_when_released(
            ctx.cancellation(),
            &client,
            arn,
            || request.clone().send(),
        )
        .await
        {
            Ok(_) => diags,
            Err(e) if is_not_found(&e) => diags,
            Err(e) => {
                diags.push(api_error("DeleteAutoScalingConfiguration", arn, e));
                diags
            }
        }
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        let id = crate::provider::arns::import_id(
            id,
            "autoscalingconfiguration",
            "the ARN of an auto scaling configuration revision (arn:aws:apprunner:REGION:ACCOUNT:autoscalingconfiguration/NAME/REVISION/ID)",
        )?;
        Ok(Value::Object(
            [
                ("arn".to_string(), Value::from(id)),
                ("id".to_string(), Value::from(id)),
                ("region".to_string(), region::from_arn(id).into()),
            ]
            .into(),
        ))
    }
}

/// The name of App Runner's own configuration in every region, which
/// cannot be changed or deleted: never listed.
pub const APP_RUNNER_DEFAULT: &str = "DefaultConfiguration";

/// The `config` block of `list` blocks of a type with named revisions
/// (also used by the observability configuration).
pub fn revisioned_list_schema(what: &str) -> Schema {
    Schema::new(
        Block::new()
            .description(format!(
                "Lists the active {what} revisions of a region (App Runner's own `DefaultConfiguration` left out)."
            ))
            .attribute(
                Attribute::string("name")
                    .optional()
                    .validate(v::string_length(4, 32))
                    .validate(v::string_matches(NAME_PATTERN, NAME_RULE))
                    .description("Only revisions of this name."),
            )
            .attribute(listing::name_prefix_attribute("revisions"))
            .attribute(
                Attribute::bool("latest_only")
                    .optional()
                    .description("Only the latest revision of each name (default false: every active revision)."),
            )
            .attribute(listing::region_attribute()),
    )
}

/// Whether the planned settings differ from the prior revision's.
fn settings_change(prior: &Value, planned: &Value) -> bool {
    SETTINGS
        .iter()
        .any(|s| planned.attr(s).is_unknown() || prior.attr(s) != planned.attr(s))
}

fn with_private(mut applied: Applied, private: &Private) -> Applied {
    applied.private = private.encode();
    applied
}

/// Creates a revision of the planned name with the planned settings and
/// tags, through [`calls::create_or_adopt`]: when the answer is lost, the
/// revisions of the name are compared with those listed before, and a new
/// one with the planned settings is adopted instead of making another.
/// (Anyone else making a revision with the same settings of the same name
/// at the same moment is not a case worth guarding against.)
async fn create_revision(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    planned: &Value,
) -> Result<AutoScalingConfiguration, Diagnostics> {
    let name = planned
        .attr("auto_scaling_configuration_name")
        .as_str()
        .unwrap_or_default();
    let client = provider.client_in(region::of(provider, planned));
    let before = revision_arns(&client, name).await?;
    let request = client
        .create_auto_scaling_configuration()
        .auto_scaling_configuration_name(name)
        .set_max_concurrency(int(planned, "max_concurrency"))
        .set_max_size(int(planned, "max_size"))
        .set_min_size(int(planned, "min_size"))
        .set_tags(tags::to_api(planned.attr("tags_all")));
    let created = calls::create_or_adopt(
        ctx,
        "CreateAutoScalingConfiguration",
        name,
        CREATE_BOUND,
        || {
            let request = request.clone();
            async move {
                request
                    .customize()
                    .config_override(calls::one_attempt())
                    .send()
                    .await
                    .map(|out| out.auto_scaling_configuration().cloned())
            }
        },
        || async {
            let mut made = Vec::new();
            for arn in revision_arns(&client, name).await.map_err(first)? {
                if before.contains(&arn) {
                    continue;
                }
                if let Some(asc) = describe(provider, &arn).await.map_err(first)?
                    && SETTINGS
                        .iter()
                        .zip([asc.max_concurrency(), asc.max_size(), asc.min_size()])
                        .all(|(s, v)| int(planned, s) == v)
                {
                    made.push(asc);
                }
            }
            Ok(made
                .into_iter()
                .max_by_key(|a| a.auto_scaling_configuration_revision())
                .map(Some))
        },
    )
    .await;
    match created {
        Ok(Some(asc)) => Ok(asc),
        Ok(None) => Err(Diagnostic::error(
            "App Runner CreateAutoScalingConfiguration returned no configuration",
            format!("Creating {name} gave an empty answer."),
        )
        .into()),
        Err(failed) => Err(failed.diagnostic.into()),
    }
}

/// Bound on creating a revision (the type has no `timeouts`).
const CREATE_BOUND: std::time::Duration = std::time::Duration::from_secs(5 * 60);

fn first(d: Diagnostics) -> Diagnostic {
    d.0.into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error("App Runner call failed", ""))
}

/// ARNs of the active revisions of `name`.
async fn revision_arns(
    client: &aws_sdk_apprunner::Client,
    name: &str,
) -> Result<Vec<String>, Diagnostics> {
    listing::pages(usize::MAX, |token| async move {
        let out = client
            .list_auto_scaling_configurations()
            .auto_scaling_configuration_name(name)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| Diagnostics::from(api_error("ListAutoScalingConfigurations", name, e)))?;
        let arns = out
            .auto_scaling_configuration_summary_list()
            .iter()
            .filter(|c| {
                !c.status()
                    .is_some_and(|s| s.as_str().eq_ignore_ascii_case("inactive"))
            })
            .filter_map(|c| c.auto_scaling_configuration_arn().map(str::to_string))
            .collect();
        Ok((arns, out.next_token().map(str::to_string)))
    })
    .await
}

/// Deletes the superseded revisions `arns` that nothing uses; the others
/// are returned as held and, with `superseded_by`, marked so that whatever
/// stops using them later deletes them (see provider::superseded).
async fn retire(
    provider: &AppRunner,
    arns: Vec<String>,
    superseded_by: Option<&str>,
) -> (Vec<Held>, Diagnostics) {
    let mut held = Vec::new();
    let mut diags = Diagnostics::new();
    for arn in arns {
        if held.iter().any(|h: &Held| h.arn == arn) {
            continue;
        }
        let asc = match describe(provider, &arn).await {
            Ok(Some(asc)) => asc,
            Ok(None) => continue,
            Err(d) => {
                warn_all(&mut diags, d);
                held.push(Held {
                    reason: "could not be described".into(),
                    arn,
                });
                continue;
            }
        };
        let reason = if asc.has_associated_service() == Some(true) {
            Some("used by a service")
        } else if asc.is_default() == Some(true) {
            Some("the account's default auto scaling configuration")
        } else {
            None
        };
        if let Some(reason) = reason {
            if let Some(by) = superseded_by
                && let Err(d) = superseded::mark(provider, &arn, by).await
            {
                warn_all(&mut diags, d);
            }
            held.push(Held {
                reason: reason.into(),
                arn,
            });
            continue;
        }
        match provider
            .client_for_arn(&arn)
            .delete_auto_scaling_configuration()
            .auto_scaling_configuration_arn(&arn)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if is_not_found(&e) => {}
            Err(e) => {
                let in_use = code(&e).as_deref() == Some("InvalidRequestException");
                let d = api_error("DeleteAutoScalingConfiguration", &arn, e);
                let reason = if in_use {
                    d.detail.clone()
                } else {
                    warn_all(&mut diags, d.into());
                    "could not be deleted".into()
                };
                held.push(Held { arn, reason });
            }
        }
    }
    (held, diags)
}

fn warn_all(out: &mut Diagnostics, diags: Diagnostics) {
    for d in diags.0 {
        out.push(Diagnostic::warning(
            d.summary,
            format!(
                "{}\nA superseded auto scaling configuration revision is kept for now; the next refresh or \
                 apply retries.",
                d.detail
            ),
        ));
    }
}

/// Describes a revision; `None` when it no longer exists.
pub(crate) async fn describe(
    provider: &AppRunner,
    arn: &str,
) -> Result<Option<AutoScalingConfiguration>, Diagnostics> {
    match provider
        .client_for_arn(arn)
        .describe_auto_scaling_configuration()
        .auto_scaling_configuration_arn(arn)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .auto_scaling_configuration()
            .filter(|asc| {
                !asc.status()
                    .is_some_and(|s| s.as_str().eq_ignore_ascii_case("inactive"))
            })
            .cloned()),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(api_error("DescribeAutoScalingConfiguration", arn, e).into()),
    }
}

/// Sets the attributes App Runner decides.
fn fill(state: &mut Value, asc: &AutoScalingConfiguration) {
    let arn = asc.auto_scaling_configuration_arn().unwrap_or_default();
    state.set_attr("arn", arn.into());
    state.set_attr("id", arn.into());
    if let Some(r) = region::from_arn(arn) {
        state.set_attr("region", r.into());
    }
    if let Some(name) = asc.auto_scaling_configuration_name() {
        state.set_attr("auto_scaling_configuration_name", name.into());
    }
    state.set_attr(
        "auto_scaling_configuration_revision",
        asc.auto_scaling_configuration_revision().into(),
    );
    state.set_attr("latest", asc.latest().into());
    state.set_attr(
        "status",
        asc.status().map(|s| s.as_str().to_string()).into(),
    );
    state.set_attr(
        "has_associated_service",
        asc.has_associated_service().into(),
    );
    state.set_attr("is_default", asc.is_default().into());
}

fn int(value: &Value, name: &str) -> Option<i32> {
    value
        .attr(name)
        .as_i64()
        .and_then(|n| i32::try_from(n).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_state_round_trips_and_is_never_empty() {
        let p = Private {
            superseded: vec!["arn:a".into()],
        };
        assert_eq!(Private::decode(&p.encode()), p);
        assert!(!Private::default().encode().is_empty());
        assert_eq!(Private::decode(b""), Private::default());
        assert_eq!(Private::decode(b"not json"), Private::default());
    }

    #[test]
    fn only_settings_make_a_new_revision() {
        let v = |mc: i64, tag: &str| {
            Value::Object(
                [
                    ("max_concurrency".to_string(), Value::from(mc)),
                    ("max_size".to_string(), Value::from(10)),
                    ("min_size".to_string(), Value::from(1)),
                    ("tags".to_string(), Value::string_map([("k", tag)])),
                ]
                .into(),
            )
        };
        assert!(!settings_change(&v(50, "a"), &v(50, "b")));
        assert!(settings_change(&v(50, "a"), &v(60, "a")));
        let mut unknown = v(50, "a");
        unknown.set_attr("max_size", Value::unknown());
        assert!(settings_change(&v(50, "a"), &unknown));
    }
}
