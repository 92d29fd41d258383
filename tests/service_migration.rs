//! Moving an `aws_apprunner_service` into `apprunner_service` with a `moved`
//! block: the AWS provider's state (SDKv2: `""` and `{}` for unset values,
//! every computed block filled in) is adopted with nothing replaced, and no
//! App Runner call is made.

mod support;

use serde_json::{Value, json};
use support::{Emulator, IMAGE, Workspace, aws_provider_state};

/// The state file the AWS provider v6 writes for `svc` (DescribeService shape).
fn aws_state(svc: &Value) -> String {
    let arn = svc["ServiceArn"].as_str().unwrap();
    let attributes = json!({
        "arn": arn,
        "auto_scaling_configuration_arn": svc["AutoScalingConfigurationSummary"]["AutoScalingConfigurationArn"],
        "encryption_configuration": [],
        "health_check_configuration": [{
            "healthy_threshold": 1, "interval": 5, "path": "/", "protocol": "TCP", "timeout": 2, "unhealthy_threshold": 5
        }],
        "id": arn,
        "instance_configuration": [{ "cpu": "1024", "instance_role_arn": "", "memory": "2048" }],
        "network_configuration": [{
            "egress_configuration": [{ "egress_type": "DEFAULT", "vpc_connector_arn": "" }],
            "ingress_configuration": [{ "is_publicly_accessible": true }],
            "ip_address_type": "IPV4"
        }],
        "observability_configuration": [],
        "region": "us-east-1",
        "service_id": svc["ServiceId"],
        "service_name": svc["ServiceName"],
        "service_url": svc["ServiceUrl"],
        "source_configuration": [{
            "authentication_configuration": [],
            "auto_deployments_enabled": false,
            "code_repository": [],
            "image_repository": [{
                "image_configuration": [{
                    "port": "8000",
                    "runtime_environment_secrets": {},
                    "runtime_environment_variables": { "MODE": "prod" },
                    "start_command": ""
                }],
                "image_identifier": IMAGE,
                "image_repository_type": "ECR_PUBLIC"
            }]
        }],
        "status": svc["Status"],
        "tags": { "env": "prod" },
        "tags_all": { "env": "prod" }
    });
    aws_provider_state(
        "aws_apprunner_service",
        "web",
        attributes,
        Some(json!({ "arn": arn })),
    )
}

/// The AWS configuration, renamed; `blocks` adds the blocks the AWS
/// provider filled in as computed.
fn config(blocks: &str) -> String {
    format!(
        r#"
resource "apprunner_service" "web" {{
  service_name = "legacy-svc"
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = "{IMAGE}"
      image_repository_type = "ECR_PUBLIC"
      image_configuration {{
        port                          = "8000"
        runtime_environment_variables = {{ MODE = "prod" }}
      }}
    }}
  }}
{blocks}
  tags = {{ env = "prod" }}
}}

moved {{
  from = aws_apprunner_service.web
  to   = apprunner_service.web
}}
"#
    )
}

fn legacy_service(emulator: &Emulator) -> Value {
    let mut body = json!({
        "ServiceName": "legacy-svc",
        "SourceConfiguration": {
            "AutoDeploymentsEnabled": false,
            "ImageRepository": {
                "ImageIdentifier": IMAGE,
                "ImageRepositoryType": "ECR_PUBLIC",
                "ImageConfiguration": { "Port": "8000", "RuntimeEnvironmentVariables": { "MODE": "prod" } }
            }
        },
        "Tags": [{ "Key": "env", "Value": "prod" }]
    });
    let arn = emulator.ok("CreateService", body.take())["Service"]["ServiceArn"]
        .as_str()
        .unwrap()
        .to_string();
    emulator.wait_service(&arn)
}

fn operations(emulator: &Emulator) -> usize {
    emulator.state()["regions"]["us-east-1"]["operations"]
        .as_array()
        .map_or(0, Vec::len)
}

#[test]
fn service_moves_from_the_aws_provider_with_no_change() {
    let emulator = Emulator::start(&["--operation-duration", "100ms"]);
    let svc = legacy_service(&emulator);
    let ws = Workspace::new(&emulator).with_aws_stand_in();
    ws.write_file("terraform.tfstate", &aws_state(&svc));
    // A configuration that leaves out the blocks of App Runner's defaults
    // the AWS provider kept in state: they leave state with the move.
    ws.write(&config(""));
    for refresh in ["-refresh=false", "-refresh=true"] {
        let plan = ws.plan(&[refresh]);
        let change = plan.0["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["address"] == "apprunner_service.web")
            .cloned()
            .unwrap();
        assert_eq!(change["previous_address"], "aws_apprunner_service.web");
        assert_eq!(
            change["change"]["actions"],
            json!(["no-op"]),
            "{refresh}: {change:#}"
        );
    }
    let before = operations(&emulator);
    ws.ok(&["apply", "-auto-approve", "-no-color"]);
    ws.assert_plan_empty(&[], "after the move");
    assert_eq!(operations(&emulator), before, "the move called App Runner");
    let state = ws.state();
    assert_eq!(
        state.attr("apprunner_service.web", "arn"),
        svc["ServiceArn"].as_str().unwrap()
    );
    assert_eq!(state.values("apprunner_service.web")["paused"], false);
    assert_eq!(
        state.entry("apprunner_service.web")["identity"]["arn"],
        svc["ServiceArn"]
    );
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0);
}

/// A configuration that spells out blocks holding only App Runner's
/// defaults: the move leaves them out, so they come back in one in-place
/// update (which sends them to App Runner, unchanged).
#[test]
fn default_blocks_written_out_come_back_in_one_update() {
    let emulator = Emulator::start(&["--operation-duration", "100ms"]);
    let svc = legacy_service(&emulator);
    let ws = Workspace::new(&emulator).with_aws_stand_in();
    ws.write_file("terraform.tfstate", &aws_state(&svc));
    ws.write(&config(
        "  instance_configuration {\n    cpu    = \"1 vCPU\"\n    memory = \"2 GB\"\n  }",
    ));
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions("apprunner_service.web"), vec!["update"]);
    assert_eq!(
        plan.change("apprunner_service.web")["before"]["instance_configuration"],
        json!([])
    );
    let before = operations(&emulator);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    ws.assert_plan_empty(&[], "after adding the default block");
    assert_eq!(
        ws.state().values("apprunner_service.web")["instance_configuration"][0]["cpu"],
        "1 vCPU"
    );
    assert_eq!(operations(&emulator), before + 1, "one UpdateService");
    ws.destroy();
}

/// The same state as the AWS provider v5 wrote it (no `region`, no
/// identity) and as v6.0 kept it for services made before identities
/// (`region`, identity `{ arn = null }`): moved with no change either way.
#[test]
fn service_moves_from_aws_provider_v5_and_v6_0_state() {
    let emulator = Emulator::start(&["--operation-duration", "100ms"]);
    let svc = legacy_service(&emulator);
    // Blocks of App Runner's defaults are left out of the configuration.
    let blocks = "";
    for v5 in [true, false] {
        let mut state: Value = serde_json::from_str(&aws_state(&svc)).unwrap();
        let instance = &mut state["resources"][0]["instances"][0];
        if v5 {
            let instance = instance.as_object_mut().unwrap();
            instance.remove("identity");
            instance.remove("identity_schema_version");
            instance["attributes"]
                .as_object_mut()
                .unwrap()
                .remove("region");
        } else {
            instance["identity"] = json!({ "arn": null });
        }
        let ws = Workspace::new(&emulator).with_aws_stand_in();
        ws.write_file("terraform.tfstate", &state.to_string());
        ws.write(&config(blocks));
        for refresh in ["-refresh=false", "-refresh=true"] {
            let plan = ws.plan(&[refresh]);
            assert_eq!(
                plan.actions("apprunner_service.web"),
                vec!["no-op"],
                "v5: {v5}, {refresh}"
            );
        }
        let before = operations(&emulator);
        ws.ok(&["apply", "-auto-approve", "-no-color"]);
        ws.assert_plan_empty(&[], "after the move");
        assert_eq!(operations(&emulator), before, "the move called App Runner");
        let state = ws.state();
        assert_eq!(state.values("apprunner_service.web")["region"], "us-east-1");
        assert_eq!(
            state.entry("apprunner_service.web")["identity"],
            json!({ "arn": svc["ServiceArn"] })
        );
        ws.ok(&["state", "rm", "-no-color", "apprunner_service.web"]);
    }
}
