//! Data source types, one module per Terraform type, registered in
//! [`crate::data_source_types`].

pub mod auto_scaling_configuration;
pub mod connection;
pub mod custom_domains;
pub mod hosted_zone_id;
pub mod observability_configuration;
pub mod service;
pub mod services;
pub mod vpc_connector;
pub mod vpc_ingress_connection;
