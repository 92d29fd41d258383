//! The control plane against the published API model (botocore's
//! `apprunner/2020-05-15/service-2.json`): our input rules agree with the
//! model's, shape by shape, and every response of every operation fits the
//! operation's output shape.

mod emulator_support;

use std::collections::BTreeSet;
use std::process::Command;

use emulator_support::Emulator;
use serde_json::{Value, json};

fn model() -> Value {
    let path = emulator_support::botocore_model_dir().join("service-2.json.gz");
    let out = Command::new("gzip")
        .arg("-dc")
        .arg(&path)
        .output()
        .expect("run gzip");
    assert!(out.status.success(), "gzip -dc {}", path.display());
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The shapes reachable from `root`.
fn reachable(shapes: &Value, root: &str, seen: &mut BTreeSet<String>) {
    if !seen.insert(root.to_string()) {
        return;
    }
    let s = &shapes[root];
    if let Some(members) = s["members"].as_object() {
        for m in members.values() {
            reachable(shapes, m["shape"].as_str().unwrap(), seen);
        }
    }
    for k in ["member", "key", "value"] {
        if let Some(n) = s[k]["shape"].as_str() {
            reachable(shapes, n, seen);
        }
    }
}

#[test]
fn input_rules_agree_with_the_model() {
    let model = model();
    let ours = terraform_provider_apprunner::emulator::input_rules();
    let model_ops = model["operations"].as_object().unwrap();
    let our_ops = ours["operations"].as_object().unwrap();
    assert_eq!(
        model_ops.keys().collect::<BTreeSet<_>>(),
        our_ops.keys().collect::<BTreeSet<_>>(),
        "operations differ"
    );
    let mut needed = BTreeSet::new();
    for (op, def) in model_ops {
        let input = def["input"]["shape"].as_str().unwrap();
        assert_eq!(our_ops[op]["input"]["shape"], input, "input shape of {op}");
        reachable(&model["shapes"], input, &mut needed);
    }
    let our_shapes = ours["shapes"].as_object().unwrap();
    assert_eq!(
        needed.iter().collect::<BTreeSet<_>>(),
        our_shapes.keys().collect::<BTreeSet<_>>(),
        "the shapes reachable from inputs differ"
    );
    let mut checked = 0;
    for name in &needed {
        let m = &model["shapes"][name];
        let o = &our_shapes[name];
        assert_eq!(o["type"], m["type"], "{name}: type");
        for key in ["min", "max", "pattern", "enum", "member", "key", "value"] {
            assert_eq!(o.get(key), m.get(key), "{name}: {key}");
        }
        assert_eq!(
            o["sensitive"].as_bool().unwrap_or(false),
            m["sensitive"].as_bool().unwrap_or(false),
            "{name}: sensitive"
        );
        if m["type"] == "structure" {
            let req = |v: &Value| -> BTreeSet<String> {
                v["required"]
                    .as_array()
                    .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
                    .unwrap_or_default()
            };
            assert_eq!(req(o), req(m), "{name}: required members");
            let members = |v: &Value| -> Vec<(String, String)> {
                v["members"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, d)| (k.clone(), d["shape"].as_str().unwrap().to_string()))
                    .collect()
            };
            let (mut om, mut mm) = (members(o), members(m));
            om.sort();
            mm.sort();
            assert_eq!(om, mm, "{name}: members");
        }
        checked += 1;
    }
    assert!(checked > 100, "only {checked} shapes compared");
}

/// Checks `value` against `shape`; returns the problems found.
fn conform(shapes: &Value, shape: &str, value: &Value, path: &str, problems: &mut Vec<String>) {
    let s = &shapes[shape];
    match s["type"].as_str().unwrap() {
        "structure" => {
            let Some(obj) = value.as_object() else {
                return problems.push(format!(
                    "{path}: expected a structure ({shape}), got {value}"
                ));
            };
            let members = s["members"].as_object().unwrap();
            for (k, v) in obj {
                match members.get(k) {
                    None => problems.push(format!("{path}.{k}: not a member of {shape}")),
                    Some(m) => conform(
                        shapes,
                        m["shape"].as_str().unwrap(),
                        v,
                        &format!("{path}.{k}"),
                        problems,
                    ),
                }
            }
            for r in s["required"].as_array().into_iter().flatten() {
                if !obj.contains_key(r.as_str().unwrap()) {
                    problems.push(format!("{path}: required member {r} of {shape} is missing"));
                }
            }
        }
        "string" => match value.as_str() {
            None => problems.push(format!("{path}: expected a string, got {value}")),
            Some(v) => {
                if let Some(e) = s["enum"].as_array() {
                    // Some statuses are lowercase on the wire (see the guide).
                    if !e
                        .iter()
                        .any(|x| x.as_str().unwrap().eq_ignore_ascii_case(v))
                    {
                        problems.push(format!("{path}: {v} is not one of {e:?}"));
                    }
                }
            }
        },
        "integer" | "long" => {
            if !value.is_i64() {
                problems.push(format!("{path}: expected an integer, got {value}"));
            }
        }
        "boolean" => {
            if !value.is_boolean() {
                problems.push(format!("{path}: expected a boolean, got {value}"));
            }
        }
        "timestamp" => {
            if !value.is_number() {
                problems.push(format!("{path}: expected epoch seconds, got {value}"));
            }
        }
        "list" => match value.as_array() {
            None => problems.push(format!("{path}: expected a list, got {value}")),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    conform(
                        shapes,
                        s["member"]["shape"].as_str().unwrap(),
                        item,
                        &format!("{path}[{i}]"),
                        problems,
                    );
                }
            }
        },
        "map" => match value.as_object() {
            None => problems.push(format!("{path}: expected a map, got {value}")),
            Some(m) => {
                for (k, v) in m {
                    conform(
                        shapes,
                        s["value"]["shape"].as_str().unwrap(),
                        v,
                        &format!("{path}.{k}"),
                        problems,
                    );
                }
            }
        },
        other => problems.push(format!("{path}: unexpected model type {other}")),
    }
}

#[test]
fn every_response_fits_the_output_shape() {
    let model = model();
    let shapes = &model["shapes"];
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let mut covered = BTreeSet::new();
    let mut problems = vec![];
    let mut call = |op: &str, body: Value| -> Value {
        let out = emu.ok(op, body);
        let shape = model["operations"][op]["output"]["shape"].as_str().unwrap();
        conform(shapes, shape, &out, op, &mut problems);
        covered.insert(op.to_string());
        out
    };

    let conn = call(
        "CreateConnection",
        json!({ "ConnectionName": "model-conn", "ProviderType": "GITHUB" }),
    );
    let conn_arn = conn["Connection"]["ConnectionArn"]
        .as_str()
        .unwrap()
        .to_string();
    emu.admin(
        "POST",
        "/_emulator/connections/complete-handshake",
        json!({ "connection_arn": conn_arn }),
    );
    call("ListConnections", json!({}));
    let asc = call(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "model-asc", "Tags": [{ "Key": "k", "Value": "v" }] }),
    );
    let asc_arn = asc["AutoScalingConfiguration"]["AutoScalingConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    call(
        "DescribeAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": asc_arn }),
    );
    call("ListAutoScalingConfigurations", json!({}));
    let obs = call(
        "CreateObservabilityConfiguration",
        json!({ "ObservabilityConfigurationName": "model-obs", "TraceConfiguration": { "Vendor": "AWSXRAY" } }),
    );
    let obs_arn = obs["ObservabilityConfiguration"]["ObservabilityConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    call(
        "DescribeObservabilityConfiguration",
        json!({ "ObservabilityConfigurationArn": obs_arn }),
    );
    call("ListObservabilityConfigurations", json!({}));
    let vc = call(
        "CreateVpcConnector",
        json!({ "VpcConnectorName": "model-vc", "Subnets": ["subnet-1"], "SecurityGroups": ["sg-1"] }),
    );
    let vc_arn = vc["VpcConnector"]["VpcConnectorArn"]
        .as_str()
        .unwrap()
        .to_string();
    call("DescribeVpcConnector", json!({ "VpcConnectorArn": vc_arn }));
    call("ListVpcConnectors", json!({}));

    let code = call(
        "CreateService",
        json!({
            "ServiceName": "model-code",
            "SourceConfiguration": {
                "CodeRepository": {
                    "RepositoryUrl": "https://github.com/example/app",
                    "SourceCodeVersion": { "Type": "BRANCH", "Value": "main" },
                    "CodeConfiguration": {
                        "ConfigurationSource": "API",
                        "CodeConfigurationValues": { "Runtime": "PYTHON_311", "BuildCommand": "pip install -r requirements.txt", "StartCommand": "python app.py", "RuntimeEnvironmentSecrets": { "TOKEN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:t" } }
                    },
                    "SourceDirectory": "/app"
                },
                "AuthenticationConfiguration": { "ConnectionArn": conn_arn }
            },
            "InstanceConfiguration": { "Cpu": "0.25 vCPU", "Memory": "0.5 GB", "InstanceRoleArn": "arn:aws:iam::123456789012:role/app" },
            "EncryptionConfiguration": { "KmsKey": "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012" },
            "HealthCheckConfiguration": { "Protocol": "HTTP", "Path": "/health" },
            "AutoScalingConfigurationArn": asc_arn,
            "NetworkConfiguration": { "EgressConfiguration": { "EgressType": "VPC", "VpcConnectorArn": vc_arn }, "IpAddressType": "DUAL_STACK" },
            "ObservabilityConfiguration": { "ObservabilityEnabled": true, "ObservabilityConfigurationArn": obs_arn },
            "Tags": [{ "Key": "app", "Value": "model" }]
        }),
    );
    let arn = code["Service"]["ServiceArn"].as_str().unwrap().to_string();
    call("DescribeService", json!({ "ServiceArn": arn }));
    call("ListServices", json!({}));
    call(
        "ListServicesForAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": asc_arn }),
    );
    call(
        "UpdateService",
        json!({ "ServiceArn": arn, "HealthCheckConfiguration": { "Interval": 10 } }),
    );
    call("PauseService", json!({ "ServiceArn": arn }));
    call("ResumeService", json!({ "ServiceArn": arn }));
    call("StartDeployment", json!({ "ServiceArn": arn }));
    call("ListOperations", json!({ "ServiceArn": arn }));
    call(
        "AssociateCustomDomain",
        json!({ "ServiceArn": arn, "DomainName": "model.example.com" }),
    );
    call("DescribeCustomDomains", json!({ "ServiceArn": arn }));
    call(
        "DisassociateCustomDomain",
        json!({ "ServiceArn": arn, "DomainName": "model.example.com" }),
    );
    let ic = call(
        "CreateVpcIngressConnection",
        json!({ "ServiceArn": arn, "VpcIngressConnectionName": "model-ic", "IngressVpcConfiguration": { "VpcId": "vpc-1", "VpcEndpointId": "vpce-1" } }),
    );
    let ic_arn = ic["VpcIngressConnection"]["VpcIngressConnectionArn"]
        .as_str()
        .unwrap()
        .to_string();
    call(
        "DescribeVpcIngressConnection",
        json!({ "VpcIngressConnectionArn": ic_arn }),
    );
    call("DescribeCustomDomains", json!({ "ServiceArn": arn }));
    call(
        "ListVpcIngressConnections",
        json!({ "Filter": { "ServiceArn": arn } }),
    );
    call(
        "UpdateVpcIngressConnection",
        json!({ "VpcIngressConnectionArn": ic_arn, "IngressVpcConfiguration": { "VpcEndpointId": "vpce-2" } }),
    );
    call(
        "DescribeVpcIngressConnection",
        json!({ "VpcIngressConnectionArn": ic_arn }),
    );
    call(
        "DeleteVpcIngressConnection",
        json!({ "VpcIngressConnectionArn": ic_arn }),
    );
    call(
        "TagResource",
        json!({ "ResourceArn": arn, "Tags": [{ "Key": "a", "Value": "b" }] }),
    );
    call("ListTagsForResource", json!({ "ResourceArn": arn }));
    call(
        "UntagResource",
        json!({ "ResourceArn": arn, "TagKeys": ["a"] }),
    );
    let asc2 = call(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "model-asc" }),
    );
    let asc2_arn = asc2["AutoScalingConfiguration"]["AutoScalingConfigurationArn"]
        .as_str()
        .unwrap()
        .to_string();
    call(
        "UpdateDefaultAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": asc2_arn }),
    );
    call("DeleteService", json!({ "ServiceArn": arn }));
    call("DescribeService", json!({ "ServiceArn": arn }));
    call(
        "DeleteAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": asc_arn }),
    );
    call(
        "DeleteObservabilityConfiguration",
        json!({ "ObservabilityConfigurationArn": obs_arn }),
    );
    call("DeleteVpcConnector", json!({ "VpcConnectorArn": vc_arn }));
    call("DeleteConnection", json!({ "ConnectionArn": conn_arn }));

    assert!(
        problems.is_empty(),
        "responses that do not fit the model:\n{}",
        problems.join("\n")
    );
    assert_eq!(covered.len(), 37, "covered only {covered:?}");
}
