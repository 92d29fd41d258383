//! Acceptance tests of `apprunner_default_auto_scaling_configuration_version`
//! with a real Terraform CLI against the local control plane.

mod support;

use serde_json::json;
use support::{
    Acceptance, Action, Emulator, ImportCheck, Step, Workspace, apply_resource_example,
    assert_validate_error,
};

const ADDR: &str = "apprunner_default_auto_scaling_configuration_version.test";

/// Two configurations (created through the API, so that import checks in
/// fresh workspaces create nothing), and the default pointing at `target`
/// (a Terraform expression).
fn config(target: &str) -> String {
    format!(
        r#"
data "apprunner_auto_scaling_configuration" "test" {{
  count = 2
  name  = "dflt-asc-${{count.index}}"
}}
data "apprunner_auto_scaling_configuration" "builtin" {{
  name = "DefaultConfiguration"
}}
resource "apprunner_default_auto_scaling_configuration_version" "test" {{
  auto_scaling_configuration_arn = {target}
}}
"#
    )
}

/// The ARN of the region's current default, from the control plane.
fn remote_default(emulator: &Emulator, region: &str) -> String {
    let list = emulator
        .call_in(region, "ListAutoScalingConfigurations", json!({}))
        .expect("list");
    list["AutoScalingConfigurationSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["IsDefault"] == true)
        .map(|c| {
            c["AutoScalingConfigurationArn"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .expect("a default exists")
}

fn create_asc(emulator: &Emulator, name: &str) -> String {
    emulator.ok(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": name }),
    )["AutoScalingConfiguration"]["AutoScalingConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn lifecycle_create_import_update_destroy() {
    let emulator = Emulator::start(&[]);
    let configurations = [
        create_asc(&emulator, "dflt-asc-0"),
        create_asc(&emulator, "dflt-asc-1"),
    ];
    let mut acceptance = Acceptance::new(&emulator)
        .step(
            Step::new(config(
                "data.apprunner_auto_scaling_configuration.test[0].arn",
            ))
            .expect(ADDR, Action::Create)
            .check(|s| {
                let v = s.values(ADDR);
                assert_eq!(v["id"], "us-east-1");
                assert_eq!(v["region"], "us-east-1");
                assert_eq!(s.entry(ADDR)["identity"], json!({ "region": "us-east-1" }));
                assert_eq!(
                    v["auto_scaling_configuration_arn"],
                    s.values("data.apprunner_auto_scaling_configuration.test[0]")["arn"]
                );
            }),
        )
        .import(ImportCheck::every_way(ADDR, |v| {
            v["region"].as_str().unwrap().to_string()
        }))
        .step(
            Step::new(config(
                "data.apprunner_auto_scaling_configuration.test[1].arn",
            ))
            .expect(ADDR, Action::Update)
            .check(|s| {
                assert_eq!(
                    s.values(ADDR)["auto_scaling_configuration_arn"],
                    s.values("data.apprunner_auto_scaling_configuration.test[1]")["arn"]
                );
            }),
        )
        .step(
            // Back to App Runner's own default, so that both
            // configurations can be deleted.
            Step::new(config(
                "data.apprunner_auto_scaling_configuration.builtin.arn",
            ))
            .expect(ADDR, Action::Update)
            .check(|s| {
                assert_eq!(
                    s.values(ADDR)["auto_scaling_configuration_arn"],
                    s.values("data.apprunner_auto_scaling_configuration.builtin")["arn"]
                );
            }),
        );
    // The configurations are not Terraform's; they go after the check.
    acceptance.allow_after_destroy = vec!["auto_scaling_configurations"];
    acceptance.run();
    for arn in configurations {
        emulator.ok(
            "DeleteAutoScalingConfiguration",
            json!({ "AutoScalingConfigurationArn": arn }),
        );
    }
    assert_eq!(emulator.state()["total"], 0);
}

/// App Runner cannot unset a default: destroy hands it back to the one
/// that was the default before, which the configuration can then be deleted.
#[test]
fn destroy_hands_the_default_back_to_the_previous_one() {
    let emulator = Emulator::start(&[]);
    let before = create_asc(&emulator, "before-default");
    emulator.ok(
        "UpdateDefaultAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": before }),
    );
    let arn = create_asc(&emulator, "kept-default");
    let ws = Workspace::new(&emulator);
    ws.write(&format!(
        "resource \"apprunner_default_auto_scaling_configuration_version\" \"test\" {{\n  auto_scaling_configuration_arn = \"{arn}\"\n}}\n"
    ));
    ws.apply();
    assert_eq!(remote_default(&emulator, "us-east-1"), arn);
    let out = ws.destroy();
    assert!(!out.text().contains("App Runner keeps"), "{}", out.text());
    assert!(!ws.state().has(ADDR));
    assert_eq!(remote_default(&emulator, "us-east-1"), before);
    // So the configuration can go.
    emulator.ok(
        "DeleteAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": arn }),
    );
}

/// When the previous default is gone, App Runner's own takes over; the same
/// after an import, which cannot know the previous default.
#[test]
fn destroy_falls_back_to_app_runners_default_configuration() {
    let emulator = Emulator::start(&[]);
    let builtin = remote_default(&emulator, "us-east-1");
    assert!(builtin.contains(":autoscalingconfiguration/DefaultConfiguration/"));
    let before = create_asc(&emulator, "gone-default");
    emulator.ok(
        "UpdateDefaultAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": before }),
    );
    let arn = create_asc(&emulator, "mine-default");
    let body = format!(
        "resource \"apprunner_default_auto_scaling_configuration_version\" \"test\" {{\n  auto_scaling_configuration_arn = \"{arn}\"\n}}\n"
    );
    let ws = Workspace::new(&emulator);
    ws.write(&body);
    ws.apply();
    emulator.ok(
        "DeleteAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": before }),
    );
    ws.destroy();
    assert_eq!(remote_default(&emulator, "us-east-1"), builtin);

    // Imported: no previous default known.
    emulator.ok(
        "UpdateDefaultAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": arn }),
    );
    let imported = Workspace::new(&emulator);
    imported.write(&body);
    imported.ok(&["import", "-no-color", "-input=false", ADDR, "us-east-1"]);
    imported.assert_plan_empty(&[], "after import");
    imported.destroy();
    assert_eq!(remote_default(&emulator, "us-east-1"), builtin);
}

/// A stack that creates a configuration and makes it the default destroys
/// in one `terraform destroy`, leaving nothing behind.
#[test]
fn a_stack_that_sets_its_own_default_destroys_cleanly() {
    let emulator = Emulator::start(&[]);
    let builtin = remote_default(&emulator, "us-east-1");
    let ws = Workspace::new(&emulator);
    ws.write(
        r#"
resource "apprunner_auto_scaling_configuration_version" "own" {
  auto_scaling_configuration_name = "own-default"
  max_size                        = 5
}
resource "apprunner_default_auto_scaling_configuration_version" "test" {
  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.own.arn
}
"#,
    );
    ws.apply();
    assert_eq!(
        remote_default(&emulator, "us-east-1"),
        ws.state()
            .attr("apprunner_auto_scaling_configuration_version.own", "arn")
    );
    ws.destroy();
    assert!(ws.state().resources().is_empty());
    assert_eq!(remote_default(&emulator, "us-east-1"), builtin);
    assert_eq!(emulator.state()["total"], 0, "{:#}", emulator.state());
}

/// A service that uses the account default has no edge to the
/// configuration in Terraform's graph, so one `terraform destroy` deletes
/// both at once; App Runner refuses to delete a configuration while the
/// service is still being deleted, and the provider waits for it.
#[test]
fn services_on_the_default_do_not_block_its_destroy() {
    let emulator = Emulator::start(&["--operation-duration", "3s"]);
    let ws = Workspace::new(&emulator);
    let default = r#"
resource "apprunner_auto_scaling_configuration_version" "own" {
  auto_scaling_configuration_name = "own-default"
  max_size                        = 5
}
resource "apprunner_default_auto_scaling_configuration_version" "test" {
  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.own.arn
}
"#;
    ws.write(default);
    ws.apply();
    // A service created later, with no auto scaling configuration of its
    // own and no edge to the default: it uses the default.
    ws.write(&format!(
        r#"{default}
resource "apprunner_service" "on_default" {{
  service_name = "on-default"
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:latest"
      image_repository_type = "ECR_PUBLIC"
    }}
  }}
}}
"#
    ));
    ws.apply();
    let state = ws.state();
    assert_eq!(
        state.attr(
            "apprunner_service.on_default",
            "auto_scaling_configuration_arn"
        ),
        state.attr("apprunner_auto_scaling_configuration_version.own", "arn")
    );
    // Terraform deletes the service and the configuration at once; the
    // configuration's delete waits for the service's.
    ws.destroy();
    assert!(ws.state().resources().is_empty());
    assert_eq!(emulator.state()["total"], 0, "{:#}", emulator.state());
}

#[test]
fn a_default_changed_outside_terraform_is_restored() {
    let emulator = Emulator::start(&[]);
    let mine = create_asc(&emulator, "mine-default");
    let other = create_asc(&emulator, "other-default");
    let ws = Workspace::new(&emulator);
    ws.write(&format!(
        "resource \"apprunner_default_auto_scaling_configuration_version\" \"test\" {{\n  auto_scaling_configuration_arn = \"{mine}\"\n}}\n"
    ));
    ws.apply();
    emulator.ok(
        "UpdateDefaultAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": other }),
    );
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), vec!["update"]);
    assert_eq!(
        plan.change(ADDR)["before"]["auto_scaling_configuration_arn"],
        other.as_str()
    );
    ws.ok(&["apply", "-no-color", "tfplan"]);
    assert_eq!(remote_default(&emulator, "us-east-1"), mine);
    ws.assert_plan_empty(&[], "after restoring the default");
}

/// A partial ARN (`…/NAME`, the latest revision) is kept as written: no
/// perpetual diff against the full ARN App Runner reports.
#[test]
fn a_partial_arn_keeps_its_form() {
    let emulator = Emulator::start(&[]);
    let full = create_asc(&emulator, "partial-default");
    let partial = full.split('/').take(2).collect::<Vec<_>>().join("/");
    assert!(partial.ends_with(":autoscalingconfiguration/partial-default"));
    let ws = Workspace::new(&emulator);
    ws.write(&format!(
        "resource \"apprunner_default_auto_scaling_configuration_version\" \"test\" {{\n  auto_scaling_configuration_arn = \"{partial}\"\n}}\n"
    ));
    ws.apply();
    assert_eq!(remote_default(&emulator, "us-east-1"), full);
    assert_eq!(
        ws.state().attr(ADDR, "auto_scaling_configuration_arn"),
        partial
    );
    ws.assert_plan_empty(&[], "partial ARN after refresh");
}

/// `region` manages another region's default; the configuration must be
/// one of that region's.
#[test]
fn region_argument_manages_another_regions_default() {
    let emulator = Emulator::start(&[]);
    let away = emulator
        .call_in(
            "eu-west-1",
            "CreateAutoScalingConfiguration",
            json!({ "AutoScalingConfigurationName": "away-default" }),
        )
        .expect("create in eu-west-1")["AutoScalingConfiguration"]["AutoScalingConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    let home_before = remote_default(&emulator, "us-east-1");
    let ws = Workspace::new(&emulator);
    ws.write(&format!(
        "resource \"apprunner_default_auto_scaling_configuration_version\" \"test\" {{\n  auto_scaling_configuration_arn = \"{away}\"\n  region = \"eu-west-1\"\n}}\n"
    ));
    ws.apply();
    assert_eq!(ws.state().attr(ADDR, "id"), "eu-west-1");
    assert_eq!(remote_default(&emulator, "eu-west-1"), away);
    assert_eq!(remote_default(&emulator, "us-east-1"), home_before);
    ws.assert_plan_empty(&[], "default in another region");

    // A configuration of another region is refused at plan time.
    ws.write(&format!(
        "resource \"apprunner_default_auto_scaling_configuration_version\" \"test\" {{\n  auto_scaling_configuration_arn = \"{away}\"\n}}\n"
    ));
    let out = ws.fails(&["plan", "-no-color", "-input=false"]);
    let text = out.text().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("Auto scaling configuration in another region")
            && text.contains(&format!("{away} is not in us-east-1"))
            && text.contains("auto_scaling_configuration_arn ="),
        "{}",
        out.text()
    );
}

#[test]
fn import_takes_a_region_or_an_account_id() {
    let emulator = Emulator::start(&[]);
    let arn = create_asc(&emulator, "import-default");
    emulator.ok(
        "UpdateDefaultAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": arn }),
    );
    let account = arn.split(':').nth(4).unwrap().to_string();
    for id in ["us-east-1", account.as_str()] {
        let ws = Workspace::new(&emulator);
        ws.write(&format!(
            "resource \"apprunner_default_auto_scaling_configuration_version\" \"test\" {{\n  auto_scaling_configuration_arn = \"{arn}\"\n}}\n"
        ));
        ws.ok(&["import", "-no-color", ADDR, id]);
        let state = ws.state();
        assert_eq!(state.attr(ADDR, "id"), "us-east-1", "import {id}");
        assert_eq!(state.attr(ADDR, "auto_scaling_configuration_arn"), arn);
        ws.assert_plan_empty(&[], "after import");
    }
    let ws = Workspace::new(&emulator);
    ws.write(&format!(
        "resource \"apprunner_default_auto_scaling_configuration_version\" \"test\" {{\n  auto_scaling_configuration_arn = \"{arn}\"\n}}\n"
    ));
    let out = ws.fails(&["import", "-no-color", ADDR, &arn]);
    assert!(out.text().contains("Invalid import ID"), "{}", out.text());
}

#[test]
fn invalid_arguments_are_refused_at_validate_with_their_attribute() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    let cases: &[(&str, &str, &str)] = &[
        ("", "apprunner_default", "auto_scaling_configuration_arn"),
        (
            r#"auto_scaling_configuration_arn = "not-an-arn""#,
            "auto_scaling_configuration_arn",
            "App Runner ARN",
        ),
        (
            r#"auto_scaling_configuration_arn = "arn:aws:apprunner:us-east-1:123456789012:service/web/0123456789abcdef""#,
            "auto_scaling_configuration_arn",
            "autoscalingconfiguration",
        ),
        (
            r#"auto_scaling_configuration_arn = "arn:aws:apprunner:us-east-1:1234:autoscalingconfiguration/web/1/abc""#,
            "auto_scaling_configuration_arn",
            "App Runner ARN",
        ),
    ];
    for (args, attribute, message) in cases {
        ws.write(&format!(
            "resource \"apprunner_default_auto_scaling_configuration_version\" \"bad\" {{\n  {args}\n}}\n"
        ));
        assert_validate_error(&ws, args, attribute, message);
    }
    assert_eq!(emulator.state()["total"], 0);
}

/// The registry example applies as written, and destroys whole.
#[test]
fn the_example_applies() {
    let emulator = Emulator::start(&[]);
    let ws = apply_resource_example(
        &emulator,
        "apprunner_default_auto_scaling_configuration_version",
    );
    assert_eq!(
        remote_default(&emulator, "us-east-1"),
        ws.state().attr(
            "apprunner_auto_scaling_configuration_version.example",
            "arn"
        )
    );
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0);
}
