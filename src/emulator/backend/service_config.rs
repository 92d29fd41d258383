//! A service's configuration in the API's own shapes (PascalCase members,
//! absent members left out), as requests carry it, as the service stores it
//! and as DescribeService returns it. Members are declared in the model's
//! order, which is the order they are written in.
//!
//! One type serves both directions: in a request most members are optional;
//! once the rules in `services.rs` have completed it, the defaults are all
//! filled in. State files hold the same form.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// `RuntimeEnvironmentVariables`/`RuntimeEnvironmentSecrets`: returned as
/// given (names in the client's order); the rules never look inside.
pub(crate) type EnvironmentMap = Map<String, Value>;

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SourceConfiguration {
    pub code_repository: Option<CodeRepository>,
    pub image_repository: Option<ImageRepository>,
    pub auto_deployments_enabled: Option<bool>,
    pub authentication_configuration: Option<AuthenticationConfiguration>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AuthenticationConfiguration {
    pub connection_arn: Option<String>,
    pub access_role_arn: Option<String>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CodeRepository {
    pub repository_url: String,
    pub source_code_version: SourceCodeVersion,
    pub code_configuration: Option<CodeConfiguration>,
    pub source_directory: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SourceCodeVersion {
    pub r#type: String,
    pub value: String,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CodeConfiguration {
    pub configuration_source: String,
    pub code_configuration_values: Option<CodeConfigurationValues>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CodeConfigurationValues {
    pub runtime: String,
    pub build_command: Option<String>,
    pub start_command: Option<String>,
    pub port: Option<String>,
    pub runtime_environment_variables: Option<EnvironmentMap>,
    pub runtime_environment_secrets: Option<EnvironmentMap>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ImageRepository {
    pub image_identifier: String,
    pub image_configuration: Option<ImageConfiguration>,
    pub image_repository_type: String,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ImageConfiguration {
    pub runtime_environment_variables: Option<EnvironmentMap>,
    pub start_command: Option<String>,
    pub port: Option<String>,
    pub runtime_environment_secrets: Option<EnvironmentMap>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InstanceConfiguration {
    pub cpu: Option<String>,
    pub memory: Option<String>,
    pub instance_role_arn: Option<String>,
}

impl InstanceConfiguration {
    /// `self`, with `patch`'s members where it has them.
    pub fn patched(&self, patch: &InstanceConfiguration) -> InstanceConfiguration {
        InstanceConfiguration {
            cpu: patch.cpu.clone().or_else(|| self.cpu.clone()),
            memory: patch.memory.clone().or_else(|| self.memory.clone()),
            instance_role_arn: (patch.instance_role_arn.clone())
                .or_else(|| self.instance_role_arn.clone()),
        }
    }
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct HealthCheckConfiguration {
    pub protocol: Option<String>,
    pub path: Option<String>,
    pub interval: Option<i64>,
    pub timeout: Option<i64>,
    pub healthy_threshold: Option<i64>,
    pub unhealthy_threshold: Option<i64>,
}

impl HealthCheckConfiguration {
    /// `self`, with `patch`'s members where it has them.
    pub fn patched(&self, patch: &HealthCheckConfiguration) -> HealthCheckConfiguration {
        HealthCheckConfiguration {
            protocol: patch.protocol.clone().or_else(|| self.protocol.clone()),
            path: patch.path.clone().or_else(|| self.path.clone()),
            interval: patch.interval.or(self.interval),
            timeout: patch.timeout.or(self.timeout),
            healthy_threshold: patch.healthy_threshold.or(self.healthy_threshold),
            unhealthy_threshold: patch.unhealthy_threshold.or(self.unhealthy_threshold),
        }
    }
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct NetworkConfiguration {
    pub egress_configuration: Option<EgressConfiguration>,
    pub ingress_configuration: Option<IngressConfiguration>,
    pub ip_address_type: Option<String>,
}

impl NetworkConfiguration {
    /// `self`, with `patch`'s parts where it has them: egress and ingress
    /// are replaced whole, not member by member.
    pub fn patched(&self, patch: &NetworkConfiguration) -> NetworkConfiguration {
        NetworkConfiguration {
            egress_configuration: (patch.egress_configuration.clone())
                .or_else(|| self.egress_configuration.clone()),
            ingress_configuration: (patch.ingress_configuration.clone())
                .or_else(|| self.ingress_configuration.clone()),
            ip_address_type: (patch.ip_address_type.clone())
                .or_else(|| self.ip_address_type.clone()),
        }
    }
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct EgressConfiguration {
    pub egress_type: Option<String>,
    pub vpc_connector_arn: Option<String>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct IngressConfiguration {
    pub is_publicly_accessible: Option<bool>,
}

/// A service's `ObservabilityConfiguration` (not an observability
/// configuration resource, which it may name).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ServiceObservability {
    #[serde(default)]
    pub observability_enabled: bool,
    pub observability_configuration_arn: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct EncryptionConfiguration {
    pub kms_key: String,
}
