//! Tests of the `apprunner_auto_scaling_configuration` and
//! `apprunner_observability_configuration` data sources with a real
//! Terraform CLI against the local control plane.

mod support;

use serde_json::{Value, json};
use support::{Emulator, Workspace, assert_validate_error, data_source_example};

/// Creates auto scaling configuration revisions through the API; returns
/// their ARNs.
fn asc_revisions(emulator: &Emulator, name: &str, concurrencies: &[u32]) -> Vec<String> {
    concurrencies
        .iter()
        .map(|mc| {
            emulator.ok(
                "CreateAutoScalingConfiguration",
                json!({
                    "AutoScalingConfigurationName": name,
                    "MaxConcurrency": mc,
                    "MinSize": 2,
                    "MaxSize": 7,
                    "Tags": [{ "Key": "env", "Value": "test" }],
                }),
            )["AutoScalingConfiguration"]["AutoScalingConfigurationArn"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Text with line breaks and runs of spaces made single spaces.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn outputs(ws: &Workspace) -> Value {
    let out = ws.ok(&["output", "-json", "-no-color"]);
    let all: Value = serde_json::from_str(&out.stdout).unwrap();
    let mut values = serde_json::Map::new();
    for (k, v) in all.as_object().unwrap() {
        values.insert(k.clone(), v["value"].clone());
    }
    Value::Object(values)
}

#[test]
fn auto_scaling_configuration_by_name_latest_revision_and_arn() {
    let emulator = Emulator::start(&[]);
    let arns = asc_revisions(&emulator, "ds-asc", &[10, 20, 30]);
    let ws = Workspace::new(&emulator);
    ws.write(&format!(
        r#"
data "apprunner_auto_scaling_configuration" "latest" {{
  name = "ds-asc"
}}
data "apprunner_auto_scaling_configuration" "explicit_latest" {{
  name   = "ds-asc"
  latest = true
}}
data "apprunner_auto_scaling_configuration" "second" {{
  name     = "ds-asc"
  revision = 2
}}
data "apprunner_auto_scaling_configuration" "third" {{
  name     = "ds-asc"
  revision = 3
  latest   = false
}}
data "apprunner_auto_scaling_configuration" "by_arn" {{
  arn = "{first}"
}}
data "apprunner_auto_scaling_configuration" "builtin" {{
  name = "DefaultConfiguration"
}}
output "latest" {{ value = data.apprunner_auto_scaling_configuration.latest }}
output "explicit_latest" {{ value = data.apprunner_auto_scaling_configuration.explicit_latest.arn }}
output "second" {{ value = data.apprunner_auto_scaling_configuration.second }}
output "by_arn" {{ value = data.apprunner_auto_scaling_configuration.by_arn }}
output "third" {{ value = data.apprunner_auto_scaling_configuration.third }}
output "builtin" {{ value = data.apprunner_auto_scaling_configuration.builtin }}
"#,
        first = arns[0]
    ));
    ws.apply();
    let o = outputs(&ws);
    let latest = &o["latest"];
    assert_eq!(latest["arn"], arns[2].as_str());
    assert_eq!(latest["id"], arns[2].as_str());
    assert_eq!(latest["name"], "ds-asc");
    assert_eq!(latest["revision"], 3);
    assert_eq!(latest["latest"], true);
    assert_eq!(latest["max_concurrency"], 30);
    assert_eq!(latest["min_size"], 2);
    assert_eq!(latest["max_size"], 7);
    assert_eq!(latest["has_associated_service"], false);
    assert_eq!(latest["is_default"], false);
    assert_eq!(latest["region"], "us-east-1");
    assert!(
        latest["status"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("active")
    );
    assert_eq!(latest["tags"], json!({ "env": "test" }));
    assert_eq!(o["explicit_latest"], arns[2].as_str());
    assert_eq!(o["second"]["arn"], arns[1].as_str());
    assert_eq!(o["second"]["max_concurrency"], 20);
    assert_eq!(o["second"]["latest"], false);
    assert_eq!(o["by_arn"]["name"], "ds-asc");
    assert_eq!(o["by_arn"]["revision"], 1);
    assert_eq!(o["by_arn"]["max_concurrency"], 10);
    // `latest` reports what was found, whatever selected it.
    assert_eq!(o["third"]["arn"], arns[2].as_str());
    assert_eq!(o["third"]["latest"], true);
    // App Runner's own default is found like any other configuration.
    assert_eq!(o["builtin"]["is_default"], true);
    assert_eq!(o["builtin"]["revision"], 1);
    ws.assert_plan_empty(&[], "data sources read again");
}

/// A data source finds the revision a managed configuration just made, and
/// follows it when the configuration changes in place.
#[test]
fn auto_scaling_configuration_follows_a_managed_configuration() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    let body = |mc: u32| {
        format!(
            r#"
resource "apprunner_auto_scaling_configuration_version" "test" {{
  auto_scaling_configuration_name = "ds-managed"
  max_concurrency                 = {mc}
}}
data "apprunner_auto_scaling_configuration" "test" {{
  arn = apprunner_auto_scaling_configuration_version.test.arn
}}
output "found" {{ value = data.apprunner_auto_scaling_configuration.test }}
"#
        )
    };
    ws.write(&body(40));
    ws.apply();
    let state = ws.state();
    let arn = state.attr("apprunner_auto_scaling_configuration_version.test", "arn");
    assert_eq!(state.output("found")["arn"], arn.as_str());
    assert_eq!(state.output("found")["max_concurrency"], 40);
    ws.write(&body(41));
    ws.apply();
    let state = ws.state();
    assert_eq!(state.output("found")["revision"], 2);
    assert_eq!(state.output("found")["max_concurrency"], 41);
    ws.destroy();
}

#[test]
fn observability_configuration_by_name_latest_revision_and_arn() {
    let emulator = Emulator::start(&[]);
    let first = emulator.ok(
        "CreateObservabilityConfiguration",
        json!({ "ObservabilityConfigurationName": "ds-obs", "TraceConfiguration": { "Vendor": "AWSXRAY" } }),
    )["ObservabilityConfiguration"]["ObservabilityConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    let second = emulator.ok(
        "CreateObservabilityConfiguration",
        json!({ "ObservabilityConfigurationName": "ds-obs", "Tags": [{ "Key": "k", "Value": "v" }] }),
    )["ObservabilityConfiguration"]["ObservabilityConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    let ws = Workspace::new(&emulator);
    ws.write(&format!(
        r#"
data "apprunner_observability_configuration" "latest" {{
  name = "ds-obs"
}}
data "apprunner_observability_configuration" "first" {{
  name     = "ds-obs"
  revision = 1
}}
data "apprunner_observability_configuration" "by_arn" {{
  arn = "{first}"
}}
output "latest" {{ value = data.apprunner_observability_configuration.latest }}
output "first" {{ value = data.apprunner_observability_configuration.first }}
output "by_arn" {{ value = data.apprunner_observability_configuration.by_arn }}
"#
    ));
    ws.apply();
    let o = outputs(&ws);
    assert_eq!(o["latest"]["arn"], second.as_str());
    assert_eq!(o["latest"]["revision"], 2);
    assert_eq!(o["latest"]["latest"], true);
    assert_eq!(o["latest"]["trace_configuration"], json!([]));
    assert_eq!(o["latest"]["tags"], json!({ "k": "v" }));
    assert!(
        o["latest"]["status"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("active")
    );
    assert_eq!(o["first"]["arn"], first.as_str());
    assert_eq!(o["first"]["latest"], false);
    assert_eq!(
        o["first"]["trace_configuration"],
        json!([{ "vendor": "AWSXRAY" }])
    );
    assert_eq!(o["by_arn"]["name"], "ds-obs");
    assert_eq!(o["by_arn"]["revision"], 1);
    ws.assert_plan_empty(&[], "data sources read again");
}

#[test]
fn a_configuration_that_does_not_exist_is_an_error_naming_the_lookup() {
    let emulator = Emulator::start(&[]);
    asc_revisions(&emulator, "ds-missing", &[10]);
    let ws = Workspace::new(&emulator);
    for (block, message) in [
        (
            r#"data "apprunner_auto_scaling_configuration" "x" { name = "no-such-name" }"#,
            "no-such-name (latest revision) in us-east-1",
        ),
        (
            r#"data "apprunner_auto_scaling_configuration" "x" {
  name     = "ds-missing"
  revision = 4
}"#,
            "ds-missing revision 4 in us-east-1",
        ),
        (
            r#"data "apprunner_observability_configuration" "x" { name = "no-such-obs" }"#,
            "no active observability configuration no-such-obs",
        ),
    ] {
        ws.write(block);
        let out = ws.fails(&["plan", "-no-color", "-input=false"]);
        assert!(
            flat(&out.text()).contains(message),
            "{block}: {}",
            out.text()
        );
    }
    // A deleted revision is not found either.
    let arn = asc_revisions(&emulator, "ds-deleted", &[10]).remove(0);
    emulator.ok(
        "DeleteAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": arn }),
    );
    ws.write(&format!(
        "data \"apprunner_auto_scaling_configuration\" \"x\" {{\n  arn = \"{arn}\"\n}}\n"
    ));
    let out = ws.fails(&["plan", "-no-color", "-input=false"]);
    assert!(
        out.text().contains("Auto scaling configuration not found"),
        "{}",
        out.text()
    );
}

/// Lookups the API would refuse, or that name no single revision, are
/// refused by `terraform validate`, pointing at the attribute.
#[test]
fn invalid_lookups_are_refused_at_validate_with_their_attribute() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    let arn = "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/web/1/0123456789abcdef0123456789abcdef";
    let cases: Vec<(String, &str, &str)> = vec![
        ("".into(), "apprunner_", "Set `arn`, or `name`"),
        (
            format!("arn = \"{arn}\"\n  name = \"web1\""),
            "name",
            "not both",
        ),
        (
            format!("arn = \"{arn}\"\n  revision = 1"),
            "revision",
            "an ARN already names one revision",
        ),
        (
            format!("arn = \"{arn}\"\n  latest = true"),
            "latest",
            "an ARN already names one revision",
        ),
        (
            "name = \"web1\"\n  latest = true\n  revision = 2".into(),
            "latest",
            "not both",
        ),
        (
            "name = \"web1\"\n  latest = false".into(),
            "latest",
            "set the `revision`",
        ),
        ("name = \"abc\"".into(), "name", "4 to 32"),
        ("name = \"-bad-name\"".into(), "name", "letters, digits"),
        (
            "name = \"web1\"\n  revision = 0".into(),
            "revision",
            "at least 1",
        ),
        ("arn = \"not-an-arn\"".into(), "arn", "App Runner ARN"),
        (
            format!("arn = \"{arn}\"\n  region = \"eu-west-1\""),
            "region",
            "The ARN is in us-east-1",
        ),
        (
            "arn = \"arn:aws:apprunner:us-east-1:123456789012:service/web/0123456789abcdef\""
                .into(),
            "arn",
            "autoscalingconfiguration",
        ),
    ];
    for kind in [
        "apprunner_auto_scaling_configuration",
        "apprunner_observability_configuration",
    ] {
        for (args, attribute, message) in &cases {
            let args = if kind.contains("observability") {
                args.replace("autoscalingconfiguration/", "observabilityconfiguration/")
                    .replace(
                        "\"autoscalingconfiguration\"",
                        "\"observabilityconfiguration\"",
                    )
            } else {
                args.clone()
            };
            let message =
                if kind.contains("observability") && *message == "autoscalingconfiguration" {
                    "observabilityconfiguration"
                } else {
                    message
                };
            ws.write(&format!("data \"{kind}\" \"bad\" {{\n  {args}\n}}\n"));
            assert_validate_error(&ws, &format!("{kind} {args}"), attribute, message);
        }
    }
    assert_eq!(emulator.state()["total"], 0);
}

/// `region` picks where a name is looked up.
#[test]
fn lookups_by_name_use_the_region_argument() {
    let emulator = Emulator::start(&[]);
    let away = emulator.call_in(
        "eu-west-1",
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "ds-away", "MaxConcurrency": 77 }),
    );
    let away = away.expect("create in eu-west-1")["AutoScalingConfiguration"]
        ["AutoScalingConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    let ws = Workspace::new(&emulator);
    ws.write(
        r#"
data "apprunner_auto_scaling_configuration" "away" {
  name   = "ds-away"
  region = "eu-west-1"
}
output "away" { value = data.apprunner_auto_scaling_configuration.away }
"#,
    );
    ws.apply();
    let o = outputs(&ws);
    assert_eq!(o["away"]["arn"], away.as_str());
    assert_eq!(o["away"]["region"], "eu-west-1");
    assert_eq!(o["away"]["max_concurrency"], 77);
}

/// The registry examples read what they name.
#[test]
fn the_examples_read_what_they_name() {
    let emulator = Emulator::start(&[]);
    let web = asc_revisions(&emulator, "web-app", &[10, 20]);
    let tracing = emulator.ok(
        "CreateObservabilityConfiguration",
        json!({ "ObservabilityConfigurationName": "tracing", "TraceConfiguration": { "Vendor": "AWSXRAY" } }),
    )["ObservabilityConfiguration"]["ObservabilityConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    let ws = Workspace::new(&emulator);
    ws.write(&data_source_example("apprunner_auto_scaling_configuration"));
    ws.apply();
    let state = ws.state();
    assert_eq!(state.output("web_max_size"), 7);
    assert_eq!(
        state.values("data.apprunner_auto_scaling_configuration.web_v2")["arn"],
        web[1].as_str()
    );
    // The observability example pins an ARN; point it at the one created here.
    let ws = Workspace::new(&emulator);
    let example = data_source_example("apprunner_observability_configuration");
    let pinned = example
        .split('"')
        .find(|s| s.starts_with("arn:aws:apprunner:"))
        .unwrap()
        .to_string();
    ws.write(&example.replace(&pinned, &tracing));
    ws.apply();
    assert_eq!(ws.state().output("tracing_vendor"), "AWSXRAY");
}
