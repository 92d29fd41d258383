//! The plugin process: go-plugin's handshake with Terraform, the gRPC
//! server with its companion services, and the process rules (ignore
//! SIGINT, exit promptly on Shutdown, stdout holds only the handshake).

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use futures::StreamExt as _;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};
use tracing::{debug, info, warn};

use super::framework::Provider;
use super::proto::go_plugin::{self, grpc_controller_server, grpc_stdio_server};
use super::proto::tfplugin6::provider_server::ProviderServer;
use super::server::ProviderService;
use super::{logging, tls};

/// The value go-plugin hosts put in `TF_PLUGIN_MAGIC_COOKIE`.
const MAGIC_COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// go-plugin's core protocol version.
const CORE_PROTOCOL_VERSION: u32 = 1;
/// The Terraform plugin protocol major version this server speaks.
const APP_PROTOCOL_VERSION: u32 = 6;
/// Largest message accepted or sent (Terraform itself allows more than the
/// gRPC default of 4 MiB; large plans and states need it).
const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// How to serve.
pub struct ServeOptions {
    /// The provider's source address, e.g. `registry.terraform.io/ns/name`
    /// (used in debug mode's `TF_REATTACH_PROVIDERS`).
    pub address: &'static str,
    /// Serve without TLS for a debugger and print the reattach settings.
    pub debug: bool,
    /// Logging module name, e.g. `provider.example`.
    pub log_module: &'static str,
}

/// Runs the plugin until Terraform shuts it down.
pub fn serve<P: Provider>(provider: P, options: ServeOptions) -> ExitCode {
    logging::init(options.log_module, logging::level_from_env(options.address));
    if !options.debug
        && let Err(message) = check_launched_by_terraform(&provider.by_hand_help())
    {
        eprintln!("{message}");
        return ExitCode::FAILURE;
    }
    // One thread: the provider's work per request is small and Terraform
    // sends requests a few at a time, so worker threads only add hand-offs
    // between threads (a quarter of the provider's CPU time in a plan).
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(provider, options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Refuses to serve unless Terraform started the process; `by_hand_help`
/// (from the provider) follows the explanation.
fn check_launched_by_terraform(by_hand_help: &str) -> Result<(), String> {
    if std::env::var("TF_PLUGIN_MAGIC_COOKIE").as_deref() != Ok(MAGIC_COOKIE) {
        let mut message = String::from(
            "This binary is a plugin for Terraform: Terraform starts it, you do not need to run it.\n\
             To use it, add the provider to your Terraform configuration and run `terraform init`.",
        );
        if !by_hand_help.is_empty() {
            message.push('\n');
            message.push_str(by_hand_help);
        }
        return Err(message);
    }
    let versions = std::env::var("PLUGIN_PROTOCOL_VERSIONS").unwrap_or_default();
    if !versions
        .split(',')
        .any(|v| v.trim() == APP_PROTOCOL_VERSION.to_string())
    {
        return Err(format!(
            "This provider speaks plugin protocol {APP_PROTOCOL_VERSION}, but the host offers {versions:?}. \
             Use Terraform 1.0 or later (or OpenTofu)."
        ));
    }
    Ok(())
}

async fn run<P: Provider>(provider: P, options: ServeOptions) -> Result<(), String> {
    let shutdown = CancellationToken::new();
    if !options.debug {
        ignore_interrupts();
    }
    let listener = bind(options.debug).await?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;

    let tls = match std::env::var("PLUGIN_CLIENT_CERT") {
        Ok(pem) if !options.debug && !pem.trim().is_empty() => Some(tls::auto_mtls(&pem)?),
        _ => None,
    };

    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;

    let router = tonic::transport::Server::builder()
        .add_service(health_service)
        .add_service(grpc_controller_server::GrpcControllerServer::new(
            Controller {
                shutdown: shutdown.clone(),
            },
        ))
        .add_service(grpc_stdio_server::GrpcStdioServer::new(Stdio {
            shutdown: shutdown.clone(),
        }))
        .add_service(
            ProviderServer::new(ProviderService::new(provider))
                .max_decoding_message_size(MAX_MESSAGE_BYTES)
                .max_encoding_message_size(MAX_MESSAGE_BYTES),
        );

    announce(
        &options,
        addr,
        tls.as_ref().map(|t| t.server_cert_der.as_slice()),
    )?;

    let stop = shutdown.clone();
    let stopped = async move {
        if options.debug {
            tokio::select! {
                _ = stop.cancelled() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        } else {
            stop.cancelled().await;
        }
        exit_soon();
    };

    let result = match tls {
        Some(tls) => {
            let incoming = tls_incoming(listener, tls.config, shutdown.clone());
            router.serve_with_incoming_shutdown(incoming, stopped).await
        }
        None => {
            let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener).map(|tcp| {
                let tcp = tcp?;
                no_delay(&tcp);
                Ok::<_, std::io::Error>(tcp)
            });
            router.serve_with_incoming_shutdown(incoming, stopped).await
        }
    };
    result.map_err(|e| format!("plugin server failed: {e}"))
}

/// Binds 127.0.0.1 on a port within go-plugin's range.
async fn bind(debug: bool) -> Result<TcpListener, String> {
    let port = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse::<u16>().ok())
    };
    match (port("PLUGIN_MIN_PORT"), port("PLUGIN_MAX_PORT")) {
        (Some(min), Some(max)) if !debug && min <= max && min > 0 => {
            for p in min..=max {
                if let Ok(l) = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], p))).await {
                    return Ok(l);
                }
            }
            Err(format!(
                "no free port between PLUGIN_MIN_PORT={min} and PLUGIN_MAX_PORT={max}"
            ))
        }
        _ => TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .map_err(|e| e.to_string()),
    }
}

/// Prints the handshake line (the first and only line on stdout), or in
/// debug mode the reattach instructions.
fn announce(
    options: &ServeOptions,
    addr: SocketAddr,
    server_cert_der: Option<&[u8]>,
) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    if options.debug {
        let reattach = serde_json::json!({
            options.address: {
                "Protocol": "grpc",
                "ProtocolVersion": APP_PROTOCOL_VERSION,
                "Pid": std::process::id(),
                "Test": true,
                "Addr": { "Network": "tcp", "String": addr.to_string() }
            }
        });
        writeln!(
            out,
            "Provider started. To attach Terraform, set TF_REATTACH_PROVIDERS in the shell that runs it:\n\n\
             \tTF_REATTACH_PROVIDERS='{reattach}'\n\nPress Ctrl-C to stop."
        )
        .map_err(|e| e.to_string())?;
    } else {
        let cert = server_cert_der
            .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
            .unwrap_or_default();
        writeln!(
            out,
            "{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|tcp|{addr}|grpc|{cert}"
        )
        .map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// Ctrl-C reaches the whole process group; Terraform answers it by calling
/// StopProvider, so the provider itself must not die of it.
fn ignore_interrupts() {
    #[cfg(unix)]
    let signals = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
    #[cfg(windows)]
    let signals = tokio::signal::windows::ctrl_c();
    match signals {
        Ok(mut signals) => {
            tokio::spawn(async move {
                while signals.recv().await.is_some() {
                    info!(
                        "interrupt received and ignored; Terraform stops the provider through StopProvider"
                    );
                }
            });
        }
        Err(e) => warn!("cannot install the interrupt handler: {e}"),
    }
}

/// Sends each write at once. With Nagle's algorithm on, the small frames
/// of a gRPC answer (headers, data, trailers: separate TLS records) wait for
/// the host's delayed ACK, which cost milliseconds on every call of a plan
/// (go-plugin's own servers, in Go, have it off by default). Serving our own
/// listener, tonic's `tcp_nodelay` setting does not apply.
fn no_delay(tcp: &TcpStream) {
    if let Err(e) = tcp.set_nodelay(true) {
        warn!("cannot set TCP_NODELAY: {e}");
    }
}

/// Accepts TCP connections and completes the TLS handshake of each in its
/// own task, yielding only connections that passed mutual TLS.
fn tls_incoming(
    listener: TcpListener,
    config: Arc<rustls::ServerConfig>,
    shutdown: CancellationToken,
) -> impl futures::Stream<Item = Result<tokio_rustls::server::TlsStream<TcpStream>, std::io::Error>>
{
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let (tcp, peer) = tokio::select! {
                _ = shutdown.cancelled() => break,
                accepted = listener.accept() => match accepted {
                    Ok(c) => c,
                    Err(e) => { warn!("accept failed: {e}"); continue; }
                },
            };
            no_delay(&tcp);
            let acceptor = acceptor.clone();
            let tx = tx.clone();
            tokio::spawn(async move {
                match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await {
                    Ok(Ok(stream)) => {
                        let _ = tx.send(Ok(stream)).await;
                    }
                    Ok(Err(e)) => warn!(%peer, "TLS handshake refused: {e}"),
                    Err(_) => warn!(%peer, "TLS handshake timed out"),
                }
            });
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(rx)
}

/// Ends the process shortly, whatever is still running: Terraform kills a
/// plugin that has not exited 2 s after Shutdown, and only calls Shutdown
/// once it needs nothing more from it. A graceful stop usually wins.
fn exit_soon() {
    std::thread::spawn(|| {
        std::thread::sleep(Duration::from_millis(300));
        // `_exit` rather than `exit`: atexit handlers of linked libraries
        // could wait on locks held by threads that are still running.
        // SAFETY: `_exit` takes no pointers and never returns.
        unsafe { libc::_exit(0) }
    });
}

/// go-plugin's controller: Terraform calls Shutdown when done with us.
struct Controller {
    shutdown: CancellationToken,
}

#[tonic::async_trait]
impl grpc_controller_server::GrpcController for Controller {
    async fn shutdown(
        &self,
        _: Request<go_plugin::Empty>,
    ) -> Result<Response<go_plugin::Empty>, Status> {
        debug!("Shutdown requested");
        self.shutdown.cancel();
        exit_soon();
        Ok(Response::new(go_plugin::Empty {}))
    }
}

/// go-plugin's stdio stream. Logs already go to stderr, which the host
/// reads directly, so the stream stays open and silent until shutdown.
struct Stdio {
    shutdown: CancellationToken,
}

#[tonic::async_trait]
impl grpc_stdio_server::GrpcStdio for Stdio {
    type StreamStdioStream = std::pin::Pin<
        Box<dyn futures::Stream<Item = Result<go_plugin::StdioData, Status>> + Send + 'static>,
    >;

    async fn stream_stdio(
        &self,
        _: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        let shutdown = self.shutdown.clone();
        let stream = futures::stream::once(async move {
            shutdown.cancelled().await;
            None
        })
        .filter_map(|x: Option<Result<go_plugin::StdioData, Status>>| async move { x });
        Ok(Response::new(Box::pin(stream)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_by_hand_the_provider_says_what_else_to_do() {
        // Cargo does not set the go-plugin cookie, so this is "by hand".
        let message =
            check_launched_by_terraform("To list widgets, use: widgets list").unwrap_err();
        assert!(
            message.starts_with("This binary is a plugin for Terraform:"),
            "{message}"
        );
        assert!(
            message.ends_with("`terraform init`.\nTo list widgets, use: widgets list"),
            "{message}"
        );
        let message = check_launched_by_terraform("").unwrap_err();
        assert!(message.ends_with("`terraform init`."), "{message}");
    }
}
