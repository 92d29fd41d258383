//! Acceptance tests of `apprunner_connection` with a real Terraform CLI
//! against the local control plane.

mod support;

use serde_json::json;
use support::{
    Acceptance, Action, Emulator, ImportCheck, Step, Workspace, assert_resource_example_applies,
    assert_validate_error,
};

const ADDR: &str = "apprunner_connection.test";

fn config(name: &str, provider_type: &str, tags: &str) -> String {
    format!(
        r#"
resource "apprunner_connection" "test" {{
  connection_name = "{name}"
  provider_type   = "{provider_type}"
  tags            = {tags}
}}
"#
    )
}

fn complete_handshake(emulator: &Emulator, arn: &str) {
    let r = emulator.admin(
        "POST",
        "/_emulator/connections/complete-handshake",
        json!({ "connection_arn": arn }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn lifecycle_create_import_update_tags_replace_destroy() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    Acceptance::new(&emulator)
        .provider("  default_tags {\n    tags = { team = \"platform\" }\n  }\n")
        .step(
            Step::new(config("acc-connection", "GITHUB", r#"{ env = "test" }"#))
                .expect(ADDR, Action::Create)
                .check(|s| {
                    let v = s.values(ADDR);
                    let arn = v["arn"].as_str().unwrap();
                    assert!(
                        arn.starts_with("arn:aws:apprunner:us-east-1:")
                            && arn.contains(":connection/acc-connection/"),
                        "{arn}"
                    );
                    assert_eq!(v["id"], "acc-connection");
                    assert_eq!(v["status"], "PENDING_HANDSHAKE");
                    assert_eq!(v["provider_type"], "GITHUB");
                    assert_eq!(v["region"], "us-east-1");
                    assert_eq!(v["tags_all"], json!({ "env": "test", "team": "platform" }));
                    assert_eq!(
                        s.entry(ADDR)["identity"],
                        json!({ "connection_name": "acc-connection", "region": "us-east-1" })
                    );
                }),
        )
        .import(ImportCheck::every_way(ADDR, |v| {
            v["connection_name"].as_str().unwrap().to_string()
        }))
        .step(
            Step::new(config("acc-connection", "GITHUB", r#"{ env = "prod" }"#))
                .expect(ADDR, Action::Update)
                .check(|s| {
                    assert_eq!(
                        s.values(ADDR)["tags_all"],
                        json!({ "env": "prod", "team": "platform" })
                    )
                }),
        )
        .step(
            Step::new(config("acc-connection", "BITBUCKET", r#"{ env = "prod" }"#))
                .expect(ADDR, Action::Replace)
                .check(|s| assert_eq!(s.values(ADDR)["provider_type"], "BITBUCKET")),
        )
        .run();
}

/// A connection waiting for its handshake is reported with a warning that
/// tells the user what to do, on create and on every refresh, until the
/// handshake is done.
#[test]
fn pending_handshake_is_a_warning_until_completed() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("gh-pending", "GITHUB", "{}"));
    let out = ws.apply();
    let text = out.text();
    assert!(
        text.contains("Warning: Complete the handshake of App Runner connection gh-pending"),
        "{text}"
    );
    assert!(text.contains("PENDING_HANDSHAKE"), "{text}");
    assert!(text.contains("Complete handshake"), "{text}");
    assert!(text.contains("GitHub"), "{text}");
    let arn = ws.state().attr(ADDR, "arn");
    assert!(text.contains(&arn), "{text}");
    // Refreshing says it again, and nothing is planned.
    let plan = ws.ok(&["plan", "-no-color", "-input=false"]);
    assert!(
        plan.text().contains("Complete the handshake"),
        "{}",
        plan.text()
    );
    assert!(plan.text().contains("No changes"), "{}", plan.text());
    // Once someone completes it, the warning goes and the status follows.
    complete_handshake(&emulator, &arn);
    let plan = ws.ok(&["plan", "-no-color", "-input=false"]);
    assert!(
        !plan.text().contains("Complete the handshake"),
        "{}",
        plan.text()
    );
    ws.ok(&["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    assert_eq!(ws.state().attr(ADDR, "status"), "AVAILABLE");
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0);
}

/// A service that uses a connection still waiting for its handshake fails
/// at once with the handshake instructions, not after waiting; once the
/// handshake is done the same configuration applies.
#[test]
fn a_service_using_a_pending_connection_fails_with_the_handshake_message() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = Workspace::new(&emulator);
    ws.write(
        r#"
resource "apprunner_connection" "test" {
  connection_name = "gh-for-service"
  provider_type   = "GITHUB"
}

resource "apprunner_service" "app" {
  service_name = "from-code"
  source_configuration {
    auto_deployments_enabled = false
    authentication_configuration {
      connection_arn = apprunner_connection.test.arn
    }
    code_repository {
      repository_url = "https://github.com/example/app"
      source_code_version {
        type  = "BRANCH"
        value = "main"
      }
      code_configuration {
        configuration_source = "API"
        code_configuration_values {
          runtime       = "PYTHON_311"
          build_command = "pip install -r requirements.txt"
          start_command = "python app.py"
        }
      }
    }
  }
}
"#,
    );
    let out = ws.fails(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    let text = out.text();
    assert!(
        text.contains("App Runner connection handshake not completed"),
        "{text}"
    );
    assert!(text.contains("Complete handshake"), "{text}");
    assert!(!text.contains("Timed out"), "{text}");
    // Nothing half-made: no service exists.
    assert_eq!(emulator.state()["counts"]["services"], 0);
    complete_handshake(&emulator, &ws.state().attr(ADDR, "arn"));
    ws.apply();
    assert_eq!(emulator.state()["counts"]["services"], 1);
    ws.destroy();
}

#[test]
fn deleted_outside_terraform_is_planned_for_creation() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("gone-connection", "GITHUB", "{}"));
    ws.apply();
    let arn = ws.state().attr(ADDR, "arn");
    emulator.ok("DeleteConnection", json!({ "ConnectionArn": arn }));
    assert_eq!(ws.plan(&[]).actions(ADDR), ["create"]);
}

#[test]
fn import_refuses_what_is_not_a_connection_name() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    ws.write(&config("some-connection", "GITHUB", "{}"));
    let out = ws.fails(&[
        "import",
        "-no-color",
        "-input=false",
        ADDR,
        "arn:aws:apprunner:us-east-1:123456789012:connection/x/1",
    ]);
    assert!(
        out.text().contains("name of an App Runner connection"),
        "{}",
        out.text()
    );
    let out = ws.fails(&[
        "import",
        "-no-color",
        "-input=false",
        ADDR,
        "no-such-connection",
    ]);
    assert!(
        out.text()
            .contains("Cannot import non-existent remote object"),
        "{}",
        out.text()
    );
}

/// Every argument the API model would reject is refused by `terraform
/// validate`, pointing at the attribute.
#[test]
fn invalid_arguments_are_refused_at_validate_with_their_attribute() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    let cases: &[(&str, &str, &str, &str)] = &[
        ("abc", "GITHUB", "connection_name", "4 to 32"),
        (
            "a-very-long-connection-name-of-33x",
            "GITHUB",
            "connection_name",
            "4 to 32",
        ),
        (
            "-conn",
            "GITHUB",
            "connection_name",
            "starting with a letter or digit",
        ),
        ("conn.name", "GITHUB", "connection_name", "letters, digits"),
        ("good-name", "GITLAB", "provider_type", "one of"),
        ("good-name", "github", "provider_type", "one of"),
    ];
    for (name, provider_type, attribute, message) in cases {
        ws.write(&config(name, provider_type, "{}"));
        assert_validate_error(&ws, &format!("{name}/{provider_type}"), attribute, message);
    }
    assert_eq!(emulator.state()["total"], 0);
}

/// The registry example applies, plans empty and destroys cleanly.
#[test]
fn the_example_applies() {
    let emulator = Emulator::start(&["--operation-duration", "100ms"]);
    assert_resource_example_applies(&emulator, "apprunner_connection");
}

/// Moving a service to a connection still waiting for its handshake fails
/// at once with the handshake instructions; the service keeps its
/// connection.
#[test]
fn a_service_moved_to_a_pending_connection_fails_with_the_handshake_message() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = Workspace::new(&emulator);
    let body = |connection: &str| {
        format!(
            r#"
resource "apprunner_connection" "ready" {{
  connection_name = "gh-ready"
  provider_type   = "GITHUB"
}}

resource "apprunner_connection" "new" {{
  connection_name = "gh-new"
  provider_type   = "GITHUB"
}}

resource "apprunner_service" "app" {{
  service_name = "moving-code"
  source_configuration {{
    auto_deployments_enabled = false
    authentication_configuration {{
      connection_arn = apprunner_connection.{connection}.arn
    }}
    code_repository {{
      repository_url = "https://github.com/example/app"
      source_code_version {{
        type  = "BRANCH"
        value = "main"
      }}
      code_configuration {{
        configuration_source = "API"
        code_configuration_values {{
          runtime       = "PYTHON_311"
          build_command = "pip install -r requirements.txt"
          start_command = "python app.py"
        }}
      }}
    }}
  }}
}}
"#
        )
    };
    ws.write(&body("ready"));
    ws.ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-target=apprunner_connection.ready",
        "-target=apprunner_connection.new",
    ]);
    let ready = ws.state().attr("apprunner_connection.ready", "arn");
    complete_handshake(&emulator, &ready);
    ws.apply();
    ws.write(&body("new"));
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions("apprunner_service.app"), ["update"]);
    let out = ws.fails(&["apply", "-no-color", "-input=false", "tfplan"]);
    let text = out.text();
    assert!(
        text.contains("App Runner connection handshake not completed"),
        "{text}"
    );
    assert!(text.contains("gh-new"), "{text}");
    let held = emulator.state()["regions"]["us-east-1"]["services"][0].clone();
    assert_eq!(
        held["SourceConfiguration"]["AuthenticationConfiguration"]["ConnectionArn"],
        ready.as_str()
    );
    ws.destroy();
}
