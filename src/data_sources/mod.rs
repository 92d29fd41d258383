//! Data source types, one module per Terraform type.

use std::sync::Arc;

use crate::plugin::DataSource;
use crate::provider::AppRunner;

pub mod auto_scaling_configuration;
pub mod observability_configuration;

/// Every data source this provider offers.
pub fn all() -> Vec<Arc<dyn DataSource<AppRunner>>> {
    vec![
        Arc::new(auto_scaling_configuration::AutoScalingConfigurationData),
        Arc::new(observability_configuration::ObservabilityConfigurationData),
    ]
}
