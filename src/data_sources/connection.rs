//! `apprunner_connection`: looks up a connection to a source code provider
//! by `connection_name` or `arn` (the AWS provider has no such data source),
//! e.g. to use a connection whose handshake someone completed in the console.

use async_trait::async_trait;

use serde::Deserialize;

use super::By;
use crate::apprunner::connection::{ConnectionAttributes, NAME_PATTERN, find_by_arn, find_by_name};
use crate::plugin::model::{self, Field};
use crate::plugin::validators as v;
use crate::plugin::{Attribute, Block, DataSource, Diagnostics, PlanCtx, Schema, Value};
use crate::provider::{AppRunner, arns, attributes, region};

pub struct ConnectionData;

/// The lookup arguments: one of `arn` and `connection_name` is set.
#[derive(Deserialize)]
struct Lookup {
    arn: Field<String>,
    connection_name: Field<String>,
    region: Field<String>,
}

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
        let Ok(lookup) = model::from_value::<Lookup>(config) else {
            return;
        };
        let lookups = [
            ("arn", By::Arn, &lookup.arn),
            ("connection_name", By::Name, &lookup.connection_name),
        ];
        super::exactly_one_lookup(&lookups, &lookup.region, diags);
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        let provider = ctx.provider()?;
        let lookup: Lookup = model::from_value(&config)?;
        let (found, wanted) = match lookup.arn.known() {
            Some(arn) => (find_by_arn(provider, arn).await?, arn.to_string()),
            None => {
                let name = lookup.connection_name.as_deref().unwrap_or_default();
                let r = region::of(provider, &config);
                (
                    find_by_name(provider, Some(r), name).await?,
                    super::named(name, r),
                )
            }
        };
        let Some(c) = found else {
            let detail = format!("App Runner has no connection {wanted}.");
            return Err(super::not_found("Connection", detail));
        };
        let attributes = ConnectionAttributes::from(&c);
        super::found(provider, config, &schema(), &attributes.arn, &attributes).await
    }
}
