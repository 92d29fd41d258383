//! `terraform query` over an App Runner estate that Terraform never managed:
//! a `list` block for every resource type with its filters, configuration
//! generated from what was found that plans exactly the imports and no
//! change, and the commands of docs/guides/importing-an-existing-estate.md
//! run as written.

mod support;

use std::collections::BTreeMap;

use serde_json::{Value, json};
use support::emulator::{IMAGE, service_body};
use support::{Emulator, Workspace};

/// The second region of the estate (the provider's is us-east-1); the
/// importing guide's query file lists both.
const WEST: &str = "eu-west-1";

/// What the estate holds, by role.
struct Estate {
    web: String,
    api: String,
    /// Objects per region: `(resource type, count)`.
    expected: BTreeMap<(&'static str, &'static str), usize>,
}

impl Estate {
    fn total(&self) -> usize {
        self.expected.values().sum()
    }
}

fn arn(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no {pointer} in {v}"))
        .to_string()
}

/// Creates, through the control plane's API, objects of every type in the
/// provider's region (us-east-1) and in [`WEST`].
fn build_estate(e: &Emulator) -> Estate {
    let east = support::emulator::REGION;
    // Auto scaling configurations: two revisions of one name, and another.
    e.ok(
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "web-asc", "MaxConcurrency": 50, "MaxSize": 3, "MinSize": 1 }),
    );
    let web_asc_rev2 = arn(
        &e.ok(
            "CreateAutoScalingConfiguration",
            json!({ "AutoScalingConfigurationName": "web-asc", "MaxConcurrency": 80, "MaxSize": 4, "MinSize": 2 }),
        ),
        "/AutoScalingConfiguration/AutoScalingConfigurationArn",
    );
    let api_asc = arn(
        &e.ok(
            "CreateAutoScalingConfiguration",
            json!({ "AutoScalingConfigurationName": "api-asc", "MaxSize": 10,
                    "Tags": [{ "Key": "team", "Value": "api" }] }),
        ),
        "/AutoScalingConfiguration/AutoScalingConfigurationArn",
    );
    e.ok(
        "UpdateDefaultAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationArn": api_asc }),
    );
    // Observability configurations.
    let traced = arn(
        &e.ok(
            "CreateObservabilityConfiguration",
            json!({ "ObservabilityConfigurationName": "traced-obs", "TraceConfiguration": { "Vendor": "AWSXRAY" } }),
        ),
        "/ObservabilityConfiguration/ObservabilityConfigurationArn",
    );
    e.ok(
        "CreateObservabilityConfiguration",
        json!({ "ObservabilityConfigurationName": "plain-obs" }),
    );
    // VPC connectors: one with security groups, one without.
    let web_connector = arn(
        &e.ok(
            "CreateVpcConnector",
            json!({ "VpcConnectorName": "web-connector", "Subnets": ["subnet-0a1", "subnet-0b2"],
                    "SecurityGroups": ["sg-0c3"], "Tags": [{ "Key": "env", "Value": "prod" }] }),
        ),
        "/VpcConnector/VpcConnectorArn",
    );
    e.ok(
        "CreateVpcConnector",
        json!({ "VpcConnectorName": "batch-connector", "Subnets": ["subnet-0d4"] }),
    );
    // Connections: one whose handshake is completed, one pending.
    let connection_available = arn(
        &e.ok(
            "CreateConnection",
            json!({ "ConnectionName": "gh-main", "ProviderType": "GITHUB" }),
        ),
        "/Connection/ConnectionArn",
    );
    let r = e.admin(
        "POST",
        "/_emulator/connections/complete-handshake",
        json!({ "connection_arn": connection_available }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    e.ok(
        "CreateConnection",
        json!({ "ConnectionName": "bb-pending", "ProviderType": "BITBUCKET" }),
    );
    // Services: one with every block, a minimal one, a code repository and
    // a paused one.
    let web = arn(
        &e.ok(
            "CreateService",
            json!({
                "ServiceName": "web-app",
                "SourceConfiguration": {
                    "ImageRepository": {
                        "ImageIdentifier": IMAGE, "ImageRepositoryType": "ECR_PUBLIC",
                        "ImageConfiguration": { "Port": "8000", "StartCommand": "./serve",
                                                "RuntimeEnvironmentVariables": { "MODE": "production" } }
                    },
                    "AutoDeploymentsEnabled": false
                },
                "InstanceConfiguration": { "Cpu": "2 vCPU", "Memory": "4 GB" },
                "HealthCheckConfiguration": { "Protocol": "HTTP", "Path": "/health", "Interval": 10 },
                "AutoScalingConfigurationArn": web_asc_rev2,
                "ObservabilityConfiguration": { "ObservabilityEnabled": true, "ObservabilityConfigurationArn": traced },
                "NetworkConfiguration": {
                    "EgressConfiguration": { "EgressType": "VPC", "VpcConnectorArn": web_connector },
                    "IngressConfiguration": { "IsPubliclyAccessible": false }
                },
                "Tags": [{ "Key": "team", "Value": "web" }]
            }),
        ),
        "/Service/ServiceArn",
    );
    let api = e.create_service("api-app");
    let worker = arn(
        &e.ok(
            "CreateService",
            json!({
                "ServiceName": "worker",
                "SourceConfiguration": {
                    "CodeRepository": {
                        "RepositoryUrl": "https://github.com/example/worker",
                        "SourceDirectory": "/jobs",
                        "SourceCodeVersion": { "Type": "BRANCH", "Value": "main" },
                        "CodeConfiguration": {
                            "ConfigurationSource": "API",
                            "CodeConfigurationValues": { "Runtime": "PYTHON_311", "BuildCommand": "pip install -r requirements.txt",
                                                         "StartCommand": "python worker.py" }
                        }
                    },
                    "AuthenticationConfiguration": { "ConnectionArn": connection_available },
                    "AutoDeploymentsEnabled": false
                }
            }),
        ),
        "/Service/ServiceArn",
    );
    let paused = e.create_service("paused-batch");
    for s in [&web, &api, &worker, &paused] {
        e.wait_service(s);
    }
    e.ok("PauseService", json!({ "ServiceArn": paused }));
    e.ok("StartDeployment", json!({ "ServiceArn": api }));
    e.wait_service(&paused);
    e.wait_service(&api);
    // A private endpoint of web, and custom domains of api.
    e.ok(
        "CreateVpcIngressConnection",
        json!({ "ServiceArn": web, "VpcIngressConnectionName": "web-private",
                "IngressVpcConfiguration": { "VpcId": "vpc-0e5", "VpcEndpointId": "vpce-0f6" } }),
    );
    e.ok(
        "AssociateCustomDomain",
        json!({ "ServiceArn": api, "DomainName": "api.example.com" }),
    );
    e.ok(
        "AssociateCustomDomain",
        json!({ "ServiceArn": api, "DomainName": "status.example.com", "EnableWWWSubdomain": false }),
    );
    // The second region.
    let west = e
        .call_in(WEST, "CreateService", service_body("west-web"))
        .unwrap();
    let west_service = arn(&west, "/Service/ServiceArn");
    e.call_in(
        WEST,
        "CreateAutoScalingConfiguration",
        json!({ "AutoScalingConfigurationName": "west-asc", "MaxSize": 2 }),
    )
    .unwrap();
    e.call_in(
        WEST,
        "CreateVpcConnector",
        json!({ "VpcConnectorName": "west-connector", "Subnets": ["subnet-1a7"] }),
    )
    .unwrap();
    e.call_in(
        WEST,
        "CreateConnection",
        json!({ "ConnectionName": "gh-west", "ProviderType": "GITHUB" }),
    )
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while e
        .call_in(
            WEST,
            "DescribeService",
            json!({ "ServiceArn": west_service }),
        )
        .unwrap()["Service"]["Status"]
        == "OPERATION_IN_PROGRESS"
    {
        assert!(
            std::time::Instant::now() < deadline,
            "west-web never settled"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    let expected = BTreeMap::from([
        ((east, "apprunner_service"), 4),
        ((east, "apprunner_auto_scaling_configuration_version"), 3),
        (
            (east, "apprunner_default_auto_scaling_configuration_version"),
            1,
        ),
        ((east, "apprunner_observability_configuration"), 2),
        ((east, "apprunner_vpc_connector"), 2),
        ((east, "apprunner_vpc_ingress_connection"), 1),
        ((east, "apprunner_custom_domain_association"), 2),
        ((east, "apprunner_connection"), 2),
        ((east, "apprunner_deployment"), 1),
        ((WEST, "apprunner_service"), 1),
        ((WEST, "apprunner_auto_scaling_configuration_version"), 1),
        (
            (WEST, "apprunner_default_auto_scaling_configuration_version"),
            1,
        ),
        ((WEST, "apprunner_vpc_connector"), 1),
        ((WEST, "apprunner_connection"), 1),
    ]);
    Estate { web, api, expected }
}

/// Every resource type, in the order the query files list them.
const TYPES: [&str; 9] = [
    "apprunner_service",
    "apprunner_auto_scaling_configuration_version",
    "apprunner_default_auto_scaling_configuration_version",
    "apprunner_observability_configuration",
    "apprunner_vpc_connector",
    "apprunner_vpc_ingress_connection",
    "apprunner_custom_domain_association",
    "apprunner_connection",
    "apprunner_deployment",
];

/// A `list` block.
fn list_block(type_name: &str, name: &str, config: &str, extra: &str) -> String {
    format!(
        "list \"{type_name}\" \"{name}\" {{\n  provider = apprunner\n{extra}  config {{\n{config}  }}\n}}\n\n"
    )
}

/// What `terraform query -json` found: display names by list address.
fn found(ws: &Workspace) -> BTreeMap<String, Vec<String>> {
    let out = ws.ok(&["query", "-json", "-no-color"]);
    let mut by_list: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in out.stdout.lines() {
        let event: Value = serde_json::from_str(line).unwrap_or(Value::Null);
        if event["type"] == "diagnostic" && event["@level"] == "error" {
            panic!("terraform query reported an error: {line}");
        }
        if event["type"] == "list_start" {
            by_list
                .entry(event["list_start"]["address"].as_str().unwrap().to_string())
                .or_default();
        }
        if event["type"] == "list_resource_found" {
            let f = &event["list_resource_found"];
            by_list
                .entry(f["address"].as_str().unwrap().to_string())
                .or_default()
                .push(f["display_name"].as_str().unwrap().to_string());
        }
    }
    by_list
}

#[test]
fn list_blocks_find_the_estate_with_their_filters() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let estate = build_estate(&emulator);
    let ws = Workspace::new(&emulator);
    ws.write("");
    let q = |t: &str, n: &str, c: &str| list_block(t, n, c, "");
    let mut query = String::new();
    for t in TYPES {
        query += &q(
            t,
            &format!("{}_all", t.trim_start_matches("apprunner_")),
            "",
        );
    }
    query += &q(
        "apprunner_service",
        "name_prefix",
        "    name_prefix = \"w\"\n",
    );
    query += &q("apprunner_service", "paused", "    status = \"PAUSED\"\n");
    query += &q(
        "apprunner_service",
        "west",
        &format!("    region = \"{WEST}\"\n"),
    );
    query += &q(
        "apprunner_auto_scaling_configuration_version",
        "latest",
        "    latest_only = true\n",
    );
    query += &q(
        "apprunner_auto_scaling_configuration_version",
        "named",
        "    name = \"web-asc\"\n",
    );
    query += &q(
        "apprunner_auto_scaling_configuration_version",
        "prefixed",
        "    name_prefix = \"api\"\n",
    );
    query += &q(
        "apprunner_default_auto_scaling_configuration_version",
        "west",
        &format!("    region = \"{WEST}\"\n"),
    );
    query += &q(
        "apprunner_vpc_connector",
        "web",
        "    name_prefix = \"web\"\n",
    );
    query += &q(
        "apprunner_vpc_ingress_connection",
        "of_web",
        &format!("    service_arn = \"{}\"\n", estate.web),
    );
    query += &q(
        "apprunner_vpc_ingress_connection",
        "of_api",
        &format!("    service_arn = \"{}\"\n", estate.api),
    );
    query += &q(
        "apprunner_custom_domain_association",
        "of_api",
        &format!("    service_arn = \"{}\"\n", estate.api),
    );
    query += &q(
        "apprunner_custom_domain_association",
        "of_web",
        &format!("    service_arn = \"{}\"\n", estate.web),
    );
    query += &q(
        "apprunner_connection",
        "available",
        "    status = \"AVAILABLE\"\n",
    );
    query += &q(
        "apprunner_connection",
        "bitbucket",
        "    provider_type = \"BITBUCKET\"\n",
    );
    query += &q(
        "apprunner_connection",
        "west",
        &format!("    region = \"{WEST}\"\n"),
    );
    query += &q(
        "apprunner_deployment",
        "of_api",
        &format!(
            "    service_arn = \"{}\"\n    status = \"SUCCEEDED\"\n",
            estate.api
        ),
    );
    query += &list_block("apprunner_service", "first", "", "  limit = 1\n");
    ws.write_file("estate.tfquery.hcl", &query);
    ws.ok(&["init", "-no-color"]);

    let found = found(&ws);
    let names = |list: &str| -> Vec<String> {
        found
            .get(&format!("list.{list}"))
            .unwrap_or_else(|| panic!("no results for {list}: {found:#?}"))
            .clone()
    };
    let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        names("apprunner_service.service_all"),
        strs(&["api-app", "paused-batch", "web-app", "worker"])
    );
    assert_eq!(
        names("apprunner_service.name_prefix"),
        strs(&["web-app", "worker"])
    );
    assert_eq!(names("apprunner_service.paused"), strs(&["paused-batch"]));
    assert_eq!(names("apprunner_service.west"), strs(&["west-web"]));
    assert_eq!(names("apprunner_service.first").len(), 1);
    // App Runner's own DefaultConfiguration is never listed.
    assert_eq!(
        names(
            "apprunner_auto_scaling_configuration_version.auto_scaling_configuration_version_all"
        ),
        strs(&[
            "api-asc revision 1",
            "web-asc revision 1",
            "web-asc revision 2"
        ])
    );
    assert_eq!(
        names("apprunner_auto_scaling_configuration_version.latest"),
        strs(&["api-asc revision 1", "web-asc revision 2"])
    );
    assert_eq!(
        names("apprunner_auto_scaling_configuration_version.named"),
        strs(&["web-asc revision 1", "web-asc revision 2"])
    );
    assert_eq!(
        names("apprunner_auto_scaling_configuration_version.prefixed"),
        strs(&["api-asc revision 1"])
    );
    assert_eq!(
        names(
            "apprunner_default_auto_scaling_configuration_version.default_auto_scaling_configuration_version_all"
        ),
        strs(&["us-east-1: api-asc revision 1"])
    );
    assert_eq!(
        names("apprunner_default_auto_scaling_configuration_version.west"),
        vec![format!("{WEST}: DefaultConfiguration revision 1")]
    );
    assert_eq!(
        names("apprunner_observability_configuration.observability_configuration_all"),
        strs(&["plain-obs revision 1", "traced-obs revision 1"])
    );
    assert_eq!(
        names("apprunner_vpc_connector.vpc_connector_all"),
        strs(&["batch-connector", "web-connector"])
    );
    assert_eq!(
        names("apprunner_vpc_connector.web"),
        strs(&["web-connector"])
    );
    assert_eq!(
        names("apprunner_vpc_ingress_connection.vpc_ingress_connection_all"),
        strs(&["web-private"])
    );
    assert_eq!(
        names("apprunner_vpc_ingress_connection.of_web"),
        strs(&["web-private"])
    );
    assert!(names("apprunner_vpc_ingress_connection.of_api").is_empty());
    assert_eq!(
        names("apprunner_custom_domain_association.custom_domain_association_all"),
        strs(&["api.example.com (api-app)", "status.example.com (api-app)"])
    );
    assert_eq!(
        names("apprunner_custom_domain_association.of_api"),
        strs(&["api.example.com (api-app)", "status.example.com (api-app)"])
    );
    assert!(names("apprunner_custom_domain_association.of_web").is_empty());
    assert_eq!(
        names("apprunner_connection.connection_all"),
        strs(&["bb-pending", "gh-main"])
    );
    assert_eq!(names("apprunner_connection.available"), strs(&["gh-main"]));
    assert_eq!(
        names("apprunner_connection.bitbucket"),
        strs(&["bb-pending"])
    );
    assert_eq!(names("apprunner_connection.west"), strs(&["gh-west"]));
    assert_eq!(names("apprunner_deployment.deployment_all").len(), 1);
    assert_eq!(
        names("apprunner_deployment.of_api"),
        names("apprunner_deployment.deployment_all")
    );
    assert!(names("apprunner_deployment.of_api")[0].starts_with("api-app "));
}

/// The query file a user adopting the whole estate writes: one list block
/// per type and region.
fn estate_query() -> String {
    let mut query = String::new();
    for (region, suffix) in [(None, "east"), (Some(WEST), "west")] {
        for t in TYPES {
            let config = region
                .map(|r| format!("    region = \"{r}\"\n"))
                .unwrap_or_default();
            query += &list_block(
                t,
                &format!("{}_{suffix}", t.trim_start_matches("apprunner_")),
                &config,
                "  include_resource = true\n",
            );
        }
    }
    query
}

#[test]
fn generated_configuration_imports_the_estate_with_no_changes() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let estate = build_estate(&emulator);
    assert!(estate.total() >= 20, "{} objects", estate.total());
    let before = emulator.state();
    let ws = Workspace::new(&emulator);
    ws.write("");
    ws.write_file("estate.tfquery.hcl", &estate_query());
    ws.ok(&["init", "-no-color"]);
    ws.ok(&["query", "-no-color", "-generate-config-out=generated.tf"]);
    let generated = std::fs::read_to_string(ws.path().join("generated.tf")).unwrap();
    if std::env::var_os("QUERY_TEST_PRINT").is_some() {
        eprintln!("{generated}");
    }

    // One resource and one import block per object, by type and region.
    for ((region, type_name), n) in &estate.expected {
        let suffix = if *region == WEST { "west" } else { "east" };
        let prefix = format!(
            "resource \"{type_name}\" \"{}_{suffix}_",
            type_name.trim_start_matches("apprunner_")
        );
        assert_eq!(
            generated.matches(&prefix).count(),
            *n,
            "{type_name} in {region}:\n{generated}"
        );
    }
    assert_eq!(generated.matches("\nimport {").count(), estate.total());
    // `region` only where it is not the provider's.
    let mut in_resource = false;
    let regions: Vec<&str> = generated
        .lines()
        .filter(|l| {
            if l.starts_with("resource ") {
                in_resource = true;
            } else if *l == "}" {
                in_resource = false;
            }
            in_resource
        })
        .filter_map(|l| l.trim().split_once('='))
        .filter(|(k, _)| k.trim() == "region")
        .map(|(_, v)| v.trim())
        .collect();
    let west: usize = estate
        .expected
        .iter()
        .filter(|((r, _), _)| *r == WEST)
        .map(|(_, n)| n)
        .sum();
    assert_eq!(
        regions,
        vec![format!("\"{WEST}\"").as_str(); west],
        "{generated}"
    );

    let plan = ws.plan(&[]);
    let changes = plan.0["resource_changes"].as_array().unwrap();
    assert_eq!(changes.len(), estate.total(), "{generated}");
    for c in changes {
        assert_eq!(
            c["change"]["actions"],
            json!(["no-op"]),
            "{} is not just imported:\n{:#}\n{generated}",
            c["address"],
            c["change"]
        );
        assert!(
            c["change"]["importing"].is_object(),
            "{} is not imported",
            c["address"]
        );
    }
    ws.ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    ws.assert_plan_empty(&["-refresh=false"], "after importing the estate");
    ws.assert_plan_empty(&[], "refreshing after importing the estate");
    // Importing changed nothing in App Runner.
    assert_eq!(emulator.state()["counts"], before["counts"]);
}

#[test]
fn invalid_filters_are_reported_at_the_attribute() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    ws.write("");
    let cases = [
        ("apprunner_service", "status = \"STOPPED\""),
        ("apprunner_service", "name_prefix = \"\""),
        ("apprunner_vpc_connector", "region = \"nowhere\""),
        (
            "apprunner_auto_scaling_configuration_version",
            "name = \"x\"",
        ),
        (
            "apprunner_observability_configuration",
            "name = \"not valid!\"",
        ),
        (
            "apprunner_custom_domain_association",
            "service_arn = \"web\"",
        ),
        ("apprunner_vpc_ingress_connection", "vpc_endpoint_id = \"\""),
        ("apprunner_connection", "provider_type = \"GITLAB\""),
        ("apprunner_deployment", "status = \"DONE\""),
    ];
    let mut query = String::new();
    for (i, (t, line)) in cases.iter().enumerate() {
        query += &list_block(t, &format!("bad_{i}"), &format!("    {line}\n"), "");
    }
    ws.write_file("bad.tfquery.hcl", &query);
    ws.ok(&["init", "-no-color"]);
    let out = ws.fails(&["query", "-json", "-no-color"]);
    let snippets: Vec<String> = out
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["type"] == "diagnostic" && e["@level"] == "error")
        .map(|e| {
            e["diagnostic"]["snippet"]["code"]
                .as_str()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .collect();
    for (_, line) in cases {
        assert!(
            snippets.iter().any(|s| s == line),
            "no diagnostic at {line:?}; got {snippets:#?}\n{}",
            out.stdout
        );
    }
}

/// More objects than one page holds: ListServices pages hold 20 and are
/// followed by an empty page with a NextToken; DescribeCustomDomains pages
/// hold 5.
#[test]
fn listing_follows_every_page() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let mut services = Vec::new();
    for i in 0..22 {
        services.push(emulator.create_service(&format!("svc-{i:02}")));
    }
    for s in &services {
        emulator.wait_service(s);
    }
    for i in 0..7 {
        emulator.ok(
            "AssociateCustomDomain",
            json!({ "ServiceArn": services[0], "DomainName": format!("d{i}.example.com") }),
        );
    }
    let ws = Workspace::new(&emulator);
    ws.write("");
    let mut query = list_block("apprunner_service", "all", "", "");
    query += &list_block("apprunner_service", "first_21", "", "  limit = 21\n");
    query += &list_block(
        "apprunner_custom_domain_association",
        "all",
        &format!("    service_arn = \"{}\"\n", services[0]),
        "",
    );
    ws.write_file("pages.tfquery.hcl", &query);
    ws.ok(&["init", "-no-color"]);
    let found = found(&ws);
    assert_eq!(found["list.apprunner_service.all"].len(), 22);
    assert_eq!(found["list.apprunner_service.first_21"].len(), 21);
    assert_eq!(
        found["list.apprunner_custom_domain_association.all"].len(),
        7
    );
}

/// The code block between `<!-- MARKER:begin -->` and `<!-- MARKER:end -->`
/// of docs/guides/importing-an-existing-estate.md.
fn guide_block(marker: &str) -> String {
    let guide = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/guides/importing-an-existing-estate.md"
    ))
    .expect("read the guide");
    let start = guide
        .find(&format!("<!-- {marker}:begin -->"))
        .unwrap_or_else(|| panic!("no {marker} start marker"));
    let end = guide
        .find(&format!("<!-- {marker}:end -->"))
        .unwrap_or_else(|| panic!("no {marker} end marker"));
    guide[start..end]
        .lines()
        .skip_while(|l| !l.starts_with("```"))
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn the_guide_imports_a_whole_estate() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let estate = build_estate(&emulator);
    let ws = Workspace::new(&emulator);
    ws.write("");
    ws.write_file("estate.tfquery.hcl", &guide_block("estate-query"));
    let out = ws.run_script(&guide_block("estate-script"));
    let stdout = without_colours(&out.stdout);
    assert!(
        stdout.contains(&format!(
            "Plan: {} to import, 0 to add, 0 to change, 0 to destroy.",
            estate.total()
        )),
        "{stdout}"
    );
    assert_eq!(ws.state().resources().len(), estate.total());
    ws.assert_plan_empty(&[], "after following the guide");
}

/// Terminal output without its ANSI colour sequences (the guide's commands
/// run as a user types them, without `-no-color`).
fn without_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ … final letter
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The guide's example IDs, which the test replaces with those App Runner
/// gave the objects it creates.
const GUIDE_SERVICE_ARN: &str =
    "arn:aws:apprunner:us-east-1:123456789012:service/api-app/8fe1e10304f84fd2b0df550fe98a71fa";
const GUIDE_CONNECTOR_ARN: &str = "arn:aws:apprunner:us-east-1:123456789012:vpcconnector/batch-connector/1/5b7dbcba74d2ed68b493c59424455b6c";

#[test]
fn the_guide_imports_single_objects() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let service = emulator.create_service("api-app");
    emulator.wait_service(&service);
    emulator.ok(
        "CreateConnection",
        json!({ "ConnectionName": "gh-main", "ProviderType": "GITHUB" }),
    );
    let connector = arn(
        &emulator.ok(
            "CreateVpcConnector",
            json!({ "VpcConnectorName": "batch-connector", "Subnets": ["subnet-0d4"] }),
        ),
        "/VpcConnector/VpcConnectorArn",
    );
    let real = |text: String| {
        assert!(
            text.contains(GUIDE_SERVICE_ARN) || text.contains(GUIDE_CONNECTOR_ARN),
            "the guide's example IDs changed:\n{text}"
        );
        text.replace(GUIDE_SERVICE_ARN, &service)
            .replace(GUIDE_CONNECTOR_ARN, &connector)
    };
    let ws = Workspace::new(&emulator);
    ws.write("");

    // Import blocks by ID and by identity, with generated configuration.
    ws.write_file("imports.tf", &real(guide_block("single-import-blocks")));
    ws.run_script(&guide_block("single-import-script"));
    let generated = std::fs::read_to_string(ws.path().join("imported.tf")).unwrap();
    assert!(generated.contains("resource \"apprunner_service\" \"api\""));
    assert!(generated.contains("resource \"apprunner_connection\" \"github\""));
    let state = ws.state();
    assert_eq!(state.attr("apprunner_service.api", "arn"), service);
    assert_eq!(
        state.attr("apprunner_connection.github", "connection_name"),
        "gh-main"
    );
    ws.assert_plan_empty(&[], "after the import blocks");

    // terraform import, with a resource block written by hand.
    ws.write_file("batch.tf", &guide_block("cli-import-resource"));
    ws.run_script(&real(guide_block("cli-import-script")));
    assert_eq!(
        ws.state().attr("apprunner_vpc_connector.batch", "arn"),
        connector
    );
    // Nothing was created or changed in App Runner.
    let counts = &emulator.state()["counts"];
    assert_eq!(counts["services"], 1, "{counts}");
    assert_eq!(counts["vpc_connectors"], 1, "{counts}");
}
