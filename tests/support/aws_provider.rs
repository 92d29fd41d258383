//! The AWS provider's side of a migration: state files as it writes them,
//! for tests of `moved` blocks from `aws_apprunner_*` (served by the
//! schema-only stand-in, see `Workspace::with_aws_stand_in`).

use serde_json::{Value, json};

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
