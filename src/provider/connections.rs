//! The connection checks services make, now part of the App Runner access
//! layer ([`crate::apprunner::connection`]); kept here for the code that
//! still names this path.

pub use crate::apprunner::connection::{ensure_available, ensure_source_connection_available};
