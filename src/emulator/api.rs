//! The 37 operations: each one reads its (already validated) input, calls
//! the backend and renders the output shape. Pagination lives here too.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::backend::{
    AutoScalingSettings, CreateService, Ctx, ObservabilitySettings, Region, Revision,
    UpdateService, deserialize_tags,
};
use super::errors::ApiError;
use super::responses::{self as out, ConfigShape};

type Res = Result<Value, ApiError>;

fn string(body: &Value, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(str::to_string)
}

fn required(body: &Value, key: &str) -> String {
    // Presence was checked by model validation.
    string(body, key).unwrap_or_default()
}

/// A request body as its serde input type. The body has passed model
/// validation, so this fails only on members the model does not type.
fn input<'a, T: Deserialize<'a>>(body: &'a Value) -> Result<T, ApiError> {
    T::deserialize(body).map_err(|e| ApiError::serialization(e.to_string()))
}

fn strings(body: &Value, key: &str) -> Vec<String> {
    body.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn tags(body: &Value, key: &str) -> Vec<(String, String)> {
    body.get(key)
        .and_then(|t| deserialize_tags(t).ok())
        .unwrap_or_default()
}

/// One page of `items`. Tokens are opaque to clients: base64 of the
/// operation, the offset and whether an empty page comes first.
///
/// With `gaps` (ListServices), a full page that is not the last one is
/// followed by an empty page that still carries a NextToken, as the real
/// API sometimes returns; clients must follow tokens, not page sizes.
fn page<T>(
    op: &str,
    body: &Value,
    items: Vec<T>,
    cap: usize,
    gaps: bool,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let max = body
        .get("MaxResults")
        .and_then(Value::as_i64)
        .map(|m| m as usize)
        .unwrap_or(cap);
    let (offset, empty_first) = match body.get("NextToken").and_then(Value::as_str) {
        None => (0, false),
        Some(t) => decode_token(op, t)
            .ok_or_else(|| ApiError::invalid_request(format!("Invalid NextToken: {t}")))?,
    };
    if empty_first {
        return Ok((vec![], Some(encode_token(op, offset, false))));
    }
    let total = items.len();
    // A hostile token can carry any offset: saturate rather than overflow.
    let end = offset.saturating_add(max).min(total);
    let page: Vec<T> = items.into_iter().skip(offset).take(max).collect();
    let token = (end < total).then(|| encode_token(op, end, gaps));
    Ok((page, token))
}

fn encode_token(op: &str, offset: usize, empty_first: bool) -> String {
    URL_SAFE_NO_PAD.encode(format!("{op}:{offset}:{}", u8::from(empty_first)))
}

fn decode_token(op: &str, token: &str) -> Option<(usize, bool)> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
    let mut it = raw.split(':');
    if it.next()? != op {
        return None;
    }
    let offset = it.next()?.parse().ok()?;
    let empty = it.next()? == "1";
    Some((offset, empty))
}

/// A list operation's answer: one page of `items` as `member`, and the
/// token of the next page.
fn listed<T: Serialize>(
    op: &str,
    body: &Value,
    member: &str,
    items: Vec<T>,
    cap: usize,
    gaps: bool,
) -> Res {
    let (items, token) = page(op, body, items, cap, gaps)?;
    let mut v = json!({});
    v[member] = json!(items);
    Ok(with_token(v, token))
}

fn with_token(mut v: Value, token: Option<String>) -> Value {
    if let Some(t) = token {
        v["NextToken"] = json!(t);
    }
    v
}

/// Runs one operation against a region's state.
pub(crate) fn dispatch(r: &mut Region, ctx: &Ctx, op: &str, b: &Value) -> Res {
    match op {
        // ---- services ----
        "CreateService" => {
            let (arn, op_id) = r.create_service(ctx, input::<CreateService>(b)?)?;
            Ok(json!({ "Service": out::service(r, r.service(&arn)?), "OperationId": op_id }))
        }
        "DescribeService" => {
            let arn = required(b, "ServiceArn");
            Ok(json!({ "Service": out::service(r, r.service(&arn)?) }))
        }
        "UpdateService" => {
            let req = input::<UpdateService>(b)?;
            let arn = req.service_arn.clone();
            let op_id = r.update_service(ctx, req)?;
            Ok(json!({ "Service": out::service(r, r.service(&arn)?), "OperationId": op_id }))
        }
        "DeleteService" | "PauseService" | "ResumeService" | "StartDeployment" => {
            let arn = required(b, "ServiceArn");
            let op_id = match op {
                "DeleteService" => r.delete_service(ctx, &arn)?,
                "PauseService" => r.pause_service(ctx, &arn)?,
                "ResumeService" => r.resume_service(ctx, &arn)?,
                _ => return Ok(json!({ "OperationId": r.start_deployment(ctx, &arn)? })),
            };
            Ok(json!({ "Service": out::service(r, r.service(&arn)?), "OperationId": op_id }))
        }
        "ListServices" => {
            let live = r.services.iter().filter(|s| s.is_live());
            let items = live.map(out::service_summary).collect();
            listed(op, b, "ServiceSummaryList", items, 20, true)
        }
        "ListOperations" => {
            let ops = r.list_operations(&required(b, "ServiceArn"))?;
            let items = ops.iter().map(out::operation).collect();
            listed(op, b, "OperationSummaryList", items, 20, false)
        }
        // ---- auto scaling ----
        "CreateAutoScalingConfiguration" => {
            let settings = AutoScalingSettings::with_defaults(
                b["MaxConcurrency"].as_i64(),
                b["MinSize"].as_i64(),
                b["MaxSize"].as_i64(),
            );
            create_config(r, ctx, b, settings)
        }
        "DescribeAutoScalingConfiguration" => describe_config::<AutoScalingSettings>(r, b),
        "DeleteAutoScalingConfiguration" => {
            let all = b["DeleteAllRevisions"].as_bool().unwrap_or(false);
            delete_config::<AutoScalingSettings>(r, ctx, b, all)
        }
        "ListAutoScalingConfigurations" => list_configs::<AutoScalingSettings>(r, op, b),
        "ListServicesForAutoScalingConfiguration" => {
            let arns = r.services_for_auto_scaling(&required(b, "AutoScalingConfigurationArn"))?;
            listed(op, b, "ServiceArnList", arns, 100, false)
        }
        "UpdateDefaultAutoScalingConfiguration" => {
            let c = r.update_default_auto_scaling(&required(b, "AutoScalingConfigurationArn"))?;
            Ok(json!({ "AutoScalingConfiguration": out::asc(r, &c) }))
        }
        // ---- observability ----
        "CreateObservabilityConfiguration" => {
            let settings = ObservabilitySettings {
                trace_vendor: string(&b["TraceConfiguration"], "Vendor"),
            };
            create_config(r, ctx, b, settings)
        }
        "DescribeObservabilityConfiguration" => describe_config::<ObservabilitySettings>(r, b),
        "DeleteObservabilityConfiguration" => {
            delete_config::<ObservabilitySettings>(r, ctx, b, false)
        }
        "ListObservabilityConfigurations" => list_configs::<ObservabilitySettings>(r, op, b),
        // ---- VPC connectors ----
        "CreateVpcConnector" => {
            let arn = r.create_vpc_connector(
                ctx,
                &required(b, "VpcConnectorName"),
                strings(b, "Subnets"),
                strings(b, "SecurityGroups"),
                tags(b, "Tags"),
            )?;
            Ok(json!({ "VpcConnector": out::vpc_connector(r.vpc_connector(&arn)?) }))
        }
        "DescribeVpcConnector" => Ok(
            json!({ "VpcConnector": out::vpc_connector(r.vpc_connector(&required(b, "VpcConnectorArn"))?) }),
        ),
        "DeleteVpcConnector" => {
            let c = r.delete_vpc_connector(ctx, &required(b, "VpcConnectorArn"))?;
            Ok(json!({ "VpcConnector": out::vpc_connector(&c) }))
        }
        "ListVpcConnectors" => {
            let items = r.active_vpc_connectors().map(out::vpc_connector).collect();
            listed(op, b, "VpcConnectors", items, 100, false)
        }
        // ---- VPC ingress connections ----
        "CreateVpcIngressConnection" => {
            let cfg = &b["IngressVpcConfiguration"];
            let arn = r.create_ingress(
                ctx,
                &required(b, "ServiceArn"),
                &required(b, "VpcIngressConnectionName"),
                string(cfg, "VpcId"),
                string(cfg, "VpcEndpointId"),
                tags(b, "Tags"),
            )?;
            Ok(json!({ "VpcIngressConnection": out::ingress(r, r.ingress_connection(&arn)?) }))
        }
        "DescribeVpcIngressConnection" => {
            let c = r.ingress_connection(&required(b, "VpcIngressConnectionArn"))?;
            Ok(json!({ "VpcIngressConnection": out::ingress(r, c) }))
        }
        "UpdateVpcIngressConnection" => {
            let cfg = &b["IngressVpcConfiguration"];
            let c = r.update_ingress(
                ctx,
                &required(b, "VpcIngressConnectionArn"),
                string(cfg, "VpcId"),
                string(cfg, "VpcEndpointId"),
            )?;
            Ok(json!({ "VpcIngressConnection": out::ingress(r, &c) }))
        }
        "DeleteVpcIngressConnection" => {
            let c = r.delete_ingress(ctx, &required(b, "VpcIngressConnectionArn"))?;
            Ok(json!({ "VpcIngressConnection": out::ingress(r, &c) }))
        }
        "ListVpcIngressConnections" => {
            let service = string(&b["Filter"], "ServiceArn");
            let endpoint = string(&b["Filter"], "VpcEndpointId");
            let items = r
                .ingress
                .iter()
                .filter(|i| i.status != "DELETED")
                .filter(|i| service.as_ref().is_none_or(|s| *s == i.service_arn))
                .filter(|i| endpoint.is_none() || endpoint == i.vpc_endpoint_id)
                .map(out::ingress_summary)
                .collect();
            listed(op, b, "VpcIngressConnectionSummaryList", items, 100, false)
        }
        // ---- custom domains ----
        "AssociateCustomDomain" | "DisassociateCustomDomain" => {
            let service = required(b, "ServiceArn");
            let domain = required(b, "DomainName");
            let d = if op == "AssociateCustomDomain" {
                let www = b["EnableWWWSubdomain"].as_bool().unwrap_or(true);
                r.associate_domain(ctx, &service, &domain, www)?
            } else {
                r.disassociate_domain(ctx, &service, &domain)?
            };
            Ok(json!({
                "DNSTarget": r.service(&service)?.url_host,
                "ServiceArn": service,
                "CustomDomain": out::custom_domain(&d),
                "VpcDNSTargets": out::vpc_dns_targets(r, &service),
            }))
        }
        "DescribeCustomDomains" => {
            let service = required(b, "ServiceArn");
            let list: Vec<Value> = r
                .domains_of(&service)?
                .iter()
                .map(out::custom_domain)
                .collect();
            let (items, token) = page(op, b, list, 5, false)?;
            Ok(with_token(
                json!({
                    "DNSTarget": r.service(&service)?.url_host,
                    "ServiceArn": service,
                    "CustomDomains": items,
                    "VpcDNSTargets": out::vpc_dns_targets(r, &service),
                }),
                token,
            ))
        }
        // ---- connections ----
        "CreateConnection" => {
            let arn = r.create_connection(
                ctx,
                &required(b, "ConnectionName"),
                &required(b, "ProviderType"),
                tags(b, "Tags"),
            )?;
            let c = r
                .connections
                .iter()
                .find(|c| c.arn == arn)
                .expect("just created");
            Ok(json!({ "Connection": out::connection(c) }))
        }
        "DeleteConnection" => {
            let c = r.delete_connection(&required(b, "ConnectionArn"))?;
            Ok(json!({ "Connection": out::connection(&c) }))
        }
        "ListConnections" => {
            let name = string(b, "ConnectionName");
            let connections = r.list_connections(name.as_deref());
            let items = connections.iter().map(out::connection).collect();
            listed(op, b, "ConnectionSummaryList", items, 100, false)
        }
        // ---- tags ----
        "TagResource" => {
            r.tag_resource(&required(b, "ResourceArn"), tags(b, "Tags"))?;
            Ok(json!({}))
        }
        "UntagResource" => {
            r.untag_resource(&required(b, "ResourceArn"), &strings(b, "TagKeys"))?;
            Ok(json!({}))
        }
        "ListTagsForResource" => {
            let t = r.list_tags(&required(b, "ResourceArn"))?;
            Ok(json!({ "Tags": out::tags(&t) }))
        }
        _ => Err(ApiError::unknown_operation(op)),
    }
}

// Create, Describe, Delete and List of a revisioned configuration: the
// same operations for each kind, with members named after the kind.

/// `{ "AutoScalingConfiguration": … }` and the like.
fn config_output<T: ConfigShape>(r: &Region, c: &Revision<T>) -> Value {
    let mut v = json!({});
    v[T::MEMBER] = T::render(r, c);
    v
}

fn create_config<T: ConfigShape>(r: &mut Region, ctx: &Ctx, b: &Value, settings: T) -> Res {
    let name = required(b, &format!("{}Name", T::MEMBER));
    let arn = r.create_config(ctx, &name, settings, tags(b, "Tags"))?;
    Ok(config_output(r, r.find_config::<T>(&arn)?))
}

fn describe_config<T: ConfigShape>(r: &Region, b: &Value) -> Res {
    let c = r.find_config::<T>(&required(b, &format!("{}Arn", T::MEMBER)))?;
    Ok(config_output(r, c))
}

fn delete_config<T: ConfigShape>(r: &mut Region, ctx: &Ctx, b: &Value, all: bool) -> Res {
    let arn = required(b, &format!("{}Arn", T::MEMBER));
    let c = r.delete_config::<T>(ctx, &arn, all)?;
    Ok(config_output(r, &c))
}

fn list_configs<T: ConfigShape>(r: &Region, op: &str, b: &Value) -> Res {
    let name = string(b, &format!("{}Name", T::MEMBER));
    let latest = b["LatestOnly"].as_bool().unwrap_or(false);
    let configs = r.list_configs::<T>(name.as_deref(), latest);
    let items = configs.iter().map(|c| T::summary(r, c)).collect();
    let member = format!("{}SummaryList", T::MEMBER);
    listed(op, b, &member, items, 100, false)
}

/// Whether an operation can change state (and so must be persisted).
pub(crate) fn is_mutating(op: &str) -> bool {
    !(op.starts_with("Describe") || op.starts_with("List"))
}
