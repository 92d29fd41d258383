//! JSON encoding of values, as Terraform stores state (`RawState.json`).
//!
//! JSON has no unknowns; `dynamic` values are `{"value": …, "type": …}`.
//! Numbers that fit neither `i64`/`u64` nor `f64` exactly lose precision
//! here: serde_json's arbitrary-precision mode would change number handling
//! for every crate in the binary, and state never holds such numbers for
//! this provider's schemas.

use std::collections::BTreeMap;

use serde_json::Value as J;

use super::value::{Number, Type, Value, check_tuple_len};

/// How strictly object attributes are matched against the type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// Exactly the type's attributes (what Terraform writes for the current schema).
    Exact,
    /// Missing attributes become null and unknown ones are dropped: for state
    /// written by an older schema or by another provider.
    Lenient,
}

/// Decodes JSON as a value of type `ty`.
pub fn decode(json: &J, ty: &Type, strictness: Strictness) -> Result<Value, String> {
    if json.is_null() {
        return Ok(Value::Null);
    }
    match ty {
        Type::String => match json {
            J::String(s) => Ok(Value::String(s.clone())),
            // Legacy states sometimes hold numbers or bools where strings belong.
            J::Number(n) if strictness == Strictness::Lenient => Ok(Value::String(n.to_string())),
            J::Bool(b) if strictness == Strictness::Lenient => Ok(Value::String(b.to_string())),
            other => Err(format!("expected a string, got {other}")),
        },
        Type::Bool => match json {
            J::Bool(b) => Ok(Value::Bool(*b)),
            J::String(s) if strictness == Strictness::Lenient && (s == "true" || s == "false") => {
                Ok(Value::Bool(s == "true"))
            }
            other => Err(format!("expected a bool, got {other}")),
        },
        Type::Number => match json {
            J::Number(n) => Ok(Value::Number(json_number(n))),
            J::String(s) => super::value::parse_number(s)
                .map(Value::Number)
                .ok_or_else(|| format!("{s:?} is not a number")),
            other => Err(format!("expected a number, got {other}")),
        },
        Type::List(e) | Type::Set(e) => {
            let items = json
                .as_array()
                .ok_or_else(|| format!("expected an array for {ty}"))?;
            let items = items
                .iter()
                .map(|i| decode(i, e, strictness))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if matches!(ty, Type::List(_)) {
                Value::List(items)
            } else {
                Value::Set(items)
            })
        }
        Type::Tuple(types) => {
            let items = json
                .as_array()
                .ok_or_else(|| format!("expected an array for {ty}"))?;
            check_tuple_len(types, items.len())?;
            Ok(Value::Tuple(
                items
                    .iter()
                    .zip(types)
                    .map(|(i, t)| decode(i, t, strictness))
                    .collect::<Result<_, _>>()?,
            ))
        }
        Type::Map(e) => {
            let entries = json
                .as_object()
                .ok_or_else(|| format!("expected an object for {ty}"))?;
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                out.insert(
                    k.clone(),
                    decode(v, e, strictness).map_err(|err| format!("[{k:?}]: {err}"))?,
                );
            }
            Ok(Value::Map(out))
        }
        Type::Object(attrs) => {
            let entries = json.as_object().ok_or("expected an object")?;
            if strictness == Strictness::Exact
                && let Some(extra) = entries.keys().find(|k| !attrs.contains_key(*k))
            {
                return Err(format!("unsupported attribute {extra:?}"));
            }
            let mut out = BTreeMap::new();
            for (name, t) in attrs {
                let v = match entries.get(name) {
                    Some(v) => decode(v, t, strictness).map_err(|err| format!("{name}: {err}"))?,
                    None if strictness == Strictness::Lenient => Value::Null,
                    None => return Err(format!("missing attribute {name:?}")),
                };
                out.insert(name.clone(), v);
            }
            Ok(Value::Object(out))
        }
        Type::Dynamic => {
            let obj = json
                .as_object()
                .ok_or("a dynamic value needs {\"value\", \"type\"}")?;
            let ty_json = obj.get("type").ok_or("a dynamic value needs a type")?;
            let actual = Type::from_json(ty_json)?;
            let inner = decode(obj.get("value").unwrap_or(&J::Null), &actual, strictness)?;
            Ok(Value::Dynamic(Box::new((actual, inner))))
        }
    }
}

fn json_number(n: &serde_json::Number) -> Number {
    if let Some(i) = n.as_i64() {
        Number::Int(i)
    } else if let Some(u) = n.as_u64() {
        Number::UInt(u)
    } else {
        Number::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Encodes a wholly known value of type `ty` as JSON.
pub fn encode(value: &Value, ty: &Type) -> Result<J, String> {
    match value {
        Value::Null => return Ok(J::Null),
        Value::Unknown(_) => return Err("unknown values have no JSON form".into()),
        _ => {}
    }
    match (ty, value) {
        (Type::Dynamic, v) => {
            let (actual, inner) = match v {
                Value::Dynamic(d) => (d.0.clone(), &d.1),
                other => (other.infer_type(), other),
            };
            Ok(serde_json::json!({ "value": encode(inner, &actual)?, "type": actual.to_json() }))
        }
        (t, Value::Dynamic(d)) => encode(&d.1, t),
        (Type::String, Value::String(s)) => Ok(J::String(s.clone())),
        (Type::Bool, Value::Bool(b)) => Ok(J::Bool(*b)),
        (Type::Number, Value::Number(n)) => Ok(match n {
            Number::Int(i) => J::from(*i),
            Number::UInt(u) => J::from(*u),
            Number::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Number::Decimal(s) => {
                serde_json::from_str::<J>(s).unwrap_or_else(|_| J::String(s.clone()))
            }
        }),
        (
            Type::List(e) | Type::Set(e),
            Value::List(items) | Value::Set(items) | Value::Tuple(items),
        ) => Ok(J::Array(
            items
                .iter()
                .map(|i| encode(i, e))
                .collect::<Result<_, _>>()?,
        )),
        (Type::Tuple(types), Value::List(items) | Value::Tuple(items)) => {
            check_tuple_len(types, items.len())?;
            Ok(J::Array(
                items
                    .iter()
                    .zip(types)
                    .map(|(i, t)| encode(i, t))
                    .collect::<Result<_, _>>()?,
            ))
        }
        (Type::Map(e), Value::Map(m) | Value::Object(m)) => Ok(J::Object(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), encode(v, e)?)))
                .collect::<Result<_, String>>()?,
        )),
        (Type::Object(attrs), Value::Object(m) | Value::Map(m)) => {
            let mut out = serde_json::Map::new();
            for (name, t) in attrs {
                out.insert(
                    name.clone(),
                    encode(m.get(name).unwrap_or(&Value::Null), t)?,
                );
            }
            Ok(J::Object(out))
        }
        (t, v) => Err(format!("cannot encode a {} as {t}", v.kind())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn state_round_trips() {
        let ty = Type::object([
            ("name", Type::String),
            ("size", Type::Number),
            ("tags", Type::map(Type::String)),
            ("subnets", Type::set(Type::String)),
            ("d", Type::Dynamic),
        ]);
        let json = json!({
            "name": "x", "size": 3, "tags": {"a": "b"}, "subnets": ["s1"],
            "d": {"value": ["a"], "type": ["list", "string"]}
        });
        let v = decode(&json, &ty, Strictness::Exact).unwrap();
        assert_eq!(encode(&v, &ty).unwrap(), json);
    }

    #[test]
    fn lenient_decoding_tolerates_other_schemas() {
        let ty = Type::object([("name", Type::String), ("new", Type::Bool)]);
        let v = decode(&json!({"name": "x", "old": 1}), &ty, Strictness::Lenient).unwrap();
        assert_eq!(v.attr("new"), &Value::Null);
        assert!(decode(&json!({"name": "x", "old": 1}), &ty, Strictness::Exact).is_err());
    }
}
