//! `moved` blocks from `aws_apprunner_observability_configuration`,
//! `aws_apprunner_default_auto_scaling_configuration_version` and
//! `aws_apprunner_deployment`, from every state format the AWS provider has
//! written: v5 (no `region`, no identity), v6 (with `region`, and the ARN
//! identity where it has one), and v6.0 states of objects created before
//! identities existed (identity `{ arn = null }`). The plan shows no change,
//! with and without refresh, and App Runner is not touched.

mod support;

use serde_json::{Value, json};
use support::{Emulator, workspace_moving_from_aws};

/// How the AWS provider wrote a state.
#[derive(Clone, Copy, Debug)]
enum Written {
    /// v5: no `region`, no identity.
    V5,
    /// v6 with an identity where the type has one.
    V6,
    /// v6.0 reading a v5 object: `region`, and an identity of nulls.
    V6NullIdentity,
}

const ALL: [Written; 3] = [Written::V5, Written::V6, Written::V6NullIdentity];

/// Adds what `written` adds to v5 attributes: `region`, and for types with
/// an ARN identity, the identity.
fn as_written(
    mut attributes: Value,
    written: Written,
    arn_identity: bool,
) -> (Value, Option<Value>) {
    if matches!(written, Written::V5) {
        return (attributes, None);
    }
    attributes["region"] = json!("us-east-1");
    let identity = match written {
        Written::V6 if arn_identity => Some(json!({ "arn": attributes["arn"] })),
        Written::V6NullIdentity if arn_identity => Some(json!({ "arn": null })),
        _ => None,
    };
    (attributes, identity)
}

/// Moves `aws_<type>.this` to `<type>.this`: no change planned with and
/// without refresh, nothing created or deleted, the identity filled in.
/// Returns the state after the move.
fn assert_moves(
    emulator: &Emulator,
    type_name: &str,
    (attributes, identity): (Value, Option<Value>),
    body: &str,
    why: &str,
) -> support::State {
    let before = emulator.state()["counts"].clone();
    let ws = workspace_moving_from_aws(emulator, type_name, attributes, identity, body);
    let address = format!("{type_name}.this");
    for refresh in ["-refresh=false", "-refresh=true"] {
        let plan = ws.plan(&[refresh]);
        let change = plan.change(&address);
        assert_eq!(
            change["actions"],
            json!(["no-op"]),
            "{why} {refresh}: {change:#}"
        );
        let moved = plan.0["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["address"] == address.as_str())
            .unwrap();
        assert_eq!(moved["previous_address"], format!("aws_{type_name}.this"));
    }
    ws.ok(&["apply", "-auto-approve", "-no-color"]);
    ws.assert_plan_empty(&[], &format!("{why}, after the move"));
    ws.assert_plan_empty(&["-refresh=false"], &format!("{why}, after the move"));
    let state = ws.state();
    assert_eq!(state.values(&address)["region"], "us-east-1", "{why}");
    assert_eq!(
        emulator.state()["counts"],
        before,
        "{why}: the move created or deleted something"
    );
    // The object is now this provider's; the AWS provider's is forgotten.
    ws.ok(&["state", "rm", "-no-color", &address]);
    state
}

#[test]
fn observability_configuration_moves_from_every_aws_state() {
    let emulator = Emulator::start(&[]);
    for written in ALL {
        let name = format!("legacy-obs-{}", format!("{written:?}").to_lowercase());
        let created = emulator.ok(
            "CreateObservabilityConfiguration",
            json!({
                "ObservabilityConfigurationName": name,
                "TraceConfiguration": { "Vendor": "AWSXRAY" },
                "Tags": [{ "Key": "env", "Value": "prod" }]
            }),
        )["ObservabilityConfiguration"]
            .clone();
        let arn = created["ObservabilityConfigurationArn"].clone();
        let attributes = json!({
            "arn": arn, "id": arn,
            "latest": true,
            "observability_configuration_name": name,
            "observability_configuration_revision": created["ObservabilityConfigurationRevision"],
            "status": "ACTIVE",
            "trace_configuration": [{ "vendor": "AWSXRAY" }],
            "tags": { "env": "prod" },
            "tags_all": { "env": "prod" }
        });
        let state = assert_moves(
            &emulator,
            "apprunner_observability_configuration",
            as_written(attributes, written, true),
            &format!(
                "resource \"apprunner_observability_configuration\" \"this\" {{\n  observability_configuration_name = \"{name}\"\n  trace_configuration {{\n    vendor = \"AWSXRAY\"\n  }}\n  tags = {{ env = \"prod\" }}\n}}\n"
            ),
            &format!("{written:?}"),
        );
        assert_eq!(
            state.entry("apprunner_observability_configuration.this")["identity"],
            json!({ "arn": arn }),
            "{written:?}"
        );
    }
    // Without tracing the AWS provider stores an empty list.
    let created = emulator.ok(
        "CreateObservabilityConfiguration",
        json!({ "ObservabilityConfigurationName": "legacy-untraced" }),
    )["ObservabilityConfiguration"]
        .clone();
    let arn = created["ObservabilityConfigurationArn"].clone();
    assert_moves(
        &emulator,
        "apprunner_observability_configuration",
        as_written(
            json!({
                "arn": arn, "id": arn, "latest": true,
                "observability_configuration_name": "legacy-untraced",
                "observability_configuration_revision": 1, "status": "ACTIVE",
                "trace_configuration": [], "tags": {}, "tags_all": {}
            }),
            Written::V6,
            true,
        ),
        "resource \"apprunner_observability_configuration\" \"this\" {\n  observability_configuration_name = \"legacy-untraced\"\n}\n",
        "untraced",
    );
}

/// The AWS provider set `id` to the account ID (later versions: the
/// region); here `id` is the region, and v5 states get theirs from the
/// configuration's ARN.
#[test]
fn default_auto_scaling_configuration_moves_from_every_aws_state() {
    let emulator = Emulator::start(&[]);
    let asc = emulator.ok(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "legacy-default" }),
    )["AutoScalingConfiguration"]["AutoScalingConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    emulator.ok(
        "UpdateDefaultAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": asc }),
    );
    let body = format!(
        "resource \"apprunner_default_auto_scaling_configuration_version\" \"this\" {{\n  auto_scaling_configuration_arn = \"{asc}\"\n}}\n"
    );
    let cases = [
        (Written::V5, "123456789012"),
        (Written::V6, "123456789012"),
        (Written::V6, "us-east-1"),
    ];
    for (written, id) in cases {
        let attributes = json!({ "auto_scaling_configuration_arn": asc, "id": id });
        let state = assert_moves(
            &emulator,
            "apprunner_default_auto_scaling_configuration_version",
            as_written(attributes, written, false),
            &body,
            &format!("{written:?} with id {id}"),
        );
        let entry = state.entry("apprunner_default_auto_scaling_configuration_version.this");
        assert_eq!(entry["values"]["id"], "us-east-1");
        assert_eq!(entry["identity"], json!({ "region": "us-east-1" }));
    }
    // Still the region's default: the move changed nothing.
    let list = emulator.ok("ListAutoScalingConfigurations", json!({}));
    let default = list["AutoScalingConfigurationSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["IsDefault"] == true)
        .unwrap()["AutoScalingConfigurationArn"]
        .clone();
    assert_eq!(default, json!(asc));
}

/// Deployments have no identity in the AWS provider; here they get one.
/// Moving one deploys nothing.
#[test]
fn deployment_moves_from_every_aws_state() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let svc = emulator.create_service("legacy-deploy-svc");
    emulator.wait_service(&svc);
    let op = emulator.ok("StartDeployment", json!({ "ServiceArn": svc }))["OperationId"]
        .as_str()
        .unwrap()
        .to_string();
    emulator.wait_service(&svc);
    let operations = || {
        emulator.ok("ListOperations", json!({ "ServiceArn": svc }))["OperationSummaryList"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = operations();
    for written in ALL {
        let attributes = json!({
            "id": op, "operation_id": op, "service_arn": svc, "status": "SUCCEEDED",
            "timeouts": null
        });
        let state = assert_moves(
            &emulator,
            "apprunner_deployment",
            as_written(attributes, written, false),
            &format!(
                "resource \"apprunner_deployment\" \"this\" {{\n  service_arn = \"{svc}\"\n}}\n"
            ),
            &format!("{written:?}"),
        );
        assert_eq!(
            state.entry("apprunner_deployment.this")["identity"],
            json!({ "service_arn": svc, "operation_id": op })
        );
    }
    assert_eq!(operations(), before, "moving a deployment deploys nothing");
}
