//! `apprunner_connection`: a connection to a source code provider (GitHub,
//! Bitbucket), as `aws_apprunner_connection`.
//!
//! A new connection is `PENDING_HANDSHAKE` until someone completes the
//! handshake in the App Runner console; Terraform cannot. Create and every
//! refresh say so with a warning that tells the user what to do, and
//! services that use such a connection fail with the same instructions
//! (see [`crate::provider::connections`]) rather than waiting. Import by
//! `connection_name` (`NAME@REGION` for another region than the
//! provider's); the identity is `connection_name` and `region`.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_apprunner::types::{ConnectionSummary, ProviderType};

use crate::plugin::Listed;
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, Block, Ctx, Diagnostic, Diagnostics, IdentityAttribute,
    IdentitySchema, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Type, Value, timeouts,
};
use crate::provider::connections::{find_by_name, handshake_detail, is_pending_handshake};
use crate::provider::errors::{api_error, is_not_found};
use crate::provider::listing;
use crate::provider::waiter::{Poll, Waiting, wait_for};
use crate::provider::{AppRunner, calls, region, tags};

pub struct Connection;

pub(crate) const NAME_PATTERN: &str = r"[A-Za-z0-9][A-Za-z0-9\-_]{3,31}";
pub(crate) const PROVIDER_TYPES: &[&str] = &["GITHUB", "BITBUCKET"];
const DEFAULT_DELETE: Duration = Duration::from_secs(5 * 60);
/// Bound on creating (the type has no `timeouts { create }`).
const CREATE_TIMEOUT: Duration = Duration::from_secs(5 * 60);

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("An App Runner connection to a source code provider. After creating it, complete the handshake in the App Runner console; until then it is PENDING_HANDSHAKE and services cannot use it.")
            .attribute(
                Attribute::string("connection_name")
                    .required()
                    .requires_replace()
                    .validate(v::string_length(4, 32))
                    .validate(v::string_matches(NAME_PATTERN, "4 to 32 letters, digits, hyphens or underscores, starting with a letter or digit"))
                    .description("Name of the connection (unique in the account and region)."),
            )
            .attribute(
                Attribute::string("provider_type")
                    .required()
                    .requires_replace()
                    .validate(v::one_of(PROVIDER_TYPES))
                    .description("Source code provider: `GITHUB` or `BITBUCKET`."),
            )
            .attribute(region::attribute())
            .attribute(tags::tags_attribute())
            .attribute(tags::tags_all_attribute())
            .attribute(Attribute::string("arn").computed().keep_prior().description("ARN of the connection."))
            .attribute(Attribute::string("id").computed().keep_prior().description("Same as `connection_name`."))
            .attribute(
                Attribute::string("status")
                    .computed()
                    .keep_prior()
                    .description("`PENDING_HANDSHAKE` until the handshake is completed in the console, then `AVAILABLE` (or `ERROR`)."),
            )
            .block(timeouts::block(&["delete"], DEFAULT_DELETE)),
    )
}

#[async_trait]
impl Resource<AppRunner> for Connection {
    fn type_name(&self) -> &'static str {
        "apprunner_connection"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    /// The name, unique in its account and region, with the region: the AWS
    /// provider's import ID (`NAME@REGION`) in parts. The account is the
    /// provider's credentials', as for every other type.
    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema {
            version: 0,
            attributes: vec![
                IdentityAttribute {
                    name: "connection_name".into(),
                    ty: Type::String,
                    description: "Name of the connection.".into(),
                    required_for_import: true,
                },
                IdentityAttribute {
                    name: "region".into(),
                    ty: Type::String,
                    description: "Region of the connection; defaults to the provider's.".into(),
                    required_for_import: false,
                },
            ],
        })
    }

    fn import_id_from_identity(&self, identity: &Value) -> Option<String> {
        let name = identity.attr("connection_name").as_str()?;
        Some(match identity.attr("region").as_str() {
            Some(r) => format!("{name}@{r}"),
            None => name.to_string(),
        })
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
        region::plan(ctx, plan);
        tags::plan_tags_all(ctx, plan);
        if plan.is_create()
            && let Some(name) = plan.planned.attr("connection_name").as_str()
        {
            plan.planned.set_attr("id", name.into());
        }
    }

    fn list_schema(&self) -> Option<Schema> {
        Some(Schema::new(
            Block::new()
                .description("Lists the connections of a region (deleted ones left out).")
                .attribute(listing::name_prefix_attribute("connections"))
                .attribute(
                    Attribute::string("provider_type")
                        .optional()
                        .validate(v::one_of(PROVIDER_TYPES))
                        .description("Only connections to this provider: `GITHUB` or `BITBUCKET`."),
                )
                .attribute(
                    Attribute::string("status")
                        .optional()
                        .validate(v::one_of(&["PENDING_HANDSHAKE", "AVAILABLE", "ERROR"]))
                        .description("Only connections with this status: `PENDING_HANDSHAKE`, `AVAILABLE` or `ERROR`."),
                )
                .attribute(listing::region_attribute()),
        ))
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
        let wanted = |attr: &str, value: Option<&str>| {
            config
                .attr(attr)
                .as_str()
                .is_none_or(|w| value.is_some_and(|v| v.eq_ignore_ascii_case(w)))
        };
        let ids = listing::pages(limit, |token| {
            let client = client.clone();
            async move {
                let page = client
                    .list_connections()
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|e| Diagnostics::from(api_error("ListConnections", in_region, e)))?;
                let ids = page
                    .connection_summary_list()
                    .iter()
                    .filter(|c| {
                        let status = c.status().map(|s| s.as_str());
                        status != Some("DELETED")
                            && wanted("status", status)
                            && wanted("provider_type", c.provider_type().map(|p| p.as_str()))
                    })
                    .filter_map(|c| c.connection_name())
                    .filter(|name| listing::has_prefix(config, name))
                    .map(|name| format!("{name}@{in_region}"))
                    .collect();
                Ok((ids, page.next_token().map(str::to_string)))
            }
        })
        .await?;
        listing::imported(self, ctx, ids, |s| {
            s.attr("connection_name")
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .await
    }

    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        listing::generate_config(ctx, state, schema)
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let p = &req.planned;
        let name = p.attr("connection_name").as_str().unwrap_or_default();
        let region = region::of(provider, p);
        let request = provider
            .client_in(region)
            .create_connection()
            .connection_name(name)
            .provider_type(ProviderType::from(
                p.attr("provider_type").as_str().unwrap_or_default(),
            ))
            .set_tags(tags::to_api(p.attr("tags_all")));
        let created = calls::create_or_adopt(
            ctx,
            "CreateConnection",
            name,
            CREATE_TIMEOUT,
            || {
                let request = request.clone();
                async move {
                    request
                        .customize()
                        .config_override(calls::one_attempt())
                        .send()
                        .await
                        .map(|out| out.connection().map(summary))
                }
            },
            || async {
                find_by_name(provider, Some(region), name)
                    .await
                    .map(|c| c.map(Some))
                    .map_err(|d| {
                        d.0.into_iter().next().unwrap_or_else(|| {
                            Diagnostic::error("App Runner ListConnections failed", name)
                        })
                    })
            },
        )
        .await;
        let connection = match created {
            Ok(Some(c)) => c,
            Ok(None) => {
                return Applied::failed(Diagnostic::error(
                    "App Runner CreateConnection returned no connection",
                    format!("Creating {name} gave an empty answer."),
                ));
            }
            Err(calls::CreateFailed {
                made: Some(Some(c)),
                diagnostic,
            }) => {
                let mut state = req.planned.clone();
                fill(&mut state, &c);
                return Applied::partial(state, diagnostic);
            }
            Err(failed) => return Applied::failed(failed.diagnostic),
        };
        let mut state = req.planned.clone();
        fill(&mut state, &connection);
        Applied {
            state,
            private: Vec::new(),
            diagnostics: handshake_warning(&connection),
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        let provider = ctx.provider();
        let name = name_of(&req.state);
        let region = region::of(provider, &req.state).to_string();
        let connection = match find_by_name(provider, Some(&region), &name).await {
            Ok(Some(c)) => c,
            Ok(None) => return Read::gone(),
            Err(d) => return Read::failed(d),
        };
        // A connection of the same name made after ours was deleted is not ours.
        let known = req.state.attr("arn").as_str().filter(|a| !a.is_empty());
        if known.is_some_and(|arn| connection.connection_arn() != Some(arn)) {
            return Read::gone();
        }
        let mut state = req.state.clone();
        fill(&mut state, &connection);
        if let Some(t) = connection.provider_type() {
            state.set_attr("provider_type", t.as_str().into());
        }
        let arn = connection.connection_arn().unwrap_or_default().to_string();
        match tags::read(provider, &arn).await {
            Ok(remote) => tags::set_in_state(provider, &mut state, &req.state, remote),
            Err(d) => return Read::failed(d),
        }
        Read {
            state: Some(state),
            private: Vec::new(),
            diagnostics: handshake_warning(&connection),
        }
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        // Name and provider replace the connection; only tags change here.
        let arn = req.prior.attr("arn").as_str().unwrap_or_default();
        if let Err(d) = tags::update(
            provider,
            arn,
            req.prior.attr("tags_all"),
            req.planned.attr("tags_all"),
        )
        .await
        {
            return Applied::failed(d);
        }
        Applied::ok(req.planned)
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, _private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let arn = state.attr("arn").as_str().unwrap_or_default();
        let name = name_of(state);
        match provider
            .client_for_arn(arn)
            .delete_connection()
            .connection_arn(arn)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if is_not_found(&e) => return Diagnostics::new(),
            Err(e) => return api_error("DeleteConnection", arn, e).into(),
        }
        let timeout = timeouts::get(state, "delete", DEFAULT_DELETE);
        let region = region::from_arn(arn);
        let waiting = Waiting::on("delete the connection", arn);
        let gone = wait_for(ctx.cancellation(), timeout, waiting, || async {
            match find_by_name(provider, region, &name).await {
                Ok(Some(c)) if c.connection_arn() == Some(arn) => Poll::Pending(
                    c.status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                ),
                Ok(_) => Poll::Ready(()),
                Err(d) => Poll::Failed(
                    d.0.into_iter()
                        .next()
                        .unwrap_or_else(|| Diagnostic::error("ListConnections failed", "")),
                ),
            }
        })
        .await;
        match gone {
            Ok(()) => Diagnostics::new(),
            Err(e) => e
                .into_diagnostic(&format!("connection {name} to be deleted"), timeout)
                .into(),
        }
    }

    async fn import(&self, ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        let (name, at) = region::split_import_id(id)?;
        let valid = v::string_matches(NAME_PATTERN, "a connection name")
            .check(&Value::from(name))
            .is_ok();
        if !valid {
            return Err(Diagnostic::error(
                "Invalid import ID",
                format!("Expected the name of an App Runner connection (4 to 32 letters, digits, hyphens or underscores), optionally followed by @REGION, got {id:?}."),
            )
            .into());
        }
        let region = match at {
            Some(r) => r.to_string(),
            None => ctx.provider().region.clone(),
        };
        Ok(Value::Object(
            [
                ("connection_name".to_string(), Value::from(name)),
                ("id".to_string(), Value::from(name)),
                ("region".to_string(), Value::from(region)),
            ]
            .into(),
        ))
    }
}

/// The warning for a connection that waits for its handshake.
fn handshake_warning(c: &ConnectionSummary) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if is_pending_handshake(c) {
        diags.push(Diagnostic::warning(
            format!(
                "Complete the handshake of App Runner connection {}",
                c.connection_name().unwrap_or_default()
            ),
            handshake_detail(c),
        ));
    }
    diags
}

fn summary(c: &aws_sdk_apprunner::types::Connection) -> ConnectionSummary {
    ConnectionSummary::builder()
        .set_connection_name(c.connection_name().map(str::to_string))
        .set_connection_arn(c.connection_arn().map(str::to_string))
        .set_provider_type(c.provider_type().cloned())
        .set_status(c.status().cloned())
        .set_created_at(c.created_at().cloned())
        .build()
}

/// Sets the attributes App Runner decides.
fn fill(state: &mut Value, c: &ConnectionSummary) {
    let arn = c.connection_arn().unwrap_or_default();
    state.set_attr("arn", arn.into());
    if let Some(name) = c.connection_name() {
        state.set_attr("connection_name", name.into());
        state.set_attr("id", name.into());
    }
    if let Some(r) = region::from_arn(arn) {
        state.set_attr("region", r.into());
    }
    state.set_attr("status", c.status().map(|s| s.as_str().to_string()).into());
}

fn name_of(state: &Value) -> String {
    state
        .attr("connection_name")
        .as_str()
        .or(state.attr("id").as_str())
        .unwrap_or_default()
        .to_string()
}
