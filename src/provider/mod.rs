//! (being written)
use std::process::ExitCode;

/// Serves the provider to Terraform.
pub fn serve(_debug: bool) -> ExitCode {
    ExitCode::FAILURE
}
