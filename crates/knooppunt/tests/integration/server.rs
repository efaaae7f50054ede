//! The HTTP server's limits against slow and idle clients, over real TCP connections: a request
//! whose headers do not arrive in time is closed, an idle keep-alive connection too, a body sent
//! too slowly gets a 408, and connections beyond the ceiling are closed at once while normal
//! requests keep working.

use anyhow::{anyhow, Result};
use knooppunt_testkit::TestApp;
use knooppunt_web::server::{serve, Limits};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start(t: &TestApp, limits: Limits) -> Result<(std::net::SocketAddr, tokio::sync::oneshot::Sender<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = t.router.clone();
    tokio::spawn(async move {
        let _ = serve(listener, router, limits, async move {
            let _ = stopped.await;
        })
        .await;
    });
    Ok((addr, stop))
}

/// Reads until the peer closes the connection or `within` passes; returns what came and
/// whether the connection was closed.
async fn read_until_closed(s: &mut TcpStream, within: Duration) -> (String, bool) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), false),
        }
    }
}

async fn get_ok(addr: std::net::SocketAddr) -> Result<String> {
    let mut s = TcpStream::connect(addr).await?;
    s.write_all(b"GET /health/live HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").await?;
    let (body, closed) = read_until_closed(&mut s, Duration::from_secs(5)).await;
    if !closed {
        return Err(anyhow!("no complete answer: {body}"));
    }
    Ok(body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_clients_are_cut_off() -> Result<()> {
    let t = TestApp::new(knooppunt_testkit::DbBackend::Sqlite).await?;
    let limits = Limits { header_read: Duration::from_millis(400), request: Duration::from_millis(1500), max_connections: 4, shutdown_grace: Duration::from_secs(1) };
    let (addr, stop) = start(&t, limits).await?;
    assert!(get_ok(addr).await?.starts_with("HTTP/1.1 200"));

    // Half-sent headers: the connection is closed after the header-read timeout.
    let mut half = TcpStream::connect(addr).await?;
    half.write_all(b"GET /health/live HTTP/1.1\r\nHost: te").await?;
    let (_, closed) = read_until_closed(&mut half, Duration::from_secs(3)).await;
    assert!(closed, "a half-sent request keeps its connection");

    // An idle keep-alive connection is closed too.
    let mut idle = TcpStream::connect(addr).await?;
    idle.write_all(b"GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n").await?;
    let (first, closed) = read_until_closed(&mut idle, Duration::from_secs(3)).await;
    assert!(first.starts_with("HTTP/1.1 200") && closed, "idle keep-alive connection stays open: {first:?}");

    // A body sent too slowly: 408 problem+json.
    let mut slow = TcpStream::connect(addr).await?;
    slow.write_all(b"POST /inloggen HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngebruikersnaam=").await?;
    let (answer, _) = read_until_closed(&mut slow, Duration::from_secs(4)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

    // Beyond the ceiling a connection is closed at once; when the others are gone, requests
    // work again.
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut s = TcpStream::connect(addr).await?;
        s.write_all(b"GET /health/live HTTP/1.1\r\nHost: te").await?;
        held.push(s);
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut extra = TcpStream::connect(addr).await?;
    let (_, closed) = read_until_closed(&mut extra, Duration::from_millis(300)).await;
    assert!(closed, "a connection beyond the ceiling was kept");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(get_ok(addr).await?.starts_with("HTTP/1.1 200"));
    drop(held);
    let _ = stop.send(());
    Ok(())
}
