//! Data source types, one module per Terraform type.

use std::sync::Arc;

use crate::plugin::DataSource;
use crate::provider::AppRunner;

/// Every data source this provider offers.
pub fn all() -> Vec<Arc<dyn DataSource<AppRunner>>> {
    Vec::new()
}
