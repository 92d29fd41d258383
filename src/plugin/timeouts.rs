//! The conventional `timeouts { create = "30m" … }` block.

use std::time::Duration;

use super::schema::{Attribute, Block, NestedBlock};
use super::validators;
use super::value::Value;

/// A `timeouts` block with one optional duration per operation, each with
/// the same default.
pub fn block(operations: &[&str], default: Duration) -> NestedBlock {
    let each: Vec<(&str, Duration)> = operations.iter().map(|op| (*op, default)).collect();
    block_with_defaults(&each)
}

/// A `timeouts` block with one optional duration per operation, each with
/// its own default (stated in the schema, so the docs can be checked).
pub fn block_with_defaults(operations: &[(&str, Duration)]) -> NestedBlock {
    let mut b = Block::new()
        .description("How long each operation may take before Terraform gives up waiting.");
    for (op, default) in operations {
        let minutes = default.as_secs() / 60;
        b = b.attribute(
            Attribute::string(op)
                .optional()
                .validate(validators::duration())
                .description(format!(
                    "How long `{op}` may take, e.g. \"30m\" (default {minutes}m)."
                )),
        );
    }
    NestedBlock::single("timeouts", b)
}

/// The timeout configured for `operation` in a resource value, or `default`.
pub fn get(resource: &Value, operation: &str, default: Duration) -> Duration {
    resource
        .attr("timeouts")
        .attr(operation)
        .as_str()
        .and_then(validators::parse_duration)
        .unwrap_or(default)
}
