//! Acceptance tests of `apprunner_vpc_ingress_connection` with a real
//! Terraform CLI against the local control plane.

mod support;

use std::sync::OnceLock;

use serde_json::json;
use support::{
    Acceptance, Action, Emulator, ImportCheck, Step, Workspace, assert_resource_example_applies,
    assert_validate_error, image_service,
};

const ADDR: &str = "apprunner_vpc_ingress_connection.test";

fn config(name: &str, service: &str, vpc: &str, endpoint: &str, tags: &str) -> String {
    format!(
        r#"
resource "apprunner_vpc_ingress_connection" "test" {{
  name        = "{name}"
  service_arn = "{service}"
  ingress_vpc_configuration {{
    vpc_id          = "{vpc}"
    vpc_endpoint_id = "{endpoint}"
  }}
  tags = {tags}
}}
"#
    )
}

/// A running service made through the API (the service resource is not
/// what these tests are about).
fn service(emulator: &Emulator, name: &str) -> String {
    let arn = emulator.create_service(name);
    assert_eq!(emulator.wait_service(&arn)["Status"], "RUNNING");
    arn
}

#[test]
fn lifecycle_create_import_update_in_place_replace_destroy() {
    static ARN: OnceLock<String> = OnceLock::new();
    let emulator = Emulator::start(&["--operation-duration", "300ms"]);
    let svc = service(&emulator, "ingress-svc");
    let mut acceptance = Acceptance::new(&emulator)
        .provider("  default_tags {\n    tags = { team = \"platform\" }\n  }\n")
        .step(
            Step::new(config(
                "acc-ingress",
                &svc,
                "vpc-1",
                "vpce-1",
                r#"{ env = "test" }"#,
            ))
            .expect(ADDR, Action::Create)
            .check(|s| {
                let v = s.values(ADDR);
                let arn = v["arn"].as_str().unwrap();
                assert!(
                    arn.starts_with("arn:aws:apprunner:us-east-1:")
                        && arn.contains(":vpcingressconnection/acc-ingress/"),
                    "{arn}"
                );
                ARN.set(arn.to_string()).unwrap();
                assert_eq!(v["id"], v["arn"]);
                assert_eq!(v["status"], "AVAILABLE");
                assert!(
                    v["domain_name"]
                        .as_str()
                        .unwrap()
                        .ends_with(".us-east-1.awsapprunner.com"),
                    "{}",
                    v["domain_name"]
                );
                assert_eq!(
                    v["ingress_vpc_configuration"],
                    json!([{ "vpc_id": "vpc-1", "vpc_endpoint_id": "vpce-1" }])
                );
                assert_eq!(v["tags_all"], json!({ "env": "test", "team": "platform" }));
                assert_eq!(s.entry(ADDR)["identity"]["arn"], v["arn"]);
            }),
        )
        .import(ImportCheck::every_way(ADDR, |v| {
            v["arn"].as_str().unwrap().to_string()
        }))
        .step(
            // The VPC configuration changes in place (UpdateVpcIngressConnection).
            Step::new(config(
                "acc-ingress",
                &svc,
                "vpc-2",
                "vpce-2",
                r#"{ env = "test" }"#,
            ))
            .expect(ADDR, Action::Update)
            .check(|s| {
                let v = s.values(ADDR);
                assert_eq!(v["arn"].as_str(), ARN.get().map(String::as_str));
                assert_eq!(v["status"], "AVAILABLE");
                assert_eq!(
                    v["ingress_vpc_configuration"],
                    json!([{ "vpc_id": "vpc-2", "vpc_endpoint_id": "vpce-2" }])
                );
            }),
        )
        .step(
            Step::new(config(
                "acc-ingress",
                &svc,
                "vpc-2",
                "vpce-2",
                r#"{ env = "prod" }"#,
            ))
            .expect(ADDR, Action::Update)
            .check(|s| {
                let v = s.values(ADDR);
                assert_eq!(v["arn"].as_str(), ARN.get().map(String::as_str));
                assert_eq!(v["tags_all"], json!({ "env": "prod", "team": "platform" }));
            }),
        )
        .step(
            // A new name replaces the connection (AWS #40896).
            Step::new(config(
                "acc-ingress-2",
                &svc,
                "vpc-2",
                "vpce-2",
                r#"{ env = "prod" }"#,
            ))
            .expect(ADDR, Action::Replace)
            .check(|s| {
                let v = s.values(ADDR);
                assert_ne!(v["arn"].as_str(), ARN.get().map(String::as_str));
                assert!(v["arn"].as_str().unwrap().contains("/acc-ingress-2/"));
            }),
        );
    // The service was made outside Terraform and stays.
    acceptance.allow_after_destroy = vec!["services", "operations"];
    acceptance.run();
    let held = emulator.state();
    assert_eq!(held["counts"]["vpc_ingress_connections"], 0, "{held:#}");
    // The control plane holds the updated configuration.
    let deleted = held["regions"]["us-east-1"]["deleted"]["vpc_ingress_connections"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(deleted.len(), 2, "{held:#}");
}

/// The control plane's view of the one live ingress connection.
fn remote(emulator: &Emulator) -> serde_json::Value {
    emulator.state()["regions"]["us-east-1"]["vpc_ingress_connections"][0].clone()
}

#[test]
fn in_place_update_reaches_app_runner_and_waits_for_available() {
    let emulator = Emulator::start(&["--operation-duration", "1s"]);
    let svc = service(&emulator, "update-svc");
    let ws = Workspace::new(&emulator);
    ws.write(&config("upd-ingress", &svc, "vpc-1", "vpce-1", "{}"));
    ws.apply();
    let arn = ws.state().attr(ADDR, "arn");
    ws.write(&config("upd-ingress", &svc, "vpc-9", "vpce-9", "{}"));
    assert_eq!(ws.plan(&[]).actions(ADDR), ["update"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    let r = remote(&emulator);
    assert_eq!(r["VpcIngressConnectionArn"], arn.as_str());
    assert_eq!(
        r["Status"], "AVAILABLE",
        "apply returned before AVAILABLE: {r:#}"
    );
    assert_eq!(
        r["IngressVpcConfiguration"],
        json!({ "VpcId": "vpc-9", "VpcEndpointId": "vpce-9" })
    );
    ws.assert_plan_empty(&[], "after the in-place update");
    ws.destroy();
}

/// `name` and `service_arn` changes replace the connection, pointing at the
/// attribute; the old one is deleted before the new one is created.
#[test]
fn name_and_service_changes_replace_the_connection() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let first = service(&emulator, "first-svc");
    let second = service(&emulator, "second-svc");
    let ws = Workspace::new(&emulator);
    ws.write(&config("svc-ingress", &first, "vpc-1", "vpce-1", "{}"));
    ws.apply();
    ws.write(&config("svc-ingress-b", &first, "vpc-1", "vpce-1", "{}"));
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), ["delete", "create"]);
    assert_eq!(plan.replace_paths(ADDR), vec![json!(["name"])]);
    ws.write(&config("svc-ingress", &second, "vpc-1", "vpce-1", "{}"));
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), ["delete", "create"]);
    assert_eq!(plan.replace_paths(ADDR), vec![json!(["service_arn"])]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    assert_eq!(ws.state().attr(ADDR, "service_arn"), second);
    assert_eq!(remote(&emulator)["ServiceArn"], second.as_str());
    // The first service, now without an ingress connection, can be deleted.
    emulator.ok("DeleteService", json!({ "ServiceArn": first }));
    ws.assert_plan_empty(&[], "after the replacement");
    ws.destroy();
    assert_eq!(emulator.state()["counts"]["vpc_ingress_connections"], 0);
}

/// A connection App Runner fails to create ends the apply with an error and
/// stays in state, tainted; the next apply replaces it.
#[test]
fn failed_creation_is_an_error_and_the_connection_is_tainted() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let svc = service(&emulator, "fail-svc");
    emulator.add_fault(
        json!({ "kind": "fail", "operation": "CreateVpcIngressConnection", "count": 1 }),
    );
    let ws = Workspace::new(&emulator);
    ws.write(&config("bad-ingress", &svc, "vpc-1", "vpce-1", "{}"));
    let out = ws.fails(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    assert!(out.text().contains("FAILED_CREATION"), "{}", out.text());
    let state = ws.state();
    assert_eq!(state.entry(ADDR)["tainted"], true, "{:#}", state.0);
    assert_eq!(state.values(ADDR)["status"], "FAILED_CREATION");
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), ["delete", "create"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    assert_eq!(ws.state().attr(ADDR, "status"), "AVAILABLE");
    assert_eq!(emulator.state()["counts"]["vpc_ingress_connections"], 1);
    ws.destroy();
}

/// A failed in-place update is an error; the next apply updates again.
#[test]
fn failed_update_is_an_error_and_the_next_apply_retries() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let svc = service(&emulator, "retry-svc");
    let ws = Workspace::new(&emulator);
    ws.write(&config("retry-ingress", &svc, "vpc-1", "vpce-1", "{}"));
    ws.apply();
    emulator.add_fault(
        json!({ "kind": "fail", "operation": "UpdateVpcIngressConnection", "count": 1 }),
    );
    ws.write(&config("retry-ingress", &svc, "vpc-2", "vpce-2", "{}"));
    let out = ws.fails(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    assert!(out.text().contains("FAILED_UPDATE"), "{}", out.text());
    assert_eq!(remote(&emulator)["Status"], "FAILED_UPDATE");
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), ["update"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    assert_eq!(remote(&emulator)["Status"], "AVAILABLE");
    ws.assert_plan_empty(&[], "after the retried update");
    ws.destroy();
}

#[test]
fn deleted_with_its_service_outside_terraform_is_planned_for_creation() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let svc = service(&emulator, "gone-svc");
    let ws = Workspace::new(&emulator);
    ws.write(&config("gone-ingress", &svc, "vpc-1", "vpce-1", "{}"));
    ws.apply();
    let arn = ws.state().attr(ADDR, "arn");
    emulator.ok(
        "DeleteVpcIngressConnection",
        json!({ "VpcIngressConnectionArn": arn }),
    );
    assert_eq!(ws.plan(&[]).actions(ADDR), ["create"]);
}

/// Every argument the API model would reject is refused by `terraform
/// validate`, pointing at the attribute.
#[test]
fn invalid_arguments_are_refused_at_validate_with_their_attribute() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    let svc =
        "arn:aws:apprunner:us-east-1:123456789012:service/web/0123456789abcdef0123456789abcdef";
    let block = "ingress_vpc_configuration {\n    vpc_id = \"vpc-1\"\n    vpc_endpoint_id = \"vpce-1\"\n  }";
    let cases: Vec<(String, &str, &str)> = vec![
        (
            format!("name = \"abc\"\n  service_arn = \"{svc}\"\n  {block}"),
            "name",
            "4 to 40",
        ),
        (
            format!(
                "name = \"{}\"\n  service_arn = \"{svc}\"\n  {block}",
                "x".repeat(41)
            ),
            "name",
            "4 to 40",
        ),
        (
            format!("name = \"-bad-name\"\n  service_arn = \"{svc}\"\n  {block}"),
            "name",
            "starting with a letter",
        ),
        (
            format!("name = \"good-name\"\n  service_arn = \"not-an-arn\"\n  {block}"),
            "service_arn",
            "App Runner ARN",
        ),
        (
            format!(
                "name = \"good-name\"\n  service_arn = \"arn:aws:apprunner:us-east-1:123456789012:vpcconnector/c/1/0123\"\n  {block}"
            ),
            "service_arn",
            "App Runner service",
        ),
        (
            format!(
                "name = \"good-name\"\n  service_arn = \"{svc}\"\n  ingress_vpc_configuration {{\n    vpc_id = \"\"\n    vpc_endpoint_id = \"vpce-1\"\n  }}"
            ),
            "vpc_id",
            "not empty",
        ),
        (
            format!(
                "name = \"good-name\"\n  service_arn = \"{svc}\"\n  ingress_vpc_configuration {{\n    vpc_id = \"vpc-1\"\n    vpc_endpoint_id = \"\"\n  }}"
            ),
            "vpc_endpoint_id",
            "not empty",
        ),
        (
            format!(
                "name = \"good-name\"\n  service_arn = \"{svc}\"\n  ingress_vpc_configuration {{\n    vpc_id = \"vpc-1\"\n  }}"
            ),
            "ingress_vpc_configuration",
            "vpc_endpoint_id",
        ),
        (
            format!("name = \"good-name\"\n  service_arn = \"{svc}\""),
            "resource",
            "ingress_vpc_configuration",
        ),
        (
            format!("name = \"good-name\"\n  service_arn = \"{svc}\"\n  {block}\n  {block}"),
            "ingress_vpc_configuration",
            "ingress_vpc_configuration",
        ),
        (
            format!(
                "name = \"good-name\"\n  service_arn = \"{svc}\"\n  {block}\n  tags = {{ \"aws:k\" = \"v\" }}"
            ),
            "tags",
            "aws:",
        ),
    ];
    for (args, attribute, message) in &cases {
        ws.write(&format!(
            "resource \"apprunner_vpc_ingress_connection\" \"bad\" {{\n  {args}\n}}\n"
        ));
        assert_validate_error(&ws, args, attribute, message);
    }
    assert_eq!(emulator.state()["total"], 0);
}

/// A private service and its ingress connection, both managed here.
fn private_service(name: &str, lifecycle: &str) -> String {
    let service = image_service(
        "svc",
        name,
        "",
        &format!(
            "  network_configuration {{\n    ingress_configuration {{\n      is_publicly_accessible = false\n    }}\n  }}\n  {lifecycle}"
        ),
    );
    format!(
        r#"{service}
resource "apprunner_vpc_ingress_connection" "test" {{
  name        = "private-ingress"
  service_arn = apprunner_service.svc.arn
  ingress_vpc_configuration {{
    vpc_id          = "vpc-1"
    vpc_endpoint_id = "vpce-1"
  }}
}}
"#
    )
}

/// App Runner refuses to delete a service that has an AVAILABLE ingress
/// connection (the AWS provider got stuck here, #40896). Replacing the
/// service replaces its connection too, and Terraform deletes the
/// connection, fully, before the service: one apply, nothing stuck. With
/// `create_before_destroy` on the service as well.
#[test]
fn a_service_replaced_with_its_ingress_connection_is_not_stuck_on_delete() {
    replace_service_with_its_ingress_connection("");
}

#[test]
fn a_service_replaced_create_before_destroy_with_its_ingress_connection() {
    replace_service_with_its_ingress_connection(
        "lifecycle {\n    create_before_destroy = true\n  }",
    );
}

fn replace_service_with_its_ingress_connection(lifecycle: &str) {
    let emulator = Emulator::start(&["--operation-duration", "200ms"]);
    let ws = Workspace::new(&emulator);
    ws.write(&private_service("private-a", lifecycle));
    ws.apply();
    ws.assert_plan_empty(&[], "after creating the private service");
    let old_service = ws.state().attr("apprunner_service.svc", "arn");
    let old_ingress = ws.state().attr(ADDR, "arn");
    ws.write(&private_service("private-b", lifecycle));
    let plan = ws.plan(&[]);
    assert!(
        plan.actions("apprunner_service.svc").len() == 2,
        "{lifecycle}: service should be replaced"
    );
    assert_eq!(
        plan.replace_paths(ADDR),
        vec![json!(["service_arn"])],
        "{lifecycle}"
    );
    let out = ws.ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    let state = ws.state();
    let new_service = state.attr("apprunner_service.svc", "arn");
    assert_ne!(new_service, old_service);
    assert_eq!(state.attr(ADDR, "service_arn"), new_service);
    assert_ne!(state.attr(ADDR, "arn"), old_ingress);
    let held = emulator.state();
    let region = &held["regions"]["us-east-1"];
    assert_eq!(region["counts"]["services"], 1, "{lifecycle}: {held:#}");
    assert_eq!(region["counts"]["vpc_ingress_connections"], 1, "{held:#}");
    assert_eq!(
        region["vpc_ingress_connections"][0]["ServiceArn"],
        new_service.as_str()
    );
    assert_eq!(region["vpc_ingress_connections"][0]["Status"], "AVAILABLE");
    assert!(
        region["deleted"]["services"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == old_service.as_str()),
        "{lifecycle}: old service not deleted: {}\n{held:#}",
        out.text()
    );
    ws.assert_plan_empty(&[], "after replacing service and connection");
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0, "{lifecycle}");
}

/// The registry example applies, plans empty and destroys cleanly.
#[test]
fn the_example_applies() {
    let emulator = Emulator::start(&["--operation-duration", "100ms"]);
    assert_resource_example_applies(&emulator, "apprunner_vpc_ingress_connection");
}

/// The connection lives in its service's region, whatever the provider's;
/// a `region` that contradicts the service is refused at validate.
#[test]
fn the_connection_follows_its_service_into_another_region() {
    let emulator = Emulator::start(&["--operation-duration", "100ms"]);
    let service = emulator
        .call_in(
            "eu-west-1",
            "CreateService",
            support::emulator::service_body("away-svc"),
        )
        .unwrap()["Service"]["ServiceArn"]
        .as_str()
        .unwrap()
        .to_string();
    let ws = Workspace::new(&emulator);
    ws.write(&config(
        "away-conn",
        &service,
        "vpc-0123456789abcdef0",
        "vpce-0123456789abcdef0",
        "{}",
    ));
    ws.apply();
    let state = ws.state();
    assert_eq!(
        state.attr("apprunner_vpc_ingress_connection.test", "region"),
        "eu-west-1"
    );
    assert!(
        state
            .attr("apprunner_vpc_ingress_connection.test", "arn")
            .starts_with("arn:aws:apprunner:eu-west-1:")
    );
    ws.assert_plan_empty(&[], "after creating in the service's region");
    ws.destroy();

    ws.write(
        &config(
            "away-conn",
            &service,
            "vpc-0123456789abcdef0",
            "vpce-0123456789abcdef0",
            "{}",
        )
        .replace("tags = {}", "tags = {}\n  region = \"us-east-1\""),
    );
    let out = ws.fails(&["validate", "-no-color"]);
    assert!(out.text().contains("Region differs"), "{}", out.text());
}
