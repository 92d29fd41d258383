//! Acceptance tests of `apprunner_auto_scaling_configuration_version` with a
//! real Terraform CLI against the local control plane.

mod support;

use support::{Acceptance, Action, Emulator, ImportCheck, ImportKind, Step, Workspace};

const ADDR: &str = "apprunner_auto_scaling_configuration_version.test";

fn config(name: &str, max_concurrency: u32, tags: &str) -> String {
    format!(
        r#"
resource "apprunner_auto_scaling_configuration_version" "test" {{
  auto_scaling_configuration_name = "{name}"
  max_concurrency                 = {max_concurrency}
  max_size                        = 10
  min_size                        = 2
  tags                            = {tags}
}}
"#
    )
}

#[test]
fn lifecycle_create_import_update_tags_replace_destroy() {
    let emulator = Emulator::start(&[]);
    Acceptance::new(&emulator)
        .provider("  default_tags {\n    tags = { team = \"platform\" }\n  }\n")
        .step(
            Step::new(config("acc-asc", 50, r#"{ env = "test" }"#))
                .expect(ADDR, Action::Create)
                .check(|s| {
                    let v = s.values(ADDR);
                    let arn = v["arn"].as_str().unwrap();
                    assert!(arn.starts_with("arn:aws:apprunner:us-east-1:"), "{arn}");
                    assert!(
                        arn.contains(":autoscalingconfiguration/acc-asc/1/"),
                        "{arn}"
                    );
                    assert_eq!(v["id"], v["arn"]);
                    assert_eq!(v["max_concurrency"], 50);
                    assert_eq!(v["max_size"], 10);
                    assert_eq!(v["min_size"], 2);
                    assert_eq!(v["auto_scaling_configuration_revision"], 1);
                    assert_eq!(v["latest"], true);
                    assert_eq!(v["is_default"], false);
                    assert_eq!(v["has_associated_service"], false);
                    assert!(v["status"].as_str().unwrap().eq_ignore_ascii_case("active"));
                    assert_eq!(v["tags"], serde_json::json!({ "env": "test" }));
                    assert_eq!(
                        v["tags_all"],
                        serde_json::json!({ "env": "test", "team": "platform" })
                    );
                    assert_eq!(s.entry(ADDR)["identity"]["arn"], v["arn"]);
                }),
        )
        .import(ImportCheck {
            address: ADDR.into(),
            id: |v| v["arn"].as_str().unwrap().to_string(),
            ignore: vec![],
            kinds: vec![
                ImportKind::Command,
                ImportKind::BlockWithId,
                ImportKind::BlockWithIdentity,
            ],
        })
        .step(
            // Tags change in place: same revision, same ARN.
            Step::new(config("acc-asc", 50, r#"{ env = "prod", owner = "me" }"#))
                .expect(ADDR, Action::Update)
                .check(|s| {
                    let v = s.values(ADDR);
                    assert_eq!(v["auto_scaling_configuration_revision"], 1);
                    assert_eq!(
                        v["tags_all"],
                        serde_json::json!({ "env": "prod", "owner": "me", "team": "platform" })
                    );
                }),
        )
        .step(
            // A setting changes in place: a new revision of the same name.
            Step::new(config("acc-asc", 60, r#"{ env = "prod" }"#))
                .expect(ADDR, Action::Update)
                .check(|s| {
                    let v = s.values(ADDR);
                    assert_eq!(v["max_concurrency"], 60);
                    assert_eq!(v["auto_scaling_configuration_revision"], 2);
                    let arn = v["arn"].as_str().unwrap();
                    assert!(arn.contains(":autoscalingconfiguration/acc-asc/2/"), "{arn}");
                    assert_eq!(v["id"], v["arn"]);
                    assert_eq!(v["latest"], true);
                    assert_eq!(s.entry(ADDR)["identity"]["arn"], v["arn"]);
                    assert_eq!(
                        v["tags_all"],
                        serde_json::json!({ "env": "prod", "team": "platform" })
                    );
                }),
        )
        .step(
            // A name change replaces the resource.
            Step::new(config("acc-asc-renamed", 60, r#"{ env = "prod" }"#))
                .expect(ADDR, Action::Replace)
                .check(|s| {
                    let v = s.values(ADDR);
                    assert_eq!(v["auto_scaling_configuration_revision"], 1);
                    assert!(
                        v["arn"]
                            .as_str()
                            .unwrap()
                            .contains(":autoscalingconfiguration/acc-asc-renamed/1/")
                    );
                }),
        )
        .run();
}

#[test]
fn tags_removed_outside_terraform_are_restored() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("drift-asc", 20, r#"{ env = "test" }"#));
    ws.apply();
    let arn = ws.state().attr(ADDR, "arn");
    emulator.ok(
        "UntagResource",
        serde_json::json!({ "ResourceArn": arn, "TagKeys": ["env"] }),
    );
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), vec!["update"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    ws.assert_plan_empty(&[], "after restoring tags");
    ws.destroy();
}

#[test]
fn deleted_outside_terraform_is_planned_for_creation() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("gone-asc", 20, "{}"));
    ws.apply();
    let arn = ws.state().attr(ADDR, "arn");
    emulator.ok(
        "DeleteAutoScalingConfiguration",
        serde_json::json!({ "AutoScalingConfigurationArn": arn }),
    );
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), vec!["create"]);
}

/// Every argument the API model would reject is refused by `terraform
/// validate`, pointing at the attribute.
#[test]
fn invalid_arguments_are_refused_at_validate_with_their_attribute() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"auto_scaling_configuration_name = "abc""#,
            "auto_scaling_configuration_name",
            "4 to 32",
        ),
        (
            r#"auto_scaling_configuration_name = "a-name-that-is-much-too-long-for-app-runner""#,
            "auto_scaling_configuration_name",
            "4 to 32",
        ),
        (
            r#"auto_scaling_configuration_name = "-leading-hyphen""#,
            "auto_scaling_configuration_name",
            "letters, digits",
        ),
        (
            r#"auto_scaling_configuration_name = "has space""#,
            "auto_scaling_configuration_name",
            "letters, digits",
        ),
        (
            "max_concurrency = 0",
            "max_concurrency",
            "between 1 and 200",
        ),
        (
            "max_concurrency = 201",
            "max_concurrency",
            "between 1 and 200",
        ),
        ("max_concurrency = 1.5", "max_concurrency", "whole number"),
        ("max_size = 0", "max_size", "at least 1"),
        ("min_size = 0", "min_size", "between 1 and 25"),
        ("min_size = 26", "min_size", "between 1 and 25"),
        (
            "min_size = 5\n  max_size = 3",
            "min_size",
            "must not be greater than max_size",
        ),
        (r#"tags = { "aws:reserved" = "x" }"#, "tags", "aws:"),
        (r#"tags = { "" = "x" }"#, "tags", "1 to 128"),
    ];
    for (args, attribute, message) in cases {
        let name = if args.contains("auto_scaling_configuration_name") {
            ""
        } else {
            "auto_scaling_configuration_name = \"valid-name\"\n  "
        };
        ws.write(&format!(
            "resource \"apprunner_auto_scaling_configuration_version\" \"bad\" {{\n  {name}{args}\n}}\n"
        ));
        let out = ws.fails(&["validate", "-json", "-no-color"]);
        let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("validate -json");
        let diags = json["diagnostics"].as_array().unwrap();
        let hit = diags.iter().find(|d| {
            d["severity"] == "error"
                && format!("{}{}", d["summary"], d["detail"]).contains(message)
                && d["snippet"]["code"]
                    .as_str()
                    .unwrap_or_default()
                    .contains(attribute)
        });
        assert!(
            hit.is_some(),
            "{args}: expected an error at {attribute} mentioning {message:?}, got {diags:#?}"
        );
    }
    // Nothing reached the control plane.
    assert_eq!(emulator.state()["total"], 0);
}

/// One provider configuration manages a revision in another region.
#[test]
fn region_argument_places_the_object_in_another_region() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    ws.write(
        r#"
resource "apprunner_auto_scaling_configuration_version" "home" {
  auto_scaling_configuration_name = "home-asc"
}
resource "apprunner_auto_scaling_configuration_version" "away" {
  auto_scaling_configuration_name = "away-asc"
  region                          = "eu-west-1"
}
"#,
    );
    ws.apply();
    let state = ws.state();
    assert_eq!(
        state.attr(
            "apprunner_auto_scaling_configuration_version.home",
            "region"
        ),
        "us-east-1"
    );
    assert_eq!(
        state.attr(
            "apprunner_auto_scaling_configuration_version.away",
            "region"
        ),
        "eu-west-1"
    );
    assert!(
        state
            .attr("apprunner_auto_scaling_configuration_version.away", "arn")
            .starts_with("arn:aws:apprunner:eu-west-1:")
    );
    let held = emulator.state();
    let in_region = |r: &str| {
        held["regions"][r]["counts"]["auto_scaling_configurations"]
            .as_u64()
            .unwrap_or(0)
    };
    assert_eq!(
        (in_region("us-east-1"), in_region("eu-west-1")),
        (1, 1),
        "{held:#}"
    );
    ws.assert_plan_empty(&[], "after apply in two regions");
    ws.destroy();
}
