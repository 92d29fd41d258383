//! SigV4 verification: the signature is recomputed with the `aws-sigv4`
//! crate from the headers the client says it signed, its credential scope
//! and the configured secret key, then compared in constant time.

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use http::HeaderMap;

use super::errors::ApiError;

/// Who signed a request, from its credential scope.
pub(crate) struct Signer {
    pub region: String,
}

struct Authorization<'a> {
    access_key: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix("AWS4-HMAC-SHA256")?.trim_start();
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => {}
        }
    }
    let mut scope = credential?.split('/');
    let auth = Authorization {
        access_key: scope.next()?,
        date: scope.next()?,
        region: scope.next()?,
        service: scope.next()?,
        signed_headers: signed?.split(';').collect(),
        signature: signature?,
    };
    (scope.next()? == "aws4_request").then_some(auth)
}

fn missing_token() -> ApiError {
    ApiError::new(
        "MissingAuthenticationTokenException",
        403,
        "Missing Authentication Token",
    )
}

fn incomplete(msg: &str) -> ApiError {
    ApiError::new("IncompleteSignatureException", 403, msg)
}

fn mismatch() -> ApiError {
    ApiError::new(
        "InvalidSignatureException",
        403,
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    )
}

/// Verifies a request's signature; returns the signer's region.
pub(crate) fn verify(
    method: &str,
    uri: &str,
    headers: &HeaderMap,
    body: &[u8],
    access_key: &str,
    secret_key: &str,
) -> Result<Signer, ApiError> {
    let Some(header) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return Err(missing_token());
    };
    let auth = parse_authorization(header).ok_or_else(|| {
        incomplete("Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.")
    })?;
    if auth.access_key != access_key {
        return Err(ApiError::new(
            "UnrecognizedClientException",
            403,
            "The security token included in the request is invalid.",
        ));
    }
    if auth.service != "apprunner" {
        return Err(ApiError::new(
            "InvalidSignatureException",
            403,
            format!(
                "Credential should be scoped to correct service: 'apprunner'. (got '{}')",
                auth.service
            ),
        ));
    }
    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."))?;
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let when = time::PrimitiveDateTime::parse(amz_date, &format)
        .map_err(|_| mismatch())?
        .assume_utc();
    if !amz_date.starts_with(auth.date) {
        return Err(ApiError::new(
            "InvalidSignatureException",
            403,
            format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}'",
                auth.date,
                &amz_date[..8.min(amz_date.len())]
            ),
        ));
    }
    let skew = (time::OffsetDateTime::now_utc() - when)
        .whole_seconds()
        .abs();
    if skew > 15 * 60 {
        return Err(ApiError::new(
            "InvalidSignatureException",
            403,
            format!(
                "Signature expired: {amz_date} is now earlier or later than the allowed 15 minute window."
            ),
        ));
    }

    // Recompute over exactly the headers the client signed.
    let mut signed: Vec<(&str, &str)> = vec![];
    for name in &auth.signed_headers {
        let values: Vec<&str> = headers
            .get_all(*name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if values.is_empty() {
            return Err(mismatch());
        }
        for v in values {
            signed.push((name, v));
        }
    }
    let token = headers
        .get("x-amz-security-token")
        .and_then(|v| v.to_str().ok());
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::Headers;
    settings.excluded_headers = None;
    if !auth.signed_headers.contains(&"x-amz-security-token") {
        settings.session_token_mode = aws_sigv4::http_request::SessionTokenMode::Exclude;
    }
    let identity = Credentials::new(
        access_key,
        secret_key,
        token.map(str::to_string),
        None,
        "emulator",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(auth.region)
        .name("apprunner")
        .time(when.into())
        .settings(settings)
        .build()
        .map_err(|_| mismatch())?
        .into();
    let request = SignableRequest::new(method, uri, signed.into_iter(), SignableBody::Bytes(body))
        .map_err(|_| mismatch())?;
    let expected = sign(request, &params).map_err(|_| mismatch())?;
    let expected = expected.signature().as_bytes();
    let given = auth.signature.as_bytes();
    let same = expected.len() == given.len()
        && expected
            .iter()
            .zip(given)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(mismatch());
    }
    Ok(Signer {
        region: auth.region.to_string(),
    })
}
