//! `apprunner_connection`: looks up a connection to a source code provider
//! by `connection_name` or `arn` (the AWS provider has no such data source),
//! e.g. to use a connection whose handshake someone completed in the console.

use async_trait::async_trait;

use super::Wanted;
use crate::apprunner::connection::{ConnectionAttributes, NAME_PATTERN, find_by_arn, find_by_name};
use crate::plugin::{Attribute, Block, DataSource, Diagnostics, PlanCtx, Schema, Value};
use crate::provider::{AppRunner, arns, attributes};

pub struct ConnectionData;

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("Looks up an App Runner connection by `connection_name` or `arn`.")
            .attribute(
                Attribute::string("arn")
                    .optional()
                    .computed()
                    .validate(arns::validator("connection"))
                    .description("ARN of the connection. Conflicts with `connection_name`."),
            )
            .attribute(
                attributes::name("connection_name", 32, NAME_PATTERN, "4 to 32 letters, digits, hyphens or underscores, starting with a letter or digit")
                    .optional()
                    .computed()
                    .description("Name of the connection. Conflicts with `arn`."),
            )
            .attributes(attributes::lookup_region_and_id("connection_name"))
            .attribute(Attribute::string("provider_type").computed().description("`GITHUB` or `BITBUCKET`."))
            .attribute(
                Attribute::string("status")
                    .computed()
                    .description("`PENDING_HANDSHAKE`, `AVAILABLE` or `ERROR`: services can use only an `AVAILABLE` connection."),
            )
            .attribute(attributes::lookup_tags("connection")),
    )
}

#[async_trait]
impl DataSource<AppRunner> for ConnectionData {
    fn type_name(&self) -> &'static str {
        "apprunner_connection"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        super::arn_or_name(config, "connection_name", diags);
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        let provider = ctx.provider()?;
        let wanted = Wanted::of(provider, &config, "connection_name");
        let found = match wanted {
            Wanted::Arn(arn) => find_by_arn(provider, arn).await?,
            Wanted::Named { name, region } => find_by_name(provider, Some(region), name).await?,
        };
        let c = wanted.found(found, "Connection", "connection")?;
        let attributes = ConnectionAttributes::from(&c);
        super::found(provider, config, &schema(), &attributes.arn, &attributes).await
    }
}
