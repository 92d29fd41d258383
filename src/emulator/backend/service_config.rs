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

/// `RuntimeEnvironmentVariables`/`RuntimeEnvironmentSecrets`: returned as
/// given (names in the client's order); the rules never look inside.
pub(crate) type EnvironmentMap = Map<String, Value>;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SourceConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_repository: Option<CodeRepository>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_repository: Option<ImageRepository>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_deployments_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_configuration: Option<AuthenticationConfiguration>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AuthenticationConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_role_arn: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CodeRepository {
    pub repository_url: String,
    pub source_code_version: SourceCodeVersion,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_configuration: Option<CodeConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_directory: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SourceCodeVersion {
    pub r#type: String,
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CodeConfiguration {
    pub configuration_source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_configuration_values: Option<CodeConfigurationValues>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CodeConfigurationValues {
    pub runtime: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_environment_variables: Option<EnvironmentMap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_environment_secrets: Option<EnvironmentMap>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ImageRepository {
    pub image_identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_configuration: Option<ImageConfiguration>,
    pub image_repository_type: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ImageConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_environment_variables: Option<EnvironmentMap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_environment_secrets: Option<EnvironmentMap>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InstanceConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
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

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct HealthCheckConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthy_threshold: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
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

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct NetworkConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub egress_configuration: Option<EgressConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingress_configuration: Option<IngressConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
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

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct EgressConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub egress_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_connector_arn: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct IngressConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_publicly_accessible: Option<bool>,
}

/// A service's `ObservabilityConfiguration` (not an observability
/// configuration resource, which it may name).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ServiceObservability {
    #[serde(default)]
    pub observability_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observability_configuration_arn: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct EncryptionConfiguration {
    pub kms_key: String,
}
