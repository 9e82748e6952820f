//! Differential requests: for generated valid inputs, both crates put the same bytes on the
//! wire (method, path, body, protocol headers, signing scope and signed protocol headers),
//! and both signatures verify independently.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use redshift_serverless_conformance::capture::{CaptureServer, Captured};
use redshift_serverless_conformance::clients::{self, Setup};
use redshift_serverless_conformance::differences::{Difference, CLIENT_SIDE_VALIDATION};
use redshift_serverless_conformance::report::{cases, Report};
use redshift_serverless_conformance::runner::run_cases;
use redshift_serverless_conformance::sigv4;

/// Headers SDKs add for their own bookkeeping; signing them or not changes nothing the
/// service acts on, so they are compared apart from the protocol headers.
const METADATA_HEADERS: &[&str] = &[
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "x-amz-user-agent",
    "user-agent",
];

/// Headers whose values must be byte-identical.
const COMPARED_HEADERS: &[&str] = &[
    "content-type",
    "x-amz-target",
    "x-amz-date",
    "x-amz-security-token",
    "content-length",
];

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Valid inputs: 1..=20 names of 3..=64 characters from [a-z0-9-].
fn names() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[a-z0-9-]{3,64}", 1..=20)
}

/// A signing time anywhere in 2001..2096.
fn signing_time() -> impl Strategy<Value = SystemTime> {
    (1_000_000_000u64..4_000_000_000).prop_map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

async fn send_both(
    server: &CaptureServer,
    setup: &Setup,
    names: &[String],
) -> Result<(Captured, Captured), String> {
    let ours = clients::ours(setup)
        .get_identity_center_auth_token()
        .set_workgroup_names(Some(names.to_vec()))
        .send()
        .await;
    ours.map_err(|e| format!("ours failed: {e:?}"))?;
    let theirs = clients::official(setup)
        .get_identity_center_auth_token()
        .set_workgroup_names(Some(names.to_vec()))
        .send()
        .await;
    theirs.map_err(|e| format!("official failed: {e:?}"))?;
    let mut reqs = server.take_requests();
    if reqs.len() != 2 {
        return Err(format!("expected 2 requests, captured {}", reqs.len()));
    }
    let theirs = reqs.pop().expect("two");
    let ours = reqs.pop().expect("two");
    Ok((ours, theirs))
}

fn signed_set(req: &Captured) -> Result<BTreeSet<String>, String> {
    let auth = sigv4::parse_authorization(req.header("authorization").ok_or("no auth")?)?;
    Ok(auth.signed_headers.into_iter().collect())
}

/// Compares one pair of captured requests; returns the table rows that explain any
/// difference, or what is wrong.
fn compare(
    ours: &Captured,
    theirs: &Captured,
    token: bool,
) -> Result<Vec<&'static Difference>, String> {
    if ours.method != theirs.method || ours.path != theirs.path {
        return Err(format!(
            "request line differs: {} {} vs {} {}",
            ours.method, ours.path, theirs.method, theirs.path
        ));
    }
    if ours.body != theirs.body {
        return Err(format!(
            "bodies differ: {:?} vs {:?}",
            String::from_utf8_lossy(&ours.body),
            String::from_utf8_lossy(&theirs.body)
        ));
    }
    for h in COMPARED_HEADERS {
        if ours.header(h) != theirs.header(h) {
            return Err(format!(
                "{h} differs: {:?} vs {:?}",
                ours.header(h),
                theirs.header(h)
            ));
        }
    }
    if ours.header("x-amz-security-token").is_some() != token {
        return Err("x-amz-security-token presence is wrong".into());
    }
    let oa = sigv4::parse_authorization(ours.header("authorization").ok_or("ours: no auth")?)?;
    let ta =
        sigv4::parse_authorization(theirs.header("authorization").ok_or("official: no auth")?)?;
    if oa.credential != ta.credential {
        return Err(format!(
            "credential scopes differ: {} vs {}",
            oa.credential, ta.credential
        ));
    }
    let (os, ts) = (signed_set(ours)?, signed_set(theirs)?);
    let protocol = |s: &BTreeSet<String>| -> BTreeSet<String> {
        s.iter()
            .filter(|h| !METADATA_HEADERS.contains(&h.as_str()))
            .cloned()
            .collect()
    };
    if protocol(&os) != protocol(&ts) {
        return Err(format!("signed protocol headers differ: {os:?} vs {ts:?}"));
    }
    let session = token.then_some(clients::SESSION_TOKEN);
    for (who, req) in [("ours", ours), ("official", theirs)] {
        sigv4::verify(
            req,
            clients::ACCESS_KEY_ID,
            clients::SECRET_ACCESS_KEY,
            session,
            clients::REGION,
            clients::SIGNING_NAME,
        )
        .map_err(|e| format!("{who}: {e}"))?;
    }
    // Both crates sign the same metadata headers too (x-amz-user-agent, not the invocation
    // id or amz-sdk-request); a change there is worth a look, and a table row if deliberate.
    if os != ts {
        return Err(format!("signed metadata headers differ: {os:?} vs {ts:?}"));
    }
    Ok(Vec::new())
}

#[test]
fn generated_valid_inputs_produce_the_same_request() {
    let rt = runtime();
    let server = rt.block_on(CaptureServer::start()).expect("capture server");
    run_cases(
        "requests",
        "generated_valid_inputs",
        cases(128),
        (names(), any::<bool>(), signing_time()),
        |(names, token, at)| {
            let setup = Setup::new(server.url(), token).at(at);
            let (ours, theirs) = rt.block_on(send_both(&server, &setup, &names))?;
            // The body must also be exactly the input, in order.
            let body: serde_json::Value =
                serde_json::from_slice(&ours.body).map_err(|e| e.to_string())?;
            if body != serde_json::json!({ "workgroupNames": names }) {
                return Err(format!("body does not encode the input: {body}"));
            }
            compare(&ours, &theirs, token)
        },
    );
}

#[test]
fn signed_header_sets_are_identical() {
    let rt = runtime();
    let server = rt.block_on(CaptureServer::start()).expect("capture server");
    let setup = Setup::new(server.url(), true).at(UNIX_EPOCH + Duration::from_secs(1_795_842_000));
    let names = vec!["analytics".to_string()];
    let (ours, theirs) = rt
        .block_on(send_both(&server, &setup, &names))
        .expect("both send");
    assert_eq!(compare(&ours, &theirs, true), Ok(Vec::new()));
    let signed = signed_set(&ours).unwrap();
    let expected = [
        "content-length",
        "content-type",
        "host",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-target",
        "x-amz-user-agent",
    ];
    assert_eq!(signed, expected.iter().map(|s| s.to_string()).collect());
    let mut report = Report::new("requests", "signed_header_sets_are_identical");
    report.agree();
    report.write();
}

#[test]
fn pinned_client_side_validation() {
    let rt = runtime();
    let server = rt.block_on(CaptureServer::start()).expect("capture server");
    let setup = Setup::new(server.url(), false);
    let invalid: Vec<Vec<String>> = vec![
        vec![],
        vec!["ab".into()],
        vec!["Upper-Case".into()],
        vec!["under_score".into()],
        vec!["a".repeat(65)],
        (0..21).map(|i| format!("wg-{i:02}")).collect(),
    ];
    let mut report = Report::new("requests", "pinned_client_side_validation");
    for names in invalid {
        let ours = rt.block_on(
            clients::ours(&setup)
                .get_identity_center_auth_token()
                .set_workgroup_names(Some(names.clone()))
                .send(),
        );
        let err = ours.expect_err("ours rejects invalid input");
        assert!(
            redshift_serverless_client::error::ConstraintViolationExt::is_constraint_violation(
                &err
            ),
            "{err:?}"
        );
        assert!(server.take_requests().is_empty(), "ours sent {names:?}");
        let theirs = rt.block_on(
            clients::official(&setup)
                .get_identity_center_auth_token()
                .set_workgroup_names(Some(names.clone()))
                .send(),
        );
        assert!(
            theirs.is_ok(),
            "official accepts {names:?} (server answers 200)"
        );
        assert_eq!(server.take_requests().len(), 1, "official sent {names:?}");
        report.differ(&[CLIENT_SIDE_VALIDATION]);
    }
    report.write();
}

/// Regions that would carry another host, port, userinfo, path or label into the endpoint's
/// host name (`{port}` is the capture server's), for both crates to refuse.
const HOSTILE_REGIONS: &[&str] = &[
    "x@127.0.0.1:{port}#",
    "x@localhost:{port}/",
    "127.0.0.1:{port}#",
    "us-east-1.127.0.0.1.nip.io:{port}#",
    "us-east-1/../",
    "us-east-1?x=",
    "us-east-1\r\nHost: 127.0.0.1",
    "us east 1",
    "",
];

/// Hostile and arbitrary regions, region-shaped ones (some dotted) among them, and valid
/// ones, so both sides of the rule are exercised.
fn regions(port: u16) -> impl Strategy<Value = String> {
    let port = port.to_string();
    prop_oneof![
        2 => prop::sample::select(HOSTILE_REGIONS)
            .prop_map(move |t| t.replace("{port}", &port)),
        2 => "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}(\\.[a-z0-9-]{1,8}){0,2}",
        2 => "[a-zA-Z0-9.@:#/?%\\[\\] -]{0,24}",
        1 => any::<String>(),
    ]
}

/// The official crate's rule for a region (smithy-rs's `isValidHostLabel` with dots
/// allowed): labels of 1 to 63 ASCII letters, digits and hyphens, none starting with a hyphen.
fn is_host_name(region: &str) -> bool {
    region.split('.').all(|label| {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// A region either crate sends or refuses: whether the request reached the server, and,
/// for ours, that a refusal is an `InvalidRegion` naming the region.
fn sent<E: std::error::Error + 'static>(
    who: &str,
    region: &str,
    result: Result<(), redshift_serverless_client::error::SdkError<E>>,
    server: &CaptureServer,
    ours: bool,
) -> Result<bool, String> {
    let requests = server.take_requests().len();
    match (result, requests) {
        (Ok(()), 1) => Ok(true),
        (Err(e), 0) => {
            if ours {
                let invalid = std::error::Error::source(&e).and_then(|s| {
                    s.downcast_ref::<redshift_serverless_client::config::InvalidRegion>()
                });
                match invalid {
                    Some(i) if i.region() == region => {}
                    _ => {
                        return Err(format!(
                            "{who}: {region:?} refused, not as InvalidRegion: {e:?}"
                        ))
                    }
                }
            }
            Ok(false)
        }
        (result, n) => Err(format!(
            "{who}: {region:?} ended {:?} with {n} requests",
            result.map_err(|e| e.to_string())
        )),
    }
}

/// Ours sends exactly the regions botocore accepts, and refuses the rest with an
/// `InvalidRegion` before anything is sent, even with an endpoint URL (the region still
/// signs the request). The official crate refuses what is not a host name; it accepts a
/// dotted one (the `region-name-rule` difference). Ours never sends what it refuses.
#[test]
fn hostile_regions_are_refused_before_anything_is_sent() {
    use redshift_serverless_client::config::check_region;
    use redshift_serverless_conformance::differences::REGION_NAME_RULE;
    let rt = runtime();
    let server = rt.block_on(CaptureServer::start()).expect("capture server");
    run_cases(
        "requests",
        "hostile_regions",
        cases(256),
        regions(server.port()),
        |region| {
            let setup = Setup::new(server.url(), true).region(region.clone());
            let ours = rt.block_on(
                clients::ours(&setup)
                    .get_identity_center_auth_token()
                    .workgroup_names("default")
                    .send(),
            );
            let ours = sent("ours", &region, ours.map(drop), &server, true)?;
            let theirs = rt.block_on(
                clients::official(&setup)
                    .get_identity_center_auth_token()
                    .workgroup_names("default")
                    .send(),
            );
            let theirs = sent("official", &region, theirs.map(drop), &server, false)?;
            if ours != check_region(&region).is_ok() {
                return Err(format!(
                    "ours sent={ours} for {region:?}, against botocore's rule"
                ));
            }
            match (ours, theirs) {
                (a, b) if a == b => Ok(Vec::new()),
                // Only the official crate's rule allows dots, and a hyphen at a label's end.
                (false, true) if is_host_name(&region) => Ok(vec![REGION_NAME_RULE]),
                _ => Err(format!(
                    "ours sent={ours}, official sent={theirs} for {region:?}"
                )),
            }
        },
    );
    // The hostile forms at least were generated.
    assert!(server.connections() > 0, "nothing was ever sent");
}

/// The issue-24 reproduction in both crates: a region naming the capture server as a host,
/// with no endpoint URL, so the region's endpoint would be built from it. Neither crate
/// opens a connection.
#[test]
fn a_region_naming_a_host_opens_no_connection_in_either_crate() {
    let rt = runtime();
    let server = rt.block_on(CaptureServer::start()).expect("capture server");
    let mut report = Report::new("requests", "a_region_naming_a_host_opens_no_connection");
    for template in HOSTILE_REGIONS {
        let region = template.replace("{port}", &server.port().to_string());
        let setup = Setup::new(server.url(), true)
            .region(region.clone())
            .without_endpoint_url();
        let ours = rt.block_on(
            clients::ours(&setup)
                .get_identity_center_auth_token()
                .workgroup_names("default")
                .send(),
        );
        assert!(ours.is_err(), "ours: {region:?}");
        let theirs = rt.block_on(
            clients::official(&setup)
                .get_identity_center_auth_token()
                .workgroup_names("default")
                .send(),
        );
        assert!(theirs.is_err(), "official: {region:?}");
        assert_eq!(server.connections(), 0, "{region:?} reached the server");
        report.agree();
    }
    report.write();
}

/// An endpoint URL with a path: this crate joins it to the operation's path `/` as the
/// official crate does (smithy-rs' `merge_paths`: the endpoint's path without its trailing
/// slash, then `/`), so `http://host/some/path` is sent as `POST /some/path/`, with or
/// without the slash. botocore (the AWS CLI) sends the endpoint's path as written,
/// `POST /some/path`; the `redshift-serverless` command follows the AWS CLI there
/// (`crates/redshift-serverless-cli/src/endpoint_url.rs`), this library the official crate.
#[test]
fn an_endpoint_url_with_a_path_is_joined_as_the_official_crate_joins_it() {
    runtime().block_on(async {
        let server = CaptureServer::start().await.expect("capture server");
        let names = vec!["default".to_owned()];
        for (path, sent) in [
            ("", "/"),
            ("/", "/"),
            ("/some/path", "/some/path/"),
            ("/some/path/", "/some/path/"),
        ] {
            let setup = Setup::new(format!("{}{path}", server.url()), false);
            let (ours, theirs) = send_both(&server, &setup, &names)
                .await
                .unwrap_or_else(|e| panic!("{path:?}: {e}"));
            assert_eq!(
                (ours.path.as_str(), theirs.path.as_str()),
                (sent, sent),
                "endpoint path {path:?}"
            );
        }
    });
}
