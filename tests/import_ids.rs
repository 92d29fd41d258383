//! Import of objects in another region than the provider's, for every
//! importable type, as the AWS provider v6 does it: `terraform import` and
//! `import {}` blocks with the AWS provider's ID and an `@REGION` suffix, and
//! `import {}` blocks with the identity. The provider is in us-east-1; the
//! objects live in eu-west-1.

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{Emulator, ImportCheck, Workspace, image_service, verify_import};

const AWAY: &str = "eu-west-1";

fn start() -> Emulator {
    Emulator::start(&["--operation-duration", "0s"])
}

/// Creates `body` (in a fresh workspace), checks its identity, imports
/// `address` back in every way with `id`, and destroys it.
fn created_then_imported(
    emulator: &Emulator,
    body: &str,
    address: &str,
    identity: fn(&Value) -> Value,
    id: fn(&Value) -> String,
) {
    let ws = Workspace::new(emulator);
    ws.write(body);
    ws.apply();
    let state = ws.state();
    let values = state.values(address);
    assert_eq!(values["region"], AWAY, "{address}: {values:#}");
    assert_eq!(
        state.entry(address)["identity"],
        identity(values),
        "{address}: identity"
    );
    verify_import(
        &ws,
        &ws.provider_block(""),
        body,
        &state,
        &ImportCheck::every_way(address, id),
    );
    ws.destroy();
}

fn arn_identity(v: &Value) -> Value {
    json!({ "arn": v["arn"] })
}

fn arn_at_region(v: &Value) -> String {
    format!(
        "{}@{}",
        v["arn"].as_str().unwrap(),
        v["region"].as_str().unwrap()
    )
}

/// A running service in eu-west-1, made through the API.
fn away_service(emulator: &Emulator, name: &str) -> String {
    let created = emulator
        .call_in(AWAY, "CreateService", support::emulator::service_body(name))
        .expect("create the service");
    let arn = created["Service"]["ServiceArn"]
        .as_str()
        .unwrap()
        .to_string();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = emulator
            .call_in(AWAY, "DescribeService", json!({ "ServiceArn": arn }))
            .expect("describe the service");
        if s["Service"]["Status"] == "RUNNING" {
            return arn;
        }
        assert!(Instant::now() < deadline, "{arn} is not RUNNING: {s:#}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn configurations_and_vpc_connectors_import_by_arn_at_region() {
    let emulator = start();
    created_then_imported(
        &emulator,
        &format!(
            "resource \"apprunner_auto_scaling_configuration_version\" \"test\" {{\n  auto_scaling_configuration_name = \"away-asc\"\n  region = \"{AWAY}\"\n}}\n"
        ),
        "apprunner_auto_scaling_configuration_version.test",
        arn_identity,
        arn_at_region,
    );
    created_then_imported(
        &emulator,
        &format!(
            "resource \"apprunner_observability_configuration\" \"test\" {{\n  observability_configuration_name = \"away-obs\"\n  region = \"{AWAY}\"\n  trace_configuration {{\n    vendor = \"AWSXRAY\"\n  }}\n}}\n"
        ),
        "apprunner_observability_configuration.test",
        arn_identity,
        arn_at_region,
    );
    created_then_imported(
        &emulator,
        &format!(
            "resource \"apprunner_vpc_connector\" \"test\" {{\n  vpc_connector_name = \"away-conn\"\n  region = \"{AWAY}\"\n  subnets = [\"subnet-1\"]\n  security_groups = [\"sg-1\"]\n}}\n"
        ),
        "apprunner_vpc_connector.test",
        arn_identity,
        arn_at_region,
    );
    assert_eq!(emulator.state()["total"], 0);
}

#[test]
fn service_imports_by_arn_at_region() {
    let emulator = start();
    created_then_imported(
        &emulator,
        // Blocks of App Runner's defaults are left out, and an import
        // leaves them out too.
        &image_service("test", "away-svc", "", &format!("  region = \"{AWAY}\"")),
        "apprunner_service.test",
        arn_identity,
        arn_at_region,
    );
}

#[test]
fn connection_imports_by_name_at_region_and_by_identity_with_its_region() {
    let emulator = start();
    created_then_imported(
        &emulator,
        &format!(
            "resource \"apprunner_connection\" \"test\" {{\n  connection_name = \"away-gh\"\n  provider_type = \"GITHUB\"\n  region = \"{AWAY}\"\n}}\n"
        ),
        "apprunner_connection.test",
        |v| json!({ "connection_name": v["connection_name"], "region": AWAY }),
        |v| format!("{}@{AWAY}", v["connection_name"].as_str().unwrap()),
    );
}

/// The region of an identity may be left out: it is the provider's.
#[test]
fn connection_identity_without_region_is_in_the_providers_region() {
    let emulator = start();
    emulator.ok(
        "CreateConnection",
        json!({ "ConnectionName": "home-gh", "ProviderType": "GITHUB" }),
    );
    let ws = Workspace::new(&emulator);
    ws.write(
        r#"
resource "apprunner_connection" "test" {
  connection_name = "home-gh"
  provider_type   = "GITHUB"
}

import {
  to       = apprunner_connection.test
  identity = { connection_name = "home-gh" }
}
"#,
    );
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions("apprunner_connection.test"), vec!["no-op"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    let state = ws.state();
    assert_eq!(
        state.entry("apprunner_connection.test")["identity"],
        json!({ "connection_name": "home-gh", "region": "us-east-1" })
    );
    ws.assert_plan_empty(&[], "after the import");
}

#[test]
fn service_dependents_import_at_the_services_region() {
    let emulator = start();
    let svc = away_service(&emulator, "away-dep-svc");
    // Each body names the service by ARN: an import check must create nothing.
    for (body, address, identity, id) in [
        (
            format!(
                "resource \"apprunner_vpc_ingress_connection\" \"test\" {{\n  name = \"away-ingress\"\n  service_arn = \"{svc}\"\n  region = \"{AWAY}\"\n  ingress_vpc_configuration {{\n    vpc_id = \"vpc-1\"\n    vpc_endpoint_id = \"vpce-1\"\n  }}\n}}\n"
            ),
            "apprunner_vpc_ingress_connection.test",
            arn_identity as fn(&Value) -> Value,
            arn_at_region as fn(&Value) -> String,
        ),
        (
            format!(
                "resource \"apprunner_custom_domain_association\" \"test\" {{\n  domain_name = \"away.example.com\"\n  service_arn = \"{svc}\"\n}}\n"
            ),
            "apprunner_custom_domain_association.test",
            |v: &Value| json!({ "domain_name": v["domain_name"], "service_arn": v["service_arn"] }),
            |v: &Value| {
                format!(
                    "{},{}@{AWAY}",
                    v["domain_name"].as_str().unwrap(),
                    v["service_arn"].as_str().unwrap()
                )
            },
        ),
        (
            format!(
                "resource \"apprunner_deployment\" \"test\" {{\n  service_arn = \"{svc}\"\n}}\n"
            ),
            "apprunner_deployment.test",
            |v: &Value| json!({ "service_arn": v["service_arn"], "operation_id": v["operation_id"] }),
            |v: &Value| {
                format!(
                    "{},{}@{AWAY}",
                    v["service_arn"].as_str().unwrap(),
                    v["operation_id"].as_str().unwrap()
                )
            },
        ),
    ] {
        created_then_imported(&emulator, &body, address, identity, id);
    }
}

/// A region's default: the import ID (and the identity) is the region.
#[test]
fn default_auto_scaling_configuration_imports_by_region() {
    let emulator = start();
    let asc = emulator
        .call_in(
            AWAY,
            "CreateAutoScalingConfiguration",
            json!({ "AutoScalingConfigurationName": "away-default" }),
        )
        .expect("create")["AutoScalingConfiguration"]["AutoScalingConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    created_then_imported(
        &emulator,
        &format!(
            "resource \"apprunner_default_auto_scaling_configuration_version\" \"test\" {{\n  auto_scaling_configuration_arn = \"{asc}\"\n  region = \"{AWAY}\"\n}}\n"
        ),
        "apprunner_default_auto_scaling_configuration_version.test",
        |_| json!({ "region": AWAY }),
        |_| AWAY.to_string(),
    );
}

/// A region suffix that contradicts the ID is refused before anything is read.
#[test]
fn a_region_suffix_that_contradicts_the_id_is_refused() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    let arn = "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/x-asc/1/0123456789abcdef0123456789abcdef";
    let svc =
        "arn:aws:apprunner:us-east-1:123456789012:service/web/0123456789abcdef0123456789abcdef";
    ws.write(&format!(
        r#"
resource "apprunner_auto_scaling_configuration_version" "test" {{
  auto_scaling_configuration_name = "x-asc"
}}
resource "apprunner_custom_domain_association" "test" {{
  domain_name = "example.com"
  service_arn = "{svc}"
}}
resource "apprunner_connection" "test" {{
  connection_name = "gh"
  provider_type   = "GITHUB"
}}
resource "apprunner_default_auto_scaling_configuration_version" "test" {{
  auto_scaling_configuration_arn = "{arn}"
}}
"#
    ));
    for (address, id, message) in [
        (
            "apprunner_auto_scaling_configuration_version.test",
            format!("{arn}@{AWAY}"),
            "but its @REGION suffix says eu-west-1",
        ),
        (
            "apprunner_custom_domain_association.test",
            format!("example.com,{svc}@{AWAY}"),
            "but its @REGION suffix says eu-west-1",
        ),
        (
            "apprunner_default_auto_scaling_configuration_version.test",
            format!("us-east-1@{AWAY}"),
            "but its @REGION suffix says eu-west-1",
        ),
        (
            "apprunner_connection.test",
            "gh-conn@nowhere".to_string(),
            "ID@REGION",
        ),
    ] {
        let out = ws.fails(&["import", "-no-color", address, &id]);
        // Terraform wraps long messages.
        let text = out.text().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains("Invalid import ID") && text.contains(message),
            "{address} {id}: {text}"
        );
    }
    assert_eq!(emulator.state()["total"], 0);
}
