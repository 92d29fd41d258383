//! Malformed-input properties of the value codec: whatever bytes Terraform
//! (or anything pretending to be it) sends as a msgpack or JSON value, the
//! decoder answers with a value or an error: no panic, no stack overflow on
//! deep nesting, and no allocation that grows with a length prefix instead
//! of with the input (a prefix claiming 4 GiB must not reserve 4 GiB).
//!
//! Each property runs 10,000 cases, or `PROPTEST_CASES` when set (the long
//! run: `scripts/fuzz`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use proptest::prelude::*;
use terraform_provider_apprunner::plugin::proto::tfplugin6::DynamicValue;
use terraform_provider_apprunner::plugin::value::parse_number;
use terraform_provider_apprunner::plugin::{Type, Value, convert, json, msgpack};

/// Counts the largest single allocation made by the current thread, so that
/// a property can bound what one decode reserves.
struct LargestAllocation;

thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for LargestAllocation {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from the system allocator with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn note(size: usize) {
    // `try_with`: the slot is gone while the thread is being torn down.
    let _ = LARGEST.try_with(|l| l.set(l.get().max(size)));
}

#[global_allocator]
static ALLOCATOR: LargestAllocation = LargestAllocation;

/// Runs `f` and returns the largest single allocation it made.
fn largest_allocation<T>(f: impl FnOnce() -> T) -> (T, usize) {
    LARGEST.with(|l| l.set(0));
    let out = f();
    (out, LARGEST.with(Cell::get))
}

/// What one decode of a small input may reserve at once: the msgpack reader
/// preallocates at most 64 KiB for a byte string, whatever its prefix says.
const ALLOCATION_BOUND: usize = 1 << 20;

fn config() -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = 10_000;
    }
    // Failures are reported with their seed; no regression files in the tree.
    c.failure_persistence = None;
    c
}

fn arb_type() -> impl Strategy<Value = Type> {
    let leaf = prop_oneof![
        Just(Type::String),
        Just(Type::Number),
        Just(Type::Bool),
        Just(Type::Dynamic)
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            prop::collection::btree_map("[a-c]{1,2}", inner.clone(), 0..3).prop_map(Type::Object),
            prop::collection::vec(inner, 0..3).prop_map(Type::Tuple),
        ]
    })
}

/// Bytes that look like msgpack often enough to go deep: markers of every
/// family (with their length prefixes), small integers and plain noise.
fn arb_msgpack_bytes() -> impl Strategy<Value = Vec<u8>> {
    let chunk = prop_oneof![
        // fixmap, fixarray, fixstr, nil, bools, ext markers…
        (0x80u8..=0xdf).prop_map(|b| vec![b]),
        Just(vec![0xc0]),
        Just(vec![0xc3]),
        // A 32-bit length prefix of any size: str32, bin32, array32, map32, ext32.
        (
            prop::sample::select(vec![0xdbu8, 0xc6, 0xdd, 0xdf, 0xc9]),
            any::<u32>()
        )
            .prop_map(|(m, n)| {
                let mut v = vec![m];
                v.extend_from_slice(&n.to_be_bytes());
                v
            }),
        // Extension 12 (refined unknown) and 0 (unknown).
        Just(vec![0xd4, 0x00, 0x00]),
        (any::<u8>()).prop_map(|n| vec![0xc7, n, 0x0c]),
        // Type JSON for a dynamic value.
        Just(b"\xa8\"string\"".to_vec()),
        Just(b"\xb0[\"list\",\"bool\"]".to_vec()),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(chunk, 0..24).prop_map(|chunks| chunks.concat())
}

/// A valid value of type `ty` (nulls, unknowns and concrete values).
fn arb_value(ty: Type) -> BoxedStrategy<Value> {
    let concrete: BoxedStrategy<Value> = match ty.clone() {
        Type::String => ".{0,6}".prop_map(Value::String).boxed(),
        Type::Number => any::<i64>().prop_map(Value::from).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Dynamic => any::<bool>()
            .prop_map(|b| Value::Dynamic(Box::new((Type::Bool, Value::Bool(b)))))
            .boxed(),
        Type::List(e) => prop::collection::vec(arb_value(*e), 0..3)
            .prop_map(Value::List)
            .boxed(),
        Type::Set(e) => prop::collection::vec(arb_value(*e), 0..2)
            .prop_map(|mut v| {
                v.dedup();
                Value::Set(v)
            })
            .boxed(),
        Type::Map(e) => prop::collection::btree_map("[a-z]{0,3}", arb_value(*e), 0..3)
            .prop_map(Value::Map)
            .boxed(),
        Type::Object(attrs) => {
            let names: Vec<String> = attrs.keys().cloned().collect();
            let values: Vec<BoxedStrategy<Value>> =
                attrs.values().map(|t| arb_value(t.clone())).collect();
            values
                .prop_map(move |vs| Value::Object(names.iter().cloned().zip(vs).collect()))
                .boxed()
        }
        Type::Tuple(types) => {
            let values: Vec<BoxedStrategy<Value>> = types.into_iter().map(arb_value).collect();
            values.prop_map(Value::Tuple).boxed()
        }
    };
    prop_oneof![1 => Just(Value::Null), 1 => Just(Value::unknown()), 5 => concrete].boxed()
}

/// Arbitrary JSON documents, shallow and deep.
fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        prop::sample::select(vec![
            "string", "number", "bool", "dynamic", "list", "set", "map", "object", "tuple", "type",
            "value", "1e400", "-0", "0x10", "",
        ])
        .prop_map(serde_json::Value::from),
        ".{0,8}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(6, 48, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec!["type", "value", "a", "b", "c", "ab"])
                    .prop_map(String::from),
                inner,
                0..4
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn msgpack_decodes_safely(bytes: &[u8], ty: &Type) -> Result<(), TestCaseError> {
    let (result, largest) = largest_allocation(|| msgpack::decode(bytes, ty));
    prop_assert!(
        largest <= ALLOCATION_BOUND,
        "decoding {} bytes reserved {largest} bytes at once",
        bytes.len()
    );
    if let Ok(v) = result {
        // What was accepted can be sent back.
        let _ = msgpack::encode(&v, ty);
    }
    Ok(())
}

/// `depth` nested one-element arrays (or maps) around a nil.
fn nested(depth: usize, map: bool) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(depth * 3 + 1);
    for _ in 0..depth {
        if map {
            bytes.extend_from_slice(&[0x81, 0xa1, b'a']);
        } else {
            bytes.push(0x91);
        }
    }
    bytes.push(0xc0);
    bytes
}

/// A type `depth` levels of `list`/`map` deep.
fn deep_type(depth: usize, map: bool) -> Type {
    let mut ty = Type::Bool;
    for _ in 0..depth {
        ty = if map { Type::map(ty) } else { Type::list(ty) };
    }
    ty
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn msgpack_random_bytes_decode_or_fail_cleanly(
        ty in arb_type(),
        bytes in prop_oneof![prop::collection::vec(any::<u8>(), 0..64), arb_msgpack_bytes()],
    ) {
        msgpack_decodes_safely(&bytes, &ty)?;
        msgpack_decodes_safely(&bytes, &Type::Dynamic)?;
    }

    #[test]
    fn msgpack_truncated_or_corrupted_values_fail_cleanly(
        (ty, value) in arb_type().prop_flat_map(|t| (Just(t.clone()), arb_value(t))),
        cut in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    ) {
        let bytes = msgpack::encode(&value, &ty).unwrap();
        // Any proper prefix of one encoded value is incomplete.
        let prefix = &bytes[..cut.index(bytes.len())];
        let (result, largest) = largest_allocation(|| msgpack::decode(prefix, &ty));
        prop_assert!(result.is_err(), "a {}-byte prefix of {bytes:x?} decoded", prefix.len());
        prop_assert!(largest <= ALLOCATION_BOUND);
        let mut corrupted = bytes.clone();
        for (at, byte) in &flips {
            let i = at.index(corrupted.len());
            corrupted[i] ^= byte;
        }
        msgpack_decodes_safely(&corrupted, &ty)?;
    }

    #[test]
    fn msgpack_huge_length_prefixes_reserve_little(
        marker in prop::sample::select(vec![0xdbu8, 0xc6, 0xdd, 0xdf, 0xc9, 0xda, 0xc5, 0xdc, 0xde, 0xc8]),
        len in any::<u32>(),
        tail in prop::collection::vec(any::<u8>(), 0..16),
        ty in arb_type(),
    ) {
        let mut bytes = vec![marker];
        let claimed = match marker {
            0xda | 0xc5 | 0xdc | 0xde | 0xc8 => {
                bytes.extend_from_slice(&(len as u16).to_be_bytes());
                usize::from(len as u16)
            }
            _ => {
                bytes.extend_from_slice(&len.to_be_bytes());
                len as usize
            }
        };
        if matches!(marker, 0xc9 | 0xc8) {
            bytes.push(12);
        }
        bytes.extend_from_slice(&tail);
        // Also inside a refined unknown, whose payload is msgpack again.
        let mut ext = vec![0xc7, bytes.len() as u8, 12];
        ext.extend_from_slice(&bytes);
        let (result, largest) = largest_allocation(|| msgpack::decode(&bytes, &ty));
        // Every element or byte claimed takes at least a byte.
        prop_assert!(claimed <= tail.len() || result.is_err(), "{bytes:x?} decoded");
        prop_assert!(largest <= ALLOCATION_BOUND, "{bytes:x?} reserved {largest} bytes at once");
        for input in [&bytes, &ext] {
            let (_, largest) = largest_allocation(|| msgpack::decode(input, &ty));
            prop_assert!(
                largest <= ALLOCATION_BOUND,
                "{input:x?} reserved {largest} bytes at once"
            );
        }
    }

    #[test]
    fn msgpack_deep_nesting_is_refused_or_decoded_without_overflow(
        depth in 0usize..3000,
        map in any::<bool>(),
        typed in any::<bool>(),
    ) {
        let bytes = nested(depth, map);
        let ty = if typed { deep_type(depth.min(200), map) } else { Type::Dynamic };
        msgpack_decodes_safely(&bytes, &ty)?;
    }

    #[test]
    fn json_arbitrary_documents_decode_or_fail_cleanly(doc in arb_json(), ty in arb_type()) {
        for strictness in [json::Strictness::Exact, json::Strictness::Lenient] {
            if let Ok(v) = json::decode(&doc, &ty, strictness) {
                let _ = json::encode(&v, &ty);
                let _ = msgpack::encode(&v, &ty);
            }
        }
        let _ = Type::from_json(&doc);
        let _ = json::decode(&doc, &Type::Dynamic, json::Strictness::Lenient);
    }

    #[test]
    fn json_text_as_terraform_sends_it_decodes_or_fails_cleanly(
        text in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..48),
            (arb_json(), any::<prop::sample::Index>()).prop_map(|(doc, cut)| {
                // Truncated documents.
                let t = serde_json::to_vec(&doc).unwrap();
                t[..cut.index(t.len() + 1).min(t.len())].to_vec()
            }),
            (0usize..20_000, prop::sample::select(vec!["[", "{\"type\":", "{\"value\":["])).prop_map(|(n, open)| open.repeat(n).into_bytes()),
        ],
        ty in arb_type(),
    ) {
        let value = DynamicValue { msgpack: Vec::new(), json: text.clone() };
        let (_, largest) = largest_allocation(|| convert::decode(Some(&value), &ty));
        prop_assert!(largest <= ALLOCATION_BOUND.max(text.len() * 64));
        let value = DynamicValue { msgpack: text, json: Vec::new() };
        let _ = convert::decode(Some(&value), &ty);
    }

    #[test]
    fn numbers_from_any_text_parse_or_fail_cleanly(
        text in prop_oneof![
            ".{0,24}",
            "[-+]?[0-9]{0,80}(\\.[0-9]{0,40})?([eE][-+]?[0-9]{1,12})?",
        ],
    ) {
        if let Some(n) = parse_number(&text) {
            let v = Value::Number(n);
            let bytes = msgpack::encode(&v, &Type::Number).unwrap();
            let back = msgpack::decode(&bytes, &Type::Number).unwrap();
            prop_assert_eq!(back, v);
        }
    }
}

/// The nesting limit holds well past the depth any schema has, on a test
/// thread's default stack, in debug builds too.
#[test]
fn msgpack_nesting_beyond_the_limit_is_an_error() {
    for map in [false, true] {
        let too_deep = nested(100_000, map);
        let err = msgpack::decode(&too_deep, &Type::Dynamic).unwrap_err();
        assert!(err.contains("depth"), "{err}");
        let err = msgpack::decode(&too_deep, &deep_type(300, map)).unwrap_err();
        assert!(err.contains("depth"), "{err}");
    }
}
