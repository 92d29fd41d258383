//! States that come from elsewhere: importing a remote object, taking over
//! another type's state (`moved` blocks), and upgrading states and
//! identities written by earlier versions of the provider.

use tracing::debug;

use super::{Diagnostics, ProviderService, identity_data, parse_json, pb, unsupported};
use crate::plugin::diagnostics::Diagnostic;
use crate::plugin::framework::{MoveSource, Provider};
use crate::plugin::json::{self, RawState, Strictness};
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
        let upgraded =
            entry
                .resource
                .upgrade_state(req.version, &RawState::new(&raw.json), &d.schema)?;
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use async_trait::async_trait;

    use super::*;
    use crate::plugin::framework::{
        Applied, ApplyRequest, Ctx, DataSource, Read, ReadRequest, Resource,
    };
    use crate::plugin::msgpack;
    use crate::plugin::schema::{Attribute, Block, Schema};
    use crate::plugin::value::{Type, Value};

    struct Thing;

    #[async_trait]
    impl Resource<()> for Thing {
        fn type_name(&self) -> &'static str {
            "test_thing"
        }
        fn schema(&self) -> Schema {
            Schema::new(
                Block::new()
                    .attribute(Attribute::string("id").computed())
                    .attribute(Attribute::number("size").optional())
                    .attribute(Attribute::string("secret").optional().write_only()),
            )
        }
        async fn create(&self, _: &Ctx<()>, req: ApplyRequest) -> Applied {
            Applied::ok(req.planned)
        }
        async fn read(&self, _: &Ctx<()>, req: ReadRequest) -> Read {
            Read::found(req.state)
        }
        async fn update(&self, _: &Ctx<()>, req: ApplyRequest) -> Applied {
            Applied::ok(req.planned)
        }
        async fn delete(&self, _: &Ctx<()>, _: &Value, _: &[u8]) -> Diagnostics {
            Diagnostics::new()
        }
    }

    struct OneThing;

    #[async_trait]
    impl Provider for OneThing {
        type Data = ();
        fn schema(&self) -> Schema {
            Schema::default()
        }
        async fn configure(&self, _: &Value, _: &str) -> (Option<()>, Diagnostics) {
            (Some(()), Diagnostics::new())
        }
        fn resources(&self) -> Vec<Arc<dyn Resource<()>>> {
            vec![Arc::new(Thing)]
        }
        fn data_sources(&self) -> Vec<Arc<dyn DataSource<()>>> {
            Vec::new()
        }
    }

    async fn upgrade(json: &str) -> Result<Value, String> {
        let service = ProviderService::new(OneThing);
        let request = pb::upgrade_resource_state::Request {
            type_name: "test_thing".into(),
            version: 0,
            raw_state: Some(pb::RawState {
                json: json.as_bytes().to_vec(),
                ..Default::default()
            }),
        };
        match service.upgrade_state(request).await {
            Ok(response) => {
                let ty = Type::object([
                    ("id", Type::String),
                    ("size", Type::Number),
                    ("secret", Type::String),
                ]);
                Ok(msgpack::decode(&response.upgraded_state.unwrap().msgpack, &ty).unwrap())
            }
            Err(diags) => Err(diags
                .iter()
                .map(|d| format!("{}: {}", d.summary, d.detail))
                .collect()),
        }
    }

    #[tokio::test]
    async fn stored_state_is_read_leniently_without_write_only_values() {
        let state = upgrade(r#"{"id": "a", "size": "3", "secret": "s", "gone": [1]}"#).await;
        let expected = Value::Object(
            [
                ("id".into(), Value::from("a")),
                ("size".into(), Value::from(3)),
                ("secret".into(), Value::Null),
            ]
            .into(),
        );
        assert_eq!(state, Ok(expected));
    }

    #[tokio::test]
    async fn unreadable_stored_state_is_reported() {
        assert_eq!(
            upgrade(r#"{"id": "a""#).await,
            Err(
                "Cannot parse stored state: EOF while parsing an object at line 1 column 10".into()
            )
        );
        assert_eq!(
            upgrade(r#"{"id": ["a"]}"#).await,
            Err(r#"Cannot read stored state: id: expected a string, got ["a"]"#.into())
        );
    }
}
