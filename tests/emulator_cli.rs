//! The AWS CLI as a second, independent client of the local control plane:
//! every one of the 37 operations runs through it, once on the happy path
//! and at least once refused, and the CLI parses every response.

mod emulator_support;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use emulator_support::{Emulator, IMAGE, REGION};
use serde_json::{Value, json};

/// Runs `aws apprunner …` against one control plane and records which
/// operations succeeded and which were refused.
struct Cli {
    bin: PathBuf,
    emulator: Emulator,
    happy: BTreeSet<String>,
    refused: BTreeSet<String>,
}

fn kebab(op: &str) -> String {
    let mut out = String::new();
    for (i, c) in op.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

impl Cli {
    fn new() -> Cli {
        // Zero-length operations: each status change lands by the next call.
        let emulator = Emulator::start(&["--operation-duration", "0s"]);
        Cli {
            bin: emulator_support::aws_cli(),
            emulator,
            happy: BTreeSet::new(),
            refused: BTreeSet::new(),
        }
    }

    fn exec(&self, op: &str, args: &[&str]) -> (bool, String, String) {
        let out = Command::new(&self.bin)
            .args([
                "apprunner",
                &kebab(op),
                "--endpoint-url",
                &self.emulator.url,
                "--region",
                REGION,
                "--output",
                "json",
            ])
            .args(args)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("AWS_MAX_ATTEMPTS", "1")
            .env("AWS_PAGER", "")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .output()
            .expect("run the AWS CLI");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    }

    /// Runs an operation that must succeed; returns the parsed output.
    fn ok(&mut self, op: &str, args: &[&str]) -> Value {
        let (ok, stdout, stderr) = self.exec(op, args);
        assert!(ok, "aws {op} {args:?} failed: {stderr}");
        self.happy.insert(op.to_string());
        if stdout.trim().is_empty() {
            return json!({});
        }
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("aws {op}: output is not JSON ({e}): {stdout}"))
    }

    /// Runs an operation that the control plane must refuse with `code`.
    fn refused(&mut self, op: &str, args: &[&str], code: &str) {
        let (ok, stdout, stderr) = self.exec(op, args);
        assert!(
            !ok,
            "aws {op} {args:?} should have been refused with {code}, got {stdout}"
        );
        let expected = format!("An error occurred ({code}) when calling the {op} operation");
        assert!(
            stderr.contains(&expected),
            "aws {op} {args:?}: expected {expected:?}, got: {stderr}"
        );
        self.refused.insert(op.to_string());
    }

    /// Checks that every operation in `ops` ran both ways.
    fn covered(&self, ops: &[&str]) {
        for op in ops {
            assert!(self.happy.contains(*op), "{op} never succeeded");
            assert!(self.refused.contains(*op), "{op} was never refused");
        }
    }
}

fn image_source() -> String {
    json!({
        "ImageRepository": {
            "ImageIdentifier": IMAGE,
            "ImageRepositoryType": "ECR_PUBLIC",
            "ImageConfiguration": { "Port": "8000", "StartCommand": "node server.js" }
        },
        "AutoDeploymentsEnabled": false
    })
    .to_string()
}

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

const SERVICE_OPS: &[&str] = &[
    "CreateService",
    "DescribeService",
    "UpdateService",
    "DeleteService",
    "ListServices",
    "PauseService",
    "ResumeService",
    "StartDeployment",
    "ListOperations",
];

#[test]
fn cli_service_operations() {
    let mut cli = Cli::new();
    let src = image_source();
    let created = cli.ok(
        "CreateService",
        &["--service-name", "cli-svc", "--source-configuration", &src],
    );
    let arn = s(&created["Service"]["ServiceArn"]);
    assert_eq!(created["Service"]["Status"], "OPERATION_IN_PROGRESS");
    cli.refused(
        "CreateService",
        &["--service-name", "cli-svc", "--source-configuration", &src],
        "InvalidRequestException",
    );

    let described = cli.ok("DescribeService", &["--service-arn", &arn]);
    assert_eq!(described["Service"]["Status"], "RUNNING");
    assert_eq!(
        described["Service"]["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"]["StartCommand"],
        "node server.js"
    );
    let missing = arn.replace("cli-svc", "nope-svc");
    cli.refused(
        "DescribeService",
        &["--service-arn", &missing],
        "ResourceNotFoundException",
    );

    let listed = cli.ok("ListServices", &[]);
    assert_eq!(listed["ServiceSummaryList"].as_array().unwrap().len(), 1);
    cli.refused(
        "ListServices",
        &["--max-results", "21"],
        "InvalidRequestException",
    );

    let updated = cli.ok(
        "UpdateService",
        &[
            "--service-arn",
            &arn,
            "--instance-configuration",
            r#"{"Cpu":"2 vCPU","Memory":"4 GB"}"#,
        ],
    );
    assert!(updated["OperationId"].is_string());
    cli.refused(
        "UpdateService",
        &["--service-arn", &arn],
        "InvalidRequestException",
    );

    let paused = cli.ok("PauseService", &["--service-arn", &arn]);
    assert!(paused["OperationId"].is_string());
    cli.refused(
        "PauseService",
        &["--service-arn", &arn],
        "InvalidStateException",
    );
    cli.refused(
        "StartDeployment",
        &["--service-arn", &arn],
        "InvalidStateException",
    );
    cli.ok("ResumeService", &["--service-arn", &arn]);
    cli.refused(
        "ResumeService",
        &["--service-arn", &arn],
        "InvalidStateException",
    );
    cli.ok("StartDeployment", &["--service-arn", &arn]);

    let ops = cli.ok("ListOperations", &["--service-arn", &arn]);
    let types: Vec<&str> = ops["OperationSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["Type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "START_DEPLOYMENT",
            "RESUME_SERVICE",
            "PAUSE_SERVICE",
            "UPDATE_SERVICE",
            "CREATE_SERVICE"
        ]
    );
    cli.refused(
        "ListOperations",
        &["--service-arn", &missing],
        "ResourceNotFoundException",
    );

    // A service whose creation never finishes refuses everything else.
    cli.emulator
        .add_fault(json!({ "operation": "CreateService", "kind": "stuck", "count": 1 }));
    let stuck = cli.ok(
        "CreateService",
        &[
            "--service-name",
            "cli-stuck",
            "--source-configuration",
            &src,
        ],
    );
    let stuck = s(&stuck["Service"]["ServiceArn"]);
    cli.refused(
        "UpdateService",
        &[
            "--service-arn",
            &stuck,
            "--health-check-configuration",
            r#"{"Protocol":"HTTP"}"#,
        ],
        "InvalidStateException",
    );
    cli.refused(
        "DeleteService",
        &["--service-arn", &stuck],
        "InvalidStateException",
    );

    let deleted = cli.ok("DeleteService", &["--service-arn", &arn]);
    assert!(deleted["OperationId"].is_string());
    assert_eq!(
        cli.ok("DescribeService", &["--service-arn", &arn])["Service"]["Status"],
        "DELETED"
    );
    cli.covered(SERVICE_OPS);
}

const CONFIG_OPS: &[&str] = &[
    "CreateAutoScalingConfiguration",
    "DescribeAutoScalingConfiguration",
    "DeleteAutoScalingConfiguration",
    "ListAutoScalingConfigurations",
    "ListServicesForAutoScalingConfiguration",
    "UpdateDefaultAutoScalingConfiguration",
    "CreateObservabilityConfiguration",
    "DescribeObservabilityConfiguration",
    "DeleteObservabilityConfiguration",
    "ListObservabilityConfigurations",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
];

#[test]
fn cli_configuration_and_tag_operations() {
    let mut cli = Cli::new();
    let asc = cli.ok(
        "CreateAutoScalingConfiguration",
        &[
            "--auto-scaling-configuration-name",
            "cli-asc",
            "--max-concurrency",
            "50",
            "--min-size",
            "2",
            "--max-size",
            "4",
            "--tags",
            "Key=team,Value=platform",
        ],
    );
    let asc_arn = s(&asc["AutoScalingConfiguration"]["AutoScalingConfigurationArn"]);
    assert_eq!(asc["AutoScalingConfiguration"]["Status"], "active");
    cli.refused(
        "CreateAutoScalingConfiguration",
        &[
            "--auto-scaling-configuration-name",
            "cli-asc",
            "--min-size",
            "5",
            "--max-size",
            "2",
        ],
        "InvalidRequestException",
    );

    let described = cli.ok(
        "DescribeAutoScalingConfiguration",
        &["--auto-scaling-configuration-arn", &asc_arn],
    );
    assert_eq!(described["AutoScalingConfiguration"]["MaxConcurrency"], 50);
    let missing_asc = format!(
        "arn:aws:apprunner:{REGION}:123456789012:autoscalingconfiguration/none/1/00000000000000000000000000000009"
    );
    cli.refused(
        "DescribeAutoScalingConfiguration",
        &["--auto-scaling-configuration-arn", &missing_asc],
        "ResourceNotFoundException",
    );

    let listed = cli.ok("ListAutoScalingConfigurations", &["--latest-only"]);
    assert_eq!(
        listed["AutoScalingConfigurationSummaryList"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "{listed}"
    );
    cli.refused(
        "ListAutoScalingConfigurations",
        &["--next-token", "bogus"],
        "InvalidRequestException",
    );

    let src = image_source();
    let svc = cli.ok(
        "CreateService",
        &[
            "--service-name",
            "cli-asc-user",
            "--source-configuration",
            &src,
            "--auto-scaling-configuration-arn",
            &asc_arn,
        ],
    );
    let svc_arn = s(&svc["Service"]["ServiceArn"]);
    let users = cli.ok(
        "ListServicesForAutoScalingConfiguration",
        &["--auto-scaling-configuration-arn", &asc_arn],
    );
    assert_eq!(users["ServiceArnList"], json!([svc_arn]));
    cli.refused(
        "ListServicesForAutoScalingConfiguration",
        &["--auto-scaling-configuration-arn", &missing_asc],
        "ResourceNotFoundException",
    );
    cli.refused(
        "DeleteAutoScalingConfiguration",
        &["--auto-scaling-configuration-arn", &asc_arn],
        "InvalidRequestException",
    );

    let default = cli.ok(
        "UpdateDefaultAutoScalingConfiguration",
        &["--auto-scaling-configuration-arn", &asc_arn],
    );
    assert_eq!(default["AutoScalingConfiguration"]["IsDefault"], true);
    cli.refused(
        "UpdateDefaultAutoScalingConfiguration",
        &["--auto-scaling-configuration-arn", &missing_asc],
        "ResourceNotFoundException",
    );

    let second = cli.ok(
        "CreateAutoScalingConfiguration",
        &["--auto-scaling-configuration-name", "cli-asc2"],
    );
    let second_arn = s(&second["AutoScalingConfiguration"]["AutoScalingConfigurationArn"]);
    let deleted = cli.ok(
        "DeleteAutoScalingConfiguration",
        &["--auto-scaling-configuration-arn", &second_arn],
    );
    assert_eq!(deleted["AutoScalingConfiguration"]["Status"], "inactive");

    let obs = cli.ok(
        "CreateObservabilityConfiguration",
        &[
            "--observability-configuration-name",
            "cli-obs",
            "--trace-configuration",
            "Vendor=AWSXRAY",
        ],
    );
    let obs_arn = s(&obs["ObservabilityConfiguration"]["ObservabilityConfigurationArn"]);
    assert_eq!(obs["ObservabilityConfiguration"]["Status"], "ACTIVE");
    cli.refused(
        "CreateObservabilityConfiguration",
        &[
            "--observability-configuration-name",
            "cli-obs",
            "--trace-configuration",
            "Vendor=JAEGER",
        ],
        "InvalidRequestException",
    );
    let described = cli.ok(
        "DescribeObservabilityConfiguration",
        &["--observability-configuration-arn", &obs_arn],
    );
    assert_eq!(described["ObservabilityConfiguration"]["Latest"], true);
    let missing_obs = obs_arn.replace("cli-obs", "no-obs");
    cli.refused(
        "DescribeObservabilityConfiguration",
        &["--observability-configuration-arn", &missing_obs],
        "ResourceNotFoundException",
    );
    let listed = cli.ok(
        "ListObservabilityConfigurations",
        &["--observability-configuration-name", "cli-obs"],
    );
    assert_eq!(
        listed["ObservabilityConfigurationSummaryList"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    cli.refused(
        "ListObservabilityConfigurations",
        &["--max-results", "101"],
        "InvalidRequestException",
    );
    let default_obs = format!(
        "arn:aws:apprunner:{REGION}:123456789012:observabilityconfiguration/DefaultConfiguration/1/00000000000000000000000000000001"
    );
    cli.refused(
        "DeleteObservabilityConfiguration",
        &["--observability-configuration-arn", &default_obs],
        "InvalidRequestException",
    );
    let deleted = cli.ok(
        "DeleteObservabilityConfiguration",
        &["--observability-configuration-arn", &obs_arn],
    );
    assert_eq!(deleted["ObservabilityConfiguration"]["Status"], "INACTIVE");

    cli.ok(
        "TagResource",
        &[
            "--resource-arn",
            &svc_arn,
            "--tags",
            "Key=env,Value=test",
            "Key=owner,Value=me",
        ],
    );
    cli.refused(
        "TagResource",
        &[
            "--resource-arn",
            &svc_arn,
            "--tags",
            "Key=aws:reserved,Value=x",
        ],
        "InvalidRequestException",
    );
    cli.ok(
        "UntagResource",
        &["--resource-arn", &svc_arn, "--tag-keys", "owner"],
    );
    cli.refused(
        "UntagResource",
        &["--resource-arn", &missing_asc, "--tag-keys", "owner"],
        "ResourceNotFoundException",
    );
    let tags = cli.ok("ListTagsForResource", &["--resource-arn", &svc_arn]);
    assert_eq!(tags["Tags"], json!([{ "Key": "env", "Value": "test" }]));
    let tags = cli.ok("ListTagsForResource", &["--resource-arn", &asc_arn]);
    assert_eq!(
        tags["Tags"],
        json!([{ "Key": "team", "Value": "platform" }])
    );
    cli.refused(
        "ListTagsForResource",
        &["--resource-arn", &missing_obs],
        "ResourceNotFoundException",
    );
    cli.covered(CONFIG_OPS);
}

const NETWORK_OPS: &[&str] = &[
    "CreateVpcConnector",
    "DescribeVpcConnector",
    "DeleteVpcConnector",
    "ListVpcConnectors",
    "CreateVpcIngressConnection",
    "DescribeVpcIngressConnection",
    "UpdateVpcIngressConnection",
    "DeleteVpcIngressConnection",
    "ListVpcIngressConnections",
    "AssociateCustomDomain",
    "DescribeCustomDomains",
    "DisassociateCustomDomain",
    "CreateConnection",
    "DeleteConnection",
    "ListConnections",
];

#[test]
fn cli_network_domain_and_connection_operations() {
    let mut cli = Cli::new();
    let vc = cli.ok(
        "CreateVpcConnector",
        &[
            "--vpc-connector-name",
            "cli-vc",
            "--subnets",
            "subnet-1",
            "subnet-2",
            "--security-groups",
            "sg-1",
        ],
    );
    let vc_arn = s(&vc["VpcConnector"]["VpcConnectorArn"]);
    cli.refused(
        "CreateVpcConnector",
        &["--vpc-connector-name", "cli-vc", "--subnets", "subnet-3"],
        "InvalidRequestException",
    );
    assert_eq!(
        cli.ok("DescribeVpcConnector", &["--vpc-connector-arn", &vc_arn])["VpcConnector"]["Status"],
        "ACTIVE"
    );
    let missing_vc = vc_arn.replace("cli-vc", "no-vc");
    cli.refused(
        "DescribeVpcConnector",
        &["--vpc-connector-arn", &missing_vc],
        "ResourceNotFoundException",
    );
    assert_eq!(
        cli.ok("ListVpcConnectors", &[])["VpcConnectors"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    cli.refused(
        "ListVpcConnectors",
        &["--next-token", "bogus"],
        "InvalidRequestException",
    );
    cli.refused(
        "DeleteVpcConnector",
        &["--vpc-connector-arn", &missing_vc],
        "ResourceNotFoundException",
    );
    assert_eq!(
        cli.ok("DeleteVpcConnector", &["--vpc-connector-arn", &vc_arn])["VpcConnector"]["Status"],
        "INACTIVE"
    );

    let src = image_source();
    let net = r#"{"IngressConfiguration":{"IsPubliclyAccessible":false}}"#;
    let svc = cli.ok(
        "CreateService",
        &[
            "--service-name",
            "cli-private",
            "--source-configuration",
            &src,
            "--network-configuration",
            net,
        ],
    );
    let svc_arn = s(&svc["Service"]["ServiceArn"]);
    assert!(
        svc["Service"].get("ServiceUrl").is_none(),
        "a private service has no URL"
    );
    cli.ok("DescribeService", &["--service-arn", &svc_arn]);

    let vpc = "VpcId=vpc-1,VpcEndpointId=vpce-1";
    let ic = cli.ok(
        "CreateVpcIngressConnection",
        &[
            "--service-arn",
            &svc_arn,
            "--vpc-ingress-connection-name",
            "cli-ic",
            "--ingress-vpc-configuration",
            vpc,
        ],
    );
    let ic_arn = s(&ic["VpcIngressConnection"]["VpcIngressConnectionArn"]);
    assert_eq!(ic["VpcIngressConnection"]["Status"], "PENDING_CREATION");
    assert!(s(&ic["VpcIngressConnection"]["DomainName"]).ends_with(".us-east-1.awsapprunner.com"));
    cli.refused(
        "CreateVpcIngressConnection",
        &[
            "--service-arn",
            &svc_arn,
            "--vpc-ingress-connection-name",
            "cli-ic2",
            "--ingress-vpc-configuration",
            vpc,
        ],
        "ServiceQuotaExceededException",
    );
    assert_eq!(
        cli.ok(
            "DescribeVpcIngressConnection",
            &["--vpc-ingress-connection-arn", &ic_arn]
        )["VpcIngressConnection"]["Status"],
        "AVAILABLE"
    );
    let missing_ic = ic_arn.replace("cli-ic", "no-ic");
    cli.refused(
        "DescribeVpcIngressConnection",
        &["--vpc-ingress-connection-arn", &missing_ic],
        "ResourceNotFoundException",
    );
    let updated = cli.ok(
        "UpdateVpcIngressConnection",
        &[
            "--vpc-ingress-connection-arn",
            &ic_arn,
            "--ingress-vpc-configuration",
            "VpcId=vpc-1,VpcEndpointId=vpce-2",
        ],
    );
    assert_eq!(updated["VpcIngressConnection"]["Status"], "PENDING_UPDATE");
    cli.refused(
        "UpdateVpcIngressConnection",
        &[
            "--vpc-ingress-connection-arn",
            &missing_ic,
            "--ingress-vpc-configuration",
            vpc,
        ],
        "ResourceNotFoundException",
    );
    let listed = cli.ok(
        "ListVpcIngressConnections",
        &["--filter", &format!("ServiceArn={svc_arn}")],
    );
    assert_eq!(
        listed["VpcIngressConnectionSummaryList"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    cli.refused(
        "ListVpcIngressConnections",
        &["--max-results", "500"],
        "InvalidRequestException",
    );

    let domain = cli.ok(
        "AssociateCustomDomain",
        &[
            "--service-arn",
            &svc_arn,
            "--domain-name",
            "example.com",
            "--enable-www-subdomain",
        ],
    );
    assert_eq!(domain["CustomDomain"]["Status"], "creating");
    assert_eq!(
        domain["CustomDomain"]["CertificateValidationRecords"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    cli.refused(
        "AssociateCustomDomain",
        &["--service-arn", &svc_arn, "--domain-name", "example.com"],
        "InvalidRequestException",
    );
    let domains = cli.ok("DescribeCustomDomains", &["--service-arn", &svc_arn]);
    // Zero-length steps: waiting for the records to be in DNS.
    assert_eq!(
        domains["CustomDomains"][0]["Status"],
        "pending_certificate_dns_validation"
    );
    cli.emulator.publish_dns(json!({}));
    let domains = cli.ok("DescribeCustomDomains", &["--service-arn", &svc_arn]);
    // With zero-length steps the rest of the walk has finished by now.
    assert_eq!(domains["CustomDomains"][0]["Status"], "active");
    assert_eq!(
        domains["CustomDomains"][0]["CertificateValidationRecords"][1]["Status"],
        "SUCCESS"
    );
    assert_eq!(domains["VpcDNSTargets"].as_array().unwrap().len(), 1);
    cli.refused(
        "DescribeCustomDomains",
        &["--service-arn", &svc_arn.replace("cli-private", "nope")],
        "ResourceNotFoundException",
    );
    cli.refused(
        "DisassociateCustomDomain",
        &[
            "--service-arn",
            &svc_arn,
            "--domain-name",
            "other.example.com",
        ],
        "ResourceNotFoundException",
    );
    let gone = cli.ok(
        "DisassociateCustomDomain",
        &["--service-arn", &svc_arn, "--domain-name", "example.com"],
    );
    assert_eq!(gone["CustomDomain"]["Status"], "deleting");

    // The service cannot go while its ingress connection is AVAILABLE.
    cli.ok(
        "DescribeVpcIngressConnection",
        &["--vpc-ingress-connection-arn", &ic_arn],
    );
    let (ok, _, stderr) = cli.exec("DeleteService", &["--service-arn", &svc_arn]);
    assert!(
        !ok && stderr.contains("(InvalidStateException)"),
        "{stderr}"
    );
    let deleting = cli.ok(
        "DeleteVpcIngressConnection",
        &["--vpc-ingress-connection-arn", &ic_arn],
    );
    assert_eq!(
        deleting["VpcIngressConnection"]["Status"],
        "PENDING_DELETION"
    );
    cli.refused(
        "DeleteVpcIngressConnection",
        &["--vpc-ingress-connection-arn", &ic_arn],
        "ResourceNotFoundException",
    );

    let conn = cli.ok(
        "CreateConnection",
        &["--connection-name", "cli-conn", "--provider-type", "GITHUB"],
    );
    let conn_arn = s(&conn["Connection"]["ConnectionArn"]);
    assert_eq!(conn["Connection"]["Status"], "PENDING_HANDSHAKE");
    cli.refused(
        "CreateConnection",
        &["--connection-name", "cli-conn", "--provider-type", "GITHUB"],
        "InvalidRequestException",
    );
    assert_eq!(
        cli.ok("ListConnections", &["--connection-name", "cli-conn"])["ConnectionSummaryList"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    cli.refused(
        "ListConnections",
        &["--next-token", "bogus"],
        "InvalidRequestException",
    );
    assert_eq!(
        cli.ok("DeleteConnection", &["--connection-arn", &conn_arn])["Connection"]["Status"],
        "DELETED"
    );
    cli.refused(
        "DeleteConnection",
        &["--connection-arn", &conn_arn],
        "ResourceNotFoundException",
    );
    cli.covered(NETWORK_OPS);
}

/// The three tests above cover exactly the operations of the published model.
#[test]
fn cli_tests_cover_every_operation_of_the_model() {
    let model = emulator_support::botocore_model_dir().join("service-2.json.gz");
    let text = gunzip(&model);
    let model: Value = serde_json::from_str(&text).unwrap();
    let in_model: BTreeSet<&str> = model["operations"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let covered: BTreeSet<&str> = SERVICE_OPS
        .iter()
        .chain(CONFIG_OPS)
        .chain(NETWORK_OPS)
        .copied()
        .collect();
    assert_eq!(in_model.len(), 37);
    assert_eq!(covered, in_model);
}

fn gunzip(path: &std::path::Path) -> String {
    let out = Command::new("gzip")
        .arg("-dc")
        .arg(path)
        .output()
        .expect("run gzip");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}
