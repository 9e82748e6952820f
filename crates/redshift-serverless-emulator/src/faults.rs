//! Fault injection: scripted and random misbehaviour for exercising client retry and
//! error handling.
//!
//! A [`Faults`] value is plain data (serde: JSON for the admin endpoint, TOML or JSON in a
//! config file). The script is consumed first, one entry per service request; when it is
//! empty each request draws from `rates` with a seeded RNG, so runs are reproducible.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::ErrorKind;

/// What to do instead of (or on top of) answering normally.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Fault {
    /// Answer normally (useful in scripts: "fail, succeed, fail").
    Pass,
    /// Answer with a service error.
    Error {
        /// Which error.
        error: ErrorKind,
        /// The `message`; the kind's usual message when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        /// Value for an `x-amz-retry-after` header (milliseconds, as AWS sends it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<String>,
    },
    /// Answer with exactly this status, headers and body.
    Custom {
        /// HTTP status code.
        status: u16,
        /// Response headers (`x-amzn-RequestId` is added unless given here).
        #[serde(default)]
        headers: BTreeMap<String, String>,
        /// Response body, sent as is.
        #[serde(default)]
        body: String,
    },
    /// Close the TCP connection without writing any response.
    ConnectionReset,
    /// Send a 200 whose `Content-Length` promises more bytes than are sent, then close.
    TruncatedBody,
    /// Send a 200 with a body that is not JSON.
    GarbageBody,
    /// Send the status line, headers and part of a success body, then stall for
    /// `stall_ms` (default 30 s, cut short by shutdown) before finishing.
    StalledBody {
        /// How long to stall, in milliseconds.
        #[serde(default = "default_stall_ms")]
        stall_ms: u64,
    },
}

fn default_stall_ms() -> u64 {
    30_000
}

fn one() -> u32 {
    1
}

impl Fault {
    /// Shorthand for an error fault with the kind's usual message.
    pub fn error(kind: ErrorKind) -> Fault {
        Fault::Error {
            error: kind,
            message: None,
            retry_after: None,
        }
    }

    /// A short name for logs and the request log.
    pub fn name(&self) -> String {
        match self {
            Fault::Pass => "pass".into(),
            Fault::Error { error, .. } => format!("error:{}", error.code()),
            Fault::Custom { status, .. } => format!("custom:{status}"),
            Fault::ConnectionReset => "connection_reset".into(),
            Fault::TruncatedBody => "truncated_body".into(),
            Fault::GarbageBody => "garbage_body".into(),
            Fault::StalledBody { .. } => "stalled_body".into(),
        }
    }
}

/// A fault the emulator refuses to load, because it could not send it as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidFault {
    /// The fault's short name (see [`Fault::name`]).
    pub fault: String,
    /// What is wrong with it.
    pub reason: String,
}

impl std::fmt::Display for InvalidFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid fault {}: {}", self.fault, self.reason)
    }
}

impl std::error::Error for InvalidFault {}

impl Fault {
    /// Whether the emulator can send this fault as configured. A custom response frames
    /// its body itself, so a `content-length` that disagrees with the body (which would
    /// make hyper fail mid-response) or a `transfer-encoding` is refused, as is a status
    /// outside 100..=999.
    pub fn check(&self) -> Result<(), InvalidFault> {
        let Fault::Custom {
            status,
            headers,
            body,
        } = self
        else {
            return Ok(());
        };
        let invalid = |reason: String| InvalidFault {
            fault: self.name(),
            reason,
        };
        if http::StatusCode::from_u16(*status).is_err() {
            return Err(invalid(format!(
                "status {status} is not an HTTP status code (100 to 999)"
            )));
        }
        for (name, value) in headers {
            if name.eq_ignore_ascii_case("content-length") {
                if value.trim().parse::<usize>().ok() != Some(body.len()) {
                    return Err(invalid(format!(
                        "header content-length: {value:?} disagrees with the body's {} bytes; \
                         leave it out and the emulator sends the right one",
                        body.len()
                    )));
                }
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                return Err(invalid(
                    "header transfer-encoding: the emulator frames the body itself".into(),
                ));
            }
        }
        Ok(())
    }
}

/// One step of a fault script.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScriptedFault {
    /// The fault.
    #[serde(flatten)]
    pub fault: Fault,
    /// How many consecutive requests it applies to (default 1).
    #[serde(default = "one")]
    pub times: u32,
    /// Extra delay before answering, in milliseconds.
    #[serde(default)]
    pub delay_ms: u64,
}

impl ScriptedFault {
    /// The fault once, with no delay.
    pub fn once(fault: Fault) -> Self {
        Self::times(fault, 1)
    }

    /// The fault for the next `times` requests.
    pub fn times(fault: Fault, times: u32) -> Self {
        ScriptedFault {
            fault,
            times,
            delay_ms: 0,
        }
    }

    /// Adds a delay before the answer.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self
    }
}

/// A fault drawn at random with the given probability.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaultRate {
    /// Chance per request, 0.0..=1.0. Rates are tried in order over one uniform draw,
    /// so their sum should not exceed 1.
    pub probability: f64,
    /// The fault.
    #[serde(flatten)]
    pub fault: Fault,
}

/// The complete fault configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Consumed in order, one step per service request, before `rates` are consulted.
    pub script: Vec<ScriptedFault>,
    /// Random faults for requests the script does not cover.
    pub rates: Vec<FaultRate>,
    /// Seed for the RNG behind `rates`.
    pub seed: u64,
    /// Latency added to every service request, in milliseconds.
    pub latency_ms: u64,
}

impl Faults {
    /// No faults at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// A script of faults, one request each (use [`ScriptedFault::times`] for runs).
    pub fn script(steps: impl IntoIterator<Item = ScriptedFault>) -> Self {
        Faults {
            script: steps.into_iter().collect(),
            ..Self::default()
        }
    }

    /// Whether every fault here can be sent (see [`Fault::check`]).
    pub fn check(&self) -> Result<(), InvalidFault> {
        self.script
            .iter()
            .map(|s| &s.fault)
            .chain(self.rates.iter().map(|r| &r.fault))
            .try_for_each(Fault::check)
    }

    /// The next `n` requests answer `ThrottlingException` (`Rate exceeded`).
    pub fn throttle_next(n: u32) -> Self {
        Self::script([ScriptedFault::times(
            Fault::error(ErrorKind::ThrottlingException),
            n,
        )])
    }
}

/// The live, mutable form of [`Faults`].
#[derive(Debug)]
pub(crate) struct FaultState {
    config: Faults,
    script: VecDeque<ScriptedFault>,
    rng: fastrand::Rng,
}

impl FaultState {
    pub(crate) fn new(config: Faults) -> Self {
        FaultState {
            script: config
                .script
                .iter()
                .filter(|s| s.times > 0)
                .cloned()
                .collect(),
            rng: fastrand::Rng::with_seed(config.seed),
            config,
        }
    }

    /// The configuration this state was built from, with the script as it stands now.
    pub(crate) fn snapshot(&self) -> Faults {
        Faults {
            script: self.script.iter().cloned().collect(),
            ..self.config.clone()
        }
    }

    /// Appends a step to the script.
    pub(crate) fn push(&mut self, step: ScriptedFault) {
        if step.times > 0 {
            self.script.push_back(step);
        }
    }

    /// The fault for the next request (if any) and the delay before answering.
    pub(crate) fn next(&mut self) -> (Option<Fault>, Duration) {
        let mut delay = Duration::from_millis(self.config.latency_ms);
        if let Some(front) = self.script.front_mut() {
            let fault = front.fault.clone();
            delay += Duration::from_millis(front.delay_ms);
            front.times -= 1;
            if front.times == 0 {
                self.script.pop_front();
            }
            return (Some(fault), delay);
        }
        if !self.config.rates.is_empty() {
            let draw = self.rng.f64();
            let mut acc = 0.0;
            for rate in &self.config.rates {
                acc += rate.probability.clamp(0.0, 1.0);
                if draw < acc {
                    return (Some(rate.fault.clone()), delay);
                }
            }
        }
        (None, delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_runs_in_order_then_stops() {
        let mut st = FaultState::new(Faults::script([
            ScriptedFault::times(Fault::error(ErrorKind::ThrottlingException), 2),
            ScriptedFault::once(Fault::ConnectionReset).with_delay(Duration::from_millis(5)),
        ]));
        assert_eq!(
            st.next().0,
            Some(Fault::error(ErrorKind::ThrottlingException))
        );
        assert_eq!(
            st.next().0,
            Some(Fault::error(ErrorKind::ThrottlingException))
        );
        assert_eq!(
            st.next(),
            (Some(Fault::ConnectionReset), Duration::from_millis(5))
        );
        assert_eq!(st.next().0, None);
    }

    #[test]
    fn rates_are_reproducible_for_a_seed() {
        let faults = Faults {
            rates: vec![FaultRate {
                probability: 0.5,
                fault: Fault::GarbageBody,
            }],
            seed: 7,
            ..Faults::default()
        };
        let run = |f: &Faults| {
            let mut st = FaultState::new(f.clone());
            (0..64).map(|_| st.next().0.is_some()).collect::<Vec<_>>()
        };
        let a = run(&faults);
        assert_eq!(a, run(&faults));
        let hits = a.iter().filter(|h| **h).count();
        assert!((10..54).contains(&hits), "{hits}");
    }

    #[test]
    fn a_custom_fault_whose_framing_headers_contradict_its_body_is_refused() {
        let custom = |headers: &[(&str, &str)], body: &str| Fault::Custom {
            status: 200,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
        };
        assert!(custom(&[("Content-Length", "2")], "{}").check().is_ok());
        assert!(custom(&[("x-amz-retry-after", "10")], "{}").check().is_ok());
        let e = custom(&[("Content-Length", "1000")], "{}")
            .check()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid fault custom:200: header content-length: \"1000\" disagrees with the \
             body's 2 bytes; leave it out and the emulator sends the right one"
        );
        assert!(custom(&[("content-length", "x")], "{}").check().is_err());
        assert!(custom(&[("Transfer-Encoding", "chunked")], "{}")
            .check()
            .is_err());
        let bad_status = Fault::Custom {
            status: 1000,
            headers: Default::default(),
            body: String::new(),
        };
        assert!(bad_status.check().is_err());
        let faults = Faults {
            rates: vec![FaultRate {
                probability: 0.5,
                fault: custom(&[("content-length", "9")], ""),
            }],
            ..Faults::default()
        };
        assert!(faults.check().is_err());
    }

    #[test]
    fn json_shape() {
        let f: Faults = serde_json::from_str(
            r#"{"script":[{"kind":"error","error":"ThrottlingException","times":3},
                          {"kind":"custom","status":503,"headers":{"x-amz-retry-after":"10"},"body":"x"},
                          {"kind":"stalled_body"}],
                "rates":[{"probability":0.1,"kind":"connection_reset"}],
                "seed":1}"#,
        )
        .unwrap();
        assert_eq!(f.script.len(), 3);
        assert_eq!(f.script[0].times, 3);
        assert_eq!(f.script[2].fault, Fault::StalledBody { stall_ms: 30_000 });
        assert_eq!(f.rates[0].fault, Fault::ConnectionReset);
        let back: Faults = serde_json::from_slice(&serde_json::to_vec(&f).unwrap()).unwrap();
        assert_eq!(back, f);
    }
}
