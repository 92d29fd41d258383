//! Rules across the attributes of `apprunner_service` that the schema's
//! validators cannot express, checked at `terraform validate`.

use crate::plugin::{AttributePath, Diagnostic, Diagnostics, Value};

use super::rules::*;
use super::values::*;

pub(super) fn known_str<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value.attr(name).as_str()
}

pub(super) fn validate(config: &Value, diags: &mut Diagnostics) {
    let sc = first(config, "source_configuration");
    let code = first(sc, "code_repository");
    let image = first(sc, "image_repository");
    let auth = first(sc, "authentication_configuration");
    let kinds_known = sc.attr("code_repository").as_elements().is_some()
        && sc.attr("image_repository").as_elements().is_some();
    if !sc.is_null() && kinds_known && code.is_null() == image.is_null() {
        diags.push(
            Diagnostic::error(
                "Exactly one source is required",
                "source_configuration needs exactly one of code_repository or image_repository.",
            )
            .at(AttributePath::attr("source_configuration").then_index(0)),
        );
    }
    let auth_at = |name: &str| {
        at(
            &["source_configuration", "authentication_configuration"],
            name,
        )
    };
    if !image.is_null() {
        let image_at = |name: &str| at(&["source_configuration", "image_repository"], name);
        let id = known_str(image, "image_identifier");
        match (known_str(image, "image_repository_type"), id) {
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
        if known_str(image, "image_repository_type") == Some("ECR")
            && auth.attr("access_role_arn").is_null()
            && !auth.attr("access_role_arn").is_unknown()
        {
            diags.error_at(
                if auth.is_null() {
                    block_path(&["source_configuration", "image_repository"])
                } else {
                    auth_at("access_role_arn")
                },
                "Access role required for a private ECR image",
                "App Runner needs authentication_configuration { access_role_arn } to pull from a private Amazon ECR repository.",
            );
        }
        if known_str(image, "image_repository_type") == Some("ECR_PUBLIC")
            && sc.attr("auto_deployments_enabled").as_bool() == Some(true)
        {
            diags.error_at(
                at(&["source_configuration"], "auto_deployments_enabled"),
                "Automatic deployments need a private ECR image",
                "App Runner cannot watch an Amazon ECR Public image for new pushes: set auto_deployments_enabled = false.",
            );
        }
        let config = first(image, "image_configuration");
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
    if !code.is_null() {
        if auth.attr("connection_arn").is_null() && !auth.attr("connection_arn").is_unknown() {
            diags.error_at(
                if auth.is_null() {
                    block_path(&["source_configuration", "code_repository"])
                } else {
                    auth_at("connection_arn")
                },
                "Connection required for a code repository",
                "App Runner needs authentication_configuration { connection_arn } (an apprunner_connection) to read a source code repository.",
            );
        }
        let cc = first(code, "code_configuration");
        if code
            .attr("code_configuration")
            .as_elements()
            .is_some_and(<[Value]>::is_empty)
        {
            diags.error_at(
                block_path(&["source_configuration", "code_repository"]),
                "Build configuration required",
                "App Runner needs a code_configuration block to create a service from a code repository: \
                 configuration_source = \"REPOSITORY\" (an apprunner.yaml file) or \"API\" (code_configuration_values).",
            );
        }
        if known_str(cc, "configuration_source") == Some("API")
            && cc
                .attr("code_configuration_values")
                .as_elements()
                .is_some_and(<[Value]>::is_empty)
        {
            diags.error_at(
                at(&["source_configuration", "code_repository", "code_configuration"], "configuration_source"),
                "Build settings required",
                "configuration_source = \"API\" needs a code_configuration_values block (or use \"REPOSITORY\" and an apprunner.yaml file).",
            );
        }
        check_env(
            first(cc, "code_configuration_values"),
            &[
                "source_configuration",
                "code_repository",
                "code_configuration",
                "code_configuration_values",
            ],
            diags,
        );
    }
    // CPU and memory come in pairs.
    let instance = first(config, "instance_configuration");
    if !instance.is_null() {
        let cpu = instance.attr("cpu");
        let memory = instance.attr("memory");
        if !cpu.is_unknown() && !memory.is_unknown() {
            let cpu_text = cpu.as_str().unwrap_or("1024");
            let memory_text = memory.as_str().unwrap_or("2048");
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
    let egress = path(config, &["network_configuration", "egress_configuration"]);
    let connector = egress.attr("vpc_connector_arn");
    match known_str(egress, "egress_type") {
        Some("VPC") if connector.is_null() && !connector.is_unknown() => diags.error_at(
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
    let obs = first(config, "observability_configuration");
    if obs.attr("observability_enabled").as_bool() == Some(false)
        && !obs.attr("observability_configuration_arn").is_null()
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
pub(super) fn check_env(config: &Value, blocks: &[&str], diags: &mut Diagnostics) {
    let (Some(vars), Some(secrets)) = (
        config.attr("runtime_environment_variables").as_entries(),
        config.attr("runtime_environment_secrets").as_entries(),
    ) else {
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
