//! From Terraform to App Runner: the parts of CreateService and
//! UpdateService requests a planned state makes, and whether a plan
//! changes what UpdateService carries.

use std::collections::HashMap;

use aws_sdk_apprunner::types::{
    AuthenticationConfiguration, CodeConfiguration, CodeConfigurationValues, CodeRepository,
    ConfigurationSource, EgressConfiguration, EgressType, EncryptionConfiguration,
    HealthCheckConfiguration, HealthCheckProtocol, ImageConfiguration, ImageRepository,
    ImageRepositoryType, IngressConfiguration, InstanceConfiguration, IpAddressType,
    NetworkConfiguration, Runtime, ServiceObservabilityConfiguration, SourceCodeVersion,
    SourceCodeVersionType, SourceConfiguration,
};

use aws_sdk_apprunner::operation::create_service::builders::CreateServiceFluentBuilder;
use aws_sdk_apprunner::operation::update_service::builders::UpdateServiceFluentBuilder;

use crate::plugin::{Diagnostic, Value};
use crate::provider::tags;

use super::reconcile::LEFT_TO_APP_RUNNER;
use super::values::*;

pub(super) fn build_error(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "Incomplete service configuration",
        format!("The configuration could not be turned into an App Runner request: {e}"),
    )
}

pub(super) fn map_of(value: &Value) -> Option<HashMap<String, String>> {
    let m = value.as_string_map()?;
    (!m.is_empty()).then(|| m.into_iter().collect())
}

pub(super) fn source_request(value: &Value) -> Result<SourceConfiguration, Diagnostic> {
    let sc = first(value, "source_configuration");
    let mut b = SourceConfiguration::builder()
        .set_auto_deployments_enabled(sc.attr("auto_deployments_enabled").as_bool());
    let auth = first(sc, "authentication_configuration");
    if !auth.is_null() {
        b = b.authentication_configuration(
            AuthenticationConfiguration::builder()
                .set_access_role_arn(string(auth, "access_role_arn"))
                .set_connection_arn(string(auth, "connection_arn"))
                .build(),
        );
    }
    let code = first(sc, "code_repository");
    if !code.is_null() {
        let version = first(code, "source_code_version");
        let mut repo = CodeRepository::builder()
            .set_repository_url(string(code, "repository_url"))
            .set_source_directory(string(code, "source_directory"))
            .source_code_version(
                SourceCodeVersion::builder()
                    .set_type(
                        string(version, "type").map(|t| SourceCodeVersionType::from(t.as_str())),
                    )
                    .set_value(string(version, "value"))
                    .build()
                    .map_err(build_error)?,
            );
        let config = first(code, "code_configuration");
        if !config.is_null() {
            let values = first(config, "code_configuration_values");
            let values = if values.is_null() {
                None
            } else {
                Some(
                    CodeConfigurationValues::builder()
                        .set_runtime(string(values, "runtime").map(|r| Runtime::from(r.as_str())))
                        .set_build_command(string(values, "build_command"))
                        .set_start_command(string(values, "start_command"))
                        .set_port(string(values, "port"))
                        .set_runtime_environment_variables(map_of(
                            values.attr("runtime_environment_variables"),
                        ))
                        .set_runtime_environment_secrets(map_of(
                            values.attr("runtime_environment_secrets"),
                        ))
                        .build()
                        .map_err(build_error)?,
                )
            };
            repo = repo.code_configuration(
                CodeConfiguration::builder()
                    .set_configuration_source(
                        string(config, "configuration_source")
                            .map(|s| ConfigurationSource::from(s.as_str())),
                    )
                    .set_code_configuration_values(values)
                    .build()
                    .map_err(build_error)?,
            );
        }
        b = b.code_repository(repo.build().map_err(build_error)?);
    }
    let image = first(sc, "image_repository");
    if !image.is_null() {
        let config = first(image, "image_configuration");
        let config = (!config.is_null()).then(|| {
            ImageConfiguration::builder()
                .set_port(string(config, "port"))
                .set_start_command(string(config, "start_command"))
                .set_runtime_environment_variables(map_of(
                    config.attr("runtime_environment_variables"),
                ))
                .set_runtime_environment_secrets(map_of(config.attr("runtime_environment_secrets")))
                .build()
        });
        b = b.image_repository(
            ImageRepository::builder()
                .set_image_identifier(string(image, "image_identifier"))
                .set_image_repository_type(
                    string(image, "image_repository_type")
                        .map(|t| ImageRepositoryType::from(t.as_str())),
                )
                .set_image_configuration(config)
                .build()
                .map_err(build_error)?,
        );
    }
    Ok(b.build())
}

pub(super) fn instance_request(value: &Value) -> Option<InstanceConfiguration> {
    let i = first(value, "instance_configuration");
    (!i.is_null()).then(|| {
        InstanceConfiguration::builder()
            .set_cpu(string(i, "cpu"))
            .set_memory(string(i, "memory"))
            .set_instance_role_arn(string(i, "instance_role_arn"))
            .build()
    })
}

pub(super) fn health_request(value: &Value) -> Option<HealthCheckConfiguration> {
    let h = first(value, "health_check_configuration");
    let int = |name: &str| h.attr(name).as_i64().and_then(|n| i32::try_from(n).ok());
    (!h.is_null()).then(|| {
        HealthCheckConfiguration::builder()
            .set_protocol(string(h, "protocol").map(|p| HealthCheckProtocol::from(p.as_str())))
            .set_path(string(h, "path"))
            .set_interval(int("interval"))
            .set_timeout(int("timeout"))
            .set_healthy_threshold(int("healthy_threshold"))
            .set_unhealthy_threshold(int("unhealthy_threshold"))
            .build()
    })
}

/// The whole network configuration: absent sub-blocks are sent as their
/// defaults, so removing one restores the default.
pub(super) fn network_request(value: &Value) -> Option<NetworkConfiguration> {
    let n = first(value, "network_configuration");
    if n.is_null() {
        return None;
    }
    let egress = first(n, "egress_configuration");
    let connector = string(egress, "vpc_connector_arn");
    let egress_type = string(egress, "egress_type").unwrap_or_else(|| {
        if connector.is_some() {
            "VPC"
        } else {
            "DEFAULT"
        }
        .to_string()
    });
    let public = first(n, "ingress_configuration")
        .attr("is_publicly_accessible")
        .as_bool()
        .unwrap_or(true);
    Some(
        NetworkConfiguration::builder()
            .egress_configuration(
                EgressConfiguration::builder()
                    .egress_type(EgressType::from(egress_type.as_str()))
                    .set_vpc_connector_arn(connector)
                    .build(),
            )
            .ingress_configuration(
                IngressConfiguration::builder()
                    .is_publicly_accessible(public)
                    .build(),
            )
            .set_ip_address_type(
                string(n, "ip_address_type").map(|t| IpAddressType::from(t.as_str())),
            )
            .build(),
    )
}

/// Observability is always sent: absent means off.
pub(super) fn observability_request(value: &Value) -> ServiceObservabilityConfiguration {
    let o = first(value, "observability_configuration");
    let enabled = o.attr("observability_enabled").as_bool() == Some(true);
    ServiceObservabilityConfiguration::builder()
        .observability_enabled(enabled)
        .set_observability_configuration_arn(
            string(o, "observability_configuration_arn").filter(|_| enabled),
        )
        .build()
}

pub(super) fn encryption_request(
    value: &Value,
) -> Result<Option<EncryptionConfiguration>, Diagnostic> {
    let e = first(value, "encryption_configuration");
    if e.is_null() {
        return Ok(None);
    }
    EncryptionConfiguration::builder()
        .set_kms_key(string(e, "kms_key"))
        .build()
        .map(Some)
        .map_err(build_error)
}

/// `source_configuration` as App Runner understands it: sub-blocks equal to
/// their defaults and empty maps are the same as none.
pub(super) fn effective_source(value: &Value) -> Value {
    let mut sc = value.attr("source_configuration").clone();
    let Some(inner) = sc.as_elements_mut().and_then(|e| e.first_mut()) else {
        return sc;
    };
    let auth = first(inner, "authentication_configuration");
    if auth.attr("access_role_arn").is_null() && auth.attr("connection_arn").is_null() {
        inner.set_attr("authentication_configuration", list(vec![]));
    }
    let normalise_maps = |v: &mut Value| {
        for name in [
            "runtime_environment_variables",
            "runtime_environment_secrets",
        ] {
            if is_empty_map(v.attr(name)) {
                v.set_attr(name, Value::Null);
            }
        }
    };
    if let Some(image) = first_mut(inner, "image_repository") {
        if let Some(config) = first_mut(image, "image_configuration") {
            normalise_maps(config);
            if config.attr("port").is_null() {
                config.set_attr("port", "8080".into());
            }
        }
        let default = object(vec![
            ("port", "8080".into()),
            ("start_command", Value::Null),
            ("runtime_environment_variables", Value::Null),
            ("runtime_environment_secrets", Value::Null),
        ]);
        if image.attr("image_configuration") == &list(vec![default]) {
            image.set_attr("image_configuration", list(vec![]));
        }
    }
    if let Some(values) = first_mut(inner, "code_repository")
        .and_then(|c| first_mut(c, "code_configuration"))
        .and_then(|c| first_mut(c, "code_configuration_values"))
    {
        normalise_maps(values);
    }
    sc
}

/// Whether going from `prior` to `planned` changes what UpdateService
/// carries. Blocks left out of `planned` are left to App Runner, so only
/// configured ones count; observability counts always (absent = off).
pub(super) fn configuration_changes(prior: &Value, planned: &Value) -> bool {
    let observability = |v: &Value| {
        let o = first(v, "observability_configuration");
        let on = o.attr("observability_enabled").clone();
        if on.as_bool() == Some(true) || on.is_unknown() {
            (on, o.attr("observability_configuration_arn").clone())
        } else {
            (Value::Bool(false), Value::Null)
        }
    };
    effective_source(prior) != effective_source(planned)
        || observability(prior) != observability(planned)
        || LEFT_TO_APP_RUNNER
            .iter()
            .any(|b| has_block(planned, b) && prior.attr(b) != planned.attr(b))
        || (!planned.attr("auto_scaling_configuration_arn").is_null()
            && prior.attr("auto_scaling_configuration_arn")
                != planned.attr("auto_scaling_configuration_arn"))
}

/// `request` (CreateService) filled from `planned`.
pub(super) fn create_request(
    request: CreateServiceFluentBuilder,
    planned: &Value,
) -> Result<CreateServiceFluentBuilder, Diagnostic> {
    let request = request
        .service_name(string(planned, "service_name").unwrap_or_default())
        .source_configuration(source_request(planned)?)
        .set_instance_configuration(instance_request(planned))
        .set_health_check_configuration(health_request(planned))
        .set_network_configuration(network_request(planned))
        .set_encryption_configuration(encryption_request(planned)?)
        .set_auto_scaling_configuration_arn(string(planned, "auto_scaling_configuration_arn"))
        .set_tags(tags::to_api(planned.attr("tags_all")));
    Ok(if has_block(planned, "observability_configuration") {
        request.observability_configuration(observability_request(planned))
    } else {
        request
    })
}

/// `request` (UpdateService) filled from `planned`: the whole
/// configuration, so that clearing a value reaches App Runner.
pub(super) fn update_request(
    request: UpdateServiceFluentBuilder,
    planned: &Value,
) -> Result<UpdateServiceFluentBuilder, Diagnostic> {
    Ok(request
        .source_configuration(source_request(planned)?)
        .set_instance_configuration(instance_request(planned))
        .set_health_check_configuration(health_request(planned))
        .set_network_configuration(network_request(planned))
        .observability_configuration(observability_request(planned))
        .set_auto_scaling_configuration_arn(string(planned, "auto_scaling_configuration_arn")))
}
