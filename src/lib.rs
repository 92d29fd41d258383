//! Terraform provider for AWS App Runner.
//!
//! The crate is layered so that each layer can be read on its own:
//!
//! - [`plugin`]: Terraform's plugin protocol (handshake, TLS, gRPC, values,
//!   schemas, diagnostics) and a small resource framework. It knows nothing
//!   of App Runner and could serve any provider.
//! - [`provider`]: the App Runner provider: configuration, AWS clients and
//!   behaviour shared by resources (tags, retries, waiters, error mapping).
//! - [`apprunner`]: access to App Runner objects (describe, find, list,
//!   operations and waiting), one module per kind, and the mapping of each
//!   kind to the attributes its resource and data source share.
//! - [`resources`] and [`data_sources`]: one module per Terraform type.
//!   They depend on [`apprunner`] and [`provider`], never on one another.
//!   This file, the composition root, lists them ([`resource_types`],
//!   [`data_source_types`]) and builds the provider with them.
//! - [`emulator`]: a local App Runner control plane speaking the real wire
//!   protocol, for tests and for users' CI.

use std::sync::Arc;

use plugin::{DataSource, Resource};
use provider::{AppRunner, AppRunnerProvider};

pub mod apprunner;
pub mod data_sources;
pub mod emulator;
pub mod plugin;
pub mod policy;
pub mod provider;
pub mod resources;

/// The App Runner provider with every type it offers.
pub fn app_runner_provider() -> AppRunnerProvider {
    AppRunnerProvider {
        resources: resource_types(),
        data_sources: data_source_types(),
    }
}

/// Every resource type this provider offers.
pub fn resource_types() -> Vec<Arc<dyn Resource<AppRunner>>> {
    use resources::*;
    vec![
        Arc::new(auto_scaling_configuration_version::AutoScalingConfigurationVersion),
        Arc::new(
            default_auto_scaling_configuration_version::DefaultAutoScalingConfigurationVersion,
        ),
        Arc::new(observability_configuration::ObservabilityConfigurationResource),
        Arc::new(service::Service),
        Arc::new(deployment::Deployment),
        Arc::new(vpc_connector::VpcConnector),
        Arc::new(connection::Connection),
        Arc::new(custom_domain_association::CustomDomainAssociation),
        Arc::new(vpc_ingress_connection::VpcIngressConnection),
    ]
}

/// Every data source this provider offers.
pub fn data_source_types() -> Vec<Arc<dyn DataSource<AppRunner>>> {
    use data_sources::*;
    vec![
        Arc::new(auto_scaling_configuration::AutoScalingConfigurationData),
        Arc::new(observability_configuration::ObservabilityConfigurationData),
        Arc::new(service::ServiceData {
            resource_schema: resources::service::schema::schema,
            remote_state: resources::service::remote_state::remote_state,
        }),
        Arc::new(services::ServicesData),
        Arc::new(connection::ConnectionData),
        Arc::new(custom_domains::CustomDomainsData),
        Arc::new(hosted_zone_id::HostedZoneId),
        Arc::new(vpc_connector::VpcConnectorData),
        Arc::new(vpc_ingress_connection::VpcIngressConnectionData),
    ]
}
