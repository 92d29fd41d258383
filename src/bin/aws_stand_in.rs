//! A schema-only stand-in for the AWS provider (`hashicorp/aws`), for tests
//! of `moved` blocks from `aws_apprunner_*` without the AWS provider, which
//! cannot be installed offline.
//!
//! Terraform needs the provider of every resource in state to be present
//! while planning, even for resources a `moved` block hands to another
//! provider. This stand-in serves the `aws_apprunner_*` schemas (this
//! provider's schemas under the AWS names, which match by design) and
//! keeps state as it is; it manages nothing. It is built with the project
//! but is not part of the provider.

use std::process::ExitCode;
use std::sync::Arc;

use async_trait::async_trait;
use terraform_provider_apprunner::plugin::{
    self, Applied, ApplyRequest, Attribute, Block, Ctx, DataSource, Diagnostic, Diagnostics, Read,
    ReadRequest, Resource, Schema, Value,
};
use terraform_provider_apprunner::provider::AppRunner;

struct AwsStandIn;

#[async_trait]
impl plugin::Provider for AwsStandIn {
    type Data = ();

    fn schema(&self) -> Schema {
        Schema::new(Block::new().attribute(Attribute::string("region").optional()))
    }

    async fn configure(
        &self,
        _config: &Value,
        _terraform_version: &str,
    ) -> (Option<()>, Diagnostics) {
        (Some(()), Diagnostics::new())
    }

    fn resources(&self) -> Vec<Arc<dyn Resource<()>>> {
        terraform_provider_apprunner::resource_types()
            .into_iter()
            .map(|inner| Arc::new(Twin::new(inner)) as Arc<dyn Resource<()>>)
            .collect()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource<()>>> {
        Vec::new()
    }
}

/// One of our types under its AWS provider name.
struct Twin {
    name: &'static str,
    inner: Arc<dyn Resource<AppRunner>>,
}

impl Twin {
    fn new(inner: Arc<dyn Resource<AppRunner>>) -> Self {
        // Names live for the whole process; leaking a few strings once is fine.
        let name: &'static str = Box::leak(format!("aws_{}", inner.type_name()).into_boxed_str());
        Twin { name, inner }
    }
}

fn refuse(what: &str) -> Diagnostics {
    Diagnostic::error(
        "AWS provider stand-in",
        format!("This test stand-in for hashicorp/aws cannot {what}; it only serves schemas for state migration."),
    )
    .into()
}

#[async_trait]
impl Resource<()> for Twin {
    fn type_name(&self) -> &'static str {
        self.name
    }

    fn schema(&self) -> Schema {
        self.inner.schema()
    }

    /// The AWS provider (v6) has an identity for the types identified by
    /// their ARN only; the others' twins have none, as there.
    fn identity_schema(&self) -> Option<plugin::IdentitySchema> {
        self.inner
            .identity_schema()
            .filter(|s| s.attributes.len() == 1 && s.attributes[0].name == "arn")
    }

    async fn create(&self, _ctx: &Ctx<()>, _req: ApplyRequest) -> Applied {
        Applied::failed(refuse("create resources"))
    }

    async fn read(&self, _ctx: &Ctx<()>, req: ReadRequest) -> Read {
        Read::found(req.state)
    }

    async fn update(&self, _ctx: &Ctx<()>, _req: ApplyRequest) -> Applied {
        Applied::failed(refuse("update resources"))
    }

    async fn delete(&self, _ctx: &Ctx<()>, _state: &Value, _private: &[u8]) -> Diagnostics {
        refuse("delete resources")
    }
}

fn main() -> ExitCode {
    plugin::serve(
        AwsStandIn,
        plugin::ServeOptions {
            address: "registry.terraform.io/hashicorp/aws",
            debug: std::env::args().any(|a| a == "--debug"),
            log_module: "provider.aws-stand-in",
        },
    )
}
