//! Acceptance tests of `apprunner_observability_configuration` with a real
//! Terraform CLI against the local control plane.

mod support;

use serde_json::json;
use support::{
    Acceptance, Action, Emulator, ImportCheck, Step, Workspace, assert_resource_example_applies,
    assert_validate_error,
};

const ADDR: &str = "apprunner_observability_configuration.test";

fn config(name: &str, trace: bool, tags: &str) -> String {
    let trace = if trace {
        "\n  trace_configuration {\n    vendor = \"AWSXRAY\"\n  }\n"
    } else {
        ""
    };
    format!(
        r#"
resource "apprunner_observability_configuration" "test" {{
  observability_configuration_name = "{name}"
  tags                             = {tags}{trace}
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
            Step::new(config("acc-obs", true, r#"{ env = "test" }"#))
                .expect(ADDR, Action::Create)
                .check(|s| {
                    let v = s.values(ADDR);
                    let arn = v["arn"].as_str().unwrap();
                    assert!(
                        arn.starts_with("arn:aws:apprunner:us-east-1:")
                            && arn.contains(":observabilityconfiguration/acc-obs/1/"),
                        "{arn}"
                    );
                    assert_eq!(v["id"], v["arn"]);
                    assert_eq!(v["region"], "us-east-1");
                    assert_eq!(v["observability_configuration_revision"], 1);
                    assert_eq!(v["latest"], true);
                    assert!(v["status"].as_str().unwrap().eq_ignore_ascii_case("active"));
                    assert_eq!(v["trace_configuration"], json!([{ "vendor": "AWSXRAY" }]));
                    assert_eq!(v["tags"], json!({ "env": "test" }));
                    assert_eq!(v["tags_all"], json!({ "env": "test", "team": "platform" }));
                    assert_eq!(s.entry(ADDR)["identity"]["arn"], v["arn"]);
                }),
        )
        .import(ImportCheck::every_way(ADDR, |v| {
            v["arn"].as_str().unwrap().to_string()
        }))
        .step(
            // Tags change in place: same revision, same ARN.
            Step::new(config("acc-obs", true, r#"{ env = "prod" }"#))
                .expect(ADDR, Action::Update)
                .check(|s| {
                    let v = s.values(ADDR);
                    assert_eq!(v["observability_configuration_revision"], 1);
                    assert_eq!(v["tags_all"], json!({ "env": "prod", "team": "platform" }));
                }),
        )
        .step(
            // Revisions are immutable: dropping tracing makes a new one.
            Step::new(config("acc-obs", false, r#"{ env = "prod" }"#))
                .expect(ADDR, Action::Replace)
                .check(|s| {
                    let v = s.values(ADDR);
                    assert_eq!(v["trace_configuration"], json!([]));
                    assert_eq!(v["observability_configuration_revision"], 2);
                }),
        )
        .step(
            Step::new(config("acc-obs-renamed", false, r#"{ env = "prod" }"#))
                .expect(ADDR, Action::Replace)
                .check(|s| {
                    let v = s.values(ADDR);
                    assert!(
                        v["arn"]
                            .as_str()
                            .unwrap()
                            .contains(":observabilityconfiguration/acc-obs-renamed/1/")
                    );
                }),
        )
        .run();
}

/// The AWS provider accepts a trace configuration change and never sends
/// it; here the plan says it replaces the configuration, and why.
#[test]
fn adding_tracing_plans_a_replacement_that_reaches_app_runner() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("trace-obs", false, "{}"));
    ws.apply();
    let before = ws.state().attr(ADDR, "arn");
    ws.write(&config("trace-obs", true, "{}"));
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), vec!["delete", "create"]);
    assert_eq!(
        plan.replace_paths(ADDR),
        vec![json!(["trace_configuration"])]
    );
    ws.ok(&["apply", "-no-color", "tfplan"]);
    let after = ws.state().attr(ADDR, "arn");
    assert_ne!(before, after);
    let remote = emulator.ok(
        "DescribeObservabilityConfiguration",
        json!({ "ObservabilityConfigurationArn": after }),
    );
    assert_eq!(
        remote["ObservabilityConfiguration"]["TraceConfiguration"]["Vendor"],
        "AWSXRAY"
    );
    ws.assert_plan_empty(&[], "after adding tracing");
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0);
}

#[test]
fn deleted_outside_terraform_is_planned_for_creation() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("gone-obs", true, "{}"));
    ws.apply();
    let arn = ws.state().attr(ADDR, "arn");
    emulator.ok(
        "DeleteObservabilityConfiguration",
        json!({ "ObservabilityConfigurationArn": arn }),
    );
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), vec!["create"]);
}

#[test]
fn tags_changed_outside_terraform_are_restored() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("drift-obs", false, r#"{ env = "test" }"#));
    ws.apply();
    let arn = ws.state().attr(ADDR, "arn");
    emulator.ok(
        "TagResource",
        json!({ "ResourceArn": arn, "Tags": [{ "Key": "env", "Value": "changed" }] }),
    );
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), vec!["update"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    ws.assert_plan_empty(&[], "after restoring tags");
    ws.destroy();
}

/// Every argument the API model would reject is refused by `terraform
/// validate`, pointing at the attribute.
#[test]
fn invalid_arguments_are_refused_at_validate_with_their_attribute() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"observability_configuration_name = "abc""#,
            "observability_configuration_name",
            "4 to 32",
        ),
        (
            r#"observability_configuration_name = "a-name-that-is-much-too-long-for-app-runner""#,
            "observability_configuration_name",
            "4 to 32",
        ),
        (
            r#"observability_configuration_name = "_leading""#,
            "observability_configuration_name",
            "letters, digits",
        ),
        (
            r#"observability_configuration_name = "has.dot""#,
            "observability_configuration_name",
            "letters, digits",
        ),
        (
            "trace_configuration {\n    vendor = \"JAEGER\"\n  }",
            "vendor",
            "AWSXRAY",
        ),
        (
            "trace_configuration {\n  }",
            "trace_configuration",
            "vendor",
        ),
        (
            "trace_configuration {\n    vendor = \"AWSXRAY\"\n  }\n  trace_configuration {\n    vendor = \"AWSXRAY\"\n  }",
            "trace_configuration",
            "No more than 1",
        ),
        (r#"tags = { "aws:reserved" = "x" }"#, "tags", "aws:"),
    ];
    for (args, attribute, message) in cases {
        let name = if args.contains("observability_configuration_name") {
            ""
        } else {
            "observability_configuration_name = \"valid-name\"\n  "
        };
        ws.write(&format!(
            "resource \"apprunner_observability_configuration\" \"bad\" {{\n  {name}{args}\n}}\n"
        ));
        assert_validate_error(&ws, args, attribute, message);
    }
    assert_eq!(emulator.state()["total"], 0);
}

#[test]
fn import_refuses_an_id_that_is_not_an_observability_arn() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("imp-obs", false, "{}"));
    let out = ws.fails(&[
        "import",
        "-no-color",
        ADDR,
        "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/x/1/abc",
    ]);
    assert!(
        out.text()
            .contains("observabilityconfiguration/NAME/REVISION/ID"),
        "{}",
        out.text()
    );
}

#[test]
fn the_example_applies() {
    let emulator = Emulator::start(&[]);
    assert_resource_example_applies(&emulator, "apprunner_observability_configuration");
}

/// A create whose answer is lost leaves exactly one revision, whether the
/// SDK's retry succeeds or every attempt's answer is lost.
#[test]
fn a_lost_create_response_leaves_exactly_one_revision() {
    let emulator = Emulator::start(&[]);
    let active = |name: &str| -> Vec<String> {
        emulator.ok(
            "ListObservabilityConfigurations",
            json!({ "ObservabilityConfigurationName": name }),
        )["ObservabilityConfigurationSummaryList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                c["ObservabilityConfigurationArn"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    // With one retry allowed, two lost answers make the SDK give up.
    for (name, count) in [("lost-once", 1), ("lost-always", 2)] {
        emulator.add_fault(json!({
            "operation": "CreateObservabilityConfiguration", "kind": "drop_response", "count": count
        }));
        let ws = Workspace::new(&emulator);
        ws.write_with_provider(
            &ws.provider_block("  max_retries = 1\n"),
            &config(name, true, "{}"),
        );
        let out = ws.apply();
        emulator.admin("DELETE", "/_emulator/faults", json!({}));
        let arns = active(name);
        assert_eq!(arns.len(), 1, "{name}: {arns:?}\n{}", out.text());
        assert_eq!(ws.state().attr(ADDR, "arn"), arns[0], "{name}");
        ws.assert_plan_empty(&[], name);
        ws.destroy();
    }
    assert_eq!(emulator.state()["total"], 0);
}
