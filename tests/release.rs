//! The release, as a team installs it: `scripts/release` (run once, with the
//! faster `release-check` profile) builds every platform; Terraform installs
//! the result from the network mirror served over HTTPS and from the
//! filesystem mirror, verifying checksums; `terraform providers lock`
//! records every platform; the linux_arm64 build reaches its handshake under
//! qemu-user; the quickstart runs from the released linux_amd64 zip. The
//! Terraform CLI configurations are the README's "Install" snippets.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

use sha2::{Digest, Sha256};
use support::SOURCE;

const NAME: &str = "terraform-provider-apprunner";
const VERSION: &str = env!("CARGO_PKG_VERSION");
const PLATFORMS: [&str; 5] = [
    "linux_amd64",
    "linux_arm64",
    "darwin_amd64",
    "darwin_arm64",
    "windows_amd64",
];

/// The README's placeholders, which the tests replace with their own.
const README_MIRROR_URL: &str = "https://terraform-mirror.example.com/providers/";
const README_MIRROR_PATH: &str = "/srv/terraform/providers";
const README_BUILD_DIR: &str = "/home/you/terraform-provider-apprunner/target/release";

/// The `dist` folder `scripts/release` wrote (once per test process).
fn dist() -> &'static Path {
    static DIST: OnceLock<PathBuf> = OnceLock::new();
    DIST.get_or_init(|| {
        let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let dist = scratch.join("release-dist");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = Command::new(root.join("scripts/release"))
            .env("RELEASE_PROFILE", "release-check")
            .env("RELEASE_DIST", &dist)
            // The same target folder as the tests, so a build is reused.
            .env("CARGO_TARGET_DIR", scratch.parent().expect("target dir"))
            .env_remove("RELEASE_GPG_KEY")
            .stdin(Stdio::null())
            .output()
            .expect("run scripts/release");
        assert!(
            out.status.success(),
            "scripts/release failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        dist
    })
}

fn zip_name(platform: &str) -> String {
    format!("{NAME}_{VERSION}_{platform}.zip")
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The one file in a release zip: its name and contents.
fn unzip(zip: &Path) -> (String, Vec<u8>) {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\n\
             z = zipfile.ZipFile(sys.argv[1])\n\
             names = z.namelist()\n\
             assert len(names) == 1, names\n\
             sys.stderr.write(names[0])\n\
             sys.stdout.buffer.write(z.read(names[0]))",
        ])
        .arg(zip)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{zip:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (String::from_utf8(out.stderr).unwrap(), out.stdout)
}

/// Extracts the binary of `platform` into `dir`, executable; its path.
fn extract(platform: &str, dir: &Path) -> PathBuf {
    let (name, bytes) = unzip(&dist().join("release").join(zip_name(platform)));
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// The executable format and CPU a binary is for, read from its header.
fn binary_kind(bytes: &[u8]) -> &'static str {
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
    if bytes.starts_with(b"\x7fELF") {
        match u16_at(18) {
            0x3e => "elf-x86_64",
            0xb7 => "elf-aarch64",
            _ => "elf-other",
        }
    } else if u32_at(0) == 0xfeed_facf {
        match u32_at(4) {
            0x0100_0007 => "macho-x86_64",
            0x0100_000c => "macho-arm64",
            _ => "macho-other",
        }
    } else if bytes.starts_with(b"MZ") {
        let pe = u32_at(0x3c) as usize;
        match (&bytes[pe..pe + 4], u16_at(pe + 4)) {
            (b"PE\0\0", 0x8664) => "pe-x86_64",
            _ => "pe-other",
        }
    } else {
        "unknown"
    }
}

#[test]
fn the_release_holds_every_platform_its_checksums_and_manifest() {
    let release = dist().join("release");
    let sums = std::fs::read_to_string(release.join(format!("{NAME}_{VERSION}_SHA256SUMS")))
        .expect("SHA256SUMS");
    let expected = [
        ("linux_amd64", "elf-x86_64", ""),
        ("linux_arm64", "elf-aarch64", ""),
        ("darwin_amd64", "macho-x86_64", ""),
        ("darwin_arm64", "macho-arm64", ""),
        ("windows_amd64", "pe-x86_64", ".exe"),
    ];
    for (platform, kind, exe) in expected {
        let zip = release.join(zip_name(platform));
        let bytes = std::fs::read(&zip).expect("zip");
        let line = format!("{}  {}", sha256_hex(&bytes), zip_name(platform));
        assert!(sums.lines().any(|l| l == line), "{line:?} not in\n{sums}");
        let (name, binary) = unzip(&zip);
        assert_eq!(name, format!("{NAME}_v{VERSION}{exe}"));
        assert_eq!(binary_kind(&binary), kind, "{platform}");
    }
    // The registry's manifest: protocol 6.0, in the release and its sums.
    let manifest_name = format!("{NAME}_{VERSION}_manifest.json");
    let manifest = std::fs::read(release.join(&manifest_name)).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        manifest,
        std::fs::read(root.join("terraform-registry-manifest.json")).unwrap()
    );
    let manifest: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    assert_eq!(
        manifest,
        serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}})
    );
    assert!(sums.contains(&manifest_name), "{sums}");
    assert_eq!(sums.lines().count(), 6, "{sums}");
    // No signing key was set, so no signature.
    assert!(
        !release
            .join(format!("{NAME}_{VERSION}_SHA256SUMS.sig"))
            .exists()
    );
}

// ---- Serving the network mirror over HTTPS ----

/// A static HTTPS server of `root`, with a certificate from a CA of its own.
struct Mirror {
    url: String,
    /// The CA to trust (PEM), for SSL_CERT_FILE.
    ca_file: PathBuf,
    /// Paths requested, in order.
    requests: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

impl Mirror {
    fn serve(root: PathBuf) -> Mirror {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "release test CA");
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap()
            .signed_by(&key, &issuer)
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, ca_cert.pem()).unwrap();

        let tls = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        runtime.spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let (acceptor, root, seen) = (acceptor.clone(), root.clone(), seen.clone());
                tokio::spawn(async move {
                    let Ok(stream) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let service = hyper::service::service_fn(move |req| {
                        let (root, seen) = (root.clone(), seen.clone());
                        async move { Ok::<_, std::convert::Infallible>(serve_file(&root, &seen, req)) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Mirror {
            url: format!("https://localhost:{}/", addr.port()),
            ca_file,
            requests,
            _dir: dir,
            _runtime: runtime,
        }
    }

    fn requested(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve_file(
    root: &Path,
    seen: &Mutex<Vec<String>>,
    req: hyper::Request<hyper::body::Incoming>,
) -> hyper::Response<http_body_util::Full<hyper::body::Bytes>> {
    let path = req.uri().path().to_string();
    seen.lock().unwrap().push(path.clone());
    let file = root.join(path.trim_start_matches('/'));
    let safe = !path.contains("..");
    match std::fs::read(&file) {
        // Terraform insists on JSON's media type, as static servers send it.
        Ok(body) if safe => hyper::Response::builder()
            .header(
                "content-type",
                if path.ends_with(".json") {
                    "application/json"
                } else {
                    "application/zip"
                },
            )
            .body(http_body_util::Full::new(body.into()))
            .unwrap(),
        _ => hyper::Response::builder()
            .status(404)
            .body(http_body_util::Full::new(Vec::new().into()))
            .unwrap(),
    }
}

// ---- The README's CLI configurations ----

/// The README "Install" section's `hcl` block that configures `kind`
/// (`network_mirror`, `filesystem_mirror` or `dev_overrides`).
fn readme_cli_config(kind: &str) -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let start = readme
        .find("\n## Install")
        .expect("README has an Install section");
    let section = &readme[start + 1..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let blocks: Vec<&str> = section
        .split("```hcl\n")
        .skip(1)
        .map(|b| &b[..b.find("```").expect("closed code block")])
        .filter(|b| b.contains(&format!("{kind} {{")))
        .collect();
    assert_eq!(
        blocks.len(),
        1,
        "one README Install block configures {kind}"
    );
    blocks[0].to_string()
}

/// A working directory installing the provider as `cli_config` says, with
/// a configuration that requires it (and `body`).
fn workspace(cli_config: &str, body: &str) -> support::Workspace {
    let ws = support::Workspace::with_endpoint("");
    ws.write_file("cli.tfrc", cli_config);
    ws.write_file(
        "main.tf",
        &format!(
            "terraform {{\n  required_providers {{\n    apprunner = {{\n      source  = \"{SOURCE}\"\n      version = \"{VERSION}\"\n    }}\n  }}\n}}\n{body}"
        ),
    );
    ws
}

fn lock_file(ws: &support::Workspace) -> String {
    std::fs::read_to_string(ws.path().join(".terraform.lock.hcl")).expect("lock file")
}

/// The `zh:` hash of a platform's zip: its SHA-256, as SHA256SUMS says.
fn zh(platform: &str) -> String {
    let zip = std::fs::read(dist().join("release").join(zip_name(platform))).unwrap();
    format!("zh:{}", sha256_hex(&zip))
}

/// The `h1:` hash Terraform computes of an installed package: the SHA-256
/// of its files' `SHA256  NAME` lines, in base64.
fn h1(platform: &str) -> String {
    use base64::Engine;
    let (name, binary) = unzip(&dist().join("release").join(zip_name(platform)));
    let summary = format!("{}  {name}\n", sha256_hex(&binary));
    let digest = Sha256::digest(summary.as_bytes());
    format!(
        "h1:{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

fn network_mirror_workspace(mirror: &Mirror, body: &str) -> support::Workspace {
    let config = readme_cli_config("network_mirror").replace(README_MIRROR_URL, &mirror.url);
    assert!(config.contains(&mirror.url), "{config}");
    let mut ws = workspace(&config, body);
    ws.env("SSL_CERT_FILE", mirror.ca_file.to_str().unwrap());
    ws
}

#[test]
fn terraform_init_installs_from_the_network_mirror_over_https_and_checks_hashes() {
    let mirror = Mirror::serve(dist().join("network-mirror"));
    let ws = network_mirror_workspace(&mirror, "");
    ws.ok(&["init", "-input=false", "-no-color"]);
    // Terraform checked the zip against the mirror's zh: hash, and locks
    // what it unpacked.
    let lock = lock_file(&ws);
    assert!(lock.contains(&h1("linux_amd64")), "{lock}");
    let base = format!("/{SOURCE}");
    let requested = mirror.requested();
    for path in [
        format!("{base}/index.json"),
        format!("{base}/{VERSION}.json"),
        format!("{base}/{}", zip_name("linux_amd64")),
    ] {
        assert!(requested.contains(&path), "{path} not in {requested:?}");
    }

    // A mirror whose hashes do not match its zips is refused.
    let tampered = tempfile::tempdir().unwrap();
    let copy = tampered.path().join(SOURCE);
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(dist().join("network-mirror").join(SOURCE)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
    }
    let doc = copy.join(format!("{VERSION}.json"));
    let text = std::fs::read_to_string(&doc).unwrap();
    let wrong = format!("zh:{}", "0".repeat(64));
    std::fs::write(&doc, text.replace(&zh("linux_amd64"), &wrong)).unwrap();
    let bad = Mirror::serve(tampered.path().to_path_buf());
    let ws = network_mirror_workspace(&bad, "");
    let text = ws.fails(&["init", "-input=false", "-no-color"]).text();
    assert!(text.contains("checksum"), "{text}");
}

#[test]
fn terraform_init_installs_from_the_filesystem_mirror_and_checks_the_lock() {
    let mirror = dist().join("filesystem-mirror");
    let config = readme_cli_config("filesystem_mirror")
        .replace(README_MIRROR_PATH, mirror.to_str().unwrap());
    assert!(config.contains(mirror.to_str().unwrap()), "{config}");
    let ws = workspace(&config, "");
    ws.ok(&["init", "-input=false", "-no-color"]);
    let lock = lock_file(&ws);
    assert!(lock.contains(&h1("linux_amd64")), "{lock}");

    // A different package under the same name no longer matches the lock.
    let other = tempfile::tempdir().unwrap();
    let folder = other.path().join(SOURCE);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(
        mirror.join(SOURCE).join(zip_name("linux_arm64")),
        folder.join(zip_name("linux_amd64")),
    )
    .unwrap();
    ws.write_file(
        "cli.tfrc",
        &config.replace(mirror.to_str().unwrap(), other.path().to_str().unwrap()),
    );
    std::fs::remove_dir_all(ws.path().join(".terraform")).unwrap();
    let text = ws.fails(&["init", "-input=false", "-no-color"]).text();
    assert!(text.contains("checksum"), "{text}");
}

#[test]
fn providers_lock_records_every_platform() {
    let mirror = Mirror::serve(dist().join("network-mirror"));
    let ws = workspace("", "");
    let mut args = vec![
        "providers".to_string(),
        "lock".to_string(),
        "-no-color".to_string(),
    ];
    args.push(format!("-net-mirror={}", mirror.url));
    for p in PLATFORMS {
        args.push(format!("-platform={p}"));
    }
    let mut cmd = ws.command(&args.iter().map(String::as_str).collect::<Vec<_>>());
    cmd.env("SSL_CERT_FILE", &mirror.ca_file);
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    // Terraform fetched each platform's zip (checking its zh: hash) and
    // locked what it unpacked.
    let lock = lock_file(&ws);
    for p in PLATFORMS {
        assert!(lock.contains(&h1(p)), "{p}: {lock}");
    }
    assert_eq!(lock.matches("\"h1:").count(), PLATFORMS.len(), "{lock}");
}

/// go-plugin's handshake cookie, which Terraform sets for its providers.
const MAGIC_COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

#[test]
fn the_linux_arm64_build_reaches_its_handshake_under_qemu() {
    let qemu = tool("qemu-aarch64");
    let dir = tempfile::tempdir().unwrap();
    let binary = extract("linux_arm64", dir.path());
    // The glibc of Debian's libc6-arm64-cross, which scripts/tools.sh installs.
    let mut child = KillOnDrop(
        Command::new(qemu)
            .args(["-L", "/usr/aarch64-linux-gnu"])
            .arg(&binary)
            .env("TF_PLUGIN_MAGIC_COOKIE", MAGIC_COOKIE)
            .env("PLUGIN_PROTOCOL_VERSIONS", "6")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start qemu-aarch64"),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let stderr_pipe = child.0.stderr.take().unwrap();
    drop(child);
    let mut stderr = String::new();
    let _ = BufReader::new(stderr_pipe).read_to_string(&mut stderr);
    let fields: Vec<&str> = line.trim().split('|').collect();
    assert!(
        fields.len() >= 5 && fields[0] == "1" && fields[1] == "6" && fields[4] == "grpc",
        "handshake line {line:?}; stderr: {stderr}"
    );
}

/// A tool from scripts/tools.sh.
fn tool(name: &str) -> PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/tools.sh");
    let out = Command::new("bash").arg(script).arg(name).output().unwrap();
    assert!(
        out.status.success(),
        "scripts/tools.sh {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

#[test]
fn the_quickstart_runs_from_the_released_linux_amd64_zip() {
    // The control plane, from the released binary too.
    let dir = tempfile::tempdir().unwrap();
    let binary = extract("linux_amd64", dir.path());
    let mut emulator = KillOnDrop(
        Command::new(&binary)
            .args([
                "emulator",
                "--listen",
                "127.0.0.1:0",
                "--operation-duration",
                "2s",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // Kept open for as long as the control plane runs.
    let mut stdout = BufReader::new(emulator.0.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let endpoint = line
        .trim()
        .strip_prefix("apprunner emulator listening on ")
        .unwrap_or_else(|| panic!("control plane said {line:?}"))
        .to_string();

    let mirror = Mirror::serve(dist().join("network-mirror"));
    let mut ws = network_mirror_workspace(&mirror, "");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let main = std::fs::read_to_string(root.join("examples/quickstart/main.tf")).unwrap();
    ws.write_file("main.tf", &main);
    for (k, v) in [
        ("TF_VAR_apprunner_endpoint", endpoint.as_str()),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
    ] {
        ws.env(k, v);
    }
    ws.ok(&["init", "-input=false", "-no-color"]);
    let installed = ws
        .path()
        .join(".terraform/providers")
        .join(SOURCE)
        .join(VERSION)
        .join("linux_amd64")
        .join(format!("{NAME}_v{VERSION}"));
    assert_eq!(
        std::fs::read(&installed).expect("installed from the mirror"),
        std::fs::read(&binary).unwrap()
    );
    ws.apply();
    ws.assert_plan_empty(&[], "the quickstart plans no changes after apply");
    ws.destroy();
    drop(emulator);
    drop(stdout);
}

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_readme_dev_overrides_use_a_local_build() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_terraform-provider-apprunner"),
        dir.path().join(NAME),
    )
    .unwrap();
    let config =
        readme_cli_config("dev_overrides").replace(README_BUILD_DIR, dir.path().to_str().unwrap());
    assert!(config.contains(dir.path().to_str().unwrap()), "{config}");
    let ws = workspace(
        &config,
        "provider \"apprunner\" {\n  region = \"us-east-1\"\n}\n",
    );
    let text = ws.ok(&["validate", "-no-color"]).text();
    assert!(
        text.contains("Provider development overrides are in effect"),
        "{text}"
    );
    assert!(text.contains("The configuration is valid"), "{text}");
}
