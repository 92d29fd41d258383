//! `apprunner_auto_scaling_configuration_version`: one revision of an App
//! Runner auto scaling configuration, as `aws_apprunner_auto_scaling_configuration_version`.
//!
//! App Runner revisions are immutable, so every setting replaces the
//! resource; only tags change in place. Import by ARN.

use async_trait::async_trait;
use aws_sdk_apprunner::types::AutoScalingConfiguration;

use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, AttributePath, Block, Ctx, Diagnostic, Diagnostics,
    IdentityAttribute, IdentitySchema, Plan, Read, ReadRequest, Resource, Schema, Type, Value,
};
use crate::provider::errors::{api_error, is_not_found};
use crate::provider::{AppRunner, region, tags};

pub struct AutoScalingConfigurationVersion;

const NAME_PATTERN: &str = r"[A-Za-z0-9][A-Za-z0-9\-_]{3,31}";

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("One revision of an App Runner auto scaling configuration. Settings are immutable: changing one creates a replacement revision.")
            .attribute(
                Attribute::string("auto_scaling_configuration_name")
                    .required()
                    .requires_replace()
                    .validate(v::string_length(4, 32))
                    .validate(v::string_matches(NAME_PATTERN, "4 to 32 letters, digits, hyphens or underscores, starting with a letter or digit"))
                    .description("Name of the configuration; App Runner numbers its revisions."),
            )
            .attribute(
                Attribute::int("max_concurrency")
                    .default(100)
                    .requires_replace()
                    .validate(v::int_between(1, 200))
                    .description("Concurrent requests an instance handles before App Runner scales up (1 to 200, default 100)."),
            )
            .attribute(
                Attribute::int("max_size")
                    .default(25)
                    .requires_replace()
                    .validate(v::int_at_least(1))
                    .description("Maximum number of instances (default 25; higher values need a quota increase)."),
            )
            .attribute(
                Attribute::int("min_size")
                    .default(1)
                    .requires_replace()
                    .validate(v::int_between(1, 25))
                    .description("Minimum number of provisioned instances (1 to 25, default 1)."),
            )
            .attribute(region::attribute())
            .attribute(tags::tags_attribute())
            .attribute(tags::tags_all_attribute())
            .attribute(Attribute::string("arn").computed().keep_prior().description("ARN of this revision."))
            .attribute(Attribute::string("id").computed().keep_prior().description("Same as `arn`."))
            .attribute(
                Attribute::int("auto_scaling_configuration_revision")
                    .computed()
                    .keep_prior()
                    .description("Revision number App Runner gave this configuration."),
            )
            .attribute(Attribute::bool("latest").computed().description("Whether this is the newest revision of the name."))
            .attribute(Attribute::string("status").computed().description("`active`, or `inactive` once deleted."))
            .attribute(Attribute::bool("has_associated_service").computed().description("Whether a service uses this revision."))
            .attribute(Attribute::bool("is_default").computed().description("Whether this is the account's default configuration.")),
    )
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
        Some(IdentitySchema {
            version: 0,
            attributes: vec![IdentityAttribute {
                name: "arn".into(),
                ty: Type::String,
                description: "ARN of the auto scaling configuration revision.".into(),
                required_for_import: true,
            }],
        })
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

    async fn plan(&self, ctx: &Ctx<AppRunner>, plan: &mut Plan) {
        region::plan(ctx, plan);
        tags::plan_tags_all(ctx, plan);
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = match ctx.provider() {
            Ok(p) => p,
            Err(d) => return Applied::failed(d),
        };
        let p = &req.planned;
        let name = p
            .attr("auto_scaling_configuration_name")
            .as_str()
            .unwrap_or_default();
        let created = provider
            .client_in(region::of(provider, p))
            .create_auto_scaling_configuration()
            .auto_scaling_configuration_name(name)
            .set_max_concurrency(int(p, "max_concurrency"))
            .set_max_size(int(p, "max_size"))
            .set_min_size(int(p, "min_size"))
            .set_tags(tags::to_api(p.attr("tags_all")))
            .send()
            .await;
        match created {
            Ok(out) => match out.auto_scaling_configuration() {
                Some(asc) => {
                    let mut state = req.planned.clone();
                    fill(&mut state, asc);
                    Applied::ok(state)
                }
                None => Applied::failed(Diagnostic::error(
                    "App Runner CreateAutoScalingConfiguration returned no configuration",
                    format!("Creating {name} gave an empty answer."),
                )),
            },
            Err(e) => Applied::failed(api_error("CreateAutoScalingConfiguration", name, e)),
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        let provider = match ctx.provider() {
            Ok(p) => p,
            Err(d) => return Read::failed(d),
        };
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
        let provider = match ctx.provider() {
            Ok(p) => p,
            Err(d) => return Applied::failed(d),
        };
        let arn = req
            .prior
            .attr("arn")
            .as_str()
            .unwrap_or_default()
            .to_string();
        // Everything else replaces the resource; only tags reach here.
        if let Err(d) = tags::update(
            provider,
            &arn,
            req.prior.attr("tags_all"),
            req.planned.attr("tags_all"),
        )
        .await
        {
            return Applied::failed(d);
        }
        let mut state = req.planned.clone();
        match describe(provider, &arn).await {
            Ok(Some(asc)) => {
                fill(&mut state, &asc);
                Applied::ok(state)
            }
            Ok(None) => Applied::failed(Diagnostic::error(
                "Auto scaling configuration disappeared",
                format!("{arn} was deleted outside Terraform while its tags were updated."),
            )),
            Err(d) => Applied::partial(req.prior, d),
        }
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value) -> Diagnostics {
        let provider = match ctx.provider() {
            Ok(p) => p,
            Err(d) => return d,
        };
        let arn = state.attr("arn").as_str().unwrap_or_default();
        match provider
            .client_for_arn(arn)
            .delete_auto_scaling_configuration()
            .auto_scaling_configuration_arn(arn)
            .send()
            .await
        {
            Ok(_) => Diagnostics::new(),
            Err(e) if is_not_found(&e) => Diagnostics::new(),
            Err(e) => api_error("DeleteAutoScalingConfiguration", arn, e).into(),
        }
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        if !id.starts_with("arn:") || !id.contains(":autoscalingconfiguration/") {
            return Err(Diagnostic::error(
                "Invalid import ID",
                format!("Expected the ARN of an auto scaling configuration revision (arn:aws:apprunner:REGION:ACCOUNT:autoscalingconfiguration/NAME/REVISION/ID), got {id:?}."),
            )
            .into());
        }
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

/// Describes a revision; `None` when it no longer exists.
async fn describe(
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
