//! The provider as a whole: what it offers (metadata, schemas, functions),
//! validating and configuring its block, and stopping what is in flight.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tracing::debug;

use super::{Described, Diagnostics, ProviderService, pb};
use crate::plugin::convert;
use crate::plugin::diagnostics::AttributePath;
use crate::plugin::framework::Provider;
use crate::plugin::schema::Schema;

impl<P: Provider> ProviderService<P> {
    fn capabilities() -> pb::ServerCapabilities {
        pb::ServerCapabilities {
            plan_destroy: true,
            get_provider_schema_optional: true,
            move_resource_state: true,
            generate_resource_config: true,
        }
    }

    pub(super) async fn metadata(
        &self,
        _: pb::get_metadata::Request,
    ) -> pb::get_metadata::Response {
        use pb::get_metadata as m;
        m::Response {
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
        }
    }

    pub(super) async fn provider_schema(
        &self,
        _: pb::get_provider_schema::Request,
    ) -> pb::get_provider_schema::Response {
        let schema = |d: &Described| convert::schema(&d.schema);
        pb::get_provider_schema::Response {
            provider: Some(schema(self.provider_described())),
            resource_schemas: self
                .resources
                .iter()
                .map(|(name, e)| (name.to_string(), schema(e.described())))
                .collect(),
            data_source_schemas: self
                .data_sources
                .iter()
                .map(|(name, e)| (name.to_string(), schema(e.described())))
                .collect(),
            list_resource_schemas: self
                .resources
                .iter()
                .filter_map(|(name, e)| e.list().map(|l| (name.to_string(), schema(l))))
                .collect(),
            provider_meta: Some(convert::schema(&Schema::default())),
            server_capabilities: Some(Self::capabilities()),
            ..Default::default()
        }
    }

    pub(super) async fn identity_schemas(
        &self,
        _: pb::get_resource_identity_schemas::Request,
    ) -> pb::get_resource_identity_schemas::Response {
        pb::get_resource_identity_schemas::Response {
            identity_schemas: self
                .resources
                .iter()
                .filter_map(|(name, e)| {
                    e.identity()
                        .map(|(s, _)| (name.to_string(), convert::identity_schema(s)))
                })
                .collect(),
            diagnostics: Vec::new(),
        }
    }

    pub(super) async fn validate_provider(
        &self,
        req: pb::validate_provider_config::Request,
    ) -> Result<pb::validate_provider_config::Response, Diagnostics> {
        let diagnostics = self.provider_described().validate(
            req.config.as_ref(),
            &AttributePath::root(),
            |config, diags| self.provider.validate(config, diags),
        )?;
        Ok(pb::validate_provider_config::Response { diagnostics })
    }

    pub(super) async fn configure(
        &self,
        req: pb::configure_provider::Request,
    ) -> Result<pb::configure_provider::Response, Diagnostics> {
        let config = self.provider_described().decode(req.config.as_ref())?;
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

    /// This provider has no functions.
    pub(super) async fn functions(
        &self,
        _: pb::get_functions::Request,
    ) -> pb::get_functions::Response {
        pb::get_functions::Response::default()
    }

    pub(super) async fn call(
        &self,
        req: pb::call_function::Request,
    ) -> pb::call_function::Response {
        pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!("This provider has no function named {:?}.", req.name),
                function_argument: None,
            }),
        }
    }

    pub(super) async fn stop(&self, _: pb::stop_provider::Request) -> pb::stop_provider::Response {
        // Cancel what is in flight; later requests get a fresh token.
        let mut token = self.stop.lock().expect("stop lock");
        token.cancel();
        *token = CancellationToken::new();
        debug!("StopProvider: in-flight operations cancelled");
        pb::stop_provider::Response {
            error: String::new(),
        }
    }
}
