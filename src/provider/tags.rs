//! Tags as the AWS provider handles them: `tags` in configuration, the
//! computed `tags_all` that adds the provider's `default_tags`, keys in
//! `ignore_tags` left alone, and in-place tag updates through
//! TagResource/UntagResource.

use std::collections::BTreeMap;

use aws_sdk_apprunner::types::Tag;

use super::config::AppRunner;
use super::errors::api_error;
use crate::plugin::{Attribute, Diagnostics, Plan, PlanCtx, Value, validators};

/// The `tags` argument.
pub fn tags_attribute() -> Attribute {
    Attribute::string_map("tags")
        .optional()
        .validate(validators::size_between(0, 50))
        .validate(validators::each_key(validators::string_length(1, 128)))
        .validate(validators::each_key(aws_prefix_refused()))
        .validate(validators::each_value(validators::string_length(0, 256)))
        .description("Tags for the resource. Keys may not start with `aws:`.")
}

/// The computed `tags_all` attribute.
pub fn tags_all_attribute() -> Attribute {
    Attribute::string_map("tags_all")
        .computed()
        .description("All tags of the resource, including the provider's `default_tags`.")
}

fn aws_prefix_refused() -> crate::plugin::schema::Validator {
    crate::plugin::schema::Validator::new("not starting with aws:", |v| match v.as_str() {
        Some(k) if k.to_ascii_lowercase().starts_with("aws:") => {
            Err("must not start with \"aws:\" (reserved by AWS)".into())
        }
        _ => Ok(()),
    })
}

/// Plans `tags_all` from `tags` and the provider's default tags.
pub fn plan_tags_all(ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
    let tags = plan.config.attr("tags").clone();
    let defaults = ctx.provider().ok().and_then(|p| p.default_tags.clone());
    let all = match (tags.is_wholly_known(), defaults) {
        (true, Some(defaults)) => {
            let ignore = ctx
                .provider()
                .map(|p| p.ignore_tags.clone())
                .unwrap_or_default();
            let mut all = defaults;
            all.extend(tags.as_string_map().unwrap_or_default());
            all.retain(|k, _| !ignore.ignores(k));
            Value::string_map(all)
        }
        _ => Value::unknown(),
    };
    if plan.prior.attr("tags_all") != &all || all.is_unknown() {
        plan.planned.set_attr("tags_all", all);
    } else {
        let prior = plan.prior.attr("tags_all").clone();
        plan.planned.set_attr("tags_all", prior);
    }
}

/// The tags to send when creating a resource.
pub fn to_api(tags_all: &Value) -> Option<Vec<Tag>> {
    let map = tags_all.as_string_map()?;
    if map.is_empty() {
        return None;
    }
    Some(
        map.into_iter()
            .map(|(k, v)| Tag::builder().key(k).value(v).build())
            .collect(),
    )
}

/// Reads a resource's tags, leaving out ignored keys.
pub async fn read(
    provider: &AppRunner,
    arn: &str,
) -> Result<BTreeMap<String, String>, Diagnostics> {
    let out = provider
        .client_for_arn(arn)
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(|e| Diagnostics::from(api_error("ListTagsForResource", arn, e)))?;
    Ok(out
        .tags()
        .iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_string(),
                t.value().unwrap_or_default().to_string(),
            ))
        })
        .filter(|(k, _)| !provider.ignore_tags.ignores(k))
        .collect())
}

/// Sets `tags` and `tags_all` in a refreshed state from the remote tags,
/// keeping the prior representation of `tags` when nothing changed.
pub fn set_in_state(
    provider: &AppRunner,
    state: &mut Value,
    prior: &Value,
    remote: BTreeMap<String, String>,
) {
    let defaults = provider.default_tags.clone().unwrap_or_default();
    let prior_tags = prior.attr("tags");
    let mut expected = defaults.clone();
    expected.extend(prior_tags.as_string_map().unwrap_or_default());
    expected.retain(|k, _| !provider.ignore_tags.ignores(k));
    let tags = if expected == remote && !prior.is_null() {
        prior_tags.clone()
    } else {
        // Tags that only repeat a default tag belong to the provider.
        let own: BTreeMap<String, String> = remote
            .iter()
            .filter(|(k, v)| {
                defaults.get(*k) != Some(*v)
                    || prior_tags
                        .as_string_map()
                        .is_some_and(|p| p.contains_key(*k))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if own.is_empty() && prior_tags.is_null() {
            Value::Null
        } else {
            Value::string_map(own)
        }
    };
    state.set_attr("tags", tags);
    state.set_attr("tags_all", Value::string_map(remote));
}

/// Brings the remote tags from `old` to `new` (both `tags_all` values).
pub async fn update(
    provider: &AppRunner,
    arn: &str,
    old: &Value,
    new: &Value,
) -> Result<(), Diagnostics> {
    let old = old.as_string_map().unwrap_or_default();
    let new = new.as_string_map().unwrap_or_default();
    let removed: Vec<String> = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    if !removed.is_empty() {
        provider
            .client_for_arn(arn)
            .untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(removed))
            .send()
            .await
            .map_err(|e| Diagnostics::from(api_error("UntagResource", arn, e)))?;
    }
    let changed: Vec<Tag> = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect();
    if !changed.is_empty() {
        provider
            .client_for_arn(arn)
            .tag_resource()
            .resource_arn(arn)
            .set_tags(Some(changed))
            .send()
            .await
            .map_err(|e| Diagnostics::from(api_error("TagResource", arn, e)))?;
    }
    Ok(())
}
