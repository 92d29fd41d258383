//! Rules across the attributes of `apprunner_service` that the schema's
//! validators cannot express, checked at `terraform validate` on the
//! configuration's [`ServiceModel`]. Each error points at its attribute.

use crate::plugin::model::Field;
use crate::plugin::{AttributePath, Diagnostic, Diagnostics};

use super::model::*;
use super::rules::*;
use super::values::{at, block_path};

/// What a source needs in `authentication_configuration`: an access role
/// for a private image, a connection for a code repository.
#[derive(Clone, Copy)]
enum Credential {
    AccessRole,
    Connection,
}

/// The error for a source whose credential is missing for sure (not
/// unknown): at the credential when the block is there, else at the source.
fn require_credential(
    auth: Option<&AuthenticationConfiguration>,
    needed: Credential,
    summary: &str,
    detail: &str,
    diags: &mut Diagnostics,
) {
    let (attribute, source) = match needed {
        Credential::AccessRole => ("access_role_arn", "image_repository"),
        Credential::Connection => ("connection_arn", "code_repository"),
    };
    let value = auth.map(|a| match needed {
        Credential::AccessRole => &a.access_role_arn,
        Credential::Connection => &a.connection_arn,
    });
    if !value.is_none_or(Field::is_null) {
        return;
    }
    let path = if auth.is_none() {
        block_path(&["source_configuration", source])
    } else {
        at(
            &["source_configuration", "authentication_configuration"],
            attribute,
        )
    };
    diags.error_at(path, summary, detail);
}

pub(super) fn validate(config: &ServiceModel, diags: &mut Diagnostics) {
    let sc = config.source();
    let code = config.code();
    let image = config.image();
    let auth = sc.and_then(|sc| sc.authentication_configuration.one());
    let kinds_known =
        sc.is_some_and(|sc| sc.code_repository.is_known() && sc.image_repository.is_known());
    if sc.is_some() && kinds_known && code.is_none() == image.is_none() {
        diags.push(
            Diagnostic::error(
                "Exactly one source is required",
                "source_configuration needs exactly one of code_repository or image_repository.",
            )
            .at(AttributePath::attr("source_configuration").then_index(0)),
        );
    }
    if let Some(image) = image {
        let image_at = |name: &str| at(&["source_configuration", "image_repository"], name);
        let kind = image.image_repository_type.as_deref();
        match (kind, image.image_identifier.as_deref()) {
            (Some("ECR_PUBLIC"), Some(id)) if !id.starts_with("public.ecr.aws/") => diags.error_at(
                image_at("image_repository_type"),
                "Image repository type does not match the image",
                format!("{id:?} is not an Amazon ECR Public image (public.ecr.aws/…): use image_repository_type = \"ECR\"."),
            ),
            (Some("ECR"), Some(id)) if id.starts_with("public.ecr.aws/") => diags.error_at(
                image_at("image_repository_type"),
                "Image repository type does not match the image",
                format!("{id:?} is an Amazon ECR Public image: use image_repository_type = \"ECR_PUBLIC\"."),
            ),
            _ => {}
        }
        if kind == Some("ECR") {
            require_credential(
                auth,
                Credential::AccessRole,
                "Access role required for a private ECR image",
                "App Runner needs authentication_configuration { access_role_arn } to pull from a private Amazon ECR repository.",
                diags,
            );
        }
        if kind == Some("ECR_PUBLIC")
            && sc.is_some_and(|sc| sc.auto_deployments_enabled == Field::Known(true))
        {
            diags.error_at(
                at(&["source_configuration"], "auto_deployments_enabled"),
                "Automatic deployments need a private ECR image",
                "App Runner cannot watch an Amazon ECR Public image for new pushes: set auto_deployments_enabled = false.",
            );
        }
        if let Some(config) = image.image_configuration.one() {
            check_env(
                config,
                &[
                    "source_configuration",
                    "image_repository",
                    "image_configuration",
                ],
                diags,
            );
        }
    }
    if let Some(code) = code {
        require_credential(
            auth,
            Credential::Connection,
            "Connection required for a code repository",
            "App Runner needs authentication_configuration { connection_arn } (an apprunner_connection) to read a source code repository.",
            diags,
        );
        let cc = code.code_configuration.one();
        if code.code_configuration.known().is_some_and(Vec::is_empty) {
            diags.error_at(
                block_path(&["source_configuration", "code_repository"]),
                "Build configuration required",
                "App Runner needs a code_configuration block to create a service from a code repository: \
                 configuration_source = \"REPOSITORY\" (an apprunner.yaml file) or \"API\" (code_configuration_values).",
            );
        }
        if let Some(cc) = cc
            && cc.configuration_source.as_deref() == Some("API")
            && cc
                .code_configuration_values
                .known()
                .is_some_and(Vec::is_empty)
        {
            diags.error_at(
                at(&["source_configuration", "code_repository", "code_configuration"], "configuration_source"),
                "Build settings required",
                "configuration_source = \"API\" needs a code_configuration_values block (or use \"REPOSITORY\" and an apprunner.yaml file).",
            );
        }
        if let Some(values) = config.code_values() {
            check_env(
                values,
                &[
                    "source_configuration",
                    "code_repository",
                    "code_configuration",
                    "code_configuration_values",
                ],
                diags,
            );
        }
    }
    // CPU and memory come in pairs.
    if let Some(instance) = config.instance_configuration.one() {
        let (cpu, memory) = (&instance.cpu, &instance.memory);
        if !cpu.is_unknown() && !memory.is_unknown() {
            let cpu_text = cpu.as_deref().unwrap_or("1024");
            let memory_text = memory.as_deref().unwrap_or("2048");
            if let (Some(c), Some(m)) = (cpu_units(cpu_text), memory_mb(memory_text)) {
                let ok = CPU_MEMORY
                    .iter()
                    .any(|(units, mbs)| *units == c && mbs.contains(&m));
                if !ok {
                    let at_attr = if memory.is_null() { "cpu" } else { "memory" };
                    diags.error_at(
                        at(&["instance_configuration"], at_attr),
                        "Unsupported CPU and memory combination",
                        format!("App Runner does not offer cpu = {cpu_text:?} with memory = {memory_text:?}. It offers {}.", cpu_memory_text()),
                    );
                }
            }
        }
    }
    // Egress: a VPC connector only with VPC egress, and VPC egress needs one.
    if let Some(egress) = config.egress() {
        let connector = &egress.vpc_connector_arn;
        match egress.egress_type.as_deref() {
            Some("VPC") if connector.is_null() => diags.error_at(
                at(&["network_configuration", "egress_configuration"], "egress_type"),
                "VPC connector required",
                "egress_type = \"VPC\" needs vpc_connector_arn.",
            ),
            Some("DEFAULT") if !connector.is_null() => diags.error_at(
                at(&["network_configuration", "egress_configuration"], "vpc_connector_arn"),
                "VPC connector needs VPC egress",
                "vpc_connector_arn can only be set with egress_type = \"VPC\" (or leave egress_type unset).",
            ),
            _ => {}
        }
    }
    if let Some(obs) = config.observability_configuration.one()
        && obs.observability_enabled == Field::Known(false)
        && !obs.observability_configuration_arn.is_null()
    {
        diags.error_at(
            at(
                &["observability_configuration"],
                "observability_configuration_arn",
            ),
            "Observability configuration without observability",
            "observability_configuration_arn is only used with observability_enabled = true.",
        );
    }
}

/// A variable cannot be both plain and secret.
fn check_env(settings: &impl RunSettings, blocks: &[&str], diags: &mut Diagnostics) {
    let [vars, secrets] = settings.environment();
    let (Some(vars), Some(secrets)) = (vars.known(), secrets.known()) else {
        return;
    };
    for name in vars.keys().filter(|k| secrets.contains_key(*k)) {
        diags.error_at(
            at(blocks, "runtime_environment_secrets"),
            "Environment variable defined twice",
            format!("{name:?} is in both runtime_environment_variables and runtime_environment_secrets; keep it in one."),
        );
    }
}
