//! Superseded auto scaling configuration revisions.
//!
//! A settings change of `apprunner_auto_scaling_configuration_version`
//! makes a new revision; the old one is deleted at once when nothing uses
//! it. When a service (or the account default) still uses it, the old
//! revision gets a marker tag instead, and whatever stops using it later in
//! the same apply (a service moving to the new revision, a new default)
//! deletes it. Cleanup thus happens during apply, never during a plan, and
//! routine changes never pile up revisions against App Runner's quota of
//! five per name. Only revisions carrying the marker are ever deleted this
//! way, so revisions made outside Terraform are left alone.

use aws_sdk_apprunner::types::Tag;
use tracing::debug;

use super::auto_scaling_configuration::{Deleted, delete, describe};
use crate::plugin::Diagnostics;
use crate::provider::AppRunner;
use crate::provider::errors::api_error;

/// The tag that marks a revision as superseded (its value names the
/// revision that replaced it).
pub const MARKER: &str = "terraform-provider-apprunner:superseded-by";

/// Marks `arn` as superseded by `by`.
pub async fn mark(provider: &AppRunner, arn: &str, by: &str) -> Result<(), Diagnostics> {
    provider
        .client_for_arn(arn)
        .tag_resource()
        .resource_arn(arn)
        .tags(Tag::builder().key(MARKER).value(by).build())
        .send()
        .await
        .map(|_| ())
        .map_err(|e| api_error("TagResource", arn, e).into())
}

/// Deletes the auto scaling configuration revision `arn` if it is marked
/// superseded and nothing uses it any more. Best effort: a revision that
/// stays is deleted by a later apply of the resource that superseded it.
pub async fn release(provider: &AppRunner, arn: &str) {
    if !arn.contains(":autoscalingconfiguration/") {
        return;
    }
    let client = provider.client_for_arn(arn);
    let marked = match client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
    {
        Ok(out) => out.tags().iter().any(|t| t.key() == Some(MARKER)),
        Err(e) => {
            debug!(%arn, "not releasing a revision whose tags cannot be read: {e}");
            return;
        }
    };
    if !marked {
        return;
    }
    let asc = match describe(provider, arn).await {
        Ok(Some(asc)) => asc,
        Ok(None) => return,
        Err(e) => {
            debug!(%arn, "not releasing a revision that cannot be described: {e:?}");
            return;
        }
    };
    if asc.has_associated_service() == Some(true) || asc.is_default() == Some(true) {
        return;
    }
    match delete(provider, arn).await {
        Ok(Deleted::Done) => debug!(%arn, "deleted a superseded revision that is no longer used"),
        Ok(Deleted::Refused(e)) | Err(e) => {
            debug!(%arn, "superseded revision not deleted yet: {e:?}")
        }
    }
}
