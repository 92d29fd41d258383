//! Renders backend objects in the API's output shapes (AWS JSON 1.0:
//! PascalCase members, timestamps as epoch seconds).

use serde_json::{Value, json};

use super::backend::{
    AutoScalingConfig, AutoScalingSettings, ConfigKind, Connection, CustomDomain,
    IngressConnection, ObservabilityConfig, ObservabilitySettings, Operation, Region, Revision,
    Service, VpcConnector,
};

/// Epoch milliseconds → epoch seconds, the JSON protocols' timestamp form.
pub(crate) fn ts(ms: i64) -> Value {
    json!(ms as f64 / 1000.0)
}

/// Inserts `key` only when there is a value, as AWS omits absent members.
fn put(v: &mut Value, key: &str, val: Option<Value>) {
    if let Some(val) = val {
        v[key] = val;
    }
}

/// The members a service's description and its summary share, in order.
fn service_head(s: &Service) -> Value {
    json!({
        "ServiceName": s.name,
        "ServiceId": s.id,
        "ServiceArn": s.arn,
        "CreatedAt": ts(s.created_at),
        "UpdatedAt": ts(s.updated_at),
        "Status": s.status,
    })
}

/// Private services have no public URL.
fn service_url(s: &Service) -> Option<Value> {
    s.is_public().then(|| json!(s.url_host))
}

pub(crate) fn service(r: &Region, s: &Service) -> Value {
    let mut v = service_head(s);
    let c = &s.config;
    v["SourceConfiguration"] = json!(c.source);
    v["InstanceConfiguration"] = json!(c.instance);
    v["HealthCheckConfiguration"] = json!(c.health);
    v["AutoScalingConfigurationSummary"] = asc_ref(r, &c.auto_scaling_arn);
    v["NetworkConfiguration"] = json!(c.network);
    v["ObservabilityConfiguration"] = json!(c.observability);
    put(&mut v, "ServiceUrl", service_url(s));
    put(&mut v, "DeletedAt", s.deleted_at.map(ts));
    put(
        &mut v,
        "EncryptionConfiguration",
        c.encryption.as_ref().map(|e| json!(e)),
    );
    v
}

pub(crate) fn service_summary(s: &Service) -> Value {
    let mut v = service_head(s);
    put(&mut v, "ServiceUrl", service_url(s));
    v
}

fn asc_ref(r: &Region, arn: &str) -> Value {
    match r.auto_scaling.iter().find(|c| c.arn == arn) {
        Some(c) => asc_summary(r, c),
        None => json!({ "AutoScalingConfigurationArn": arn }),
    }
}

pub(crate) fn asc_summary(r: &Region, c: &AutoScalingConfig) -> Value {
    json!({
        "AutoScalingConfigurationArn": c.arn,
        "AutoScalingConfigurationName": c.name,
        "AutoScalingConfigurationRevision": c.revision,
        "Status": c.status,
        "CreatedAt": ts(c.created_at),
        "HasAssociatedService": r.asc_in_use(&c.arn),
        "IsDefault": r.default_auto_scaling_arn == c.arn,
    })
}

pub(crate) fn asc(r: &Region, c: &AutoScalingConfig) -> Value {
    let mut v = json!({
        "AutoScalingConfigurationArn": c.arn,
        "AutoScalingConfigurationName": c.name,
        "AutoScalingConfigurationRevision": c.revision,
        "Latest": r.config_is_latest(c),
        "Status": c.status,
        "MaxConcurrency": c.settings.max_concurrency,
        "MinSize": c.settings.min_size,
        "MaxSize": c.settings.max_size,
        "CreatedAt": ts(c.created_at),
        "HasAssociatedService": r.asc_in_use(&c.arn),
        "IsDefault": r.default_auto_scaling_arn == c.arn,
    });
    put(&mut v, "DeletedAt", c.deleted_at.map(ts));
    v
}

pub(crate) fn observability(r: &Region, c: &ObservabilityConfig) -> Value {
    let mut v = json!({
        "ObservabilityConfigurationArn": c.arn,
        "ObservabilityConfigurationName": c.name,
        "ObservabilityConfigurationRevision": c.revision,
        "Latest": r.config_is_latest(c),
        "Status": c.status,
        "CreatedAt": ts(c.created_at),
    });
    put(
        &mut v,
        "TraceConfiguration",
        (c.settings.trace_vendor.as_ref()).map(|t| json!({ "Vendor": t })),
    );
    put(&mut v, "DeletedAt", c.deleted_at.map(ts));
    v
}

pub(crate) fn observability_summary(c: &ObservabilityConfig) -> Value {
    json!({
        "ObservabilityConfigurationArn": c.arn,
        "ObservabilityConfigurationName": c.name,
        "ObservabilityConfigurationRevision": c.revision,
    })
}

/// How a kind of revisioned configuration appears on the wire, so that the
/// operations both kinds have are written once.
pub(crate) trait ConfigShape: ConfigKind {
    /// The member one configuration is returned in; the kind's ARN, name and
    /// summary list members are named after it (`AutoScalingConfigurationArn`).
    const MEMBER: &'static str;
    fn render(r: &Region, c: &Revision<Self>) -> Value;
    fn summary(r: &Region, c: &Revision<Self>) -> Value;
}

impl ConfigShape for AutoScalingSettings {
    const MEMBER: &'static str = "AutoScalingConfiguration";
    fn render(r: &Region, c: &AutoScalingConfig) -> Value {
        asc(r, c)
    }
    fn summary(r: &Region, c: &AutoScalingConfig) -> Value {
        asc_summary(r, c)
    }
}

impl ConfigShape for ObservabilitySettings {
    const MEMBER: &'static str = "ObservabilityConfiguration";
    fn render(r: &Region, c: &ObservabilityConfig) -> Value {
        observability(r, c)
    }
    fn summary(_: &Region, c: &ObservabilityConfig) -> Value {
        observability_summary(c)
    }
}

pub(crate) fn vpc_connector(c: &VpcConnector) -> Value {
    let mut v = json!({
        "VpcConnectorName": c.name,
        "VpcConnectorArn": c.arn,
        "VpcConnectorRevision": c.revision,
        "Subnets": c.subnets,
        "SecurityGroups": c.security_groups,
        "Status": c.status,
        "CreatedAt": ts(c.created_at),
    });
    put(&mut v, "DeletedAt", c.deleted_at.map(ts));
    v
}

pub(crate) fn ingress(r: &Region, c: &IngressConnection) -> Value {
    let mut cfg = json!({});
    put(&mut cfg, "VpcId", c.vpc_id.as_ref().map(|v| json!(v)));
    put(
        &mut cfg,
        "VpcEndpointId",
        c.vpc_endpoint_id.as_ref().map(|v| json!(v)),
    );
    let mut v = json!({
        "VpcIngressConnectionArn": c.arn,
        "VpcIngressConnectionName": c.name,
        "ServiceArn": c.service_arn,
        "Status": c.status,
        "AccountId": r.account,
        "DomainName": c.domain_name,
        "IngressVpcConfiguration": cfg,
        "CreatedAt": ts(c.created_at),
    });
    put(&mut v, "DeletedAt", c.deleted_at.map(ts));
    v
}

pub(crate) fn ingress_summary(c: &IngressConnection) -> Value {
    json!({ "VpcIngressConnectionArn": c.arn, "ServiceArn": c.service_arn })
}

pub(crate) fn custom_domain(d: &CustomDomain) -> Value {
    let records: Vec<Value> = d
        .records
        .iter()
        .map(|r| json!({ "Name": r.name, "Type": "CNAME", "Value": r.value, "Status": r.status }))
        .collect();
    json!({
        "DomainName": d.domain_name,
        "EnableWWWSubdomain": d.enable_www,
        "CertificateValidationRecords": records,
        "Status": d.status,
    })
}

/// The VPC DNS targets of a service: one per live ingress connection.
pub(crate) fn vpc_dns_targets(r: &Region, service_arn: &str) -> Value {
    let targets: Vec<Value> = r
        .ingress
        .iter()
        .filter(|i| i.service_arn == service_arn && i.status != "DELETED")
        .map(|i| {
            let mut t = json!({ "VpcIngressConnectionArn": i.arn, "DomainName": i.domain_name });
            put(&mut t, "VpcId", i.vpc_id.as_ref().map(|v| json!(v)));
            t
        })
        .collect();
    json!(targets)
}

pub(crate) fn connection(c: &Connection) -> Value {
    json!({
        "ConnectionName": c.name,
        "ConnectionArn": c.arn,
        "ProviderType": c.provider,
        "Status": c.status,
        "CreatedAt": ts(c.created_at),
    })
}

pub(crate) fn operation(o: &Operation) -> Value {
    let mut v = json!({
        "Id": o.id,
        "Type": o.op_type,
        "Status": o.status,
        "TargetArn": o.target_arn,
        "StartedAt": ts(o.started_at),
        "UpdatedAt": ts(o.updated_at),
    });
    put(&mut v, "EndedAt", o.ended_at.map(ts));
    v
}

pub(crate) fn tags(tags: &[(String, String)]) -> Value {
    json!(
        tags.iter()
            .map(|(k, v)| json!({ "Key": k, "Value": v }))
            .collect::<Vec<_>>()
    )
}
