//! The control plane's behaviour as seen on the wire: signatures, input
//! rules, status transitions, revision semantics, quotas, pagination, fault
//! rules, the admin endpoint and persistence.

mod emulator_support;

use std::process::Command;

use emulator_support::{Emulator, REGION, service_body, signed_headers};
use serde_json::{Value, json};

fn arn_of(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no {pointer} in {v}"))
        .to_string()
}

fn ops_of(emu: &Emulator, arn: &str) -> Vec<(String, String)> {
    emu.ok("ListOperations", json!({ "ServiceArn": arn }))["OperationSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["Type"].as_str().unwrap().to_string(),
                o["Status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Moves the clock past any pending step (a rollback takes two) and
/// returns the settled service.
fn settle(emu: &Emulator, arn: &str) -> Value {
    emu.advance_clock(3.0 * 3600.0);
    emu.wait_service(arn)
}

fn pair(t: &str, s: &str) -> (String, String) {
    (t.to_string(), s.to_string())
}

#[test]
fn bad_signatures_are_refused_with_aws_error_shapes() {
    let emu = Emulator::start(&[]);
    let body = br#"{}"#;
    let send =
        |headers: Vec<(String, String)>, body: &[u8]| emu.raw("POST", "/", &headers, body).unwrap();

    let unsigned = vec![(
        "x-amz-target".to_string(),
        "AppRunner.ListServices".to_string(),
    )];
    let r = send(unsigned, body);
    assert_eq!(
        (r.status, r.json()["__type"].as_str().unwrap()),
        (403, "MissingAuthenticationTokenException")
    );

    let r = send(
        signed_headers(
            &emu.addr,
            "ListServices",
            body,
            REGION,
            "test",
            "wrong-secret",
        ),
        body,
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["__type"], "InvalidSignatureException");
    assert!(
        r.json()["Message"]
            .as_str()
            .unwrap()
            .starts_with("The request signature we calculated does not match")
    );
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("InvalidSignatureException")
    );
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.0"));

    let r = send(
        signed_headers(
            &emu.addr,
            "ListServices",
            body,
            REGION,
            "AKIAUNKNOWN",
            "test",
        ),
        body,
    );
    assert_eq!(
        (r.status, r.json()["__type"].as_str().unwrap()),
        (403, "UnrecognizedClientException")
    );

    // Signed for one body, sent with another.
    let r = send(
        signed_headers(&emu.addr, "ListServices", body, REGION, "test", "test"),
        br#"{"MaxResults":1}"#,
    );
    assert_eq!(r.json()["__type"], "InvalidSignatureException");

    // Signed for one operation, sent as another.
    let mut headers = signed_headers(&emu.addr, "ListServices", body, REGION, "test", "test");
    headers
        .iter_mut()
        .find(|(k, _)| k == "x-amz-target")
        .unwrap()
        .1 = "AppRunner.ListConnections".into();
    assert_eq!(
        send(headers, body).json()["__type"],
        "InvalidSignatureException"
    );

    let e = emu
        .call_as("ListServices", json!({}), REGION, "test", "nope")
        .unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (403, "InvalidSignatureException")
    );
    // Properly signed requests pass, in any region.
    emu.call_in("eu-west-1", "ListServices", json!({})).unwrap();
    let e = emu.err("NoSuchOperation", json!({}));
    assert_eq!(
        (e.status, e.code.as_str()),
        (400, "UnknownOperationException")
    );
}

#[test]
fn input_rules_give_aws_validation_messages() {
    let emu = Emulator::start(&[]);
    let e = emu.err("CreateService", json!({ "ServiceName": "ab" }));
    assert_eq!(
        (e.status, e.code.as_str()),
        (400, "InvalidRequestException")
    );
    assert_eq!(
        e.message,
        "3 validation errors detected: Value 'ab' at 'serviceName' failed to satisfy constraint: Member must have length greater than or equal to 4; \
         Value 'ab' at 'serviceName' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9][A-Za-z0-9-_]{3,39}; \
         Value null at 'sourceConfiguration' failed to satisfy constraint: Member must not be null"
    );
    let e = emu.err(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "valid-name", "MaxConcurrency": 500 }),
    );
    assert!(e.message.contains("Value '500' at 'maxConcurrency' failed to satisfy constraint: Member must have value less than or equal to 200"), "{}", e.message);
    let e = emu.err(
        "CreateConnection",
        json!({ "ConnectionName": "conn", "ProviderType": "GITLAB" }),
    );
    assert!(
        e.message
            .contains("Member must satisfy enum value set: [GITHUB, BITBUCKET]"),
        "{}",
        e.message
    );
    let mut body = service_body("valid-svc");
    body["HealthCheckConfiguration"] = json!({ "Interval": 0 });
    body["Tags"] = json!([{ "Key": "aws:x", "Value": "y" }]);
    let e = emu.err("CreateService", body);
    assert!(
        e.message.starts_with("2 validation errors detected"),
        "{}",
        e.message
    );
    assert!(e.message.contains("'tags.1.member.key'"), "{}", e.message);
    let e = emu.err("ListServices", json!({ "MaxResults": "ten" }));
    assert_eq!(e.code, "SerializationException");
    // Secrets are not echoed back in messages.
    let mut body = service_body("secret-svc");
    body["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"] =
        json!({ "StartCommand": "a\nb" });
    let e = emu.err("CreateService", body);
    assert!(
        !e.message.contains("a\nb") && e.message.contains("startCommand"),
        "{}",
        e.message
    );
}

#[test]
fn service_statuses_move_over_time_and_with_faults() {
    let emu = Emulator::start(&["--operation-duration", "1h"]);
    let arn = emu.create_service("svc-a");
    assert_eq!(
        emu.ok("DescribeService", json!({ "ServiceArn": arn }))["Service"]["Status"],
        "OPERATION_IN_PROGRESS"
    );
    assert_eq!(ops_of(&emu, &arn), [pair("CREATE_SERVICE", "IN_PROGRESS")]);
    assert_eq!(settle(&emu, &arn)["Status"], "RUNNING");
    assert_eq!(ops_of(&emu, &arn), [pair("CREATE_SERVICE", "SUCCEEDED")]);

    // A failed deployment rolls back to the previous configuration.
    emu.add_fault(json!({ "operation": "UpdateService", "kind": "rollback", "count": 1 }));
    let update =
        json!({ "ServiceArn": arn, "InstanceConfiguration": { "Cpu": "2048", "Memory": "4096" } });
    let during = emu.ok("UpdateService", update.clone());
    assert_eq!(during["Service"]["InstanceConfiguration"]["Cpu"], "2048");
    let e = emu.err("PauseService", json!({ "ServiceArn": arn }));
    assert_eq!(e.code, "InvalidStateException");
    let after = settle(&emu, &arn);
    assert_eq!(after["Status"], "RUNNING");
    assert_eq!(
        after["InstanceConfiguration"]["Cpu"], "1024",
        "back on the previous configuration"
    );
    assert_eq!(
        ops_of(&emu, &arn)[0],
        pair("UPDATE_SERVICE", "ROLLBACK_SUCCEEDED")
    );
    emu.ok("UpdateService", update);
    assert_eq!(settle(&emu, &arn)["InstanceConfiguration"]["Cpu"], "2048");
    assert_eq!(ops_of(&emu, &arn)[0], pair("UPDATE_SERVICE", "SUCCEEDED"));

    emu.add_fault(json!({ "operation": "StartDeployment", "kind": "rollback", "count": 1 }));
    emu.ok("StartDeployment", json!({ "ServiceArn": arn }));
    assert_eq!(settle(&emu, &arn)["Status"], "RUNNING");
    assert_eq!(
        ops_of(&emu, &arn)[0],
        pair("START_DEPLOYMENT", "ROLLBACK_SUCCEEDED")
    );
    emu.add_fault(json!({ "operation": "StartDeployment", "kind": "fail", "count": 1 }));
    emu.ok("StartDeployment", json!({ "ServiceArn": arn }));
    assert_eq!(settle(&emu, &arn)["Status"], "RUNNING");
    assert_eq!(ops_of(&emu, &arn)[0], pair("START_DEPLOYMENT", "FAILED"));

    emu.add_fault(json!({ "operation": "PauseService", "kind": "fail", "count": 1 }));
    emu.ok("PauseService", json!({ "ServiceArn": arn }));
    assert_eq!(settle(&emu, &arn)["Status"], "RUNNING");
    emu.ok("PauseService", json!({ "ServiceArn": arn }));
    assert_eq!(settle(&emu, &arn)["Status"], "PAUSED");
    // Updating a paused service leaves it paused.
    emu.ok(
        "UpdateService",
        json!({ "ServiceArn": arn, "HealthCheckConfiguration": { "Protocol": "HTTP" } }),
    );
    assert_eq!(settle(&emu, &arn)["Status"], "PAUSED");
    emu.add_fault(json!({ "operation": "ResumeService", "kind": "fail", "count": 1 }));
    emu.ok("ResumeService", json!({ "ServiceArn": arn }));
    assert_eq!(settle(&emu, &arn)["Status"], "PAUSED");

    emu.add_fault(json!({ "operation": "DeleteService", "kind": "fail", "count": 1 }));
    emu.ok("DeleteService", json!({ "ServiceArn": arn }));
    assert_eq!(settle(&emu, &arn)["Status"], "DELETE_FAILED");
    emu.ok("DeleteService", json!({ "ServiceArn": arn }));
    let deleted = settle(&emu, &arn);
    assert_eq!(deleted["Status"], "DELETED");
    assert!(deleted["DeletedAt"].is_number());
    let types: Vec<String> = ops_of(&emu, &arn).into_iter().map(|(t, _)| t).collect();
    assert_eq!(types.len(), 11);
    assert_eq!(types[0], "DELETE_SERVICE");

    // A failed creation can be rebuilt with UpdateService.
    emu.add_fault(json!({ "operation": "CreateService", "kind": "fail", "count": 1 }));
    let failed = emu.create_service("svc-b");
    assert_eq!(settle(&emu, &failed)["Status"], "CREATE_FAILED");
    assert_eq!(ops_of(&emu, &failed), [pair("CREATE_SERVICE", "FAILED")]);
    emu.ok(
        "UpdateService",
        json!({ "ServiceArn": failed, "HealthCheckConfiguration": { "Timeout": 5 } }),
    );
    assert_eq!(settle(&emu, &failed)["Status"], "RUNNING");

    // A stuck operation never ends, however long one waits.
    emu.add_fault(json!({ "operation": "CreateService", "kind": "stuck", "count": 1 }));
    let stuck = emu.create_service("svc-c");
    emu.advance_clock(24.0 * 3600.0);
    assert_eq!(
        emu.ok("DescribeService", json!({ "ServiceArn": stuck }))["Service"]["Status"],
        "OPERATION_IN_PROGRESS"
    );
    assert_eq!(
        ops_of(&emu, &stuck),
        [pair("CREATE_SERVICE", "IN_PROGRESS")]
    );
    for op in [
        "UpdateService",
        "PauseService",
        "ResumeService",
        "StartDeployment",
        "DeleteService",
    ] {
        let mut body = json!({ "ServiceArn": stuck });
        if op == "UpdateService" {
            body["HealthCheckConfiguration"] = json!({ "Timeout": 5 });
        }
        assert_eq!(emu.err(op, body).code, "InvalidStateException", "{op}");
    }
    assert_eq!(emu.state()["counts"]["operations_in_progress"], 1);
}

#[test]
fn the_clock_can_be_advanced_past_long_operations() {
    let emu = Emulator::start(&[
        "--operation-duration",
        "1h",
        "--operation-duration",
        "DeleteService=0s",
    ]);
    let arn = emu.create_service("slow-svc");
    assert_eq!(
        emu.ok("DescribeService", json!({ "ServiceArn": arn }))["Service"]["Status"],
        "OPERATION_IN_PROGRESS"
    );
    emu.advance_clock(3601.0);
    assert_eq!(
        emu.ok("DescribeService", json!({ "ServiceArn": arn }))["Service"]["Status"],
        "RUNNING"
    );
    emu.ok("DeleteService", json!({ "ServiceArn": arn }));
    assert_eq!(
        emu.ok("DescribeService", json!({ "ServiceArn": arn }))["Service"]["Status"],
        "DELETED"
    );
}

/// Inside a given IngressConfiguration, an absent IsPubliclyAccessible is
/// the model's default, false: SDKs leave default-valued booleans out (the
/// Rust SDK sends `{}` for a private service). No IngressConfiguration at
/// all means public.
#[test]
fn ingress_configuration_without_the_flag_is_private() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let mut body = service_body("sdk-private");
    body["NetworkConfiguration"] = json!({ "IngressConfiguration": {} });
    let arn = arn_of(&emu.ok("CreateService", body), "/Service/ServiceArn");
    let s = emu.ok("DescribeService", json!({ "ServiceArn": arn }))["Service"].clone();
    assert_eq!(
        s["NetworkConfiguration"]["IngressConfiguration"],
        json!({ "IsPubliclyAccessible": false })
    );
    assert!(s.get("ServiceUrl").is_none());
    emu.ok(
        "UpdateService",
        json!({ "ServiceArn": arn, "NetworkConfiguration": { "IngressConfiguration": { "IsPubliclyAccessible": true } } }),
    );
    emu.wait_service(&arn);
    emu.ok(
        "UpdateService",
        json!({ "ServiceArn": arn, "NetworkConfiguration": { "IngressConfiguration": {} } }),
    );
    let s = emu.wait_service(&arn);
    assert_eq!(
        s["NetworkConfiguration"]["IngressConfiguration"],
        json!({ "IsPubliclyAccessible": false })
    );
    let public = arn_of(
        &emu.ok("CreateService", service_body("sdk-public")),
        "/Service/ServiceArn",
    );
    let s = emu.ok("DescribeService", json!({ "ServiceArn": public }))["Service"].clone();
    assert_eq!(
        s["NetworkConfiguration"]["IngressConfiguration"],
        json!({ "IsPubliclyAccessible": true })
    );
}

#[test]
fn service_configuration_is_stored_and_returned_exactly() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let mut body = service_body("exact-svc");
    body["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"] = json!({
        "Port": "3000",
        "StartCommand": "npm start",
        "RuntimeEnvironmentVariables": { "A": "1" },
        "RuntimeEnvironmentSecrets": { "S": "arn:aws:secretsmanager:us-east-1:123456789012:secret:s" }
    });
    body["InstanceConfiguration"] = json!({ "Cpu": "0.5 vCPU", "Memory": "1 GB" });
    body["NetworkConfiguration"] =
        json!({ "IngressConfiguration": { "IsPubliclyAccessible": false } });
    let created = emu.ok("CreateService", body.clone());
    let arn = arn_of(&created, "/Service/ServiceArn");
    assert!(
        created["Service"].get("ServiceUrl").is_none(),
        "private services have no ServiceUrl"
    );
    let s = emu.ok("DescribeService", json!({ "ServiceArn": arn }))["Service"].clone();
    assert_eq!(s["SourceConfiguration"], body["SourceConfiguration"]);
    assert_eq!(
        s["InstanceConfiguration"],
        json!({ "Cpu": "512", "Memory": "1024" })
    );
    assert_eq!(s["HealthCheckConfiguration"]["Protocol"], "TCP");
    assert!(s.get("ServiceUrl").is_none());

    // UpdateService replaces the source configuration it is given, whole.
    let new_source = service_body("x")["SourceConfiguration"].clone();
    emu.ok(
        "UpdateService",
        json!({
            "ServiceArn": arn,
            "SourceConfiguration": new_source,
            "NetworkConfiguration": { "IngressConfiguration": { "IsPubliclyAccessible": true } }
        }),
    );
    let s = emu.ok("DescribeService", json!({ "ServiceArn": arn }))["Service"].clone();
    assert_eq!(
        s["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"],
        json!({ "Port": "8080" })
    );
    assert!(
        s["ServiceUrl"]
            .as_str()
            .unwrap()
            .ends_with(".us-east-1.awsapprunner.com")
    );
    assert_eq!(
        s["InstanceConfiguration"]["Cpu"], "512",
        "parts not given are unchanged"
    );

    let e = emu.err(
        "UpdateService",
        json!({ "ServiceArn": arn, "InstanceConfiguration": { "Cpu": "4096", "Memory": "2048" } }),
    );
    assert_eq!(e.code, "InvalidRequestException");
    let code_source = json!({
        "CodeRepository": { "RepositoryUrl": "https://github.com/x/y", "SourceCodeVersion": { "Type": "BRANCH", "Value": "main" } },
        "AuthenticationConfiguration": { "ConnectionArn": "arn:aws:apprunner:us-east-1:123456789012:connection/c/0123" }
    });
    assert_eq!(
        emu.err(
            "UpdateService",
            json!({ "ServiceArn": arn, "SourceConfiguration": code_source })
        )
        .code,
        "InvalidRequestException"
    );
    let mut private_ecr = service_body("ecr-svc");
    private_ecr["SourceConfiguration"]["ImageRepository"] = json!({ "ImageIdentifier": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest", "ImageRepositoryType": "ECR" });
    assert!(
        emu.err("CreateService", private_ecr.clone())
            .message
            .contains("AccessRoleArn")
    );
    private_ecr["SourceConfiguration"]["AuthenticationConfiguration"] =
        json!({ "AccessRoleArn": "arn:aws:iam::123456789012:role/ecr-access" });
    emu.ok("CreateService", private_ecr);

    // App Runner cannot watch a public image for pushes.
    let mut auto_public = service_body("auto-public");
    auto_public["SourceConfiguration"]["AutoDeploymentsEnabled"] = json!(true);
    let e = emu.err("CreateService", auto_public);
    assert_eq!(e.code, "InvalidRequestException");
    assert!(e.message.contains("automatic deployments"), "{}", e.message);
}

#[test]
fn auto_scaling_revisions_latest_and_the_default() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let create = |min: i64| {
        let v = emu.ok(
            "CreateAutoScalingConfiguration",
            json!({ "AutoScalingConfigurationName": "scale", "MinSize": min }),
        );
        v["AutoScalingConfiguration"].clone()
    };
    let r1 = create(1);
    let r2 = create(2);
    assert_eq!(
        (
            r1["AutoScalingConfigurationRevision"].as_i64(),
            r2["AutoScalingConfigurationRevision"].as_i64()
        ),
        (Some(1), Some(2))
    );
    let r1_arn = arn_of(&r1, "/AutoScalingConfigurationArn");
    let r2_arn = arn_of(&r2, "/AutoScalingConfigurationArn");
    assert!(
        r1_arn.starts_with(
            "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/scale/1/"
        )
    );
    assert_eq!(r1_arn.rsplit('/').next().unwrap().len(), 32);
    let d1 = emu.ok(
        "DescribeAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": r1_arn }),
    );
    assert_eq!(d1["AutoScalingConfiguration"]["Latest"], false);
    let name_arn = "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/scale";
    let latest = emu.ok(
        "DescribeAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": name_arn }),
    );
    assert_eq!(
        latest["AutoScalingConfiguration"]["AutoScalingConfigurationArn"],
        r2_arn.as_str()
    );
    assert_eq!(latest["AutoScalingConfiguration"]["Latest"], true);
    let all = emu.ok(
        "ListAutoScalingConfigurations",
        json!({ "AutoScalingConfigurationName": "scale" }),
    );
    assert_eq!(
        all["AutoScalingConfigurationSummaryList"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let latest_only = emu.ok(
        "ListAutoScalingConfigurations",
        json!({ "LatestOnly": true }),
    );
    assert_eq!(
        latest_only["AutoScalingConfigurationSummaryList"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "scale/2 and the default"
    );

    // Services without an ASC use the current default.
    let default_arn = "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/DefaultConfiguration/1/00000000000000000000000000000001";
    let svc = emu.ok("CreateService", service_body("uses-default"));
    assert_eq!(
        svc["Service"]["AutoScalingConfigurationSummary"]["AutoScalingConfigurationArn"],
        default_arn
    );
    let e = emu.err(
        "DeleteAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": default_arn }),
    );
    assert_eq!(e.code, "InvalidRequestException");
    let changed = emu.ok(
        "UpdateDefaultAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": r1_arn }),
    );
    assert_eq!(changed["AutoScalingConfiguration"]["IsDefault"], true);
    let old_default = emu.ok(
        "DescribeAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": default_arn }),
    );
    assert_eq!(old_default["AutoScalingConfiguration"]["IsDefault"], false);
    let svc2 = emu.ok("CreateService", service_body("uses-new-default"));
    assert_eq!(
        svc2["Service"]["AutoScalingConfigurationSummary"]["AutoScalingConfigurationArn"],
        r1_arn.as_str()
    );
    let listed = emu.ok("ListAutoScalingConfigurations", json!({}));
    let defaults = listed["AutoScalingConfigurationSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["IsDefault"] == true)
        .count();
    assert_eq!(defaults, 1, "one default per account and region");
    let e = emu.err(
        "DeleteAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": r1_arn }),
    );
    assert!(
        e.message.contains("default") || e.message.contains("used by"),
        "{}",
        e.message
    );

    // The old default is in use by a service.
    let e = emu.err(
        "DeleteAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": default_arn }),
    );
    assert!(
        e.message.contains("used by one or more services"),
        "{}",
        e.message
    );

    let e = emu.err(
        "DeleteAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": r2_arn, "DeleteAllRevisions": true }),
    );
    assert!(e.message.contains("DeleteAllRevisions"), "{}", e.message);
    emu.ok(
        "UpdateDefaultAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": default_arn }),
    );
    for s in [&svc, &svc2] {
        emu.ok("UpdateService", json!({ "ServiceArn": s["Service"]["ServiceArn"], "AutoScalingConfigurationArn": default_arn }));
    }
    let gone = emu.ok(
        "DeleteAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": name_arn, "DeleteAllRevisions": true }),
    );
    assert_eq!(gone["AutoScalingConfiguration"]["Status"], "inactive");
    let d = emu.ok(
        "DescribeAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": r1_arn }),
    );
    assert_eq!(d["AutoScalingConfiguration"]["Status"], "inactive");
    assert!(d["AutoScalingConfiguration"]["DeletedAt"].is_number());
    assert_eq!(emu.state()["counts"]["auto_scaling_configurations"], 0);
}

#[test]
fn observability_revisions_and_the_default() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let a = emu.ok(
        "CreateObservabilityConfiguration",
        json!({ "ObservabilityConfigurationName": "traces" }),
    );
    let b = emu.ok("CreateObservabilityConfiguration", json!({ "ObservabilityConfigurationName": "traces", "TraceConfiguration": { "Vendor": "AWSXRAY" } }));
    assert_eq!(
        b["ObservabilityConfiguration"]["ObservabilityConfigurationRevision"],
        2
    );
    assert_eq!(b["ObservabilityConfiguration"]["Latest"], true);
    let a_arn = arn_of(
        &a,
        "/ObservabilityConfiguration/ObservabilityConfigurationArn",
    );
    let d = emu.ok(
        "DescribeObservabilityConfiguration",
        json!({ "ObservabilityConfigurationArn": a_arn }),
    );
    assert_eq!(d["ObservabilityConfiguration"]["Latest"], false);
    let latest = emu.ok(
        "ListObservabilityConfigurations",
        json!({ "LatestOnly": true }),
    );
    assert_eq!(
        latest["ObservabilityConfigurationSummaryList"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let mut body = service_body("observed");
    body["ObservabilityConfiguration"] = json!({ "ObservabilityEnabled": true });
    let s = emu.ok("CreateService", body);
    assert_eq!(
        s["Service"]["ObservabilityConfiguration"]["ObservabilityConfigurationArn"],
        "arn:aws:apprunner:us-east-1:123456789012:observabilityconfiguration/DefaultConfiguration/1/00000000000000000000000000000001"
    );
}

#[test]
fn quotas_are_enforced() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let quota = |e: emulator_support::ApiError| {
        assert_eq!(
            (e.status, e.code.as_str()),
            (402, "ServiceQuotaExceededException"),
            "{}",
            e.message
        );
    };
    for i in 0..30 {
        emu.create_service(&format!("quota-svc-{i}"));
    }
    quota(emu.err("CreateService", service_body("quota-svc-30")));
    // Other regions have their own quota.
    emu.call_in("eu-west-1", "CreateService", service_body("quota-svc-30"))
        .unwrap();

    for i in 0..10 {
        emu.ok(
            "CreateAutoScalingConfiguration",
            json!({ "AutoScalingConfigurationName": format!("asc-{i}") }),
        );
    }
    quota(emu.err(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "asc-10" }),
    ));
    for _ in 1..5 {
        emu.ok(
            "CreateAutoScalingConfiguration",
            json!({ "AutoScalingConfigurationName": "asc-0" }),
        );
    }
    quota(emu.err(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "asc-0" }),
    ));

    for i in 0..10 {
        emu.ok(
            "CreateObservabilityConfiguration",
            json!({ "ObservabilityConfigurationName": format!("obs-{i}") }),
        );
    }
    quota(emu.err(
        "CreateObservabilityConfiguration",
        json!({ "ObservabilityConfigurationName": "obs-10" }),
    ));
    for _ in 1..10 {
        emu.ok(
            "CreateObservabilityConfiguration",
            json!({ "ObservabilityConfigurationName": "obs-0" }),
        );
    }
    quota(emu.err(
        "CreateObservabilityConfiguration",
        json!({ "ObservabilityConfigurationName": "obs-0" }),
    ));

    for i in 0..10 {
        emu.ok(
            "CreateVpcConnector",
            json!({ "VpcConnectorName": format!("vc-{i}"), "Subnets": [format!("subnet-{i}")] }),
        );
    }
    quota(emu.err(
        "CreateVpcConnector",
        json!({ "VpcConnectorName": "vc-10", "Subnets": ["subnet-10"] }),
    ));

    for i in 0..10 {
        emu.ok(
            "CreateConnection",
            json!({ "ConnectionName": format!("conn-{i}"), "ProviderType": "GITHUB" }),
        );
    }
    quota(emu.err(
        "CreateConnection",
        json!({ "ConnectionName": "conn-10", "ProviderType": "BITBUCKET" }),
    ));

    let svc =
        emu.ok("ListServices", json!({ "MaxResults": 1 }))["ServiceSummaryList"][0]["ServiceArn"]
            .clone();
    let ic = |name: &str| json!({ "ServiceArn": svc, "VpcIngressConnectionName": name, "IngressVpcConfiguration": { "VpcId": "vpc-1", "VpcEndpointId": "vpce-1" } });
    emu.ok("CreateVpcIngressConnection", ic("ic-1"));
    quota(emu.err("CreateVpcIngressConnection", ic("ic-2")));
}

#[test]
fn lists_paginate_with_tokens_and_empty_pages() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let mut names = vec![];
    for i in 0..5 {
        names.push(format!("page-{i}"));
        emu.create_service(&format!("page-{i}"));
    }
    let mut sizes = vec![];
    let mut seen = vec![];
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({ "MaxResults": 2 });
        if let Some(t) = &token {
            body["NextToken"] = json!(t);
        }
        let page = emu.ok("ListServices", body);
        let items = page["ServiceSummaryList"].as_array().unwrap();
        sizes.push(items.len());
        seen.extend(
            items
                .iter()
                .map(|s| s["ServiceName"].as_str().unwrap().to_string()),
        );
        match page["NextToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
        assert!(sizes.len() < 20);
    }
    assert_eq!(
        sizes,
        [2, 0, 2, 0, 1],
        "empty pages still carry a NextToken"
    );
    assert_eq!(seen, names);

    let e = emu.err("ListServices", json!({ "NextToken": "not-a-token" }));
    assert_eq!(e.code, "InvalidRequestException");
    let first = emu.ok("ListAutoScalingConfigurations", json!({ "MaxResults": 1 }));
    let token = first["NextToken"].as_str().map(str::to_string);
    assert!(token.is_none(), "only the default exists");
    emu.ok(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "page-asc" }),
    );
    let first = emu.ok("ListAutoScalingConfigurations", json!({ "MaxResults": 1 }));
    let token = first["NextToken"].as_str().unwrap();
    // A token belongs to the operation that issued it.
    assert_eq!(
        emu.err("ListVpcConnectors", json!({ "NextToken": token }))
            .code,
        "InvalidRequestException"
    );
    let second = emu.ok(
        "ListAutoScalingConfigurations",
        json!({ "MaxResults": 1, "NextToken": token }),
    );
    assert_eq!(
        second["AutoScalingConfigurationSummaryList"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(second.get("NextToken").is_none());

    let arn =
        emu.ok("ListServices", json!({ "MaxResults": 1 }))["ServiceSummaryList"][0]["ServiceArn"]
            .clone();
    for i in 0..3 {
        emu.ok(
            "AssociateCustomDomain",
            json!({ "ServiceArn": arn, "DomainName": format!("d{i}.example.com") }),
        );
    }
    let p1 = emu.ok(
        "DescribeCustomDomains",
        json!({ "ServiceArn": arn, "MaxResults": 2 }),
    );
    assert_eq!(p1["CustomDomains"].as_array().unwrap().len(), 2);
    let p2 = emu.ok(
        "DescribeCustomDomains",
        json!({ "ServiceArn": arn, "MaxResults": 2, "NextToken": p1["NextToken"] }),
    );
    assert_eq!(p2["CustomDomains"].as_array().unwrap().len(), 1);
    emu.ok("StartDeployment", json!({ "ServiceArn": arn }));
    let o1 = emu.ok(
        "ListOperations",
        json!({ "ServiceArn": arn, "MaxResults": 1 }),
    );
    assert_eq!(o1["OperationSummaryList"][0]["Type"], "START_DEPLOYMENT");
    let o2 = emu.ok(
        "ListOperations",
        json!({ "ServiceArn": arn, "MaxResults": 1, "NextToken": o1["NextToken"] }),
    );
    assert_eq!(o2["OperationSummaryList"][0]["Type"], "CREATE_SERVICE");
}

#[test]
fn custom_domains_walk_their_lowercase_statuses() {
    // Hour-long steps and an advancing clock: every intermediate status is seen.
    let emu = Emulator::start(&["--operation-duration", "1h"]);
    let arn = emu.create_service("domains");
    emu.advance_clock(3600.0);
    let service = emu.wait_service(&arn);
    let host = service["ServiceUrl"].as_str().unwrap().to_string();
    let with_www = emu.ok(
        "AssociateCustomDomain",
        json!({ "ServiceArn": arn, "DomainName": "example.com", "EnableWWWSubdomain": true }),
    );
    assert_eq!(with_www["DNSTarget"], host.as_str());
    assert_eq!(with_www["CustomDomain"]["Status"], "creating");
    let records = with_www["CustomDomain"]["CertificateValidationRecords"]
        .as_array()
        .unwrap();
    // The domain, www, and a 31-character label of App Runner's own.
    assert_eq!(records.len(), 3);
    let hex32 = |s: &str| {
        s.len() == 33
            && s.starts_with('_')
            && s[1..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    };
    for r in records {
        assert_eq!(r["Type"], "CNAME");
        assert_eq!(r["Status"], "PENDING_VALIDATION");
        let value: Vec<&str> = r["Value"].as_str().unwrap().split('.').collect();
        assert!(
            value.len() == 5 && hex32(value[0]) && value[2..] == ["acm-validations", "aws", ""],
            "{r}"
        );
        assert!(
            hex32(r["Name"].as_str().unwrap().split('.').next().unwrap()),
            "{r}"
        );
    }
    let name = |i: usize| {
        records[i]["Name"]
            .as_str()
            .unwrap()
            .split_once('.')
            .unwrap()
            .1
            .to_string()
    };
    assert_eq!(name(0), "example.com.");
    assert_eq!(name(1), "www.example.com.");
    let (label, rest) = name(2)
        .split_once('.')
        .map(|(l, r)| (l.to_string(), r.to_string()))
        .unwrap();
    assert_eq!(rest, "example.com.");
    assert_eq!(label.len(), 31);
    assert!(
        label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
        "{label}"
    );
    let body = json!({ "ServiceArn": arn });
    emu.advance_clock(3600.0);
    let v = emu.ok("DescribeCustomDomains", body.clone());
    assert_eq!(
        v["CustomDomains"][0]["Status"],
        "pending_certificate_dns_validation"
    );
    // Time alone does not validate: the records must be in DNS first.
    emu.advance_clock(30.0 * 86400.0);
    let v = emu.ok("DescribeCustomDomains", body.clone());
    assert_eq!(
        v["CustomDomains"][0]["Status"],
        "pending_certificate_dns_validation"
    );
    assert!(
        v["CustomDomains"][0]["CertificateValidationRecords"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["Status"] == "PENDING_VALIDATION")
    );
    assert_eq!(
        emu.publish_dns(json!({ "domain_name": "example.com" }))["published"],
        1
    );
    for status in ["binding_certificate", "active"] {
        emu.advance_clock(3600.0);
        let v = emu.ok("DescribeCustomDomains", body.clone());
        assert_eq!(v["CustomDomains"][0]["Status"], status);
    }
    let done = emu.ok("DescribeCustomDomains", body.clone());
    assert!(
        done["CustomDomains"][0]["CertificateValidationRecords"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["Status"] == "SUCCESS")
    );

    emu.add_fault(json!({ "operation": "AssociateCustomDomain", "kind": "stuck", "count": 1 }));
    let bare = emu.ok(
        "AssociateCustomDomain",
        json!({ "ServiceArn": arn, "DomainName": "api.example.org", "EnableWWWSubdomain": false }),
    );
    assert_eq!(
        bare["CustomDomain"]["CertificateValidationRecords"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let e = emu.err(
        "DisassociateCustomDomain",
        json!({ "ServiceArn": arn, "DomainName": "api.example.org" }),
    );
    assert_eq!(e.code, "InvalidStateException", "still being created");

    emu.add_fault(json!({ "operation": "AssociateCustomDomain", "kind": "fail", "count": 1 }));
    emu.ok(
        "AssociateCustomDomain",
        json!({ "ServiceArn": arn, "DomainName": "broken.example.net" }),
    );
    emu.advance_clock(3600.0);
    let v = emu.ok(
        "DescribeCustomDomains",
        json!({ "ServiceArn": arn, "MaxResults": 5 }),
    );
    assert_eq!(v["CustomDomains"][2]["Status"], "create_failed");

    let gone = emu.ok(
        "DisassociateCustomDomain",
        json!({ "ServiceArn": arn, "DomainName": "example.com" }),
    );
    assert_eq!(gone["CustomDomain"]["Status"], "deleting");
    emu.advance_clock(3600.0);
    let v = emu.ok("DescribeCustomDomains", body.clone());
    assert_eq!(v["CustomDomains"][0]["DomainName"], "api.example.org");
    assert_eq!(emu.state()["counts"]["custom_domains"], 2);
}

#[test]
fn vpc_ingress_connections_move_through_pending_statuses() {
    let emu = Emulator::start(&["--operation-duration", "1h"]);
    let arn = emu.create_service("private");
    emu.advance_clock(3600.0);
    emu.wait_service(&arn);
    let body = |name: &str| json!({ "ServiceArn": arn, "VpcIngressConnectionName": name, "IngressVpcConfiguration": { "VpcId": "vpc-1", "VpcEndpointId": "vpce-1" } });
    let ic = emu.ok("CreateVpcIngressConnection", body("ingress"));
    let ic_arn = arn_of(&ic, "/VpcIngressConnection/VpcIngressConnectionArn");
    assert!(
        ic_arn
            .starts_with("arn:aws:apprunner:us-east-1:123456789012:vpcingressconnection/ingress/")
    );
    assert_eq!(ic["VpcIngressConnection"]["Status"], "PENDING_CREATION");
    assert_eq!(ic["VpcIngressConnection"]["AccountId"], "123456789012");
    let describe = json!({ "VpcIngressConnectionArn": ic_arn });
    assert_eq!(emu.err("UpdateVpcIngressConnection", json!({ "VpcIngressConnectionArn": ic_arn, "IngressVpcConfiguration": { "VpcEndpointId": "vpce-2" } })).code, "InvalidStateException");
    emu.advance_clock(3600.0);
    emu.wait_for(
        "DescribeVpcIngressConnection",
        describe.clone(),
        "/VpcIngressConnection/Status",
        "AVAILABLE",
    );

    let e = emu.err("DeleteService", json!({ "ServiceArn": arn }));
    assert_eq!(e.code, "InvalidStateException");

    let upd = emu.ok("UpdateVpcIngressConnection", json!({ "VpcIngressConnectionArn": ic_arn, "IngressVpcConfiguration": { "VpcEndpointId": "vpce-2" } }));
    assert_eq!(upd["VpcIngressConnection"]["Status"], "PENDING_UPDATE");
    emu.advance_clock(3600.0);
    let done = emu.wait_for(
        "DescribeVpcIngressConnection",
        describe.clone(),
        "/VpcIngressConnection/Status",
        "AVAILABLE",
    );
    assert_eq!(
        done["VpcIngressConnection"]["IngressVpcConfiguration"],
        json!({ "VpcId": "vpc-1", "VpcEndpointId": "vpce-2" })
    );

    emu.add_fault(json!({ "operation": "UpdateVpcIngressConnection", "kind": "fail", "count": 1 }));
    emu.ok("UpdateVpcIngressConnection", json!({ "VpcIngressConnectionArn": ic_arn, "IngressVpcConfiguration": { "VpcEndpointId": "vpce-3" } }));
    emu.advance_clock(3600.0);
    emu.wait_for(
        "DescribeVpcIngressConnection",
        describe.clone(),
        "/VpcIngressConnection/Status",
        "FAILED_UPDATE",
    );

    let del = emu.ok("DeleteVpcIngressConnection", describe.clone());
    assert_eq!(del["VpcIngressConnection"]["Status"], "PENDING_DELETION");
    emu.advance_clock(3600.0);
    let deleted = emu.wait_for(
        "DescribeVpcIngressConnection",
        describe.clone(),
        "/VpcIngressConnection/Status",
        "DELETED",
    );
    assert!(deleted["VpcIngressConnection"]["DeletedAt"].is_number());

    emu.add_fault(json!({ "operation": "CreateVpcIngressConnection", "kind": "fail", "count": 1 }));
    let failed = emu.ok("CreateVpcIngressConnection", body("ingress-2"));
    let failed_arn = arn_of(&failed, "/VpcIngressConnection/VpcIngressConnectionArn");
    emu.advance_clock(3600.0);
    emu.wait_for(
        "DescribeVpcIngressConnection",
        json!({ "VpcIngressConnectionArn": failed_arn }),
        "/VpcIngressConnection/Status",
        "FAILED_CREATION",
    );
    // A failed connection does not block the service's deletion, and goes with it.
    emu.ok("DeleteService", json!({ "ServiceArn": arn }));
    emu.advance_clock(3600.0);
    emu.wait_service(&arn);
    let after = emu.ok(
        "DescribeVpcIngressConnection",
        json!({ "VpcIngressConnectionArn": failed_arn }),
    );
    assert_eq!(after["VpcIngressConnection"]["Status"], "DELETED");
    assert_eq!(emu.state()["total"], 0);
}

#[test]
fn connections_need_the_handshake_hook() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let c = emu.ok(
        "CreateConnection",
        json!({ "ConnectionName": "github", "ProviderType": "GITHUB" }),
    );
    let arn = arn_of(&c, "/Connection/ConnectionArn");
    assert!(arn.starts_with("arn:aws:apprunner:us-east-1:123456789012:connection/github/"));
    let code = json!({
        "ServiceName": "from-code",
        "SourceConfiguration": {
            "CodeRepository": {
                "RepositoryUrl": "https://github.com/x/y",
                "SourceCodeVersion": { "Type": "BRANCH", "Value": "main" },
                "CodeConfiguration": { "ConfigurationSource": "REPOSITORY" }
            },
            "AuthenticationConfiguration": { "ConnectionArn": arn }
        }
    });
    let e = emu.err("CreateService", code.clone());
    assert!(e.message.contains("PENDING_HANDSHAKE"), "{}", e.message);
    let r = emu.admin(
        "POST",
        "/_emulator/connections/complete-handshake",
        json!({ "connection_arn": arn }),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["Connection"]["Status"], "AVAILABLE");
    let listed = emu.ok("ListConnections", json!({ "ConnectionName": "github" }));
    assert_eq!(listed["ConnectionSummaryList"][0]["Status"], "AVAILABLE");
    let s = emu.ok("CreateService", code);
    assert_eq!(
        s["Service"]["SourceConfiguration"]["AutoDeploymentsEnabled"],
        true
    );
    assert_eq!(
        emu.admin(
            "POST",
            "/_emulator/connections/complete-handshake",
            json!({ "connection_arn": arn })
        )
        .status,
        409
    );
    assert_eq!(
        emu.admin(
            "POST",
            "/_emulator/connections/complete-handshake",
            json!({ "connection_arn": "arn:nope" })
        )
        .status,
        404
    );
}

#[test]
fn vpc_connectors_in_use_or_duplicated_are_refused() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let vc = emu.ok("CreateVpcConnector", json!({ "VpcConnectorName": "egress", "Subnets": ["subnet-a", "subnet-b"], "SecurityGroups": ["sg-1"] }));
    let vc_arn = arn_of(&vc, "/VpcConnector/VpcConnectorArn");
    assert!(vc_arn.starts_with("arn:aws:apprunner:us-east-1:123456789012:vpcconnector/egress/1/"));
    let dup = emu.err("CreateVpcConnector", json!({ "VpcConnectorName": "egress-2", "Subnets": ["subnet-b", "subnet-a"], "SecurityGroups": ["sg-1"] }));
    assert!(dup.message.contains("combination"), "{}", dup.message);
    let mut body = service_body("egress-svc");
    body["NetworkConfiguration"] =
        json!({ "EgressConfiguration": { "EgressType": "VPC", "VpcConnectorArn": vc_arn } });
    let svc = emu.ok("CreateService", body);
    let e = emu.err("DeleteVpcConnector", json!({ "VpcConnectorArn": vc_arn }));
    assert_eq!(e.code, "InvalidRequestException");
    emu.ok(
        "DeleteService",
        json!({ "ServiceArn": svc["Service"]["ServiceArn"] }),
    );
    emu.ok("ListServices", json!({}));
    emu.ok("DeleteVpcConnector", json!({ "VpcConnectorArn": vc_arn }));
}

#[test]
fn request_faults_throttle_fail_delay_and_drop() {
    let emu = Emulator::start(&[
        "--operation-duration",
        "0s",
        "--fault",
        "throttle:ListConnections,count=2",
    ]);
    for _ in 0..2 {
        let e = emu.err("ListConnections", json!({}));
        assert_eq!(
            (e.status, e.code.as_str(), e.message.as_str()),
            (400, "ThrottlingException", "Rate exceeded")
        );
    }
    emu.ok("ListConnections", json!({}));
    emu.ok("ListServices", json!({}));

    emu.add_fault(json!({ "operation": "ListServices", "kind": "server_error", "count": 1 }));
    emu.add_fault(
        json!({ "operation": "ListServices", "kind": "server_error", "count": 1, "status": 503 }),
    );
    let e = emu.err("ListServices", json!({}));
    assert_eq!(
        (e.status, e.code.as_str()),
        (500, "InternalServiceErrorException")
    );
    let e = emu.err("ListServices", json!({}));
    assert_eq!(
        (e.status, e.code.as_str()),
        (503, "ServiceUnavailableException")
    );
    emu.ok("ListServices", json!({}));

    emu.add_fault(json!({ "kind": "throttle", "rate": 0.0 }));
    emu.add_fault(json!({ "operation": "ListVpcConnectors", "kind": "latency", "latency_ms": 50, "count": 1 }));
    emu.ok("ListVpcConnectors", json!({}));
    let rules = emu.admin_get("/_emulator/faults")["rules"].clone();
    let fired: Vec<u64> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["fired"].as_u64().unwrap())
        .collect();
    assert_eq!(fired, [2, 1, 1, 0, 1], "{rules}");

    emu.add_fault(json!({ "operation": "CreateService", "kind": "drop_response", "count": 1 }));
    let body = serde_json::to_vec(&service_body("dropped")).unwrap();
    let headers = signed_headers(&emu.addr, "CreateService", &body, REGION, "test", "test");
    assert!(
        emu.raw("POST", "/", &headers, &body).is_none(),
        "the connection closes with no response"
    );
    let state = emu.state();
    assert_eq!(state["counts"]["services"], 1, "the change was made");
    assert_eq!(
        state["regions"]["us-east-1"]["services"][0]["ServiceName"],
        "dropped"
    );
    assert_eq!(
        emu.err("CreateService", service_body("dropped")).code,
        "InvalidRequestException"
    );

    assert_eq!(
        emu.admin("DELETE", "/_emulator/faults", json!({})).status,
        200
    );
    assert_eq!(emu.admin_get("/_emulator/faults")["rules"], json!([]));
    assert_eq!(
        emu.admin(
            "POST",
            "/_emulator/faults",
            json!({ "rules": [{ "kind": "explode" }] })
        )
        .status,
        400
    );
}

#[test]
fn admin_state_groups_objects_by_region_and_reset_clears_them() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let empty = emu.state();
    assert_eq!(empty["total"], 0);
    let svc = emu.create_service("inspect");
    emu.call_in(
        "eu-west-1",
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "eu-asc", "Tags": [{ "Key": "k", "Value": "v" }] }),
    )
    .unwrap();
    emu.ok(
        "CreateConnection",
        json!({ "ConnectionName": "inspect", "ProviderType": "GITHUB" }),
    );
    let state = emu.state();
    let us = &state["regions"]["us-east-1"];
    let eu = &state["regions"]["eu-west-1"];
    assert_eq!(us["counts"]["services"], 1);
    assert_eq!(us["counts"]["connections"], 1);
    assert_eq!(us["counts"]["operations"], 1);
    assert_eq!(us["services"][0]["ServiceArn"], svc.as_str());
    assert_eq!(eu["counts"]["auto_scaling_configurations"], 1);
    assert_eq!(
        eu["auto_scaling_configurations"].as_array().unwrap().len(),
        2,
        "with the built-in default"
    );
    assert_eq!(eu["auto_scaling_configurations"][0]["Builtin"], true);
    assert_eq!(eu["counts"]["tagged_resources"], 1);
    assert_eq!(state["counts"]["services"], 1);
    assert_eq!(state["total"], 3);

    emu.ok("DeleteService", json!({ "ServiceArn": svc }));
    let state = emu.state();
    assert_eq!(
        state["regions"]["us-east-1"]["deleted"]["services"],
        json!([svc])
    );
    assert_eq!(state["total"], 2);

    assert_eq!(emu.admin("POST", "/_emulator/reset", json!({})).status, 200);
    assert_eq!(emu.state()["total"], 0);
    assert_eq!(
        emu.err("DescribeService", json!({ "ServiceArn": svc }))
            .code,
        "ResourceNotFoundException"
    );
    assert_eq!(
        emu.admin("GET", "/_emulator/nothing", json!({})).status,
        404
    );
    assert_eq!(emu.admin_get("/_emulator/health")["status"], "ok");
}

#[test]
fn regions_keep_separate_state() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let us = emu.create_service("same-name");
    let eu = emu
        .call_in("eu-west-1", "CreateService", service_body("same-name"))
        .unwrap();
    let eu_arn = arn_of(&eu, "/Service/ServiceArn");
    assert!(eu_arn.starts_with("arn:aws:apprunner:eu-west-1:123456789012:service/same-name/"));
    assert!(
        eu["Service"]["ServiceUrl"]
            .as_str()
            .unwrap()
            .ends_with(".eu-west-1.awsapprunner.com")
    );
    assert_eq!(
        emu.call_in("eu-west-1", "DescribeService", json!({ "ServiceArn": us }))
            .unwrap_err()
            .code,
        "ResourceNotFoundException"
    );
}

#[test]
fn state_file_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.json");
    let file_arg = file.to_str().unwrap();
    let emu = Emulator::start(&["--operation-duration", "0s", "--state-file", file_arg]);
    let arn = emu.create_service("persisted");
    emu.ok(
        "TagResource",
        json!({ "ResourceArn": arn, "Tags": [{ "Key": "keep", "Value": "me" }] }),
    );
    let asc = emu.ok(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "kept" }),
    );
    let before = emu.ok("DescribeService", json!({ "ServiceArn": arn }));
    assert!(emu.stop().success(), "exits cleanly on SIGTERM");

    let emu = Emulator::start(&["--operation-duration", "0s", "--state-file", file_arg]);
    let after = emu.ok("DescribeService", json!({ "ServiceArn": arn }));
    assert_eq!(before, after);
    assert_eq!(
        emu.ok("ListTagsForResource", json!({ "ResourceArn": arn }))["Tags"],
        json!([{ "Key": "keep", "Value": "me" }])
    );
    let arn2 = arn_of(
        &asc,
        "/AutoScalingConfiguration/AutoScalingConfigurationArn",
    );
    emu.ok(
        "DescribeAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": arn2 }),
    );
    assert_eq!(
        emu.err("CreateService", service_body("persisted")).code,
        "InvalidRequestException"
    );
}

#[test]
fn bad_flags_are_refused() {
    let bin = env!("CARGO_BIN_EXE_terraform-provider-apprunner");
    let run = |args: &[&str]| {
        Command::new(bin)
            .arg("emulator")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["--listen", "0.0.0.0:0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-remote"));
    assert!(out.stdout.is_empty());
    let out = run(&["--listen", "127.0.0.1:0", "--fault", "explode"]);
    assert!(!out.status.success());
    let out = run(&[
        "--listen",
        "127.0.0.1:0",
        "--operation-duration",
        "ListServices=1s",
    ]);
    assert!(!out.status.success());
    let out = run(&["--listen", "127.0.0.1:0", "--account-id", "12"]);
    assert!(!out.status.success());
}
