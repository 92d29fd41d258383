//! The pages under `docs/` against the provider's schema as the real
//! Terraform CLI reports it (`terraform providers schema -json`), so that
//! the documentation cannot drift from the code.
//!
//! Every resource (`docs/resources/NAME.md`), data source
//! (`docs/data-sources/NAME.md`) and list resource
//! (`docs/list-resources/NAME.md`) has a page, NAME being the type without
//! `apprunner_`, and the provider block is documented in `docs/index.md`.
//! No page documents a type the provider lacks.
//!
//! A page documents the schema in three `##` sections (code blocks are
//! skipped):
//!
//! - `## Argument Reference`: one entry per argument and block, written
//!   `` * `name` - (Required) text `` or `` (Optional) ``, optionally with
//!   more after a comma (`(Optional, sensitive)`); a read-only attribute
//!   inside a block is marked `(Read-Only)`. Several names may share an
//!   entry (`` * `a`, `b` - (Optional) ``). The arguments of a block are
//!   entries indented under the block's entry, or the entries under a
//!   `### name` heading (`### source_configuration`, or a dotted path for a
//!   deeper block) in the same section. A `###` heading that is not a name
//!   starts prose: its bullets are not entries.
//! - `## Attribute Reference`: one entry per read-only attribute,
//!   `` * `name` - text ``; an attribute Terraform computes when it is left
//!   unset may be listed too, by its name or a path such as
//!   `` `network_configuration[0].egress_configuration[0].egress_type` ``.
//!   Entries indented under an object-typed attribute name its fields.
//! - `## Timeouts`: the entries of the `timeouts` block, written like
//!   arguments (`` * `create` - (Optional, default `20m`) text ``).
//!
//! When the schema's description of an argument states a default
//! ("default 20m", "default `1024`", "`TCP` (default)", "Defaults to
//! true"), the argument's entry states the same default and no other.
//! In these sections, a bullet that starts with a name in backticks must be
//! an entry.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;
use support::Workspace;

/// The provider's schemas: `provider_schemas` of the provider under test.
fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        // The endpoint is never called: printing schemas configures nothing.
        let ws = Workspace::with_endpoint("http://127.0.0.1:9");
        ws.write("");
        let out = ws.ok(&["providers", "schema", "-json"]);
        let all: Value = serde_json::from_str(&out.stdout).expect("schema JSON");
        all["provider_schemas"][support::SOURCE].clone()
    })
}

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Required,
    Optional,
    ReadOnly,
}

/// One argument, block, attribute, or field of an object-typed attribute.
#[derive(Debug)]
struct Item {
    status: Status,
    /// Optional and also computed when unset.
    computed: bool,
    /// A field of an object-typed attribute: may be documented, need not be.
    field: bool,
    defaults: BTreeSet<String>,
}

/// Every item of `block`, by dotted path.
fn items(block: &Value) -> BTreeMap<String, Item> {
    fn fields(ty: &Value, prefix: &str, out: &mut BTreeMap<String, Item>) {
        // ["object", {…}], or a collection of one: ["list", ["object", {…}]].
        match ty {
            Value::Array(parts) if parts.first().and_then(Value::as_str) == Some("object") => {
                for (name, field_ty) in parts[1].as_object().into_iter().flatten() {
                    let path = format!("{prefix}.{name}");
                    out.insert(
                        path.clone(),
                        Item {
                            status: Status::ReadOnly,
                            computed: true,
                            field: true,
                            defaults: BTreeSet::new(),
                        },
                    );
                    fields(field_ty, &path, out);
                }
            }
            Value::Array(parts) if parts.len() == 2 => fields(&parts[1], prefix, out),
            _ => {}
        }
    }
    fn walk(block: &Value, prefix: &str, out: &mut BTreeMap<String, Item>) {
        for (name, a) in block["attributes"].as_object().into_iter().flatten() {
            let path = format!("{prefix}{name}");
            let status = if a["required"] == true {
                Status::Required
            } else if a["optional"] == true {
                Status::Optional
            } else {
                Status::ReadOnly
            };
            out.insert(
                path.clone(),
                Item {
                    status,
                    computed: a["computed"] == true,
                    field: false,
                    defaults: defaults(a["description"].as_str().unwrap_or_default()),
                },
            );
            fields(&a["type"], &path, out);
        }
        for (name, b) in block["block_types"].as_object().into_iter().flatten() {
            let path = format!("{prefix}{name}");
            let required = b["min_items"].as_u64().unwrap_or(0) > 0;
            out.insert(
                path.clone(),
                Item {
                    status: if required {
                        Status::Required
                    } else {
                        Status::Optional
                    },
                    computed: false,
                    field: false,
                    defaults: defaults(b["block"]["description"].as_str().unwrap_or_default()),
                },
            );
            walk(&b["block"], &format!("{path}."), out);
        }
    }
    let mut out = BTreeMap::new();
    walk(block, "", &mut out);
    out
}

/// The defaults a text states, normalised (no backticks or quotes).
fn defaults(text: &str) -> BTreeSet<String> {
    static STATED: OnceLock<[Regex; 2]> = OnceLock::new();
    let [after, before] = STATED.get_or_init(|| {
        [
            Regex::new(
                r"(?i)\bdefaults?(?: to| is)?:?\s+(`[^`]+`|true\b|false\b|\d+(?:\.\d+)?[smhd]?\b)",
            )
            .unwrap(),
            Regex::new(r"(`[^`]+`) \(default\)").unwrap(),
        ]
    });
    after
        .captures_iter(text)
        .chain(before.captures_iter(text))
        .map(|c| c[1].trim_matches('`').trim_matches('"').to_string())
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Arguments,
    Attributes,
    Timeouts,
}

/// One entry of a page.
#[derive(Debug)]
struct Entry {
    line: usize,
    section: Section,
    path: String,
    status: Option<Status>,
    text: String,
}

/// The entries of a page, or the lines that break the convention.
fn entries(page: &str) -> (Vec<Entry>, Vec<String>) {
    let bullet = Regex::new(r"^( *)\* (.*)$").unwrap();
    let entry = Regex::new(r"^((?:`[^`]+`)(?:, `[^`]+`)*) -(?: (.*))?$").unwrap();
    let name = Regex::new(r"`([^`]+)`").unwrap();
    let block_heading = Regex::new(r"^`?([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)`?$").unwrap();
    let status = Regex::new(r"^\((Required|Optional|Read-Only)(?:[,;][^)]*)?\)").unwrap();

    let lines: Vec<&str> = page.lines().collect();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut section = None;
    let mut base: Option<String> = None;
    let mut prose = false;
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut in_code = false;
    for (i, raw) in lines.iter().enumerate() {
        let line_no = i + 1;
        if raw.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if let Some(h) = raw.strip_prefix("## ") {
            section = match h.trim() {
                "Argument Reference" => Some(Section::Arguments),
                "Attribute Reference" => Some(Section::Attributes),
                "Timeouts" => Some(Section::Timeouts),
                _ => None,
            };
            base = (section == Some(Section::Timeouts)).then(|| "timeouts".to_string());
            prose = false;
            stack.clear();
            continue;
        }
        if let Some(h) = raw.strip_prefix("###") {
            let h = h.trim_start_matches('#').trim();
            match block_heading.captures(h) {
                Some(c) if section.is_some() && section != Some(Section::Timeouts) => {
                    base = Some(c[1].to_string());
                    prose = false;
                }
                _ => prose = true,
            }
            stack.clear();
            continue;
        }
        let Some(section) = section else { continue };
        if prose {
            continue;
        }
        let Some(b) = bullet.captures(raw) else {
            continue;
        };
        let indent = b[1].len();
        let content = &b[2];
        if !content.starts_with('`') {
            continue;
        }
        let Some(e) = entry.captures(content) else {
            problems.push(format!(
                "line {line_no}: a bullet that names something must read \
                 \"* `name` - (Required|Optional) text\": {raw}"
            ));
            continue;
        };
        // The entry's text: the rest of its line and its continuation lines.
        let mut text = e.get(2).map_or("", |m| m.as_str()).to_string();
        for next in &lines[i + 1..] {
            let t = next.trim_start();
            if t.is_empty() || !next.starts_with(' ') || t.starts_with("* ") {
                break;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(t);
        }
        while stack.last().is_some_and(|(at, _)| *at >= indent) {
            stack.pop();
        }
        let parent = stack
            .last()
            .map(|(_, p)| p.clone())
            .or_else(|| base.clone());
        if section == Section::Timeouts && out.iter().all(|e: &Entry| e.path != "timeouts") {
            // The section itself documents the (optional) block.
            out.push(Entry {
                line: line_no,
                section,
                path: "timeouts".to_string(),
                status: Some(Status::Optional),
                text: String::new(),
            });
        }
        let claimed = status.captures(&text).map(|c| match &c[1] {
            "Required" => Status::Required,
            "Optional" => Status::Optional,
            _ => Status::ReadOnly,
        });
        let mut first = None;
        for n in name.captures_iter(&e[1]) {
            let own = n[1].replace("[0]", "");
            let path = match &parent {
                Some(p) => format!("{p}.{own}"),
                None => own,
            };
            first.get_or_insert_with(|| path.clone());
            out.push(Entry {
                line: line_no,
                section,
                path,
                status: claimed,
                text: text.clone(),
            });
        }
        stack.push((indent, first.unwrap_or_default()));
    }
    (out, problems)
}

/// What is wrong with `page` as the documentation of `block`.
fn check(page: &str, block: &Value) -> Vec<String> {
    let schema = items(block);
    let (entries, mut problems) = entries(page);
    let mut as_argument = BTreeSet::new();
    let mut as_attribute = BTreeSet::new();
    for e in &entries {
        let at = format!("line {}: `{}`", e.line, e.path);
        let Some(item) = schema.get(&e.path) else {
            problems.push(format!(
                "{at} is documented, but the schema has no such thing"
            ));
            continue;
        };
        match e.section {
            Section::Arguments | Section::Timeouts => {
                let Some(claimed) = e.status else {
                    problems.push(format!(
                        "{at} has no (Required), (Optional) or (Read-Only) status; the schema says {:?}",
                        item.status
                    ));
                    continue;
                };
                if claimed != item.status {
                    problems.push(format!(
                        "{at} is documented as {claimed:?}; the schema says {:?}",
                        item.status
                    ));
                }
                if claimed == Status::ReadOnly {
                    as_attribute.insert(e.path.clone());
                } else {
                    as_argument.insert(e.path.clone());
                }
                let stated = defaults(&e.text);
                if !item.defaults.is_empty() && stated != item.defaults {
                    problems.push(format!(
                        "{at}: the schema states the default {:?}, the page {:?}",
                        item.defaults, stated
                    ));
                }
            }
            Section::Attributes => {
                let claimed = e.status.unwrap_or(Status::ReadOnly);
                let computed = item.status == Status::ReadOnly || item.computed;
                if claimed != Status::ReadOnly || !computed {
                    problems.push(format!(
                        "{at} is listed as a read-only attribute; the schema says {:?}{}",
                        item.status,
                        if item.computed { " (computed)" } else { "" }
                    ));
                }
                as_attribute.insert(e.path.clone());
            }
        }
    }
    for (path, item) in &schema {
        if item.field {
            continue;
        }
        let (documented, section) = match item.status {
            Status::Required | Status::Optional => {
                (as_argument.contains(path), "Argument Reference")
            }
            Status::ReadOnly => (as_attribute.contains(path), "Attribute Reference"),
        };
        if !documented {
            problems.push(format!(
                "`{path}` ({:?}) is not documented (expected in {section}{})",
                item.status,
                if path.starts_with("timeouts.") {
                    " or Timeouts"
                } else {
                    ""
                }
            ));
        }
    }
    problems
}

/// Every page and the schema block it documents.
fn pages() -> Vec<(PathBuf, Option<&'static Value>)> {
    let s = schema();
    let mut out = vec![(docs_dir().join("index.md"), Some(&s["provider"]["block"]))];
    for (dir, kind) in [
        ("resources", "resource_schemas"),
        ("data-sources", "data_source_schemas"),
        ("list-resources", "list_resource_schemas"),
    ] {
        let types = s[kind].as_object().expect("schemas of a kind");
        let mut names: BTreeSet<String> = types
            .keys()
            .map(|t| {
                t.strip_prefix("apprunner_")
                    .expect("prefixed type")
                    .to_string()
            })
            .collect();
        if let Ok(read) = std::fs::read_dir(docs_dir().join(dir)) {
            for f in read.flatten() {
                let file = f.file_name().to_string_lossy().into_owned();
                if let Some(n) = file.strip_suffix(".md") {
                    names.insert(n.to_string());
                }
            }
        }
        for n in names {
            let block = types.get(&format!("apprunner_{n}")).map(|t| &t["block"]);
            out.push((docs_dir().join(dir).join(format!("{n}.md")), block));
        }
    }
    out
}

#[test]
fn every_page_matches_the_schema() {
    let mut report = Vec::new();
    let mut checked = 0;
    for (path, block) in pages() {
        let shown = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(&path)
            .display()
            .to_string();
        let Some(block) = block else {
            report.push(format!(
                "{shown}: documents a type the provider does not have"
            ));
            continue;
        };
        let Ok(page) = std::fs::read_to_string(&path) else {
            report.push(format!("{shown}: missing"));
            continue;
        };
        checked += 1;
        for p in check(&page, block) {
            report.push(format!("{shown}: {p}"));
        }
    }
    assert!(
        report.is_empty(),
        "the docs do not match the schema:\n{}",
        report.join("\n")
    );
    // The provider, 9 resources, 9 data sources and 9 list resources.
    assert!(checked >= 28, "only {checked} pages checked");
}

/// The VPC connector's page, changed by `edit`, checked against its schema.
fn check_edited(edit: impl Fn(String) -> String) -> Vec<String> {
    let page = std::fs::read_to_string(docs_dir().join("resources/vpc_connector.md")).unwrap();
    let edited = edit(page.clone());
    assert!(edited != page, "the edit changes nothing");
    check(
        &edited,
        &schema()["resource_schemas"]["apprunner_vpc_connector"]["block"],
    )
}

fn assert_caught(problems: &[String], expected: &str) {
    assert!(
        problems.iter().any(|p| p.contains(expected)),
        "expected a problem containing {expected:?}, got {problems:#?}"
    );
}

#[test]
fn a_wrong_status_is_caught() {
    let problems =
        check_edited(|p| p.replace("* `subnets` - (Required)", "* `subnets` - (Optional)"));
    assert_caught(
        &problems,
        "`subnets` is documented as Optional; the schema says Required",
    );
}

#[test]
fn a_wrong_default_is_caught() {
    let problems = check_edited(|p| {
        p.replace(
            "default `10m`) How long to keep",
            "default `15m`) How long to keep",
        )
    });
    assert_caught(
        &problems,
        "`timeouts.delete`: the schema states the default",
    );
}

#[test]
fn an_undocumented_argument_is_caught() {
    let problems = check_edited(|p| {
        let start = p.find("* `security_groups`").unwrap();
        let end = p.find("* `region`").unwrap();
        format!("{}{}", &p[..start], &p[end..])
    });
    assert_caught(&problems, "`security_groups` (Optional) is not documented");
}

#[test]
fn a_name_the_schema_lacks_is_caught() {
    let problems = check_edited(|p| {
        p.replace(
            "* `status` - ",
            "* `vpc_id` - ID of the VPC.\n* `status` - ",
        )
    });
    assert_caught(
        &problems,
        "`vpc_id` is documented, but the schema has no such thing",
    );
}

#[test]
fn an_argument_listed_as_read_only_is_caught() {
    let problems =
        check_edited(|p| p.replace("* `id` - Same as `arn`.", "* `subnets` - Its subnets."));
    assert_caught(&problems, "`subnets` is listed as a read-only attribute");
    assert_caught(&problems, "`id` (ReadOnly) is not documented");
}

#[test]
fn a_malformed_entry_is_caught() {
    let problems = check_edited(|p| p.replace("* `tags_all` - All tags", "* `tags_all`: all tags"));
    assert_caught(&problems, "a bullet that names something must read");
}

#[test]
fn defaults_are_read_in_each_form() {
    let d = |t: &str| defaults(t).into_iter().collect::<Vec<_>>();
    assert_eq!(
        d("How long `create` may take, e.g. \"30m\" (default 10m)."),
        ["10m"]
    );
    assert_eq!(d("Port (default `\"8080\"`)."), ["8080"]);
    assert_eq!(d("`TCP` (default) or `HTTP`."), ["TCP"]);
    assert_eq!(d("Defaults to true, except for images."), ["true"]);
    assert_eq!(
        d("Region. Defaults to the provider's region."),
        Vec::<String>::new()
    );
    assert_eq!(
        d("the provider's `default_tags`, the default (internet) egress"),
        Vec::<String>::new()
    );
}
