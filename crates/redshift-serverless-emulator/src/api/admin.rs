//! The admin endpoints under [`ADMIN_PREFIX`]: unsigned, not counted and not logged as
//! service requests.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use serde_json::{json, Value};

use crate::faults::{FaultState, Faults, ScriptedFault};
use crate::lifecycle::{self, Shared};
use crate::request_log::{RecordedRequest, REQUEST_LOG_CAPACITY};

use super::handler::{ADMIN_PREFIX, MAX_BODY};
use super::response::{finish, RespBody};

fn admin_json(status: StatusCode, value: Value) -> Response<RespBody> {
    let body = serde_json::to_vec(&value).unwrap_or_default();
    finish(
        Response::builder()
            .status(status)
            .header(http::header::CONTENT_TYPE, "application/json"),
        RespBody::full(body),
    )
}

fn ok() -> Response<RespBody> {
    admin_json(StatusCode::OK, json!({"ok": true}))
}

fn bad_request(message: String) -> Response<RespBody> {
    admin_json(StatusCode::BAD_REQUEST, json!({ "message": message }))
}

pub(crate) async fn admin(shared: &Arc<Shared>, req: Request<Incoming>) -> Response<RespBody> {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return bad_request(format!("cannot read body: {e}")),
    };
    match (
        method,
        path.trim_start_matches(ADMIN_PREFIX).trim_end_matches('/'),
    ) {
        (Method::GET, "health") => admin_json(StatusCode::OK, json!({"status": "ok"})),
        (Method::GET, "requests") => {
            let st = shared.lock();
            let requests: Vec<Value> = st.log.iter().map(RecordedRequest::to_json).collect();
            admin_json(
                StatusCode::OK,
                json!({
                    "count": shared.count.load(Ordering::SeqCst),
                    "log_capacity": REQUEST_LOG_CAPACITY,
                    "requests": requests,
                }),
            )
        }
        (Method::GET, "faults") => {
            let faults = shared.lock().faults.snapshot();
            admin_json(
                StatusCode::OK,
                serde_json::to_value(faults).unwrap_or_default(),
            )
        }
        (Method::POST | Method::PUT, "faults") => match serde_json::from_slice::<Faults>(&body) {
            Ok(f) => match f.check() {
                Ok(()) => {
                    shared.lock().faults = FaultState::new(f);
                    ok()
                }
                Err(e) => bad_request(e.to_string()),
            },
            Err(e) => bad_request(format!("invalid fault JSON: {e}")),
        },
        (Method::POST, "faults/push") => match serde_json::from_slice::<ScriptedFault>(&body) {
            Ok(step) => match step.fault.check() {
                Ok(()) => {
                    shared.lock().faults.push(step);
                    ok()
                }
                Err(e) => bad_request(e.to_string()),
            },
            Err(e) => bad_request(format!("invalid fault JSON: {e}")),
        },
        (Method::DELETE, "faults") => {
            shared.lock().faults = FaultState::new(Faults::none());
            ok()
        }
        (Method::POST, "reset") => {
            lifecycle::reset(shared);
            ok()
        }
        (m, p) => admin_json(
            StatusCode::NOT_FOUND,
            json!({"message": format!("no admin endpoint {m} {ADMIN_PREFIX}{p}")}),
        ),
    }
}
