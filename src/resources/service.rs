//! `apprunner_service`: an App Runner service, as `aws_apprunner_service`
//! (same arguments, blocks — lists of at most one — defaults and import
//! by ARN), with what that resource gets wrong fixed:
//!
//! - every update sends the whole configuration (the complete
//!   `SourceConfiguration`, and every top-level block that is configured),
//!   so clearing `start_command`, secrets or observability reaches App
//!   Runner instead of being dropped;
//! - create, update, pause, resume and delete follow their operation
//!   (ListOperations) to its end, so a rolled-back update is an error, and
//!   `timeouts` bounds each of them;
//! - `paused` pauses and resumes the service;
//! - switching between a code and an image source plans a replacement;
//! - CPU/memory pairs are checked at plan time, `1 vCPU`/`1024` and
//!   `2 GB`/`2048` are the same value;
//! - a created service is never lost: a failed or timed-out create keeps
//!   it in state (tainted), and a create whose response was lost finds its
//!   service by name instead of failing or making a second one.
//!
//! Blocks cannot be computed in a schema Terraform accepts from us, so the
//! optional top-level blocks `health_check_configuration`,
//! `instance_configuration` and `network_configuration` follow one rule:
//! absent means "left to App Runner" — its defaults at create, untouched by
//! updates, and absent from state after a refresh. An import (and a `moved`
//! from `aws_apprunner_service`) leaves out every optional block whose
//! values are all App Runner's defaults, and keeps the others: a
//! configuration that writes out only what differs from the defaults
//! imports with no changes, into the state its create would leave.
//! Inside `source_configuration`, which is always sent whole, an absent
//! block means App Runner's default, and a difference shows as drift.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_apprunner::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_apprunner::types::{
    AuthenticationConfiguration, CodeConfiguration, CodeConfigurationValues, CodeRepository,
    ConfigurationSource, EgressConfiguration, EgressType, EncryptionConfiguration,
    HealthCheckConfiguration, HealthCheckProtocol, ImageConfiguration, ImageRepository,
    ImageRepositoryType, IngressConfiguration, InstanceConfiguration, IpAddressType,
    NetworkConfiguration, Runtime, Service as ApiService, ServiceObservabilityConfiguration,
    SourceCodeVersion, SourceCodeVersionType, SourceConfiguration,
};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use regex::Regex;
use tokio::time::Instant;

use crate::plugin::framework::MoveSource;
use crate::plugin::schema::Validator;
use crate::plugin::validators as v;
use crate::plugin::{
    Applied, ApplyRequest, Attribute, AttributePath, Block, Ctx, Diagnostic, Diagnostics,
    IdentitySchema, Listed, NestedBlock, Plan, PlanCtx, Read, ReadRequest, Resource, Schema, Value,
    timeouts,
};
use crate::provider::errors::{api_error, is_not_found};
use crate::provider::waiter::{Poll, WaitError, Waiting, humanize, wait_for};
use crate::provider::{
    AppRunner, arns, calls, connections, listing, migrate, region, superseded, tags,
};

pub struct Service;

/// Statuses the list block's `status` filter takes (a deleted service is
/// never listed).
const LISTED_STATUSES: &[&str] = &[
    "RUNNING",
    "PAUSED",
    "OPERATION_IN_PROGRESS",
    "CREATE_FAILED",
    "DELETE_FAILED",
];

/// How long create, update and delete may take unless `timeouts` says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

// ---------------------------------------------------------------------------
// Rules of the App Runner API model (botocore apprunner 2020-05-15), with
// `\w` spelled out as ASCII as the service applies it.

const SERVICE_NAME: &str = r"[A-Za-z0-9][A-Za-z0-9_-]{3,39}";
const ROLE_ARN: &str = r"arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):iam::[0-9]{12}:(role|role/service-role)/[0-9A-Za-z_+=,.@/-]{1,1000}";
const KMS_KEY_ARN: &str = r"arn:aws(-[0-9A-Za-z_]+)*:kms:[a-z-]+-[0-9]:[0-9]{12}:key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const IMAGE_IDENTIFIER: &str = r"([0-9]{12}.dkr.ecr.[a-z\-]+-[0-9]{1}.amazonaws.com/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)(:([0-9A-Za-z_+=._:/@-])+|@([0-9A-Za-z_:]+))?)|(public\.ecr\.aws/.+/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)(:([0-9A-Za-z_+=._:/@-])+|@([0-9A-Za-z_:]+))?)";
const CPU: &str = r"256|512|1024|2048|4096|(0.25|0.5|1|2|4) vCPU";
const MEMORY: &str = r"512|1024|2048|3072|4096|6144|8192|10240|12288|(0.5|1|2|3|4|6|8|10|12) GB";
const ONE_LINE: &str = r"[^\x0a\x0d]+";
const NO_NUL: &str = r"[^\x00]+";
/// The `Runtime` enum of the App Runner API model (botocore's
/// `apprunner/2020-05-15/service-2.json`), in its order.
const RUNTIMES: &[&str] = &[
    "PYTHON_3",
    "NODEJS_12",
    "NODEJS_14",
    "CORRETTO_8",
    "CORRETTO_11",
    "NODEJS_16",
    "GO_1",
    "DOTNET_6",
    "PHP_81",
    "RUBY_31",
    "PYTHON_311",
    "NODEJS_18",
    "NODEJS_22",
];

/// Managed runtimes App Runner has declared End of Support: the date, and
/// the supported runtime of the same language to move to (`None`: App
/// Runner has no managed successor, so an image-based source is the way
/// on). Source: the App Runner release notes and the runtime release
/// information pages of the App Runner Developer Guide ("End of support
/// for managed runtime versions"). Services on these runtimes keep
/// running, so they stay valid; a code-based service gets a plan warning.
const END_OF_SUPPORT: &[(&str, time::Date, Option<&str>)] = &[
    (
        "PYTHON_3",
        time::macros::date!(2025 - 12 - 01),
        Some("PYTHON_311"),
    ),
    (
        "NODEJS_12",
        time::macros::date!(2025 - 12 - 01),
        Some("NODEJS_22"),
    ),
    (
        "NODEJS_14",
        time::macros::date!(2025 - 12 - 01),
        Some("NODEJS_22"),
    ),
    (
        "NODEJS_16",
        time::macros::date!(2025 - 12 - 01),
        Some("NODEJS_22"),
    ),
    (
        "NODEJS_18",
        time::macros::date!(2025 - 12 - 01),
        Some("NODEJS_22"),
    ),
    ("DOTNET_6", time::macros::date!(2025 - 12 - 01), None),
    ("GO_1", time::macros::date!(2025 - 12 - 01), None),
    ("RUBY_31", time::macros::date!(2025 - 12 - 01), None),
    ("PHP_81", time::macros::date!(2025 - 12 - 31), None),
];

/// The End of Support warning for `runtime` on `today`, if it is due.
fn end_of_support_warning(runtime: &str, today: time::Date) -> Option<Diagnostic> {
    let (_, date, successor) = END_OF_SUPPORT
        .iter()
        .find(|(name, date, _)| *name == runtime && *date <= today)?;
    let next = match successor {
        Some(s) => format!("Move the service to the supported runtime {s}"),
        None => "App Runner offers no supported managed runtime for this language: move the service to an \
                 image-based source (image_repository)"
            .to_string(),
    };
    Some(Diagnostic::warning(
        "Runtime at End of Support",
        format!(
            "App Runner declared the managed runtime {runtime} End of Support on {date}. The service keeps running, \
             but its builds get no more security updates. {next}."
        ),
    ))
}

/// CPU units and the memory (MB) App Runner accepts with each.
const CPU_MEMORY: &[(u32, &[u32])] = &[
    (256, &[512, 1024]),
    (512, &[1024]),
    (1024, &[2048, 3072, 4096]),
    (2048, &[4096, 6144]),
    (4096, &[8192, 10240, 12288]),
];

/// `1 vCPU` → 1024, `1024` → 1024.
fn cpu_units(text: &str) -> Option<u32> {
    scaled(text, " vCPU")
}

/// `2 GB` → 2048, `2048` → 2048.
fn memory_mb(text: &str) -> Option<u32> {
    scaled(text, " GB")
}

fn scaled(text: &str, unit: &str) -> Option<u32> {
    match text.strip_suffix(unit) {
        Some(n) => {
            let n: f64 = n.parse().ok()?;
            let units = n * 1024.0;
            (units.fract() == 0.0 && units > 0.0).then_some(units as u32)
        }
        None => text.parse().ok(),
    }
}

fn same_cpu(a: &Value, b: &Value) -> bool {
    matches!((a.as_str().and_then(cpu_units), b.as_str().and_then(cpu_units)), (Some(x), Some(y)) if x == y)
}

fn same_memory(a: &Value, b: &Value) -> bool {
    matches!((a.as_str().and_then(memory_mb), b.as_str().and_then(memory_mb)), (Some(x), Some(y)) if x == y)
}

fn cpu_memory_text() -> String {
    "0.25 vCPU with 0.5 or 1 GB; 0.5 vCPU with 1 GB; 1 vCPU with 2, 3 or 4 GB; 2 vCPU with 4 or 6 GB; \
     4 vCPU with 8, 10 or 12 GB"
        .to_string()
}

fn role_arn() -> Validator {
    let re = regex_cell(ROLE_ARN);
    Validator::new("an IAM role ARN", move |value| match value.as_str() {
        Some(s) if !(29..=1024).contains(&s.len()) || !re().is_match(s) => Err(format!(
            "must be the ARN of an IAM role (arn:aws:iam::ACCOUNT:role/NAME), got {s:?}"
        )),
        _ => Ok(()),
    })
}

/// A compiled, anchored regex made on first use (most validators never run
/// in a given provider process).
fn regex_cell(pattern: &'static str) -> impl Fn() -> Regex + Send + Sync + 'static {
    let cell: Arc<OnceLock<Regex>> = Arc::new(OnceLock::new());
    move || {
        cell.get_or_init(|| Regex::new(&format!("^(?:{pattern})$")).expect("pattern compiles"))
            .clone()
    }
}

fn port() -> Validator {
    Validator::new("a port number", |value| match value.as_str() {
        Some(s) => match s.parse::<u32>() {
            Ok(n) if (1..=65535).contains(&n) && !s.starts_with('+') => Ok(()),
            _ => Err(format!("must be a port number from 1 to 65535, got {s:?}")),
        },
        None => Ok(()),
    })
}

// ---------------------------------------------------------------------------
// Schema

/// The schema of `apprunner_service`; the data source shows the same
/// attributes, computed.
pub(crate) fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description("An App Runner service: a source (a container image or a code repository) that App Runner deploys and runs behind an HTTPS endpoint.")
            .attribute(
                Attribute::string("service_name")
                    .required()
                    .requires_replace()
                    .validate(v::string_length(4, 40))
                    .validate(v::string_matches(SERVICE_NAME, "4 to 40 letters, digits, hyphens or underscores, starting with a letter or digit"))
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
            .attribute(region::attribute())
            .attribute(tags::tags_attribute())
            .attribute(tags::tags_all_attribute())
            .attribute(Attribute::string("arn").computed().keep_prior().description("ARN of the service."))
            .attribute(Attribute::string("id").computed().keep_prior().description("Same as `arn`."))
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

fn env_maps() -> [Attribute; 2] {
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

fn start_command() -> Attribute {
    Attribute::string("start_command")
        .optional()
        .validate(v::string_matches(ONE_LINE, "a single line of text"))
        .description("Command App Runner runs to start the application. Removing it clears it.")
}

fn port_attribute() -> Attribute {
    Attribute::string("port")
        .default("8080")
        .validate(port())
        .description("Port the application listens on (default `8080`).")
}

fn source_configuration_block() -> NestedBlock {
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

fn instance_configuration_block() -> NestedBlock {
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

fn health_check_configuration_block() -> NestedBlock {
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

fn network_configuration_block() -> NestedBlock {
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

// ---------------------------------------------------------------------------
// Reading values

/// The one element of a list block (`[]` → null).
fn first<'a>(value: &'a Value, block: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    value
        .attr(block)
        .as_elements()
        .and_then(|e| e.first())
        .unwrap_or(&NULL)
}

fn first_mut<'a>(value: &'a mut Value, block: &str) -> Option<&'a mut Value> {
    value
        .attr_mut(block)
        .and_then(Value::as_elements_mut)
        .and_then(|e| e.first_mut())
}

/// Follows a path of list blocks, e.g. `["source_configuration", "image_repository"]`.
fn path<'a>(value: &'a Value, blocks: &[&str]) -> &'a Value {
    blocks.iter().fold(value, |v, b| first(v, b))
}

fn string(value: &Value, name: &str) -> Option<String> {
    value.attr(name).as_str().map(str::to_string)
}

fn at(blocks: &[&str], attribute: &str) -> AttributePath {
    let mut p = AttributePath::root();
    for b in blocks {
        p = p.then_attr(b).then_index(0);
    }
    p.then_attr(attribute)
}

fn block_path(blocks: &[&str]) -> AttributePath {
    let (last, parents) = blocks.split_last().expect("a block");
    let mut p = AttributePath::root();
    for b in parents {
        p = p.then_attr(b).then_index(0);
    }
    p.then_attr(last)
}

fn has_block(value: &Value, block: &str) -> bool {
    value
        .attr(block)
        .as_elements()
        .is_some_and(|e| !e.is_empty())
}

fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}

fn object(entries: Vec<(&str, Value)>) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn optional_block(v: Option<Value>) -> Value {
    list(v.into_iter().collect())
}

fn string_map(m: Option<&HashMap<String, String>>) -> Value {
    match m {
        Some(m) => Value::string_map(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
        None => Value::Null,
    }
}

fn is_empty_map(v: &Value) -> bool {
    v.is_null() || v.as_entries().is_some_and(|m| m.is_empty())
}

// ---------------------------------------------------------------------------
// API → Terraform

/// Everything App Runner reports about a service, in this resource's shape
/// (every block present). Tags, `region`, `paused` and `timeouts` are left
/// to the caller.
/// Keeps the values of every `runtime_environment_variables` in `value`
/// out of the provider's log (they are often credentials).
pub(crate) fn redact_environment(value: &Value) {
    if let Some(entries) = value.as_entries() {
        for (name, v) in entries {
            if name == "runtime_environment_variables" {
                for secret in v.as_entries().into_iter().flat_map(|m| m.values()) {
                    if let Some(secret) = secret.as_str() {
                        crate::plugin::logging::redact(secret);
                    }
                }
            } else {
                redact_environment(v);
            }
        }
    } else if let Some(items) = value.as_elements() {
        items.iter().for_each(redact_environment);
    }
}

pub(crate) fn remote_state(svc: &ApiService, url: Option<String>) -> Value {
    let arn = svc.service_arn();
    let source = svc.source_configuration().map(|sc| {
        let auth = sc.authentication_configuration().and_then(|a| {
            (a.access_role_arn().is_some() || a.connection_arn().is_some()).then(|| {
                object(vec![
                    ("access_role_arn", a.access_role_arn().into()),
                    ("connection_arn", a.connection_arn().into()),
                ])
            })
        });
        let code = sc.code_repository().map(|c| {
            let version = c.source_code_version().map(|v| {
                object(vec![
                    ("type", v.r#type().as_str().into()),
                    ("value", v.value().into()),
                ])
            });
            let config = c.code_configuration().map(|cc| {
                let values = cc.code_configuration_values().map(|x| {
                    object(vec![
                        ("runtime", x.runtime().as_str().into()),
                        ("build_command", x.build_command().into()),
                        ("start_command", x.start_command().into()),
                        ("port", x.port().into()),
                        (
                            "runtime_environment_variables",
                            string_map(x.runtime_environment_variables()),
                        ),
                        (
                            "runtime_environment_secrets",
                            string_map(x.runtime_environment_secrets()),
                        ),
                    ])
                });
                object(vec![
                    (
                        "configuration_source",
                        cc.configuration_source().as_str().into(),
                    ),
                    ("code_configuration_values", optional_block(values)),
                ])
            });
            object(vec![
                ("repository_url", c.repository_url().into()),
                ("source_directory", c.source_directory().into()),
                ("source_code_version", optional_block(version)),
                ("code_configuration", optional_block(config)),
            ])
        });
        let image = sc.image_repository().map(|i| {
            let config = i.image_configuration().map(|ic| {
                object(vec![
                    ("port", ic.port().into()),
                    ("start_command", ic.start_command().into()),
                    (
                        "runtime_environment_variables",
                        string_map(ic.runtime_environment_variables()),
                    ),
                    (
                        "runtime_environment_secrets",
                        string_map(ic.runtime_environment_secrets()),
                    ),
                ])
            });
            object(vec![
                ("image_identifier", i.image_identifier().into()),
                (
                    "image_repository_type",
                    i.image_repository_type().as_str().into(),
                ),
                ("image_configuration", optional_block(config)),
            ])
        });
        object(vec![
            (
                "auto_deployments_enabled",
                sc.auto_deployments_enabled().into(),
            ),
            ("authentication_configuration", optional_block(auth)),
            ("code_repository", optional_block(code)),
            ("image_repository", optional_block(image)),
        ])
    });
    let instance = svc.instance_configuration().map(|i| {
        object(vec![
            ("cpu", i.cpu().into()),
            ("memory", i.memory().into()),
            ("instance_role_arn", i.instance_role_arn().into()),
        ])
    });
    let health = svc.health_check_configuration().map(|h| {
        object(vec![
            ("healthy_threshold", h.healthy_threshold().into()),
            ("interval", h.interval().into()),
            ("path", h.path().into()),
            ("protocol", h.protocol().map(|p| p.as_str()).into()),
            ("timeout", h.timeout().into()),
            ("unhealthy_threshold", h.unhealthy_threshold().into()),
        ])
    });
    let network = svc.network_configuration().map(|n| {
        let egress = n.egress_configuration().map(|e| {
            object(vec![
                (
                    "egress_type",
                    e.egress_type()
                        .map(|t| t.as_str())
                        .unwrap_or("DEFAULT")
                        .into(),
                ),
                ("vpc_connector_arn", e.vpc_connector_arn().into()),
            ])
        });
        let ingress = n.ingress_configuration().map(|i| {
            object(vec![(
                "is_publicly_accessible",
                i.is_publicly_accessible().into(),
            )])
        });
        object(vec![
            (
                "ip_address_type",
                n.ip_address_type()
                    .map(|t| t.as_str())
                    .unwrap_or("IPV4")
                    .into(),
            ),
            ("egress_configuration", optional_block(egress)),
            ("ingress_configuration", optional_block(ingress)),
        ])
    });
    let observability = svc.observability_configuration().map(|o| {
        object(vec![
            ("observability_enabled", o.observability_enabled().into()),
            (
                "observability_configuration_arn",
                o.observability_configuration_arn().into(),
            ),
        ])
    });
    let encryption = svc
        .encryption_configuration()
        .map(|e| object(vec![("kms_key", e.kms_key().into())]));
    object(vec![
        ("arn", arn.into()),
        ("id", arn.into()),
        ("service_id", svc.service_id().into()),
        ("service_name", svc.service_name().into()),
        ("service_url", url.into()),
        ("status", svc.status().as_str().into()),
        (
            "auto_scaling_configuration_arn",
            svc.auto_scaling_configuration_summary()
                .and_then(|s| s.auto_scaling_configuration_arn())
                .into(),
        ),
        ("paused", (svc.status().as_str() == "PAUSED").into()),
        ("region", region::from_arn(arn).into()),
        ("source_configuration", optional_block(source)),
        ("instance_configuration", optional_block(instance)),
        ("health_check_configuration", optional_block(health)),
        ("network_configuration", optional_block(network)),
        ("observability_configuration", optional_block(observability)),
        ("encryption_configuration", optional_block(encryption)),
    ])
}

/// Blocks that stay out of state when the configuration leaves them out.
const LEFT_TO_APP_RUNNER: &[&str] = &[
    "instance_configuration",
    "health_check_configuration",
    "network_configuration",
];

/// The state for `remote` (from [`remote_state`]) given `base`, the state
/// or plan it refreshes (an import's is [`import_base`]): blocks `base`
/// leaves out stay out unless they differ from what leaving them out means,
/// and values App Runner normalises keep `base`'s representation.
fn reconcile(base: &Value, remote: &Value) -> Value {
    let mut out = remote.clone();
    for name in LEFT_TO_APP_RUNNER {
        if !has_block(base, name) {
            out.set_attr(name, list(vec![]));
        }
    }
    // Normalised values keep the configured form.
    let asc = base.attr("auto_scaling_configuration_arn");
    if let (Some(b), Some(r)) = (
        asc.as_str(),
        remote.attr("auto_scaling_configuration_arn").as_str(),
    ) && r.starts_with(&format!("{b}/"))
    {
        out.set_attr("auto_scaling_configuration_arn", asc.clone());
    }
    if let Some(instance) = first_mut(&mut out, "instance_configuration") {
        let b = first(base, "instance_configuration");
        keep_if(instance, b, "cpu", same_cpu);
        keep_if(instance, b, "memory", same_memory);
    }
    // Observability: absent and off are the same; the default configuration
    // is what an unset ARN means.
    let base_obs = first(base, "observability_configuration");
    let remote_obs = first(remote, "observability_configuration").clone();
    let enabled = remote_obs.attr("observability_enabled").as_bool() == Some(true);
    if !enabled && base_obs.is_null() {
        out.set_attr("observability_configuration", list(vec![]));
    } else {
        let arn = remote_obs.attr("observability_configuration_arn");
        let arn = if base_obs.attr("observability_configuration_arn").is_null()
            && is_default_observability(arn)
        {
            Value::Null
        } else {
            arn.clone()
        };
        out.set_attr(
            "observability_configuration",
            list(vec![object(vec![
                ("observability_enabled", enabled.into()),
                ("observability_configuration_arn", arn),
            ])]),
        );
    }
    reconcile_source(base, &mut out);
    reconcile_network(base, &mut out);
    out
}

fn is_default_observability(arn: &Value) -> bool {
    arn.as_str()
        .is_some_and(|a| a.contains(":observabilityconfiguration/DefaultConfiguration/"))
}

/// Whether the egress block `e` (null: absent) is the default egress.
fn is_default_egress(e: &Value) -> bool {
    e.is_null()
        || (matches!(e.attr("egress_type").as_str(), None | Some("DEFAULT"))
            && e.attr("vpc_connector_arn").is_null())
}

/// Whether the ingress block `i` (null: absent) is the default: public.
fn is_public_ingress(i: &Value) -> bool {
    i.attr("is_publicly_accessible").as_bool() != Some(false)
}

/// Whether an image configuration holds only App Runner's defaults.
fn is_default_image_configuration(config: &Value) -> bool {
    config.attr("start_command").is_null()
        && matches!(config.attr("port").as_str(), None | Some("8080"))
        && is_empty_map(config.attr("runtime_environment_variables"))
        && is_empty_map(config.attr("runtime_environment_secrets"))
}

/// The base an import reconciles `remote` with: the configuration that
/// writes out only what differs from App Runner's defaults. Every optional
/// block whose values are all defaults is left out (nested ones too), so
/// the imported state is the state a create with that configuration
/// leaves, and such a configuration plans no changes.
fn import_base(remote: &Value) -> Value {
    let mut base = remote.clone();
    let instance = first(remote, "instance_configuration");
    if !instance.is_null()
        && same_cpu(instance.attr("cpu"), &"1024".into())
        && same_memory(instance.attr("memory"), &"2048".into())
        && instance.attr("instance_role_arn").is_null()
    {
        base.set_attr("instance_configuration", list(vec![]));
    }
    let health = first(remote, "health_check_configuration");
    let is = |name: &str, default: Value| {
        let v = health.attr(name);
        v.is_null() || *v == default
    };
    if !health.is_null()
        && is("healthy_threshold", 1.into())
        && is("interval", 5.into())
        && is("path", "/".into())
        && is("protocol", "TCP".into())
        && is("timeout", 2.into())
        && is("unhealthy_threshold", 5.into())
    {
        base.set_attr("health_check_configuration", list(vec![]));
    }
    if let Some(network) = first_mut(&mut base, "network_configuration") {
        if is_default_egress(first(network, "egress_configuration")) {
            network.set_attr("egress_configuration", list(vec![]));
        }
        if is_public_ingress(first(network, "ingress_configuration")) {
            network.set_attr("ingress_configuration", list(vec![]));
        }
        let ipv4 = matches!(
            network.attr("ip_address_type").as_str(),
            None | Some("IPV4")
        );
        if ipv4
            && !has_block(network, "egress_configuration")
            && !has_block(network, "ingress_configuration")
        {
            base.set_attr("network_configuration", list(vec![]));
        }
    }
    let observability = first(remote, "observability_configuration");
    if observability.attr("observability_enabled").as_bool() != Some(true) {
        base.set_attr("observability_configuration", list(vec![]));
    } else if is_default_observability(observability.attr("observability_configuration_arn"))
        && let Some(o) = first_mut(&mut base, "observability_configuration")
    {
        o.set_attr("observability_configuration_arn", Value::Null);
    }
    if let Some(image) = first_mut(&mut base, "source_configuration")
        .and_then(|sc| first_mut(sc, "image_repository"))
        && is_default_image_configuration(first(image, "image_configuration"))
    {
        image.set_attr("image_configuration", list(vec![]));
    }
    base
}

fn keep_if(out: &mut Value, base: &Value, name: &str, same: fn(&Value, &Value) -> bool) {
    let b = base.attr(name);
    if !b.is_null() && !b.is_unknown() && same(b, out.attr(name)) {
        out.set_attr(name, b.clone());
    }
}

/// Keeps `base`'s null or empty map when App Runner reports none.
fn keep_empty_maps(out: &mut Value, base: &Value) {
    for name in [
        "runtime_environment_variables",
        "runtime_environment_secrets",
    ] {
        if is_empty_map(out.attr(name)) && is_empty_map(base.attr(name)) {
            out.set_attr(name, base.attr(name).clone());
        }
    }
}

/// An unset remote value stands for `default`; keep `base` then.
fn keep_default(out: &mut Value, base: &Value, name: &str, default: &str) {
    if out.attr(name).is_null() && base.attr(name).as_str() == Some(default) {
        out.set_attr(name, base.attr(name).clone());
    }
}

fn reconcile_source(base: &Value, out: &mut Value) {
    let base_sc = first(base, "source_configuration");
    let Some(sc) = first_mut(out, "source_configuration") else {
        return;
    };
    if sc.attr("auto_deployments_enabled").is_null() {
        sc.set_attr(
            "auto_deployments_enabled",
            base_sc.attr("auto_deployments_enabled").clone(),
        );
    }
    if let Some(image) = first_mut(sc, "image_repository") {
        let base_image = first(base_sc, "image_repository");
        let base_config = first(base_image, "image_configuration");
        if let Some(config) = first_mut(image, "image_configuration") {
            keep_default(config, base_config, "port", "8080");
            keep_empty_maps(config, base_config);
            if base_config.is_null() && is_default_image_configuration(config) {
                image.set_attr("image_configuration", list(vec![]));
            }
        }
    }
    if let Some(code) = first_mut(sc, "code_repository") {
        let base_code = first(base_sc, "code_repository");
        if code.attr("source_directory").is_null() {
            code.set_attr(
                "source_directory",
                base_code.attr("source_directory").clone(),
            );
        }
        let base_values = path(
            base_code,
            &["code_configuration", "code_configuration_values"],
        );
        if let Some(values) = first_mut(code, "code_configuration")
            .and_then(|c| first_mut(c, "code_configuration_values"))
        {
            keep_default(values, base_values, "port", "8080");
            keep_empty_maps(values, base_values);
        }
    }
}

fn reconcile_network(base: &Value, out: &mut Value) {
    let base_network = first(base, "network_configuration");
    let Some(network) = first_mut(out, "network_configuration") else {
        return;
    };
    if is_default_egress(first(network, "egress_configuration"))
        && !has_block(base_network, "egress_configuration")
    {
        network.set_attr("egress_configuration", list(vec![]));
    }
    let base_ingress = first(base_network, "ingress_configuration");
    let public = is_public_ingress(first(network, "ingress_configuration"));
    if public && base_ingress.is_null() {
        network.set_attr("ingress_configuration", list(vec![]));
    } else if let Some(ingress) = first_mut(network, "ingress_configuration")
        && public
        && base_ingress.attr("is_publicly_accessible").is_null()
    {
        ingress.set_attr("is_publicly_accessible", Value::Null);
    }
}

/// `planned` with every unknown value taken from `known` (or null).
fn fill_unknowns(planned: &Value, known: &Value) -> Value {
    match planned {
        Value::Unknown(_) => {
            if known.is_unknown() {
                Value::Null
            } else {
                known.clone()
            }
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), fill_unknowns(v, known.attr(k))))
                .collect(),
        ),
        Value::List(items) => {
            let others = known.as_elements().unwrap_or_default();
            Value::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| fill_unknowns(x, others.get(i).unwrap_or(&Value::Null)))
                    .collect(),
            )
        }
        Value::Map(m) => {
            let others = known.as_entries();
            Value::Map(
                m.iter()
                    .map(|(k, v)| {
                        let other = others.and_then(|o| o.get(k)).unwrap_or(&Value::Null);
                        (k.clone(), fill_unknowns(v, other))
                    })
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

// ---------------------------------------------------------------------------
// Terraform → API

fn build_error(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "Incomplete service configuration",
        format!("The configuration could not be turned into an App Runner request: {e}"),
    )
}

fn map_of(value: &Value) -> Option<HashMap<String, String>> {
    let m = value.as_string_map()?;
    (!m.is_empty()).then(|| m.into_iter().collect())
}

fn source_request(value: &Value) -> Result<SourceConfiguration, Diagnostic> {
    let sc = first(value, "source_configuration");
    let mut b = SourceConfiguration::builder()
        .set_auto_deployments_enabled(sc.attr("auto_deployments_enabled").as_bool());
    let auth = first(sc, "authentication_configuration");
    if !auth.is_null() {
        b = b.authentication_configuration(
            AuthenticationConfiguration::builder()
                .set_access_role_arn(string(auth, "access_role_arn"))
                .set_connection_arn(string(auth, "connection_arn"))
                .build(),
        );
    }
    let code = first(sc, "code_repository");
    if !code.is_null() {
        let version = first(code, "source_code_version");
        let mut repo = CodeRepository::builder()
            .set_repository_url(string(code, "repository_url"))
            .set_source_directory(string(code, "source_directory"))
            .source_code_version(
                SourceCodeVersion::builder()
                    .set_type(
                        string(version, "type").map(|t| SourceCodeVersionType::from(t.as_str())),
                    )
                    .set_value(string(version, "value"))
                    .build()
                    .map_err(build_error)?,
            );
        let config = first(code, "code_configuration");
        if !config.is_null() {
            let values = first(config, "code_configuration_values");
            let values = if values.is_null() {
                None
            } else {
                Some(
                    CodeConfigurationValues::builder()
                        .set_runtime(string(values, "runtime").map(|r| Runtime::from(r.as_str())))
                        .set_build_command(string(values, "build_command"))
                        .set_start_command(string(values, "start_command"))
                        .set_port(string(values, "port"))
                        .set_runtime_environment_variables(map_of(
                            values.attr("runtime_environment_variables"),
                        ))
                        .set_runtime_environment_secrets(map_of(
                            values.attr("runtime_environment_secrets"),
                        ))
                        .build()
                        .map_err(build_error)?,
                )
            };
            repo = repo.code_configuration(
                CodeConfiguration::builder()
                    .set_configuration_source(
                        string(config, "configuration_source")
                            .map(|s| ConfigurationSource::from(s.as_str())),
                    )
                    .set_code_configuration_values(values)
                    .build()
                    .map_err(build_error)?,
            );
        }
        b = b.code_repository(repo.build().map_err(build_error)?);
    }
    let image = first(sc, "image_repository");
    if !image.is_null() {
        let config = first(image, "image_configuration");
        let config = (!config.is_null()).then(|| {
            ImageConfiguration::builder()
                .set_port(string(config, "port"))
                .set_start_command(string(config, "start_command"))
                .set_runtime_environment_variables(map_of(
                    config.attr("runtime_environment_variables"),
                ))
                .set_runtime_environment_secrets(map_of(config.attr("runtime_environment_secrets")))
                .build()
        });
        b = b.image_repository(
            ImageRepository::builder()
                .set_image_identifier(string(image, "image_identifier"))
                .set_image_repository_type(
                    string(image, "image_repository_type")
                        .map(|t| ImageRepositoryType::from(t.as_str())),
                )
                .set_image_configuration(config)
                .build()
                .map_err(build_error)?,
        );
    }
    Ok(b.build())
}

fn instance_request(value: &Value) -> Option<InstanceConfiguration> {
    let i = first(value, "instance_configuration");
    (!i.is_null()).then(|| {
        InstanceConfiguration::builder()
            .set_cpu(string(i, "cpu"))
            .set_memory(string(i, "memory"))
            .set_instance_role_arn(string(i, "instance_role_arn"))
            .build()
    })
}

fn health_request(value: &Value) -> Option<HealthCheckConfiguration> {
    let h = first(value, "health_check_configuration");
    let int = |name: &str| h.attr(name).as_i64().and_then(|n| i32::try_from(n).ok());
    (!h.is_null()).then(|| {
        HealthCheckConfiguration::builder()
            .set_protocol(string(h, "protocol").map(|p| HealthCheckProtocol::from(p.as_str())))
            .set_path(string(h, "path"))
            .set_interval(int("interval"))
            .set_timeout(int("timeout"))
            .set_healthy_threshold(int("healthy_threshold"))
            .set_unhealthy_threshold(int("unhealthy_threshold"))
            .build()
    })
}

/// The whole network configuration: absent sub-blocks are sent as their
/// defaults, so removing one restores the default.
fn network_request(value: &Value) -> Option<NetworkConfiguration> {
    let n = first(value, "network_configuration");
    if n.is_null() {
        return None;
    }
    let egress = first(n, "egress_configuration");
    let connector = string(egress, "vpc_connector_arn");
    let egress_type = string(egress, "egress_type").unwrap_or_else(|| {
        if connector.is_some() {
            "VPC"
        } else {
            "DEFAULT"
        }
        .to_string()
    });
    let public = first(n, "ingress_configuration")
        .attr("is_publicly_accessible")
        .as_bool()
        .unwrap_or(true);
    Some(
        NetworkConfiguration::builder()
            .egress_configuration(
                EgressConfiguration::builder()
                    .egress_type(EgressType::from(egress_type.as_str()))
                    .set_vpc_connector_arn(connector)
                    .build(),
            )
            .ingress_configuration(
                IngressConfiguration::builder()
                    .is_publicly_accessible(public)
                    .build(),
            )
            .set_ip_address_type(
                string(n, "ip_address_type").map(|t| IpAddressType::from(t.as_str())),
            )
            .build(),
    )
}

/// Observability is always sent: absent means off.
fn observability_request(value: &Value) -> ServiceObservabilityConfiguration {
    let o = first(value, "observability_configuration");
    let enabled = o.attr("observability_enabled").as_bool() == Some(true);
    ServiceObservabilityConfiguration::builder()
        .observability_enabled(enabled)
        .set_observability_configuration_arn(
            string(o, "observability_configuration_arn").filter(|_| enabled),
        )
        .build()
}

fn encryption_request(value: &Value) -> Result<Option<EncryptionConfiguration>, Diagnostic> {
    let e = first(value, "encryption_configuration");
    if e.is_null() {
        return Ok(None);
    }
    EncryptionConfiguration::builder()
        .set_kms_key(string(e, "kms_key"))
        .build()
        .map(Some)
        .map_err(build_error)
}

/// `source_configuration` as App Runner understands it: sub-blocks equal to
/// their defaults and empty maps are the same as none.
fn effective_source(value: &Value) -> Value {
    let mut sc = value.attr("source_configuration").clone();
    let Some(inner) = sc.as_elements_mut().and_then(|e| e.first_mut()) else {
        return sc;
    };
    let auth = first(inner, "authentication_configuration");
    if auth.attr("access_role_arn").is_null() && auth.attr("connection_arn").is_null() {
        inner.set_attr("authentication_configuration", list(vec![]));
    }
    let normalise_maps = |v: &mut Value| {
        for name in [
            "runtime_environment_variables",
            "runtime_environment_secrets",
        ] {
            if is_empty_map(v.attr(name)) {
                v.set_attr(name, Value::Null);
            }
        }
    };
    if let Some(image) = first_mut(inner, "image_repository") {
        if let Some(config) = first_mut(image, "image_configuration") {
            normalise_maps(config);
            if config.attr("port").is_null() {
                config.set_attr("port", "8080".into());
            }
        }
        let default = object(vec![
            ("port", "8080".into()),
            ("start_command", Value::Null),
            ("runtime_environment_variables", Value::Null),
            ("runtime_environment_secrets", Value::Null),
        ]);
        if image.attr("image_configuration") == &list(vec![default]) {
            image.set_attr("image_configuration", list(vec![]));
        }
    }
    if let Some(values) = first_mut(inner, "code_repository")
        .and_then(|c| first_mut(c, "code_configuration"))
        .and_then(|c| first_mut(c, "code_configuration_values"))
    {
        normalise_maps(values);
    }
    sc
}

/// Whether going from `prior` to `planned` changes what UpdateService
/// carries. Blocks left out of `planned` are left to App Runner, so only
/// configured ones count; observability counts always (absent = off).
fn configuration_changes(prior: &Value, planned: &Value) -> bool {
    let observability = |v: &Value| {
        let o = first(v, "observability_configuration");
        let on = o.attr("observability_enabled").clone();
        if on.as_bool() == Some(true) || on.is_unknown() {
            (on, o.attr("observability_configuration_arn").clone())
        } else {
            (Value::Bool(false), Value::Null)
        }
    };
    effective_source(prior) != effective_source(planned)
        || observability(prior) != observability(planned)
        || LEFT_TO_APP_RUNNER
            .iter()
            .any(|b| has_block(planned, b) && prior.attr(b) != planned.attr(b))
        || (!planned.attr("auto_scaling_configuration_arn").is_null()
            && prior.attr("auto_scaling_configuration_arn")
                != planned.attr("auto_scaling_configuration_arn"))
}

// ---------------------------------------------------------------------------
// Operations

/// A point in time every step of one Terraform operation must finish by.
pub(crate) struct Deadline {
    at: Instant,
    total: Duration,
}

impl Deadline {
    pub(crate) fn after(total: Duration) -> Self {
        Deadline {
            at: crate::provider::calls::deadline_after(total),
            total,
        }
    }

    pub(crate) fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }
}

/// Waits for operation `id` of `service_arn` (or, with no id, the newest
/// operation of `op_type`) to end. Only SUCCEEDED is success; FAILED and
/// the rollback outcomes are errors naming the operation and its status.
pub(crate) async fn follow_operation(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    service_arn: &str,
    id: Option<&str>,
    op_type: &str,
    what: &str,
    deadline: &Deadline,
) -> Result<(), Diagnostic> {
    let client = provider.client_for_arn(service_arn);
    let total = deadline.total;
    let waiting = Waiting::on(what, service_arn).operation(id);
    let result = wait_for(ctx.cancellation(), deadline.remaining(), waiting, || {
        let client = client.clone();
        async move {
            let mut token = None;
            loop {
                let page = match client
                    .list_operations()
                    .service_arn(service_arn)
                    .set_next_token(token)
                    .send()
                    .await
                {
                    Ok(p) => p,
                    // A deleted service may take its operations with it.
                    Err(e) if is_not_found(&e) && op_type == "DELETE_SERVICE" => {
                        return Poll::Ready(());
                    }
                    Err(e) => return Poll::Failed(api_error("ListOperations", service_arn, e)),
                };
                let found = page.operation_summary_list().iter().find(|o| match id {
                    Some(id) => o.id() == Some(id),
                    None => o.r#type().is_some_and(|t| t.as_str() == op_type),
                });
                if let Some(op) = found {
                    let op_id = op.id().unwrap_or("?");
                    let status = op
                        .status()
                        .map(|s| s.as_str().to_ascii_uppercase())
                        .unwrap_or_default();
                    return match status.as_str() {
                        "SUCCEEDED" => Poll::Ready(()),
                        "FAILED" | "ROLLBACK_SUCCEEDED" | "ROLLBACK_FAILED" => Poll::Failed(
                            operation_failed(what, service_arn, op_id, op_type, &status),
                        ),
                        _ => Poll::Pending(format!("operation {op_id} {status}")),
                    };
                }
                match page.next_token() {
                    Some(t) if !t.is_empty() => token = Some(t.to_string()),
                    _ => {
                        return Poll::Pending(match id {
                            Some(id) => format!("operation {id} not listed yet"),
                            None => format!("no {op_type} operation listed yet"),
                        });
                    }
                }
            }
        }
    })
    .await;
    result.map_err(|e| match e {
        WaitError::TimedOut { last_status } => Diagnostic::error(
            format!("Timed out waiting for App Runner to {what}"),
            format!(
                "{service_arn}: {last_status} after {}. Raise the matching setting of the resource's `timeouts` block \
                 if this legitimately takes longer.",
                humanize(total)
            ),
        ),
        other => other.into_diagnostic(&format!("App Runner to {what}"), total),
    })
}

fn operation_failed(what: &str, arn: &str, id: &str, op_type: &str, status: &str) -> Diagnostic {
    let outcome = match status {
        "ROLLBACK_SUCCEEDED" => {
            "App Runner rolled the service back: it runs its previous configuration, and the change was not applied."
        }
        "ROLLBACK_FAILED" => {
            "App Runner could not roll the service back either; check it in the console."
        }
        _ => "The change was not applied.",
    };
    Diagnostic::error(
        format!("App Runner could not {what}: operation ended {status}"),
        format!("Operation {id} ({op_type}) on {arn} ended with status {status}. {outcome}"),
    )
}

/// DescribeService; `None` when the service no longer exists (or is DELETED).
pub(crate) async fn describe(
    provider: &AppRunner,
    arn: &str,
) -> Result<Option<ApiService>, Diagnostic> {
    match provider
        .client_for_arn(arn)
        .describe_service()
        .service_arn(arn)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .service()
            .filter(|s| !s.status().as_str().eq_ignore_ascii_case("DELETED"))
            .cloned()),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(api_error("DescribeService", arn, e)),
    }
}

/// The service's host name: its URL, or for a private service (no URL)
/// the DNS target DescribeCustomDomains reports, as the AWS provider does.
pub(crate) async fn service_url(provider: &AppRunner, svc: &ApiService) -> Option<String> {
    if let Some(url) = svc.service_url().filter(|u| !u.is_empty()) {
        return Some(url.to_string());
    }
    provider
        .client_for_arn(svc.service_arn())
        .describe_custom_domains()
        .service_arn(svc.service_arn())
        .send()
        .await
        .ok()
        .map(|out| out.dns_target().to_string())
        .filter(|t| !t.is_empty())
}

/// Finds a live (not DELETED) service by name, following every page:
/// ListServices may return short or empty pages that still carry a token.
pub(crate) async fn find_by_name(
    provider: &AppRunner,
    region: &str,
    name: &str,
) -> Result<Option<aws_sdk_apprunner::types::ServiceSummary>, Diagnostic> {
    let client = provider.client_in(region);
    let mut token = None;
    loop {
        let page = client
            .list_services()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| api_error("ListServices", name, e))?;
        if let Some(s) = page.service_summary_list().iter().find(|s| {
            s.service_name() == Some(name)
                && !s
                    .status()
                    .is_some_and(|st| st.as_str().eq_ignore_ascii_case("DELETED"))
        }) {
            return Ok(Some(s.clone()));
        }
        match page.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(None),
        }
    }
}

/// How a create request ended.
struct Created {
    arn: String,
    /// `None` when the service was found by name after a lost response.
    operation_id: Option<String>,
}

/// Sends CreateService through [`calls::create_or_adopt`]: a service
/// made by a request whose answer was lost is adopted instead of failing
/// on "already exists" or duplicating it. The name is looked up first, so
/// that only a service that did not exist before is ever adopted.
async fn create_service(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    region: &str,
    planned: &Value,
    deadline: &Deadline,
) -> Result<Created, calls::CreateFailed<Created>> {
    let name = string(planned, "service_name").unwrap_or_default();
    let source = source_request(planned).map_err(|d| calls::CreateFailed {
        made: None,
        diagnostic: d,
    })?;
    let encryption = encryption_request(planned).map_err(|d| calls::CreateFailed {
        made: None,
        diagnostic: d,
    })?;
    let request = provider
        .client_in(region)
        .create_service()
        .service_name(&name)
        .source_configuration(source)
        .set_instance_configuration(instance_request(planned))
        .set_health_check_configuration(health_request(planned))
        .set_network_configuration(network_request(planned))
        .set_encryption_configuration(encryption)
        .set_auto_scaling_configuration_arn(string(planned, "auto_scaling_configuration_arn"))
        .set_tags(tags::to_api(planned.attr("tags_all")));
    let request = if has_block(planned, "observability_configuration") {
        request.observability_configuration(observability_request(planned))
    } else {
        request
    };
    // A service of this name that exists already is someone else's: never
    // adopted (the create then fails with App Runner's "already exists").
    let existing = find_by_name(provider, region, &name)
        .await
        .map_err(|d| calls::CreateFailed {
            made: None,
            diagnostic: d,
        })?
        .and_then(|s| s.service_arn().map(str::to_string));
    calls::create_or_adopt(
        ctx,
        "CreateService",
        &name,
        deadline.remaining(),
        || {
            let request = request.clone();
            async move {
                request
                    .customize()
                    .config_override(calls::one_attempt())
                    .send()
                    .await
                    .map(|out| Created {
                        arn: out
                            .service()
                            .map(|s| s.service_arn().to_string())
                            .unwrap_or_default(),
                        operation_id: Some(out.operation_id().to_string()),
                    })
            }
        },
        || async {
            Ok(find_by_name(provider, region, &name)
                .await?
                .and_then(|s| s.service_arn().map(str::to_string))
                .filter(|arn| existing.as_deref() != Some(arn.as_str()))
                .map(|arn| Created {
                    arn,
                    operation_id: None,
                }))
        },
    )
    .await
}

/// Waits while the service is busy with an operation (App Runner refuses
/// most calls then). `None` when the service no longer exists.
pub(crate) async fn wait_until_settled(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    arn: &str,
    why: &str,
    deadline: &Deadline,
) -> Result<Option<ApiService>, Diagnostic> {
    let waiting = Waiting::on("the service to finish its current operation", arn);
    wait_for(ctx.cancellation(), deadline.remaining(), waiting, || async move {
        match describe(provider, arn).await {
            Ok(None) => Poll::Ready(None),
            Ok(Some(s)) if s.status().as_str() == "OPERATION_IN_PROGRESS" => {
                tracing::info!(
                    service = arn,
                    "service is OPERATION_IN_PROGRESS (App Runner maintenance or another operation); waiting {why}"
                );
                Poll::Pending("OPERATION_IN_PROGRESS".to_string())
            }
            Ok(Some(s)) => Poll::Ready(Some(s)),
            Err(d) => Poll::Failed(d),
        }
    })
    .await
    .map_err(|e| {
        e.into_diagnostic(
            &format!("{arn} to finish its current operation {why}"),
            deadline.total,
        )
    })
}

/// Sends a change to service `arn` with `send`. When App Runner refuses it
/// because the service is `OPERATION_IN_PROGRESS` (typically App Runner's
/// own maintenance, which starts without notice and lasts minutes), waits
/// for the service to settle, within `deadline`, and sends it again. Ends
/// with App Runner's last answer.
pub(crate) async fn send_when_settled<T, E, F, Fut>(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    arn: &str,
    operation: &str,
    deadline: &Deadline,
    mut send: F,
) -> Result<T, SdkError<E, HttpResponse>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata,
{
    loop {
        let err = match send().await {
            Ok(out) => return Ok(out),
            Err(e) => e,
        };
        if err.as_service_error().and_then(|e| e.code()) != Some("InvalidStateException")
            || deadline.remaining().is_zero()
        {
            return Err(err);
        }
        let busy = matches!(
            describe(provider, arn).await,
            Ok(Some(s)) if s.status().as_str() == "OPERATION_IN_PROGRESS"
        );
        if !busy {
            return Err(err);
        }
        tracing::warn!(
            service = arn,
            operation,
            "App Runner refused the call: the service is OPERATION_IN_PROGRESS (App Runner maintenance or another \
             operation); waiting for maintenance to end within the resource's timeout"
        );
        if wait_until_settled(ctx, provider, arn, &format!("before {operation}"), deadline)
            .await
            .is_err()
        {
            return Err(err);
        }
    }
}

/// Pauses or resumes and follows the operation.
async fn set_paused(
    ctx: &Ctx<AppRunner>,
    provider: &AppRunner,
    arn: &str,
    pause: bool,
    deadline: &Deadline,
) -> Result<(), Diagnostic> {
    let client = provider.client_for_arn(arn);
    let (op_id, op_type, what) = if pause {
        let request = client.pause_service().service_arn(arn);
        let out = send_when_settled(ctx, provider, arn, "PauseService", deadline, || {
            request.clone().send()
        })
        .await
        .map_err(|e| api_error("PauseService", arn, e))?;
        (
            out.operation_id().map(str::to_string),
            "PAUSE_SERVICE",
            "pause the service",
        )
    } else {
        let request = client.resume_service().service_arn(arn);
        let out = send_when_settled(ctx, provider, arn, "ResumeService", deadline, || {
            request.clone().send()
        })
        .await
        .map_err(|e| api_error("ResumeService", arn, e))?;
        (
            out.operation_id().map(str::to_string),
            "RESUME_SERVICE",
            "resume the service",
        )
    };
    follow_operation(
        ctx,
        provider,
        arn,
        op_id.as_deref(),
        op_type,
        what,
        deadline,
    )
    .await
}

/// The service as App Runner has it now, as a state refreshed from `base`
/// (tags included). `None` when it cannot be described.
async fn refreshed(provider: &AppRunner, base: &Value, arn: &str) -> Option<Value> {
    let svc = describe(provider, arn).await.ok()??;
    let url = service_url(provider, &svc).await;
    let mut state = reconcile(base, &remote_state(&svc, url));
    state.set_attr("timeouts", base.attr("timeouts").clone());
    if !matches!(svc.status().as_str(), "PAUSED" | "RUNNING") {
        state.set_attr("paused", base.attr("paused").clone());
    }
    if let Ok(remote) = tags::read(provider, arn).await {
        tags::set_in_state(provider, &mut state, base, remote);
    } else {
        state.set_attr("tags", base.attr("tags").clone());
        state.set_attr("tags_all", base.attr("tags_all").clone());
    }
    Some(state)
}

// ---------------------------------------------------------------------------
// The resource

#[async_trait]
impl Resource<AppRunner> for Service {
    fn type_name(&self) -> &'static str {
        "apprunner_service"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::arn("ARN of the service."))
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate(config, diags);
    }

    async fn plan(&self, ctx: &PlanCtx<AppRunner>, plan: &mut Plan) {
        redact_environment(&plan.config);
        redact_environment(&plan.prior);
        region::plan(ctx, plan);
        tags::plan_tags_all(ctx, plan);
        infer_egress_type(&plan.config, &mut plan.planned);
        default_auto_deployments(&plan.config, &mut plan.planned);
        let code = [
            "source_configuration",
            "code_repository",
            "code_configuration",
        ];
        let values = first(path(&plan.config, &code), "code_configuration_values");
        if let Some(runtime) = values.attr("runtime").as_str()
            && let Some(w) = end_of_support_warning(runtime, time::OffsetDateTime::now_utc().date())
        {
            let mut blocks = code.to_vec();
            blocks.push("code_configuration_values");
            plan.diagnostics.push(w.at(at(&blocks, "runtime")));
        }
        if plan.is_create() {
            return;
        }
        // The rules above may plan a change the schema's rules did not see;
        // `timeouts` alone (say, after an import) changes nothing remotely.
        let mut compared = plan.planned.clone();
        compared.set_attr("timeouts", plan.prior.attr("timeouts").clone());
        compared.set_attr("status", plan.prior.attr("status").clone());
        if compared == plan.prior {
            plan.planned
                .set_attr("status", plan.prior.attr("status").clone());
        } else if plan.planned.attr("status") == plan.prior.attr("status") {
            plan.planned.set_attr("status", Value::unknown());
        }
        // App Runner cannot switch a service between code and image sources.
        let before = first(&plan.prior, "source_configuration");
        let after = first(&plan.planned, "source_configuration");
        let known = ["code_repository", "image_repository"]
            .iter()
            .all(|k| after.attr(k).as_elements().is_some());
        if known && has_block(before, "code_repository") != has_block(after, "code_repository") {
            let kind = if has_block(after, "code_repository") {
                "code_repository"
            } else {
                "image_repository"
            };
            plan.require_replace(block_path(&["source_configuration", kind]));
        }
        let status = plan.prior.attr("status").as_str().unwrap_or_default();
        if status == "CREATE_FAILED"
            && !plan.is_replace()
            && !configuration_changes(&plan.prior, &plan.planned)
        {
            plan.diagnostics.warning(
                "App Runner service is CREATE_FAILED",
                format!(
                    "{} failed to create and serves nothing. App Runner rebuilds a failed service when its configuration \
                     changes: change the configuration (the update rebuilds it), or replace it with \
                     `terraform apply -replace=<address>`.",
                    plan.prior.attr("arn").as_str().unwrap_or("The service")
                ),
            );
        }
    }

    fn list_schema(&self) -> Option<Schema> {
        Some(Schema::new(
            Block::new()
                .description("Lists the services of a region (deleted ones left out).")
                .attribute(listing::name_prefix_attribute("services"))
                .attribute(
                    Attribute::string("status")
                        .optional()
                        .validate(v::one_of(LISTED_STATUSES))
                        .description("Only services with this status: `RUNNING`, `PAUSED`, `OPERATION_IN_PROGRESS`, `CREATE_FAILED` or `DELETE_FAILED`."),
                )
                .attribute(listing::region_attribute()),
        ))
    }

    async fn list(
        &self,
        ctx: &Ctx<AppRunner>,
        config: &Value,
        limit: usize,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let provider = ctx.provider();
        let in_region = listing::region(provider, config);
        let status = config.attr("status").as_str();
        let client = provider.client_in(in_region);
        let arns = listing::pages(limit, |token| {
            let client = client.clone();
            async move {
                let page = client
                    .list_services()
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|e| Diagnostics::from(api_error("ListServices", in_region, e)))?;
                let arns = page
                    .service_summary_list()
                    .iter()
                    .filter(|s| {
                        let st = s.status().map(|st| st.as_str()).unwrap_or_default();
                        st != "DELETED" && status.is_none_or(|want| want == st)
                    })
                    .filter(|s| listing::has_prefix(config, s.service_name().unwrap_or_default()))
                    .filter_map(|s| s.service_arn().map(str::to_string))
                    .collect();
                Ok((arns, page.next_token().map(str::to_string)))
            }
        })
        .await?;
        listing::imported(self, ctx, arns, |s| {
            s.attr("service_name")
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .await
    }

    /// Every block an import puts in state is written (leaving one out
    /// would plan its removal): those holding only App Runner's defaults
    /// are not in state, so they are not written either. Default values are
    /// left out. Of the values the
    /// plan would otherwise infer, those it would infer differently are
    /// written too, and so is a custom auto scaling configuration.
    fn generate_config(&self, ctx: &PlanCtx<AppRunner>, state: &Value, schema: &Schema) -> Value {
        let mut config = listing::generate_config(ctx, state, schema);
        let asc = state.attr("auto_scaling_configuration_arn");
        if asc
            .as_str()
            .is_some_and(|a| !a.contains(":autoscalingconfiguration/DefaultConfiguration/"))
        {
            config.set_attr("auto_scaling_configuration_arn", asc.clone());
        }
        let source = first(state, "source_configuration");
        let mut inferred = config.clone();
        default_auto_deployments(&config, &mut inferred);
        let deploys = source.attr("auto_deployments_enabled");
        let source_dir = path(source, &["code_repository"]).attr("source_directory");
        if let Some(sc) = first_mut(&mut config, "source_configuration") {
            if first(&inferred, "source_configuration").attr("auto_deployments_enabled") != deploys
            {
                sc.set_attr("auto_deployments_enabled", deploys.clone());
            }
            if let Some(code) = first_mut(sc, "code_repository") {
                code.set_attr("source_directory", source_dir.clone());
            }
        }
        let egress = path(state, &["network_configuration", "egress_configuration"]);
        let mut inferred = config.clone();
        infer_egress_type(&config, &mut inferred);
        let inferred_type = path(
            &inferred,
            &["network_configuration", "egress_configuration"],
        )
        .attr("egress_type")
        .clone();
        if let Some(e) = first_mut(&mut config, "network_configuration")
            .and_then(|n| first_mut(n, "egress_configuration"))
            && inferred_type != *egress.attr("egress_type")
        {
            e.set_attr("egress_type", egress.attr("egress_type").clone());
        }
        config
    }

    async fn create(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let planned = &req.planned;
        redact_environment(planned);
        let deadline = Deadline::after(timeouts::get(planned, "create", DEFAULT_TIMEOUT));
        let region = region::of(provider, planned).to_string();
        // A connection still waiting for its handshake: say what to do now.
        if let Err(d) = connections::ensure_source_connection_available(provider, planned).await {
            return Applied::failed(d);
        }
        let created = match create_service(ctx, provider, &region, planned, &deadline).await {
            Ok(c) => c,
            // Interrupted while App Runner made it: keep it, tainted.
            Err(calls::CreateFailed {
                made: Some(c),
                diagnostic,
            }) => {
                let state = fill_unknowns(
                    planned,
                    &object(vec![
                        ("arn", c.arn.as_str().into()),
                        ("id", c.arn.as_str().into()),
                    ]),
                );
                return Applied::partial(state, diagnostic);
            }
            Err(failed) => return Applied::failed(failed.diagnostic),
        };
        let arn = created.arn;
        let mut result = follow_operation(
            ctx,
            provider,
            &arn,
            created.operation_id.as_deref(),
            "CREATE_SERVICE",
            "create the service",
            &deadline,
        )
        .await;
        if result.is_ok() && planned.attr("paused").as_bool() == Some(true) {
            result = set_paused(ctx, provider, &arn, true, &deadline).await;
        }
        // Whatever happened, the service exists: state gets its ARN.
        let known = refreshed(provider, planned, &arn).await.unwrap_or_else(|| {
            object(vec![
                ("arn", arn.as_str().into()),
                ("id", arn.as_str().into()),
            ])
        });
        let state = fill_unknowns(planned, &known);
        match result {
            Ok(()) => Applied::ok(state),
            Err(d) => {
                let mut diags = Diagnostics::from(d);
                diags.push(Diagnostic::warning(
                    "Service kept in state as tainted",
                    format!(
                        "{arn} exists in App Runner, so it stays in state, marked tainted: the next apply replaces it \
                         (or `terraform untaint` it and change its configuration to rebuild it in place)."
                    ),
                ));
                Applied::partial(state, diags)
            }
        }
    }

    async fn read(&self, ctx: &Ctx<AppRunner>, req: ReadRequest) -> Read {
        let provider = ctx.provider();
        let prior = &req.state;
        redact_environment(prior);
        let arn = prior
            .attr("arn")
            .as_str()
            .or(prior.attr("id").as_str())
            .unwrap_or_default()
            .to_string();
        let svc = match describe(provider, &arn).await {
            Ok(Some(s)) => s,
            Ok(None) => return Read::gone(),
            Err(d) => return Read::failed(d),
        };
        // An import starts from the ARN alone: App Runner's defaults stay
        // out, everything else is filled in.
        let import = prior.attr("service_name").is_null();
        let url = service_url(provider, &svc).await;
        let remote = remote_state(&svc, url);
        let base = if import {
            import_base(&remote)
        } else {
            prior.clone()
        };
        let mut state = reconcile(&base, &remote);
        state.set_attr("timeouts", prior.attr("timeouts").clone());
        if !matches!(svc.status().as_str(), "PAUSED" | "RUNNING") && !import {
            state.set_attr("paused", prior.attr("paused").clone());
        }
        match tags::read(provider, &arn).await {
            Ok(remote) => tags::set_in_state(provider, &mut state, prior, remote),
            Err(d) => return Read::failed(d),
        }
        Read::found(state)
    }

    async fn update(&self, ctx: &Ctx<AppRunner>, req: ApplyRequest) -> Applied {
        let provider = ctx.provider();
        let (prior, planned) = (&req.prior, &req.planned);
        redact_environment(prior);
        redact_environment(planned);
        let arn = prior.attr("arn").as_str().unwrap_or_default().to_string();
        let deadline = Deadline::after(timeouts::get(planned, "update", DEFAULT_TIMEOUT));
        if let Err(d) = tags::update(
            provider,
            &arn,
            prior.attr("tags_all"),
            planned.attr("tags_all"),
        )
        .await
        {
            return Applied::partial(prior.clone(), d);
        }
        let was_paused = prior.attr("paused").as_bool() == Some(true);
        let pause = planned.attr("paused").as_bool() == Some(true);
        // App Runner refuses changes while an operation (say an automatic
        // deployment) is in progress: wait for it, within the timeout.
        if (was_paused != pause || configuration_changes(prior, planned))
            && let Err(d) =
                wait_until_settled(ctx, provider, &arn, "before updating it", &deadline).await
        {
            return failed_update(provider, prior, &arn, d).await;
        }
        if was_paused
            && !pause
            && let Err(d) = set_paused(ctx, provider, &arn, false, &deadline).await
        {
            return failed_update(provider, prior, &arn, d).await;
        }
        if configuration_changes(prior, planned) {
            if let Err(d) = connections::ensure_source_connection_available(provider, planned).await
            {
                return failed_update(provider, prior, &arn, d).await;
            }
            let source = match source_request(planned) {
                Ok(s) => s,
                Err(d) => return Applied::failed(d),
            };
            let request = provider
                .client_for_arn(&arn)
                .update_service()
                .service_arn(&arn)
                .source_configuration(source)
                .set_instance_configuration(instance_request(planned))
                .set_health_check_configuration(health_request(planned))
                .set_network_configuration(network_request(planned))
                .observability_configuration(observability_request(planned))
                .set_auto_scaling_configuration_arn(string(
                    planned,
                    "auto_scaling_configuration_arn",
                ));
            let sent = send_when_settled(ctx, provider, &arn, "UpdateService", &deadline, || {
                request.clone().send()
            })
            .await;
            let op = match sent {
                Ok(out) => out.operation_id().to_string(),
                Err(e) => {
                    return failed_update(
                        provider,
                        prior,
                        &arn,
                        api_error("UpdateService", &arn, e),
                    )
                    .await;
                }
            };
            if let Err(d) = follow_operation(
                ctx,
                provider,
                &arn,
                Some(&op),
                "UPDATE_SERVICE",
                "update the service",
                &deadline,
            )
            .await
            {
                return failed_update(provider, prior, &arn, d).await;
            }
            // A superseded auto scaling revision the service just left can go.
            if let Some(left) = prior.attr("auto_scaling_configuration_arn").as_str()
                && Some(left) != planned.attr("auto_scaling_configuration_arn").as_str()
            {
                superseded::release(provider, left).await;
            }
        }
        if pause
            && !was_paused
            && let Err(d) = set_paused(ctx, provider, &arn, true, &deadline).await
        {
            return failed_update(provider, prior, &arn, d).await;
        }
        match refreshed(provider, planned, &arn).await {
            Some(known) => Applied::ok(fill_unknowns(planned, &known)),
            None => Applied::partial(
                fill_unknowns(planned, prior),
                Diagnostic::error(
                    "App Runner service could not be read after its update",
                    format!(
                        "{arn} was updated, but DescribeService failed or found no service afterwards."
                    ),
                ),
            ),
        }
    }

    async fn delete(&self, ctx: &Ctx<AppRunner>, state: &Value, _private: &[u8]) -> Diagnostics {
        let provider = ctx.provider();
        redact_environment(state);
        let arn = state.attr("arn").as_str().unwrap_or_default().to_string();
        let timeout = timeouts::get(state, "delete", DEFAULT_TIMEOUT);
        let deadline = Deadline::after(timeout);
        // A service busy with an earlier operation cannot be deleted yet.
        match wait_until_settled(ctx, provider, &arn, "before deleting it", &deadline).await {
            Ok(None) => return Diagnostics::new(),
            Ok(Some(_)) => {}
            Err(d) => return d.into(),
        }
        let request = provider
            .client_for_arn(&arn)
            .delete_service()
            .service_arn(&arn);
        let op = match send_when_settled(ctx, provider, &arn, "DeleteService", &deadline, || {
            request.clone().send()
        })
        .await
        {
            Ok(out) => out.operation_id().to_string(),
            Err(e) if is_not_found(&e) => return Diagnostics::new(),
            Err(e) => return api_error("DeleteService", &arn, e).into(),
        };
        match follow_operation(
            ctx,
            provider,
            &arn,
            Some(&op),
            "DELETE_SERVICE",
            "delete the service",
            &deadline,
        )
        .await
        {
            Ok(()) => {
                if let Some(asc) = state.attr("auto_scaling_configuration_arn").as_str() {
                    superseded::release(provider, asc).await;
                }
                Diagnostics::new()
            }
            Err(d) => d.into(),
        }
    }

    /// From `aws_apprunner_service`: the same shapes, but the AWS provider
    /// (SDKv2) stores unset strings as `""` and unset maps as `{}`, which
    /// would read as changes; they become null. `paused` follows `status`.
    /// As on import, blocks holding only App Runner's defaults (which the
    /// AWS provider keeps in state) are left out.
    fn move_state(
        &self,
        source: &MoveSource,
        schema: &Schema,
    ) -> Option<Result<Value, Diagnostics>> {
        migrate::from_aws(self.type_name(), source, schema).map(|r| {
            r.map(|mut state| {
                for (name, value) in state.as_entries_mut().into_iter().flatten() {
                    if !matches!(name.as_str(), "tags" | "tags_all") {
                        null_zero_values(value);
                    }
                }
                if state.attr("paused").is_null() {
                    let paused = state.attr("status").as_str() == Some("PAUSED");
                    state.set_attr("paused", paused.into());
                }
                import_base(&state)
            })
        })
    }

    async fn import(&self, _ctx: &Ctx<AppRunner>, id: &str) -> Result<Value, Diagnostics> {
        // `ARN@REGION` (the AWS provider's cross-region import form) is accepted.
        let arn = crate::provider::arns::import_id(
            id,
            "service",
            "the ARN of an App Runner service (arn:aws:apprunner:REGION:ACCOUNT:service/NAME/ID)",
        )?;
        Ok(object(vec![
            ("arn", arn.into()),
            ("id", arn.into()),
            ("region", region::from_arn(arn).into()),
        ]))
    }
}

/// Turns SDKv2's zero values (`""`, `{}`) into null, inside blocks too.
fn null_zero_values(value: &mut Value) {
    match value {
        Value::String(s) if s.is_empty() => *value = Value::Null,
        Value::Map(m) if m.is_empty() => *value = Value::Null,
        Value::List(items) => items.iter_mut().for_each(null_zero_values),
        Value::Object(m) => m.values_mut().for_each(null_zero_values),
        _ => {}
    }
}

/// Plans an unset `egress_type` from `vpc_connector_arn`, as App Runner decides it.
fn infer_egress_type(config: &Value, planned: &mut Value) {
    let configured = path(config, &["network_configuration", "egress_configuration"]);
    if !configured.attr("egress_type").is_null() {
        return;
    }
    let Some(egress) = first_mut(planned, "network_configuration")
        .and_then(|n| first_mut(n, "egress_configuration"))
    else {
        return;
    };
    let connector = configured.attr("vpc_connector_arn");
    if connector.is_unknown() {
        egress.set_attr("egress_type", Value::unknown());
    } else {
        egress.set_attr(
            "egress_type",
            if connector.is_null() {
                "DEFAULT"
            } else {
                "VPC"
            }
            .into(),
        );
    }
}

/// An unset `auto_deployments_enabled` is true, as in the AWS provider,
/// except for ECR Public images, for which App Runner refuses it.
fn default_auto_deployments(config: &Value, planned: &mut Value) {
    let configured = first(config, "source_configuration");
    if !configured.attr("auto_deployments_enabled").is_null() {
        return;
    }
    let kind = path(configured, &["image_repository"]).attr("image_repository_type");
    let default = match kind.as_str() {
        Some("ECR_PUBLIC") => Value::Bool(false),
        _ if kind.is_unknown() => Value::unknown(),
        _ => Value::Bool(true),
    };
    if let Some(sc) = first_mut(planned, "source_configuration") {
        sc.set_attr("auto_deployments_enabled", default);
    }
}

/// A failed update: the state App Runner now has (it may have rolled
/// back), and the error.
async fn failed_update(provider: &AppRunner, prior: &Value, arn: &str, d: Diagnostic) -> Applied {
    let state = refreshed(provider, prior, arn)
        .await
        .unwrap_or_else(|| prior.clone());
    Applied::partial(state, d)
}

// ---------------------------------------------------------------------------
// Rules across attributes

fn known_str<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value.attr(name).as_str()
}

fn validate(config: &Value, diags: &mut Diagnostics) {
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
fn check_env(config: &Value, blocks: &[&str], diags: &mut Diagnostics) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_of_support_is_due_from_its_date_with_the_successor() {
        let day = |d| {
            time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
        };
        assert!(end_of_support_warning("PYTHON_3", day("2025-11-30")).is_none());
        let w = end_of_support_warning("PYTHON_3", day("2025-12-01")).unwrap();
        assert!(
            w.detail.contains("2025-12-01") && w.detail.contains("PYTHON_311"),
            "{}",
            w.detail
        );
        assert!(end_of_support_warning("PYTHON_311", day("2030-01-01")).is_none());
        assert!(end_of_support_warning("PHP_81", day("2025-12-30")).is_none());
        for (runtime, _, successor) in END_OF_SUPPORT {
            assert!(RUNTIMES.contains(runtime), "{runtime}");
            if let Some(s) = successor {
                assert!(RUNTIMES.contains(s), "{s}");
                assert!(!END_OF_SUPPORT.iter().any(|(r, _, _)| r == s), "{s}");
            }
        }
    }

    #[test]
    fn cpu_and_memory_units_normalise() {
        assert_eq!(cpu_units("1 vCPU"), Some(1024));
        assert_eq!(cpu_units("0.25 vCPU"), Some(256));
        assert_eq!(cpu_units("4096"), Some(4096));
        assert_eq!(memory_mb("0.5 GB"), Some(512));
        assert_eq!(memory_mb("12 GB"), Some(12288));
        assert!(same_cpu(&"2 vCPU".into(), &"2048".into()));
        assert!(!same_memory(&"3 GB".into(), &"2048".into()));
    }

    #[test]
    fn model_patterns_compile_and_match() {
        let image = v::string_matches(IMAGE_IDENTIFIER, "image");
        assert!(
            image
                .check(&"public.ecr.aws/aws-containers/hello-app-runner:latest".into())
                .is_ok()
        );
        assert!(
            image
                .check(&"123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc".into())
                .is_ok()
        );
        assert!(image.check(&"docker.io/library/nginx".into()).is_err());
        let name = v::string_matches(SERVICE_NAME, "name");
        assert!(name.check(&"my_service-1".into()).is_ok());
        assert!(name.check(&"-abc".into()).is_err());
        assert!(
            role_arn()
                .check(&"arn:aws:iam::123456789012:role/app-runner".into())
                .is_ok()
        );
        assert!(
            role_arn()
                .check(&"arn:aws:iam::123456789012:user/x".into())
                .is_err()
        );
        let conn = arns::validator("connection");
        assert!(
            conn.check(&"arn:aws:apprunner:us-east-1:123456789012:connection/gh/abc".into())
                .is_ok()
        );
        assert!(
            conn.check(&"arn:aws:apprunner:us-east-1:123456789012:service/gh/abc".into())
                .is_err()
        );
    }

    #[test]
    fn generated_configuration_writes_what_the_plan_would_infer_otherwise() {
        let ctx = PlanCtx::new(None, Default::default());
        let code = object(vec![
            ("service_name", "worker".into()),
            (
                "auto_scaling_configuration_arn",
                "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/web/2/abc"
                    .into(),
            ),
            (
                "source_configuration",
                list(vec![object(vec![
                    ("auto_deployments_enabled", false.into()),
                    (
                        "code_repository",
                        list(vec![object(vec![
                            ("repository_url", "https://github.com/example/w".into()),
                            ("source_directory", "/jobs".into()),
                        ])]),
                    ),
                    ("image_repository", list(vec![])),
                ])]),
            ),
            (
                "network_configuration",
                list(vec![object(vec![(
                    "egress_configuration",
                    list(vec![object(vec![
                        ("egress_type", "VPC".into()),
                        (
                            "vpc_connector_arn",
                            "arn:aws:apprunner:us-east-1:123456789012:vpcconnector/c/1/abc".into(),
                        ),
                    ])]),
                )])]),
            ),
        ]);
        let config = Service.generate_config(&ctx, &code, &schema());
        assert_eq!(
            config.attr("auto_scaling_configuration_arn"),
            code.attr("auto_scaling_configuration_arn")
        );
        let sc = first(&config, "source_configuration");
        assert_eq!(sc.attr("auto_deployments_enabled"), &Value::Bool(false));
        assert_eq!(
            first(sc, "code_repository").attr("source_directory"),
            &Value::from("/jobs")
        );
        // Inferred from the connector: not written.
        assert_eq!(
            path(&config, &["network_configuration", "egress_configuration"]).attr("egress_type"),
            &Value::Null
        );

        let public = object(vec![
            ("service_name", "web".into()),
            (
                "auto_scaling_configuration_arn",
                "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/DefaultConfiguration/1/0001".into(),
            ),
            (
                "source_configuration",
                list(vec![object(vec![
                    ("auto_deployments_enabled", false.into()),
                    ("code_repository", list(vec![])),
                    (
                        "image_repository",
                        list(vec![object(vec![(
                            "image_repository_type",
                            "ECR_PUBLIC".into(),
                        )])]),
                    ),
                ])]),
            ),
        ]);
        let config = Service.generate_config(&ctx, &public, &schema());
        assert_eq!(config.attr("auto_scaling_configuration_arn"), &Value::Null);
        assert_eq!(
            first(&config, "source_configuration").attr("auto_deployments_enabled"),
            &Value::Null
        );
    }

    fn with_block(name: &str, v: Value) -> Value {
        object(vec![(name, list(vec![v]))])
    }

    #[test]
    fn blocks_left_out_stay_out_unless_imported() {
        let remote = object(vec![
            (
                "instance_configuration",
                list(vec![object(vec![
                    ("cpu", "1024".into()),
                    ("memory", "2048".into()),
                ])]),
            ),
            (
                "observability_configuration",
                list(vec![object(vec![("observability_enabled", false.into())])]),
            ),
        ]);
        let base = object(vec![("instance_configuration", list(vec![]))]);
        let out = reconcile(&base, &remote);
        assert_eq!(out.attr("instance_configuration"), &list(vec![]));
        assert_eq!(out.attr("observability_configuration"), &list(vec![]));
        // An import leaves out blocks of defaults only, and keeps the others.
        let imported = reconcile(&import_base(&remote), &remote);
        assert_eq!(imported.attr("instance_configuration"), &list(vec![]));
        assert_eq!(imported.attr("observability_configuration"), &list(vec![]));
        let bigger = with_block(
            "instance_configuration",
            object(vec![("cpu", "2048".into()), ("memory", "4096".into())]),
        );
        let imported = reconcile(&import_base(&bigger), &bigger);
        assert_eq!(
            imported.attr("instance_configuration"),
            bigger.attr("instance_configuration")
        );
    }

    #[test]
    fn import_leaves_out_blocks_that_hold_only_defaults() {
        let remote = object(vec![
            (
                "health_check_configuration",
                list(vec![object(vec![
                    ("healthy_threshold", 1.into()),
                    ("interval", 5.into()),
                    ("path", "/".into()),
                    ("protocol", "TCP".into()),
                    ("timeout", 2.into()),
                    ("unhealthy_threshold", 5.into()),
                ])]),
            ),
            (
                "network_configuration",
                list(vec![object(vec![
                    ("ip_address_type", "DUAL_STACK".into()),
                    (
                        "egress_configuration",
                        list(vec![object(vec![
                            ("egress_type", "DEFAULT".into()),
                            ("vpc_connector_arn", Value::Null),
                        ])]),
                    ),
                    (
                        "ingress_configuration",
                        list(vec![object(vec![("is_publicly_accessible", true.into())])]),
                    ),
                ])]),
            ),
            (
                "observability_configuration",
                list(vec![object(vec![
                    ("observability_enabled", true.into()),
                    (
                        "observability_configuration_arn",
                        "arn:aws:apprunner:us-east-1:123456789012:observabilityconfiguration/DefaultConfiguration/1/01".into(),
                    ),
                ])]),
            ),
        ]);
        let imported = reconcile(&import_base(&remote), &remote);
        assert_eq!(imported.attr("health_check_configuration"), &list(vec![]));
        // Kept for its IP address type, without its default sub-blocks.
        assert_eq!(
            imported.attr("network_configuration"),
            &list(vec![object(vec![
                ("ip_address_type", "DUAL_STACK".into()),
                ("egress_configuration", list(vec![])),
                ("ingress_configuration", list(vec![])),
            ])])
        );
        // On with App Runner's own configuration: what an unset ARN means.
        assert_eq!(
            imported.attr("observability_configuration"),
            &list(vec![object(vec![
                ("observability_enabled", true.into()),
                ("observability_configuration_arn", Value::Null),
            ])])
        );
    }

    #[test]
    fn normalised_values_keep_the_configured_form() {
        let remote = with_block(
            "instance_configuration",
            object(vec![("cpu", "1024".into()), ("memory", "2048".into())]),
        );
        let base = with_block(
            "instance_configuration",
            object(vec![("cpu", "1 vCPU".into()), ("memory", "2 GB".into())]),
        );
        let out = reconcile(&base, &remote);
        assert_eq!(
            first(&out, "instance_configuration").attr("cpu"),
            &Value::from("1 vCPU")
        );
        assert_eq!(
            first(&out, "instance_configuration").attr("memory"),
            &Value::from("2 GB")
        );
    }

    #[test]
    fn default_observability_arn_reads_as_unset() {
        let remote = with_block(
            "observability_configuration",
            object(vec![
                ("observability_enabled", true.into()),
                (
                    "observability_configuration_arn",
                    "arn:aws:apprunner:us-east-1:123456789012:observabilityconfiguration/DefaultConfiguration/1/x".into(),
                ),
            ]),
        );
        let base = with_block(
            "observability_configuration",
            object(vec![("observability_enabled", true.into())]),
        );
        let out = reconcile(&base, &remote);
        assert_eq!(
            first(&out, "observability_configuration").attr("observability_configuration_arn"),
            &Value::Null
        );
    }

    #[test]
    fn unknowns_are_filled_from_what_is_known() {
        let planned = object(vec![
            ("arn", Value::unknown()),
            ("name", "x".into()),
            (
                "blocks",
                list(vec![object(vec![("computed", Value::unknown())])]),
            ),
        ]);
        let known = object(vec![
            ("arn", "arn:1".into()),
            ("name", "y".into()),
            ("blocks", list(vec![object(vec![("computed", "c".into())])])),
        ]);
        let out = fill_unknowns(&planned, &known);
        assert_eq!(out.attr("arn"), &Value::from("arn:1"));
        assert_eq!(out.attr("name"), &Value::from("x"));
        assert_eq!(first(&out, "blocks").attr("computed"), &Value::from("c"));
    }
}
