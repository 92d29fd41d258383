//! Reusable attribute validators. Each checks a known, non-null value and
//! explains what it expected in words a user can act on.

use std::sync::{Arc, OnceLock};

use regex::Regex;

use super::schema::Validator;
use super::value::Value;

/// The value is a whole number.
pub fn whole_number() -> Validator {
    Validator::new("a whole number", |v| match v.as_number() {
        Some(n) if n.as_i64().is_some() => Ok(()),
        Some(n) => Err(format!("must be a whole number, got {n}")),
        None => Ok(()),
    })
}

/// A whole number within `min..=max`.
pub fn int_between(min: i64, max: i64) -> Validator {
    Validator::new(format!("between {min} and {max}"), move |v| {
        match v.as_i64() {
            Some(n) if n < min || n > max => {
                Err(format!("must be between {min} and {max}, got {n}"))
            }
            _ => Ok(()),
        }
    })
}

/// A whole number of at least `min`.
pub fn int_at_least(min: i64) -> Validator {
    Validator::new(format!("at least {min}"), move |v| match v.as_i64() {
        Some(n) if n < min => Err(format!("must be at least {min}, got {n}")),
        _ => Ok(()),
    })
}

/// A string of `min..=max` characters.
pub fn string_length(min: usize, max: usize) -> Validator {
    Validator::new(
        format!("{min} to {max} characters long"),
        move |v| match v.as_str() {
            Some(s) => {
                let n = s.chars().count();
                if n < min || n > max {
                    Err(format!(
                        "must be {min} to {max} characters long, got {n} ({s:?})"
                    ))
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        },
    )
}

/// A string matching `pattern` (anchored at both ends); `expectation`
/// describes it in words, e.g. "letters, digits, hyphens and underscores".
pub fn string_matches(pattern: &'static str, expectation: &'static str) -> Validator {
    // Compiled on first use: schemas are built at start-up, and most
    // validators never run in a given provider process.
    let cell: Arc<OnceLock<Regex>> = Arc::new(OnceLock::new());
    Validator::new(expectation, move |v| match v.as_str() {
        Some(s) => {
            let re = cell.get_or_init(|| {
                Regex::new(&format!("^(?:{pattern})$")).expect("validator pattern compiles")
            });
            if re.is_match(s) {
                Ok(())
            } else {
                Err(format!("must be {expectation}, got {s:?}"))
            }
        }
        None => Ok(()),
    })
}

/// One of the listed strings (exact match).
pub fn one_of(allowed: &'static [&'static str]) -> Validator {
    Validator::new(format!("one of {}", allowed.join(", ")), move |v| {
        match v.as_str() {
            Some(s) if !allowed.contains(&s) => {
                Err(format!("must be one of {}, got {s:?}", quote_list(allowed)))
            }
            _ => Ok(()),
        }
    })
}

/// An ARN (`arn:partition:service:region:account:resource`).
pub fn arn() -> Validator {
    Validator::new("an ARN", |v| match v.as_str() {
        Some(s) => {
            let parts: Vec<&str> = s.splitn(6, ':').collect();
            if parts.len() == 6
                && parts[0] == "arn"
                && !parts[1].is_empty()
                && !parts[2].is_empty()
                && !parts[5].is_empty()
            {
                Ok(())
            } else {
                Err(format!(
                    "must be an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE), got {s:?}"
                ))
            }
        }
        None => Ok(()),
    })
}

/// The longest duration [`duration`] accepts: far beyond any operation,
/// and far from where time arithmetic could overflow.
pub const MAX_DURATION: std::time::Duration = std::time::Duration::from_secs(366 * 24 * 3600);

/// A duration such as `30s`, `20m` or `1h30m` (Go's duration syntax, which
/// Terraform users know from `timeouts` blocks), of at most a year.
pub fn duration() -> Validator {
    duration_between(std::time::Duration::ZERO, MAX_DURATION)
}

/// A duration (see [`duration`]) from `min` to `max` inclusive.
pub fn duration_between(min: std::time::Duration, max: std::time::Duration) -> Validator {
    let show = |d: std::time::Duration| {
        let secs = d.as_secs();
        match secs {
            0 => "0s".to_string(),
            s if s % 3600 == 0 => format!("{}h", s / 3600),
            s if s % 60 == 0 => format!("{}m", s / 60),
            s => format!("{s}s"),
        }
    };
    let (lo, hi) = (show(min), show(max));
    Validator::new(
        format!("a duration such as \"30s\", \"20m\" or \"1h\", from {lo} to {hi}"),
        move |v| match v.as_str() {
            Some(s) => match parse_duration(s) {
                None => Err(format!(
                    "must be a duration such as \"30s\", \"20m\" or \"1h30m\", got {s:?}"
                )),
                Some(d) if d < min || d > max => {
                    Err(format!("must be from {lo} to {hi}, got {s:?}"))
                }
                Some(_) => Ok(()),
            },
            None => Ok(()),
        },
    )
}

/// Applies `inner` to every value of a map or element of a collection.
pub fn each_value(inner: Validator) -> Validator {
    Validator::new(format!("every value {}", inner.description), move |v| {
        if let Some(entries) = v.as_entries() {
            for (k, x) in entries {
                if !x.is_null() && !x.is_unknown() {
                    inner.check(x).map_err(|e| format!("value of {k:?} {e}"))?;
                }
            }
        } else if let Some(items) = v.as_elements() {
            for x in items {
                if !x.is_null() && !x.is_unknown() {
                    inner.check(x)?;
                }
            }
        }
        Ok(())
    })
}

/// Applies `inner` to every key of a map.
pub fn each_key(inner: Validator) -> Validator {
    Validator::new(format!("every key {}", inner.description), move |v| {
        if let Some(entries) = v.as_entries() {
            for k in entries.keys() {
                inner
                    .check(&Value::String(k.clone()))
                    .map_err(|e| format!("key {k:?} {e}"))?;
            }
        }
        Ok(())
    })
}

/// A collection with `min..=max` elements.
pub fn size_between(min: usize, max: usize) -> Validator {
    Validator::new(format!("{min} to {max} elements"), move |v| {
        let n = v
            .as_elements()
            .map(<[Value]>::len)
            .or_else(|| v.as_entries().map(|m| m.len()));
        match n {
            Some(n) if n < min || n > max => {
                Err(format!("must have {min} to {max} elements, got {n}"))
            }
            _ => Ok(()),
        }
    })
}

/// Parses a Go-style duration ("1h30m", "45s", "500ms") into seconds.
pub fn parse_duration(s: &str) -> Option<std::time::Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s == "0" {
        return Some(std::time::Duration::ZERO);
    }
    let mut total = 0f64;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let number: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * factor;
    }
    // Out of range (or not finite) is not a duration rather than a panic.
    std::time::Duration::try_from_secs_f64(total).ok()
}

fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_duration("20m").unwrap().as_secs(), 1200);
        assert_eq!(parse_duration("1h30m").unwrap().as_secs(), 5400);
        assert_eq!(parse_duration("500ms").unwrap().as_millis(), 500);
        assert!(parse_duration("20 minutes").is_none());
        assert!(parse_duration("m").is_none());
    }

    #[test]
    fn absurd_durations_are_refused_without_panicking() {
        let huge = format!("{}h", "9".repeat(400));
        assert!(parse_duration(&huge).is_none());
        assert!(parse_duration("99999999999999999999h").is_none());
        for text in ["999999999999h", "99999999999999999999h", huge.as_str()] {
            assert!(duration().check(&Value::from(text)).is_err(), "{text}");
        }
        assert!(duration().check(&Value::from("72h")).is_ok());
        let session = duration_between(
            std::time::Duration::from_secs(900),
            std::time::Duration::from_secs(12 * 3600),
        );
        assert!(session.check(&Value::from("1h")).is_ok());
        assert!(session.check(&Value::from("13h")).is_err());
        assert!(session.check(&Value::from("1m")).is_err());
    }

    #[test]
    fn patterns_are_anchored() {
        let v = string_matches("[a-z]+", "lower-case letters");
        assert!(v.check(&Value::from("abc")).is_ok());
        assert!(v.check(&Value::from("abc1")).is_err());
    }

    #[test]
    fn ranges_report_the_value() {
        let err = int_between(1, 200).check(&Value::from(500)).unwrap_err();
        assert!(err.contains("500") && err.contains("between 1 and 200"));
    }
}
