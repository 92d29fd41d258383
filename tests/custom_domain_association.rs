//! Acceptance tests of `apprunner_custom_domain_association` with a real
//! Terraform CLI against the local control plane.

mod support;

use serde_json::{Value, json};
use support::{
    Acceptance, Action, Emulator, ImportCheck, Step, Workspace, assert_resource_example_applies,
    assert_validate_error, validate_diagnostics,
};

const ADDR: &str = "apprunner_custom_domain_association.test";

fn config(domain: &str, service: &str, extra: &str) -> String {
    format!(
        r#"
resource "apprunner_custom_domain_association" "test" {{
  domain_name = "{domain}"
  service_arn = "{service}"
  {extra}
}}
"#
    )
}

/// A running service made through the API.
fn service(emulator: &Emulator, name: &str) -> (String, String) {
    let arn = emulator.create_service(name);
    let described = emulator.wait_service(&arn);
    assert_eq!(described["Status"], "RUNNING");
    (arn, described["ServiceUrl"].as_str().unwrap().to_string())
}

fn names(map: &Value) -> Vec<String> {
    map.as_object().unwrap().keys().cloned().collect()
}

/// `_` and 32 lowercase hex digits, as App Runner's record tokens.
fn is_token(s: &str) -> bool {
    s.len() == 33
        && s.starts_with('_')
        && s[1..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks a validation record's shape: `_<32 hex>.<validated>.` and
/// `_<32 hex>.<word>.acm-validations.aws.`, CNAME; returns `<validated>`.
fn validated_name(record: &Value) -> String {
    let name = record["name"].as_str().unwrap();
    let (token, validated) = name.split_once('.').unwrap();
    assert!(is_token(token) && validated.ends_with('.'), "{record}");
    let value: Vec<&str> = record["value"].as_str().unwrap().split('.').collect();
    assert!(
        value.len() == 5 && is_token(value[0]) && value[2..] == ["acm-validations", "aws", ""],
        "{record}"
    );
    assert_eq!(record["type"], "CNAME");
    validated.trim_end_matches('.').to_string()
}

/// Checks the record App Runner adds for its own label under `base`.
fn assert_app_runner_record(record: &Value, base: &str) {
    let validated = validated_name(record);
    let (label, rest) = validated.split_once('.').unwrap();
    assert_eq!(rest, base, "{record}");
    assert_eq!(label.len(), 31, "{record}");
    assert!(
        label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
        "{record}"
    );
}

#[test]
fn lifecycle_create_import_replace_destroy() {
    // Zero-length steps and the records published in DNS as soon as they
    // exist: the domain is active at once, so its statuses do not move
    // between the apply and the imports compared with it.
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    emulator.publish_dns(json!({ "always": true }));
    let (svc, url) = service(&emulator, "domain-svc");
    let first = config("example.com", &svc, "");
    let url_check = url.clone();
    let svc_check = svc.clone();
    let mut acceptance = Acceptance::new(&emulator)
        .step(
            Step::new(first)
                .expect(ADDR, Action::Create)
                .check(move |s| {
                    let v = s.values(ADDR);
                    assert_eq!(v["id"], format!("example.com,{svc_check}"));
                    assert_eq!(
                        s.entry(ADDR)["identity"],
                        json!({ "domain_name": "example.com", "service_arn": svc_check })
                    );
                    assert_eq!(v["dns_target"], url_check.as_str());
                    assert_eq!(v["enable_www_subdomain"], true);
                    assert_eq!(v["region"], "us-east-1");
                    assert_eq!(v["status"], "active");
                    let records = v["certificate_validation_records"].as_array().unwrap();
                    assert_eq!(records.len(), 3, "{records:#?}");
                    let by_domain = &v["certificate_validation_records_by_domain"];
                    assert_eq!(
                        names(by_domain),
                        ["example.com", "example.com/app-runner", "www.example.com"]
                    );
                    for (key, record) in by_domain.as_object().unwrap() {
                        if key == "example.com/app-runner" {
                            assert_app_runner_record(record, "example.com");
                        } else {
                            assert_eq!(&validated_name(record), key);
                        }
                        assert_eq!(record["status"], "SUCCESS");
                        assert!(records.contains(record), "{record} not in the set");
                    }
                }),
        )
        .import(ImportCheck::every_way(ADDR, |v| {
            format!(
                "{},{}",
                v["domain_name"].as_str().unwrap(),
                v["service_arn"].as_str().unwrap()
            )
        }))
        .step(
            Step::new(config(
                "login.example.com",
                &svc,
                "enable_www_subdomain = false",
            ))
            .expect(ADDR, Action::Replace)
            .check(|s| {
                let v = s.values(ADDR);
                assert_eq!(v["enable_www_subdomain"], false);
                assert_eq!(
                    names(&v["certificate_validation_records_by_domain"]),
                    ["login.example.com", "login.example.com/app-runner"]
                );
                assert_app_runner_record(
                    &v["certificate_validation_records_by_domain"]["login.example.com/app-runner"],
                    "login.example.com",
                );
            }),
        );
    acceptance.allow_after_destroy = vec!["services", "operations"];
    acceptance.run();
    assert_eq!(emulator.state()["counts"]["custom_domains"], 0);
}

/// AWS #23460: the validation records feed a resource with `for_each` in
/// the same apply that creates the association. `terraform_data` stands in
/// for a DNS record resource.
#[test]
fn validation_records_drive_for_each_in_a_single_apply() {
    let emulator = Emulator::start(&["--operation-duration", "1s"]);
    let (svc, _) = service(&emulator, "foreach-svc");
    let ws = Workspace::new(&emulator);
    ws.write(&format!(
        r#"{}
resource "terraform_data" "validation" {{
  for_each = apprunner_custom_domain_association.test.certificate_validation_records_by_domain
  input = {{
    name  = each.value.name
    type  = each.value.type
    value = each.value.value
  }}
}}
"#,
        config("example.com", &svc, "")
    ));
    // One plan: the instances are known before anything exists, App
    // Runner's own record included (under a fixed key).
    let keys = ["example.com", "example.com/app-runner", "www.example.com"];
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), ["create"]);
    for key in keys {
        assert_eq!(
            plan.actions(&format!("terraform_data.validation[\"{key}\"]")),
            ["create"]
        );
    }
    ws.ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    let state = ws.state();
    let by_domain = state.values(ADDR)["certificate_validation_records_by_domain"].clone();
    assert_eq!(names(&by_domain), keys);
    for key in keys {
        let input = &state.values(&format!("terraform_data.validation[\"{key}\"]"))["input"];
        let record = &by_domain[key];
        assert_eq!(input["name"], record["name"], "{key}");
        assert_eq!(input["type"], "CNAME", "{key}");
        assert_eq!(input["value"], record["value"], "{key}");
        if key == "example.com/app-runner" {
            assert_app_runner_record(record, "example.com");
        } else {
            assert_eq!(validated_name(record), key);
        }
    }
    // The records match what App Runner holds, every one of them.
    let held = emulator.state()["regions"]["us-east-1"]["custom_domains"][0]["CertificateValidationRecords"].clone();
    assert_eq!(held.as_array().unwrap().len(), 3, "{held:#}");
    for key in keys {
        assert!(
            held.as_array()
                .unwrap()
                .iter()
                .any(|r| r["Name"] == by_domain[key]["name"]),
            "{key}: {held:#}"
        );
    }
    ws.assert_plan_empty(&[], "after the single apply");
    ws.destroy();
    assert_eq!(emulator.state()["counts"]["custom_domains"], 0);
}

/// The control experiment: the AWS-compatible set is unknown until apply,
/// so `for_each` over it cannot be planned (the AWS provider's behaviour).
#[test]
fn the_aws_compatible_set_cannot_drive_for_each_before_apply() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let (svc, _) = service(&emulator, "set-svc");
    let ws = Workspace::new(&emulator);
    ws.write(&format!(
        r#"{}
resource "terraform_data" "validation" {{
  for_each = {{ for r in apprunner_custom_domain_association.test.certificate_validation_records : r.name => r }}
  input    = each.value.value
}}
"#,
        config("example.com", &svc, "")
    ));
    let out = ws.fails(&["plan", "-no-color", "-input=false"]);
    assert!(
        out.text().contains("Invalid for_each argument"),
        "{}",
        out.text()
    );
}

/// The domain stays `pending_certificate_dns_validation` however long the
/// wait, until its records are published in DNS; then it goes on to
/// `active`, and the wait returns.
#[test]
fn wait_for_status_active_returns_only_when_the_domain_is_live() {
    let emulator = Emulator::start(&["--operation-duration", "1s"]);
    let (svc, _) = service(&emulator, "wait-svc");
    let ws = Workspace::new(&emulator);
    ws.write(&config("example.com", &svc, "wait_for_status = \"ACTIVE\""));
    std::thread::scope(|scope| {
        let apply = scope.spawn(|| ws.apply());
        let status = || {
            emulator.state()["regions"]["us-east-1"]["custom_domains"][0]["Status"]
                .as_str()
                .map(str::to_string)
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while status().as_deref() != Some("pending_certificate_dns_validation") {
            assert!(std::time::Instant::now() < deadline, "{:?}", status());
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        // A day of the control plane's clock: still waiting for DNS.
        emulator.advance_clock(86400.0);
        std::thread::sleep(std::time::Duration::from_secs(2));
        let held = emulator.state()["regions"]["us-east-1"]["custom_domains"][0].clone();
        assert_eq!(
            held["Status"], "pending_certificate_dns_validation",
            "{held:#}"
        );
        for record in held["CertificateValidationRecords"].as_array().unwrap() {
            assert_eq!(record["Status"], "PENDING_VALIDATION");
        }
        assert!(
            !apply.is_finished(),
            "the apply returned before the domain was active"
        );
        emulator.publish_dns(json!({ "service_arn": svc }));
        apply.join().unwrap();
    });
    // Straight after the apply, App Runner reports the domain active.
    let held = emulator.state()["regions"]["us-east-1"]["custom_domains"][0].clone();
    assert_eq!(held["Status"], "active", "{held:#}");
    let v = ws.state().values(ADDR).clone();
    assert_eq!(v["status"], "active");
    assert_eq!(v["wait_for_status"], "ACTIVE");
    for record in v["certificate_validation_records"].as_array().unwrap() {
        assert_eq!(record["status"], "SUCCESS");
    }
    ws.assert_plan_empty(&[], "after waiting for active");
    ws.destroy();
}

/// By default create waits only for the validation records (as the AWS
/// provider does); setting `wait_for_status` later is an in-place update
/// that waits for that status.
#[test]
fn default_wait_is_for_records_and_wait_for_status_updates_in_place() {
    let emulator = Emulator::start(&[
        "--operation-duration",
        "0s",
        "--operation-duration",
        "AssociateCustomDomain=1h",
    ]);
    let (svc, _) = service(&emulator, "later-svc");
    let ws = Workspace::new(&emulator);
    // `creating` lasts an hour of the control plane's clock: the create
    // waits until the test moves the clock past it.
    ws.write(&config(
        "example.com",
        &svc,
        "timeouts {\n    update = \"2m\"\n  }",
    ));
    std::thread::scope(|scope| {
        let apply = scope.spawn(|| ws.apply());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while emulator.state()["counts"]["custom_domains"] == 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "no association was made"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        emulator.advance_clock(3600.0);
        apply.join().unwrap();
    });
    let v = ws.state().values(ADDR).clone();
    assert_eq!(v["status"], "pending_certificate_dns_validation");
    for record in v["certificate_validation_records"].as_array().unwrap() {
        assert_eq!(record["status"], "PENDING_VALIDATION");
    }
    ws.assert_plan_empty(&[], "after the default wait");
    // Now wait for active: an update, not a replacement.
    ws.write(&config(
        "example.com",
        &svc,
        "wait_for_status = \"active\"\n  timeouts {\n    update = \"2m\"\n  }",
    ));
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), ["update"]);
    // The records' names and values stay known: DNS records built from them
    // do not change.
    let after = &plan.change(ADDR)["after"]["certificate_validation_records_by_domain"];
    assert_eq!(
        after["example.com"]["name"],
        v["certificate_validation_records_by_domain"]["example.com"]["name"]
    );
    std::thread::scope(|scope| {
        let apply = scope.spawn(|| ws.ok(&["apply", "-no-color", "-input=false", "tfplan"]));
        // The records are put in DNS; then two more steps of an hour each:
        // validation, then binding.
        emulator.publish_dns(json!({}));
        for _ in 0..2 {
            std::thread::sleep(std::time::Duration::from_millis(500));
            emulator.advance_clock(3600.0);
        }
        apply.join().unwrap();
    });
    assert_eq!(ws.state().values(ADDR)["status"], "active");
    ws.assert_plan_empty(&[], "after waiting for active");
    ws.destroy();
}

/// A domain that never leaves `creating` times out within `timeouts.create`;
/// the association stays in state, tainted.
#[test]
fn timed_out_wait_keeps_the_association_tainted() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let (svc, _) = service(&emulator, "stuck-svc");
    emulator
        .add_fault(json!({ "kind": "stuck", "operation": "AssociateCustomDomain", "count": 1 }));
    let ws = Workspace::new(&emulator);
    ws.write(&config(
        "example.com",
        &svc,
        "wait_for_status = \"active\"\n  timeouts {\n    create = \"2s\"\n  }",
    ));
    let out = ws.fails(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    assert!(
        out.text()
            .contains("Timed out waiting for custom domain example.com to become active"),
        "{}",
        out.text()
    );
    let state = ws.state();
    assert_eq!(state.entry(ADDR)["tainted"], true);
    assert_eq!(state.values(ADDR)["status"], "creating");
    assert_eq!(emulator.state()["counts"]["custom_domains"], 1);
}

/// A failed association (e.g. CAA records that do not allow amazon.com) is
/// an error; the association stays in state, tainted.
#[test]
fn failed_association_is_an_error() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    emulator.publish_dns(json!({ "always": true }));
    let (svc, _) = service(&emulator, "fail-svc");
    emulator.add_fault(json!({ "kind": "fail", "operation": "AssociateCustomDomain", "count": 1 }));
    let ws = Workspace::new(&emulator);
    ws.write(&config("example.com", &svc, ""));
    let out = ws.fails(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    assert!(out.text().contains("create_failed"), "{}", out.text());
    assert_eq!(ws.state().entry(ADDR)["tainted"], true);
    // Even untainted, a failed association is planned for replacement.
    ws.ok(&["untaint", "-no-color", ADDR]);
    let plan = ws.plan(&[]);
    assert_eq!(plan.actions(ADDR), ["delete", "create"]);
    assert_eq!(plan.replace_paths(ADDR), vec![json!(["status"])]);
    ws.ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    assert_eq!(ws.state().attr(ADDR, "status"), "active");
    ws.assert_plan_empty(&[], "after replacing the failed association");
    ws.destroy();
}

/// The AWS provider leaves `dns_target` empty after import; here it is read.
#[test]
fn import_reads_dns_target_and_www_option() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let (svc, url) = service(&emulator, "import-svc");
    emulator.ok(
        "AssociateCustomDomain",
        json!({ "ServiceArn": svc, "DomainName": "shop.example.org", "EnableWWWSubdomain": false }),
    );
    let ws = Workspace::new(&emulator);
    ws.write(&config(
        "shop.example.org",
        &svc,
        "enable_www_subdomain = false",
    ));
    ws.ok(&[
        "import",
        "-no-color",
        "-input=false",
        ADDR,
        &format!("shop.example.org,{svc}"),
    ]);
    let v = ws.state().values(ADDR).clone();
    assert_eq!(v["dns_target"], url.as_str());
    assert_eq!(v["enable_www_subdomain"], false);
    assert_eq!(
        names(&v["certificate_validation_records_by_domain"]),
        ["shop.example.org", "shop.example.org/app-runner"]
    );
    assert_eq!(v["status"], "pending_certificate_dns_validation");
    ws.assert_plan_empty(&[], "after import");
    // A malformed ID is refused with the expected format.
    let bad = Workspace::new(&emulator);
    bad.write(&config("shop.example.org", &svc, ""));
    let out = bad.fails(&[
        "import",
        "-no-color",
        "-input=false",
        ADDR,
        "shop.example.org",
    ]);
    assert!(
        out.text().contains("DOMAIN_NAME,SERVICE_ARN"),
        "{}",
        out.text()
    );
}

/// A wildcard has no www subdomain: unset, `enable_www_subdomain` is false.
/// Its records are for the domain under the wildcard and App Runner's own
/// label under it (no record name has the `*.`).
#[test]
fn wildcard_domains_have_records_for_the_domain_and_a_label_and_no_www() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let (svc, _) = service(&emulator, "wild-svc");
    let ws = Workspace::new(&emulator);
    ws.write(&config("*.example.com", &svc, ""));
    ws.apply();
    let v = ws.state().values(ADDR).clone();
    assert_eq!(v["enable_www_subdomain"], false);
    let by_domain = &v["certificate_validation_records_by_domain"];
    assert_eq!(
        names(by_domain),
        ["*.example.com", "*.example.com/app-runner"]
    );
    assert_eq!(validated_name(&by_domain["*.example.com"]), "example.com");
    assert_app_runner_record(&by_domain["*.example.com/app-runner"], "example.com");
    assert_eq!(
        v["certificate_validation_records"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(v["status"], "pending_certificate_dns_validation");
    let held = emulator.state()["regions"]["us-east-1"]["custom_domains"][0].clone();
    assert_eq!(held["EnableWWWSubdomain"], false);
    ws.assert_plan_empty(&[], "wildcard");
    ws.destroy();
}

/// Every argument the API model or the App Runner guide rules out is
/// refused by `terraform validate`, pointing at the attribute.
#[test]
fn invalid_arguments_are_refused_at_validate_with_their_attribute() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new(&emulator);
    let svc =
        "arn:aws:apprunner:us-east-1:123456789012:service/web/0123456789abcdef0123456789abcdef";
    let long = format!("{}.com", "a.".repeat(126));
    let cases: Vec<(String, &str, &str)> = vec![
        (
            format!("domain_name = \"{long}\""),
            "domain_name",
            "1 to 255",
        ),
        ("domain_name = \"\"".into(), "domain_name", "1 to 255"),
        (
            "domain_name = \"my_site.example.com\"".into(),
            "domain_name",
            "letters, digits",
        ),
        (
            "domain_name = \"login*.example.com\"".into(),
            "domain_name",
            "whole first label",
        ),
        (
            "domain_name = \"a.*.example.com\"".into(),
            "domain_name",
            "whole first label",
        ),
        (
            "domain_name = \"*.com\"".into(),
            "domain_name",
            "top-level domain",
        ),
        (
            "domain_name = \"localhost\"".into(),
            "domain_name",
            "root domain",
        ),
        (
            "domain_name = \"example.com.\"".into(),
            "domain_name",
            "trailing dot",
        ),
        (
            "domain_name = \"example..com\"".into(),
            "domain_name",
            "empty labels",
        ),
        (
            "domain_name = \"-x.example.com\"".into(),
            "domain_name",
            "hyphen",
        ),
        (
            "domain_name = \"*.example.com\"\n  enable_www_subdomain = true".into(),
            "enable_www_subdomain",
            "cannot have a www subdomain",
        ),
        (
            "domain_name = \"example.com\"\n  wait_for_status = \"done\"".into(),
            "wait_for_status",
            "any letter case",
        ),
        (
            "domain_name = \"example.com\"\n  timeouts {\n    create = \"a while\"\n  }".into(),
            "create",
            "duration",
        ),
    ];
    for (args, attribute, message) in &cases {
        let service = if args.contains("service_arn") {
            String::new()
        } else {
            format!("service_arn = \"{svc}\"\n  ")
        };
        ws.write(&format!(
            "resource \"apprunner_custom_domain_association\" \"bad\" {{\n  {service}{args}\n}}\n"
        ));
        assert_validate_error(&ws, args, attribute, message);
    }
    for (service, message) in [
        ("not-an-arn", "App Runner ARN"),
        (
            "arn:aws:apprunner:us-east-1:123456789012:connection/c/0123",
            "App Runner service",
        ),
    ] {
        ws.write(&format!(
            "resource \"apprunner_custom_domain_association\" \"bad\" {{\n  domain_name = \"example.com\"\n  service_arn = \"{service}\"\n}}\n"
        ));
        assert_validate_error(&ws, service, "service_arn", message);
    }
    // A wildcard below a subdomain is valid only for some suffixes: a warning.
    ws.write(&format!(
        "resource \"apprunner_custom_domain_association\" \"warn\" {{\n  domain_name = \"*.login.example.com\"\n  service_arn = \"{svc}\"\n}}\n"
    ));
    let diags = validate_diagnostics(&ws);
    assert!(
        diags.iter().any(|d| d["severity"] == "warning"
            && d["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("immediate subdomain of a root domain")),
        "{diags:#?}"
    );
    assert_eq!(emulator.state()["total"], 0);
}

/// The registry example applies, plans empty and destroys cleanly.
#[test]
fn the_example_applies() {
    let emulator = Emulator::start(&["--operation-duration", "100ms"]);
    assert_resource_example_applies(&emulator, "apprunner_custom_domain_association");
}

/// The association lives in its service's region, whatever the provider's.
#[test]
fn the_association_follows_the_region_of_its_service() {
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let created = emulator
        .call_in(
            "eu-west-1",
            "CreateService",
            support::emulator::service_body("dublin-svc"),
        )
        .unwrap();
    let svc = created["Service"]["ServiceArn"]
        .as_str()
        .unwrap()
        .to_string();
    let described = emulator
        .call_in("eu-west-1", "DescribeService", json!({ "ServiceArn": svc }))
        .unwrap();
    assert_eq!(described["Service"]["Status"], "RUNNING");
    let ws = Workspace::new(&emulator);
    ws.write(&config("example.ie", &svc, ""));
    ws.apply();
    assert_eq!(ws.state().attr(ADDR, "region"), "eu-west-1");
    let held = emulator.state();
    assert_eq!(
        held["regions"]["eu-west-1"]["counts"]["custom_domains"], 1,
        "{held:#}"
    );
    ws.assert_plan_empty(&[], "association in the service's region");
    ws.destroy();
    // A region other than the service's is refused before anything is made.
    ws.write(&config("example.ie", &svc, "region = \"us-east-1\""));
    assert_validate_error(&ws, "region", "region", "The service is in eu-west-1");
}
