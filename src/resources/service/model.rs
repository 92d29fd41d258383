//! The typed model of `apprunner_service`: one struct per block, with the
//! schema's attribute names as field names, read from and written to
//! Terraform values by [`crate::plugin::model`]. The resource and the
//! `apprunner_service` data source share it: [`super::remote_state`] maps
//! a DescribeService answer into it, [`super::requests`] builds
//! CreateService and UpdateService requests from it.
//!
//! Every value is a [`Field`] (null, unknown or known), because the same
//! model reads configurations and plans, where anything may be unknown.
//! Blocks are lists of at most one object ([`Blocks`]): an empty list is an
//! absent block, as Terraform stores it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::plugin::model::{self, Field};
use crate::plugin::{Diagnostic, Value};

/// A list block of at most one object.
pub type Blocks<T> = Field<Vec<T>>;

/// A map of strings whose values may be unknown in a plan.
pub type StringMap = Field<BTreeMap<String, Field<String>>>;

/// The one element of a list block, and how to set or clear it.
pub trait OneBlock<T> {
    /// The block's object, if the block is present.
    fn one(&self) -> Option<&T>;
    fn one_mut(&mut self) -> Option<&mut T>;
    /// Whether the block is present (known and not empty).
    fn present(&self) -> bool {
        self.one().is_some()
    }
}

impl<T> OneBlock<T> for Blocks<T> {
    fn one(&self) -> Option<&T> {
        self.known().and_then(|items| items.first())
    }

    fn one_mut(&mut self) -> Option<&mut T> {
        match self {
            Field::Known(items) => items.first_mut(),
            _ => None,
        }
    }
}

/// A block holding `item`, or an absent block (`[]`).
pub fn block<T>(item: Option<T>) -> Blocks<T> {
    Field::Known(item.into_iter().collect())
}

/// An absent block (`[]`).
pub fn no_block<T>() -> Blocks<T> {
    Field::Known(Vec::new())
}

/// A known string.
pub fn text(s: &str) -> Field<String> {
    Field::Known(s.to_string())
}

/// Whether a map is null or empty (App Runner reports no empty maps).
pub fn is_empty_map(map: &StringMap) -> bool {
    match map {
        Field::Null => true,
        Field::Known(m) => m.is_empty(),
        Field::Unknown => false,
    }
}

/// Everything `apprunner_service` stores, but `timeouts`; `tags` and
/// `tags_all` are read (plans compare them) and written by
/// [`crate::provider::tags`], not by the model.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct ServiceModel {
    pub service_name: Field<String>,
    pub auto_scaling_configuration_arn: Field<String>,
    pub paused: Field<bool>,
    pub region: Field<String>,
    #[serde(skip_serializing)]
    pub tags: StringMap,
    #[serde(skip_serializing)]
    pub tags_all: StringMap,
    pub arn: Field<String>,
    pub id: Field<String>,
    pub service_id: Field<String>,
    pub service_url: Field<String>,
    pub status: Field<String>,
    pub source_configuration: Blocks<SourceConfiguration>,
    pub instance_configuration: Blocks<InstanceConfiguration>,
    pub health_check_configuration: Blocks<HealthCheckConfiguration>,
    pub network_configuration: Blocks<NetworkConfiguration>,
    pub observability_configuration: Blocks<ObservabilityConfiguration>,
    pub encryption_configuration: Blocks<EncryptionConfiguration>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct SourceConfiguration {
    pub auto_deployments_enabled: Field<bool>,
    pub authentication_configuration: Blocks<AuthenticationConfiguration>,
    pub code_repository: Blocks<CodeRepository>,
    pub image_repository: Blocks<ImageRepository>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct AuthenticationConfiguration {
    pub access_role_arn: Field<String>,
    pub connection_arn: Field<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct CodeRepository {
    pub repository_url: Field<String>,
    pub source_directory: Field<String>,
    pub source_code_version: Blocks<SourceCodeVersion>,
    pub code_configuration: Blocks<CodeConfiguration>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct SourceCodeVersion {
    #[serde(rename = "type")]
    pub version_type: Field<String>,
    pub value: Field<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct CodeConfiguration {
    pub configuration_source: Field<String>,
    pub code_configuration_values: Blocks<CodeConfigurationValues>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct CodeConfigurationValues {
    pub runtime: Field<String>,
    pub build_command: Field<String>,
    pub start_command: Field<String>,
    pub port: Field<String>,
    pub runtime_environment_variables: StringMap,
    pub runtime_environment_secrets: StringMap,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct ImageRepository {
    pub image_identifier: Field<String>,
    pub image_repository_type: Field<String>,
    pub image_configuration: Blocks<ImageConfiguration>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct ImageConfiguration {
    pub port: Field<String>,
    pub start_command: Field<String>,
    pub runtime_environment_variables: StringMap,
    pub runtime_environment_secrets: StringMap,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct InstanceConfiguration {
    pub cpu: Field<String>,
    pub memory: Field<String>,
    pub instance_role_arn: Field<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct HealthCheckConfiguration {
    pub healthy_threshold: Field<i64>,
    pub interval: Field<i64>,
    pub path: Field<String>,
    pub protocol: Field<String>,
    pub timeout: Field<i64>,
    pub unhealthy_threshold: Field<i64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct NetworkConfiguration {
    pub ip_address_type: Field<String>,
    pub egress_configuration: Blocks<EgressConfiguration>,
    pub ingress_configuration: Blocks<IngressConfiguration>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct EgressConfiguration {
    pub egress_type: Field<String>,
    pub vpc_connector_arn: Field<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct IngressConfiguration {
    pub is_publicly_accessible: Field<bool>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct ObservabilityConfiguration {
    pub observability_enabled: Field<bool>,
    pub observability_configuration_arn: Field<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct EncryptionConfiguration {
    pub kms_key: Field<String>,
}

/// What `image_configuration` and `code_configuration_values` share: the
/// port and the environment of the running service.
pub trait RunSettings {
    fn port_mut(&mut self) -> &mut Field<String>;
    fn start_command_mut(&mut self) -> &mut Field<String>;
    /// `runtime_environment_variables` and `runtime_environment_secrets`.
    fn environment(&self) -> [&StringMap; 2];
    fn environment_mut(&mut self) -> [&mut StringMap; 2];
}

macro_rules! run_settings {
    ($($block:ty),*) => {$(
        impl RunSettings for $block {
            fn port_mut(&mut self) -> &mut Field<String> {
                &mut self.port
            }

            fn start_command_mut(&mut self) -> &mut Field<String> {
                &mut self.start_command
            }

            fn environment(&self) -> [&StringMap; 2] {
                [&self.runtime_environment_variables, &self.runtime_environment_secrets]
            }

            fn environment_mut(&mut self) -> [&mut StringMap; 2] {
                [&mut self.runtime_environment_variables, &mut self.runtime_environment_secrets]
            }
        }
    )*};
}

run_settings!(ImageConfiguration, CodeConfigurationValues);

impl ServiceModel {
    /// The model as a value of its own attributes only (no `tags`,
    /// `tags_all` or `timeouts`).
    pub fn to_value(&self) -> Value {
        // Every field is a Terraform value: serialising cannot fail.
        model::to_value(self, &crate::plugin::Type::Dynamic).unwrap_or(Value::Null)
    }

    /// Writes the model's attributes over `state`, a value of the service's
    /// schema, keeping the others (`tags`, `tags_all`, `timeouts`).
    pub fn write_into(&self, state: &mut Value) -> Result<(), Diagnostic> {
        crate::plugin::model::merge_into(state, self, super::schema::state_type())
            .map_err(Into::into)
    }

    /// The service's ARN (`id` for states that only have that).
    pub fn arn(&self) -> String {
        self.arn
            .as_deref()
            .or(self.id.as_deref())
            .unwrap_or_default()
            .to_string()
    }

    /// `tags_all` as a value, for [`crate::provider::tags`].
    pub fn tags_all_value(&self) -> Value {
        model::to_value(&self.tags_all, &crate::plugin::Type::Dynamic).unwrap_or(Value::Null)
    }

    /// The state of a service known only by its ARN.
    pub fn of_arn(arn: &str) -> Self {
        ServiceModel {
            arn: text(arn),
            id: text(arn),
            ..Default::default()
        }
    }

    pub fn source(&self) -> Option<&SourceConfiguration> {
        self.source_configuration.one()
    }

    pub fn egress(&self) -> Option<&EgressConfiguration> {
        self.network_configuration
            .one()
            .and_then(|n| n.egress_configuration.one())
    }

    pub fn image(&self) -> Option<&ImageRepository> {
        self.source().and_then(|s| s.image_repository.one())
    }

    pub fn code(&self) -> Option<&CodeRepository> {
        self.source().and_then(|s| s.code_repository.one())
    }

    /// `code_configuration_values` of a code repository source.
    pub fn code_values(&self) -> Option<&CodeConfigurationValues> {
        self.code()
            .and_then(|c| c.code_configuration.one())
            .and_then(|c| c.code_configuration_values.one())
    }
}
