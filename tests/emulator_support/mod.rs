//! Helpers for the emulator tests: start the real binary's control plane,
//! call its API with SigV4-signed requests, use its admin endpoint, and run
//! the AWS CLI against it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use serde_json::{Value, json};

pub const REGION: &str = "us-east-1";
pub const IMAGE: &str = "public.ecr.aws/aws-containers/hello-app-runner:latest";

/// A control plane started from the binary; killed when dropped.
pub struct Emulator {
    child: Child,
    pub url: String,
    pub addr: String,
}

impl Emulator {
    /// Starts `terraform-provider-apprunner emulator --listen 127.0.0.1:0 ARGS…`
    /// and reads the URL from its first stdout line.
    pub fn start(args: &[&str]) -> Emulator {
        let stderr = match std::env::var_os("EMULATOR_TEST_LOG") {
            None => Stdio::null(),
            Some(_) => Stdio::inherit(),
        };
        Emulator::start_with_stderr(args, stderr)
    }

    /// Like [`Emulator::start`], with the control plane's log (one line per
    /// request) written to `log`.
    pub fn start_logging(args: &[&str], log: &Path) -> Emulator {
        let file = std::fs::File::create(log).expect("create the log file");
        Emulator::start_with_stderr(args, Stdio::from(file))
    }

    fn start_with_stderr(args: &[&str], stderr: Stdio) -> Emulator {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_terraform-provider-apprunner"));
        cmd.args(["emulator", "--listen", "127.0.0.1:0"]).args(args);
        cmd.stdout(Stdio::piped())
            .stdin(Stdio::null())
            .stderr(stderr);
        let mut child = cmd.spawn().expect("start the emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("read the first line");
        let url = line
            .trim()
            .strip_prefix("apprunner emulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        let addr = url.trim_start_matches("http://").to_string();
        Emulator { child, url, addr }
    }

    /// Sends SIGTERM and waits for a clean exit.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        self.child.wait().expect("wait")
    }

    /// Calls an API operation signed with the default credentials.
    pub fn call(&self, op: &str, body: Value) -> Result<Value, ApiError> {
        self.call_as(op, body, REGION, "test", "test")
    }

    pub fn call_in(&self, region: &str, op: &str, body: Value) -> Result<Value, ApiError> {
        self.call_as(op, body, region, "test", "test")
    }

    pub fn ok(&self, op: &str, body: Value) -> Value {
        self.call(op, body)
            .unwrap_or_else(|e| panic!("{op} failed: {e:?}"))
    }

    /// Calls and expects an error; returns it.
    pub fn err(&self, op: &str, body: Value) -> ApiError {
        match self.call(op, body) {
            Ok(v) => panic!("{op} succeeded but should not have: {v}"),
            Err(e) => e,
        }
    }

    pub fn call_as(
        &self,
        op: &str,
        body: Value,
        region: &str,
        key: &str,
        secret: &str,
    ) -> Result<Value, ApiError> {
        let body = serde_json::to_vec(&body).unwrap();
        let headers = signed_headers(&self.addr, op, &body, region, key, secret);
        let resp = self.raw("POST", "/", &headers, &body).expect("a response");
        resp.into_result()
    }

    /// Sends one HTTP/1.1 request; `None` when the connection closed with
    /// no response at all.
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Option<HttpResponse> {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nconnection: close\r\ncontent-length: {}\r\n",
            body.len()
        );
        if !headers.iter().any(|(k, _)| k == "host") {
            req += &format!("host: {}\r\n", self.addr);
        }
        for (k, v) in headers {
            req += &format!("{k}: {v}\r\n");
        }
        req += "\r\n";
        stream.write_all(req.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut raw = vec![];
        let _ = stream.read_to_end(&mut raw);
        if raw.is_empty() {
            return None;
        }
        Some(HttpResponse::parse(&raw))
    }

    pub fn admin_get(&self, path: &str) -> Value {
        let r = self.raw("GET", path, &[], b"").expect("admin response");
        assert_eq!(r.status, 200, "GET {path}: {}", r.text());
        r.json()
    }

    pub fn admin(&self, method: &str, path: &str, body: Value) -> HttpResponse {
        let body = serde_json::to_vec(&body).unwrap();
        let headers = [("content-type".to_string(), "application/json".to_string())];
        self.raw(method, path, &headers, &body)
            .expect("admin response")
    }

    pub fn add_fault(&self, rule: Value) {
        let r = self.admin("POST", "/_emulator/faults", json!({ "rules": [rule] }));
        assert_eq!(r.status, 200, "{}", r.text());
    }

    pub fn state(&self) -> Value {
        self.admin_get("/_emulator/state")
    }

    pub fn advance_clock(&self, seconds: f64) {
        let r = self.admin(
            "POST",
            "/_emulator/clock/advance",
            json!({ "seconds": seconds }),
        );
        assert_eq!(r.status, 200, "{}", r.text());
    }

    /// Says the custom domains' validation records are published in DNS:
    /// `body` `{}` for every domain held, `{"always": true}` for every
    /// domain from now on.
    pub fn publish_dns(&self, body: Value) -> Value {
        let r = self.admin("POST", "/_emulator/custom-domains/publish-dns", body);
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }

    /// Creates a public ECR image service; returns its ARN.
    pub fn create_service(&self, name: &str) -> String {
        let v = self.ok("CreateService", service_body(name));
        v["Service"]["ServiceArn"].as_str().unwrap().to_string()
    }

    /// Polls DescribeService until the status is not OPERATION_IN_PROGRESS.
    pub fn wait_service(&self, arn: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let s = self.ok("DescribeService", json!({ "ServiceArn": arn }))["Service"].clone();
            if s["Status"] != "OPERATION_IN_PROGRESS" {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "service {arn} stayed OPERATION_IN_PROGRESS"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Polls `op` until `field` (a JSON pointer) equals `want`.
    pub fn wait_for(&self, op: &str, body: Value, pointer: &str, want: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let v = self.ok(op, body.clone());
            if v.pointer(pointer).and_then(Value::as_str) == Some(want) {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "{op} {pointer} never became {want}: last {v}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn service_body(name: &str) -> Value {
    json!({
        "ServiceName": name,
        "SourceConfiguration": {
            "ImageRepository": { "ImageIdentifier": IMAGE, "ImageRepositoryType": "ECR_PUBLIC" },
            "AutoDeploymentsEnabled": false
        }
    })
}

/// SigV4 headers for an App Runner JSON request, as an SDK would send them.
pub fn signed_headers(
    host: &str,
    op: &str,
    body: &[u8],
    region: &str,
    key: &str,
    secret: &str,
) -> Vec<(String, String)> {
    let mut headers = vec![
        ("host".to_string(), host.to_string()),
        (
            "content-type".to_string(),
            "application/x-amz-json-1.0".to_string(),
        ),
        ("x-amz-target".to_string(), format!("AppRunner.{op}")),
    ];
    let identity = Credentials::new(key, secret, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("apprunner")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let signable = SignableRequest::new(
        "POST",
        "/",
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(body),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    for (k, v) in instructions.headers() {
        headers.push((k.to_string(), v.to_string()));
    }
    headers
}

#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    fn parse(raw: &[u8]) -> HttpResponse {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("header end");
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        HttpResponse {
            status,
            headers,
            body: raw[split + 4..].to_vec(),
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn into_result(self) -> Result<Value, ApiError> {
        let body = self.json();
        if self.status == 200 {
            Ok(body)
        } else {
            Err(ApiError {
                status: self.status,
                code: body["__type"].as_str().unwrap_or_default().to_string(),
                message: body["Message"].as_str().unwrap_or_default().to_string(),
            })
        }
    }
}

/// An error response: HTTP status, `__type` and `Message`.
#[derive(Debug)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

/// The AWS CLI, provisioned by scripts/tools.sh (never skipped).
pub fn aws_cli() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(root.join("scripts/tools.sh"))
        .arg("aws")
        .output()
        .expect("run scripts/tools.sh aws");
    assert!(
        out.status.success(),
        "scripts/tools.sh aws failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// The folder holding botocore's App Runner model.
pub fn botocore_model_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(root.join("scripts/tools.sh"))
        .arg("botocore")
        .output()
        .expect("run scripts/tools.sh");
    assert!(
        out.status.success(),
        "scripts/tools.sh botocore failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}
