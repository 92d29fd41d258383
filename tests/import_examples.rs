//! The registry examples of every resource type, imported: each example is
//! applied, then its App Runner objects are imported (by `import` blocks
//! with their identities) into a fresh workspace with the same
//! configuration. The import plans no change but the configuration's
//! `timeouts`, and leaves the state the create left.

mod support;

use support::{Emulator, Workspace, assert_no_change_but_timeouts, resource_example};

const EXAMPLES: &[&str] = &[
    "apprunner_auto_scaling_configuration_version",
    "apprunner_connection",
    "apprunner_custom_domain_association",
    "apprunner_default_auto_scaling_configuration_version",
    "apprunner_deployment",
    "apprunner_observability_configuration",
    "apprunner_service",
    "apprunner_vpc_connector",
    "apprunner_vpc_ingress_connection",
];

/// `import` blocks, by identity, for every App Runner resource in `state`;
/// returns them with the addresses.
fn import_blocks(state: &support::State) -> (String, Vec<String>) {
    let mut blocks = String::new();
    let mut addresses = Vec::new();
    for r in state.resources() {
        let address = r["address"].as_str().unwrap().to_string();
        if r["mode"] != "managed" || !address.starts_with("apprunner_") {
            continue;
        }
        let identity = r["identity"].as_object().expect("an identity");
        let fields: Vec<String> = identity
            .iter()
            .map(|(k, v)| format!("    {k} = {v}"))
            .collect();
        blocks.push_str(&format!(
            "import {{\n  to = {address}\n  identity = {{\n{}\n  }}\n}}\n",
            fields.join("\n")
        ));
        addresses.push(address);
    }
    (blocks, addresses)
}

#[test]
fn every_example_imports_into_the_state_it_was_created_with() {
    let emulator = Emulator::start(&["--operation-duration", "100ms"]);
    let mut imported_types = Vec::new();
    for name in EXAMPLES {
        let body = resource_example(name);
        let ws = Workspace::new(&emulator);
        ws.write(&body);
        ws.apply();
        // Computed values other objects of the example change (say a
        // configuration's `has_associated_service`) are refreshed first.
        ws.ok(&[
            "apply",
            "-refresh-only",
            "-auto-approve",
            "-no-color",
            "-input=false",
        ]);
        let created = ws.state();
        let (blocks, addresses) = import_blocks(&created);
        assert!(
            addresses.iter().any(|a| a.starts_with(&format!("{name}."))),
            "{name}: {addresses:?}"
        );

        let iw = Workspace::new(&emulator);
        iw.write(&format!("{body}\n{blocks}"));
        let plan = iw.plan(&[]);
        // What remains (docs/resources/deployment.md): an import cannot know
        // a deployment's `triggers`, and a deployment whose triggers change
        // is a new one.
        let (limited, addresses): (Vec<String>, Vec<String>) = addresses
            .into_iter()
            .partition(|a| a.starts_with("apprunner_deployment."));
        for address in &limited {
            assert_eq!(
                plan.replace_paths(address),
                vec![serde_json::json!(["triggers"])],
                "{name}: {address}"
            );
            imported_types.push("apprunner_deployment".to_string());
        }
        for address in &addresses {
            assert_no_change_but_timeouts(&plan, address, &format!("{name}: import plan"));
        }
        let targets: Vec<String> = addresses.iter().map(|a| format!("-target={a}")).collect();
        let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
        iw.plan(&targets);
        iw.ok(&["apply", "-no-color", "-input=false", "tfplan"]);
        let imported = iw.state();
        for address in &addresses {
            let want = created.values(address);
            let got = imported.values(address);
            for (k, v) in want.as_object().unwrap() {
                if k == "timeouts" {
                    continue;
                }
                // What remains: values App Runner normalises read back in
                // its form (documented in docs/resources/service.md).
                if k == "instance_configuration" && v[0].is_object() {
                    let (w, g) = (&v[0], &got[k][0]);
                    assert_eq!(w["cpu"], "1 vCPU", "{name}");
                    assert_eq!(g["cpu"], "1024", "{name}");
                    assert_eq!(w["memory"], "4 GB", "{name}");
                    assert_eq!(g["memory"], "4096", "{name}");
                    continue;
                }
                assert_eq!(&got[k], v, "{name}: {address}.{k} after import");
            }
            assert_eq!(
                imported.entry(address)["identity"],
                created.entry(address)["identity"],
                "{name}: {address}"
            );
            imported_types.push(address.split('.').next().unwrap().to_string());
        }
        // Imported with the configuration: nothing more to do.
        iw.assert_plan_empty(&targets, &format!("{name}: after the import"));
        for address in &addresses {
            iw.ok(&["state", "rm", "-no-color", address]);
        }
        ws.destroy();
        assert_eq!(
            emulator.state()["total"],
            0,
            "{name}: {:#}",
            emulator.state()
        );
    }
    imported_types.sort();
    imported_types.dedup();
    assert_eq!(imported_types, EXAMPLES, "every type was imported");
}

#[test]
fn the_examples_list_every_resource_type() {
    let mut found: Vec<String> = std::fs::read_dir(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/resources"),
    )
    .unwrap()
    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
    .collect();
    found.sort();
    assert_eq!(found, EXAMPLES);
}
