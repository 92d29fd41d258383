//! Data source types, one module per Terraform type.

use std::sync::Arc;

use crate::plugin::DataSource;
use crate::provider::AppRunner;

pub mod auto_scaling_configuration;
pub mod connection;
pub mod custom_domains;
pub mod hosted_zone_id;
pub mod observability_configuration;
pub mod service;
pub mod services;
pub mod vpc_connector;
pub mod vpc_ingress_connection;

/// Every data source this provider offers.
pub fn all() -> Vec<Arc<dyn DataSource<AppRunner>>> {
    vec![
        Arc::new(auto_scaling_configuration::AutoScalingConfigurationData),
        Arc::new(observability_configuration::ObservabilityConfigurationData),
        Arc::new(service::ServiceData),
        Arc::new(services::ServicesData),
        Arc::new(connection::ConnectionData),
        Arc::new(custom_domains::CustomDomainsData),
        Arc::new(hosted_zone_id::HostedZoneId),
        Arc::new(vpc_connector::VpcConnectorData),
        Arc::new(vpc_ingress_connection::VpcIngressConnectionData),
    ]
}
