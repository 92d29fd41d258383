//! JSON encoding of values, as Terraform stores state (`RawState.json`).
//!
//! Two decoders give the same answers: [`decode`] walks a parsed
//! `serde_json::Value` tree (for code that reads stored JSON itself, such as
//! a move from another provider's type), and [`decode_slice`] reads the
//! text straight into a [`Value`] as the type directs, without a tree,
//! for the state Terraform sends on every plan ([`RawState`]).
//!
//! JSON has no unknowns; `dynamic` values are `{"value": …, "type": …}`.
//! Numbers that fit neither `i64`/`u64` nor `f64` exactly lose precision
//! here: serde_json's arbitrary-precision mode would change number handling
//! for every crate in the binary, and state never holds such numbers for
//! this provider's schemas.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as J;

use super::diagnostics::{Diagnostic, Diagnostics};
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

/// Why JSON text could not be read as a value.
#[derive(Debug)]
pub enum DecodeError {
    /// The text is not JSON.
    Syntax(serde_json::Error),
    /// The JSON does not fit the type; the message is [`decode`]'s.
    Type(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Syntax(e) => e.fmt(f),
            DecodeError::Type(e) => f.write_str(e),
        }
    }
}

/// Decodes JSON text as a value of type `ty`: the same value or error as
/// parsing it and calling [`decode`], without building the tree.
pub fn decode_slice(json: &[u8], ty: &Type, strictness: Strictness) -> Result<Value, DecodeError> {
    let mut de = serde_json::Deserializer::from_slice(json);
    let direct = Reader { ty, strictness }
        .deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value));
    match direct {
        Ok(value) => Ok(value),
        // The reader gives up at the first thing that does not fit. The
        // tree decoder then finds the error and words it as before: which
        // one it reports depends on the whole document (a later duplicate
        // key replaces an earlier value; bad JSON anywhere wins).
        Err(_) => {
            let tree: J = serde_json::from_slice(json).map_err(DecodeError::Syntax)?;
            decode(&tree, ty, strictness).map_err(DecodeError::Type)
        }
    }
}

/// Reads one JSON value as `ty`, following [`decode`]'s rules for values
/// that fit; anything else is an error, whose wording [`decode_slice`]
/// leaves to [`decode`].
#[derive(Clone, Copy)]
struct Reader<'t> {
    ty: &'t Type,
    strictness: Strictness,
}

impl<'t> Reader<'t> {
    fn of(self, ty: &'t Type) -> Self {
        Reader { ty, ..self }
    }

    fn mismatch<E: de::Error>(self) -> E {
        E::custom(format_args!("JSON that does not fit {}", self.ty))
    }

    /// A string, number or bool that is not of the type's own kind (a
    /// legacy coercion or an error): [`decode`] says what it is.
    fn scalar<E: de::Error>(self, json: J) -> Result<Value, E> {
        decode(&json, self.ty, self.strictness).map_err(E::custom)
    }

    fn number<E: de::Error>(self, n: serde_json::Number) -> Result<Value, E> {
        match self.ty {
            Type::Number => Ok(Value::Number(json_number(&n))),
            _ => self.scalar(J::Number(n)),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Reader<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        match self.ty {
            // The type may follow the value, so read the whole object first.
            Type::Dynamic => {
                let json = J::deserialize(deserializer)?;
                decode(&json, self.ty, self.strictness).map_err(de::Error::custom)
            }
            _ => deserializer.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JSON for a value of type {}", self.ty)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        match self.ty {
            Type::Bool => Ok(Value::Bool(b)),
            _ => self.scalar(J::Bool(b)),
        }
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        self.number(i.into())
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        self.number(u.into())
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        match serde_json::Number::from_f64(f) {
            Some(n) => self.number(n),
            // serde_json's tree holds a non-finite number as null.
            None => Ok(Value::Null),
        }
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        self.visit_string(s.to_owned())
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        match self.ty {
            Type::String => Ok(Value::String(s)),
            _ => self.scalar(J::String(s)),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        match self.ty {
            Type::List(e) | Type::Set(e) => {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element_seed(self.of(e))? {
                    items.push(item);
                }
                Ok(if matches!(self.ty, Type::List(_)) {
                    Value::List(items)
                } else {
                    Value::Set(items)
                })
            }
            Type::Tuple(types) => {
                let mut items = Vec::with_capacity(types.len());
                for t in types {
                    match seq.next_element_seed(self.of(t))? {
                        Some(item) => items.push(item),
                        None => return Err(self.mismatch()),
                    }
                }
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(self.mismatch());
                }
                Ok(Value::Tuple(items))
            }
            _ => Err(self.mismatch()),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = BTreeMap::new();
        match self.ty {
            Type::Map(e) => {
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value_seed(self.of(e))?;
                    out.insert(key, value);
                }
                Ok(Value::Map(out))
            }
            Type::Object(attrs) => {
                while let Some(key) = map.next_key::<String>()? {
                    match attrs.get(&key) {
                        Some(t) => {
                            let value = map.next_value_seed(self.of(t))?;
                            out.insert(key, value);
                        }
                        None if self.strictness == Strictness::Lenient => {
                            // Dropped, but read as the tree decoder would
                            // (which rejects numbers out of f64's range).
                            map.next_value::<J>()?;
                        }
                        None => return Err(self.mismatch()),
                    }
                }
                if out.len() < attrs.len() {
                    if self.strictness == Strictness::Exact {
                        return Err(self.mismatch());
                    }
                    for name in attrs.keys() {
                        if !out.contains_key(name) {
                            out.insert(name.clone(), Value::Null);
                        }
                    }
                }
                Ok(Value::Object(out))
            }
            _ => Err(self.mismatch()),
        }
    }
}

/// A stored state as Terraform sends it: JSON text, read straight into a
/// value ([`RawState::decode`]) or, for code that needs to look at the
/// JSON itself, parsed into a tree on demand ([`RawState::tree`]).
pub struct RawState<'a> {
    json: &'a [u8],
    tree: OnceCell<J>,
}

impl<'a> RawState<'a> {
    pub fn new(json: &'a [u8]) -> Self {
        RawState {
            json,
            tree: OnceCell::new(),
        }
    }

    /// The JSON text.
    pub fn bytes(&self) -> &'a [u8] {
        self.json
    }

    /// The parsed JSON (parsed once).
    pub fn tree(&self) -> Result<&J, Diagnostics> {
        if let Some(tree) = self.tree.get() {
            return Ok(tree);
        }
        let tree = serde_json::from_slice(self.json).map_err(parse_error)?;
        Ok(self.tree.get_or_init(|| tree))
    }

    /// The state as a value of type `ty` (see [`decode`]).
    pub fn decode(&self, ty: &Type, strictness: Strictness) -> Result<Value, Diagnostics> {
        let decoded = match self.tree.get() {
            Some(tree) => decode(tree, ty, strictness).map_err(DecodeError::Type),
            None => decode_slice(self.json, ty, strictness),
        };
        decoded.map_err(|e| match e {
            DecodeError::Syntax(e) => parse_error(e),
            DecodeError::Type(e) => Diagnostic::error("Cannot read stored state", e).into(),
        })
    }
}

fn parse_error(e: serde_json::Error) -> Diagnostics {
    Diagnostic::error("Cannot parse stored state", e.to_string()).into()
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
    use proptest::prelude::*;
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

    /// What parsing `text` and decoding the tree gives, as `decode_slice`
    /// words it.
    fn via_tree(text: &[u8], ty: &Type, strictness: Strictness) -> Result<Value, String> {
        let tree: J = serde_json::from_slice(text).map_err(|e| format!("syntax: {e}"))?;
        decode(&tree, ty, strictness).map_err(|e| format!("type: {e}"))
    }

    fn via_slice(text: &[u8], ty: &Type, strictness: Strictness) -> Result<Value, String> {
        decode_slice(text, ty, strictness).map_err(|e| match e {
            DecodeError::Syntax(e) => format!("syntax: {e}"),
            DecodeError::Type(e) => format!("type: {e}"),
        })
    }

    /// The reader alone, without the tree decoder behind it.
    fn direct(text: &str, ty: &Type, strictness: Strictness) -> Option<Value> {
        let mut de = serde_json::Deserializer::from_str(text);
        let value = Reader { ty, strictness }.deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(value)
    }

    /// Asserts both decoders agree on `text` in both modes; returns the
    /// lenient result.
    fn agree(text: &str, ty: &Type) -> Result<Value, String> {
        let exact = via_slice(text.as_bytes(), ty, Strictness::Exact);
        assert_eq!(
            exact,
            via_tree(text.as_bytes(), ty, Strictness::Exact),
            "exact, {ty}: {text}"
        );
        let lenient = via_slice(text.as_bytes(), ty, Strictness::Lenient);
        assert_eq!(
            lenient,
            via_tree(text.as_bytes(), ty, Strictness::Lenient),
            "lenient, {ty}: {text}"
        );
        lenient
    }

    fn service_type() -> Type {
        Type::object([
            ("arn", Type::String),
            ("port", Type::Number),
            ("cpu", Type::Number),
            ("enabled", Type::Bool),
            ("tags", Type::map(Type::String)),
            ("subnets", Type::set(Type::String)),
            ("pair", Type::Tuple(vec![Type::String, Type::Number])),
            ("d", Type::Dynamic),
            (
                "source",
                Type::list(Type::object([
                    ("image", Type::String),
                    ("env", Type::map(Type::String)),
                ])),
            ),
        ])
    }

    #[test]
    fn reads_a_state_without_the_tree() {
        let ty = service_type();
        let text = r#"{"arn":"arn:aws:apprunner:eu-west-1:1:service/a\n\u00e9","port":8080,
            "cpu":-1.5e3,"enabled":true,"tags":{"b":"2","a":"1"},"subnets":["s2","s1","s2"],
            "pair":["x",18446744073709551615],"d":{"value":["a"],"type":["list","string"]},
            "source":[{"image":"nginx","env":{}},{"image":null,"env":null}]}"#;
        let value = agree(text, &ty).unwrap();
        assert_eq!(direct(text, &ty, Strictness::Exact), Some(value.clone()));
        assert_eq!(value.attr("cpu"), &Value::Number(Number::Float(-1500.0)));
        assert_eq!(
            value.attr("pair"),
            &Value::Tuple(vec![
                Value::from("x"),
                Value::Number(Number::UInt(u64::MAX))
            ])
        );
        assert_eq!(
            value.attr("d"),
            &Value::Dynamic(Box::new((
                Type::list(Type::String),
                Value::List(vec![Value::from("a")])
            )))
        );
        assert_eq!(agree("null", &ty), Ok(Value::Null));
    }

    #[test]
    fn reads_legacy_forms_like_the_tree_decoder() {
        let ty = Type::object([
            ("s", Type::String),
            ("t", Type::String),
            ("b", Type::Bool),
            ("n", Type::Number),
            ("m", Type::Number),
        ]);
        let text = r#"{"s": 12.50, "t": false, "b": "true", "n": " 42 ", "m": "1.10"}"#;
        let value = agree(text, &ty).unwrap();
        assert_eq!(direct(text, &ty, Strictness::Lenient), Some(value.clone()));
        assert_eq!(value.attr("s"), &Value::from("12.5"));
        assert_eq!(value.attr("t"), &Value::from("false"));
        assert_eq!(value.attr("b"), &Value::Bool(true));
        assert_eq!(value.attr("n"), &Value::Number(Number::Int(42)));
        // Only lenient reading turns numbers and bools into strings.
        assert!(via_slice(text.as_bytes(), &ty, Strictness::Exact).is_err());
    }

    #[test]
    fn lenient_fills_missing_and_drops_unknown_attributes() {
        let ty = Type::object([("a", Type::String), ("z", Type::list(Type::Bool))]);
        let text = r#"{"old": {"x": [1, 2.5e300]}, "a": "v"}"#;
        let value = agree(text, &ty).unwrap();
        assert_eq!(direct(text, &ty, Strictness::Lenient), Some(value.clone()));
        assert_eq!(value.attr("z"), &Value::Null);
        assert_eq!(
            via_slice(text.as_bytes(), &ty, Strictness::Exact),
            Err(r#"type: unsupported attribute "old""#.into())
        );
        assert_eq!(
            via_slice(br#"{"a": "v"}"#, &ty, Strictness::Exact),
            Err(r#"type: missing attribute "z""#.into())
        );
    }

    #[test]
    fn errors_read_as_before() {
        let ty = service_type();
        let cases = [
            (r#"{"arn": ["x"]}"#, r#"arn: expected a string, got ["x"]"#),
            (
                r#"{"enabled": "yes"}"#,
                r#"enabled: expected a bool, got "yes""#,
            ),
            (
                r#"{"port": {"n": 1}}"#,
                r#"port: expected a number, got {"n":1}"#,
            ),
            (r#"{"port": "eighty"}"#, r#"port: "eighty" is not a number"#),
            (
                r#"{"tags": ["a"]}"#,
                "tags: expected an object for map(string)",
            ),
            (
                r#"{"tags": {"k": 1, "j": [true]}}"#,
                r#"tags: ["j"]: expected a string, got [true]"#,
            ),
            (
                r#"{"subnets": "s"}"#,
                "subnets: expected an array for set(string)",
            ),
            (r#"{"pair": ["x"]}"#, "pair: tuple needs 2 elements, got 1"),
            (
                r#"{"pair": ["x", 1, 2]}"#,
                "pair: tuple needs 2 elements, got 3",
            ),
            (
                r#"{"pair": [[], 1, 2]}"#,
                "pair: tuple needs 2 elements, got 3",
            ),
            (
                r#"{"d": "x"}"#,
                r#"d: a dynamic value needs {"value", "type"}"#,
            ),
            (r#"{"d": {"value": 1}}"#, "d: a dynamic value needs a type"),
            (
                r#"{"source": [{"image": 1}, {"env": 2}]}"#,
                "source: env: expected an object for map(string)",
            ),
            ("[]", "expected an object"),
        ];
        for (text, message) in cases {
            let got = agree(text, &ty);
            assert_eq!(got, Err(format!("type: {message}")), "{text}");
        }
    }

    #[test]
    fn bad_json_reads_as_before() {
        let ty = service_type();
        let deep = format!("{{\"d\": {}{}}}", "[".repeat(200), "]".repeat(200));
        for text in [
            "",
            r#"{"arn": "x""#,
            r#"{"arn": "x"} {}"#,
            r#"{"arn": 1e400}"#,
            r#"{"unknown": 1e400}"#,
            r#"{"arn": [1, ], "port": 1}"#,
            r#"{"arn": "\ud800"}"#,
            r#"{"arn": 5, "port": tru}"#,
            &deep,
        ] {
            let got = agree(text, &ty);
            assert!(
                got.as_ref().is_err_and(|e| e.starts_with("syntax: ")),
                "{text}: {got:?}"
            );
        }
        // Invalid UTF-8 in a string.
        let bytes = b"{\"arn\": \"\xff\"}";
        let got = via_slice(bytes, &ty, Strictness::Lenient);
        assert_eq!(got, via_tree(bytes, &ty, Strictness::Lenient));
        assert!(got.is_err());
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        let ty = Type::object([("a", Type::String), ("m", Type::map(Type::Number))]);
        let text = r#"{"a": "1", "a": "2", "m": {"k": 1, "k": 2}}"#;
        let value = agree(text, &ty).unwrap();
        assert_eq!(direct(text, &ty, Strictness::Exact), Some(value.clone()));
        assert_eq!(value.attr("a"), &Value::from("2"));
        // A bad value replaced by a good one is no error, and the reverse is.
        assert!(agree(r#"{"a": [], "a": "2"}"#, &ty).is_ok());
        assert!(agree(r#"{"a": "1", "a": []}"#, &ty).is_err());
        assert!(agree(r#"{"m": {"k": [], "k": 1}}"#, &ty).is_ok());
    }

    #[test]
    fn raw_state_reads_text_or_tree() {
        let ty = Type::object([("a", Type::String)]);
        let raw = RawState::new(br#"{"a": "x", "old": 1}"#);
        let value = raw.decode(&ty, Strictness::Lenient).unwrap();
        assert_eq!(value.attr("a"), &Value::from("x"));
        assert_eq!(raw.tree().unwrap()["old"], json!(1));
        // Once parsed, the tree is used.
        assert_eq!(raw.decode(&ty, Strictness::Lenient).unwrap(), value);
        let summary = |d: Diagnostics| d.iter().next().unwrap().summary.clone();
        let err = raw.decode(&ty, Strictness::Exact).unwrap_err();
        assert_eq!(summary(err), "Cannot read stored state");
        let bad = RawState::new(b"{");
        assert_eq!(
            summary(bad.tree().unwrap_err()),
            "Cannot parse stored state"
        );
        let err = bad.decode(&ty, Strictness::Lenient).unwrap_err();
        assert_eq!(summary(err), "Cannot parse stored state");
        assert_eq!(bad.bytes(), b"{");
    }

    fn arb_type() -> impl Strategy<Value = Type> {
        let leaf = prop_oneof![
            Just(Type::String),
            Just(Type::Number),
            Just(Type::Bool),
            Just(Type::Dynamic)
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(Type::list),
                inner.clone().prop_map(Type::set),
                inner.clone().prop_map(Type::map),
                prop::collection::btree_map("[a-d]", inner.clone(), 0..4).prop_map(Type::Object),
                prop::collection::vec(inner, 0..3).prop_map(Type::Tuple),
            ]
        })
    }

    /// JSON documents of any shape, with keys that often name attributes
    /// (or a dynamic value's parts) and scalars that legacy rules coerce.
    fn arb_json() -> impl Strategy<Value = J> {
        let leaf = prop_oneof![
            Just(J::Null),
            any::<bool>().prop_map(J::from),
            any::<i64>().prop_map(J::from),
            any::<u64>().prop_map(J::from),
            any::<f64>().prop_map(J::from),
            prop_oneof![
                Just("true"),
                Just("false"),
                Just("string"),
                Just(" 7 "),
                Just("1.10"),
                Just("123456789012345678901234567890"),
                Just("x"),
            ]
            .prop_map(J::from),
            ".{0,6}".prop_map(J::from),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(J::Array),
                prop::collection::vec(("[a-d]|type|value", inner), 0..5)
                    .prop_map(|entries| J::Object(entries.into_iter().collect())),
            ]
        })
    }

    /// A document that fits `ty` (as `encode` writes a value of `ty`) or,
    /// when `noisy`, mostly fits: some parts are replaced by arbitrary JSON
    /// and some attributes left out.
    fn arb_fitting(ty: &Type, noisy: bool) -> BoxedStrategy<J> {
        let fitting = match ty {
            Type::String => ".{0,6}".prop_map(J::from).boxed(),
            Type::Number => prop_oneof![
                any::<i64>().prop_map(J::from),
                any::<u64>().prop_map(J::from),
                any::<f64>().prop_map(J::from),
            ]
            .boxed(),
            Type::Bool => any::<bool>().prop_map(J::from).boxed(),
            Type::Dynamic => arb_type()
                .prop_filter("concrete", |t| *t != Type::Dynamic)
                .prop_flat_map(move |t| {
                    let type_json = t.to_json();
                    (arb_fitting(&t, noisy), any::<bool>()).prop_map(move |(v, value_first)| {
                        let mut m = serde_json::Map::new();
                        if value_first {
                            m.insert("value".into(), v);
                            m.insert("type".into(), type_json.clone());
                        } else {
                            m.insert("type".into(), type_json.clone());
                            m.insert("value".into(), v);
                        }
                        J::Object(m)
                    })
                })
                .boxed(),
            Type::List(e) | Type::Set(e) => prop::collection::vec(arb_fitting(e, noisy), 0..4)
                .prop_map(J::Array)
                .boxed(),
            Type::Tuple(types) => types
                .iter()
                .map(|t| arb_fitting(t, noisy))
                .collect::<Vec<_>>()
                .prop_map(J::Array)
                .boxed(),
            Type::Map(e) => prop::collection::vec(("[a-d]", arb_fitting(e, noisy)), 0..4)
                .prop_map(|entries| J::Object(entries.into_iter().collect()))
                .boxed(),
            Type::Object(attrs) => {
                let names: Vec<String> = attrs.keys().cloned().collect();
                attrs
                    .values()
                    .map(|t| match noisy {
                        true => proptest::option::weighted(0.9, arb_fitting(t, noisy)).boxed(),
                        false => arb_fitting(t, noisy).prop_map(Some).boxed(),
                    })
                    .collect::<Vec<_>>()
                    .prop_map(move |values| {
                        J::Object(
                            names
                                .iter()
                                .zip(values)
                                .filter_map(|(n, v)| Some((n.clone(), v?)))
                                .collect(),
                        )
                    })
                    .boxed()
            }
        };
        match noisy {
            true => prop_oneof![1 => Just(J::Null), 1 => arb_json(), 12 => fitting].boxed(),
            false => prop_oneof![1 => Just(J::Null), 12 => fitting].boxed(),
        }
    }

    fn assert_agree(text: &[u8], ty: &Type) -> Result<(), TestCaseError> {
        for strictness in [Strictness::Exact, Strictness::Lenient] {
            let tree = via_tree(text, ty, strictness);
            let slice = via_slice(text, ty, strictness);
            prop_assert_eq!(slice, tree, "{:?}, {}", strictness, ty);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn direct_reading_agrees_on_any_document(doc in arb_json(), ty in arb_type()) {
            let text = serde_json::to_vec(&doc).unwrap();
            assert_agree(&text, &ty)?;
        }

        #[test]
        fn direct_reading_agrees_on_documents_that_mostly_fit(
            (ty, doc) in arb_type().prop_flat_map(|t| (Just(t.clone()), arb_fitting(&t, true)))
        ) {
            let text = serde_json::to_vec_pretty(&doc).unwrap();
            assert_agree(&text, &ty)?;
        }

        /// What fits is read without falling back to the tree.
        #[test]
        fn direct_reading_needs_no_tree_for_what_fits(
            (ty, doc) in arb_type().prop_flat_map(|t| (Just(t.clone()), arb_fitting(&t, false)))
        ) {
            let text = serde_json::to_string(&doc).unwrap();
            for strictness in [Strictness::Exact, Strictness::Lenient] {
                let tree = via_tree(text.as_bytes(), &ty, strictness);
                prop_assert_eq!(direct(&text, &ty, strictness).ok_or(String::new()), tree);
            }
        }

        #[test]
        fn direct_reading_agrees_on_cut_documents(
            (ty, doc, cut) in arb_type().prop_flat_map(|t| (Just(t.clone()), arb_fitting(&t, true), any::<prop::sample::Index>()))
        ) {
            let text = serde_json::to_vec(&doc).unwrap();
            assert_agree(&text[..cut.index(text.len() + 1)], &ty)?;
        }
    }
}
