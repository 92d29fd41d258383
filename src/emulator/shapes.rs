//! The API model's input rules (App Runner 2020-05-15) and a validator that
//! checks a request body against them the way the service does: every
//! violation is collected into one `InvalidRequestException` whose message
//! follows AWS's "N validation errors detected: …" form.
//!
//! The rules are data, `shapes.json`, written by hand in the published
//! model's own vocabulary (`operations` → input shape; `shapes` → `type`,
//! `members`, `required`, `min`, `max`, `pattern`, `enum`, `sensitive`), with
//! its shape names, so that `tests/emulator_model.rs` can compare them with
//! botocore's `service-2.json`, member by member.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::errors::ApiError;

/// Every shape reachable from an operation's input, and each operation's
/// input shape.
const RULES: &str = include_str!("shapes.json");

/// `regex` has no look-ahead; [`matches_pattern`] checks this one by hand.
const TAG_KEY: &str = "^(?!aws:).+";

#[derive(Deserialize)]
struct Rules {
    operations: HashMap<String, Operation>,
    shapes: HashMap<String, Shape>,
}

#[derive(Deserialize)]
struct Operation {
    input: Target,
}

/// A reference to a shape by name.
#[derive(Debug, Deserialize)]
struct Target {
    shape: String,
}

/// One shape of the model, as far as input validation needs it.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Shape {
    Structure {
        #[serde(deserialize_with = "in_order")]
        members: Vec<(String, Target)>,
        #[serde(default)]
        required: Vec<String>,
    },
    String {
        min: Option<u64>,
        max: Option<u64>,
        pattern: Option<String>,
        #[serde(default)]
        sensitive: bool,
        #[serde(rename = "enum")]
        values: Option<Vec<String>>,
    },
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Boolean,
    List {
        member: Target,
    },
    Map {
        key: Target,
        value: Target,
    },
}

/// A structure's members in the model's order, which is the order the
/// service reports their violations in.
fn in_order<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Target)>, D::Error> {
    let members = Map::<String, Value>::deserialize(d)?;
    members
        .into_iter()
        .map(|(name, target)| Ok((name, Target::deserialize(target).map_err(D::Error::custom)?)))
        .collect()
}

fn rules() -> &'static Rules {
    static RULES_READ: OnceLock<Rules> = OnceLock::new();
    RULES_READ.get_or_init(|| serde_json::from_str(RULES).expect("shapes.json holds the rules"))
}

fn shape(name: &str) -> &'static Shape {
    &rules().shapes[name]
}

/// The input shape name of an operation, or `None` for an unknown operation.
pub(crate) fn input_shape(operation: &str) -> Option<&'static str> {
    let op = rules().operations.get(operation)?;
    Some(op.input.shape.as_str())
}

/// Full-string match, as the service applies model patterns.
fn matches_pattern(pattern: &'static str, value: &str) -> bool {
    if pattern == TAG_KEY {
        return !value.is_empty() && !value.starts_with("aws:");
    }
    static CACHE: OnceLock<std::sync::Mutex<HashMap<&'static str, Regex>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap();
    let re = cache.entry(pattern).or_insert_with(|| {
        Regex::new(&format!("^(?:{})$", ascii_classes(pattern))).expect("model pattern compiles")
    });
    re.is_match(value)
}

/// The model's patterns are Java regexes, where `\w` and `\d` are ASCII
/// only; spelling them out keeps that meaning (and keeps `(\w|…){1,1011}`
/// small enough to compile).
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('w') if in_class => out.push_str("0-9A-Za-z_"),
                Some('w') => out.push_str("[0-9A-Za-z_]"),
                Some('d') if in_class => out.push_str("0-9"),
                Some('d') => out.push_str("[0-9]"),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Validates a request body against an operation's input shape.
pub(crate) fn validate(operation: &str, body: &Value) -> Result<(), ApiError> {
    let Some(shape_name) = input_shape(operation) else {
        return Err(ApiError::unknown_operation(operation));
    };
    let mut errors = Vec::new();
    check(shape_name, body, "", &mut errors)?;
    if errors.is_empty() {
        return Ok(());
    }
    let n = errors.len();
    let noun = if n == 1 { "error" } else { "errors" };
    Err(ApiError::invalid_request(format!(
        "{n} validation {noun} detected: {}",
        errors.join("; ")
    )))
}

fn camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn join(path: &str, part: &str) -> String {
    if path.is_empty() {
        part.to_string()
    } else {
        format!("{path}.{part}")
    }
}

/// Pushes the violations of a `min` and a `max` bound by `n`, which is a
/// string's length or a number's value (`measure`).
fn check_bounds<N: PartialOrd + Copy + std::fmt::Display>(
    n: N,
    (min, max): (Option<N>, Option<N>),
    measure: &str,
    shown: &str,
    at: &str,
    errors: &mut Vec<String>,
) {
    let violation = |bound: &str| {
        format!(
            "{shown} at '{at}' failed to satisfy constraint: Member must have {measure} {bound}"
        )
    };
    if let Some(min) = min.filter(|m| n < *m) {
        errors.push(violation(&format!("greater than or equal to {min}")));
    }
    if let Some(max) = max.filter(|m| n > *m) {
        errors.push(violation(&format!("less than or equal to {max}")));
    }
}

/// Walks `value` against `shape_name`, pushing constraint violations to
/// `errors`. A value of the wrong JSON type is a `SerializationException`,
/// as the service fails to deserialise it before validating anything.
fn check(
    shape_name: &str,
    value: &Value,
    path: &str,
    errors: &mut Vec<String>,
) -> Result<(), ApiError> {
    let at = if path.is_empty() {
        "request".to_string()
    } else {
        path.to_string()
    };
    match shape(shape_name) {
        Shape::Structure { members, required } => {
            let Value::Object(map) = value else {
                return Err(ApiError::serialization(format!(
                    "Expected a structure at '{at}'"
                )));
            };
            for (name, target) in members {
                let member_path = join(path, &camel(name));
                match map.get(name) {
                    None | Some(Value::Null) => {
                        if required.contains(name) {
                            errors.push(format!(
                                "Value null at '{member_path}' failed to satisfy constraint: Member must not be null"
                            ));
                        }
                    }
                    Some(v) => check(&target.shape, v, &member_path, errors)?,
                }
            }
        }
        Shape::String {
            min,
            max,
            pattern,
            sensitive,
            values,
        } => {
            let Value::String(v) = value else {
                return Err(ApiError::serialization(format!(
                    "Expected a string at '{at}'"
                )));
            };
            if let Some(values) = values {
                if !values.contains(v) {
                    errors.push(format!(
                        "Value '{v}' at '{at}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                        values.join(", ")
                    ));
                }
                return Ok(());
            }
            let shown = if *sensitive {
                "Value".to_string()
            } else {
                format!("Value '{v}'")
            };
            let len = v.encode_utf16().count() as u64;
            check_bounds(len, (*min, *max), "length", &shown, &at, errors);
            if let Some(p) = pattern.as_deref().filter(|p| !matches_pattern(p, v)) {
                errors.push(format!(
                    "{shown} at '{at}' failed to satisfy constraint: Member must satisfy regular expression pattern: {p}"
                ));
            }
        }
        Shape::Integer { min, max } => {
            let Some(v) = value.as_i64() else {
                return Err(ApiError::serialization(format!(
                    "Expected an integer at '{at}'"
                )));
            };
            let shown = format!("Value '{v}'");
            check_bounds(v, (*min, *max), "value", &shown, &at, errors);
        }
        Shape::Boolean => {
            if !value.is_boolean() {
                return Err(ApiError::serialization(format!(
                    "Expected a boolean at '{at}'"
                )));
            }
        }
        Shape::List { member } => {
            let Value::Array(items) = value else {
                return Err(ApiError::serialization(format!(
                    "Expected a list at '{at}'"
                )));
            };
            for (i, item) in items.iter().enumerate() {
                if item.is_null() {
                    continue;
                }
                check(
                    &member.shape,
                    item,
                    &join(path, &format!("{}.member", i + 1)),
                    errors,
                )?;
            }
        }
        Shape::Map { key, value: val } => {
            let Value::Object(map) = value else {
                return Err(ApiError::serialization(format!("Expected a map at '{at}'")));
            };
            for (k, v) in map {
                check(&key.shape, &Value::String(k.clone()), &at, errors)?;
                if !v.is_null() {
                    check(&val.shape, v, &join(path, &format!("{k}.member")), errors)?;
                }
            }
        }
    }
    Ok(())
}

/// The rules as `shapes.json` holds them, for comparison with the
/// published model.
pub(crate) fn rules_as_json() -> Value {
    serde_json::from_str(RULES).expect("shapes.json holds the rules")
}
