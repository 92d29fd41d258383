//! Migration from the AWS provider: `moved` blocks from `aws_apprunner_*`
//! state, as the AWS provider writes it, to this provider's twins, with no
//! replacement and no diff.

mod support;

use serde_json::{Value, json};
use support::{Emulator, Workspace};

/// A state file holding one resource of the AWS provider.
fn aws_state(type_name: &str, name: &str, attributes: Value, identity: Option<Value>) -> String {
    let mut instance = json!({
        "schema_version": 0,
        "attributes": attributes,
        "sensitive_attributes": [],
        "private": "eyJzY2hlbWFfdmVyc2lvbiI6IjAifQ=="
    });
    if let Some(identity) = identity {
        instance["identity_schema_version"] = json!(0);
        instance["identity"] = identity;
    }
    json!({
        "version": 4,
        "terraform_version": "1.9.8",
        "serial": 3,
        "lineage": "6b0f7c54-1f6e-4a8e-9a55-0c4c9f1a0001",
        "outputs": {},
        "resources": [{
            "mode": "managed",
            "type": type_name,
            "name": name,
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [instance]
        }],
        "check_results": null
    })
    .to_string()
}

/// The attributes the AWS provider stores for an auto scaling
/// configuration version (v6 adds `region`).
fn aws_asc_attributes(asc: &Value, with_region: bool) -> Value {
    let arn = asc["AutoScalingConfigurationArn"].as_str().unwrap();
    let mut a = json!({
        "arn": arn,
        "auto_scaling_configuration_name": asc["AutoScalingConfigurationName"],
        "auto_scaling_configuration_revision": asc["AutoScalingConfigurationRevision"],
        "has_associated_service": asc["HasAssociatedService"],
        "id": arn,
        "is_default": asc["IsDefault"],
        "latest": asc["Latest"],
        "max_concurrency": asc["MaxConcurrency"],
        "max_size": asc["MaxSize"],
        "min_size": asc["MinSize"],
        "status": asc["Status"],
        "tags": { "env": "prod" },
        "tags_all": { "env": "prod" }
    });
    if with_region {
        a["region"] = json!("us-east-1");
    }
    a
}

fn moved_asc_config() -> &'static str {
    r#"
resource "apprunner_auto_scaling_configuration_version" "web" {
  auto_scaling_configuration_name = "legacy-asc"
  max_concurrency                 = 70
  max_size                        = 4
  tags = {
    env = "prod"
  }
}

moved {
  from = aws_apprunner_auto_scaling_configuration_version.web
  to   = apprunner_auto_scaling_configuration_version.web
}
"#
}

fn migrate_asc(with_region: bool, with_identity: bool) {
    let emulator = Emulator::start(&[]);
    let created = emulator.ok(
        "CreateAutoScalingConfiguration",
        json!({
            "AutoScalingConfigurationName": "legacy-asc", "MaxConcurrency": 70, "MaxSize": 4, "MinSize": 1,
            "Tags": [{ "Key": "env", "Value": "prod" }]
        }),
    )["AutoScalingConfiguration"]
        .clone();
    let arn = created["AutoScalingConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    let ws = Workspace::new(&emulator).with_aws_stand_in();
    let identity = with_identity.then(|| json!({ "arn": arn }));
    ws.write_file(
        "terraform.tfstate",
        &aws_state(
            "aws_apprunner_auto_scaling_configuration_version",
            "web",
            aws_asc_attributes(&created, with_region),
            identity,
        ),
    );
    ws.write(moved_asc_config());

    for refresh in ["-refresh=false", "-refresh=true"] {
        let plan = ws.plan(&[refresh]);
        let change = plan.0["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["address"] == "apprunner_auto_scaling_configuration_version.web")
            .unwrap_or_else(|| {
                panic!(
                    "no change for the new address: {:#}",
                    plan.0["resource_changes"]
                )
            });
        assert_eq!(
            change["previous_address"],
            "aws_apprunner_auto_scaling_configuration_version.web"
        );
        assert_eq!(
            change["change"]["actions"],
            json!(["no-op"]),
            "{refresh}: {change:#}"
        );
    }
    ws.ok(&["apply", "-auto-approve", "-no-color"]);
    ws.assert_plan_empty(&[], "after applying the move");
    let state = ws.state();
    assert_eq!(
        state.attr("apprunner_auto_scaling_configuration_version.web", "arn"),
        arn
    );
    assert_eq!(
        state.entry("apprunner_auto_scaling_configuration_version.web")["identity"]["arn"],
        json!(arn)
    );
    // Still the one object App Runner had: nothing replaced or duplicated.
    assert_eq!(emulator.state()["counts"]["auto_scaling_configurations"], 1);
    ws.destroy();
}

#[test]
fn auto_scaling_configuration_moves_from_aws_provider_v6_state() {
    migrate_asc(true, true);
}

#[test]
fn auto_scaling_configuration_moves_from_aws_provider_v5_state() {
    migrate_asc(false, false);
}
