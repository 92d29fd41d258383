//! Tests of typed models over plugin values.

use serde::Deserialize;

use super::*;

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Model {
    name: String,
    size: Option<i64>,
    tags: Option<BTreeMap<String, String>>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
struct Planned {
    name: Field<String>,
    arn: Field<String>,
    max_size: Field<i64>,
    enabled: Field<bool>,
    rule: Vec<Rule>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
struct Rule {
    port: Field<i64>,
    labels: Field<BTreeMap<String, String>>,
}

fn planned_type() -> Type {
    Type::object([
        ("name", Type::String),
        ("arn", Type::String),
        ("max_size", Type::Number),
        ("enabled", Type::Bool),
        (
            "rule",
            Type::set(Type::object([
                ("port", Type::Number),
                ("labels", Type::map(Type::String)),
            ])),
        ),
    ])
}

fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
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
fn fields_keep_null_unknown_and_known_apart() {
    let v = object([
        ("name", "web".into()),
        ("arn", Value::unknown()),
        ("max_size", Value::Null),
        ("enabled", true.into()),
        (
            "rule",
            Value::Set(vec![object([
                ("port", 8080.into()),
                ("labels", Value::string_map([("a", "b")])),
            ])]),
        ),
    ]);
    let m: Planned = from_value(&v).unwrap();
    assert_eq!(m.name.as_deref(), Some("web"));
    assert!(m.arn.is_unknown());
    assert!(m.max_size.is_null());
    assert_eq!(m.enabled, Field::Known(true));
    assert_eq!(m.rule[0].port.known(), Some(&8080));
    assert_eq!(
        m.rule[0]
            .labels
            .known()
            .and_then(|l| l.get("a"))
            .map(String::as_str),
        Some("b")
    );
    let back = to_value(&m, &planned_type()).unwrap();
    assert_eq!(back, v);
    assert!(back.attr("arn").is_unknown());
    assert!(matches!(back.attr("rule"), Value::Set(_)));
}

#[test]
fn errors_carry_the_attribute_path() {
    let v = object([
        ("name", "web".into()),
        ("arn", Value::Null),
        ("max_size", Value::Null),
        ("enabled", Value::Null),
        (
            "rule",
            Value::List(vec![
                object([("port", 1.into()), ("labels", Value::Null)]),
                object([
                    ("port", 2.into()),
                    ("labels", Value::string_map([("k", "v")])),
                ]),
            ]),
        ),
    ]);
    // A map entry of the wrong type is reported at its key.
    let mut bad = v.clone();
    bad.attr_mut("rule").unwrap().as_elements_mut().unwrap()[1].set_attr(
        "labels",
        Value::Map([("k".to_string(), true.into())].into()),
    );
    let err = from_value::<Planned>(&bad).unwrap_err();
    assert_eq!(
        err.path,
        AttributePath::attr("rule")
            .then_index(1)
            .then_attr("labels")
            .then_key("k")
    );
    let diag = err.into_diagnostic("Invalid value");
    assert_eq!(diag.path.unwrap().to_string(), "rule[1].labels[\"k\"]");

    // A number where a string belongs.
    let mut bad = v.clone();
    bad.set_attr("name", 3.into());
    let err = from_value::<Planned>(&bad).unwrap_err();
    assert_eq!(err.path, AttributePath::attr("name"));
}

#[test]
fn options_refuse_unknowns_at_their_path() {
    let v = object([("name", "a".into()), ("size", Value::unknown())]);
    let err = from_value::<Model>(&v).unwrap_err();
    assert_eq!(err.path, AttributePath::attr("size"));
    assert!(err.message.contains("not known"), "{err}");
}

#[test]
fn plain_fields_refuse_null() {
    let v = object([("name", Value::Null)]);
    let err = from_value::<Model>(&v).unwrap_err();
    assert_eq!(err.path, AttributePath::attr("name"));
}

#[test]
fn unnamed_attributes_may_be_unknown() {
    let v = object([("name", "a".into()), ("other", Value::unknown())]);
    let m: Model = from_value(&v).unwrap();
    assert_eq!(m.name, "a");
}

#[test]
fn fields_unknown_to_the_type_are_refused() {
    let ty = Type::object([("name", Type::String)]);
    let m = Model {
        name: "a".into(),
        size: Some(1),
        tags: None,
    };
    assert!(to_value(&m, &ty).is_err());
}

#[test]
fn merge_overwrites_only_the_model_attributes() {
    #[derive(Serialize)]
    struct Computed {
        arn: Field<String>,
    }
    let ty = Type::object([("name", Type::String), ("arn", Type::String)]);
    let mut v = object([("name", "a".into()), ("arn", Value::unknown())]);
    let computed = Computed {
        arn: "arn:x".into(),
    };
    merge_into(&mut v, &computed, &ty).unwrap();
    assert_eq!(v.attr("arn").as_str(), Some("arn:x"));
    assert_eq!(v.attr("name").as_str(), Some("a"));
    let other = Type::object([("name", Type::String)]);
    let err = merge_into(&mut v, &computed, &other).unwrap_err();
    assert_eq!(err.path, AttributePath::attr("arn"));
}

#[test]
fn numbers_fit_integer_and_float_fields() {
    #[derive(Deserialize)]
    struct N {
        a: u32,
        b: f64,
        c: i64,
    }
    let v = object([
        ("a", Value::Number(Number::Float(3.0))),
        ("b", Value::Number(Number::Decimal("1.5".into()))),
        ("c", Value::Number(Number::UInt(7))),
    ]);
    let n: N = from_value(&v).unwrap();
    assert_eq!((n.a, n.b, n.c), (3, 1.5, 7));
    let bad = object([("a", (-1).into()), ("b", 1.into()), ("c", 1.into())]);
    assert_eq!(
        from_value::<N>(&bad).map(|_| ()).unwrap_err().path,
        AttributePath::attr("a")
    );
}

#[test]
fn fields_read_from_json_as_null_or_known() {
    let f: Field<String> = serde_json::from_str("null").unwrap();
    assert!(f.is_null());
    let f: Field<String> = serde_json::from_str("\"x\"").unwrap();
    assert_eq!(f.as_deref(), Some("x"));
}

#[test]
fn enum_variants_with_data_are_refused() {
    #[derive(Serialize)]
    enum E {
        Newtype(i64),
        Tuple(i64, i64),
        Struct { a: i64 },
    }
    for e in [E::Newtype(1), E::Tuple(1, 2), E::Struct { a: 1 }] {
        let err = to_value(&e, &Type::String).unwrap_err();
        assert!(err.message.contains("carries data"), "{err}");
    }
}
