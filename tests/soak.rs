//! Chaos soak: a real Terraform CLI drives apply → change → apply → destroy
//! cycles of a stack holding every resource type in two regions, while the
//! local control plane injects throttling, 5xx, lost responses, latency and
//! maintenance, and Terraform is interrupted (SIGINT) in the middle of
//! applies and destroys. After every step the control plane's objects
//! (`GET /_emulator/state`) are compared with Terraform's state: nothing
//! orphaned, nothing duplicated, nothing missing; every destroy leaves
//! nothing behind.
//!
//! The suite runs a short soak with a fixed seed; `scripts/soak` runs a long
//! one through the ignored test `soak`, configured by environment variables
//! (see [`Settings::from_env`]). Both print `N passed, N failed` (one count
//! per cycle) and fail on any failed cycle.
//!
//! The seed fixes the soak's own choices (what is interrupted, when, and
//! after which change). Which requests the control plane faults is random
//! per request, and Terraform calls in parallel, so a seed replays the same
//! plan of the soak, not the same request-by-request history.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use support::{Emulator, Workspace};

/// The faults injected during the soak, by kind, in the control plane's
/// rule syntax (`KIND[:OPERATION][,key=value…]`). Rules apply to every
/// operation, reads included.
const FAULT_MIX: &[&str] = &[
    "throttle,rate=0.2",
    "server_error,rate=0.05",
    "drop_response,rate=0.02",
    "latency,rate=0.1,latency_ms=250",
    "maintenance,rate=0.02,duration_ms=1500",
];

/// The regions the stack spans.
const REGIONS: &[&str] = &["us-east-1", "eu-west-1"];

/// How long Terraform may take to stop after SIGINT before it counts as a hang.
const STOP_BOUND: Duration = Duration::from_secs(120);

/// What to run.
#[derive(Clone, Debug)]
struct Settings {
    seed: u64,
    cycles: u32,
    /// Interrupts in all, spread over the cycles.
    interrupts: u32,
    /// Fault kinds of [`FAULT_MIX`] to leave out.
    without: Vec<String>,
    /// The control plane's `--operation-duration`.
    operation_duration: String,
}

impl Settings {
    /// `SOAK_SEED`, `SOAK_CYCLES`, `SOAK_INTERRUPTS` (default: one per
    /// cycle), `SOAK_WITHOUT` (comma-separated fault kinds) and
    /// `SOAK_OPERATION_DURATION` (default `300ms`).
    fn from_env() -> Settings {
        fn var<T: std::str::FromStr>(name: &str) -> Option<T> {
            let text = std::env::var(name).ok().filter(|v| !v.is_empty())?;
            Some(
                text.parse()
                    .unwrap_or_else(|_| panic!("{name}={text:?} is not a valid value")),
            )
        }
        let seed = var("SOAK_SEED").unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(1)
        });
        let cycles = var("SOAK_CYCLES").unwrap_or(10);
        Settings {
            seed,
            cycles,
            interrupts: var("SOAK_INTERRUPTS").unwrap_or(cycles),
            without: std::env::var("SOAK_WITHOUT")
                .unwrap_or_default()
                .split(',')
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect(),
            operation_duration: var("SOAK_OPERATION_DURATION").unwrap_or_else(|| "300ms".into()),
        }
    }

    /// The rules of [`FAULT_MIX`] whose kind is not left out.
    fn fault_rules(&self) -> Vec<&'static str> {
        for kind in &self.without {
            assert!(
                FAULT_MIX.iter().any(|r| rule_kind(r) == kind),
                "SOAK_WITHOUT: {kind:?} is not a fault kind of the soak ({})",
                FAULT_MIX
                    .iter()
                    .map(|r| rule_kind(r))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        FAULT_MIX
            .iter()
            .copied()
            .filter(|r| !self.without.iter().any(|k| k == rule_kind(r)))
            .collect()
    }

    /// How many interrupts cycle `cycle` (from 0) gets.
    fn interrupts_in(&self, cycle: u32) -> u32 {
        let base = self.interrupts / self.cycles.max(1);
        base + u32::from(cycle < self.interrupts % self.cycles.max(1))
    }
}

fn rule_kind(rule: &str) -> &str {
    let head = rule.split(',').next().unwrap_or_default();
    head.split(':').next().unwrap_or_default().trim()
}

/// A compact rule as the JSON the admin endpoint takes.
fn rule_json(rule: &str) -> Value {
    let mut parts = rule.split(',');
    let head = parts.next().unwrap_or_default();
    let mut v = json!({});
    match head.split_once(':') {
        Some((kind, op)) => {
            v["kind"] = json!(kind.trim());
            v["operation"] = json!(op.trim());
        }
        None => v["kind"] = json!(head.trim()),
    }
    for kv in parts {
        let (k, val) = kv.split_once('=').expect("key=value");
        let num: Value = serde_json::from_str(val.trim()).unwrap_or_else(|_| json!(val.trim()));
        v[k.trim()] = num;
    }
    v
}

/// The stack: every resource type, in every region of [`REGIONS`], 17 per
/// region. `generation` changes something of every updatable type: tags, an
/// auto scaling revision, a service's variables, an ingress connection's
/// endpoint, a deployment's trigger.
fn stack(generation: u32) -> String {
    let regions = REGIONS
        .iter()
        .map(|r| format!("{r:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let max_size = 3 + generation % 3;
    let endpoint = if generation.is_multiple_of(2) {
        "0a"
    } else {
        "0b"
    };
    format!(
        r#"
locals {{
  regions = toset([{regions}])
  tags    = {{ soak = "true", generation = "{generation}" }}
  image   = "public.ecr.aws/aws-containers/hello-app-runner:latest"
}}

resource "apprunner_auto_scaling_configuration_version" "small" {{
  for_each                        = local.regions
  region                          = each.key
  auto_scaling_configuration_name = "soak-small"
  max_concurrency                 = 50
  max_size                        = {max_size}
  min_size                        = 1
  tags                            = local.tags
}}

resource "apprunner_auto_scaling_configuration_version" "large" {{
  for_each                        = local.regions
  region                          = each.key
  auto_scaling_configuration_name = "soak-large"
  max_concurrency                 = 100
  max_size                        = 10
  min_size                        = 2
  tags                            = local.tags
}}

resource "apprunner_auto_scaling_configuration_version" "spare" {{
  for_each                        = local.regions
  region                          = each.key
  auto_scaling_configuration_name = "soak-spare"
  tags                            = local.tags
}}

resource "apprunner_default_auto_scaling_configuration_version" "this" {{
  for_each                       = local.regions
  region                         = each.key
  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.large[each.key].arn
}}

resource "apprunner_observability_configuration" "tracing" {{
  for_each                         = local.regions
  region                           = each.key
  observability_configuration_name = "soak-tracing"
  trace_configuration {{
    vendor = "AWSXRAY"
  }}
  tags = local.tags
}}

resource "apprunner_observability_configuration" "plain" {{
  for_each                         = local.regions
  region                           = each.key
  observability_configuration_name = "soak-plain"
  tags                             = local.tags
}}

resource "apprunner_vpc_connector" "a" {{
  for_each           = local.regions
  region             = each.key
  vpc_connector_name = "soak-a"
  subnets            = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  security_groups    = ["sg-0123456789abcdef0"]
  tags               = local.tags
}}

resource "apprunner_vpc_connector" "b" {{
  for_each           = local.regions
  region             = each.key
  vpc_connector_name = "soak-b"
  subnets            = ["subnet-0aaaaaaaaaaaaaaaa"]
  security_groups    = ["sg-0bbbbbbbbbbbbbbbb"]
  tags               = local.tags
}}

resource "apprunner_connection" "github" {{
  for_each        = local.regions
  region          = each.key
  connection_name = "soak-github"
  provider_type   = "GITHUB"
  tags            = local.tags
}}

resource "apprunner_connection" "bitbucket" {{
  for_each        = local.regions
  region          = each.key
  connection_name = "soak-bitbucket"
  provider_type   = "BITBUCKET"
  tags            = local.tags
}}

resource "apprunner_service" "web" {{
  for_each                       = local.regions
  region                         = each.key
  service_name                   = "soak-web"
  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.small[each.key].arn
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = local.image
      image_repository_type = "ECR_PUBLIC"
      image_configuration {{
        port                          = "8000"
        runtime_environment_variables = {{ GENERATION = "{generation}" }}
      }}
    }}
  }}
  network_configuration {{
    egress_configuration {{
      egress_type       = "VPC"
      vpc_connector_arn = apprunner_vpc_connector.a[each.key].arn
    }}
  }}
  observability_configuration {{
    observability_enabled           = true
    observability_configuration_arn = apprunner_observability_configuration.tracing[each.key].arn
  }}
  tags = local.tags
}}

resource "apprunner_service" "worker" {{
  for_each                       = local.regions
  region                         = each.key
  service_name                   = "soak-worker"
  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.large[each.key].arn
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = local.image
      image_repository_type = "ECR_PUBLIC"
    }}
  }}
  network_configuration {{
    egress_configuration {{
      egress_type       = "VPC"
      vpc_connector_arn = apprunner_vpc_connector.b[each.key].arn
    }}
  }}
  tags = local.tags
}}

resource "apprunner_service" "private" {{
  for_each     = local.regions
  region       = each.key
  service_name = "soak-private"
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = local.image
      image_repository_type = "ECR_PUBLIC"
    }}
  }}
  network_configuration {{
    ingress_configuration {{
      is_publicly_accessible = false
    }}
  }}
  tags = local.tags
}}

resource "apprunner_service" "site" {{
  for_each     = local.regions
  region       = each.key
  service_name = "soak-site"
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = local.image
      image_repository_type = "ECR_PUBLIC"
    }}
  }}
  tags = local.tags
}}

resource "apprunner_vpc_ingress_connection" "private" {{
  for_each    = local.regions
  region      = each.key
  name        = "soak-private"
  service_arn = apprunner_service.private[each.key].arn
  ingress_vpc_configuration {{
    vpc_id          = "vpc-0123456789abcdef0"
    vpc_endpoint_id = "vpce-0123456789abcde{endpoint}"
  }}
  tags = local.tags
}}

resource "apprunner_custom_domain_association" "site" {{
  for_each             = local.regions
  region               = each.key
  domain_name          = "site-${{each.key}}.example.com"
  service_arn          = apprunner_service.site[each.key].arn
  enable_www_subdomain = false
}}

resource "apprunner_deployment" "web" {{
  for_each    = local.regions
  region      = each.key
  service_arn = apprunner_service.web[each.key].arn
  triggers = {{
    generation = "{generation}"
  }}
}}
"#
    )
}

/// Resource types whose objects the control plane lists: the list they are
/// under in `/_emulator/state` and the fields holding their ARN and name.
const LISTED: &[(&str, &str, &str, &str)] = &[
    ("apprunner_service", "services", "ServiceArn", "ServiceName"),
    (
        "apprunner_auto_scaling_configuration_version",
        "auto_scaling_configurations",
        "AutoScalingConfigurationArn",
        "AutoScalingConfigurationName",
    ),
    (
        "apprunner_observability_configuration",
        "observability_configurations",
        "ObservabilityConfigurationArn",
        "ObservabilityConfigurationName",
    ),
    (
        "apprunner_vpc_connector",
        "vpc_connectors",
        "VpcConnectorArn",
        "VpcConnectorName",
    ),
    (
        "apprunner_vpc_ingress_connection",
        "vpc_ingress_connections",
        "VpcIngressConnectionArn",
        "VpcIngressConnectionName",
    ),
    (
        "apprunner_connection",
        "connections",
        "ConnectionArn",
        "ConnectionName",
    ),
];

/// One object as both sides know it: region, list and identifier (an ARN,
/// or `SERVICE_ARN DOMAIN` for a custom domain).
type Key = (String, String, String);

/// The objects Terraform's state says exist, each with its resource address;
/// and the default auto scaling configuration it sets per region.
#[derive(Default)]
struct InState {
    objects: BTreeMap<Key, String>,
    defaults: BTreeMap<String, (String, String)>,
    resources: usize,
}

fn in_state(ws: &Workspace) -> Result<InState, String> {
    let out = ws.run(&["show", "-json", "-no-color"]);
    if out.code != 0 {
        return Err(format!("terraform show failed:\n{}", out.text()));
    }
    let mut found = InState::default();
    if out.stdout.trim().is_empty() {
        return Ok(found);
    }
    let state: Value =
        serde_json::from_str(&out.stdout).map_err(|e| format!("terraform show -json: {e}"))?;
    for r in support::State(state).resources() {
        if r["mode"] != "managed" {
            continue;
        }
        found.resources += 1;
        let address = r["address"].as_str().unwrap_or_default().to_string();
        let ty = r["type"].as_str().unwrap_or_default();
        let v = &r["values"];
        let region = v["region"].as_str().unwrap_or_default().to_string();
        let text = |name: &str| v[name].as_str().unwrap_or_default().to_string();
        if let Some((_, list, _, _)) = LISTED.iter().find(|(t, ..)| *t == ty) {
            found
                .objects
                .insert((region, list.to_string(), text("arn")), address);
        } else if ty == "apprunner_custom_domain_association" {
            let id = format!("{} {}", text("service_arn"), text("domain_name"));
            found
                .objects
                .insert((region, "custom_domains".into(), id), address);
        } else if ty == "apprunner_default_auto_scaling_configuration_version" {
            found
                .defaults
                .insert(region, (text("auto_scaling_configuration_arn"), address));
        }
    }
    Ok(found)
}

/// The objects the control plane holds (built-in configurations aside),
/// each with its name.
/// What the control plane holds: objects with their names, the default
/// auto scaling configuration per region, and the revisions the provider
/// marked as superseded, with the revision that superseded each.
struct Held {
    objects: BTreeMap<Key, String>,
    defaults: BTreeMap<String, String>,
    superseded: BTreeMap<Key, String>,
}

/// The tag the provider puts on an auto scaling configuration revision it
/// superseded but could not delete yet (it deletes it once unused, or at
/// the latest when the resource changes again or is destroyed).
const SUPERSEDED_MARKER: &str = "terraform-provider-apprunner:superseded-by";

fn held(emulator: &Emulator) -> Held {
    let state = emulator.state();
    let mut objects = BTreeMap::new();
    let mut defaults = BTreeMap::new();
    let mut superseded = BTreeMap::new();
    let empty = serde_json::Map::new();
    for (region, r) in state["regions"].as_object().unwrap_or(&empty) {
        for (_, list, arn, name) in LISTED {
            for o in r[*list].as_array().into_iter().flatten() {
                if o["Builtin"] == true {
                    continue;
                }
                let id = o[*arn].as_str().unwrap_or_default().to_string();
                let name = o[*name].as_str().unwrap_or_default().to_string();
                let key = (region.clone(), list.to_string(), id);
                if let Some(by) = r["tags"][&key.2][SUPERSEDED_MARKER].as_str() {
                    superseded.insert(key.clone(), by.to_string());
                }
                objects.insert(key, name);
            }
        }
        for d in r["custom_domains"].as_array().into_iter().flatten() {
            let service = d["ServiceArn"].as_str().unwrap_or_default();
            let domain = d["DomainName"].as_str().unwrap_or_default();
            objects.insert(
                (
                    region.clone(),
                    "custom_domains".into(),
                    format!("{service} {domain}"),
                ),
                format!("{domain} of {service}"),
            );
        }
        if let Some(arn) = r["default_auto_scaling_configuration_arn"].as_str() {
            defaults.insert(region.clone(), arn.to_string());
        }
    }
    Held {
        objects,
        defaults,
        superseded,
    }
}

/// Compares Terraform's state with the control plane; one line per finding.
fn compare(ws: &Workspace, emulator: &Emulator) -> Vec<String> {
    let tf = match in_state(ws) {
        Ok(s) => s,
        Err(e) => return vec![e],
    };
    let Held {
        mut objects,
        defaults,
        superseded,
    } = held(emulator);
    // A revision superseded by one in state is the provider's to delete (it
    // keeps it in the resource's private state); a destroy must leave none.
    for (key, by) in superseded {
        if tf
            .objects
            .contains_key(&(key.0.clone(), key.1.clone(), by.clone()))
        {
            objects.remove(&key);
        }
    }
    let mut findings = Vec::new();
    for ((region, list, id), name) in &objects {
        if !tf
            .objects
            .contains_key(&(region.clone(), list.clone(), id.clone()))
        {
            findings.push(format!(
                "orphan: {list} {name:?} in {region} ({id}) is not in Terraform's state"
            ));
        }
    }
    let mut by_name: BTreeMap<(&str, &str, &str), Vec<&str>> = BTreeMap::new();
    for ((region, list, id), name) in &objects {
        by_name.entry((region, list, name)).or_default().push(id);
    }
    for ((region, list, name), ids) in by_name {
        if ids.len() > 1 {
            findings.push(format!(
                "duplicate: {} {list} named {name:?} in {region}: {}",
                ids.len(),
                ids.join(", ")
            ));
        }
    }
    for ((region, list, id), address) in &tf.objects {
        if !objects.contains_key(&(region.clone(), list.clone(), id.clone())) {
            findings.push(format!(
                "missing: {address} ({id}) is in Terraform's state but the control plane holds no such {list} in {region}"
            ));
        }
    }
    for (region, (arn, address)) in &tf.defaults {
        if defaults.get(region) != Some(arn) {
            findings.push(format!(
                "missing: {address} says the default auto scaling configuration of {region} is {arn}, the control plane says {:?}",
                defaults.get(region)
            ));
        }
    }
    findings
}

/// The error messages of a failed Terraform command (each `Error:` with its
/// text, without the source excerpt), else its last lines.
fn errors_of(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut in_error = 0;
    for l in text.lines() {
        let l = l.trim_matches(|c: char| c.is_whitespace() || c == '│' || c == '╷' || c == '╵');
        if l.starts_with("Error:") {
            in_error = 12;
        }
        let excerpt = l.starts_with("with ")
            || l.starts_with("on ")
            || l.split_once(':')
                .is_some_and(|(n, _)| n.parse::<u32>().is_ok());
        if in_error > 0 && !l.is_empty() && !excerpt {
            out.push(l);
            in_error -= 1;
        }
    }
    if out.is_empty() {
        out.extend(
            text.lines()
                .rev()
                .take(15)
                .collect::<Vec<_>>()
                .into_iter()
                .rev(),
        );
    }
    out.join("\n      ")
}

/// What Terraform prints once it has started to apply changes.
const APPLYING: &[&str] = &["Creating...", "Modifying...", "Destroying...", "Still "];

/// A Terraform run on the workspace, interrupted with SIGINT after `after`.
/// Says whether SIGINT came while Terraform ran, and how it ended.
fn interrupted(ws: &Workspace, args: &[&str], after: Duration) -> Result<(bool, String), String> {
    // To a file: a pipe nobody reads would stall Terraform once full.
    let log_path = ws.path().join("interrupted.log");
    let log = std::fs::File::create(&log_path).expect("create log");
    let mut child: Child = ws
        .command(args)
        .stdout(log.try_clone().expect("clone log"))
        .stderr(log)
        .stdin(Stdio::null())
        .spawn()
        .expect("start terraform");
    let started = Instant::now();
    while started.elapsed() < after {
        if child.try_wait().expect("poll terraform").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let signalled = child.try_wait().expect("poll terraform").is_none();
    // Terraform passes SIGINT on to providers (StopProvider) only once it
    // applies; while it plans or refreshes it waits for the reads in flight.
    let phase = if std::fs::read_to_string(&log_path)
        .unwrap_or_default()
        .lines()
        .any(|l| APPLYING.iter().any(|a| l.contains(a)))
    {
        "while applying"
    } else {
        "while planning"
    };
    if signalled {
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("kill -INT");
    }
    let at = started.elapsed();
    let stop = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("poll terraform") {
            let text = std::fs::read_to_string(&log_path).unwrap_or_default();
            // Terraform says so when it takes the graceful way out.
            let heard = if text.contains("Interrupt received") {
                "graceful stop"
            } else {
                "no graceful stop announced"
            };
            let how = if signalled {
                format!(
                    "SIGINT at {:.1}s ({phase}), {heard}, stopped {:.1}s later with {status}",
                    at.as_secs_f64(),
                    stop.elapsed().as_secs_f64()
                )
            } else {
                format!(
                    "ended before the SIGINT at {:.1}s ({status})",
                    after.as_secs_f64()
                )
            };
            return Ok((signalled, how));
        }
        if stop.elapsed() > STOP_BOUND {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "Terraform did not stop within {}s of SIGINT at {:.1}s",
                STOP_BOUND.as_secs(),
                at.as_secs_f64()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Soak<'a> {
    settings: &'a Settings,
    emulator: &'a Emulator,
    ws: Workspace,
    rng: StdRng,
    /// How long the last full apply took, to place interrupts inside the next.
    last_apply: Duration,
    last_destroy: Duration,
    interrupts_done: u32,
    /// Interrupts where Terraform was still running when SIGINT came.
    signals: u32,
    /// How often each fault kind fired, over the whole soak.
    fired: BTreeMap<String, u64>,
}

/// Why a cycle failed, each line naming the step.
type Failures = Vec<String>;

impl Soak<'_> {
    fn set_faults(&mut self, on: bool) {
        for rule in self.emulator.admin_get("/_emulator/faults")["rules"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let kind = rule["kind"].as_str().unwrap_or_default().to_string();
            *self.fired.entry(kind).or_default() += rule["fired"].as_u64().unwrap_or(0);
        }
        let r = self
            .emulator
            .admin("DELETE", "/_emulator/faults", json!({}));
        assert_eq!(r.status, 200, "clearing fault rules: {}", r.text());
        if !on {
            return;
        }
        for rule in self.settings.fault_rules() {
            let r = self.emulator.admin(
                "POST",
                "/_emulator/faults",
                json!({ "rules": [rule_json(rule)] }),
            );
            assert_eq!(
                r.status,
                200,
                "the control plane refuses the fault rule {rule:?}: {}\n\
                 leave its kind out with SOAK_WITHOUT={} (scripts/soak --without {})",
                r.text(),
                rule_kind(rule),
                rule_kind(rule)
            );
        }
    }

    /// Runs a Terraform command to completion; on failure, records why.
    fn step(&mut self, what: &str, args: &[&str], failures: &mut Failures) -> bool {
        let started = Instant::now();
        let out = self.ws.run(args);
        let took = started.elapsed();
        match args[0] {
            "apply" => self.last_apply = took,
            "destroy" => self.last_destroy = took,
            _ => {}
        }
        if out.code != 0 {
            failures.push(format!(
                "{what}: terraform {} failed after {:.1}s:\n      {}",
                args[0],
                took.as_secs_f64(),
                errors_of(&out.text())
            ));
            return false;
        }
        true
    }

    fn apply(&mut self, what: &str, generation: u32, failures: &mut Failures) -> bool {
        self.ws.write(&stack(generation));
        let ok = self.step(
            what,
            &["apply", "-auto-approve", "-no-color", "-input=false"],
            failures,
        );
        self.check(what, failures);
        if !ok {
            return false;
        }
        let plan = self
            .ws
            .run(&["plan", "-detailed-exitcode", "-no-color", "-input=false"]);
        match plan.code {
            0 => true,
            2 => {
                failures.push(format!(
                    "{what}: the plan after apply is not empty:\n      {}",
                    plan.stdout
                        .lines()
                        .filter(|l| l.trim_start().starts_with('#') || l.contains("Plan:"))
                        .collect::<Vec<_>>()
                        .join("\n      ")
                ));
                false
            }
            _ => {
                failures.push(format!(
                    "{what}: terraform plan failed:\n      {}",
                    errors_of(&plan.text())
                ));
                false
            }
        }
    }

    fn destroy(&mut self, what: &str, failures: &mut Failures) -> bool {
        let ok = self.step(
            what,
            &["destroy", "-auto-approve", "-no-color", "-input=false"],
            failures,
        );
        self.check(what, failures);
        let total = self.emulator.state()["total"].as_u64().unwrap_or(0);
        if ok && total != 0 {
            failures.push(format!(
                "{what}: the control plane still holds {total} objects after destroy"
            ));
            return false;
        }
        ok
    }

    fn check(&self, what: &str, failures: &mut Failures) {
        for f in compare(&self.ws, self.emulator) {
            failures.push(format!("{what}: {f}"));
        }
    }

    /// Right after an interrupt, an object whose deletion was under way may
    /// still be in state (the next refresh drops it); anything else counts.
    fn check_interrupted(&self, what: &str, failures: &mut Failures) {
        for f in compare(&self.ws, self.emulator) {
            if !f.starts_with("missing:") {
                failures.push(format!("{what}: {f}"));
            }
        }
    }

    /// Interrupts an apply (of the next generation; odd interrupts) or a
    /// destroy (even ones) at a random point within the time the last such
    /// command took, then applies until converged.
    fn interrupt(&mut self, n: u32, generation: u32, failures: &mut Failures) -> bool {
        let destroy = n.is_multiple_of(2);
        let last = if destroy && !self.last_destroy.is_zero() {
            self.last_destroy
        } else {
            self.last_apply
        };
        let window = last.max(Duration::from_secs(2));
        let after = Duration::from_millis(
            self.rng
                .random_range(300..=window.as_millis().max(301) as u64),
        );
        let what = format!(
            "interrupt {n}: {}",
            if destroy { "destroy" } else { "apply" }
        );
        let args: &[&str] = if destroy {
            &["destroy", "-auto-approve", "-no-color", "-input=false"]
        } else {
            self.ws.write(&stack(generation));
            &["apply", "-auto-approve", "-no-color", "-input=false"]
        };
        self.interrupts_done += 1;
        match interrupted(&self.ws, args, after) {
            Ok((signalled, how)) => {
                self.signals += u32::from(signalled);
                println!("    {what}: {how}");
            }
            Err(e) => {
                failures.push(format!("{what}: {e}"));
                return false;
            }
        }
        // What the interrupted run left must still be accounted for.
        self.check_interrupted(&format!("{what}, after the interrupt"), failures);
        self.apply(&format!("{what}, converging apply"), generation, failures)
    }

    /// One cycle; returns what went wrong.
    fn cycle(&mut self, cycle: u32) -> Failures {
        let mut failures = Vec::new();
        let base = cycle * 3;
        self.set_faults(true);
        let mut ok = self.apply("apply", base, &mut failures)
            && self.apply("change", base + 1, &mut failures);
        for _ in 0..self.settings.interrupts_in(cycle) {
            if ok {
                let n = self.interrupts_done + 1;
                ok = self.interrupt(n, base + 2, &mut failures);
            }
        }
        ok = ok && self.destroy("destroy", &mut failures);
        if !ok || !failures.is_empty() {
            self.recover(&mut failures);
        }
        failures
    }

    /// After a failed cycle: destroy without faults, then clear whatever
    /// the control plane still holds, so that the next cycle starts clean.
    fn recover(&mut self, failures: &mut Failures) {
        self.set_faults(false);
        let out = self
            .ws
            .run(&["destroy", "-auto-approve", "-no-color", "-input=false"]);
        if out.code != 0 {
            failures.push(format!(
                "recovery: destroy without faults failed:\n      {}",
                errors_of(&out.text())
            ));
        }
        let left = held(self.emulator).objects;
        for ((region, list, id), name) in &left {
            failures.push(format!(
                "recovery: after destroy without faults the control plane still holds {list} {name:?} in {region} ({id})"
            ));
        }
        let r = self.emulator.admin("POST", "/_emulator/reset", json!({}));
        assert_eq!(r.status, 200, "reset: {}", r.text());
        self.ws.remove_file("terraform.tfstate");
        self.ws.remove_file("terraform.tfstate.backup");
    }
}

/// Runs the soak; returns (passed, failed) after printing a summary.
fn run(settings: &Settings) -> (u32, u32) {
    let started = Instant::now();
    let emulator = Emulator::start(&["--operation-duration", &settings.operation_duration]);
    let ws = Workspace::new(&emulator);
    let rules = settings.fault_rules();
    println!(
        "soak: seed {}, {} cycles, {} interrupts, {} resources in {} regions, operation duration {}, faults: {}",
        settings.seed,
        settings.cycles,
        settings.interrupts,
        stack(0).matches("\nresource ").count() * REGIONS.len(),
        REGIONS.len(),
        settings.operation_duration,
        rules.join(" ; ")
    );
    let mut soak = Soak {
        settings,
        emulator: &emulator,
        ws,
        rng: StdRng::seed_from_u64(settings.seed),
        last_apply: Duration::ZERO,
        last_destroy: Duration::ZERO,
        interrupts_done: 0,
        signals: 0,
        fired: BTreeMap::new(),
    };
    let (mut passed, mut failed) = (0, 0);
    let mut report = Vec::new();
    for cycle in 0..settings.cycles {
        let t = Instant::now();
        let failures = soak.cycle(cycle);
        let took = t.elapsed().as_secs_f64();
        let n = cycle + 1;
        if failures.is_empty() {
            passed += 1;
            println!("cycle {n}/{}: passed in {took:.1}s", settings.cycles);
        } else {
            failed += 1;
            println!(
                "cycle {n}/{}: FAILED in {took:.1}s (seed {})",
                settings.cycles, settings.seed
            );
            for f in &failures {
                println!("    {f}");
            }
            report.push((n, failures));
        }
    }
    soak.set_faults(false);
    let fired: Vec<String> = soak
        .fired
        .iter()
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect();
    let left = emulator.state()["total"].as_u64().unwrap_or(0);
    println!(
        "soak: seed {}, {} cycles, {} interrupts ({} while Terraform ran) in {:.0}s; faults fired: {}; the control plane holds {left} objects at the end",
        settings.seed,
        settings.cycles,
        soak.interrupts_done,
        soak.signals,
        started.elapsed().as_secs_f64(),
        fired.join(", ")
    );
    if !report.is_empty() {
        println!(
            "failed cycles: {}",
            report
                .iter()
                .map(|(n, _)| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!("{passed} passed, {failed} failed");
    if left != 0 {
        failed += 1;
        println!("the final destroy left {left} objects");
    }
    (passed, failed)
}

/// The suite's soak: two cycles under the whole fault mix (less the kinds
/// `SOAK_WITHOUT` names), interrupting an apply and then a destroy.
#[test]
fn short_soak_under_faults_and_interrupts() {
    let settings = Settings {
        seed: 7,
        cycles: 2,
        interrupts: 2,
        without: Settings::from_env().without,
        operation_duration: "300ms".into(),
    };
    let (_, failed) = run(&settings);
    assert_eq!(
        failed, 0,
        "the soak failed (seed {}); see above",
        settings.seed
    );
}

/// The long soak, configured by `SOAK_*` variables; run by `scripts/soak`.
#[test]
#[ignore = "long; run it with scripts/soak"]
fn soak() {
    let settings = Settings::from_env();
    let (_, failed) = run(&settings);
    assert_eq!(
        failed, 0,
        "the soak failed (seed {}); see above",
        settings.seed
    );
}

#[test]
fn fault_mix_covers_every_kind_the_issue_names() {
    let kinds: BTreeSet<&str> = FAULT_MIX.iter().map(|r| rule_kind(r)).collect();
    for k in [
        "throttle",
        "server_error",
        "drop_response",
        "latency",
        "maintenance",
    ] {
        assert!(kinds.contains(k), "{k} missing from the fault mix");
    }
    assert_eq!(
        rule_json("latency:ListServices,rate=0.1,latency_ms=250"),
        json!({ "kind": "latency", "operation": "ListServices", "rate": 0.1, "latency_ms": 250 })
    );
    // At least 30 resources of every type.
    let text = stack(0);
    assert!(text.matches("\nresource ").count() * REGIONS.len() >= 30);
}
