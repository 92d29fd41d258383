//! Typed access to values: resources describe their state as plain Rust
//! structs with serde, and convert to and from [`Value`] here.
//!
//! Conversion goes through `serde_json::Value`, which already has complete
//! serde support; values are small, so the detour costs nothing that matters.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::value::{Number, Type, Value};

/// Reads a wholly known value into `T`. Null maps to `None` in `Option`
/// fields; an unknown anywhere is an error.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    let json = to_plain_json(value)?;
    serde_json::from_value(json).map_err(|e| e.to_string())
}

/// Builds a value of type `ty` from `model`; attributes the model lacks are
/// null.
pub fn to_value<T: Serialize>(model: &T, ty: &Type) -> Result<Value, String> {
    let json = serde_json::to_value(model).map_err(|e| e.to_string())?;
    from_plain_json(json).conform(ty)
}

fn to_plain_json(value: &Value) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    Ok(match value {
        Value::Null => J::Null,
        Value::Unknown(_) => return Err("value is not known yet".into()),
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => match n {
            Number::Int(i) => J::from(*i),
            Number::UInt(u) => J::from(*u),
            Number::Float(f) => match n.as_i64() {
                Some(i) => J::from(i),
                None => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            },
            Number::Decimal(s) => serde_json::from_str(s).unwrap_or_else(|_| J::String(s.clone())),
        },
        Value::String(s) => J::String(s.clone()),
        Value::List(v) | Value::Set(v) | Value::Tuple(v) => {
            J::Array(v.iter().map(to_plain_json).collect::<Result<_, _>>()?)
        }
        Value::Map(m) | Value::Object(m) => J::Object(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), to_plain_json(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        Value::Dynamic(d) => to_plain_json(&d.1)?,
    })
}

fn from_plain_json(json: serde_json::Value) -> Value {
    use serde_json::Value as J;
    match json {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(b),
        J::Number(n) => Value::Number(if let Some(i) = n.as_i64() {
            Number::Int(i)
        } else if let Some(u) = n.as_u64() {
            Number::UInt(u)
        } else {
            Number::Float(n.as_f64().unwrap_or(f64::NAN))
        }),
        J::String(s) => Value::String(s),
        J::Array(items) => Value::List(items.into_iter().map(from_plain_json).collect()),
        J::Object(entries) => Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k, from_plain_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Model {
        name: String,
        size: Option<i64>,
        tags: Option<BTreeMap<String, String>>,
    }

    #[test]
    fn models_round_trip_through_values() {
        let ty = Type::object([
            ("name", Type::String),
            ("size", Type::Number),
            ("tags", Type::map(Type::String)),
            ("extra", Type::Bool),
        ]);
        let m = Model {
            name: "a".into(),
            size: Some(3),
            tags: None,
        };
        let v = to_value(&m, &ty).unwrap();
        assert_eq!(v.attr("extra"), &Value::Null);
        assert_eq!(from_value::<Model>(&v).unwrap(), m);
    }

    #[test]
    fn unknowns_are_refused() {
        let v = Value::Object([("name".to_string(), Value::unknown())].into());
        assert!(from_value::<Model>(&v).is_err());
    }
}
