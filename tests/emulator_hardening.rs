//! The control plane against hostile input and unsafe set-ups: huge numbers
//! in tokens, clock advances, fault rules and flags; refused remote set-ups
//! and admin calls; authentication before the body is read; timeouts and the
//! connection cap; and a state file that loses nothing.

mod emulator_support;

use std::process::{Command, Output};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use emulator_support::{Emulator, REGION, signed_headers};
use serde_json::json;

fn run_emulator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_terraform-provider-apprunner"))
        .arg("emulator")
        .args(args)
        .output()
        .expect("run the emulator")
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
