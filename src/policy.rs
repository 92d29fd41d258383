//! `policy check`: evaluates a Rego policy pack (the project's `policies/`
//! by default) over `terraform show -json` of a saved plan, for teams
//! without OPA or conftest, and reports as conftest does.
//!
//! The pack is plain OPA v1 Rego in package `main` with `deny` and `warn`
//! rules; this module only loads it into the regorus engine, runs it, and
//! prints `FAIL`/`WARN` lines. Nothing here runs while the provider serves
//! Terraform.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use regorus::{Engine, Value};

/// Arguments of `policy check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The plan as JSON: `terraform show -json PLANFILE > PLAN_JSON`.
    #[arg(value_name = "PLAN_JSON")]
    pub plan: PathBuf,
    /// Directory of `.rego` files (searched recursively; `*_test.rego` left out).
    #[arg(long, value_name = "DIR", default_value = "policies")]
    pub policy: PathBuf,
    /// Data file (JSON or YAML), e.g. one with the `apprunner` settings. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Package whose `deny` and `warn` rules are evaluated.
    #[arg(long, default_value = "main")]
    pub namespace: String,
    /// Exit non-zero on warnings too.
    #[arg(long)]
    pub fail_on_warn: bool,
}

/// `policy` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum PolicyCommand {
    /// Check a plan against the policy pack; exits 1 when a rule denies it.
    Check(CheckArgs),
}

/// What the pack said about a plan.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub failures: Vec<String>,
    pub warnings: Vec<String>,
}

/// Runs a `policy` subcommand: 0 when clean, 1 on a failure (or a warning
/// with `--fail-on-warn`), 2 when the pack, data or plan cannot be used.
pub fn main(command: PolicyCommand) -> ExitCode {
    match command {
        PolicyCommand::Check(args) => match check(&args) {
            Ok(verdict) => {
                print!("{}", report(&args.plan, &args.namespace, &verdict));
                let failed = !verdict.failures.is_empty()
                    || (args.fail_on_warn && !verdict.warnings.is_empty());
                ExitCode::from(u8::from(failed))
            }
            Err(err) => {
                eprintln!("Error: {err:#}");
                ExitCode::from(2)
            }
        },
    }
}

/// Loads the pack and data, and evaluates the plan.
pub fn check(args: &CheckArgs) -> Result<Verdict, String> {
    let mut engine = load_engine(&args.policy, &args.data, false)?;
    let plan = std::fs::read_to_string(&args.plan)
        .map_err(|e| format!("cannot read the plan {}: {e}", args.plan.display()))?;
    evaluate(&mut engine, &plan, &args.namespace)
        .map_err(|e| format!("{}: {e:#}", args.plan.display()))
}

/// An engine holding every `.rego` file under `policy_dir` (test files only
/// when `with_tests`) and the data files.
pub fn load_engine(
    policy_dir: &Path,
    data_files: &[PathBuf],
    with_tests: bool,
) -> Result<Engine, String> {
    let mut engine = Engine::new();
    // Built-in errors (say, a type error) make an expression undefined, as
    // in OPA, rather than failing the whole evaluation.
    engine.set_strict_builtin_errors(false);
    let files = rego_files(policy_dir)?;
    let mut loaded = 0;
    for file in files {
        let is_test = file.to_string_lossy().ends_with("_test.rego");
        if is_test && !with_tests {
            continue;
        }
        engine
            .add_policy_from_file(&file)
            .map_err(|e| format!("cannot load {}: {e:#}", file.display()))?;
        loaded += 1;
    }
    if loaded == 0 {
        return Err(format!("no .rego files in {}", policy_dir.display()));
    }
    for file in data_files {
        engine
            .add_data(read_data(file)?)
            .map_err(|e| format!("cannot use the data in {}: {e:#}", file.display()))?;
    }
    Ok(engine)
}

fn rego_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| format!("cannot read the policy directory {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rego") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// A data document from a JSON or YAML file (by extension; JSON otherwise).
pub fn read_data(file: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read the data file {}: {e}", file.display()))?;
    let yaml = file
        .extension()
        .is_some_and(|ext| ext == "yaml" || ext == "yml");
    let value = if yaml {
        Value::from_yaml_str(&text)
    } else {
        Value::from_json_str(&text)
    };
    value.map_err(|e| format!("{} is not valid data: {e:#}", file.display()))
}

/// Evaluates `deny` and `warn` of `namespace` over a plan's JSON.
pub fn evaluate(engine: &mut Engine, plan_json: &str, namespace: &str) -> Result<Verdict, String> {
    engine
        .set_input_json(plan_json)
        .map_err(|e| format!("the plan is not JSON: {e:#}"))?;
    Ok(Verdict {
        failures: messages(engine, &format!("data.{namespace}.deny"))?,
        warnings: messages(engine, &format!("data.{namespace}.warn"))?,
    })
}

/// The messages of a set-valued rule, sorted; none when it is undefined.
fn messages(engine: &mut Engine, rule: &str) -> Result<Vec<String>, String> {
    let value = engine
        .eval_rule(rule.to_string())
        .map_err(|e| format!("evaluating {rule}: {e:#}"))?;
    if value == Value::Undefined {
        return Ok(Vec::new());
    }
    let set = value
        .as_set()
        .map_err(|_| format!("{rule} is not a set of messages"))?;
    let mut out = Vec::with_capacity(set.len());
    for item in set.iter() {
        match item.as_string() {
            Ok(text) => out.push(text.to_string()),
            // conftest also accepts {"msg": ...} results.
            Err(_) => out.push(
                item["msg"]
                    .as_string()
                    .map(|s| s.to_string())
                    .unwrap_or_else(|_| item.to_json_str().unwrap_or_default()),
            ),
        }
    }
    out.sort();
    Ok(out)
}

/// conftest's output: one `FAIL`/`WARN` line per message, then a summary.
pub fn report(plan: &Path, namespace: &str, verdict: &Verdict) -> String {
    let file = plan.display();
    let mut out = String::new();
    for msg in &verdict.warnings {
        out.push_str(&format!("WARN - {file} - {namespace} - {msg}\n"));
    }
    for msg in &verdict.failures {
        out.push_str(&format!("FAIL - {file} - {namespace} - {msg}\n"));
    }
    out.push_str(&format!(
        "\n{} warnings, {} failures\n",
        verdict.warnings.len(),
        verdict.failures.len()
    ));
    out
}

/// The Rego unit tests (rules named `test_*`) of the packages under
/// `policy_dir`, as (rule, passed) pairs; an error counts as a failure.
pub fn run_tests(policy_dir: &Path) -> Result<Vec<(String, bool)>, String> {
    let mut engine = load_engine(policy_dir, &[], true)?;
    let mut results = Vec::new();
    for file in rego_files(policy_dir)? {
        if !file.to_string_lossy().ends_with("_test.rego") {
            continue;
        }
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let package = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("package "))
            .map(|p| p.trim().to_string())
            .ok_or_else(|| format!("{} has no package", file.display()))?;
        for line in text.lines() {
            let Some(name) = line.strip_prefix("test_") else {
                continue;
            };
            let name: String = name
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let rule = format!("data.{package}.test_{name}");
            let passed = matches!(engine.eval_rule(rule.clone()), Ok(v) if v == Value::from(true));
            results.push((rule, passed));
        }
    }
    Ok(results)
}
