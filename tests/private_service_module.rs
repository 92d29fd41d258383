//! The HCL module `examples/modules/private-service` (VPC connector +
//! private service + VPC ingress connection + custom domain), used the way
//! a user would: one apply that also makes DNS records from its validation
//! records with `for_each`, an in-place change, and a destroy that leaves
//! nothing behind.

mod support;

use serde_json::json;
use support::{Emulator, Workspace};

fn root(endpoint_id: &str) -> String {
    let module =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/modules/private-service");
    format!(
        r#"
module "private" {{
  source = "{}"

  name               = "orders"
  subnet_ids         = ["subnet-0a", "subnet-0b"]
  security_group_ids = ["sg-0a"]
  vpc_id             = "vpc-0a"
  vpc_endpoint_id    = "{endpoint_id}"
  domain_name        = "orders.example.com"
  enable_www_subdomain = true
  tags               = {{ team = "orders" }}
}}

# Stands in for a DNS record resource (e.g. aws_route53_record).
resource "terraform_data" "validation_record" {{
  for_each = module.private.validation_records
  input = {{
    name   = each.value.name
    type   = each.value.type
    record = each.value.value
  }}
}}

output "private_domain_name" {{ value = module.private.private_domain_name }}
output "dns_target"          {{ value = module.private.custom_domain_dns_target }}
"#,
        module.display()
    )
}

#[test]
fn the_module_makes_a_private_service_with_its_domain_in_one_apply() {
    let emulator = Emulator::start(&["--operation-duration", "200ms"]);
    let ws = Workspace::new(&emulator);
    ws.write(&root("vpce-0a"));
    ws.ok(&["get", "-no-color"]);
    ws.ok(&["validate", "-no-color"]);

    // One plan holds everything, the DNS records included.
    let plan = ws.plan(&[]);
    for address in [
        "module.private.apprunner_vpc_connector.this",
        "module.private.apprunner_service.this",
        "module.private.apprunner_vpc_ingress_connection.this",
        "module.private.apprunner_custom_domain_association.this[0]",
        "terraform_data.validation_record[\"orders.example.com\"]",
        "terraform_data.validation_record[\"www.orders.example.com\"]",
    ] {
        assert_eq!(plan.actions(address), ["create"], "{address}");
    }
    ws.ok(&["apply", "-no-color", "-input=false", "tfplan"]);

    let held = emulator.state();
    let region = &held["regions"]["us-east-1"];
    let service = &region["services"][0];
    assert_eq!(service["ServiceName"], "orders");
    assert_eq!(service["Status"], "RUNNING");
    let connector = &region["vpc_connectors"][0];
    assert_eq!(connector["VpcConnectorName"], "orders-egress");
    assert_eq!(
        service["NetworkConfiguration"],
        json!({
            "EgressConfiguration": { "EgressType": "VPC", "VpcConnectorArn": connector["VpcConnectorArn"] },
            "IngressConfiguration": { "IsPubliclyAccessible": false },
            "IpAddressType": "IPV4"
        })
    );
    let ingress = &region["vpc_ingress_connections"][0];
    assert_eq!(ingress["VpcIngressConnectionName"], "orders-ingress");
    assert_eq!(ingress["ServiceArn"], service["ServiceArn"]);
    assert_eq!(ingress["Status"], "AVAILABLE");
    let domain = &region["custom_domains"][0];
    assert_eq!(domain["DomainName"], "orders.example.com");
    assert_eq!(domain["EnableWWWSubdomain"], true);
    for tagged in [
        &service["ServiceArn"],
        &connector["VpcConnectorArn"],
        &ingress["VpcIngressConnectionArn"],
    ] {
        assert_eq!(
            region["tags"][tagged.as_str().unwrap()],
            json!({ "team": "orders" }),
            "{tagged}"
        );
    }

    let state = ws.state();
    assert_eq!(state.output("private_domain_name"), &ingress["DomainName"]);
    assert!(
        state
            .output("dns_target")
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    for name in ["orders.example.com", "www.orders.example.com"] {
        let input =
            &state.values(&format!("terraform_data.validation_record[\"{name}\"]"))["input"];
        assert_eq!(input["type"], "CNAME");
        assert!(
            domain["CertificateValidationRecords"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["Name"] == input["name"] && r["Value"] == input["record"]),
            "{name}: {input} not among {domain:#}"
        );
    }
    ws.assert_plan_empty(&["-refresh=false"], "module, without refresh");
    ws.assert_plan_empty(&[], "module, refreshed");

    // A new VPC endpoint is an in-place update of the ingress connection only.
    ws.write(&root("vpce-0b"));
    let plan = ws.plan(&[]);
    assert_eq!(
        plan.actions("module.private.apprunner_vpc_ingress_connection.this"),
        ["update"]
    );
    for address in [
        "module.private.apprunner_service.this",
        "module.private.apprunner_vpc_connector.this",
        "module.private.apprunner_custom_domain_association.this[0]",
    ] {
        assert_eq!(plan.actions(address), ["no-op"], "{address}");
    }
    ws.ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    let ingress = &emulator.state()["regions"]["us-east-1"]["vpc_ingress_connections"][0];
    assert_eq!(
        ingress["IngressVpcConfiguration"]["VpcEndpointId"],
        "vpce-0b"
    );
    assert_eq!(ingress["Status"], "AVAILABLE");
    ws.assert_plan_empty(&[], "after the endpoint change");

    // Destroy in dependency order: nothing is refused, nothing is left.
    ws.destroy();
    let held = emulator.state();
    assert_eq!(held["total"], 0, "{held:#}");
}
