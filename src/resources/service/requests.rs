//! From Terraform to App Runner: the CreateService and UpdateService
//! requests a planned [`ServiceModel`] makes, and whether a plan changes
//! what UpdateService carries.

use std::collections::HashMap;

use aws_sdk_apprunner::types as api;

use aws_sdk_apprunner::operation::create_service::builders::CreateServiceFluentBuilder;
use aws_sdk_apprunner::operation::update_service::builders::UpdateServiceFluentBuilder;

use crate::plugin::Diagnostic;
use crate::plugin::model::Field;
use crate::provider::tags;

use super::model::*;

pub(super) fn build_error(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "Incomplete service configuration",
        format!("The configuration could not be turned into an App Runner request: {e}"),
    )
}

/// A string the API takes, when known.
fn string(field: &Field<String>) -> Option<String> {
    field.known().cloned()
}

/// A map the API takes: its known entries, none when empty.
fn map_of(map: &StringMap) -> Option<HashMap<String, String>> {
    let m: HashMap<String, String> = map
        .known()?
        .iter()
        .filter_map(|(k, v)| v.known().map(|v| (k.clone(), v.clone())))
        .collect();
    (!m.is_empty()).then_some(m)
}

impl SourceConfiguration {
    fn to_api(&self) -> Result<api::SourceConfiguration, Diagnostic> {
        let mut b = api::SourceConfiguration::builder()
            .set_auto_deployments_enabled(self.auto_deployments_enabled.known().copied());
        if let Some(auth) = self.authentication_configuration.one() {
            b = b.authentication_configuration(
                api::AuthenticationConfiguration::builder()
                    .set_access_role_arn(string(&auth.access_role_arn))
                    .set_connection_arn(string(&auth.connection_arn))
                    .build(),
            );
        }
        if let Some(code) = self.code_repository.one() {
            b = b.code_repository(code.to_api()?);
        }
        if let Some(image) = self.image_repository.one() {
            b = b.image_repository(image.to_api()?);
        }
        Ok(b.build())
    }
}

impl CodeRepository {
    fn to_api(&self) -> Result<api::CodeRepository, Diagnostic> {
        let version = self.source_code_version.one().cloned().unwrap_or_default();
        let mut repo = api::CodeRepository::builder()
            .set_repository_url(string(&self.repository_url))
            .set_source_directory(string(&self.source_directory))
            .source_code_version(
                api::SourceCodeVersion::builder()
                    .set_type(
                        string(&version.version_type)
                            .map(|t| api::SourceCodeVersionType::from(t.as_str())),
                    )
                    .set_value(string(&version.value))
                    .build()
                    .map_err(build_error)?,
            );
        if let Some(config) = self.code_configuration.one() {
            let values = match config.code_configuration_values.one() {
                None => None,
                Some(values) => Some(
                    api::CodeConfigurationValues::builder()
                        .set_runtime(
                            string(&values.runtime).map(|r| api::Runtime::from(r.as_str())),
                        )
                        .set_build_command(string(&values.build_command))
                        .set_start_command(string(&values.start_command))
                        .set_port(string(&values.port))
                        .set_runtime_environment_variables(map_of(
                            &values.runtime_environment_variables,
                        ))
                        .set_runtime_environment_secrets(map_of(
                            &values.runtime_environment_secrets,
                        ))
                        .build()
                        .map_err(build_error)?,
                ),
            };
            repo = repo.code_configuration(
                api::CodeConfiguration::builder()
                    .set_configuration_source(
                        string(&config.configuration_source)
                            .map(|s| api::ConfigurationSource::from(s.as_str())),
                    )
                    .set_code_configuration_values(values)
                    .build()
                    .map_err(build_error)?,
            );
        }
        repo.build().map_err(build_error)
    }
}

impl ImageRepository {
    fn to_api(&self) -> Result<api::ImageRepository, Diagnostic> {
        let config = self.image_configuration.one().map(|config| {
            api::ImageConfiguration::builder()
                .set_port(string(&config.port))
                .set_start_command(string(&config.start_command))
                .set_runtime_environment_variables(map_of(&config.runtime_environment_variables))
                .set_runtime_environment_secrets(map_of(&config.runtime_environment_secrets))
                .build()
        });
        api::ImageRepository::builder()
            .set_image_identifier(string(&self.image_identifier))
            .set_image_repository_type(
                string(&self.image_repository_type)
                    .map(|t| api::ImageRepositoryType::from(t.as_str())),
            )
            .set_image_configuration(config)
            .build()
            .map_err(build_error)
    }
}

impl InstanceConfiguration {
    fn to_api(&self) -> api::InstanceConfiguration {
        api::InstanceConfiguration::builder()
            .set_cpu(string(&self.cpu))
            .set_memory(string(&self.memory))
            .set_instance_role_arn(string(&self.instance_role_arn))
            .build()
    }
}

impl HealthCheckConfiguration {
    fn to_api(&self) -> api::HealthCheckConfiguration {
        let int = |n: &Field<i64>| n.known().and_then(|n| i32::try_from(*n).ok());
        api::HealthCheckConfiguration::builder()
            .set_protocol(
                string(&self.protocol).map(|p| api::HealthCheckProtocol::from(p.as_str())),
            )
            .set_path(string(&self.path))
            .set_interval(int(&self.interval))
            .set_timeout(int(&self.timeout))
            .set_healthy_threshold(int(&self.healthy_threshold))
            .set_unhealthy_threshold(int(&self.unhealthy_threshold))
            .build()
    }
}

impl NetworkConfiguration {
    /// The whole network configuration: absent sub-blocks are sent as
    /// their defaults, so removing one restores the default.
    fn to_api(&self) -> api::NetworkConfiguration {
        let egress = self.egress_configuration.one().cloned().unwrap_or_default();
        let connector = string(&egress.vpc_connector_arn);
        let egress_type = string(&egress.egress_type).unwrap_or_else(|| {
            if connector.is_some() {
                "VPC"
            } else {
                "DEFAULT"
            }
            .to_string()
        });
        let public = self
            .ingress_configuration
            .one()
            .and_then(|i| i.is_publicly_accessible.known().copied())
            .unwrap_or(true);
        api::NetworkConfiguration::builder()
            .egress_configuration(
                api::EgressConfiguration::builder()
                    .egress_type(api::EgressType::from(egress_type.as_str()))
                    .set_vpc_connector_arn(connector)
                    .build(),
            )
            .ingress_configuration(
                api::IngressConfiguration::builder()
                    .is_publicly_accessible(public)
                    .build(),
            )
            .set_ip_address_type(
                string(&self.ip_address_type).map(|t| api::IpAddressType::from(t.as_str())),
            )
            .build()
    }
}

impl ServiceModel {
    fn source_request(&self) -> Result<api::SourceConfiguration, Diagnostic> {
        self.source().cloned().unwrap_or_default().to_api()
    }

    fn instance_request(&self) -> Option<api::InstanceConfiguration> {
        self.instance_configuration
            .one()
            .map(InstanceConfiguration::to_api)
    }

    fn health_request(&self) -> Option<api::HealthCheckConfiguration> {
        self.health_check_configuration
            .one()
            .map(HealthCheckConfiguration::to_api)
    }

    fn network_request(&self) -> Option<api::NetworkConfiguration> {
        self.network_configuration
            .one()
            .map(NetworkConfiguration::to_api)
    }

    /// Observability is always sent: absent means off.
    fn observability_request(&self) -> api::ServiceObservabilityConfiguration {
        let o = self.observability_configuration.one();
        let enabled = o.and_then(|o| o.observability_enabled.known().copied()) == Some(true);
        api::ServiceObservabilityConfiguration::builder()
            .observability_enabled(enabled)
            .set_observability_configuration_arn(
                o.and_then(|o| string(&o.observability_configuration_arn))
                    .filter(|_| enabled),
            )
            .build()
    }

    fn encryption_request(&self) -> Result<Option<api::EncryptionConfiguration>, Diagnostic> {
        let Some(e) = self.encryption_configuration.one() else {
            return Ok(None);
        };
        api::EncryptionConfiguration::builder()
            .set_kms_key(string(&e.kms_key))
            .build()
            .map(Some)
            .map_err(build_error)
    }

    /// `request` (CreateService) filled from this plan.
    pub(super) fn create_request(
        &self,
        request: CreateServiceFluentBuilder,
    ) -> Result<CreateServiceFluentBuilder, Diagnostic> {
        let request = request
            .service_name(string(&self.service_name).unwrap_or_default())
            .source_configuration(self.source_request()?)
            .set_instance_configuration(self.instance_request())
            .set_health_check_configuration(self.health_request())
            .set_network_configuration(self.network_request())
            .set_encryption_configuration(self.encryption_request()?)
            .set_auto_scaling_configuration_arn(string(&self.auto_scaling_configuration_arn))
            .set_tags(tags::to_api(&self.tags_all_value()));
        Ok(if self.observability_configuration.present() {
            request.observability_configuration(self.observability_request())
        } else {
            request
        })
    }

    /// `request` (UpdateService) filled from this plan: the whole
    /// configuration, so that clearing a value reaches App Runner.
    pub(super) fn update_request(
        &self,
        request: UpdateServiceFluentBuilder,
    ) -> Result<UpdateServiceFluentBuilder, Diagnostic> {
        Ok(request
            .source_configuration(self.source_request()?)
            .set_instance_configuration(self.instance_request())
            .set_health_check_configuration(self.health_request())
            .set_network_configuration(self.network_request())
            .observability_configuration(self.observability_request())
            .set_auto_scaling_configuration_arn(string(&self.auto_scaling_configuration_arn)))
    }

    /// Whether going from `prior` to this plan changes what UpdateService
    /// carries. Blocks left out of the plan are left to App Runner, so only
    /// configured ones count; observability counts always (absent = off).
    pub(super) fn changes_configuration_of(&self, prior: &ServiceModel) -> bool {
        let observability = |m: &ServiceModel| {
            let o = m
                .observability_configuration
                .one()
                .cloned()
                .unwrap_or_default();
            let on = o.observability_enabled;
            if on == Field::Known(true) || on.is_unknown() {
                (on, o.observability_configuration_arn)
            } else {
                (Field::Known(false), Field::Null)
            }
        };
        fn changed<T: PartialEq>(prior: &Blocks<T>, planned: &Blocks<T>) -> bool {
            planned.present() && prior != planned
        }
        effective_source(prior) != effective_source(self)
            || observability(prior) != observability(self)
            || changed(&prior.instance_configuration, &self.instance_configuration)
            || changed(
                &prior.health_check_configuration,
                &self.health_check_configuration,
            )
            || changed(&prior.network_configuration, &self.network_configuration)
            || (!self.auto_scaling_configuration_arn.is_null()
                && prior.auto_scaling_configuration_arn != self.auto_scaling_configuration_arn)
    }
}

/// Null for empty maps: App Runner does not tell them apart.
fn normalise_maps(settings: &mut impl RunSettings) {
    for map in settings.environment_mut() {
        if is_empty_map(map) {
            *map = Field::Null;
        }
    }
}

/// `source_configuration` as App Runner understands it: sub-blocks equal to
/// their defaults and empty maps are the same as none.
fn effective_source(model: &ServiceModel) -> Blocks<SourceConfiguration> {
    let mut sc = model.source_configuration.clone();
    let Some(inner) = sc.one_mut() else {
        return sc;
    };
    if inner
        .authentication_configuration
        .one()
        .is_none_or(|a| a.access_role_arn.is_null() && a.connection_arn.is_null())
    {
        inner.authentication_configuration = no_block();
    }
    if let Some(image) = inner.image_repository.one_mut() {
        if let Some(config) = image.image_configuration.one_mut() {
            normalise_maps(config);
            if config.port.is_null() {
                config.port = text("8080");
            }
        }
        let default = ImageConfiguration {
            port: text("8080"),
            ..Default::default()
        };
        if image.image_configuration == Field::Known(vec![default]) {
            image.image_configuration = no_block();
        }
    }
    if let Some(values) = inner
        .code_repository
        .one_mut()
        .and_then(|c| c.code_configuration.one_mut())
        .and_then(|c| c.code_configuration_values.one_mut())
    {
        normalise_maps(values);
    }
    sc
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn empty_maps_and_default_blocks_change_nothing() {
        let with_image = |config: Option<ImageConfiguration>| ServiceModel {
            source_configuration: block(Some(SourceConfiguration {
                auto_deployments_enabled: Field::Known(false),
                authentication_configuration: block(Some(AuthenticationConfiguration::default())),
                image_repository: block(Some(ImageRepository {
                    image_identifier: text("public.ecr.aws/a/b:latest"),
                    image_repository_type: text("ECR_PUBLIC"),
                    image_configuration: block(config),
                })),
                code_repository: no_block(),
            })),
            ..Default::default()
        };
        let bare = with_image(None);
        let defaults = with_image(Some(ImageConfiguration {
            runtime_environment_variables: Field::Known(BTreeMap::new()),
            ..Default::default()
        }));
        assert!(!defaults.changes_configuration_of(&bare));
        let started = with_image(Some(ImageConfiguration {
            start_command: text("run"),
            ..Default::default()
        }));
        assert!(started.changes_configuration_of(&bare));
    }
}
