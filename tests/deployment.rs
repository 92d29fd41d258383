//! Acceptance tests of `apprunner_deployment` with a real Terraform CLI
//! against the local control plane.

mod support;

use serde_json::{Value, json};
use support::{
    Acceptance, Action, Emulator, ImportCheck, Step, Workspace, assert_validate_error,
    image_service,
};

const ADDR: &str = "apprunner_deployment.test";

fn start() -> Emulator {
    Emulator::start(&["--operation-duration", "100ms"])
}

fn config(name: &str, triggers: &str, extra: &str) -> String {
    let service = image_service("web", name, "", "");
    format!(
        r#"{service}
resource "apprunner_deployment" "test" {{
  service_arn = apprunner_service.web.arn
  triggers    = {triggers}
{extra}
}}
"#
    )
}

/// `(id, type, status)` of every operation of the service named `name`, oldest first.
fn operations(emulator: &Emulator, name: &str) -> Vec<(String, String, String)> {
    let state = emulator.state();
    let region = &state["regions"]["us-east-1"];
    let arn = region["services"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["ServiceName"] == name)
        .map(|s| s["ServiceArn"].clone())
        .unwrap_or(Value::Null);
    let mut ops: Vec<_> = region["operations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["TargetArn"] == arn)
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap().to_string();
            (s("Id"), s("Type"), s("Status"))
        })
        .collect();
    ops.reverse();
    ops
}

fn deployments(emulator: &Emulator, name: &str) -> Vec<(String, String)> {
    operations(emulator, name)
        .into_iter()
        .filter(|(_, t, _)| t == "START_DEPLOYMENT")
        .map(|(id, _, status)| (id, status))
        .collect()
}

#[test]
fn lifecycle_deploy_redeploy_on_trigger_destroy() {
    let emulator = start();
    let first_op = std::rc::Rc::new(std::cell::RefCell::new(String::new()));
    let seen = first_op.clone();
    Acceptance::new(&emulator)
        .step(
            Step::new(config("deploy-svc", r#"{ secret_version = "1" }"#, ""))
                .expect(ADDR, Action::Create)
                .expect("apprunner_service.web", Action::Create)
                .check(move |s| {
                    let v = s.values(ADDR);
                    assert_eq!(v["status"], "SUCCEEDED");
                    assert_eq!(v["id"], v["operation_id"]);
                    assert_eq!(v["region"], "us-east-1");
                    assert_eq!(v["service_arn"], s.values("apprunner_service.web")["arn"]);
                    *seen.borrow_mut() = v["operation_id"].as_str().unwrap().to_string();
                }),
        )
        .step(
            // A new secret version: deploy again.
            Step::new(config("deploy-svc", r#"{ secret_version = "2" }"#, ""))
                .expect(ADDR, Action::Replace)
                .expect("apprunner_service.web", Action::NoOp)
                .check(move |s| {
                    let v = s.values(ADDR);
                    assert_eq!(v["status"], "SUCCEEDED");
                    assert_ne!(
                        v["operation_id"].as_str().unwrap(),
                        first_op.borrow().as_str()
                    );
                }),
        )
        .step(
            // Timeouts change in place and deploy nothing.
            Step::new(config(
                "deploy-svc",
                r#"{ secret_version = "2" }"#,
                "  timeouts {\n    create = \"5m\"\n  }",
            ))
            .expect(ADDR, Action::Update),
        )
        .run();
}

/// A deployment of a service made through the API (so that the import
/// checks, in fresh workspaces, create nothing).
fn deployment_of(service: &str, triggers: &str) -> String {
    format!(
        "resource \"apprunner_deployment\" \"test\" {{\n  service_arn = \"{service}\"\n  triggers    = {triggers}\n}}\n"
    )
}

/// The AWS provider cannot import deployments; here the identity is the
/// service and the operation, and the import ID `SERVICE_ARN,OPERATION_ID`.
#[test]
fn lifecycle_with_import_by_id_and_identity() {
    let emulator = start();
    let svc = emulator.create_service("import-dep-svc");
    emulator.wait_service(&svc);
    let svc_check = svc.clone();
    let mut acceptance = Acceptance::new(&emulator)
        .step(
            Step::new(deployment_of(&svc, "null"))
                .expect(ADDR, Action::Create)
                .check(move |s| {
                    let v = s.values(ADDR);
                    assert_eq!(v["status"], "SUCCEEDED");
                    assert_eq!(
                        s.entry(ADDR)["identity"],
                        json!({ "service_arn": svc_check, "operation_id": v["operation_id"] })
                    );
                }),
        )
        .import(ImportCheck::every_way(ADDR, |v| {
            format!(
                "{},{}",
                v["service_arn"].as_str().unwrap(),
                v["operation_id"].as_str().unwrap()
            )
        }))
        .step(Step::new(deployment_of(&svc, r#"{ image = "b" }"#)).expect(ADDR, Action::Replace));
    // The service (and its operations) are not Terraform's.
    acceptance.allow_after_destroy = vec!["services", "operations"];
    acceptance.run();
    let ops = deployments(&emulator, "import-dep-svc");
    assert_eq!(ops.len(), 2, "the imports deployed nothing: {ops:?}");
}

#[test]
fn import_needs_a_deployment_of_the_service() {
    let emulator = start();
    let svc = emulator.create_service("notdep-svc");
    emulator.wait_service(&svc);
    let create_op = operations(&emulator, "notdep-svc")
        .into_iter()
        .find(|(_, t, _)| t == "CREATE_SERVICE")
        .expect("the service's create operation")
        .0;
    let ws = Workspace::new(&emulator);
    ws.write(&deployment_of(&svc, "null"));
    let out = ws.fails(&["import", "-no-color", ADDR, &format!("{svc},{create_op}")]);
    assert!(
        out.text()
            .contains("is a CREATE_SERVICE operation, not a deployment"),
        "{}",
        out.text()
    );
    let missing = "0b0e0c0d-1a2b-4c3d-8e4f-5a6b7c8d9e0f";
    let out = ws.fails(&["import", "-no-color", ADDR, &format!("{svc},{missing}")]);
    assert!(
        out.text()
            .contains("Cannot import non-existent remote object"),
        "{}",
        out.text()
    );
    for bad in [
        svc.clone(),
        format!("{svc},not-an-operation"),
        format!("{svc},{create_op}@eu-west-1"),
    ] {
        let out = ws.fails(&["import", "-no-color", ADDR, &bad]);
        assert!(
            out.text().contains("Invalid import ID"),
            "{bad}: {}",
            out.text()
        );
    }
    assert!(!ws.path().join("terraform.tfstate").exists() || !ws.state().has(ADDR));
}

#[test]
fn deployments_reach_app_runner_and_follow_their_operation() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    ws.write(&config("ops-svc", r#"{ image = "a" }"#, ""));
    ws.apply();
    let ops = deployments(&emulator, "ops-svc");
    assert_eq!(ops.len(), 1, "{ops:?}");
    assert_eq!(ops[0].1, "SUCCEEDED");
    assert_eq!(ws.state().attr(ADDR, "operation_id"), ops[0].0);
    ws.write(&config("ops-svc", r#"{ image = "b" }"#, ""));
    ws.apply();
    let ops = deployments(&emulator, "ops-svc");
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert_eq!(ws.state().attr(ADDR, "operation_id"), ops[1].0);
    // Destroying the deployment changes nothing in App Runner.
    ws.ok(&["destroy", "-auto-approve", "-no-color", "-target", ADDR]);
    assert_eq!(deployments(&emulator, "ops-svc").len(), 2);
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0);
}

#[test]
fn rolled_back_deployment_is_an_error_with_its_status_and_is_retried() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    ws.write(&config("rollback-svc", r#"{ v = "1" }"#, ""));
    ws.ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-target",
        "apprunner_service.web",
    ]);
    emulator.add_fault(json!({ "operation": "StartDeployment", "kind": "rollback", "count": 1 }));
    let out = ws
        .fails(&["apply", "-auto-approve", "-no-color", "-input=false"])
        .text();
    assert!(
        out.contains("ROLLBACK_SUCCEEDED")
            && out.contains("START_DEPLOYMENT")
            && out.contains("deploy the service"),
        "{out}"
    );
    let state = ws.state();
    assert_eq!(state.entry(ADDR)["tainted"], true);
    assert_eq!(state.values(ADDR)["status"], "ROLLBACK_SUCCEEDED");
    // The next apply deploys again.
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), vec!["delete", "create"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    assert_eq!(ws.state().values(ADDR)["status"], "SUCCEEDED");
    let statuses: Vec<String> = deployments(&emulator, "rollback-svc")
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    assert_eq!(statuses, vec!["ROLLBACK_SUCCEEDED", "SUCCEEDED"]);
    ws.assert_plan_empty(&[], "after the retried deployment");
    ws.destroy();
}

#[test]
fn stuck_deployment_hits_the_create_timeout() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    ws.write(&config(
        "stuckdep-svc",
        "{}",
        "  timeouts {\n    create = \"2s\"\n  }",
    ));
    ws.ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-target",
        "apprunner_service.web",
    ]);
    emulator.add_fault(json!({ "operation": "StartDeployment", "kind": "stuck", "count": 1 }));
    let out = ws
        .fails(&["apply", "-auto-approve", "-no-color", "-input=false"])
        .text();
    assert!(
        out.contains("Timed out waiting for App Runner to deploy the service"),
        "{out}"
    );
    let state = ws.state();
    assert_eq!(state.entry(ADDR)["tainted"], true);
    assert_eq!(state.values(ADDR)["status"], "IN_PROGRESS");
}

#[test]
fn invalid_arguments_are_refused_at_validate() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    for (args, attribute, message) in [
        (
            "service_arn = \"arn:aws:apprunner:us-east-1:123456789012:connection/c/0123\"",
            "service_arn",
            "App Runner service",
        ),
        ("service_arn = \"web\"", "service_arn", "App Runner service"),
        (
            "service_arn = \"arn:aws:apprunner:us-east-1:123456789012:service/web/0123\"\n  timeouts {\n    create = \"later\"\n  }",
            "create",
            "duration",
        ),
    ] {
        ws.write(&format!(
            "resource \"apprunner_deployment\" \"bad\" {{\n  {args}\n}}\n"
        ));
        assert_validate_error(&ws, args, attribute, message);
    }
}
