//! `apprunner_service` when App Runner misbehaves, with faults injected by
//! the local control plane: rolled-back, failed and stuck operations, lost
//! responses. A created service is never lost, never duplicated, and a
//! failure says which operation ended how.

mod support;

use serde_json::{Value, json};
use support::{Emulator, Workspace, image_service};

const ADDR: &str = "apprunner_service.test";

fn start() -> Emulator {
    Emulator::start(&["--operation-duration", "100ms"])
}

fn config(name: &str, mode: &str, extra: &str) -> String {
    image_service(
        "test",
        name,
        &format!("        runtime_environment_variables = {{ MODE = \"{mode}\" }}"),
        extra,
    )
}

/// Live services named `name` in the control plane.
fn live(emulator: &Emulator, name: &str) -> Vec<Value> {
    emulator.state()["regions"]["us-east-1"]["services"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["ServiceName"] == name)
        .cloned()
        .collect()
}

fn only(emulator: &Emulator, name: &str) -> Value {
    let services = live(emulator, name);
    assert_eq!(
        services.len(),
        1,
        "expected exactly one {name}: {services:#?}"
    );
    services[0].clone()
}

/// The service's `MODE` variable, from the signed API (the admin endpoint
/// redacts values).
fn mode(emulator: &Emulator, name: &str) -> Value {
    let arn = only(emulator, name)["ServiceArn"].clone();
    emulator.ok("DescribeService", json!({ "ServiceArn": arn }))["Service"]["SourceConfiguration"]
        ["ImageRepository"]["ImageConfiguration"]["RuntimeEnvironmentVariables"]["MODE"]
        .clone()
}

/// The error names the service's CloudWatch log groups, where App Runner
/// says why it failed: `/aws/apprunner/NAME/ID/{service,application}`.
fn assert_names_log_groups(out: &str, service: &Value) {
    let name = service["ServiceName"].as_str().unwrap();
    let arn = service["ServiceArn"].as_str().unwrap();
    let id = arn.rsplit('/').next().unwrap();
    assert!(!id.is_empty() && id != name, "{arn}");
    for group in ["service", "application"] {
        let log_group = format!("/aws/apprunner/{name}/{id}/{group}");
        assert!(out.contains(&log_group), "no {log_group} in:\n{out}");
    }
}

fn apply_fails(ws: &Workspace) -> String {
    ws.fails(&["apply", "-auto-approve", "-no-color", "-input=false"])
        .text()
}

#[test]
fn rolled_back_update_fails_the_apply_with_the_operation_status() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    ws.write(&config("rollback-svc", "one", ""));
    ws.apply();
    emulator.add_fault(json!({ "operation": "UpdateService", "kind": "rollback", "count": 1 }));
    ws.write(&config("rollback-svc", "two", ""));
    let out = apply_fails(&ws);
    assert!(
        out.contains("ROLLBACK_SUCCEEDED")
            && out.contains("UPDATE_SERVICE")
            && out.contains("rolled the service back"),
        "{out}"
    );
    assert_names_log_groups(&out, &only(&emulator, "rollback-svc"));
    // App Runner runs the previous configuration, and Terraform knows it.
    assert_eq!(mode(&emulator, "rollback-svc"), "one");
    assert_eq!(only(&emulator, "rollback-svc")["Status"], "RUNNING");
    let state = ws.state();
    assert_eq!(
        state.values(ADDR)["source_configuration"][0]["image_repository"][0]["image_configuration"]
            [0]["runtime_environment_variables"]["MODE"],
        "one"
    );
    assert_eq!(ws.plan(&[]).actions(ADDR), vec!["update"]);
    // Without the fault the same change goes through.
    ws.ok(&["apply", "-no-color", "tfplan"]);
    assert_eq!(mode(&emulator, "rollback-svc"), "two");
    ws.assert_plan_empty(&[], "after the retried update");
    ws.destroy();
}

#[test]
fn failed_pause_is_an_error_with_the_operation_status() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    ws.write(&config("pausefail-svc", "one", ""));
    ws.apply();
    emulator.add_fault(json!({ "operation": "PauseService", "kind": "fail", "count": 1 }));
    ws.write(&config("pausefail-svc", "one", "  paused = true"));
    let out = apply_fails(&ws);
    assert!(
        out.contains("PAUSE_SERVICE") && out.contains("ended FAILED"),
        "{out}"
    );
    assert_eq!(only(&emulator, "pausefail-svc")["Status"], "RUNNING");
    assert_eq!(ws.state().values(ADDR)["paused"], false);
    ws.apply();
    assert_eq!(only(&emulator, "pausefail-svc")["Status"], "PAUSED");
    ws.destroy();
}

#[test]
fn stuck_create_hits_the_configured_timeout_and_leaves_the_service_tainted() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    emulator.add_fault(json!({ "operation": "CreateService", "kind": "stuck", "count": 1 }));
    let timeouts = "  timeouts {\n    create = \"2s\"\n    delete = \"1s\"\n  }";
    ws.write(&config("stuck-svc", "one", timeouts));
    let out = apply_fails(&ws);
    assert!(
        out.contains("Timed out waiting for App Runner to create the service")
            && out.contains("after 2s"),
        "{out}"
    );
    assert!(out.contains("IN_PROGRESS"), "{out}");
    let state = ws.state();
    let entry = state.entry(ADDR);
    assert_eq!(entry["tainted"], true, "{entry:#}");
    let arn = entry["values"]["arn"].as_str().unwrap();
    assert_eq!(only(&emulator, "stuck-svc")["ServiceArn"], arn);
    assert_eq!(entry["values"]["status"], "OPERATION_IN_PROGRESS");
    // Deleting waits for the stuck operation, within the delete timeout.
    let out = ws
        .fails(&["destroy", "-auto-approve", "-no-color", "-input=false"])
        .text();
    assert!(
        out.contains("to finish its current operation before deleting it"),
        "{out}"
    );
    assert!(ws.state().has(ADDR));
}

#[test]
fn stuck_update_hits_the_update_timeout_and_keeps_the_service() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    let timeouts = "  timeouts {\n    update = \"2s\"\n  }";
    ws.write(&config("stuckup-svc", "one", timeouts));
    ws.apply();
    emulator.add_fault(json!({ "operation": "UpdateService", "kind": "stuck", "count": 1 }));
    ws.write(&config("stuckup-svc", "two", timeouts));
    let out = apply_fails(&ws);
    assert!(
        out.contains("Timed out waiting for App Runner to update the service"),
        "{out}"
    );
    let state = ws.state();
    assert_eq!(
        state.entry(ADDR)["tainted"],
        Value::Null,
        "an update does not taint"
    );
    assert_eq!(state.values(ADDR)["status"], "OPERATION_IN_PROGRESS");
    assert_eq!(
        only(&emulator, "stuckup-svc")["Status"],
        "OPERATION_IN_PROGRESS"
    );
}

#[test]
fn failed_create_is_kept_tainted_then_replaced() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    emulator.add_fault(json!({ "operation": "CreateService", "kind": "fail", "count": 1 }));
    ws.write(&config("failed-svc", "one", ""));
    let out = apply_fails(&ws);
    assert!(
        out.contains("CREATE_SERVICE") && out.contains("ended FAILED"),
        "{out}"
    );
    assert_names_log_groups(&out, &only(&emulator, "failed-svc"));
    assert!(out.contains("tainted"), "{out}");
    let state = ws.state();
    assert_eq!(state.entry(ADDR)["tainted"], true);
    assert_eq!(state.values(ADDR)["status"], "CREATE_FAILED");
    let failed_arn = state.attr(ADDR, "arn");
    assert_eq!(
        only(&emulator, "failed-svc")["ServiceArn"],
        failed_arn.as_str()
    );

    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), vec!["delete", "create"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    let svc = only(&emulator, "failed-svc");
    assert_eq!(svc["Status"], "RUNNING");
    assert_ne!(svc["ServiceArn"], failed_arn.as_str());
    assert_eq!(
        ws.state().attr(ADDR, "arn"),
        svc["ServiceArn"].as_str().unwrap()
    );
    ws.assert_plan_empty(&[], "after replacing the failed service");
    ws.destroy();
}

#[test]
fn create_failed_service_is_repaired_by_an_update() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    emulator.add_fault(json!({ "operation": "CreateService", "kind": "fail", "count": 1 }));
    ws.write(&config("repair-svc", "one", ""));
    apply_fails(&ws);
    ws.ok(&["untaint", "-no-color", ADDR]);
    // Nothing to change: a clear message instead of a silent no-op.
    let out = ws.ok(&["plan", "-no-color", "-input=false"]).text();
    assert!(
        out.contains("App Runner service is CREATE_FAILED") && out.contains("-replace"),
        "{out}"
    );
    assert!(out.contains("No changes"), "{out}");
    // A configuration change rebuilds it in place.
    ws.write(&config("repair-svc", "two", ""));
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), vec!["update"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    let svc = only(&emulator, "repair-svc");
    assert_eq!(svc["Status"], "RUNNING");
    assert_eq!(ws.state().values(ADDR)["status"], "RUNNING");
    assert_eq!(mode(&emulator, "repair-svc"), "two");
    ws.assert_plan_empty(&[], "after the rebuild");
    ws.destroy();
}

/// The CreateService response is lost after App Runner created the service:
/// the provider finds it by name — following ListServices' tokens past an
/// empty page, skipping a DELETED namesake — instead of failing or making a
/// second one.
#[test]
fn lost_create_response_yields_exactly_one_service() {
    let emulator = start();
    // A deleted service with the same name, then enough services that the
    // new one lands on a later page.
    let old = emulator.create_service("lost-svc");
    emulator.wait_service(&old);
    emulator.ok("DeleteService", json!({ "ServiceArn": old }));
    emulator.wait_service(&old);
    for i in 0..24 {
        emulator.create_service(&format!("filler-{i:02}"));
    }
    emulator
        .add_fault(json!({ "operation": "CreateService", "kind": "drop_response", "count": 1 }));
    let ws = Workspace::new(&emulator);
    ws.write(&config("lost-svc", "one", ""));
    ws.apply();
    let faults = emulator.admin_get("/_emulator/faults");
    assert_eq!(faults["rules"][0]["fired"], 1, "{faults:#}");
    let svc = only(&emulator, "lost-svc");
    assert_ne!(svc["ServiceArn"], old.as_str());
    let state = ws.state();
    assert_eq!(state.attr(ADDR, "arn"), svc["ServiceArn"].as_str().unwrap());
    assert_eq!(state.values(ADDR)["status"], "RUNNING");
    let counts = &emulator.state()["regions"]["us-east-1"]["counts"];
    assert_eq!(counts["services"], 25, "{counts:#}");
    ws.assert_plan_empty(&[], "after adopting the service");
    ws.destroy();
    assert!(live(&emulator, "lost-svc").is_empty());
}

/// A name taken by a service that is not ours is an error, not an adoption.
#[test]
fn existing_service_with_the_same_name_is_not_adopted() {
    let emulator = start();
    let theirs = emulator.create_service("taken-svc");
    emulator.wait_service(&theirs);
    let ws = Workspace::new(&emulator);
    ws.write(&config("taken-svc", "one", ""));
    let out = apply_fails(&ws);
    assert!(
        out.contains("CreateService failed for taken-svc") && out.contains("already exists"),
        "{out}"
    );
    assert!(!ws.state().has(ADDR));
    assert_eq!(only(&emulator, "taken-svc")["ServiceArn"], theirs.as_str());
}

/// App Runner refuses an update while another operation runs (here a
/// deployment started outside Terraform): the update waits for it.
#[test]
fn update_waits_while_the_service_is_busy() {
    let emulator = Emulator::start(&[
        "--operation-duration",
        "100ms",
        "--operation-duration",
        "StartDeployment=4s",
    ]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("busy-svc", "one", ""));
    ws.apply();
    let arn = ws.state().attr(ADDR, "arn");
    emulator.ok("StartDeployment", json!({ "ServiceArn": arn }));
    assert_eq!(
        only(&emulator, "busy-svc")["Status"],
        "OPERATION_IN_PROGRESS"
    );
    ws.write(&config("busy-svc", "two", ""));
    ws.apply();
    assert_eq!(mode(&emulator, "busy-svc"), "two");
    assert_eq!(only(&emulator, "busy-svc")["Status"], "RUNNING");
    ws.assert_plan_empty(&[], "after the update");
}
