//! State migrations every type gets (the provider applies them to all
//! types, through `Provider::move_state` and `Provider::upgraded_state`):
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

use crate::plugin::framework::MoveSource;
use crate::plugin::{Diagnostics, Schema, Value, move_from_same_shape};

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
pub fn fill_region(state: &mut Value, schema: &Schema) {
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
