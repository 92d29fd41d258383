//! Attribute paths into the service's nested blocks: blocks are lists of
//! at most one object, so a path goes through element 0 of each block.
//! Diagnostics point at these paths, and the plan writes the values it
//! infers at them.

use crate::plugin::diagnostics::PathStep;
use crate::plugin::{AttributePath, Value};

/// `blocks[0]…attribute`, e.g. `instance_configuration[0].cpu`.
pub(super) fn at(blocks: &[&str], attribute: &str) -> AttributePath {
    let mut p = AttributePath::root();
    for b in blocks {
        p = p.then_attr(b).then_index(0);
    }
    p.then_attr(attribute)
}

/// The path of the last of `blocks`, e.g. `source_configuration[0].image_repository`.
pub(super) fn block_path(blocks: &[&str]) -> AttributePath {
    let (last, parents) = blocks.split_last().expect("a block");
    let mut p = AttributePath::root();
    for b in parents {
        p = p.then_attr(b).then_index(0);
    }
    p.then_attr(last)
}

/// Sets the value at `path` in `value`, when everything on the way there
/// exists; leaves the rest of `value` (unknowns and their refinements
/// included) as it is.
pub(super) fn set_at(value: &mut Value, path: &AttributePath, new: Value) {
    let Some((last, parents)) = path.0.split_last() else {
        return;
    };
    let mut target = value;
    for step in parents {
        let next = match step {
            PathStep::Attribute(name) => target.attr_mut(name),
            PathStep::Index(i) => usize::try_from(*i)
                .ok()
                .and_then(|i| target.as_elements_mut()?.get_mut(i)),
            PathStep::Key(key) => target.as_entries_mut().and_then(|m| m.get_mut(key)),
        };
        match next {
            Some(next) => target = next,
            None => return,
        }
    }
    if let PathStep::Attribute(name) = last
        && let Some(slot) = target.attr_mut(name)
    {
        *slot = new;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_at_writes_inside_blocks_that_exist_only() {
        let object = |name: &str, v: Value| Value::Object([(name.to_string(), v)].into());
        let mut value = object(
            "network_configuration",
            Value::List(vec![object("egress_type", Value::Null)]),
        );
        set_at(
            &mut value,
            &at(&["network_configuration"], "egress_type"),
            "VPC".into(),
        );
        let expected = object(
            "network_configuration",
            Value::List(vec![object("egress_type", "VPC".into())]),
        );
        assert_eq!(value, expected);
        let mut empty = object("network_configuration", Value::List(vec![]));
        set_at(
            &mut empty,
            &at(&["network_configuration"], "egress_type"),
            "VPC".into(),
        );
        assert_eq!(empty, object("network_configuration", Value::List(vec![])));
    }
}
