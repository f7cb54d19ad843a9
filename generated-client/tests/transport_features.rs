//! The cargo features that change what goes over the wire, against a local
//! server: `gzip` asks for compressed responses and decompresses them
//! (without it the client asks for none), and `http2` speaks HTTP/2 to a
//! server that does. Run them with `--features gzip,http2`.

mod support;

use generated_client::types;
use support::{Reply, TestServer, client};

const NOTEBOOK_JSON: &str = include_str!("fixtures/notebook.json");

fn application_id() -> types::ApplicationId {
    "575ec8687ae143cd83dc4a97"
        .parse()
        .expect("valid application ID")
}

fn notebook_id() -> types::NotebookId {
    "575ed78e7ae143cd83dc4aab"
        .parse()
        .expect("valid notebook ID")
}

/// `data` as a gzip stream (RFC 1952) of uncompressed ("stored") deflate
/// blocks: a valid gzip body without a compression library.
#[cfg_attr(not(feature = "gzip"), allow(dead_code))]
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let mut blocks = data.chunks(0xffff).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        let last = u8::from(blocks.peek().is_none());
        let length = u16::try_from(block.len()).expect("a block holds at most 65535 bytes");
        out.push(last);
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(&(!length).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    // ISIZE is the length modulo 2^32: exactly what `as u32` keeps.
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// The CRC-32 of gzip (IEEE polynomial, reflected), bit by bit.
#[cfg_attr(not(feature = "gzip"), allow(dead_code))]
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn crc32_matches_the_check_value() {
    // The standard check value of CRC-32/ISO-HDLC.
    assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
}

#[cfg(feature = "gzip")]
#[tokio::test]
async fn gzip_responses_are_asked_for_and_decompressed() {
    let server = TestServer::start(vec![
        Reply::new(
            200,
            "application/json",
            gzip_stored(NOTEBOOK_JSON.as_bytes()),
        )
        .with_header("Content-Encoding", "gzip"),
    ])
    .await;

    let notebook = client(&server)
        .notebook()
        .get(&application_id(), &notebook_id())
        .await
        .unwrap();

    assert_eq!(
        notebook.id.as_ref().map(|id| id.as_str()),
        Some("575ed78e7ae143cd83dc4aab")
    );
    let request = server.single_request();
    let accepted = request.header("accept-encoding").unwrap_or_default();
    assert!(accepted.contains("gzip"), "{accepted}");
}

#[cfg(not(feature = "gzip"))]
#[tokio::test]
async fn without_the_gzip_feature_no_compression_is_asked_for() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

    client(&server)
        .notebook()
        .get(&application_id(), &notebook_id())
        .await
        .unwrap();

    assert_eq!(server.single_request().header("accept-encoding"), None);
}

/// With `http2`, a request goes out as HTTP/2 when the connection speaks
/// it: here a cleartext HTTP/2 server, and a reqwest client told so
/// (`http2_prior_knowledge`; over TLS, ALPN does the telling).
#[cfg(feature = "http2")]
#[tokio::test]
async fn http2_is_spoken_when_the_connection_does() {
    use std::sync::{Arc, Mutex};

    use http_body_util::Full;
    use hyper::body::{Bytes, Incoming};
    use hyper::{Request, Response, Version};
    use hyper_util::rt::{TokioExecutor, TokioIo};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a local port");
    let address = listener.local_addr().expect("local address");
    let versions = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&versions);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                seen.lock().expect("versions").push(request.version());
                let mut response =
                    Response::new(Full::new(Bytes::from_static(NOTEBOOK_JSON.as_bytes())));
                response.headers_mut().insert(
                    "content-type",
                    hyper::header::HeaderValue::from_static("application/json"),
                );
                async move { Ok::<_, std::convert::Infallible>(response) }
            });
            tokio::spawn(
                hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), service),
            );
        }
    });
    let http = reqwest::Client::builder()
        .http2_prior_knowledge()
        .build()
        .expect("an HTTP/2 client");
    let client = support::client_builder(&format!("http://{address}"))
        .http_client(http)
        .build()
        .expect("client");

    let notebook = client
        .notebook()
        .get(&application_id(), &notebook_id())
        .await
        .unwrap();

    assert!(notebook.id.is_some());
    assert_eq!(*versions.lock().expect("versions"), [Version::HTTP_2]);
}
