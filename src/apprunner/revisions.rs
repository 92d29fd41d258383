//! What auto scaling and observability configurations share: named,
//! numbered, immutable revisions, found by ARN or by name and revision.

use aws_sdk_apprunner::error::ProvideErrorMetadata;
use serde::Serialize;

use super::{Pages, collect};
use crate::plugin::Diagnostics;
use crate::provider::AppRunner;

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
    /// Whether it is live (an auto scaling revision may be INACTIVE):
    /// lists and lookups by name leave out the others.
    fn selectable(&self) -> bool;
}

/// A kind of revisioned configuration: what differs between the kinds
/// (their SDK calls and types); what they share is written once below.
// Used with static dispatch only, so the futures need no Send bound.
#[allow(async_fn_in_trait)]
pub trait Revisioned {
    /// The API type of a revision.
    type Api;
    type Summary: RevisionSummary + Clone;
    /// The attributes its resource and data source share.
    type Attributes: Serialize + for<'a> From<&'a Self::Api>;

    /// The name of the kind's list operation, for errors.
    const LIST_OPERATION: &'static str;
    /// A page of the kind's list operation.
    type Page;
    type ListError: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static;

    async fn describe(provider: &AppRunner, arn: &str) -> Result<Option<Self::Api>, Diagnostics>;

    /// The pages of the revisions of `region` (of `name` when given; only
    /// the latest of each name with `latest_only`).
    fn pages(
        provider: &AppRunner,
        region: &str,
        name: Option<&str>,
        latest_only: Option<bool>,
    ) -> Pages<Self::Page, Self::ListError>;

    fn summaries(page: &Self::Page) -> &[Self::Summary];
    fn attributes(api: &Self::Api) -> Self::Attributes {
        Self::Attributes::from(api)
    }
    fn arn(api: &Self::Api) -> &str;
    fn name(api: &Self::Api) -> Option<&str>;
    fn revision(api: &Self::Api) -> Option<i32>;
}

/// The revisions of `region` (of `name` when given; only the latest of
/// each name with `latest_only`) that a lookup may select and `wanted`
/// keeps, at most `limit`. `resource` names what is listed in errors.
pub async fn list<K: Revisioned>(
    provider: &AppRunner,
    region: &str,
    name: Option<&str>,
    latest_only: Option<bool>,
    resource: &str,
    limit: usize,
    wanted: impl Fn(&K::Summary) -> bool,
) -> Result<Vec<K::Summary>, Diagnostics> {
    collect(
        K::pages(provider, region, name, latest_only),
        K::LIST_OPERATION,
        resource,
        limit,
        K::summaries,
        |c| c.selectable() && wanted(c),
    )
    .await
}

/// ARNs of the revisions of `name` that [`list`] gives.
pub async fn revision_arns<K: Revisioned>(
    provider: &AppRunner,
    region: &str,
    name: &str,
) -> Result<Vec<String>, Diagnostics> {
    let found = list::<K>(provider, region, Some(name), None, name, usize::MAX, |_| {
        true
    })
    .await?;
    Ok(found
        .iter()
        .filter_map(|c| c.arn().map(str::to_string))
        .collect())
}

/// The ARN of revision `revision` of `name`, or of its latest revision;
/// `resource` names the lookup in errors.
pub async fn find_by_name<K: Revisioned>(
    provider: &AppRunner,
    region: &str,
    name: &str,
    revision: Option<i64>,
    resource: &str,
) -> Result<Option<String>, Diagnostics> {
    let latest_only = Some(revision.is_none());
    let found = list::<K>(
        provider,
        region,
        Some(name),
        latest_only,
        resource,
        usize::MAX,
        |_| true,
    )
    .await?;
    Ok(select(&found, name, revision))
}

/// The newest revision of `name` not among `before` that `made` accepts:
/// what a create whose answer was lost made.
pub async fn find_made<K: Revisioned>(
    provider: &AppRunner,
    region: &str,
    name: &str,
    before: &[String],
    made: impl Fn(&K::Api) -> bool,
) -> Result<Option<K::Api>, Diagnostics> {
    let mut found = Vec::new();
    for arn in revision_arns::<K>(provider, region, name).await? {
        if before.contains(&arn) {
            continue;
        }
        if let Some(api) = K::describe(provider, &arn).await?
            && made(&api)
        {
            found.push(api);
        }
    }
    Ok(found.into_iter().max_by_key(|api| K::revision(api)))
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
