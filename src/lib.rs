//! Terraform provider for AWS App Runner.
//!
//! The crate is layered so that each layer can be read on its own:
//!
//! - [`plugin`]: Terraform's plugin protocol (handshake, TLS, gRPC, values,
//!   schemas, diagnostics) and a small resource framework. It knows nothing
//!   of App Runner and could serve any provider.
//! - [`provider`]: the App Runner provider: configuration, AWS clients and
//!   behaviour shared by resources (tags, retries, waiters, error mapping).
//! - [`apprunner`]: access to App Runner objects (describe, find, list,
//!   operations and waiting), one module per kind, and the mapping of each
//!   kind to the attributes its resource and data source share.
//! - [`resources`] and [`data_sources`]: one module per Terraform type.
//! - [`emulator`]: a local App Runner control plane speaking the real wire
//!   protocol, for tests and for users' CI.

pub mod apprunner;
pub mod data_sources;
pub mod emulator;
pub mod plugin;
pub mod policy;
pub mod provider;
pub mod resources;
