//! The AWS provider block as teams write it: role chains, web identity, the
//! account guard, the `skip_*` flags, the instance metadata service, proxies
//! and CA bundles, driven by a real Terraform CLI against the local control
//! plane, which serves STS too.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use support::diagnostics::diagnostic_matches;
use support::{Emulator, Workspace, failed_validate_diagnostics};

const ASC: &str = r#"
resource "apprunner_auto_scaling_configuration_version" "test" {
  auto_scaling_configuration_name = "block-asc"
}
"#;

const ROLE_A: &str = "arn:aws:iam::111111111111:role/deployer";
const ROLE_B: &str = "arn:aws:iam::222222222222:role/apprunner-admin";
const OWN_ACCOUNT: &str = "123456789012";

/// A provider block reaching App Runner and STS on `emulator`, with
/// `args` (no credentials unless `args` has them).
fn provider(emulator: &Emulator, args: &str) -> String {
    format!(
        "provider \"apprunner\" {{\n  region = \"us-east-1\"\n{args}\n  endpoints {{\n    apprunner = \"{url}\"\n    sts       = \"{url}\"\n  }}\n}}\n",
        url = emulator.url
    )
}

const KEYS: &str = "  access_key = \"test\"\n  secret_key = \"test\"";

/// A workspace whose HOME holds no AWS files.
fn isolated(emulator: &Emulator) -> Workspace {
    let mut ws = Workspace::new(emulator);
    let home = ws.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    ws.env("HOME", home.to_str().unwrap());
    ws
}

fn sessions(emulator: &Emulator) -> Vec<Value> {
    emulator.state()["sts"]["sessions"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn held_in(emulator: &Emulator, account: &str) -> u64 {
    let state = emulator.state();
    let regions = if account == OWN_ACCOUNT {
        state["regions"].clone()
    } else {
        state["accounts"][account].clone()
    };
    regions
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, r)| {
            r["counts"]["auto_scaling_configurations"]
                .as_u64()
                .unwrap_or(0)
        })
        .sum()
}

#[test]
fn a_two_hop_role_chain_calls_app_runner_as_the_second_role() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    let policy = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"apprunner:*\",\"Resource\":\"*\"}]}"#;
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!(
                "{KEYS}\n  assume_role {{\n    role_arn = \"{ROLE_A}\"\n    session_name = \"first-hop\"\n    \
                 external_id = \"ext-42\"\n    duration = \"2h\"\n    policy = \"{policy}\"\n    \
                 policy_arns = [\"arn:aws:iam::aws:policy/AWSAppRunnerFullAccess\"]\n    \
                 tags = {{ team = \"web\", cost = \"7\" }}\n    transitive_tag_keys = [\"team\"]\n    \
                 source_identity = \"alice\"\n  }}\n  assume_role {{\n    role_arn = \"{ROLE_B}\"\n    \
                 session_name = \"second-hop\"\n  }}"
            ),
        ),
        ASC,
    );
    ws.apply();
    let arn = ws
        .state()
        .attr("apprunner_auto_scaling_configuration_version.test", "arn");
    assert!(
        arn.contains(":222222222222:"),
        "made as the second role: {arn}"
    );
    assert_eq!(held_in(&emulator, "222222222222"), 1);
    assert_eq!(held_in(&emulator, "111111111111"), 0);
    assert_eq!(held_in(&emulator, OWN_ACCOUNT), 0);

    let sessions = sessions(&emulator);
    let first: Vec<&Value> = sessions.iter().filter(|s| s["RoleArn"] == ROLE_A).collect();
    let second: Vec<&Value> = sessions.iter().filter(|s| s["RoleArn"] == ROLE_B).collect();
    assert!(!first.is_empty() && !second.is_empty(), "{sessions:#?}");
    for s in &first {
        assert_eq!(s["AssumedBy"], format!("arn:aws:iam::{OWN_ACCOUNT}:root"));
        assert_eq!(s["RoleSessionName"], "first-hop");
        assert_eq!(s["ExternalId"], "ext-42");
        assert_eq!(s["DurationSeconds"], 7200);
        assert!(
            s["Policy"].as_str().unwrap().contains("apprunner:*"),
            "{s:#}"
        );
        assert_eq!(
            s["PolicyArns"][0],
            "arn:aws:iam::aws:policy/AWSAppRunnerFullAccess"
        );
        assert_eq!(s["Tags"]["team"], "web");
        assert_eq!(s["Tags"]["cost"], "7");
        assert_eq!(s["TransitiveTagKeys"][0], "team");
        assert_eq!(s["SourceIdentity"], "alice");
    }
    for s in &second {
        // Assumed with the first hop's credentials, inheriting what passes on.
        assert_eq!(
            s["AssumedBy"],
            "arn:aws:sts::111111111111:assumed-role/deployer/first-hop"
        );
        assert_eq!(s["RoleSessionName"], "second-hop");
        assert_eq!(s["Tags"]["team"], "web");
        assert!(s["Tags"].get("cost").is_none(), "{s:#}");
        assert_eq!(s["SourceIdentity"], "alice");
    }
    ws.destroy();
    assert_eq!(held_in(&emulator, "222222222222"), 0);
}

#[test]
fn a_refused_hop_names_the_block_and_stss_message() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    // A role assumed with role credentials gets one hour at most.
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!(
                "{KEYS}\n  assume_role {{\n    role_arn = \"{ROLE_A}\"\n  }}\n  assume_role {{\n    \
                 role_arn = \"{ROLE_B}\"\n    duration = \"2h\"\n  }}"
            ),
        ),
        ASC,
    );
    let out = ws.fails(&["apply", "-auto-approve", "-no-color"]);
    let text = out.text();
    assert!(text.contains("assume_role[1]"), "{text}");
    assert!(text.contains(ROLE_B), "{text}");
    assert!(text.contains("role chaining"), "{text}");
    assert_eq!(held_in(&emulator, OWN_ACCOUNT), 0);
}

#[test]
fn the_account_guard_refuses_forbidden_and_unlisted_accounts() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    for (guard, list) in [
        (
            format!("forbidden_account_ids = [\"{OWN_ACCOUNT}\"]"),
            "forbidden_account_ids",
        ),
        (
            "allowed_account_ids = [\"111111111111\", \"333333333333\"]".to_string(),
            "allowed_account_ids",
        ),
    ] {
        ws.write_with_provider(&provider(&emulator, &format!("{KEYS}\n  {guard}")), ASC);
        let out = ws.fails(&["plan", "-no-color"]);
        let text = out.text();
        assert!(
            text.contains(&format!("AWS account {OWN_ACCOUNT} not allowed")),
            "{text}"
        );
        assert!(text.contains(list), "{text}");
    }
    assert_eq!(held_in(&emulator, OWN_ACCOUNT), 0);

    // The account checked is the one the credentials end up with.
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!(
                "{KEYS}\n  allowed_account_ids = [\"111111111111\"]\n  assume_role {{\n    role_arn = \"{ROLE_A}\"\n  }}"
            ),
        ),
        ASC,
    );
    ws.apply();
    assert_eq!(held_in(&emulator, "111111111111"), 1);
    ws.destroy();
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!("{KEYS}\n  forbidden_account_ids = [\"111111111111\"]\n  assume_role {{\n    role_arn = \"{ROLE_A}\"\n  }}"),
        ),
        ASC,
    );
    let text = ws.fails(&["plan", "-no-color"]).text();
    assert!(
        text.contains("AWS account 111111111111 not allowed"),
        "{text}"
    );
}

#[test]
fn web_identity_works_from_a_token_file() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    // A JWT's header.payload.signature; the control plane reads its claims.
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIiwic3ViIjoicmVwbzpvcmcvYXBwOnJlZjpyZWZzL2hlYWRzL21haW4iLCJhdWQiOiJzdHMuYW1hem9uYXdzLmNvbSJ9.c2lnbmF0dXJl";
    let file = ws.path().join("token");
    std::fs::write(&file, format!("{token}\n")).unwrap();
    // No credentials at all: the exchange is unsigned.
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!(
                "  assume_role_with_web_identity {{\n    role_arn = \"{ROLE_B}\"\n    session_name = \"ci-run\"\n    \
                 web_identity_token_file = \"{}\"\n    duration = \"30m\"\n  }}",
                file.display()
            ),
        ),
        ASC,
    );
    ws.apply();
    let arn = ws
        .state()
        .attr("apprunner_auto_scaling_configuration_version.test", "arn");
    assert!(arn.contains(":222222222222:"), "{arn}");
    let sessions = sessions(&emulator);
    let s = sessions
        .iter()
        .find(|s| s["Action"] == "AssumeRoleWithWebIdentity")
        .unwrap_or_else(|| panic!("{sessions:#?}"));
    assert_eq!(s["RoleArn"], ROLE_B);
    assert_eq!(s["RoleSessionName"], "ci-run");
    assert_eq!(s["DurationSeconds"], 1800);
    assert_eq!(
        s["WebIdentity"]["Subject"],
        "repo:org/app:ref:refs/heads/main"
    );
    ws.destroy();

    // A file that cannot be read is named in the error.
    std::fs::remove_file(&file).unwrap();
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!(
                "  assume_role_with_web_identity {{\n    role_arn = \"{ROLE_B}\"\n    web_identity_token_file = \"{}\"\n  }}",
                file.display()
            ),
        ),
        ASC,
    );
    let text = ws.fails(&["apply", "-auto-approve", "-no-color"]).text();
    assert!(text.contains("web_identity_token_file"), "{text}");
}

#[test]
fn skip_flags_do_what_they_say() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    // Region names are checked unless skip_region_validation.
    ws.write_with_provider(
        &provider(&emulator, KEYS).replace("us-east-1", "moon-base"),
        ASC,
    );
    let text = ws.fails(&["plan", "-no-color"]).text();
    assert!(text.contains("Invalid AWS region"), "{text}");
    assert!(text.contains("skip_region_validation"), "{text}");
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!("{KEYS}\n  skip_region_validation = true"),
        )
        .replace("us-east-1", "moon-base"),
        ASC,
    );
    ws.ok(&["plan", "-no-color"]);

    // Missing credentials fail at configuration unless
    // skip_credentials_validation, and then only when an API is called.
    ws.write_with_provider(&provider(&emulator, ""), ASC);
    let text = ws.fails(&["plan", "-no-color"]).text();
    assert!(text.contains("No AWS credentials"), "{text}");
    ws.write_with_provider(
        &provider(&emulator, "  skip_credentials_validation = true"),
        ASC,
    );
    ws.ok(&["plan", "-no-color"]);
    ws.write_with_provider(
        &provider(&emulator, "  skip_credentials_validation = true"),
        ASC,
    );
    let text = ws.fails(&["apply", "-auto-approve", "-no-color"]).text();
    assert!(text.contains("credentials"), "{text}");

    // The account check cannot run without the account ID.
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!("{KEYS}\n  skip_requesting_account_id = true\n  allowed_account_ids = [\"{OWN_ACCOUNT}\"]"),
        ),
        ASC,
    );
    let diags = failed_validate_diagnostics(&ws);
    assert!(
        diags.iter().any(|d| diagnostic_matches(
            d,
            "error",
            "skip_requesting_account_id",
            "account ID"
        )),
        "{diags:#?}"
    );
    // skip_requesting_account_id alone changes nothing this provider needs.
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!("{KEYS}\n  skip_requesting_account_id = true"),
        ),
        ASC,
    );
    ws.apply();
    ws.destroy();
}

/// A stand-in for the EC2 instance metadata service (IMDSv2) handing out
/// the control plane's credentials; counts the requests it answers.
fn metadata_service() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            let Some((method, path, _)) = read_request(&stream) else {
                continue;
            };
            let body = match (method.as_str(), path.as_str()) {
                ("PUT", "/latest/api/token") => "imds-session-token".to_string(),
                ("GET", "/latest/meta-data/iam/security-credentials/") => "instance-role".into(),
                ("GET", "/latest/meta-data/iam/security-credentials/instance-role") => {
                    r#"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"test","SecretAccessKey":"test","Token":"from-imds","Expiration":"2099-01-01T00:00:00Z","LastUpdated":"2026-01-01T00:00:00Z"}"#.into()
                }
                _ => {
                    let _ = (&stream).write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                    continue;
                }
            };
            let _ = write!(
                &stream,
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nx-aws-ec2-metadata-token-ttl-seconds: 21600\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, served)
}

/// Reads one HTTP/1.1 request: method, target and body.
fn read_request(stream: &TcpStream) -> Option<(String, String, Vec<u8>)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        if header.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = header.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((method, target, body))
}

#[test]
fn the_metadata_service_endpoint_is_used_unless_skip_metadata_api_check() {
    let emulator = Emulator::start(&[]);
    let (imds, served) = metadata_service();
    let mut ws = isolated(&emulator);
    ws.env("AWS_EC2_METADATA_DISABLED", "false");
    let args = format!(
        "  ec2_metadata_service_endpoint = \"{imds}\"\n  ec2_metadata_service_endpoint_mode = \"IPv4\""
    );
    ws.write_with_provider(&provider(&emulator, &args), ASC);
    ws.apply();
    assert!(
        served.load(Ordering::SeqCst) >= 3,
        "credentials came from the metadata service"
    );
    assert_eq!(held_in(&emulator, OWN_ACCOUNT), 1);
    ws.destroy();

    let before = served.load(Ordering::SeqCst);
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!("{args}\n  skip_metadata_api_check = true"),
        ),
        ASC,
    );
    let text = ws.fails(&["plan", "-no-color"]).text();
    assert!(text.contains("No AWS credentials"), "{text}");
    assert_eq!(
        served.load(Ordering::SeqCst),
        before,
        "the metadata service was not asked"
    );
}

/// A forward proxy for plain HTTP: each request (absolute-form target) is
/// sent on to its host with `connection: close` and the answer copied back.
/// Counts the requests it forwards.
fn http_proxy() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let forwarded = Arc::new(AtomicUsize::new(0));
    let count = forwarded.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let count = count.clone();
            std::thread::spawn(move || forward(client, &count));
        }
    });
    (url, forwarded)
}

fn forward(client: TcpStream, count: &AtomicUsize) -> Option<()> {
    let mut reader = BufReader::new(client.try_clone().ok()?);
    let mut head = String::new();
    reader.read_line(&mut head).ok()?;
    let mut parts = head.split_whitespace();
    let (method, target) = (parts.next()?, parts.next()?);
    let rest = target.strip_prefix("http://")?;
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let mut request = format!("{method} {path} HTTP/1.1\r\n");
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        if header.trim().is_empty() {
            break;
        }
        let (k, v) = header.split_once(':')?;
        if k.eq_ignore_ascii_case("content-length") {
            length = v.trim().parse().ok()?;
        }
        if k.eq_ignore_ascii_case("connection") || k.eq_ignore_ascii_case("proxy-connection") {
            continue;
        }
        request.push_str(&header);
    }
    request.push_str("connection: close\r\n\r\n");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let mut upstream = TcpStream::connect(host).ok()?;
    upstream.write_all(request.as_bytes()).ok()?;
    upstream.write_all(&body).ok()?;
    count.fetch_add(1, Ordering::SeqCst);
    let mut answer = Vec::new();
    upstream.read_to_end(&mut answer).ok()?;
    let mut client = client;
    client.write_all(&answer).ok()?;
    client.shutdown(std::net::Shutdown::Both).ok()
}

#[test]
fn requests_go_through_the_configured_proxy() {
    let emulator = Emulator::start(&[]);
    let (proxy, forwarded) = http_proxy();
    let ws = isolated(&emulator);
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!(
                "{KEYS}\n  http_proxy = \"{proxy}\"\n  https_proxy = \"{proxy}\"\n  \
                 allowed_account_ids = [\"{OWN_ACCOUNT}\"]"
            ),
        ),
        ASC,
    );
    ws.apply();
    let through = forwarded.load(Ordering::SeqCst);
    // GetCallerIdentity and the App Runner calls.
    assert!(through >= 2, "{through} requests went through the proxy");
    ws.destroy();

    // no_proxy sends them straight to the host.
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!("{KEYS}\n  http_proxy = \"{proxy}\"\n  no_proxy = \"127.0.0.1,localhost\""),
        ),
        ASC,
    );
    let before = forwarded.load(Ordering::SeqCst);
    ws.apply();
    ws.destroy();
    assert_eq!(
        forwarded.load(Ordering::SeqCst),
        before,
        "no_proxy bypasses the proxy"
    );
}

#[test]
fn a_ca_bundle_that_is_no_pem_bundle_is_named() {
    let emulator = Emulator::start(&[]);
    let mut ws = isolated(&emulator);
    let bundle = ws.path().join("ca.pem");
    std::fs::write(&bundle, "not a certificate\n").unwrap();
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!("{KEYS}\n  custom_ca_bundle = \"{}\"", bundle.display()),
        ),
        ASC,
    );
    let text = ws.fails(&["plan", "-no-color"]).text();
    assert!(text.contains("Unusable custom_ca_bundle"), "{text}");
    assert!(text.contains("no PEM certificate"), "{text}");
    // AWS_CA_BUNDLE is read the same way.
    ws.env("AWS_CA_BUNDLE", bundle.to_str().unwrap());
    ws.write_with_provider(&provider(&emulator, KEYS), ASC);
    let text = ws.fails(&["plan", "-no-color"]).text();
    assert!(text.contains("Unusable custom_ca_bundle"), "{text}");
    // A real certificate is accepted, and plain-HTTP calls still work.
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    std::fs::write(&bundle, cert.cert.pem()).unwrap();
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!("{KEYS}\n  custom_ca_bundle = \"{}\"", bundle.display()),
        ),
        ASC,
    );
    ws.apply();
    ws.destroy();
}

#[test]
fn the_new_arguments_are_refused_at_validate_with_their_attribute() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    let role =
        |extra: &str| format!("  assume_role {{\n    role_arn = \"{ROLE_A}\"\n    {extra}\n  }}");
    let web = |extra: &str| {
        format!(
            "  assume_role_with_web_identity {{\n    role_arn = \"{ROLE_A}\"\n    {extra}\n  }}"
        )
    };
    for (args, attribute, message) in [
        (
            "  allowed_account_ids = [\"1234\"]".to_string(),
            "allowed_account_ids",
            "12-digit",
        ),
        (
            format!(
                "  allowed_account_ids = [\"{OWN_ACCOUNT}\"]\n  forbidden_account_ids = [\"111111111111\"]"
            ),
            "forbidden_account_ids",
            "not both",
        ),
        (
            "  http_proxy = \"ftp://proxy:21\"".to_string(),
            "http_proxy",
            "http://",
        ),
        (
            "  https_proxy = \"proxy without scheme\"".to_string(),
            "https_proxy",
            "URL",
        ),
        (
            "  ec2_metadata_service_endpoint = \"169.254.169.254\"".to_string(),
            "ec2_metadata_service_endpoint",
            "URL",
        ),
        (
            "  ec2_metadata_service_endpoint_mode = \"IPv5\"".to_string(),
            "ec2_metadata_service_endpoint_mode",
            "IPv6",
        ),
        (role("duration = \"13h\""), "duration", "12h"),
        (
            role("session_name = \"has space\""),
            "session_name",
            "letters",
        ),
        (role("policy = \"not json\""), "policy", "JSON"),
        (role("policy_arns = [\"ReadOnly\"]"), "policy_arns", "ARN"),
        (
            role("source_identity = \"x\""),
            "source_identity",
            "2 to 64",
        ),
        (role("external_id = \"a b\""), "external_id", "letters"),
        (
            role("tags = { team = \"web\" }\n    transitive_tag_keys = [\"cost\"]"),
            "transitive_tag_keys",
            "cost",
        ),
        (web("duration = \"5m\""), "duration", "15m"),
        (
            web("web_identity_token = \"abcd\"\n    web_identity_token_file = \"/t\""),
            "web_identity_token_file",
            "not both",
        ),
        (
            "  assume_role_with_web_identity {\n    role_arn = \"nope\"\n  }".to_string(),
            "role_arn",
            "ARN",
        ),
    ] {
        ws.write_with_provider(&provider(&emulator, &format!("{KEYS}\n{args}")), ASC);
        let diags = failed_validate_diagnostics(&ws);
        assert!(
            diags
                .iter()
                .any(|d| diagnostic_matches(d, "error", attribute, message)),
            "{args}: no error at {attribute} mentioning {message:?}: {diags:#?}"
        );
    }
}

#[test]
fn an_aws_provider_block_as_teams_write_it_validates_and_plans() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    let token = ws.path().join("token");
    std::fs::write(&token, "opaque-token-value").unwrap();
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!(
                "{KEYS}\n  sts_region = \"eu-west-1\"\n  allowed_account_ids = [\"222222222222\"]\n  \
                 skip_credentials_validation = true\n  skip_metadata_api_check = true\n  \
                 skip_region_validation = false\n  skip_requesting_account_id = false\n  \
                 use_fips_endpoint = false\n  use_dualstack_endpoint = false\n  \
                 http_proxy = \"http://proxy.example.com:3128\"\n  https_proxy = \"http://proxy.example.com:3128\"\n  \
                 no_proxy = \"127.0.0.1,localhost,.internal\"\n  \
                 ec2_metadata_service_endpoint = \"http://169.254.169.254\"\n  ec2_metadata_service_endpoint_mode = \"IPv4\"\n  \
                 assume_role_with_web_identity {{\n    role_arn = \"{ROLE_A}\"\n    session_name = \"ci\"\n    \
                 web_identity_token_file = \"{}\"\n    duration = \"1h\"\n    \
                 policy_arns = [\"arn:aws:iam::aws:policy/ReadOnlyAccess\"]\n  }}\n  \
                 assume_role {{\n    role_arn = \"{ROLE_B}\"\n    session_name = \"deploy\"\n    external_id = \"x-1\"\n    \
                 tags = {{ team = \"web\" }}\n    transitive_tag_keys = [\"team\"]\n    source_identity = \"ci-bot\"\n  }}",
                token.display()
            ),
        ),
        ASC,
    );
    ws.ok(&["validate", "-no-color"]);
    ws.apply();
    let arn = ws
        .state()
        .attr("apprunner_auto_scaling_configuration_version.test", "arn");
    assert!(arn.contains(":222222222222:"), "{arn}");
    ws.destroy();
}

#[test]
fn tf_log_provider_apprunner_sets_this_providers_level() {
    let emulator = Emulator::start(&["--operation-duration", "2s"]);
    let poll = |stderr: &str| stderr.lines().filter(|l| l.contains(": poll: ")).count();
    let mut runs = Vec::new();
    for (name, level) in [("logged-polls", "INFO"), ("quiet-polls", "ERROR")] {
        let mut ws = isolated(&emulator);
        ws.write_with_provider(
            &provider(&emulator, KEYS),
            &support::image_service("test", name, "", ""),
        );
        ws.env("TF_LOG", "INFO");
        ws.env("TF_LOG_PROVIDER_APPRUNNER", level);
        let applied = ws.apply();
        runs.push(poll(&applied.stderr));
        ws.destroy();
    }
    assert!(runs[0] >= 1, "polls are logged at INFO: {runs:?}");
    assert_eq!(runs[1], 0, "ERROR wins over TF_LOG=INFO: {runs:?}");
}

#[test]
fn custom_ca_bundle_trusts_a_control_plane_served_over_https() {
    let dir = tempfile::tempdir().unwrap();
    let cert =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).unwrap();
    let emulator = Emulator::start(&[
        "--tls-cert",
        cert_path.to_str().unwrap(),
        "--tls-key",
        key_path.to_str().unwrap(),
    ]);
    assert!(
        emulator.url.starts_with("https://127.0.0.1:"),
        "{}",
        emulator.url
    );
    let mut ws = isolated(&emulator);

    // Without the bundle, the control plane's certificate is not trusted
    // (and retrying does not help).
    ws.write_with_provider(
        &provider(&emulator, &format!("{KEYS}\n  max_retries = 0")),
        ASC,
    );
    let text = ws.fails(&["apply", "-auto-approve", "-no-color"]).text();
    assert!(text.to_lowercase().contains("certificate"), "{text}");

    // With it, everything (STS included) goes over HTTPS.
    ws.write_with_provider(
        &provider(
            &emulator,
            &format!(
                "{KEYS}\n  custom_ca_bundle = \"{}\"\n  allowed_account_ids = [\"{OWN_ACCOUNT}\"]",
                cert_path.display()
            ),
        ),
        ASC,
    );
    ws.apply();
    ws.destroy();

    // AWS_CA_BUNDLE does the same.
    ws.env("AWS_CA_BUNDLE", cert_path.to_str().unwrap());
    ws.write_with_provider(&provider(&emulator, KEYS), ASC);
    ws.apply();
    let arn = ws
        .state()
        .attr("apprunner_auto_scaling_configuration_version.test", "arn");
    assert!(arn.contains(&format!(":{OWN_ACCOUNT}:")), "{arn}");
    ws.destroy();
}
