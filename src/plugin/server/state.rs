//! States that come from elsewhere: importing a remote object, taking over
//! another type's state (`moved` blocks), and upgrading states and
//! identities written by earlier versions of the provider.

use tracing::debug;

use super::{Diagnostics, ProviderService, identity_data, parse_json, pb, unsupported};
use crate::plugin::diagnostics::Diagnostic;
use crate::plugin::framework::{MoveSource, Provider};
use crate::plugin::json::{self, Strictness};
use crate::plugin::plan;

impl<P: Provider> ProviderService<P> {
    pub(super) async fn import(
        &self,
        req: pb::import_resource_state::Request,
    ) -> Result<pb::import_resource_state::Response, Diagnostics> {
        let (entry, _) = self.resource(&req.type_name)?;
        let id = entry.import_id(req.id, req.identity.as_ref())?;
        debug!(type_name = %req.type_name, id = %id, "ImportResourceState");
        let state = entry.resource.import(&self.ctx()?, &id).await?;
        let (state, identity) =
            entry.built_state(state, "Provider built an invalid import state")?;
        Ok(pb::import_resource_state::Response {
            imported_resources: vec![pb::import_resource_state::ImportedResource {
                type_name: req.type_name,
                state: Some(state),
                private: Vec::new(),
                identity,
            }],
            diagnostics: Vec::new(),
            deferred: None,
        })
    }

    pub(super) async fn move_state(
        &self,
        req: pb::move_resource_state::Request,
    ) -> Result<pb::move_resource_state::Response, Diagnostics> {
        debug!(from = %req.source_type_name, to = %req.target_type_name, "MoveResourceState");
        let (entry, d) = self.resource(&req.target_type_name)?;
        let raw = req.source_state.unwrap_or_default();
        let source = MoveSource {
            provider_address: req.source_provider_address,
            type_name: req.source_type_name,
            schema_version: req.source_schema_version,
            state: parse_json(&raw.json, "Cannot parse the moved state")?,
        };
        let moved = entry.resource.move_state(&source, &d.schema).or_else(|| {
            self.provider
                .move_state(&req.target_type_name, &source, &d.schema)
        });
        let Some(moved) = moved else {
            return Err(Diagnostic::error(
                "Unsupported move",
                format!(
                    "{} cannot take over the state of {} from {}.",
                    req.target_type_name, source.type_name, source.provider_address
                ),
            )
            .into());
        };
        let mut moved = moved?;
        plan::null_write_only(&d.schema.block, &mut moved);
        let (state, identity) =
            entry.built_state(moved, "Provider built an invalid moved state")?;
        Ok(pb::move_resource_state::Response {
            target_state: Some(state),
            diagnostics: Vec::new(),
            target_private: Vec::new(),
            target_identity: identity,
        })
    }

    pub(super) async fn upgrade_state(
        &self,
        req: pb::upgrade_resource_state::Request,
    ) -> Result<pb::upgrade_resource_state::Response, Diagnostics> {
        let (entry, d) = self.resource(&req.type_name)?;
        if req.version > d.schema.version {
            return Err(Diagnostic::error(
                "State written by a newer provider",
                format!(
                    "This state has schema version {} but this provider only knows versions up to {}. Upgrade the provider.",
                    req.version, d.schema.version
                ),
            )
            .into());
        }
        let raw = req.raw_state.unwrap_or_default();
        if raw.json.is_empty() {
            return Err(Diagnostic::error(
                "Unsupported state format",
                "Only JSON state is supported.",
            )
            .into());
        }
        let json = parse_json(&raw.json, "Cannot parse stored state")?;
        let upgraded = entry
            .resource
            .upgrade_state(req.version, &json, &d.schema)?;
        let mut state = self
            .provider
            .upgraded_state(&req.type_name, upgraded, &d.schema);
        plan::null_write_only(&d.schema.block, &mut state);
        Ok(pb::upgrade_resource_state::Response {
            upgraded_state: Some(d.encode(&state)?),
            diagnostics: Vec::new(),
        })
    }

    pub(super) async fn upgrade_identity(
        &self,
        req: pb::upgrade_resource_identity::Request,
    ) -> Result<pb::upgrade_resource_identity::Response, Diagnostics> {
        let (entry, _) = self.resource(&req.type_name)?;
        let (_, ty) = entry
            .identity()
            .ok_or_else(|| unsupported("resource identity"))?;
        let raw = req.raw_identity.unwrap_or_default();
        let json = parse_json(&raw.json, "Cannot parse stored identity")?;
        let identity = json::decode(&json, ty, Strictness::Lenient)
            .map_err(|e| Diagnostics::from(Diagnostic::error("Cannot read stored identity", e)))?;
        Ok(pb::upgrade_resource_identity::Response {
            upgraded_identity: Some(identity_data(&identity, ty)?),
            diagnostics: Vec::new(),
        })
    }
}
