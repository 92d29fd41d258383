//! The schema-driven part of planning, applied to every resource before its
//! own plan rules run:
//!
//! 1. defaults fill unset attributes;
//! 2. a configured value equivalent to the prior one keeps the prior
//!    representation (no perpetual diff for `1 vCPU` vs `1024`);
//! 3. attributes marked `requires_replace` that change are collected;
//! 4. when anything changes, computed attributes the configuration leaves
//!    unset become unknown, except `keep_prior` ones (unless replacing);
//! 5. write-only attributes are planned as null.
//!
//! Nested blocks are walked element by element: list elements correlate by
//! index, map elements by key. Set elements have no identity to correlate
//! prior and planned values by, so only defaults reach inside them.

use std::collections::BTreeMap;

use super::diagnostics::AttributePath;
use super::schema::{Attribute, Block, Nesting};
use super::value::Value;

/// Fills defaults of attributes the configuration leaves unset.
pub fn apply_defaults(block: &Block, config: &Value, planned: &mut Value) {
    if planned.is_null() || planned.is_unknown() {
        return;
    }
    for attr in &block.attributes {
        if let Some(default) = &attr.default
            && config.attr(&attr.name).is_null()
            && !config.is_unknown()
        {
            planned.set_attr(&attr.name, default.clone());
        }
    }
    for nested in &block.blocks {
        let config_value = config.attr(&nested.name);
        let Some(planned_value) = planned.attr_mut(&nested.name) else {
            continue;
        };
        for_each_element(nested.nesting, config_value, planned_value, |c, p| {
            apply_defaults(&nested.block, c, p)
        });
    }
}

/// Keeps the prior value of attributes whose configured value is equivalent.
pub fn keep_equivalent(block: &Block, prior: &Value, config: &Value, planned: &mut Value) {
    if prior.is_null() || planned.is_null() || planned.is_unknown() {
        return;
    }
    // Most blocks have no equivalences: nothing to look up in them.
    if !block_has(block, |a| a.equivalence.is_some()) {
        return;
    }
    for attr in &block.attributes {
        let Some(equivalent) = attr.equivalence else {
            continue;
        };
        let before = prior.attr(&attr.name);
        let now = planned.attr(&attr.name);
        if !before.is_null()
            && !now.is_null()
            && !now.is_unknown()
            && !config.attr(&attr.name).is_null()
            && before != now
            && equivalent(before, now)
        {
            planned.set_attr(&attr.name, before.clone());
        }
    }
    for_each_nested_correlated(block, prior, config, planned, keep_equivalent);
}

/// Paths of `requires_replace` attributes and blocks whose value changes.
pub fn replace_paths(
    block: &Block,
    prior: &Value,
    planned: &Value,
    path: &AttributePath,
    out: &mut Vec<AttributePath>,
) {
    if prior.is_null() || planned.is_null() {
        return;
    }
    for attr in &block.attributes {
        // An unknown planned value differs from any known prior one.
        if attr.requires_replace && prior.attr(&attr.name) != planned.attr(&attr.name) {
            out.push(path.then_attr(&attr.name));
        }
    }
    for nested in &block.blocks {
        // A block with nothing that replaces has no path to report, however
        // its value changes: skip comparing it.
        if !nested.requires_replace && !block_has_replacing_attribute(&nested.block) {
            continue;
        }
        let before = prior.attr(&nested.name);
        let now = planned.attr(&nested.name);
        if before == now && now.is_wholly_known() {
            continue;
        }
        let at = path.then_attr(&nested.name);
        if nested.requires_replace {
            out.push(at);
            continue;
        }
        match nested.nesting {
            Nesting::Single | Nesting::Group => {
                if before.is_null() != now.is_null() {
                    out.push(at);
                } else {
                    replace_paths(&nested.block, before, now, &at, out);
                }
            }
            Nesting::List => {
                let (b, n) = (
                    before.as_elements().unwrap_or_default(),
                    now.as_elements().unwrap_or_default(),
                );
                if b.len() != n.len() {
                    // Adding or removing an element: the block itself is the change.
                    out.push(at);
                } else {
                    for (i, (pb, pn)) in b.iter().zip(n).enumerate() {
                        replace_paths(&nested.block, pb, pn, &at.then_index(i), out);
                    }
                }
            }
            Nesting::Set => out.push(at),
            Nesting::Map => {
                let none = BTreeMap::new();
                let (b, n) = (
                    before.as_entries().unwrap_or(&none),
                    now.as_entries().unwrap_or(&none),
                );
                if b.keys().ne(n.keys()) {
                    out.push(at);
                } else {
                    for ((k, pb), pn) in b.iter().zip(n.values()) {
                        replace_paths(&nested.block, pb, pn, &at.then_key(k), out);
                    }
                }
            }
        }
    }
}

fn block_has_replacing_attribute(block: &Block) -> bool {
    block.attributes.iter().any(|a| a.requires_replace)
        || block
            .blocks
            .iter()
            .any(|b| b.requires_replace || block_has_replacing_attribute(&b.block))
}

/// Marks computed attributes the configuration leaves unset as unknown:
/// the provider will learn them during apply. `keep_prior` attributes keep
/// their prior value when `honour_keep_prior` is set.
pub fn mark_computed_unknown(
    block: &Block,
    prior: &Value,
    config: &Value,
    planned: &mut Value,
    honour_keep_prior: bool,
) {
    if planned.is_null() || planned.is_unknown() {
        return;
    }
    for attr in &block.attributes {
        if !attr.computed || attr.default.is_some() || !config.attr(&attr.name).is_null() {
            continue;
        }
        let prior_value = prior.attr(&attr.name);
        if honour_keep_prior && attr.keep_prior && !prior_value.is_null() {
            planned.set_attr(&attr.name, prior_value.clone());
        } else {
            planned.set_attr(&attr.name, Value::unknown());
        }
    }
    for_each_nested_correlated(block, prior, config, planned, |b, p, c, x| {
        mark_computed_unknown(b, p, c, x, honour_keep_prior)
    });
}

/// Makes `keep_prior` values unknown again: used when a replacement is
/// decided after they were kept.
pub fn forget_kept_values(block: &Block, prior: &Value, config: &Value, planned: &mut Value) {
    if planned.is_null() || planned.is_unknown() {
        return;
    }
    for attr in &block.attributes {
        if attr.keep_prior
            && attr.computed
            && config.attr(&attr.name).is_null()
            && planned.attr(&attr.name) == prior.attr(&attr.name)
        {
            planned.set_attr(&attr.name, Value::unknown());
        }
    }
    for_each_nested_correlated(block, prior, config, planned, forget_kept_values);
}

/// Sets every write-only attribute to null (Terraform never stores them).
pub fn null_write_only(block: &Block, value: &mut Value) {
    if value.is_null() || value.is_unknown() {
        return;
    }
    for attr in &block.attributes {
        if attr.write_only {
            value.set_attr(&attr.name, Value::Null);
        }
    }
    for nested in &block.blocks {
        if !block_has(&nested.block, |a| a.write_only) {
            continue;
        }
        if let Some(v) = value.attr_mut(&nested.name) {
            for object in block_objects_mut(nested.nesting, v) {
                null_write_only(&nested.block, object);
            }
        }
    }
}

/// Whether `block` or a block nested in it has an attribute that is `wanted`.
fn block_has(block: &Block, wanted: fn(&Attribute) -> bool) -> bool {
    block.attributes.iter().any(wanted) || block.blocks.iter().any(|b| block_has(&b.block, wanted))
}

/// The block objects a nested block's value holds: the value itself for a
/// single block, else its elements.
fn block_objects_mut(nesting: Nesting, value: &mut Value) -> Vec<&mut Value> {
    match nesting {
        Nesting::Single | Nesting::Group => vec![value],
        Nesting::List | Nesting::Set => value
            .as_elements_mut()
            .map(|items| items.iter_mut().collect())
            .unwrap_or_default(),
        Nesting::Map => value
            .as_entries_mut()
            .map(|entries| entries.values_mut().collect())
            .unwrap_or_default(),
    }
}

/// Replaces any unknown left in a value after apply with null, returning
/// the paths where that happened (each one is a provider bug to report).
pub fn unknowns_to_null(value: &mut Value, path: &AttributePath, found: &mut Vec<AttributePath>) {
    match value {
        Value::Unknown(_) => {
            *value = Value::Null;
            found.push(path.clone());
        }
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                unknowns_to_null(item, &path.then_index(i), found);
            }
        }
        Value::Object(entries) => {
            for (k, item) in entries.iter_mut() {
                unknowns_to_null(item, &path.then_attr(k), found);
            }
        }
        Value::Map(entries) => {
            for (k, item) in entries.iter_mut() {
                unknowns_to_null(item, &path.then_key(k), found);
            }
        }
        _ => {}
    }
}

/// Calls `f(config_element, planned_element)` for each element of a nested block.
fn for_each_element(
    nesting: Nesting,
    config: &Value,
    planned: &mut Value,
    mut f: impl FnMut(&Value, &mut Value),
) {
    match nesting {
        Nesting::Single | Nesting::Group => f(config, planned),
        Nesting::List => {
            let configs = config.as_elements().unwrap_or_default();
            if let Some(items) = planned.as_elements_mut() {
                for (i, item) in items.iter_mut().enumerate() {
                    f(configs.get(i).unwrap_or(&Value::Null), item);
                }
            }
        }
        Nesting::Set => {
            // Without correlation, an element's own (pre-default) value stands in for its config.
            if let Some(items) = planned.as_elements_mut() {
                for item in items.iter_mut() {
                    let own = item.clone();
                    f(&own, item);
                }
            }
        }
        Nesting::Map => {
            let configs = config.as_entries();
            if let Some(entries) = planned.as_entries_mut() {
                for (k, item) in entries.iter_mut() {
                    f(entry(configs, k), item);
                }
            }
        }
    }
}

/// Calls `f(nested_block, prior_element, config_element, planned_element)`
/// for each element of each nested block of `block` but set ones, whose
/// elements cannot be correlated.
fn for_each_nested_correlated(
    block: &Block,
    prior: &Value,
    config: &Value,
    planned: &mut Value,
    mut f: impl FnMut(&Block, &Value, &Value, &mut Value),
) {
    for nested in &block.blocks {
        if matches!(nested.nesting, Nesting::Set) {
            continue;
        }
        let prior_value = prior.attr(&nested.name);
        let config_value = config.attr(&nested.name);
        let Some(planned_value) = planned.attr_mut(&nested.name) else {
            continue;
        };
        for_each_correlated(
            nested.nesting,
            prior_value,
            config_value,
            planned_value,
            |p, c, x| f(&nested.block, p, c, x),
        );
    }
}

/// Calls `f(prior_element, config_element, planned_element)` for each
/// element of a single, list or map block.
fn for_each_correlated(
    nesting: Nesting,
    prior: &Value,
    config: &Value,
    planned: &mut Value,
    mut f: impl FnMut(&Value, &Value, &mut Value),
) {
    match nesting {
        Nesting::Single | Nesting::Group => f(prior, config, planned),
        Nesting::List => {
            let priors = prior.as_elements().unwrap_or_default();
            let configs = config.as_elements().unwrap_or_default();
            if let Some(items) = planned.as_elements_mut() {
                for (i, item) in items.iter_mut().enumerate() {
                    f(
                        priors.get(i).unwrap_or(&Value::Null),
                        configs.get(i).unwrap_or(&Value::Null),
                        item,
                    );
                }
            }
        }
        Nesting::Map => {
            let priors = prior.as_entries();
            let configs = config.as_entries();
            if let Some(entries) = planned.as_entries_mut() {
                for (k, item) in entries.iter_mut() {
                    f(entry(priors, k), entry(configs, k), item);
                }
            }
        }
        Nesting::Set => {}
    }
}

/// The element `key` of a map's entries, null when absent.
fn entry<'a>(entries: Option<&'a BTreeMap<String, Value>>, key: &str) -> &'a Value {
    entries.and_then(|m| m.get(key)).unwrap_or(&Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::schema::{Attribute, NestedBlock};

    fn obj(entries: &[(&str, Value)]) -> Value {
        Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn block() -> Block {
        Block::new()
            .attribute(Attribute::string("name").required().requires_replace())
            .attribute(Attribute::number("size").default(5))
            .attribute(Attribute::string("arn").computed().keep_prior())
            .attribute(Attribute::string("status").computed())
            .attribute(Attribute::string("cpu").optional().equivalence(|a, b| {
                let norm = |v: &Value| v.as_str().map(|s| s.replace(" vCPU", "000"));
                norm(a) == norm(b)
            }))
            .block(NestedBlock::list(
                "rule",
                Block::new().attribute(Attribute::bool("on").default(true)),
            ))
    }

    #[test]
    fn defaults_fill_unset_attributes_in_blocks_too() {
        let config = obj(&[
            ("name", "a".into()),
            ("rule", Value::List(vec![obj(&[("on", Value::Null)])])),
        ]);
        let mut planned = config.clone();
        apply_defaults(&block(), &config, &mut planned);
        assert_eq!(planned.attr("size"), &Value::from(5));
        assert_eq!(
            planned.attr("rule").as_elements().unwrap()[0].attr("on"),
            &Value::Bool(true)
        );
    }

    #[test]
    fn equivalent_values_keep_the_prior_form() {
        let prior = obj(&[("cpu", "1000".into())]);
        let config = obj(&[("cpu", "1 vCPU".into())]);
        let mut planned = config.clone();
        keep_equivalent(&block(), &prior, &config, &mut planned);
        assert_eq!(planned.attr("cpu"), &Value::from("1000"));
    }

    #[test]
    fn computed_values_become_unknown_on_change_except_kept_ones() {
        let prior = obj(&[
            ("name", "a".into()),
            ("arn", "arn:1".into()),
            ("status", "ACTIVE".into()),
        ]);
        let config = obj(&[("name", "a".into())]);
        let mut planned = prior.clone();
        mark_computed_unknown(&block(), &prior, &config, &mut planned, true);
        assert_eq!(planned.attr("arn"), &Value::from("arn:1"));
        assert!(planned.attr("status").is_unknown());
        mark_computed_unknown(&block(), &prior, &config, &mut planned, false);
        assert!(planned.attr("arn").is_unknown());
    }

    #[test]
    fn replacing_attributes_in_map_and_list_blocks_are_reported_with_their_path() {
        let inner = || {
            Block::new()
                .attribute(Attribute::string("image").optional().requires_replace())
                .attribute(Attribute::string("note").optional())
        };
        let block = Block::new()
            .block(NestedBlock::new("by_key", Nesting::Map, inner()))
            .block(NestedBlock::list("ordered", inner()))
            .block(NestedBlock::list(
                "free",
                Block::new().attribute(Attribute::string("note").optional()),
            ));
        let element =
            |image: &str, note: &str| obj(&[("image", image.into()), ("note", note.into())]);
        let keyed =
            |a: Value, b: Value| Value::Map([("a".to_string(), a), ("b".to_string(), b)].into());
        let state = |by_key: Value, ordered: Vec<Value>, free: &str| {
            obj(&[
                ("by_key", by_key),
                ("ordered", Value::List(ordered)),
                ("free", Value::List(vec![obj(&[("note", free.into())])])),
            ])
        };
        let prior = state(
            keyed(element("x", "1"), element("y", "1")),
            vec![element("x", "1")],
            "1",
        );
        let planned = state(
            keyed(element("x", "2"), element("z", "1")),
            vec![element("w", "1")],
            "2",
        );
        let mut out = Vec::new();
        replace_paths(&block, &prior, &planned, &AttributePath::root(), &mut out);
        assert_eq!(
            out,
            vec![
                AttributePath::attr("by_key")
                    .then_key("b")
                    .then_attr("image"),
                AttributePath::attr("ordered")
                    .then_index(0)
                    .then_attr("image"),
            ]
        );
        // Different keys: the map block itself is the change.
        let fewer = state(
            Value::Map([("a".to_string(), element("x", "1"))].into()),
            vec![],
            "1",
        );
        let mut out = Vec::new();
        replace_paths(&block, &prior, &fewer, &AttributePath::root(), &mut out);
        assert_eq!(
            out,
            vec![
                AttributePath::attr("by_key"),
                AttributePath::attr("ordered")
            ]
        );
    }

    #[test]
    fn write_only_and_equivalence_reach_into_nested_blocks() {
        let cpu = Attribute::string("cpu").optional().equivalence(|a, b| {
            let norm = |v: &Value| v.as_str().map(|s| s.replace(" vCPU", "000"));
            norm(a) == norm(b)
        });
        let block = Block::new()
            .attribute(Attribute::string("name").optional())
            .block(NestedBlock::single(
                "outer",
                Block::new().block(NestedBlock::list(
                    "inner",
                    Block::new()
                        .attribute(Attribute::string("secret").optional().write_only())
                        .attribute(cpu),
                )),
            ));
        let with = |secret: &str, cpu: &str| {
            obj(&[
                ("name", "n".into()),
                (
                    "outer",
                    obj(&[(
                        "inner",
                        Value::List(vec![obj(&[("secret", secret.into()), ("cpu", cpu.into())])]),
                    )]),
                ),
            ])
        };
        let inner = |v: &Value| v.attr("outer").attr("inner").as_elements().unwrap()[0].clone();
        let prior = with("s", "1000");
        let config = with("s", "1 vCPU");
        let mut planned = config.clone();
        keep_equivalent(&block, &prior, &config, &mut planned);
        assert_eq!(inner(&planned).attr("cpu"), &Value::from("1000"));
        null_write_only(&block, &mut planned);
        assert_eq!(inner(&planned).attr("secret"), &Value::Null);
        assert_eq!(planned.attr("name"), &Value::from("n"));
    }

    #[test]
    fn replacing_attributes_are_reported_with_their_path() {
        let prior = obj(&[("name", "a".into())]);
        let planned = obj(&[("name", "b".into())]);
        let mut out = Vec::new();
        replace_paths(&block(), &prior, &planned, &AttributePath::root(), &mut out);
        assert_eq!(out, vec![AttributePath::attr("name")]);
    }
}
