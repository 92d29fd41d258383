//! Stored states of every schema version this provider has shipped are
//! read by the current build with no change planned, and a state from a
//! newer build is refused with a clear message.

mod support;

use serde_json::{Value, json};
use support::{Emulator, Workspace};

const ASC: &str = "apprunner_auto_scaling_configuration_version";

/// A state file holding one resource of this provider.
fn state_file(type_name: &str, schema_version: u64, attributes: Value) -> String {
    json!({
        "version": 4,
        "terraform_version": "1.15.5",
        "serial": 1,
        "lineage": "0e5a3c1d-5b0e-4a0a-8f55-7f2d1c3b0002",
        "outputs": {},
        "resources": [{
            "mode": "managed",
            "type": type_name,
            "name": "stored",
            "provider": format!("provider[\"{}\"]", support::SOURCE),
            "instances": [{ "schema_version": schema_version, "attributes": attributes, "sensitive_attributes": [] }]
        }]
    })
    .to_string()
}

fn created_asc(emulator: &Emulator) -> Value {
    emulator.ok(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "stored-asc", "MaxConcurrency": 100, "MaxSize": 25, "MinSize": 1 }),
    )["AutoScalingConfiguration"]
        .clone()
}

/// Version 0 as the first builds wrote it: before `region` existed.
fn asc_v0_without_region(asc: &Value) -> Value {
    let arn = asc["AutoScalingConfigurationArn"].clone();
    json!({
        "arn": arn, "id": arn,
        "auto_scaling_configuration_name": "stored-asc",
        "auto_scaling_configuration_revision": asc["AutoScalingConfigurationRevision"],
        "has_associated_service": false, "is_default": false, "latest": true,
        "max_concurrency": 100, "max_size": 25, "min_size": 1,
        "status": asc["Status"], "tags": null, "tags_all": {}
    })
}

const CONFIG: &str = r#"
resource "apprunner_auto_scaling_configuration_version" "stored" {
  auto_scaling_configuration_name = "stored-asc"
}
"#;

#[test]
fn version_0_state_without_newer_attributes_plans_no_change() {
    let emulator = Emulator::start(&[]);
    let asc = created_asc(&emulator);
    let ws = Workspace::new(&emulator);
    ws.write_file("terraform.tfstate", &state_file(ASC, 0, asc_v0_without_region(&asc)));
    ws.write(CONFIG);
    ws.assert_plan_empty(&["-refresh=false"], "stored v0 state, no refresh");
    ws.assert_plan_empty(&[], "stored v0 state, refreshed");
    ws.destroy();
}

#[test]
fn state_from_a_newer_provider_is_refused() {
    let emulator = Emulator::start(&[]);
    let asc = created_asc(&emulator);
    let ws = Workspace::new(&emulator);
    ws.write_file("terraform.tfstate", &state_file(ASC, 7, asc_v0_without_region(&asc)));
    ws.write(CONFIG);
    let out = ws.fails(&["plan", "-no-color"]);
    assert!(out.text().contains("newer provider"), "{}", out.text());
}
