//! Connections to source code providers: finding them (App Runner has no
//! DescribeConnection; connections are found by name in a list), creating
//! and deleting them, and what other resources need of them: a connection
//! stays `PENDING_HANDSHAKE` until someone completes the handshake in the
//! App Runner console, and App Runner cannot use it until then. Resources
//! that take a `connection_arn` (the service) call [`ensure_available`]
//! before using it, so the user gets that message instead of a failed or
//! stuck operation.

use aws_sdk_apprunner::operation::create_connection::CreateConnectionError;
use aws_sdk_apprunner::types::{Connection, ConnectionSummary, ProviderType, Tag};
use serde::Serialize;

use super::create::Attempt;
use super::{collect, status_is, unless_not_found};
use crate::plugin::model::Field;
use crate::plugin::{Diagnostic, Diagnostics};
use crate::provider::{AppRunner, arns, calls, region};

/// App Runner's rule for connection names.
pub const NAME_PATTERN: &str = r"[A-Za-z0-9][A-Za-z0-9\-_]{3,31}";
/// The source code providers App Runner connects to.
pub const PROVIDER_TYPES: &[&str] = &["GITHUB", "BITBUCKET"];

/// The attributes of a connection its resource and data source share.
#[derive(Serialize)]
pub struct ConnectionAttributes {
    pub arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_name: Option<String>,
    /// Same as the name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_type: Option<String>,
    pub status: Field<String>,
}

impl From<&ConnectionSummary> for ConnectionAttributes {
    fn from(c: &ConnectionSummary) -> Self {
        let arn = c.connection_arn().unwrap_or_default();
        ConnectionAttributes {
            arn: arn.to_string(),
            connection_name: c.connection_name().map(str::to_string),
            id: c.connection_name().map(str::to_string),
            region: region::from_arn(arn).map(str::to_string),
            provider_type: c.provider_type().map(|p| p.as_str().to_string()),
            status: c.status().map(|s| s.as_str()).into(),
        }
    }
}

/// A create's answer as the list gives it, so both are handled alike.
pub fn summary(c: &Connection) -> ConnectionSummary {
    ConnectionSummary::builder()
        .set_connection_name(c.connection_name().map(str::to_string))
        .set_connection_arn(c.connection_arn().map(str::to_string))
        .set_provider_type(c.provider_type().cloned())
        .set_status(c.status().cloned())
        .set_created_at(c.created_at().cloned())
        .build()
}

fn is_deleted(c: &ConnectionSummary) -> bool {
    status_is(c.status(), "DELETED")
}

/// The connections of `region` (deleted ones left out) that `wanted`
/// keeps, at most `limit`.
pub async fn list(
    provider: &AppRunner,
    region: &str,
    limit: usize,
    wanted: impl Fn(&ConnectionSummary) -> bool,
) -> Result<Vec<ConnectionSummary>, Diagnostics> {
    list_named(provider, region, None, region, limit, wanted).await
}

/// [`list`], asking App Runner for the connections called `name` when
/// given, with `what` named in errors.
async fn list_named(
    provider: &AppRunner,
    region: &str,
    name: Option<&str>,
    what: &str,
    limit: usize,
    wanted: impl Fn(&ConnectionSummary) -> bool,
) -> Result<Vec<ConnectionSummary>, Diagnostics> {
    let client = provider.client_in(region);
    let request = client
        .list_connections()
        .set_connection_name(name.map(str::to_string));
    collect(
        request.into_paginator().send(),
        "ListConnections",
        what,
        limit,
        |page| page.connection_summary_list(),
        |c| !is_deleted(c) && wanted(c),
    )
    .await
}

/// Sends one CreateConnection attempt (see [`calls::create_or_adopt`]).
pub async fn create_once(
    provider: &AppRunner,
    region: &str,
    name: &str,
    provider_type: &str,
    tags: Option<Vec<Tag>>,
) -> Attempt<ConnectionSummary, CreateConnectionError> {
    provider
        .client_in(region)
        .create_connection()
        .connection_name(name)
        .provider_type(ProviderType::from(provider_type))
        .set_tags(tags)
        .customize()
        .config_override(calls::one_attempt())
        .send()
        .await
        .map(|out| out.connection().map(summary))
}

/// Asks App Runner to delete the connection; one already gone is fine.
pub async fn delete(provider: &AppRunner, arn: &str) -> Result<(), Diagnostic> {
    let client = provider.client_for_arn(arn);
    let request = client.delete_connection().connection_arn(arn);
    unless_not_found(request.send().await, "DeleteConnection", arn).map(|_| ())
}

/// The connection whose ARN is `arn`, if it exists (not `DELETED`).
pub async fn find_by_arn(
    provider: &AppRunner,
    arn: &str,
) -> Result<Option<ConnectionSummary>, Diagnostics> {
    let Some(name) = arns::name_of(arn) else {
        return Ok(None);
    };
    Ok(find_by_name(provider, region::from_arn(arn), name)
        .await?
        .filter(|c| c.connection_arn() == Some(arn)))
}

/// The connection called `name` in `region` (the provider's when `None`),
/// if it exists (not `DELETED`).
pub async fn find_by_name(
    provider: &AppRunner,
    region: Option<&str>,
    name: &str,
) -> Result<Option<ConnectionSummary>, Diagnostics> {
    let region = region.unwrap_or(&provider.region);
    let found = list_named(provider, region, Some(name), name, 1, |c| {
        c.connection_name() == Some(name)
    })
    .await?;
    Ok(found.into_iter().next())
}

/// True when the connection waits for its handshake.
pub fn is_pending_handshake(connection: &ConnectionSummary) -> bool {
    status_is(connection.status(), "PENDING_HANDSHAKE")
}

/// What to tell a user about a connection that waits for its handshake.
pub fn handshake_detail(connection: &ConnectionSummary) -> String {
    let name = connection.connection_name().unwrap_or("the connection");
    let provider = connection
        .provider_type()
        .map(|p| match p.as_str() {
            "GITHUB" => "GitHub",
            "BITBUCKET" => "Bitbucket",
            other => other,
        })
        .unwrap_or("the source code provider");
    let region = connection
        .connection_arn()
        .and_then(region::from_arn)
        .unwrap_or("us-east-1");
    format!(
        "App Runner connection {name} ({}) is PENDING_HANDSHAKE: App Runner cannot use it until someone \
         completes the handshake with {provider}. Open the App Runner console \
         (https://console.aws.amazon.com/apprunner/home?region={region}#/connections), select {name}, \
         choose \"Complete handshake\" and authorise App Runner in {provider}. Terraform cannot do this step.",
        connection.connection_arn().unwrap_or_default()
    )
}

/// Fails, with the handshake instructions, unless the connection `arn`
/// exists and is `AVAILABLE`. Call before creating or updating anything
/// that uses the connection.
pub async fn ensure_available(provider: &AppRunner, arn: &str) -> Result<(), Diagnostics> {
    let Some(connection) = find_by_arn(provider, arn).await? else {
        return Err(Diagnostic::error(
            "App Runner connection not found",
            format!("No App Runner connection with ARN {arn} exists (it may have been deleted)."),
        )
        .into());
    };
    if is_pending_handshake(&connection) {
        return Err(Diagnostic::error(
            "App Runner connection handshake not completed",
            handshake_detail(&connection),
        )
        .into());
    }
    match connection.status().map(|s| s.as_str()) {
        Some(s) if !s.eq_ignore_ascii_case("AVAILABLE") => Err(Diagnostic::error(
            "App Runner connection not available",
            format!(
                "App Runner connection {arn} is {s}; App Runner can use only AVAILABLE connections. \
                 Check the connection in the App Runner console and recreate it if needed."
            ),
        )
        .into()),
        _ => Ok(()),
    }
}

/// For resources whose configuration has the service's
/// `source_configuration { authentication_configuration { connection_arn } }`:
/// [`ensure_available`] on that connection, when there is one.
pub async fn ensure_source_connection_available(
    provider: &AppRunner,
    value: &crate::plugin::Value,
) -> Result<(), Diagnostic> {
    let first = |v: &crate::plugin::Value, block: &str| {
        v.attr(block)
            .as_elements()
            .and_then(|e| e.first())
            .cloned()
            .unwrap_or(crate::plugin::Value::Null)
    };
    let auth = first(
        &first(value, "source_configuration"),
        "authentication_configuration",
    );
    match auth.attr("connection_arn").as_str() {
        Some(arn) if !arn.is_empty() => ensure_available(provider, arn).await.map_err(|d| {
            d.0.into_iter()
                .next()
                .unwrap_or_else(|| Diagnostic::error("App Runner connection not available", arn))
        }),
        _ => Ok(()),
    }
}
