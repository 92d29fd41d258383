//! The AWS provider's side of a migration: state files as it writes them,
//! for tests of `moved` blocks from `aws_apprunner_*` (served by the
//! schema-only stand-in, see `Workspace::with_aws_stand_in`).

use serde_json::{Value, json};

use super::{Emulator, Workspace};

/// A state file holding one resource, `TYPE.NAME`, of the AWS provider
/// (`type_name` with its `aws_` prefix), with an identity where the AWS
/// provider's version writes one.
pub fn aws_provider_state(
    type_name: &str,
    name: &str,
    attributes: Value,
    identity: Option<Value>,
) -> String {
    let mut instance = json!({
        "schema_version": 0,
        "attributes": attributes,
        "sensitive_attributes": [],
        "private": "eyJzY2hlbWFfdmVyc2lvbiI6IjAifQ=="
    });
    if let Some(identity) = identity {
        instance["identity_schema_version"] = json!(0);
        instance["identity"] = identity;
    }
    json!({
        "version": 4,
        "terraform_version": "1.12.2",
        "serial": 3,
        "lineage": "6b0f7c54-1f6e-4a8e-9a55-0c4c9f1a0001",
        "outputs": {},
        "resources": [{
            "mode": "managed",
            "type": type_name,
            "name": name,
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [instance]
        }],
        "check_results": null
    })
    .to_string()
}

/// A workspace (with the AWS provider's stand-in) whose state holds
/// `aws_TYPE.this` with `attributes` and `identity`, and whose
/// configuration is `body` and a `moved` block from it to `TYPE.this`.
pub fn workspace_moving_from_aws(
    emulator: &Emulator,
    type_name: &str,
    attributes: Value,
    identity: Option<Value>,
    body: &str,
) -> Workspace {
    let ws = Workspace::new(emulator).with_aws_stand_in();
    ws.write_file(
        "terraform.tfstate",
        &aws_provider_state(&format!("aws_{type_name}"), "this", attributes, identity),
    );
    ws.write(&format!(
        "{body}\nmoved {{\n  from = aws_{type_name}.this\n  to   = {type_name}.this\n}}\n"
    ));
    ws
}
