//! The control plane against hostile input and unsafe set-ups: huge numbers
//! in tokens, clock advances, fault rules and flags; refused remote set-ups
//! and admin calls; authentication before the body is read; timeouts and the
//! connection cap; and a state file that loses nothing.

mod emulator_support;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use emulator_support::{Emulator, REGION, signed_headers};
use serde_json::json;

/// Runs the emulator with `args`, expecting it to exit by itself; one
/// still running after 20 s (serving, when it should have refused) is
/// killed, and its output comes back with no exit code.
fn run_emulator(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_terraform-provider-apprunner"))
        .arg("emulator")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the emulator");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    child.wait_with_output().unwrap()
}

/// Sends `head` (request line and headers, no body) and returns what the
/// server answers within `wait`, and whether it then closed the connection.
fn answer_to_head(addr: &str, head: &str, wait: Duration) -> (String, bool) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    read_for(&mut stream, wait)
}

fn read_for(stream: &mut TcpStream, wait: Duration) -> (String, bool) {
    let deadline = Instant::now() + wait;
    let mut got = vec![];
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return (String::from_utf8_lossy(&got).to_string(), false);
        }
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buf) {
            Ok(0) => return (String::from_utf8_lossy(&got).to_string(), true),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return (String::from_utf8_lossy(&got).to_string(), false);
            }
            Err(_) => return (String::from_utf8_lossy(&got).to_string(), true),
        }
    }
}

/// A request head for `op` carrying `headers` and a declared body length.
fn head(emu: &Emulator, headers: &[(String, String)], content_length: u64) -> String {
    let mut h = format!("POST / HTTP/1.1\r\ncontent-length: {content_length}\r\n");
    if !headers.iter().any(|(k, _)| k == "host") {
        h += &format!("host: {}\r\n", emu.addr);
    }
    for (k, v) in headers {
        h += &format!("{k}: {v}\r\n");
    }
    h + "\r\n"
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn huge_numbers_in_flags_are_usage_errors() {
    for args in [
        &["--operation-duration", "1e30s"][..],
        &["--operation-duration", "99999999999999999999h"],
        &["--operation-duration", "DeleteService=25h"],
        &["--fault", "latency,latency_ms=18446744073709551615"],
        &["--fault", "throttle,count=99999999999"],
        &["--fault", "throttle,rate=NaN"],
        &["--fault", "throttle,rate=inf"],
        &["--fault", "server_error,status=99999"],
    ] {
        let mut all = vec!["--listen", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let out = run_emulator(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with("error: "),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty(), "{args:?} must not start serving");
    }
}

#[test]
fn huge_pagination_tokens_get_an_answer() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    emu.create_service("only-one");
    for token in [
        URL_SAFE_NO_PAD.encode(format!("ListServices:{}:0", usize::MAX)),
        URL_SAFE_NO_PAD.encode(format!("ListServices:{}:1", usize::MAX - 1)),
        URL_SAFE_NO_PAD.encode("ListServices:99999999999999999999999999:0"),
    ] {
        let body = serde_json::to_vec(&json!({ "NextToken": token, "MaxResults": 5 })).unwrap();
        let headers = signed_headers(&emu.addr, "ListServices", &body, REGION, "test", "test");
        let r = emu
            .raw("POST", "/", &headers, &body)
            .unwrap_or_else(|| panic!("connection dropped for token {token}"));
        match r.status {
            200 => assert_eq!(r.json()["ServiceSummaryList"], json!([])),
            400 => assert_eq!(r.json()["__type"], "InvalidRequestException"),
            s => panic!("status {s}: {}", r.text()),
        }
    }
    // Still serving.
    emu.ok("ListServices", json!({}));
}

#[test]
fn huge_clock_advances_are_refused() {
    let emu = Emulator::start(&[]);
    for body in [
        json!({ "seconds": 1e300 }),
        json!({ "seconds": 9.3e15 }),
        json!({ "ms": i64::MAX }),
        json!({ "ms": u64::MAX }),
        json!({ "seconds": -1 }),
    ] {
        let r = emu.admin("POST", "/_emulator/clock/advance", body.clone());
        assert_eq!(r.status, 400, "{body}: {}", r.text());
    }
    // Each advance is allowed, their sum is not.
    let year_ms = 365_i64 * 24 * 3600 * 1000;
    let r = emu.admin(
        "POST",
        "/_emulator/clock/advance",
        json!({ "ms": 60 * year_ms }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = emu.admin(
        "POST",
        "/_emulator/clock/advance",
        json!({ "ms": 60 * year_ms }),
    );
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(emu.state()["clock_offset_ms"], json!(60 * year_ms));
    emu.ok("ListServices", json!({}));
}

#[test]
fn huge_fault_rules_are_refused_and_counters_do_not_overflow() {
    let emu = Emulator::start(&[]);
    for rule in [
        json!({ "kind": "latency", "latency_ms": u64::MAX }),
        json!({ "kind": "throttle", "count": 99_999_999_999_u64 }),
        json!({ "kind": "throttle", "rate": 1e300 }),
        json!({ "kind": "server_error", "status": 70000 }),
    ] {
        let r = emu.admin(
            "POST",
            "/_emulator/faults",
            json!({ "rules": [rule.clone()] }),
        );
        assert_eq!(r.status, 400, "{rule}: {}", r.text());
    }
    // A rule that has already fired u32::MAX times fires once more.
    emu.add_fault(json!({ "kind": "throttle", "operation": "ListServices", "fired": u32::MAX }));
    let body = b"{}";
    let headers = signed_headers(&emu.addr, "ListServices", body, REGION, "test", "test");
    let r = emu
        .raw("POST", "/", &headers, body)
        .expect("an answer, not a dropped connection");
    assert_eq!(r.json()["__type"], "ThrottlingException");
    assert_eq!(
        emu.admin_get("/_emulator/faults")["rules"][0]["fired"],
        json!(u32::MAX)
    );
}

#[test]
fn state_file_is_private_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.json");
    let emu = Emulator::start(&[
        "--operation-duration",
        "0s",
        "--state-file",
        file.to_str().unwrap(),
    ]);
    for name in ["kept-one", "kept-two", "kept-three"] {
        emu.create_service(name);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "state file mode {mode:o}");
    }
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["state.json", "state.json.lock"]);
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(
        saved["regions"]["123456789012/us-east-1"]["services"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn a_second_control_plane_on_the_same_state_file_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.json");
    let file_arg = file.to_str().unwrap();
    let first = Emulator::start(&["--state-file", file_arg]);
    let out = run_emulator(&["--listen", "127.0.0.1:0", "--state-file", file_arg]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("in use by another control plane"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    // Once the first is gone (even killed), the file is free again.
    drop(first);
    let again = Emulator::start(&["--state-file", file_arg]);
    again.ok("ListServices", json!({}));
}

#[test]
fn a_change_that_cannot_be_saved_is_refused_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("kept");
    std::fs::create_dir(&folder).unwrap();
    let file = folder.join("state.json");
    let emu = Emulator::start(&[
        "--operation-duration",
        "0s",
        "--state-file",
        file.to_str().unwrap(),
    ]);
    emu.create_service("before-loss");

    // Saving fails from now on (root ignores permissions; a missing folder
    // stops everyone).
    std::fs::remove_dir_all(&folder).unwrap();
    let e = emu.err(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "unsaved" }),
    );
    assert_eq!(
        (e.status, e.code.as_str()),
        (500, "InternalServiceErrorException")
    );
    assert!(e.message.contains("could not be saved"), "{}", e.message);
    let listed = emu.ok("ListAutoScalingConfigurations", json!({}));
    assert!(
        !listed.to_string().contains("unsaved"),
        "the refused change must not be served: {listed}"
    );
    let r = emu.admin("POST", "/_emulator/reset", json!({}));
    assert_eq!(r.status, 500, "{}", r.text());
    assert_eq!(emu.state()["counts"]["services"], json!(1));

    // Once saving works again, so do changes.
    std::fs::create_dir(&folder).unwrap();
    emu.ok(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "saved" }),
    );
    assert!(std::fs::read_to_string(&file).unwrap().contains("saved"));
}

#[test]
fn allow_remote_with_the_default_credentials_is_refused() {
    for args in [
        &["--allow-remote"][..],
        &["--allow-remote", "--access-key", "mine"],
        &["--allow-remote", "--secret-key", "only-the-secret-is-mine"],
    ] {
        let mut all = vec!["--listen", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let out = run_emulator(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("--secret-key"), "{}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?} must not start serving");
    }
    let out = run_emulator(&["--listen", "127.0.0.1:0", "--admin-token", ""]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn admin_calls_need_the_admin_token_when_one_is_set() {
    let emu = Emulator::start(&["--admin-token", "let-me-in"]);
    let with = |token: Option<&str>| {
        let headers: Vec<(String, String)> = token
            .map(|t| vec![("x-emulator-admin-token".to_string(), t.to_string())])
            .unwrap_or_default();
        emu.raw("GET", "/_emulator/state", &headers, b"").unwrap()
    };
    for refused in [
        None,
        Some("let-me-i"),
        Some("let-me-inn"),
        Some("LET-ME-IN"),
    ] {
        let r = with(refused);
        assert_eq!(r.status, 403, "{refused:?}: {}", r.text());
        assert!(
            r.json()["error"]
                .as_str()
                .unwrap()
                .contains("--admin-token")
        );
    }
    let r = with(Some("let-me-in"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["total"], 0);
    // A refused admin call is refused before its body is read.
    let (answer, _) = answer_to_head(
        &emu.addr,
        &format!(
            "POST /_emulator/reset HTTP/1.1\r\nhost: {}\r\ncontent-length: 100000\r\n\r\n",
            emu.addr
        ),
        Duration::from_secs(10),
    );
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer:?}");
    // The API itself is signed as ever.
    emu.ok("ListServices", json!({}));
}

#[test]
fn admin_state_shows_environment_variable_names_but_not_values() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let mut body = emulator_support::service_body("with-secrets");
    body["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"] = json!({
        "Port": "8080",
        "RuntimeEnvironmentVariables": { "DB_PASSWORD": "hunter2-do-not-show" }
    });
    let arn = emu.ok("CreateService", body)["Service"]["ServiceArn"]
        .as_str()
        .unwrap()
        .to_string();
    let state = emu.state();
    let text = state.to_string();
    assert!(!text.contains("hunter2-do-not-show"), "{state:#}");
    let service = &state["regions"]["us-east-1"]["services"][0];
    assert_eq!(
        service["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"]["RuntimeEnvironmentVariables"],
        json!({ "DB_PASSWORD": "(redacted)" })
    );
    // The signed API returns what was stored.
    let described = emu.ok("DescribeService", json!({ "ServiceArn": arn }));
    assert_eq!(
        described["Service"]["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"]["RuntimeEnvironmentVariables"]
            ["DB_PASSWORD"],
        "hunter2-do-not-show"
    );
}

#[test]
fn requests_are_authenticated_before_their_body_is_read() {
    let emu = Emulator::start(&[]);
    let wait = Duration::from_secs(10);
    let target = (
        "x-amz-target".to_string(),
        "AppRunner.ListServices".to_string(),
    );

    // No Authorization header: refused at once, though the declared body
    // never comes.
    let (answer, _) = answer_to_head(&emu.addr, &head(&emu, &[target], 100_000), wait);
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer:?}");
    assert!(
        answer.contains("MissingAuthenticationTokenException"),
        "{answer:?}"
    );

    // An unknown access key: the same.
    let signed = signed_headers(&emu.addr, "ListServices", b"{}", REGION, "stranger", "test");
    let (answer, _) = answer_to_head(&emu.addr, &head(&emu, &signed, 100_000), wait);
    assert!(answer.contains("UnrecognizedClientException"), "{answer:?}");

    // A known key with a body over the cap: refused without reading it.
    let signed = signed_headers(&emu.addr, "ListServices", b"{}", REGION, "test", "test");
    let (answer, _) = answer_to_head(&emu.addr, &head(&emu, &signed, 1 << 40), wait);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer:?}");
    assert!(answer.contains("SerializationException"), "{answer:?}");

    // Good headers, then a body that does not match the signature.
    let r = emu
        .raw("POST", "/", &signed, br#"{"MaxResults": 1}"#)
        .unwrap();
    assert_eq!(
        (r.status, r.json()["__type"].clone()),
        (403, json!("InvalidSignatureException"))
    );
}

#[test]
fn host_must_be_signed_and_the_region_must_be_a_region_name() {
    let emu = Emulator::start(&[]);
    let body = b"{}";
    let mut headers = signed_headers(&emu.addr, "ListServices", body, REGION, "test", "test");
    for (k, v) in headers.iter_mut() {
        if k == "authorization" {
            *v = v.replace(
                "SignedHeaders=content-type;host;",
                "SignedHeaders=content-type;",
            );
            assert!(!v.contains(";host;"), "{v}");
        }
    }
    let r = emu.raw("POST", "/", &headers, body).unwrap();
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(r.json()["__type"], "IncompleteSignatureException");
    assert!(r.json()["Message"].as_str().unwrap().contains("'Host'"));

    for region in ["nowhere", "us-east-1x", "us_east_1", "US-EAST-1"] {
        let e = emu
            .call_as("ListServices", json!({}), region, "test", "test")
            .unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str()),
            (403, "InvalidSignatureException"),
            "{region}"
        );
        assert_eq!(e.message, "Credential should be scoped to a valid region.");
    }
    assert_eq!(emu.state()["regions"], json!({}), "no region was made up");
    emu.call_in("ap-southeast-5", "ListServices", json!({}))
        .unwrap();
}

#[test]
fn silent_and_slow_connections_are_closed_after_the_idle_timeout() {
    let emu = Emulator::start(&["--idle-timeout", "1s"]);
    let started = Instant::now();
    // Connected, sends nothing.
    let mut silent = TcpStream::connect(&emu.addr).unwrap();
    let (_, closed) = read_for(&mut silent, Duration::from_secs(15));
    assert!(closed, "a silent connection stays open");
    // Half a request head.
    let (_, closed) = answer_to_head(
        &emu.addr,
        "POST / HTTP/1.1\r\nhost: x\r\n",
        Duration::from_secs(15),
    );
    assert!(closed, "a connection with half a head stays open");
    // A head whose body never comes.
    let signed = signed_headers(&emu.addr, "ListServices", b"{}", REGION, "test", "test");
    let (answer, _) = answer_to_head(&emu.addr, &head(&emu, &signed, 2), Duration::from_secs(15));
    assert!(answer.contains("did not arrive in time"), "{answer:?}");
    // Idle after a complete request on a kept-alive connection.
    let mut kept = TcpStream::connect(&emu.addr).unwrap();
    kept.write_all(
        format!(
            "GET /_emulator/health HTTP/1.1\r\nhost: {}\r\n\r\n",
            emu.addr
        )
        .as_bytes(),
    )
    .unwrap();
    let (answer, closed) = read_for(&mut kept, Duration::from_secs(15));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    assert!(closed, "an idle kept-alive connection stays open");
    assert!(started.elapsed() < Duration::from_secs(40));
}

#[test]
fn connections_over_the_cap_wait_their_turn() {
    let emu = Emulator::start(&["--max-connections", "2"]);
    let first = TcpStream::connect(&emu.addr).unwrap();
    let _second = TcpStream::connect(&emu.addr).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let request = format!(
        "GET /_emulator/health HTTP/1.1\r\nhost: {}\r\n\r\n",
        emu.addr
    );
    let mut third = TcpStream::connect(&emu.addr).unwrap();
    third.write_all(request.as_bytes()).unwrap();
    let (answer, _) = read_for(&mut third, Duration::from_secs(1));
    assert_eq!(
        answer, "",
        "a third connection was served while two were open"
    );
    drop(first);
    let (answer, _) = read_for(&mut third, Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");

    for bad in ["0", "65537", "-1", "many"] {
        let out = run_emulator(&["--listen", "127.0.0.1:0", "--max-connections", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
    }
}
