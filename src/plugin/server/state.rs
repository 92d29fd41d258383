//! States that come from elsewhere: importing a remote object, taking over
//! another type's state (`moved` blocks), and upgrading states and
//! identities written by earlier versions of the provider.

use tracing::debug;

use super::{Diagnostics, ProviderService, identity_data, parse_json, pb, unsupported};
use crate::plugin::diagnostics::Diagnostic;
use crate::plugin::framework::{MoveSource, Provider};
use crate::plugin::json::{self, Strictness};
use crate::plugin::{convert, plan};

impl<P: Provider> ProviderService<P> {
    pub(super) async fn import(
        &self,
        req: pb::import_resource_state::Request,
    ) -> Result<pb::import_resource_state::Response, Diagnostics> {
        debug!(type_name = %req.type_name, id = %req.id, "ImportResourceState");
        let entry = self.resource(&req.type_name)?;
        let d = entry.described();
        let mut id = req.id;
        if let (Some(data), Some((_, ty))) = (
            req.identity.as_ref().and_then(|i| i.identity_data.as_ref()),
            entry.identity(),
        ) {
            let identity = convert::decode(Some(data), ty)?;
            if !identity.is_null() {
                id = entry
                    .resource
                    .import_id_from_identity(&identity)
                    .ok_or_else(|| {
                        Diagnostics::from(Diagnostic::error(
                            "Incomplete import identity",
                            "The identity given does not name a remote object.",
                        ))
                    })?;
            }
        }
        let state = entry.resource.import(&self.ctx()?, &id).await?;
        let state = d.conform(state, "Provider built an invalid import state")?;
        Ok(pb::import_resource_state::Response {
            imported_resources: vec![pb::import_resource_state::ImportedResource {
                type_name: req.type_name,
                state: Some(d.encode(&state)?),
                private: Vec::new(),
                identity: entry.identity_data(&state)?,
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
        let entry = self.resource(&req.target_type_name)?;
        let d = entry.described();
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
        let moved = d.conform(moved, "Provider built an invalid moved state")?;
        Ok(pb::move_resource_state::Response {
            target_state: Some(d.encode(&moved)?),
            diagnostics: Vec::new(),
            target_private: Vec::new(),
            target_identity: entry.identity_data(&moved)?,
        })
    }

    pub(super) async fn upgrade_state(
        &self,
        req: pb::upgrade_resource_state::Request,
    ) -> Result<pb::upgrade_resource_state::Response, Diagnostics> {
        let entry = self.resource(&req.type_name)?;
        let d = entry.described();
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
        let entry = self.resource(&req.type_name)?;
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
