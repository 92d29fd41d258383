//! The App Runner provider: its configuration, the AWS client every
//! resource shares, and behaviour common to resources (tags, waiting,
//! error reporting).

use std::process::ExitCode;
use std::sync::Arc;

use async_trait::async_trait;

use crate::plugin::{self, DataSource, Diagnostics, MoveSource, Resource, Schema, Value};

pub mod arns;
pub mod attributes;
pub mod calls;
pub mod config;
pub mod credentials;
pub mod errors;
pub mod lifecycle;
pub mod listing;
pub mod migrate;
pub mod region;
pub mod tags;
pub mod transport;
pub mod waiter;

pub use config::AppRunner;

/// The provider's source address in the Terraform registry.
pub const ADDRESS: &str = "registry.terraform.io/apprunner-community/apprunner";

/// The App Runner provider, with the resource and data source types it
/// offers: they are handed in where the provider is put together
/// ([`crate::app_runner_provider`]), so that this layer depends on none
/// of them.
pub struct AppRunnerProvider {
    pub resources: Vec<Arc<dyn Resource<AppRunner>>>,
    pub data_sources: Vec<Arc<dyn DataSource<AppRunner>>>,
}

#[async_trait]
impl plugin::Provider for AppRunnerProvider {
    type Data = AppRunner;

    fn schema(&self) -> Schema {
        config::schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        config::validate(config, diags);
    }

    async fn configure(
        &self,
        config: &Value,
        _terraform_version: &str,
    ) -> (Option<AppRunner>, Diagnostics) {
        config::configure(config).await
    }

    fn resources(&self) -> Vec<Arc<dyn Resource<AppRunner>>> {
        self.resources.clone()
    }

    fn move_state(
        &self,
        type_name: &str,
        source: &MoveSource,
        schema: &Schema,
    ) -> Option<Result<Value, Diagnostics>> {
        migrate::from_aws(type_name, source, schema)
    }

    fn upgraded_state(&self, _type_name: &str, mut state: Value, schema: &Schema) -> Value {
        migrate::fill_region(&mut state, schema);
        state
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource<AppRunner>>> {
        self.data_sources.clone()
    }

    fn by_hand_help(&self) -> String {
        "To run a local App Runner control plane, use: terraform-provider-apprunner emulator\n\
         To debug the provider, use: terraform-provider-apprunner --debug"
            .to_string()
    }
}

/// Serves `provider` to Terraform (or to a debugger with `debug`).
pub fn serve(provider: AppRunnerProvider, debug: bool) -> ExitCode {
    plugin::serve(
        provider,
        plugin::ServeOptions {
            address: ADDRESS,
            debug,
            log_module: "provider.apprunner",
        },
    )
}
