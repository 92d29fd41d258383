//! STS on its own wire protocol, AWS Query: a form-encoded `POST /` with
//! `Action` and `Version=2011-06-15`, SigV4-signed for service `sts`
//! (AssumeRoleWithWebIdentity unsigned, as in AWS), answered in XML with
//! STS's error document. The rules live in `backend::Sts`.
//!
//! The XML is written here by hand: the responses are four fixed shapes of
//! text elements, which an XML library would not make shorter or safer than
//! the escaping below.

use std::fmt::Write as _;

use http::{Method, Response};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};

use super::backend::{AssumeRole, Principal, Session, uuid};
use super::errors::ApiError;
use super::server::{Shared, Signed, authenticate, read_body};

const VERSION: &str = "2011-06-15";
const NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// Answers one STS request.
pub(crate) async fn call(
    shared: &Shared,
    parts: http::request::Parts,
    body: Incoming,
) -> Response<Full<Bytes>> {
    let request_id = uuid();
    let answer = answer(shared, parts, body, &request_id).await;
    let (status, xml) = match answer {
        Ok(xml) => (200, xml),
        Err(e) => {
            tracing::info!(code = e.code, message = %e.message, "STS request refused");
            (e.status, error_document(&e, &request_id))
        }
    };
    Response::builder()
        .status(status)
        .header("content-type", "text/xml")
        .header("x-amzn-requestid", &request_id)
        .body(Full::new(Bytes::from(xml)))
        .expect("valid response")
}

async fn answer(
    shared: &Shared,
    parts: http::request::Parts,
    body: Incoming,
    request_id: &str,
) -> Result<String, ApiError> {
    if parts.method != Method::POST {
        return Err(ApiError::new(
            "InvalidAction",
            400,
            "STS is served as form-encoded POST requests",
        ));
    }
    let (caller, body) = if parts.headers.contains_key("authorization") {
        let Signed {
            principal, body, ..
        } = authenticate(shared, &parts, body, "sts").await?;
        (Some(principal), body)
    } else {
        (None, read_body(shared, &parts.headers, body).await?)
    };
    let form = Form::parse(&body);
    let action = form.get("Action").unwrap_or_default();
    if form.get("Version") != Some(VERSION) {
        return Err(ApiError::new(
            "InvalidAction",
            400,
            format!(
                "Could not find operation {action} for version {}",
                form.get("Version").unwrap_or("(none)")
            ),
        ));
    }
    let signed_caller = || {
        caller.clone().ok_or_else(|| {
            ApiError::new(
                "MissingAuthenticationToken",
                403,
                "Request is missing Authentication Token",
            )
        })
    };
    let mut backend = shared.lock_backend();
    let now = backend.now();
    let result = match action {
        "GetCallerIdentity" => {
            let who = signed_caller()?;
            tracing::info!(operation = action, caller = %who.arn, "ok");
            return Ok(caller_identity(&who, request_id));
        }
        "AssumeRole" | "AssumeRoleWithWebIdentity" => {
            let input = form.assume_role()?;
            // Only AssumeRole needs a signed caller; the other is unsigned.
            let who = if action == "AssumeRole" {
                Some(signed_caller()?)
            } else {
                None
            };
            let snapshot = shared.snapshot(&backend);
            let session = match &who {
                Some(who) => backend.sts.assume_role(who, input, now)?,
                None => {
                    let token = form.get("WebIdentityToken").unwrap_or_default();
                    backend
                        .sts
                        .assume_role_with_web_identity(token, input, now)?
                }
            }
            .clone();
            shared.keep(&mut backend, snapshot)?;
            session_result(action, &session, request_id)
        }
        other => {
            return Err(ApiError::new(
                "InvalidAction",
                400,
                format!("Could not find operation {other} for version {VERSION}"),
            ));
        }
    };
    tracing::info!(operation = action, "ok");
    Ok(result)
}

/// The fields of a form body, in order.
struct Form(Vec<(String, String)>);

impl Form {
    fn parse(body: &[u8]) -> Form {
        Form(form_urlencoded::parse(body).into_owned().collect())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `NAME.member.N` (with `.FIELD` after it when given), by N.
    fn members(&self, name: &str, field: Option<&str>) -> Vec<(u32, String)> {
        let prefix = format!("{name}.member.");
        let mut found: Vec<(u32, String)> = self
            .0
            .iter()
            .filter_map(|(k, v)| {
                let rest = k.strip_prefix(&prefix)?;
                let index = match field {
                    Some(f) => rest.strip_suffix(f)?.strip_suffix('.')?,
                    None => rest,
                };
                Some((index.parse().ok()?, v.clone()))
            })
            .collect();
        found.sort_by_key(|(i, _)| *i);
        found
    }

    fn assume_role(&self) -> Result<AssumeRole, ApiError> {
        let duration_seconds = match self.get("DurationSeconds") {
            None => None,
            Some(d) => Some(d.parse::<i64>().map_err(|_| {
                ApiError::new(
                    "ValidationError",
                    400,
                    format!("Value '{d}' at 'durationSeconds' is not an integer"),
                )
            })?),
        };
        let keys = self.members("Tags", Some("Key"));
        let values = self.members("Tags", Some("Value"));
        let tags = keys
            .into_iter()
            .map(|(i, k)| {
                let v = values
                    .iter()
                    .find(|(j, _)| *j == i)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                (k, v)
            })
            .collect();
        let values = |name: &str, field: Option<&str>| -> Vec<String> {
            self.members(name, field)
                .into_iter()
                .map(|(_, v)| v)
                .collect()
        };
        Ok(AssumeRole {
            role_arn: self.get("RoleArn").unwrap_or_default().to_string(),
            session_name: self.get("RoleSessionName").unwrap_or_default().to_string(),
            duration_seconds,
            external_id: self.get("ExternalId").map(str::to_string),
            policy: self.get("Policy").map(str::to_string),
            policy_arns: values("PolicyArns", Some("arn")),
            tags,
            transitive_tag_keys: values("TransitiveTagKeys", None),
            source_identity: self.get("SourceIdentity").map(str::to_string),
        })
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `<NAME>text</NAME>` with the text escaped.
fn element(out: &mut String, name: &str, text: &str) {
    let _ = write!(out, "<{name}>{}</{name}>", escape(text));
}

fn document(action: &str, result: &str, request_id: &str) -> String {
    format!(
        "<{action}Response xmlns=\"{NAMESPACE}\"><{action}Result>{result}</{action}Result>\
         <ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{action}Response>"
    )
}

fn caller_identity(who: &Principal, request_id: &str) -> String {
    let mut result = String::new();
    element(&mut result, "Arn", &who.arn);
    element(&mut result, "UserId", &who.user_id);
    element(&mut result, "Account", &who.account);
    document("GetCallerIdentity", &result, request_id)
}

fn expiration(ms: i64) -> String {
    let when = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    when.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn session_result(action: &str, s: &Session, request_id: &str) -> String {
    let mut result = String::new();
    if let Some(claims) = &s.web_identity {
        element(&mut result, "SubjectFromWebIdentityToken", &claims.subject);
        element(&mut result, "Audience", &claims.audience);
        element(&mut result, "Provider", &claims.provider);
    }
    if let Some(identity) = &s.source_identity {
        element(&mut result, "SourceIdentity", identity);
    }
    result.push_str("<AssumedRoleUser>");
    element(&mut result, "AssumedRoleId", &s.assumed_role_id);
    element(&mut result, "Arn", &s.assumed_role_arn);
    result.push_str("</AssumedRoleUser><Credentials>");
    element(&mut result, "AccessKeyId", &s.access_key_id);
    element(&mut result, "SecretAccessKey", &s.secret_access_key);
    element(&mut result, "SessionToken", &s.session_token);
    element(&mut result, "Expiration", &expiration(s.expires_ms));
    result.push_str("</Credentials>");
    if s.policy.is_some() || !s.policy_arns.is_empty() || !s.tags.is_empty() {
        element(&mut result, "PackedPolicySize", "6");
    }
    document(action, &result, request_id)
}

/// STS's code for an error the shared SigV4 check names in App Runner's
/// (JSON protocol) vocabulary.
fn query_code(code: &'static str) -> &'static str {
    match code {
        "MissingAuthenticationTokenException" => "MissingAuthenticationToken",
        "IncompleteSignatureException" => "IncompleteSignature",
        "InvalidSignatureException" => "SignatureDoesNotMatch",
        "UnrecognizedClientException" => "InvalidClientTokenId",
        "ExpiredTokenException" => "ExpiredToken",
        "SerializationException" => "MalformedInput",
        "InternalServiceErrorException" => "InternalFailure",
        other => other,
    }
}

fn error_document(e: &ApiError, request_id: &str) -> String {
    let mut error = String::new();
    element(
        &mut error,
        "Type",
        if e.status >= 500 {
            "Receiver"
        } else {
            "Sender"
        },
    );
    element(&mut error, "Code", query_code(e.code));
    element(&mut error, "Message", &e.message);
    format!(
        "<ErrorResponse xmlns=\"{NAMESPACE}\"><Error>{error}</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_members_are_read_by_index() {
        let form = Form::parse(
            b"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fr\
              &RoleSessionName=s&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a\
              &Tags.member.1.Value=1&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FX\
              &TransitiveTagKeys.member.1=a&DurationSeconds=900",
        );
        let input = form.assume_role().unwrap();
        assert_eq!(input.role_arn, "arn:aws:iam::111111111111:role/r");
        assert_eq!(
            input.tags,
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        assert_eq!(input.policy_arns, vec!["arn:aws:iam::aws:policy/X"]);
        assert_eq!(input.transitive_tag_keys, vec!["a"]);
        assert_eq!(input.duration_seconds, Some(900));
        assert!(Form::parse(b"DurationSeconds=soon").assume_role().is_err());
    }

    #[test]
    fn errors_use_stss_document_and_codes() {
        let e = ApiError::new("UnrecognizedClientException", 403, "bad <key>");
        let xml = error_document(&e, "rid");
        assert!(xml.contains("<Code>InvalidClientTokenId</Code>"), "{xml}");
        assert!(xml.contains("<Type>Sender</Type>"));
        assert!(xml.contains("bad &lt;key&gt;"));
        assert!(xml.contains("<RequestId>rid</RequestId>"));
    }

    #[test]
    fn expirations_are_iso_8601() {
        assert_eq!(expiration(1_700_000_000_999), "2023-11-14T22:13:20Z");
    }
}
