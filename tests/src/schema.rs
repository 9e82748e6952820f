//! The model as the per-operation differential harness sees it.
//!
//! A [`Schema`] is generated from the lowered model by `cargo xtask codegen` (xtask's
//! `codegen/differential_emit.rs`), one per client under test, as a static table: every shape an
//! operation reaches, with its wire names and constraint traits, and every operation with
//! its errors and pagination. [`crate::values`] turns it into proptest strategies of wire
//! JSON; [`crate::operations`] drives both clients with what they generate.
//!
//! Shapes refer to each other by index into [`Schema::shapes`], so the table is plain data
//! with no lookups by name at run time.

/// One client's model: its shapes and operations.
#[derive(Debug)]
pub struct Schema {
    /// Which generated crates this schema describes (`slice`, `full-service`).
    pub name: &'static str,
    /// The awsJson target prefix (`RedshiftServerless`).
    pub target_prefix: &'static str,
    /// The awsJson version's content type (`application/x-amz-json-1.1`).
    pub content_type: &'static str,
    /// Every shape the operations reach, by index.
    pub shapes: &'static [Shape],
    /// The operations, in name order.
    pub operations: &'static [Operation],
}

impl Schema {
    /// The operation called `name`.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.name == name)
    }

    /// The shape at `index`.
    pub fn shape(&self, index: usize) -> &Shape {
        &self.shapes[index]
    }

    /// The members of the structure or union at `index` (empty for other kinds).
    pub fn members(&self, index: usize) -> &'static [Member] {
        match self.shapes[index].kind {
            Kind::Structure(m) | Kind::Union(m) => m,
            _ => &[],
        }
    }
}

/// A shape.
#[derive(Debug)]
pub struct Shape {
    /// The absolute shape id, for messages.
    pub id: &'static str,
    /// What it is, with its own constraint traits.
    pub kind: Kind,
}

impl Shape {
    /// A shape called `id`.
    pub const fn new(id: &'static str, kind: Kind) -> Self {
        Shape { id, kind }
    }
}

/// Shape kinds, with the constraints that apply to each.
#[derive(Debug)]
pub enum Kind {
    /// A structure: its members in declaration order.
    Structure(&'static [Member]),
    /// A tagged union: exactly one member is set on the wire.
    Union(&'static [Member]),
    /// A list.
    List {
        /// The member's target.
        member: usize,
        /// `@length` (number of items).
        length: Length,
        /// `@uniqueItems`.
        unique: bool,
    },
    /// A map with string keys.
    Map {
        /// The key's target (a string shape).
        key: usize,
        /// The value's target.
        value: usize,
        /// `@length` (number of entries).
        length: Length,
    },
    /// A string, an `enum` shape or a string with the Smithy 1.0 `@enum` trait.
    String(StringRules),
    /// An `intEnum`: its known values.
    IntEnum(&'static [i32]),
    /// A boolean.
    Boolean,
    /// An 8-bit integer.
    Byte(Range),
    /// A 16-bit integer.
    Short(Range),
    /// A 32-bit integer.
    Integer(Range),
    /// A 64-bit integer.
    Long(Range),
    /// A 32-bit float.
    Float(Range),
    /// A 64-bit float.
    Double(Range),
    /// A timestamp, in this format unless a member says otherwise (the protocol's default,
    /// epoch seconds, if the shape does not say either).
    Timestamp(TimestampFormat),
    /// Binary data, base64 on the wire.
    Blob(Length),
    /// A document: any JSON value.
    Document,
}

/// The constraints of a string.
#[derive(Debug, Clone, Copy, Default)]
pub struct StringRules {
    /// `@length`, in Unicode scalar values.
    pub length: Length,
    /// `@pattern`, as written in the model (ECMA 262, unanchored unless it says so).
    pub pattern: Option<&'static str>,
    /// The known values of an enum (empty for a plain string).
    pub values: &'static [&'static str],
}

impl StringRules {
    /// No constraints.
    pub const PLAIN: StringRules = StringRules {
        length: Length::NONE,
        pattern: None,
        values: &[],
    };

    /// With `@length`.
    pub const fn length(self, length: Length) -> Self {
        StringRules { length, ..self }
    }

    /// With `@pattern`.
    pub const fn pattern(self, pattern: &'static str) -> Self {
        StringRules {
            pattern: Some(pattern),
            ..self
        }
    }

    /// An enum with these values.
    pub const fn values(self, values: &'static [&'static str]) -> Self {
        StringRules { values, ..self }
    }
}

/// `@length`: inclusive bounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Length {
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
}

impl Length {
    /// No bounds.
    pub const NONE: Length = Length {
        min: None,
        max: None,
    };

    /// With a lower bound.
    pub const fn min(self, min: u64) -> Self {
        Length {
            min: Some(min),
            ..self
        }
    }

    /// With an upper bound.
    pub const fn max(self, max: u64) -> Self {
        Length {
            max: Some(max),
            ..self
        }
    }
}

/// `@range`: inclusive bounds (the model's ranges are small integers, exact as `f64`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Range {
    /// Lower bound.
    pub min: Option<f64>,
    /// Upper bound.
    pub max: Option<f64>,
}

impl Range {
    /// No bounds.
    pub const NONE: Range = Range {
        min: None,
        max: None,
    };

    /// With a lower bound.
    pub const fn min(self, min: f64) -> Self {
        Range {
            min: Some(min),
            ..self
        }
    }

    /// With an upper bound.
    pub const fn max(self, max: f64) -> Self {
        Range {
            max: Some(max),
            ..self
        }
    }
}

/// A structure or union member.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    /// The key on the wire.
    pub name: &'static str,
    /// The target shape.
    pub target: usize,
    /// `@required`.
    pub required: bool,
    /// `@default`, as JSON text, if set to a non-null value.
    pub default: Option<&'static str>,
    /// `@idempotencyToken`: the client fills a fresh UUID v4 when the caller leaves it unset.
    pub idempotency_token: bool,
    /// `@timestampFormat` on the member, which overrides the target's.
    pub timestamp_format: Option<TimestampFormat>,
    /// Constraint traits on the member itself, which override the target's.
    pub constraints: MemberConstraints,
}

impl Member {
    /// An optional member with no traits.
    pub const fn new(name: &'static str, target: usize) -> Self {
        Member {
            name,
            target,
            required: false,
            default: None,
            idempotency_token: false,
            timestamp_format: None,
            constraints: MemberConstraints::NONE,
        }
    }

    /// `@required`.
    pub const fn required(self) -> Self {
        Member {
            required: true,
            ..self
        }
    }

    /// `@default`, as JSON text.
    pub const fn default(self, json: &'static str) -> Self {
        Member {
            default: Some(json),
            ..self
        }
    }

    /// `@idempotencyToken`.
    pub const fn idempotency_token(self) -> Self {
        Member {
            idempotency_token: true,
            ..self
        }
    }

    /// `@timestampFormat`.
    pub const fn timestamp(self, format: TimestampFormat) -> Self {
        Member {
            timestamp_format: Some(format),
            ..self
        }
    }

    /// `@length` on the member.
    pub const fn length(self, length: Length) -> Self {
        let mut c = self.constraints;
        c.length = Some(length);
        Member {
            constraints: c,
            ..self
        }
    }

    /// `@pattern` on the member.
    pub const fn pattern(self, pattern: &'static str) -> Self {
        let mut c = self.constraints;
        c.pattern = Some(pattern);
        Member {
            constraints: c,
            ..self
        }
    }

    /// `@range` on the member.
    pub const fn range(self, range: Range) -> Self {
        let mut c = self.constraints;
        c.range = Some(range);
        Member {
            constraints: c,
            ..self
        }
    }
}

/// Constraint traits written on a member rather than on its target.
#[derive(Debug, Clone, Copy, Default)]
pub struct MemberConstraints {
    /// `@length`.
    pub length: Option<Length>,
    /// `@pattern`.
    pub pattern: Option<&'static str>,
    /// `@range`.
    pub range: Option<Range>,
}

impl MemberConstraints {
    /// None.
    pub const NONE: MemberConstraints = MemberConstraints {
        length: None,
        pattern: None,
        range: None,
    };
}

/// Timestamp wire formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// Seconds since the epoch as a JSON number, possibly fractional.
    EpochSeconds,
    /// RFC 3339 in a JSON string.
    DateTime,
    /// RFC 7231 IMF-fixdate in a JSON string.
    HttpDate,
}

/// An operation.
#[derive(Debug)]
pub struct Operation {
    /// The operation's name, which is also the second half of `X-Amz-Target`.
    pub name: &'static str,
    /// The input structure.
    pub input: usize,
    /// The output structure.
    pub output: usize,
    /// The modeled errors, in name order.
    pub errors: &'static [ErrorShape],
    /// `@paginated`, with the service's defaults merged in.
    pub pagination: Option<Pagination>,
}

/// A modeled error of an operation.
#[derive(Debug)]
pub struct ErrorShape {
    /// The error code (the shape's name).
    pub code: &'static str,
    /// The HTTP status the model gives it.
    pub status: u16,
    /// The error structure.
    pub shape: usize,
}

/// How an operation paginates.
#[derive(Debug)]
pub struct Pagination {
    /// The input member that carries the token.
    pub input_token: &'static str,
    /// The output member that carries the next token.
    pub output_token: &'static str,
    /// The output member holding the items, if the model names one.
    pub items: Option<&'static str>,
    /// The input member that sets the page size, if any.
    pub page_size: Option<&'static str>,
}
