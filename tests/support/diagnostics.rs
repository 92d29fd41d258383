//! Diagnostics as `terraform validate -json` reports them, for tests that
//! bad input is refused at validate time, pointing at the attribute.

use serde_json::Value;

use super::Workspace;

/// Runs `terraform validate -json`, which must fail, and returns its
/// diagnostics.
pub fn failed_validate_diagnostics(ws: &Workspace) -> Vec<Value> {
    diagnostics_of(&ws.fails(&["validate", "-json", "-no-color"]).stdout)
}

/// Runs `terraform validate -json`, which must succeed, and returns its
/// diagnostics (warnings).
pub fn validate_diagnostics(ws: &Workspace) -> Vec<Value> {
    diagnostics_of(&ws.ok(&["validate", "-json", "-no-color"]).stdout)
}

fn diagnostics_of(stdout: &str) -> Vec<Value> {
    let json: Value = serde_json::from_str(stdout).expect("validate -json prints JSON");
    json["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no diagnostics in {json:#}"))
}

/// Whether `diagnostic` has `severity`, mentions `message` in its summary or
/// detail, and shows `attribute` in its source snippet.
pub fn diagnostic_matches(
    diagnostic: &Value,
    severity: &str,
    attribute: &str,
    message: &str,
) -> bool {
    diagnostic["severity"] == severity
        && format!("{}{}", diagnostic["summary"], diagnostic["detail"]).contains(message)
        && diagnostic["snippet"]["code"]
            .as_str()
            .unwrap_or_default()
            .contains(attribute)
}

/// Requires `terraform validate` to fail with an error at `attribute`
/// mentioning `message`; `case` names the input in the failure message.
pub fn assert_validate_error(ws: &Workspace, case: &str, attribute: &str, message: &str) {
    let diags = failed_validate_diagnostics(ws);
    assert!(
        diags
            .iter()
            .any(|d| diagnostic_matches(d, "error", attribute, message)),
        "{case}: expected an error at {attribute} mentioning {message:?}, got {diags:#?}"
    );
}
