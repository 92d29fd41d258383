//! Auto scaling and observability configurations: immutable revisions under
//! a name, `Latest`, the account's default auto scaling configuration, and
//! the deletion rules (not the default, not while a service uses it).

use serde::{Deserialize, Serialize};

use super::{ApiError, Ctx, Region, Res, hex_id};

pub(crate) const MAX_ASC_NAMES: usize = 10;
pub(crate) const MAX_ASC_REVISIONS: usize = 5;
pub(crate) const MAX_OBS_NAMES: usize = 10;
pub(crate) const MAX_OBS_REVISIONS: usize = 10;
pub(crate) const DEFAULT_NAME: &str = "DefaultConfiguration";
const BUILTIN_ID: &str = "00000000000000000000000000000001";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct AutoScalingConfig {
    pub arn: String,
    pub name: String,
    pub revision: i64,
    pub max_concurrency: i64,
    pub min_size: i64,
    pub max_size: i64,
    /// Lowercase on the wire, as the real API sends it.
    pub status: String,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
    /// The region's built-in `DefaultConfiguration` revision 1.
    pub builtin: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct ObservabilityConfig {
    pub arn: String,
    pub name: String,
    pub revision: i64,
    pub trace_vendor: Option<String>,
    pub status: String,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
    pub builtin: bool,
}

/// `NAME`, `NAME/REV` or `NAME/REV/ID` after `KIND/` in an ARN.
struct ArnParts<'a> {
    name: &'a str,
    revision: Option<i64>,
    id: Option<&'a str>,
}

fn parse_parts<'a>(region: &Region, arn: &'a str, kind: &str) -> Option<ArnParts<'a>> {
    let rest = region
        .resource_of(arn)?
        .strip_prefix(kind)?
        .strip_prefix('/')?;
    let mut it = rest.split('/');
    let name = it.next().filter(|n| !n.is_empty())?;
    let revision = match it.next() {
        Some(r) => Some(r.parse().ok()?),
        None => None,
    };
    let id = it.next();
    if it.next().is_some() {
        return None;
    }
    Some(ArnParts { name, revision, id })
}

impl Region {
    pub(super) fn seed_builtins(&mut self, now: i64) {
        let asc = AutoScalingConfig {
            arn: self.arn(&format!(
                "autoscalingconfiguration/{DEFAULT_NAME}/1/{BUILTIN_ID}"
            )),
            name: DEFAULT_NAME.into(),
            revision: 1,
            max_concurrency: 100,
            min_size: 1,
            max_size: 25,
            status: "active".into(),
            created_at: now,
            deleted_at: None,
            builtin: true,
        };
        self.default_auto_scaling_arn = asc.arn.clone();
        self.auto_scaling.push(asc);
        self.observability.push(ObservabilityConfig {
            arn: self.default_observability_arn(),
            name: DEFAULT_NAME.into(),
            revision: 1,
            trace_vendor: Some("AWSXRAY".into()),
            status: "ACTIVE".into(),
            created_at: now,
            deleted_at: None,
            builtin: true,
        });
    }

    pub fn default_observability_arn(&self) -> String {
        self.arn(&format!(
            "observabilityconfiguration/{DEFAULT_NAME}/1/{BUILTIN_ID}"
        ))
    }

    // ---- auto scaling ----

    /// Whether `revision` is the highest active revision of its name.
    pub fn asc_is_latest(&self, c: &AutoScalingConfig) -> bool {
        c.status == "active"
            && !self
                .auto_scaling
                .iter()
                .any(|o| o.name == c.name && o.status == "active" && o.revision > c.revision)
    }

    pub fn asc_in_use(&self, arn: &str) -> bool {
        self.services
            .iter()
            .any(|s| s.is_live() && s.config.auto_scaling_arn == arn)
    }

    /// Resolves a full, `NAME/REV` or name-only (latest) ARN.
    pub fn find_auto_scaling(&self, arn: &str) -> Res<&AutoScalingConfig> {
        let not_found =
            || ApiError::not_found(format!("Auto scaling configuration not found: {arn}"));
        let p = parse_parts(self, arn, "autoscalingconfiguration").ok_or_else(not_found)?;
        let mut candidates = self.auto_scaling.iter().filter(|c| c.name == p.name);
        let found = match (p.revision, p.id) {
            (Some(rev), Some(id)) => {
                candidates.find(|c| c.revision == rev && c.arn.ends_with(&format!("/{id}")))
            }
            (Some(rev), None) => candidates
                .filter(|c| c.revision == rev)
                .max_by_key(|c| c.status == "active"),
            (None, _) => candidates
                .filter(|c| c.status == "active")
                .max_by_key(|c| c.revision),
        };
        found.ok_or_else(not_found)
    }

    pub fn create_auto_scaling(
        &mut self,
        ctx: &Ctx,
        name: &str,
        max_concurrency: Option<i64>,
        min_size: Option<i64>,
        max_size: Option<i64>,
        tags: Vec<(String, String)>,
    ) -> Res<String> {
        let (min, max) = (min_size.unwrap_or(1), max_size.unwrap_or(25));
        if min > max {
            return Err(ApiError::invalid_request(format!(
                "MinSize ({min}) must be less than or equal to MaxSize ({max})"
            )));
        }
        let active = |c: &&AutoScalingConfig| c.status == "active" && !c.builtin;
        let revisions = self
            .auto_scaling
            .iter()
            .filter(active)
            .filter(|c| c.name == name)
            .count();
        if revisions == 0 {
            let mut names: Vec<&str> = self
                .auto_scaling
                .iter()
                .filter(active)
                .map(|c| c.name.as_str())
                .collect();
            names.sort();
            names.dedup();
            if names.len() >= MAX_ASC_NAMES {
                return Err(ApiError::quota(format!(
                    "You have reached the maximum number of auto scaling configuration names ({MAX_ASC_NAMES})"
                )));
            }
        } else if revisions >= MAX_ASC_REVISIONS {
            return Err(ApiError::quota(format!(
                "You have reached the maximum number of revisions ({MAX_ASC_REVISIONS}) for auto scaling configuration {name}"
            )));
        }
        let revision = self
            .auto_scaling
            .iter()
            .filter(|c| c.name == name)
            .map(|c| c.revision)
            .max()
            .unwrap_or(0)
            + 1;
        let arn = self.arn(&format!(
            "autoscalingconfiguration/{name}/{revision}/{}",
            hex_id()
        ));
        self.auto_scaling.push(AutoScalingConfig {
            arn: arn.clone(),
            name: name.into(),
            revision,
            max_concurrency: max_concurrency.unwrap_or(100),
            min_size: min,
            max_size: max,
            status: "active".into(),
            created_at: ctx.now,
            deleted_at: None,
            builtin: false,
        });
        self.set_tags(&arn, tags);
        Ok(arn)
    }

    /// Deletes one revision, the latest (name-only ARN) or all revisions
    /// (name-only ARN with `DeleteAllRevisions`); returns the last deleted.
    pub fn delete_auto_scaling(
        &mut self,
        ctx: &Ctx,
        arn: &str,
        all: bool,
    ) -> Res<AutoScalingConfig> {
        let p = parse_parts(self, arn, "autoscalingconfiguration").ok_or_else(|| {
            ApiError::not_found(format!("Auto scaling configuration not found: {arn}"))
        })?;
        let targets: Vec<String> = if all {
            if p.revision.is_some() {
                return Err(ApiError::invalid_request(
                    "DeleteAllRevisions can only be used with an auto scaling configuration ARN that ends with the configuration name (no revision)",
                ));
            }
            let arns: Vec<String> = self
                .auto_scaling
                .iter()
                .filter(|c| c.name == p.name && c.status == "active")
                .map(|c| c.arn.clone())
                .collect();
            if arns.is_empty() {
                return Err(ApiError::not_found(format!(
                    "Auto scaling configuration not found: {arn}"
                )));
            }
            arns
        } else {
            let c = self.find_auto_scaling(arn)?;
            if c.status != "active" {
                return Err(ApiError::not_found(format!(
                    "Auto scaling configuration not found: {arn}"
                )));
            }
            vec![c.arn.clone()]
        };
        for t in &targets {
            if *t == self.default_auto_scaling_arn {
                return Err(ApiError::invalid_request(
                    "You can't delete the default auto scaling configuration. To delete it, first make another configuration the default.",
                ));
            }
            if self.asc_in_use(t) {
                return Err(ApiError::invalid_request(
                    "You can't delete the auto scaling configuration. It's used by one or more services. To delete it, update the services to use other auto scaling configurations.",
                ));
            }
        }
        let mut last = None;
        for t in &targets {
            let c = self
                .auto_scaling
                .iter_mut()
                .find(|c| c.arn == *t)
                .expect("target exists");
            c.status = "inactive".into();
            c.deleted_at = Some(ctx.now);
            last = Some(c.clone());
            self.tags.remove(t);
        }
        Ok(last.expect("at least one target"))
    }

    pub fn update_default_auto_scaling(&mut self, arn: &str) -> Res<AutoScalingConfig> {
        let c = self.find_auto_scaling(arn)?.clone();
        if c.status != "active" {
            return Err(ApiError::not_found(format!(
                "Auto scaling configuration not found: {arn}"
            )));
        }
        self.default_auto_scaling_arn = c.arn.clone();
        Ok(c)
    }

    pub fn list_auto_scaling(
        &self,
        name: Option<&str>,
        latest_only: bool,
    ) -> Vec<AutoScalingConfig> {
        self.auto_scaling
            .iter()
            .filter(|c| c.status == "active")
            .filter(|c| name.is_none_or(|n| c.name == n))
            .filter(|c| !latest_only || self.asc_is_latest(c))
            .cloned()
            .collect()
    }

    pub fn services_for_auto_scaling(&self, arn: &str) -> Res<Vec<String>> {
        let c = self.find_auto_scaling(arn)?;
        Ok(self
            .services
            .iter()
            .filter(|s| s.is_live() && s.config.auto_scaling_arn == c.arn)
            .map(|s| s.arn.clone())
            .collect())
    }

    // ---- observability ----

    pub fn obs_is_latest(&self, c: &ObservabilityConfig) -> bool {
        c.status == "ACTIVE"
            && !self
                .observability
                .iter()
                .any(|o| o.name == c.name && o.status == "ACTIVE" && o.revision > c.revision)
    }

    pub fn find_observability(&self, arn: &str) -> Res<&ObservabilityConfig> {
        let not_found =
            || ApiError::not_found(format!("Observability configuration not found: {arn}"));
        let p = parse_parts(self, arn, "observabilityconfiguration").ok_or_else(not_found)?;
        let mut candidates = self.observability.iter().filter(|c| c.name == p.name);
        let found = match (p.revision, p.id) {
            (Some(rev), Some(id)) => {
                candidates.find(|c| c.revision == rev && c.arn.ends_with(&format!("/{id}")))
            }
            (Some(rev), None) => candidates
                .filter(|c| c.revision == rev)
                .max_by_key(|c| c.status == "ACTIVE"),
            (None, _) => candidates
                .filter(|c| c.status == "ACTIVE")
                .max_by_key(|c| c.revision),
        };
        found.ok_or_else(not_found)
    }

    pub fn create_observability(
        &mut self,
        ctx: &Ctx,
        name: &str,
        trace_vendor: Option<String>,
        tags: Vec<(String, String)>,
    ) -> Res<String> {
        let active = |c: &&ObservabilityConfig| c.status == "ACTIVE" && !c.builtin;
        let revisions = self
            .observability
            .iter()
            .filter(active)
            .filter(|c| c.name == name)
            .count();
        if revisions == 0 {
            let mut names: Vec<&str> = self
                .observability
                .iter()
                .filter(active)
                .map(|c| c.name.as_str())
                .collect();
            names.sort();
            names.dedup();
            if names.len() >= MAX_OBS_NAMES {
                return Err(ApiError::quota(format!(
                    "You have reached the maximum number of observability configuration names ({MAX_OBS_NAMES})"
                )));
            }
        } else if revisions >= MAX_OBS_REVISIONS {
            return Err(ApiError::quota(format!(
                "You have reached the maximum number of revisions ({MAX_OBS_REVISIONS}) for observability configuration {name}"
            )));
        }
        let revision = self
            .observability
            .iter()
            .filter(|c| c.name == name)
            .map(|c| c.revision)
            .max()
            .unwrap_or(0)
            + 1;
        let arn = self.arn(&format!(
            "observabilityconfiguration/{name}/{revision}/{}",
            hex_id()
        ));
        self.observability.push(ObservabilityConfig {
            arn: arn.clone(),
            name: name.into(),
            revision,
            trace_vendor,
            status: "ACTIVE".into(),
            created_at: ctx.now,
            deleted_at: None,
            builtin: false,
        });
        self.set_tags(&arn, tags);
        Ok(arn)
    }

    pub fn delete_observability(&mut self, ctx: &Ctx, arn: &str) -> Res<ObservabilityConfig> {
        let c = self.find_observability(arn)?;
        if c.status != "ACTIVE" {
            return Err(ApiError::not_found(format!(
                "Observability configuration not found: {arn}"
            )));
        }
        if c.builtin {
            return Err(ApiError::invalid_request(
                "You can't delete the default observability configuration",
            ));
        }
        let target = c.arn.clone();
        let c = self
            .observability
            .iter_mut()
            .find(|c| c.arn == target)
            .expect("found above");
        c.status = "INACTIVE".into();
        c.deleted_at = Some(ctx.now);
        let out = c.clone();
        self.tags.remove(&target);
        Ok(out)
    }

    pub fn list_observability(
        &self,
        name: Option<&str>,
        latest_only: bool,
    ) -> Vec<ObservabilityConfig> {
        self.observability
            .iter()
            .filter(|c| c.status == "ACTIVE")
            .filter(|c| name.is_none_or(|n| c.name == n))
            .filter(|c| !latest_only || self.obs_is_latest(c))
            .cloned()
            .collect()
    }
}
