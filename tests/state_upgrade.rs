//! Stored states of every schema version this provider has shipped are
//! read by the current build with no change planned, and a state from a
//! newer build is refused with a clear message. Every type is at version
//! 0; its stored state is in `tests/fixtures/state/v0/` (see the README
//! there).

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
    ws.write_file(
        "terraform.tfstate",
        &state_file(ASC, 0, asc_v0_without_region(&asc)),
    );
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
    ws.write_file(
        "terraform.tfstate",
        &state_file(ASC, 7, asc_v0_without_region(&asc)),
    );
    ws.write(CONFIG);
    let out = ws.fails(&["plan", "-no-color"]);
    assert!(out.text().contains("newer provider"), "{}", out.text());
}

/// Every type but the auto scaling configuration (above), in one
/// configuration; `{asc}` is a configuration made through the API for the
/// region's default.
const EVERY_TYPE: &str = r#"
resource "apprunner_observability_configuration" "stored" {
  observability_configuration_name = "stored-obs"
  trace_configuration {
    vendor = "AWSXRAY"
  }
  tags = { env = "test" }
}
resource "apprunner_vpc_connector" "stored" {
  vpc_connector_name = "stored-conn"
  subnets            = ["subnet-1", "subnet-2"]
  security_groups    = ["sg-1"]
}
resource "apprunner_connection" "stored" {
  connection_name = "stored-gh"
  provider_type   = "GITHUB"
}
resource "apprunner_default_auto_scaling_configuration_version" "stored" {
  auto_scaling_configuration_arn = "{asc}"
}
resource "apprunner_service" "stored" {
  service_name = "stored-svc"
  source_configuration {
    auto_deployments_enabled = false
    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:latest"
      image_repository_type = "ECR_PUBLIC"
      image_configuration {
        port                          = "8000"
        runtime_environment_variables = { MODE = "prod" }
      }
    }
  }
  health_check_configuration {
    protocol = "HTTP"
    path     = "/health"
  }
  network_configuration {
    ingress_configuration {
      is_publicly_accessible = true
    }
  }
  tags = { env = "test" }
}
resource "apprunner_deployment" "stored" {
  service_arn = apprunner_service.stored.arn
  triggers    = { version = "1" }
}
resource "apprunner_vpc_ingress_connection" "stored" {
  name        = "stored-ingress"
  service_arn = apprunner_service.stored.arn
  ingress_vpc_configuration {
    vpc_id          = "vpc-1"
    vpc_endpoint_id = "vpce-1"
  }
}
resource "apprunner_custom_domain_association" "stored" {
  domain_name = "stored.example.com"
  service_arn = apprunner_service.stored.arn
}
"#;

/// The stored attributes of `type_name` at `version`, with the values App
/// Runner chose for `created` (the attributes of the object just made) in
/// place of the placeholders.
fn fixture(version: u64, type_name: &str, created: &Value) -> Value {
    let path = format!(
        "{}/tests/fixtures/state/v{version}/{type_name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut stored: Value = serde_json::from_str(&text).expect("fixture is JSON");
    fn fill(v: &mut Value, created: &Value) {
        match v {
            Value::String(s) => {
                if let Some(name) = s.strip_prefix("{{").and_then(|r| r.strip_suffix("}}"))
                    && !name.contains("{{")
                {
                    *v = created[name].clone();
                    return;
                }
                while let Some(start) = s.find("{{") {
                    let end = start + s[start..].find("}}").expect("placeholder ends");
                    let value = match &created[&s[start + 2..end]] {
                        Value::String(t) => t.clone(),
                        other => other.to_string(),
                    };
                    s.replace_range(start..end + 2, &value);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| fill(i, created)),
            Value::Object(m) => m.values_mut().for_each(|i| fill(i, created)),
            _ => {}
        }
    }
    fill(&mut stored, created);
    stored
}

/// For every type: the objects exist (made by this build), and the state
/// holds them as the version 0 fixtures say, without `region` and without
/// identities. No change is planned, with or without refresh.
#[test]
fn version_0_state_of_every_type_plans_no_change() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let asc = emulator.ok(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "stored-default" }),
    )["AutoScalingConfiguration"]["AutoScalingConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    let ws = Workspace::new(&emulator);
    ws.write(&EVERY_TYPE.replace("{asc}", &asc));
    ws.apply();
    let path = ws.path().join("terraform.tfstate");
    let mut state: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut stored_types = Vec::new();
    for resource in state["resources"].as_array_mut().unwrap() {
        let type_name = resource["type"].as_str().unwrap().to_string();
        let instance = &mut resource["instances"][0];
        let created = instance["attributes"].clone();
        let stored = fixture(0, &type_name, &created);
        let fields: Vec<&String> = stored.as_object().unwrap().keys().collect();
        let mut expected: Vec<&String> = created
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "region")
            .collect();
        expected.sort();
        // A new attribute needs no new version, but a fixture that lacks
        // an attribute this build writes is a sign it changed: only
        // `region` came later in version 0.
        assert_eq!(
            fields, expected,
            "{type_name}: fixture and state differ in attributes"
        );
        let instance = instance.as_object_mut().unwrap();
        instance.insert("schema_version".into(), json!(0));
        instance.insert("attributes".into(), stored);
        instance.remove("identity");
        instance.remove("identity_schema_version");
        stored_types.push(type_name);
    }
    stored_types.sort();
    assert_eq!(stored_types.len(), 8, "{stored_types:?}");
    std::fs::write(&path, state.to_string()).unwrap();
    ws.assert_plan_empty(&["-refresh=false"], "stored v0 states, no refresh");
    ws.assert_plan_empty(&[], "stored v0 states, refreshed");
    // Refreshed, each has its region and identity again.
    ws.ok(&["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    let refreshed = ws.state();
    for r in refreshed.resources() {
        assert_eq!(r["values"]["region"], "us-east-1", "{}", r["address"]);
        assert!(
            r["identity"].is_object(),
            "{} has no identity",
            r["address"]
        );
    }
    ws.destroy();
}
