//! Where the request goes: `--endpoint-url`, `AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS`,
//! `AWS_ENDPOINT_URL`, the profile's `[services]` section (`redshift_serverless =` then
//! `endpoint_url`), the profile's `endpoint_url`, and `ignore_configured_endpoint_urls`, in
//! the AWS CLI's order (botocore's `ConfiguredEndpointProvider`: the flag, the environment,
//! service first, then the config file, service first). Every case sets the one that should
//! win to the emulator and the ones that should lose to a port where nothing listens, so a
//! wrong order fails with a connection error.

mod common;

use common::*;

/// How each case configures the endpoint.
#[derive(Default)]
struct Endpoints<'a> {
    flag: Option<&'a str>,
    service_env: Option<&'a str>,
    global_env: Option<&'a str>,
    services_section: Option<&'a str>,
    /// `redshift-serverless =` in the same section (aws-config's key for the official crate).
    hyphen_section: Option<&'a str>,
    profile: Option<&'a str>,
    ignore_env: bool,
}

fn config_file(e: &Endpoints<'_>) -> String {
    let mut config = String::from("[default]\nregion = us-east-1\n");
    if let Some(url) = e.profile {
        config.push_str(&format!("endpoint_url = {url}\n"));
    }
    if e.services_section.is_some() || e.hyphen_section.is_some() {
        config.push_str("services = local\n[services local]\n");
    }
    if let Some(url) = e.hyphen_section {
        config.push_str(&format!("redshift-serverless =\n  endpoint_url = {url}\n"));
    }
    if let Some(url) = e.services_section {
        config.push_str(&format!("redshift_serverless =\n  endpoint_url = {url}\n"));
    }
    config
}

/// The emulator's URL and one where nothing listens.
fn good_and_bad(h: &Harness) -> (String, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    (h.url(), format!("http://127.0.0.1:{port}"))
}

#[test]
fn endpoint_settings_apply_in_the_aws_precedence_order() {
    let h = Harness::new();
    let (good, bad) = good_and_bad(&h);
    let (good, bad) = (good.as_str(), bad.as_str());
    let cases: Vec<(&str, Endpoints)> = vec![
        (
            "AWS_ENDPOINT_URL",
            Endpoints {
                global_env: Some(good),
                ..Default::default()
            },
        ),
        (
            "profile endpoint_url",
            Endpoints {
                profile: Some(good),
                ..Default::default()
            },
        ),
        (
            "the global variable beats the profile's endpoint_url",
            Endpoints {
                global_env: Some(good),
                profile: Some(bad),
                ..Default::default()
            },
        ),
        (
            "--endpoint-url beats everything",
            Endpoints {
                flag: Some(good),
                service_env: Some(bad),
                global_env: Some(bad),
                services_section: Some(bad),
                profile: Some(bad),
                ..Default::default()
            },
        ),
        (
            "--endpoint-url is not ignored by ignore_configured_endpoint_urls",
            Endpoints {
                flag: Some(good),
                ignore_env: true,
                ..Default::default()
            },
        ),
    ];
    drive(&h, cases);
}

/// Runs each case and expects exactly one request at the emulator.
fn drive(h: &Harness, cases: Vec<(&str, Endpoints)>) {
    for (name, e) in cases {
        h.emulator.reset();
        std::fs::write(h.home().join("config"), config_file(&e)).expect("config");
        let mut cmd = h.cli();
        cmd.args([
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
            "--max-attempts",
            "1",
            "--cli-connect-timeout",
            "2",
            "--query",
            "token",
            "--output",
            "text",
        ]);
        if let Some(url) = e.flag {
            cmd.args(["--endpoint-url", url]);
        }
        if let Some(url) = e.service_env {
            cmd.env("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", url);
        }
        if let Some(url) = e.global_env {
            cmd.env("AWS_ENDPOINT_URL", url);
        }
        if e.ignore_env {
            cmd.env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
        }
        let run = run(&mut cmd);
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        assert_eq!(h.emulator.request_count(), 1, "{name}");
    }
}

#[test]
fn ignore_configured_endpoint_urls_sends_to_the_regional_endpoint() {
    let h = Harness::new();
    let url = h.url();
    for (name, env, config) in [
        (
            "environment",
            Some(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")),
            String::new(),
        ),
        (
            "profile",
            None,
            "ignore_configured_endpoint_urls = true\n".to_owned(),
        ),
    ] {
        std::fs::write(
            h.home().join("config"),
            format!(
                "[default]\nregion = us-east-1\nendpoint_url = {url}\n{config}services = local\n\
                 [services local]\nredshift_serverless =\n  endpoint_url = {url}\n"
            ),
        )
        .expect("config");
        let mut cmd = h.cli();
        cmd.env("AWS_ENDPOINT_URL", &url)
            .env("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", &url)
            .args([
                "get-identity-center-auth-token",
                "--workgroup-names",
                "default",
                "--max-attempts",
                "1",
                "--cli-connect-timeout",
                "2",
                "--debug",
            ]);
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        let run = run(&mut cmd);
        // Whether the real endpoint is reachable from here does not matter: the attempt line
        // names where it went, and the emulator saw nothing.
        assert!(
            run.stderr
                .contains("endpoint=\"https://redshift-serverless.us-east-1.amazonaws.com/\""),
            "{name}: {}",
            run.stderr
        );
        assert_eq!(h.emulator.request_count(), 0, "{name}");
    }
}

#[test]
fn a_malformed_configured_endpoint_is_a_configuration_error() {
    let h = Harness::new();
    for (var, value) in [
        ("AWS_ENDPOINT_URL", "notaurl"),
        ("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", "ftp://example.com"),
    ] {
        let run = run(h.cli().env(var, value).args([
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
        ]));
        run.assert_code(253);
        assert!(
            run.stderr
                .starts_with(&format!("\nBad value for {var} \"{value}\": ")),
            "{var}: {}",
            run.stderr
        );
    }
    assert_eq!(h.emulator.request_count(), 0);
}

/// The service-specific settings. The CLI resolves the configured endpoint with the client
/// library's `configured_endpoint_url` (what `Client::new(&SdkConfig)` uses), in the AWS
/// CLI's order: the environment before the profile, the service's setting first in each.
#[test]
fn service_specific_endpoint_settings_apply_in_the_aws_precedence_order() {
    let h = Harness::new();
    let (good, bad) = good_and_bad(&h);
    let (good, bad) = (good.as_str(), bad.as_str());
    let cases: Vec<(&str, Endpoints)> = vec![
        (
            "AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS",
            Endpoints {
                service_env: Some(good),
                ..Default::default()
            },
        ),
        (
            "[services] section",
            Endpoints {
                services_section: Some(good),
                ..Default::default()
            },
        ),
        (
            "the service variable beats the global one and both profile settings",
            Endpoints {
                service_env: Some(good),
                global_env: Some(bad),
                services_section: Some(bad),
                profile: Some(bad),
                ..Default::default()
            },
        ),
        (
            "the [services] section beats the profile's endpoint_url",
            Endpoints {
                services_section: Some(good),
                profile: Some(bad),
                ..Default::default()
            },
        ),
        (
            "AWS_ENDPOINT_URL beats the [services] section",
            Endpoints {
                global_env: Some(good),
                services_section: Some(bad),
                hyphen_section: Some(bad),
                ..Default::default()
            },
        ),
        (
            "redshift_serverless beats redshift-serverless",
            Endpoints {
                services_section: Some(good),
                hyphen_section: Some(bad),
                profile: Some(bad),
                ..Default::default()
            },
        ),
        (
            // The AWS CLI passes over this key; the library reads it for the official
            // crate's users, and the CLI shares the library's resolution.
            "redshift-serverless alone beats the profile's endpoint_url",
            Endpoints {
                hyphen_section: Some(good),
                profile: Some(bad),
                ..Default::default()
            },
        ),
    ];
    drive(&h, cases);
}

#[test]
fn an_empty_endpoint_variable_is_no_endpoint() {
    let h = Harness::new();
    std::fs::write(h.home().join("config"), "[default]\nregion = us-east-1\n").expect("config");
    let run = run(h
        .cli()
        .env("AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS", "")
        .env("AWS_ENDPOINT_URL", h.url())
        .args([
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
            "--max-attempts",
            "1",
        ]));
    run.assert_code(0);
    assert_eq!(h.emulator.request_count(), 1);
}

/// A bad configured endpoint names the setting and where it is, whichever the source.
#[test]
fn a_malformed_endpoint_in_the_profile_names_its_section() {
    let h = Harness::new();
    let cases = [
        (
            "[default]\nregion = us-east-1\nendpoint_url = http://\n",
            "\nBad value for endpoint_url in profile default \"http://\": it is not a valid URL.",
        ),
        (
            "[default]\nregion = us-east-1\nservices = local\n[services local]\n\
             redshift_serverless =\n  endpoint_url = ftp://x\n",
            "\nBad value for redshift_serverless.endpoint_url in [services local] \"ftp://x\": scheme must be http or https.",
        ),
        (
            "[default]\nregion = us-east-1\nservices = gone\n",
            "\nThe profile is configured to use the services section but the \"gone\" services configuration does not exist.",
        ),
    ];
    for (config, message) in cases {
        std::fs::write(h.home().join("config"), config).expect("config");
        let run = run(h.cli().args([
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
        ]));
        run.assert_code(253);
        assert!(run.stderr.starts_with(message), "{config}: {}", run.stderr);
    }
    assert_eq!(h.emulator.request_count(), 0);
}

/// An endpoint URL with a path is sent to as the AWS CLI sends to it: `POST /some/path`, the
/// path as written (botocore's join), not the client library's `POST /some/path/` (the
/// official Rust crate's, `tests/tests/differential_requests.rs`); a trailing slash written
/// is kept. From the flag and from the environment alike.
#[test]
fn an_endpoint_path_is_sent_as_written() {
    let h = Harness::new();
    let url = h.url();
    for (endpoint, in_env, sent) in [
        (url.clone(), false, "/"),
        (format!("{url}/"), false, "/"),
        (format!("{url}/some/path"), false, "/some/path"),
        (format!("{url}/some/path/"), false, "/some/path/"),
        (format!("{url}/some/path"), true, "/some/path"),
    ] {
        h.emulator.reset();
        h.script([fixed_response(
            r#"{"token":"tok","expirationTime":"2026-11-28T05:00:00Z"}"#,
        )]);
        let mut cmd = h.cli();
        cmd.args([
            "get-identity-center-auth-token",
            "--workgroup-names",
            "default",
        ]);
        if in_env {
            cmd.env("AWS_ENDPOINT_URL", &endpoint);
        } else {
            cmd.args(["--endpoint-url", &endpoint]);
        }
        run(&mut cmd).assert_code(0);
        let paths: Vec<String> = h
            .emulator
            .requests()
            .iter()
            .map(|r| r.path.clone())
            .collect();
        assert_eq!(paths, [sent], "{endpoint} (environment: {in_env})");
    }
}
