//! `apprunner_connection`: looks up a connection to a source code provider
//! by `connection_name` or `arn` (the AWS provider has no such data source),
//! e.g. to use a connection whose handshake someone completed in the console.

use async_trait::async_trait;

use serde::Deserialize;

use crate::apprunner::connection::{ConnectionAttributes, NAME_PATTERN, find_by_arn, find_by_name};
use crate::plugin::model;
use crate::plugin::validators as v;
use crate::plugin::{
    Attribute, Block, DataSource, Diagnostic, Diagnostics, PlanCtx, Schema, Value,
};
use crate::provider::{AppRunner, arns, region, tags};

pub struct ConnectionData;

fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("Looks up an App Runner connection by `connection_name` or `arn`.")
            .attribute(
                Attribute::string("connection_name")
                    .optional()
                    .computed()
                    .validate(v::string_length(4, 32))
                    .validate(v::string_matches(NAME_PATTERN, "4 to 32 letters, digits, hyphens or underscores, starting with a letter or digit"))
                    .description("Name of the connection. Conflicts with `arn`."),
            )
            .attribute(
                Attribute::string("arn")
                    .optional()
                    .computed()
                    .validate(arns::validator("connection"))
                    .description("ARN of the connection. Conflicts with `connection_name`."),
            )
            .attribute(
                Attribute::string("region")
                    .optional()
                    .computed()
                    .description("Region to look in. Defaults to the ARN's region, else the provider's."),
            )
            .attribute(Attribute::string("id").computed().description("Same as `connection_name`."))
            .attribute(Attribute::string("provider_type").computed().description("`GITHUB` or `BITBUCKET`."))
            .attribute(
                Attribute::string("status")
                    .computed()
                    .description("`PENDING_HANDSHAKE`, `AVAILABLE` or `ERROR`: services can use only an `AVAILABLE` connection."),
            )
            .attribute(Attribute::string_map("tags").computed().description("Tags of the connection.")),
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
        super::one_of_arn_or(config, "connection_name", diags);
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        #[derive(Deserialize)]
        struct Lookup {
            arn: Option<String>,
            connection_name: Option<String>,
        }
        let provider = ctx.provider()?;
        let lookup: Lookup = model::from_value(&config)?;
        let (found, wanted) = match &lookup.arn {
            Some(arn) => (find_by_arn(provider, arn).await?, arn.to_string()),
            None => {
                let name = lookup.connection_name.as_deref().unwrap_or_default();
                let r = region::of(provider, &config);
                (
                    find_by_name(provider, Some(r), name).await?,
                    format!("named {name} in {r}"),
                )
            }
        };
        let Some(c) = found else {
            return Err(Diagnostic::error(
                "Connection not found",
                format!("App Runner has no connection {wanted}."),
            )
            .into());
        };
        let tags = tags::read(provider, c.connection_arn().unwrap_or_default()).await?;
        super::found(config, &schema(), &ConnectionAttributes::from(&c), tags)
    }
}
