//! `moved` blocks from the AWS provider's networking and domain types
//! (`aws_apprunner_vpc_connector`, `aws_apprunner_vpc_ingress_connection`,
//! `aws_apprunner_custom_domain_association`, `aws_apprunner_connection`),
//! from state as the AWS provider v5 (no `region`) and v6 write it: no
//! replacement, no diff, with or without refresh.

mod support;

use serde_json::{Value, json};
use support::{Emulator, workspace_moving_from_aws};

/// Moves `aws_<type>.this` to `<type>.this` and checks nothing changes.
fn assert_moves(
    emulator: &Emulator,
    type_name: &str,
    attributes: Value,
    identity: Option<Value>,
    body: &str,
) {
    let ws = workspace_moving_from_aws(emulator, type_name, attributes, identity, body);
    let address = format!("{type_name}.this");
    for refresh in ["-refresh=false", "-refresh=true"] {
        let plan = ws.plan(&[refresh]);
        let change = plan.change(&address);
        assert_eq!(
            change["actions"],
            json!(["no-op"]),
            "{type_name} {refresh}: {change:#}"
        );
    }
    ws.ok(&["apply", "-auto-approve", "-no-color"]);
    ws.assert_plan_empty(&[], &format!("{type_name} after the move"));
    ws.destroy();
}

#[test]
fn vpc_connector_moves_from_the_aws_provider() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    for v6 in [false, true] {
        let c = emulator.ok(
            "CreateVpcConnector",
            json!({ "VpcConnectorName": "legacy-conn", "Subnets": ["subnet-1"], "SecurityGroups": ["sg-1"] }),
        )["VpcConnector"]
            .clone();
        let arn = c["VpcConnectorArn"].clone();
        let mut attributes = json!({
            "arn": arn, "id": arn, "vpc_connector_name": "legacy-conn", "subnets": ["subnet-1"],
            "security_groups": ["sg-1"], "status": "ACTIVE", "vpc_connector_revision": 1,
            "tags": null, "tags_all": {}
        });
        if v6 {
            attributes["region"] = json!("us-east-1");
        }
        assert_moves(
            &emulator,
            "apprunner_vpc_connector",
            attributes,
            v6.then(|| json!({ "arn": arn })),
            "resource \"apprunner_vpc_connector\" \"this\" {\n  vpc_connector_name = \"legacy-conn\"\n  subnets = [\"subnet-1\"]\n  security_groups = [\"sg-1\"]\n}\n",
        );
    }
}

#[test]
fn vpc_ingress_connection_moves_from_the_aws_provider() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let svc = emulator.create_service("legacy-svc");
    emulator.wait_service(&svc);
    for v6 in [false, true] {
        let created = emulator.ok(
            "CreateVpcIngressConnection",
            json!({
                "ServiceArn": svc, "VpcIngressConnectionName": "legacy-ingress",
                "IngressVpcConfiguration": { "VpcId": "vpc-1", "VpcEndpointId": "vpce-1" }
            }),
        )["VpcIngressConnection"]
            .clone();
        let arn = created["VpcIngressConnectionArn"].clone();
        let described = emulator.wait_for(
            "DescribeVpcIngressConnection",
            json!({ "VpcIngressConnectionArn": arn }),
            "/VpcIngressConnection/Status",
            "AVAILABLE",
        );
        let mut attributes = json!({
            "arn": arn, "id": arn, "name": "legacy-ingress", "service_arn": svc,
            "domain_name": described["VpcIngressConnection"]["DomainName"], "status": "AVAILABLE",
            "ingress_vpc_configuration": [{ "vpc_id": "vpc-1", "vpc_endpoint_id": "vpce-1" }],
            "tags": null, "tags_all": {}
        });
        if v6 {
            attributes["region"] = json!("us-east-1");
        }
        assert_moves(
            &emulator,
            "apprunner_vpc_ingress_connection",
            attributes,
            v6.then(|| json!({ "arn": arn })),
            &format!(
                "resource \"apprunner_vpc_ingress_connection\" \"this\" {{\n  name = \"legacy-ingress\"\n  service_arn = \"{svc}\"\n  ingress_vpc_configuration {{\n    vpc_id = \"vpc-1\"\n    vpc_endpoint_id = \"vpce-1\"\n  }}\n}}\n"
            ),
        );
    }
}

/// The AWS type has no ARN of its own: `region` comes from the service's.
#[test]
fn custom_domain_association_moves_from_the_aws_provider() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let svc = emulator.create_service("legacy-domain-svc");
    emulator.wait_service(&svc);
    for v6 in [false, true] {
        let associated = emulator.ok(
            "AssociateCustomDomain",
            json!({ "ServiceArn": svc, "DomainName": "legacy.example.com" }),
        );
        let records: Vec<Value> = associated["CustomDomain"]["CertificateValidationRecords"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| json!({ "name": r["Name"], "type": r["Type"], "value": r["Value"], "status": r["Status"] }))
            .collect();
        let mut attributes = json!({
            "id": format!("legacy.example.com,{svc}"), "domain_name": "legacy.example.com",
            "service_arn": svc, "enable_www_subdomain": true,
            "dns_target": associated["DNSTarget"], "status": "pending_certificate_dns_validation",
            "certificate_validation_records": records
        });
        if v6 {
            attributes["region"] = json!("us-east-1");
        }
        assert_moves(
            &emulator,
            "apprunner_custom_domain_association",
            attributes,
            None,
            &format!(
                "resource \"apprunner_custom_domain_association\" \"this\" {{\n  domain_name = \"legacy.example.com\"\n  service_arn = \"{svc}\"\n}}\n"
            ),
        );
    }
}

#[test]
fn connection_moves_from_the_aws_provider() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    for v6 in [false, true] {
        let c = emulator.ok(
            "CreateConnection",
            json!({ "ConnectionName": "legacy-gh", "ProviderType": "GITHUB" }),
        )["Connection"]
            .clone();
        let mut attributes = json!({
            "arn": c["ConnectionArn"], "id": "legacy-gh", "connection_name": "legacy-gh",
            "provider_type": "GITHUB", "status": "PENDING_HANDSHAKE", "tags": null, "tags_all": {}
        });
        if v6 {
            attributes["region"] = json!("us-east-1");
        }
        assert_moves(
            &emulator,
            "apprunner_connection",
            attributes,
            None,
            "resource \"apprunner_connection\" \"this\" {\n  connection_name = \"legacy-gh\"\n  provider_type = \"GITHUB\"\n}\n",
        );
    }
}
