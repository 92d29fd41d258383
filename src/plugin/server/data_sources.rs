//! Reading data sources.

use tracing::debug;

use super::{Diagnostics, ProviderService, pb};
use crate::plugin::framework::Provider;

impl<P: Provider> ProviderService<P> {
    pub(super) async fn read_data(
        &self,
        req: pb::read_data_source::Request,
    ) -> Result<pb::read_data_source::Response, Diagnostics> {
        debug!(type_name = %req.type_name, "ReadDataSource");
        let entry = self.data_source(&req.type_name)?;
        let d = entry.described();
        let config = d.decode(req.config.as_ref())?;
        let state = entry.data_source.read(&self.plan_ctx(), config).await?;
        let state = d.conform(state, "Provider built an invalid data source value")?;
        Ok(pb::read_data_source::Response {
            state: Some(d.encode(&state)?),
            diagnostics: Vec::new(),
            deferred: None,
        })
    }
}
