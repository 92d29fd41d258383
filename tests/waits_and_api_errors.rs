//! What a user sees of long waits and failed calls: at `TF_LOG=INFO` every
//! poll of a wait is logged with the resource, the operation ID, the status
//! and the time waited so far; an API error's diagnostic carries the HTTP
//! status and AWS's request ID.

mod support;

use regex::Regex;
use support::{Emulator, Workspace};

const IMAGE: &str = "public.ecr.aws/aws-containers/hello-app-runner:latest";

fn service(name: &str) -> String {
    format!(
        r#"
resource "apprunner_service" "test" {{
  service_name = "{name}"
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = "{IMAGE}"
      image_repository_type = "ECR_PUBLIC"
    }}
  }}
}}
"#
    )
}

/// Terraform's output with line breaks and runs of spaces made single
/// spaces, so that matches do not depend on how a message was wrapped.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn each_poll_of_a_wait_is_logged_at_info() {
    // Each step of an operation takes 3 s, so the create is polled several
    // times even on a busy machine.
    let emulator = Emulator::start(&["--operation-duration", "3s"]);
    let mut ws = Workspace::new(&emulator);
    ws.write(&service("polled-at-info"));
    ws.ok(&["init", "-no-color", "-input=false"]);
    ws.env("TF_LOG", "INFO");
    let applied = ws.apply();
    let arn = ws.state().attr("apprunner_service.test", "arn");

    // Terraform relays each provider line with its fields, e.g.
    // `[INFO]  provider.terraform-provider-apprunner: poll: operation ID IN_PROGRESS after 1.3s
    // (create the service): elapsed=1.3s operation_id=ID resource=ARN status="operation ID IN_PROGRESS" …`
    let poll = Regex::new(
        r#"\[INFO\]\s+provider[^:]*: poll: (.+?) after (\d+\.\d)s \(create the service\): (.*)"#,
    )
    .unwrap();
    let polls: Vec<_> = applied
        .stderr
        .lines()
        .filter_map(|l| poll.captures(l))
        .collect();
    assert!(
        polls.len() >= 2,
        "expected several logged polls of the create at TF_LOG=INFO:\n{}",
        applied.stderr
    );
    let uuid = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    let pending = Regex::new(&format!("^operation ({uuid}) IN_PROGRESS$")).unwrap();
    let first = &polls[0];
    let op_id = pending.captures(&first[1]).unwrap_or_else(|| {
        panic!(
            "first poll should see the operation in progress: {}",
            &first[0]
        )
    })[1]
        .to_string();
    for p in &polls {
        let fields = &p[3];
        assert!(fields.contains(&format!("resource={arn}")), "{}", &p[0]);
        assert!(
            fields.contains(&format!("operation_id={op_id}")),
            "{}",
            &p[0]
        );
        assert!(fields.contains(&format!("elapsed={}s", &p[2])), "{}", &p[0]);
        assert!(fields.contains("status="), "{}", &p[0]);
    }
    // The elapsed time grows from poll to poll, and the last poll sees the end.
    let elapsed: Vec<f64> = polls.iter().map(|p| p[2].parse().unwrap()).collect();
    assert!(elapsed.windows(2).all(|w| w[0] <= w[1]), "{elapsed:?}");
    assert!(*elapsed.last().unwrap() >= 2.0, "{elapsed:?}");
    assert_eq!(
        &polls.last().unwrap()[1],
        "done",
        "{}",
        &polls.last().unwrap()[0]
    );

    // At the default level (warnings), waits are quiet.
    let mut quiet = Workspace::new(&emulator);
    quiet.write(&service("polled-quietly"));
    quiet.ok(&["init", "-no-color", "-input=false"]);
    quiet.env("TF_LOG", "WARN");
    let applied = quiet.apply();
    assert!(!applied.stderr.contains(" poll: "), "{}", applied.stderr);
    quiet.destroy();
    ws.destroy();
}

#[test]
fn an_api_error_names_the_http_status_and_request_id() {
    // Every ListVpcConnectors answers 503; with no retries the first one is
    // the error.
    let emulator = Emulator::start(&[
        "--operation-duration",
        "0s",
        "--fault",
        "server_error:ListVpcConnectors,status=503",
    ]);
    let ws = Workspace::new(&emulator);
    ws.write_with_provider(
        &ws.provider_block("  max_retries = 0"),
        r#"
data "apprunner_vpc_connector" "test" {
  vpc_connector_name = "shared-egress"
}
"#,
    );
    ws.ok(&["init", "-no-color", "-input=false"]);
    let failed = ws.fails(&["plan", "-no-color", "-input=false"]);
    let text = flat(&failed.text());
    assert!(
        text.contains("App Runner ListVpcConnectors failed for shared-egress"),
        "the diagnostic names the operation and the resource:\n{text}"
    );
    assert!(
        text.contains("ServiceUnavailableException"),
        "the diagnostic carries AWS's error:\n{text}"
    );
    let answered = Regex::new(
        r"HTTP status 503, request ID [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    )
    .unwrap();
    assert!(
        answered.is_match(&text),
        "the diagnostic carries the HTTP status and AWS's request ID:\n{text}"
    );
}
