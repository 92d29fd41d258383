//! `apprunner_connection`: a connection to a source code provider (GitHub,
//! Bitbucket), as `aws_apprunner_connection`.
//!
//! A new connection is `PENDING_HANDSHAKE` until someone completes the
//! handshake in the App Runner console; Terraform cannot. Create and every
//! refresh say so with a warning that tells the user what to do, and
//! services that use such a connection fail with the same instructions
//! (see [`crate::apprunner::connection`]) rather than waiting. Import by
//! `connection_name` (`NAME@REGION` for another region than the
//! provider's); the identity is `connection_name` and `region`.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_apprunner::types::ConnectionSummary;
use serde::{Deserialize, Serialize};

use crate::apprunner::connection::{
    ConnectionAttributes, NAME_PATTERN, PROVIDER_TYPES, create_once, delete, find_by_name,
    handshake_detail, is_pending_handshake, list,
};
use crate::apprunner::create::create;
use crate::apprunner::first;
use crate::plugin::model::{self, Field};
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, Block, Ctx, Diagnostic, Diagnostics, IdentityAttribute,
    IdentitySchema, ListResource, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Value,
    timeouts,
};
use crate::provider::lifecycle::ReadModel;
use crate::provider::listing::{self, RegionQuery, RegionalList};
use crate::provider::waiter::{Poll, Waiting, wait_for};
use crate::provider::{AppRunner, attributes, lifecycle, region, tags};

pub struct Connection;

/// What the resource reads of its configuration, plan or state.
#[derive(Deserialize)]
struct ConnectionModel {
    connection_name: Field<String>,
    provider_type: Field<String>,
    arn: Field<String>,
    id: Field<String>,
}

impl ConnectionModel {
    /// The name, or the ID (the same) of an imported state.
    fn name(&self) -> String {
        self.connection_name
            .as_deref()
            .or(self.id.as_deref())
            .unwrap_or_default()
            .to_string()
    }
}

/// The resource's identity: the name and the region.
#[derive(Deserialize)]
struct Identity {
    connection_name: Field<String>,
    region: Field<String>,
}

/// The filters of the `list` block.
#[derive(Deserialize)]
struct ListFilters {
    provider_type: Option<String>,
    status: Option<String>,
}
const DEFAULT_DELETE: Duration = Duration::from_secs(5 * 60);
/// Bound on creating (the type has no `timeouts { create }`).
const CREATE_TIMEOUT: Duration = Duration::from_secs(5 * 60);

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("An App Runner connection to a source code provider. After creating it, complete the handshake in the App Runner console; until then it is PENDING_HANDSHAKE and services cannot use it.")
            .attribute(
                attributes::name("connection_name", 32, NAME_PATTERN, "4 to 32 letters, digits, hyphens or underscores, starting with a letter or digit")
                    .required()
                    .requires_replace()
                    .description("Name of the connection (unique in the account and region)."),
            )
            .attribute(
                Attribute::string("provider_type")
                    .required()
                    .requires_replace()
                    .validate(v::one_of(PROVIDER_TYPES))
                    .description("Source code provider: `GITHUB` or `BITBUCKET`."),
            )
            .attributes(attributes::regional_tagged("ARN of the connection.", "connection_name"))
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
        Some(IdentitySchema::of(vec![
            IdentityAttribute::required("connection_name", "Name of the connection."),
            IdentityAttribute::optional(
                "region",
                "Region of the connection; defaults to the provider's.",
            ),
        ]))
    }

    fn import_id_from_identity(&self, identity: &Value) -> Option<String> {
        let identity: Identity = model::from_value(identity).ok()?;
        let name = identity.connection_name.as_deref()?;
        Some(match identity.region.as_deref() {
            Some(r) => format!("{name}@{r}"),
            None => name.to_string(),
        })
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
        #[derive(Serialize)]
        struct Id {
            id: String,
        }
        region::plan(ctx, plan);
        tags::plan_tags_all(ctx, plan);
        if !plan.is_create() {
            return;
        }
        let planned = match ConnectionModel::of(&plan.planned) {
            Ok(m) => m,
            Err(d) => return plan.diagnostics.push(d),
        };
        if let Some(name) = planned.connection_name.into_known() {
            super::write_planned(plan, &schema(), &Id { id: name });
        }
    }

    fn lister(&self) -> Option<&dyn ListResource<AppRunner>> {
        Some(self)
    }

    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        listing::generate_config(ctx, state, schema)
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let planned = crate::or_return!(ConnectionModel::of(&req.planned), Applied::failed);
        let name = planned.connection_name.as_deref().unwrap_or_default();
        let provider_type = planned.provider_type.as_deref().unwrap_or_default();
        let region = region::of(provider, &req.planned);
        let tags = lifecycle::planned_tags(&req.planned);
        let created = create(
            ctx,
            "CreateConnection",
            "connection",
            name,
            CREATE_TIMEOUT,
            || create_once(provider, region, name, provider_type, tags.clone()),
            || find_by_name(provider, Some(region), name),
        )
        .await;
        let (state, connection) = match lifecycle::created_state(&req.planned, created, fill) {
            Ok(filled) => filled,
            Err(applied) => return *applied,
        };
        Applied {
            state,
            private: Vec::new(),
            diagnostics: handshake_warning(&connection),
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        let provider = ctx.provider();
        let known = crate::or_return!(ConnectionModel::of(&req.state), Read::failed);
        let name = known.name();
        let region = region::of(provider, &req.state);
        // A connection of the same name made after ours was deleted is not ours.
        let known_arn = known.arn.as_deref().filter(|a| !a.is_empty());
        let found = find_by_name(provider, Some(region), &name)
            .await
            .map(|c| c.filter(|c| known_arn.is_none_or(|arn| c.connection_arn() == Some(arn))));
        let (arn, warnings) = match &found {
            Ok(Some(c)) => {
                let arn = c.connection_arn().unwrap_or_default().to_string();
                (arn, handshake_warning(c))
            }
            _ => (String::new(), Diagnostics::new()),
        };
        let mut read = lifecycle::read(provider, &req.state, &arn, found, fill).await;
        if read.state.is_some() {
            read.diagnostics = warnings;
        }
        read
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let prior = crate::or_return!(ConnectionModel::of(&req.prior), Applied::failed);
        // Name and provider replace the connection; only tags change here.
        let arn = prior.arn.as_deref().unwrap_or_default().to_string();
        lifecycle::update_only_tags(ctx.provider(), &arn, req).await
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, _private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        let known = crate::or_return!(ConnectionModel::of(state), Diagnostics::from);
        let arn = known.arn.as_deref().unwrap_or_default();
        let name = known.name();
        if let Err(d) = delete(provider, arn).await {
            return d.into();
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
                Err(d) => Poll::Failed(first(d)),
            }
        })
        .await;
        lifecycle::deleted(gone, &format!("connection {name} to be deleted"), timeout)
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
        #[derive(Serialize)]
        struct NameImport<'a> {
            connection_name: &'a str,
            id: &'a str,
            region: String,
        }
        let seed = NameImport {
            connection_name: name,
            id: name,
            region,
        };
        Ok(model::to_value(&seed, &schema().implied_type())?)
    }
}

#[async_trait]
impl RegionalList for Connection {
    fn filters(&self) -> Block {
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
    }

    async fn ids_in(&self, query: &RegionQuery<'_>) -> Result<Vec<String>, Diagnostics> {
        let filters: ListFilters = model::from_value(query.config)?;
        let wanted = |filter: &Option<String>, value: Option<&str>| {
            filter
                .as_deref()
                .is_none_or(|w| value.is_some_and(|v| v.eq_ignore_ascii_case(w)))
        };
        let found = list(query.provider, query.region, query.limit, |c| {
            wanted(&filters.status, c.status().map(|s| s.as_str()))
                && wanted(
                    &filters.provider_type,
                    c.provider_type().map(|p| p.as_str()),
                )
                && c.connection_name()
                    .is_some_and(|name| query.has_prefix(name))
        })
        .await?;
        Ok(found
            .iter()
            .filter_map(|c| c.connection_name())
            .map(|name| format!("{name}@{}", query.region))
            .collect())
    }

    fn display_name(&self, state: &Value) -> String {
        ConnectionModel::of(state)
            .map(|m| m.name())
            .unwrap_or_default()
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

/// Sets the attributes App Runner decides.
fn fill(state: &mut Value, c: &ConnectionSummary) -> Result<(), Diagnostic> {
    super::write_model(state, &schema(), &ConnectionAttributes::from(c))
}
