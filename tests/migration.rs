//! Migration from the AWS provider: `moved` blocks from `aws_apprunner_*`
//! state, as the AWS provider writes it, to this provider's twins, with no
//! replacement and no diff.

mod support;

use serde_json::{Value, json};
use support::{Emulator, Workspace, aws_provider_state};

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

/// Moves an auto scaling configuration; `identity` is the stored identity
/// (`arn` is replaced by the real ARN).
fn migrate_asc(with_region: bool, identity: Option<Value>) {
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
    let identity = identity.map(|mut i| {
        if i["arn"] == "arn" {
            i["arn"] = json!(arn);
        }
        i
    });
    ws.write_file(
        "terraform.tfstate",
        &aws_provider_state(
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
    migrate_asc(true, Some(json!({ "arn": "arn" })));
}

/// The AWS provider v6.0 kept objects made before identities with an
/// identity of nulls.
#[test]
fn auto_scaling_configuration_moves_from_aws_provider_v6_0_state_with_null_identity() {
    migrate_asc(true, Some(json!({ "arn": null })));
}

#[test]
fn auto_scaling_configuration_moves_from_aws_provider_v5_state() {
    migrate_asc(false, None);
}

/// The shell commands of docs/guides/migrating-from-the-aws-provider.md,
/// as a user copies them.
fn guide_script() -> String {
    let guide = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/guides/migrating-from-the-aws-provider.md"
    ))
    .expect("read the guide");
    let start = guide
        .find("<!-- migration-script:begin -->")
        .expect("script start marker");
    let end = guide
        .find("<!-- migration-script:end -->")
        .expect("script end marker");
    guide[start..end]
        .lines()
        .map(str::trim_start)
        .skip_while(|l| !l.starts_with("```sh"))
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_migration_guide_moves_a_workspace_with_no_changes() {
    let emulator = Emulator::start(&[]);
    let mut resources = Vec::new();
    let mut arns = Vec::new();
    for (name, concurrency) in [("web", 70), ("api", 30)] {
        let asc = emulator.ok(
            "CreateAutoScalingConfiguration",
            json!({ "AutoScalingConfigurationName": format!("{name}-asc"), "MaxConcurrency": concurrency, "MaxSize": 4, "MinSize": 1,
                    "Tags": [{ "Key": "env", "Value": "prod" }] }),
        )["AutoScalingConfiguration"]
            .clone();
        arns.push(
            asc["AutoScalingConfigurationArn"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        resources.push(json!({
            "mode": "managed",
            "type": "aws_apprunner_auto_scaling_configuration_version",
            "name": name,
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [{ "schema_version": 0, "attributes": aws_asc_attributes(&asc, true), "sensitive_attributes": [] }]
        }));
    }
    let ws = Workspace::new(&emulator).with_aws_stand_in();
    ws.write_file(
        "terraform.tfstate",
        &json!({ "version": 4, "terraform_version": "1.9.8", "serial": 4, "lineage": "6b0f7c54-1f6e-4a8e-9a55-0c4c9f1a0003",
                 "outputs": {}, "resources": resources })
        .to_string(),
    );
    // The configuration as it was under the AWS provider.
    ws.write_file(
        "main.tf",
        &format!(
            r#"terraform {{
  required_providers {{
    aws       = {{ source = "hashicorp/aws" }}
    apprunner = {{ source = "{}" }}
  }}
}}

{}
resource "aws_apprunner_auto_scaling_configuration_version" "web" {{
  auto_scaling_configuration_name = "web-asc"
  max_concurrency                 = 70
  max_size                        = 4
  tags                            = {{ env = "prod" }}
}}

resource "aws_apprunner_auto_scaling_configuration_version" "api" {{
  auto_scaling_configuration_name = "api-asc"
  max_concurrency                 = 30
  max_size                        = 4
  tags                            = {{ env = "prod" }}
}}

output "web_arn" {{
  value = aws_apprunner_auto_scaling_configuration_version.web.arn
}}
"#,
            support::SOURCE,
            ws.provider_block("")
        ),
    );

    ws.run_script(&guide_script());
    let moved = std::fs::read_to_string(ws.path().join("apprunner_moved.tf")).unwrap();
    assert_eq!(moved.matches("moved {").count(), 2, "{moved}");

    let plan = ws.plan(&[]);
    for name in ["web", "api"] {
        let address = format!("apprunner_auto_scaling_configuration_version.{name}");
        assert_eq!(plan.actions(&address), vec!["no-op"]);
        assert_eq!(
            plan.0["resource_changes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["address"] == address.as_str())
                .unwrap()["previous_address"],
            json!(format!(
                "aws_apprunner_auto_scaling_configuration_version.{name}"
            ))
        );
    }
    ws.ok(&["apply", "-no-color", "tfplan"]);
    ws.assert_plan_empty(&[], "after the migration");
    let state = ws.state();
    assert_eq!(state.output("web_arn"), &json!(arns[0]));
    assert_eq!(emulator.state()["counts"]["auto_scaling_configurations"], 2);
}

/// The AWS provider may store unset tags as `{}`.
#[test]
fn empty_tags_in_aws_state_mean_no_tags() {
    let emulator = Emulator::start(&[]);
    let created = emulator.ok(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "untagged-asc", "MaxConcurrency": 100, "MaxSize": 25, "MinSize": 1 }),
    )["AutoScalingConfiguration"]
        .clone();
    let mut attributes = aws_asc_attributes(&created, true);
    attributes["tags"] = json!({});
    attributes["tags_all"] = json!({});
    let ws = Workspace::new(&emulator).with_aws_stand_in();
    ws.write_file(
        "terraform.tfstate",
        &aws_provider_state(
            "aws_apprunner_auto_scaling_configuration_version",
            "web",
            attributes,
            None,
        ),
    );
    ws.write(
        r#"
resource "apprunner_auto_scaling_configuration_version" "web" {
  auto_scaling_configuration_name = "untagged-asc"
}

moved {
  from = aws_apprunner_auto_scaling_configuration_version.web
  to   = apprunner_auto_scaling_configuration_version.web
}
"#,
    );
    for refresh in ["-refresh=false", "-refresh=true"] {
        let plan = ws.plan(&[refresh]);
        assert_eq!(
            plan.actions("apprunner_auto_scaling_configuration_version.web"),
            vec!["no-op"],
            "{refresh}"
        );
    }
}
