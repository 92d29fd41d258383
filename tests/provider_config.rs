//! The provider block: AWS provider conventions, the environment, clear
//! errors for what is missing, and what configuring does not do.

mod support;

use support::{Emulator, Workspace, failed_validate_diagnostics};

const ASC: &str = r#"
resource "apprunner_auto_scaling_configuration_version" "test" {
  auto_scaling_configuration_name = "config-asc"
}
"#;

fn provider(endpoint: &str, args: &str) -> String {
    format!(
        "provider \"apprunner\" {{\n{args}\n  endpoints {{\n    apprunner = \"{endpoint}\"\n  }}\n}}\n"
    )
}

/// A workspace whose HOME holds no AWS files, so only what a test sets counts.
fn isolated(emulator: &Emulator) -> Workspace {
    let mut ws = Workspace::new(emulator);
    let home = ws.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    ws.env("HOME", home.to_str().unwrap());
    ws
}

#[test]
fn access_key_without_secret_key_is_refused_at_validate() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    ws.write_with_provider(
        &provider(
            &emulator.url,
            "  region = \"us-east-1\"\n  access_key = \"test\"",
        ),
        ASC,
    );
    let out = ws.fails(&["validate", "-no-color"]);
    assert!(
        out.text().contains("Incomplete static credentials"),
        "{}",
        out.text()
    );
    assert!(out.text().contains("secret_key"), "{}", out.text());
}

#[test]
fn invalid_provider_arguments_point_at_the_attribute() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    for (args, attribute) in [
        ("  max_retries = -1", "max_retries"),
        ("  retry_mode = \"sometimes\"", "retry_mode"),
        (
            "  assume_role {\n    role_arn = \"not-an-arn\"\n  }",
            "role_arn",
        ),
        (
            "  assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/x\"\n    duration = \"an hour\"\n  }",
            "duration",
        ),
    ] {
        ws.write_with_provider(
            &provider(&emulator.url, &format!("  region = \"us-east-1\"\n{args}")),
            ASC,
        );
        let diags = failed_validate_diagnostics(&ws);
        let hit = diags.iter().any(|d| {
            d["snippet"]["code"]
                .as_str()
                .unwrap_or_default()
                .contains(attribute)
        });
        assert!(hit, "{args}: no diagnostic at {attribute}: {diags:#?}");
    }
}

#[test]
fn unknown_values_in_the_provider_block_pass_validation() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    // Variables are unknown while validating.
    ws.write_with_provider(
        "variable \"region\" {\n  type = string\n}\nvariable \"key\" {\n  type = string\n}\n\
         provider \"apprunner\" {\n  region     = var.region\n  access_key = var.key\n  secret_key = var.key\n  \
         max_retries = length(var.key)\n}\n",
        ASC,
    );
    ws.ok(&["validate", "-no-color"]);
}

#[test]
fn a_missing_region_names_what_to_set() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    ws.write_with_provider(
        &provider(
            &emulator.url,
            "  access_key = \"test\"\n  secret_key = \"test\"",
        ),
        ASC,
    );
    let out = ws.fails(&["plan", "-no-color"]);
    let text = out.text();
    assert!(text.contains("No AWS region"), "{text}");
    assert!(text.contains("AWS_REGION"), "{text}");
}

#[test]
fn missing_credentials_name_what_to_set() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    ws.write_with_provider(&provider(&emulator.url, "  region = \"us-east-1\""), ASC);
    let out = ws.fails(&["plan", "-no-color"]);
    let text = out.text();
    assert!(text.contains("No AWS credentials"), "{text}");
    assert!(text.contains("AWS_ACCESS_KEY_ID"), "{text}");
}

#[test]
fn environment_variables_configure_region_and_credentials() {
    let emulator = Emulator::start(&[]);
    let mut ws = isolated(&emulator);
    ws.env("AWS_REGION", "eu-central-1");
    ws.env("AWS_ACCESS_KEY_ID", "test");
    ws.env("AWS_SECRET_ACCESS_KEY", "test");
    ws.write_with_provider(&provider(&emulator.url, ""), ASC);
    ws.apply();
    let arn = ws
        .state()
        .attr("apprunner_auto_scaling_configuration_version.test", "arn");
    assert!(arn.starts_with("arn:aws:apprunner:eu-central-1:"), "{arn}");
    ws.destroy();
}

#[test]
fn shared_credentials_files_and_profile_are_honoured() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    let creds = ws.path().join("creds");
    std::fs::write(
        &creds,
        "[emulator]\naws_access_key_id = test\naws_secret_access_key = test\n",
    )
    .unwrap();
    ws.write_with_provider(
        &provider(
            &emulator.url,
            &format!("  region = \"us-west-2\"\n  profile = \"emulator\"\n  shared_credentials_files = [\"{}\"]", creds.display()),
        ),
        ASC,
    );
    ws.apply();
    ws.destroy();
}

#[test]
fn wrong_credentials_give_the_operation_and_aws_message() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    ws.write_with_provider(
        &provider(
            &emulator.url,
            "  region = \"us-east-1\"\n  access_key = \"test\"\n  secret_key = \"wrong\"",
        ),
        ASC,
    );
    let out = ws.fails(&["apply", "-auto-approve", "-no-color"]);
    let text = out.text();
    // The first call made names itself, the resource and AWS's own message.
    let named = [
        "ListAutoScalingConfigurations",
        "CreateAutoScalingConfiguration",
    ]
    .iter()
    .any(|op| text.contains(&format!("App Runner {op} failed for config-asc")));
    assert!(named, "{text}");
    assert!(
        text.contains("InvalidSignatureException: The request signature"),
        "{text}"
    );
}

#[test]
fn configuring_calls_no_api() {
    // Nothing listens on this endpoint: configuring must not need it.
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    ws.write_with_provider(
        &provider(
            "http://127.0.0.1:9",
            "  region = \"us-east-1\"\n  access_key = \"test\"\n  secret_key = \"test\"",
        ),
        "output \"nothing\" {\n  value = 1\n}\n",
    );
    ws.ok(&["plan", "-no-color"]);
    ws.ok(&["apply", "-auto-approve", "-no-color"]);
}

#[test]
fn throttling_is_retried_up_to_max_retries() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    let base = "  region = \"us-east-1\"\n  access_key = \"test\"\n  secret_key = \"test\"";
    emulator.add_fault(serde_json::json!({ "operation": "CreateAutoScalingConfiguration", "kind": "throttle", "count": 2 }));
    ws.write_with_provider(
        &provider(&emulator.url, &format!("{base}\n  max_retries = 3")),
        ASC,
    );
    ws.apply();
    ws.destroy();

    emulator.add_fault(serde_json::json!({ "operation": "CreateAutoScalingConfiguration", "kind": "throttle", "count": 1 }));
    ws.write_with_provider(
        &provider(&emulator.url, &format!("{base}\n  max_retries = 0")),
        ASC,
    );
    let out = ws.fails(&["apply", "-auto-approve", "-no-color"]);
    assert!(out.text().contains("ThrottlingException"), "{}", out.text());
}

#[test]
fn ignored_tags_cause_no_diff() {
    let emulator = Emulator::start(&[]);
    let ws = isolated(&emulator);
    ws.write_with_provider(
        &provider(
            &emulator.url,
            "  region = \"us-east-1\"\n  access_key = \"test\"\n  secret_key = \"test\"\n  \
             ignore_tags {\n    keys = [\"owner\"]\n    key_prefixes = [\"cost:\"]\n  }",
        ),
        ASC,
    );
    ws.apply();
    let arn = ws
        .state()
        .attr("apprunner_auto_scaling_configuration_version.test", "arn");
    emulator.ok(
        "TagResource",
        serde_json::json!({ "ResourceArn": arn, "Tags": [{ "Key": "owner", "Value": "x" }, { "Key": "cost:center", "Value": "7" }] }),
    );
    ws.assert_plan_empty(&[], "tags added by others under ignore_tags");
    ws.destroy();
}

#[test]
fn the_service_endpoint_can_come_from_the_environment() {
    let emulator = Emulator::start(&[]);
    let mut ws = isolated(&emulator);
    ws.env("AWS_ENDPOINT_URL_APPRUNNER", &emulator.url);
    ws.write_with_provider("provider \"apprunner\" {\n  region = \"us-east-1\"\n  access_key = \"test\"\n  secret_key = \"test\"\n}\n", ASC);
    ws.apply();
    assert_eq!(emulator.state()["counts"]["auto_scaling_configurations"], 1);
    ws.destroy();
}
