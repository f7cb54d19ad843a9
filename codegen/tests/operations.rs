//! Operations beyond one token and one body, on the wire: actions called
//! without a token, several 2xx statuses with different bodies, objects
//! and arrays in the query, and typed multipart fields. The fixture spec
//! (`tests/fixtures/operations`) generates a client whose tests talk HTTP
//! to the client's own recording test server; one build runs them all.

mod support;

use std::path::Path;

const WIRE_TESTS: &str = r#####"
mod support;

use generated_client::thing::{ThingDuplicateResponse, ThingSsoDomainResponse};
use generated_client::{Client, Error, FilePart, RetryPolicy, types};
use support::{Reply, TestServer};

fn anonymous(server: &TestServer) -> Client {
    Client::builder_without_token()
        .base_url(server.url())
        .retry(RetryPolicy::none())
        .build()
        .expect("client without a token")
}

fn credentials() -> types::Credentials {
    types::Credentials { email: "a@b.test".into(), password: "pw".into() }
}

#[tokio::test]
async fn an_action_without_a_token_sends_no_authorization_header() {
    let server = TestServer::start(vec![
        Reply::json(200, r#"{"token":"t1"}"#),
        Reply::json(200, r#"{"token":"t2"}"#),
    ])
    .await;
    let client = anonymous(&server);
    assert!(!client.has_token());
    let session = client.thing().sign_in(credentials()).await.expect("signs in");
    assert_eq!(session.token, "t1");
    // A client with a token does not send it either.
    let session = support::client(&server).thing().sign_in(credentials()).await.expect("signs in");
    assert_eq!(session.token, "t2");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.header("authorization"), None, "{request:?}");
        assert_eq!(request.path, "/auth/user");
        assert_eq!(request.json(), serde_json::json!({"email": "a@b.test", "password": "pw"}));
    }
}

#[tokio::test]
async fn an_action_that_needs_a_token_fails_before_sending_on_a_client_without_one() {
    let server = TestServer::start(vec![]).await;
    let client = anonymous(&server);
    match client.thing().duplicate().await {
        Err(Error::InvalidInput(invalid)) => {
            assert_eq!(invalid.field, "token");
            assert!(invalid.reason.contains("without a token"), "{invalid}");
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert!(server.requests().is_empty());
    // With a token, the same action sends it.
    server.push_reply(Reply::json(200, r#"{"id":"c"}"#));
    support::client(&server).thing().duplicate().await.expect("duplicates");
    assert_eq!(server.single_request().header("authorization"), Some("Bearer test-token"));
}

#[tokio::test]
async fn each_2xx_status_decodes_its_own_body() {
    let server = TestServer::start(vec![
        Reply::json(200, r#"{"id":"a"}"#),
        Reply::json(201, r#"{"id":"b"}"#),
        Reply::json(202, r#"{"jobId":"j"}"#),
        Reply::json(207, r#"{"copied":3}"#),
        Reply::json(202, r#"{"id":"a"}"#),
        Reply::json(203, r#"{"id":"x"}"#),
    ])
    .await;
    let client = support::client(&server);
    let copy = |id: &str| types::Copy { id: id.into() };
    let answers = [
        ThingDuplicateResponse::Ok(copy("a")),
        ThingDuplicateResponse::Created(copy("b")),
        ThingDuplicateResponse::Accepted(types::CopyJob { job_id: "j".into() }),
        ThingDuplicateResponse::Status207(types::Partial { copied: 3 }),
    ];
    for expected in answers {
        let status = expected.status();
        assert_eq!(client.thing().duplicate().await.expect("decodes"), expected, "{status}");
    }
    // A 202 body is read as the 202's type, never as the 200's.
    match client.thing().duplicate().await {
        Err(error @ Error::Decode { .. }) => assert_eq!(error.status().map(|s| s.as_u16()), Some(202)),
        other => panic!("expected a decoding error, got {other:?}"),
    }
    // A 2xx status the operation does not document is a typed error.
    match client.thing().duplicate().await {
        Err(error @ Error::Decode { .. }) => {
            assert_eq!(error.status().map(|s| s.as_u16()), Some(203));
            assert_eq!(error.body_snippet(), Some(r#"{"id":"x"}"#));
            assert!(error.to_string().contains("203"), "{error}");
        }
        other => panic!("expected a decoding error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_status_without_a_body_is_a_variant_without_data() {
    let server = TestServer::start(vec![
        Reply::json(200, r#"{"domain":"example.test"}"#),
        Reply::new(204, "application/json", ""),
    ])
    .await;
    let client = anonymous(&server);
    match client.thing().sso_domain().await.expect("decodes") {
        ThingSsoDomainResponse::Ok(domain) => assert_eq!(domain.domain.as_deref(), Some("example.test")),
        other => panic!("expected Ok, got {other:?}"),
    }
    assert_eq!(client.thing().sso_domain().await.expect("decodes"), ThingSsoDomainResponse::NoContent);
}

#[tokio::test]
async fn objects_and_arrays_in_the_query_are_sent_as_qs_writes_them() {
    let server = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let filter = types::Filter {
        and: Some(vec![types::Condition {
            name: Some(types::ConditionName { eq: Some("x y".into()) }),
            weight: Some(2.0),
        }]),
        active: Some(true),
        label: None,
    };
    support::client(&server)
        .thing()
        .search(types::ThingRequiredParam { kind: Some("a&b".into()) })
        .keywords(vec!["gps".into(), "aws".into()])
        .label("a b")
        .query(filter)
        .await
        .expect("searches");
    let request = server.single_request();
    assert_eq!(
        request.query.as_deref(),
        Some(concat!(
            "required%5Bkind%5D=a%26b",
            "&keywords%5B0%5D=gps&keywords%5B1%5D=aws",
            "&label=a+b",
            "&query%5B%24and%5D%5B0%5D%5Bname%5D%5B%24eq%5D=x%20y&query%5B%24and%5D%5B0%5D%5Bweight%5D=2",
            "&query%5Bactive%5D=true",
        ))
    );
}

#[tokio::test]
async fn query_objects_and_arrays_are_checked_before_sending() {
    let server = TestServer::start(vec![]).await;
    let client = support::client(&server);
    let required = || types::ThingRequiredParam::default();
    let words = vec!["a".to_owned(), "b".to_owned(), "c".to_owned(), "d".to_owned()];
    match client.thing().search(required()).keywords(words).await {
        Err(Error::InvalidInput(invalid)) => assert_eq!(invalid.field, "keywords"),
        other => panic!("expected invalid input, got {other:?}"),
    }
    let filter = types::Filter { label: Some("too long a label".into()), ..Default::default() };
    match client.thing().search(required()).query(filter).await {
        Err(Error::InvalidInput(invalid)) => assert!(invalid.field.contains("label"), "{invalid}"),
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn typed_multipart_fields_are_sent_as_text_and_json() {
    let server = TestServer::start(vec![Reply::json(201, r#"{"id":"i"}"#)]).await;
    let options = types::ImportOptions { overwrite: Some(true), prefix: Some("ab".into()) };
    support::client(&server)
        .thing()
        .import(FilePart::from_bytes("a.zip", b"PK".to_vec()), options)
        .mode(types::Mode::Private)
        .tags(vec!["x".into(), "y z".into()])
        .note("free text")
        .name("n")
        .await
        .expect("imports");
    let parts = server.single_request().multipart();
    let fields: Vec<(&str, &[u8])> = parts.iter().map(|p| (p.name.as_str(), p.data.as_slice())).collect();
    assert_eq!(
        fields,
        [
            ("file", &b"PK"[..]),
            ("options", br#"{"overwrite":true,"prefix":"ab"}"#),
            ("mode", b"private"),
            ("name", b"n"),
            ("note", b"free text"),
            ("tags", br#"["x","y z"]"#),
        ]
    );
    assert_eq!(parts[0].file_name.as_deref(), Some("a.zip"));
    assert!(parts[1..].iter().all(|p| p.file_name.is_none()));
}

#[tokio::test]
async fn typed_multipart_fields_are_checked_before_sending() {
    let server = TestServer::start(vec![]).await;
    let client = support::client(&server);
    let file = || FilePart::from_bytes("a.zip", b"PK".to_vec());
    let options = types::ImportOptions { prefix: Some("longer".into()), ..Default::default() };
    match client.thing().import(file(), options).await {
        Err(Error::InvalidInput(invalid)) => assert!(invalid.field.contains("prefix"), "{invalid}"),
        other => panic!("expected invalid input, got {other:?}"),
    }
    match client.thing().import(file(), types::ImportOptions::default()).name("too long").await {
        Err(Error::InvalidInput(invalid)) => assert_eq!(invalid.field, "name"),
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn the_mock_answers_each_variant_with_its_status_and_body() {
    use generated_client::mock::MockServer;
    let server = MockServer::start().await;
    let client = server.client();
    let answers = [
        ThingDuplicateResponse::Created(types::Copy { id: "b".into() }),
        ThingDuplicateResponse::Accepted(types::CopyJob { job_id: "j".into() }),
    ];
    for answer in answers {
        let mock = server.thing().duplicate().respond(&answer).await;
        assert_eq!(client.thing().duplicate().await.expect("decodes"), answer);
        assert_eq!(mock.calls().await, 1);
    }
    let _mock = server.thing().sso_domain().respond(&ThingSsoDomainResponse::NoContent).await;
    assert_eq!(client.thing().sso_domain().await.expect("decodes"), ThingSsoDomainResponse::NoContent);
}
"#####;

#[test]
fn operations_without_tokens_with_statuses_structured_queries_and_typed_parts_work_on_the_wire() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operations");
    let spec = support::read_spec(&dir);
    if let Err(output) =
        support::build_and_test_on_the_wire("operations", &spec, &[("operations.rs", WIRE_TESTS)])
    {
        panic!("the operations client does not build or pass its tests:\n{output}");
    }
}
