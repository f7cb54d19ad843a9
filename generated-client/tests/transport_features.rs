//! The cargo features that change what goes over the wire, against a local
//! server: `gzip` asks for compressed responses and decompresses them;
//! without it the client asks for none.

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
