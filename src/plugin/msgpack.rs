//! MessagePack encoding of values, as Terraform exchanges them.
//!
//! The encoding is untyped on the wire: the schema's type decides how bytes
//! are read. Null is msgpack nil; unknown is an extension value (type 0, or
//! type 12 carrying refinements); numbers may be integers, floats or decimal
//! strings; objects carry exactly their type's attributes; `dynamic` values
//! travel as `[type JSON, value]`.
//!
//! Values are read straight from the bytes into [`Value`] as the type
//! directs, and written straight into the output buffer: no intermediate
//! msgpack tree, as these run for every resource in every plan.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rmp::Marker;
use rmp::encode::ByteBuf;

use super::value::{Number, Refinements, Type, Value, check_tuple_len, parse_number};

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

/// How deeply arrays and maps may nest: far more than any schema has, and
/// shallow enough that the recursive reader cannot overflow a 2 MiB thread
/// stack in debug builds on hostile input.
const MAX_DEPTH: usize = 128;

/// Decodes `bytes` as a value of type `ty`.
///
/// Malformed msgpack is reported as such even where the typed reading would
/// have stopped earlier at a value of the wrong type: the typed reading runs
/// first (the common case is valid input), and only on failure is the input
/// checked as plain msgpack to tell the two apart.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, String> {
    let mut reader = Reader { bytes };
    match reader.value(ty, 0) {
        Ok(value) if reader.bytes.is_empty() => Ok(value),
        Ok(_) => Err(trailing(reader.bytes)),
        Err(typed) => {
            let mut reader = Reader { bytes };
            reader
                .skip_value(0)
                .map_err(|e| format!("invalid msgpack: {e}"))?;
            if !reader.bytes.is_empty() {
                return Err(trailing(reader.bytes));
            }
            Err(typed)
        }
    }
}

fn trailing(rest: &[u8]) -> String {
    format!("{} unexpected bytes after the value", rest.len())
}

/// Encodes `value` as type `ty`.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, String> {
    let mut out = Out(ByteBuf::new());
    out.value(value, ty)?;
    Ok(out.0.into_vec())
}

/// The start of one msgpack item: a whole scalar, or an array's or map's
/// length (its elements follow).
#[derive(Clone, Copy)]
enum Head<'a> {
    Nil,
    Bool(bool),
    Int(i64),
    /// Integers above `i64::MAX`.
    UInt(u64),
    Float(f64),
    Str(&'a [u8]),
    Bin(&'a [u8]),
    Array(usize),
    Map(usize),
    Ext(i8, &'a [u8]),
}

impl Head<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Head::Nil => "nil",
            Head::Bool(_) => "bool",
            Head::Int(_) | Head::UInt(_) => "integer",
            Head::Float(_) => "float",
            Head::Str(_) => "string",
            Head::Bin(_) => "binary",
            Head::Array(_) => "array",
            Head::Map(_) => "map",
            Head::Ext(..) => "extension",
        }
    }
}

/// Reads msgpack from the front of a byte slice. Every length is checked
/// against the bytes left before anything is taken or reserved.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.bytes.len() {
            return Err(format!(
                "truncated: {n} bytes needed, {} left",
                self.bytes.len()
            ));
        }
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<usize, String> {
        Ok(usize::from(u16::from_be_bytes(self.array()?)))
    }

    fn u32(&mut self) -> Result<usize, String> {
        usize::try_from(u32::from_be_bytes(self.array()?)).map_err(|e| e.to_string())
    }

    /// A length prefix `width` bytes wide (1, 2 or 4), then that many bytes.
    fn sized(&mut self, width: usize) -> Result<&'a [u8], String> {
        let n = match width {
            1 => usize::from(self.u8()?),
            2 => self.u16()?,
            _ => self.u32()?,
        };
        self.take(n)
    }

    fn ext(&mut self, len: usize) -> Result<Head<'a>, String> {
        let kind = self.u8()? as i8;
        Ok(Head::Ext(kind, self.take(len)?))
    }

    /// Reads the next item's head (a scalar's bytes are borrowed, not copied).
    fn head(&mut self) -> Result<Head<'a>, String> {
        Ok(match Marker::from_u8(self.u8()?) {
            Marker::Null => Head::Nil,
            Marker::True => Head::Bool(true),
            Marker::False => Head::Bool(false),
            Marker::FixPos(n) => Head::Int(i64::from(n)),
            Marker::FixNeg(n) => Head::Int(i64::from(n)),
            Marker::U8 => Head::Int(i64::from(self.u8()?)),
            Marker::U16 => Head::Int(i64::from(u16::from_be_bytes(self.array()?))),
            Marker::U32 => Head::Int(i64::from(u32::from_be_bytes(self.array()?))),
            Marker::U64 => {
                let u = u64::from_be_bytes(self.array()?);
                i64::try_from(u).map_or(Head::UInt(u), Head::Int)
            }
            Marker::I8 => Head::Int(i64::from(i8::from_be_bytes(self.array()?))),
            Marker::I16 => Head::Int(i64::from(i16::from_be_bytes(self.array()?))),
            Marker::I32 => Head::Int(i64::from(i32::from_be_bytes(self.array()?))),
            Marker::I64 => Head::Int(i64::from_be_bytes(self.array()?)),
            Marker::F32 => Head::Float(f64::from(f32::from_be_bytes(self.array()?))),
            Marker::F64 => Head::Float(f64::from_be_bytes(self.array()?)),
            Marker::FixStr(n) => Head::Str(self.take(usize::from(n))?),
            Marker::Str8 => Head::Str(self.sized(1)?),
            Marker::Str16 => Head::Str(self.sized(2)?),
            Marker::Str32 => Head::Str(self.sized(4)?),
            Marker::Bin8 => Head::Bin(self.sized(1)?),
            Marker::Bin16 => Head::Bin(self.sized(2)?),
            Marker::Bin32 => Head::Bin(self.sized(4)?),
            Marker::FixArray(n) => Head::Array(usize::from(n)),
            Marker::Array16 => Head::Array(self.u16()?),
            Marker::Array32 => Head::Array(self.u32()?),
            Marker::FixMap(n) => Head::Map(usize::from(n)),
            Marker::Map16 => Head::Map(self.u16()?),
            Marker::Map32 => Head::Map(self.u32()?),
            Marker::FixExt1 => self.ext(1)?,
            Marker::FixExt2 => self.ext(2)?,
            Marker::FixExt4 => self.ext(4)?,
            Marker::FixExt8 => self.ext(8)?,
            Marker::FixExt16 => self.ext(16)?,
            Marker::Ext8 => {
                let n = usize::from(self.u8()?);
                self.ext(n)?
            }
            Marker::Ext16 => {
                let n = self.u16()?;
                self.ext(n)?
            }
            Marker::Ext32 => {
                let n = self.u32()?;
                self.ext(n)?
            }
            Marker::Reserved => return Err("reserved marker 0xc1".into()),
        })
    }

    /// Room for `n` elements: each takes at least one byte, so a length
    /// prefix claiming more than the bytes left reserves no more than those.
    fn capacity(&self, n: usize) -> usize {
        n.min(self.bytes.len())
    }

    /// Skips one whole item, checking that it is complete and nests no
    /// deeper than [`MAX_DEPTH`].
    fn skip_value(&mut self, depth: usize) -> Result<(), String> {
        let head = self.head()?;
        self.skip_elements(head, depth)
    }

    /// Skips the elements of an array or map whose head was just read.
    fn skip_elements(&mut self, head: Head<'a>, depth: usize) -> Result<(), String> {
        let items = match head {
            Head::Array(n) => n,
            Head::Map(n) => n.saturating_mul(2),
            _ => return Ok(()),
        };
        let depth = nested(depth)?;
        for _ in 0..items {
            self.skip_value(depth)?;
        }
        Ok(())
    }

    fn value(&mut self, ty: &Type, depth: usize) -> Result<Value, String> {
        let head = self.head()?;
        match head {
            Head::Nil => return Ok(Value::Null),
            // Any extension is an unknown; only type 12 carries refinements.
            Head::Ext(kind, payload) => {
                return Ok(if kind == EXT_REFINED_UNKNOWN && *ty != Type::Dynamic {
                    Value::Unknown(Box::new(decode_refinements(payload)?))
                } else {
                    Value::unknown()
                });
            }
            _ => {}
        }
        match (ty, head) {
            (Type::String, Head::Str(s)) => std::str::from_utf8(s)
                .map(|s| Value::String(s.to_owned()))
                .map_err(|_| "string is not UTF-8".into()),
            (Type::Bool, Head::Bool(b)) => Ok(Value::Bool(b)),
            (Type::Number, head) => decode_number(head).map(Value::Number),
            (Type::List(e) | Type::Set(e), Head::Array(n)) => {
                let depth = nested(depth)?;
                let mut items = Vec::with_capacity(self.capacity(n));
                for _ in 0..n {
                    items.push(self.value(e, depth)?);
                }
                Ok(if matches!(ty, Type::List(_)) {
                    Value::List(items)
                } else {
                    Value::Set(items)
                })
            }
            (Type::Tuple(types), Head::Array(n)) => {
                check_tuple_len(types, n)?;
                let depth = nested(depth)?;
                let items = types
                    .iter()
                    .map(|t| self.value(t, depth))
                    .collect::<Result<_, _>>()?;
                Ok(Value::Tuple(items))
            }
            (Type::Map(e), Head::Map(n)) => {
                let depth = nested(depth)?;
                let mut pairs = Vec::with_capacity(self.capacity(n));
                for _ in 0..n {
                    let key = self.key()?;
                    let v = self
                        .value(e, depth)
                        .map_err(|err| format!("[{key:?}]: {err}"))?;
                    pairs.push((key.to_owned(), v));
                }
                Ok(Value::Map(BTreeMap::from_iter(pairs)))
            }
            (Type::Object(attrs), Head::Map(n)) => {
                if n != attrs.len() {
                    return Err(format!(
                        "an object with {} attributes is required, got {n}",
                        attrs.len(),
                    ));
                }
                let depth = nested(depth)?;
                // Terraform writes attributes in name order, as the type
                // holds them: walk both in step, looking a name up only when
                // the input strays from that order.
                let mut in_step = Some(attrs.iter());
                let mut pairs = Vec::with_capacity(n);
                for _ in 0..n {
                    let key = self.key()?;
                    let (name, t) = match in_step.as_mut().and_then(Iterator::next) {
                        Some(attr) if attr.0 == key => attr,
                        _ => {
                            in_step = None;
                            attrs
                                .get_key_value(key)
                                .ok_or_else(|| format!("unsupported attribute {key:?}"))?
                        }
                    };
                    let v = self
                        .value(t, depth)
                        .map_err(|err| format!("{key}: {err}"))?;
                    pairs.push((name.clone(), v));
                }
                // Built in bulk from sorted pairs (sorted first if they came
                // out of order; a repeated key keeps its last value).
                Ok(Value::Object(BTreeMap::from_iter(pairs)))
            }
            (Type::Dynamic, Head::Array(n)) => {
                if n != 2 {
                    return Err("a dynamic value needs exactly [type, value]".into());
                }
                let depth = nested(depth)?;
                let type_json = match self.head()? {
                    Head::Bin(b) | Head::Str(b) => b,
                    other => {
                        return Err(format!("dynamic type must be bytes, got {}", other.kind()));
                    }
                };
                let json: serde_json::Value = serde_json::from_slice(type_json)
                    .map_err(|e| format!("dynamic type JSON: {e}"))?;
                let actual = Type::from_json(&json)?;
                let inner = self.value(&actual, depth)?;
                Ok(Value::Dynamic(Box::new((actual, inner))))
            }
            (ty, other) => Err(format!("expected {}, got {}", expected(ty), other.kind())),
        }
    }

    /// A map key, which must be a UTF-8 string.
    fn key(&mut self) -> Result<&'a str, String> {
        match self.head()? {
            Head::Str(s) => std::str::from_utf8(s).map_err(|_| "key is not UTF-8".into()),
            other => Err(format!("map keys must be strings, got {}", other.kind())),
        }
    }
}

/// The depth inside one more array or map, if that is allowed.
fn nested(depth: usize) -> Result<usize, String> {
    if depth >= MAX_DEPTH {
        return Err(format!("nesting beyond the depth limit of {MAX_DEPTH}"));
    }
    Ok(depth + 1)
}

/// What a value of `ty` must be on the wire, for messages.
fn expected(ty: &Type) -> String {
    match ty {
        Type::String => "a string".into(),
        Type::Bool => "a bool".into(),
        Type::Number => "a number".into(),
        Type::List(_) | Type::Set(_) | Type::Tuple(_) => format!("an array for {ty}"),
        Type::Map(_) => format!("a map for {ty}"),
        Type::Object(_) => "a map for an object".into(),
        Type::Dynamic => "[type, value] for a dynamic value".into(),
    }
}

fn decode_number(head: Head) -> Result<Number, String> {
    match head {
        Head::Int(i) => Ok(Number::Int(i)),
        Head::UInt(u) => Ok(Number::UInt(u)),
        Head::Float(f) => Ok(Number::Float(f)),
        Head::Str(s) => {
            let s = std::str::from_utf8(s).map_err(|_| "number string is not UTF-8")?;
            parse_number(s).ok_or_else(|| format!("{s:?} is not a number"))
        }
        other => Err(format!("expected a number, got {}", other.kind())),
    }
}

/// Reads the payload of a type-12 extension: a map from refinement keys to
/// their values. The payload must be well-formed msgpack; refinements this
/// provider does not know, and values of unexpected kinds, are ignored.
fn decode_refinements(payload: &[u8]) -> Result<Refinements, String> {
    let mut r = Refinements::default();
    if payload.is_empty() {
        return Ok(r);
    }
    Reader { bytes: payload }
        .skip_value(0)
        .map_err(|e| format!("invalid refinements: {e}"))?;
    let mut reader = Reader { bytes: payload };
    let Head::Map(n) = reader.head()? else {
        return Ok(r);
    };
    for _ in 0..n {
        let key = reader.head()?;
        reader.skip_elements(key, 1)?;
        let value = reader.head()?;
        let key = match key {
            Head::Int(k) => k,
            _ => {
                reader.skip_elements(value, 1)?;
                continue;
            }
        };
        match (key, value) {
            (REFINE_NULLNESS, _) => r.not_null = matches!(value, Head::Bool(false)),
            (REFINE_STRING_PREFIX, Head::Str(s)) => {
                r.string_prefix = std::str::from_utf8(s).ok().map(str::to_string);
            }
            (REFINE_STRING_PREFIX, _) => r.string_prefix = None,
            (REFINE_NUMBER_LOWER | REFINE_NUMBER_UPPER, Head::Array(2)) => {
                let n = reader.head()?;
                reader.skip_elements(n, 2)?;
                let n = decode_number(n)?;
                let inclusive = reader.head()?;
                reader.skip_elements(inclusive, 2)?;
                let bound = Some((n, matches!(inclusive, Head::Bool(true))));
                if key == REFINE_NUMBER_LOWER {
                    r.number_lower = bound;
                } else {
                    r.number_upper = bound;
                }
                continue;
            }
            (REFINE_LENGTH_LOWER, _) => r.length_lower = as_u64(value),
            (REFINE_LENGTH_UPPER, _) => r.length_upper = as_u64(value),
            // Refinements this provider does not know about are ignored.
            _ => {}
        }
        reader.skip_elements(value, 1)?;
    }
    Ok(r)
}

fn as_u64(head: Head) -> Option<u64> {
    match head {
        Head::Int(i) => u64::try_from(i).ok(),
        Head::UInt(u) => Some(u),
        _ => None,
    }
}

/// The output buffer. Writing into a `ByteBuf` cannot fail (its error type is
/// uninhabited), which the `let Ok(_)` patterns below prove to the compiler.
struct Out(ByteBuf);

impl Out {
    fn nil(&mut self) {
        let Ok(()) = rmp::encode::write_nil(&mut self.0);
    }

    fn bool(&mut self, b: bool) {
        let Ok(()) = rmp::encode::write_bool(&mut self.0, b);
    }

    fn int(&mut self, i: i64) {
        let Ok(_) = rmp::encode::write_sint(&mut self.0, i);
    }

    fn uint(&mut self, u: u64) {
        let Ok(_) = rmp::encode::write_uint(&mut self.0, u);
    }

    fn str(&mut self, s: &str) -> Result<(), String> {
        length(s.len())?;
        let Ok(()) = rmp::encode::write_str(&mut self.0, s);
        Ok(())
    }

    fn number(&mut self, n: &Number) -> Result<(), String> {
        match n {
            Number::Int(i) => self.int(*i),
            Number::UInt(u) => self.uint(*u),
            // An integral float is sent as an integer.
            Number::Float(f) => match n.as_i64() {
                Some(i) => self.int(i),
                None => {
                    let Ok(()) = rmp::encode::write_f64(&mut self.0, *f);
                }
            },
            Number::Decimal(s) => self.str(s)?,
        }
        Ok(())
    }

    fn array_len(&mut self, n: usize) -> Result<(), String> {
        let Ok(_) = rmp::encode::write_array_len(&mut self.0, length(n)?);
        Ok(())
    }

    fn map_len(&mut self, n: usize) -> Result<(), String> {
        let Ok(_) = rmp::encode::write_map_len(&mut self.0, length(n)?);
        Ok(())
    }

    fn bin(&mut self, b: &[u8]) -> Result<(), String> {
        length(b.len())?;
        let Ok(()) = rmp::encode::write_bin(&mut self.0, b);
        Ok(())
    }

    fn ext(&mut self, kind: i8, payload: &[u8]) -> Result<(), String> {
        let Ok(_) = rmp::encode::write_ext_meta(&mut self.0, length(payload.len())?, kind);
        self.0.as_mut_vec().extend_from_slice(payload);
        Ok(())
    }

    fn unknown(&mut self, r: &Refinements, ty: &Type) -> Result<(), String> {
        if r.is_empty() || *ty == Type::Dynamic {
            return self.ext(EXT_UNKNOWN, &[0]);
        }
        let numbers = [
            (REFINE_NUMBER_LOWER, &r.number_lower),
            (REFINE_NUMBER_UPPER, &r.number_upper),
        ];
        let lengths = [
            (REFINE_LENGTH_LOWER, r.length_lower),
            (REFINE_LENGTH_UPPER, r.length_upper),
        ];
        let entries = usize::from(r.not_null)
            + usize::from(r.string_prefix.is_some())
            + numbers.iter().filter(|(_, b)| b.is_some()).count()
            + lengths.iter().filter(|(_, b)| b.is_some()).count();
        let mut p = Out(ByteBuf::new());
        p.map_len(entries)?;
        if r.not_null {
            p.int(REFINE_NULLNESS);
            p.bool(false);
        }
        if let Some(prefix) = &r.string_prefix {
            p.int(REFINE_STRING_PREFIX);
            p.str(prefix)?;
        }
        for (key, bound) in numbers {
            if let Some((n, inclusive)) = bound {
                p.int(key);
                p.array_len(2)?;
                p.number(n)?;
                p.bool(*inclusive);
            }
        }
        for (key, bound) in lengths {
            if let Some(l) = bound {
                p.int(key);
                p.uint(l);
            }
        }
        self.ext(EXT_REFINED_UNKNOWN, p.0.as_slice())
    }

    fn value(&mut self, value: &Value, ty: &Type) -> Result<(), String> {
        match value {
            Value::Null => {
                self.nil();
                return Ok(());
            }
            Value::Unknown(r) => return self.unknown(r, ty),
            _ => {}
        }
        match (ty, value) {
            (Type::Dynamic, v) => {
                let (actual, inner) = match v {
                    Value::Dynamic(d) => (Cow::Borrowed(&d.0), &d.1),
                    other => (Cow::Owned(other.infer_type()), other),
                };
                if inner.is_null() {
                    self.nil();
                    return Ok(());
                }
                self.array_len(2)?;
                self.bin(&actual.to_json_bytes())?;
                self.value(inner, &actual)
            }
            (t, Value::Dynamic(d)) => self.value(&d.1, t),
            (Type::String, Value::String(s)) => self.str(s),
            (Type::Bool, Value::Bool(b)) => {
                self.bool(*b);
                Ok(())
            }
            (Type::Number, Value::Number(n)) => self.number(n),
            (Type::List(e), Value::List(items) | Value::Set(items) | Value::Tuple(items)) => {
                self.array_len(items.len())?;
                items.iter().try_for_each(|i| self.value(i, e))
            }
            (Type::Set(e), Value::List(items) | Value::Set(items) | Value::Tuple(items)) => {
                // Each element once: Terraform collapses duplicates in sets.
                let mut distinct: Vec<&Value> = Vec::with_capacity(items.len());
                for i in items {
                    if !distinct.contains(&i) {
                        distinct.push(i);
                    }
                }
                self.array_len(distinct.len())?;
                distinct.into_iter().try_for_each(|i| self.value(i, e))
            }
            (Type::Tuple(types), Value::List(items) | Value::Tuple(items)) => {
                check_tuple_len(types, items.len())?;
                self.array_len(items.len())?;
                items
                    .iter()
                    .zip(types)
                    .try_for_each(|(i, t)| self.value(i, t))
            }
            (Type::Map(e), Value::Map(m) | Value::Object(m)) => {
                self.map_len(m.len())?;
                m.iter().try_for_each(|(k, v)| {
                    self.str(k)?;
                    self.value(v, e).map_err(|err| format!("[{k:?}]: {err}"))
                })
            }
            (Type::Object(attrs), Value::Object(m) | Value::Map(m)) => {
                if let Some(extra) = first_extra(m, attrs) {
                    return Err(format!("unsupported attribute {extra:?}"));
                }
                // Exactly the type's attributes, absent ones as null. Both
                // maps are sorted by name, so the values are found by
                // walking `m` alongside instead of searching it.
                self.map_len(attrs.len())?;
                let mut values = m.iter().peekable();
                attrs.iter().try_for_each(|(name, t)| {
                    self.str(name)?;
                    let v = values
                        .next_if(|(k, _)| *k == name)
                        .map_or(&Value::Null, |(_, v)| v);
                    self.value(v, t).map_err(|err| format!("{name}: {err}"))
                })
            }
            (t, v) => Err(format!("cannot encode a {} as {t}", v.kind())),
        }
    }
}

/// The first key of `m` (in order) that `attrs` lacks, found by walking
/// the two sorted maps together.
fn first_extra<'m, V>(
    m: &'m BTreeMap<String, V>,
    attrs: &BTreeMap<String, Type>,
) -> Option<&'m String> {
    let mut names = attrs.keys().peekable();
    m.keys().find(|k| {
        while names.next_if(|name| name < k).is_some() {}
        names.next_if(|name| name == k).is_none()
    })
}

fn length(n: usize) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| format!("{n} items or bytes are too many for msgpack"))
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
        let bytes = encode(&Value::Unknown(Box::new(r.clone())), &Type::String).unwrap();
        match (Reader { bytes: &bytes }).head().unwrap() {
            Head::Ext(kind, _) => assert_eq!(kind, 12, "refined unknowns use extension type 12"),
            other => panic!("expected an extension, got {}", other.kind()),
        }
        match decode(&bytes, &Type::String).unwrap() {
            Value::Unknown(back) => assert_eq!(*back, r),
            other => panic!("expected unknown, got {other:?}"),
        }
        let r = Refinements {
            number_lower: Some((Number::Int(1), true)),
            number_upper: Some((Number::Int(25), false)),
            length_lower: Some(1),
            length_upper: Some(3),
            ..Default::default()
        };
        match round_trip(&Value::Unknown(Box::new(r.clone())), &Type::Number) {
            Value::Unknown(back) => assert_eq!(*back, r),
            other => panic!("expected unknown, got {other:?}"),
        }
    }

    #[test]
    fn big_numbers_travel_as_decimal_strings() {
        let big = Value::Number(Number::Decimal("123456789012345678901234567890.5".into()));
        let bytes = encode(&big, &Type::Number).unwrap();
        assert!(matches!(
            (Reader { bytes: &bytes }).head().unwrap(),
            Head::Str(s) if s.len() == 32
        ));
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

    /// A msgpack map of string keys to strings, in the order given.
    fn raw_map(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Out(ByteBuf::new());
        out.map_len(entries.len()).unwrap();
        for (k, v) in entries {
            out.str(k).unwrap();
            out.str(v).unwrap();
        }
        out.0.into_vec()
    }

    fn strings(entries: &[(&str, &str)]) -> BTreeMap<String, Value> {
        (entries.iter())
            .map(|(k, v)| (k.to_string(), Value::from(*v)))
            .collect()
    }

    #[test]
    fn object_attributes_decode_in_any_order() {
        let ty = Type::object([
            ("a", Type::String),
            ("b", Type::String),
            ("c", Type::String),
        ]);
        let want = Value::Object(strings(&[("a", "1"), ("b", "2"), ("c", "3")]));
        for order in [
            [("a", "1"), ("b", "2"), ("c", "3")],
            [("c", "3"), ("a", "1"), ("b", "2")],
            [("a", "1"), ("c", "3"), ("b", "2")],
        ] {
            assert_eq!(decode(&raw_map(&order), &ty).unwrap(), want, "{order:?}");
        }
        // A repeated attribute keeps its last value, and the one it stands
        // in for is left out, as when each was inserted in turn.
        let repeated = raw_map(&[("a", "1"), ("a", "9"), ("b", "2")]);
        let short = Value::Object(strings(&[("a", "9"), ("b", "2")]));
        let ty = Type::object([
            ("a", Type::String),
            ("b", Type::String),
            ("z", Type::String),
        ]);
        assert_eq!(decode(&repeated, &ty).unwrap(), short);
    }

    #[test]
    fn object_attributes_outside_the_type_are_refused() {
        let ty = Type::object([("a", Type::String), ("b", Type::String)]);
        // In step until the stranger, and after it.
        for order in [[("a", "1"), ("x", "2")], [("x", "2"), ("b", "1")]] {
            assert_eq!(
                decode(&raw_map(&order), &ty).unwrap_err(),
                "unsupported attribute \"x\""
            );
        }
        assert_eq!(
            decode(&raw_map(&[("a", "1")]), &ty).unwrap_err(),
            "an object with 2 attributes is required, got 1"
        );
        // An attribute's own error names it, in or out of order.
        let ty = Type::object([("a", Type::String), ("b", Type::Bool)]);
        for order in [[("a", "1"), ("b", "x")], [("b", "x"), ("a", "1")]] {
            assert_eq!(
                decode(&raw_map(&order), &ty).unwrap_err(),
                "b: expected a bool, got string"
            );
        }
    }

    #[test]
    fn map_entries_decode_in_any_order() {
        let ty = Type::map(Type::String);
        let want = Value::Map(strings(&[("k", "1"), ("m", "2")]));
        assert_eq!(
            decode(&raw_map(&[("m", "2"), ("k", "1")]), &ty).unwrap(),
            want
        );
        assert_eq!(
            decode(&raw_map(&[("k", "1"), ("m", "2")]), &ty).unwrap(),
            want
        );
        let repeated = raw_map(&[("k", "0"), ("m", "2"), ("k", "1")]);
        assert_eq!(decode(&repeated, &ty).unwrap(), want);
    }

    #[test]
    fn objects_encode_every_attribute_and_refuse_others() {
        let ty = Type::object([
            ("b", Type::String),
            ("d", Type::String),
            ("f", Type::String),
        ]);
        let partial = Value::Object(strings(&[("d", "2")]));
        assert_eq!(
            decode(&encode(&partial, &ty).unwrap(), &ty).unwrap(),
            Value::Object(
                [
                    ("b".to_string(), Value::Null),
                    ("d".to_string(), Value::from("2")),
                    ("f".to_string(), Value::Null),
                ]
                .into()
            )
        );
        // The first stranger by name is the one reported, wherever it sorts.
        for (extra, first) in [
            (&[("a", "x"), ("c", "y")][..], "a"),
            (&[("c", "x"), ("e", "y")][..], "c"),
            (&[("d", "x"), ("g", "y")][..], "g"),
        ] {
            let v = Value::Object(strings(extra));
            assert_eq!(
                encode(&v, &ty).unwrap_err(),
                format!("unsupported attribute {first:?}")
            );
        }
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
