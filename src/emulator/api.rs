//! The 37 operations: each one reads its (already validated) input, calls
//! the backend and renders the output shape. Pagination lives here too.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::{Value, json};

use super::backend::{
    AutoScalingSettings, CreateService, Ctx, ObservabilitySettings, Region, UpdateService,
    deserialize_tags,
};
use super::errors::ApiError;
use super::responses as out;

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
            let live: Vec<Value> = r
                .services
                .iter()
                .filter(|s| s.is_live())
                .map(out::service_summary)
                .collect();
            let (items, token) = page(op, b, live, 20, true)?;
            Ok(with_token(json!({ "ServiceSummaryList": items }), token))
        }
        "ListOperations" => {
            let ops: Vec<Value> = r
                .list_operations(&required(b, "ServiceArn"))?
                .iter()
                .map(out::operation)
                .collect();
            let (items, token) = page(op, b, ops, 20, false)?;
            Ok(with_token(json!({ "OperationSummaryList": items }), token))
        }
        // ---- auto scaling ----
        "CreateAutoScalingConfiguration" => {
            let settings = AutoScalingSettings::with_defaults(
                b["MaxConcurrency"].as_i64(),
                b["MinSize"].as_i64(),
                b["MaxSize"].as_i64(),
            );
            let name = required(b, "AutoScalingConfigurationName");
            let arn = r.create_config(ctx, &name, settings, tags(b, "Tags"))?;
            Ok(json!({ "AutoScalingConfiguration": out::asc(r, r.find_config(&arn)?) }))
        }
        "DescribeAutoScalingConfiguration" => {
            let c = r.find_config(&required(b, "AutoScalingConfigurationArn"))?;
            Ok(json!({ "AutoScalingConfiguration": out::asc(r, c) }))
        }
        "DeleteAutoScalingConfiguration" => {
            let all = b["DeleteAllRevisions"].as_bool().unwrap_or(false);
            let arn = required(b, "AutoScalingConfigurationArn");
            let c = r.delete_config::<AutoScalingSettings>(ctx, &arn, all)?;
            Ok(json!({ "AutoScalingConfiguration": out::asc(r, &c) }))
        }
        "ListAutoScalingConfigurations" => {
            let name = string(b, "AutoScalingConfigurationName");
            let latest = b["LatestOnly"].as_bool().unwrap_or(false);
            let list: Vec<Value> = r
                .list_configs::<AutoScalingSettings>(name.as_deref(), latest)
                .iter()
                .map(|c| out::asc_summary(r, c))
                .collect();
            let (items, token) = page(op, b, list, 100, false)?;
            Ok(with_token(
                json!({ "AutoScalingConfigurationSummaryList": items }),
                token,
            ))
        }
        "ListServicesForAutoScalingConfiguration" => {
            let arns = r.services_for_auto_scaling(&required(b, "AutoScalingConfigurationArn"))?;
            let (items, token) = page(op, b, arns, 100, false)?;
            Ok(with_token(json!({ "ServiceArnList": items }), token))
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
            let name = required(b, "ObservabilityConfigurationName");
            let arn = r.create_config(ctx, &name, settings, tags(b, "Tags"))?;
            Ok(json!({ "ObservabilityConfiguration": out::observability(r, r.find_config(&arn)?) }))
        }
        "DescribeObservabilityConfiguration" => {
            let c = r.find_config(&required(b, "ObservabilityConfigurationArn"))?;
            Ok(json!({ "ObservabilityConfiguration": out::observability(r, c) }))
        }
        "DeleteObservabilityConfiguration" => {
            let arn = required(b, "ObservabilityConfigurationArn");
            let c = r.delete_config::<ObservabilitySettings>(ctx, &arn, false)?;
            Ok(json!({ "ObservabilityConfiguration": out::observability(r, &c) }))
        }
        "ListObservabilityConfigurations" => {
            let name = string(b, "ObservabilityConfigurationName");
            let latest = b["LatestOnly"].as_bool().unwrap_or(false);
            let list: Vec<Value> = r
                .list_configs::<ObservabilitySettings>(name.as_deref(), latest)
                .iter()
                .map(out::observability_summary)
                .collect();
            let (items, token) = page(op, b, list, 100, false)?;
            Ok(with_token(
                json!({ "ObservabilityConfigurationSummaryList": items }),
                token,
            ))
        }
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
            let list: Vec<Value> = r
                .vpc_connectors
                .iter()
                .filter(|c| c.status == "ACTIVE")
                .map(out::vpc_connector)
                .collect();
            let (items, token) = page(op, b, list, 100, false)?;
            Ok(with_token(json!({ "VpcConnectors": items }), token))
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
            let list: Vec<Value> = r
                .ingress
                .iter()
                .filter(|i| i.status != "DELETED")
                .filter(|i| service.as_ref().is_none_or(|s| *s == i.service_arn))
                .filter(|i| endpoint.is_none() || endpoint == i.vpc_endpoint_id)
                .map(out::ingress_summary)
                .collect();
            let (items, token) = page(op, b, list, 100, false)?;
            Ok(with_token(
                json!({ "VpcIngressConnectionSummaryList": items }),
                token,
            ))
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
            let list: Vec<Value> = r
                .list_connections(name.as_deref())
                .iter()
                .map(out::connection)
                .collect();
            let (items, token) = page(op, b, list, 100, false)?;
            Ok(with_token(json!({ "ConnectionSummaryList": items }), token))
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

/// Whether an operation can change state (and so must be persisted).
pub(crate) fn is_mutating(op: &str) -> bool {
    !(op.starts_with("Describe") || op.starts_with("List"))
}
