//! The `apprunner_service` and `apprunner_services` data sources with a real
//! Terraform CLI against the local control plane.

mod support;

use serde_json::{Value, json};
use support::{Emulator, IMAGE, Workspace};

fn start() -> Emulator {
    Emulator::start(&["--operation-duration", "100ms"])
}

#[test]
fn service_by_arn_and_by_name_reports_everything_the_resource_does() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    ws.write(&format!(
        r#"
resource "apprunner_service" "web" {{
  service_name = "lookup-svc"
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = "{IMAGE}"
      image_repository_type = "ECR_PUBLIC"
      image_configuration {{
        port          = "3000"
        start_command = "npm start"
      }}
    }}
  }}
  network_configuration {{
    ingress_configuration {{
      is_publicly_accessible = false
    }}
  }}
  tags = {{ team = "web" }}
}}
data "apprunner_service" "by_arn" {{
  arn = apprunner_service.web.arn
}}
data "apprunner_service" "by_name" {{
  service_name = "lookup-svc"
  depends_on   = [apprunner_service.web]
}}
output "by_arn" {{
  value = data.apprunner_service.by_arn
}}
output "by_name" {{
  value = data.apprunner_service.by_name
}}
output "image" {{
  value = data.apprunner_service.by_name.source_configuration[0].image_repository[0].image_identifier
}}
"#
    ));
    ws.apply();
    let state = ws.state();
    let resource = state.values("apprunner_service.web").clone();
    let by_arn = state.output("by_arn").clone();
    let by_name = state.output("by_name").clone();
    for (k, want) in resource.as_object().unwrap() {
        // Blocks the configuration left out (or wrote partly) differ.
        if ["tags_all", "timeouts", "network_configuration"].contains(&k.as_str())
            || want == &json!([])
        {
            continue;
        }
        assert_eq!(&by_arn[k], want, "data source (by arn) attribute {k}");
    }
    assert_eq!(by_name, by_arn);
    assert_eq!(state.output("image"), IMAGE);
    // The data source also shows what the configuration left to App Runner.
    assert_eq!(
        by_arn["instance_configuration"],
        json!([{ "cpu": "1024", "memory": "2048", "instance_role_arn": null }])
    );
    assert_eq!(
        by_arn["network_configuration"][0]["ingress_configuration"],
        json!([{ "is_publicly_accessible": false }])
    );
    assert_eq!(by_arn["health_check_configuration"][0]["protocol"], "TCP");
    assert_eq!(by_arn["tags"], json!({ "team": "web" }));
    assert_eq!(by_arn["status"], "RUNNING");
    // A private service has no public URL: the DNS target stands in for it.
    assert!(
        by_arn["service_url"]
            .as_str()
            .unwrap()
            .ends_with(".awsapprunner.com")
    );
    assert_eq!(by_arn["service_url"], resource["service_url"]);
    ws.assert_plan_empty(&[], "data sources after apply");
    ws.destroy();
}

#[test]
fn service_lookups_that_cannot_work_say_why() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    ws.write("data \"apprunner_service\" \"x\" {\n  service_name = \"nope-svc\"\n}\n");
    let out = ws.fails(&["plan", "-no-color", "-input=false"]).text();
    assert!(
        out.contains("no App Runner service named \"nope-svc\" in us-east-1"),
        "{out}"
    );
    ws.write("data \"apprunner_service\" \"x\" {}\n");
    let out = ws.fails(&["validate", "-no-color"]).text();
    assert!(out.contains("Set `arn` or `service_name`"), "{out}");
    ws.write(
        "data \"apprunner_service\" \"x\" {\n  arn = \"arn:aws:apprunner:us-east-1:123456789012:service/a/0123\"\n  service_name = \"abcd\"\n}\n",
    );
    let out = ws.fails(&["validate", "-no-color"]).text();
    assert!(out.contains("not both"), "{out}");
    ws.write("data \"apprunner_service\" \"x\" {\n  arn = \"arn:aws:apprunner:us-east-1:123456789012:connection/a/0123\"\n}\n");
    let out = ws.fails(&["validate", "-no-color"]).text();
    assert!(out.contains("ARN of an App Runner service"), "{out}");
    ws.write(
        "data \"apprunner_service\" \"x\" {\n  arn = \"arn:aws:apprunner:us-east-1:123456789012:service/a/0123\"\n  region = \"eu-west-1\"\n}\n",
    );
    let out = ws.fails(&["validate", "-no-color"]).text();
    assert!(out.contains("is in us-east-1, not eu-west-1"), "{out}");
}

/// Every page is read: more services than a page holds (ListServices also
/// returns an empty page with a token after each full one), deleted ones
/// left out, the prefix applied.
#[test]
fn services_lists_every_page_and_filters_by_prefix() {
    let emulator = start();
    let mut arns = Vec::new();
    for i in 0..23 {
        arns.push(emulator.create_service(&format!("app-{i:02}")));
    }
    emulator.create_service("other-one");
    let deleted = emulator.create_service("app-deleted");
    emulator.wait_service(&deleted);
    emulator.ok("DeleteService", json!({ "ServiceArn": deleted }));
    emulator.wait_service(&deleted);
    let ws = Workspace::new(&emulator);
    ws.write(
        r#"
data "apprunner_services" "apps" {
  name_prefix = "app-"
}
data "apprunner_services" "all" {}
output "apps" {
  value = data.apprunner_services.apps
}
output "all_names" {
  value = data.apprunner_services.all.names
}
"#,
    );
    ws.apply();
    let state = ws.state();
    let apps = state.output("apps");
    let names: Vec<String> = (0..23).map(|i| format!("app-{i:02}")).collect();
    assert_eq!(apps["names"], json!(names));
    assert_eq!(apps["arns"], json!(arns));
    assert_eq!(apps["region"], "us-east-1");
    let first = &apps["services"][0];
    assert_eq!(first["arn"], arns[0].as_str());
    assert_eq!(first["service_name"], "app-00");
    assert_eq!(first["status"], "RUNNING");
    assert_eq!(first["service_id"].as_str().unwrap().len(), 32);
    assert!(
        first["service_url"]
            .as_str()
            .unwrap()
            .ends_with(".awsapprunner.com")
    );
    let all: Vec<Value> = state.output("all_names").as_array().unwrap().clone();
    assert_eq!(all.len(), 24, "{all:?}");
    assert!(all.contains(&json!("other-one")) && !all.contains(&json!("app-deleted")));
}
