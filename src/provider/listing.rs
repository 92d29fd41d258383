//! What every type's list resource (`terraform query`) shares: the
//! region-aware [`ListResource`] of every [`RegionalList`], the common
//! filters of the `config` block, and turning what a list call found into
//! full states through the type's own `import` and `read`, so a listed
//! object has exactly the state an import of it would have.

use std::future::Future;

use async_trait::async_trait;
use futures::stream::{self, StreamExt, TryStreamExt};

use crate::plugin::generate;
use crate::plugin::schema::Validator;
use crate::plugin::validators as v;
use crate::plugin::{
    Attribute, Block, Ctx, Diagnostics, ListResource, Listed, PlanCtx, ReadRequest, Resource,
    Schema, Value,
};

use super::AppRunner;

/// How many objects are read at the same time.
const CONCURRENT_READS: usize = 8;

/// A resource type whose objects are listed one region at a time. It says
/// which filters its `list` blocks take, how to find the import IDs of the
/// objects of one region, and how to name one for people; its
/// [`ListResource`] adds the `region` filter, lists the region it names
/// (else the provider's), and makes each found object's state by the
/// type's own `import` and `read`.
#[async_trait]
pub trait RegionalList: Resource<AppRunner> {
    /// The `config` block of `list` blocks, without `region`, which the
    /// list resource adds.
    fn filters(&self) -> Block;

    /// The region a `config` asks to list.
    fn region_of<'a>(&self, provider: &'a AppRunner, config: &'a Value) -> &'a str {
        super::region::of(provider, config)
    }

    /// The import IDs of the objects of the region that the query's
    /// `config` asks for, at most its `limit`.
    async fn ids_in(&self, query: &RegionQuery<'_>) -> Result<Vec<String>, Diagnostics>;

    /// The name people see for a listed object's state.
    fn display_name(&self, state: &Value) -> String;
}

#[async_trait]
impl<T: RegionalList> ListResource<AppRunner> for T {
    fn config_schema(&self) -> Schema {
        Schema::new(self.filters().attribute(region_attribute()))
    }

    async fn list(
        &self,
        ctx: &Ctx<AppRunner>,
        config: &Value,
        limit: usize,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let provider = ctx.provider();
        let query = RegionQuery {
            provider,
            region: self.region_of(provider, config),
            config,
            limit,
        };
        let ids = self.ids_in(&query).await?;
        imported(self, ctx, ids, |state| self.display_name(state)).await
    }
}

/// What a `list` block asks of one region.
#[derive(Clone, Copy)]
pub struct RegionQuery<'a> {
    /// The configured provider.
    pub provider: &'a AppRunner,
    /// The region listed.
    pub region: &'a str,
    /// The block's `config`.
    pub config: &'a Value,
    /// How many objects at most.
    pub limit: usize,
}

impl RegionQuery<'_> {
    /// Whether `name` matches the `name_prefix` filter (or there is none).
    pub fn has_prefix(&self, name: &str) -> bool {
        has_prefix(self.config, name)
    }
}

/// The `region` filter: the region to list.
pub fn region_attribute() -> Attribute {
    Attribute::string("region")
        .optional()
        .validate(Validator::new("a region name", |v| match v.as_str() {
            Some(r) if !super::region::is_name(r) => Err(format!(
                "must be a region name such as us-east-1, got {r:?}"
            )),
            _ => Ok(()),
        }))
        .description("Region to list. Defaults to the provider's region.")
}

/// The `name_prefix` filter.
pub fn name_prefix_attribute(what: &str) -> Attribute {
    Attribute::string("name_prefix")
        .optional()
        .validate(v::string_length(1, 255))
        .description(format!("Only {what} whose name starts with this."))
}

/// The region of a type listed by service: the `region` filter, else the
/// region of the `service_arn` filter's service, else the provider's.
pub fn service_region<'a>(provider: &'a AppRunner, config: &'a Value) -> &'a str {
    match (
        config.attr("region").as_str(),
        config.attr("service_arn").as_str(),
    ) {
        (None, Some(service)) => super::region::from_arn(service).unwrap_or(&provider.region),
        _ => super::region::of(provider, config),
    }
}

/// The import IDs of a type listed service by service: `ids_of(service,
/// room)` answers at most `room` of one service's; the services are the
/// `service_arn` filter's, else `all_services` (those of the region
/// listed). At most the query's `limit`.
pub async fn per_service<F, Fut>(
    query: &RegionQuery<'_>,
    all_services: impl Future<Output = Result<Vec<String>, Diagnostics>>,
    mut ids_of: F,
) -> Result<Vec<String>, Diagnostics>
where
    F: FnMut(String, usize) -> Fut,
    Fut: Future<Output = Result<Vec<String>, Diagnostics>>,
{
    let limit = query.limit;
    let services = match query.config.attr("service_arn").as_str() {
        Some(s) => vec![s.to_string()],
        None => all_services.await?,
    };
    let mut ids = Vec::new();
    for service in services {
        ids.extend(ids_of(service, limit - ids.len()).await?);
        if ids.len() >= limit {
            break;
        }
    }
    Ok(ids)
}

/// Whether `name` matches the `name_prefix` of `config` (or there is none).
pub fn has_prefix(config: &Value, name: &str) -> bool {
    config
        .attr("name_prefix")
        .as_str()
        .is_none_or(|p| name.starts_with(p))
}

/// Generated configuration for `state`: the framework's rule (what a user
/// sets, without computed values and defaults), plus `region` when it is
/// not the provider's (unset, the resource would move to the provider's).
pub fn generate_config(ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
    let mut config = generate::config_from_state(&schema.block, state);
    let region = state.attr("region");
    let provider_region = ctx.provider().ok().map(|p| p.region.as_str());
    if schema.block.get_attribute("region").is_some()
        && region.as_str().is_some()
        && region.as_str() != provider_region
    {
        config.set_attr("region", region.clone());
    }
    config
}

/// The full state of each object named by an import ID, as `terraform
/// import` of it would make: the type's `import`, then its `read`.
/// Objects gone in the meantime are left out; `display` names each one for
/// people. Sorted by that name.
async fn imported<R>(
    resource: &R,
    ctx: &Ctx<AppRunner>,
    ids: Vec<String>,
    display: impl Fn(&Value) -> String,
) -> Result<Vec<Listed>, Diagnostics>
where
    R: Resource<AppRunner> + ?Sized,
{
    let mut seeds = Vec::with_capacity(ids.len());
    for id in ids {
        seeds.push(resource.import(ctx, &id).await?);
    }
    let states: Vec<Option<Value>> = stream::iter(seeds)
        .map(|state| async move {
            let read = resource
                .read(
                    ctx,
                    ReadRequest {
                        state,
                        private: Vec::new(),
                    },
                )
                .await;
            if read.diagnostics.has_errors() {
                return Err(read.diagnostics);
            }
            Ok(read.state)
        })
        .buffered(CONCURRENT_READS)
        .try_collect()
        .await?;
    let mut listed: Vec<Listed> = states
        .into_iter()
        .flatten()
        .map(|state| Listed {
            display_name: display(&state),
            state,
        })
        .collect();
    listed.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    Ok(listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_filter_is_optional() {
        let none = Value::Object([("name_prefix".to_string(), Value::Null)].into());
        let web = Value::Object([("name_prefix".to_string(), Value::from("web"))].into());
        assert!(has_prefix(&none, "api"));
        assert!(has_prefix(&web, "web-1"));
        assert!(!has_prefix(&web, "api"));
    }
}
