//! Terraform's value model: types and values with explicit null and unknown.
//!
//! Terraform's type system (cty) is small: three primitives, three
//! collections, objects, tuples and the `dynamic` placeholder. A [`Value`]
//! carries no type of its own; the schema supplies it when values are
//! encoded or decoded (see [`super::msgpack`] and [`super::json`]).

use std::collections::BTreeMap;
use std::fmt;

/// A Terraform (cty) type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    String,
    Number,
    Bool,
    /// Any type, decided by the value (`dynamic` in cty's JSON form).
    Dynamic,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
    Tuple(Vec<Type>),
}

impl Type {
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    pub fn object<K: Into<String>>(attributes: impl IntoIterator<Item = (K, Type)>) -> Type {
        Type::Object(attributes.into_iter().map(|(k, t)| (k.into(), t)).collect())
    }

    /// The type in cty's JSON notation, as the protocol carries it.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{Value as J, json};
        match self {
            Type::String => J::from("string"),
            Type::Number => J::from("number"),
            Type::Bool => J::from("bool"),
            Type::Dynamic => J::from("dynamic"),
            Type::List(e) => json!(["list", e.to_json()]),
            Type::Set(e) => json!(["set", e.to_json()]),
            Type::Map(e) => json!(["map", e.to_json()]),
            Type::Object(attrs) => {
                let attrs: serde_json::Map<String, J> = attrs
                    .iter()
                    .map(|(k, t)| (k.clone(), t.to_json()))
                    .collect();
                json!(["object", attrs])
            }
            Type::Tuple(elems) => {
                json!(["tuple", elems.iter().map(Type::to_json).collect::<Vec<_>>()])
            }
        }
    }

    /// The type as compact JSON bytes (the `type` field of a schema attribute).
    pub fn to_json_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.to_json()).expect("type JSON always serialises")
    }

    /// Parses cty's JSON notation. Optional-attribute markers on object types
    /// are accepted and ignored.
    pub fn from_json(json: &serde_json::Value) -> Result<Type, String> {
        use serde_json::Value as J;
        match json {
            J::String(s) => match s.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(format!("unknown primitive type {other:?}")),
            },
            J::Array(parts) => {
                let kind = parts
                    .first()
                    .and_then(J::as_str)
                    .ok_or("type array without a kind")?;
                let arg = parts
                    .get(1)
                    .ok_or_else(|| format!("{kind} type without an argument"))?;
                match kind {
                    "list" => Ok(Type::list(Type::from_json(arg)?)),
                    "set" => Ok(Type::set(Type::from_json(arg)?)),
                    "map" => Ok(Type::map(Type::from_json(arg)?)),
                    "object" => {
                        let attrs = arg
                            .as_object()
                            .ok_or("object type needs a map of attributes")?;
                        let mut out = BTreeMap::new();
                        for (k, v) in attrs {
                            out.insert(k.clone(), Type::from_json(v)?);
                        }
                        Ok(Type::Object(out))
                    }
                    "tuple" => {
                        let elems = arg.as_array().ok_or("tuple type needs a list of types")?;
                        Ok(Type::Tuple(
                            elems
                                .iter()
                                .map(Type::from_json)
                                .collect::<Result<_, _>>()?,
                        ))
                    }
                    other => Err(format!("unknown type kind {other:?}")),
                }
            }
            other => Err(format!("not a type: {other}")),
        }
    }

    /// The attribute types of an object type.
    pub fn attributes(&self) -> Option<&BTreeMap<String, Type>> {
        match self {
            Type::Object(attrs) => Some(attrs),
            _ => None,
        }
    }

    /// The element type of a list, set or map type.
    pub fn element(&self) -> Option<&Type> {
        match self {
            Type::List(e) | Type::Set(e) | Type::Map(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::Dynamic => f.write_str("dynamic"),
            Type::List(e) => write!(f, "list({e})"),
            Type::Set(e) => write!(f, "set({e})"),
            Type::Map(e) => write!(f, "map({e})"),
            Type::Object(attrs) => {
                f.write_str("object({")?;
                for (i, (k, t)) in attrs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}={t}")?;
                }
                f.write_str("})")
            }
            Type::Tuple(elems) => {
                f.write_str("tuple([")?;
                for (i, t) in elems.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str("])")
            }
        }
    }
}

/// A number as Terraform sends it: integer, float, or (for values that fit
/// neither exactly) a decimal string.
#[derive(Clone, Debug)]
pub enum Number {
    Int(i64),
    UInt(u64),
    Float(f64),
    Decimal(String),
}

impl Number {
    /// The value as an `i64`, when it is a whole number in range.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Number::Int(i) => Some(i),
            Number::UInt(u) => i64::try_from(u).ok(),
            Number::Float(f) if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 => {
                Some(f as i64)
            }
            Number::Float(_) => None,
            Number::Decimal(ref s) => s.parse().ok(),
        }
    }

    /// The value as an `f64` (possibly rounded).
    pub fn as_f64(&self) -> f64 {
        match *self {
            Number::Int(i) => i as f64,
            Number::UInt(u) => u as f64,
            Number::Float(f) => f,
            Number::Decimal(ref s) => s.parse().unwrap_or(f64::NAN),
        }
    }

    /// A canonical form, so that `1`, `1.0` and `"1"` compare equal.
    fn canonical(&self) -> Number {
        match self {
            Number::UInt(u) => i64::try_from(*u)
                .map(Number::Int)
                .unwrap_or(Number::UInt(*u)),
            Number::Float(f) => match Number::Float(*f).as_i64() {
                Some(i) => Number::Int(i),
                None => Number::Float(*f),
            },
            Number::Decimal(s) => {
                if let Ok(i) = s.parse::<i64>() {
                    Number::Int(i)
                } else if let Ok(u) = s.parse::<u64>() {
                    Number::UInt(u)
                } else {
                    Number::Decimal(normalise_decimal(s))
                }
            }
            other => other.clone(),
        }
    }
}

/// Trims insignificant zeros of a decimal string ("1.500" → "1.5").
fn normalise_decimal(s: &str) -> String {
    let s = s.trim();
    if s.contains('.') && !s.contains(['e', 'E']) {
        let t = s.trim_end_matches('0').trim_end_matches('.');
        t.to_string()
    } else {
        s.to_string()
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (self.canonical(), other.canonical()) {
            (Number::Int(a), Number::Int(b)) => a == b,
            (Number::UInt(a), Number::UInt(b)) => a == b,
            (Number::Float(a), Number::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Number::Decimal(a), Number::Decimal(b)) => a == b,
            _ => false,
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::UInt(u) => write!(f, "{u}"),
            Number::Float(x) => write!(f, "{x}"),
            Number::Decimal(s) => f.write_str(s),
        }
    }
}

/// What Terraform knows about a value it does not know yet (cty "refinements").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Refinements {
    /// The value will not be null.
    pub not_null: bool,
    /// A string value will start with this prefix.
    pub string_prefix: Option<String>,
    /// Lower bound of a number, and whether it is inclusive.
    pub number_lower: Option<(Number, bool)>,
    /// Upper bound of a number, and whether it is inclusive.
    pub number_upper: Option<(Number, bool)>,
    /// Minimum length of a collection (inclusive).
    pub length_lower: Option<u64>,
    /// Maximum length of a collection (inclusive).
    pub length_upper: Option<u64>,
}

impl Refinements {
    pub fn is_empty(&self) -> bool {
        *self == Refinements::default()
    }
}

/// A Terraform value. Collections and objects hold values; the type that
/// gives them meaning comes from the schema.
#[derive(Clone, Debug)]
pub enum Value {
    Null,
    /// Not known until apply, possibly with refinements (boxed: they are
    /// rare, and inline they would make every value four times larger).
    Unknown(Box<Refinements>),
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    /// Element order carries no meaning.
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
    /// A value of a `dynamic` attribute, with the concrete type it was sent with.
    Dynamic(Box<(Type, Value)>),
}

impl PartialEq for Value {
    /// Equality as Terraform compares planned and applied values: sets
    /// ignore order and refinements of unknowns are ignored.
    fn eq(&self, other: &Self) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Unknown(_), Unknown(_)) => true,
            (Bool(a), Bool(b)) => a == b,
            (Number(a), Number(b)) => a == b,
            (String(a), String(b)) => a == b,
            (List(a), List(b)) | (Tuple(a), Tuple(b)) => a == b,
            (Set(a), Set(b)) => {
                a.len() == b.len()
                    && a.iter().all(|x| b.contains(x))
                    && b.iter().all(|y| a.contains(y))
            }
            (Map(a), Map(b)) | (Object(a), Object(b)) => a == b,
            (Dynamic(a), Dynamic(b)) => a == b,
            (Dynamic(a), v) | (v, Dynamic(a)) => &a.1 == v,
            _ => false,
        }
    }
}

impl Value {
    pub fn unknown() -> Value {
        Value::Unknown(Box::default())
    }

    /// The value itself, inside any `dynamic` wrappers (which carry the
    /// value's type beside it); the accessors below all look through them.
    pub fn content(&self) -> &Value {
        let mut value = self;
        while let Value::Dynamic(d) = value {
            value = &d.1;
        }
        value
    }

    pub fn is_null(&self) -> bool {
        matches!(self.content(), Value::Null)
    }

    /// True for an unknown value (not looking inside collections).
    pub fn is_unknown(&self) -> bool {
        matches!(self.content(), Value::Unknown(_))
    }

    /// True when neither this value nor anything inside it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => {
                v.iter().all(Value::is_wholly_known)
            }
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_wholly_known),
            Value::Dynamic(d) => d.1.is_wholly_known(),
            _ => true,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self.content() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.content() {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self.content() {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// Elements of a list, set or tuple.
    pub fn as_elements(&self) -> Option<&[Value]> {
        match self.content() {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_elements_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => Some(v),
            _ => None,
        }
    }

    /// Entries of a map or object.
    pub fn as_entries(&self) -> Option<&BTreeMap<String, Value>> {
        match self.content() {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_entries_mut(&mut self) -> Option<&mut BTreeMap<String, Value>> {
        match self {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// An attribute of an object value; `Null` when absent or not an object.
    pub fn attr(&self, name: &str) -> &Value {
        static NULL: Value = Value::Null;
        match self.content() {
            Value::Object(m) => m.get(name).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// Sets an attribute of an object value (no effect on other values).
    pub fn set_attr(&mut self, name: &str, value: Value) {
        if let Value::Object(m) = self {
            // Replacing in place keeps the key: no new `String` for it.
            match m.get_mut(name) {
                Some(slot) => *slot = value,
                None => {
                    m.insert(name.to_string(), value);
                }
            }
        }
    }

    /// A mutable attribute of an object value.
    pub fn attr_mut(&mut self, name: &str) -> Option<&mut Value> {
        match self {
            Value::Object(m) => m.get_mut(name),
            _ => None,
        }
    }

    /// A string-keyed map of strings (e.g. `tags`), skipping null entries.
    pub fn as_string_map(&self) -> Option<BTreeMap<String, String>> {
        let entries = self.as_entries()?;
        Some(
            entries
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect(),
        )
    }

    /// A map of strings as a value.
    pub fn string_map<K: Into<String>, V: Into<String>>(
        entries: impl IntoIterator<Item = (K, V)>,
    ) -> Value {
        Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.into(), Value::String(v.into())))
                .collect(),
        )
    }

    /// Converts this value to `ty` where Terraform would do so safely: fills
    /// absent object attributes with null, turns lists into sets or tuples
    /// and objects into maps as the type asks. Used for values built in Rust.
    pub fn conform(self, ty: &Type) -> Result<Value, String> {
        if matches!(self, Value::Null | Value::Unknown(_)) {
            return Ok(self);
        }
        match (ty, self) {
            (Type::Dynamic, v) => Ok(v),
            (Type::String, Value::String(s)) => Ok(Value::String(s)),
            (Type::String, Value::Number(n)) => Ok(Value::String(n.to_string())),
            (Type::String, Value::Bool(b)) => Ok(Value::String(b.to_string())),
            (Type::Number, Value::Number(n)) => Ok(Value::Number(n)),
            (Type::Number, Value::String(s)) => parse_number(&s)
                .map(Value::Number)
                .ok_or_else(|| format!("{s:?} is not a number")),
            (Type::Bool, Value::Bool(b)) => Ok(Value::Bool(b)),
            (Type::Bool, Value::String(s)) => match s.as_str() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(format!("{s:?} is not a bool")),
            },
            (Type::List(e), Value::List(v) | Value::Set(v) | Value::Tuple(v)) => Ok(Value::List(
                v.into_iter()
                    .map(|x| x.conform(e))
                    .collect::<Result<_, _>>()?,
            )),
            (Type::Set(e), Value::List(v) | Value::Set(v) | Value::Tuple(v)) => {
                let mut out: Vec<Value> = Vec::with_capacity(v.len());
                for x in v {
                    let x = x.conform(e)?;
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
                Ok(Value::Set(out))
            }
            (Type::Tuple(ts), Value::List(v) | Value::Set(v) | Value::Tuple(v)) => {
                check_tuple_len(ts, v.len())?;
                Ok(Value::Tuple(
                    v.into_iter()
                        .zip(ts)
                        .map(|(x, t)| x.conform(t))
                        .collect::<Result<_, _>>()?,
                ))
            }
            (Type::Map(e), Value::Map(m) | Value::Object(m)) => Ok(Value::Map(
                m.into_iter()
                    .map(|(k, x)| x.conform(e).map(|x| (k, x)))
                    .collect::<Result<_, _>>()?,
            )),
            (Type::Object(attrs), Value::Map(mut m) | Value::Object(mut m)) => {
                let mut out = BTreeMap::new();
                for (name, t) in attrs {
                    let v = m.remove(name).unwrap_or(Value::Null);
                    let v = v.conform(t).map_err(|e| format!("{name}: {e}"))?;
                    out.insert(name.clone(), v);
                }
                if let Some(extra) = m.keys().next() {
                    return Err(format!("unsupported attribute {extra:?}"));
                }
                Ok(Value::Object(out))
            }
            (t, Value::Dynamic(d)) => d.1.conform(t),
            (t, v) => Err(format!("cannot use {} as {t}", v.kind())),
        }
    }

    /// A short name of the value's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Unknown(_) => "unknown value",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Map(_) => "map",
            Value::Object(_) => "object",
            Value::Tuple(_) => "tuple",
            Value::Dynamic(_) => "dynamic value",
        }
    }

    /// The type this value most plausibly has, for encoding `dynamic` values
    /// built in Rust. Empty collections are taken as collections of strings.
    pub fn infer_type(&self) -> Type {
        match self {
            Value::Null | Value::Unknown(_) => Type::Dynamic,
            Value::Bool(_) => Type::Bool,
            Value::Number(_) => Type::Number,
            Value::String(_) => Type::String,
            Value::List(v) => Type::list(v.first().map_or(Type::String, Value::infer_type)),
            Value::Set(v) => Type::set(v.first().map_or(Type::String, Value::infer_type)),
            Value::Map(m) => Type::map(m.values().next().map_or(Type::String, Value::infer_type)),
            Value::Object(m) => {
                Type::Object(m.iter().map(|(k, v)| (k.clone(), v.infer_type())).collect())
            }
            Value::Tuple(v) => Type::Tuple(v.iter().map(Value::infer_type).collect()),
            Value::Dynamic(d) => d.0.clone(),
        }
    }
}

/// Checks that a tuple of `types` gets exactly one element for each.
pub fn check_tuple_len(types: &[Type], elements: usize) -> Result<(), String> {
    if types.len() != elements {
        return Err(format!(
            "tuple needs {} elements, got {elements}",
            types.len()
        ));
    }
    Ok(())
}

/// Parses a decimal number the way Terraform writes them.
pub fn parse_number(s: &str) -> Option<Number> {
    let s = s.trim();
    if let Ok(i) = s.parse::<i64>() {
        return Some(Number::Int(i));
    }
    if let Ok(u) = s.parse::<u64>() {
        return Some(Number::UInt(u));
    }
    let f: f64 = s.parse().ok()?;
    if !f.is_finite() {
        return None;
    }
    // Keep the exact text when a float would round it.
    if format!("{f}") == s || Number::Float(f).as_i64().is_some() {
        Some(Number::Float(f))
    } else {
        Some(Number::Decimal(s.to_string()))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Number(Number::Int(i))
    }
}

impl From<i32> for Value {
    fn from(i: i32) -> Value {
        Value::Number(Number::Int(i as i64))
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Number(Number::Float(f))
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_json_round_trips() {
        let t = Type::object([
            ("a", Type::list(Type::String)),
            ("b", Type::map(Type::Number)),
            ("c", Type::Tuple(vec![Type::Bool, Type::Dynamic])),
            ("d", Type::set(Type::object([("x", Type::String)]))),
        ]);
        let json = t.to_json();
        assert_eq!(Type::from_json(&json).unwrap(), t);
        assert_eq!(
            String::from_utf8(Type::list(Type::String).to_json_bytes()).unwrap(),
            r#"["list","string"]"#
        );
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(Number::Int(1), Number::Float(1.0));
        assert_eq!(
            Number::Decimal("1.50".into()),
            Number::Decimal("1.5".into())
        );
        assert_eq!(Number::UInt(5), Number::Int(5));
        assert_ne!(Number::Int(1), Number::Float(1.5));
    }

    #[test]
    fn sets_compare_without_order() {
        let a = Value::Set(vec!["x".into(), "y".into()]);
        let b = Value::Set(vec!["y".into(), "x".into()]);
        assert_eq!(a, b);
    }

    #[test]
    fn conform_fills_missing_attributes() {
        let ty = Type::object([("a", Type::String), ("b", Type::set(Type::String))]);
        let v =
            Value::Object([("b".to_string(), Value::List(vec!["x".into(), "x".into()]))].into());
        let v = v.conform(&ty).unwrap();
        assert_eq!(v.attr("a"), &Value::Null);
        assert_eq!(v.attr("b"), &Value::Set(vec!["x".into()]));
    }
}
