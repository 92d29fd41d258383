//! The `tfplugin6.Provider` gRPC service: decodes each request, runs the
//! framework's rules and the provider's code, and encodes the answer.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use futures::Stream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};
use tracing::{debug, warn};

use super::convert;
use super::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use super::framework::{
    ApplyRequest, Ctx, DataSource, MoveSource, Plan, Provider, ReadRequest, Resource,
};
use super::json::{self, Strictness};
use super::plan;
use super::proto::tfplugin6 as pb;
use super::schema::{self, IdentitySchema, Schema};
use super::value::{Type, Value};

/// A schema with its implied type, computed once per process on first use.
struct Described {
    schema: Schema,
    ty: Type,
}

impl Described {
    fn new(schema: Schema) -> Self {
        let ty = schema.implied_type();
        Described { schema, ty }
    }
}

struct ResourceEntry<D: Send + Sync + 'static> {
    resource: Arc<dyn Resource<D>>,
    described: OnceLock<Described>,
    identity: OnceLock<Option<(IdentitySchema, Type)>>,
    list: OnceLock<Option<Described>>,
}

impl<D: Send + Sync + 'static> ResourceEntry<D> {
    fn described(&self) -> &Described {
        self.described
            .get_or_init(|| Described::new(self.resource.schema()))
    }

    fn identity(&self) -> Option<&(IdentitySchema, Type)> {
        self.identity
            .get_or_init(|| {
                self.resource.identity_schema().map(|s| {
                    let ty = s.implied_type();
                    (s, ty)
                })
            })
            .as_ref()
    }

    /// The `config` schema of `list` blocks, for listable types.
    fn list(&self) -> Option<&Described> {
        self.list
            .get_or_init(|| self.resource.list_schema().map(Described::new))
            .as_ref()
    }
}

struct DataSourceEntry<D: Send + Sync + 'static> {
    data_source: Arc<dyn DataSource<D>>,
    described: OnceLock<Described>,
}

impl<D: Send + Sync + 'static> DataSourceEntry<D> {
    fn described(&self) -> &Described {
        self.described
            .get_or_init(|| Described::new(self.data_source.schema()))
    }
}

/// Serves a [`Provider`] over the plugin protocol.
pub struct ProviderService<P: Provider> {
    provider: P,
    provider_schema: OnceLock<Described>,
    resources: HashMap<&'static str, ResourceEntry<P::Data>>,
    data_sources: HashMap<&'static str, DataSourceEntry<P::Data>>,
    data: RwLock<Option<Arc<P::Data>>>,
    stop: Mutex<CancellationToken>,
}

type ServiceResult<T> = Result<Response<T>, Status>;

impl<P: Provider> ProviderService<P> {
    pub fn new(provider: P) -> Self {
        let resources = provider
            .resources()
            .into_iter()
            .map(|r| {
                (
                    r.type_name(),
                    ResourceEntry {
                        resource: r,
                        described: OnceLock::new(),
                        identity: OnceLock::new(),
                        list: OnceLock::new(),
                    },
                )
            })
            .collect();
        let data_sources = provider
            .data_sources()
            .into_iter()
            .map(|d| {
                (
                    d.type_name(),
                    DataSourceEntry {
                        data_source: d,
                        described: OnceLock::new(),
                    },
                )
            })
            .collect();
        ProviderService {
            provider,
            provider_schema: OnceLock::new(),
            resources,
            data_sources,
            data: RwLock::new(None),
            stop: Mutex::new(CancellationToken::new()),
        }
    }

    fn provider_described(&self) -> &Described {
        self.provider_schema
            .get_or_init(|| Described::new(self.provider.schema()))
    }

    fn ctx(&self) -> Ctx<P::Data> {
        let data = self.data.read().expect("provider data lock").clone();
        let cancel = self.stop.lock().expect("stop lock").clone();
        Ctx::new(data, cancel)
    }

    fn resource(&self, type_name: &str) -> Result<&ResourceEntry<P::Data>, Diagnostics> {
        self.resources
            .get(type_name)
            .ok_or_else(|| unknown_type("resource", type_name))
    }

    fn data_source(&self, type_name: &str) -> Result<&DataSourceEntry<P::Data>, Diagnostics> {
        self.data_sources
            .get(type_name)
            .ok_or_else(|| unknown_type("data source", type_name))
    }

    fn capabilities() -> pb::ServerCapabilities {
        pb::ServerCapabilities {
            plan_destroy: true,
            get_provider_schema_optional: true,
            move_resource_state: true,
            generate_resource_config: true,
        }
    }

    async fn plan_change(
        &self,
        entry: &ResourceEntry<P::Data>,
        req: &pb::plan_resource_change::Request,
    ) -> Result<pb::plan_resource_change::Response, Diagnostics> {
        let d = entry.described();
        let prior = convert::decode(req.prior_state.as_ref(), &d.ty)?;
        let proposed = convert::decode(req.proposed_new_state.as_ref(), &d.ty)?;
        let config = convert::decode(req.config.as_ref(), &d.ty)?;
        let mut response = pb::plan_resource_change::Response::default();
        if proposed.is_null() {
            // Destroy: nothing to plan but the absence of the object; the
            // private data goes on to the delete.
            response.planned_state = Some(convert::encode(&Value::Null, &d.ty)?);
            response.planned_private = req.prior_private.clone();
            return Ok(response);
        }
        let block = &d.schema.block;
        let mut planned = proposed;
        plan::apply_defaults(block, &config, &mut planned);
        plan::keep_equivalent(block, &prior, &config, &mut planned);
        let mut requires_replace = Vec::new();
        plan::replace_paths(
            block,
            &prior,
            &planned,
            &AttributePath::root(),
            &mut requires_replace,
        );
        if prior.is_null() || planned != prior {
            plan::mark_computed_unknown(
                block,
                &prior,
                &config,
                &mut planned,
                requires_replace.is_empty(),
            );
        }
        plan::null_write_only(block, &mut planned);
        let mut p = Plan {
            prior,
            config,
            planned,
            requires_replace,
            private: req.prior_private.clone(),
            diagnostics: Diagnostics::new(),
        };
        let replacing_before = p.is_replace();
        entry.resource.plan(&self.ctx(), &mut p).await;
        if !replacing_before && p.is_replace() {
            plan::forget_kept_values(block, &p.prior, &p.config, &mut p.planned);
        }
        if p.diagnostics.has_errors() {
            return Err(p.diagnostics);
        }
        if let Some((identity, ty)) = entry.identity() {
            // An identity not known until apply is left out: Terraform
            // cannot render unknown identities.
            let value = identity_of(identity, &p.planned);
            if value.is_wholly_known() {
                response.planned_identity = Some(pb::ResourceIdentityData {
                    identity_data: Some(convert::encode(&value, ty)?),
                });
            }
        }
        response.planned_state = Some(convert::encode(&p.planned, &d.ty)?);
        response.requires_replace = p.requires_replace.iter().map(convert::path).collect();
        response.planned_private = p.private;
        response.diagnostics = convert::diagnostics(&p.diagnostics);
        Ok(response)
    }

    async fn apply_change(
        &self,
        entry: &ResourceEntry<P::Data>,
        req: pb::apply_resource_change::Request,
    ) -> Result<pb::apply_resource_change::Response, Diagnostics> {
        let d = entry.described();
        let prior = convert::decode(req.prior_state.as_ref(), &d.ty)?;
        let planned = convert::decode(req.planned_state.as_ref(), &d.ty)?;
        let config = convert::decode(req.config.as_ref(), &d.ty)?;
        let ctx = self.ctx();
        let mut response = pb::apply_resource_change::Response::default();
        if planned.is_null() {
            let diags = entry
                .resource
                .delete_with_private(&ctx, &prior, &req.planned_private)
                .await;
            // A failed delete keeps the object in state, with its private data.
            let state = if diags.has_errors() {
                response.private = req.planned_private;
                prior
            } else {
                Value::Null
            };
            response.new_state = Some(convert::encode(&state, &d.ty)?);
            response.diagnostics = convert::diagnostics(&diags);
            return Ok(response);
        }
        let request = ApplyRequest {
            prior: prior.clone(),
            planned,
            config,
            private: req.planned_private,
        };
        let mut applied = if prior.is_null() {
            entry.resource.create(&ctx, request).await
        } else {
            entry.resource.update(&ctx, request).await
        };
        // An update that failed before changing anything keeps the prior state.
        if applied.state.is_null() && !prior.is_null() {
            applied.state = prior;
        }
        let mut leftovers = Vec::new();
        plan::unknowns_to_null(&mut applied.state, &AttributePath::root(), &mut leftovers);
        for path in leftovers {
            applied.diagnostics.push(
                Diagnostic::error(
                    "Provider left a value unknown after apply",
                    "This is a bug in the provider; please report it.",
                )
                .at(path),
            );
        }
        plan::null_write_only(&d.schema.block, &mut applied.state);
        if let (Some((identity, ty)), false) = (entry.identity(), applied.state.is_null()) {
            let value = identity_of(identity, &applied.state);
            response.new_identity = Some(pb::ResourceIdentityData {
                identity_data: Some(convert::encode(&value, ty)?),
            });
        }
        response.new_state = Some(convert::encode(&applied.state, &d.ty)?);
        response.private = applied.private;
        response.diagnostics = convert::diagnostics(&applied.diagnostics);
        Ok(response)
    }

    async fn read(
        &self,
        entry: &ResourceEntry<P::Data>,
        req: pb::read_resource::Request,
    ) -> Result<pb::read_resource::Response, Diagnostics> {
        let d = entry.described();
        let state = convert::decode(req.current_state.as_ref(), &d.ty)?;
        let read = entry
            .resource
            .read(
                &self.ctx(),
                ReadRequest {
                    state: state.clone(),
                    private: req.private.clone(),
                },
            )
            .await;
        let mut response = pb::read_resource::Response {
            diagnostics: convert::diagnostics(&read.diagnostics),
            ..Default::default()
        };
        // On error keep what Terraform had, so nothing is dropped from state.
        let new_state = match (read.state, read.diagnostics.has_errors()) {
            (_, true) => state,
            (Some(s), false) => s,
            (None, false) => Value::Null,
        };
        if let (Some((identity, ty)), false) = (entry.identity(), new_state.is_null()) {
            let value = identity_of(identity, &new_state);
            response.new_identity = Some(pb::ResourceIdentityData {
                identity_data: Some(convert::encode(&value, ty)?),
            });
        }
        response.new_state = Some(convert::encode(&new_state, &d.ty)?);
        response.private = if read.private.is_empty() {
            req.private
        } else {
            read.private
        };
        Ok(response)
    }

    async fn import(
        &self,
        type_name: &str,
        req: pb::import_resource_state::Request,
    ) -> Result<pb::import_resource_state::Response, Diagnostics> {
        let entry = self.resource(type_name)?;
        let d = entry.described();
        let mut id = req.id.clone();
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
        let state = entry.resource.import(&self.ctx(), &id).await?;
        let state = state.conform(&d.ty).map_err(|e| {
            Diagnostics::from(Diagnostic::error(
                "Provider built an invalid import state",
                e,
            ))
        })?;
        let identity = match entry.identity() {
            Some((identity, ty)) => Some(pb::ResourceIdentityData {
                identity_data: Some(convert::encode(&identity_of(identity, &state), ty)?),
            }),
            None => None,
        };
        Ok(pb::import_resource_state::Response {
            imported_resources: vec![pb::import_resource_state::ImportedResource {
                type_name: type_name.to_string(),
                state: Some(convert::encode(&state, &d.ty)?),
                private: Vec::new(),
                identity,
            }],
            diagnostics: Vec::new(),
            deferred: None,
        })
    }
}

impl<P: Provider> ProviderService<P> {
    /// Lists a type's remote objects as query events.
    async fn list(
        &self,
        req: &pb::list_resource::Request,
    ) -> Result<Vec<pb::list_resource::Event>, Diagnostics> {
        let entry = self.resource(&req.type_name)?;
        let list = entry
            .list()
            .ok_or_else(|| unknown_type("list resource", &req.type_name))?;
        let (identity, identity_ty) = entry
            .identity()
            .ok_or_else(|| unsupported("listing without identity"))?;
        let d = entry.described();
        let config = convert::decode(req.config.as_ref(), &list.ty)?;
        let limit = usize::try_from(req.limit)
            .ok()
            .filter(|l| *l > 0)
            .unwrap_or(100);
        let found = entry.resource.list(&self.ctx(), &config, limit).await?;
        let mut events = Vec::with_capacity(found.len());
        for item in found.into_iter().take(limit) {
            let state = item.state.conform(&d.ty).map_err(|e| {
                Diagnostics::from(Diagnostic::error("Provider listed an invalid object", e))
            })?;
            events.push(pb::list_resource::Event {
                identity: Some(pb::ResourceIdentityData {
                    identity_data: Some(convert::encode(
                        &identity_of(identity, &state),
                        identity_ty,
                    )?),
                }),
                display_name: item.display_name,
                resource_object: if req.include_resource_object {
                    Some(convert::encode(&state, &d.ty)?)
                } else {
                    None
                },
                diagnostic: Vec::new(),
            });
        }
        Ok(events)
    }
}

/// The identity object of a state: the identity attributes taken from it.
fn identity_of(identity: &IdentitySchema, state: &Value) -> Value {
    Value::Object(
        identity
            .attributes
            .iter()
            .map(|a| (a.name.clone(), state.attr(&a.name).clone()))
            .collect(),
    )
}

fn unknown_type(kind: &str, name: &str) -> Diagnostics {
    Diagnostic::error(
        format!("Unknown {kind} type"),
        format!("This provider has no {kind} type named {name:?}."),
    )
    .into()
}

fn unsupported(what: &str) -> Diagnostics {
    Diagnostic::error(
        format!("{what} not supported"),
        format!("This provider offers no {what}."),
    )
    .into()
}

/// Runs a handler that answers either a response or diagnostics, and puts
/// the diagnostics into the response's own field.
macro_rules! answer {
    ($result:expr, $response:ty) => {
        match $result {
            Ok(r) => Ok(Response::new(r)),
            Err(diags) => Ok(Response::new(
                <$response>::default().with_diagnostics(&diags),
            )),
        }
    };
}

/// A response holding only `diags`: for calls this provider refuses.
fn refused<R: Default + WithDiagnostics>(diags: Diagnostics) -> ServiceResult<R> {
    Ok(Response::new(R::default().with_diagnostics(&diags)))
}

trait WithDiagnostics {
    fn with_diagnostics(self, diags: &Diagnostics) -> Self;
}

macro_rules! with_diagnostics {
    ($($t:ty),* $(,)?) => {$(
        impl WithDiagnostics for $t {
            fn with_diagnostics(mut self, diags: &Diagnostics) -> Self {
                self.diagnostics.extend(convert::diagnostics(diags));
                self
            }
        }
    )*};
}

with_diagnostics!(
    pb::validate_provider_config::Response,
    pb::validate_resource_config::Response,
    pb::validate_data_resource_config::Response,
    pb::configure_provider::Response,
    pb::upgrade_resource_state::Response,
    pb::upgrade_resource_identity::Response,
    pb::read_resource::Response,
    pb::plan_resource_change::Response,
    pb::apply_resource_change::Response,
    pb::import_resource_state::Response,
    pb::move_resource_state::Response,
    pb::generate_resource_config::Response,
    pb::read_data_source::Response,
    pb::validate_ephemeral_resource_config::Response,
    pb::open_ephemeral_resource::Response,
    pb::renew_ephemeral_resource::Response,
    pb::close_ephemeral_resource::Response,
    pb::validate_list_resource_config::Response,
    pb::plan_action::Response,
    pb::validate_action_config::Response,
);

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl<P: Provider> pb::provider_server::Provider for ProviderService<P> {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> ServiceResult<pb::get_metadata::Response> {
        use pb::get_metadata as m;
        Ok(Response::new(m::Response {
            server_capabilities: Some(Self::capabilities()),
            resources: self
                .resources
                .keys()
                .map(|t| m::ResourceMetadata {
                    type_name: t.to_string(),
                })
                .collect(),
            data_sources: self
                .data_sources
                .keys()
                .map(|t| m::DataSourceMetadata {
                    type_name: t.to_string(),
                })
                .collect(),
            list_resources: self
                .resources
                .iter()
                .filter(|(_, e)| e.list().is_some())
                .map(|(t, _)| m::ListResourceMetadata {
                    type_name: t.to_string(),
                })
                .collect(),
            ..Default::default()
        }))
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> ServiceResult<pb::get_provider_schema::Response> {
        Ok(Response::new(pb::get_provider_schema::Response {
            provider: Some(convert::schema(&self.provider_described().schema)),
            resource_schemas: self
                .resources
                .iter()
                .map(|(name, e)| (name.to_string(), convert::schema(&e.described().schema)))
                .collect(),
            data_source_schemas: self
                .data_sources
                .iter()
                .map(|(name, e)| (name.to_string(), convert::schema(&e.described().schema)))
                .collect(),
            list_resource_schemas: self
                .resources
                .iter()
                .filter_map(|(name, e)| {
                    e.list()
                        .map(|l| (name.to_string(), convert::schema(&l.schema)))
                })
                .collect(),
            provider_meta: Some(convert::schema(&Schema::default())),
            server_capabilities: Some(Self::capabilities()),
            ..Default::default()
        }))
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<pb::get_resource_identity_schemas::Request>,
    ) -> ServiceResult<pb::get_resource_identity_schemas::Response> {
        Ok(Response::new(pb::get_resource_identity_schemas::Response {
            identity_schemas: self
                .resources
                .iter()
                .filter_map(|(name, e)| {
                    e.identity()
                        .map(|(s, _)| (name.to_string(), convert::identity_schema(s)))
                })
                .collect(),
            diagnostics: Vec::new(),
        }))
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> ServiceResult<pb::get_functions::Response> {
        Ok(Response::new(pb::get_functions::Response::default()))
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> ServiceResult<pb::validate_provider_config::Response> {
        let req = request.into_inner();
        let result = (|| {
            let d = self.provider_described();
            let config = convert::decode(req.config.as_ref(), &d.ty)?;
            let mut diags = Diagnostics::new();
            schema::validate_block(&d.schema.block, &config, &AttributePath::root(), &mut diags);
            self.provider.validate(&config, &mut diags);
            Ok(pb::validate_provider_config::Response {
                diagnostics: convert::diagnostics(&diags),
            })
        })();
        answer!(result, pb::validate_provider_config::Response)
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> ServiceResult<pb::validate_resource_config::Response> {
        let req = request.into_inner();
        let result = (|| {
            let entry = self.resource(&req.type_name)?;
            let d = entry.described();
            let config = convert::decode(req.config.as_ref(), &d.ty)?;
            let mut diags = Diagnostics::new();
            schema::validate_block(&d.schema.block, &config, &AttributePath::root(), &mut diags);
            entry.resource.validate(&config, &mut diags);
            Ok(pb::validate_resource_config::Response {
                diagnostics: convert::diagnostics(&diags),
            })
        })();
        answer!(result, pb::validate_resource_config::Response)
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> ServiceResult<pb::validate_data_resource_config::Response> {
        let req = request.into_inner();
        let result = (|| {
            let entry = self.data_source(&req.type_name)?;
            let d = entry.described();
            let config = convert::decode(req.config.as_ref(), &d.ty)?;
            let mut diags = Diagnostics::new();
            schema::validate_block(&d.schema.block, &config, &AttributePath::root(), &mut diags);
            entry.data_source.validate(&config, &mut diags);
            Ok(pb::validate_data_resource_config::Response {
                diagnostics: convert::diagnostics(&diags),
            })
        })();
        answer!(result, pb::validate_data_resource_config::Response)
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> ServiceResult<pb::configure_provider::Response> {
        let req = request.into_inner();
        let result = async {
            let d = self.provider_described();
            let config = convert::decode(req.config.as_ref(), &d.ty)?;
            let (data, diags) = self
                .provider
                .configure(&config, &req.terraform_version)
                .await;
            if !diags.has_errors() {
                *self.data.write().expect("provider data lock") = data.map(Arc::new);
            }
            Ok(pb::configure_provider::Response {
                diagnostics: convert::diagnostics(&diags),
            })
        }
        .await;
        answer!(result, pb::configure_provider::Response)
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> ServiceResult<pb::upgrade_resource_state::Response> {
        let req = request.into_inner();
        let result = (|| {
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
            let json: serde_json::Value = serde_json::from_slice(&raw.json).map_err(|e| {
                Diagnostics::from(Diagnostic::error(
                    "Cannot parse stored state",
                    e.to_string(),
                ))
            })?;
            let upgraded = entry
                .resource
                .upgrade_state(req.version, &json, &d.schema)?;
            let mut state = self
                .provider
                .upgraded_state(&req.type_name, upgraded, &d.schema);
            plan::null_write_only(&d.schema.block, &mut state);
            Ok(pb::upgrade_resource_state::Response {
                upgraded_state: Some(convert::encode(&state, &d.ty)?),
                diagnostics: Vec::new(),
            })
        })();
        answer!(result, pb::upgrade_resource_state::Response)
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> ServiceResult<pb::upgrade_resource_identity::Response> {
        let req = request.into_inner();
        let result = (|| {
            let entry = self.resource(&req.type_name)?;
            let (_, ty) = entry
                .identity()
                .ok_or_else(|| unsupported("resource identity"))?;
            let raw = req.raw_identity.unwrap_or_default();
            let json: serde_json::Value = serde_json::from_slice(&raw.json).map_err(|e| {
                Diagnostics::from(Diagnostic::error(
                    "Cannot parse stored identity",
                    e.to_string(),
                ))
            })?;
            let identity = json::decode(&json, ty, Strictness::Lenient).map_err(|e| {
                Diagnostics::from(Diagnostic::error("Cannot read stored identity", e))
            })?;
            Ok(pb::upgrade_resource_identity::Response {
                upgraded_identity: Some(pb::ResourceIdentityData {
                    identity_data: Some(convert::encode(&identity, ty)?),
                }),
                diagnostics: Vec::new(),
            })
        })();
        answer!(result, pb::upgrade_resource_identity::Response)
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> ServiceResult<pb::read_resource::Response> {
        let req = request.into_inner();
        debug!(type_name = %req.type_name, "ReadResource");
        let result = match self.resource(&req.type_name) {
            Ok(entry) => self.read(entry, req).await,
            Err(d) => Err(d),
        };
        answer!(result, pb::read_resource::Response)
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> ServiceResult<pb::plan_resource_change::Response> {
        let req = request.into_inner();
        debug!(type_name = %req.type_name, "PlanResourceChange");
        let result = match self.resource(&req.type_name) {
            Ok(entry) => self.plan_change(entry, &req).await,
            Err(d) => Err(d),
        };
        answer!(result, pb::plan_resource_change::Response)
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> ServiceResult<pb::apply_resource_change::Response> {
        let req = request.into_inner();
        debug!(type_name = %req.type_name, "ApplyResourceChange");
        let result = match self.resource(&req.type_name) {
            Ok(entry) => self.apply_change(entry, req).await,
            Err(d) => Err(d),
        };
        if let Err(d) = &result {
            warn!(diagnostics = %d, "apply failed before reaching the resource");
        }
        answer!(result, pb::apply_resource_change::Response)
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> ServiceResult<pb::import_resource_state::Response> {
        let req = request.into_inner();
        debug!(type_name = %req.type_name, id = %req.id, "ImportResourceState");
        let type_name = req.type_name.clone();
        answer!(
            self.import(&type_name, req).await,
            pb::import_resource_state::Response
        )
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> ServiceResult<pb::move_resource_state::Response> {
        let req = request.into_inner();
        debug!(from = %req.source_type_name, to = %req.target_type_name, "MoveResourceState");
        let result = (|| {
            let entry = self.resource(&req.target_type_name)?;
            let d = entry.described();
            let raw = req.source_state.unwrap_or_default();
            let state: serde_json::Value = serde_json::from_slice(&raw.json).map_err(|e| {
                Diagnostics::from(Diagnostic::error(
                    "Cannot parse the moved state",
                    e.to_string(),
                ))
            })?;
            let source = MoveSource {
                provider_address: req.source_provider_address.clone(),
                type_name: req.source_type_name.clone(),
                schema_version: req.source_schema_version,
                state,
            };
            let moved = entry.resource.move_state(&source, &d.schema).or_else(|| {
                self.provider
                    .move_state(&req.target_type_name, &source, &d.schema)
            });
            let mut moved = match moved {
                Some(result) => result?,
                None => {
                    return Err(Diagnostic::error(
                        "Unsupported move",
                        format!(
                            "{} cannot take over the state of {} from {}.",
                            req.target_type_name, req.source_type_name, req.source_provider_address
                        ),
                    )
                    .into());
                }
            };
            plan::null_write_only(&d.schema.block, &mut moved);
            let moved = moved.conform(&d.ty).map_err(|e| {
                Diagnostics::from(Diagnostic::error(
                    "Provider built an invalid moved state",
                    e,
                ))
            })?;
            let target_identity = match entry.identity() {
                Some((identity, ty)) => Some(pb::ResourceIdentityData {
                    identity_data: Some(convert::encode(&identity_of(identity, &moved), ty)?),
                }),
                None => None,
            };
            Ok(pb::move_resource_state::Response {
                target_state: Some(convert::encode(&moved, &d.ty)?),
                diagnostics: Vec::new(),
                target_private: Vec::new(),
                target_identity,
            })
        })();
        answer!(result, pb::move_resource_state::Response)
    }

    async fn generate_resource_config(
        &self,
        request: Request<pb::generate_resource_config::Request>,
    ) -> ServiceResult<pb::generate_resource_config::Response> {
        let req = request.into_inner();
        let result = (|| {
            let entry = self.resource(&req.type_name)?;
            let d = entry.described();
            let state = convert::decode(req.state.as_ref(), &d.ty)?;
            let config = entry
                .resource
                .generate_config(&self.ctx(), &state, &d.schema)
                .conform(&d.ty)
                .map_err(|e| {
                    Diagnostics::from(Diagnostic::error(
                        "Provider generated an invalid configuration",
                        e,
                    ))
                })?;
            Ok(pb::generate_resource_config::Response {
                config: Some(convert::encode(&config, &d.ty)?),
                diagnostics: Vec::new(),
            })
        })();
        answer!(result, pb::generate_resource_config::Response)
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> ServiceResult<pb::read_data_source::Response> {
        let req = request.into_inner();
        debug!(type_name = %req.type_name, "ReadDataSource");
        let result = async {
            let entry = self.data_source(&req.type_name)?;
            let d = entry.described();
            let config = convert::decode(req.config.as_ref(), &d.ty)?;
            let state = entry.data_source.read(&self.ctx(), config).await?;
            let state = state.conform(&d.ty).map_err(|e| {
                Diagnostics::from(Diagnostic::error(
                    "Provider built an invalid data source value",
                    e,
                ))
            })?;
            Ok(pb::read_data_source::Response {
                state: Some(convert::encode(&state, &d.ty)?),
                diagnostics: Vec::new(),
                deferred: None,
            })
        }
        .await;
        answer!(result, pb::read_data_source::Response)
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> ServiceResult<pb::validate_ephemeral_resource_config::Response> {
        let name = request.into_inner().type_name;
        refused::<pb::validate_ephemeral_resource_config::Response>(unknown_type(
            "ephemeral resource",
            &name,
        ))
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> ServiceResult<pb::open_ephemeral_resource::Response> {
        let name = request.into_inner().type_name;
        refused::<pb::open_ephemeral_resource::Response>(unknown_type("ephemeral resource", &name))
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> ServiceResult<pb::renew_ephemeral_resource::Response> {
        let name = request.into_inner().type_name;
        refused::<pb::renew_ephemeral_resource::Response>(unknown_type("ephemeral resource", &name))
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> ServiceResult<pb::close_ephemeral_resource::Response> {
        let name = request.into_inner().type_name;
        refused::<pb::close_ephemeral_resource::Response>(unknown_type("ephemeral resource", &name))
    }

    type ListResourceStream = BoxStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> ServiceResult<Self::ListResourceStream> {
        let req = request.into_inner();
        debug!(type_name = %req.type_name, limit = req.limit, "ListResource");
        let events = match self.list(&req).await {
            Ok(events) => events,
            Err(diags) => vec![pb::list_resource::Event {
                diagnostic: convert::diagnostics(&diags),
                ..Default::default()
            }],
        };
        Ok(Response::new(Box::pin(futures::stream::iter(
            events.into_iter().map(Ok),
        ))))
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> ServiceResult<pb::validate_list_resource_config::Response> {
        let req = request.into_inner();
        let result = (|| {
            let entry = self.resource(&req.type_name)?;
            let list = entry
                .list()
                .ok_or_else(|| unknown_type("list resource", &req.type_name))?;
            let config = convert::decode(req.config.as_ref(), &list.ty)?;
            let mut diags = Diagnostics::new();
            // Terraform places the provider's list schema in the `config`
            // block of the `list` block, and reads paths from that block.
            schema::validate_block(
                &list.schema.block,
                &config,
                &AttributePath::attr("config"),
                &mut diags,
            );
            Ok(pb::validate_list_resource_config::Response {
                diagnostics: convert::diagnostics(&diags),
            })
        })();
        answer!(result, pb::validate_list_resource_config::Response)
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> ServiceResult<pb::call_function::Response> {
        let name = request.into_inner().name;
        Ok(Response::new(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!("This provider has no function named {name:?}."),
                function_argument: None,
            }),
        }))
    }

    async fn plan_action(
        &self,
        request: Request<pb::plan_action::Request>,
    ) -> ServiceResult<pb::plan_action::Response> {
        let name = request.into_inner().action_type;
        refused::<pb::plan_action::Response>(unknown_type("action", &name))
    }

    type InvokeActionStream = BoxStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        request: Request<pb::invoke_action::Request>,
    ) -> ServiceResult<Self::InvokeActionStream> {
        let name = request.into_inner().action_type;
        let event = pb::invoke_action::Event {
            r#type: Some(pb::invoke_action::event::Type::Completed(
                pb::invoke_action::event::Completed {
                    diagnostics: convert::diagnostics(&unknown_type("action", &name)),
                },
            )),
        };
        Ok(Response::new(Box::pin(futures::stream::iter([Ok(event)]))))
    }

    async fn validate_action_config(
        &self,
        request: Request<pb::validate_action_config::Request>,
    ) -> ServiceResult<pb::validate_action_config::Response> {
        let name = request.into_inner().type_name;
        refused::<pb::validate_action_config::Response>(unknown_type("action", &name))
    }

    async fn stop_provider(
        &self,
        _: Request<pb::stop_provider::Request>,
    ) -> ServiceResult<pb::stop_provider::Response> {
        // Cancel what is in flight; later requests get a fresh token.
        let mut token = self.stop.lock().expect("stop lock");
        token.cancel();
        *token = CancellationToken::new();
        debug!("StopProvider: in-flight operations cancelled");
        Ok(Response::new(pb::stop_provider::Response {
            error: String::new(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::framework::{Applied, Read};
    use crate::plugin::schema::{Attribute, Block};
    use async_trait::async_trait;
    use pb::provider_server::Provider as _;

    /// Records the private data its delete receives; fails when told to.
    struct Recorder {
        seen: Arc<Mutex<Vec<Vec<u8>>>>,
        fail: bool,
    }

    #[async_trait]
    impl Resource<()> for Recorder {
        fn type_name(&self) -> &'static str {
            "test_thing"
        }
        fn schema(&self) -> Schema {
            Schema::new(Block::new().attribute(Attribute::string("id").computed()))
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
        async fn delete(&self, _: &Ctx<()>, _: &Value) -> Diagnostics {
            unreachable!("delete_with_private is called")
        }
        async fn delete_with_private(&self, _: &Ctx<()>, _: &Value, private: &[u8]) -> Diagnostics {
            self.seen.lock().unwrap().push(private.to_vec());
            if self.fail {
                Diagnostic::error("refused", "test").into()
            } else {
                Diagnostics::new()
            }
        }
    }

    /// Generates `id = "configured"` when the provider is configured.
    struct Generator;

    #[async_trait]
    impl Resource<()> for Generator {
        fn type_name(&self) -> &'static str {
            "test_generated"
        }
        fn schema(&self) -> Schema {
            Schema::new(Block::new().attribute(Attribute::string("id").optional()))
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
        async fn delete(&self, _: &Ctx<()>, _: &Value) -> Diagnostics {
            Diagnostics::new()
        }
        fn list_schema(&self) -> Option<Schema> {
            Some(Schema::new(
                Block::new().attribute(
                    Attribute::string("status")
                        .optional()
                        .validate(crate::plugin::validators::one_of(&["ON", "OFF"])),
                ),
            ))
        }
        fn generate_config(&self, ctx: &Ctx<()>, _: &Value, _: &Schema) -> Value {
            let id = if ctx.provider().is_ok() {
                "configured"
            } else {
                "unconfigured"
            };
            Value::Object([("id".into(), id.into())].into())
        }
    }

    struct OneResource(Arc<Mutex<Vec<Vec<u8>>>>, bool);

    #[async_trait]
    impl Provider for OneResource {
        type Data = ();
        fn schema(&self) -> Schema {
            Schema::default()
        }
        async fn configure(&self, _: &Value, _: &str) -> (Option<()>, Diagnostics) {
            (Some(()), Diagnostics::new())
        }
        fn resources(&self) -> Vec<Arc<dyn Resource<()>>> {
            vec![
                Arc::new(Recorder {
                    seen: self.0.clone(),
                    fail: self.1,
                }),
                Arc::new(Generator),
            ]
        }
        fn data_sources(&self) -> Vec<Arc<dyn DataSource<()>>> {
            Vec::new()
        }
    }

    /// Plans and applies a destroy the way Terraform does: the destroy
    /// plan's private data is what the apply receives.
    async fn destroy(fail: bool) -> (Vec<Vec<u8>>, pb::apply_resource_change::Response) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let service = ProviderService::new(OneResource(seen.clone(), fail));
        let ty = Type::object([("id", Type::String)]);
        let prior =
            convert::encode(&Value::Object([("id".into(), "x".into())].into()), &ty).unwrap();
        let null = convert::encode(&Value::Null, &ty).unwrap();
        let planned = service
            .plan_resource_change(Request::new(pb::plan_resource_change::Request {
                type_name: "test_thing".into(),
                prior_state: Some(prior.clone()),
                proposed_new_state: Some(null.clone()),
                config: Some(null.clone()),
                prior_private: b"kept".to_vec(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(planned.planned_private, b"kept");
        let applied = service
            .apply_resource_change(Request::new(pb::apply_resource_change::Request {
                type_name: "test_thing".into(),
                prior_state: Some(prior),
                planned_state: Some(null.clone()),
                config: Some(null),
                planned_private: planned.planned_private,
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        let seen = seen.lock().unwrap().clone();
        (seen, applied)
    }

    #[tokio::test]
    async fn generated_configuration_sees_the_configured_provider() {
        let service = ProviderService::new(OneResource(Arc::default(), false));
        let ty = Type::object([("id", Type::String)]);
        let state =
            convert::encode(&Value::Object([("id".into(), "x".into())].into()), &ty).unwrap();
        let generate = || async {
            let response = service
                .generate_resource_config(Request::new(pb::generate_resource_config::Request {
                    type_name: "test_generated".into(),
                    state: Some(state.clone()),
                }))
                .await
                .unwrap()
                .into_inner();
            assert!(
                response.diagnostics.is_empty(),
                "{:?}",
                response.diagnostics
            );
            convert::decode(response.config.as_ref(), &ty).unwrap()
        };
        assert_eq!(generate().await.attr("id"), &Value::from("unconfigured"));
        let empty = convert::encode(
            &Value::Object(Default::default()),
            &Schema::default().implied_type(),
        )
        .unwrap();
        service
            .configure_provider(Request::new(pb::configure_provider::Request {
                config: Some(empty),
                ..Default::default()
            }))
            .await
            .unwrap();
        assert_eq!(generate().await.attr("id"), &Value::from("configured"));
    }

    #[tokio::test]
    async fn list_config_diagnostics_point_into_the_config_block() {
        let service = ProviderService::new(OneResource(Arc::default(), false));
        let ty = Type::object([("status", Type::String)]);
        let config = convert::encode(
            &Value::Object([("status".into(), "BAD".into())].into()),
            &ty,
        )
        .unwrap();
        let response = service
            .validate_list_resource_config(Request::new(
                pb::validate_list_resource_config::Request {
                    type_name: "test_generated".into(),
                    config: Some(config),
                    ..Default::default()
                },
            ))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(response.diagnostics.len(), 1, "{:?}", response.diagnostics);
        let at = response.diagnostics[0].attribute.clone().unwrap();
        let names: Vec<_> = at
            .steps
            .iter()
            .map(|s| match &s.selector {
                Some(pb::attribute_path::step::Selector::AttributeName(n)) => n.clone(),
                other => panic!("unexpected step {other:?}"),
            })
            .collect();
        assert_eq!(names, ["config", "status"]);
    }

    #[tokio::test]
    async fn a_destroy_hands_the_private_data_to_delete() {
        let (seen, applied) = destroy(false).await;
        assert_eq!(seen, vec![b"kept".to_vec()]);
        assert!(applied.diagnostics.is_empty());
    }

    #[tokio::test]
    async fn a_failed_delete_keeps_the_private_data() {
        let (seen, applied) = destroy(true).await;
        assert_eq!(seen, vec![b"kept".to_vec()]);
        assert_eq!(applied.private, b"kept");
        assert_eq!(applied.diagnostics.len(), 1);
    }
}
