//! The `terraform-provider-apprunner` binary: a Terraform provider plugin when
//! Terraform starts it, and a local App Runner control plane with `emulator`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Each plan decodes, walks and drops a few hundred small values per
/// resource; mimalloc serves those allocations in a fraction of glibc's
/// instructions (see the README's benchmark section).
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "terraform-provider-apprunner",
    version,
    about = "Terraform provider for AWS App Runner",
    long_about = "Terraform provider for AWS App Runner.\n\n\
        Terraform starts this program itself; you do not need to run it.\n\
        Run `terraform-provider-apprunner emulator` for a local App Runner control plane,\n\
        `terraform-provider-apprunner policy check PLAN_JSON` to check a plan against a policy pack,\n\
        or `--debug` to serve the provider for a debugger (TF_REATTACH_PROVIDERS)."
)]
struct Cli {
    /// Serve without TLS and print the TF_REATTACH_PROVIDERS value to use.
    #[arg(long)]
    debug: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a local App Runner control plane (AWS JSON 1.0 with SigV4).
    Emulator(terraform_provider_apprunner::emulator::EmulatorArgs),
    /// Check a Terraform plan against a Rego policy pack (conftest-style output).
    #[command(subcommand)]
    Policy(terraform_provider_apprunner::policy::PolicyCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Emulator(args)) => terraform_provider_apprunner::emulator::main(args),
        Some(Command::Policy(command)) => terraform_provider_apprunner::policy::main(command),
        None => terraform_provider_apprunner::provider::serve(
            terraform_provider_apprunner::app_runner_provider(),
            cli.debug,
        ),
    }
}
