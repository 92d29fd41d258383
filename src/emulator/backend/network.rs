//! VPC connectors (egress) and VPC ingress connections (private endpoints).

use serde::{Deserialize, Serialize};

use super::{ApiError, Ctx, Outcome, Region, Res, check_quota, dns_label, hex_id, require_status};

pub(crate) const MAX_VPC_CONNECTORS: usize = 10;
/// VPC ingress connections per service.
pub(crate) const MAX_INGRESS_PER_SERVICE: usize = 1;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct VpcConnector {
    pub arn: String,
    pub name: String,
    pub revision: i64,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub status: String,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct IngressConnection {
    pub arn: String,
    pub name: String,
    pub service_arn: String,
    pub status: String,
    pub domain_name: String,
    pub vpc_id: Option<String>,
    pub vpc_endpoint_id: Option<String>,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
    /// Due time (`None` = stuck) and the status reached then.
    pub pending: Option<(Option<i64>, String)>,
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v.dedup();
    v
}

impl Region {
    pub fn create_vpc_connector(
        &mut self,
        ctx: &Ctx,
        name: &str,
        subnets: Vec<String>,
        security_groups: Vec<String>,
        tags: Vec<(String, String)>,
    ) -> Res<String> {
        if subnets.is_empty() {
            return Err(ApiError::invalid_request(
                "Subnets must contain at least one subnet ID",
            ));
        }
        let active: Vec<&VpcConnector> = self.active_vpc_connectors().collect();
        if active.iter().any(|c| c.name == name) {
            return Err(ApiError::invalid_request(format!(
                "A VPC connector with the name {name} already exists"
            )));
        }
        if let Some(c) = active.iter().find(|c| {
            sorted(&c.subnets) == sorted(&subnets)
                && sorted(&c.security_groups) == sorted(&security_groups)
        }) {
            return Err(ApiError::invalid_request(format!(
                "A VPC connector with the same subnets and security groups combination already exists: {}",
                c.arn
            )));
        }
        check_quota(active.len(), MAX_VPC_CONNECTORS, "VPC connectors")?;
        let arn = self.arn(&format!("vpcconnector/{name}/1/{}", hex_id()));
        self.vpc_connectors.push(VpcConnector {
            arn: arn.clone(),
            name: name.into(),
            revision: 1,
            subnets,
            security_groups,
            status: "ACTIVE".into(),
            created_at: ctx.now,
            deleted_at: None,
        });
        self.set_tags(&arn, tags);
        Ok(arn)
    }

    /// The VPC connectors that are not deleted.
    pub fn active_vpc_connectors(&self) -> impl Iterator<Item = &VpcConnector> {
        self.vpc_connectors.iter().filter(|c| c.status == "ACTIVE")
    }

    pub fn vpc_connector(&self, arn: &str) -> Res<&VpcConnector> {
        self.vpc_connectors
            .iter()
            .find(|c| c.arn == arn)
            .ok_or_else(|| ApiError::not_found(format!("VPC connector not found: {arn}")))
    }

    pub fn delete_vpc_connector(&mut self, ctx: &Ctx, arn: &str) -> Res<VpcConnector> {
        let i = (self.vpc_connectors.iter())
            .position(|c| c.arn == arn && c.status == "ACTIVE")
            .ok_or_else(|| ApiError::not_found(format!("VPC connector not found: {arn}")))?;
        if self
            .services
            .iter()
            .any(|s| s.is_live() && s.vpc_connector_arn() == Some(arn))
        {
            return Err(ApiError::invalid_request(format!(
                "VPC connector {arn} is being used by other services. Update those services to stop using it first."
            )));
        }
        let c = &mut self.vpc_connectors[i];
        c.status = "INACTIVE".into();
        c.deleted_at = Some(ctx.now);
        let out = c.clone();
        self.tags.remove(arn);
        Ok(out)
    }

    // ---- ingress ----

    pub fn create_ingress(
        &mut self,
        ctx: &Ctx,
        service_arn: &str,
        name: &str,
        vpc_id: Option<String>,
        vpc_endpoint_id: Option<String>,
        tags: Vec<(String, String)>,
    ) -> Res<String> {
        self.attachable_service(
            service_arn,
            "a VPC ingress connection needs a RUNNING or PAUSED service",
        )?;
        if vpc_id.is_none() || vpc_endpoint_id.is_none() {
            return Err(ApiError::invalid_request(
                "IngressVpcConfiguration requires both VpcId and VpcEndpointId",
            ));
        }
        let live = |i: &&IngressConnection| i.status != "DELETED";
        if self.ingress.iter().filter(live).any(|i| i.name == name) {
            return Err(ApiError::invalid_request(format!(
                "A VPC ingress connection with the name {name} already exists"
            )));
        }
        if self
            .ingress
            .iter()
            .filter(live)
            .filter(|i| i.service_arn == service_arn)
            .count()
            >= MAX_INGRESS_PER_SERVICE
        {
            return Err(ApiError::quota(format!(
                "You have reached the maximum number of VPC ingress connections ({MAX_INGRESS_PER_SERVICE}) for service {service_arn}"
            )));
        }
        let arn = self.arn(&format!("vpcingressconnection/{name}/{}", hex_id()));
        let pending = pending_step(ctx, "AVAILABLE", "FAILED_CREATION");
        self.ingress.push(IngressConnection {
            arn: arn.clone(),
            name: name.into(),
            service_arn: service_arn.into(),
            status: "PENDING_CREATION".into(),
            domain_name: format!("{}.{}.awsapprunner.com", dns_label(10), self.region),
            vpc_id,
            vpc_endpoint_id,
            created_at: ctx.now,
            deleted_at: None,
            pending: Some(pending),
        });
        self.set_tags(&arn, tags);
        Ok(arn)
    }

    pub fn ingress_connection(&self, arn: &str) -> Res<&IngressConnection> {
        self.ingress
            .iter()
            .find(|i| i.arn == arn)
            .ok_or_else(|| ApiError::not_found(format!("VPC ingress connection not found: {arn}")))
    }

    fn ingress_mut(&mut self, arn: &str) -> Res<&mut IngressConnection> {
        self.ingress
            .iter_mut()
            .find(|i| i.arn == arn && i.status != "DELETED")
            .ok_or_else(|| ApiError::not_found(format!("VPC ingress connection not found: {arn}")))
    }

    pub fn update_ingress(
        &mut self,
        ctx: &Ctx,
        arn: &str,
        vpc_id: Option<String>,
        vpc_endpoint_id: Option<String>,
    ) -> Res<IngressConnection> {
        let ic = self.ingress_mut(arn)?;
        let updatable = ["AVAILABLE", "FAILED_CREATION", "FAILED_UPDATE"];
        require_status(&ic.status, &updatable, || {
            format!(
                "VPC ingress connection {arn} can't be updated in status {}. It must be AVAILABLE, FAILED_CREATION or FAILED_UPDATE.",
                ic.status
            )
        })?;
        if vpc_id.is_some() {
            ic.vpc_id = vpc_id;
        }
        if vpc_endpoint_id.is_some() {
            ic.vpc_endpoint_id = vpc_endpoint_id;
        }
        ic.status = "PENDING_UPDATE".into();
        ic.pending = Some(pending_step(ctx, "AVAILABLE", "FAILED_UPDATE"));
        Ok(ic.clone())
    }

    pub fn delete_ingress(&mut self, ctx: &Ctx, arn: &str) -> Res<IngressConnection> {
        let ic = self.ingress_mut(arn)?;
        let deletable = [
            "AVAILABLE",
            "FAILED_CREATION",
            "FAILED_UPDATE",
            "FAILED_DELETION",
        ];
        require_status(&ic.status, &deletable, || {
            format!(
                "VPC ingress connection {arn} can't be deleted in status {}",
                ic.status
            )
        })?;
        ic.status = "PENDING_DELETION".into();
        ic.pending = Some(pending_step(ctx, "DELETED", "FAILED_DELETION"));
        Ok(ic.clone())
    }

    pub(super) fn settle_ingress(&mut self, now: i64) -> bool {
        let mut changed = false;
        let mut deleted = vec![];
        for ic in self.ingress.iter_mut() {
            if let Some((Some(due), next)) = ic.pending.clone()
                && due <= now
            {
                ic.status = next;
                ic.pending = None;
                if ic.status == "DELETED" {
                    ic.deleted_at = Some(now);
                    deleted.push(ic.arn.clone());
                }
                changed = true;
            }
        }
        for arn in deleted {
            self.tags.remove(&arn);
        }
        changed
    }
}

/// The pending step of an ingress change under the request's fault outcome.
fn pending_step(ctx: &Ctx, success: &str, failure: &str) -> (Option<i64>, String) {
    let due = Some(ctx.now.saturating_add(ctx.duration_ms));
    match ctx.outcome {
        Outcome::Stuck => (None, success.to_string()),
        Outcome::Fail | Outcome::Rollback => (due, failure.to_string()),
        Outcome::Succeed => (due, success.to_string()),
    }
}
