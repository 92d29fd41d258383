//! The API model's input rules (App Runner 2020-05-15), encoded by hand, and a
//! validator that checks a request body against them the way the service does:
//! every violation is collected into one `InvalidRequestException` whose message
//! follows AWS's "N validation errors detected: …" form.
//!
//! Shape names match the published model so `tests/emulator_model.rs` can
//! compare this table with botocore's `service-2.json`, member by member.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Value, json};

use super::errors::ApiError;

/// One shape of the model, as far as input validation needs it.
#[derive(Debug)]
pub(crate) enum Shape {
    Struct(&'static [Member]),
    Str {
        min: Option<u64>,
        max: Option<u64>,
        pattern: Option<&'static str>,
        sensitive: bool,
    },
    Enum(&'static [&'static str]),
    Int {
        min: Option<i64>,
        max: Option<i64>,
    },
    Bool,
    List(&'static str),
    Map(&'static str, &'static str),
}

/// A structure member: its wire name, its shape and whether it is required.
#[derive(Debug)]
pub(crate) struct Member {
    pub name: &'static str,
    pub shape: &'static str,
    pub required: bool,
}

const fn req(name: &'static str, shape: &'static str) -> Member {
    Member {
        name,
        shape,
        required: true,
    }
}
const fn opt(name: &'static str, shape: &'static str) -> Member {
    Member {
        name,
        shape,
        required: false,
    }
}
const fn s(min: Option<u64>, max: Option<u64>, pattern: Option<&'static str>) -> Shape {
    Shape::Str {
        min,
        max,
        pattern,
        sensitive: false,
    }
}
const fn secret(min: Option<u64>, max: Option<u64>, pattern: Option<&'static str>) -> Shape {
    Shape::Str {
        min,
        max,
        pattern,
        sensitive: true,
    }
}
const fn int(min: Option<i64>, max: Option<i64>) -> Shape {
    Shape::Int { min, max }
}

const NAME_32: &str = r"[A-Za-z0-9][A-Za-z0-9\-_]{3,31}";
const NAME_40: &str = r"[A-Za-z0-9][A-Za-z0-9\-_]{3,39}";
const ARN: &str =
    r"arn:aws(-[\w]+)*:[a-z0-9-\\.]{0,63}:[a-z0-9-\\.]{0,63}:[0-9]{12}:(\w|\/|-){1,1011}";
const ROLE_ARN: &str = r"arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):iam::[0-9]{12}:(role|role\/service-role)\/[\w+=,.@\-/]{1,1000}";
const KMS_ARN: &str = r"arn:aws(-[\w]+)*:kms:[a-z\-]+-[0-9]{1}:[0-9]{12}:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const IMAGE_ID: &str = r"([0-9]{12}.dkr.ecr.[a-z\-]+-[0-9]{1}.amazonaws.com\/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)(:([\w\d+\-=._:\/@])+|@([\w\d\:]+))?)|(^public\.ecr\.aws\/.+\/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)(:([\w\d+\-=._:\/@])+|@([\w\d\:]+))?)";
const ONE_LINE: &str = r"[^\x0a\x0d]+";
const ANY: &str = ".*";
/// `regex` has no look-ahead; [`matches_pattern`] checks this one by hand.
const TAG_KEY: &str = "^(?!aws:).+";

/// Every shape reachable from an operation's input, by model name.
#[rustfmt::skip]
pub(crate) static SHAPES: &[(&str, Shape)] = &[
    ("ASConfigMaxConcurrency", int(Some(1), Some(200))),
    ("ASConfigMaxSize", int(Some(1), None)),
    ("ASConfigMinSize", int(Some(1), Some(25))),
    ("AppRunnerResourceArn", s(Some(1), Some(1011), Some(ARN))),
    ("AssociateCustomDomainRequest", Shape::Struct(&[
        req("ServiceArn", "AppRunnerResourceArn"),
        req("DomainName", "DomainName"),
        opt("EnableWWWSubdomain", "NullableBoolean"),
    ])),
    ("AuthenticationConfiguration", Shape::Struct(&[
        opt("ConnectionArn", "AppRunnerResourceArn"),
        opt("AccessRoleArn", "RoleArn"),
    ])),
    ("AutoScalingConfigurationName", s(Some(4), Some(32), Some(NAME_32))),
    ("Boolean", Shape::Bool),
    ("BuildCommand", secret(None, None, Some(ONE_LINE))),
    ("CodeConfiguration", Shape::Struct(&[
        req("ConfigurationSource", "ConfigurationSource"),
        opt("CodeConfigurationValues", "CodeConfigurationValues"),
    ])),
    ("CodeConfigurationValues", Shape::Struct(&[
        req("Runtime", "Runtime"),
        opt("BuildCommand", "BuildCommand"),
        opt("StartCommand", "StartCommand"),
        opt("Port", "String"),
        opt("RuntimeEnvironmentVariables", "RuntimeEnvironmentVariables"),
        opt("RuntimeEnvironmentSecrets", "RuntimeEnvironmentSecrets"),
    ])),
    ("CodeRepository", Shape::Struct(&[
        req("RepositoryUrl", "String"),
        req("SourceCodeVersion", "SourceCodeVersion"),
        opt("CodeConfiguration", "CodeConfiguration"),
        opt("SourceDirectory", "SourceDirectory"),
    ])),
    ("ConfigurationSource", Shape::Enum(&["REPOSITORY", "API"])),
    ("ConnectionName", s(Some(4), Some(32), Some(NAME_32))),
    ("Cpu", s(Some(3), Some(9), Some("256|512|1024|2048|4096|(0.25|0.5|1|2|4) vCPU"))),
    ("CreateAutoScalingConfigurationRequest", Shape::Struct(&[
        req("AutoScalingConfigurationName", "AutoScalingConfigurationName"),
        opt("MaxConcurrency", "ASConfigMaxConcurrency"),
        opt("MinSize", "ASConfigMinSize"),
        opt("MaxSize", "ASConfigMaxSize"),
        opt("Tags", "TagList"),
    ])),
    ("CreateConnectionRequest", Shape::Struct(&[
        req("ConnectionName", "ConnectionName"),
        req("ProviderType", "ProviderType"),
        opt("Tags", "TagList"),
    ])),
    ("CreateObservabilityConfigurationRequest", Shape::Struct(&[
        req("ObservabilityConfigurationName", "ObservabilityConfigurationName"),
        opt("TraceConfiguration", "TraceConfiguration"),
        opt("Tags", "TagList"),
    ])),
    ("CreateServiceRequest", Shape::Struct(&[
        req("ServiceName", "ServiceName"),
        req("SourceConfiguration", "SourceConfiguration"),
        opt("InstanceConfiguration", "InstanceConfiguration"),
        opt("Tags", "TagList"),
        opt("EncryptionConfiguration", "EncryptionConfiguration"),
        opt("HealthCheckConfiguration", "HealthCheckConfiguration"),
        opt("AutoScalingConfigurationArn", "AppRunnerResourceArn"),
        opt("NetworkConfiguration", "NetworkConfiguration"),
        opt("ObservabilityConfiguration", "ServiceObservabilityConfiguration"),
    ])),
    ("CreateVpcConnectorRequest", Shape::Struct(&[
        req("VpcConnectorName", "VpcConnectorName"),
        req("Subnets", "StringList"),
        opt("SecurityGroups", "StringList"),
        opt("Tags", "TagList"),
    ])),
    ("CreateVpcIngressConnectionRequest", Shape::Struct(&[
        req("ServiceArn", "AppRunnerResourceArn"),
        req("VpcIngressConnectionName", "VpcIngressConnectionName"),
        req("IngressVpcConfiguration", "IngressVpcConfiguration"),
        opt("Tags", "TagList"),
    ])),
    ("DeleteAutoScalingConfigurationRequest", Shape::Struct(&[
        req("AutoScalingConfigurationArn", "AppRunnerResourceArn"),
        opt("DeleteAllRevisions", "Boolean"),
    ])),
    ("DeleteConnectionRequest", Shape::Struct(&[req("ConnectionArn", "AppRunnerResourceArn")])),
    ("DeleteObservabilityConfigurationRequest", Shape::Struct(&[
        req("ObservabilityConfigurationArn", "AppRunnerResourceArn"),
    ])),
    ("DeleteServiceRequest", Shape::Struct(&[req("ServiceArn", "AppRunnerResourceArn")])),
    ("DeleteVpcConnectorRequest", Shape::Struct(&[req("VpcConnectorArn", "AppRunnerResourceArn")])),
    ("DeleteVpcIngressConnectionRequest", Shape::Struct(&[
        req("VpcIngressConnectionArn", "AppRunnerResourceArn"),
    ])),
    ("DescribeAutoScalingConfigurationRequest", Shape::Struct(&[
        req("AutoScalingConfigurationArn", "AppRunnerResourceArn"),
    ])),
    ("DescribeCustomDomainsMaxResults", int(Some(1), Some(5))),
    ("DescribeCustomDomainsRequest", Shape::Struct(&[
        req("ServiceArn", "AppRunnerResourceArn"),
        opt("NextToken", "String"),
        opt("MaxResults", "DescribeCustomDomainsMaxResults"),
    ])),
    ("DescribeObservabilityConfigurationRequest", Shape::Struct(&[
        req("ObservabilityConfigurationArn", "AppRunnerResourceArn"),
    ])),
    ("DescribeServiceRequest", Shape::Struct(&[req("ServiceArn", "AppRunnerResourceArn")])),
    ("DescribeVpcConnectorRequest", Shape::Struct(&[req("VpcConnectorArn", "AppRunnerResourceArn")])),
    ("DescribeVpcIngressConnectionRequest", Shape::Struct(&[
        req("VpcIngressConnectionArn", "AppRunnerResourceArn"),
    ])),
    ("DisassociateCustomDomainRequest", Shape::Struct(&[
        req("ServiceArn", "AppRunnerResourceArn"),
        req("DomainName", "DomainName"),
    ])),
    ("DomainName", s(Some(1), Some(255), Some("[A-Za-z0-9*.-]{1,255}"))),
    ("EgressConfiguration", Shape::Struct(&[
        opt("EgressType", "EgressType"),
        opt("VpcConnectorArn", "AppRunnerResourceArn"),
    ])),
    ("EgressType", Shape::Enum(&["DEFAULT", "VPC"])),
    ("EncryptionConfiguration", Shape::Struct(&[req("KmsKey", "KmsKeyArn")])),
    ("HealthCheckConfiguration", Shape::Struct(&[
        opt("Protocol", "HealthCheckProtocol"),
        opt("Path", "HealthCheckPath"),
        opt("Interval", "HealthCheckInterval"),
        opt("Timeout", "HealthCheckTimeout"),
        opt("HealthyThreshold", "HealthCheckHealthyThreshold"),
        opt("UnhealthyThreshold", "HealthCheckUnhealthyThreshold"),
    ])),
    ("HealthCheckHealthyThreshold", int(Some(1), Some(20))),
    ("HealthCheckInterval", int(Some(1), Some(20))),
    ("HealthCheckPath", s(Some(1), None, None)),
    ("HealthCheckProtocol", Shape::Enum(&["TCP", "HTTP"])),
    ("HealthCheckTimeout", int(Some(1), Some(20))),
    ("HealthCheckUnhealthyThreshold", int(Some(1), Some(20))),
    ("ImageConfiguration", Shape::Struct(&[
        opt("RuntimeEnvironmentVariables", "RuntimeEnvironmentVariables"),
        opt("StartCommand", "StartCommand"),
        opt("Port", "String"),
        opt("RuntimeEnvironmentSecrets", "RuntimeEnvironmentSecrets"),
    ])),
    ("ImageIdentifier", s(Some(1), Some(1024), Some(IMAGE_ID))),
    ("ImageRepository", Shape::Struct(&[
        req("ImageIdentifier", "ImageIdentifier"),
        opt("ImageConfiguration", "ImageConfiguration"),
        req("ImageRepositoryType", "ImageRepositoryType"),
    ])),
    ("ImageRepositoryType", Shape::Enum(&["ECR", "ECR_PUBLIC"])),
    ("IngressConfiguration", Shape::Struct(&[opt("IsPubliclyAccessible", "Boolean")])),
    ("IngressVpcConfiguration", Shape::Struct(&[
        opt("VpcId", "String"),
        opt("VpcEndpointId", "String"),
    ])),
    ("InstanceConfiguration", Shape::Struct(&[
        opt("Cpu", "Cpu"),
        opt("Memory", "Memory"),
        opt("InstanceRoleArn", "RoleArn"),
    ])),
    ("IpAddressType", Shape::Enum(&["IPV4", "DUAL_STACK"])),
    ("KmsKeyArn", s(Some(0), Some(256), Some(KMS_ARN))),
    ("ListAutoScalingConfigurationsRequest", Shape::Struct(&[
        opt("AutoScalingConfigurationName", "AutoScalingConfigurationName"),
        opt("LatestOnly", "Boolean"),
        opt("MaxResults", "MaxResults"),
        opt("NextToken", "NextToken"),
    ])),
    ("ListConnectionsRequest", Shape::Struct(&[
        opt("ConnectionName", "ConnectionName"),
        opt("MaxResults", "MaxResults"),
        opt("NextToken", "NextToken"),
    ])),
    ("ListObservabilityConfigurationsRequest", Shape::Struct(&[
        opt("ObservabilityConfigurationName", "ObservabilityConfigurationName"),
        opt("LatestOnly", "Boolean"),
        opt("MaxResults", "MaxResults"),
        opt("NextToken", "NextToken"),
    ])),
    ("ListOperationsMaxResults", int(Some(1), Some(20))),
    ("ListOperationsRequest", Shape::Struct(&[
        req("ServiceArn", "AppRunnerResourceArn"),
        opt("NextToken", "String"),
        opt("MaxResults", "ListOperationsMaxResults"),
    ])),
    ("ListServicesForAutoScalingConfigurationRequest", Shape::Struct(&[
        req("AutoScalingConfigurationArn", "AppRunnerResourceArn"),
        opt("MaxResults", "MaxResults"),
        opt("NextToken", "NextToken"),
    ])),
    ("ListServicesRequest", Shape::Struct(&[
        opt("NextToken", "String"),
        opt("MaxResults", "ServiceMaxResults"),
    ])),
    ("ListTagsForResourceRequest", Shape::Struct(&[req("ResourceArn", "AppRunnerResourceArn")])),
    ("ListVpcConnectorsRequest", Shape::Struct(&[
        opt("MaxResults", "MaxResults"),
        opt("NextToken", "NextToken"),
    ])),
    ("ListVpcIngressConnectionsFilter", Shape::Struct(&[
        opt("ServiceArn", "AppRunnerResourceArn"),
        opt("VpcEndpointId", "String"),
    ])),
    ("ListVpcIngressConnectionsRequest", Shape::Struct(&[
        opt("Filter", "ListVpcIngressConnectionsFilter"),
        opt("MaxResults", "MaxResults"),
        opt("NextToken", "NextToken"),
    ])),
    ("MaxResults", int(Some(1), Some(100))),
    ("Memory", s(Some(3), Some(6), Some("512|1024|2048|3072|4096|6144|8192|10240|12288|(0.5|1|2|3|4|6|8|10|12) GB"))),
    ("NetworkConfiguration", Shape::Struct(&[
        opt("EgressConfiguration", "EgressConfiguration"),
        opt("IngressConfiguration", "IngressConfiguration"),
        opt("IpAddressType", "IpAddressType"),
    ])),
    ("NextToken", s(Some(1), Some(1024), Some(ANY))),
    ("NullableBoolean", Shape::Bool),
    ("ObservabilityConfigurationName", s(Some(4), Some(32), Some(NAME_32))),
    ("PauseServiceRequest", Shape::Struct(&[req("ServiceArn", "AppRunnerResourceArn")])),
    ("ProviderType", Shape::Enum(&["GITHUB", "BITBUCKET"])),
    ("ResumeServiceRequest", Shape::Struct(&[req("ServiceArn", "AppRunnerResourceArn")])),
    ("RoleArn", s(Some(29), Some(1024), Some(ROLE_ARN))),
    ("Runtime", Shape::Enum(&[
        "PYTHON_3", "NODEJS_12", "NODEJS_14", "CORRETTO_8", "CORRETTO_11", "NODEJS_16", "GO_1",
        "DOTNET_6", "PHP_81", "RUBY_31", "PYTHON_311", "NODEJS_18", "NODEJS_22",
    ])),
    ("RuntimeEnvironmentSecrets", Shape::Map("RuntimeEnvironmentSecretsName", "RuntimeEnvironmentSecretsValue")),
    ("RuntimeEnvironmentSecretsName", secret(Some(1), Some(2048), None)),
    ("RuntimeEnvironmentSecretsValue", secret(Some(1), Some(2048), None)),
    ("RuntimeEnvironmentVariables", Shape::Map("RuntimeEnvironmentVariablesKey", "RuntimeEnvironmentVariablesValue")),
    ("RuntimeEnvironmentVariablesKey", secret(Some(1), Some(51200), Some(ANY))),
    ("RuntimeEnvironmentVariablesValue", secret(Some(0), Some(51200), Some(ANY))),
    ("ServiceMaxResults", int(Some(1), Some(20))),
    ("ServiceName", s(Some(4), Some(40), Some("[A-Za-z0-9][A-Za-z0-9-_]{3,39}"))),
    ("ServiceObservabilityConfiguration", Shape::Struct(&[
        req("ObservabilityEnabled", "Boolean"),
        opt("ObservabilityConfigurationArn", "AppRunnerResourceArn"),
    ])),
    ("SourceCodeVersion", Shape::Struct(&[
        req("Type", "SourceCodeVersionType"),
        req("Value", "String"),
    ])),
    ("SourceCodeVersionType", Shape::Enum(&["BRANCH"])),
    ("SourceConfiguration", Shape::Struct(&[
        opt("CodeRepository", "CodeRepository"),
        opt("ImageRepository", "ImageRepository"),
        opt("AutoDeploymentsEnabled", "NullableBoolean"),
        opt("AuthenticationConfiguration", "AuthenticationConfiguration"),
    ])),
    ("SourceDirectory", s(Some(1), Some(4096), Some(r"[^\x00]+"))),
    ("StartCommand", secret(None, None, Some(ONE_LINE))),
    ("StartDeploymentRequest", Shape::Struct(&[req("ServiceArn", "AppRunnerResourceArn")])),
    ("String", s(Some(0), Some(51200), Some(ANY))),
    ("StringList", Shape::List("String")),
    ("Tag", Shape::Struct(&[opt("Key", "TagKey"), opt("Value", "TagValue")])),
    ("TagKey", s(Some(1), Some(128), Some(TAG_KEY))),
    ("TagKeyList", Shape::List("TagKey")),
    ("TagList", Shape::List("Tag")),
    ("TagResourceRequest", Shape::Struct(&[
        req("ResourceArn", "AppRunnerResourceArn"),
        req("Tags", "TagList"),
    ])),
    ("TagValue", s(Some(0), Some(256), Some(ANY))),
    ("TraceConfiguration", Shape::Struct(&[req("Vendor", "TracingVendor")])),
    ("TracingVendor", Shape::Enum(&["AWSXRAY"])),
    ("UntagResourceRequest", Shape::Struct(&[
        req("ResourceArn", "AppRunnerResourceArn"),
        req("TagKeys", "TagKeyList"),
    ])),
    ("UpdateDefaultAutoScalingConfigurationRequest", Shape::Struct(&[
        req("AutoScalingConfigurationArn", "AppRunnerResourceArn"),
    ])),
    ("UpdateServiceRequest", Shape::Struct(&[
        req("ServiceArn", "AppRunnerResourceArn"),
        opt("SourceConfiguration", "SourceConfiguration"),
        opt("InstanceConfiguration", "InstanceConfiguration"),
        opt("AutoScalingConfigurationArn", "AppRunnerResourceArn"),
        opt("HealthCheckConfiguration", "HealthCheckConfiguration"),
        opt("NetworkConfiguration", "NetworkConfiguration"),
        opt("ObservabilityConfiguration", "ServiceObservabilityConfiguration"),
    ])),
    ("UpdateVpcIngressConnectionRequest", Shape::Struct(&[
        req("VpcIngressConnectionArn", "AppRunnerResourceArn"),
        req("IngressVpcConfiguration", "IngressVpcConfiguration"),
    ])),
    ("VpcConnectorName", s(Some(4), Some(40), Some(NAME_40))),
    ("VpcIngressConnectionName", s(Some(4), Some(40), Some(NAME_40))),
];

/// The 37 operations of the API and the shape of each one's input.
pub(crate) static OPERATIONS: &[(&str, &str)] = &[
    ("AssociateCustomDomain", "AssociateCustomDomainRequest"),
    (
        "CreateAutoScalingConfiguration",
        "CreateAutoScalingConfigurationRequest",
    ),
    ("CreateConnection", "CreateConnectionRequest"),
    (
        "CreateObservabilityConfiguration",
        "CreateObservabilityConfigurationRequest",
    ),
    ("CreateService", "CreateServiceRequest"),
    ("CreateVpcConnector", "CreateVpcConnectorRequest"),
    (
        "CreateVpcIngressConnection",
        "CreateVpcIngressConnectionRequest",
    ),
    (
        "DeleteAutoScalingConfiguration",
        "DeleteAutoScalingConfigurationRequest",
    ),
    ("DeleteConnection", "DeleteConnectionRequest"),
    (
        "DeleteObservabilityConfiguration",
        "DeleteObservabilityConfigurationRequest",
    ),
    ("DeleteService", "DeleteServiceRequest"),
    ("DeleteVpcConnector", "DeleteVpcConnectorRequest"),
    (
        "DeleteVpcIngressConnection",
        "DeleteVpcIngressConnectionRequest",
    ),
    (
        "DescribeAutoScalingConfiguration",
        "DescribeAutoScalingConfigurationRequest",
    ),
    ("DescribeCustomDomains", "DescribeCustomDomainsRequest"),
    (
        "DescribeObservabilityConfiguration",
        "DescribeObservabilityConfigurationRequest",
    ),
    ("DescribeService", "DescribeServiceRequest"),
    ("DescribeVpcConnector", "DescribeVpcConnectorRequest"),
    (
        "DescribeVpcIngressConnection",
        "DescribeVpcIngressConnectionRequest",
    ),
    (
        "DisassociateCustomDomain",
        "DisassociateCustomDomainRequest",
    ),
    (
        "ListAutoScalingConfigurations",
        "ListAutoScalingConfigurationsRequest",
    ),
    ("ListConnections", "ListConnectionsRequest"),
    (
        "ListObservabilityConfigurations",
        "ListObservabilityConfigurationsRequest",
    ),
    ("ListOperations", "ListOperationsRequest"),
    ("ListServices", "ListServicesRequest"),
    (
        "ListServicesForAutoScalingConfiguration",
        "ListServicesForAutoScalingConfigurationRequest",
    ),
    ("ListTagsForResource", "ListTagsForResourceRequest"),
    ("ListVpcConnectors", "ListVpcConnectorsRequest"),
    (
        "ListVpcIngressConnections",
        "ListVpcIngressConnectionsRequest",
    ),
    ("PauseService", "PauseServiceRequest"),
    ("ResumeService", "ResumeServiceRequest"),
    ("StartDeployment", "StartDeploymentRequest"),
    ("TagResource", "TagResourceRequest"),
    ("UntagResource", "UntagResourceRequest"),
    (
        "UpdateDefaultAutoScalingConfiguration",
        "UpdateDefaultAutoScalingConfigurationRequest",
    ),
    ("UpdateService", "UpdateServiceRequest"),
    (
        "UpdateVpcIngressConnection",
        "UpdateVpcIngressConnectionRequest",
    ),
];

fn shape(name: &str) -> &'static Shape {
    static INDEX: OnceLock<HashMap<&'static str, &'static Shape>> = OnceLock::new();
    INDEX.get_or_init(|| SHAPES.iter().map(|(n, s)| (*n, s)).collect())[name]
}

/// The input shape name of an operation, or `None` for an unknown operation.
pub(crate) fn input_shape(operation: &str) -> Option<&'static str> {
    OPERATIONS
        .iter()
        .find(|(op, _)| *op == operation)
        .map(|(_, s)| *s)
}

/// Full-string match, as the service applies model patterns.
fn matches_pattern(pattern: &'static str, value: &str) -> bool {
    if pattern == TAG_KEY {
        return !value.is_empty() && !value.starts_with("aws:");
    }
    static CACHE: OnceLock<std::sync::Mutex<HashMap<&'static str, Regex>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap();
    let re = cache.entry(pattern).or_insert_with(|| {
        Regex::new(&format!("^(?:{})$", ascii_classes(pattern))).expect("model pattern compiles")
    });
    re.is_match(value)
}

/// The model's patterns are Java regexes, where `\w` and `\d` are ASCII
/// only; spelling them out keeps that meaning (and keeps `(\w|…){1,1011}`
/// small enough to compile).
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('w') if in_class => out.push_str("0-9A-Za-z_"),
                Some('w') => out.push_str("[0-9A-Za-z_]"),
                Some('d') if in_class => out.push_str("0-9"),
                Some('d') => out.push_str("[0-9]"),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Validates a request body against an operation's input shape.
pub(crate) fn validate(operation: &str, body: &Value) -> Result<(), ApiError> {
    let Some(shape_name) = input_shape(operation) else {
        return Err(ApiError::unknown_operation(operation));
    };
    let mut errors = Vec::new();
    check(shape_name, body, "", &mut errors)?;
    if errors.is_empty() {
        return Ok(());
    }
    let n = errors.len();
    let noun = if n == 1 { "error" } else { "errors" };
    Err(ApiError::invalid_request(format!(
        "{n} validation {noun} detected: {}",
        errors.join("; ")
    )))
}

fn camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn join(path: &str, part: &str) -> String {
    if path.is_empty() {
        part.to_string()
    } else {
        format!("{path}.{part}")
    }
}

/// Walks `value` against `shape_name`, pushing constraint violations to
/// `errors`. A value of the wrong JSON type is a `SerializationException`,
/// as the service fails to deserialise it before validating anything.
fn check(
    shape_name: &str,
    value: &Value,
    path: &str,
    errors: &mut Vec<String>,
) -> Result<(), ApiError> {
    let at = if path.is_empty() {
        "request".to_string()
    } else {
        path.to_string()
    };
    match shape(shape_name) {
        Shape::Struct(members) => {
            let Value::Object(map) = value else {
                return Err(ApiError::serialization(format!(
                    "Expected a structure at '{at}'"
                )));
            };
            for m in members.iter() {
                let member_path = join(path, &camel(m.name));
                match map.get(m.name) {
                    None | Some(Value::Null) => {
                        if m.required {
                            errors.push(format!(
                                "Value null at '{member_path}' failed to satisfy constraint: Member must not be null"
                            ));
                        }
                    }
                    Some(v) => check(m.shape, v, &member_path, errors)?,
                }
            }
        }
        Shape::Str {
            min,
            max,
            pattern,
            sensitive,
        } => {
            let Value::String(v) = value else {
                return Err(ApiError::serialization(format!(
                    "Expected a string at '{at}'"
                )));
            };
            let shown = if *sensitive {
                "Value".to_string()
            } else {
                format!("Value '{v}'")
            };
            let len = v.encode_utf16().count() as u64;
            if let Some(min) = min.filter(|m| len < *m) {
                errors.push(format!(
                    "{shown} at '{at}' failed to satisfy constraint: Member must have length greater than or equal to {min}"
                ));
            }
            if let Some(max) = max.filter(|m| len > *m) {
                errors.push(format!(
                    "{shown} at '{at}' failed to satisfy constraint: Member must have length less than or equal to {max}"
                ));
            }
            if let Some(p) = pattern.filter(|p| !matches_pattern(p, v)) {
                errors.push(format!(
                    "{shown} at '{at}' failed to satisfy constraint: Member must satisfy regular expression pattern: {p}"
                ));
            }
        }
        Shape::Enum(values) => {
            let Value::String(v) = value else {
                return Err(ApiError::serialization(format!(
                    "Expected a string at '{at}'"
                )));
            };
            if !values.contains(&v.as_str()) {
                errors.push(format!(
                    "Value '{v}' at '{at}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                    values.join(", ")
                ));
            }
        }
        Shape::Int { min, max } => {
            let Some(v) = value.as_i64() else {
                return Err(ApiError::serialization(format!(
                    "Expected an integer at '{at}'"
                )));
            };
            if let Some(min) = min.filter(|m| v < *m) {
                errors.push(format!(
                    "Value '{v}' at '{at}' failed to satisfy constraint: Member must have value greater than or equal to {min}"
                ));
            }
            if let Some(max) = max.filter(|m| v > *m) {
                errors.push(format!(
                    "Value '{v}' at '{at}' failed to satisfy constraint: Member must have value less than or equal to {max}"
                ));
            }
        }
        Shape::Bool => {
            if !value.is_boolean() {
                return Err(ApiError::serialization(format!(
                    "Expected a boolean at '{at}'"
                )));
            }
        }
        Shape::List(member) => {
            let Value::Array(items) = value else {
                return Err(ApiError::serialization(format!(
                    "Expected a list at '{at}'"
                )));
            };
            for (i, item) in items.iter().enumerate() {
                if item.is_null() {
                    continue;
                }
                check(
                    member,
                    item,
                    &join(path, &format!("{}.member", i + 1)),
                    errors,
                )?;
            }
        }
        Shape::Map(key, val) => {
            let Value::Object(map) = value else {
                return Err(ApiError::serialization(format!("Expected a map at '{at}'")));
            };
            for (k, v) in map {
                check(key, &Value::String(k.clone()), &at, errors)?;
                if !v.is_null() {
                    check(val, v, &join(path, &format!("{k}.member")), errors)?;
                }
            }
        }
    }
    Ok(())
}

/// The encoded rules, in the model's JSON vocabulary (`type`, `members`,
/// `required`, `min`, `max`, `pattern`, `enum`, `member`, `key`, `value`),
/// for comparison with the published model.
pub(crate) fn rules_as_json() -> Value {
    let mut shapes = Map::new();
    for (name, shape) in SHAPES {
        let v = match shape {
            Shape::Struct(members) => {
                let mut ms = Map::new();
                for m in members.iter() {
                    ms.insert(m.name.into(), json!({ "shape": m.shape }));
                }
                let required: Vec<&str> = members
                    .iter()
                    .filter(|m| m.required)
                    .map(|m| m.name)
                    .collect();
                let mut o = json!({ "type": "structure", "members": ms });
                if !required.is_empty() {
                    o["required"] = json!(required);
                }
                o
            }
            Shape::Str {
                min,
                max,
                pattern,
                sensitive,
            } => {
                let mut o = json!({ "type": "string" });
                if let Some(v) = min {
                    o["min"] = json!(v);
                }
                if let Some(v) = max {
                    o["max"] = json!(v);
                }
                if let Some(v) = pattern {
                    o["pattern"] = json!(v);
                }
                if *sensitive {
                    o["sensitive"] = json!(true);
                }
                o
            }
            Shape::Enum(values) => json!({ "type": "string", "enum": values }),
            Shape::Int { min, max } => {
                let mut o = json!({ "type": "integer" });
                if let Some(v) = min {
                    o["min"] = json!(v);
                }
                if let Some(v) = max {
                    o["max"] = json!(v);
                }
                o
            }
            Shape::Bool => json!({ "type": "boolean" }),
            Shape::List(m) => json!({ "type": "list", "member": { "shape": m } }),
            Shape::Map(k, v) => {
                json!({ "type": "map", "key": { "shape": k }, "value": { "shape": v } })
            }
        };
        shapes.insert((*name).into(), v);
    }
    let operations: Map<String, Value> = OPERATIONS
        .iter()
        .map(|(op, input)| ((*op).to_string(), json!({ "input": { "shape": input } })))
        .collect();
    json!({ "operations": operations, "shapes": shapes })
}
