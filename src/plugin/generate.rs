//! Configuration generated from state (`terraform query
//! -generate-config-out`, `terraform plan -generate-config-out`): keep what a
//! user sets, drop what the provider computes, and leave out values that
//! equal their defaults so the generated file reads like one written by hand.

use super::schema::{Block, Nesting};
use super::value::Value;

/// The configuration value that reproduces `state` under `block`.
pub fn config_from_state(block: &Block, state: &Value) -> Value {
    if state.is_null() {
        return Value::Null;
    }
    let mut out = state.clone();
    for attr in &block.attributes {
        let value = state.attr(&attr.name);
        let keep = if attr.required {
            true
        } else if !attr.optional || attr.write_only || attr.deprecation.is_some() {
            false
        } else if let Some(default) = &attr.default {
            value != default
        } else if attr.computed {
            // Optional and computed without a default: the provider fills
            // it in, so only a value that differs from nothing is kept.
            false
        } else {
            !is_empty_collection(value)
        };
        if !keep {
            out.set_attr(&attr.name, Value::Null);
        }
    }
    for nested in &block.blocks {
        let value = state.attr(&nested.name);
        let generated = match nested.nesting {
            Nesting::Single | Nesting::Group => config_from_state(&nested.block, value),
            Nesting::List | Nesting::Set => match value.as_elements() {
                Some(items) => {
                    let items = items
                        .iter()
                        .map(|e| config_from_state(&nested.block, e))
                        .collect();
                    if matches!(nested.nesting, Nesting::List) {
                        Value::List(items)
                    } else {
                        Value::Set(items)
                    }
                }
                None => value.clone(),
            },
            Nesting::Map => match value.as_entries() {
                Some(entries) => Value::Map(
                    entries
                        .iter()
                        .map(|(k, e)| (k.clone(), config_from_state(&nested.block, e)))
                        .collect(),
                ),
                None => value.clone(),
            },
        };
        out.set_attr(&nested.name, generated);
    }
    out
}

fn is_empty_collection(v: &Value) -> bool {
    v.as_entries().is_some_and(|m| m.is_empty()) || v.as_elements().is_some_and(<[Value]>::is_empty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::schema::{Attribute, NestedBlock};

    #[test]
    fn keeps_settable_values_and_drops_computed_and_defaults() {
        let block = Block::new()
            .attribute(Attribute::string("name").required())
            .attribute(Attribute::number("size").default(5))
            .attribute(Attribute::number("count").default(5))
            .attribute(Attribute::string("arn").computed())
            .attribute(Attribute::string("region").optional().computed())
            .attribute(Attribute::string_map("tags").optional())
            .block(NestedBlock::list(
                "rule",
                Block::new().attribute(Attribute::string("id").computed()),
            ));
        let state = Value::Object(
            [
                ("name".to_string(), Value::from("x")),
                ("size".to_string(), Value::from(5)),
                ("count".to_string(), Value::from(7)),
                ("arn".to_string(), Value::from("arn:x")),
                ("region".to_string(), Value::from("us-east-1")),
                ("tags".to_string(), Value::Map(Default::default())),
                (
                    "rule".to_string(),
                    Value::List(vec![Value::Object(
                        [("id".to_string(), Value::from("r"))].into(),
                    )]),
                ),
            ]
            .into(),
        );
        let config = config_from_state(&block, &state);
        assert_eq!(config.attr("name"), &Value::from("x"));
        assert_eq!(config.attr("size"), &Value::Null);
        assert_eq!(config.attr("count"), &Value::from(7));
        assert_eq!(config.attr("arn"), &Value::Null);
        assert_eq!(config.attr("region"), &Value::Null);
        assert_eq!(config.attr("tags"), &Value::Null);
        assert_eq!(
            config.attr("rule").as_elements().unwrap()[0].attr("id"),
            &Value::Null
        );
    }
}
