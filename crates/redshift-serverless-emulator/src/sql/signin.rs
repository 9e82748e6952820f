//! The Identity Center sign-in's rules, apart from any socket: what the StartupMessage
//! must say, what the token must be, and which PostgreSQL role the session runs as.

use std::time::SystemTime;

use crate::time::format_rfc3339;
use crate::tokens::Lookup;

/// The only `idp_type` Redshift's token sign-in knows.
pub(crate) const IDP_TYPE: &str = "AwsIdc";
/// The `token_type` of a token from GetIdentityCenterAuthToken.
pub(crate) const SUBJECT_TOKEN: &str = "SUBJECT_TOKEN";
/// The namespace Redshift puts Identity Center users in unless told otherwise.
pub(crate) const DEFAULT_NAMESPACE: &str = "awsidc";
/// PostgreSQL's longest identifier (NAMEDATALEN - 1); a longer role name would be cut.
const MAX_ROLE_NAME: usize = 63;

/// Startup parameters that go on to PostgreSQL: the client's own session settings. The
/// Redshift-only ones (`plugin_name`, `idp_type`, `token_type`, `client_protocol_version`,
/// `driver_version`, ...) stop at the front, as does `user`: the token says who signs in.
const FORWARDED: [&str; 6] = [
    "application_name",
    "client_encoding",
    "DateStyle",
    "TimeZone",
    "IntervalStyle",
    "extra_float_digits",
];

/// What a StartupMessage asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Startup {
    pub(crate) database: String,
    pub(crate) namespace: String,
    /// The parameters PostgreSQL gets, in the client's order.
    pub(crate) forwarded: Vec<(String, String)>,
    /// The names of the parameters dropped (for the debug log; values are not kept).
    pub(crate) dropped: Vec<String>,
}

/// Why a sign-in is refused. Each becomes a FATAL ErrorResponse with SQLSTATE 28000 whose
/// message names the reason.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    NoIdpType,
    UnsupportedIdpType(String),
    NoTokenType,
    UnsupportedTokenType(String),
    BadNamespace(String),
    NoToken,
    UnknownToken,
    Expired(SystemTime),
    OtherWorkgroup {
        workgroup: String,
        granted: Vec<String>,
    },
    RoleTooLong(String),
}

impl Refusal {
    /// A short name for the log.
    pub(crate) fn reason(&self) -> &'static str {
        match self {
            Refusal::NoIdpType => "no idp_type",
            Refusal::UnsupportedIdpType(_) => "unsupported idp_type",
            Refusal::NoTokenType => "no token_type",
            Refusal::UnsupportedTokenType(_) => "unsupported token_type",
            Refusal::BadNamespace(_) => "bad identity_namespace",
            Refusal::NoToken => "no token",
            Refusal::UnknownToken => "unknown token",
            Refusal::Expired(_) => "expired token",
            Refusal::OtherWorkgroup { .. } => "token for another workgroup",
            Refusal::RoleTooLong(_) => "role name too long",
        }
    }

    /// The ErrorResponse's message.
    pub(crate) fn message(&self) -> String {
        match self {
            Refusal::NoIdpType => format!(
                "Identity Center sign-in failed: the startup message has no idp_type; this workgroup signs in only with idp_type={IDP_TYPE} and a token"
            ),
            Refusal::UnsupportedIdpType(t) => format!(
                "Identity Center sign-in failed: idp_type {t:?} is not supported; use {IDP_TYPE}"
            ),
            Refusal::NoTokenType => format!(
                "Identity Center sign-in failed: the startup message has no token_type; use {SUBJECT_TOKEN} for a token from GetIdentityCenterAuthToken"
            ),
            Refusal::UnsupportedTokenType(t) => format!(
                "Identity Center sign-in failed: token_type {t:?} is not supported by this emulator; use {SUBJECT_TOKEN} for a token from GetIdentityCenterAuthToken"
            ),
            Refusal::BadNamespace(n) => format!(
                "Identity Center sign-in failed: identity_namespace {n:?} must be 1 to 32 letters, digits or underscores"
            ),
            Refusal::NoToken => {
                "Identity Center sign-in failed: no token was sent in answer to the token request"
                    .to_owned()
            }
            Refusal::UnknownToken => {
                "Identity Center sign-in failed: the token is unknown: it was not issued by this workgroup's GetIdentityCenterAuthToken"
                    .to_owned()
            }
            Refusal::Expired(at) => format!(
                "Identity Center sign-in failed: the token expired at {}; get a new one with GetIdentityCenterAuthToken",
                format_rfc3339(*at)
            ),
            Refusal::OtherWorkgroup { workgroup, granted } => format!(
                "Identity Center sign-in failed: the token was issued for workgroup{} {}, not for workgroup {workgroup}",
                if granted.len() == 1 { "" } else { "s" },
                granted.join(", ")
            ),
            Refusal::RoleTooLong(role) => format!(
                "Identity Center sign-in failed: role name {role:?} is longer than PostgreSQL's {MAX_ROLE_NAME} bytes"
            ),
        }
    }
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// How a session hands its token over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Handover {
    /// Redshift's: `idp_type=AwsIdc`, then the `i` message in answer to code 14.
    IdpToken,
    /// The emulator's `--sql-password-sign-in`: no `idp_type`, and the token as a cleartext
    /// password (AuthenticationRequest code 3), so a stock PostgreSQL client can sign in.
    Password,
}

/// How a StartupMessage hands its token over: [`Handover::Password`] only where the front
/// allows it and the message names no `idp_type`.
pub(crate) fn handover(params: &[(String, String)], password_allowed: bool) -> Handover {
    if password_allowed && param(params, "idp_type").is_none() {
        Handover::Password
    } else {
        Handover::IdpToken
    }
}

/// Checks a StartupMessage's parameters for the token sign-in.
pub(crate) fn check_startup(
    params: &[(String, String)],
    handover: Handover,
) -> Result<Startup, Refusal> {
    if handover == Handover::IdpToken {
        match param(params, "idp_type") {
            None | Some("") => return Err(Refusal::NoIdpType),
            Some(IDP_TYPE) => {}
            Some(other) => return Err(Refusal::UnsupportedIdpType(other.to_owned())),
        }
        match param(params, "token_type") {
            None | Some("") => return Err(Refusal::NoTokenType),
            Some(SUBJECT_TOKEN) => {}
            Some(other) => return Err(Refusal::UnsupportedTokenType(other.to_owned())),
        }
    }
    let namespace = match param(params, "identity_namespace") {
        None | Some("") => DEFAULT_NAMESPACE.to_owned(),
        Some(n) if n.len() <= 32 && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => {
            n.to_owned()
        }
        Some(n) => return Err(Refusal::BadNamespace(n.to_owned())),
    };
    let database = match param(params, "database") {
        None | Some("") => super::backend::DEFAULT_DATABASE.to_owned(),
        Some(d) => d.to_owned(),
    };
    let (forwarded, dropped): (Vec<_>, Vec<_>) = params
        .iter()
        .filter(|(k, _)| k != "database")
        .cloned()
        .partition(|(k, _)| FORWARDED.contains(&k.as_str()));
    Ok(Startup {
        database,
        namespace,
        forwarded,
        dropped: dropped.into_iter().map(|(k, _)| k).collect(),
    })
}

/// Who a token signs in, at `workgroup`: the role `<namespace>:<user>`.
pub(crate) fn check_token(
    lookup: Lookup,
    workgroup: &str,
    namespace: &str,
) -> Result<Identity, Refusal> {
    let grant = match lookup {
        Lookup::Unknown => return Err(Refusal::UnknownToken),
        Lookup::Expired(grant) => return Err(Refusal::Expired(grant.expires)),
        Lookup::Valid(grant) => grant,
    };
    if !grant.workgroups.iter().any(|w| w == workgroup) {
        return Err(Refusal::OtherWorkgroup {
            workgroup: workgroup.to_owned(),
            granted: grant.workgroups,
        });
    }
    let role = format!("{namespace}:{}", grant.user);
    if role.len() > MAX_ROLE_NAME {
        return Err(Refusal::RoleTooLong(role));
    }
    Ok(Identity {
        user: grant.user,
        role,
    })
}

/// Who a session runs as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Identity {
    /// The Identity Center user.
    pub(crate) user: String,
    /// The PostgreSQL role: `<namespace>:<user>`.
    pub(crate) role: String,
}

/// Whether `user` can be an Identity Center user's name here: 1 to 56 bytes (so that
/// `awsidc:<user>` fits PostgreSQL's 63), no control characters.
pub fn check_identity_user(user: &str) -> Result<(), String> {
    let most = MAX_ROLE_NAME - DEFAULT_NAMESPACE.len() - 1;
    if user.is_empty() || user.len() > most {
        return Err(format!(
            "an Identity Center user name is 1 to {most} bytes, not {} ({user:?})",
            user.len()
        ));
    }
    if user.chars().any(char::is_control) {
        return Err(format!(
            "an Identity Center user name has no control characters ({user:?})"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::Grant;
    use std::time::{Duration, UNIX_EPOCH};

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// What redshift_connector 2.2.0 sends for IdpTokenAuthPlugin.
    fn driver_startup() -> Vec<(String, String)> {
        params(&[
            ("user", ""),
            ("database", ""),
            ("application_name", "__main__"),
            ("client_protocol_version", "2"),
            ("driver_version", "Redshift Python Driver 2.2.0"),
            ("os_version", "Linux"),
            ("driver_discovery_version", "1"),
            (
                "plugin_name",
                "redshift_connector.plugin.IdpTokenAuthPlugin",
            ),
            ("idp_type", "AwsIdc"),
            ("token_type", "SUBJECT_TOKEN"),
        ])
    }

    #[test]
    fn the_drivers_startup_message_is_accepted_and_only_session_settings_go_on() {
        let s = check_startup(&driver_startup(), Handover::IdpToken).unwrap();
        assert_eq!(s.database, "dev");
        assert_eq!(s.namespace, "awsidc");
        assert_eq!(s.forwarded, params(&[("application_name", "__main__")]));
        assert_eq!(
            s.dropped,
            [
                "user",
                "client_protocol_version",
                "driver_version",
                "os_version",
                "driver_discovery_version",
                "plugin_name",
                "idp_type",
                "token_type"
            ]
        );
    }

    #[test]
    fn startup_refusals_name_the_parameter() {
        let without = |name: &str| {
            let mut p = driver_startup();
            p.retain(|(k, _)| k != name);
            check_startup(&p, Handover::IdpToken).unwrap_err()
        };
        assert_eq!(without("idp_type"), Refusal::NoIdpType);
        assert_eq!(without("token_type"), Refusal::NoTokenType);
        let with = |name: &str, value: &str| {
            let mut p = driver_startup();
            p.retain(|(k, _)| k != name);
            p.push((name.into(), value.into()));
            check_startup(&p, Handover::IdpToken)
        };
        assert_eq!(
            with("token_type", "ACCESS_TOKEN").unwrap_err(),
            Refusal::UnsupportedTokenType("ACCESS_TOKEN".into())
        );
        assert_eq!(
            with("idp_type", "Okta").unwrap_err(),
            Refusal::UnsupportedIdpType("Okta".into())
        );
        assert_eq!(
            with("identity_namespace", "x\"; drop").unwrap_err(),
            Refusal::BadNamespace("x\"; drop".into())
        );
        assert_eq!(
            with("identity_namespace", "AWSIDC").unwrap().namespace,
            "AWSIDC"
        );
        for r in [
            Refusal::NoIdpType,
            Refusal::UnsupportedTokenType("ACCESS_TOKEN".into()),
        ] {
            assert!(r.message().starts_with("Identity Center sign-in failed: "));
        }
    }

    #[test]
    fn the_password_handover_is_only_for_a_startup_without_idp_type_where_allowed() {
        let plain = params(&[("user", "alice"), ("database", "dev")]);
        assert_eq!(handover(&plain, true), Handover::Password);
        assert_eq!(handover(&plain, false), Handover::IdpToken);
        assert_eq!(handover(&driver_startup(), true), Handover::IdpToken);
        assert!(check_startup(&plain, Handover::Password).is_ok());
        assert_eq!(
            check_startup(&plain, Handover::IdpToken).unwrap_err(),
            Refusal::NoIdpType
        );
    }

    #[test]
    fn tokens_sign_in_their_user_at_their_workgroups_only() {
        let t = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let grant = Grant {
            workgroups: vec!["default".into(), "analytics".into()],
            user: "alice@example.com".into(),
            expires: t,
        };
        assert_eq!(
            check_token(Lookup::Valid(grant.clone()), "analytics", "awsidc").unwrap(),
            Identity {
                user: "alice@example.com".into(),
                role: "awsidc:alice@example.com".into()
            }
        );
        let other = check_token(Lookup::Valid(grant.clone()), "sales", "awsidc").unwrap_err();
        assert_eq!(
            other.message(),
            "Identity Center sign-in failed: the token was issued for workgroups default, analytics, not for workgroup sales"
        );
        assert_eq!(
            check_token(Lookup::Expired(grant.clone()), "default", "awsidc").unwrap_err().message(),
            "Identity Center sign-in failed: the token expired at 2027-01-15T08:00:00Z; get a new one with GetIdentityCenterAuthToken"
        );
        assert_eq!(
            check_token(Lookup::Unknown, "default", "awsidc").unwrap_err(),
            Refusal::UnknownToken
        );
        let long = Grant {
            user: "u".repeat(60),
            ..grant
        };
        assert!(matches!(
            check_token(Lookup::Valid(long), "default", "awsidc"),
            Err(Refusal::RoleTooLong(_))
        ));
    }

    #[test]
    fn identity_user_names() {
        assert!(check_identity_user("alice@example.com").is_ok());
        assert!(check_identity_user("").is_err());
        assert!(check_identity_user(&"a".repeat(57)).is_err());
        assert!(check_identity_user(&"a".repeat(56)).is_ok());
        assert!(check_identity_user("a\nb").is_err());
    }
}
