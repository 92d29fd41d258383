//! The App Runner policy pack (`policies/`) evaluated by a real Rego engine
//! (regorus) over plans that a real Terraform CLI makes against the local
//! control plane: for every rule a plan that breaks it (the rule fires, with
//! the address) and one that keeps it; the pack's Rego unit tests; the
//! `policy check` command; and the commands of the CI guide, as written.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{Emulator, Workspace};
use terraform_provider_apprunner::policy::{self, Verdict};

fn pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("policies")
}

/// Team settings that switch every data-driven rule on.
const TEAM_SETTINGS: &str = r#"
apprunner:
  required_tags: [environment, owner]
  allowed_regions: [us-east-1]
  kms_required_environments: [production]
  vpc_egress_required_environments: [production]
  production_min_size: 3
  production_max_size: 25
  public_subnets: [subnet-public-a]
  public_services: [apprunner_service.storefront]
"#;

const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const ECR: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const ROLE: &str = "arn:aws:iam::123456789012:role/app";
const KMS: &str = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
const CONNECTION: &str =
    "arn:aws:apprunner:us-east-1:123456789012:connection/gh/0123456789abcdef0123456789abcdef";

/// A workspace that also serves `aws_apprunner_*` (schema-only stand-in:
/// plans, never applies), so rules are proven on both providers' types.
fn workspace(emulator: &Emulator, aws_region: &str, body: &str) -> Workspace {
    let ws = Workspace::new(emulator).with_aws_stand_in();
    write_main(&ws, aws_region, body);
    ws.write_file("team.yaml", TEAM_SETTINGS);
    ws
}

fn write_main(ws: &Workspace, aws_region: &str, body: &str) {
    let provider = format!(
        "{}provider \"aws\" {{\n  region = \"{aws_region}\"\n}}\n",
        ws.provider_block("  default_tags {\n    tags = { owner = \"team-web\" }\n  }\n")
    );
    let text = format!(
        "terraform {{\n  required_providers {{\n    apprunner = {{ source = \"{}\" }}\n    aws = {{ source = \"hashicorp/aws\" }}\n  }}\n}}\n\n{provider}\n{body}\n",
        support::SOURCE
    );
    ws.write_file("main.tf", &text);
}

/// Plans into `tfplan`, prints it as JSON into `plan.json`, and returns the
/// pack's verdict (regorus, with the team settings).
fn plan_and_check(ws: &Workspace) -> Verdict {
    ws.ok(&["plan", "-out=tfplan", "-no-color", "-input=false"]);
    let json = ws.ok(&["show", "-json", "tfplan"]).stdout;
    std::fs::write(ws.path().join("plan.json"), &json).expect("write plan.json");
    check(&json, &[ws.path().join("team.yaml")])
}

fn check(plan_json: &str, data: &[PathBuf]) -> Verdict {
    let mut engine = policy::load_engine(&pack(), data, false).expect("load the pack");
    policy::evaluate(&mut engine, plan_json, "main").expect("evaluate the pack")
}

fn has(messages: &[String], rule: &str, address: &str) -> bool {
    messages
        .iter()
        .any(|m| m.starts_with(&format!("{address}: ")) && m.ends_with(&format!("[{rule}]")))
}

const VIOLATING: &str = r#"
resource "apprunner_auto_scaling_configuration_version" "one_az" {
  auto_scaling_configuration_name = "one-az"
  min_size                        = 1
  max_size                        = 40
  tags                            = { environment = "production" }
}

resource "apprunner_auto_scaling_configuration_version" "low_floor" {
  auto_scaling_configuration_name = "low-floor"
  min_size                        = 2
  max_size                        = 10
  tags                            = { environment = "production" }
}

resource "apprunner_service" "public_api" {
  service_name                   = "public-api"
  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.one_az.arn
  source_configuration {
    auto_deployments_enabled = true
    authentication_configuration {
      access_role_arn = "ROLE"
    }
    image_repository {
      image_identifier      = "ECR/api:main"
      image_repository_type = "ECR"
      image_configuration {
        runtime_environment_variables = { DB_PASSWORD = "hunter2" }
        runtime_environment_secrets   = { API_TOKEN = "SECRET" }
      }
    }
  }
  health_check_configuration {
    protocol = "TCP"
  }
  tags = { environment = "production" }
}

resource "apprunner_service" "floor" {
  service_name                   = "floor-api"
  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.low_floor.arn
  source_configuration {
    auto_deployments_enabled = false
    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:1.0"
      image_repository_type = "ECR_PUBLIC"
    }
  }
  tags = { environment = "production" }
}

resource "apprunner_service" "dev_latest" {
  service_name = "dev-latest"
  source_configuration {
    auto_deployments_enabled = false
    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:latest"
      image_repository_type = "ECR_PUBLIC"
    }
  }
  network_configuration {
    ingress_configuration {
      is_publicly_accessible = false
    }
  }
  tags = { environment = "dev" }
}

resource "apprunner_service" "untagged" {
  service_name = "untagged-api"
  source_configuration {
    auto_deployments_enabled = false
    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:1.0"
      image_repository_type = "ECR_PUBLIC"
    }
  }
  network_configuration {
    ingress_configuration {
      is_publicly_accessible = false
    }
  }
}

resource "aws_apprunner_service" "legacy" {
  service_name = "legacy-code"
  source_configuration {
    auto_deployments_enabled = false
    authentication_configuration {
      connection_arn = "CONNECTION"
    }
    code_repository {
      repository_url = "https://github.com/example/legacy"
      source_code_version {
        type  = "BRANCH"
        value = "main"
      }
      code_configuration {
        configuration_source = "API"
        code_configuration_values {
          runtime = "NODEJS_16"
        }
      }
    }
  }
  tags = { environment = "production" }
}

resource "apprunner_vpc_connector" "two_subnets" {
  vpc_connector_name = "two-subnets"
  subnets            = ["subnet-private-a", "subnet-public-a"]
  security_groups    = ["sg-01"]
  tags               = { environment = "production" }
}

resource "apprunner_vpc_ingress_connection" "elsewhere" {
  name        = "elsewhere"
  region      = "eu-west-1"
  service_arn = apprunner_service.dev_latest.arn
  ingress_vpc_configuration {
    vpc_id          = "vpc-01"
    vpc_endpoint_id = "vpce-01"
  }
  tags = { environment = "dev" }
}
"#;

/// Every rule of the pack, with an address that breaks it in VIOLATING.
const FIRING: &[(&str, &str)] = &[
    ("public_service", "apprunner_service.public_api"),
    ("public_service", "aws_apprunner_service.legacy"),
    ("mutable_image", "apprunner_service.public_api"),
    ("auto_deploy_mutable_tag", "apprunner_service.public_api"),
    ("plaintext_secret", "apprunner_service.public_api"),
    (
        "secrets_without_instance_role",
        "apprunner_service.public_api",
    ),
    ("customer_managed_kms", "apprunner_service.public_api"),
    ("tracing_off", "apprunner_service.public_api"),
    ("tracing_off", "aws_apprunner_service.legacy"),
    ("tcp_health_check", "apprunner_service.public_api"),
    ("vpc_egress_required", "apprunner_service.public_api"),
    ("single_availability_zone", "apprunner_service.public_api"),
    ("scaling_budget", "apprunner_service.public_api"),
    ("scaling_floor", "apprunner_service.floor"),
    ("end_of_support_runtime", "aws_apprunner_service.legacy"),
    ("allowed_region", "aws_apprunner_service.legacy"),
    (
        "allowed_region",
        "apprunner_vpc_ingress_connection.elsewhere",
    ),
    ("required_tags", "aws_apprunner_service.legacy"),
    ("required_tags", "apprunner_service.untagged"),
    ("connector_subnets", "apprunner_vpc_connector.two_subnets"),
    ("public_subnet", "apprunner_vpc_connector.two_subnets"),
];

const WARNING: &[(&str, &str)] = &[
    ("latest_image", "apprunner_service.dev_latest"),
    ("default_auto_scaling", "aws_apprunner_service.legacy"),
    ("unknown_environment", "apprunner_service.untagged"),
];

fn fill(template: &str) -> String {
    template
        .replace("\"ROLE\"", &format!("\"{ROLE}\""))
        .replace("\"SECRET\"", &format!("\"{SECRET}\""))
        .replace("\"CONNECTION\"", &format!("\"{CONNECTION}\""))
        .replace("\"KMS\"", &format!("\"{KMS}\""))
        .replace("ECR/", &format!("{ECR}/"))
        .replace("DIGEST", DIGEST)
}

#[test]
fn every_rule_fires_on_a_real_plan_that_breaks_it() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = workspace(&emulator, "eu-west-1", &fill(VIOLATING));
    let verdict = plan_and_check(&ws);
    let report = format!("{verdict:#?}");
    for (rule, address) in FIRING {
        assert!(
            has(&verdict.failures, rule, address),
            "{rule} should deny {address}:\n{report}"
        );
    }
    for (rule, address) in WARNING {
        assert!(
            has(&verdict.warnings, rule, address),
            "{rule} should warn about {address}:\n{report}"
        );
    }
    // Messages say what to change.
    assert!(
        verdict
            .failures
            .iter()
            .any(|m| m.contains("runtime_environment_secrets")
                && m.starts_with(
                    "apprunner_service.public_api: runtime_environment_variables[\"DB_PASSWORD\"]"
                )),
        "{report}"
    );

    // The command reports the same, conftest-style, and fails the step.
    let out = Command::new(env!("CARGO_BIN_EXE_terraform-provider-apprunner"))
        .args(["policy", "check", "plan.json", "--policy"])
        .arg(pack())
        .args(["--data", "team.yaml"])
        .current_dir(ws.path())
        .output()
        .expect("run policy check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for msg in &verdict.failures {
        assert!(
            stdout.contains(&format!("FAIL - plan.json - main - {msg}\n")),
            "{msg} missing from:\n{stdout}"
        );
    }
    for msg in &verdict.warnings {
        assert!(
            stdout.contains(&format!("WARN - plan.json - main - {msg}\n")),
            "{msg} missing from:\n{stdout}"
        );
    }
    assert!(
        stdout.ends_with(&format!(
            "\n{} warnings, {} failures\n",
            verdict.warnings.len(),
            verdict.failures.len()
        )),
        "{stdout}"
    );
}

const COMPLIANT: &str = r#"
resource "apprunner_auto_scaling_configuration_version" "prod" {
  auto_scaling_configuration_name = "prod-scaling"
  min_size                        = 3
  max_size                        = 10
  tags                            = { environment = "production" }
}

resource "apprunner_observability_configuration" "xray" {
  observability_configuration_name = "xray"
  trace_configuration {
    vendor = "AWSXRAY"
  }
  tags = { environment = "production" }
}

resource "apprunner_vpc_connector" "private" {
  vpc_connector_name = "private"
  subnets            = ["subnet-private-a", "subnet-private-b", "subnet-private-c"]
  security_groups    = ["sg-01"]
  tags               = { environment = "production" }
}

resource "apprunner_service" "api" {
  service_name                   = "private-api"
  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.prod.arn
  source_configuration {
    auto_deployments_enabled = false
    authentication_configuration {
      access_role_arn = "ROLE"
    }
    image_repository {
      image_identifier      = "ECR/api@DIGEST"
      image_repository_type = "ECR"
      image_configuration {
        runtime_environment_variables = { LOG_LEVEL = "info" }
        runtime_environment_secrets   = { DB_PASSWORD = "SECRET" }
      }
    }
  }
  instance_configuration {
    instance_role_arn = "ROLE"
  }
  health_check_configuration {
    protocol = "HTTP"
    path     = "/health"
  }
  network_configuration {
    ingress_configuration {
      is_publicly_accessible = false
    }
    egress_configuration {
      egress_type       = "VPC"
      vpc_connector_arn = apprunner_vpc_connector.private.arn
    }
  }
  observability_configuration {
    observability_enabled           = true
    observability_configuration_arn = apprunner_observability_configuration.xray.arn
  }
  encryption_configuration {
    kms_key = "KMS"
  }
  tags = { environment = "production" }
}

resource "apprunner_service" "storefront" {
  service_name = "storefront"
  source_configuration {
    auto_deployments_enabled = false
    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:1.0"
      image_repository_type = "ECR_PUBLIC"
    }
  }
  tags = { environment = "dev" }
}

resource "aws_apprunner_service" "code" {
  service_name                   = "code-api"
  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.prod.arn
  source_configuration {
    auto_deployments_enabled = false
    authentication_configuration {
      connection_arn = "CONNECTION"
    }
    code_repository {
      repository_url = "https://github.com/example/code"
      source_code_version {
        type  = "BRANCH"
        value = "main"
      }
      code_configuration {
        configuration_source = "API"
        code_configuration_values {
          runtime = "NODEJS_22"
        }
      }
    }
  }
  instance_configuration {
    instance_role_arn = "ROLE"
  }
  health_check_configuration {
    protocol = "HTTP"
    path     = "/health"
  }
  network_configuration {
    ingress_configuration {
      is_publicly_accessible = false
    }
    egress_configuration {
      egress_type       = "VPC"
      vpc_connector_arn = apprunner_vpc_connector.private.arn
    }
  }
  observability_configuration {
    observability_enabled = true
  }
  encryption_configuration {
    kms_key = "KMS"
  }
  tags = { environment = "production", owner = "team-code" }
}

resource "apprunner_vpc_ingress_connection" "api" {
  name        = "private-api"
  service_arn = apprunner_service.api.arn
  ingress_vpc_configuration {
    vpc_id          = "vpc-01"
    vpc_endpoint_id = "vpce-01"
  }
  tags = { environment = "production" }
}

resource "apprunner_custom_domain_association" "api" {
  domain_name = "api.example.com"
  service_arn = apprunner_service.api.arn
}
"#;

#[test]
fn no_rule_fires_on_a_real_plan_that_keeps_them() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = workspace(&emulator, "us-east-1", &fill(COMPLIANT));
    let verdict = plan_and_check(&ws);
    assert_eq!(verdict, Verdict::default(), "{verdict:#?}");
    // Every rule that fired above is quiet here, for both providers' types.
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ws.path().join("plan.json")).unwrap())
            .unwrap();
    let types: Vec<&str> = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rc| rc["type"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"aws_apprunner_service"), "{types:?}");

    let out = Command::new(env!("CARGO_BIN_EXE_terraform-provider-apprunner"))
        .args(["policy", "check", "plan.json", "--policy"])
        .arg(pack())
        .args(["--data", "team.yaml"])
        .current_dir(ws.path())
        .output()
        .expect("run policy check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(stdout, "\n0 warnings, 0 failures\n");
}

const GUARDED: &str = r#"
resource "apprunner_service" "shop" {
  service_name = "shop-api"
  source_configuration {
    auto_deployments_enabled = false
    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:1.0"
      image_repository_type = "ECR_PUBLIC"
    }
  }
  tags = { environment = "production" }
}

resource "apprunner_custom_domain_association" "shop" {
  domain_name          = "shop.example.com"
  service_arn          = apprunner_service.shop.arn
  enable_www_subdomain = false
}
"#;

#[test]
fn delete_guard_fires_on_a_real_plan_that_deletes_production() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = workspace(&emulator, "us-east-1", GUARDED);
    ws.apply();
    // Nothing deleted: the guard is quiet.
    let verdict = plan_and_check(&ws);
    assert!(
        !verdict
            .failures
            .iter()
            .any(|m| m.ends_with("[delete_guard]")),
        "{verdict:#?}"
    );

    // The service is replaced (a new name) and the domain removed.
    let replaced = GUARDED
        .replace("\"shop-api\"", "\"shop-api-v2\"")
        .split("resource \"apprunner_custom_domain_association\"")
        .next()
        .unwrap()
        .to_string();
    write_main(&ws, "us-east-1", &replaced);
    let verdict = plan_and_check(&ws);
    let report = format!("{verdict:#?}");
    assert!(
        has(&verdict.failures, "delete_guard", "apprunner_service.shop"),
        "{report}"
    );
    assert!(
        has(
            &verdict.failures,
            "delete_guard",
            "apprunner_custom_domain_association.shop"
        ),
        "{report}"
    );
    assert!(
        verdict
            .failures
            .iter()
            .any(|m| m.starts_with("apprunner_service.shop: the plan replaces")),
        "{report}"
    );

    // An exemption by address lets the intended change through.
    ws.write_file(
        "exempt.yaml",
        "apprunner:\n  exempt_addresses:\n    apprunner_service.shop: [delete_guard]\n    apprunner_custom_domain_association.shop: [\"*\"]\n",
    );
    let plan = std::fs::read_to_string(ws.path().join("plan.json")).unwrap();
    let verdict = check(&plan, &[ws.path().join("exempt.yaml")]);
    assert!(
        !verdict
            .failures
            .iter()
            .any(|m| m.ends_with("[delete_guard]")),
        "{verdict:#?}"
    );
}

#[test]
fn rego_unit_tests_pass_in_regorus() {
    let results = policy::run_tests(&pack()).expect("run the Rego tests");
    assert!(results.len() >= 25, "found only {} tests", results.len());
    let failed: Vec<&String> = results
        .iter()
        .filter(|(_, passed)| !passed)
        .map(|(name, _)| name)
        .collect();
    assert!(failed.is_empty(), "failed Rego tests: {failed:?}");
}

#[test]
fn shipped_data_file_holds_the_defaults() {
    // policies/data.yaml documents the defaults: loading it changes nothing.
    let mut engine = policy::load_engine(&pack(), &[], false).unwrap();
    let defaults = engine
        .eval_rule("data.main.default_settings".to_string())
        .unwrap();
    let shipped = policy::read_data(&pack().join("data.yaml")).unwrap();
    assert_eq!(shipped["apprunner"], defaults);
}

#[test]
fn policy_check_reports_unusable_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.json"), "not json").unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_terraform-provider-apprunner"))
            .args(["policy", "check"])
            .args(args)
            .arg("--policy")
            .arg(pack())
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = run(&["plan.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("plan.json"));
    let out = run(&["missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the plan"));
    let out = run(&["plan.json", "--data", "missing.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.yaml"));
}

/// The first `sh` block of a section of the CI guide.
fn guide_block(section: &str) -> String {
    let guide = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guides/policy-checked-ci.md"),
    )
    .unwrap();
    let rest = guide
        .split(&format!("\n## {section}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("no section {section:?} in the guide"));
    let block = rest.split("```sh\n").nth(1).expect("a sh block");
    block.split("```").next().unwrap().to_string()
}

const GUIDE_SERVICE: &str = r#"
resource "apprunner_service" "api" {
  service_name = "guide-api"
  source_configuration {
    auto_deployments_enabled = false
    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:1.0"
      image_repository_type = "ECR_PUBLIC"
    }
  }
  network_configuration {
    ingress_configuration {
      is_publicly_accessible = REACHABLE
    }
  }
  tags = { environment = "dev", owner = "team-web" }
}
"#;

/// Runs `script` in the workspace with Terraform and this build's
/// `terraform-provider-apprunner` on PATH; returns the exit code and output.
fn run_pipeline(ws: &Workspace, script: &str) -> (i32, String) {
    let bin = ws.path().join(".bin");
    std::fs::create_dir_all(&bin).unwrap();
    for (name, target) in [
        ("terraform", support::terraform().to_path_buf()),
        (
            "terraform-provider-apprunner",
            PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-apprunner")),
        ),
    ] {
        let link = bin.join(name);
        if !link.exists() {
            std::os::unix::fs::symlink(target, link).unwrap();
        }
    }
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(ws.path())
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("TF_CLI_CONFIG_FILE", ws.path().join("cli.tfrc"))
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .output()
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn copy_pack(to: &Path) {
    let dest = to.join("policies");
    std::fs::create_dir_all(&dest).unwrap();
    for entry in std::fs::read_dir(pack()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dest.join(path.file_name().unwrap())).unwrap();
    }
    // The team's settings: the shipped defaults.
    std::fs::copy(pack().join("data.yaml"), to.join("policy-data.yaml")).unwrap();
}

#[test]
fn guide_pipeline_runs_as_written_and_applies_only_clean_plans() {
    let script = guide_block("The pipeline");
    assert!(
        script.contains("terraform-provider-apprunner policy check"),
        "{script}"
    );
    // The example workflow runs the same commands.
    let workflow = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/github-actions.yml"),
    )
    .unwrap();
    for line in script.lines().filter(|l| !l.trim().is_empty()) {
        assert!(workflow.contains(line), "the workflow lacks {line:?}");
    }

    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = Workspace::new(&emulator);
    copy_pack(ws.path());

    // A public service is denied: the check fails and nothing is applied.
    ws.write(&GUIDE_SERVICE.replace("REACHABLE", "true"));
    let (code, out) = run_pipeline(&ws, &script);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL - plan.json - main - apprunner_service.api: service \"guide-api\" is reachable from the internet"),
        "{out}"
    );
    assert!(!out.contains("Apply complete"), "{out}");
    assert!(
        emulator.ok("ListServices", serde_json::json!({}))["ServiceSummaryList"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The private service passes and the checked plan is applied.
    ws.write(&GUIDE_SERVICE.replace("REACHABLE", "false"));
    let (code, out) = run_pipeline(&ws, &script);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 warnings, 0 failures"), "{out}");
    assert!(out.contains("Apply complete! Resources: 1 added"), "{out}");
    ws.destroy();
}
