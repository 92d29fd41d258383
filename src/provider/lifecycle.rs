//! What the lifecycle methods of App Runner resources share: reading a
//! type's model from a plan or state, the ARN a state names, import IDs of
//! two parts, and once App Runner has answered, the state a create leaves
//! (with the object in it whenever it exists), a refresh with the object's
//! tags, updates that change only tags, the end of a delete, and a type's
//! private state.

use std::time::Duration;

use aws_sdk_apprunner::types::Tag;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::calls::CreateFailed;
use super::waiter::WaitError;
use super::{AppRunner, region, tags};
use crate::plugin::model::{self, Field};
use crate::plugin::{Applied, ApplyRequest, Diagnostic, Diagnostics, Read, Value};

/// A type's model read from its configuration, plan or state
/// (`VpcConnectorModel::of(&req.planned)`), or the diagnostic saying why
/// the value does not fit it.
pub trait ReadModel: Sized {
    fn of(value: &Value) -> Result<Self, Diagnostic>;

    /// The models of a prior and a planned value, or the diagnostic of the
    /// first that does not fit.
    fn of_both(prior: &Value, planned: &Value) -> Result<(Self, Self), Diagnostic> {
        Ok((Self::of(prior)?, Self::of(planned)?))
    }
}

impl<T: DeserializeOwned> ReadModel for T {
    fn of(value: &Value) -> Result<Self, Diagnostic> {
        model::from_value(value).map_err(Into::into)
    }
}

/// A type's private state (what Terraform keeps next to the state without
/// showing it), stored as JSON: empty or unreadable bytes read as the
/// default.
pub fn private_of<T: DeserializeOwned + Default>(bytes: &[u8]) -> T {
    serde_json::from_slice(bytes).unwrap_or_default()
}

/// The bytes of a type's private state. Never empty: the protocol layer
/// reads empty private data as "keep the previous one".
pub fn private_bytes<T: Serialize>(private: &T) -> Vec<u8> {
    serde_json::to_vec(private).expect("private state serialises")
}

/// The ARN a state names: `arn`, or `id` (the same) where only that is set.
pub fn arn_of(state: &Value) -> Result<String, Diagnostic> {
    #[derive(Deserialize)]
    struct ArnAndId {
        arn: Field<String>,
        id: Field<String>,
    }
    let named: ArnAndId = model::from_value(state)?;
    Ok(named
        .arn
        .as_deref()
        .or(named.id.as_deref())
        .unwrap_or_default()
        .to_string())
}

/// The parts of an import ID `FIRST,SECOND` that `valid` accepts, and the
/// region of an `@REGION` suffix; else the error that `expected` (e.g.
/// `DOMAIN_NAME,SERVICE_ARN (e.g. …)`) was expected.
pub fn import_pair<'a>(
    id: &'a str,
    expected: &str,
    valid: impl Fn(&str, &str) -> bool,
) -> Result<(&'a str, &'a str, Option<&'a str>), Diagnostics> {
    let (pair, at) = region::split_import_id(id)?;
    match pair.split_once(',').filter(|(a, b)| valid(a, b)) {
        Some((a, b)) => Ok((a, b, at)),
        None => Err(Diagnostic::error(
            "Invalid import ID",
            format!("Expected {expected}, optionally followed by @REGION, got {id:?}."),
        )
        .into()),
    }
}

/// The state a create leaves: the planned state with what `fill` writes of
/// the object App Runner made, and that object; or the result to return at
/// once when the create failed (with the object in state, tainted, when it
/// was made all the same) or `fill` did.
pub fn created_state<T>(
    planned: &Value,
    created: Result<T, CreateFailed<T>>,
    fill: impl Fn(&mut Value, &T) -> Result<(), Diagnostic>,
) -> Result<(Value, T), Box<Applied>> {
    let made = match created {
        Ok(made) => made,
        Err(CreateFailed {
            made: Some(made),
            diagnostic,
        }) => {
            let mut state = planned.clone();
            let mut diags = Diagnostics::from(diagnostic);
            if let Err(d) = fill(&mut state, &made) {
                diags.push(d);
            }
            return Err(Box::new(Applied::partial(state, diags)));
        }
        Err(failed) => return Err(Box::new(Applied::failed(failed.diagnostic))),
    };
    let mut state = planned.clone();
    match fill(&mut state, &made) {
        Ok(()) => Ok((state, made)),
        Err(d) => Err(Box::new(Applied::partial(state, d))),
    }
}

/// The refreshed state of an object App Runner answered `found` for:
/// gone when there is none, else `prior` with what `fill` writes of the
/// object and the tags of the object at `arn`.
pub async fn read<T>(
    provider: &AppRunner,
    prior: &Value,
    arn: &str,
    found: Result<Option<T>, Diagnostics>,
    fill: impl FnOnce(&mut Value, &T) -> Result<(), Diagnostic>,
) -> Read {
    let object = match found {
        Ok(Some(object)) => object,
        Ok(None) => return Read::gone(),
        Err(d) => return Read::failed(d),
    };
    let mut state = prior.clone();
    if let Err(d) = fill(&mut state, &object) {
        return Read::failed(d);
    }
    match tags::read(provider, arn).await {
        Ok(remote) => tags::set_in_state(provider, &mut state, prior, remote),
        Err(d) => return Read::failed(d),
    }
    Read::found(state)
}

/// [`read`] of an object that `describe` finds at the ARN its state names.
pub async fn read_by_arn<T>(
    provider: &AppRunner,
    prior: &Value,
    describe: impl AsyncFnOnce(&AppRunner, &str) -> Result<Option<T>, Diagnostics>,
    fill: impl FnOnce(&mut Value, &T) -> Result<(), Diagnostic>,
) -> Read {
    let arn = match arn_of(prior) {
        Ok(arn) => arn,
        Err(d) => return Read::failed(d),
    };
    let found = describe(provider, &arn).await;
    read(provider, prior, &arn, found, fill).await
}

/// The state after an update that changed only tags: the planned state
/// with what `fill` writes of the object as App Runner describes it now
/// (`found`), or the prior state with the error. `title` names the object
/// (at `arn`) when it is gone.
pub fn after_tag_update<T>(
    prior: Value,
    planned: Value,
    arn: &str,
    found: Result<Option<T>, Diagnostics>,
    title: &str,
    fill: impl FnOnce(&mut Value, &T) -> Result<(), Diagnostic>,
) -> Applied {
    let mut state = planned;
    match found {
        Ok(Some(object)) => match fill(&mut state, &object) {
            Ok(()) => Applied::ok(state),
            Err(d) => Applied::partial(prior, d),
        },
        Ok(None) => Applied::failed(Diagnostic::error(
            format!("{title} disappeared"),
            format!("{arn} was deleted outside Terraform while its tags were updated."),
        )),
        Err(d) => Applied::partial(prior, d),
    }
}

/// An update that changes only tags (and settings App Runner never sees,
/// such as `timeouts`): the planned state, once the tags of the object at
/// `arn` are brought to it.
pub async fn update_only_tags(provider: &AppRunner, arn: &str, req: ApplyRequest) -> Applied {
    match update_tags(provider, arn, &req).await {
        Ok(()) => Applied::ok(req.planned),
        Err(d) => Applied::failed(d),
    }
}

/// What a delete that waited for the object to go reports: nothing, or
/// why waiting for `what` (e.g. "connection web to be deleted") within
/// `timeout` ended.
pub fn deleted(waited: Result<(), WaitError>, what: &str, timeout: Duration) -> Diagnostics {
    match waited {
        Ok(()) => Diagnostics::new(),
        Err(e) => e.into_diagnostic(what, timeout).into(),
    }
}

/// The tags to create an object with: the planned `tags_all`.
pub fn planned_tags(planned: &Value) -> Option<Vec<Tag>> {
    tags::to_api(planned.attr("tags_all"))
}

/// Brings the tags of the object at `arn` from the prior `tags_all` of an
/// update to the planned one.
pub async fn update_tags(
    provider: &AppRunner,
    arn: &str,
    req: &ApplyRequest,
) -> Result<(), Diagnostics> {
    tags::update(
        provider,
        arn,
        req.prior.attr("tags_all"),
        req.planned.attr("tags_all"),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(arn: Value, id: Value) -> Value {
        Value::Object([("arn".to_string(), arn), ("id".to_string(), id)].into())
    }

    #[test]
    fn the_arn_of_a_state_is_its_arn_or_else_its_id() {
        let both = state("arn:a".into(), "arn:b".into());
        assert_eq!(arn_of(&both).unwrap(), "arn:a");
        let imported = state(Value::Null, "arn:b".into());
        assert_eq!(arn_of(&imported).unwrap(), "arn:b");
        assert_eq!(arn_of(&state(Value::Null, Value::Null)).unwrap(), "");
    }
}
