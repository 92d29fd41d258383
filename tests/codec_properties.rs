//! Property tests: random values of random types survive the msgpack
//! encoding Terraform uses for plans and state, and the JSON encoding of
//! stored state, unchanged (nulls, unknowns with refinements, numbers of
//! every width, dynamic values, objects with every attribute).

use std::collections::BTreeMap;

use proptest::prelude::*;
use terraform_provider_apprunner::plugin::value::Refinements;
use terraform_provider_apprunner::plugin::{Number, Type, Value, json, msgpack};

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
            prop::collection::btree_map("[a-z_]{1,8}", inner.clone(), 0..4).prop_map(Type::Object),
            prop::collection::vec(inner, 0..3).prop_map(Type::Tuple),
        ]
    })
}

fn arb_number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::Int),
        (i64::MAX as u64 + 1..=u64::MAX).prop_map(Number::UInt),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Number::Float),
        ("[1-9][0-9]{20,30}", "[0-9]{1,6}[1-9]")
            .prop_map(|(a, b)| Number::Decimal(format!("{a}.{b}"))),
    ]
}

fn arb_refinements(ty: &Type) -> BoxedStrategy<Refinements> {
    let base = any::<bool>();
    match ty {
        Type::String => (base, proptest::option::of("[a-z:]{0,6}"))
            .prop_map(|(not_null, string_prefix)| Refinements {
                not_null,
                string_prefix,
                ..Default::default()
            })
            .boxed(),
        Type::Number => (base, proptest::option::of((-1000i64..1000, any::<bool>())))
            .prop_map(|(not_null, lower)| Refinements {
                not_null,
                number_lower: lower.map(|(n, inc)| (Number::Int(n), inc)),
                number_upper: lower.map(|(n, inc)| (Number::Int(n + 5), !inc)),
                ..Default::default()
            })
            .boxed(),
        Type::List(_) | Type::Set(_) | Type::Map(_) => (base, proptest::option::of(0u64..5))
            .prop_map(|(not_null, len)| Refinements {
                not_null,
                length_lower: len,
                length_upper: len.map(|l| l + 3),
                ..Default::default()
            })
            .boxed(),
        Type::Dynamic => Just(Refinements::default()).boxed(),
        _ => base
            .prop_map(|not_null| Refinements {
                not_null,
                ..Default::default()
            })
            .boxed(),
    }
}

/// A value of type `ty`; `known` forbids unknowns (for JSON).
fn arb_value(ty: Type, known: bool) -> BoxedStrategy<Value> {
    let concrete = arb_concrete(ty.clone(), known);
    if known {
        prop_oneof![1 => Just(Value::Null), 6 => concrete].boxed()
    } else {
        prop_oneof![1 => Just(Value::Null), 1 => arb_refinements(&ty).prop_map(|r| Value::Unknown(Box::new(r))), 6 => concrete].boxed()
    }
}

fn arb_concrete(ty: Type, known: bool) -> BoxedStrategy<Value> {
    match ty {
        Type::String => ".{0,12}".prop_map(Value::String).boxed(),
        Type::Number => arb_number().prop_map(Value::Number).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Dynamic => arb_type()
            .prop_filter("concrete", |t| *t != Type::Dynamic)
            .prop_flat_map(move |t| {
                arb_concrete(t.clone(), known)
                    .prop_map(move |v| Value::Dynamic(Box::new((t.clone(), v))))
            })
            .boxed(),
        Type::List(e) => prop::collection::vec(arb_value(*e, known), 0..4)
            .prop_map(Value::List)
            .boxed(),
        Type::Set(e) => {
            let elem = *e;
            prop::collection::vec(arb_concrete(elem.clone(), known), 0..4)
                .prop_map(move |items| {
                    // Sets hold each element once.
                    let mut unique: Vec<Value> = Vec::new();
                    for i in items {
                        if !unique.contains(&i) {
                            unique.push(i);
                        }
                    }
                    Value::Set(unique)
                })
                .boxed()
        }
        Type::Map(e) => prop::collection::btree_map("[a-z]{0,5}", arb_value(*e, known), 0..4)
            .prop_map(Value::Map)
            .boxed(),
        Type::Object(attrs) => {
            let names: Vec<String> = attrs.keys().cloned().collect();
            let values: Vec<BoxedStrategy<Value>> = attrs
                .values()
                .map(|t| arb_value(t.clone(), known))
                .collect();
            values
                .prop_map(move |vs| {
                    Value::Object(names.iter().cloned().zip(vs).collect::<BTreeMap<_, _>>())
                })
                .boxed()
        }
        Type::Tuple(types) => {
            let values: Vec<BoxedStrategy<Value>> =
                types.into_iter().map(|t| arb_value(t, known)).collect();
            values.prop_map(Value::Tuple).boxed()
        }
    }
}

/// Equality that also compares refinements of unknowns.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Unknown(x), Value::Unknown(y)) => x == y,
        (Value::List(x), Value::List(y)) | (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Map(x), Value::Map(y)) | (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, p), (k2, q))| k1 == k2 && same(p, q))
        }
        (Value::Dynamic(x), Value::Dynamic(y)) => x.0 == y.0 && same(&x.1, &y.1),
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn msgpack_round_trips_any_value((ty, value) in arb_type().prop_flat_map(|t| (Just(t.clone()), arb_value(t, false)))) {
        let bytes = msgpack::encode(&value, &ty).unwrap();
        let back = msgpack::decode(&bytes, &ty).unwrap();
        prop_assert!(same(&value, &back), "type {ty}\nsent {value:?}\ngot  {back:?}");
    }

    #[test]
    fn json_round_trips_known_values((ty, value) in arb_type().prop_flat_map(|t| (Just(t.clone()), arb_value(t, true)))) {
        let encoded = json::encode(&value, &ty).unwrap();
        let back = json::decode(&encoded, &ty, json::Strictness::Exact).unwrap();
        // JSON keeps f64 precision only; compare numbers loosely through msgpack's canonical form.
        let again = json::encode(&back, &ty).unwrap();
        prop_assert_eq!(encoded, again);
    }

    #[test]
    fn cty_type_json_round_trips(ty in arb_type()) {
        let json: serde_json::Value = serde_json::from_slice(&ty.to_json_bytes()).unwrap();
        prop_assert_eq!(Type::from_json(&json).unwrap(), ty);
    }
}
