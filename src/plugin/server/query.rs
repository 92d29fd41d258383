//! `terraform query`: listing a type's remote objects, and generating
//! configuration for what was found.

use super::{Diagnostics, ProviderService, pb, unknown_type, unsupported};
use crate::plugin::framework::Provider;

/// How many objects a list answers when Terraform sets no limit.
const DEFAULT_LIST_LIMIT: usize = 100;

impl<P: Provider> ProviderService<P> {
    /// Lists a type's remote objects as query events.
    pub(super) async fn list(
        &self,
        req: &pb::list_resource::Request,
    ) -> Result<Vec<pb::list_resource::Event>, Diagnostics> {
        let (entry, list) = self.listable(&req.type_name)?;
        let lister = entry
            .resource
            .lister()
            .ok_or_else(|| unknown_type("list resource", &req.type_name))?;
        if entry.identity().is_none() {
            return Err(unsupported("listing without identity"));
        }
        let d = entry.described();
        let config = list.decode(req.config.as_ref())?;
        let limit = usize::try_from(req.limit)
            .ok()
            .filter(|l| *l > 0)
            .unwrap_or(DEFAULT_LIST_LIMIT);
        let found = lister.list(&self.ctx()?, &config, limit).await?;
        let mut events = Vec::with_capacity(found.len());
        for item in found.into_iter().take(limit) {
            let state = d.conform(item.state, "Provider listed an invalid object")?;
            events.push(pb::list_resource::Event {
                identity: entry.identity_data(&state)?,
                display_name: item.display_name,
                resource_object: if req.include_resource_object {
                    Some(d.encode(&state)?)
                } else {
                    None
                },
                diagnostic: Vec::new(),
            });
        }
        Ok(events)
    }

    pub(super) async fn generate_config(
        &self,
        req: pb::generate_resource_config::Request,
    ) -> Result<pb::generate_resource_config::Response, Diagnostics> {
        let (entry, d) = self.resource(&req.type_name)?;
        let state = d.decode(req.state.as_ref())?;
        let config = entry
            .resource
            .generate_config(&self.plan_ctx(), &state, &d.schema);
        let config = d.conform(config, "Provider generated an invalid configuration")?;
        Ok(pb::generate_resource_config::Response {
            config: Some(d.encode(&config)?),
            diagnostics: Vec::new(),
        })
    }
}
