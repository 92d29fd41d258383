//! Services and their operations: the status machine
//! (`OPERATION_IN_PROGRESS` → `RUNNING`/`PAUSED`/`CREATE_FAILED`/`DELETED`…),
//! which calls each status allows, and the configuration rules the service
//! applies beyond the model (one source kind, CPU/memory pairs, defaults).

use serde::{Deserialize, Serialize};

use super::configs::{AutoScalingSettings, ObservabilitySettings};
use super::service_config::{
    EgressConfiguration, EncryptionConfiguration, HealthCheckConfiguration, IngressConfiguration,
    InstanceConfiguration, NetworkConfiguration, ServiceObservability, SourceConfiguration,
};
use super::tags::deserialize_tags;
use super::{ApiError, Ctx, Outcome, Region, Res, dns_label, hex_id, require_status, uuid};

pub(crate) const MAX_SERVICES: usize = 30;

/// A service's configuration, completed by the rules below, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct ServiceConfig {
    pub source: SourceConfiguration,
    pub instance: InstanceConfiguration,
    pub health: HealthCheckConfiguration,
    pub network: NetworkConfiguration,
    pub observability: ServiceObservability,
    pub encryption: Option<EncryptionConfiguration>,
    pub auto_scaling_arn: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Service {
    pub arn: String,
    pub id: String,
    pub name: String,
    /// Kept for private services too (custom domains use it as DNS target).
    pub url_host: String,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
    pub config: ServiceConfig,
    pub pending: Option<PendingOp>,
    /// App Runner's own maintenance, which holds the service in
    /// `OPERATION_IN_PROGRESS` (and so refuses changes) for a while.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance: Option<Maintenance>,
}

/// Maintenance in progress: until when, and the status to return to.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Maintenance {
    pub until: i64,
    pub prev_status: String,
}

impl Service {
    pub fn is_live(&self) -> bool {
        self.status != "DELETED"
    }
    pub fn is_public(&self) -> bool {
        let ingress = self.config.network.ingress_configuration.as_ref();
        ingress.and_then(|i| i.is_publicly_accessible) != Some(false)
    }
    /// The VPC connector its egress goes through, if any.
    pub fn vpc_connector_arn(&self) -> Option<&str> {
        let egress = self.config.network.egress_configuration.as_ref();
        egress.and_then(|e| e.vpc_connector_arn.as_deref())
    }
}

/// The operation a service is going through.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct PendingOp {
    pub op_id: String,
    pub op_type: String,
    pub outcome: Outcome,
    /// 0 = running; 1 = rolling back.
    pub phase: u8,
    /// `None` while stuck.
    pub due: Option<i64>,
    pub step_ms: i64,
    pub prev_config: ServiceConfig,
    pub prev_status: String,
}

/// One entry of ListOperations.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Operation {
    pub id: String,
    pub op_type: String,
    pub status: String,
    pub target_arn: String,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub updated_at: i64,
}

/// The parts of a service's configuration that CreateService and
/// UpdateService both take (already validated against the model). Create
/// fills in what is absent; Update leaves it as it is.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ServiceParts {
    pub source_configuration: Option<SourceConfiguration>,
    pub instance_configuration: Option<InstanceConfiguration>,
    pub health_check_configuration: Option<HealthCheckConfiguration>,
    pub network_configuration: Option<NetworkConfiguration>,
    pub observability_configuration: Option<ServiceObservability>,
    pub auto_scaling_configuration_arn: Option<String>,
}

/// CreateService's input.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CreateService {
    #[serde(default)]
    pub service_name: String,
    #[serde(flatten)]
    pub parts: ServiceParts,
    pub encryption_configuration: Option<EncryptionConfiguration>,
    #[serde(default, deserialize_with = "deserialize_tags")]
    pub tags: Vec<(String, String)>,
}

/// UpdateService's input.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct UpdateService {
    #[serde(default)]
    pub service_arn: String,
    #[serde(flatten)]
    pub parts: ServiceParts,
}

const CPU_MEMORY: &[(&str, &[&str])] = &[
    ("256", &["512", "1024"]),
    ("512", &["1024"]),
    ("1024", &["2048", "3072", "4096"]),
    ("2048", &["4096", "6144"]),
    ("4096", &["8192", "10240", "12288"]),
];

/// `1 vCPU` → `1024`; units pass through.
fn cpu_units(v: &str) -> String {
    match v.strip_suffix(" vCPU") {
        Some(n) => format!("{}", (n.parse::<f64>().unwrap_or(1.0) * 1024.0) as u64),
        None => v.to_string(),
    }
}

/// `2 GB` → `2048`; megabytes pass through.
fn memory_mb(v: &str) -> String {
    match v.strip_suffix(" GB") {
        Some(n) => format!("{}", (n.parse::<f64>().unwrap_or(2.0) * 1024.0) as u64),
        None => v.to_string(),
    }
}

const DEFAULT_PORT: &str = "8080";

impl Region {
    fn live_service_mut(&mut self, arn: &str) -> Res<&mut Service> {
        self.services
            .iter_mut()
            .find(|s| s.arn == arn && s.is_live())
            .ok_or_else(|| service_not_found(arn))
    }

    pub fn service(&self, arn: &str) -> Res<&Service> {
        self.services
            .iter()
            .find(|s| s.arn == arn)
            .ok_or_else(|| service_not_found(arn))
    }

    pub fn live_service(&self, arn: &str) -> Res<&Service> {
        self.services
            .iter()
            .find(|s| s.arn == arn && s.is_live())
            .ok_or_else(|| service_not_found(arn))
    }

    /// A live service that a custom domain or an ingress connection can be
    /// attached to: RUNNING or PAUSED. `refusal` ends the message otherwise.
    pub(super) fn attachable_service(&self, arn: &str, refusal: &str) -> Res<&Service> {
        let service = self.live_service(arn)?;
        require_status(&service.status, &["RUNNING", "PAUSED"], || {
            format!("Service {arn} is in status {}; {refusal}", service.status)
        })?;
        Ok(service)
    }

    /// Checks and completes a source configuration, as CreateService and
    /// UpdateService store it.
    fn normalize_source(&self, source: &SourceConfiguration) -> Res<SourceConfiguration> {
        let mut out = source.clone();
        let auth = source.authentication_configuration.as_ref();
        match (&mut out.code_repository, &mut out.image_repository) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(ApiError::invalid_request(
                    "SourceConfiguration must contain exactly one of CodeRepository or ImageRepository",
                ));
            }
            (Some(code), None) => {
                let Some(conn) = auth.and_then(|a| a.connection_arn.as_deref()) else {
                    return Err(ApiError::invalid_request(
                        "A ConnectionArn in AuthenticationConfiguration is required for a source code repository",
                    ));
                };
                let c = self
                    .connections
                    .iter()
                    .find(|c| c.arn == conn)
                    .ok_or_else(|| {
                        ApiError::invalid_request(format!("Connection not found: {conn}"))
                    })?;
                if c.status != "AVAILABLE" {
                    return Err(ApiError::invalid_request(format!(
                        "Connection {conn} is not in AVAILABLE status (status: {})",
                        c.status
                    )));
                }
                if let Some(cc) = &mut code.code_configuration {
                    if cc.configuration_source == "API" && cc.code_configuration_values.is_none() {
                        return Err(ApiError::invalid_request(
                            "CodeConfigurationValues is required when ConfigurationSource is API",
                        ));
                    }
                    if let Some(values) = &mut cc.code_configuration_values {
                        values.port.get_or_insert_with(|| DEFAULT_PORT.into());
                    }
                }
                out.auto_deployments_enabled.get_or_insert(true);
            }
            (None, Some(image)) => {
                let kind = image.image_repository_type.as_str();
                let id = image.image_identifier.as_str();
                let public = id.starts_with("public.ecr.aws/");
                if kind == "ECR_PUBLIC" && !public {
                    return Err(ApiError::invalid_request(format!(
                        "The image identifier {id} isn't a public ECR image; use ImageRepositoryType ECR"
                    )));
                }
                if kind == "ECR_PUBLIC" && source.auto_deployments_enabled == Some(true) {
                    return Err(ApiError::invalid_request(
                        "App Runner doesn't support automatic deployments for an image in an ECR Public repository.",
                    ));
                }
                if kind == "ECR" {
                    if public {
                        return Err(ApiError::invalid_request(format!(
                            "The image identifier {id} is a public ECR image; use ImageRepositoryType ECR_PUBLIC"
                        )));
                    }
                    if auth.and_then(|a| a.access_role_arn.as_ref()).is_none() {
                        return Err(ApiError::invalid_request(
                            "Authentication configuration is invalid: an AccessRoleArn is required for a private ECR repository",
                        ));
                    }
                }
                let private = kind == "ECR";
                let ic = image
                    .image_configuration
                    .get_or_insert_with(Default::default);
                ic.port.get_or_insert_with(|| DEFAULT_PORT.into());
                out.auto_deployments_enabled.get_or_insert(private);
            }
        }
        Ok(out)
    }

    fn normalize_instance(instance: &InstanceConfiguration) -> Res<InstanceConfiguration> {
        let cpu = cpu_units(instance.cpu.as_deref().unwrap_or("1024"));
        let memory = memory_mb(instance.memory.as_deref().unwrap_or("2048"));
        let ok = CPU_MEMORY
            .iter()
            .any(|(c, ms)| *c == cpu && ms.contains(&memory.as_str()));
        if !ok {
            return Err(ApiError::invalid_request(format!(
                "The CPU and memory combination isn't supported: Cpu {cpu}, Memory {memory}"
            )));
        }
        Ok(InstanceConfiguration {
            cpu: Some(cpu),
            memory: Some(memory),
            instance_role_arn: instance.instance_role_arn.clone(),
        })
    }

    fn normalize_health(health: &HealthCheckConfiguration) -> HealthCheckConfiguration {
        let defaults = HealthCheckConfiguration {
            protocol: Some("TCP".into()),
            path: Some("/".into()),
            interval: Some(5),
            timeout: Some(2),
            healthy_threshold: Some(1),
            unhealthy_threshold: Some(5),
        };
        defaults.patched(health)
    }

    fn normalize_network(&self, network: &NetworkConfiguration) -> Res<NetworkConfiguration> {
        let given = network.egress_configuration.clone().unwrap_or_default();
        let egress_type = given.egress_type.unwrap_or_else(|| "DEFAULT".into());
        match (egress_type.as_str(), given.vpc_connector_arn.as_deref()) {
            ("VPC", None) => {
                return Err(ApiError::invalid_request(
                    "VpcConnectorArn is required when EgressType is VPC",
                ));
            }
            ("DEFAULT", Some(_)) => {
                return Err(ApiError::invalid_request(
                    "VpcConnectorArn can only be set when EgressType is VPC",
                ));
            }
            (_, Some(arn))
                if !self
                    .vpc_connectors
                    .iter()
                    .any(|c| c.arn == arn && c.status == "ACTIVE") =>
            {
                return Err(ApiError::invalid_request(format!(
                    "VPC connector not found: {arn}"
                )));
            }
            _ => {}
        }
        // Without an IngressConfiguration a service is public; inside one,
        // an absent IsPubliclyAccessible is the model's default, false
        // (SDKs such as the Rust one leave default-valued booleans out).
        let public = match &network.ingress_configuration {
            Some(given) => given.is_publicly_accessible.unwrap_or(false),
            None => true,
        };
        Ok(NetworkConfiguration {
            egress_configuration: Some(EgressConfiguration {
                egress_type: Some(egress_type),
                vpc_connector_arn: given.vpc_connector_arn,
            }),
            ingress_configuration: Some(IngressConfiguration {
                is_publicly_accessible: Some(public),
            }),
            ip_address_type: Some(
                network
                    .ip_address_type
                    .clone()
                    .unwrap_or_else(|| "IPV4".into()),
            ),
        })
    }

    fn normalize_observability(&self, obs: &ServiceObservability) -> Res<ServiceObservability> {
        if !obs.observability_enabled {
            return Ok(ServiceObservability::default());
        }
        let arn = match obs.observability_configuration_arn.as_deref() {
            Some(arn) => {
                let c = self.find_config::<ObservabilitySettings>(arn)?;
                if !c.is_active() {
                    return Err(ApiError::invalid_request(format!(
                        "The observability configuration {arn} is not active"
                    )));
                }
                c.arn.clone()
            }
            None => self.default_observability_arn(),
        };
        Ok(ServiceObservability {
            observability_enabled: true,
            observability_configuration_arn: Some(arn),
        })
    }

    fn resolve_auto_scaling(&self, arn: Option<&str>) -> Res<String> {
        match arn {
            None => Ok(self.default_auto_scaling_arn.clone()),
            Some(arn) => {
                let c = self.find_config::<AutoScalingSettings>(arn).map_err(|_| {
                    ApiError::invalid_request(format!(
                        "The auto scaling configuration ARN you specified isn't valid. ARN: '{arn}'"
                    ))
                })?;
                if !c.is_active() {
                    return Err(ApiError::invalid_request(format!(
                        "The auto scaling configuration {arn} is not active"
                    )));
                }
                Ok(c.arn.clone())
            }
        }
    }

    pub fn create_service(&mut self, ctx: &Ctx, req: CreateService) -> Res<(String, String)> {
        let live = self.services.iter().filter(|s| s.is_live()).count();
        if live >= MAX_SERVICES {
            return Err(ApiError::quota(format!(
                "You have reached the maximum number of services ({MAX_SERVICES}) in this account and region"
            )));
        }
        if self
            .services
            .iter()
            .any(|s| s.is_live() && s.name == req.service_name)
        {
            return Err(ApiError::invalid_request(format!(
                "Service with the provided name already exists: {}",
                req.service_name
            )));
        }
        let config = ServiceConfig {
            source: self.normalize_source(&req.parts.source_configuration.unwrap_or_default())?,
            instance: Self::normalize_instance(
                &req.parts.instance_configuration.unwrap_or_default(),
            )?,
            health: Self::normalize_health(
                &req.parts.health_check_configuration.unwrap_or_default(),
            ),
            network: self
                .normalize_network(&req.parts.network_configuration.unwrap_or_default())?,
            observability: self.normalize_observability(
                &req.parts.observability_configuration.unwrap_or_default(),
            )?,
            encryption: req.encryption_configuration,
            auto_scaling_arn: self
                .resolve_auto_scaling(req.parts.auto_scaling_configuration_arn.as_deref())?,
        };
        let id = hex_id();
        let arn = self.arn(&format!("service/{}/{}", req.service_name, id));
        let url_host = format!("{}.{}.awsapprunner.com", dns_label(10), self.region);
        let service = Service {
            arn: arn.clone(),
            id,
            name: req.service_name,
            url_host,
            status: "OPERATION_IN_PROGRESS".into(),
            created_at: ctx.now,
            updated_at: ctx.now,
            deleted_at: None,
            config: config.clone(),
            pending: None,
            maintenance: None,
        };
        self.services.push(service);
        self.set_tags(&arn, req.tags);
        let op = self.start_operation(ctx, &arn, "CREATE_SERVICE", config, "OPERATION_IN_PROGRESS");
        Ok((arn, op))
    }

    /// Marks the service busy and records the operation.
    fn start_operation(
        &mut self,
        ctx: &Ctx,
        arn: &str,
        op_type: &str,
        prev_config: ServiceConfig,
        prev_status: &str,
    ) -> String {
        let op_id = uuid();
        let outcome = match (ctx.outcome, op_type) {
            // Only updates and deployments roll back; elsewhere it is a failure.
            (Outcome::Rollback, "UPDATE_SERVICE" | "START_DEPLOYMENT") => Outcome::Rollback,
            (Outcome::Rollback, _) => Outcome::Fail,
            (o, _) => o,
        };
        let service = self
            .services
            .iter_mut()
            .find(|s| s.arn == arn)
            .expect("service exists");
        service.status = "OPERATION_IN_PROGRESS".into();
        service.updated_at = ctx.now;
        service.pending = Some(PendingOp {
            op_id: op_id.clone(),
            op_type: op_type.into(),
            outcome,
            phase: 0,
            due: (outcome != Outcome::Stuck).then_some(ctx.now.saturating_add(ctx.duration_ms)),
            step_ms: ctx.duration_ms,
            prev_config,
            prev_status: prev_status.into(),
        });
        self.operations.push(Operation {
            id: op_id.clone(),
            op_type: op_type.into(),
            status: "IN_PROGRESS".into(),
            target_arn: arn.into(),
            started_at: ctx.now,
            ended_at: None,
            updated_at: ctx.now,
        });
        tracing::info!(
            service = arn,
            operation = op_type,
            ?outcome,
            "operation started"
        );
        op_id
    }

    pub fn update_service(&mut self, ctx: &Ctx, req: UpdateService) -> Res<String> {
        let arn = req.service_arn.as_str();
        let service = self.live_service(arn)?;
        require_status(
            &service.status,
            &["RUNNING", "PAUSED", "CREATE_FAILED"],
            || {
                format!(
                    "Service {arn} can't be updated in status {}. Service status must be RUNNING, PAUSED or CREATE_FAILED.",
                    service.status
                )
            },
        )?;
        let parts = &req.parts;
        if parts.source_configuration.is_none()
            && parts.instance_configuration.is_none()
            && parts.health_check_configuration.is_none()
            && parts.network_configuration.is_none()
            && parts.observability_configuration.is_none()
            && parts.auto_scaling_configuration_arn.is_none()
        {
            return Err(ApiError::invalid_request(
                "No configurations provided in the UpdateService request",
            ));
        }
        let old = service.config.clone();
        let prev_status = service.status.clone();
        let mut new = old.clone();
        if let Some(source) = &parts.source_configuration {
            let source = self.normalize_source(source)?;
            if source.code_repository.is_some() != old.source.code_repository.is_some() {
                return Err(ApiError::invalid_request(
                    "You can't change the source type of a service between a code repository and an image repository",
                ));
            }
            new.source = source;
        }
        if let Some(patch) = &parts.instance_configuration {
            new.instance = Self::normalize_instance(&old.instance.patched(patch))?;
        }
        if let Some(patch) = &parts.health_check_configuration {
            new.health = Self::normalize_health(&old.health.patched(patch));
        }
        if let Some(patch) = &parts.network_configuration {
            new.network = self.normalize_network(&old.network.patched(patch))?;
        }
        if let Some(obs) = &parts.observability_configuration {
            new.observability = self.normalize_observability(obs)?;
        }
        if let Some(asc) = &parts.auto_scaling_configuration_arn {
            new.auto_scaling_arn = self.resolve_auto_scaling(Some(asc))?;
        }
        let service = self.live_service_mut(arn)?;
        service.config = new;
        Ok(self.start_operation(ctx, arn, "UPDATE_SERVICE", old, &prev_status))
    }

    /// Pause, resume and deploy: allowed only from one status.
    fn simple_operation(
        &mut self,
        ctx: &Ctx,
        arn: &str,
        op_type: &str,
        allowed: &str,
        verb: &str,
    ) -> Res<String> {
        let service = self.live_service(arn)?;
        if service.status != allowed {
            return Err(ApiError::invalid_state(format!(
                "Service {arn} can't be {verb} in status {}. Service status must be {allowed}.",
                service.status
            )));
        }
        let (config, status) = (service.config.clone(), service.status.clone());
        Ok(self.start_operation(ctx, arn, op_type, config, &status))
    }

    pub fn pause_service(&mut self, ctx: &Ctx, arn: &str) -> Res<String> {
        self.simple_operation(ctx, arn, "PAUSE_SERVICE", "RUNNING", "paused")
    }

    pub fn resume_service(&mut self, ctx: &Ctx, arn: &str) -> Res<String> {
        self.simple_operation(ctx, arn, "RESUME_SERVICE", "PAUSED", "resumed")
    }

    pub fn start_deployment(&mut self, ctx: &Ctx, arn: &str) -> Res<String> {
        self.simple_operation(ctx, arn, "START_DEPLOYMENT", "RUNNING", "deployed")
    }

    pub fn delete_service(&mut self, ctx: &Ctx, arn: &str) -> Res<String> {
        let service = self.live_service(arn)?;
        let deletable = ["RUNNING", "PAUSED", "CREATE_FAILED", "DELETE_FAILED"];
        require_status(&service.status, &deletable, || {
            format!(
                "Service {arn} can't be deleted in status {}",
                service.status
            )
        })?;
        if let Some(ic) = self
            .ingress
            .iter()
            .find(|i| i.service_arn == arn && i.status == "AVAILABLE")
        {
            return Err(ApiError::invalid_state(format!(
                "Service {arn} has an associated VPC ingress connection {} in AVAILABLE status. Delete the VPC ingress connection first.",
                ic.arn
            )));
        }
        let (config, status) = (service.config.clone(), service.status.clone());
        Ok(self.start_operation(ctx, arn, "DELETE_SERVICE", config, &status))
    }

    pub fn list_operations(&self, arn: &str) -> Res<Vec<Operation>> {
        self.service(arn)?;
        Ok(self
            .operations
            .iter()
            .rev()
            .filter(|o| o.target_arn == arn)
            .cloned()
            .collect())
    }

    fn finish_operation(&mut self, op_id: &str, status: &str, now: i64) {
        if let Some(op) = self.operations.iter_mut().find(|o| o.id == op_id) {
            op.status = status.into();
            op.updated_at = now;
            if !status.ends_with("IN_PROGRESS") {
                op.ended_at = Some(now);
            }
        }
    }

    /// Puts a live, idle service into maintenance for `duration_ms`: its
    /// status is `OPERATION_IN_PROGRESS` meanwhile, so App Runner's rules
    /// refuse deployments, updates, pause/resume and deletion. False when
    /// the service is busy, already in maintenance, or not there.
    pub fn start_maintenance(&mut self, arn: &str, now: i64, duration_ms: i64) -> bool {
        let Ok(service) = self.live_service_mut(arn) else {
            return false;
        };
        if service.pending.is_some()
            || service.maintenance.is_some()
            || !matches!(service.status.as_str(), "RUNNING" | "PAUSED")
        {
            return false;
        }
        service.maintenance = Some(Maintenance {
            until: now.saturating_add(duration_ms.max(0)),
            prev_status: std::mem::replace(&mut service.status, "OPERATION_IN_PROGRESS".into()),
        });
        service.updated_at = now;
        tracing::info!(service = arn, duration_ms, "maintenance started");
        true
    }

    /// ARNs of the live services.
    pub fn live_service_arns(&self) -> Vec<String> {
        self.services
            .iter()
            .filter(|s| s.is_live())
            .map(|s| s.arn.clone())
            .collect()
    }

    pub(super) fn settle_services(&mut self, now: i64) -> bool {
        let mut changed = false;
        for s in &mut self.services {
            if let Some(m) = s.maintenance.take_if(|m| m.until <= now) {
                s.status = m.prev_status;
                s.updated_at = m.until;
                changed = true;
                tracing::info!(service = %s.arn, status = %s.status, "maintenance finished");
            }
        }
        for i in 0..self.services.len() {
            let Some(p) = self.services[i].pending.clone() else {
                continue;
            };
            if p.due.is_none_or(|d| d > now) {
                continue;
            }
            changed = true;
            // When the step really happened, however late it is observed.
            let at = p.due.unwrap_or(now);
            let arn = self.services[i].arn.clone();
            let (status, op_status) = match (p.outcome, p.phase) {
                (Outcome::Rollback, 0) => {
                    // First half: the deployment fails and App Runner rolls back.
                    let s = &mut self.services[i];
                    s.pending.as_mut().unwrap().phase = 1;
                    // The next step follows this one, not the moment it is observed.
                    s.pending.as_mut().unwrap().due = Some(at.saturating_add(p.step_ms));
                    self.finish_operation(&p.op_id, "ROLLBACK_IN_PROGRESS", at);
                    continue;
                }
                (Outcome::Rollback, _) => {
                    self.services[i].config = p.prev_config.clone();
                    (p.prev_status.clone(), "ROLLBACK_SUCCEEDED")
                }
                (Outcome::Fail, _) => {
                    let status = match p.op_type.as_str() {
                        "CREATE_SERVICE" => "CREATE_FAILED".to_string(),
                        "DELETE_SERVICE" => "DELETE_FAILED".to_string(),
                        _ => {
                            self.services[i].config = p.prev_config.clone();
                            p.prev_status.clone()
                        }
                    };
                    (status, "FAILED")
                }
                _ => {
                    let status = match p.op_type.as_str() {
                        "DELETE_SERVICE" => "DELETED".to_string(),
                        "PAUSE_SERVICE" => "PAUSED".to_string(),
                        "UPDATE_SERVICE" if p.prev_status == "PAUSED" => "PAUSED".to_string(),
                        _ => "RUNNING".to_string(),
                    };
                    (status, "SUCCEEDED")
                }
            };
            let s = &mut self.services[i];
            s.status = status.clone();
            s.updated_at = at;
            s.pending = None;
            if status == "DELETED" {
                s.deleted_at = Some(at);
                self.cascade_service_delete(&arn, at);
            }
            self.finish_operation(&p.op_id, op_status, at);
            tracing::info!(service = %arn, %status, operation = %p.op_type, result = op_status, "operation finished");
        }
        changed
    }

    /// A deleted service takes its domains and ingress connections with it.
    fn cascade_service_delete(&mut self, arn: &str, now: i64) {
        self.domains.retain(|d| d.service_arn != arn);
        for ic in self
            .ingress
            .iter_mut()
            .filter(|i| i.service_arn == arn && i.status != "DELETED")
        {
            ic.status = "DELETED".into();
            ic.deleted_at = Some(now);
            ic.pending = None;
            self.tags.remove(&ic.arn);
        }
        self.tags.remove(arn);
    }
}

fn service_not_found(arn: &str) -> ApiError {
    ApiError::not_found(format!("Service with ARN {arn} doesn't exist"))
}
