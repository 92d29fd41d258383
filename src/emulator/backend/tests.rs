//! The backend's rules, exercised without HTTP: each test drives a
//! [`Region`] directly and settles it at chosen times.

use serde_json::{Value, json};

use super::configs::DEFAULT_NAME;
use super::*;
use crate::emulator::responses as out;

const ACCOUNT: &str = "123456789012";
const T0: i64 = 1_700_000_000_000;
const STEP: i64 = 1_000;

fn region() -> Region {
    Region::new(ACCOUNT, "us-east-1", T0)
}

fn ctx(now: i64) -> Ctx {
    Ctx {
        now,
        duration_ms: STEP,
        outcome: Outcome::Succeed,
    }
}

fn ctx_with(now: i64, outcome: Outcome) -> Ctx {
    Ctx {
        outcome,
        ..ctx(now)
    }
}

fn create_request(name: &str, extra: Value) -> CreateService {
    let mut body = json!({
        "ServiceName": name,
        "SourceConfiguration": { "ImageRepository": {
            "ImageIdentifier": "public.ecr.aws/nginx/nginx:latest",
            "ImageRepositoryType": "ECR_PUBLIC",
        }},
    });
    for (k, v) in extra.as_object().into_iter().flatten() {
        body[k] = v.clone();
    }
    serde_json::from_value(body).expect("a valid CreateService body")
}

fn update_request(arn: &str, extra: Value) -> UpdateService {
    let mut body = json!({ "ServiceArn": arn });
    for (k, v) in extra.as_object().into_iter().flatten() {
        body[k] = v.clone();
    }
    serde_json::from_value(body).expect("a valid UpdateService body")
}

/// A service being created from `create_request(name, extra)`.
fn creating_service(r: &mut Region, name: &str, extra: Value) -> String {
    let (arn, _) = r
        .create_service(&ctx(T0), create_request(name, extra))
        .unwrap();
    arn
}

/// A RUNNING image service.
fn running_service(r: &mut Region, name: &str) -> String {
    let arn = creating_service(r, name, json!({}));
    r.settle(T0 + STEP);
    assert_eq!(r.service(&arn).unwrap().status, "RUNNING");
    arn
}

fn status(r: &Region, arn: &str) -> String {
    r.service(arn).unwrap().status.clone()
}

fn wire(r: &Region, arn: &str) -> Value {
    out::service(r, r.service(arn).unwrap())
}

// ---- revisioned configurations ----

fn asc(r: &mut Region, name: &str) -> Res<String> {
    let settings = AutoScalingSettings::with_defaults(None, None, None);
    r.create_config(&ctx(T0), name, settings, vec![])
}

fn obs(r: &mut Region, name: &str) -> Res<String> {
    let settings = ObservabilitySettings {
        trace_vendor: Some("AWSXRAY".into()),
    };
    r.create_config(&ctx(T0), name, settings, vec![])
}

#[test]
fn revisions_count_up_per_name_and_are_never_reused() {
    let mut r = region();
    let first = asc(&mut r, "scale").unwrap();
    let second = asc(&mut r, "scale").unwrap();
    assert!(first.contains("autoscalingconfiguration/scale/1/"));
    assert!(second.contains("autoscalingconfiguration/scale/2/"));
    r.delete_config::<AutoScalingSettings>(&ctx(T0), &second, false)
        .unwrap();
    let third = asc(&mut r, "scale").unwrap();
    assert!(third.contains("/scale/3/"), "{third}");
    assert!(asc(&mut r, "other").unwrap().contains("/other/1/"));
}

#[test]
fn name_only_arns_resolve_to_the_latest_active_revision() {
    let mut r = region();
    let first = asc(&mut r, "scale").unwrap();
    let second = asc(&mut r, "scale").unwrap();
    let by_name = r.arn("autoscalingconfiguration/scale");
    let latest = r.find_config::<AutoScalingSettings>(&by_name).unwrap();
    assert_eq!(latest.arn, second);
    assert!(r.config_is_latest(latest));
    let c1 = r.find_config::<AutoScalingSettings>(&first).unwrap();
    assert!(!r.config_is_latest(c1));
    let by_rev = r.arn("autoscalingconfiguration/scale/1");
    assert_eq!(
        r.find_config::<AutoScalingSettings>(&by_rev).unwrap().arn,
        first
    );

    // Deleting the latest makes the one before it latest again.
    r.delete_config::<AutoScalingSettings>(&ctx(T0), &by_name, false)
        .unwrap();
    let latest = r.find_config::<AutoScalingSettings>(&by_name).unwrap();
    assert_eq!(latest.arn, first);
    let listed = r.list_configs::<AutoScalingSettings>(Some("scale"), true);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].arn, first);
    // An inactive revision stays describable by its full ARN.
    let gone = r.find_config::<AutoScalingSettings>(&second).unwrap();
    assert_eq!(
        (gone.status.as_str(), gone.deleted_at),
        ("inactive", Some(T0))
    );

    let elsewhere = second.replace("us-east-1", "eu-west-1");
    let err = r
        .find_config::<AutoScalingSettings>(&elsewhere)
        .unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
    assert_eq!(
        err.message,
        format!("Auto scaling configuration not found: {elsewhere}")
    );
}

/// Fills a kind's quotas through `create`: `max_revisions` revisions of
/// `name`, then names up to ten (the built-in DefaultConfiguration does not
/// count), checking the refusal at each limit.
fn fill_quotas(
    create: fn(&mut Region, &str) -> Res<String>,
    noun: &str,
    name: &str,
    max_revisions: usize,
) -> Region {
    let mut r = region();
    for _ in 0..max_revisions {
        create(&mut r, name).unwrap();
    }
    let err = create(&mut r, name).unwrap_err();
    assert_eq!(err.code, "ServiceQuotaExceededException");
    assert_eq!(
        err.message,
        format!(
            "You have reached the maximum number of revisions ({max_revisions}) for {noun} {name}"
        )
    );
    for i in 1..10 {
        create(&mut r, &format!("name{i}")).unwrap();
    }
    let err = create(&mut r, "eleventh").unwrap_err();
    assert_eq!(
        err.message,
        format!("You have reached the maximum number of {noun} names (10)")
    );
    r
}

#[test]
fn auto_scaling_quotas_on_revisions_and_names() {
    let mut r = fill_quotas(asc, "auto scaling configuration", "scale", 5);
    // A new revision of an existing name is still allowed.
    asc(&mut r, "name1").unwrap();
}

#[test]
fn observability_quotas_and_spelling() {
    let r = fill_quotas(obs, "observability configuration", "traces", 10);
    let c = &r.list_configs::<ObservabilitySettings>(Some("traces"), true)[0];
    assert_eq!((c.status.as_str(), c.revision), ("ACTIVE", 10));
}

#[test]
fn auto_scaling_settings_are_checked_before_quotas() {
    let mut r = region();
    let settings = AutoScalingSettings::with_defaults(Some(10), Some(5), Some(4));
    let err = r
        .create_config(&ctx(T0), "scale", settings, vec![])
        .unwrap_err();
    assert_eq!(err.code, "InvalidRequestException");
    assert_eq!(
        err.message,
        "MinSize (5) must be less than or equal to MaxSize (4)"
    );
}

#[test]
fn delete_all_revisions_needs_a_name_only_arn() {
    let mut r = region();
    asc(&mut r, "scale").unwrap();
    let second = asc(&mut r, "scale").unwrap();
    let err = r
        .delete_config::<AutoScalingSettings>(&ctx(T0), &second, true)
        .unwrap_err();
    assert!(
        err.message
            .starts_with("DeleteAllRevisions can only be used")
    );
    let by_name = r.arn("autoscalingconfiguration/scale");
    let last = r
        .delete_config::<AutoScalingSettings>(&ctx(T0), &by_name, true)
        .unwrap();
    assert_eq!(last.arn, second);
    assert!(
        r.list_configs::<AutoScalingSettings>(Some("scale"), false)
            .is_empty()
    );
    let err = r
        .delete_config::<AutoScalingSettings>(&ctx(T0), &by_name, true)
        .unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
}

#[test]
fn default_and_used_auto_scaling_configurations_stay() {
    let mut r = region();
    let builtin = r.default_auto_scaling_arn.clone();
    let err = r
        .delete_config::<AutoScalingSettings>(&ctx(T0), &builtin, false)
        .unwrap_err();
    assert!(
        err.message
            .starts_with("You can't delete the default auto scaling")
    );

    let mine = asc(&mut r, "scale").unwrap();
    r.update_default_auto_scaling(&mine).unwrap();
    assert_eq!(r.default_auto_scaling_arn, mine);
    // No longer the default, the built-in one can go; used by no service.
    r.delete_config::<AutoScalingSettings>(&ctx(T0), &builtin, false)
        .unwrap();

    let other = asc(&mut r, "other").unwrap();
    let service = running_service(&mut r, "web");
    assert_eq!(r.service(&service).unwrap().config.auto_scaling_arn, mine);
    r.update_service(
        &ctx(T0 + STEP),
        update_request(&service, json!({ "AutoScalingConfigurationArn": other })),
    )
    .unwrap();
    let err = r
        .delete_config::<AutoScalingSettings>(&ctx(T0), &other, false)
        .unwrap_err();
    assert!(err.message.contains("It's used by one or more services"));
    assert_eq!(r.services_for_auto_scaling(&other).unwrap(), vec![service]);
}

#[test]
fn the_builtin_observability_configuration_stays() {
    let mut r = region();
    let builtin = r.default_observability_arn();
    let err = r
        .delete_config::<ObservabilitySettings>(&ctx(T0), &builtin, false)
        .unwrap_err();
    assert_eq!(
        err.message,
        "You can't delete the default observability configuration"
    );
    let c = r.find_config::<ObservabilitySettings>(&builtin).unwrap();
    assert_eq!((c.name.as_str(), c.is_active()), (DEFAULT_NAME, true));
}

#[test]
fn deleting_a_configuration_drops_its_tags() {
    let mut r = region();
    let tags = vec![("team".to_string(), "web".to_string())];
    let settings = ObservabilitySettings { trace_vendor: None };
    let arn = r.create_config(&ctx(T0), "traces", settings, tags).unwrap();
    assert_eq!(r.list_tags(&arn).unwrap().len(), 1);
    r.delete_config::<ObservabilitySettings>(&ctx(T0), &arn, false)
        .unwrap();
    assert!(!r.tags.contains_key(&arn));
}

// ---- services ----

#[test]
fn a_service_walks_create_pause_resume_and_delete() {
    let mut r = region();
    let (arn, op) = r
        .create_service(&ctx(T0), create_request("web", json!({})))
        .unwrap();
    assert_eq!(status(&r, &arn), "OPERATION_IN_PROGRESS");
    assert!(!r.settle(T0 + STEP - 1));
    assert!(r.settle(T0 + STEP));
    assert_eq!(status(&r, &arn), "RUNNING");
    let ops = r.list_operations(&arn).unwrap();
    assert_eq!(
        (ops[0].id.as_str(), ops[0].status.as_str()),
        (op.as_str(), "SUCCEEDED")
    );
    assert_eq!(ops[0].ended_at, Some(T0 + STEP));

    let t = T0 + 2 * STEP;
    r.pause_service(&ctx(t), &arn).unwrap();
    let err = r.pause_service(&ctx(t), &arn).unwrap_err();
    assert_eq!(err.code, "InvalidStateException");
    r.settle(t + STEP);
    assert_eq!(status(&r, &arn), "PAUSED");
    // An update of a paused service leaves it paused.
    r.update_service(
        &ctx(t + STEP),
        update_request(
            &arn,
            json!({ "InstanceConfiguration": { "Cpu": "2 vCPU", "Memory": "4 GB" } }),
        ),
    )
    .unwrap();
    r.settle(t + 2 * STEP);
    assert_eq!(status(&r, &arn), "PAUSED");
    r.resume_service(&ctx(t + 2 * STEP), &arn).unwrap();
    r.settle(t + 3 * STEP);
    assert_eq!(status(&r, &arn), "RUNNING");

    r.delete_service(&ctx(t + 3 * STEP), &arn).unwrap();
    r.settle(t + 4 * STEP);
    let s = r.service(&arn).unwrap();
    assert_eq!(
        (s.status.as_str(), s.deleted_at),
        ("DELETED", Some(t + 4 * STEP))
    );
    assert!(r.live_service(&arn).is_err());
    let types: Vec<&str> = r.operations.iter().map(|o| o.op_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "CREATE_SERVICE",
            "PAUSE_SERVICE",
            "UPDATE_SERVICE",
            "RESUME_SERVICE",
            "DELETE_SERVICE"
        ]
    );
}

#[test]
fn failed_creates_and_rolled_back_updates() {
    let mut r = region();
    let (failed, _) = r
        .create_service(
            &ctx_with(T0, Outcome::Fail),
            create_request("broken", json!({})),
        )
        .unwrap();
    r.settle(T0 + STEP);
    assert_eq!(status(&r, &failed), "CREATE_FAILED");
    assert_eq!(r.list_operations(&failed).unwrap()[0].status, "FAILED");

    let arn = running_service(&mut r, "web");
    let before = r.service(&arn).unwrap().config.clone();
    let patch = json!({ "HealthCheckConfiguration": { "Protocol": "HTTP", "Path": "/up" } });
    r.update_service(
        &ctx_with(T0 + STEP, Outcome::Rollback),
        update_request(&arn, patch),
    )
    .unwrap();
    assert_eq!(
        r.service(&arn).unwrap().config.health.path.as_deref(),
        Some("/up")
    );
    r.settle(T0 + 2 * STEP);
    assert_eq!(
        r.list_operations(&arn).unwrap()[0].status,
        "ROLLBACK_IN_PROGRESS"
    );
    assert_eq!(status(&r, &arn), "OPERATION_IN_PROGRESS");
    r.settle(T0 + 3 * STEP);
    assert_eq!(
        r.list_operations(&arn).unwrap()[0].status,
        "ROLLBACK_SUCCEEDED"
    );
    assert_eq!(status(&r, &arn), "RUNNING");
    assert_eq!(r.service(&arn).unwrap().config, before);

    // A stuck operation never ends on its own.
    r.start_deployment(&ctx_with(T0 + 3 * STEP, Outcome::Stuck), &arn)
        .unwrap();
    assert!(!r.settle(i64::MAX));
    assert_eq!(status(&r, &arn), "OPERATION_IN_PROGRESS");
}

#[test]
fn updates_need_an_idle_service_and_a_change() {
    let mut r = region();
    let arn = creating_service(&mut r, "web", json!({}));
    let err = r
        .update_service(
            &ctx(T0),
            update_request(
                &arn,
                json!({ "AutoScalingConfigurationArn": r.default_auto_scaling_arn }),
            ),
        )
        .unwrap_err();
    assert_eq!(err.code, "InvalidStateException");
    r.settle(T0 + STEP);
    let err = r
        .update_service(&ctx(T0), update_request(&arn, json!({})))
        .unwrap_err();
    assert_eq!(
        err.message,
        "No configurations provided in the UpdateService request"
    );
    let code = json!({ "SourceConfiguration": { "CodeRepository": {
        "RepositoryUrl": "https://github.com/o/r",
        "SourceCodeVersion": { "Type": "BRANCH", "Value": "main" },
    }, "AuthenticationConfiguration": { "ConnectionArn": available_connection(&mut r) } } });
    let err = r
        .update_service(&ctx(T0), update_request(&arn, code))
        .unwrap_err();
    assert!(err.message.starts_with("You can't change the source type"));
    assert_eq!(status(&r, &arn), "RUNNING");
}

#[test]
fn the_service_quota_counts_live_services() {
    let mut r = region();
    for i in 0..30 {
        r.create_service(&ctx(T0), create_request(&format!("svc-{i}"), json!({})))
            .unwrap();
    }
    let err = r
        .create_service(&ctx(T0), create_request("one-more", json!({})))
        .unwrap_err();
    assert_eq!(err.code, "ServiceQuotaExceededException");
    let err = r
        .create_service(&ctx(T0), create_request("svc-0", json!({})))
        .unwrap_err();
    assert_eq!(err.code, "ServiceQuotaExceededException");
    r.settle(T0 + STEP);
    let first = r.services[0].arn.clone();
    r.delete_service(&ctx(T0 + STEP), &first).unwrap();
    r.settle(T0 + 2 * STEP);
    let err = r
        .create_service(&ctx(T0), create_request("svc-1", json!({})))
        .unwrap_err();
    assert!(
        err.message
            .starts_with("Service with the provided name already exists")
    );
    r.create_service(&ctx(T0), create_request("svc-0", json!({})))
        .unwrap();
}

fn available_connection(r: &mut Region) -> String {
    let arn = r
        .create_connection(&ctx(T0), "github", "GITHUB", vec![])
        .unwrap();
    r.complete_handshake(&arn).unwrap();
    arn
}

#[test]
fn deletion_waits_for_ingress_and_takes_domains_and_tags() {
    let mut r = region();
    let arn = running_service(&mut r, "web");
    r.tag_resource(&arn, vec![("k".into(), "v".into())])
        .unwrap();
    let ic = r
        .create_ingress(
            &ctx(T0),
            &arn,
            "private",
            Some("vpc-1".into()),
            Some("vpce-1".into()),
            vec![],
        )
        .unwrap();
    r.associate_domain(&ctx(T0), &arn, "example.com", true)
        .unwrap();
    r.settle(T0 + STEP);
    let err = r.delete_service(&ctx(T0 + STEP), &arn).unwrap_err();
    assert_eq!(err.code, "InvalidStateException");
    assert!(err.message.contains(&ic), "{}", err.message);

    r.delete_ingress(&ctx(T0 + STEP), &ic).unwrap();
    r.settle(T0 + 2 * STEP);
    r.delete_service(&ctx(T0 + 2 * STEP), &arn).unwrap();
    let err = r.delete_service(&ctx(T0 + 2 * STEP), &arn).unwrap_err();
    assert_eq!(err.code, "InvalidStateException");
    r.settle(T0 + 3 * STEP);
    assert_eq!(status(&r, &arn), "DELETED");
    assert!(r.domains.is_empty());
    assert!(!r.tags.contains_key(&arn));
    let err = r.delete_service(&ctx(T0 + 3 * STEP), &arn).unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
}

#[test]
fn a_failed_delete_can_be_retried() {
    let mut r = region();
    let arn = running_service(&mut r, "web");
    r.delete_service(&ctx_with(T0 + STEP, Outcome::Fail), &arn)
        .unwrap();
    r.settle(T0 + 2 * STEP);
    assert_eq!(status(&r, &arn), "DELETE_FAILED");
    r.delete_service(&ctx(T0 + 2 * STEP), &arn).unwrap();
    r.settle(T0 + 3 * STEP);
    assert_eq!(status(&r, &arn), "DELETED");
}

#[test]
fn a_vpc_connector_in_use_stays() {
    let mut r = region();
    let connector = r
        .create_vpc_connector(&ctx(T0), "egress", vec!["subnet-1".into()], vec![], vec![])
        .unwrap();
    let network = json!({ "NetworkConfiguration": { "EgressConfiguration": {
        "EgressType": "VPC", "VpcConnectorArn": connector,
    } } });
    let arn = creating_service(&mut r, "web", network);
    assert_eq!(
        r.service(&arn).unwrap().vpc_connector_arn(),
        Some(connector.as_str())
    );
    let err = r.delete_vpc_connector(&ctx(T0), &connector).unwrap_err();
    assert!(err.message.contains("is being used by other services"));
    r.settle(T0 + STEP);
    r.delete_service(&ctx(T0 + STEP), &arn).unwrap();
    r.settle(T0 + 2 * STEP);
    r.delete_vpc_connector(&ctx(T0 + 2 * STEP), &connector)
        .unwrap();
}

#[test]
fn maintenance_holds_a_service_busy_until_it_ends() {
    let mut r = region();
    let arn = running_service(&mut r, "web");
    let t = T0 + STEP;
    assert!(r.start_maintenance(&arn, t, 5 * STEP));
    assert!(
        !r.start_maintenance(&arn, t, 5 * STEP),
        "already in maintenance"
    );
    assert_eq!(status(&r, &arn), "OPERATION_IN_PROGRESS");
    for refused in [
        r.start_deployment(&ctx(t), &arn),
        r.pause_service(&ctx(t), &arn),
        r.delete_service(&ctx(t), &arn),
        r.update_service(
            &ctx(t),
            update_request(&arn, json!({ "HealthCheckConfiguration": {} })),
        ),
    ] {
        assert_eq!(refused.unwrap_err().code, "InvalidStateException");
    }
    assert!(!r.settle(t + 5 * STEP - 1));
    assert!(r.settle(t + 5 * STEP));
    let s = r.service(&arn).unwrap();
    assert_eq!((s.status.as_str(), s.updated_at), ("RUNNING", t + 5 * STEP));

    // Not while an operation runs, nor for a deleted service.
    r.start_deployment(&ctx(t + 5 * STEP), &arn).unwrap();
    assert!(!r.start_maintenance(&arn, t + 5 * STEP, STEP));
    r.settle(t + 6 * STEP);
    r.delete_service(&ctx(t + 6 * STEP), &arn).unwrap();
    r.settle(t + 7 * STEP);
    assert!(!r.start_maintenance(&arn, t + 7 * STEP, STEP));
}

#[test]
fn a_paused_service_returns_to_paused_after_maintenance() {
    let mut r = region();
    let arn = running_service(&mut r, "web");
    r.pause_service(&ctx(T0 + STEP), &arn).unwrap();
    r.settle(T0 + 2 * STEP);
    assert!(r.start_maintenance(&arn, T0 + 2 * STEP, STEP));
    r.settle(T0 + 3 * STEP);
    assert_eq!(status(&r, &arn), "PAUSED");
}

// ---- custom domains ----

#[test]
fn validation_records_cover_the_domain_www_and_a_random_label() {
    let mut r = region();
    let arn = running_service(&mut r, "web");
    let d = r
        .associate_domain(&ctx(T0), &arn, "example.com", true)
        .unwrap();
    let names: Vec<&str> = d.records.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names[0].starts_with('_') && names[0].ends_with(".example.com."));
    assert!(names[1].ends_with(".www.example.com."), "{}", names[1]);
    let label = names[2].split('.').nth(1).unwrap();
    assert_eq!(label.len(), 31, "{}", names[2]);
    assert!(names[2].ends_with(&format!(".{label}.example.com.")));
    for rec in &d.records {
        assert!(
            rec.value.ends_with(".acm-validations.aws."),
            "{}",
            rec.value
        );
        assert_eq!(rec.status, "PENDING_VALIDATION");
    }

    // No www record without the option, nor for a wildcard.
    let d = r
        .associate_domain(&ctx(T0), &arn, "plain.example.org", false)
        .unwrap();
    assert_eq!(d.records.len(), 2);
    let d = r
        .associate_domain(&ctx(T0), &arn, "*.example.net", true)
        .unwrap();
    assert_eq!(d.records.len(), 2);
    assert!(
        d.records
            .iter()
            .all(|rec| rec.name.ends_with(".example.net."))
    );
    assert!(!d.records.iter().any(|rec| rec.name.contains("www.")));

    let err = r
        .associate_domain(&ctx(T0), &arn, "example.com", true)
        .unwrap_err();
    assert!(err.message.contains("is already associated"));
}

#[test]
fn a_domain_waits_for_its_records_in_dns() {
    let mut r = region();
    let arn = running_service(&mut r, "web");
    r.associate_domain(&ctx(T0), &arn, "example.com", false)
        .unwrap();
    let domain = |r: &Region| r.domains_of(&arn).unwrap()[0].clone();
    r.settle(T0 + STEP);
    assert_eq!(domain(&r).status, "pending_certificate_dns_validation");
    assert!(!r.settle(T0 + 100 * STEP), "time alone validates nothing");
    let err = r
        .disassociate_domain(&ctx(T0), &arn, "nowhere.com")
        .unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");

    let now = T0 + 100 * STEP;
    assert_eq!(r.publish_domain_dns(now, |_| true), 1);
    r.settle(now + STEP);
    let d = domain(&r);
    assert_eq!(d.status, "binding_certificate");
    assert!(d.records.iter().all(|rec| rec.status == "SUCCESS"));
    r.settle(now + 2 * STEP);
    assert_eq!(domain(&r).status, "active");

    r.disassociate_domain(&ctx(now + 2 * STEP), &arn, "example.com")
        .unwrap();
    assert_eq!(domain(&r).status, "deleting");
    let err = r
        .disassociate_domain(&ctx(now + 2 * STEP), &arn, "example.com")
        .unwrap_err();
    assert_eq!(err.code, "InvalidStateException");
    r.settle(now + 3 * STEP);
    assert!(r.domains_of(&arn).unwrap().is_empty());
}

#[test]
fn domains_need_a_running_or_paused_service() {
    let mut r = region();
    let arn = creating_service(&mut r, "web", json!({}));
    let err = r
        .associate_domain(&ctx(T0), &arn, "example.com", true)
        .unwrap_err();
    assert_eq!(err.code, "InvalidStateException");
}

// ---- service configuration ----

#[test]
fn a_minimal_service_gets_the_defaults() {
    let mut r = region();
    let arn = running_service(&mut r, "web");
    let v = wire(&r, &arn);
    assert_eq!(
        v["SourceConfiguration"],
        json!({
            "ImageRepository": {
                "ImageIdentifier": "public.ecr.aws/nginx/nginx:latest",
                "ImageConfiguration": { "Port": "8080" },
                "ImageRepositoryType": "ECR_PUBLIC",
            },
            "AutoDeploymentsEnabled": false,
        })
    );
    let text = |k: &str| v[k].to_string();
    assert_eq!(
        text("InstanceConfiguration"),
        r#"{"Cpu":"1024","Memory":"2048"}"#
    );
    assert_eq!(
        text("HealthCheckConfiguration"),
        r#"{"Protocol":"TCP","Path":"/","Interval":5,"Timeout":2,"HealthyThreshold":1,"UnhealthyThreshold":5}"#
    );
    assert_eq!(
        text("NetworkConfiguration"),
        r#"{"EgressConfiguration":{"EgressType":"DEFAULT"},"IngressConfiguration":{"IsPubliclyAccessible":true},"IpAddressType":"IPV4"}"#
    );
    assert_eq!(
        text("ObservabilityConfiguration"),
        r#"{"ObservabilityEnabled":false}"#
    );
    assert!(v.get("EncryptionConfiguration").is_none());
    assert!(
        v["ServiceUrl"]
            .as_str()
            .unwrap()
            .ends_with(".us-east-1.awsapprunner.com")
    );
}

#[test]
fn source_rules() {
    let mut r = region();
    let reject = |r: &mut Region, source: Value| {
        let req = create_request("web", json!({ "SourceConfiguration": source }));
        r.create_service(&ctx(T0), req).unwrap_err().message
    };
    let public = "public.ecr.aws/nginx/nginx:latest";
    let private = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1";
    assert!(reject(&mut r, json!({})).starts_with("SourceConfiguration must contain exactly one"));
    assert!(
        reject(&mut r, json!({ "ImageRepository": { "ImageIdentifier": private, "ImageRepositoryType": "ECR_PUBLIC" } }))
            .contains("isn't a public ECR image")
    );
    assert!(
        reject(&mut r, json!({ "ImageRepository": { "ImageIdentifier": public, "ImageRepositoryType": "ECR_PUBLIC" }, "AutoDeploymentsEnabled": true }))
            .contains("doesn't support automatic deployments")
    );
    assert!(
        reject(&mut r, json!({ "ImageRepository": { "ImageIdentifier": public, "ImageRepositoryType": "ECR" } }))
            .contains("is a public ECR image")
    );
    assert!(
        reject(&mut r, json!({ "ImageRepository": { "ImageIdentifier": private, "ImageRepositoryType": "ECR" } }))
            .contains("an AccessRoleArn is required")
    );
    let code = |conn: &str, values: Value| {
        json!({
            "CodeRepository": {
                "RepositoryUrl": "https://github.com/o/r",
                "SourceCodeVersion": { "Type": "BRANCH", "Value": "main" },
                "CodeConfiguration": { "ConfigurationSource": "API", "CodeConfigurationValues": values },
            },
            "AuthenticationConfiguration": { "ConnectionArn": conn },
        })
    };
    let pending = r
        .create_connection(&ctx(T0), "pending", "GITHUB", vec![])
        .unwrap();
    assert!(
        reject(&mut r, code(&pending, json!({ "Runtime": "PYTHON_3" })))
            .contains("is not in AVAILABLE status")
    );
    let conn = available_connection(&mut r);
    assert_eq!(
        reject(&mut r, code(&conn, Value::Null)),
        "CodeConfigurationValues is required when ConfigurationSource is API"
    );

    // A private image deploys automatically unless told otherwise; code
    // repositories do too, and get the default port.
    let role = "arn:aws:iam::123456789012:role/access";
    let image = json!({ "SourceConfiguration": {
        "ImageRepository": { "ImageIdentifier": private, "ImageRepositoryType": "ECR", "ImageConfiguration": { "Port": "3000" } },
        "AuthenticationConfiguration": { "AccessRoleArn": role },
    } });
    let arn = creating_service(&mut r, "image", image);
    let source = &r.service(&arn).unwrap().config.source;
    assert_eq!(source.auto_deployments_enabled, Some(true));
    let ic = source
        .image_repository
        .as_ref()
        .unwrap()
        .image_configuration
        .as_ref();
    assert_eq!(ic.unwrap().port.as_deref(), Some("3000"));
    let req = create_request(
        "code",
        json!({ "SourceConfiguration": code(&conn, json!({ "Runtime": "PYTHON_3" })) }),
    );
    let (arn, _) = r.create_service(&ctx(T0), req).unwrap();
    let v = wire(&r, &arn);
    let values =
        &v["SourceConfiguration"]["CodeRepository"]["CodeConfiguration"]["CodeConfigurationValues"];
    assert_eq!(*values, json!({ "Runtime": "PYTHON_3", "Port": "8080" }));
    assert_eq!(v["SourceConfiguration"]["AutoDeploymentsEnabled"], true);
}

#[test]
fn instance_health_network_and_observability_rules() {
    let mut r = region();
    let reject = |r: &mut Region, extra: Value| {
        r.create_service(&ctx(T0), create_request("web", extra))
            .unwrap_err()
            .message
    };
    assert_eq!(
        reject(
            &mut r,
            json!({ "InstanceConfiguration": { "Cpu": "0.25 vCPU", "Memory": "4 GB" } })
        ),
        "The CPU and memory combination isn't supported: Cpu 256, Memory 4096"
    );
    assert_eq!(
        reject(
            &mut r,
            json!({ "NetworkConfiguration": { "EgressConfiguration": { "EgressType": "VPC" } } })
        ),
        "VpcConnectorArn is required when EgressType is VPC"
    );
    let missing = r.arn("vpcconnector/none/1/0");
    assert_eq!(
        reject(
            &mut r,
            json!({ "NetworkConfiguration": { "EgressConfiguration": { "VpcConnectorArn": missing } } })
        ),
        "VpcConnectorArn can only be set when EgressType is VPC"
    );
    assert_eq!(
        reject(
            &mut r,
            json!({ "NetworkConfiguration": { "EgressConfiguration": { "EgressType": "VPC", "VpcConnectorArn": missing } } })
        ),
        format!("VPC connector not found: {missing}")
    );

    let traces = obs(&mut r, "traces").unwrap();
    let (arn, _) = r
        .create_service(
            &ctx(T0),
            create_request("web", json!({
                "InstanceConfiguration": { "Cpu": "0.25 vCPU", "Memory": "0.5 GB" },
                "HealthCheckConfiguration": { "Protocol": "HTTP", "Interval": 10 },
                "NetworkConfiguration": { "IngressConfiguration": {} },
                "ObservabilityConfiguration": { "ObservabilityEnabled": true, "ObservabilityConfigurationArn": r.arn("observabilityconfiguration/traces") },
            })),
        )
        .unwrap();
    let v = wire(&r, &arn);
    assert_eq!(
        v["InstanceConfiguration"],
        json!({ "Cpu": "256", "Memory": "512" })
    );
    assert_eq!(v["HealthCheckConfiguration"]["Protocol"], "HTTP");
    assert_eq!(v["HealthCheckConfiguration"]["Interval"], 10);
    assert_eq!(v["HealthCheckConfiguration"]["Timeout"], 2);
    // Inside an IngressConfiguration, an absent flag is false: private.
    assert_eq!(
        v["NetworkConfiguration"]["IngressConfiguration"]["IsPubliclyAccessible"],
        false
    );
    assert!(v.get("ServiceUrl").is_none());
    assert_eq!(
        v["ObservabilityConfiguration"]["ObservabilityConfigurationArn"],
        traces
    );

    // Updates merge instance and health member by member and replace
    // egress and ingress whole.
    r.settle(T0 + STEP);
    r.update_service(
        &ctx(T0 + STEP),
        update_request(
            &arn,
            json!({
                "InstanceConfiguration": { "Memory": "1 GB" },
                "HealthCheckConfiguration": { "Path": "/up" },
                "NetworkConfiguration": { "IpAddressType": "DUAL_STACK" },
                "ObservabilityConfiguration": { "ObservabilityEnabled": true },
            }),
        ),
    )
    .unwrap();
    let v = wire(&r, &arn);
    assert_eq!(
        v["InstanceConfiguration"],
        json!({ "Cpu": "256", "Memory": "1024" })
    );
    assert_eq!(v["HealthCheckConfiguration"]["Protocol"], "HTTP");
    assert_eq!(v["HealthCheckConfiguration"]["Path"], "/up");
    assert_eq!(
        v["NetworkConfiguration"].to_string(),
        r#"{"EgressConfiguration":{"EgressType":"DEFAULT"},"IngressConfiguration":{"IsPubliclyAccessible":false},"IpAddressType":"DUAL_STACK"}"#
    );
    assert_eq!(
        v["ObservabilityConfiguration"]["ObservabilityConfigurationArn"],
        r.default_observability_arn()
    );
}

// ---- state files ----

/// A state file written before service configurations were typed.
const STATE_V1: &str = include_str!("testdata/state-v1.json");
/// What that state rendered on the wire then.
const WIRE_V1: &str = include_str!("testdata/wire-v1.json");

#[test]
fn state_files_of_earlier_versions_load_and_render_as_before() {
    let mut backend: Backend = serde_json::from_str(STATE_V1).expect("loads");
    let before: Value = serde_json::from_str(WIRE_V1).unwrap();
    let r = backend
        .regions
        .get_mut(&format!("{ACCOUNT}/us-east-1"))
        .unwrap();
    let services: Vec<Value> = r.services.iter().map(|s| out::service(r, s)).collect();
    let asc: Vec<Value> = r.auto_scaling.iter().map(|c| out::asc(r, c)).collect();
    let obs: Vec<Value> = r
        .observability
        .iter()
        .map(|c| out::observability(r, c))
        .collect();
    assert_eq!(services, before["services"].as_array().unwrap().clone());
    assert_eq!(asc, before["auto_scaling"].as_array().unwrap().clone());
    assert_eq!(obs, before["observability"].as_array().unwrap().clone());
    // Members come in the same order; where the rules build a member, its
    // text is as before too.
    for (now, then) in services.iter().zip(before["services"].as_array().unwrap()) {
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(now), keys(then));
        for member in [
            "InstanceConfiguration",
            "HealthCheckConfiguration",
            "NetworkConfiguration",
            "ObservabilityConfiguration",
            "AutoScalingConfigurationSummary",
        ] {
            assert_eq!(now[member].to_string(), then[member].to_string());
        }
    }
    for (now, then) in asc.iter().chain(&obs).zip(
        before["auto_scaling"]
            .as_array()
            .unwrap()
            .iter()
            .chain(before["observability"].as_array().unwrap()),
    ) {
        assert_eq!(now.to_string(), then.to_string());
    }

    // The pending update still finishes, and the state saves and loads again.
    let code = r.services[1].arn.clone();
    assert!(r.services[1].pending.is_some());
    r.settle(i64::MAX / 2);
    assert_eq!(
        r.service(&code).unwrap().config.instance.cpu.as_deref(),
        Some("2048")
    );
    let saved = serde_json::to_string(&backend).unwrap();
    let again: Backend = serde_json::from_str(&saved).unwrap();
    assert_eq!(serde_json::to_string(&again).unwrap(), saved);
}
