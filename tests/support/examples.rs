//! The registry examples under `examples/`, as the tests apply them: every
//! resource type's example must apply as written, plan empty afterwards and
//! destroy whole.

use super::{Emulator, Workspace};

/// The text of a file under `examples/`, e.g.
/// `resources/apprunner_service/resource.tf`.
pub fn example(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read {}: {e}", full.display()))
}

/// A resource type's registry example (`resources/TYPE/resource.tf`).
pub fn resource_example(type_name: &str) -> String {
    example(&format!("resources/{type_name}/resource.tf"))
}

/// A data source's registry example (`data-sources/TYPE/data-source.tf`).
pub fn data_source_example(type_name: &str) -> String {
    example(&format!("data-sources/{type_name}/data-source.tf"))
}

/// Applies a resource type's registry example in a fresh workspace and
/// requires the plan after it to be empty; returns the workspace for
/// further steps.
pub fn apply_resource_example(emulator: &Emulator, type_name: &str) -> Workspace {
    let ws = Workspace::new(emulator);
    ws.write(&resource_example(type_name));
    ws.apply();
    ws.assert_plan_empty(&[], &format!("after applying the example of {type_name}"));
    ws
}

/// "The example applies": a resource type's registry example applies as
/// written, plans empty, and destroys leaving the control plane empty.
pub fn assert_resource_example_applies(emulator: &Emulator, type_name: &str) {
    let ws = apply_resource_example(emulator, type_name);
    ws.destroy();
    let held = emulator.state();
    assert_eq!(held["total"], 0, "{type_name}: {held:#}");
}
