//! Terraform's plugin protocol (tfplugin6 over go-plugin gRPC) and a small
//! framework for writing providers on it. Nothing here knows about App
//! Runner: it could serve any provider.
//!
//! - [`serve`]: the process (handshake, AutoMTLS, gRPC services, signals);
//! - [`framework`]: the traits a provider implements;
//! - [`schema`], [`validators`], [`value`], [`diagnostics`], [`model`]: what
//!   those traits are written with;
//! - [`msgpack`], [`json`]: the value encodings;
//! - [`plan`]: the schema-driven planning rules;
//! - [`stop`]: Terraform's stop request, for code no context reaches.

pub mod convert;
pub mod diagnostics;
pub mod framework;
pub mod generate;
pub mod json;
pub mod logging;
pub mod model;
pub mod msgpack;
pub mod plan;
pub mod proto;
pub mod schema;
pub mod serve;
mod server;
pub mod stop;
pub mod timeouts;
pub mod tls;
pub mod validators;
pub mod value;

pub use diagnostics::{AttributePath, Diagnostic, Diagnostics};
pub use framework::{
    Applied, ApplyRequest, Ctx, DataSource, ListResource, Listed, MoveSource, Plan, PlanCtx,
    Provider, Read, ReadRequest, Resource, move_from_same_shape,
};
pub use schema::{
    Attribute, Block, IdentityAttribute, IdentitySchema, NestedBlock, Nesting, Schema,
};
pub use serve::{ServeOptions, serve};
pub use value::{Number, Type, Value};
