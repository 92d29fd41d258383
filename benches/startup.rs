//! Start-up benchmark of the provider process, as Terraform launches it:
//! time from spawn to the handshake line, resident memory once idle (and
//! its anonymous part: the rest is pages of the binary, whose count depends
//! on how the kernel caches the file), and the size of the binary. Run with
//! `cargo bench --bench startup` (release profile, stripped).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const RUNS: usize = 30;

fn main() {
    let bin = env!("CARGO_BIN_EXE_terraform-provider-apprunner");
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let pem = cert.pem();

    let mut starts = Vec::with_capacity(RUNS);
    let mut rss = Vec::with_capacity(RUNS);
    let mut anonymous = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let began = Instant::now();
        let mut child = Command::new(bin)
            .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
            .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
            .env("PLUGIN_MIN_PORT", "10000")
            .env("PLUGIN_MAX_PORT", "25000")
            .env("PLUGIN_CLIENT_CERT", &pem)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the provider");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        starts.push(began.elapsed());
        assert!(
            line.starts_with("1|6|tcp|"),
            "unexpected handshake {line:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
        rss.push(status_kib(child.id(), "VmRSS"));
        anonymous.push(status_kib(child.id(), "RssAnon"));
        child.kill().unwrap();
        child.wait().unwrap();
    }
    starts.sort();
    rss.sort();
    anonymous.sort();
    let size = std::fs::metadata(bin).unwrap().len() as f64 / 1_048_576.0;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("provider start-up over {RUNS} launches ({bin})");
    println!(
        "  spawn to handshake: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        ms(starts[RUNS / 2]),
        ms(starts[0]),
        ms(starts[RUNS - 1])
    );
    let mb = |kib: u64| kib as f64 / 1024.0;
    println!(
        "  idle resident memory: median {:.1} MB, max {:.1} MB; anonymous: median {:.1} MB, max {:.1} MB",
        mb(rss[RUNS / 2]),
        mb(rss[RUNS - 1]),
        mb(anonymous[RUNS / 2]),
        mb(anonymous[RUNS - 1])
    );
    println!("  binary size: {size:.1} MB");
}

/// A memory figure of a process's status (`VmRSS`, `RssAnon`), in KiB.
fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
