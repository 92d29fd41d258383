//! Managed resource types, one module per Terraform type. Each module holds
//! the type's whole behaviour: schema, plan rules, and the mapping to and
//! from the App Runner API.

use std::sync::Arc;

use crate::plugin::Resource;
use crate::provider::AppRunner;

pub mod auto_scaling_configuration_version;

/// Every resource type this provider offers.
pub fn all() -> Vec<Arc<dyn Resource<AppRunner>>> {
    vec![Arc::new(auto_scaling_configuration_version::AutoScalingConfigurationVersion)]
}
