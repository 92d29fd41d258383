//! A managed resource's life: reading (refresh), planning a change and
//! applying it (create, update, delete).

use tracing::{debug, warn};

use super::{Diagnostics, ProviderService, ResourceEntry, identity_data, pb};
use crate::plugin::convert;
use crate::plugin::diagnostics::{AttributePath, Diagnostic};
use crate::plugin::framework::{Applied, ApplyRequest, Plan, Provider, Read, ReadRequest};
use crate::plugin::plan;
use crate::plugin::value::Value;

impl<P: Provider> ProviderService<P> {
    pub(super) async fn read_resource_state(
        &self,
        req: pb::read_resource::Request,
    ) -> Result<pb::read_resource::Response, Diagnostics> {
        debug!(type_name = %req.type_name, "ReadResource");
        let (entry, d) = self.resource(&req.type_name)?;
        let state = d.decode(req.current_state.as_ref())?;
        let read = match self.ctx() {
            Ok(ctx) => {
                let request = ReadRequest {
                    state: state.clone(),
                    private: req.private.clone(),
                };
                entry.resource.read(&ctx, request).await
            }
            Err(unconfigured) => Read::failed(unconfigured),
        };
        let mut response = pb::read_resource::Response {
            diagnostics: convert::diagnostics(&read.diagnostics),
            ..Default::default()
        };
        // On error keep what Terraform had, so nothing is dropped from state.
        let new_state = match (read.state, read.diagnostics.has_errors()) {
            (_, true) => state,
            (Some(s), false) => s,
            (None, false) => Value::Null,
        };
        if !new_state.is_null() {
            response.new_identity = entry.identity_data(&new_state)?;
        }
        response.new_state = Some(d.encode(&new_state)?);
        response.private = if read.private.is_empty() {
            req.private
        } else {
            read.private
        };
        Ok(response)
    }

    pub(super) async fn plan_change(
        &self,
        req: pb::plan_resource_change::Request,
    ) -> Result<pb::plan_resource_change::Response, Diagnostics> {
        debug!(type_name = %req.type_name, "PlanResourceChange");
        let (entry, d) = self.resource(&req.type_name)?;
        let prior = d.decode(req.prior_state.as_ref())?;
        let proposed = d.decode(req.proposed_new_state.as_ref())?;
        let config = d.decode(req.config.as_ref())?;
        let mut response = pb::plan_resource_change::Response::default();
        if proposed.is_null() {
            // Destroy: nothing to plan but the absence of the object; the
            // private data goes on to the delete.
            response.planned_state = Some(d.encode(&Value::Null)?);
            response.planned_private = req.prior_private;
            return Ok(response);
        }
        let p = self
            .plan_with_rules(entry, prior, proposed, config, req.prior_private)
            .await;
        if p.diagnostics.has_errors() {
            return Err(p.diagnostics);
        }
        // An identity not known until apply is left out: Terraform cannot
        // render unknown identities.
        if let Some((identity, ty)) = entry.identity_of(&p.planned)
            && identity.is_wholly_known()
        {
            response.planned_identity = Some(identity_data(&identity, ty)?);
        }
        response.planned_state = Some(d.encode(&p.planned)?);
        response.requires_replace = p.requires_replace.iter().map(convert::path).collect();
        response.planned_private = p.private;
        response.diagnostics = convert::diagnostics(&p.diagnostics);
        Ok(response)
    }

    /// Plans a create or update: the schema's rules, then the resource's.
    async fn plan_with_rules(
        &self,
        entry: &ResourceEntry<P::Data>,
        prior: Value,
        proposed: Value,
        config: Value,
        private: Vec<u8>,
    ) -> Plan {
        let block = &entry.described().schema.block;
        let mut planned = proposed;
        plan::apply_defaults(block, &config, &mut planned);
        plan::keep_equivalent(block, &prior, &config, &mut planned);
        let mut requires_replace = Vec::new();
        plan::replace_paths(
            block,
            &prior,
            &planned,
            &AttributePath::root(),
            &mut requires_replace,
        );
        if prior.is_null() || planned != prior {
            plan::mark_computed_unknown(
                block,
                &prior,
                &config,
                &mut planned,
                requires_replace.is_empty(),
            );
        }
        plan::null_write_only(block, &mut planned);
        let mut p = Plan {
            prior,
            config,
            planned,
            requires_replace,
            private,
            diagnostics: Diagnostics::new(),
        };
        let replacing_before = p.is_replace();
        entry.resource.plan(&self.plan_ctx(), &mut p).await;
        if !replacing_before && p.is_replace() {
            plan::forget_kept_values(block, &p.prior, &p.config, &mut p.planned);
        }
        p
    }

    pub(super) async fn apply_change(
        &self,
        req: pb::apply_resource_change::Request,
    ) -> Result<pb::apply_resource_change::Response, Diagnostics> {
        debug!(type_name = %req.type_name, "ApplyResourceChange");
        let result = self.apply_to_resource(req).await;
        if let Err(d) = &result {
            warn!(diagnostics = %d, "apply failed before reaching the resource");
        }
        result
    }

    async fn apply_to_resource(
        &self,
        req: pb::apply_resource_change::Request,
    ) -> Result<pb::apply_resource_change::Response, Diagnostics> {
        let (entry, d) = self.resource(&req.type_name)?;
        let prior = d.decode(req.prior_state.as_ref())?;
        let planned = d.decode(req.planned_state.as_ref())?;
        let config = d.decode(req.config.as_ref())?;
        // Unconfigured, nothing changes: each operation fails as it would
        // have failed itself.
        let ctx = self.ctx();
        let mut response = pb::apply_resource_change::Response::default();
        if planned.is_null() {
            let diags = match &ctx {
                Ok(ctx) => {
                    entry
                        .resource
                        .delete(ctx, &prior, &req.planned_private)
                        .await
                }
                Err(unconfigured) => unconfigured.clone(),
            };
            // A failed delete keeps the object in state, with its private data.
            let state = if diags.has_errors() {
                response.private = req.planned_private;
                prior
            } else {
                Value::Null
            };
            response.new_state = Some(d.encode(&state)?);
            response.diagnostics = convert::diagnostics(&diags);
            return Ok(response);
        }
        let request = ApplyRequest {
            prior: prior.clone(),
            planned,
            config,
            private: req.planned_private,
        };
        let mut applied = match ctx {
            Ok(ctx) if prior.is_null() => entry.resource.create(&ctx, request).await,
            Ok(ctx) => entry.resource.update(&ctx, request).await,
            Err(unconfigured) => Applied::failed(unconfigured),
        };
        // An update that failed before changing anything keeps the prior state.
        if applied.state.is_null() && !prior.is_null() {
            applied.state = prior;
        }
        let mut leftovers = Vec::new();
        plan::unknowns_to_null(&mut applied.state, &AttributePath::root(), &mut leftovers);
        for path in leftovers {
            applied.diagnostics.push(
                Diagnostic::error(
                    "Provider left a value unknown after apply",
                    "This is a bug in the provider; please report it.",
                )
                .at(path),
            );
        }
        plan::null_write_only(&d.schema.block, &mut applied.state);
        if !applied.state.is_null() {
            response.new_identity = entry.identity_data(&applied.state)?;
        }
        response.new_state = Some(d.encode(&applied.state)?);
        response.private = applied.private;
        response.diagnostics = convert::diagnostics(&applied.diagnostics);
        Ok(response)
    }
}
