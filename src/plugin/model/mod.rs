//! Typed models: a resource describes its state as a plain Rust struct
//! deriving serde's `Serialize`/`Deserialize`, and converts it to and from a
//! [`Value`] here, so the mapping between attribute names and fields is
//! declared once, on the struct.
//!
//! Terraform values may be null or not yet known; [`Field`] keeps the three
//! cases apart where a model needs them (planned values, computed
//! attributes). `Option<T>` reads null as `None` and refuses unknowns; a
//! plain `T` refuses both. Nested blocks are `Vec<Block>` (lists and sets
//! alike), maps are `BTreeMap<String, T>`.
//!
//! Conversion errors carry the [`AttributePath`] of the value that did not
//! fit, so they become diagnostics that point at the attribute.
//!
//! The serde data model is walked by hand here because no crate converts
//! between serde and a value model with unknowns and attribute paths.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::ser;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::diagnostics::{AttributePath, Diagnostic, PathStep};
use super::value::{Number, Type, Value};

/// Struct name [`Field`] hands to serde, so that this module's deserializer
/// can tell it apart from `Option` and report unknowns to it.
const FIELD_MARKER: &str = "$terraform::Field";
/// Unit-struct name a [`Field::Unknown`] serialises as.
const UNKNOWN_MARKER: &str = "$terraform::Unknown";

/// A Terraform value of type `T` that may be null or not yet known, as
/// `types.String` and friends in terraform-plugin-framework.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Field<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
}

impl<T> Field<T> {
    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Field::Unknown)
    }

    pub fn is_known(&self) -> bool {
        matches!(self, Field::Known(_))
    }

    /// The value when known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Field::Known(v) => Some(v),
            _ => None,
        }
    }

    /// The value when known, by value.
    pub fn into_known(self) -> Option<T> {
        match self {
            Field::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Null => Field::Null,
            Field::Unknown => Field::Unknown,
            Field::Known(v) => Field::Known(v),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Null => Field::Null,
            Field::Unknown => Field::Unknown,
            Field::Known(v) => Field::Known(f(v)),
        }
    }

    /// Keeps a known value, or takes `other` when null or unknown.
    pub fn or(self, other: Field<T>) -> Field<T> {
        match self {
            Field::Known(_) => self,
            _ => other,
        }
    }
}

impl<T: std::ops::Deref> Field<T> {
    /// The known value dereferenced (`Field<String>` gives `Option<&str>`).
    pub fn as_deref(&self) -> Option<&T::Target> {
        self.known().map(|v| &**v)
    }
}

impl<T> From<Option<T>> for Field<T> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Field::Null, Field::Known)
    }
}

impl From<&str> for Field<String> {
    fn from(s: &str) -> Self {
        Field::Known(s.to_string())
    }
}

impl From<Option<&str>> for Field<String> {
    fn from(s: Option<&str>) -> Self {
        s.map_or(Field::Null, |s| Field::Known(s.to_string()))
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Null => serializer.serialize_none(),
            Field::Unknown => serializer.serialize_unit_struct(UNKNOWN_MARKER),
            Field::Known(v) => serializer.serialize_some(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for FieldVisitor<T> {
            type Value = Field<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value, null or unknown")
            }

            fn visit_none<E: de::Error>(self) -> Result<Field<T>, E> {
                Ok(Field::Null)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Field<T>, E> {
                Ok(Field::Unknown)
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Field<T>, D::Error> {
                T::deserialize(d).map(Field::Known)
            }

            // Other deserializers (JSON) know no unknowns: null or a value.
            fn visit_newtype_struct<D: Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Field<T>, D::Error> {
                Option::<T>::deserialize(d).map(Field::from)
            }
        }

        deserializer.deserialize_newtype_struct(FIELD_MARKER, FieldVisitor(Default::default()))
    }
}

/// A value that did not fit a model, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    pub path: AttributePath,
    pub message: String,
}

impl ModelError {
    fn at(mut self, path: &AttributePath) -> Self {
        if self.path.is_root() {
            self.path = path.clone();
        }
        self
    }

    /// As [`ModelError::at`], for the value being read at `place`.
    fn at_place(mut self, place: &Place) -> Self {
        if self.path.is_root() {
            self.path = place.path();
        }
        self
    }

    /// An error diagnostic pointing at the attribute.
    pub fn into_diagnostic(self, summary: &str) -> Diagnostic {
        let path = self.path.clone();
        Diagnostic::error(summary, self.to_string()).at(path)
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_root() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ModelError {}

impl From<ModelError> for Diagnostic {
    fn from(e: ModelError) -> Diagnostic {
        e.into_diagnostic("Invalid value")
    }
}

impl From<ModelError> for super::Diagnostics {
    fn from(e: ModelError) -> super::Diagnostics {
        Diagnostic::from(e).into()
    }
}

impl From<ModelError> for String {
    fn from(e: ModelError) -> String {
        e.to_string()
    }
}

impl de::Error for ModelError {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        ModelError {
            path: AttributePath::root(),
            message: msg.to_string(),
        }
    }
}

impl ser::Error for ModelError {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        de::Error::custom(msg)
    }
}

/// Reads `value` into a model. Null fits `Option` and [`Field`]; unknown
/// fits only [`Field`]; an object's attributes the model does not name are
/// ignored.
pub fn from_value<'de, T: Deserialize<'de>>(value: &'de Value) -> Result<T, ModelError> {
    T::deserialize(ValueDeserializer {
        value,
        place: &Place::Root,
    })
}

/// Reads an owned model out of `value` (for models without borrowed fields).
pub fn from_value_owned<T: DeserializeOwned>(value: &Value) -> Result<T, ModelError> {
    from_value(value)
}

/// Builds a value of type `ty` from a model. Attributes of `ty` the model
/// does not name are null; fields `ty` does not name are an error.
pub fn to_value<T: Serialize>(model: &T, ty: &Type) -> Result<Value, ModelError> {
    let value = model.serialize(ValueSerializer)?;
    value.conform(ty).map_err(|message| ModelError {
        path: AttributePath::root(),
        message,
    })
}

/// Writes the model's attributes over those of `value`, an object of type
/// `ty`, leaving attributes the model does not name as they were.
pub fn merge_into<T: Serialize>(value: &mut Value, model: &T, ty: &Type) -> Result<(), ModelError> {
    // A struct with flattened fields serialises as a map.
    let (Value::Object(fields) | Value::Map(fields)) = model.serialize(ValueSerializer)? else {
        return Err(de::Error::custom("a model must serialise as an object"));
    };
    let types = ty.attributes();
    for (name, field) in fields {
        let Some(field_type) = types.and_then(|t| t.get(&name)) else {
            return Err(ModelError {
                path: AttributePath::attr(&name),
                message: "no such attribute".into(),
            });
        };
        let field = field.conform(field_type).map_err(|message| ModelError {
            path: AttributePath::attr(&name),
            message,
        })?;
        value.set_attr(&name, field);
    }
    Ok(())
}

// ---- Deserializing: Value -> model ----

struct ValueDeserializer<'p, 'de> {
    value: &'de Value,
    place: &'p Place<'p>,
}

/// Where the value being read sits: a chain of steps borrowed from the
/// readers above it, made into an [`AttributePath`] only for an error. Most
/// reads succeed, and building and dropping a path for every value was a
/// large part of the cost of reading a model.
#[derive(Clone, Copy)]
enum Place<'p> {
    Root,
    Attribute(&'p Place<'p>, &'p str),
    Key(&'p Place<'p>, &'p str),
    Index(&'p Place<'p>, usize),
}

impl Place<'_> {
    fn path(&self) -> AttributePath {
        let mut steps = Vec::new();
        let mut place = self;
        loop {
            let (parent, step) = match *place {
                Place::Root => break,
                Place::Attribute(parent, name) => (parent, PathStep::Attribute(name.to_string())),
                Place::Key(parent, key) => (parent, PathStep::Key(key.to_string())),
                Place::Index(parent, i) => (parent, PathStep::Index(i as i64)),
            };
            steps.push(step);
            place = parent;
        }
        steps.reverse();
        AttributePath(steps)
    }

    /// Reads `value`, which sits here, with `seed`.
    fn read<'de, S: de::DeserializeSeed<'de>>(
        &self,
        value: &'de Value,
        seed: S,
    ) -> Result<S::Value, ModelError> {
        seed.deserialize(ValueDeserializer { value, place: self })
            .map_err(|e| e.at_place(self))
    }
}

impl<'de> ValueDeserializer<'_, 'de> {
    fn inner(&self) -> &'de Value {
        self.value.content()
    }

    fn error(&self, message: impl Into<String>) -> ModelError {
        ModelError {
            path: self.place.path(),
            message: message.into(),
        }
    }

    fn not_known(&self) -> ModelError {
        self.error("value is not known yet")
    }

    fn number<V: Visitor<'de>>(self, n: &Number, visitor: V) -> Result<V::Value, ModelError> {
        let place = self.place;
        match n {
            Number::UInt(u) => visitor.visit_u64(*u),
            _ => match n.as_i64() {
                Some(i) => visitor.visit_i64(i),
                None => visitor.visit_f64(n.as_f64()),
            },
        }
        .map_err(|e: ModelError| e.at_place(place))
    }
}

impl<'de> Deserializer<'de> for ValueDeserializer<'_, 'de> {
    type Error = ModelError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        let place = self.place;
        let result = match self.inner() {
            Value::Null => visitor.visit_unit(),
            Value::Unknown(_) => return Err(self.not_known()),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => return self.number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                visitor.visit_seq(Elements {
                    items: items.iter(),
                    index: 0,
                    place: self.place,
                })
            }
            Value::Object(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                pending: None,
                object: true,
                place: self.place,
            }),
            Value::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                pending: None,
                object: false,
                place: self.place,
            }),
            Value::Dynamic(_) => unreachable!("inner() unwraps dynamic values"),
        };
        result.map_err(|e| e.at_place(place))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        let place = self.place;
        match self.inner() {
            Value::Null => visitor.visit_none(),
            Value::Unknown(_) => Err(self.not_known()),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| e.at_place(place))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ModelError> {
        let place = self.place;
        if name == FIELD_MARKER {
            return match self.inner() {
                Value::Null => visitor.visit_none(),
                Value::Unknown(_) => visitor.visit_unit(),
                _ => visitor.visit_some(self),
            }
            .map_err(|e| e.at_place(place));
        }
        visitor
            .visit_newtype_struct(self)
            .map_err(|e| e.at_place(place))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ModelError> {
        let place = self.place;
        match self.inner() {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Unknown(_) => Err(self.not_known()),
            other => Err(self.error(format!("expected a string, got {}", other.kind()))),
        }
        .map_err(|e: ModelError| e.at_place(place))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        // Attributes a model leaves out may be unknown; that is no error.
        visitor.visit_unit()
    }

    // The value itself says what it is; the model's hint adds nothing.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier
    }
}

struct Elements<'p, 'de> {
    items: std::slice::Iter<'de, Value>,
    index: usize,
    place: &'p Place<'p>,
}

impl<'de> de::SeqAccess<'de> for Elements<'_, 'de> {
    type Error = ModelError;

    fn next_element_seed<S: de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, ModelError> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        let place = Place::Index(self.place, self.index);
        self.index += 1;
        place.read(value, seed).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries<'p, 'de> {
    entries: std::collections::btree_map::Iter<'de, String, Value>,
    pending: Option<(&'de String, &'de Value)>,
    /// Object attributes and map keys make different path steps.
    object: bool,
    place: &'p Place<'p>,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = ModelError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ModelError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.pending = Some((key, value));
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ModelError> {
        let (key, value) = self
            .pending
            .take()
            .ok_or_else(|| de::Error::custom("a map value was asked for before its key"))?;
        let place = if self.object {
            Place::Attribute(self.place, key)
        } else {
            Place::Key(self.place, key)
        };
        place.read(value, seed)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

// ---- Serializing: model -> Value ----

struct ValueSerializer;

impl Serializer for ValueSerializer {
    type Ok = Value;
    type Error = ModelError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = ser::Impossible<Value, ModelError>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = ser::Impossible<Value, ModelError>;

    fn serialize_bool(self, v: bool) -> Result<Value, ModelError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::Int(v.into())))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::Int(v.into())))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::Int(v.into())))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::Int(v)))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::Int(v.into())))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::Int(v.into())))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::Int(v.into())))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, ModelError> {
        Ok(Value::Number(
            i64::try_from(v).map_or(Number::UInt(v), Number::Int),
        ))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::Float(v.into())))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::Float(v)))
    }
    fn serialize_char(self, v: char) -> Result<Value, ModelError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, ModelError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Value, ModelError> {
        Err(ser::Error::custom("Terraform values have no bytes type"))
    }
    fn serialize_none(self) -> Result<Value, ModelError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, ModelError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, ModelError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<Value, ModelError> {
        Ok(if name == UNKNOWN_MARKER {
            Value::unknown()
        } else {
            Value::Null
        })
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, ModelError> {
        Ok(Value::String(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, ModelError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _value: &T,
    ) -> Result<Value, ModelError> {
        Err(data_variant(variant))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, ModelError> {
        Ok(SeqBuilder(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, ModelError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, ModelError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, ModelError> {
        Err(data_variant(variant))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapBuilder, ModelError> {
        Ok(MapBuilder {
            entries: BTreeMap::new(),
            key: None,
            object: false,
        })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<MapBuilder, ModelError> {
        Ok(MapBuilder {
            entries: BTreeMap::new(),
            key: None,
            object: true,
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, ModelError> {
        Err(data_variant(variant))
    }
}

/// Enum variants with data have no Terraform value to become.
fn data_variant(variant: &str) -> ModelError {
    ser::Error::custom(format!(
        "variant {variant} carries data; Terraform values cannot"
    ))
}

struct SeqBuilder(Vec<Value>);

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ModelError> {
        let path = AttributePath::root().then_index(self.0.len());
        self.0
            .push(value.serialize(ValueSerializer).map_err(|e| e.at(&path))?);
        Ok(())
    }
    fn end(self) -> Result<Value, ModelError> {
        Ok(Value::List(self.0))
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ModelError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, ModelError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ModelError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, ModelError> {
        ser::SerializeSeq::end(self)
    }
}

struct MapBuilder {
    entries: BTreeMap<String, Value>,
    key: Option<String>,
    object: bool,
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ModelError> {
        match key.serialize(ValueSerializer)? {
            Value::String(s) => {
                self.key = Some(s);
                Ok(())
            }
            other => Err(ser::Error::custom(format!(
                "map keys must be strings, not {}",
                other.kind()
            ))),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ModelError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <ModelError as ser::Error>::custom("map value without a key"))?;
        let path = AttributePath(vec![PathStep::Key(key.clone())]);
        let value = value.serialize(ValueSerializer).map_err(|e| e.at(&path))?;
        self.entries.insert(key, value);
        Ok(())
    }
    fn end(self) -> Result<Value, ModelError> {
        Ok(if self.object {
            Value::Object(self.entries)
        } else {
            Value::Map(self.entries)
        })
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ModelError> {
        let value = value
            .serialize(ValueSerializer)
            .map_err(|e| e.at(&AttributePath::attr(key)))?;
        self.entries.insert(key.to_string(), value);
        Ok(())
    }
    fn end(self) -> Result<Value, ModelError> {
        Ok(Value::Object(self.entries))
    }
}

#[cfg(test)]
mod tests;
