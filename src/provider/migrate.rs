//! State migrations every type gets:
//!
//! - from the AWS provider: every `apprunner_*` type takes over the state of
//!   its `aws_apprunner_*` twin through a `moved` block, with no replacement
//!   and no diff, because both use the same attribute names and shapes. A
//!   type may refine this by implementing `move_state` itself (for example
//!   to drop blocks the AWS provider kept in state as "computed");
//! - from older states: `region`, when a state predates it, is taken from
//!   the object's ARN (or the ARN of the service or configuration it
//!   belongs to), so even a plan without refresh shows no change.
//!
//! Schema version policy: adding an attribute needs no new version (older
//! states read it as null, and refresh fills it); renaming, retyping or
//! restructuring an attribute bumps the type's `Schema::version` and adds an
//! upgrader for the previous version in the type's file, with a stored state
//! of that version under `tests/fixtures/state/` that `tests/state_upgrade.rs`
//! upgrades.

use std::sync::Arc;

use async_trait::async_trait;

use crate::plugin::framework::{Listed, MoveSource};
use crate::plugin::{
    Applied, ApplyRequest, Ctx, Diagnostics, IdentitySchema, Plan, Read, ReadRequest, Resource,
    Schema, Value, move_from_same_shape,
};

use super::AppRunner;
use super::region;

/// The AWS provider's address (any registry host).
pub const AWS_PROVIDER: &str = "hashicorp/aws";

/// The AWS provider's name for one of our types.
pub fn aws_twin(type_name: &str) -> String {
    format!("aws_{type_name}")
}

/// Adopts the state of the AWS provider's twin of `type_name`, if `source`
/// is that. Fills `region` from the ARN for states written before the AWS
/// provider had per-resource regions.
pub fn from_aws(
    type_name: &str,
    source: &MoveSource,
    schema: &Schema,
) -> Option<Result<Value, Diagnostics>> {
    if !source.is(AWS_PROVIDER, &aws_twin(type_name)) {
        return None;
    }
    Some(move_from_same_shape(source, schema).map(|mut state| {
        fill_region(&mut state, schema);
        // The AWS provider may store unset tags as `{}`; unset is null here.
        if state
            .attr("tags")
            .as_entries()
            .is_some_and(|m| m.is_empty())
        {
            state.set_attr("tags", Value::Null);
        }
        state
    }))
}

/// Attributes holding an ARN in the object's own region, in order of
/// preference: its own ARN, else the service's (deployments, custom
/// domains), else the configuration's (a region's default).
const REGIONAL_ARNS: &[&str] = &["arn", "service_arn", "auto_scaling_configuration_arn"];

/// Sets a missing `region` from the first ARN the state holds.
fn fill_region(state: &mut Value, schema: &Schema) {
    if !state.attr("region").is_null() || schema.block.get_attribute("region").is_none() {
        return;
    }
    let found = REGIONAL_ARNS
        .iter()
        .find_map(|name| state.attr(name).as_str().and_then(region::from_arn))
        .map(str::to_string);
    if let Some(r) = found {
        state.set_attr("region", Value::from(r));
    }
}

/// Gives `resource` the migrations above.
pub fn with_migrations(resource: Arc<dyn Resource<AppRunner>>) -> Arc<dyn Resource<AppRunner>> {
    Arc::new(Migrations(resource))
}

struct Migrations(Arc<dyn Resource<AppRunner>>);

#[async_trait]
impl Resource<AppRunner> for Migrations {
    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn schema(&self) -> Schema {
        self.0.schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        self.0.identity_schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.0.validate(config, diags)
    }

    async fn plan(&self, ctx: &Ctx<AppRunner>, plan: &mut Plan) {
        self.0.plan(ctx, plan).await
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        self.0.create(ctx, req).await
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        self.0.read(ctx, req).await
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        self.0.update(ctx, req).await
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value) -> Diagnostics {
        self.0.delete(ctx, state).await
    }

    async fn delete_with_private(
        &self,
        ctx: &Ctx<AppRunner>,
        state: &Value,
        private: &[u8],
    ) -> Diagnostics {
        self.0.delete_with_private(ctx, state, private).await
    }

    async fn import(&self, ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        self.0.import(ctx, id).await
    }

    fn import_id_from_identity(&self, identity: &Value) -> Option<String> {
        self.0.import_id_from_identity(identity)
    }

    fn upgrade_state(
        &self,
        version: i64,
        raw: &serde_json::Value,
        schema: &Schema,
    ) -> Result<Value, Diagnostics> {
        let mut state = self.0.upgrade_state(version, raw, schema)?;
        fill_region(&mut state, schema);
        Ok(state)
    }

    fn move_state(
        &self,
        source: &MoveSource,
        schema: &Schema,
    ) -> Option<Result<Value, Diagnostics>> {
        self.0
            .move_state(source, schema)
            .or_else(|| from_aws(self.0.type_name(), source, schema))
    }

    fn list_schema(&self) -> Option<Schema> {
        self.0.list_schema()
    }

    async fn list(
        &self,
        ctx: &Ctx<AppRunner>,
        config: &Value,
        limit: usize,
    ) -> Result<Vec<Listed>, Diagnostics> {
        self.0.list(ctx, config, limit).await
    }

    fn generate_config(&self, ctx: &Ctx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        self.0.generate_config(ctx, state, schema)
    }
}
