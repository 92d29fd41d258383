//! Tags on taggable resources, keyed by ARN.

use serde::{Deserialize, Deserializer};

use super::{ApiError, Region, Res};

/// A request's `Tags` list as (key, value) pairs. The model lets a tag
/// leave out its key (skipped here) or its value (empty).
pub(crate) fn deserialize_tags<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<(String, String)>, D::Error> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Tag {
        key: Option<String>,
        value: Option<String>,
    }
    let list = Option::<Vec<Option<Tag>>>::deserialize(d)?;
    Ok(list
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|t| Some((t.key?, t.value.unwrap_or_default())))
        .collect())
}

impl Region {
    pub(super) fn set_tags(&mut self, arn: &str, tags: Vec<(String, String)>) {
        if !tags.is_empty() {
            self.merge_tags(arn, tags);
        }
    }

    fn merge_tags(&mut self, arn: &str, tags: Vec<(String, String)>) {
        let entry = self.tags.entry(arn.to_string()).or_default();
        for (k, v) in tags {
            match entry.iter_mut().find(|(ek, _)| *ek == k) {
                Some(e) => e.1 = v,
                None => entry.push((k, v)),
            }
        }
    }

    /// Checks that `arn` names a taggable resource; a deleted one is refused
    /// with `InvalidStateException`, an unknown one is not found.
    fn check_taggable(&self, arn: &str) -> Res<()> {
        // Every taggable object: its ARN, and whether it is live.
        let mut objects = (self.services.iter().map(|s| (&s.arn, s.is_live())))
            .chain(self.auto_scaling.iter().map(|c| (&c.arn, c.is_active())))
            .chain(self.observability.iter().map(|c| (&c.arn, c.is_active())))
            .chain(
                self.vpc_connectors
                    .iter()
                    .map(|c| (&c.arn, c.status == "ACTIVE")),
            )
            .chain(self.ingress.iter().map(|i| (&i.arn, i.status != "DELETED")))
            .chain(self.connections.iter().map(|c| (&c.arn, true)));
        let live = objects.find(|(a, _)| *a == arn).map(|(_, live)| live);
        match live {
            Some(true) => Ok(()),
            Some(false) => Err(ApiError::invalid_state(format!(
                "Resource {arn} has been deleted"
            ))),
            None => Err(ApiError::not_found(format!("Resource not found: {arn}"))),
        }
    }

    pub fn tag_resource(&mut self, arn: &str, tags: Vec<(String, String)>) -> Res<()> {
        self.check_taggable(arn)?;
        self.merge_tags(arn, tags);
        Ok(())
    }

    pub fn untag_resource(&mut self, arn: &str, keys: &[String]) -> Res<()> {
        self.check_taggable(arn)?;
        if let Some(entry) = self.tags.get_mut(arn) {
            entry.retain(|(k, _)| !keys.contains(k));
            if entry.is_empty() {
                self.tags.remove(arn);
            }
        }
        Ok(())
    }

    pub fn list_tags(&self, arn: &str) -> Res<Vec<(String, String)>> {
        self.check_taggable(arn)?;
        Ok(self.tags.get(arn).cloned().unwrap_or_default())
    }
}
