//! SigV4 verification in two steps, so that nothing unauthenticated is read
//! past its headers: [`authenticate`] checks the Authorization header alone;
//! then the signature is recomputed with the `aws-sigv4`
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

/// A request whose Authorization header passed every check that needs no
/// body: format, known access key, service, region, date and skew, and
/// signed headers (`host` among them, all present). Only then is the body
/// read, and [`Authenticated::verify`] checks the signature over it.
pub(crate) struct Authenticated {
    access_key: String,
    region: String,
    service: String,
    signed_headers: Vec<String>,
    signature: String,
    when: time::OffsetDateTime,
}

/// Whether `region` has the shape of an AWS region name (`us-east-1`,
/// `us-gov-west-1`, `ap-southeast-5`).
pub(crate) fn is_region_name(region: &str) -> bool {
    let mut parts = region.split('-');
    let (Some(area), Some(number)) = (parts.next(), parts.next_back()) else {
        return false;
    };
    let words: Vec<&str> = parts.collect();
    area.len() == 2
        && area.bytes().all(|b| b.is_ascii_lowercase())
        && (1..=3).contains(&words.len())
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// Checks everything about a request's signature that can be checked
/// before its body is read, for `service` (`apprunner` or `sts`). `lookup`
/// finds who holds the access key (and the security token, if any); what it
/// returns comes back with the result.
pub(crate) fn authenticate<T>(
    headers: &HeaderMap,
    service: &str,
    lookup: impl FnOnce(&str, Option<&str>) -> Result<T, ApiError>,
) -> Result<(Authenticated, T), ApiError> {
    let Some(header) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return Err(missing_token());
    };
    let auth = parse_authorization(header).ok_or_else(|| {
        incomplete("Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.")
    })?;
    if !auth.signed_headers.contains(&"host") {
        return Err(incomplete(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    let token = headers
        .get("x-amz-security-token")
        .and_then(|v| v.to_str().ok());
    let found = lookup(auth.access_key, token)?;
    if auth.service != service {
        return Err(ApiError::new(
            "InvalidSignatureException",
            403,
            format!(
                "Credential should be scoped to correct service: '{service}'. (got '{}')",
                auth.service
            ),
        ));
    }
    if !is_region_name(auth.region) {
        return Err(ApiError::new(
            "InvalidSignatureException",
            403,
            "Credential should be scoped to a valid region.",
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

    for name in &auth.signed_headers {
        if headers.get(*name).is_none() {
            return Err(mismatch());
        }
    }
    let authenticated = Authenticated {
        access_key: auth.access_key.to_string(),
        region: auth.region.to_string(),
        service: service.to_string(),
        signed_headers: auth.signed_headers.iter().map(|h| h.to_string()).collect(),
        signature: auth.signature.to_string(),
        when,
    };
    Ok((authenticated, found))
}

impl Authenticated {
    /// Verifies the signature over the request, body included; returns the
    /// signer's region.
    pub(crate) fn verify(
        self,
        method: &str,
        uri: &str,
        headers: &HeaderMap,
        body: &[u8],
        secret_key: &str,
    ) -> Result<Signer, ApiError> {
        // Recompute over exactly the headers the client signed.
        let mut signed: Vec<(&str, &str)> = vec![];
        for name in &self.signed_headers {
            let values: Vec<&str> = headers
                .get_all(name.as_str())
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
        if !self
            .signed_headers
            .iter()
            .any(|h| h == "x-amz-security-token")
        {
            settings.session_token_mode = aws_sigv4::http_request::SessionTokenMode::Exclude;
        }
        let identity = Credentials::new(
            &self.access_key,
            secret_key,
            token.map(str::to_string),
            None,
            "emulator",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.service)
            .time(self.when.into())
            .settings(settings)
            .build()
            .map_err(|_| mismatch())?
            .into();
        let request =
            SignableRequest::new(method, uri, signed.into_iter(), SignableBody::Bytes(body))
                .map_err(|_| mismatch())?;
        let expected = sign(request, &params).map_err(|_| mismatch())?;
        let expected = expected.signature().as_bytes();
        let given = self.signature.as_bytes();
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
            region: self.region,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for ok in [
            "us-east-1",
            "eu-west-3",
            "us-gov-west-1",
            "ap-southeast-5",
            "us-isob-east-1",
        ] {
            assert!(is_region_name(ok), "{ok}");
        }
        for bad in [
            "",
            "local",
            "us-east",
            "US-EAST-1",
            "us-east-100",
            "u-east-1",
            "us--1",
            "us-east-1-",
            "../x-y-1",
            "us-a-b-c-d-1",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }

    #[test]
    fn host_must_be_signed_and_the_region_valid() {
        // What `authenticate` answers to a header signing `signed` in `region`.
        let refusal = |signed: &str, region: &str| {
            let mut headers = HeaderMap::new();
            let auth = format!(
                "AWS4-HMAC-SHA256 Credential=test/20260101/{region}/apprunner/aws4_request, SignedHeaders={signed}, Signature=00"
            );
            headers.insert("authorization", auth.parse().unwrap());
            authenticate(&headers, "apprunner", |_, _| Ok(()))
                .err()
                .unwrap()
        };
        let e = refusal("x-amz-date", "us-east-1");
        assert_eq!(e.code, "IncompleteSignatureException");
        let e = refusal("host;x-amz-date", "nowhere");
        assert_eq!(e.code, "InvalidSignatureException");
        assert!(e.message.contains("valid region"));
    }
}
