//! MessagePack encoding of values, as Terraform exchanges them.
//!
//! The encoding is untyped on the wire: the schema's type decides how bytes
//! are read. Null is msgpack nil; unknown is an extension value (type 0, or
//! type 12 carrying refinements); numbers may be integers, floats or decimal
//! strings; objects carry exactly their type's attributes; `dynamic` values
//! travel as `[type JSON, value]`.

use std::collections::BTreeMap;

use rmpv::Value as Mp;

use super::value::{Number, Refinements, Type, Value, parse_number};

/// Extension type of an unknown value without refinements.
const EXT_UNKNOWN: i8 = 0;
/// Extension type of an unknown value with refinements.
const EXT_REFINED_UNKNOWN: i8 = 12;

// Keys of the refinement map inside a type-12 extension.
const REFINE_NULLNESS: i64 = 1;
const REFINE_STRING_PREFIX: i64 = 2;
const REFINE_NUMBER_LOWER: i64 = 3;
const REFINE_NUMBER_UPPER: i64 = 4;
const REFINE_LENGTH_LOWER: i64 = 5;
const REFINE_LENGTH_UPPER: i64 = 6;

/// How deep the msgpack reader may recurse. rmpv counts about two levels per
/// array or map, so this allows some 128 levels of nesting, far more than
/// any schema has; its default (1024) overflows a 2 MiB thread stack in
/// debug builds on hostile input.
const MAX_DEPTH: usize = 256;

/// Reads one msgpack value, with the nesting bounded by [`MAX_DEPTH`].
fn read_value(reader: &mut &[u8]) -> Result<Mp, rmpv::decode::Error> {
    rmpv::decode::read_value_with_max_depth(reader, MAX_DEPTH)
}

/// Decodes `bytes` as a value of type `ty`.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, String> {
    let mut reader = bytes;
    let mp = read_value(&mut reader).map_err(|e| format!("invalid msgpack: {e}"))?;
    if !reader.is_empty() {
        return Err(format!("{} unexpected bytes after the value", reader.len()));
    }
    from_msgpack(mp, ty)
}

/// Encodes `value` as type `ty`.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, String> {
    let mp = to_msgpack(value, ty)?;
    let mut out = Vec::new();
    rmpv::encode::write_value(&mut out, &mp).map_err(|e| e.to_string())?;
    Ok(out)
}

fn from_msgpack(mp: Mp, ty: &Type) -> Result<Value, String> {
    match mp {
        Mp::Nil => return Ok(Value::Null),
        // Any extension is an unknown; only type 12 carries refinements.
        Mp::Ext(kind, payload) => {
            let refinements = if kind == EXT_REFINED_UNKNOWN && *ty != Type::Dynamic {
                decode_refinements(&payload)?
            } else {
                Refinements::default()
            };
            return Ok(Value::Unknown(refinements));
        }
        _ => {}
    }
    match ty {
        Type::String => match mp {
            Mp::String(s) => s
                .into_str()
                .map(Value::String)
                .ok_or_else(|| "string is not UTF-8".into()),
            other => Err(format!("expected a string, got {}", mp_kind(&other))),
        },
        Type::Bool => match mp {
            Mp::Boolean(b) => Ok(Value::Bool(b)),
            other => Err(format!("expected a bool, got {}", mp_kind(&other))),
        },
        Type::Number => decode_number(mp).map(Value::Number),
        Type::List(e) | Type::Set(e) => {
            let Mp::Array(items) = mp else {
                return Err(format!("expected an array for {ty}, got {}", mp_kind(&mp)));
            };
            let items = items
                .into_iter()
                .map(|i| from_msgpack(i, e))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if matches!(ty, Type::List(_)) {
                Value::List(items)
            } else {
                Value::Set(items)
            })
        }
        Type::Tuple(types) => {
            let Mp::Array(items) = mp else {
                return Err(format!("expected an array for {ty}, got {}", mp_kind(&mp)));
            };
            if items.len() != types.len() {
                return Err(format!(
                    "tuple needs {} elements, got {}",
                    types.len(),
                    items.len()
                ));
            }
            Ok(Value::Tuple(
                items
                    .into_iter()
                    .zip(types)
                    .map(|(i, t)| from_msgpack(i, t))
                    .collect::<Result<_, _>>()?,
            ))
        }
        Type::Map(e) => {
            let Mp::Map(entries) = mp else {
                return Err(format!("expected a map for {ty}, got {}", mp_kind(&mp)));
            };
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                let key = key_string(k)?;
                let v = from_msgpack(v, e).map_err(|err| format!("[{key:?}]: {err}"))?;
                out.insert(key, v);
            }
            Ok(Value::Map(out))
        }
        Type::Object(attrs) => {
            let Mp::Map(entries) = mp else {
                return Err(format!(
                    "expected a map for an object, got {}",
                    mp_kind(&mp)
                ));
            };
            if entries.len() != attrs.len() {
                return Err(format!(
                    "an object with {} attributes is required, got {}",
                    attrs.len(),
                    entries.len()
                ));
            }
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                let key = key_string(k)?;
                let t = attrs
                    .get(&key)
                    .ok_or_else(|| format!("unsupported attribute {key:?}"))?;
                let v = from_msgpack(v, t).map_err(|err| format!("{key}: {err}"))?;
                out.insert(key, v);
            }
            Ok(Value::Object(out))
        }
        Type::Dynamic => {
            let Mp::Array(mut pair) = mp else {
                return Err(format!(
                    "expected [type, value] for a dynamic value, got {}",
                    mp_kind(&mp)
                ));
            };
            if pair.len() != 2 {
                return Err("a dynamic value needs exactly [type, value]".into());
            }
            let inner = pair.pop().expect("two elements");
            let type_json = match pair.pop().expect("two elements") {
                Mp::Binary(b) => b,
                Mp::String(s) => s.into_bytes(),
                other => {
                    return Err(format!(
                        "dynamic type must be bytes, got {}",
                        mp_kind(&other)
                    ));
                }
            };
            let json: serde_json::Value = serde_json::from_slice(&type_json)
                .map_err(|e| format!("dynamic type JSON: {e}"))?;
            let actual = Type::from_json(&json)?;
            let inner = from_msgpack(inner, &actual)?;
            Ok(Value::Dynamic(Box::new((actual, inner))))
        }
    }
}

fn key_string(k: Mp) -> Result<String, String> {
    match k {
        Mp::String(s) => s.into_str().ok_or_else(|| "key is not UTF-8".into()),
        other => Err(format!("map keys must be strings, got {}", mp_kind(&other))),
    }
}

fn decode_number(mp: Mp) -> Result<Number, String> {
    match mp {
        Mp::Integer(i) => {
            if let Some(v) = i.as_i64() {
                Ok(Number::Int(v))
            } else {
                Ok(Number::UInt(
                    i.as_u64().expect("msgpack integers fit i64 or u64"),
                ))
            }
        }
        Mp::F32(f) => Ok(Number::Float(f as f64)),
        Mp::F64(f) => Ok(Number::Float(f)),
        Mp::String(s) => {
            let s = s.into_str().ok_or("number string is not UTF-8")?;
            parse_number(&s).ok_or_else(|| format!("{s:?} is not a number"))
        }
        other => Err(format!("expected a number, got {}", mp_kind(&other))),
    }
}

fn encode_number(n: &Number) -> Mp {
    match n {
        Number::Int(i) => Mp::from(*i),
        Number::UInt(u) => Mp::from(*u),
        Number::Float(f) => match Number::Float(*f).as_i64() {
            Some(i) => Mp::from(i),
            None => Mp::F64(*f),
        },
        Number::Decimal(s) => Mp::from(s.as_str()),
    }
}

fn decode_refinements(payload: &[u8]) -> Result<Refinements, String> {
    let mut r = Refinements::default();
    if payload.is_empty() {
        return Ok(r);
    }
    let mut reader = payload;
    let mp = read_value(&mut reader).map_err(|e| format!("invalid refinements: {e}"))?;
    let Mp::Map(entries) = mp else {
        return Ok(r);
    };
    for (k, v) in entries {
        let Some(key) = k.as_i64() else { continue };
        match key {
            REFINE_NULLNESS => r.not_null = v.as_bool() == Some(false),
            REFINE_STRING_PREFIX => r.string_prefix = v.as_str().map(str::to_string),
            REFINE_NUMBER_LOWER | REFINE_NUMBER_UPPER => {
                if let Mp::Array(mut parts) = v
                    && parts.len() == 2
                {
                    let inclusive = parts.pop().and_then(|b| b.as_bool()).unwrap_or(false);
                    let n = decode_number(parts.pop().expect("two elements"))?;
                    if key == REFINE_NUMBER_LOWER {
                        r.number_lower = Some((n, inclusive));
                    } else {
                        r.number_upper = Some((n, inclusive));
                    }
                }
            }
            REFINE_LENGTH_LOWER => r.length_lower = v.as_u64(),
            REFINE_LENGTH_UPPER => r.length_upper = v.as_u64(),
            // Refinements this provider does not know about are ignored.
            _ => {}
        }
    }
    Ok(r)
}

fn encode_unknown(r: &Refinements, ty: &Type) -> Mp {
    if r.is_empty() || *ty == Type::Dynamic {
        return Mp::Ext(EXT_UNKNOWN, vec![0]);
    }
    let mut entries = Vec::new();
    if r.not_null {
        entries.push((Mp::from(REFINE_NULLNESS), Mp::Boolean(false)));
    }
    if let Some(p) = &r.string_prefix {
        entries.push((Mp::from(REFINE_STRING_PREFIX), Mp::from(p.as_str())));
    }
    if let Some((n, inc)) = &r.number_lower {
        entries.push((
            Mp::from(REFINE_NUMBER_LOWER),
            Mp::Array(vec![encode_number(n), Mp::Boolean(*inc)]),
        ));
    }
    if let Some((n, inc)) = &r.number_upper {
        entries.push((
            Mp::from(REFINE_NUMBER_UPPER),
            Mp::Array(vec![encode_number(n), Mp::Boolean(*inc)]),
        ));
    }
    if let Some(l) = r.length_lower {
        entries.push((Mp::from(REFINE_LENGTH_LOWER), Mp::from(l)));
    }
    if let Some(l) = r.length_upper {
        entries.push((Mp::from(REFINE_LENGTH_UPPER), Mp::from(l)));
    }
    let mut payload = Vec::new();
    rmpv::encode::write_value(&mut payload, &Mp::Map(entries))
        .expect("writing to a Vec cannot fail");
    Mp::Ext(EXT_REFINED_UNKNOWN, payload)
}

fn to_msgpack(value: &Value, ty: &Type) -> Result<Mp, String> {
    match value {
        Value::Null => return Ok(Mp::Nil),
        Value::Unknown(r) => return Ok(encode_unknown(r, ty)),
        _ => {}
    }
    match (ty, value) {
        (Type::Dynamic, v) => {
            let (actual, inner) = match v {
                Value::Dynamic(d) => (d.0.clone(), &d.1),
                other => (other.infer_type(), other),
            };
            if inner.is_null() {
                return Ok(Mp::Nil);
            }
            let type_json = actual.to_json_bytes();
            Ok(Mp::Array(vec![
                Mp::Binary(type_json),
                to_msgpack(inner, &actual)?,
            ]))
        }
        (t, Value::Dynamic(d)) => to_msgpack(&d.1, t),
        (Type::String, Value::String(s)) => Ok(Mp::from(s.as_str())),
        (Type::Bool, Value::Bool(b)) => Ok(Mp::Boolean(*b)),
        (Type::Number, Value::Number(n)) => Ok(encode_number(n)),
        (Type::List(e), Value::List(items) | Value::Set(items) | Value::Tuple(items)) => {
            Ok(Mp::Array(
                items
                    .iter()
                    .map(|i| to_msgpack(i, e))
                    .collect::<Result<_, _>>()?,
            ))
        }
        (Type::Set(e), Value::List(items) | Value::Set(items) | Value::Tuple(items)) => {
            // Each element once: Terraform collapses duplicates in sets.
            let mut seen: Vec<&Value> = Vec::with_capacity(items.len());
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                if !seen.contains(&i) {
                    seen.push(i);
                    out.push(to_msgpack(i, e)?);
                }
            }
            Ok(Mp::Array(out))
        }
        (Type::Tuple(types), Value::List(items) | Value::Tuple(items)) => {
            if types.len() != items.len() {
                return Err(format!(
                    "tuple needs {} elements, got {}",
                    types.len(),
                    items.len()
                ));
            }
            Ok(Mp::Array(
                items
                    .iter()
                    .zip(types)
                    .map(|(i, t)| to_msgpack(i, t))
                    .collect::<Result<_, _>>()?,
            ))
        }
        (Type::Map(e), Value::Map(m) | Value::Object(m)) => Ok(Mp::Map(
            m.iter()
                .map(|(k, v)| {
                    Ok((
                        Mp::from(k.as_str()),
                        to_msgpack(v, e).map_err(|err| format!("[{k:?}]: {err}"))?,
                    ))
                })
                .collect::<Result<_, String>>()?,
        )),
        (Type::Object(attrs), Value::Object(m) | Value::Map(m)) => {
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                return Err(format!("unsupported attribute {extra:?}"));
            }
            // Exactly the type's attributes, absent ones as null.
            let mut out = Vec::with_capacity(attrs.len());
            for (name, t) in attrs {
                let v = m.get(name).unwrap_or(&Value::Null);
                out.push((
                    Mp::from(name.as_str()),
                    to_msgpack(v, t).map_err(|err| format!("{name}: {err}"))?,
                ));
            }
            Ok(Mp::Map(out))
        }
        (t, v) => Err(format!("cannot encode a {} as {t}", v.kind())),
    }
}

fn mp_kind(mp: &Mp) -> &'static str {
    match mp {
        Mp::Nil => "nil",
        Mp::Boolean(_) => "bool",
        Mp::Integer(_) => "integer",
        Mp::F32(_) | Mp::F64(_) => "float",
        Mp::String(_) => "string",
        Mp::Binary(_) => "binary",
        Mp::Array(_) => "array",
        Mp::Map(_) => "map",
        Mp::Ext(_, _) => "extension",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(v: &Value, ty: &Type) -> Value {
        decode(&encode(v, ty).unwrap(), ty).unwrap()
    }

    #[test]
    fn unknown_without_refinements_is_fixext_zero() {
        assert_eq!(
            encode(&Value::unknown(), &Type::String).unwrap(),
            vec![0xd4, 0x00, 0x00]
        );
    }

    #[test]
    fn any_extension_decodes_as_unknown() {
        // fixext1 of type 7: not a type we know, still unknown.
        let v = decode(&[0xd4, 0x07, 0x00], &Type::Number).unwrap();
        assert!(v.is_unknown());
    }

    #[test]
    fn refined_unknown_round_trips() {
        let r = Refinements {
            not_null: true,
            string_prefix: Some("arn:aws:".into()),
            ..Default::default()
        };
        let bytes = encode(&Value::Unknown(r.clone()), &Type::String).unwrap();
        match rmpv::decode::read_value(&mut &bytes[..]).unwrap() {
            Mp::Ext(kind, _) => assert_eq!(kind, 12, "refined unknowns use extension type 12"),
            other => panic!("expected an extension, got {other:?}"),
        }
        match decode(&bytes, &Type::String).unwrap() {
            Value::Unknown(back) => assert_eq!(back, r),
            other => panic!("expected unknown, got {other:?}"),
        }
        let r = Refinements {
            number_lower: Some((Number::Int(1), true)),
            number_upper: Some((Number::Int(25), false)),
            length_lower: Some(1),
            length_upper: Some(3),
            ..Default::default()
        };
        match round_trip(&Value::Unknown(r.clone()), &Type::Number) {
            Value::Unknown(back) => assert_eq!(back, r),
            other => panic!("expected unknown, got {other:?}"),
        }
    }

    #[test]
    fn big_numbers_travel_as_decimal_strings() {
        let big = Value::Number(Number::Decimal("123456789012345678901234567890.5".into()));
        let bytes = encode(&big, &Type::Number).unwrap();
        assert_eq!(
            rmpv::decode::read_value(&mut &bytes[..])
                .unwrap()
                .as_str()
                .unwrap()
                .len(),
            32
        );
        assert_eq!(round_trip(&big, &Type::Number), big);
        // An integral float is sent as an integer, a u64 stays exact.
        assert_eq!(
            encode(&Value::from(3.0), &Type::Number).unwrap(),
            vec![0x03]
        );
        let max = Value::Number(Number::UInt(u64::MAX));
        assert_eq!(round_trip(&max, &Type::Number), max);
    }

    #[test]
    fn objects_carry_every_attribute() {
        let ty = Type::object([("a", Type::String), ("b", Type::Number)]);
        let v = Value::Object([("a".to_string(), Value::from("x"))].into());
        let bytes = encode(&v, &ty).unwrap();
        let back = decode(&bytes, &ty).unwrap();
        assert_eq!(back.attr("b"), &Value::Null);
        // A map with a missing attribute is refused on decode.
        let short = encode(
            &Value::Map([("a".to_string(), Value::from("x"))].into()),
            &Type::map(Type::String),
        )
        .unwrap();
        assert!(decode(&short, &ty).unwrap_err().contains("2 attributes"));
    }

    #[test]
    fn dynamic_values_carry_their_type() {
        let ty = Type::object([("d", Type::Dynamic)]);
        let inner = Value::List(vec![Value::from("a"), Value::from("b")]);
        let v = Value::Object(
            [(
                "d".to_string(),
                Value::Dynamic(Box::new((Type::list(Type::String), inner.clone()))),
            )]
            .into(),
        );
        let back = round_trip(&v, &ty);
        match back.attr("d") {
            Value::Dynamic(d) => {
                assert_eq!(d.0, Type::list(Type::String));
                assert_eq!(d.1, inner);
            }
            other => panic!("expected dynamic, got {other:?}"),
        }
        // A wholly unknown dynamic value is a bare extension.
        assert_eq!(
            encode(&Value::unknown(), &Type::Dynamic).unwrap(),
            vec![0xd4, 0, 0]
        );
    }
}
