//! The `tfplugin6.Provider` gRPC service: decodes each request, runs the
//! framework's rules and the provider's code, and encodes the answer.
//!
//! This module holds the service itself (the provider's types, looked up by
//! name, with schemas computed once), the routing of every RPC to its
//! handler, and the validation of resource, data source and `list` block
//! configurations, which differ only in where schema and rules come from.
//! The other handlers live by protocol area:
//!
//! - [`provider`]: metadata, schemas, provider validation and configuration,
//!   functions, stopping;
//! - [`resources`]: a managed resource's life: read, plan, apply;
//! - [`state`]: stored states from elsewhere: import, move, upgrade;
//! - [`data_sources`]: reading data sources;
//! - [`query`]: `terraform query`: list resources and generated configuration.

mod data_sources;
mod provider;
mod query;
mod resources;
mod state;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use futures::Stream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};
use tracing::debug;

use super::convert;
use super::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use super::framework::{Ctx, DataSource, PlanCtx, Provider, Resource};
use super::proto::tfplugin6 as pb;
use super::schema::{Checks, IdentitySchema, Schema};
use super::stop;
use super::value::{Type, Value};

/// A schema with its implied type and validation checks, computed once per
/// process on first use.
struct Described {
    schema: Schema,
    ty: Type,
    checks: Checks,
}

impl Described {
    fn new(schema: Schema) -> Self {
        let ty = schema.fix_implied_type().clone();
        let checks = Checks::of(&schema.block);
        Described { schema, ty, checks }
    }

    fn decode(&self, value: Option<&pb::DynamicValue>) -> Result<Value, Diagnostics> {
        convert::decode(value, &self.ty)
    }

    fn encode(&self, value: &Value) -> Result<pb::DynamicValue, Diagnostics> {
        convert::encode(value, &self.ty)
    }

    /// Checks that a value the provider built fits the schema; `summary`
    /// names what was wrong if not.
    fn conform(&self, value: Value, summary: &str) -> Result<Value, Diagnostics> {
        value
            .conform(&self.ty)
            .map_err(|e| Diagnostic::error(summary, e).into())
    }

    /// Validates a configuration against the schema (diagnostics placed
    /// under `at`), then by the type's own `rules`.
    fn validate(
        &self,
        config: Option<&pb::DynamicValue>,
        at: &AttributePath,
        rules: impl FnOnce(&Value, &mut Diagnostics),
    ) -> Result<Vec<pb::Diagnostic>, Diagnostics> {
        let config = self.decode(config)?;
        let mut diags = Diagnostics::new();
        self.checks
            .validate(&self.schema.block, &config, at, &mut diags);
        rules(&config, &mut diags);
        Ok(convert::diagnostics(&diags))
    }
}

struct ResourceEntry<D: Send + Sync + 'static> {
    resource: Arc<dyn Resource<D>>,
    described: OnceLock<Described>,
    identity: OnceLock<Option<(IdentitySchema, Type)>>,
    list: OnceLock<Option<Described>>,
}

impl<D: Send + Sync + 'static> ResourceEntry<D> {
    fn new(resource: Arc<dyn Resource<D>>) -> Self {
        ResourceEntry {
            resource,
            described: OnceLock::new(),
            identity: OnceLock::new(),
            list: OnceLock::new(),
        }
    }

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
            .get_or_init(|| {
                self.resource
                    .lister()
                    .map(|l| Described::new(l.config_schema()))
            })
            .as_ref()
    }

    /// The identity of `state` with its type, for types that have one.
    fn identity_of(&self, state: &Value) -> Option<(Value, &Type)> {
        let (identity, ty) = self.identity()?;
        let value = Value::Object(
            identity
                .attributes
                .iter()
                .map(|a| (a.name.clone(), state.attr(&a.name).clone()))
                .collect(),
        );
        Some((value, ty))
    }

    /// The ID to import: the one given, or the one `identity` names when
    /// Terraform imports by identity.
    fn import_id(
        &self,
        id: String,
        identity: Option<&pb::ResourceIdentityData>,
    ) -> Result<String, Diagnostics> {
        let (Some(data), Some((_, ty))) = (
            identity.and_then(|i| i.identity_data.as_ref()),
            self.identity(),
        ) else {
            return Ok(id);
        };
        let identity = convert::decode(Some(data), ty)?;
        if identity.is_null() {
            return Ok(id);
        }
        self.resource
            .import_id_from_identity(&identity)
            .ok_or_else(|| {
                Diagnostic::error(
                    "Incomplete import identity",
                    "The identity given does not name a remote object.",
                )
                .into()
            })
    }

    /// A state the provider built: checked against the schema (`summary`
    /// says what was built, if it does not fit), encoded, with its identity.
    fn built_state(
        &self,
        state: Value,
        summary: &str,
    ) -> Result<(pb::DynamicValue, Option<pb::ResourceIdentityData>), Diagnostics> {
        let d = self.described();
        let state = d.conform(state, summary)?;
        Ok((d.encode(&state)?, self.identity_data(&state)?))
    }

    /// The encoded identity of `state`, for types that have one.
    fn identity_data(
        &self,
        state: &Value,
    ) -> Result<Option<pb::ResourceIdentityData>, Diagnostics> {
        self.identity_of(state)
            .map(|(value, ty)| identity_data(&value, ty))
            .transpose()
    }
}

fn identity_data(identity: &Value, ty: &Type) -> Result<pb::ResourceIdentityData, Diagnostics> {
    Ok(pb::ResourceIdentityData {
        identity_data: Some(convert::encode(identity, ty)?),
    })
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

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

impl<P: Provider> ProviderService<P> {
    pub fn new(provider: P) -> Self {
        let resources = provider
            .resources()
            .into_iter()
            .map(|r| (r.type_name(), ResourceEntry::new(r)))
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

    /// The context of calls that may run before the provider is configured.
    fn plan_ctx(&self) -> PlanCtx<P::Data> {
        let data = self.data.read().expect("provider data lock").clone();
        PlanCtx::new(data, self.stop_token())
    }

    /// The token that Terraform's next StopProvider cancels.
    fn stop_token(&self) -> CancellationToken {
        self.stop.lock().expect("stop lock").clone()
    }

    /// The context of calls that need the configured provider, or the
    /// error that it is not configured.
    fn ctx(&self) -> Result<Ctx<P::Data>, Diagnostics> {
        self.plan_ctx().configured()
    }

    /// The resource type a request names, and its schema.
    fn resource(
        &self,
        type_name: &str,
    ) -> Result<(&ResourceEntry<P::Data>, &Described), Diagnostics> {
        let entry = self
            .resources
            .get(type_name)
            .ok_or_else(|| unknown_type("resource", type_name))?;
        Ok((entry, entry.described()))
    }

    fn data_source(&self, type_name: &str) -> Result<&DataSourceEntry<P::Data>, Diagnostics> {
        self.data_sources
            .get(type_name)
            .ok_or_else(|| unknown_type("data source", type_name))
    }
}

/// The kinds of type whose configurations Terraform asks to validate.
#[derive(Clone, Copy)]
enum Configured {
    Resource,
    DataSource,
    /// The `config` block of a `list` block, for listable resource types.
    List,
}

impl<P: Provider> ProviderService<P> {
    /// Validates a configuration of the type `type_name` of `kind`: by the
    /// schema, then by the type's own rules.
    fn validate_config(
        &self,
        kind: Configured,
        type_name: &str,
        config: Option<&pb::DynamicValue>,
    ) -> Result<Vec<pb::Diagnostic>, Diagnostics> {
        let root = AttributePath::root();
        match kind {
            Configured::Resource => {
                let (entry, d) = self.resource(type_name)?;
                d.validate(config, &root, |c, diags| entry.resource.validate(c, diags))
            }
            Configured::DataSource => {
                let entry = self.data_source(type_name)?;
                let rules =
                    |c: &Value, diags: &mut Diagnostics| entry.data_source.validate(c, diags);
                entry.described().validate(config, &root, rules)
            }
            // Terraform places the list schema in the `config` block of the
            // `list` block, and reads paths from that block.
            Configured::List => {
                let (_, list) = self.listable(type_name)?;
                list.validate(config, &AttributePath::attr("config"), |_, _| {})
            }
        }
    }

    /// A listable resource type a request names: its entry and the schema
    /// of its `list` blocks' `config`.
    fn listable(
        &self,
        type_name: &str,
    ) -> Result<(&ResourceEntry<P::Data>, &Described), Diagnostics> {
        let (entry, _) = self.resource(type_name)?;
        let list = entry
            .list()
            .ok_or_else(|| unknown_type("list resource", type_name))?;
        Ok((entry, list))
    }
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

/// Parses stored JSON (a state or an identity); `summary` says what could
/// not be parsed.
fn parse_json(json: &[u8], summary: &str) -> Result<serde_json::Value, Diagnostics> {
    serde_json::from_slice(json).map_err(|e| Diagnostic::error(summary, e.to_string()).into())
}

/// A handler's answer, or a response holding only the diagnostics that
/// stopped it (in the response's own field).
fn answer<R: Default + WithDiagnostics>(result: Result<R, Diagnostics>) -> R {
    result.unwrap_or_else(|diags| R::default().with_diagnostics(&diags))
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

/// Implements the gRPC service from a routing table. Every unary RPC `x`
/// takes `pb::x::Request` and answers `pb::x::Response`, so one line names
/// its handler:
/// - `answered`: `async fn(&self, Request) -> Result<Response, Diagnostics>`,
///   the diagnostics answered in the response;
/// - `infallible`: `async fn(&self, Request) -> Response`;
/// - `validated`: configurations of a type of the given [`Configured`]
///   kind, validated by [`ProviderService::validate_config`];
/// - `refused`: kinds of type this provider has none of; the request's
///   named field is the type asked for.
///
/// The streaming RPCs follow the table, written out.
macro_rules! provider_service {
    (
        answered { $($answered:ident => $answered_by:ident,)* }
        infallible { $($infallible:ident => $infallible_by:ident,)* }
        validated { $($validated:ident => $configured:ident,)* }
        refused { $($refused:ident => $kind:literal named by $field:ident,)* }
        $($streams:tt)*
    ) => {
        #[tonic::async_trait]
        impl<P: Provider> pb::provider_server::Provider for ProviderService<P> {
            $(
                async fn $answered(
                    &self,
                    request: Request<pb::$answered::Request>,
                ) -> ServiceResult<pb::$answered::Response> {
                    let call = self.$answered_by(request.into_inner());
                    Ok(Response::new(answer(stop::scoped(self.stop_token(), call).await)))
                }
            )*
            $(
                async fn $infallible(
                    &self,
                    request: Request<pb::$infallible::Request>,
                ) -> ServiceResult<pb::$infallible::Response> {
                    Ok(Response::new(self.$infallible_by(request.into_inner()).await))
                }
            )*
            $(
                async fn $validated(
                    &self,
                    request: Request<pb::$validated::Request>,
                ) -> ServiceResult<pb::$validated::Response> {
                    let req = request.into_inner();
                    let call = async {
                        self.validate_config(Configured::$configured, &req.type_name, req.config.as_ref())
                            .map(|diagnostics| pb::$validated::Response { diagnostics })
                    };
                    Ok(Response::new(answer(stop::scoped(self.stop_token(), call).await)))
                }
            )*
            $(
                async fn $refused(
                    &self,
                    request: Request<pb::$refused::Request>,
                ) -> ServiceResult<pb::$refused::Response> {
                    let name = request.into_inner().$field;
                    Ok(Response::new(answer(Err(unknown_type($kind, &name)))))
                }
            )*
            $($streams)*
        }
    };
}

provider_service! {
    answered {
        validate_provider_config => validate_provider,
        configure_provider => configure,
        read_resource => read_resource_state,
        plan_resource_change => plan_change,
        apply_resource_change => apply_change,
        upgrade_resource_state => upgrade_state,
        upgrade_resource_identity => upgrade_identity,
        import_resource_state => import,
        move_resource_state => move_state,
        read_data_source => read_data,
        generate_resource_config => generate_config,
    }
    infallible {
        get_metadata => metadata,
        get_provider_schema => provider_schema,
        get_resource_identity_schemas => identity_schemas,
        get_functions => functions,
        call_function => call,
        stop_provider => stop,
    }
    validated {
        validate_resource_config => Resource,
        validate_data_resource_config => DataSource,
        validate_list_resource_config => List,
    }
    refused {
        validate_ephemeral_resource_config => "ephemeral resource" named by type_name,
        open_ephemeral_resource => "ephemeral resource" named by type_name,
        renew_ephemeral_resource => "ephemeral resource" named by type_name,
        close_ephemeral_resource => "ephemeral resource" named by type_name,
        plan_action => "action" named by action_type,
        validate_action_config => "action" named by type_name,
    }

    type ListResourceStream = BoxStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> ServiceResult<Self::ListResourceStream> {
        let req = request.into_inner();
        debug!(type_name = %req.type_name, limit = req.limit, "ListResource");
        let events = match stop::scoped(self.stop_token(), self.list(&req)).await {
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
}
