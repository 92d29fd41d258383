//! Auto scaling and observability configurations: immutable revisions under
//! a name, `Latest`, the account's default auto scaling configuration, and
//! the deletion rules (not the default, not while a service uses it).
//!
//! Both kinds follow the same revision and quota rules, written once in
//! [`Revisions`]; [`ConfigKind`] holds what differs between them.

use std::ops::Deref;

use serde::{Deserialize, Serialize};

use super::{ApiError, Ctx, Region, Res, check_quota, hex_id};

pub(crate) const DEFAULT_NAME: &str = "DefaultConfiguration";
const BUILTIN_ID: &str = "00000000000000000000000000000001";

/// One revision of a configuration. Persisted flat (the kind's settings
/// beside the common fields), as state files have always held it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Revision<T> {
    pub arn: String,
    pub name: String,
    pub revision: i64,
    #[serde(flatten)]
    pub settings: T,
    /// `ACTIVE`/`INACTIVE`, in the kind's spelling ([`ConfigKind::ACTIVE`]).
    pub status: String,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
    /// The region's built-in `DefaultConfiguration` revision 1.
    pub builtin: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct AutoScalingSettings {
    pub max_concurrency: i64,
    pub min_size: i64,
    pub max_size: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct ObservabilitySettings {
    pub trace_vendor: Option<String>,
}

pub(crate) type AutoScalingConfig = Revision<AutoScalingSettings>;
pub(crate) type ObservabilityConfig = Revision<ObservabilitySettings>;

/// What differs between the kinds of revisioned configuration.
pub(crate) trait ConfigKind: Clone + Sized {
    /// The resource type in ARNs (`KIND/NAME/REV/ID`).
    const ARN_KIND: &'static str;
    /// Capitalized, as messages start with it.
    const NOUN: &'static str;
    /// Status spellings: the real API sends auto scaling's in lowercase.
    const ACTIVE: &'static str;
    const INACTIVE: &'static str;
    const MAX_NAMES: usize;
    const MAX_REVISIONS: usize;

    fn store(region: &Region) -> &Revisions<Self>;
    fn store_mut(region: &mut Region) -> &mut Revisions<Self>;

    /// Checks the settings of a new revision.
    fn validate(&self) -> Res<()> {
        Ok(())
    }

    /// Refuses to delete `c`; checked for every revision before any goes.
    fn check_delete(region: &Region, c: &Revision<Self>) -> Res<()>;
}

impl ConfigKind for AutoScalingSettings {
    const ARN_KIND: &'static str = "autoscalingconfiguration";
    const NOUN: &'static str = "Auto scaling configuration";
    const ACTIVE: &'static str = "active";
    const INACTIVE: &'static str = "inactive";
    const MAX_NAMES: usize = 10;
    const MAX_REVISIONS: usize = 5;

    fn store(region: &Region) -> &Revisions<Self> {
        &region.auto_scaling
    }
    fn store_mut(region: &mut Region) -> &mut Revisions<Self> {
        &mut region.auto_scaling
    }

    fn validate(&self) -> Res<()> {
        let (min, max) = (self.min_size, self.max_size);
        if min > max {
            return Err(ApiError::invalid_request(format!(
                "MinSize ({min}) must be less than or equal to MaxSize ({max})"
            )));
        }
        Ok(())
    }

    fn check_delete(region: &Region, c: &AutoScalingConfig) -> Res<()> {
        if c.arn == region.default_auto_scaling_arn {
            return Err(ApiError::invalid_request(
                "You can't delete the default auto scaling configuration. To delete it, first make another configuration the default.",
            ));
        }
        if region.asc_in_use(&c.arn) {
            return Err(ApiError::invalid_request(
                "You can't delete the auto scaling configuration. It's used by one or more services. To delete it, update the services to use other auto scaling configurations.",
            ));
        }
        Ok(())
    }
}

impl AutoScalingSettings {
    /// The service's defaults for what CreateAutoScalingConfiguration omits.
    pub fn with_defaults(
        max_concurrency: Option<i64>,
        min_size: Option<i64>,
        max_size: Option<i64>,
    ) -> AutoScalingSettings {
        AutoScalingSettings {
            max_concurrency: max_concurrency.unwrap_or(100),
            min_size: min_size.unwrap_or(1),
            max_size: max_size.unwrap_or(25),
        }
    }
}

impl ConfigKind for ObservabilitySettings {
    const ARN_KIND: &'static str = "observabilityconfiguration";
    const NOUN: &'static str = "Observability configuration";
    const ACTIVE: &'static str = "ACTIVE";
    const INACTIVE: &'static str = "INACTIVE";
    const MAX_NAMES: usize = 10;
    const MAX_REVISIONS: usize = 10;

    fn store(region: &Region) -> &Revisions<Self> {
        &region.observability
    }
    fn store_mut(region: &mut Region) -> &mut Revisions<Self> {
        &mut region.observability
    }

    fn check_delete(_: &Region, c: &ObservabilityConfig) -> Res<()> {
        if c.builtin {
            return Err(ApiError::invalid_request(
                "You can't delete the default observability configuration",
            ));
        }
        Ok(())
    }
}

impl<T: ConfigKind> Revision<T> {
    pub fn is_active(&self) -> bool {
        self.status == T::ACTIVE
    }
}

/// All revisions of one kind, `INACTIVE` ones included, oldest first.
/// Persisted as a plain list.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Revisions<T>(Vec<Revision<T>>);

impl<T> Default for Revisions<T> {
    fn default() -> Self {
        Revisions(Vec::new())
    }
}

impl<T> Deref for Revisions<T> {
    type Target = [Revision<T>];
    fn deref(&self) -> &[Revision<T>] {
        &self.0
    }
}

/// `NAME`, `NAME/REV` or `NAME/REV/ID` after `KIND/` in an ARN.
struct ArnParts<'a> {
    name: &'a str,
    revision: Option<i64>,
    id: Option<&'a str>,
}

fn parse_parts<'a>(resource: &'a str, kind: &str) -> Option<ArnParts<'a>> {
    let rest = resource.strip_prefix(kind)?.strip_prefix('/')?;
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

fn not_found<T: ConfigKind>(arn: &str) -> ApiError {
    ApiError::not_found(format!("{} not found: {arn}", T::NOUN))
}

impl<T: ConfigKind> Revisions<T> {
    /// Whether `c` is the highest active revision of its name.
    pub fn is_latest(&self, c: &Revision<T>) -> bool {
        c.is_active()
            && !self
                .iter()
                .any(|o| o.name == c.name && o.is_active() && o.revision > c.revision)
    }

    /// Resolves a full, `NAME/REV` or name-only (latest) ARN, given its
    /// resource part (`None` when the ARN is not of this region).
    fn find(&self, resource: Option<&str>, arn: &str) -> Res<&Revision<T>> {
        let p = resource
            .and_then(|r| parse_parts(r, T::ARN_KIND))
            .ok_or_else(|| not_found::<T>(arn))?;
        let mut candidates = self.iter().filter(|c| c.name == p.name);
        let found = match (p.revision, p.id) {
            (Some(rev), Some(id)) => {
                candidates.find(|c| c.revision == rev && c.arn.ends_with(&format!("/{id}")))
            }
            (Some(rev), None) => candidates
                .filter(|c| c.revision == rev)
                .max_by_key(|c| c.is_active()),
            (None, _) => candidates
                .filter(|c| c.is_active())
                .max_by_key(|c| c.revision),
        };
        found.ok_or_else(|| not_found::<T>(arn))
    }

    /// The quotas: names with active revisions, and active revisions per
    /// name (built-in revisions count for neither).
    fn check_quota(&self, name: &str) -> Res<()> {
        let active = |c: &&Revision<T>| c.is_active() && !c.builtin;
        let revisions = self
            .iter()
            .filter(active)
            .filter(|c| c.name == name)
            .count();
        let noun = T::NOUN.to_lowercase();
        if revisions == 0 {
            let mut names: Vec<&str> = self
                .iter()
                .filter(active)
                .map(|c| c.name.as_str())
                .collect();
            names.sort();
            names.dedup();
            check_quota(names.len(), T::MAX_NAMES, &format!("{noun} names"))?;
        } else if revisions >= T::MAX_REVISIONS {
            return Err(ApiError::quota(format!(
                "You have reached the maximum number of revisions ({}) for {noun} {name}",
                T::MAX_REVISIONS
            )));
        }
        Ok(())
    }

    /// Revisions are numbered per name and never reused.
    fn next_revision(&self, name: &str) -> i64 {
        self.iter()
            .filter(|c| c.name == name)
            .map(|c| c.revision)
            .max()
            .unwrap_or(0)
            + 1
    }

    pub fn list(&self, name: Option<&str>, latest_only: bool) -> Vec<Revision<T>> {
        self.iter()
            .filter(|c| c.is_active())
            .filter(|c| name.is_none_or(|n| c.name == n))
            .filter(|c| !latest_only || self.is_latest(c))
            .cloned()
            .collect()
    }

    fn deactivate(&mut self, arn: &str, now: i64) -> Option<Revision<T>> {
        let c = self.0.iter_mut().find(|c| c.arn == arn)?;
        c.status = T::INACTIVE.into();
        c.deleted_at = Some(now);
        Some(c.clone())
    }
}

impl Region {
    pub(super) fn seed_builtins(&mut self, now: i64) {
        let asc = self.builtin_config(now, AutoScalingSettings::with_defaults(None, None, None));
        self.default_auto_scaling_arn = asc.arn.clone();
        self.auto_scaling.0.push(asc);
        let obs = self.builtin_config(
            now,
            ObservabilitySettings {
                trace_vendor: Some("AWSXRAY".into()),
            },
        );
        self.observability.0.push(obs);
    }

    fn builtin_config<T: ConfigKind>(&self, now: i64, settings: T) -> Revision<T> {
        Revision {
            arn: self.arn(&format!("{}/{DEFAULT_NAME}/1/{BUILTIN_ID}", T::ARN_KIND)),
            name: DEFAULT_NAME.into(),
            revision: 1,
            settings,
            status: T::ACTIVE.into(),
            created_at: now,
            deleted_at: None,
            builtin: true,
        }
    }

    pub fn default_observability_arn(&self) -> String {
        self.arn(&format!(
            "{}/{DEFAULT_NAME}/1/{BUILTIN_ID}",
            ObservabilitySettings::ARN_KIND
        ))
    }

    /// Resolves a full, `NAME/REV` or name-only (latest) ARN.
    pub fn find_config<T: ConfigKind>(&self, arn: &str) -> Res<&Revision<T>> {
        T::store(self).find(self.resource_of(arn), arn)
    }

    pub fn config_is_latest<T: ConfigKind>(&self, c: &Revision<T>) -> bool {
        T::store(self).is_latest(c)
    }

    pub fn list_configs<T: ConfigKind>(
        &self,
        name: Option<&str>,
        latest_only: bool,
    ) -> Vec<Revision<T>> {
        T::store(self).list(name, latest_only)
    }

    /// Adds the next revision of `name`; returns its ARN.
    pub fn create_config<T: ConfigKind>(
        &mut self,
        ctx: &Ctx,
        name: &str,
        settings: T,
        tags: Vec<(String, String)>,
    ) -> Res<String> {
        settings.validate()?;
        let store = T::store(self);
        store.check_quota(name)?;
        let revision = store.next_revision(name);
        let arn = self.arn(&format!("{}/{name}/{revision}/{}", T::ARN_KIND, hex_id()));
        T::store_mut(self).0.push(Revision {
            arn: arn.clone(),
            name: name.into(),
            revision,
            settings,
            status: T::ACTIVE.into(),
            created_at: ctx.now,
            deleted_at: None,
            builtin: false,
        });
        self.set_tags(&arn, tags);
        Ok(arn)
    }

    /// Deletes one revision, the latest (name-only ARN) or all revisions
    /// (name-only ARN with `all`); returns the last deleted.
    pub fn delete_config<T: ConfigKind>(
        &mut self,
        ctx: &Ctx,
        arn: &str,
        all: bool,
    ) -> Res<Revision<T>> {
        let targets: Vec<Revision<T>> = if all {
            let p = self
                .resource_of(arn)
                .and_then(|r| parse_parts(r, T::ARN_KIND))
                .ok_or_else(|| not_found::<T>(arn))?;
            if p.revision.is_some() {
                return Err(ApiError::invalid_request(format!(
                    "DeleteAllRevisions can only be used with an {} ARN that ends with the configuration name (no revision)",
                    T::NOUN.to_lowercase()
                )));
            }
            let all: Vec<Revision<T>> = T::store(self)
                .iter()
                .filter(|c| c.name == p.name && c.is_active())
                .cloned()
                .collect();
            if all.is_empty() {
                return Err(not_found::<T>(arn));
            }
            all
        } else {
            let c = self.find_config::<T>(arn)?;
            if !c.is_active() {
                return Err(not_found::<T>(arn));
            }
            vec![c.clone()]
        };
        for t in &targets {
            T::check_delete(self, t)?;
        }
        let mut last = None;
        for t in &targets {
            last = T::store_mut(self).deactivate(&t.arn, ctx.now);
            self.tags.remove(&t.arn);
        }
        Ok(last.expect("at least one target"))
    }

    // ---- auto scaling ----

    pub fn asc_in_use(&self, arn: &str) -> bool {
        self.services
            .iter()
            .any(|s| s.is_live() && s.config.auto_scaling_arn == arn)
    }

    pub fn update_default_auto_scaling(&mut self, arn: &str) -> Res<AutoScalingConfig> {
        let c = self.find_config::<AutoScalingSettings>(arn)?.clone();
        if !c.is_active() {
            return Err(not_found::<AutoScalingSettings>(arn));
        }
        self.default_auto_scaling_arn = c.arn.clone();
        Ok(c)
    }

    pub fn services_for_auto_scaling(&self, arn: &str) -> Res<Vec<String>> {
        let c = self.find_config::<AutoScalingSettings>(arn)?;
        Ok(self
            .services
            .iter()
            .filter(|s| s.is_live() && s.config.auto_scaling_arn == c.arn)
            .map(|s| s.arn.clone())
            .collect())
    }
}
