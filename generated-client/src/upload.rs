//! Files sent as parts of a `multipart/form-data` body.

use std::fmt;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;
use reqwest::multipart::Part;
use tokio::io::AsyncRead;
use tokio_util::io::ReaderStream;

/// How much of a file or reader is read at a time while uploading. The
/// stream's default of 4 KiB meant one read (for a file, one trip through
/// tokio's blocking pool) per 4 KiB sent; 64 KiB cuts those sixteenfold and
/// still keeps memory flat.
const READ_CHUNK: usize = 64 * 1024;

use crate::error::{Error, InvalidInput};

/// Content type of a part whose type is neither set nor recognised.
const DEFAULT_MIME_TYPE: &str = "application/octet-stream";

/// A file to send as one part of a multipart body: its content, the file
/// name the server sees, and its content type.
///
/// Files from memory or from a path can be sent again when a request is
/// retried; a file from a reader can be read only once, so a request carrying
/// one is never retried.
pub struct FilePart {
    file_name: String,
    mime_type: Option<String>,
    source: Source,
}

/// Where the content comes from.
enum Source {
    Bytes(Bytes),
    /// Opened when the request is sent, and again for each retry.
    Path(PathBuf),
    /// Taken by the first attempt. The mutex is never contended (the part
    /// is only reached through `&mut`); it is there so that `FilePart` is
    /// `Sync` without asking the reader to be.
    Reader(Mutex<Option<Pin<Box<dyn AsyncRead + Send>>>>),
}

impl FilePart {
    /// A file whose content is in memory.
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FilePart {
            file_name: file_name.into(),
            mime_type: None,
            source: Source::Bytes(bytes.into()),
        }
    }

    /// A file on disk, named after the last component of `path`.
    ///
    /// Nothing is read here: the file is opened when the request is sent and
    /// streamed, never held in memory, with its length taken from its
    /// metadata. A missing or unreadable file makes the request fail with
    /// [`Error::Io`].
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        FilePart {
            file_name,
            mime_type: None,
            source: Source::Path(path),
        }
    }

    /// A file streamed from `reader`, of unknown length. It can be read only
    /// once, so a request carrying it is never retried.
    pub fn from_reader(
        file_name: impl Into<String>,
        reader: impl AsyncRead + Send + 'static,
    ) -> Self {
        FilePart {
            file_name: file_name.into(),
            mime_type: None,
            source: Source::Reader(Mutex::new(Some(Box::pin(reader)))),
        }
    }

    /// Sets the content type of the part. Without it the type is
    /// `application/x-ipynb+json` for a name ending in `.ipynb` and
    /// `application/octet-stream` otherwise. A type that does not parse makes
    /// the request fail with [`Error::InvalidInput`].
    pub fn mime_type(mut self, mime_type: &str) -> Self {
        self.mime_type = Some(mime_type.to_owned());
        self
    }

    /// Sets the file name the server sees (for a file from a path, instead
    /// of the path's last component).
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = file_name.into();
        self
    }

    /// Whether the part can be built again for a retry.
    pub(crate) fn is_rebuildable(&self) -> bool {
        !matches!(self.source, Source::Reader(_))
    }

    /// The multipart part for one attempt.
    pub(crate) async fn build_part(&mut self) -> Result<Part, Error> {
        if self.file_name.is_empty() {
            return Err(InvalidInput::new("file name", "is empty").into());
        }
        let part = match &mut self.source {
            // Cloning `Bytes` shares the buffer instead of copying it.
            Source::Bytes(bytes) => {
                let length = bytes.len() as u64;
                Part::stream_with_length(bytes.clone(), length)
            }
            Source::Path(path) => {
                let with_path = |error: std::io::Error| {
                    std::io::Error::new(
                        error.kind(),
                        format!("cannot read upload file {}: {error}", path.display()),
                    )
                };
                let file = tokio::fs::File::open(&*path).await.map_err(with_path)?;
                let length = file.metadata().await.map_err(with_path)?.len();
                let body =
                    reqwest::Body::wrap_stream(ReaderStream::with_capacity(file, READ_CHUNK));
                Part::stream_with_length(body, length)
            }
            Source::Reader(reader) => {
                let reader = reader
                    .get_mut()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take()
                    .ok_or_else(|| {
                        InvalidInput::new("file part", "a reader can be sent only once")
                    })?;
                Part::stream(reqwest::Body::wrap_stream(ReaderStream::with_capacity(
                    reader, READ_CHUNK,
                )))
            }
        };
        let mime_type = self
            .mime_type
            .as_deref()
            .unwrap_or_else(|| default_mime_type(&self.file_name));
        part.file_name(self.file_name.clone())
            .mime_str(mime_type)
            .map_err(|_| InvalidInput::new("mime type", format!("`{mime_type}` does not parse")))
            .map_err(Error::from)
    }
}

/// The content type of a file named `file_name` when none was set.
fn default_mime_type(file_name: &str) -> &'static str {
    let is_notebook = file_name
        .rsplit_once('.')
        .is_some_and(|(_, extension)| extension.eq_ignore_ascii_case("ipynb"));
    if is_notebook {
        "application/x-ipynb+json"
    } else {
        DEFAULT_MIME_TYPE
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The content is summarised, never dumped: it may be large or private.
        let source = match &self.source {
            Source::Bytes(bytes) => format!("{} bytes in memory", bytes.len()),
            Source::Path(path) => format!("file {}", path.display()),
            Source::Reader(_) => "reader".to_owned(),
        };
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("mime_type", &self.mime_type)
            .field("source", &source)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use reqwest::Method;

    use super::*;
    use crate::client::{ClientBuilder, RetryPolicy};
    use crate::request::ApiRequest;
    use crate::request::test_server::{Reply, TEST_OPERATION, TestServer, response};

    /// A file in the temporary directory, removed when dropped.
    struct TempFile(PathBuf);

    impl TempFile {
        fn new(name: &str, content: &[u8]) -> TempFile {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "generated-client-upload-{}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(name);
            std::fs::write(&path, content).unwrap();
            TempFile(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            if let Some(dir) = self.0.parent() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }

    fn ok_json() -> Reply {
        Reply::Respond(response(
            "200 OK",
            &[("Content-Type", "application/json")],
            b"{\"ok\":true}",
        ))
    }

    fn upload_request(part: FilePart) -> ApiRequest {
        let mut request = ApiRequest::new(
            Method::POST,
            TEST_OPERATION,
            &["notebooks", "nb1", "upload"],
        );
        request.multipart_part("jupyterFile", part);
        request
    }

    fn client(server: &TestServer, retry: RetryPolicy) -> crate::Client {
        ClientBuilder::new("upload-token", "http://invalid.test")
            .base_url(&server.base_url)
            .retry(retry)
            .build()
            .unwrap()
    }

    fn quick_retry() -> RetryPolicy {
        RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(1))
    }

    /// The multipart body of a part, as text, for the assertions.
    fn expected_part(name: &str, file_name: &str, mime: &str, content: &str) -> String {
        format!(
            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
             Content-Type: {mime}\r\n\r\n{content}\r\n"
        )
    }

    #[tokio::test]
    async fn from_path_streams_the_file_with_a_known_length() {
        let content = format!("{{\"cells\": [{}]}}", "1,".repeat(50_000) + "1");
        let file = TempFile::new("analysis.ipynb", content.as_bytes());
        let server = TestServer::start(|_, _| ok_json()).await;
        let client = client(&server, RetryPolicy::none());

        let value: serde_json::Value = client
            .send(upload_request(FilePart::from_path(&file.0)))
            .await
            .unwrap();
        assert_eq!(value["ok"], true);

        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        let received = &requests[0];
        assert_eq!(received.request_line, "POST /notebooks/nb1/upload HTTP/1.1");
        let content_type = received.header("content-type").unwrap();
        assert!(content_type.starts_with("multipart/form-data; boundary="));
        // A known length means the whole form has one: no chunked encoding.
        let length: usize = received.header("content-length").unwrap().parse().unwrap();
        assert_eq!(length, received.body.len());
        assert!(received.header("transfer-encoding").is_none());
        let body = String::from_utf8(received.body.clone()).unwrap();
        assert!(body.contains(&expected_part(
            "jupyterFile",
            "analysis.ipynb",
            "application/x-ipynb+json",
            &content
        )));
    }

    #[tokio::test]
    async fn from_path_is_reopened_for_a_retry() {
        let file = TempFile::new("data.bin", b"\x00\x01binary\xff");
        let server = TestServer::start(|index, _| {
            if index == 0 {
                Reply::Respond(response(
                    "429 Too Many Requests",
                    &[("Retry-After", "0")],
                    b"",
                ))
            } else {
                ok_json()
            }
        })
        .await;
        let client = client(&server, quick_retry());
        // A PUT, which is retried after a 429; a POST upload is retried the
        // same way when its connection fails before anything is sent.
        let mut request =
            ApiRequest::new(Method::PUT, TEST_OPERATION, &["notebooks", "nb1", "upload"]);
        request.multipart_part(
            "jupyterFile",
            FilePart::from_path(&file.0).mime_type("application/zip"),
        );

        let _: serde_json::Value = client.send(request).await.unwrap();

        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        for received in &requests {
            let needle = b"Content-Type: application/zip\r\n\r\n\x00\x01binary\xff\r\n";
            assert!(
                received.body.windows(needle.len()).any(|w| w == needle),
                "{:?}",
                String::from_utf8_lossy(&received.body)
            );
            assert!(String::from_utf8_lossy(&received.body).contains("filename=\"data.bin\""));
        }
    }

    #[tokio::test]
    async fn from_reader_is_sent_once_and_never_retried() {
        let server = TestServer::start(|_, _| {
            Reply::Respond(response(
                "429 Too Many Requests",
                &[("Retry-After", "0")],
                b"",
            ))
        })
        .await;
        let client = client(&server, quick_retry());
        let reader: &'static [u8] = b"streamed content";

        let error = client
            .send::<serde_json::Value>(upload_request(FilePart::from_reader("notes.txt", reader)))
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(reqwest::StatusCode::TOO_MANY_REQUESTS));
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        let body = String::from_utf8(requests[0].body.clone()).unwrap();
        assert!(body.contains(&expected_part(
            "jupyterFile",
            "notes.txt",
            "application/octet-stream",
            "streamed content"
        )));
    }

    #[tokio::test]
    async fn bytes_and_text_parts() {
        let server = TestServer::start(|_, _| ok_json()).await;
        let client = client(&server, RetryPolicy::none());
        let mut request = upload_request(FilePart::from_bytes("a.ipynb", b"{}".to_vec()));
        request.multipart_text("comment", "hello");

        let _: serde_json::Value = client.send(request).await.unwrap();
        let body = String::from_utf8(server.requests()[0].body.clone()).unwrap();
        assert!(body.contains(&expected_part(
            "jupyterFile",
            "a.ipynb",
            "application/x-ipynb+json",
            "{}"
        )));
        assert!(body.contains("Content-Disposition: form-data; name=\"comment\"\r\n\r\nhello\r\n"));
    }

    #[tokio::test]
    async fn missing_file_and_bad_mime_type_fail_before_sending() {
        let server = TestServer::start(|_, _| ok_json()).await;
        let client = client(&server, RetryPolicy::none());
        let missing = std::env::temp_dir().join("generated-client-no-such-dir/none.ipynb");

        let error = client
            .clone()
            .send::<serde_json::Value>(upload_request(FilePart::from_path(&missing)))
            .await
            .unwrap_err();
        assert!(matches!(&error, Error::Io(io) if io.kind() == std::io::ErrorKind::NotFound));
        assert_eq!(error.to_string(), "cannot read the file to upload");
        let source = std::error::Error::source(&error).map(ToString::to_string);
        assert!(source.unwrap_or_default().contains("none.ipynb"));

        let error = client
            .send::<serde_json::Value>(upload_request(
                FilePart::from_bytes("a", Vec::new()).mime_type("not a mime"),
            ))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
        assert!(server.requests().is_empty());
    }

    #[test]
    fn debug_does_not_dump_content() {
        let part = FilePart::from_bytes("secret.bin", b"very private bytes".to_vec());
        let text = format!("{part:?}");
        assert!(!text.contains("private"), "{text}");
        assert!(text.contains("18 bytes in memory"));
        assert_eq!(default_mime_type("X.IPYNB"), "application/x-ipynb+json");
        assert_eq!(default_mime_type("ipynb"), "application/octet-stream");
        assert_eq!(FilePart::from_path("dir/nb.ipynb").file_name, "nb.ipynb");
    }
}
