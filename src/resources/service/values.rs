//! Small helpers to read and build the service's nested values: blocks
//! are lists of at most one object, so most access goes through the one
//! element of a block.

use std::collections::HashMap;

use crate::plugin::{AttributePath, Value};

/// The one element of a list block (`[]` → null).
pub(super) fn first<'a>(value: &'a Value, block: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    value
        .attr(block)
        .as_elements()
        .and_then(|e| e.first())
        .unwrap_or(&NULL)
}

pub(super) fn first_mut<'a>(value: &'a mut Value, block: &str) -> Option<&'a mut Value> {
    value
        .attr_mut(block)
        .and_then(Value::as_elements_mut)
        .and_then(|e| e.first_mut())
}

/// Follows a path of list blocks, e.g. `["source_configuration", "image_repository"]`.
pub(super) fn path<'a>(value: &'a Value, blocks: &[&str]) -> &'a Value {
    blocks.iter().fold(value, |v, b| first(v, b))
}

pub(super) fn string(value: &Value, name: &str) -> Option<String> {
    value.attr(name).as_str().map(str::to_string)
}

pub(super) fn at(blocks: &[&str], attribute: &str) -> AttributePath {
    let mut p = AttributePath::root();
    for b in blocks {
        p = p.then_attr(b).then_index(0);
    }
    p.then_attr(attribute)
}

pub(super) fn block_path(blocks: &[&str]) -> AttributePath {
    let (last, parents) = blocks.split_last().expect("a block");
    let mut p = AttributePath::root();
    for b in parents {
        p = p.then_attr(b).then_index(0);
    }
    p.then_attr(last)
}

pub(super) fn has_block(value: &Value, block: &str) -> bool {
    value
        .attr(block)
        .as_elements()
        .is_some_and(|e| !e.is_empty())
}

pub(super) fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}

pub(super) fn object(entries: Vec<(&str, Value)>) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

pub(super) fn optional_block(v: Option<Value>) -> Value {
    list(v.into_iter().collect())
}

pub(super) fn string_map(m: Option<&HashMap<String, String>>) -> Value {
    match m {
        Some(m) => Value::string_map(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
        None => Value::Null,
    }
}

pub(super) fn is_empty_map(v: &Value) -> bool {
    v.is_null() || v.as_entries().is_some_and(|m| m.is_empty())
}
