//! Connections to source code providers, as other resources need them: a
//! connection stays `PENDING_HANDSHAKE` until someone completes the
//! handshake in the App Runner console, and App Runner cannot use it until
//! then. Resources that take a `connection_arn` (the service) call
//! [`ensure_available`] before using it, so the user gets that message
//! instead of a failed or stuck operation.

use aws_sdk_apprunner::types::ConnectionSummary;

use super::AppRunner;
use super::arns;
use super::errors::api_error;
use crate::plugin::{Diagnostic, Diagnostics};

/// The connection whose ARN is `arn`, if it exists (not `DELETED`).
pub async fn find_by_arn(
    provider: &AppRunner,
    arn: &str,
) -> Result<Option<ConnectionSummary>, Diagnostics> {
    let Some(name) = arns::name_of(arn) else {
        return Ok(None);
    };
    Ok(find_by_name(provider, super::region::from_arn(arn), name)
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
    let client = provider.client_in(region.unwrap_or(&provider.region));
    let mut pages = client
        .list_connections()
        .connection_name(name)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Diagnostics::from(api_error("ListConnections", name, e)))?;
        if let Some(found) = page.connection_summary_list().iter().find(|c| {
            c.connection_name() == Some(name)
                && !c
                    .status()
                    .is_some_and(|s| s.as_str().eq_ignore_ascii_case("DELETED"))
        }) {
            return Ok(Some(found.clone()));
        }
    }
    Ok(None)
}

/// True when the connection waits for its handshake.
pub fn is_pending_handshake(connection: &ConnectionSummary) -> bool {
    connection
        .status()
        .is_some_and(|s| s.as_str().eq_ignore_ascii_case("PENDING_HANDSHAKE"))
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
        .and_then(super::region::from_arn)
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
