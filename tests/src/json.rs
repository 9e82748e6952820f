//! Typed values of either crate to and from one JSON form, so the two can be compared.
//!
//! The generated glue (`tests/tests/differential_operations/*.rs`) implements [`FromJson`]
//! and [`ToJson`] for each structure, union and enum of both crates; the impls here cover
//! what the two crates share: strings, numbers, `DateTime`, `Blob`, `Document`, and the
//! containers. Because the glue calls these through the traits, it does not need to know
//! whether a crate holds a member as `T` or `Option<T>`, or whether a builder's `build()`
//! is fallible ([`IntoBuilt`]): the same generated text compiles against both crates.
//!
//! [`FromJson`] reads the wire form the strategies of [`crate::values`] produce (a timestamp
//! as epoch seconds or a date string, a blob as base64). [`ToJson`] writes a comparison form:
//! members that are `None` are left out, a timestamp becomes `"<secs>.<nanos>"` so no
//! precision is lost, a float keeps its exact value, and an unknown union variant becomes
//! `{"$unknown": null}`.

use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime, Document, Number};
use serde_json::{Map, Value};

/// A value built from its wire JSON.
///
/// The JSON comes from the harness's own strategies and always fits the shape; a mismatch
/// is a harness bug and panics with the value.
pub trait FromJson: Sized {
    /// Builds the value.
    fn from_json(v: &Value) -> Self;
}

/// A value turned into its comparison JSON.
pub trait ToJson {
    /// The comparison form.
    fn to_json(&self) -> Value;
}

/// `Some(T::from_json(v))` for a present, non-null member.
pub fn opt<T: FromJson>(v: Option<&Value>) -> Option<T> {
    v.filter(|v| !v.is_null()).map(T::from_json)
}

/// Inserts `name` into a comparison object unless the value is absent (`null`).
pub fn put(object: &mut Map<String, Value>, name: &str, value: &impl ToJson) {
    let v = value.to_json();
    if !v.is_null() {
        object.insert(name.to_owned(), v);
    }
}

/// The object members of `v` (empty for anything else).
pub fn members(v: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    v.as_object().unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// The single `(member, value)` of a union's wire JSON.
pub fn variant(v: &Value) -> (&str, &Value) {
    let m = members(v);
    match m.iter().next() {
        Some((k, v)) if m.len() == 1 => (k.as_str(), v),
        _ => panic!("a union value must have exactly one member: {v}"),
    }
}

/// The result of a builder's `build()`, whether or not it is fallible.
///
/// smithy-rs makes `build()` return `Result` exactly when a member is required and has no
/// default; this crate's rule may differ, and the glue should not care.
pub trait IntoBuilt<T> {
    /// The built value; panics if a required member was missing (the strategies always set
    /// required members of nested structures).
    fn into_built(self) -> T;
}

impl<T, E: std::fmt::Debug> IntoBuilt<T> for Result<T, E> {
    fn into_built(self) -> T {
        self.unwrap_or_else(|e| panic!("building a nested structure from generated JSON: {e:?}"))
    }
}

/// Implements [`IntoBuilt`] for a structure whose `build()` is infallible.
#[macro_export]
macro_rules! infallible_build {
    ($($t:ty),* $(,)?) => {
        $(impl $crate::json::IntoBuilt<$t> for $t {
            fn into_built(self) -> $t {
                self
            }
        })*
    };
}

fn expect<T>(v: &Value, what: &str, got: Option<T>) -> T {
    got.unwrap_or_else(|| panic!("expected {what}, generated {v}"))
}

impl FromJson for String {
    fn from_json(v: &Value) -> Self {
        expect(v, "a string", v.as_str()).to_owned()
    }
}

impl FromJson for bool {
    fn from_json(v: &Value) -> Self {
        expect(v, "a boolean", v.as_bool())
    }
}

macro_rules! int_from_json {
    ($($t:ty),*) => {
        $(impl FromJson for $t {
            fn from_json(v: &Value) -> Self {
                let n = expect(v, "an integer", v.as_i64());
                <$t>::try_from(n).unwrap_or_else(|_| panic!("{n} does not fit {}", stringify!($t)))
            }
        })*
    };
}
int_from_json!(i8, i16, i32, i64);

/// A float from a JSON number or one of the strings awsJson uses for non-finite values.
fn float(v: &Value) -> f64 {
    match v {
        Value::String(s) => match s.as_str() {
            "NaN" => f64::NAN,
            "Infinity" => f64::INFINITY,
            "-Infinity" => f64::NEG_INFINITY,
            _ => panic!("expected a float, generated {v}"),
        },
        _ => expect(v, "a float", v.as_f64()),
    }
}

impl FromJson for f64 {
    fn from_json(v: &Value) -> Self {
        float(v)
    }
}

impl FromJson for f32 {
    fn from_json(v: &Value) -> Self {
        // The strategies generate f32 values widened to f64, so this is exact.
        float(v) as f32
    }
}

impl FromJson for DateTime {
    fn from_json(v: &Value) -> Self {
        match v {
            Value::Number(n) => match n.as_i64() {
                Some(secs) => DateTime::from_secs(secs),
                None => DateTime::from_secs_f64(float(v)),
            },
            Value::String(s) => DateTime::from_str(s, Format::DateTimeWithOffset)
                .or_else(|_| DateTime::from_str(s, Format::HttpDate))
                .unwrap_or_else(|e| panic!("generated timestamp {s:?}: {e}")),
            _ => panic!("expected a timestamp, generated {v}"),
        }
    }
}

impl FromJson for Blob {
    fn from_json(v: &Value) -> Self {
        let text = expect(v, "a base64 string", v.as_str());
        Blob::new(
            aws_smithy_types::base64::decode(text)
                .unwrap_or_else(|e| panic!("generated blob {text:?}: {e}")),
        )
    }
}

impl FromJson for Document {
    fn from_json(v: &Value) -> Self {
        match v {
            Value::Null => Document::Null,
            Value::Bool(b) => Document::Bool(*b),
            Value::Number(n) => Document::Number(if let Some(u) = n.as_u64() {
                Number::PosInt(u)
            } else if let Some(i) = n.as_i64() {
                Number::NegInt(i)
            } else {
                Number::Float(float(v))
            }),
            Value::String(s) => Document::String(s.clone()),
            Value::Array(a) => Document::Array(a.iter().map(Document::from_json).collect()),
            Value::Object(o) => Document::Object(
                o.iter()
                    .map(|(k, v)| (k.clone(), Document::from_json(v)))
                    .collect(),
            ),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value) -> Self {
        expect(v, "an array", v.as_array())
            .iter()
            .map(T::from_json)
            .collect()
    }
}

impl<V: FromJson> FromJson for HashMap<String, V> {
    fn from_json(v: &Value) -> Self {
        expect(v, "an object", v.as_object())
            .iter()
            .map(|(k, v)| (k.clone(), V::from_json(v)))
            .collect()
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_owned())
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

macro_rules! int_to_json {
    ($($t:ty),*) => {
        $(impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        })*
    };
}
int_to_json!(i8, i16, i32, i64);

/// A float's comparison form: the exact value as a number, or the awsJson string for a
/// non-finite one.
pub fn float_json(f: f64) -> Value {
    if f.is_nan() {
        Value::from("NaN")
    } else if f.is_infinite() {
        Value::from(if f > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Value {
        float_json(*self)
    }
}

impl ToJson for f32 {
    fn to_json(&self) -> Value {
        float_json(f64::from(*self))
    }
}

/// A timestamp's comparison form: `"<secs>.<nanos>"`, exact.
pub fn timestamp_json(t: &DateTime) -> Value {
    Value::String(format!("{}.{:09}", t.secs(), t.subsec_nanos()))
}

impl ToJson for DateTime {
    fn to_json(&self) -> Value {
        timestamp_json(self)
    }
}

impl ToJson for Blob {
    fn to_json(&self) -> Value {
        Value::String(aws_smithy_types::base64::encode(self.as_ref()))
    }
}

impl ToJson for Document {
    fn to_json(&self) -> Value {
        match self {
            Document::Null => Value::Null,
            Document::Bool(b) => Value::Bool(*b),
            Document::Number(Number::PosInt(u)) => Value::from(*u),
            Document::Number(Number::NegInt(i)) => Value::from(*i),
            Document::Number(Number::Float(f)) => float_json(*f),
            Document::String(s) => Value::String(s.clone()),
            Document::Array(a) => Value::Array(a.iter().map(ToJson::to_json).collect()),
            Document::Object(o) => {
                Value::Object(o.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}

impl<V: ToJson> ToJson for HashMap<String, V> {
    fn to_json(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_read_every_wire_form_to_the_same_instant() {
        let want = DateTime::from_secs_and_nanos(1_795_842_000, 500_000_000);
        for v in [
            json!(1_795_842_000.5),
            json!("2026-11-28T05:00:00.5Z"),
            json!("2026-11-28T06:00:00.500+01:00"),
        ] {
            assert_eq!(DateTime::from_json(&v), want, "{v}");
        }
        assert_eq!(
            DateTime::from_json(&json!("Sat, 28 Nov 2026 05:00:00 GMT")),
            DateTime::from_secs(1_795_842_000)
        );
        assert_eq!(want.to_json(), json!("1795842000.500000000"));
    }

    #[test]
    fn absent_members_are_left_out_and_floats_keep_their_value() {
        let mut m = Map::new();
        put(&mut m, "a", &None::<String>);
        put(&mut m, "b", &Some(0.1f32));
        put(&mut m, "c", &f64::NEG_INFINITY);
        assert_eq!(
            Value::Object(m),
            json!({"b": f64::from(0.1f32), "c": "-Infinity"})
        );
        assert!(f64::from_json(&json!("NaN")).is_nan());
    }

    #[test]
    fn containers_round_trip() {
        let v = json!({"k": [1, 2], "j": []});
        let m: HashMap<String, Vec<i32>> = FromJson::from_json(&v);
        assert_eq!(m.to_json(), v);
        let blob = Blob::from_json(&json!("AAEC/w=="));
        assert_eq!(blob.as_ref(), &[0, 1, 2, 255]);
        assert_eq!(blob.to_json(), json!("AAEC/w=="));
    }
}
