//! What every type's `list` (list resources, `terraform query`) shares:
//! the common filters of the `config` block, following App Runner's pages
//! to the end, and turning what a list call found into full states
//! through the type's own `import` and `read`, so a listed object has
//! exactly the state an import of it would have.

use std::future::Future;

use futures::stream::{self, StreamExt, TryStreamExt};

use crate::plugin::generate;
use crate::plugin::schema::Validator;
use crate::plugin::validators as v;
use crate::plugin::{
    Attribute, Ctx, Diagnostics, Listed, PlanCtx, ReadRequest, Resource, Schema, Value,
};

use super::AppRunner;
use super::errors::api_error;

/// How many objects are read at the same time.
const CONCURRENT_READS: usize = 8;

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

/// The region a list block's `config` asks for, else the provider's.
pub fn region<'a>(provider: &'a AppRunner, config: &'a Value) -> &'a str {
    config
        .attr("region")
        .as_str()
        .filter(|r| !r.is_empty())
        .unwrap_or(provider.region.as_str())
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

/// Calls `page` with each NextToken until App Runner gives none (pages may
/// be empty with a token still to follow), or until `limit` items were
/// kept. `page` answers the items it keeps of one page and the next token.
pub async fn pages<T, F, Fut>(limit: usize, mut page: F) -> Result<Vec<T>, Diagnostics>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Diagnostics>>,
{
    let mut items = Vec::new();
    let mut token = None;
    loop {
        let (found, next) = page(token).await?;
        items.extend(found);
        if items.len() >= limit {
            items.truncate(limit);
            return Ok(items);
        }
        match next {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => return Ok(items),
        }
    }
}

/// The ARNs of the services of `region` (deleted ones left out), for
/// types listed service by service.
pub async fn service_arns(provider: &AppRunner, region: &str) -> Result<Vec<String>, Diagnostics> {
    let client = provider.client_in(region);
    pages(usize::MAX, |token| {
        let client = client.clone();
        async move {
            let page = client
                .list_services()
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| Diagnostics::from(api_error("ListServices", region, e)))?;
            let arns = page
                .service_summary_list()
                .iter()
                .filter(|s| s.status().is_none_or(|st| st.as_str() != "DELETED"))
                .filter_map(|s| s.service_arn().map(str::to_string))
                .collect();
            Ok((arns, page.next_token().map(str::to_string)))
        }
    })
    .await
}

/// The full state of each object named by an import ID, as `terraform
/// import` of it would make: the type's `import`, then its `read`.
/// Objects gone in the meantime are left out; `display` names each one for
/// people. Sorted by that name.
pub async fn imported<R>(
    resource: &R,
    ctx: &Ctx<AppRunner>,
    ids: Vec<String>,
    display: fn(&Value) -> String,
) -> Result<Vec<Listed>, Diagnostics>
where
    R: Resource<AppRunner> + ?Sized,
{
    let mut seeds = Vec::with_capacity(ids.len());
    for id in ids {
        seeds.push(resource.import(ctx, &id).await?);
    }
    read_all(resource, ctx, seeds, display).await
}

/// Like [`imported`], from states as `import` makes them (for objects an
/// import ID cannot place, such as one in another region than the
/// provider's when the ID holds no region).
pub async fn read_all<R>(
    resource: &R,
    ctx: &Ctx<AppRunner>,
    seeds: Vec<Value>,
    display: fn(&Value) -> String,
) -> Result<Vec<Listed>, Diagnostics>
where
    R: Resource<AppRunner> + ?Sized,
{
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

    #[tokio::test]
    async fn pages_are_followed_past_empty_ones_until_the_limit() {
        // Pages: [1, 2], [], [3], end.
        let book: Vec<(Vec<i32>, Option<&str>)> = vec![
            (vec![1, 2], Some("a")),
            (vec![], Some("b")),
            (vec![3], None),
        ];
        let fetch = |token: Option<String>| {
            let i = match token.as_deref() {
                None => 0,
                Some("a") => 1,
                Some("b") => 2,
                Some(t) => panic!("unexpected token {t}"),
            };
            let (items, next) = book[i].clone();
            async move { Ok((items, next.map(str::to_string))) }
        };
        assert_eq!(pages(100, fetch).await.unwrap(), vec![1, 2, 3]);
        assert_eq!(pages(2, fetch).await.unwrap(), vec![1, 2]);
    }

    #[test]
    fn prefix_filter_is_optional() {
        let none = Value::Object([("name_prefix".to_string(), Value::Null)].into());
        let web = Value::Object([("name_prefix".to_string(), Value::from("web"))].into());
        assert!(has_prefix(&none, "api"));
        assert!(has_prefix(&web, "web-1"));
        assert!(!has_prefix(&web, "api"));
    }
}
