//! Acceptance tests of `apprunner_vpc_connector` with a real Terraform CLI
//! against the local control plane.

mod support;

use serde_json::json;
use support::{
    Acceptance, Action, Emulator, ImportCheck, Step, Workspace, assert_resource_example_applies,
    assert_validate_error,
};

const ADDR: &str = "apprunner_vpc_connector.test";

fn config(name: &str, subnets: &str, security_groups: &str, tags: &str) -> String {
    format!(
        r#"
resource "apprunner_vpc_connector" "test" {{
  vpc_connector_name = "{name}"
  subnets            = {subnets}
  security_groups    = {security_groups}
  tags               = {tags}
}}
"#
    )
}

#[test]
fn lifecycle_create_import_update_tags_replace_destroy() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    Acceptance::new(&emulator)
        .provider("  default_tags {\n    tags = { team = \"platform\" }\n  }\n")
        .step(
            Step::new(config(
                "acc-connector",
                r#"["subnet-0a", "subnet-0b"]"#,
                r#"["sg-01"]"#,
                r#"{ env = "test" }"#,
            ))
            .expect(ADDR, Action::Create)
            .check(|s| {
                let v = s.values(ADDR);
                let arn = v["arn"].as_str().unwrap();
                assert!(
                    arn.starts_with("arn:aws:apprunner:us-east-1:")
                        && arn.contains(":vpcconnector/acc-connector/1/"),
                    "{arn}"
                );
                assert_eq!(v["id"], v["arn"]);
                assert_eq!(v["vpc_connector_revision"], 1);
                assert_eq!(v["status"], "ACTIVE");
                assert_eq!(v["region"], "us-east-1");
                let mut subnets: Vec<&str> = v["subnets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap())
                    .collect();
                subnets.sort();
                assert_eq!(subnets, ["subnet-0a", "subnet-0b"]);
                assert_eq!(v["security_groups"], json!(["sg-01"]));
                assert_eq!(v["tags"], json!({ "env": "test" }));
                assert_eq!(v["tags_all"], json!({ "env": "test", "team": "platform" }));
                assert_eq!(s.entry(ADDR)["identity"]["arn"], v["arn"]);
            }),
        )
        .import(ImportCheck::every_way(ADDR, |v| {
            v["arn"].as_str().unwrap().to_string()
        }))
        .step(
            // Tags change in place: same connector.
            Step::new(config(
                "acc-connector",
                r#"["subnet-0a", "subnet-0b"]"#,
                r#"["sg-01"]"#,
                r#"{ env = "prod" }"#,
            ))
            .expect(ADDR, Action::Update)
            .check(|s| {
                let v = s.values(ADDR);
                assert_eq!(v["tags_all"], json!({ "env": "prod", "team": "platform" }));
            }),
        )
        .step(
            // Connectors are immutable: other subnets replace it.
            Step::new(config(
                "acc-connector",
                r#"["subnet-0c"]"#,
                r#"["sg-01"]"#,
                r#"{ env = "prod" }"#,
            ))
            .expect(ADDR, Action::Replace)
            .check(|s| assert_eq!(s.values(ADDR)["subnets"], json!(["subnet-0c"]))),
        )
        .run();
}

/// A change of name, subnets or security groups plans a replacement
/// pointing at that attribute; a tag change does not.
#[test]
fn name_subnet_and_security_group_changes_plan_a_replacement() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("plan-conn", r#"["subnet-1"]"#, r#"["sg-1"]"#, "{}"));
    ws.apply();
    for (changed, path) in [
        (
            config("plan-conn2", r#"["subnet-1"]"#, r#"["sg-1"]"#, "{}"),
            "vpc_connector_name",
        ),
        (
            config(
                "plan-conn",
                r#"["subnet-1", "subnet-2"]"#,
                r#"["sg-1"]"#,
                "{}",
            ),
            "subnets",
        ),
        (
            config("plan-conn", r#"["subnet-1"]"#, r#"["sg-2"]"#, "{}"),
            "security_groups",
        ),
    ] {
        ws.write(&changed);
        let plan = ws.plan(&[]);
        assert_eq!(plan.actions(ADDR), ["delete", "create"], "{path}");
        assert_eq!(plan.replace_paths(ADDR), vec![json!([path])], "{path}");
    }
    ws.write(&config(
        "plan-conn",
        r#"["subnet-1"]"#,
        r#"["sg-1"]"#,
        "{ a = \"b\" }",
    ));
    assert_eq!(ws.plan(&[]).actions(ADDR), ["update"]);
    ws.write(&config("plan-conn", r#"["subnet-1"]"#, r#"["sg-1"]"#, "{}"));
    ws.destroy();
}

/// `security_groups` is optional, as in the API; leaving it out gives no
/// perpetual diff.
#[test]
fn security_groups_are_optional() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = Workspace::new(&emulator);
    ws.write(
        r#"
resource "apprunner_vpc_connector" "test" {
  vpc_connector_name = "no-sg-connector"
  subnets            = ["subnet-0a"]
}
"#,
    );
    ws.apply();
    let state = ws.state();
    assert_eq!(state.values(ADDR)["security_groups"], json!([]));
    let held = emulator.state();
    assert_eq!(
        held["regions"]["us-east-1"]["vpc_connectors"][0]["SecurityGroups"],
        json!([])
    );
    ws.assert_plan_empty(&["-refresh=false"], "without security groups");
    ws.assert_plan_empty(&[], "without security groups, refreshed");
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0);
}

#[test]
fn deleted_outside_terraform_is_planned_for_creation() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("gone-connector", r#"["subnet-1"]"#, "null", "{}"));
    ws.apply();
    let arn = ws.state().attr(ADDR, "arn");
    emulator.ok("DeleteVpcConnector", json!({ "VpcConnectorArn": arn }));
    assert_eq!(ws.plan(&[]).actions(ADDR), ["create"]);
}

/// A service (made through the API) whose egress goes through `connector`.
fn service_using(emulator: &Emulator, name: &str, connector: &str) -> String {
    let mut body = support::emulator::service_body(name);
    body["NetworkConfiguration"] = json!({
        "EgressConfiguration": { "EgressType": "VPC", "VpcConnectorArn": connector }
    });
    let arn = emulator.ok("CreateService", body)["Service"]["ServiceArn"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(emulator.wait_service(&arn)["Status"], "RUNNING");
    arn
}

/// How often the probe rule on `op` has fired, i.e. how often `op` was called.
fn calls(emulator: &Emulator, op: &str) -> u64 {
    emulator.admin_get("/_emulator/faults")["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["operation"] == op)
        .map(|r| r["fired"].as_u64().unwrap())
        .sum()
}

/// App Runner refuses to delete a connector while a service uses it; the
/// delete retries until the service is gone, then succeeds.
#[test]
fn delete_waits_while_in_use_and_succeeds_once_freed() {
    // Service deletion takes an hour of the control plane's clock, which
    // the test advances once it has seen the delete refused.
    let emulator = Emulator::start(&[
        "--operation-duration",
        "0s",
        "--operation-duration",
        "DeleteService=1h",
    ]);
    let ws = Workspace::new(&emulator);
    ws.write(&config(
        "busy-connector",
        r#"["subnet-1"]"#,
        r#"["sg-1"]"#,
        "{}",
    ));
    ws.apply();
    let connector = ws.state().attr(ADDR, "arn");
    let service = service_using(&emulator, "busy-service", &connector);
    emulator.ok("DeleteService", json!({ "ServiceArn": service }));
    // A 1 ms latency rule counts the DeleteVpcConnector calls.
    emulator.add_fault(
        json!({ "kind": "latency", "operation": "DeleteVpcConnector", "latency_ms": 1 }),
    );
    std::thread::scope(|scope| {
        let destroy =
            scope.spawn(|| ws.run(&["destroy", "-auto-approve", "-no-color", "-input=false"]));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while calls(&emulator, "DeleteVpcConnector") < 2 {
            assert!(
                std::time::Instant::now() < deadline && !destroy.is_finished(),
                "the provider did not retry the refused delete"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        // Refused at least twice while the service still used it: now let
        // the service's deletion finish.
        assert_eq!(
            emulator.state()["regions"]["us-east-1"]["counts"]["vpc_connectors"],
            1
        );
        emulator.advance_clock(3600.0);
        let out = destroy.join().unwrap();
        assert_eq!(out.code, 0, "destroy failed:\n{}", out.text());
    });
    assert_eq!(emulator.state()["total"], 0, "{:#}", emulator.state());
}

/// When the connector is still in use after `timeouts.delete`, the destroy
/// fails naming the services that hold it, and the connector stays in state.
#[test]
fn delete_still_in_use_after_the_timeout_names_the_holder() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = Workspace::new(&emulator);
    let body = r#"
resource "apprunner_vpc_connector" "test" {
  vpc_connector_name = "held-connector"
  subnets            = ["subnet-1"]
  timeouts {
    delete = "2s"
  }
}
"#;
    ws.write(body);
    ws.apply();
    let connector = ws.state().attr(ADDR, "arn");
    let service = service_using(&emulator, "holding-service", &connector);
    let out = ws.fails(&["destroy", "-auto-approve", "-no-color", "-input=false"]);
    let text = out.text();
    assert!(
        text.contains("VPC connector held-connector is still in use"),
        "{text}"
    );
    assert!(text.contains("holding-service"), "{text}");
    assert!(text.contains(&service), "{text}");
    assert!(ws.state().has(ADDR), "the connector must stay in state");
    // Once the service is gone, destroy succeeds.
    emulator.ok("DeleteService", json!({ "ServiceArn": service }));
    emulator.wait_service(&service);
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0, "{:#}", emulator.state());
}

/// Every argument the API model would reject is refused by `terraform
/// validate`, pointing at the attribute.
#[test]
fn invalid_arguments_are_refused_at_validate_with_their_attribute() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"vpc_connector_name = "abc""#,
            "vpc_connector_name",
            "4 to 40",
        ),
        (
            r#"vpc_connector_name = "a-name-that-is-far-too-long-for-app-runner-x""#,
            "vpc_connector_name",
            "4 to 40",
        ),
        (
            r#"vpc_connector_name = "_leading""#,
            "vpc_connector_name",
            "starting with a letter or digit",
        ),
        (
            r#"vpc_connector_name = "has space""#,
            "vpc_connector_name",
            "letters, digits",
        ),
        ("subnets = []", "subnets", "at least one subnet"),
        (r#"subnets = [""]"#, "subnets", "empty subnet"),
        (
            r#"security_groups = [""]"#,
            "security_groups",
            "empty security group",
        ),
        (r#"tags = { "aws:x" = "y" }"#, "tags", "aws:"),
        (
            r#"timeouts {
    delete = "soon"
  }"#,
            "delete",
            "duration",
        ),
    ];
    for (args, attribute, message) in cases {
        let name = if args.contains("vpc_connector_name") {
            ""
        } else {
            "vpc_connector_name = \"valid-name\"\n  "
        };
        let subnets = if args.starts_with("subnets") {
            ""
        } else {
            "subnets = [\"subnet-1\"]\n  "
        };
        ws.write(&format!(
            "resource \"apprunner_vpc_connector\" \"bad\" {{\n  {name}{subnets}{args}\n}}\n"
        ));
        assert_validate_error(&ws, args, attribute, message);
    }
    // A missing required argument is Terraform's own error.
    ws.write("resource \"apprunner_vpc_connector\" \"bad\" {\n  vpc_connector_name = \"valid-name\"\n}\n");
    assert_validate_error(&ws, "no subnets", "resource", "subnets");
    assert_eq!(emulator.state()["total"], 0);
}

/// The registry example applies, plans empty and destroys cleanly.
#[test]
fn the_example_applies() {
    let emulator = Emulator::start(&["--operation-duration", "100ms"]);
    assert_resource_example_applies(&emulator, "apprunner_vpc_connector");
}
