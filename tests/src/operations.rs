//! The per-operation differential harness: every operation of a [`Schema`], both clients.
//!
//! For one operation, [`check_operation`] runs four kinds of cases against a local
//! [`CaptureServer`], each client configured alike ([`Setup`]):
//!
//! - **requests**: generated valid inputs; both clients must send `POST /` with the same
//!   `X-Amz-Target` and content type and an equal JSON body, and that body must carry the
//!   input (an idempotency token the input left unset must be a fresh UUID v4 on each side,
//!   RFC 4122 on ours; see [`values::is_smithy_uuid_v4`] for the official crate's);
//! - **outputs**: generated response bodies; both clients must read the same value, and for
//!   a well-formed body ([`Output::Complete`]), exactly the served value ([`expected`]);
//! - **errors**: for every modeled error, generated error bodies with the code in `__type`
//!   (bare, namespaced, or with a URL suffix) or in `X-Amzn-Errortype`; both must read the
//!   modeled variant with the same members and metadata;
//! - **pages** (paginated operations): a server that answers page after page, ending with
//!   no token, an empty token, a repeated token or an error; both paginators must send the
//!   same requests and yield the same pages, and `.items()` the same items.
//!
//! A disagreement is a failure unless a row of [`crate::differences`] explains it. Each kind
//! writes a report (`operations` category, test `<schema>.<operation>.<kind>`) that
//! `cargo xtask conformance` prints as the per-operation table.
//!
//! The clients are reached through [`Caller`], which the generated glue implements for each
//! crate: it builds the call from JSON with its `FromJson` and reduces the result to a
//! [`Called`] with its `ToJson` (see [`crate::json`]).

use std::sync::Arc;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::DateTime;
use aws_types::request_id::RequestId;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{json, Map, Value};
use tokio::runtime::Runtime;

use crate::capture::{Canned, CaptureServer, Captured};
use crate::clients::Setup;
use crate::differences::{
    sanitize_official, Difference, CODE_MEMBER_PRECEDENCE, UNREADABLE_MODELED_ERROR,
    UNREADABLE_SUCCESS_BODY,
};
use crate::json::{
    document_from, document_json, f32_from, float_from, float_json, int_from, timestamp_json,
};
use crate::report::{cases, Report};
use crate::runner::count_cases;
use crate::schema::{ErrorShape, Kind, Member, Operation, Pagination, Schema, TimestampFormat};
use crate::values::{self, is_smithy_uuid_v4, is_uuid_v4, Output};

/// Request id the server sends with every response.
pub const REQUEST_ID: &str = "differential-request-id";

/// Default numbers of generated cases per operation; `$CONFORMANCE_OPERATION_CASES`
/// replaces each (`cargo xtask conformance --extended` sets it).
const REQUEST_CASES: u32 = 24;
const OUTPUT_CASES: u32 = 24;
const ERROR_CASES: u32 = 6;
const PAGE_CASES: u32 = 8;

fn operation_cases(default: u32) -> u32 {
    std::env::var("CONFORMANCE_OPERATION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| cases(default).min(default))
}

/// What one call produced, in a form both crates can be compared in.
#[derive(Debug, Clone)]
pub enum Called {
    /// The operation's output.
    Output {
        /// The output's members (the glue's `ToJson`).
        value: Value,
        /// `RequestId::request_id`.
        request_id: Option<String>,
    },
    /// One item of a paginator's `.items()`.
    Item(Value),
    /// A service error.
    Error {
        /// The error enum's variant (`Unhandled` for anything unmodeled).
        variant: &'static str,
        /// `ProvideErrorMetadata::code`.
        code: Option<String>,
        /// `ProvideErrorMetadata::message`.
        message: Option<String>,
        /// `RequestId::request_id`.
        request_id: Option<String>,
        /// The modeled error's members (`null` for `Unhandled`).
        value: Value,
    },
    /// No service error: construction, dispatch, timeout or response failure.
    Failure {
        /// Which `SdkError` variant.
        kind: &'static str,
        /// The error with its sources, for the failure message (never compared).
        detail: String,
    },
}

impl PartialEq for Called {
    fn eq(&self, other: &Self) -> bool {
        use Called::*;
        match (self, other) {
            (
                Output {
                    value: a,
                    request_id: ra,
                },
                Output {
                    value: b,
                    request_id: rb,
                },
            ) => a == b && ra == rb,
            (Item(a), Item(b)) => a == b,
            (
                Error {
                    variant: va,
                    code: ca,
                    message: ma,
                    request_id: ra,
                    value: a,
                },
                Error {
                    variant: vb,
                    code: cb,
                    message: mb,
                    request_id: rb,
                    value: b,
                },
            ) => va == vb && ca == cb && ma == mb && ra == rb && a == b,
            (Failure { kind: a, .. }, Failure { kind: b, .. }) => a == b,
            _ => false,
        }
    }
}

impl Called {
    /// Reduces a call's result, with the operation's own converters for the output and the
    /// error enum (the glue's `match` over the modeled variants).
    pub fn from_result<O, E>(
        result: Result<O, SdkError<E, HttpResponse>>,
        output: impl FnOnce(&O) -> Value,
        error: impl FnOnce(&E) -> (&'static str, Value),
    ) -> Called
    where
        O: RequestId,
        E: ProvideErrorMetadata + RequestId + std::error::Error + 'static,
    {
        match result {
            Ok(o) => Called::Output {
                value: output(&o),
                request_id: o.request_id().map(str::to_owned),
            },
            Err(SdkError::ServiceError(se)) => Called::service_error(se.err(), error),
            Err(other) => Called::Failure {
                kind: crate::outcome::sdk_error_kind(&other),
                detail: DisplayErrorContext(&other).to_string(),
            },
        }
    }

    /// Reduces one item of a paginator's `.items()` stream.
    pub fn from_item<T, E>(
        result: Result<T, SdkError<E, HttpResponse>>,
        item: impl FnOnce(&T) -> Value,
        error: impl FnOnce(&E) -> (&'static str, Value),
    ) -> Called
    where
        E: ProvideErrorMetadata + RequestId + std::error::Error + 'static,
    {
        match result {
            Ok(t) => Called::Item(item(&t)),
            Err(SdkError::ServiceError(se)) => Called::service_error(se.err(), error),
            Err(other) => Called::Failure {
                kind: crate::outcome::sdk_error_kind(&other),
                detail: DisplayErrorContext(&other).to_string(),
            },
        }
    }

    fn service_error<E>(e: &E, error: impl FnOnce(&E) -> (&'static str, Value)) -> Called
    where
        E: ProvideErrorMetadata + RequestId,
    {
        let (variant, value) = error(e);
        Called::Error {
            variant,
            code: e.code().map(str::to_owned),
            message: e.message().map(str::to_owned),
            request_id: RequestId::request_id(e).map(str::to_owned),
            value,
        }
    }
}

/// One client, reached by operation name with JSON in and [`Called`] out.
///
/// Implemented by the generated glue for each crate; every method blocks on `rt`.
pub trait Caller {
    /// Sends `input` as operation `op`.
    fn call(&self, rt: &Runtime, op: &str, input: &Value) -> Called;
    /// Walks `op`'s paginator from `input` (with `.page_size(n)` if given) to its end.
    fn pages(&self, rt: &Runtime, op: &str, input: &Value, page_size: Option<i32>) -> Vec<Called>;
    /// Walks `op`'s paginator's `.items()` from `input` to its end.
    fn items(&self, rt: &Runtime, op: &str, input: &Value) -> Vec<Called>;
}

/// The two clients under comparison.
pub struct Sides {
    /// This workspace's client.
    pub ours: Box<dyn Caller>,
    /// `aws-sdk-redshiftserverless`.
    pub official: Box<dyn Caller>,
}

impl std::fmt::Debug for Sides {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sides { .. }")
    }
}

/// Runs every kind of case for operation `name` of `schema`, with clients from `sides`;
/// panics listing every kind that failed, after writing all the reports.
pub fn check_operation(schema: &'static Schema, name: &str, sides: fn(&Setup) -> Sides) {
    let failures = operation_failures(schema, name, sides, true);
    if !failures.is_empty() {
        panic!(
            "{}.{name}: {} kind(s) failed:\n{}",
            schema.name,
            failures.len(),
            failures.join("\n\n")
        );
    }
}

/// Runs every kind of case; returns what failed, per kind. Reports are written only if
/// `report` (the harness's own tests check that it fails without counting as a failure).
pub fn operation_failures(
    schema: &'static Schema,
    name: &str,
    sides: fn(&Setup) -> Sides,
    report: bool,
) -> Vec<String> {
    let op = schema
        .operation(name)
        .unwrap_or_else(|| panic!("{} has no operation {name}", schema.name));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = rt.block_on(CaptureServer::start()).expect("capture server");
    let setup = Setup::new(server.url(), false);
    let h = Harness {
        schema,
        op,
        sides: sides(&setup),
        rt,
        server,
        fixed_input: fixed_input(schema, op),
        report,
    };
    let mut failures = Vec::new();
    failures.extend(h.requests());
    failures.extend(h.outputs());
    failures.extend(h.errors());
    if let Some(p) = &op.pagination {
        failures.extend(h.pages(p));
    }
    failures
}

/// One valid input, the same every run, for the cases that vary the response.
fn fixed_input(schema: &'static Schema, op: &Operation) -> Value {
    let mut runner = TestRunner::deterministic();
    values::input(schema, op.input)
        .new_tree(&mut runner)
        .map(|t| t.current())
        .unwrap_or_else(|e| panic!("{}: no input can be generated: {e}", op.name))
}

struct Harness {
    schema: &'static Schema,
    op: &'static Operation,
    sides: Sides,
    rt: Runtime,
    server: CaptureServer,
    fixed_input: Value,
    report: bool,
}

/// The test name of a kind of case in the reports.
fn test_name(schema: &Schema, op: &Operation, kind: &str) -> String {
    format!("{}.{}.{kind}", schema.name, op.name)
}

impl Harness {
    fn run<S>(
        &self,
        kind: &str,
        cases: u32,
        strategy: S,
        check: impl Fn(S::Value) -> Result<Vec<&'static Difference>, String>,
    ) -> Option<String>
    where
        S: Strategy,
        S::Value: std::fmt::Debug,
    {
        let mut report = Report::new("operations", test_name(self.schema, self.op, kind));
        let result = count_cases(&mut report, cases, strategy, check);
        if self.report {
            report.write();
        }
        result.err().map(|e| format!("[{kind}] {e}"))
    }

    /// Both clients call with the same input; returns (ours, official).
    fn call_both(&self, input: &Value) -> (Called, Called) {
        let ours = self.sides.ours.call(&self.rt, self.op.name, input);
        let theirs = self.sides.official.call(&self.rt, self.op.name, input);
        (ours, theirs)
    }

    fn success(&self, body: &Value) -> Canned {
        Canned {
            status: 200,
            headers: vec![
                ("content-type".into(), self.schema.content_type.into()),
                ("x-amzn-requestid".into(), REQUEST_ID.into()),
            ],
            body: body.to_string().into_bytes(),
        }
    }

    // -----------------------------------------------------------------------------------
    // Requests
    // -----------------------------------------------------------------------------------

    fn requests(&self) -> Option<String> {
        self.server.respond_with(self.success(&json!({})));
        self.run(
            "requests",
            operation_cases(REQUEST_CASES),
            values::input(self.schema, self.op.input),
            |input| self.request_case(&input),
        )
    }

    fn request_case(&self, input: &Value) -> Result<Vec<&'static Difference>, String> {
        self.server.take_requests();
        let (ours, theirs) = self.call_both(input);
        if !matches!(ours, Called::Output { .. }) || !matches!(theirs, Called::Output { .. }) {
            return Err(format!(
                "a valid input did not go through: ours={ours:?} official={theirs:?}"
            ));
        }
        let sent = self.server.take_requests();
        let [o, t] = sent.as_slice() else {
            return Err(format!("expected 2 requests, captured {}", sent.len()));
        };
        let (mut ob, mut tb) = (
            self.request_body(o, "ours")?,
            self.request_body(t, "official")?,
        );
        self.mask_idempotency_tokens(input, &mut ob, &mut tb)?;
        if ob != tb {
            return Err(format!("bodies differ:\n  ours     {ob}\n  official {tb}"));
        }
        let want = expected_sent(self.schema, self.op.input, input);
        let got = expected_sent(self.schema, self.op.input, &ob);
        if got != want {
            return Err(format!(
                "the body does not carry the input:\n  input {input}\n  body  {ob}"
            ));
        }
        Ok(Vec::new())
    }

    /// Checks the request line and protocol headers; returns the body as JSON.
    fn request_body(&self, req: &Captured, who: &str) -> Result<Value, String> {
        let target = format!("{}.{}", self.schema.target_prefix, self.op.name);
        if req.method != "POST" || req.path != "/" {
            return Err(format!("{who}: request line {} {}", req.method, req.path));
        }
        if req.header("x-amz-target") != Some(target.as_str()) {
            return Err(format!(
                "{who}: X-Amz-Target {:?}, expected {target:?}",
                req.header("x-amz-target")
            ));
        }
        if req.header("content-type") != Some(self.schema.content_type) {
            return Err(format!(
                "{who}: Content-Type {:?}, expected {:?}",
                req.header("content-type"),
                self.schema.content_type
            ));
        }
        serde_json::from_slice(&req.body).map_err(|e| {
            format!(
                "{who}: body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&req.body)
            )
        })
    }

    /// An idempotency token the input left unset must be a UUID v4 in both bodies; it is
    /// then removed from both, since each client draws its own.
    fn mask_idempotency_tokens(
        &self,
        input: &Value,
        ours: &mut Value,
        theirs: &mut Value,
    ) -> Result<(), String> {
        for m in self.schema.members(self.op.input) {
            if !m.idempotency_token || input.get(m.name).is_some() {
                continue;
            }
            // Ours follows RFC 4122; the official crate sets only the variant's first bit.
            type Check<'a> = (&'a str, &'a mut Value, fn(&str) -> bool);
            let checks: [Check<'_>; 2] = [
                ("ours", &mut *ours, is_uuid_v4),
                ("official", &mut *theirs, is_smithy_uuid_v4),
            ];
            for (who, body, valid) in checks {
                let token = body.as_object_mut().and_then(|o| o.remove(m.name));
                match token.as_ref().and_then(Value::as_str) {
                    Some(t) if valid(t) => {}
                    _ => {
                        return Err(format!(
                            "{who}: idempotency token {} not filled with a UUID v4: {token:?}",
                            m.name
                        ))
                    }
                }
            }
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Outputs
    // -----------------------------------------------------------------------------------

    fn outputs(&self) -> Option<String> {
        let strategy = prop_oneof![
            3 => values::output(self.schema, self.op.output, Output::Complete)
                .prop_map(|v| (v, Output::Complete)),
            1 => values::output(self.schema, self.op.output, Output::Loose)
                .prop_map(|v| (v, Output::Loose)),
        ];
        self.run(
            "outputs",
            operation_cases(OUTPUT_CASES),
            strategy,
            |(body, kind)| self.output_case(&body, kind),
        )
    }

    fn output_case(&self, body: &Value, kind: Output) -> Result<Vec<&'static Difference>, String> {
        self.server.respond_with(self.success(body));
        let (ours, theirs) = self.call_both(&self.fixed_input);
        self.server.take_requests();
        if ours != theirs {
            // A body neither can read: a response error here, an unhandled error there.
            if let (
                Called::Failure {
                    kind: "ResponseError",
                    detail,
                },
                Called::Error {
                    variant: "Unhandled",
                    code: None,
                    message: None,
                    request_id: None,
                    ..
                },
            ) = (&ours, &theirs)
            {
                if detail.contains("unreadable HTTP response") {
                    return Ok(vec![UNREADABLE_SUCCESS_BODY]);
                }
            }
            return Err(format!(
                "outputs differ:\n  ours     {ours:?}\n  official {theirs:?}"
            ));
        }
        if kind == Output::Loose {
            // A body the model does not allow may fail to read; both must fail alike.
            return Ok(Vec::new());
        }
        let Called::Output { value, request_id } = &ours else {
            return Err(format!("not read as an output: {ours:?}"));
        };
        if request_id.as_deref() != Some(REQUEST_ID) {
            return Err(format!("request id {request_id:?}"));
        }
        {
            let want = expected(self.schema, self.op.output, body);
            if *value != want {
                return Err(format!(
                    "both read something other than what was served:\n  read     {value}\n  expected {want}"
                ));
            }
        }
        Ok(Vec::new())
    }

    // -----------------------------------------------------------------------------------
    // Errors
    // -----------------------------------------------------------------------------------

    fn errors(&self) -> Option<String> {
        let mut failures = Vec::new();
        for e in self.op.errors {
            let strategy = (
                prop_oneof![
                    3 => values::output(self.schema, e.shape, Output::Complete)
                        .prop_map(|v| (v, Output::Complete)),
                    1 => values::output(self.schema, e.shape, Output::Loose)
                        .prop_map(|v| (v, Output::Loose)),
                ],
                code_carrier(),
            );
            let failure = self.run(
                &format!("errors.{}", e.code),
                operation_cases(ERROR_CASES),
                strategy,
                |((members, kind), carrier)| self.error_case(e, members, kind, carrier),
            );
            failures.extend(failure);
        }
        (!failures.is_empty()).then(|| failures.join("\n"))
    }

    fn error_case(
        &self,
        e: &ErrorShape,
        members: Value,
        kind: Output,
        carrier: Carrier,
    ) -> Result<Vec<&'static Difference>, String> {
        let canned = error_response(self.schema, e, &members, carrier);
        self.server.respond_with(canned);
        let (ours, theirs) = self.call_both(&self.fixed_input);
        self.server.take_requests();
        // From a well-formed body, ours must read the modeled error, whatever the official
        // crate does.
        let ours_reads_it = self.reads_modeled_error(e, &members, &ours);
        if kind == Output::Complete {
            ours_reads_it.clone()?;
        }
        if ours == theirs {
            return Ok(Vec::new());
        }
        // The official crate takes the code from a `code` data member before `__type`
        // (AccessDeniedException and ThrottlingException have one); `X-Amzn-Errortype` wins
        // in both. So with the code also in the header, it must read what ours read.
        if let (Carrier::Type(form), Some(c)) =
            (carrier, members.get("code").and_then(Value::as_str))
        {
            let their_code = sanitize_official(c);
            let by_code_member = matches!(
                &theirs,
                Called::Error { code: Some(tc), variant, .. }
                    if tc == their_code
                        && (*variant == "Unhandled" || *variant == their_code)
            );
            if by_code_member {
                let mut canned = error_response(self.schema, e, &members, carrier);
                canned
                    .headers
                    .push(("x-amzn-errortype".into(), write_code(e.code, form)));
                self.server.respond_with(canned);
                let by_header = self
                    .sides
                    .official
                    .call(&self.rt, self.op.name, &self.fixed_input);
                self.server.take_requests();
                if by_header == ours {
                    return Ok(vec![CODE_MEMBER_PRECEDENCE]);
                }
                if self.unreadable_modeled(e, kind, &ours, &by_header) {
                    return Ok(vec![CODE_MEMBER_PRECEDENCE, UNREADABLE_MODELED_ERROR]);
                }
            }
        }
        if self.unreadable_modeled(e, kind, &ours, &theirs) {
            return Ok(vec![UNREADABLE_MODELED_ERROR]);
        }
        Err(format!(
            "errors differ:\n  ours     {ours:?}\n  official {theirs:?}"
        ))
    }

    /// Members of the wrong JSON type (a loose body): neither crate reads `e`'s shape; ours
    /// keeps the code and the request id, theirs nothing.
    fn unreadable_modeled(
        &self,
        e: &ErrorShape,
        kind: Output,
        ours: &Called,
        theirs: &Called,
    ) -> bool {
        kind == Output::Loose
            && matches!(
                ours,
                Called::Error { variant: "Unhandled", code: Some(code), request_id, .. }
                    if code == e.code && request_id.as_deref() == Some(REQUEST_ID)
            )
            && matches!(
                theirs,
                Called::Error {
                    variant: "Unhandled",
                    code: None,
                    message: None,
                    request_id: None,
                    ..
                }
            )
    }

    /// Whether `ours` is the modeled error `e` with the served members and the request id.
    fn reads_modeled_error(
        &self,
        e: &ErrorShape,
        members: &Value,
        ours: &Called,
    ) -> Result<(), String> {
        let Called::Error {
            variant,
            code,
            request_id,
            value,
            ..
        } = ours
        else {
            return Err(format!("ours did not read a service error: {ours:?}"));
        };
        if *variant != e.code || code.as_deref() != Some(e.code) {
            return Err(format!(
                "ours read {variant} (code {code:?}), expected {}",
                e.code
            ));
        }
        if request_id.as_deref() != Some(REQUEST_ID) {
            return Err(format!("ours: request id {request_id:?}"));
        }
        let want = expected(self.schema, e.shape, members);
        if *value != want {
            return Err(format!(
                "ours read other members than were served:\n  read     {value}\n  expected {want}"
            ));
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Pages
    // -----------------------------------------------------------------------------------

    fn pages(&self, p: &'static Pagination) -> Option<String> {
        let strategy = (
            prop::collection::vec(
                values::output(self.schema, self.op.output, Output::Complete),
                1..=4,
            ),
            prop_oneof![
                Just(End::Absent),
                Just(End::Empty),
                Just(End::Repeated),
                Just(End::Error)
            ],
            values::input(self.schema, self.op.input),
            any::<bool>(),
            any::<bool>(),
        );
        self.run(
            "pages",
            operation_cases(PAGE_CASES),
            strategy,
            |(pages, end, input, start_mid, use_page_size)| {
                self.pages_case(p, &pages, end, input, start_mid, use_page_size)
            },
        )
    }

    fn pages_case(
        &self,
        p: &Pagination,
        pages: &[Value],
        end: End,
        mut input: Value,
        start_mid: bool,
        use_page_size: bool,
    ) -> Result<Vec<&'static Difference>, String> {
        // Start at the first page, or at the second when there is one and the case says so.
        let first = usize::from(start_mid && pages.len() > 1);
        let object = input.as_object_mut().ok_or("input is not an object")?;
        object.remove(p.input_token);
        if first > 0 {
            object.insert(p.input_token.into(), Value::from(page_token(first)));
        }
        // The page size: in the input, or through `.page_size(n)`.
        let page_size = match p.page_size {
            Some(member) if use_page_size => object
                .remove(member)
                .and_then(|v| v.as_i64())
                .and_then(|n| i32::try_from(n).ok()),
            _ => None,
        };
        let script = Arc::new(PageScript {
            pages: pages.to_vec(),
            answered: Default::default(),
            end,
            output_token: p.output_token,
            input_token: p.input_token,
            success: self.success(&json!({})),
            error: self.page_error(),
        });
        let responder = script.clone();
        self.server
            .respond_with_fn(move |req| responder.answer(req));
        self.server.take_requests();

        let ours = self
            .sides
            .ours
            .pages(&self.rt, self.op.name, &input, page_size);
        let ours_sent = self.server.take_requests();
        let theirs = self
            .sides
            .official
            .pages(&self.rt, self.op.name, &input, page_size);
        let theirs_sent = self.server.take_requests();

        // The same requests, page after page.
        if ours_sent.len() != theirs_sent.len() {
            return Err(format!(
                "ours sent {} requests, official {}: ours={ours:?} official={theirs:?}",
                ours_sent.len(),
                theirs_sent.len()
            ));
        }
        for (i, (o, t)) in ours_sent.iter().zip(&theirs_sent).enumerate() {
            let (ob, tb) = (
                self.request_body(o, "ours")?,
                self.request_body(t, "official")?,
            );
            if ob != tb {
                return Err(format!(
                    "request {i} differs:\n  ours     {ob}\n  official {tb}"
                ));
            }
        }
        if ours != theirs {
            return Err(format!(
                "pages differ:\n  ours     {ours:?}\n  official {theirs:?}"
            ));
        }
        // Both walked the pages the script serves, from `first` to the end it chose.
        let want = script.expected_responses(first);
        if ours.len() != want {
            return Err(format!(
                "{} pages read from page {first} of {} ending {end:?}, expected {want}: {ours:?}",
                ours.len(),
                pages.len()
            ));
        }
        for (i, page) in ours.iter().enumerate() {
            let served = first + i;
            match page {
                Called::Output { value, .. } => {
                    let mut body = script.page_body(served, None);
                    if let Some(o) = body.as_object_mut() {
                        o.remove(p.output_token);
                    }
                    let mut value = value.clone();
                    if let Some(o) = value.as_object_mut() {
                        o.remove(p.output_token);
                    }
                    let want = expected(self.schema, self.op.output, &body);
                    if value != want {
                        return Err(format!("page {served} read as {value}, served {want}"));
                    }
                }
                Called::Error { .. } if end == End::Error && i + 1 == ours.len() => {}
                other => return Err(format!("page {served}: {other:?}")),
            }
        }

        // `.items()` flattens the same pages (the script ends each walk the same way).
        if p.items.is_some() {
            let ours_items = self.sides.ours.items(&self.rt, self.op.name, &input);
            self.server.take_requests();
            let theirs_items = self.sides.official.items(&self.rt, self.op.name, &input);
            self.server.take_requests();
            if ours_items != theirs_items {
                return Err(format!(
                    "items differ:\n  ours     {ours_items:?}\n  official {theirs_items:?}"
                ));
            }
            let want = script.expected_items(first, p);
            let got = ours_items
                .iter()
                .filter(|c| matches!(c, Called::Item(_)))
                .count();
            if got != want {
                return Err(format!("{got} items, expected {want}: {ours_items:?}"));
            }
        }
        Ok(Vec::new())
    }

    /// The error that ends a walk on [`End::Error`]: the operation's first modeled error,
    /// or an unmodeled 500 if it has none.
    fn page_error(&self) -> Canned {
        let (status, code) = self
            .op
            .errors
            .first()
            .map_or((500, "InternalFailure"), |e| (e.status, e.code));
        Canned {
            status,
            headers: vec![
                ("content-type".into(), self.schema.content_type.into()),
                ("x-amzn-requestid".into(), REQUEST_ID.into()),
            ],
            body: json!({"__type": code, "message": "the page could not be read"})
                .to_string()
                .into_bytes(),
        }
    }
}

/// How a pagination script ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// The last page has no token.
    Absent,
    /// The last page's token is `""`.
    Empty,
    /// The last page returns the token that asked for it (paginators stop on a repeat).
    Repeated,
    /// The request for the last page fails with a modeled error.
    Error,
}

/// Page `i`'s token: long enough for the model's `@length(min: 8)` on tokens.
fn page_token(i: usize) -> String {
    format!("{PAGE_TOKEN}{i:04}")
}

const PAGE_TOKEN: &str = "page-token-";

/// A server that serves `pages`, page `i` for token `page-i` (page 0 without a token).
struct PageScript {
    pages: Vec<Value>,
    /// Requests answered so far; past a bound every answer is an error, so a paginator that
    /// never stops ends (and fails the case) instead of hanging the test.
    answered: std::sync::atomic::AtomicUsize,
    end: End,
    input_token: &'static str,
    output_token: &'static str,
    success: Canned,
    error: Canned,
}

impl PageScript {
    fn last(&self) -> usize {
        self.pages.len() - 1
    }

    /// The body of page `i`, with the token that leads on (`asked`: the token that asked).
    fn page_body(&self, i: usize, asked: Option<&str>) -> Value {
        let mut body = self.pages[i].clone();
        let next = if i < self.last() {
            Some(Value::from(page_token(i + 1)))
        } else {
            match self.end {
                End::Absent | End::Error => None,
                End::Empty => Some(Value::from("")),
                End::Repeated => asked.map(Value::from),
            }
        };
        if let Some(o) = body.as_object_mut() {
            o.remove(self.output_token);
            if let Some(next) = next {
                o.insert(self.output_token.into(), next);
            }
        }
        body
    }

    fn answer(&self, req: &Captured) -> Canned {
        let asked: Option<String> = serde_json::from_slice::<Value>(&req.body)
            .ok()
            .and_then(|b| {
                b.get(self.input_token)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
        let index = match asked.as_deref() {
            None => Some(0),
            Some(t) => t
                .strip_prefix(PAGE_TOKEN)
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|i| *i <= self.last()),
        };
        // Four walks per case (pages and items, two clients), each at most every page.
        let n = self
            .answered
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let index = index.filter(|_| n < 4 * (self.pages.len() + 1));
        let Some(i) = index else {
            // A token the script never gave, or too many requests: the walk has gone wrong;
            // both sides see the same unmodeled error, and the count of pages tells.
            let mut e = self.error.clone();
            e.status = 400;
            e.body = json!({"__type": "HarnessUnknownToken"})
                .to_string()
                .into_bytes();
            return e;
        };
        if i == self.last() && self.end == End::Error {
            return self.error.clone();
        }
        let mut ok = self.success.clone();
        ok.body = self.page_body(i, asked.as_deref()).to_string().into_bytes();
        ok
    }

    /// How many responses a walk from page `first` yields: every page from `first` to the
    /// last (which is the error on [`End::Error`]). On [`End::Repeated`] the last page
    /// returns the token that asked for it, and a paginator stops there; page 0 is asked
    /// for without a token, so it has none to repeat and ends the walk like [`End::Absent`].
    fn expected_responses(&self, first: usize) -> usize {
        self.pages.len() - first
    }

    /// How many items `.items()` yields from page `first` (an error ends the stream after
    /// the items before it).
    fn expected_items(&self, first: usize, p: &Pagination) -> usize {
        let Some(items) = p.items else { return 0 };
        let last = match self.end {
            End::Error => self.last(),
            _ => self.last() + 1,
        };
        (first..last)
            .map(|i| {
                self.pages[i]
                    .get(items)
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len)
            })
            .sum()
    }
}

/// Where an error response carries its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carrier {
    /// `__type` in the body, written in one of three forms.
    Type(CodeForm),
    /// `X-Amzn-Errortype`, with `__type` left out of the body.
    Header(CodeForm),
}

/// How a service writes an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeForm {
    /// `ValidationException`.
    Bare,
    /// `com.amazonaws.redshiftserverless#ValidationException`.
    Namespaced,
    /// `ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/`.
    WithUrl,
}

fn code_carrier() -> impl Strategy<Value = Carrier> {
    let form = prop_oneof![
        Just(CodeForm::Bare),
        Just(CodeForm::Namespaced),
        Just(CodeForm::WithUrl)
    ];
    prop_oneof![
        3 => form.clone().prop_map(Carrier::Type),
        1 => form.prop_map(Carrier::Header),
    ]
}

fn write_code(code: &str, form: CodeForm) -> String {
    match form {
        CodeForm::Bare => code.to_owned(),
        CodeForm::Namespaced => format!("com.amazonaws.redshiftserverless#{code}"),
        CodeForm::WithUrl => {
            format!("{code}:http://internal.amazon.com/coral/com.amazon.coral.validate/")
        }
    }
}

fn error_response(schema: &Schema, e: &ErrorShape, members: &Value, carrier: Carrier) -> Canned {
    let mut headers = vec![
        ("content-type".to_string(), schema.content_type.to_string()),
        ("x-amzn-requestid".to_string(), REQUEST_ID.to_string()),
    ];
    let mut body = members.clone();
    match carrier {
        Carrier::Type(form) => {
            if let Some(o) = body.as_object_mut() {
                o.insert("__type".into(), Value::from(write_code(e.code, form)));
            }
        }
        Carrier::Header(form) => {
            headers.push(("x-amzn-errortype".into(), write_code(e.code, form)))
        }
    }
    Canned {
        status: e.status,
        headers,
        body: body.to_string().into_bytes(),
    }
}

// ---------------------------------------------------------------------------------------
// What a correct client reads
// ---------------------------------------------------------------------------------------

/// What a client that follows the model reads from the wire JSON `v` of the structure
/// `shape`, in the comparison form of [`crate::json`]: members left out or `null` are absent unless
/// they have a `@default`, members the model does not know are dropped, a union variant it
/// does not know is `{"$unknown": true}`, numbers and timestamps take their comparison form.
///
/// Used both ways: the output a client must read from a served body, and the input a
/// request body must carry (applied to the generated input and to the body alike).
pub fn expected(schema: &Schema, shape: usize, v: &Value) -> Value {
    value_of(schema, shape, None, v, Precision::Read)
}

/// [`expected`] for what a client sends: epoch-seconds timestamps compared to the
/// millisecond. The strategies generate milliseconds; a client holds a `DateTime` made from
/// the JSON number (`from_secs_f64`, which truncates to the nanosecond below) and writes it
/// back as the shortest decimal of `secs + nanos / 1e9`, which can land a few hundred
/// nanoseconds off the number it was given.
pub fn expected_sent(schema: &Schema, shape: usize, v: &Value) -> Value {
    value_of(schema, shape, None, v, Precision::Sent)
}

/// How exactly timestamps are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precision {
    /// As aws-smithy-json reads them: both clients must read the same instant.
    Read,
    /// To the millisecond (see [`expected_sent`]).
    Sent,
}

fn value_of(
    schema: &Schema,
    shape: usize,
    member: Option<&Member>,
    v: &Value,
    precision: Precision,
) -> Value {
    let value_of = |shape: usize, member: Option<&Member>, v: &Value| {
        value_of(schema, shape, member, v, precision)
    };
    match &schema.shape(shape).kind {
        Kind::Structure(members) => {
            let mut out = Map::new();
            for m in members.iter() {
                let present = v.get(m.name).filter(|x| !x.is_null());
                let default = m
                    .default
                    .map(|d| serde_json::from_str::<Value>(d).unwrap_or(Value::Null));
                if let Some(x) = present.or(default.as_ref()) {
                    out.insert(m.name.to_owned(), value_of(m.target, Some(m), x));
                }
            }
            Value::Object(out)
        }
        Kind::Union(members) => {
            let Some((k, x)) = v
                .as_object()
                .and_then(|o| o.iter().find(|(_, x)| !x.is_null()))
            else {
                return Value::Null;
            };
            match members.iter().find(|m| m.name == k) {
                Some(m) => json!({ k: value_of(m.target, Some(m), x) }),
                None => json!({"$unknown": true}),
            }
        }
        Kind::List { member, .. } => Value::Array(
            v.as_array()
                .map(|a| a.iter().map(|x| value_of(*member, None, x)).collect())
                .unwrap_or_default(),
        ),
        Kind::Map { value, .. } => Value::Object(
            v.as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, x)| (k.clone(), value_of(*value, None, x)))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        Kind::Float(_) => float_json(&f64::from(f32_from(v))),
        Kind::Double(_) => float_json(&float_from(v)),
        Kind::Byte(_) | Kind::Short(_) | Kind::Integer(_) | Kind::Long(_) => {
            Value::from(int_from(v))
        }
        Kind::Timestamp(format) => {
            let format = member.and_then(|m| m.timestamp_format).unwrap_or(*format);
            let t = read_timestamp(v, format);
            if precision == Precision::Sent && format == TimestampFormat::EpochSeconds {
                let ms = (float_from(v) * 1000.0).round() as i64;
                let t = DateTime::from_secs_and_nanos(
                    ms.div_euclid(1000),
                    (ms.rem_euclid(1000) * 1_000_000) as u32,
                );
                return timestamp_json(&t);
            }
            timestamp_json(&t)
        }
        Kind::Document => document_json(&document_from(v)),
        Kind::String(_) | Kind::IntEnum(_) | Kind::Boolean | Kind::Blob(_) => v.clone(),
    }
}

/// A timestamp as aws-smithy-json reads it in `format`.
fn read_timestamp(v: &Value, format: TimestampFormat) -> DateTime {
    match format {
        TimestampFormat::EpochSeconds => DateTime::from_secs_f64(float_from(v)),
        TimestampFormat::DateTime | TimestampFormat::HttpDate => {
            // smithy-rs reads date-times with `DateTimeWithOffset`, which accepts offsets.
            let f = if format == TimestampFormat::DateTime {
                Format::DateTimeWithOffset
            } else {
                Format::HttpDate
            };
            let s = v.as_str().unwrap_or_default();
            DateTime::from_str(s, f).unwrap_or_else(|e| panic!("served timestamp {s:?}: {e}"))
        }
    }
}

#[cfg(test)]
mod tests {
    //! The harness must fail when the clients disagree or read something else than was
    //! served: each test puts a tampering [`Caller`] in front of the real glue.

    use super::*;
    use crate::glue::slice;
    use crate::schema::Pagination;

    /// Wraps a caller and changes what it returns or what it is given.
    struct Tamper {
        inner: Box<dyn Caller>,
        input: fn(&mut Value),
        called: fn(&mut Called),
    }

    impl Caller for Tamper {
        fn call(&self, rt: &Runtime, op: &str, input: &Value) -> Called {
            let mut input = input.clone();
            (self.input)(&mut input);
            let mut called = self.inner.call(rt, op, &input);
            (self.called)(&mut called);
            called
        }
        fn pages(&self, rt: &Runtime, op: &str, input: &Value, n: Option<i32>) -> Vec<Called> {
            self.inner.pages(rt, op, input, n)
        }
        fn items(&self, rt: &Runtime, op: &str, input: &Value) -> Vec<Called> {
            self.inner.items(rt, op, input)
        }
    }

    fn keep(_: &mut Value) {}
    fn same(_: &mut Called) {}

    fn drop_token(c: &mut Called) {
        if let Called::Output { value, .. } = c {
            if let Some(o) = value.as_object_mut() {
                o.remove("token");
            }
        }
    }

    fn failures(sides: fn(&Setup) -> Sides) -> String {
        let f = operation_failures(&slice::SCHEMA, "GetIdentityCenterAuthToken", sides, false);
        assert!(!f.is_empty(), "the tampered pair passed");
        f.join("\n")
    }

    #[test]
    fn the_untampered_pair_agrees() {
        let f = operation_failures(
            &slice::SCHEMA,
            "GetIdentityCenterAuthToken",
            slice::sides,
            false,
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn a_member_one_client_loses_is_a_failure() {
        let f = failures(|setup| {
            let s = slice::sides(setup);
            Sides {
                ours: Box::new(Tamper {
                    inner: s.ours,
                    input: keep,
                    called: drop_token,
                }),
                official: s.official,
            }
        });
        assert!(
            f.contains("[outputs]") && f.contains("outputs differ"),
            "{f}"
        );
    }

    #[test]
    fn a_member_both_clients_lose_is_a_failure() {
        let f = failures(|setup| {
            let s = slice::sides(setup);
            let tamper = |inner| -> Box<dyn Caller> {
                Box::new(Tamper {
                    inner,
                    input: keep,
                    called: drop_token,
                })
            };
            Sides {
                ours: tamper(s.ours),
                official: tamper(s.official),
            }
        });
        assert!(
            f.contains("both read something other than what was served"),
            "{f}"
        );
    }

    #[test]
    fn an_input_both_clients_change_is_a_failure() {
        fn one_more_name(v: &mut Value) {
            if let Some(a) = v.get_mut("workgroupNames").and_then(Value::as_array_mut) {
                if a.len() < 20 {
                    a.push(Value::from("extra-name"));
                }
            }
        }
        let f = failures(|setup| {
            let s = slice::sides(setup);
            let tamper = |inner| -> Box<dyn Caller> {
                Box::new(Tamper {
                    inner,
                    input: one_more_name,
                    called: same,
                })
            };
            Sides {
                ours: tamper(s.ours),
                official: tamper(s.official),
            }
        });
        assert!(f.contains("the body does not carry the input"), "{f}");
    }

    #[test]
    fn a_wrong_error_variant_is_a_failure() {
        fn rename(c: &mut Called) {
            if let Called::Error { variant, .. } = c {
                if *variant == "ConflictException" {
                    *variant = "ValidationException";
                }
            }
        }
        let f = failures(|setup| {
            let s = slice::sides(setup);
            Sides {
                ours: s.ours,
                official: Box::new(Tamper {
                    inner: s.official,
                    input: keep,
                    called: rename,
                }),
            }
        });
        assert!(f.contains("[errors.ConflictException]"), "{f}");
        assert!(!f.contains("[errors.ValidationException]"), "{f}");
    }

    #[test]
    fn expected_reads_like_a_model_following_client() {
        // Unknown members and nulls are dropped, timestamps take their exact form.
        let op = slice::SCHEMA
            .operation("GetIdentityCenterAuthToken")
            .unwrap();
        let served = json!({
            "token": "t",
            "expirationTime": "2026-11-28T06:00:00.5+01:00",
            "unmodeledX": [1],
            "Token": "other",
        });
        assert_eq!(
            expected(&slice::SCHEMA, op.output, &served),
            json!({"token": "t", "expirationTime": "1795842000.500000000"})
        );
        assert_eq!(
            expected(&slice::SCHEMA, op.output, &json!({"token": null})),
            json!({})
        );
    }

    // -----------------------------------------------------------------------------------
    // Pagination, against the official paginator on both sides: the scripts end the walk
    // where the harness expects, and a paginator that walks differently is caught.
    // -----------------------------------------------------------------------------------

    static PAGED: Schema = Schema {
        name: "paged",
        target_prefix: "RedshiftServerless",
        content_type: "application/x-amz-json-1.1",
        shapes: &[
            Shape::new(
                "ListWorkgroupsRequest",
                Kind::Structure(&[Member::new("nextToken", 3), Member::new("maxResults", 2)]),
            ),
            Shape::new(
                "ListWorkgroupsResponse",
                Kind::Structure(&[
                    Member::new("nextToken", 3),
                    Member::new("workgroups", 4).required(),
                ]),
            ),
            Shape::new("PageSize", Kind::Integer(Range::NONE.min(1.0).max(100.0))),
            Shape::new("String", Kind::String(StringRules::PLAIN)),
            Shape::new(
                "WorkgroupList",
                Kind::List {
                    member: 5,
                    length: Length::NONE,
                    unique: false,
                },
            ),
            Shape::new(
                "Workgroup",
                Kind::Structure(&[Member::new("workgroupName", 3).required()]),
            ),
            Shape::new(
                "ValidationException",
                Kind::Structure(&[Member::new("message", 3).required()]),
            ),
        ],
        operations: &[Operation {
            name: "ListWorkgroups",
            input: 0,
            output: 1,
            errors: &[ErrorShape {
                code: "ValidationException",
                status: 400,
                shape: 6,
            }],
            pagination: Some(Pagination {
                input_token: "nextToken",
                output_token: "nextToken",
                items: Some("workgroups"),
                page_size: Some("maxResults"),
            }),
        }],
    };

    use crate::schema::{Length, Range, Shape, StringRules};
    crate::conversions!();
    use aws_sdk_redshiftserverless::operation::list_workgroups::{
        ListWorkgroupsError, ListWorkgroupsOutput,
    };
    use aws_sdk_redshiftserverless::types::Workgroup;

    /// `ListWorkgroups` of the official crate, through the harness's interface; `skip`
    /// drops the first page of every walk, as a broken paginator might.
    struct Paged {
        client: aws_sdk_redshiftserverless::Client,
        skip: bool,
    }

    fn workgroup(w: &Workgroup) -> Value {
        json!({ "workgroupName": w.workgroup_name })
    }

    fn page(o: &ListWorkgroupsOutput) -> Value {
        let mut m = Map::new();
        put(&mut m, "nextToken", &o.next_token);
        m.insert(
            "workgroups".into(),
            Value::Array(o.workgroups.iter().map(workgroup).collect()),
        );
        Value::Object(m)
    }

    fn error(e: &ListWorkgroupsError) -> (&'static str, Value) {
        match e {
            ListWorkgroupsError::ValidationException(x) => {
                ("ValidationException", json!({ "message": x.message }))
            }
            _ => ("Unhandled", Value::Null),
        }
    }

    impl Caller for Paged {
        fn call(&self, rt: &Runtime, _op: &str, input: &Value) -> Called {
            let r = rt.block_on(
                self.client
                    .list_workgroups()
                    .set_next_token(opt(input.get("nextToken")))
                    .set_max_results(opt(input.get("maxResults")))
                    .send(),
            );
            Called::from_result(r, page, error)
        }
        fn pages(&self, rt: &Runtime, _op: &str, input: &Value, n: Option<i32>) -> Vec<Called> {
            rt.block_on(async {
                let mut p = self
                    .client
                    .list_workgroups()
                    .set_next_token(opt(input.get("nextToken")))
                    .set_max_results(opt(input.get("maxResults")))
                    .into_paginator();
                if let Some(n) = n {
                    p = p.page_size(n);
                }
                let mut stream = p.send();
                let mut out = Vec::new();
                while let Some(r) = stream.next().await {
                    out.push(Called::from_result(r, page, error));
                }
                if self.skip && out.len() > 1 {
                    out.remove(0);
                }
                out
            })
        }
        fn items(&self, rt: &Runtime, _op: &str, input: &Value) -> Vec<Called> {
            rt.block_on(async {
                let mut stream = self
                    .client
                    .list_workgroups()
                    .set_next_token(opt(input.get("nextToken")))
                    .set_max_results(opt(input.get("maxResults")))
                    .into_paginator()
                    .items()
                    .send();
                let mut out = Vec::new();
                while let Some(r) = stream.next().await {
                    out.push(Called::from_item(r, workgroup, error));
                }
                out
            })
        }
    }

    fn paged_sides(setup: &Setup, skip: bool) -> Sides {
        let side = || -> Box<dyn Caller> {
            Box::new(Paged {
                client: crate::clients::official(setup),
                skip,
            })
        };
        Sides {
            ours: side(),
            official: side(),
        }
    }

    fn paged(skip: bool) -> fn(&Setup) -> Sides {
        if skip {
            |setup| paged_sides(setup, true)
        } else {
            |setup| paged_sides(setup, false)
        }
    }

    #[test]
    fn the_official_paginator_walks_the_scripted_pages() {
        let f = operation_failures(&PAGED, "ListWorkgroups", paged(false), false);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn a_paginator_that_loses_a_page_is_a_failure() {
        // Both sides lose it alike, so only the script's own count can tell.
        let f = operation_failures(&PAGED, "ListWorkgroups", paged(true), false);
        assert!(f.iter().any(|k| k.starts_with("[pages]")), "{f:?}");
    }
}
