//! The interfaces a provider implements, modelled on HashiCorp's
//! terraform-plugin-framework: a [`Provider`] configures itself and lists
//! its [`Resource`]s and [`DataSource`]s; each of those declares a schema and
//! implements a handful of small methods. Values keep explicit null and
//! unknown (see [`Value`]); the protocol layer does the rest.

use std::sync::Arc;

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use super::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use super::json::{self, RawState, Strictness};
use super::schema::{IdentitySchema, Schema};
use super::value::Value;

/// What the calls that work on remote objects receive besides their values
/// (create, read, update, delete, import, list): the configured provider.
/// The server answers "Provider not configured" itself instead of making
/// such a call before the provider is configured.
pub struct Ctx<D> {
    data: Arc<D>,
    cancel: CancellationToken,
}

impl<D> Ctx<D> {
    pub fn new(data: Arc<D>, cancel: CancellationToken) -> Self {
        Ctx { data, cancel }
    }

    /// The configured provider.
    pub fn provider(&self) -> &D {
        &self.data
    }

    /// Cancelled when Terraform asks the provider to stop (e.g. on Ctrl-C).
    pub fn cancellation(&self) -> &CancellationToken {
        &self.cancel
    }
}

/// What the calls Terraform makes while planning receive (plan, data
/// source reads, generated configuration). These may come before the
/// provider can be configured, when its configuration holds values known
/// only after apply, and must then do what they can without it.
pub struct PlanCtx<D> {
    data: Option<Arc<D>>,
    cancel: CancellationToken,
}

impl<D> PlanCtx<D> {
    pub fn new(data: Option<Arc<D>>, cancel: CancellationToken) -> Self {
        PlanCtx { data, cancel }
    }

    /// The configured provider, or an error saying it is not configured.
    pub fn provider(&self) -> Result<&D, Diagnostics> {
        self.data.as_deref().ok_or_else(not_configured)
    }

    /// The context of calls that need the configured provider.
    pub fn configured(&self) -> Result<Ctx<D>, Diagnostics> {
        let data = self.data.clone().ok_or_else(not_configured)?;
        Ok(Ctx::new(data, self.cancel.clone()))
    }

    /// Cancelled when Terraform asks the provider to stop (e.g. on Ctrl-C).
    pub fn cancellation(&self) -> &CancellationToken {
        &self.cancel
    }
}

fn not_configured() -> Diagnostics {
    Diagnostic::error(
        "Provider not configured",
        "The provider configuration is not complete yet (it may depend on values known only after apply). \
         Apply the resources it depends on first, or set the provider arguments to known values.",
    )
    .into()
}

/// The provider itself: its configuration schema, how it configures, and
/// what it offers.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// What configured resources share, e.g. API clients.
    type Data: Send + Sync + 'static;

    /// Schema of the `provider` block.
    fn schema(&self) -> Schema;

    /// Cross-attribute rules for the provider block; values may be unknown.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Configures the provider. `None` without errors means "not configurable
    /// yet" (the configuration holds unknown values).
    async fn configure(
        &self,
        config: &Value,
        terraform_version: &str,
    ) -> (Option<Self::Data>, Diagnostics);

    fn resources(&self) -> Vec<Arc<dyn Resource<Self::Data>>>;

    fn data_sources(&self) -> Vec<Arc<dyn DataSource<Self::Data>>>;

    /// Moves every type accepts that it does not handle itself (tried
    /// after [`Resource::move_state`]).
    fn move_state(
        &self,
        _type_name: &str,
        _source: &MoveSource,
        _schema: &Schema,
    ) -> Option<Result<Value, Diagnostics>> {
        None
    }

    /// Provider-wide fix-ups of a state after the type's own
    /// [`Resource::upgrade_state`].
    fn upgraded_state(&self, _type_name: &str, state: Value, _schema: &Schema) -> Value {
        state
    }

    /// Lines for someone who runs the plugin binary by hand, printed after
    /// the note that Terraform starts it (e.g. the binary's other commands).
    fn by_hand_help(&self) -> String {
        String::new()
    }
}

/// A plan being made for one resource instance.
pub struct Plan {
    /// State before the change; null when creating.
    pub prior: Value,
    /// The configuration (may hold unknown values).
    pub config: Value,
    /// The planned state, already through the schema's rules; the resource
    /// may refine it.
    pub planned: Value,
    /// Attribute paths whose change replaces the resource.
    pub requires_replace: Vec<AttributePath>,
    /// Opaque data to carry from plan to apply.
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

impl Plan {
    pub fn is_create(&self) -> bool {
        self.prior.is_null()
    }

    /// Asks for the resource to be replaced because of `path`.
    pub fn require_replace(&mut self, path: AttributePath) {
        if !self.prior.is_null() && !self.requires_replace.contains(&path) {
            self.requires_replace.push(path);
        }
    }

    pub fn is_replace(&self) -> bool {
        !self.requires_replace.is_empty()
    }
}

/// Input of create and update.
pub struct ApplyRequest {
    /// Null when creating.
    pub prior: Value,
    pub planned: Value,
    pub config: Value,
    pub private: Vec<u8>,
}

/// Result of create and update. A state with errors is kept (tainted after
/// a create), so a remote object that exists is never forgotten.
pub struct Applied {
    /// Null when nothing was created.
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

impl Applied {
    pub fn ok(state: Value) -> Self {
        Applied {
            state,
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    /// Nothing was created or changed.
    pub fn failed(diagnostics: impl Into<Diagnostics>) -> Self {
        Applied {
            state: Value::Null,
            private: Vec::new(),
            diagnostics: diagnostics.into(),
        }
    }

    /// The object exists in `state`, but the operation failed.
    pub fn partial(state: Value, diagnostics: impl Into<Diagnostics>) -> Self {
        Applied {
            state,
            private: Vec::new(),
            diagnostics: diagnostics.into(),
        }
    }
}

/// Input of read.
pub struct ReadRequest {
    pub state: Value,
    pub private: Vec<u8>,
}

/// Result of read: `state: None` means the remote object is gone.
pub struct Read {
    pub state: Option<Value>,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

impl Read {
    pub fn found(state: Value) -> Self {
        Read {
            state: Some(state),
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    pub fn gone() -> Self {
        Read {
            state: None,
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    pub fn failed(diagnostics: impl Into<Diagnostics>) -> Self {
        Read {
            state: None,
            private: Vec::new(),
            diagnostics: diagnostics.into(),
        }
    }
}

/// A managed resource type.
#[async_trait]
pub trait Resource<D: Send + Sync + 'static>: Send + Sync + 'static {
    /// The Terraform type name, e.g. `example_widget`.
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// The attributes that identify a remote object (protocol 6.9). Their
    /// names are state attribute names; identities are derived from state.
    fn identity_schema(&self) -> Option<IdentitySchema> {
        None
    }

    /// Cross-attribute rules. Values may be unknown: skip those.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Resource-specific plan rules, after the schema's rules have run.
    async fn plan(&self, _ctx: &PlanCtx<D>, _plan: &mut Plan) {}

    async fn create(&self, ctx: &Ctx<D>, req: ApplyRequest) -> Applied;

    /// Refreshes `state` from the remote object.
    async fn read(&self, ctx: &Ctx<D>, req: ReadRequest) -> Read;

    async fn update(&self, ctx: &Ctx<D>, req: ApplyRequest) -> Applied;

    /// Deletes the remote object described by `state`, given the private
    /// data Terraform keeps with it ([`Applied::private`], [`Read::private`]).
    async fn delete(&self, ctx: &Ctx<D>, state: &Value, private: &[u8]) -> Diagnostics;

    /// Turns an import ID into a state that `read` can complete.
    async fn import(&self, _ctx: &Ctx<D>, _id: &str) -> Result<Value, Diagnostics> {
        Err(Diagnostic::error(
            "Import not supported",
            format!("Resource type {} cannot be imported.", self.type_name()),
        )
        .into())
    }

    /// The import ID that an identity stands for (the inverse of how the
    /// identity is derived). The default serves single-attribute identities.
    fn import_id_from_identity(&self, identity: &Value) -> Option<String> {
        let schema = self.identity_schema()?;
        match schema.attributes.as_slice() {
            [only] => identity.attr(&only.name).as_str().map(str::to_string),
            _ => None,
        }
    }

    /// Reads state written by an earlier schema version (or the current one,
    /// which Terraform sends through here for every resource on every
    /// plan). The default keeps every attribute that still exists and sets
    /// new ones to null, reading the JSON text directly; an override for an
    /// older layout can look at the parsed JSON with [`RawState::tree`].
    fn upgrade_state(
        &self,
        _version: i64,
        raw: &RawState<'_>,
        schema: &Schema,
    ) -> Result<Value, Diagnostics> {
        raw.decode(&schema.implied_type_ref(), Strictness::Lenient)
    }

    /// Adopts the state of another resource type (a `moved` block across
    /// types). `None` means this type does not accept that source. The
    /// default accepts nothing; see [`move_from_same_shape`].
    fn move_state(
        &self,
        _source: &MoveSource,
        _schema: &Schema,
    ) -> Option<Result<Value, Diagnostics>> {
        None
    }

    /// The type's list resource (`list` blocks of `terraform query`), or
    /// `None` when the type cannot be listed. A listable resource
    /// implements [`ListResource`] and answers `Some(self)`.
    fn lister(&self) -> Option<&dyn ListResource<D>> {
        None
    }

    /// The configuration that would produce `state` (for generated
    /// configuration). The default keeps what a user can set and drops
    /// what the provider computes or defaults. `ctx` holds the configured
    /// provider, for values that depend on it (such as a region that only
    /// needs writing when it differs from the provider's).
    fn generate_config(&self, _ctx: &PlanCtx<D>, state: &Value, schema: &Schema) -> Value {
        super::generate::config_from_state(&schema.block, state)
    }
}

/// A state offered to [`Resource::move_state`].
pub struct MoveSource {
    /// The source provider's address, e.g. `registry.terraform.io/hashicorp/aws`.
    pub provider_address: String,
    pub type_name: String,
    pub schema_version: i64,
    /// The stored state as JSON.
    pub state: serde_json::Value,
}

impl MoveSource {
    /// True when the source is `type_name` of the provider `provider` (its
    /// `namespace/name`, on any registry host).
    pub fn is(&self, provider: &str, type_name: &str) -> bool {
        self.type_name == type_name
            && (self.provider_address == provider
                || self.provider_address.ends_with(&format!("/{provider}")))
    }
}

/// Moves a state whose attributes already have this type's names and
/// shapes (what a drop-in twin of another provider's type receives):
/// attributes this schema lacks are dropped and missing ones are null.
pub fn move_from_same_shape(source: &MoveSource, schema: &Schema) -> Result<Value, Diagnostics> {
    json::decode(&source.state, &schema.implied_type(), Strictness::Lenient).map_err(|e| {
        Diagnostic::error(
            "Cannot adopt the moved state",
            format!(
                "The state of {} does not fit this resource type: {e}",
                source.type_name
            ),
        )
        .into()
    })
}

/// What a resource type offers `terraform query` (see
/// [`Resource::lister`]).
#[async_trait]
pub trait ListResource<D: Send + Sync + 'static>: Send + Sync {
    /// Schema of the `config` block of `list` blocks.
    fn config_schema(&self) -> Schema;

    /// Lists remote objects matching the list block's `config`, up to
    /// `limit`; each with a full state (as `read` would produce) and a
    /// name for people.
    async fn list(
        &self,
        ctx: &Ctx<D>,
        config: &Value,
        limit: usize,
    ) -> Result<Vec<Listed>, Diagnostics>;
}

/// One object found by [`ListResource::list`].
pub struct Listed {
    pub state: Value,
    pub display_name: String,
}

/// A data source type.
#[async_trait]
pub trait DataSource<D: Send + Sync + 'static>: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Reads the data; `config` is wholly known. Returns the full object.
    async fn read(&self, ctx: &PlanCtx<D>, config: Value) -> Result<Value, Diagnostics>;
}
/// Unwraps a `Result<T, E>` whose error converts into `Diagnostics`, or
/// returns `$on_error(diagnostics)` from the enclosing function: `let model
/// = or_return!(model::from_value(&req.planned), Applied::failed);`.
/// Resource methods return their own result types (`Applied`, `Read`,
/// `Diagnostics`), so `?` does not apply.
#[macro_export]
macro_rules! or_return {
    ($result:expr, $on_error:expr) => {
        match $result {
            Ok(value) => value,
            #[allow(clippy::redundant_closure_call)]
            Err(e) => return ($on_error)($crate::plugin::Diagnostics::from(e)),
        }
    };
}
