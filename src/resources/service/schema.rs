//! The schema of `apprunner_service`: its attributes and blocks with their
//! validators, defaults and plan behaviour. The `apprunner_service` data
//! source shows the same attributes, computed.

use std::sync::LazyLock;

use crate::plugin::validators as v;
use crate::plugin::{Attribute, Block, NestedBlock, Schema, Type, timeouts};
use crate::provider::{arns, attributes};

use super::DEFAULT_TIMEOUT;
use super::rules::*;

/// The type of the service's state, made once: every read writes the
/// refreshed model through it, and building the schema costs more than the
/// rest of that mapping.
pub fn state_type() -> &'static Type {
    static STATE: LazyLock<Type> = LazyLock::new(|| schema().implied_type());
    &STATE
}

/// The schema of `apprunner_service`; the data source shows the same
/// attributes, computed.
pub fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("An App Runner service: a source (a container image or a code repository) that App Runner deploys and runs behind an HTTPS endpoint.")
            .attribute(
                attributes::name("service_name", 40, SERVICE_NAME, "4 to 40 letters, digits, hyphens or underscores, starting with a letter or digit")
                    .required()
                    .requires_replace()
                    .description("Name of the service, unique in the account and region. Changing it replaces the service."),
            )
            .attribute(
                Attribute::string("auto_scaling_configuration_arn")
                    .optional()
                    .computed()
                    .keep_prior()
                    .validate(arns::validator("autoscalingconfiguration"))
                    .description("ARN of the auto scaling configuration revision the service uses. Unset, the account's default configuration is used at create and left alone afterwards."),
            )
            .attribute(
                Attribute::bool("paused")
                    .default(false)
                    .description("Whether the service is paused (PauseService) rather than running (ResumeService). A paused service keeps its configuration and URL but serves no traffic and costs no compute."),
            )
            .attributes(attributes::regional_tagged("ARN of the service.", "arn"))
            .attribute(Attribute::string("service_id").computed().keep_prior().description("ID App Runner gave the service."))
            .attribute(
                Attribute::string("service_url")
                    .computed()
                    .keep_prior()
                    .description("Host name of the service's default domain. For a private service (no public URL) this is the DNS target App Runner reports for it."),
            )
            .attribute(Attribute::string("status").computed().description("`RUNNING`, `PAUSED`, `OPERATION_IN_PROGRESS`, `CREATE_FAILED` or `DELETE_FAILED`."))
            .block(source_configuration_block())
            .block(instance_configuration_block())
            .block(health_check_configuration_block())
            .block(network_configuration_block())
            .block(
                NestedBlock::list(
                    "observability_configuration",
                    Block::new()
                        .description("Tracing of the service. Absent means observability is off.")
                        .attribute(Attribute::bool("observability_enabled").required().description("Whether observability (tracing) is on."))
                        .attribute(
                            Attribute::string("observability_configuration_arn")
                                .optional()
                                .validate(arns::validator("observabilityconfiguration"))
                                .description("ARN of the observability configuration to use; unset, App Runner's default configuration. Only with `observability_enabled = true`."),
                        ),
                )
                .max_items(1),
            )
            .block(
                NestedBlock::list(
                    "encryption_configuration",
                    Block::new()
                        .description("A customer managed KMS key for the service's stored source and logs. Cannot change after creation: a change replaces the service.")
                        .attribute(
                            Attribute::string("kms_key")
                                .required()
                                .requires_replace()
                                .validate(v::string_length(0, 256))
                                .validate(v::string_matches(KMS_KEY_ARN, "the ARN of a KMS key (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)"))
                                .description("ARN of the KMS key."),
                        ),
                )
                .max_items(1)
                .requires_replace(),
            )
            .block(timeouts::block(&["create", "update", "delete"], DEFAULT_TIMEOUT)),
    )
}

pub(super) fn env_maps() -> [Attribute; 2] {
    [
        Attribute::string_map("runtime_environment_variables")
            .optional()
            .validate(v::each_key(v::string_length(1, 51200)))
            .validate(v::each_value(v::string_length(0, 51200)))
            .description("Environment variables of the running service."),
        Attribute::string_map("runtime_environment_secrets")
            .optional()
            .validate(v::each_key(v::string_length(1, 2048)))
            .validate(v::each_value(v::string_length(1, 2048)))
            .description("Environment variables whose values App Runner reads from Secrets Manager secrets or SSM parameters (the values are their ARNs). The instance role needs permission to read them. App Runner reads them at deployment: use `apprunner_deployment` to roll out a rotated secret."),
    ]
}

pub(super) fn start_command() -> Attribute {
    Attribute::string("start_command")
        .optional()
        .validate(v::string_matches(ONE_LINE, "a single line of text"))
        .description("Command App Runner runs to start the application. Removing it clears it.")
}

pub(super) fn port_attribute() -> Attribute {
    Attribute::string("port")
        .default("8080")
        .validate(port())
        .description("Port the application listens on (default `8080`).")
}

pub(super) fn source_configuration_block() -> NestedBlock {
    let code_values = NestedBlock::list(
        "code_configuration_values",
        Block::new()
            .description("Build and run settings given here instead of an `apprunner.yaml` file.")
            .attribute(
                Attribute::string("runtime")
                    .required()
                    .validate(v::one_of(RUNTIMES))
                    .description(
                        "Runtime image App Runner builds with, e.g. `PYTHON_311` or `NODEJS_18`.",
                    ),
            )
            .attribute(
                Attribute::string("build_command")
                    .optional()
                    .validate(v::string_matches(ONE_LINE, "a single line of text"))
                    .description("Command that builds the application."),
            )
            .attribute(start_command())
            .attribute(port_attribute())
            .attributes(env_maps()),
    )
    .max_items(1);
    let code = NestedBlock::list(
        "code_repository",
        Block::new()
            .description("A source code repository App Runner builds from. Switching between a code and an image source replaces the service.")
            .attribute(
                Attribute::string("repository_url")
                    .required()
                    .validate(v::string_length(0, 51200))
                    .description("URL of the repository."),
            )
            .attribute(
                Attribute::string("source_directory")
                    .optional()
                    .computed()
                    .keep_prior()
                    .validate(v::string_length(1, 4096))
                    .validate(v::string_matches(NO_NUL, "a directory path"))
                    .description("Directory of the repository holding the application (for monorepos); the repository root by default."),
            )
            .block(
                NestedBlock::list(
                    "source_code_version",
                    Block::new()
                        .description("The version of the code to deploy.")
                        .attribute(Attribute::string("type").required().validate(v::one_of(&["BRANCH"])).description("`BRANCH`."))
                        .attribute(
                            Attribute::string("value")
                                .required()
                                .validate(v::string_length(0, 51200))
                                .description("Name of the branch."),
                        ),
                )
                .min_items(1)
                .max_items(1),
            )
            .block(
                NestedBlock::list(
                    "code_configuration",
                    Block::new()
                        .description("How App Runner builds and runs the code.")
                        .attribute(
                            Attribute::string("configuration_source")
                                .required()
                                .validate(v::one_of(&["REPOSITORY", "API"]))
                                .description("`REPOSITORY` (read `apprunner.yaml` from the repository) or `API` (use `code_configuration_values`)."),
                        )
                        .block(code_values),
                )
                .max_items(1),
            ),
    )
    .max_items(1);
    let image = NestedBlock::list(
        "image_repository",
        Block::new()
            .description("A container image App Runner runs.")
            .attribute(
                Attribute::string("image_identifier")
                    .required()
                    .validate(v::string_length(1, 1024))
                    .validate(v::string_matches(
                        IMAGE_IDENTIFIER,
                        "an Amazon ECR image (ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY[:TAG|@DIGEST]) or an Amazon ECR Public image (public.ecr.aws/ALIAS/REPOSITORY[:TAG|@DIGEST])",
                    ))
                    .description("The image, e.g. `public.ecr.aws/aws-containers/hello-app-runner:latest`."),
            )
            .attribute(
                Attribute::string("image_repository_type")
                    .required()
                    .validate(v::one_of(&["ECR", "ECR_PUBLIC"]))
                    .description("`ECR` (private, needs `access_role_arn`) or `ECR_PUBLIC`."),
            )
            .block(
                NestedBlock::list(
                    "image_configuration",
                    Block::new()
                        .description("How App Runner runs the image.")
                        .attribute(port_attribute())
                        .attribute(start_command())
                        .attributes(env_maps()),
                )
                .max_items(1),
            ),
    )
    .max_items(1);
    NestedBlock::list(
        "source_configuration",
        Block::new()
            .description("What App Runner deploys: exactly one of `code_repository` or `image_repository`. Always sent whole, so removing a setting clears it.")
            .attribute(
                Attribute::bool("auto_deployments_enabled")
                    .optional()
                    .computed()
                    .description("Whether App Runner deploys each new image push or commit. Defaults to true, except for `ECR_PUBLIC` images, which App Runner cannot deploy automatically (false; true is refused)."),
            )
            .block(
                NestedBlock::list(
                    "authentication_configuration",
                    Block::new()
                        .description("Access to a private source.")
                        .attribute(
                            Attribute::string("access_role_arn")
                                .optional()
                                .validate(role_arn())
                                .description("IAM role App Runner assumes to pull a private ECR image."),
                        )
                        .attribute(
                            Attribute::string("connection_arn")
                                .optional()
                                .validate(arns::validator("connection"))
                                .description("App Runner connection to the code repository's provider."),
                        ),
                )
                .max_items(1),
            )
            .block(code)
            .block(image),
    )
    .min_items(1)
    .max_items(1)
}

pub(super) fn instance_configuration_block() -> NestedBlock {
    NestedBlock::list(
        "instance_configuration",
        Block::new()
            .description("Size and role of the service's instances. Absent: App Runner's defaults at create, then left alone.")
            .attribute(
                Attribute::string("cpu")
                    .default("1024")
                    .validate(v::string_matches(CPU, "256, 512, 1024, 2048, 4096, or 0.25, 0.5, 1, 2 or 4 followed by \" vCPU\""))
                    .equivalence(same_cpu)
                    .description("vCPUs per instance: `1024` and `1 vCPU` are the same (default `1024`)."),
            )
            .attribute(
                Attribute::string("memory")
                    .default("2048")
                    .validate(v::string_matches(MEMORY, "512, 1024, 2048, 3072, 4096, 6144, 8192, 10240, 12288, or 0.5, 1, 2, 3, 4, 6, 8, 10 or 12 followed by \" GB\""))
                    .equivalence(same_memory)
                    .description("Memory per instance: `2048` and `2 GB` are the same (default `2048`)."),
            )
            .attribute(
                Attribute::string("instance_role_arn")
                    .optional()
                    .validate(role_arn())
                    .description("IAM role the application runs with (needed to read `runtime_environment_secrets`)."),
            ),
    )
    .max_items(1)
}

pub(super) fn health_check_configuration_block() -> NestedBlock {
    let threshold = |name: &str, default: i64, doc: &str| {
        Attribute::int(name)
            .default(default)
            .validate(v::int_between(1, 20))
            .description(format!("{doc} (1 to 20, default {default})."))
    };
    NestedBlock::list(
        "health_check_configuration",
        Block::new()
            .description("How App Runner checks the service's health. Absent: App Runner's defaults at create, then left alone.")
            .attribute(threshold("healthy_threshold", 1, "Consecutive successes before an instance is healthy"))
            .attribute(threshold("interval", 5, "Seconds between checks"))
            .attribute(
                Attribute::string("path")
                    .default("/")
                    .validate(v::string_length(1, 51200))
                    .description("Path of HTTP checks (default `/`)."),
            )
            .attribute(
                Attribute::string("protocol")
                    .default("TCP")
                    .validate(v::one_of(&["TCP", "HTTP"]))
                    .description("`TCP` (default) or `HTTP`."),
            )
            .attribute(threshold("timeout", 2, "Seconds to wait for a response"))
            .attribute(threshold("unhealthy_threshold", 5, "Consecutive failures before an instance is unhealthy")),
    )
    .max_items(1)
}

pub(super) fn network_configuration_block() -> NestedBlock {
    NestedBlock::list(
        "network_configuration",
        Block::new()
            .description("Network access of the service. Absent: App Runner's defaults at create (public, default egress, IPv4), then left alone.")
            .attribute(
                Attribute::string("ip_address_type")
                    .default("IPV4")
                    .validate(v::one_of(&["IPV4", "DUAL_STACK"]))
                    .description("`IPV4` (default) or `DUAL_STACK`."),
            )
            .block(
                NestedBlock::list(
                    "egress_configuration",
                    Block::new()
                        .description("Outgoing traffic. Absent: the default (internet) egress.")
                        .attribute(
                            Attribute::string("egress_type")
                                .optional()
                                .computed()
                                .validate(v::one_of(&["DEFAULT", "VPC"]))
                                .description("`DEFAULT` or `VPC`; unset, `VPC` when `vpc_connector_arn` is set and `DEFAULT` otherwise."),
                        )
                        .attribute(
                            Attribute::string("vpc_connector_arn")
                                .optional()
                                .validate(arns::validator("vpcconnector"))
                                .description("VPC connector for `VPC` egress."),
                        ),
                )
                .max_items(1),
            )
            .block(
                NestedBlock::list(
                    "ingress_configuration",
                    Block::new()
                        .description("Incoming traffic. Absent: public.")
                        .attribute(
                            Attribute::bool("is_publicly_accessible")
                                .optional()
                                .description("Whether the service is reachable from the internet (true when unset); false makes it reachable only through VPC ingress connections."),
                        ),
                )
                .max_items(1),
            ),
    )
    .max_items(1)
}
