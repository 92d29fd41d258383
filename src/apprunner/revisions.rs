//! What auto scaling and observability configurations share: named,
//! numbered, immutable revisions, found by ARN or by name and revision.

/// App Runner's rule for configuration names.
pub const NAME_PATTERN: &str = r"[A-Za-z0-9][A-Za-z0-9\-_]{3,31}";
pub const NAME_RULE: &str =
    "4 to 32 letters, digits, hyphens or underscores, starting with a letter or digit";

/// The name of App Runner's own configuration in every region, which
/// cannot be changed or deleted: never listed.
pub const APP_RUNNER_DEFAULT: &str = "DefaultConfiguration";

/// A revision as a list call summarises it.
pub trait RevisionSummary {
    fn name(&self) -> Option<&str>;
    fn revision(&self) -> i32;
    fn arn(&self) -> Option<&str>;
    /// Whether a lookup by name may select it.
    fn selectable(&self) -> bool;
}

/// The ARN of the revision of `name` a lookup selects among `summaries`:
/// `revision`, or else the highest.
pub fn select<'a, S: RevisionSummary + 'a>(
    summaries: impl IntoIterator<Item = &'a S>,
    name: &str,
    revision: Option<i64>,
) -> Option<String> {
    let mut best: Option<(i64, &str)> = None;
    for s in summaries {
        let number = i64::from(s.revision());
        let wanted = s.name() == Some(name)
            && s.selectable()
            && match revision {
                Some(r) => number == r,
                None => best.is_none_or(|(b, _)| number > b),
            };
        if let (true, Some(arn)) = (wanted, s.arn()) {
            best = Some((number, arn));
        }
    }
    best.map(|(_, arn)| arn.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct S(&'static str, i32, bool);

    impl RevisionSummary for S {
        fn name(&self) -> Option<&str> {
            Some(self.0)
        }
        fn revision(&self) -> i32 {
            self.1
        }
        fn arn(&self) -> Option<&str> {
            Some(match self.1 {
                1 => "arn:1",
                2 => "arn:2",
                _ => "arn:3",
            })
        }
        fn selectable(&self) -> bool {
            self.2
        }
    }

    #[test]
    fn lookups_select_the_asked_or_highest_revision() {
        let all = [
            S("a", 1, true),
            S("a", 3, false),
            S("a", 2, true),
            S("b", 3, true),
        ];
        assert_eq!(select(&all, "a", None).as_deref(), Some("arn:2"));
        assert_eq!(select(&all, "a", Some(1)).as_deref(), Some("arn:1"));
        assert_eq!(select(&all, "a", Some(3)), None);
        assert_eq!(select(&all, "c", None), None);
    }
}
