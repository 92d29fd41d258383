//! Estate-scale benchmark: what a team with many services feels in every
//! plan and apply, measured with a real Terraform CLI against the local
//! control plane, release build.
//!
//! - `plan`: `plan -refresh=false` and refreshing `plan` of 300 services
//!   over 10 regions, against 300 `terraform_data` (Terraform's in-process
//!   floor), alternating runs; the provider's own CPU time and peak RSS
//!   during those plans (each provider launch runs under this binary acting
//!   as a thin wrapper that reads the child's rusage), and Terraform's own
//!   CPU time per resource on both sides (the whole process tree's less the
//!   provider's; the wrappers' own few milliseconds count as Terraform's).
//! - `waiter`: the lag between an operation ending in the control plane and
//!   `apply` returning, for 10 s and 60 s operations (`waiter-long`: 5 min),
//!   and the polls (ListOperations/Describe*) made per waiting resource.
//!   Each length runs at the exact length and at +0.5 s, +1 s, +1.5 s, so
//!   that the polls meet the operation's end at different phases.
//! - `waves`: 30 services with 5 s operations in one apply, against the
//!   ideal 5 s × ⌈30 / 10⌉ of Terraform's default parallelism.
//!
//! - `profile` (not part of the default run): one `plan -refresh=false` and
//!   one refreshing `plan` of the same 300 services with every provider
//!   launch under `valgrind --tool=callgrind`; prints the instructions the
//!   provider executed per plan and per resource (repeatable under load,
//!   unlike times) and leaves the profiles for `callgrind_annotate`.
//!
//! Run everything with `cargo bench --bench estate` (or `scripts/bench`), or
//! name the parts: `cargo bench --bench estate -- plan waves`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::json;
use support::emulator::IMAGE;
use support::{Emulator, SOURCE, Workspace};

/// Set in the environment of Terraform when provider launches are wrapped:
/// the real provider binary to run.
const REAL_PROVIDER_ENV: &str = "ESTATE_BENCH_REAL_PROVIDER";
/// Optional: the provider binary to measure instead of this build's, e.g. an
/// older build to compare with.
const PROVIDER_ENV: &str = "ESTATE_BENCH_PROVIDER";
/// Where the wrapper appends one `cpu_us max_rss_kib` line per launch.
const RUSAGE_FILE_ENV: &str = "ESTATE_BENCH_RUSAGE_FILE";
/// When set, the wrapper runs the provider under callgrind and writes its
/// profile into this folder.
const CALLGRIND_DIR_ENV: &str = "ESTATE_BENCH_CALLGRIND_DIR";

const RESOURCES: usize = 300;
const REGIONS: [&str; 10] = [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-central-1",
    "ap-northeast-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-south-1",
];
/// Alternating repetitions of each plan; the median is reported.
const PLAN_RUNS: usize = 3;

fn main() {
    if let Ok(real) = std::env::var(REAL_PROVIDER_ENV) {
        wrap_provider(&real);
    }
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let all = args.is_empty();
    let wants = |part: &str| all || args.iter().any(|a| a == part);
    if args.iter().any(|a| a == "profile") {
        bench_profile();
        return;
    }
    let mut table = Table::default();
    println!(
        "estate benchmark (release build, Terraform {})",
        tf_version()
    );
    println!("provider under measurement: {}", provider().display());
    if wants("plan") {
        bench_plan(&mut table);
    }
    let mut lengths = vec![];
    if wants("waiter") {
        lengths.extend([10u64, 60]);
    }
    if wants("waiter-long") {
        lengths.push(300);
    }
    if !lengths.is_empty() {
        bench_waiter(&mut table, &lengths);
    }
    if wants("waves") {
        bench_waves(&mut table);
    }
    println!();
    table.print();
}

/// Runs the real provider with Terraform's environment and stdio, then
/// records its CPU time and peak resident memory.
fn wrap_provider(real: &str) -> ! {
    let mut command = match std::env::var_os(CALLGRIND_DIR_ENV) {
        Some(dir) => {
            let mut out = std::ffi::OsString::from("--callgrind-out-file=");
            out.push(Path::new(&dir).join("callgrind.out.%p"));
            let mut c = Command::new("valgrind");
            c.args(["--tool=callgrind", "-q"]).arg(out).arg(real);
            c
        }
        None => Command::new(real),
    };
    let status = command
        .args(std::env::args_os().skip(1))
        .env_remove(REAL_PROVIDER_ENV)
        .env_remove(CALLGRIND_DIR_ENV)
        .status()
        .expect("run the provider");
    let usage = children_usage();
    if let Ok(path) = std::env::var(RUSAGE_FILE_ENV) {
        let line = format!("{} {}\n", cpu_time(&usage).as_micros(), usage.ru_maxrss);
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = f.write_all(line.as_bytes());
        }
    }
    std::process::exit(status.code().unwrap_or(1));
}

#[derive(Default)]
struct Table {
    rows: Vec<[String; 4]>,
}

impl Table {
    fn row(&mut self, work: &str, value: String, reference: String, ratio: String) {
        println!("  {work}: {value} (reference {reference}; {ratio})");
        self.rows.push([work.to_string(), value, reference, ratio]);
    }

    fn print(&self) {
        println!("| work | measured | reference | ratio / note |");
        println!("|---|---|---|---|");
        for [a, b, c, d] in &self.rows {
            println!("| {a} | {b} | {c} | {d} |");
        }
    }
}

fn tf_version() -> String {
    let out = Command::new(support::terraform())
        .arg("version")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .expect("terraform version");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("Terraform ")
        .to_string()
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn median<T: Copy + PartialOrd>(v: &mut [T]) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn service_hcl(name: &str, extra: &str) -> String {
    format!(
        r#"
  service_name = {name}
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = "{IMAGE}"
      image_repository_type = "ECR_PUBLIC"
    }}
  }}
{extra}"#
    )
}

/// The provider binary under measurement.
fn provider() -> PathBuf {
    std::env::var_os(PROVIDER_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-apprunner")))
}

/// A workspace whose Terraform runs [`provider`]; with `rusage`, each launch
/// runs under [`wrap_provider`], which records its resource usage there.
fn workspace(emulator: &Emulator, rusage: Option<&Path>) -> Workspace {
    let mut ws = Workspace::new(emulator);
    let plugins = ws.path().join(".plugins");
    std::fs::create_dir_all(&plugins).unwrap();
    let target = match rusage {
        Some(_) => std::env::current_exe().unwrap(),
        None => provider(),
    };
    std::os::unix::fs::symlink(target, plugins.join("terraform-provider-apprunner")).unwrap();
    let cli = format!(
        "provider_installation {{\n  dev_overrides {{\n    \"{SOURCE}\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
        plugins.display()
    );
    ws.write_file("cli.tfrc", &cli);
    if let Some(rusage) = rusage {
        ws.env(REAL_PROVIDER_ENV, provider().to_str().unwrap());
        ws.env(RUSAGE_FILE_ENV, rusage.to_str().unwrap());
    }
    ws
}

/// Sum of CPU time and largest peak RSS (KiB) recorded since `from` lines.
fn rusage_since(path: &Path, from: usize) -> (Duration, u64, usize) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let (mut cpu, mut rss) = (0u64, 0u64);
    for l in &lines[from.min(lines.len())..] {
        let mut it = l.split_whitespace();
        cpu += it.next().and_then(|v| v.parse().ok()).unwrap_or(0);
        rss = rss.max(it.next().and_then(|v| v.parse().ok()).unwrap_or(0));
    }
    (Duration::from_micros(cpu), rss, lines.len())
}

fn timed(ws: &Workspace, args: &[&str]) -> Duration {
    let began = Instant::now();
    ws.ok(args);
    began.elapsed()
}

/// Runs `terraform ARGS` like [`timed`] and also returns the CPU time of the
/// whole process tree: Terraform, its provider launches and their wrappers.
/// Commands run one at a time, so the growth of this process's waited-for
/// children's usage is that tree's.
fn timed_with_cpu(ws: &Workspace, args: &[&str]) -> (Duration, Duration) {
    let before = children_cpu();
    let wall = timed(ws, args);
    (wall, children_cpu().saturating_sub(before))
}

/// User plus system time of every waited-for descendant so far.
fn children_cpu() -> Duration {
    cpu_time(&children_usage())
}

/// The resource usage of every waited-for descendant so far.
fn children_usage() -> libc::rusage {
    // SAFETY: getrusage writes into the zeroed struct we pass and nothing else.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut u);
        u
    }
}

/// User plus system time of a usage.
fn cpu_time(usage: &libc::rusage) -> Duration {
    let d = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    d(usage.ru_utime) + d(usage.ru_stime)
}

/// A workspace of 300 services over 10 regions, each provider launch under
/// [`wrap_provider`] recording into `rusage`; not yet applied.
fn services_workspace(emulator: &Emulator, rusage: &Path) -> Workspace {
    let services = workspace(emulator, Some(rusage));
    let regions = REGIONS
        .iter()
        .map(|r| format!("\"{r}\""))
        .collect::<Vec<_>>()
        .join(", ");
    services.write(&format!(
        "locals {{\n  regions = [{regions}]\n}}\n\nresource \"apprunner_service\" \"svc\" {{\n  count = {RESOURCES}\n{}}}\n",
        service_hcl(
            "\"estate-${count.index}\"",
            "  region = local.regions[count.index % length(local.regions)]\n"
        )
    ));
    services
}

const APPLY: [&str; 4] = ["apply", "-auto-approve", "-no-color", "-input=false"];
const PLAN_NO_REFRESH: [&str; 4] = ["plan", "-refresh=false", "-no-color", "-input=false"];
const PLAN_REFRESH: [&str; 3] = ["plan", "-no-color", "-input=false"];

fn bench_plan(table: &mut Table) {
    println!(
        "plan: {RESOURCES} services over {} regions vs {RESOURCES} terraform_data",
        REGIONS.len()
    );
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let tmp = tempfile::tempdir().unwrap();
    let rusage = tmp.path().join("rusage");
    let services = services_workspace(&emulator, &rusage);
    let floor = workspace(&emulator, None);
    floor.write_file(
        "main.tf",
        &format!(
            "resource \"terraform_data\" \"d\" {{\n  count = {RESOURCES}\n  input = \"estate-${{count.index}}\"\n}}\n"
        ),
    );
    let setup = Instant::now();
    services.ok(&APPLY);
    floor.ok(&["init", "-no-color", "-input=false"]);
    floor.ok(&APPLY);
    println!("  set-up (apply of both) took {}", secs(setup.elapsed()));

    let (no_refresh, refresh) = (PLAN_NO_REFRESH.as_slice(), PLAN_REFRESH.as_slice());
    let (mut sn, mut fn_, mut sr, mut fr) = (vec![], vec![], vec![], vec![]);
    let (mut cpu_n, mut cpu_r, mut rss) = (vec![], vec![], 0u64);
    // Terraform's own CPU: the whole tree's less the provider's.
    let (mut tf_sn, mut tf_fn, mut tf_sr, mut tf_fr) = (vec![], vec![], vec![], vec![]);
    let mut seen = rusage_since(&rusage, 0).2;
    for _ in 0..PLAN_RUNS {
        let (wall, tree) = timed_with_cpu(&services, no_refresh);
        let (cpu, r, n) = rusage_since(&rusage, seen);
        (seen, rss) = (n, rss.max(r));
        sn.push(wall);
        cpu_n.push(cpu);
        tf_sn.push(tree.saturating_sub(cpu));
        let (wall, tree) = timed_with_cpu(&floor, no_refresh);
        fn_.push(wall);
        tf_fn.push(tree);
        let (wall, tree) = timed_with_cpu(&services, refresh);
        let (cpu, r, n) = rusage_since(&rusage, seen);
        (seen, rss) = (n, rss.max(r));
        sr.push(wall);
        cpu_r.push(cpu);
        tf_sr.push(tree.saturating_sub(cpu));
        let (wall, tree) = timed_with_cpu(&floor, refresh);
        fr.push(wall);
        tf_fr.push(tree);
    }
    let (sn, fn_, sr, fr) = (
        median(&mut sn),
        median(&mut fn_),
        median(&mut sr),
        median(&mut fr),
    );
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    table.row(
        "`plan -refresh=false`, 300 services / 10 regions",
        secs(sn),
        format!("{} (300 terraform_data)", secs(fn_)),
        format!("{:.2}× (target ≤ 1.25×)", ratio(sn, fn_)),
    );
    table.row(
        "`plan` (refresh), same",
        secs(sr),
        format!("{} (300 terraform_data)", secs(fr)),
        format!("{:.2}× (target ≤ 2×)", ratio(sr, fr)),
    );
    let per = |d: Duration| d.as_secs_f64() * 1000.0 / RESOURCES as f64;
    let (cn, cr) = (median(&mut cpu_n), median(&mut cpu_r));
    table.row(
        "provider CPU per resource, `plan -refresh=false`",
        format!("{:.3} ms", per(cn)),
        format!("{} in all provider launches", secs(cn)),
        "target ≤ 0.3 ms".into(),
    );
    table.row(
        "provider CPU per resource, `plan` (refresh)",
        format!("{:.3} ms", per(cr)),
        format!("{} in all provider launches", secs(cr)),
        "target ≤ 0.3 ms".into(),
    );
    // Where the wall time goes: a plan waits mostly for Terraform's own
    // work on each resource, which grows with the schema and the state.
    for (work, services, floor) in [
        ("`plan -refresh=false`", &mut tf_sn, &mut tf_fn),
        ("`plan` (refresh)", &mut tf_sr, &mut tf_fr),
    ] {
        let (s, f) = (median(services), median(floor));
        table.row(
            &format!("Terraform's own CPU per resource, {work}"),
            format!("{:.3} ms", per(s)),
            format!("{:.3} ms (300 terraform_data)", per(f)),
            format!("{:.2}×", ratio(s, f)),
        );
    }
    table.row(
        "provider peak RSS during the plans",
        format!("{:.1} MB", rss as f64 / 1024.0),
        "largest of all launches".into(),
        "target ≤ 30 MB".into(),
    );
}

/// Runs each plan of the estate once with the provider under callgrind and
/// prints the instructions it executed (all launches of one plan summed).
fn bench_profile() {
    println!(
        "profile: {RESOURCES} services over {} regions, provider under callgrind",
        REGIONS.len()
    );
    let emulator = Emulator::start(&["--operation-duration", "0s"]);
    let tmp = tempfile::tempdir().unwrap();
    let services = services_workspace(&emulator, &tmp.path().join("rusage"));
    services.ok(&APPLY);
    let keep = std::env::var_os("ESTATE_BENCH_PROFILE_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("estate-profile"));
    for (name, args) in [
        ("plan-no-refresh", PLAN_NO_REFRESH.as_slice()),
        ("plan-refresh", PLAN_REFRESH.as_slice()),
    ] {
        let dir = keep.join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let out = services
            .command(args)
            .env(CALLGRIND_DIR_ENV, &dir)
            .output()
            .expect("run terraform");
        assert!(
            out.status.success(),
            "{name} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut launches = vec![];
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let total = text
                .lines()
                .find_map(|l| l.strip_prefix("totals: ").or(l.strip_prefix("summary: ")))
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(0);
            launches.push((total, path));
        }
        launches.sort();
        let sum: u64 = launches.iter().map(|(t, _)| t).sum();
        println!(
            "  {name}: {:.1} M instructions in {} launches, {:.2} M per resource",
            sum as f64 / 1e6,
            launches.len(),
            sum as f64 / 1e6 / RESOURCES as f64
        );
        for (total, path) in &launches {
            println!("    {:>8.1} M  {}", *total as f64 / 1e6, path.display());
        }
    }
}

/// One create of a service whose CreateService takes `length`.
struct LagSample {
    /// The nominal length, in seconds, and the actual one.
    nominal: u64,
    length: Duration,
    throttled: bool,
    lag: Duration,
    polls: usize,
    /// Polls refused with ThrottlingException (the SDK retries them).
    refused: usize,
    polls_after_10s: usize,
    /// Seconds from 10 s into the operation to `apply` returning.
    window_after_10s: f64,
}

fn lag_sample(nominal: u64, length: Duration, throttled: bool) -> LagSample {
    let log = tempfile::NamedTempFile::new().unwrap();
    let duration = format!("CreateService={}ms", length.as_millis());
    let mut args = vec![
        "--operation-duration",
        "0s",
        "--operation-duration",
        &duration,
    ];
    if throttled {
        args.extend(["--fault", "throttle:ListOperations,rate=0.5"]);
    }
    let emulator = Emulator::start_logging(&args, log.path());
    let ws = workspace(&emulator, None);
    ws.write(&format!(
        "resource \"apprunner_service\" \"svc\" {{{}}}\n",
        service_hcl("\"lag-svc\"", "")
    ));
    ws.ok(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    let returned = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let ops = emulator.ok("ListServices", json!({}));
    let arn = ops["ServiceSummaryList"][0]["ServiceArn"]
        .as_str()
        .expect("the service")
        .to_string();
    // The throttled sample's fault rule applies to this call too.
    let ops = (0..50)
        .find_map(|_| {
            emulator
                .call("ListOperations", json!({ "ServiceArn": arn }))
                .ok()
        })
        .expect("ListOperations answered");
    let op = &ops["OperationSummaryList"][0];
    let started = op["StartedAt"].as_f64().expect("StartedAt");
    let ended = op["EndedAt"].as_f64().expect("EndedAt");
    let lag = Duration::from_secs_f64((returned.as_secs_f64() - ended).max(0.0));
    drop(emulator);
    // Polls: reads logged by the control plane while the apply waited.
    let text = std::fs::read_to_string(log.path()).unwrap_or_default();
    let during =
        |l: &&str| log_time(l).is_some_and(|t| t >= started && t <= returned.as_secs_f64());
    let reads =
        |l: &&str| l.contains("operation=\"ListOperations\"") || l.contains("operation=\"Describe");
    let poll_times: Vec<f64> = text
        .lines()
        .filter(|l| l.contains(" ok") && reads(l) && during(l))
        .filter_map(log_time)
        .collect();
    let refused = text
        .lines()
        .filter(|l| l.contains("fault: throttling") && reads(l) && during(l))
        .count();
    let after = started + 10.0;
    LagSample {
        nominal,
        length,
        throttled,
        lag,
        polls: poll_times.len(),
        refused,
        polls_after_10s: poll_times.iter().filter(|t| **t > after).count(),
        window_after_10s: (returned.as_secs_f64() - after).max(0.0),
    }
}

/// The timestamp that starts a control-plane log line, in Unix seconds.
fn log_time(line: &str) -> Option<f64> {
    let stamp = line.split_whitespace().next()?;
    let t =
        time::OffsetDateTime::parse(stamp, &time::format_description::well_known::Rfc3339).ok()?;
    Some(t.unix_timestamp_nanos() as f64 / 1e9)
}

fn bench_waiter(table: &mut Table, lengths: &[u64]) {
    const PHASES_MS: [u64; 4] = [0, 500, 1000, 1500];
    println!(
        "waiter: creates of {:?} s (each also +0.5/+1/+1.5 s), all at once, one control plane each",
        lengths
    );
    // Plus one 60 s create whose polls are throttled half of the time.
    let throttled_length = Duration::from_secs(60);
    let handles: Vec<_> = lengths
        .iter()
        .flat_map(|&l| {
            PHASES_MS
                .iter()
                .map(move |&p| (l, Duration::from_millis(l * 1000 + p), false))
        })
        .chain([(60, throttled_length, true)])
        .map(|(l, len, throttled)| std::thread::spawn(move || lag_sample(l, len, throttled)))
        .collect();
    let samples: Vec<LagSample> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for &l in lengths {
        let of: Vec<&LagSample> = samples
            .iter()
            .filter(|s| s.nominal == l && !s.throttled)
            .collect();
        let exact = of
            .iter()
            .find(|s| s.length.subsec_millis() == 0)
            .expect("exact sample");
        let mut lags: Vec<f64> = of.iter().map(|s| s.lag.as_secs_f64()).collect();
        let lag_list = lags
            .iter()
            .map(|l| format!("{l:.2}"))
            .collect::<Vec<_>>()
            .join(" / ");
        let med = median(&mut lags);
        let polls: Vec<String> = of.iter().map(|s| s.polls.to_string()).collect();
        let gap = {
            let calls: usize = of.iter().map(|s| s.polls_after_10s).sum();
            let window: f64 = of.iter().map(|s| s.window_after_10s).sum();
            if calls == 0 {
                "no polls after 10 s".to_string()
            } else {
                format!(
                    "{:.2} s between polls after 10 s (target ≥ 2 s)",
                    window / calls as f64
                )
            }
        };
        table.row(
            &format!("waiter lag, {l} s operation"),
            format!("{} exact, {med:.2} s median", secs(exact.lag)),
            format!("lags {lag_list} s at +0/+0.5/+1/+1.5 s"),
            format!(
                "target median ≤ 1 s; polls per resource {}; {gap}",
                polls.join("/")
            ),
        );
    }
    if let Some(t) = samples.iter().find(|s| s.throttled) {
        table.row(
            "waiter, 60 s operation, half of the polls throttled",
            format!("{} lag, apply succeeded", secs(t.lag)),
            format!("{} polls answered, {} throttled", t.polls, t.refused),
            format!(
                "{:.2} s between answered polls after 10 s",
                t.window_after_10s / t.polls_after_10s.max(1) as f64
            ),
        );
    }
}

fn bench_waves(table: &mut Table) {
    const SERVICES: usize = 30;
    const OP: Duration = Duration::from_secs(5);
    println!("waves: {SERVICES} services with 5 s creates in one apply");
    let emulator = Emulator::start(&[
        "--operation-duration",
        "0s",
        "--operation-duration",
        "CreateService=5s",
    ]);
    let ws = workspace(&emulator, None);
    ws.write(&format!(
        "resource \"apprunner_service\" \"svc\" {{\n  count = {SERVICES}\n{}}}\n",
        service_hcl("\"wave-${count.index}\"", "")
    ));
    let took = timed(
        &ws,
        &["apply", "-auto-approve", "-no-color", "-input=false"],
    );
    let ideal = OP * SERVICES.div_ceil(10) as u32;
    table.row(
        "apply of 30 services with 5 s creates",
        secs(took),
        format!("{} ideal (5 s × ⌈30/10⌉)", secs(ideal)),
        format!(
            "{:.2}× (target ≤ 1.15×)",
            took.as_secs_f64() / ideal.as_secs_f64()
        ),
    );
}
