//! Rust types generated from `proto/` at build time.

#![allow(clippy::all, clippy::pedantic, missing_docs)]

/// Terraform plugin protocol 6.
pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

/// HashiCorp go-plugin's host services (controller, stdio).
pub mod go_plugin {
    tonic::include_proto!("plugin");
}
