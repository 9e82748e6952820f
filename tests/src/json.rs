//! Typed values of either crate to and from one JSON form, so the two can be compared.
//!
//! Each generated glue module (`crate::glue::*`) declares `FromJson`, `ToJson` and
//! `IntoBuilt` with [`conversions!`] and implements them for every structure, union and enum
//! of both crates; the macro also implements them for what the crates share (strings,
//! numbers, `DateTime`, `Blob`, `Document`, the containers) through the functions here.
//! The traits are declared per glue module because two modules implement them for the
//! same official types (the slice's and the full service's), which one shared trait would
//! not allow.
//!
//! Because the glue calls these through the traits, it does not need to know whether a
//! crate holds a member as `T` or `Option<T>`, or whether a builder's `build()` is fallible
//! (`IntoBuilt`): the same generated text compiles against both crates.
//!
//! `FromJson` reads the wire form the strategies of [`crate::values`] produce (a timestamp
//! as epoch seconds or a date string, a blob as base64). `ToJson` writes a comparison form:
//! members that are `None` are left out, a timestamp becomes `"<secs>.<nanos>"` so no
//! precision is lost, a float keeps its exact value, and an unknown union variant becomes
//! `{"$unknown": true}`.

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime, Document, Number};
use serde_json::{Map, Value};

/// Declares `FromJson`, `ToJson` and `IntoBuilt` in the calling module, with `opt` and
/// `put`, and implements them for the types both crates share. See the [module
/// docs](crate::json).
#[macro_export]
macro_rules! conversions {
    () => {
        /// A value built from its wire JSON.
        ///
        /// The JSON comes from the harness's own strategies and always fits the shape; a
        /// mismatch is a harness bug and panics with the value.
        pub trait FromJson: Sized {
            /// Builds the value.
            fn from_json(v: &::serde_json::Value) -> Self;
        }

        /// A value turned into its comparison JSON.
        pub trait ToJson {
            /// The comparison form.
            fn to_json(&self) -> ::serde_json::Value;
        }

        /// The result of a builder's `build()`, whether or not it is fallible.
        ///
        /// smithy-rs makes `build()` return `Result` exactly when a member is required and
        /// has no default; this crate's rule may differ, and the glue should not care.
        #[allow(dead_code)] // a model whose inputs nest no structure does not use it
        pub trait IntoBuilt<T> {
            /// The built value; panics if a required member was missing (the strategies
            /// always set required members of nested structures).
            fn into_built(self) -> T;
        }

        impl<T, E: ::std::fmt::Debug> IntoBuilt<T> for ::std::result::Result<T, E> {
            fn into_built(self) -> T {
                self.unwrap_or_else(|e| {
                    panic!("building a nested structure from generated JSON: {e:?}")
                })
            }
        }

        /// `Some(T::from_json(v))` for a present, non-null member.
        pub fn opt<T: FromJson>(v: ::std::option::Option<&::serde_json::Value>) -> ::std::option::Option<T> {
            v.filter(|v| !v.is_null()).map(T::from_json)
        }

        /// Inserts `name` into a comparison object unless the value is absent (`null`).
        pub fn put(
            object: &mut ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            name: &str,
            value: &impl ToJson,
        ) {
            let v = value.to_json();
            if !v.is_null() {
                object.insert(name.to_owned(), v);
            }
        }

        $crate::conversions!(@shared
            ::std::string::String => string_from, string_json;
            bool => bool_from, bool_json;
            i8 => i8_from, int_json;
            i16 => i16_from, int_json;
            i32 => i32_from, int_json;
            i64 => i64_from, int_json;
            f32 => f32_from, f32_json;
            f64 => float_from, float_json;
            ::aws_smithy_types::DateTime => timestamp_from, timestamp_json;
            ::aws_smithy_types::Blob => blob_from, blob_json;
            ::aws_smithy_types::Document => document_from, document_json;
        );

        impl ToJson for str {
            fn to_json(&self) -> ::serde_json::Value {
                ::serde_json::Value::from(self)
            }
        }

        impl<T: FromJson> FromJson for ::std::vec::Vec<T> {
            fn from_json(v: &::serde_json::Value) -> Self {
                $crate::json::items(v).iter().map(T::from_json).collect()
            }
        }

        impl<V: FromJson> FromJson for ::std::collections::HashMap<::std::string::String, V> {
            fn from_json(v: &::serde_json::Value) -> Self {
                $crate::json::members(v)
                    .iter()
                    .map(|(k, v)| (k.clone(), V::from_json(v)))
                    .collect()
            }
        }

        impl<T: ToJson> ToJson for ::std::option::Option<T> {
            fn to_json(&self) -> ::serde_json::Value {
                self.as_ref().map_or(::serde_json::Value::Null, ToJson::to_json)
            }
        }

        impl<T: ToJson + ?Sized> ToJson for &T {
            fn to_json(&self) -> ::serde_json::Value {
                (**self).to_json()
            }
        }

        impl<T: ToJson> ToJson for [T] {
            fn to_json(&self) -> ::serde_json::Value {
                ::serde_json::Value::Array(self.iter().map(ToJson::to_json).collect())
            }
        }

        impl<T: ToJson> ToJson for ::std::vec::Vec<T> {
            fn to_json(&self) -> ::serde_json::Value {
                self.as_slice().to_json()
            }
        }

        impl<V: ToJson> ToJson for ::std::collections::HashMap<::std::string::String, V> {
            fn to_json(&self) -> ::serde_json::Value {
                ::serde_json::Value::Object(
                    self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect(),
                )
            }
        }
    };
    (@shared $($t:ty => $from:ident, $to:ident;)*) => {
        $(
            impl FromJson for $t {
                fn from_json(v: &::serde_json::Value) -> Self {
                    $crate::json::$from(v)
                }
            }
            impl ToJson for $t {
                fn to_json(&self) -> ::serde_json::Value {
                    $crate::json::$to(self)
                }
            }
        )*
    };
}

/// Implements the calling module's `IntoBuilt` for structures whose `build()` is
/// infallible.
#[macro_export]
macro_rules! infallible_build {
    ($($t:ty),* $(,)?) => {
        $(impl IntoBuilt<$t> for $t {
            fn into_built(self) -> $t {
                self
            }
        })*
    };
}

fn expect<T>(v: &Value, what: &str, got: Option<T>) -> T {
    got.unwrap_or_else(|| panic!("expected {what}, generated {v}"))
}

/// The object members of `v` (empty for anything else).
pub fn members(v: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    v.as_object().unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// The items of a generated JSON array.
pub fn items(v: &Value) -> &[Value] {
    expect(v, "an array", v.as_array().map(Vec::as_slice))
}

/// The single `(member, value)` of a union's wire JSON.
pub fn variant(v: &Value) -> (&str, &Value) {
    let m = members(v);
    match m.iter().next() {
        Some((k, v)) if m.len() == 1 => (k.as_str(), v),
        _ => panic!("a union value must have exactly one member: {v}"),
    }
}

/// A union's comparison form: `{member: value}`.
pub fn one(member: &str, value: Value) -> Value {
    let mut m = Map::new();
    m.insert(member.to_owned(), value);
    Value::Object(m)
}

/// The comparison form of a union's `Unknown` variant (a member newer than the model).
pub fn unknown_variant() -> Value {
    one("$unknown", Value::Bool(true))
}

/// A generated string.
pub fn string_from(v: &Value) -> String {
    expect(v, "a string", v.as_str()).to_owned()
}

/// A generated boolean.
pub fn bool_from(v: &Value) -> bool {
    expect(v, "a boolean", v.as_bool())
}

/// A generated integer.
pub fn int_from(v: &Value) -> i64 {
    expect(v, "an integer", v.as_i64())
}

fn narrow<T: TryFrom<i64>>(v: &Value) -> T {
    let n = int_from(v);
    T::try_from(n).unwrap_or_else(|_| panic!("{n} does not fit {}", std::any::type_name::<T>()))
}

/// A generated byte.
pub fn i8_from(v: &Value) -> i8 {
    narrow(v)
}

/// A generated short.
pub fn i16_from(v: &Value) -> i16 {
    narrow(v)
}

/// A generated integer.
pub fn i32_from(v: &Value) -> i32 {
    narrow(v)
}

/// A generated long.
pub fn i64_from(v: &Value) -> i64 {
    int_from(v)
}

/// A float from a JSON number or one of the strings awsJson uses for non-finite values.
pub fn float_from(v: &Value) -> f64 {
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

/// A generated f32 (the strategies widen f32 values to f64, so this is exact).
pub fn f32_from(v: &Value) -> f32 {
    float_from(v) as f32
}

/// A timestamp in any of its wire forms: epoch seconds, RFC 3339 (with an offset or not),
/// IMF-fixdate.
pub fn timestamp_from(v: &Value) -> DateTime {
    match v {
        Value::Number(n) => match n.as_i64() {
            Some(secs) => DateTime::from_secs(secs),
            None => DateTime::from_secs_f64(float_from(v)),
        },
        Value::String(s) => DateTime::from_str(s, Format::DateTimeWithOffset)
            .or_else(|_| DateTime::from_str(s, Format::HttpDate))
            .unwrap_or_else(|e| panic!("generated timestamp {s:?}: {e}")),
        _ => panic!("expected a timestamp, generated {v}"),
    }
}

/// A blob from base64.
pub fn blob_from(v: &Value) -> Blob {
    let text = expect(v, "a base64 string", v.as_str());
    Blob::new(
        aws_smithy_types::base64::decode(text)
            .unwrap_or_else(|e| panic!("generated blob {text:?}: {e}")),
    )
}

/// A document from any JSON.
pub fn document_from(v: &Value) -> Document {
    match v {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => Document::Number(if let Some(u) = n.as_u64() {
            Number::PosInt(u)
        } else if let Some(i) = n.as_i64() {
            Number::NegInt(i)
        } else {
            Number::Float(float_from(v))
        }),
        Value::String(s) => Document::String(s.clone()),
        Value::Array(a) => Document::Array(a.iter().map(document_from).collect()),
        Value::Object(o) => Document::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), document_from(v)))
                .collect(),
        ),
    }
}

/// A string's comparison form.
pub fn string_json(s: &str) -> Value {
    Value::from(s)
}

/// A boolean's comparison form.
pub fn bool_json(b: &bool) -> Value {
    Value::Bool(*b)
}

/// An integer's comparison form.
pub fn int_json<T: Copy + Into<i64>>(n: &T) -> Value {
    Value::from((*n).into())
}

/// A float's comparison form: the exact value as a number, or the awsJson string for a
/// non-finite one.
pub fn float_json(f: &f64) -> Value {
    let f = *f;
    if f.is_nan() {
        Value::from("NaN")
    } else if f.is_infinite() {
        Value::from(if f > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// An f32's comparison form (its exact value, widened).
pub fn f32_json(f: &f32) -> Value {
    float_json(&f64::from(*f))
}

/// A timestamp's comparison form: `"<secs>.<nanos>"`, exact.
pub fn timestamp_json(t: &DateTime) -> Value {
    Value::String(format!("{}.{:09}", t.secs(), t.subsec_nanos()))
}

/// A blob's comparison form: base64.
pub fn blob_json(b: &Blob) -> Value {
    Value::String(aws_smithy_types::base64::encode(b.as_ref()))
}

/// A document's comparison form.
pub fn document_json(d: &Document) -> Value {
    match d {
        Document::Null => Value::Null,
        Document::Bool(b) => Value::Bool(*b),
        Document::Number(Number::PosInt(u)) => Value::from(*u),
        Document::Number(Number::NegInt(i)) => Value::from(*i),
        Document::Number(Number::Float(f)) => float_json(f),
        Document::String(s) => Value::String(s.clone()),
        Document::Array(a) => Value::Array(a.iter().map(document_json).collect()),
        Document::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), document_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use aws_smithy_types::{Blob, DateTime};
    use serde_json::{json, Map, Value};

    crate::conversions!();

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
        assert_eq!(opt::<i8>(Some(&json!(-3))), Some(-3));
        assert_eq!(opt::<i8>(Some(&Value::Null)), None);
    }
}
