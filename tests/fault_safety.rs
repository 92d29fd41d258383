//! Fault safety with a real Terraform CLI: creates whose answer is lost,
//! calls to a control plane that never answers, interrupts, retry settings,
//! absurd durations, secrets in logs and App Runner maintenance.

mod support;

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::emulator::IMAGE;
use support::{Emulator, Workspace, image_service};

/// A create operation, the configuration that makes one object through
/// it, and where the control plane and Terraform keep that object.
struct LostResponseCase {
    operation: &'static str,
    /// Makes what the configuration needs (a service) and returns the body.
    body: fn(&Emulator) -> String,
    /// Kind in `/_emulator/state` `counts`, and the state address.
    kind: &'static str,
    address: &'static str,
    /// The control plane's identifier of the object, and the state
    /// attribute that must hold it.
    id_of: fn(&Value) -> String,
    state_attr: &'static str,
}

fn running_service(emulator: &Emulator) -> String {
    let arn = emulator.create_service("lost-response-svc");
    assert_eq!(emulator.wait_service(&arn)["Status"], "RUNNING");
    arn
}

fn region(state: &Value) -> &Value {
    &state["regions"]["us-east-1"]
}

fn service_body(name: &str) -> String {
    image_service("test", name, "", "")
}

fn cases() -> Vec<LostResponseCase> {
    vec![
        LostResponseCase {
            operation: "CreateVpcConnector",
            body: |_| {
                r#"
resource "apprunner_vpc_connector" "test" {
  vpc_connector_name = "lost-connector"
  subnets            = ["subnet-1"]
  security_groups    = ["sg-1"]
}
"#
                .into()
            },
            kind: "vpc_connectors",
            address: "apprunner_vpc_connector.test",
            id_of: |s| {
                region(s)["vpc_connectors"][0]["VpcConnectorArn"]
                    .as_str()
                    .unwrap()
                    .into()
            },
            state_attr: "arn",
        },
        LostResponseCase {
            operation: "CreateConnection",
            body: |_| {
                r#"
resource "apprunner_connection" "test" {
  connection_name = "lost-connection"
  provider_type   = "GITHUB"
}
"#
                .into()
            },
            kind: "connections",
            address: "apprunner_connection.test",
            id_of: |s| {
                region(s)["connections"][0]["ConnectionArn"]
                    .as_str()
                    .unwrap()
                    .into()
            },
            state_attr: "arn",
        },
        LostResponseCase {
            operation: "CreateVpcIngressConnection",
            body: |e| {
                let svc = running_service(e);
                format!(
                    r#"
resource "apprunner_vpc_ingress_connection" "test" {{
  name        = "lost-ingress"
  service_arn = "{svc}"
  ingress_vpc_configuration {{
    vpc_id          = "vpc-1"
    vpc_endpoint_id = "vpce-1"
  }}
}}
"#
                )
            },
            kind: "vpc_ingress_connections",
            address: "apprunner_vpc_ingress_connection.test",
            id_of: |s| {
                region(s)["vpc_ingress_connections"][0]["VpcIngressConnectionArn"]
                    .as_str()
                    .unwrap()
                    .into()
            },
            state_attr: "arn",
        },
        LostResponseCase {
            operation: "AssociateCustomDomain",
            body: |e| {
                let svc = running_service(e);
                format!(
                    r#"
resource "apprunner_custom_domain_association" "test" {{
  domain_name = "lost.example.com"
  service_arn = "{svc}"
}}
"#
                )
            },
            kind: "custom_domains",
            address: "apprunner_custom_domain_association.test",
            id_of: |s| {
                region(s)["custom_domains"][0]["DomainName"]
                    .as_str()
                    .unwrap()
                    .into()
            },
            state_attr: "domain_name",
        },
        LostResponseCase {
            operation: "CreateAutoScalingConfiguration",
            body: |_| {
                r#"
resource "apprunner_auto_scaling_configuration_version" "test" {
  auto_scaling_configuration_name = "lost-asc"
  max_concurrency                 = 50
  max_size                        = 5
  min_size                        = 1
}
"#
                .into()
            },
            kind: "auto_scaling_configurations",
            address: "apprunner_auto_scaling_configuration_version.test",
            id_of: |s| {
                region(s)["auto_scaling_configurations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["Builtin"] != json!(true))
                    .unwrap()["AutoScalingConfigurationArn"]
                    .as_str()
                    .unwrap()
                    .into()
            },
            state_attr: "arn",
        },
        LostResponseCase {
            operation: "CreateObservabilityConfiguration",
            body: |_| {
                r#"
resource "apprunner_observability_configuration" "test" {
  observability_configuration_name = "lost-obs"
  trace_configuration {
    vendor = "AWSXRAY"
  }
}
"#
                .into()
            },
            kind: "observability_configurations",
            address: "apprunner_observability_configuration.test",
            id_of: |s| {
                region(s)["observability_configurations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["Builtin"] != json!(true))
                    .unwrap()["ObservabilityConfigurationArn"]
                    .as_str()
                    .unwrap()
                    .into()
            },
            state_attr: "arn",
        },
        LostResponseCase {
            operation: "CreateService",
            body: |_| service_body("lost-service"),
            kind: "services",
            address: "apprunner_service.test",
            id_of: |s| {
                region(s)["services"][0]["ServiceArn"]
                    .as_str()
                    .unwrap()
                    .into()
            },
            state_attr: "arn",
        },
        LostResponseCase {
            operation: "StartDeployment",
            body: |e| {
                let svc = running_service(e);
                format!(
                    r#"
resource "apprunner_deployment" "test" {{
  service_arn = "{svc}"
}}
"#
                )
            },
            kind: "deployments",
            address: "apprunner_deployment.test",
            id_of: |s| {
                let ops: Vec<&Value> = region(s)["operations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|o| o["Type"] == "START_DEPLOYMENT")
                    .collect();
                assert_eq!(ops.len(), 1, "deployments started: {ops:?}");
                ops[0]["Id"].as_str().unwrap().into()
            },
            state_attr: "operation_id",
        },
    ]
}

/// How many objects of `kind` the control plane holds.
fn count(state: &Value, kind: &str) -> u64 {
    if kind == "deployments" {
        return region(state)["operations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["Type"] == "START_DEPLOYMENT")
            .count() as u64;
    }
    state["counts"][kind].as_u64().unwrap_or(0)
}

/// The first answer of each create is lost after the object is made: the
/// apply still succeeds, with exactly one object, and that object in state.
#[test]
fn a_lost_create_response_leaves_one_object_in_state() {
    let mut failures = Vec::new();
    for case in cases() {
        let fault = format!("drop_response:{},count=1", case.operation);
        let emulator = Emulator::start(&["--operation-duration", "200ms", "--fault", &fault]);
        let body = (case.body)(&emulator);
        let ws = Workspace::new(&emulator);
        ws.write(&body);
        ws.ok(&["init", "-no-color", "-input=false"]);
        let out = ws.run(&["apply", "-auto-approve", "-no-color", "-input=false"]);
        let remote = emulator.state();
        let objects = count(&remote, case.kind);
        let fired = emulator.admin_get("/_emulator/faults")["rules"][0]["fired"].clone();
        if out.code != 0 || objects != 1 {
            failures.push(format!(
                "{}: apply exit {}, {objects} object(s), fault fired {fired}:\n{}",
                case.operation,
                out.code,
                out.text()
            ));
            continue;
        }
        assert_eq!(
            fired,
            json!(1),
            "{}: the fault did not fire",
            case.operation
        );
        let state = ws.state();
        let held = state.attr(case.address, case.state_attr);
        let id = (case.id_of)(&remote);
        if held != id {
            failures.push(format!(
                "{}: state holds {held}, the control plane {id}",
                case.operation
            ));
        }
        ws.destroy();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A TCP server on loopback that accepts connections and never answers;
/// it reports each accepted connection on the returned channel.
fn black_hole() -> (String, std::sync::mpsc::Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            // Read what comes, answer nothing; dropped with the test process.
            let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
            let mut buf = [0u8; 4096];
            let _ = (&stream).read(&mut buf);
            held.push(stream);
            let _ = tx.send(());
        }
    });
    (url, rx)
}

/// Starts `terraform ARGS` in `ws` with the workspace's settings, for
/// tests that signal it.
fn spawn_terraform(ws: &Workspace, args: &[&str]) -> std::process::Child {
    Command::new(support::terraform())
        .args(args)
        .current_dir(ws.path())
        .env("TF_CLI_CONFIG_FILE", ws.path().join("cli.tfrc"))
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .expect("start terraform")
}

/// Waits for `child` at most `limit`; kills it past that. The exit code
/// (None when killed), how long it took, and what it printed.
fn wait_at_most(
    mut child: std::process::Child,
    limit: Duration,
) -> (Option<i32>, Duration, String) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let out = child.wait_with_output().expect("output");
            let text = format!(
                "{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            return (status.code(), started.elapsed(), text);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            return (
                None,
                started.elapsed(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn interrupt(child: &std::process::Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
}

const CONNECTOR_WITH_TIMEOUT: &str = r#"
resource "apprunner_vpc_connector" "test" {
  vpc_connector_name = "black-hole"
  subnets            = ["subnet-1"]
  timeouts {
    create = "TIMEOUT"
  }
}
"#;

/// A control plane that accepts connections and never answers: the apply
/// ends by the resource's `timeouts` with a clear error, not never.
#[test]
fn a_silent_control_plane_fails_the_apply_by_the_resource_timeout() {
    let (url, _accepted) = black_hole();
    let ws = Workspace::with_endpoint(&url);
    ws.write(&CONNECTOR_WITH_TIMEOUT.replace("TIMEOUT", "5s"));
    ws.ok(&["init", "-no-color", "-input=false"]);
    let child = spawn_terraform(
        &ws,
        &["apply", "-auto-approve", "-no-color", "-input=false"],
    );
    // Generous: the bound under test is 5 s.
    let (code, took, text) = wait_at_most(child, Duration::from_secs(90));
    eprintln!("apply against a silent control plane ended after {took:?}");
    assert!(
        code.is_some(),
        "apply still running after {took:?}:\n{text}"
    );
    assert_ne!(code, Some(0), "{text}");
    assert!(
        text.contains("Timed out") && text.contains("CreateVpcConnector"),
        "expected a timeout naming the call:\n{text}"
    );
}

/// Ctrl-C while a call to a silent control plane is in flight gives
/// control back at once (Terraform's StopProvider reaches the call).
#[test]
fn an_interrupt_ends_a_call_that_never_answers() {
    let (url, accepted) = black_hole();
    let ws = Workspace::with_endpoint(&url);
    ws.write(&CONNECTOR_WITH_TIMEOUT.replace("TIMEOUT", "30m"));
    ws.ok(&["init", "-no-color", "-input=false"]);
    let child = spawn_terraform(
        &ws,
        &["apply", "-auto-approve", "-no-color", "-input=false"],
    );
    accepted
        .recv_timeout(Duration::from_secs(60))
        .expect("the provider called the control plane");
    std::thread::sleep(Duration::from_millis(300));
    interrupt(&child);
    // The target is 2 s; the bound is generous so that a loaded machine
    // does not fail it, and far below the SDK's own per-attempt timeout.
    let (code, took, text) = wait_at_most(child, Duration::from_secs(20));
    eprintln!("Ctrl-C during a call that never answers: control back after {took:?}");
    assert!(
        code.is_some(),
        "terraform still running {took:?} after Ctrl-C:\n{text}"
    );
    assert!(took < Duration::from_secs(15), "took {took:?}:\n{text}");
}

/// Ctrl-C while App Runner is still making a service: control comes back
/// at once and the service is in state, tainted.
#[test]
fn an_interrupted_create_keeps_the_object_in_state_tainted() {
    let emulator = Emulator::start(&[
        "--operation-duration",
        "200ms",
        "--fault",
        "stuck:CreateService,count=1",
    ]);
    let ws = Workspace::new(&emulator);
    ws.write(&service_body("interrupted"));
    ws.ok(&["init", "-no-color", "-input=false"]);
    let child = spawn_terraform(
        &ws,
        &["apply", "-auto-approve", "-no-color", "-input=false"],
    );
    let started = Instant::now();
    while count(&emulator.state(), "services") == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no service made"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    interrupt(&child);
    let (code, took, text) = wait_at_most(child, Duration::from_secs(20));
    eprintln!("Ctrl-C while App Runner makes a service: control back after {took:?}");
    assert!(code.is_some() && code != Some(0), "{took:?}:\n{text}");
    let state = ws.state();
    let entry = state.entry("apprunner_service.test");
    assert_eq!(entry["tainted"], json!(true), "{entry}");
    let arn = region(&emulator.state())["services"][0]["ServiceArn"].clone();
    assert_eq!(entry["values"]["arn"], arn);
}

/// Ctrl-C while the provider looks for what a create whose answer was lost
/// made: the look is cut short, but one last brief look still finds the
/// object, and it lands in state (tainted) instead of outside it.
#[test]
fn an_interrupted_look_after_a_lost_create_keeps_the_object() {
    let emulator = Emulator::start(&[
        "--operation-duration",
        "200ms",
        "--fault",
        "drop_response:CreateVpcConnector,count=1",
        // The look that follows the lost answer hangs until Ctrl-C.
        "--fault",
        "latency:ListVpcConnectors,count=1,latency_ms=120000",
    ]);
    let ws = Workspace::new(&emulator);
    ws.write(&CONNECTOR_WITH_TIMEOUT.replace("TIMEOUT", "30m"));
    ws.ok(&["init", "-no-color", "-input=false"]);
    let child = spawn_terraform(
        &ws,
        &["apply", "-auto-approve", "-no-color", "-input=false"],
    );
    let started = Instant::now();
    while count(&emulator.state(), "vpc_connectors") == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no connector made"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(1000));
    interrupt(&child);
    let (code, took, text) = wait_at_most(child, Duration::from_secs(60));
    assert!(code.is_some() && code != Some(0), "{took:?}:\n{text}");
    let state = ws.state();
    assert!(
        state.has("apprunner_vpc_connector.test"),
        "the connector App Runner made is not in state:\n{text}"
    );
    let entry = state.entry("apprunner_vpc_connector.test");
    assert_eq!(entry["tainted"], json!(true), "{entry}");
    let arn = region(&emulator.state())["vpc_connectors"][0]["VpcConnectorArn"].clone();
    assert_eq!(entry["values"]["arn"], arn);
    // The next apply replaces the tainted connector: still one in all.
    ws.ok(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    assert_eq!(count(&emulator.state(), "vpc_connectors"), 1);
}

/// Ctrl-C while the AWS SDK backs off between retries of a throttled call
/// (up to 20 s a time, 25 retries): the back-off is cut short and no
/// further attempt is sent, so control comes back at once.
#[test]
fn an_interrupt_cuts_the_retry_back_off_short() {
    let emulator = Emulator::start(&[
        "--operation-duration",
        "200ms",
        // The service's name is looked up before CreateService.
        "--fault",
        "throttle:ListServices",
    ]);
    let ws = Workspace::new(&emulator);
    ws.write(&service_body("throttled"));
    ws.ok(&["init", "-no-color", "-input=false"]);
    let child = spawn_terraform(
        &ws,
        &["apply", "-auto-approve", "-no-color", "-input=false"],
    );
    // Long enough for a few throttled attempts and a longer back-off.
    std::thread::sleep(Duration::from_secs(6));
    interrupt(&child);
    // Without the cut, the retries would run for minutes.
    let (code, took, text) = wait_at_most(child, Duration::from_secs(60));
    eprintln!("Ctrl-C during the SDK's back-off: control back after {took:?}");
    assert!(
        code.is_some(),
        "terraform still running {took:?} after Ctrl-C:\n{text}"
    );
    assert!(took < Duration::from_secs(15), "took {took:?}:\n{text}");
    assert_eq!(count(&emulator.state(), "services"), 0);
}

fn service_with_cpu(name: &str, cpu: &str) -> String {
    image_service(
        "test",
        name,
        "",
        &format!(
            "  instance_configuration {{\n    cpu    = \"{cpu}\"\n    memory = \"4096\"\n  }}"
        ),
    )
}

fn log_path(ws: &mut Workspace, name: &str) -> std::path::PathBuf {
    let path = ws.path().join(name);
    ws.env("TF_LOG_PROVIDER", "INFO");
    ws.env("TF_LOG_PATH", path.to_str().unwrap());
    path
}

/// App Runner maintenance starts with the very call that changes the
/// service (update, deployment, deletion): the provider waits it out
/// within the resource's timeouts, and says so in the log.
#[test]
fn maintenance_is_waited_out_on_update_deploy_and_delete() {
    let emulator = Emulator::start(&[
        "--operation-duration",
        "200ms",
        "--fault",
        "maintenance:UpdateService,count=1,duration_ms=2500",
        "--fault",
        "maintenance:StartDeployment,count=1,duration_ms=2500",
        "--fault",
        "maintenance:DeleteService,count=1,duration_ms=2500",
    ]);
    let mut ws = Workspace::new(&emulator);
    let log = log_path(&mut ws, "maintenance.log");
    ws.write(&service_with_cpu("maintained", "1024"));
    ws.ok(&["init", "-no-color", "-input=false"]);
    ws.apply();
    ws.write(&service_with_cpu("maintained", "2048"));
    ws.apply();
    assert_eq!(
        ws.state().values("apprunner_service.test")["instance_configuration"][0]["cpu"],
        "2048"
    );
    ws.write(&format!(
        "{}\nresource \"apprunner_deployment\" \"test\" {{\n  service_arn = apprunner_service.test.arn\n}}\n",
        service_with_cpu("maintained", "2048")
    ));
    ws.apply();
    assert_eq!(
        ws.state().values("apprunner_deployment.test")["status"],
        "SUCCEEDED"
    );
    ws.destroy();
    let rules = emulator.admin_get("/_emulator/faults")["rules"].clone();
    for rule in rules.as_array().unwrap() {
        assert_eq!(rule["fired"], json!(1), "{rule}");
    }
    assert_eq!(emulator.state()["counts"]["services"], json!(0));
    let text = std::fs::read_to_string(&log).unwrap();
    let waits = text.matches("waiting for maintenance to end").count();
    assert!(
        waits >= 3,
        "the log should say, for each of the three, that the provider waits for maintenance ({waits} times):\n{}",
        text.lines()
            .filter(|l| l.contains("maintenance") || l.contains("OPERATION_IN_PROGRESS"))
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Maintenance on demand through the admin endpoint: the service shows
/// OPERATION_IN_PROGRESS, refuses changes, and comes back by itself; a
/// destroy meanwhile waits for it.
#[test]
fn maintenance_on_demand_holds_the_service_and_destroy_waits() {
    let emulator = Emulator::start(&["--operation-duration", "200ms"]);
    let ws = Workspace::new(&emulator);
    ws.write(&service_body("on-demand"));
    ws.ok(&["init", "-no-color", "-input=false"]);
    ws.apply();
    let arn = ws.state().attr("apprunner_service.test", "arn");
    let answer = emulator.admin(
        "POST",
        "/_emulator/maintenance",
        json!({ "service_arn": arn, "duration_ms": 3000 }),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json()["services"], json!([arn]));
    let svc = emulator.ok("DescribeService", json!({ "ServiceArn": arn }));
    assert_eq!(svc["Service"]["Status"], "OPERATION_IN_PROGRESS");
    let refused = emulator.err("PauseService", json!({ "ServiceArn": arn }));
    assert_eq!(refused.code, "InvalidStateException");
    ws.destroy();
    assert_eq!(emulator.state()["counts"]["services"], json!(0));

    // Every service when none is named; a named one that is not there is a 404.
    let other = emulator.create_service("second");
    emulator.wait_service(&other);
    let all = emulator.admin(
        "POST",
        "/_emulator/maintenance",
        json!({ "duration_ms": 200 }),
    );
    assert_eq!(all.json()["services"], json!([other]));
    std::thread::sleep(Duration::from_millis(400));
    let svc = emulator.ok("DescribeService", json!({ "ServiceArn": other }));
    assert_eq!(svc["Service"]["Status"], "RUNNING");
    let missing = emulator.admin(
        "POST",
        "/_emulator/maintenance",
        json!({ "service_arn": format!("{arn}x") }),
    );
    assert_eq!(missing.status, 404);
}

const THROTTLED_CONNECTOR: &str = r#"
resource "apprunner_vpc_connector" "test" {
  vpc_connector_name = "throttled"
  subnets            = ["subnet-1"]
}
"#;

/// Retries follow the AWS conventions: the provider block, else
/// AWS_MAX_ATTEMPTS, else the profile's max_attempts, else 25 retries.
#[test]
fn retry_settings_come_from_the_block_then_the_environment_then_the_profile() {
    let run = |env: &[(&str, &str)], extra: &str| {
        let emulator = Emulator::start(&["--fault", "throttle:CreateVpcConnector,count=1"]);
        let mut ws = Workspace::new(&emulator);
        for (k, v) in env {
            ws.env(k, &v.replace("DIR", ws.path().to_str().unwrap()));
        }
        ws.write_file("aws_config", "[default]\nmax_attempts = 1\n");
        ws.write_with_provider(&ws.provider_block(extra), THROTTLED_CONNECTOR);
        ws.ok(&["init", "-no-color", "-input=false"]);
        let out = ws.run(&["apply", "-auto-approve", "-no-color", "-input=false"]);
        (out.code, out.text())
    };
    // Nothing set: retried.
    let (code, text) = run(&[], "");
    assert_eq!(code, 0, "{text}");
    // The environment asks for one attempt: not retried.
    let (code, text) = run(&[("AWS_MAX_ATTEMPTS", "1")], "");
    assert_ne!(code, 0, "AWS_MAX_ATTEMPTS=1 must not retry:\n{text}");
    assert!(text.contains("ThrottlingException"), "{text}");
    // So does the profile.
    let (code, text) = run(&[("AWS_CONFIG_FILE", "DIR/aws_config")], "");
    assert_ne!(
        code, 0,
        "max_attempts = 1 in the profile must not retry:\n{text}"
    );
    // The block wins over both.
    let (code, text) = run(
        &[
            ("AWS_MAX_ATTEMPTS", "1"),
            ("AWS_CONFIG_FILE", "DIR/aws_config"),
        ],
        "  max_retries = 2",
    );
    assert_eq!(code, 0, "{text}");
}

/// Absurd durations are a diagnostic at validate, pointing at the
/// attribute; nothing panics.
#[test]
fn absurd_durations_are_refused_at_validate() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    ws.ok(&["init", "-no-color", "-input=false"]);
    for huge in ["999999999999h", "99999999999999999999h"] {
        ws.write(&CONNECTOR_WITH_TIMEOUT.replace("TIMEOUT", huge));
        let out = ws.fails(&["validate", "-no-color"]);
        let text = out.text();
        assert!(
            text.contains("Invalid value for create")
                && text.contains(&format!("create = \"{huge}\"")),
            "{text}"
        );
        assert!(!text.to_lowercase().contains("panic"), "{text}");

        let provider = ws.provider_block(&format!(
            "  assume_role {{\n    role_arn = \"arn:aws:iam::123456789012:role/r\"\n    duration = \"{huge}\"\n  }}\n"
        ));
        ws.write_with_provider(&provider, &CONNECTOR_WITH_TIMEOUT.replace("TIMEOUT", "5m"));
        let out = ws.fails(&["validate", "-no-color"]);
        let text = out.text();
        assert!(text.contains("duration"), "{text}");
        assert!(!text.to_lowercase().contains("panic"), "{text}");
    }
}

/// At TF_LOG=trace, the log holds no credential and no value of a
/// service's runtime environment variables.
#[test]
fn no_secret_in_the_trace_log() {
    const ACCESS_KEY: &str = "AKIAFAULTSAFETY12345";
    const SECRET_KEY: &str = "fault/safety/secret/key/value/0123456789";
    const TOKEN: &str = "FAULTSAFETYSESSIONTOKEN0123456789";
    const ENV_VALUE: &str = "env-value-never-logged-4242";
    let emulator = Emulator::start(&[
        "--operation-duration",
        "200ms",
        "--access-key",
        ACCESS_KEY,
        "--secret-key",
        SECRET_KEY,
    ]);
    let mut ws = Workspace::new(&emulator);
    let log = ws.path().join("trace.log");
    ws.env("TF_LOG", "trace");
    ws.env("TF_LOG_PATH", log.to_str().unwrap());
    let provider = format!(
        "provider \"apprunner\" {{\n  region     = \"us-east-1\"\n  access_key = \"{ACCESS_KEY}\"\n  secret_key = \"{SECRET_KEY}\"\n  token      = \"{TOKEN}\"\n  endpoints {{\n    apprunner = \"{}\"\n  }}\n}}\n",
        emulator.url
    );
    let body = format!(
        r#"
resource "apprunner_service" "test" {{
  service_name = "secretive"
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = "{IMAGE}"
      image_repository_type = "ECR_PUBLIC"
      image_configuration {{
        runtime_environment_variables = {{ DB_PASSWORD = "{ENV_VALUE}" }}
      }}
    }}
  }}
}}
"#
    );
    ws.write_with_provider(&provider, &body);
    ws.ok(&["init", "-no-color", "-input=false"]);
    ws.apply();
    ws.assert_plan_empty(&[], "after apply");
    ws.destroy();
    let text = std::fs::read_to_string(&log).expect("the trace log");
    let provider_lines = text
        .lines()
        .filter(|l| l.contains("provider.terraform-provider-apprunner"))
        .count();
    assert!(
        provider_lines > 50,
        "the log should hold the provider's trace ({provider_lines} lines of {}):\n{}",
        text.lines().count(),
        text.lines().take(40).collect::<Vec<_>>().join("\n")
    );
    for (what, secret) in [
        ("access key", ACCESS_KEY),
        ("secret key", SECRET_KEY),
        ("session token", TOKEN),
        ("environment variable value", ENV_VALUE),
    ] {
        let hits: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(secret))
            .take(3)
            .collect();
        assert!(
            hits.is_empty(),
            "the {what} is in the log:\n{}",
            hits.join("\n")
        );
    }
}
