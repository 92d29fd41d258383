//! `apprunner_service` (data source): one App Runner service, found by `arn`
//! or by `service_name`, with every attribute of the `apprunner_service`
//! resource, computed (the AWS provider has no such data source, #36453).
//! Its blocks are attributes here (lists of at most one object), so the
//! same paths work: `source_configuration[0].image_repository[0].image_identifier`.

use std::collections::BTreeMap;

use async_trait::async_trait;
use aws_sdk_apprunner::types::Service as ApiService;
use serde::{Deserialize, Serialize};

use crate::apprunner::service::{describe, find_by_name, service_url};
use crate::plugin::model::{self, Field};
use crate::plugin::schema::Validator;
use crate::plugin::{
    Attribute, AttributePath, Block, DataSource, Diagnostic, Diagnostics, PlanCtx, Schema, Type,
    Value,
};
use crate::provider::{AppRunner, region, tags};

/// The data source shows the `apprunner_service` resource's shape,
/// computed. The resource's schema and the state it makes of a described
/// service are handed in where the provider's types are put together
/// ([`crate::data_source_types`]), so this module does not depend on the
/// resource's.
pub struct ServiceData {
    /// The resource's schema.
    pub resource_schema: fn() -> Schema,
    /// The resource's state of a described service, given its host name.
    pub remote_state: fn(&ApiService, Option<String>) -> Value,
}

/// What the configuration asks for: a service by ARN or by name.
#[derive(Deserialize)]
struct Lookup {
    arn: Field<String>,
    service_name: Field<String>,
    region: Field<String>,
}

/// The tags written over the service's state.
#[derive(Serialize)]
struct Tags {
    tags: BTreeMap<String, String>,
}

fn service_arn() -> Validator {
    Validator::new("an App Runner service ARN", |v| match v.as_str() {
        Some(s)
            if !(s.starts_with("arn:")
                && s.split(':').nth(2) == Some("apprunner")
                && s.split(':')
                    .nth(5)
                    .is_some_and(|r| r.starts_with("service/") && r.split('/').count() == 3)) =>
        {
            Err(format!(
                "must be the ARN of an App Runner service (arn:aws:apprunner:REGION:ACCOUNT:service/NAME/ID), got {s:?}"
            ))
        }
        _ => Ok(()),
    })
}

/// The resource's schema with everything computed: arguments become
/// results, blocks become attributes of the same type.
fn schema(resource: Schema) -> Schema {
    let resource = resource.block;
    let mut block = Block::new().description(
        "Looks up an App Runner service by `arn` or `service_name` and reports everything the `apprunner_service` \
         resource does, including the blocks a configuration may have left out.",
    );
    for a in resource.attributes {
        let computed = Attribute {
            required: false,
            optional: false,
            computed: true,
            default: None,
            requires_replace: false,
            keep_prior: false,
            validators: Vec::new(),
            equivalence: None,
            ..a.clone()
        };
        block = match a.name.as_str() {
            "tags_all" => block,
            "arn" => block.attribute(
                Attribute {
                    optional: true,
                    ..computed
                }
                .validate(service_arn())
                .description("ARN of the service to look up (or use `service_name`)."),
            ),
            "service_name" => block.attribute(
                Attribute {
                    optional: true,
                    validators: a.validators.clone(),
                    ..computed
                }
                .description("Name of the service to look up in `region` (or use `arn`)."),
            ),
            "region" => block.attribute(
                Attribute {
                    optional: true,
                    ..computed
                }
                .description(
                    "Region to look in. Defaults to the region of `arn`, else the provider's.",
                ),
            ),
            "tags" => {
                block.attribute(computed.description("Tags of the service (without ignored keys)."))
            }
            _ => block.attribute(computed),
        };
    }
    for b in resource.blocks.into_iter().filter(|b| b.name != "timeouts") {
        block = block.attribute(
            Attribute::new(&b.name, b.implied_type())
                .computed()
                .description(format!(
                    "{} A list of at most one object.",
                    b.block.description
                )),
        );
    }
    Schema::new(block)
}

#[async_trait]
impl DataSource<AppRunner> for ServiceData {
    fn type_name(&self) -> &'static str {
        "apprunner_service"
    }

    fn schema(&self) -> Schema {
        schema((self.resource_schema)())
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let lookup = match model::from_value::<Lookup>(config) {
            Ok(l) => l,
            Err(e) => return diags.push(e.into()),
        };
        let (arn, name) = (&lookup.arn, &lookup.service_name);
        if arn.is_unknown() || name.is_unknown() {
            return;
        }
        match (arn.is_null(), name.is_null()) {
            (true, true) => diags.error("Service not specified", "Set `arn` or `service_name`."),
            (false, false) => diags.error_at(
                AttributePath::attr("service_name"),
                "Conflicting service lookup",
                "Set either `arn` or `service_name`, not both.",
            ),
            _ => {}
        }
        if let (Some(r), Some(in_arn)) = (
            lookup.region.as_deref(),
            arn.as_deref().and_then(region::from_arn),
        ) && r != in_arn
        {
            diags.error_at(
                AttributePath::attr("region"),
                "Region differs from the service's",
                format!("The service's ARN is in {in_arn}, not {r}: leave `region` unset or make it match."),
            );
        }
    }

    async fn read(&self, ctx: &PlanCtx<AppRunner>, config: Value) -> Result<Value, Diagnostics> {
        let provider = ctx.provider()?;
        let lookup: Lookup = model::from_value(&config)?;
        let in_region = lookup
            .region
            .as_deref()
            .or_else(|| lookup.arn.as_deref().and_then(region::from_arn))
            .unwrap_or(provider.region.as_str())
            .to_string();
        let arn = match (lookup.arn.as_deref(), lookup.service_name.as_deref()) {
            (Some(arn), _) => arn.to_string(),
            (None, Some(name)) => match find_by_name(provider, &in_region, name).await? {
                Some(s) => s.service_arn().unwrap_or_default().to_string(),
                None => {
                    return Err(Diagnostic::error(
                        "App Runner service not found",
                        format!("There is no App Runner service named {name:?} in {in_region}."),
                    )
                    .into());
                }
            },
            (None, None) => {
                return Err(Diagnostic::error(
                    "Service not specified",
                    "Set `arn` or `service_name`.",
                )
                .into());
            }
        };
        let Some(svc) = describe(provider, &arn).await? else {
            return Err(Diagnostic::error(
                "App Runner service not found",
                format!("{arn} does not exist."),
            )
            .into());
        };
        let url = service_url(provider, &svc).await;
        let mut state = (self.remote_state)(&svc, url);
        let tags = Tags {
            tags: tags::read(provider, &arn).await?,
        };
        let tags_type = Type::object([("tags", Type::map(Type::String))]);
        model::merge_into(&mut state, &tags, &tags_type)?;
        Ok(state)
    }
}
