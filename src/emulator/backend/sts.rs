//! AWS STS as far as a provider block needs it: who is calling
//! (GetCallerIdentity), and temporary credentials for a role (AssumeRole,
//! AssumeRoleWithWebIdentity) that this control plane then accepts for
//! App Runner and STS calls, as the role's account.
//!
//! There is no IAM here: every well-formed role ARN can be assumed. What
//! STS itself enforces is enforced (duration bounds, the one-hour limit of
//! role chaining, session names, policy and tag limits, a source identity
//! that cannot change along a chain, transitive tags carried down a chain),
//! and every argument a session was asked for is recorded, so that tests
//! can see what a client sent.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::Res;
use crate::emulator::errors::ApiError;

/// Shortest session STS grants, in seconds.
pub(crate) const MIN_DURATION_SECONDS: i64 = 900;
/// Longest session a role may grant (its maximum session duration at most).
pub(crate) const MAX_DURATION_SECONDS: i64 = 12 * 3600;
/// Longest session of a role assumed with temporary role credentials.
pub(crate) const MAX_CHAINED_DURATION_SECONDS: i64 = 3600;
/// What STS grants when no duration is asked for.
pub(crate) const DEFAULT_DURATION_SECONDS: i64 = 3600;

/// Who signed a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Principal {
    pub account: String,
    pub arn: String,
    pub user_id: String,
    /// The session's access key ID, for temporary credentials.
    pub session: Option<String>,
}

/// Temporary credentials handed out by AssumeRole or
/// AssumeRoleWithWebIdentity, with what they were asked for.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Session {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// Epoch milliseconds.
    pub expires_ms: i64,
    /// `AssumeRole` or `AssumeRoleWithWebIdentity`.
    pub action: String,
    /// Who assumed the role: the caller's ARN, or the token's subject.
    pub assumed_by: String,
    pub role_arn: String,
    pub session_name: String,
    pub account: String,
    /// `arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`.
    pub assumed_role_arn: String,
    /// `ROLEID:SESSION`.
    pub assumed_role_id: String,
    pub duration_seconds: i64,
    pub external_id: Option<String>,
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
    /// Session tags: the caller's transitive ones, then the request's.
    pub tags: Vec<(String, String)>,
    pub transitive_tag_keys: Vec<String>,
    pub source_identity: Option<String>,
    /// The web identity token's `iss`, `sub` and `aud` claims, when it
    /// was a JWT.
    #[serde(default)]
    pub web_identity: Option<WebIdentityClaims>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct WebIdentityClaims {
    pub provider: String,
    pub subject: String,
    pub audience: String,
}

/// The arguments of AssumeRole and AssumeRoleWithWebIdentity.
#[derive(Clone, Debug, Default)]
pub(crate) struct AssumeRole {
    pub role_arn: String,
    pub session_name: String,
    pub duration_seconds: Option<i64>,
    pub external_id: Option<String>,
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
    pub tags: Vec<(String, String)>,
    pub transitive_tag_keys: Vec<String>,
    pub source_identity: Option<String>,
}

/// Every session handed out, oldest first.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct Sts {
    pub sessions: Vec<Session>,
}

fn validation(message: impl Into<String>) -> ApiError {
    ApiError::new("ValidationError", 400, message)
}

/// `[\w+=,.@-]` as STS's session names and source identities allow.
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

fn check_name(what: &str, value: &str, min: usize, max: usize, extra: &str) -> Res<()> {
    let len = value.chars().count();
    if len < min || len > max {
        return Err(validation(format!(
            "1 validation error detected: Value at '{what}' failed to satisfy constraint: Member must have length between {min} and {max}"
        )));
    }
    if !value.chars().all(|c| is_name_char(c) || extra.contains(c)) {
        return Err(validation(format!(
            "1 validation error detected: Value '{value}' at '{what}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@{extra}-]*"
        )));
    }
    Ok(())
}

/// The account and role name of an IAM role ARN
/// (`arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`).
pub(crate) fn parse_role_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let name = resource.strip_prefix("role/")?.rsplit('/').next()?;
    let good = ["aws", "aws-cn", "aws-us-gov"].contains(&partition)
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !name.is_empty()
        && name.len() <= 64
        && name.chars().all(is_name_char);
    good.then_some((account, name))
}

fn random_string(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A stable role ID for a role ARN (`AROA` and 17 characters), so that one
/// role keeps its ID across sessions.
fn role_id(role_arn: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(role_arn.as_bytes());
    let id: String = digest
        .iter()
        .take(17)
        .map(|b| UPPER_DIGITS[usize::from(*b) % UPPER_DIGITS.len()] as char)
        .collect();
    format!("AROA{id}")
}

impl Sts {
    /// Who holds `access_key` (with `token`, for temporary credentials) at
    /// `now`, and the secret key its signatures are made with. `root` is the
    /// control plane's own long-term key and account.
    pub fn principal(
        &self,
        root: (&str, &str, &str),
        access_key: &str,
        token: Option<&str>,
        now: i64,
    ) -> Res<(Principal, String)> {
        let (root_key, root_secret, root_account) = root;
        if access_key == root_key {
            return Ok((
                Principal {
                    account: root_account.to_string(),
                    arn: format!("arn:aws:iam::{root_account}:root"),
                    user_id: root_account.to_string(),
                    session: None,
                },
                root_secret.to_string(),
            ));
        }
        let invalid = || {
            ApiError::new(
                "UnrecognizedClientException",
                403,
                "The security token included in the request is invalid.",
            )
        };
        let session = self
            .sessions
            .iter()
            .find(|s| s.access_key_id == access_key)
            .ok_or_else(invalid)?;
        if token != Some(session.session_token.as_str()) {
            return Err(invalid());
        }
        if now >= session.expires_ms {
            return Err(ApiError::new(
                "ExpiredTokenException",
                403,
                "The security token included in the request is expired",
            ));
        }
        Ok((
            Principal {
                account: session.account.clone(),
                arn: session.assumed_role_arn.clone(),
                user_id: session.assumed_role_id.clone(),
                session: Some(session.access_key_id.clone()),
            },
            session.secret_access_key.clone(),
        ))
    }

    /// AssumeRole made by `caller`.
    pub fn assume_role(
        &mut self,
        caller: &Principal,
        input: AssumeRole,
        now: i64,
    ) -> Res<&Session> {
        if let Some(id) = &input.external_id {
            check_name("externalId", id, 2, 1224, ":/")?;
        }
        let parent = caller
            .session
            .as_ref()
            .and_then(|key| self.sessions.iter().find(|s| &s.access_key_id == key))
            .cloned();
        let limit = if parent.is_some() {
            MAX_CHAINED_DURATION_SECONDS
        } else {
            MAX_DURATION_SECONDS
        };
        let session = self.new_session(
            "AssumeRole",
            caller.arn.clone(),
            input,
            parent.as_ref(),
            limit,
            now,
        )?;
        Ok(self.add(session, now))
    }

    /// AssumeRoleWithWebIdentity with `token`, which must be non-empty; a
    /// JWT's claims name the provider and subject, which are recorded.
    pub fn assume_role_with_web_identity(
        &mut self,
        token: &str,
        input: AssumeRole,
        now: i64,
    ) -> Res<&Session> {
        if token.len() < 4 || token.len() > 20_000 {
            return Err(validation(
                "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length between 4 and 20000",
            ));
        }
        if input.external_id.is_some()
            || !input.tags.is_empty()
            || !input.transitive_tag_keys.is_empty()
            || input.source_identity.is_some()
        {
            return Err(validation(
                "AssumeRoleWithWebIdentity takes no ExternalId, Tags, TransitiveTagKeys or SourceIdentity",
            ));
        }
        let claims = jwt_claims(token).unwrap_or_else(|| WebIdentityClaims {
            provider: "emulator".into(),
            subject: "web-identity".into(),
            audience: String::new(),
        });
        let mut session = self.new_session(
            "AssumeRoleWithWebIdentity",
            format!("{}:{}", claims.provider, claims.subject),
            input,
            None,
            MAX_DURATION_SECONDS,
            now,
        )?;
        session.web_identity = Some(claims);
        Ok(self.add(session, now))
    }

    /// Keeps `session`; sessions expired for a day are dropped, so that a
    /// long-running control plane does not grow without bound.
    fn add(&mut self, session: Session, now: i64) -> &Session {
        const KEPT_AFTER_EXPIRY_MS: i64 = 24 * 3600 * 1000;
        self.sessions
            .retain(|s| s.expires_ms.saturating_add(KEPT_AFTER_EXPIRY_MS) > now);
        self.sessions.push(session);
        self.sessions.last().expect("just pushed")
    }

    fn new_session(
        &self,
        action: &str,
        assumed_by: String,
        input: AssumeRole,
        parent: Option<&Session>,
        max_duration: i64,
        now: i64,
    ) -> Res<Session> {
        let Some((account, role_name)) = parse_role_arn(&input.role_arn) else {
            return Err(validation(format!(
                "{} is invalid: roleArn must be an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME",
                input.role_arn
            )));
        };
        check_name("roleSessionName", &input.session_name, 2, 64, "")?;
        let duration = input.duration_seconds.unwrap_or(DEFAULT_DURATION_SECONDS);
        if duration < MIN_DURATION_SECONDS {
            return Err(validation(format!(
                "1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to {MIN_DURATION_SECONDS}"
            )));
        }
        if duration > max_duration {
            let message = if parent.is_some() {
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.".to_string()
            } else {
                format!(
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role ({max_duration} seconds)."
                )
            };
            return Err(validation(message));
        }
        if let Some(policy) = &input.policy {
            if policy.len() > 2048 {
                return Err(ApiError::new(
                    "PackedPolicyTooLarge",
                    400,
                    "Packed policy consumes more than 100 percent of the allotted size.",
                ));
            }
            if serde_json::from_str::<serde_json::Value>(policy).map_or(true, |v| !v.is_object()) {
                return Err(ApiError::new(
                    "MalformedPolicyDocument",
                    400,
                    "The policy is not a JSON object.",
                ));
            }
        }
        if input.policy_arns.len() > 10 {
            return Err(validation(
                "1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10",
            ));
        }
        if let Some(bad) = input
            .policy_arns
            .iter()
            .find(|a| !a.starts_with("arn:") || a.len() < 20 || a.len() > 2048)
        {
            return Err(validation(format!("Invalid policy ARN: {bad}")));
        }
        if input.tags.len() > 50 {
            return Err(validation(
                "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
            ));
        }
        for (key, value) in &input.tags {
            if key.is_empty() || key.chars().count() > 128 || value.chars().count() > 256 {
                return Err(validation(format!(
                    "Session tag {key:?} must have a key of 1 to 128 characters and a value of at most 256"
                )));
            }
        }
        if let Some(key) = input
            .transitive_tag_keys
            .iter()
            .find(|k| !input.tags.iter().any(|(t, _)| t == *k))
        {
            return Err(validation(format!(
                "Transitive tag key {key} is not among the session tags"
            )));
        }
        // Tags a caller's session passed on as transitive come with it.
        let mut tags = Vec::new();
        let mut transitive = Vec::new();
        if let Some(parent) = parent {
            for key in &parent.transitive_tag_keys {
                let inherited = parent.tags.iter().find(|(k, _)| k == key);
                if let Some((k, v)) = inherited {
                    if input.tags.iter().any(|(t, _)| t.eq_ignore_ascii_case(k)) {
                        return Err(validation(format!(
                            "Session tag {k} is transitive from the caller's session and cannot be set again"
                        )));
                    }
                    tags.push((k.clone(), v.clone()));
                    transitive.push(k.clone());
                }
            }
        }
        tags.extend(input.tags.iter().cloned());
        transitive.extend(input.transitive_tag_keys.iter().cloned());
        if let Some(identity) = &input.source_identity {
            check_name("sourceIdentity", identity, 2, 64, "")?;
        }
        // A source identity, once set, stays for the whole chain.
        let source_identity = match (
            parent.and_then(|p| p.source_identity.clone()),
            input.source_identity.clone(),
        ) {
            (Some(was), Some(asked)) if was != asked => {
                return Err(ApiError::new(
                    "AccessDenied",
                    403,
                    format!(
                        "The source identity {asked} differs from the caller's source identity {was}, which cannot change along a role chain"
                    ),
                ));
            }
            (was, asked) => asked.or(was),
        };
        let role_id = role_id(&input.role_arn);
        Ok(Session {
            access_key_id: format!("ASIA{}", random_string(UPPER_DIGITS, 16)),
            secret_access_key: random_string(SECRET_CHARS, 40),
            session_token: format!("FwoG{}", random_string(SECRET_CHARS, 120)),
            expires_ms: now.saturating_add(duration.saturating_mul(1000)),
            action: action.to_string(),
            assumed_by,
            account: account.to_string(),
            assumed_role_arn: format!(
                "arn:aws:sts::{account}:assumed-role/{role_name}/{}",
                input.session_name
            ),
            assumed_role_id: format!("{role_id}:{}", input.session_name),
            role_arn: input.role_arn,
            session_name: input.session_name,
            duration_seconds: duration,
            external_id: input.external_id,
            policy: input.policy,
            policy_arns: input.policy_arns,
            tags,
            transitive_tag_keys: transitive,
            source_identity,
            web_identity: None,
        })
    }
}

/// The `iss`, `sub` and `aud` claims of a JWT, read without checking its
/// signature: this control plane trusts every identity provider.
fn jwt_claims(token: &str) -> Option<WebIdentityClaims> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let text = |k: &str| match &claims[k] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a
            .first()
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    };
    Some(WebIdentityClaims {
        provider: text("iss"),
        subject: text("sub"),
        audience: text("aud"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000_000;
    const ROOT: (&str, &str, &str) = ("test", "secret", "123456789012");

    fn root() -> Principal {
        Sts::default().principal(ROOT, "test", None, T0).unwrap().0
    }

    fn assume(role: &str) -> AssumeRole {
        AssumeRole {
            role_arn: role.into(),
            session_name: "ci".into(),
            ..AssumeRole::default()
        }
    }

    const ROLE_A: &str = "arn:aws:iam::111111111111:role/deploy";
    const ROLE_B: &str = "arn:aws:iam::222222222222:role/path/apprunner";

    #[test]
    fn assumed_credentials_act_as_the_role_until_they_expire() {
        let mut sts = Sts::default();
        let s = sts
            .assume_role(&root(), assume(ROLE_A), T0)
            .unwrap()
            .clone();
        assert_eq!(s.account, "111111111111");
        assert_eq!(
            s.assumed_role_arn,
            "arn:aws:sts::111111111111:assumed-role/deploy/ci"
        );
        assert_eq!(s.duration_seconds, DEFAULT_DURATION_SECONDS);
        assert_eq!(s.assumed_by, "arn:aws:iam::123456789012:root");
        let (p, secret) = sts
            .principal(ROOT, &s.access_key_id, Some(&s.session_token), T0)
            .unwrap();
        assert_eq!(p.account, "111111111111");
        assert_eq!(p.arn, s.assumed_role_arn);
        assert_eq!(secret, s.secret_access_key);
        // The token belongs to the key; an expired session is refused.
        let e = sts
            .principal(ROOT, &s.access_key_id, Some("other"), T0)
            .unwrap_err();
        assert_eq!(e.code, "UnrecognizedClientException");
        let e = sts
            .principal(ROOT, &s.access_key_id, Some(&s.session_token), s.expires_ms)
            .unwrap_err();
        assert_eq!(e.code, "ExpiredTokenException");
        assert!(sts.principal(ROOT, "ASIAUNKNOWN", None, T0).is_err());
    }

    #[test]
    fn durations_are_bounded_and_chains_get_one_hour() {
        let mut sts = Sts::default();
        for (asked, ok) in [(899, false), (900, true), (43_200, true), (43_201, false)] {
            let mut input = assume(ROLE_A);
            input.duration_seconds = Some(asked);
            assert_eq!(sts.assume_role(&root(), input, T0).is_ok(), ok, "{asked}");
        }
        let first = sts
            .assume_role(&root(), assume(ROLE_A), T0)
            .unwrap()
            .clone();
        let (hop, _) = sts
            .principal(ROOT, &first.access_key_id, Some(&first.session_token), T0)
            .unwrap();
        let mut input = assume(ROLE_B);
        input.duration_seconds = Some(3601);
        let e = sts.assume_role(&hop, input.clone(), T0).unwrap_err();
        assert!(e.message.contains("role chaining"), "{}", e.message);
        input.duration_seconds = Some(3600);
        let second = sts.assume_role(&hop, input, T0).unwrap();
        assert_eq!(second.account, "222222222222");
        assert_eq!(second.assumed_by, first.assumed_role_arn);
    }

    #[test]
    fn bad_arguments_are_refused() {
        let mut sts = Sts::default();
        for bad in [
            "arn:aws:iam::1234:role/x",
            "arn:aws:s3:::bucket",
            "role",
            "arn:aws:iam::123456789012:user/x",
        ] {
            let e = sts.assume_role(&root(), assume(bad), T0).unwrap_err();
            assert_eq!(e.code, "ValidationError", "{bad}");
        }
        let mut input = assume(ROLE_A);
        input.session_name = "has space".into();
        assert_eq!(
            sts.assume_role(&root(), input, T0).unwrap_err().code,
            "ValidationError"
        );
        let mut input = assume(ROLE_A);
        input.policy = Some("not json".into());
        assert_eq!(
            sts.assume_role(&root(), input, T0).unwrap_err().code,
            "MalformedPolicyDocument"
        );
        let mut input = assume(ROLE_A);
        input.transitive_tag_keys = vec!["team".into()];
        assert_eq!(
            sts.assume_role(&root(), input, T0).unwrap_err().code,
            "ValidationError"
        );
        assert!(sts.sessions.is_empty());
    }

    #[test]
    fn what_was_asked_is_recorded_and_carried_down_the_chain() {
        let mut sts = Sts::default();
        let mut input = assume(ROLE_A);
        input.external_id = Some("ext-1".into());
        input.policy = Some(r#"{"Version":"2012-10-17","Statement":[]}"#.into());
        input.policy_arns = vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()];
        input.tags = vec![("team".into(), "web".into()), ("cost".into(), "1".into())];
        input.transitive_tag_keys = vec!["team".into()];
        input.source_identity = Some("alice".into());
        let first = sts.assume_role(&root(), input, T0).unwrap().clone();
        assert_eq!(first.external_id.as_deref(), Some("ext-1"));
        assert_eq!(first.policy_arns.len(), 1);
        let (hop, _) = sts
            .principal(ROOT, &first.access_key_id, Some(&first.session_token), T0)
            .unwrap();
        let second = sts.assume_role(&hop, assume(ROLE_B), T0).unwrap().clone();
        assert_eq!(second.tags, vec![("team".to_string(), "web".to_string())]);
        assert_eq!(second.transitive_tag_keys, vec!["team".to_string()]);
        assert_eq!(second.source_identity.as_deref(), Some("alice"));
        let mut input = assume(ROLE_B);
        input.source_identity = Some("bob".into());
        assert_eq!(
            sts.assume_role(&hop, input, T0).unwrap_err().code,
            "AccessDenied"
        );
        let mut input = assume(ROLE_B);
        input.tags = vec![("team".into(), "other".into())];
        assert!(sts.assume_role(&hop, input, T0).is_err());
    }

    #[test]
    fn sessions_expired_for_a_day_are_dropped() {
        let mut sts = Sts::default();
        sts.assume_role(&root(), assume(ROLE_A), T0).unwrap();
        let later = T0 + (DEFAULT_DURATION_SECONDS + 24 * 3600) * 1000;
        sts.assume_role(&root(), assume(ROLE_B), later - 1).unwrap();
        assert_eq!(sts.sessions.len(), 2);
        sts.assume_role(&root(), assume(ROLE_B), later).unwrap();
        assert_eq!(sts.sessions.len(), 2);
        assert!(sts.sessions.iter().all(|s| s.role_arn == ROLE_B));
    }

    #[test]
    fn web_identity_reads_the_tokens_claims() {
        use base64::Engine;
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"iss":"https://token.actions.githubusercontent.com","sub":"repo:org/app","aud":"sts.amazonaws.com"}"#);
        let token = format!("eyJhbGciOiJSUzI1NiJ9.{claims}.sig");
        let mut sts = Sts::default();
        let s = sts
            .assume_role_with_web_identity(&token, assume(ROLE_B), T0)
            .unwrap();
        assert_eq!(s.account, "222222222222");
        assert_eq!(
            s.assumed_by,
            "https://token.actions.githubusercontent.com:repo:org/app"
        );
        assert_eq!(
            s.web_identity.as_ref().unwrap().audience,
            "sts.amazonaws.com"
        );
        assert!(
            sts.assume_role_with_web_identity("", assume(ROLE_B), T0)
                .is_err()
        );
        let mut input = assume(ROLE_B);
        input.duration_seconds = Some(43_201);
        assert!(
            sts.assume_role_with_web_identity("opaque-token", input, T0)
                .is_err()
        );
    }
}
