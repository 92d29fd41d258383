//! The networking and domain data sources with a real Terraform CLI against
//! the local control plane: `apprunner_hosted_zone_id`,
//! `apprunner_vpc_connector`, `apprunner_vpc_ingress_connection`,
//! `apprunner_connection` and `apprunner_custom_domains`.

mod support;

use serde_json::json;
use support::{
    Emulator, Workspace, assert_validate_error, data_source_example, failed_validate_diagnostics,
};

/// The table of https://docs.aws.amazon.com/general/latest/gr/apprunner.html.
const ZONES: &[(&str, &str)] = &[
    ("us-east-2", "Z0224347AD7KVHMLOX31"),
    ("us-east-1", "Z01915732ZBZKC8D32TPT"),
    ("us-west-2", "Z02243383FTQ64HJ5772Q"),
    ("ap-south-1", "Z00855883LBHKTIC4ODF2"),
    ("ap-southeast-1", "Z09819469CZ3KQ8PWMCL"),
    ("ap-southeast-2", "Z03657752RA8799S0TI5I"),
    ("ap-northeast-1", "Z08491812XW6IPYLR6CCA"),
    ("eu-central-1", "Z0334911C2FDI2Q9M4FZ"),
    ("eu-west-1", "Z087551914Z2PCAU0QHMW"),
    ("eu-west-2", "Z098228427VC6B3IX76ON"),
    ("eu-west-3", "Z087117439MBKHYM69QS6"),
];

#[test]
fn hosted_zone_id_for_every_region_app_runner_serves() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    let regions: Vec<String> = ZONES.iter().map(|(r, _)| format!("{r:?}")).collect();
    ws.write(&format!(
        r#"
data "apprunner_hosted_zone_id" "default" {{}}

data "apprunner_hosted_zone_id" "each" {{
  for_each = toset([{}])
  region   = each.key
}}

output "default" {{ value = data.apprunner_hosted_zone_id.default }}
output "each"    {{ value = {{ for r, d in data.apprunner_hosted_zone_id.each : r => d.id }} }}
"#,
        regions.join(", ")
    ));
    ws.apply();
    let state = ws.state();
    assert_eq!(
        state.output("default"),
        &json!({ "id": "Z01915732ZBZKC8D32TPT", "region": "us-east-1" })
    );
    let each = state.output("each");
    for (region, id) in ZONES {
        assert_eq!(each[*region], *id, "{region}");
    }
    assert_eq!(each.as_object().unwrap().len(), ZONES.len());
}

/// A region App Runner does not serve is an error naming the regions it
/// does: at validate time when written in the configuration, at plan time
/// when it is the provider's.
#[test]
fn hosted_zone_id_refuses_other_regions_clearly() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    ws.write("data \"apprunner_hosted_zone_id\" \"x\" {\n  region = \"ca-central-1\"\n}\n");
    let diag = failed_validate_diagnostics(&ws)
        .into_iter()
        .find(|d| d["severity"] == "error")
        .unwrap_or_default();
    assert!(
        diag["snippet"]["code"]
            .as_str()
            .unwrap_or_default()
            .contains("region"),
        "{diag:#}"
    );
    let detail = diag["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("does not serve region \"ca-central-1\"") && detail.contains("eu-west-3"),
        "{detail}"
    );
    let provider = ws
        .provider_block("")
        .replace("region     = \"us-east-1\"", "region     = \"sa-east-1\"");
    ws.write_with_provider(&provider, "data \"apprunner_hosted_zone_id\" \"x\" {}\n");
    let out = ws.fails(&["plan", "-no-color", "-input=false"]);
    assert!(
        out.text().contains("does not serve region \"sa-east-1\""),
        "{}",
        out.text()
    );
}

/// The lookups find what the resources made, by every key they accept, and
/// agree with the resources' attributes.
#[test]
fn lookups_find_connectors_ingress_connections_and_connections() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let svc = emulator.create_service("lookup-svc");
    emulator.wait_service(&svc);
    let ws = Workspace::new(&emulator);
    ws.write(&format!(
        r#"
resource "apprunner_vpc_connector" "c" {{
  vpc_connector_name = "lookup-connector"
  subnets            = ["subnet-1", "subnet-2"]
  security_groups    = ["sg-1"]
  tags               = {{ k = "v" }}
}}

resource "apprunner_vpc_ingress_connection" "i" {{
  name        = "lookup-ingress"
  service_arn = "{svc}"
  ingress_vpc_configuration {{
    vpc_id          = "vpc-1"
    vpc_endpoint_id = "vpce-1"
  }}
}}

resource "apprunner_connection" "g" {{
  connection_name = "lookup-github"
  provider_type   = "GITHUB"
}}

data "apprunner_vpc_connector" "by_arn" {{
  arn = apprunner_vpc_connector.c.arn
}}
data "apprunner_vpc_connector" "by_name" {{
  vpc_connector_name = apprunner_vpc_connector.c.vpc_connector_name
}}
data "apprunner_vpc_ingress_connection" "by_arn" {{
  arn = apprunner_vpc_ingress_connection.i.arn
}}
data "apprunner_vpc_ingress_connection" "by_name" {{
  name = apprunner_vpc_ingress_connection.i.name
}}
data "apprunner_vpc_ingress_connection" "by_service" {{
  service_arn = apprunner_vpc_ingress_connection.i.service_arn
}}
data "apprunner_connection" "by_name" {{
  connection_name = apprunner_connection.g.connection_name
}}
data "apprunner_connection" "by_arn" {{
  arn = apprunner_connection.g.arn
}}
"#
    ));
    ws.apply();
    let state = ws.state();
    let connector = state.values("apprunner_vpc_connector.c");
    for lookup in ["by_arn", "by_name"] {
        let d = state.values(&format!("data.apprunner_vpc_connector.{lookup}"));
        for attr in [
            "arn",
            "id",
            "vpc_connector_name",
            "subnets",
            "security_groups",
            "vpc_connector_revision",
            "status",
            "tags",
            "region",
        ] {
            assert_eq!(d[attr], connector[attr], "connector {lookup}: {attr}");
        }
    }
    let ingress = state.values("apprunner_vpc_ingress_connection.i");
    for lookup in ["by_arn", "by_name", "by_service"] {
        let d = state.values(&format!("data.apprunner_vpc_ingress_connection.{lookup}"));
        for attr in [
            "arn",
            "id",
            "name",
            "service_arn",
            "ingress_vpc_configuration",
            "domain_name",
            "status",
            "region",
        ] {
            assert_eq!(d[attr], ingress[attr], "ingress {lookup}: {attr}");
        }
    }
    let connection = state.values("apprunner_connection.g");
    for lookup in ["by_arn", "by_name"] {
        let d = state.values(&format!("data.apprunner_connection.{lookup}"));
        for attr in [
            "arn",
            "id",
            "connection_name",
            "provider_type",
            "status",
            "region",
        ] {
            assert_eq!(d[attr], connection[attr], "connection {lookup}: {attr}");
        }
        assert_eq!(d["status"], "PENDING_HANDSHAKE");
    }
    ws.assert_plan_empty(&[], "data sources after apply");
    ws.destroy();
}

#[test]
fn lookups_that_find_nothing_or_ask_twice_are_errors() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let ws = Workspace::new(&emulator);
    for (block, message) in [
        (
            "data \"apprunner_vpc_connector\" \"x\" {\n  vpc_connector_name = \"nothing-here\"\n}",
            "App Runner has no active VPC connector named nothing-here in us-east-1",
        ),
        (
            "data \"apprunner_vpc_ingress_connection\" \"x\" {\n  name = \"nothing-here\"\n}",
            "App Runner has no VPC ingress connection named nothing-here",
        ),
        (
            "data \"apprunner_connection\" \"x\" {\n  connection_name = \"nothing-here\"\n}",
            "App Runner has no connection named nothing-here",
        ),
        (
            "data \"apprunner_custom_domains\" \"x\" {\n  service_arn = \"arn:aws:apprunner:us-east-1:123456789012:service/none/0123456789abcdef0123456789abcdef\"\n}",
            "DescribeCustomDomains failed",
        ),
    ] {
        ws.write(block);
        let out = ws.fails(&["plan", "-no-color", "-input=false"]);
        assert!(out.text().contains(message), "{block}: {}", out.text());
    }
    for (block, attribute, message) in [
        (
            "data \"apprunner_vpc_connector\" \"x\" {}",
            "data",
            "Set `arn` or `vpc_connector_name`",
        ),
        (
            "data \"apprunner_vpc_connector\" \"x\" {\n  arn = \"arn:aws:apprunner:us-east-1:123456789012:vpcconnector/a/1/0123\"\n  vpc_connector_name = \"abcd\"\n}",
            "vpc_connector_name",
            "not both",
        ),
        (
            "data \"apprunner_vpc_ingress_connection\" \"x\" {\n  name = \"abcd\"\n  service_arn = \"arn:aws:apprunner:us-east-1:123456789012:service/a/0123\"\n}",
            "service_arn",
            "only one of",
        ),
        (
            "data \"apprunner_connection\" \"x\" {\n  connection_name = \"ab\"\n}",
            "connection_name",
            "4 to 32",
        ),
        (
            "data \"apprunner_vpc_connector\" \"x\" {\n  arn = \"arn:aws:apprunner:us-east-1:123456789012:service/a/0123\"\n}",
            "arn",
            "App Runner vpcconnector",
        ),
        (
            "data \"apprunner_connection\" \"x\" {\n  arn = \"arn:aws:apprunner:eu-west-1:123456789012:connection/gh/0123\"\n  region = \"us-east-1\"\n}",
            "region",
            "The arn is in eu-west-1",
        ),
        (
            "data \"apprunner_vpc_ingress_connection\" \"x\" {\n  service_arn = \"arn:aws:apprunner:eu-west-1:123456789012:service/a/0123\"\n  region = \"us-east-1\"\n}",
            "region",
            "The service_arn is in eu-west-1",
        ),
        (
            "data \"apprunner_custom_domains\" \"x\" {\n  service_arn = \"nope\"\n}",
            "service_arn",
            "App Runner ARN",
        ),
    ] {
        ws.write(block);
        assert_validate_error(&ws, block, attribute, message);
    }
}

/// Every domain of a service, with its records, the service's DNS target
/// and, for a service reachable from a VPC, its VPC DNS targets.
#[test]
fn custom_domains_of_a_service() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let svc = emulator.create_service("domains-svc");
    let url = emulator.wait_service(&svc)["ServiceUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let ws = Workspace::new(&emulator);
    ws.write(&format!(
        r#"
resource "apprunner_custom_domain_association" "root" {{
  domain_name = "example.com"
  service_arn = "{svc}"
}}
resource "apprunner_custom_domain_association" "api" {{
  domain_name          = "api.example.net"
  service_arn          = "{svc}"
  enable_www_subdomain = false
}}
resource "apprunner_vpc_ingress_connection" "i" {{
  name        = "domains-ingress"
  service_arn = "{svc}"
  ingress_vpc_configuration {{
    vpc_id          = "vpc-7"
    vpc_endpoint_id = "vpce-7"
  }}
}}
data "apprunner_custom_domains" "all" {{
  service_arn = "{svc}"
  depends_on  = [
    apprunner_custom_domain_association.root,
    apprunner_custom_domain_association.api,
    apprunner_vpc_ingress_connection.i,
  ]
}}
"#
    ));
    ws.apply();
    let state = ws.state();
    let d = state.values("data.apprunner_custom_domains.all");
    assert_eq!(d["id"], svc.as_str());
    assert_eq!(d["region"], "us-east-1");
    assert_eq!(d["dns_target"], url.as_str());
    let domains = d["custom_domains"].as_array().unwrap();
    let names: Vec<&str> = domains
        .iter()
        .map(|x| x["domain_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["api.example.net", "example.com"]);
    assert_eq!(domains[0]["enable_www_subdomain"], false);
    assert_eq!(domains[1]["enable_www_subdomain"], true);
    // The domain (and www) and App Runner's own label under it.
    assert_eq!(
        domains[0]["certificate_validation_records"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        domains[1]["certificate_validation_records"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let root = state.values("apprunner_custom_domain_association.root");
    for record in domains[1]["certificate_validation_records"]
        .as_array()
        .unwrap()
    {
        assert!(
            root["certificate_validation_records"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["name"] == record["name"] && r["value"] == record["value"]),
            "{record}"
        );
    }
    let ingress = state.values("apprunner_vpc_ingress_connection.i");
    assert_eq!(
        d["vpc_dns_targets"],
        json!([{
            "vpc_ingress_connection_arn": ingress["arn"],
            "vpc_id": "vpc-7",
            "domain_name": ingress["domain_name"],
        }])
    );
    ws.destroy();
}

/// The registry examples are valid; those that look up by name find what
/// they name, and the hosted zone example reads without any object.
#[test]
fn the_examples_validate_and_apply() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    for name in [
        "apprunner_hosted_zone_id",
        "apprunner_vpc_connector",
        "apprunner_vpc_ingress_connection",
        "apprunner_connection",
        "apprunner_custom_domains",
    ] {
        let ws = Workspace::new(&emulator);
        ws.write(&data_source_example(name));
        ws.ok(&["validate", "-no-color"]);
    }
    emulator.ok(
        "CreateVpcConnector",
        json!({ "VpcConnectorName": "shared-egress", "Subnets": ["subnet-1"] }),
    );
    emulator.ok(
        "CreateConnection",
        json!({ "ConnectionName": "github", "ProviderType": "GITHUB" }),
    );
    for (name, output, want) in [
        (
            "apprunner_hosted_zone_id",
            "hosted_zone_id",
            json!("Z01915732ZBZKC8D32TPT"),
        ),
        (
            "apprunner_connection",
            "github_connection_usable",
            json!(false),
        ),
    ] {
        let ws = Workspace::new(&emulator);
        ws.write(&data_source_example(name));
        ws.apply();
        assert_eq!(ws.state().output(output), &want, "{name}");
    }
    let ws = Workspace::new(&emulator);
    ws.write(&data_source_example("apprunner_vpc_connector"));
    ws.apply();
    assert!(
        ws.state()
            .output("shared_connector_arn")
            .as_str()
            .unwrap()
            .contains(":vpcconnector/shared-egress/1/")
    );
}
