//! From App Runner to Terraform: the state a DescribeService answer makes,
//! every block present. How that meets the configuration and the prior
//! state is [`super::reconcile`]'s concern.

use aws_sdk_apprunner::types::Service as ApiService;

use crate::plugin::Value;
use crate::provider::region;

use super::values::*;

/// Everything App Runner reports about a service, in this resource's shape
/// (every block present). Tags, `region`, `paused` and `timeouts` are left
/// to the caller.
/// Keeps the values of every `runtime_environment_variables` in `value`
/// out of the provider's log (they are often credentials).
pub(super) fn redact_environment(value: &Value) {
    if let Some(entries) = value.as_entries() {
        for (name, v) in entries {
            if name == "runtime_environment_variables" {
                for secret in v.as_entries().into_iter().flat_map(|m| m.values()) {
                    if let Some(secret) = secret.as_str() {
                        crate::plugin::logging::redact(secret);
                    }
                }
            } else {
                redact_environment(v);
            }
        }
    } else if let Some(items) = value.as_elements() {
        items.iter().for_each(redact_environment);
    }
}

pub fn remote_state(svc: &ApiService, url: Option<String>) -> Value {
    let arn = svc.service_arn();
    let source = svc.source_configuration().map(|sc| {
        let auth = sc.authentication_configuration().and_then(|a| {
            (a.access_role_arn().is_some() || a.connection_arn().is_some()).then(|| {
                object(vec![
                    ("access_role_arn", a.access_role_arn().into()),
                    ("connection_arn", a.connection_arn().into()),
                ])
            })
        });
        let code = sc.code_repository().map(|c| {
            let version = c.source_code_version().map(|v| {
                object(vec![
                    ("type", v.r#type().as_str().into()),
                    ("value", v.value().into()),
                ])
            });
            let config = c.code_configuration().map(|cc| {
                let values = cc.code_configuration_values().map(|x| {
                    object(vec![
                        ("runtime", x.runtime().as_str().into()),
                        ("build_command", x.build_command().into()),
                        ("start_command", x.start_command().into()),
                        ("port", x.port().into()),
                        (
                            "runtime_environment_variables",
                            string_map(x.runtime_environment_variables()),
                        ),
                        (
                            "runtime_environment_secrets",
                            string_map(x.runtime_environment_secrets()),
                        ),
                    ])
                });
                object(vec![
                    (
                        "configuration_source",
                        cc.configuration_source().as_str().into(),
                    ),
                    ("code_configuration_values", optional_block(values)),
                ])
            });
            object(vec![
                ("repository_url", c.repository_url().into()),
                ("source_directory", c.source_directory().into()),
                ("source_code_version", optional_block(version)),
                ("code_configuration", optional_block(config)),
            ])
        });
        let image = sc.image_repository().map(|i| {
            let config = i.image_configuration().map(|ic| {
                object(vec![
                    ("port", ic.port().into()),
                    ("start_command", ic.start_command().into()),
                    (
                        "runtime_environment_variables",
                        string_map(ic.runtime_environment_variables()),
                    ),
                    (
                        "runtime_environment_secrets",
                        string_map(ic.runtime_environment_secrets()),
                    ),
                ])
            });
            object(vec![
                ("image_identifier", i.image_identifier().into()),
                (
                    "image_repository_type",
                    i.image_repository_type().as_str().into(),
                ),
                ("image_configuration", optional_block(config)),
            ])
        });
        object(vec![
            (
                "auto_deployments_enabled",
                sc.auto_deployments_enabled().into(),
            ),
            ("authentication_configuration", optional_block(auth)),
            ("code_repository", optional_block(code)),
            ("image_repository", optional_block(image)),
        ])
    });
    let instance = svc.instance_configuration().map(|i| {
        object(vec![
            ("cpu", i.cpu().into()),
            ("memory", i.memory().into()),
            ("instance_role_arn", i.instance_role_arn().into()),
        ])
    });
    let health = svc.health_check_configuration().map(|h| {
        object(vec![
            ("healthy_threshold", h.healthy_threshold().into()),
            ("interval", h.interval().into()),
            ("path", h.path().into()),
            ("protocol", h.protocol().map(|p| p.as_str()).into()),
            ("timeout", h.timeout().into()),
            ("unhealthy_threshold", h.unhealthy_threshold().into()),
        ])
    });
    let network = svc.network_configuration().map(|n| {
        let egress = n.egress_configuration().map(|e| {
            object(vec![
                (
                    "egress_type",
                    e.egress_type()
                        .map(|t| t.as_str())
                        .unwrap_or("DEFAULT")
                        .into(),
                ),
                ("vpc_connector_arn", e.vpc_connector_arn().into()),
            ])
        });
        let ingress = n.ingress_configuration().map(|i| {
            object(vec![(
                "is_publicly_accessible",
                i.is_publicly_accessible().into(),
            )])
        });
        object(vec![
            (
                "ip_address_type",
                n.ip_address_type()
                    .map(|t| t.as_str())
                    .unwrap_or("IPV4")
                    .into(),
            ),
            ("egress_configuration", optional_block(egress)),
            ("ingress_configuration", optional_block(ingress)),
        ])
    });
    let observability = svc.observability_configuration().map(|o| {
        object(vec![
            ("observability_enabled", o.observability_enabled().into()),
            (
                "observability_configuration_arn",
                o.observability_configuration_arn().into(),
            ),
        ])
    });
    let encryption = svc
        .encryption_configuration()
        .map(|e| object(vec![("kms_key", e.kms_key().into())]));
    object(vec![
        ("arn", arn.into()),
        ("id", arn.into()),
        ("service_id", svc.service_id().into()),
        ("service_name", svc.service_name().into()),
        ("service_url", url.into()),
        ("status", svc.status().as_str().into()),
        (
            "auto_scaling_configuration_arn",
            svc.auto_scaling_configuration_summary()
                .and_then(|s| s.auto_scaling_configuration_arn())
                .into(),
        ),
        ("paused", (svc.status().as_str() == "PAUSED").into()),
        ("region", region::from_arn(arn).into()),
        ("source_configuration", optional_block(source)),
        ("instance_configuration", optional_block(instance)),
        ("health_check_configuration", optional_block(health)),
        ("network_configuration", optional_block(network)),
        ("observability_configuration", optional_block(observability)),
        ("encryption_configuration", optional_block(encryption)),
    ])
}
