//! Acceptance tests of `apprunner_auto_scaling_configuration_version` with a
//! real Terraform CLI against the local control plane.

mod support;

use support::{
    Acceptance, Action, Emulator, ImportCheck, Step, Workspace, apply_resource_example,
    assert_validate_error, image_service, resource_example,
};

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
        .import(ImportCheck::every_way(ADDR, |v| {
            v["arn"].as_str().unwrap().to_string()
        }))
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
                    assert!(
                        arn.contains(":autoscalingconfiguration/acc-asc/2/"),
                        "{arn}"
                    );
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
        assert_validate_error(&ws, args, attribute, message);
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

// ---------------------------------------------------------------------------
// Changing a configuration that something uses (AWS #38534)

/// The active revisions of `name`, as (revision, ARN), oldest first.
fn active_revisions(emulator: &Emulator, name: &str) -> Vec<(u64, String)> {
    let list = emulator.ok(
        "ListAutoScalingConfigurations",
        serde_json::json!({ "AutoScalingConfigurationName": name }),
    );
    let mut out: Vec<(u64, String)> = list["AutoScalingConfigurationSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["Status"].as_str().unwrap().eq_ignore_ascii_case("active"))
        .map(|c| {
            (
                c["AutoScalingConfigurationRevision"].as_u64().unwrap(),
                c["AutoScalingConfigurationArn"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The configuration and a service that references its `arn`.
fn with_service(name: &str, max_concurrency: u32) -> String {
    let service = image_service(
        "web",
        &format!("{name}-web"),
        "",
        "  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.test.arn",
    );
    format!(
        r#"
resource "apprunner_auto_scaling_configuration_version" "test" {{
  auto_scaling_configuration_name = "{name}"
  max_concurrency                 = {max_concurrency}
}}
{service}"#
    )
}

/// Creates a service through the API; returns its ARN.
fn create_service(emulator: &Emulator, body: serde_json::Value) -> String {
    emulator.ok("CreateService", body)["Service"]["ServiceArn"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The auto scaling configuration a service uses, from the control plane.
fn service_asc(emulator: &Emulator, service_arn: &str) -> String {
    emulator.ok(
        "DescribeService",
        serde_json::json!({ "ServiceArn": service_arn }),
    )["Service"]["AutoScalingConfigurationSummary"]["AutoScalingConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A settings change while a service uses the configuration succeeds in
/// one apply: the new revision is made, the service moves to it, and the
/// superseded one is deleted in the same apply once the service has left
/// it. Eight changes in a row (the quota is 5 revisions per name) leave
/// only the live revision each time.
#[test]
fn a_change_while_a_service_uses_it_succeeds_in_one_apply_and_never_exhausts_the_quota() {
    let emulator = Emulator::start(&["--operation-duration", "1s"]);
    let ws = Workspace::new(&emulator);
    ws.write(&with_service("busy-asc", 10));
    ws.apply();
    let service = ws.state().attr("apprunner_service.web", "arn");
    for (i, mc) in (11..=18).enumerate() {
        ws.write(&with_service("busy-asc", mc));
        let plan = ws.plan(if i % 2 == 0 { &[] } else { &["-refresh=false"] });
        assert_eq!(plan.actions(ADDR), vec!["update"], "change {mc}");
        assert_eq!(
            plan.actions("apprunner_service.web"),
            vec!["update"],
            "change {mc}: the service follows in the same apply"
        );
        assert_eq!(plan.change(ADDR)["after_unknown"]["arn"], true);
        ws.ok(&["apply", "-no-color", "-input=false", "tfplan"]);
        let state = ws.state();
        let arn = state.attr(ADDR, "arn");
        assert_eq!(
            state.attr("apprunner_service.web", "auto_scaling_configuration_arn"),
            arn
        );
        assert_eq!(service_asc(&emulator, &service), arn);
        assert_eq!(state.values(ADDR)["max_concurrency"], mc);
        let active = active_revisions(&emulator, "busy-asc");
        assert!(
            active.len() == 1 && active[0].1 == arn,
            "change {mc}: {active:?}"
        );
    }
    ws.assert_plan_empty(&[], "after the last change");
    let active = active_revisions(&emulator, "busy-asc");
    assert_eq!(active.len(), 1, "{active:?}");
    assert_eq!(active[0].0, 9, "eight changes made revision 9");
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0, "{:#}", emulator.state());
}

/// A revision still used by something Terraform does not manage is kept
/// (a plan never deletes anything), holds up destroy with a message naming
/// it rather than being forgotten, and is deleted by the next apply of the
/// resource once it is free.
#[test]
fn a_superseded_revision_used_outside_terraform_is_deleted_once_free() {
    let emulator = Emulator::start(&["--operation-duration", "1s"]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("pinned-asc", 10, "{}"));
    ws.apply();
    let first = ws.state().attr(ADDR, "arn");
    let mut body = support::emulator::service_body("pinned-svc");
    body["AutoScalingConfigurationArn"] = serde_json::json!(first);
    let service = create_service(&emulator, body);
    emulator.wait_service(&service);

    ws.write(&config("pinned-asc", 20, "{}"));
    ws.apply();
    let second = ws.state().attr(ADDR, "arn");
    assert_ne!(first, second);
    ws.assert_plan_empty(&[], "while the service holds the old revision");
    let active: Vec<String> = active_revisions(&emulator, "pinned-asc")
        .into_iter()
        .map(|a| a.1)
        .collect();
    assert_eq!(active, vec![first.clone(), second.clone()]);

    // Destroy refuses to leave the held revision behind.
    let out = ws.fails(&["destroy", "-auto-approve", "-no-color", "-input=false"]);
    let text = out.text().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("Superseded revisions still in use")
            && text.contains(&format!("{first} (used by a service)")),
        "{}",
        out.text()
    );
    assert!(ws.state().has(ADDR));
    assert_eq!(active_revisions(&emulator, "pinned-asc").len(), 2);

    // Once the service moves on, plans still change nothing; the next
    // apply of the resource deletes the old revision.
    emulator.ok(
        "UpdateService",
        serde_json::json!({ "ServiceArn": service, "AutoScalingConfigurationArn": second }),
    );
    emulator.wait_service(&service);
    ws.assert_plan_empty(&[], "after the service moved on");
    assert_eq!(active_revisions(&emulator, "pinned-asc").len(), 2);
    ws.write(&config("pinned-asc", 30, "{}"));
    ws.apply();
    let third = ws.state().attr(ADDR, "arn");
    let active: Vec<String> = active_revisions(&emulator, "pinned-asc")
        .into_iter()
        .map(|a| a.1)
        .collect();
    assert_eq!(
        active,
        vec![second.clone(), third.clone()],
        "the free revision went first"
    );

    emulator.ok(
        "DeleteService",
        serde_json::json!({ "ServiceArn": service }),
    );
    emulator.wait_service(&service);
    ws.destroy();
    assert_eq!(emulator.state()["counts"]["auto_scaling_configurations"], 0);
}

/// Revisions held by services outside Terraform count towards App Runner's
/// quota; when they exhaust it, the error says which ones hold it.
#[test]
fn an_exhausted_quota_names_the_revisions_that_hold_it() {
    let emulator = Emulator::start(&["--operation-duration", "1s"]);
    let ws = Workspace::new(&emulator);
    let mut services = Vec::new();
    for (i, mc) in (10..=14).enumerate() {
        ws.write(&config("full-asc", mc, "{}"));
        ws.apply();
        if i < 4 {
            let mut body = support::emulator::service_body(&format!("full-svc-{i}"));
            body["AutoScalingConfigurationArn"] = serde_json::json!(ws.state().attr(ADDR, "arn"));
            services.push(create_service(&emulator, body));
        }
    }
    assert_eq!(active_revisions(&emulator, "full-asc").len(), 5);
    let held: Vec<String> = active_revisions(&emulator, "full-asc")
        .into_iter()
        .take(4)
        .map(|a| a.1)
        .collect();
    for s in &services {
        emulator.wait_service(s);
    }
    ws.write(&config("full-asc", 15, "{}"));
    let out = ws.fails(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    let text = out.text().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("CreateAutoScalingConfiguration failed for full-asc")
            && text.contains("Superseded revisions still held"),
        "{}",
        out.text()
    );
    for arn in &held {
        assert!(
            text.contains(&format!("{arn} (used by a service)")),
            "{arn}: {}",
            out.text()
        );
    }
    // Nothing was lost: the live revision is still the one in state.
    assert_eq!(ws.state().values(ADDR)["max_concurrency"], 14);
}

/// A default that references the configuration follows its new revision in
/// the same apply; the superseded revision, the default until then, goes
/// once it is free.
#[test]
fn a_default_that_references_it_follows_in_the_same_apply() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    let body = |mc: u32, default: &str| {
        format!(
            r#"
resource "apprunner_auto_scaling_configuration_version" "test" {{
  auto_scaling_configuration_name = "dflt-follow"
  max_concurrency                 = {mc}
}}
data "apprunner_auto_scaling_configuration" "builtin" {{
  name = "DefaultConfiguration"
}}
resource "apprunner_default_auto_scaling_configuration_version" "test" {{
  auto_scaling_configuration_arn = {default}
}}
"#
        )
    };
    let mine = "apprunner_auto_scaling_configuration_version.test.arn";
    ws.write(&body(10, mine));
    ws.apply();
    let first = ws.state().attr(ADDR, "arn");
    ws.write(&body(20, mine));
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), vec!["update"]);
    assert_eq!(
        plan.actions("apprunner_default_auto_scaling_configuration_version.test"),
        vec!["update"]
    );
    ws.ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    let state = ws.state();
    let arn = state.attr(ADDR, "arn");
    assert_eq!(
        state.attr(
            "apprunner_default_auto_scaling_configuration_version.test",
            "auto_scaling_configuration_arn"
        ),
        arn
    );
    // The superseded revision was the default when the new one was made;
    // it went in the same apply, once the default had moved on.
    let active = active_revisions(&emulator, "dflt-follow");
    assert_eq!(active.len(), 1, "{active:?}");
    assert_eq!(active[0].1, arn);
    assert_ne!(active[0].1, first);
    ws.assert_plan_empty(&[], "after the default followed");
    // Hand the default back to App Runner's own so that destroy can delete it.
    ws.write(&body(
        20,
        "data.apprunner_auto_scaling_configuration.builtin.arn",
    ));
    ws.apply();
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0);
}

/// The registry example applies as written, and its service follows a
/// settings change in one apply.
#[test]
fn the_example_applies_and_changes_in_place() {
    let emulator = Emulator::start(&["--operation-duration", "1s"]);
    let ws = apply_resource_example(&emulator, "apprunner_auto_scaling_configuration_version");
    let example = resource_example("apprunner_auto_scaling_configuration_version");
    ws.write(&example.replace("max_concurrency = 50", "max_concurrency = 60"));
    ws.apply();
    ws.assert_plan_empty(&[], "after changing the example");
    assert_eq!(active_revisions(&emulator, "example").len(), 1);
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0);
}

/// A create whose response is lost (the SDK retries it) leaves exactly one
/// revision: the resource's. The same holds for a new revision of an update.
#[test]
fn a_lost_create_response_leaves_exactly_one_revision() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    emulator.add_fault(serde_json::json!({
        "operation": "CreateAutoScalingConfiguration", "kind": "drop_response", "count": 1
    }));
    ws.write(&config("lost-asc", 10, "{}"));
    let out = ws.run(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    let active = active_revisions(&emulator, "lost-asc");
    assert_eq!(active.len(), 1, "{active:?}\n{}", out.text());
    assert_eq!(out.code, 0, "{}", out.text());
    assert_eq!(ws.state().attr(ADDR, "arn"), active[0].1);

    emulator.add_fault(serde_json::json!({
        "operation": "CreateAutoScalingConfiguration", "kind": "drop_response", "count": 1
    }));
    ws.write(&config("lost-asc", 20, "{}"));
    ws.apply();
    let active = active_revisions(&emulator, "lost-asc");
    assert_eq!(active.len(), 1, "{active:?}");
    assert_eq!(ws.state().attr(ADDR, "arn"), active[0].1);

    // Every attempt's answer lost (two, with one retry allowed): the SDK
    // gives up, and a revision its attempts made is adopted, the other
    // deleted, rather than left behind.
    emulator.add_fault(serde_json::json!({
        "operation": "CreateAutoScalingConfiguration", "kind": "drop_response", "count": 2
    }));
    ws.write_with_provider(
        &ws.provider_block("  max_retries = 1\n"),
        &config("lost-asc", 30, "{}"),
    );
    let out = ws.apply();
    emulator.admin("DELETE", "/_emulator/faults", serde_json::json!({}));
    let active = active_revisions(&emulator, "lost-asc");
    assert_eq!(active.len(), 1, "{active:?}\n{}", out.text());
    let state = ws.state();
    assert_eq!(state.attr(ADDR, "arn"), active[0].1);
    assert_eq!(state.values(ADDR)["max_concurrency"], 30);
    ws.assert_plan_empty(&[], "after lost responses");
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0);
}
