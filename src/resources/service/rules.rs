//! The rules of the App Runner API model (botocore's `apprunner/2020-05-15`)
//! that `apprunner_service` checks at plan time: name, ARN and image
//! patterns, runtimes and their end of support, and the CPU/memory pairs
//! App Runner accepts, with `\w` spelled out as ASCII as the service
//! applies it.

use std::sync::{Arc, OnceLock};

use regex::Regex;

use crate::plugin::schema::Validator;
use crate::plugin::{Diagnostic, Value};

pub(super) const SERVICE_NAME: &str = r"[A-Za-z0-9][A-Za-z0-9_-]{3,39}";
pub(super) const ROLE_ARN: &str = r"arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):iam::[0-9]{12}:(role|role/service-role)/[0-9A-Za-z_+=,.@/-]{1,1000}";
pub(super) const KMS_KEY_ARN: &str = r"arn:aws(-[0-9A-Za-z_]+)*:kms:[a-z-]+-[0-9]:[0-9]{12}:key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
pub(super) const IMAGE_IDENTIFIER: &str = r"([0-9]{12}.dkr.ecr.[a-z\-]+-[0-9]{1}.amazonaws.com/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)(:([0-9A-Za-z_+=._:/@-])+|@([0-9A-Za-z_:]+))?)|(public\.ecr\.aws/.+/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)(:([0-9A-Za-z_+=._:/@-])+|@([0-9A-Za-z_:]+))?)";
pub(super) const CPU: &str = r"256|512|1024|2048|4096|(0.25|0.5|1|2|4) vCPU";
pub(super) const MEMORY: &str =
    r"512|1024|2048|3072|4096|6144|8192|10240|12288|(0.5|1|2|3|4|6|8|10|12) GB";
pub(super) const ONE_LINE: &str = r"[^\x0a\x0d]+";
pub(super) const NO_NUL: &str = r"[^\x00]+";
/// The `Runtime` enum of the App Runner API model (botocore's
/// `apprunner/2020-05-15/service-2.json`), in its order.
pub(super) const RUNTIMES: &[&str] = &[
    "PYTHON_3",
    "NODEJS_12",
    "NODEJS_14",
    "CORRETTO_8",
    "CORRETTO_11",
    "NODEJS_16",
    "GO_1",
    "DOTNET_6",
    "PHP_81",
    "RUBY_31",
    "PYTHON_311",
    "NODEJS_18",
    "NODEJS_22",
];

/// Managed runtimes App Runner has declared End of Support: the date, and
/// the supported runtime of the same language to move to (`None`: App
/// Runner has no managed successor, so an image-based source is the way
/// on). Source: the App Runner release notes and the runtime release
/// information pages of the App Runner Developer Guide ("End of support
/// for managed runtime versions"). Services on these runtimes keep
/// running, so they stay valid; a code-based service gets a plan warning.
pub(super) const END_OF_SUPPORT: &[(&str, time::Date, Option<&str>)] = &[
    ("PYTHON_3", DECEMBER_1_2025, Some("PYTHON_311")),
    ("NODEJS_12", DECEMBER_1_2025, Some("NODEJS_22")),
    ("NODEJS_14", DECEMBER_1_2025, Some("NODEJS_22")),
    ("NODEJS_16", DECEMBER_1_2025, Some("NODEJS_22")),
    ("NODEJS_18", DECEMBER_1_2025, Some("NODEJS_22")),
    ("DOTNET_6", DECEMBER_1_2025, None),
    ("GO_1", DECEMBER_1_2025, None),
    ("RUBY_31", DECEMBER_1_2025, None),
    ("PHP_81", time::macros::date!(2025 - 12 - 31), None),
];

/// The End of Support date most runtimes above share.
const DECEMBER_1_2025: time::Date = time::macros::date!(2025 - 12 - 01);

/// The End of Support warning for `runtime` on `today`, if it is due.
pub(super) fn end_of_support_warning(runtime: &str, today: time::Date) -> Option<Diagnostic> {
    let (_, date, successor) = END_OF_SUPPORT
        .iter()
        .find(|(name, date, _)| *name == runtime && *date <= today)?;
    let next = match successor {
        Some(s) => format!("Move the service to the supported runtime {s}"),
        None => "App Runner offers no supported managed runtime for this language: move the service to an \
                 image-based source (image_repository)"
            .to_string(),
    };
    Some(Diagnostic::warning(
        "Runtime at End of Support",
        format!(
            "App Runner declared the managed runtime {runtime} End of Support on {date}. The service keeps running, \
             but its builds get no more security updates. {next}."
        ),
    ))
}

/// CPU units and the memory (MB) App Runner accepts with each.
pub(super) const CPU_MEMORY: &[(u32, &[u32])] = &[
    (256, &[512, 1024]),
    (512, &[1024]),
    (1024, &[2048, 3072, 4096]),
    (2048, &[4096, 6144]),
    (4096, &[8192, 10240, 12288]),
];

/// `1 vCPU` → 1024, `1024` → 1024.
pub(super) fn cpu_units(text: &str) -> Option<u32> {
    scaled(text, " vCPU")
}

/// `2 GB` → 2048, `2048` → 2048.
pub(super) fn memory_mb(text: &str) -> Option<u32> {
    scaled(text, " GB")
}

pub(super) fn scaled(text: &str, unit: &str) -> Option<u32> {
    match text.strip_suffix(unit) {
        Some(n) => {
            let n: f64 = n.parse().ok()?;
            let units = n * 1024.0;
            (units.fract() == 0.0 && units > 0.0).then_some(units as u32)
        }
        None => text.parse().ok(),
    }
}

pub(super) fn same_cpu(a: &Value, b: &Value) -> bool {
    matches!((a.as_str().and_then(cpu_units), b.as_str().and_then(cpu_units)), (Some(x), Some(y)) if x == y)
}

pub(super) fn same_memory(a: &Value, b: &Value) -> bool {
    matches!((a.as_str().and_then(memory_mb), b.as_str().and_then(memory_mb)), (Some(x), Some(y)) if x == y)
}

pub(super) fn cpu_memory_text() -> String {
    "0.25 vCPU with 0.5 or 1 GB; 0.5 vCPU with 1 GB; 1 vCPU with 2, 3 or 4 GB; 2 vCPU with 4 or 6 GB; \
     4 vCPU with 8, 10 or 12 GB"
        .to_string()
}

pub(super) fn role_arn() -> Validator {
    let re = regex_cell(ROLE_ARN);
    Validator::new("an IAM role ARN", move |value| match value.as_str() {
        Some(s) if !(29..=1024).contains(&s.len()) || !re().is_match(s) => Err(format!(
            "must be the ARN of an IAM role (arn:aws:iam::ACCOUNT:role/NAME), got {s:?}"
        )),
        _ => Ok(()),
    })
}

/// A compiled, anchored regex made on first use (most validators never run
/// in a given provider process).
pub(super) fn regex_cell(pattern: &'static str) -> impl Fn() -> Regex + Send + Sync + 'static {
    let cell: Arc<OnceLock<Regex>> = Arc::new(OnceLock::new());
    move || {
        cell.get_or_init(|| Regex::new(&format!("^(?:{pattern})$")).expect("pattern compiles"))
            .clone()
    }
}

pub(super) fn port() -> Validator {
    Validator::new("a port number", |value| match value.as_str() {
        Some(s) => match s.parse::<u32>() {
            Ok(n) if (1..=65535).contains(&n) && !s.starts_with('+') => Ok(()),
            _ => Err(format!("must be a port number from 1 to 65535, got {s:?}")),
        },
        None => Ok(()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::validators as v;
    use crate::provider::arns;

    #[test]
    fn end_of_support_is_due_from_its_date_with_the_successor() {
        let day = |d| {
            time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
        };
        assert!(end_of_support_warning("PYTHON_3", day("2025-11-30")).is_none());
        let w = end_of_support_warning("PYTHON_3", day("2025-12-01")).unwrap();
        assert!(
            w.detail.contains("2025-12-01") && w.detail.contains("PYTHON_311"),
            "{}",
            w.detail
        );
        assert!(end_of_support_warning("PYTHON_311", day("2030-01-01")).is_none());
        assert!(end_of_support_warning("PHP_81", day("2025-12-30")).is_none());
        for (runtime, _, successor) in END_OF_SUPPORT {
            assert!(RUNTIMES.contains(runtime), "{runtime}");
            if let Some(s) = successor {
                assert!(RUNTIMES.contains(s), "{s}");
                assert!(!END_OF_SUPPORT.iter().any(|(r, _, _)| r == s), "{s}");
            }
        }
    }

    #[test]
    fn cpu_and_memory_units_normalise() {
        assert_eq!(cpu_units("1 vCPU"), Some(1024));
        assert_eq!(cpu_units("0.25 vCPU"), Some(256));
        assert_eq!(cpu_units("4096"), Some(4096));
        assert_eq!(memory_mb("0.5 GB"), Some(512));
        assert_eq!(memory_mb("12 GB"), Some(12288));
        assert!(same_cpu(&"2 vCPU".into(), &"2048".into()));
        assert!(!same_memory(&"3 GB".into(), &"2048".into()));
    }

    #[test]
    fn model_patterns_compile_and_match() {
        let image = v::string_matches(IMAGE_IDENTIFIER, "image");
        assert!(
            image
                .check(&"public.ecr.aws/aws-containers/hello-app-runner:latest".into())
                .is_ok()
        );
        assert!(
            image
                .check(&"123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc".into())
                .is_ok()
        );
        assert!(image.check(&"docker.io/library/nginx".into()).is_err());
        let name = v::string_matches(SERVICE_NAME, "name");
        assert!(name.check(&"my_service-1".into()).is_ok());
        assert!(name.check(&"-abc".into()).is_err());
        assert!(
            role_arn()
                .check(&"arn:aws:iam::123456789012:role/app-runner".into())
                .is_ok()
        );
        assert!(
            role_arn()
                .check(&"arn:aws:iam::123456789012:user/x".into())
                .is_err()
        );
        let conn = arns::validator("connection");
        assert!(
            conn.check(&"arn:aws:apprunner:us-east-1:123456789012:connection/gh/abc".into())
                .is_ok()
        );
        assert!(
            conn.check(&"arn:aws:apprunner:us-east-1:123456789012:service/gh/abc".into())
                .is_err()
        );
    }
}
