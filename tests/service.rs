//! Acceptance tests of `apprunner_service` with a real Terraform CLI against
//! the local control plane: the discipline, what stays out of state, clearing
//! settings, observability, CPU/memory forms, pause/resume and validation.

mod support;

use serde_json::{Value, json};
use support::{
    Acceptance, Action, Emulator, IMAGE, ImportCheck, Step, Workspace, apply_resource_example,
    assert_validate_error, data_source_example, image_service,
};

const ADDR: &str = "apprunner_service.test";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:token-AbCdEf";
const KMS_KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012";
const ROLE: &str = "arn:aws:iam::123456789012:role/app-runner-instance";

fn start() -> Emulator {
    Emulator::start(&["--operation-duration", "100ms"])
}

/// The service named `name` as the control plane holds it (DescribeService shape).
fn remote(emulator: &Emulator, name: &str) -> Value {
    let state = emulator.state();
    state["regions"]["us-east-1"]["services"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["ServiceName"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no service {name} in {state:#}"))
}

/// Operation types run on the service named `name`, oldest first.
fn operations(emulator: &Emulator, name: &str) -> Vec<String> {
    let arn = remote(emulator, name)["ServiceArn"].clone();
    let state = emulator.state();
    state["regions"]["us-east-1"]["operations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["TargetArn"] == arn)
        .map(|o| o["Type"].as_str().unwrap().to_string())
        .rev()
        .collect()
}

/// A minimal image service, with `extra` inside the resource block.
fn minimal(name: &str, extra: &str) -> String {
    image_service("test", name, "", extra)
}

/// A service with `image_configuration` holding `image_config`.
fn with_image_config(name: &str, image_config: &str, extra: &str) -> String {
    image_service("test", name, image_config, extra)
}

#[test]
fn lifecycle_full_configuration_import_update_replace_destroy() {
    let emulator = start();
    let obs = emulator.ok(
        "CreateObservabilityConfiguration",
        json!({ "ObservabilityConfigurationName": "acc-tracing", "TraceConfiguration": { "Vendor": "AWSXRAY" } }),
    )["ObservabilityConfiguration"]["ObservabilityConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    let connection = emulator.ok(
        "CreateConnection",
        json!({ "ConnectionName": "acc-github", "ProviderType": "GITHUB" }),
    )["Connection"]["ConnectionArn"]
        .as_str()
        .unwrap()
        .to_string();
    let r = emulator.admin(
        "POST",
        "/_emulator/connections/complete-handshake",
        json!({ "connection_arn": connection }),
    );
    assert_eq!(r.status, 200, "{}", r.text());

    let full = format!(
        r#"
resource "apprunner_service" "test" {{
  service_name = "acc-svc"
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = "{IMAGE}"
      image_repository_type = "ECR_PUBLIC"
      image_configuration {{
        port                          = "8000"
        start_command                 = "./serve --fast"
        runtime_environment_variables = {{ MODE = "test" }}
        runtime_environment_secrets   = {{ TOKEN = "{SECRET}" }}
      }}
    }}
  }}
  instance_configuration {{
    cpu               = "1024"
    memory            = "2048"
    instance_role_arn = "{ROLE}"
  }}
  health_check_configuration {{
    protocol = "HTTP"
    path     = "/health"
    interval = 10
  }}
  network_configuration {{
    ip_address_type = "DUAL_STACK"
    ingress_configuration {{
      is_publicly_accessible = false
    }}
  }}
  observability_configuration {{
    observability_enabled           = true
    observability_configuration_arn = "{obs}"
  }}
  encryption_configuration {{
    kms_key = "{KMS_KEY}"
  }}
  tags = {{ env = "test" }}
  timeouts {{
    create = "2m"
  }}
}}
"#
    );
    // Settings removed or changed; observability turned off by removing it.
    let updated = format!(
        r#"
resource "apprunner_service" "test" {{
  service_name = "acc-svc"
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = "{IMAGE}"
      image_repository_type = "ECR_PUBLIC"
      image_configuration {{
        port                          = "8000"
        runtime_environment_variables = {{ MODE = "prod", EXTRA = "1" }}
      }}
    }}
  }}
  instance_configuration {{
    cpu               = "2048"
    memory            = "4096"
    instance_role_arn = "{ROLE}"
  }}
  health_check_configuration {{
    protocol = "HTTP"
    path     = "/ready"
    interval = 10
  }}
  network_configuration {{
    ip_address_type = "IPV4"
    egress_configuration {{
      egress_type = "DEFAULT"
    }}
    ingress_configuration {{
      is_publicly_accessible = true
    }}
  }}
  encryption_configuration {{
    kms_key = "{KMS_KEY}"
  }}
  tags = {{ env = "prod" }}
}}
"#
    );
    // Image → code repository: App Runner cannot switch, so it replaces.
    let code = format!(
        r#"
resource "apprunner_service" "test" {{
  service_name = "acc-svc"
  source_configuration {{
    authentication_configuration {{
      connection_arn = "{connection}"
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
  encryption_configuration {{
    kms_key = "{KMS_KEY}"
  }}
  tags = {{ env = "prod" }}
}}
"#
    );
    let mut acceptance = Acceptance::new(&emulator)
        .step(Step::new(full).expect(ADDR, Action::Create).check(|s| {
            let v = s.values(ADDR);
            let arn = v["arn"].as_str().unwrap();
            assert!(
                arn.starts_with("arn:aws:apprunner:us-east-1:123456789012:service/acc-svc/"),
                "{arn}"
            );
            assert_eq!(v["id"], v["arn"]);
            assert_eq!(s.entry(ADDR)["identity"]["arn"], v["arn"]);
            assert_eq!(v["status"], "RUNNING");
            assert_eq!(v["paused"], false);
            assert_eq!(v["region"], "us-east-1");
            assert_eq!(v["service_id"].as_str().unwrap().len(), 32);
            assert!(
                v["service_url"]
                    .as_str()
                    .unwrap()
                    .ends_with(".us-east-1.awsapprunner.com")
            );
            assert!(
                v["auto_scaling_configuration_arn"]
                    .as_str()
                    .unwrap()
                    .contains(":autoscalingconfiguration/DefaultConfiguration/1/")
            );
            let ic = &v["source_configuration"][0]["image_repository"][0]["image_configuration"][0];
            assert_eq!(ic["start_command"], "./serve --fast");
            assert_eq!(
                ic["runtime_environment_secrets"],
                json!({ "TOKEN": SECRET })
            );
            assert_eq!(v["health_check_configuration"][0]["healthy_threshold"], 1);
            assert_eq!(v["health_check_configuration"][0]["timeout"], 2);
            assert_eq!(
                v["network_configuration"][0]["ip_address_type"],
                "DUAL_STACK"
            );
            assert_eq!(v["tags_all"], json!({ "env": "test" }));
        }))
        .import(
            ImportCheck::every_way(ADDR, |v| v["arn"].as_str().unwrap().to_string())
                .ignoring(&["timeouts"]),
        )
        .step(Step::new(updated).expect(ADDR, Action::Update).check(|s| {
            let v = s.values(ADDR);
            let ic = &v["source_configuration"][0]["image_repository"][0]["image_configuration"][0];
            assert_eq!(ic["start_command"], Value::Null);
            assert_eq!(ic["runtime_environment_secrets"], Value::Null);
            assert_eq!(v["observability_configuration"], json!([]));
            assert_eq!(v["instance_configuration"][0]["cpu"], "2048");
        }))
        .step(Step::new(code).expect(ADDR, Action::Replace).check(|s| {
            let v = s.values(ADDR);
            let values = &v["source_configuration"][0]["code_repository"][0]["code_configuration"]
                [0]["code_configuration_values"][0];
            assert_eq!(values["runtime"], "PYTHON_311");
            assert_eq!(values["port"], "8080");
            assert_eq!(
                v["source_configuration"][0]["auto_deployments_enabled"],
                true
            );
            // Blocks left out of the configuration stay out of state.
            assert_eq!(v["instance_configuration"], json!([]));
            assert_eq!(v["network_configuration"], json!([]));
        }));
    acceptance.allow_after_destroy = vec!["observability_configurations", "connections"];
    acceptance.run();
}

/// What the update step sent reached App Runner: the start command and the
/// secrets were cleared, observability turned off (checked after each step
/// through the control plane in the lifecycle above; here directly).
#[test]
fn update_sends_the_whole_configuration_so_removed_settings_are_cleared() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    let before = format!(
        "        start_command                 = \"./serve\"\n        runtime_environment_variables = {{ MODE = \"a\" }}\n        runtime_environment_secrets   = {{ TOKEN = \"{SECRET}\" }}"
    );
    ws.write(&with_image_config(
        "clear-svc",
        &before,
        "  observability_configuration {\n    observability_enabled = true\n  }",
    ));
    ws.apply();
    let svc = remote(&emulator, "clear-svc");
    let ic = &svc["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"];
    assert_eq!(ic["StartCommand"], "./serve");
    assert_eq!(ic["RuntimeEnvironmentSecrets"], json!({ "TOKEN": SECRET }));
    assert_eq!(
        svc["ObservabilityConfiguration"]["ObservabilityEnabled"],
        true
    );

    // Remove the start command, the secrets and observability.
    ws.write(&with_image_config(
        "clear-svc",
        "        runtime_environment_variables = { MODE = \"a\" }",
        "",
    ));
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), vec!["update"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    let svc = remote(&emulator, "clear-svc");
    let ic = &svc["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"];
    assert_eq!(ic.get("StartCommand"), None, "{svc:#}");
    assert_eq!(ic.get("RuntimeEnvironmentSecrets"), None, "{svc:#}");
    // The admin endpoint redacts values; the signed API returns them.
    let described = emulator.ok(
        "DescribeService",
        json!({ "ServiceArn": svc["ServiceArn"] }),
    );
    assert_eq!(
        described["Service"]["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"]["RuntimeEnvironmentVariables"],
        json!({ "MODE": "a" })
    );
    assert_eq!(
        svc["ObservabilityConfiguration"]["ObservabilityEnabled"],
        false
    );
    ws.assert_plan_empty(&["-refresh=false"], "after clearing, without refresh");
    ws.assert_plan_empty(&[], "after clearing (AWS #46915, #34445)");

    // A start command set again, then cleared again: still no diff.
    ws.write(&with_image_config(
        "clear-svc",
        "        start_command = \"./serve --again\"",
        "",
    ));
    ws.apply();
    ws.assert_plan_empty(&[], "after setting the start command again");
    ws.write(&minimal("clear-svc", ""));
    ws.apply();
    ws.assert_plan_empty(&[], "after removing image_configuration");
    let svc = remote(&emulator, "clear-svc");
    assert_eq!(
        svc["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"].get("StartCommand"),
        None
    );
    ws.destroy();
}

/// AWS #32839: observability can be turned on and off (and on again).
#[test]
fn observability_turns_on_and_off() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    let on = "  observability_configuration {\n    observability_enabled = true\n  }";
    let off = "  observability_configuration {\n    observability_enabled = false\n  }";
    let enabled = |e: &Emulator| {
        remote(e, "obs-svc")["ObservabilityConfiguration"]["ObservabilityEnabled"].clone()
    };
    ws.write(&minimal("obs-svc", ""));
    ws.apply();
    assert_eq!(enabled(&emulator), false);
    for (extra, want, why) in [
        (
            on,
            true,
            "turned on (the default configuration's ARN is not a diff)",
        ),
        (off, false, "turned off with observability_enabled = false"),
        (on, true, "turned on again"),
        ("", false, "turned off by removing the block"),
    ] {
        ws.write(&minimal("obs-svc", extra));
        let plan = ws.plan(&[]);
        assert_eq!(plan.actions(ADDR), vec!["update"], "{why}");
        ws.ok(&["apply", "-no-color", "tfplan"]);
        assert_eq!(enabled(&emulator), want, "{why}");
        ws.assert_plan_empty(&[], why);
    }
    ws.destroy();
}

/// Left-out optional blocks stay out of state (blocks cannot be computed),
/// so plans stay empty; an import leaves out the blocks that hold only App
/// Runner's defaults, so the same configuration imports with no changes.
#[test]
fn left_out_blocks_stay_out_of_state_and_out_of_an_import() {
    let emulator = start();
    let ws = Acceptance::new(&emulator)
        .step(
            Step::new(minimal("min-svc", ""))
                .expect(ADDR, Action::Create)
                .check(|s| {
                    let v = s.values(ADDR);
                    for block in [
                        "instance_configuration",
                        "health_check_configuration",
                        "network_configuration",
                        "observability_configuration",
                        "encryption_configuration",
                    ] {
                        assert_eq!(v[block], json!([]), "{block} should stay out of state");
                    }
                    let image = &v["source_configuration"][0]["image_repository"][0];
                    assert_eq!(image["image_configuration"], json!([]));
                }),
        )
        .run();
    drop(ws);

    // A service created outside Terraform, imported into a configuration
    // that leaves the blocks of App Runner's defaults out: they stay out,
    // and the plan is empty.
    let arn = emulator.create_service("imported-svc");
    emulator.wait_service(&arn);
    let ws = Workspace::new(&emulator);
    ws.write(&minimal("imported-svc", ""));
    ws.ok(&["import", "-no-color", "-input=false", ADDR, &arn]);
    let v = ws.state().values(ADDR).clone();
    for block in [
        "instance_configuration",
        "health_check_configuration",
        "network_configuration",
        "observability_configuration",
        "encryption_configuration",
    ] {
        assert_eq!(v[block], json!([]), "{block} holds only defaults");
    }
    assert_eq!(
        v["source_configuration"][0]["image_repository"][0]["image_configuration"],
        json!([])
    );
    assert_eq!(v["service_name"], "imported-svc");
    ws.assert_plan_empty(&[], "after importing a service of defaults");
    ws.destroy();
}

/// Blocks with a value other than App Runner's default are imported (only
/// the default sub-blocks stay out); the imported state is the created one.
#[test]
fn import_keeps_blocks_that_differ_from_the_defaults() {
    let emulator = start();
    let blocks = r#"
  instance_configuration {
    cpu    = "2048"
    memory = "4096"
  }
  health_check_configuration {
    protocol = "HTTP"
    path     = "/health"
  }
  network_configuration {
    ip_address_type = "DUAL_STACK"
    ingress_configuration {
      is_publicly_accessible = false
    }
  }
  observability_configuration {
    observability_enabled = true
  }"#;
    let ws = Workspace::new(&emulator);
    ws.write(&with_image_config(
        "kept-svc",
        "        port = \"8000\"",
        blocks,
    ));
    ws.apply();
    let created = ws.state().values(ADDR).clone();
    assert_eq!(
        created["network_configuration"][0]["egress_configuration"],
        json!([])
    );
    let iw = Workspace::new(&emulator);
    iw.write(&with_image_config(
        "kept-svc",
        "        port = \"8000\"",
        blocks,
    ));
    iw.ok(&[
        "import",
        "-no-color",
        "-input=false",
        ADDR,
        created["arn"].as_str().unwrap(),
    ]);
    let imported = iw.state().values(ADDR).clone();
    for (k, want) in created.as_object().unwrap() {
        if k != "timeouts" {
            assert_eq!(&imported[k], want, "{k}");
        }
    }
    iw.assert_plan_empty(&[], "after importing a service with non-default blocks");
    iw.ok(&["state", "rm", "-no-color", ADDR]);
    ws.destroy();
}

/// `1 vCPU`/`1024` and `2 GB`/`2048` are the same value in either direction,
/// including after an import.
#[test]
fn cpu_and_memory_units_compare_equal_both_ways() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    let sized = |cpu: &str, memory: &str| {
        minimal(
            "units-svc",
            &format!(
                "  instance_configuration {{\n    cpu    = \"{cpu}\"\n    memory = \"{memory}\"\n  }}"
            ),
        )
    };
    ws.write(&sized("1 vCPU", "2 GB"));
    ws.apply();
    assert_eq!(
        ws.state().values(ADDR)["instance_configuration"][0]["cpu"],
        "1 vCPU"
    );
    assert_eq!(
        remote(&emulator, "units-svc")["InstanceConfiguration"]["Cpu"],
        "1024"
    );
    ws.assert_plan_empty(&[], "1 vCPU / 2 GB after apply");
    ws.write(&sized("1024", "2048"));
    ws.assert_plan_empty(&[], "1024 / 2048 against 1 vCPU / 2 GB");
    ws.write(&sized("1 vCPU", "2048"));
    ws.assert_plan_empty(&[], "1 vCPU / 2048");
    // A real change is still a change.
    ws.write(&sized("1 vCPU", "3 GB"));
    assert_eq!(ws.plan(&[]).actions(ADDR), vec!["update"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    assert_eq!(
        remote(&emulator, "units-svc")["InstanceConfiguration"]["Memory"],
        "3072"
    );
    ws.assert_plan_empty(&[], "after 3 GB");

    // Imported: state holds App Runner's form, the configuration another.
    let arn = ws.state().attr(ADDR, "arn");
    let iw = Workspace::new(&emulator);
    iw.write(&sized("1 vCPU", "3 GB"));
    iw.ok(&["import", "-no-color", "-input=false", ADDR, &arn]);
    // The import keeps instance_configuration (3 GB is not the default) in
    // App Runner's form, which is no change.
    let plan = iw.plan(&[]);
    let change = plan.change(ADDR);
    assert_eq!(change["before"]["instance_configuration"][0]["cpu"], "1024");
    assert_eq!(
        change["before"]["instance_configuration"], change["after"]["instance_configuration"],
        "{change:#}"
    );
    iw.ok(&["state", "rm", "-no-color", ADDR]);
    ws.destroy();
}

#[test]
fn paused_true_then_false() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    let status = |e: &Emulator| {
        remote(e, "pause-svc")["Status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    ws.write(&minimal("pause-svc", ""));
    ws.apply();
    assert_eq!(status(&emulator), "RUNNING");

    ws.write(&minimal("pause-svc", "  paused = true"));
    assert_eq!(ws.plan(&[]).actions(ADDR), vec!["update"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    assert_eq!(status(&emulator), "PAUSED");
    let v = ws.state().values(ADDR).clone();
    assert_eq!(
        (v["paused"].clone(), v["status"].clone()),
        (json!(true), json!("PAUSED"))
    );
    ws.assert_plan_empty(&[], "after pausing");

    // A configuration change while paused, then resume.
    let bigger = "  instance_configuration {\n    cpu    = \"2 vCPU\"\n    memory = \"4 GB\"\n  }";
    ws.write(&minimal(
        "pause-svc",
        &format!("  paused = true\n  tags = {{ state = \"paused\" }}\n{bigger}"),
    ));
    ws.apply();
    assert_eq!(status(&emulator), "PAUSED");
    assert_eq!(
        remote(&emulator, "pause-svc")["InstanceConfiguration"]["Cpu"],
        "2048"
    );
    ws.assert_plan_empty(&[], "after a change while paused");
    ws.write(&minimal(
        "pause-svc",
        &format!("  paused = false\n{bigger}"),
    ));
    ws.apply();
    assert_eq!(status(&emulator), "RUNNING");
    assert_eq!(ws.state().values(ADDR)["paused"], false);
    ws.assert_plan_empty(&[], "after resuming");
    assert_eq!(
        operations(&emulator, "pause-svc"),
        vec![
            "CREATE_SERVICE",
            "PAUSE_SERVICE",
            "UPDATE_SERVICE",
            "RESUME_SERVICE"
        ]
    );

    // Paused outside Terraform: the plan resumes it.
    let arn = ws.state().attr(ADDR, "arn");
    emulator.ok("PauseService", json!({ "ServiceArn": arn }));
    emulator.wait_service(&arn);
    assert_eq!(ws.plan(&[]).actions(ADDR), vec!["update"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    assert_eq!(status(&emulator), "RUNNING");

    // Created paused.
    ws.destroy();
    ws.write(&minimal("pause-svc", "  paused = true"));
    ws.apply();
    assert_eq!(status(&emulator), "PAUSED");
    ws.assert_plan_empty(&[], "after creating paused");
    ws.destroy();
}

#[test]
fn drift_outside_terraform_is_planned_back() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    ws.write(&with_image_config(
        "drift-svc",
        "        port = \"8000\"",
        "",
    ));
    ws.apply();
    let arn = ws.state().attr(ADDR, "arn");
    // Someone sets a start command in the console.
    emulator.ok(
        "UpdateService",
        json!({
            "ServiceArn": arn,
            "SourceConfiguration": {
                "AutoDeploymentsEnabled": false,
                "ImageRepository": {
                    "ImageIdentifier": IMAGE,
                    "ImageRepositoryType": "ECR_PUBLIC",
                    "ImageConfiguration": { "Port": "8000", "StartCommand": "./other" }
                }
            }
        }),
    );
    emulator.wait_service(&arn);
    assert_eq!(ws.plan(&[]).actions(ADDR), vec!["update"]);
    ws.ok(&["apply", "-no-color", "tfplan"]);
    let svc = remote(&emulator, "drift-svc");
    assert_eq!(
        svc["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"].get("StartCommand"),
        None
    );
    ws.assert_plan_empty(&[], "after undoing the drift");

    // Deleted outside Terraform: planned for creation.
    emulator.ok("DeleteService", json!({ "ServiceArn": arn }));
    emulator.wait_service(&arn);
    assert_eq!(ws.plan(&[]).actions(ADDR), vec!["create"]);
}

/// Every argument the API model (or App Runner's own rules) would refuse is
/// refused by `terraform validate`, pointing at the attribute.
#[test]
fn invalid_arguments_are_refused_at_validate_with_their_attribute() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    let image_repo = |inner: &str| {
        format!(
            "source_configuration {{\n    auto_deployments_enabled = false\n    image_repository {{\n      image_identifier = \"{IMAGE}\"\n      image_repository_type = \"ECR_PUBLIC\"\n      {inner}\n    }}\n  }}"
        )
    };
    let image_config = |inner: &str| {
        image_repo(&format!(
            "image_configuration {{\n        {inner}\n      }}"
        ))
    };
    let source = image_repo("");
    let code = |auth: &str, config: &str| {
        format!(
            "source_configuration {{\n    {auth}\n    code_repository {{\n      repository_url = \"https://github.com/x/y\"\n      source_code_version {{\n        type = \"BRANCH\"\n        value = \"main\"\n      }}\n      {config}\n    }}\n  }}"
        )
    };
    let connection = "authentication_configuration {\n      connection_arn = \"arn:aws:apprunner:us-east-1:123456789012:connection/gh/0123456789abcdef\"\n    }";
    let with_source = |extra: &str| format!("{source}\n  {extra}");
    let cases: Vec<(String, &str, &str)> = vec![
        (
            format!("service_name = \"abc\"\n  {source}"),
            "service_name",
            "4 to 40",
        ),
        (
            format!("service_name = \"{}\"\n  {source}", "x".repeat(41)),
            "service_name",
            "4 to 40",
        ),
        (
            format!("service_name = \"-bad-name\"\n  {source}"),
            "service_name",
            "letters, digits",
        ),
        (
            format!("service_name = \"bad name\"\n  {source}"),
            "service_name",
            "letters, digits",
        ),
        (
            "source_configuration {\n    image_repository {\n      image_identifier = \"docker.io/library/nginx:latest\"\n      image_repository_type = \"ECR_PUBLIC\"\n    }\n  }"
                .to_string(),
            "image_identifier",
            "Amazon ECR",
        ),
        (
            image_repo("").replace("\"ECR_PUBLIC\"", "\"DOCKER\""),
            "image_repository_type",
            "one of",
        ),
        (
            image_repo("").replace("\"ECR_PUBLIC\"", "\"ECR\""),
            "image_repository_type",
            "ECR Public image",
        ),
        (
            image_repo("")
                .replace(IMAGE, "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1")
                .replace("\"ECR_PUBLIC\"", "\"ECR\""),
            "image_repository",
            "access_role_arn",
        ),
        (
            image_repo("").replace(IMAGE, "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"),
            "image_repository_type",
            "not an Amazon ECR Public image",
        ),
        (
            image_repo("").replace(
                "auto_deployments_enabled = false",
                "auto_deployments_enabled = true",
            ),
            "auto_deployments_enabled",
            "ECR Public",
        ),
        (image_config("port = \"0\""), "port", "1 to 65535"),
        (image_config("port = \"http\""), "port", "1 to 65535"),
        (
            image_config("start_command = \"\""),
            "start_command",
            "single line",
        ),
        (
            image_config("start_command = \"a\\nb\""),
            "start_command",
            "single line",
        ),
        (
            image_config("runtime_environment_variables = { \"\" = \"x\" }"),
            "runtime_environment_variables",
            "1 to 51200",
        ),
        (
            image_config("runtime_environment_secrets = { TOKEN = \"\" }"),
            "runtime_environment_secrets",
            "1 to 2048",
        ),
        (
            image_config(&format!(
                "runtime_environment_secrets = {{ TOKEN = \"{}\" }}",
                "a".repeat(2049)
            )),
            "runtime_environment_secrets",
            "1 to 2048",
        ),
        (
            image_config(&format!(
                "runtime_environment_variables = {{ TOKEN = \"x\" }}\n        runtime_environment_secrets = {{ TOKEN = \"{SECRET}\" }}"
            )),
            "runtime_environment_secrets",
            "both",
        ),
        (
            "source_configuration {\n    auto_deployments_enabled = false\n  }".to_string(),
            "source_configuration",
            "exactly one",
        ),
        (code("", ""), "code_repository", "connection_arn"),
        (code(connection, ""), "code_repository", "code_configuration block"),
        (
            code(
                "authentication_configuration {\n      connection_arn = \"arn:aws:apprunner:us-east-1:123456789012:service/x/y\"\n    }",
                "",
            ),
            "connection_arn",
            "App Runner connection",
        ),
        (
            code(
                "authentication_configuration {\n      access_role_arn = \"arn:aws:iam::123456789012:user/x\"\n    }",
                "",
            ),
            "access_role_arn",
            "IAM role",
        ),
        (
            code(
                connection,
                "code_configuration {\n        configuration_source = \"API\"\n      }",
            ),
            "configuration_source",
            "code_configuration_values",
        ),
        (
            code(
                connection,
                "code_configuration {\n        configuration_source = \"FILE\"\n      }",
            ),
            "configuration_source",
            "one of",
        ),
        (
            code(
                connection,
                "code_configuration {\n        configuration_source = \"API\"\n        code_configuration_values {\n          runtime = \"COBOL_85\"\n        }\n      }",
            ),
            "runtime",
            "one of",
        ),
        (
            code(
                connection,
                "code_configuration {\n        configuration_source = \"API\"\n        code_configuration_values {\n          runtime = \"GO_1\"\n          build_command = \"a\\rb\"\n        }\n      }",
            ),
            "build_command",
            "single line",
        ),
        (
            code(connection, "source_directory = \"\""),
            "source_directory",
            "1 to 4096",
        ),
        (
            code(connection, "").replace("type = \"BRANCH\"", "type = \"TAG\""),
            "type",
            "one of",
        ),
        (
            with_source("instance_configuration {\n    cpu = \"3 vCPU\"\n  }"),
            "cpu",
            "vCPU",
        ),
        (
            with_source("instance_configuration {\n    memory = \"5 GB\"\n  }"),
            "memory",
            "GB",
        ),
        (
            with_source(
                "instance_configuration {\n    cpu = \"4 vCPU\"\n    memory = \"2 GB\"\n  }",
            ),
            "memory",
            "combination",
        ),
        (
            with_source("instance_configuration {\n    cpu = \"0.25 vCPU\"\n  }"),
            "cpu",
            "combination",
        ),
        (
            with_source("instance_configuration {\n    cpu = \"512\"\n    memory = \"2048\"\n  }"),
            "memory",
            "0.5 vCPU with 1 GB",
        ),
        (
            with_source(
                "instance_configuration {\n    instance_role_arn = \"arn:aws:iam::123456789012:role\"\n  }",
            ),
            "instance_role_arn",
            "IAM role",
        ),
        (
            with_source("health_check_configuration {\n    interval = 0\n  }"),
            "interval",
            "between 1 and 20",
        ),
        (
            with_source("health_check_configuration {\n    timeout = 21\n  }"),
            "timeout",
            "between 1 and 20",
        ),
        (
            with_source("health_check_configuration {\n    healthy_threshold = 0\n  }"),
            "healthy_threshold",
            "between 1 and 20",
        ),
        (
            with_source("health_check_configuration {\n    unhealthy_threshold = 25\n  }"),
            "unhealthy_threshold",
            "between 1 and 20",
        ),
        (
            with_source("health_check_configuration {\n    protocol = \"HTTPS\"\n  }"),
            "protocol",
            "one of",
        ),
        (
            with_source("health_check_configuration {\n    path = \"\"\n  }"),
            "path",
            "1 to 51200",
        ),
        (
            with_source("network_configuration {\n    ip_address_type = \"IPV6\"\n  }"),
            "ip_address_type",
            "one of",
        ),
        (
            with_source(
                "network_configuration {\n    egress_configuration {\n      egress_type = \"VPC\"\n    }\n  }",
            ),
            "egress_type",
            "needs vpc_connector_arn",
        ),
        (
            with_source(
                "network_configuration {\n    egress_configuration {\n      egress_type = \"DEFAULT\"\n      vpc_connector_arn = \"arn:aws:apprunner:us-east-1:123456789012:vpcconnector/c/1/0123\"\n    }\n  }",
            ),
            "vpc_connector_arn",
            "egress_type = \\\"VPC\\\"",
        ),
        (
            with_source(
                "network_configuration {\n    egress_configuration {\n      vpc_connector_arn = \"arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1\"\n    }\n  }",
            ),
            "vpc_connector_arn",
            "App Runner vpcconnector",
        ),
        (
            with_source(
                "observability_configuration {\n    observability_enabled = false\n    observability_configuration_arn = \"arn:aws:apprunner:us-east-1:123456789012:observabilityconfiguration/o/1/0123\"\n  }",
            ),
            "observability_configuration_arn",
            "only used with observability_enabled",
        ),
        (
            with_source(
                "observability_configuration {\n    observability_enabled = true\n    observability_configuration_arn = \"not-an-arn\"\n  }",
            ),
            "observability_configuration_arn",
            "observabilityconfiguration",
        ),
        (
            with_source(
                "encryption_configuration {\n    kms_key = \"arn:aws:kms:us-east-1:123456789012:alias/mine\"\n  }",
            ),
            "kms_key",
            "KMS key",
        ),
        (
            with_source(
                "auto_scaling_configuration_arn = \"arn:aws:apprunner:us-east-1:123456789012:service/x/y\"",
            ),
            "auto_scaling_configuration_arn",
            "autoscalingconfiguration",
        ),
        (with_source("tags = { \"aws:x\" = \"y\" }"), "tags", "aws:"),
        (
            with_source("timeouts {\n    create = \"soon\"\n  }"),
            "create",
            "duration",
        ),
    ];
    for (args, attribute, message) in &cases {
        let name = if args.contains("service_name") {
            ""
        } else {
            "service_name = \"valid-name\"\n  "
        };
        ws.write(&format!(
            "resource \"apprunner_service\" \"bad\" {{\n  {name}{args}\n}}\n"
        ));
        assert_validate_error(&ws, args, attribute, message);
    }
    // Valid edge values pass.
    ws.write(&format!(
        "resource \"apprunner_service\" \"ok\" {{\n  service_name = \"ok_name-1\"\n  {}\n  instance_configuration {{\n    cpu = \"0.25 vCPU\"\n    memory = \"0.5 GB\"\n  }}\n}}\n",
        image_config("port = \"65535\"")
    ));
    ws.ok(&["validate", "-no-color"]);
    assert_eq!(emulator.state()["total"], 0);
}

/// The registry examples apply as written, and plan empty afterwards.
#[test]
fn registry_examples_apply() {
    let emulator = start();
    for type_name in ["apprunner_service", "apprunner_deployment"] {
        apply_resource_example(&emulator, type_name).destroy();
    }
    assert_eq!(emulator.state()["total"], 0);
    let arn = emulator.create_service("example");
    emulator.wait_service(&arn);
    for path in ["apprunner_service", "apprunner_services"] {
        let ws = Workspace::new(&emulator);
        ws.write(&data_source_example(path));
        ws.apply();
        let state = ws.state();
        let outputs = state.0["values"]["outputs"].as_object().unwrap();
        assert!(!outputs.is_empty(), "{path}");
        for (name, output) in outputs {
            assert!(
                output["value"]
                    .to_string()
                    .contains(".us-east-1.awsapprunner.com")
                    || output["value"].to_string().contains("hello-app-runner"),
                "{path}: output {name} = {output}"
            );
        }
    }
}

/// One provider configuration manages a service in another region, and the
/// data source finds it there by ARN.
#[test]
fn region_argument_places_the_service_in_another_region() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    let body = format!(
        "{}\ndata \"apprunner_service\" \"away\" {{\n  arn = apprunner_service.test.arn\n}}\n",
        minimal("away-svc", "  region = \"eu-west-1\"")
    );
    ws.write(&body);
    ws.apply();
    let state = ws.state();
    let arn = state.attr(ADDR, "arn");
    assert!(arn.starts_with("arn:aws:apprunner:eu-west-1:"), "{arn}");
    assert_eq!(state.values(ADDR)["region"], "eu-west-1");
    assert_eq!(
        state.values("data.apprunner_service.away")["region"],
        "eu-west-1"
    );
    assert_eq!(
        state.values("data.apprunner_service.away")["status"],
        "RUNNING"
    );
    let held = emulator.state();
    assert_eq!(
        held["regions"]["eu-west-1"]["counts"]["services"], 1,
        "{held:#}"
    );
    assert_eq!(
        held["regions"]["us-east-1"]["counts"]["services"]
            .as_u64()
            .unwrap_or(0),
        0
    );
    ws.assert_plan_empty(&[], "a service in another region");
    ws.destroy();
    assert_eq!(emulator.state()["total"], 0);
}

/// A code-based service on a runtime App Runner declared End of Support
/// plans with a warning naming the date and the successor; the same
/// service on a supported runtime, and an image-based one, plan without.
#[test]
fn end_of_support_runtimes_plan_with_a_warning() {
    let emulator = start();
    let ws = Workspace::new(&emulator);
    let code = |runtime: &str| {
        format!(
            r#"
resource "apprunner_service" "test" {{
  service_name = "eos-svc"
  source_configuration {{
    authentication_configuration {{
      connection_arn = "arn:aws:apprunner:us-east-1:123456789012:connection/gh/0123456789abcdef0123456789abcdef"
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
          runtime       = "{runtime}"
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
    let flat =
        |out: &support::TfOutput| out.text().split_whitespace().collect::<Vec<_>>().join(" ");
    ws.write(&code("PYTHON_3"));
    let out = ws.ok(&["plan", "-no-color", "-input=false"]);
    let text = flat(&out);
    assert!(
        text.contains("Warning: Runtime at End of Support")
            && text.contains("PYTHON_3 End of Support on 2025-12-01")
            && text.contains("supported runtime PYTHON_311")
            && text.contains(r#"33: runtime = "PYTHON_3""#),
        "{}",
        out.text()
    );
    ws.write(&code("NODEJS_16"));
    let text = flat(&ws.ok(&["plan", "-no-color", "-input=false"]));
    assert!(text.contains("supported runtime NODEJS_22"), "{text}");
    for config in [code("PYTHON_311"), minimal("eos-image-svc", "")] {
        ws.write(&config);
        let out = ws.ok(&["plan", "-no-color", "-input=false"]);
        assert!(!out.text().contains("End of Support"), "{}", out.text());
    }
}
