//! From App Runner to Terraform: the model a DescribeService answer makes,
//! every block present. How that meets the configuration and the prior
//! state is [`super::reconcile`]'s concern.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_apprunner::types as api;

use crate::plugin::Value;
use crate::plugin::model::Field;
use crate::provider::region;

use super::model::*;

/// Everything App Runner reports about a service, in the resource's shape
/// (every block present), as a value: the mapping the `apprunner_service`
/// data source shares. Tags, `timeouts` and the prior state's forms are
/// left to the caller.
pub fn remote_state(svc: &api::Service, url: Option<String>) -> Value {
    described(svc, url).to_value()
}

/// The model of a described service whose host name is `url`.
pub(super) fn described(svc: &api::Service, url: Option<String>) -> ServiceModel {
    ServiceModel {
        service_url: url.into(),
        ..ServiceModel::from(svc)
    }
}

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

fn string_map(m: Option<&HashMap<String, String>>) -> StringMap {
    m.map(|m| {
        m.iter()
            .map(|(k, v)| (k.clone(), text(v)))
            .collect::<BTreeMap<_, _>>()
    })
    .into()
}

/// The port, start command and environment App Runner reports, for an
/// image or a code source alike.
fn run_settings<S: RunSettings + Default>(
    port: Option<&str>,
    start_command: Option<&str>,
    environment: [Option<&HashMap<String, String>>; 2],
) -> S {
    let mut settings = S::default();
    *settings.port_mut() = port.into();
    *settings.start_command_mut() = start_command.into();
    for (map, reported) in settings.environment_mut().into_iter().zip(environment) {
        *map = string_map(reported);
    }
    settings
}

impl From<&api::Service> for ServiceModel {
    /// Everything but the host name (see [`described`]).
    fn from(svc: &api::Service) -> Self {
        let arn = svc.service_arn();
        ServiceModel {
            service_name: text(svc.service_name()),
            auto_scaling_configuration_arn: svc
                .auto_scaling_configuration_summary()
                .and_then(|s| s.auto_scaling_configuration_arn())
                .into(),
            paused: Field::Known(svc.status().as_str() == "PAUSED"),
            region: region::from_arn(arn).into(),
            arn: text(arn),
            id: text(arn),
            service_id: text(svc.service_id()),
            status: text(svc.status().as_str()),
            source_configuration: block(svc.source_configuration().map(Into::into)),
            instance_configuration: block(svc.instance_configuration().map(Into::into)),
            health_check_configuration: block(svc.health_check_configuration().map(Into::into)),
            network_configuration: block(svc.network_configuration().map(Into::into)),
            observability_configuration: block(svc.observability_configuration().map(Into::into)),
            encryption_configuration: block(svc.encryption_configuration().map(Into::into)),
            ..Default::default()
        }
    }
}

impl From<&api::SourceConfiguration> for SourceConfiguration {
    fn from(sc: &api::SourceConfiguration) -> Self {
        let auth = sc
            .authentication_configuration()
            .filter(|a| a.access_role_arn().is_some() || a.connection_arn().is_some())
            .map(|a| AuthenticationConfiguration {
                access_role_arn: a.access_role_arn().into(),
                connection_arn: a.connection_arn().into(),
            });
        SourceConfiguration {
            auto_deployments_enabled: sc.auto_deployments_enabled().into(),
            authentication_configuration: block(auth),
            code_repository: block(sc.code_repository().map(Into::into)),
            image_repository: block(sc.image_repository().map(Into::into)),
        }
    }
}

impl From<&api::CodeRepository> for CodeRepository {
    fn from(c: &api::CodeRepository) -> Self {
        let version = c.source_code_version().map(|v| SourceCodeVersion {
            version_type: text(v.r#type().as_str()),
            value: text(v.value()),
        });
        let config = c.code_configuration().map(|cc| CodeConfiguration {
            configuration_source: text(cc.configuration_source().as_str()),
            code_configuration_values: block(cc.code_configuration_values().map(|x| {
                CodeConfigurationValues {
                    runtime: text(x.runtime().as_str()),
                    build_command: x.build_command().into(),
                    ..run_settings(
                        x.port(),
                        x.start_command(),
                        [
                            x.runtime_environment_variables(),
                            x.runtime_environment_secrets(),
                        ],
                    )
                }
            })),
        });
        CodeRepository {
            repository_url: text(c.repository_url()),
            source_directory: c.source_directory().into(),
            source_code_version: block(version),
            code_configuration: block(config),
        }
    }
}

impl From<&api::ImageRepository> for ImageRepository {
    fn from(i: &api::ImageRepository) -> Self {
        let config = i.image_configuration().map(|ic| {
            run_settings(
                ic.port(),
                ic.start_command(),
                [
                    ic.runtime_environment_variables(),
                    ic.runtime_environment_secrets(),
                ],
            )
        });
        ImageRepository {
            image_identifier: text(i.image_identifier()),
            image_repository_type: text(i.image_repository_type().as_str()),
            image_configuration: block(config),
        }
    }
}

impl From<&api::InstanceConfiguration> for InstanceConfiguration {
    fn from(i: &api::InstanceConfiguration) -> Self {
        InstanceConfiguration {
            cpu: i.cpu().into(),
            memory: i.memory().into(),
            instance_role_arn: i.instance_role_arn().into(),
        }
    }
}

impl From<&api::HealthCheckConfiguration> for HealthCheckConfiguration {
    fn from(h: &api::HealthCheckConfiguration) -> Self {
        let int = |n: Option<i32>| Field::from(n.map(i64::from));
        HealthCheckConfiguration {
            healthy_threshold: int(h.healthy_threshold()),
            interval: int(h.interval()),
            path: h.path().into(),
            protocol: h.protocol().map(|p| p.as_str()).into(),
            timeout: int(h.timeout()),
            unhealthy_threshold: int(h.unhealthy_threshold()),
        }
    }
}

impl From<&api::NetworkConfiguration> for NetworkConfiguration {
    fn from(n: &api::NetworkConfiguration) -> Self {
        let egress = n.egress_configuration().map(|e| EgressConfiguration {
            egress_type: text(e.egress_type().map_or("DEFAULT", |t| t.as_str())),
            vpc_connector_arn: e.vpc_connector_arn().into(),
        });
        let ingress = n.ingress_configuration().map(|i| IngressConfiguration {
            is_publicly_accessible: Field::Known(i.is_publicly_accessible()),
        });
        NetworkConfiguration {
            ip_address_type: text(n.ip_address_type().map_or("IPV4", |t| t.as_str())),
            egress_configuration: block(egress),
            ingress_configuration: block(ingress),
        }
    }
}

impl From<&api::ServiceObservabilityConfiguration> for ObservabilityConfiguration {
    fn from(o: &api::ServiceObservabilityConfiguration) -> Self {
        ObservabilityConfiguration {
            observability_enabled: Field::Known(o.observability_enabled()),
            observability_configuration_arn: o.observability_configuration_arn().into(),
        }
    }
}

impl From<&api::EncryptionConfiguration> for EncryptionConfiguration {
    fn from(e: &api::EncryptionConfiguration) -> Self {
        EncryptionConfiguration {
            kms_key: e.kms_key().into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use aws_smithy_types::DateTime;

    use super::*;
    use crate::provider::lifecycle::ReadModel;

    #[test]
    fn a_described_service_maps_into_every_block_of_the_model() {
        let arn = "arn:aws:apprunner:eu-west-1:123456789012:service/web/0123";
        let image = api::ImageRepository::builder()
            .image_identifier("public.ecr.aws/a/b:latest")
            .image_repository_type(api::ImageRepositoryType::EcrPublic)
            .image_configuration(
                api::ImageConfiguration::builder()
                    .port("8000")
                    .runtime_environment_variables("MODE", "test")
                    .build(),
            )
            .build()
            .unwrap();
        let svc = api::Service::builder()
            .service_name("web")
            .service_id("0123")
            .service_arn(arn)
            .created_at(DateTime::from_secs(0))
            .updated_at(DateTime::from_secs(0))
            .status(api::ServiceStatus::Paused)
            .source_configuration(
                api::SourceConfiguration::builder()
                    .auto_deployments_enabled(false)
                    .image_repository(image)
                    .build(),
            )
            .instance_configuration(api::InstanceConfiguration::builder().cpu("1024").build())
            .build()
            .unwrap();
        let model = described(&svc, Some("web.example".into()));
        assert_eq!(model.region, text("eu-west-1"));
        assert_eq!(model.paused, Field::Known(true));
        assert_eq!(model.service_url, text("web.example"));
        let config = model.image().unwrap().image_configuration.one().unwrap();
        assert_eq!(config.port, text("8000"));
        assert_eq!(config.start_command, Field::Null);
        let [vars, secrets] = config.environment();
        assert_eq!(vars.known().unwrap().get("MODE"), Some(&text("test")));
        assert_eq!(secrets, &Field::Null);
        // Blocks App Runner leaves out are empty lists, as Terraform stores them.
        assert_eq!(model.network_configuration, no_block());
        // The value the data source gets reads back as the same model.
        let value = remote_state(&svc, Some("web.example".into()));
        assert_eq!(ServiceModel::of(&value).unwrap(), model);
    }
}
