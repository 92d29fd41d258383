//! App Runner ARNs: the API model's rule for them, as a validator, and the
//! parts resources read out of them.

use std::sync::OnceLock;

use regex::Regex;

use crate::plugin::schema::Validator;
use crate::plugin::{Diagnostic, Diagnostics};

use super::region;

/// The API model's pattern for `AppRunnerResourceArn` (length 1 to 1011).
const PATTERN: &str =
    r"^arn:aws(-[\w]+)*:[a-z0-9\-\\.]{0,63}:[a-z0-9\-\\.]{0,63}:[0-9]{12}:(\w|/|-){1,1011}$";

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // ASCII classes, as the service matches them.
    RE.get_or_init(|| Regex::new(&format!("(?-u){PATTERN}")).expect("ARN pattern compiles"))
}

/// An App Runner ARN of the given resource type (`service`,
/// `vpcconnector`, …), e.g. `arn:aws:apprunner:us-east-1:123456789012:service/web/0123…`.
pub fn validator(kind: &'static str) -> Validator {
    Validator::new(format!("the ARN of an App Runner {kind}"), move |v| {
        let Some(s) = v.as_str() else { return Ok(()) };
        if s.is_empty() || s.len() > 1011 || !pattern().is_match(s) {
            return Err(format!(
                "must be an App Runner ARN (arn:aws:apprunner:REGION:ACCOUNT:{kind}/NAME/ID), got {s:?}"
            ));
        }
        if kind_of(s) != Some(kind) || s.split(':').nth(2) != Some("apprunner") {
            return Err(format!(
                "must be the ARN of an App Runner {kind} (arn:aws:apprunner:REGION:ACCOUNT:{kind}/NAME/ID), got {s:?}"
            ));
        }
        Ok(())
    })
}

/// The resource type of an App Runner ARN (`service`, `vpcconnector`, …).
pub fn kind_of(arn: &str) -> Option<&str> {
    arn.splitn(6, ':').nth(5)?.split('/').next()
}

/// The name inside an App Runner ARN (`…:service/NAME/ID` → `NAME`).
pub fn name_of(arn: &str) -> Option<&str> {
    arn.splitn(6, ':')
        .nth(5)?
        .split('/')
        .nth(1)
        .filter(|n| !n.is_empty())
}

/// True when `s` is an App Runner ARN of resource type `kind`.
pub fn is(kind: &'static str, s: &str) -> bool {
    validator(kind).check(&s.into()).is_ok()
}

/// The ARN an import ID names: an App Runner ARN of resource type `kind`,
/// optionally followed by `@REGION` (the AWS provider v6's form for
/// importing from another region; it must be the ARN's region). `example`
/// shows the expected form in the error.
pub fn import_id<'a>(
    id: &'a str,
    kind: &'static str,
    example: &str,
) -> Result<&'a str, Diagnostics> {
    let (arn, at) = region::split_import_id(id)?;
    if !is(kind, arn) {
        return Err(Diagnostic::error(
            "Invalid import ID",
            format!("Expected {example}, optionally followed by @REGION, got {id:?}."),
        )
        .into());
    }
    region::check_import_region(id, region::from_arn(arn), at)?;
    Ok(arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: &str =
        "arn:aws:apprunner:us-east-1:123456789012:service/web/0123456789abcdef0123456789abcdef";

    #[test]
    fn accepts_arns_of_the_kind_only() {
        assert!(is("service", SERVICE));
        assert!(!is("vpcconnector", SERVICE));
        assert!(!is(
            "service",
            "arn:aws:apprunner:us-east-1:12345:service/web/1"
        ));
        assert!(!is("service", "not-an-arn"));
        assert!(!is(
            "service",
            "arn:aws:s3:us-east-1:123456789012:service/web/1"
        ));
    }

    #[test]
    fn import_ids_are_arns_with_an_optional_region() {
        assert_eq!(import_id(SERVICE, "service", "an ARN").unwrap(), SERVICE);
        assert_eq!(
            import_id(&format!("{SERVICE}@us-east-1"), "service", "an ARN").unwrap(),
            SERVICE
        );
        assert!(import_id(&format!("{SERVICE}@eu-west-1"), "service", "an ARN").is_err());
        assert!(import_id(SERVICE, "vpcconnector", "an ARN").is_err());
    }

    #[test]
    fn parts_come_out_of_the_arn() {
        assert_eq!(kind_of(SERVICE), Some("service"));
        assert_eq!(name_of(SERVICE), Some("web"));
    }
}
