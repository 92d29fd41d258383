//! Local App Runner control plane (placeholder; being written).

use std::process::ExitCode;

/// Command-line arguments of `terraform-provider-apprunner emulator`.
#[derive(clap::Args, Debug, Clone)]
pub struct EmulatorArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: String,
}

/// Runs the control plane until interrupted.
pub fn main(_args: EmulatorArgs) -> ExitCode {
    ExitCode::FAILURE
}
