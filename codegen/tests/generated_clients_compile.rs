//! Specs other than the real one generate clients that compile without
//! warnings and work: every supported keyword and shape (the coverage
//! fixture), and the real spec with one more resource dropped in.

mod support;

use codegen::SourceFile;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Round-trips sample JSON through the coverage fixture's types and checks
/// the awkward names and shapes came out as intended.
const COVERAGE_TESTS: &str = r#####"
use generated_client::types::*;
use serde_json::{json, Value};

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: Value) -> T {
    let typed: T = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&typed).expect("encodes"), value);
    typed
}

#[test]
fn awkward_names_round_trip() {
    let awkward: Awkward = round_trip(json!({
        "type": "t", "ref": "r", "self": "s", "$date": "d", "fooBar": "a", "foo_bar": "b",
        "2fa": true, "free": {"any": [1, "x", null]}, "tags": ["ab", "cd"],
        "quantities": [3, "2.5", {"value": 1.5, "unit": "kg"}],
        "nested": {"deeper": {"level": "LOW"}}
    }));
    assert_eq!(awkward.type_.as_deref(), Some("t"));
    assert_eq!(awkward.ref_.as_deref(), Some("r"));
    assert_eq!(awkward.self_.as_deref(), Some("s"));
    assert_eq!(awkward.date.as_deref(), Some("d"));
    assert_eq!(awkward.foo_bar.as_deref(), Some("a"));
    assert_eq!(awkward.foo_bar2.as_deref(), Some("b"));
    assert_eq!(awkward.n2fa, Some(true));
    assert!(matches!(awkward.quantities.as_deref(), Some([Quantity::Integer(3), Quantity::String(_), Quantity::Measure(_)])));
    let level = awkward.nested.and_then(|n| n.deeper).and_then(|d| d.level);
    assert_eq!(level, Some(Level::LowUpper));
}

#[test]
fn a_waiter_watching_the_response_marks_its_terminal_values() {
    assert!(Level::High.is_terminal());
    assert!(Level::Self_.is_terminal());
    assert!(!Level::Low.is_terminal());
    assert!(!Level::Unknown("later".to_owned()).is_terminal());
    // The waiter is a spawnable future of the response type.
    fn spawnable<T: Send + 'static>(_: &T) {}
    let client = generated_client::Client::new("token").expect("client");
    let widget: WidgetId = "my-widget".parse().expect("widget ID");
    let waiter = client
        .gadget()
        .until_settled(&widget, 1, "basic")
        .interval(std::time::Duration::from_millis(1));
    let future = waiter.send();
    spawnable(&future);
    let _: &generated_client::ResponseFuture<Awkward> = &future;
}

#[test]
fn unions_maps_merges_and_recursion_round_trip() {
    let shapes: Vec<Shape> = round_trip(json!([{"kind": "circle", "radius": 2.5}, {"kind": "square", "side": 1.5}]));
    assert!(matches!(shapes[0], Shape::Circle(_)));
    assert!(matches!(shapes[1], Shape::Square(_)));
    // A kind sent on its own carries its tag, first.
    let square = Square::new(1.5);
    assert_eq!(serde_json::to_string(&square).expect("encodes"), r#"{"kind":"square","side":1.5}"#);
    let unknown: Shape = serde_json::from_value(json!({"kind": "hexagon"})).expect("unknown kind is kept");
    assert!(matches!(unknown, Shape::Unknown(_)));

    let labelled: Labelled = round_trip(json!({"value": 2.5, "unit": "m", "label": "x", "color": "green"}));
    assert_eq!(labelled.unit, MeasureUnit::M);
    assert_eq!(labelled.color, Some(LabelledColor::Green));

    let counts: Counts = round_trip(json!({"a": 1, "b": 2}));
    assert_eq!(counts.get("b"), Some(&2));
    let attachments: Attachments = round_trip(json!({"home": {"email": "a@b.test"}}));
    assert_eq!(attachments["home"].email, "a@b.test");

    let tree: TreeNode = round_trip(json!({"name": "root", "children": [{"name": "leaf"}], "parent": {"name": "up"}}));
    assert_eq!(tree.children.as_ref().map(Vec::len), Some(1));
    assert_eq!(tree.parent.map(|p| p.name), Some("up".to_owned()));

    let expr: Expr = round_trip(json!({"left": 1.5, "right": {"left": 2.5, "right": 3.5}}));
    assert!(matches!(expr, Expr::Pair(_)));

    let scalars: Vec<Scalar> = round_trip(json!(["s", 1.5, true]));
    assert_eq!(scalars.len(), 3);
    // A null in a nullable optional field decodes as absent.
    let contact: Contact = serde_json::from_value(json!({"email": "a@b.test", "seen": "2024-01-02T03:04:05Z", "nickname": null}))
        .expect("null decodes");
    assert!(contact.seen.is_some());
    assert!(contact.nickname.is_none());
    let level: Level = serde_json::from_value(json!("")).expect("empty enum value");
    assert_eq!(level, Level::Empty);
    assert_eq!(serde_json::from_value::<Level>(json!("2x")).ok(), Some(Level::V2x));
    assert_eq!(serde_json::from_value::<Level>(json!("self")).ok(), Some(Level::Self_));
}

#[test]
fn unix_times_decode_leniently_and_always_sent_fields_are_required() {
    let reading: Reading =
        serde_json::from_value(json!({"at": 1465790400000.7, "until": null, "value": 1.5})).expect("decodes");
    assert_eq!(reading.at, generated_client::Timestamp::from_millis(1465790400000));
    assert!(reading.until.is_none());
    let value: f64 = reading.value;
    assert_eq!(value, 1.5);
    assert_eq!(serde_json::to_value(&reading).expect("encodes"), json!({"at": 1465790400000i64, "value": 1.5}));
    let reading: Reading = round_trip(json!({"at": -1, "until": 0, "value": 2.5, "note": "n"}));
    assert_eq!(reading.until, Some(generated_client::Timestamp::from_millis(0)));
    assert!(serde_json::from_value::<Reading>(json!({"at": 0})).is_err(), "value is always sent");
    assert!(serde_json::from_value::<Reading>(json!({"at": "yesterday", "value": 1})).is_err());
    let client = generated_client::Client::new("token").expect("client");
    let widget = WidgetId::new("w").expect("id");
    drop(client.gadget().list(&widget).since(std::time::SystemTime::now()));
    drop(client.gadget().list(&widget).since(chrono::Utc::now()));
}

#[test]
fn named_strings_are_checked_on_construction() {
    assert!(WidgetId::new("gadget-1").is_ok());
    let error = WidgetId::new("-leading-dash").expect_err("look-ahead rejects it");
    assert_eq!(error.field, "WidgetId");
    assert!("".parse::<Slug>().is_err());
}

#[tokio::test]
async fn global_parameters_and_integer_enums_are_checked_before_sending() {
    use generated_client::GlobalParameters;
    // Nothing listens on port 9: see below.
    let client = generated_client::Client::builder("token")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client");
    let widget = WidgetId::new("w").expect("id");
    let body = Labelled::new(1.5, MeasureUnit::M);
    match client.gadget().replace(&widget, body).x_trace("t".repeat(65)).await {
        Err(generated_client::Error::InvalidInput(e)) => assert_eq!(e.field, "X-Trace"),
        other => panic!("expected invalid input, got {other:?}"),
    }
    match client.gadget().get(&widget, 1, "basic").size(3).await {
        Err(generated_client::Error::InvalidInput(e)) => {
            assert_eq!(e.field, "size");
            assert!(e.reason.contains("one of 1, 2, 5"), "{e}");
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[tokio::test]
async fn an_optional_body_is_a_checked_setter() {
    // Nothing listens on port 9: a request that is sent fails to connect.
    let client = generated_client::Client::builder("token")
        .base_url("http://127.0.0.1:9")
        .retry(generated_client::RetryPolicy::none())
        .build()
        .expect("client");
    let widget = WidgetId::new("w").expect("id");
    match client.gadget().touch(&widget).await {
        Err(generated_client::Error::Transport(_)) => {}
        other => panic!("expected the request to be sent, got {other:?}"),
    }
    let body = Labelled::new(5e6, MeasureUnit::M);
    match client.gadget().touch(&widget).body(body).await {
        Err(generated_client::Error::InvalidInput(e)) => assert_eq!(e.field, "value"),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_bodies_are_rejected_before_sending() {
    // Nothing listens on port 9: a request that were sent would fail with a
    // transport error, not an invalid-input one.
    let client = generated_client::Client::builder("token")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client");
    let widget = WidgetId::new("w").expect("id");
    let mut body = Labelled::new(5e6, MeasureUnit::M);
    body.label = Some("x".into());
    match client.gadget().replace(&widget, body).await {
        Err(generated_client::Error::InvalidInput(e)) => {
            assert_eq!(e.field, "value");
            assert!(e.reason.contains("at most"), "{e}");
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
}

/// A local server of server-sent event streams: each connection gets the
/// next script (`None`: the connection is closed without an answer), whose
/// parts are written one at a time, then the connection is closed. The
/// request heads are kept.
struct SseServer {
    base_url: String,
    heads: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl SseServer {
    async fn start(scripts: Vec<Vec<&'static str>>) -> SseServer {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = heads.clone();
        tokio::spawn(async move {
            for script in scripts {
                let Ok((mut stream, _)) = listener.accept().await else { return };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if stream.read(&mut byte).await.unwrap_or(0) == 0 { break; }
                    head.push(byte[0]);
                }
                log.lock().expect("log").push(String::from_utf8_lossy(&head).to_lowercase());
                for part in script {
                    if stream.write_all(part.as_bytes()).await.is_err() { break; }
                    let _ = stream.flush().await;
                    // Let the client read each part on its own.
                    tokio::task::yield_now().await;
                }
                let _ = stream.shutdown().await;
            }
        });
        SseServer { base_url, heads }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().expect("log").clone()
    }

    fn client(&self) -> generated_client::Client {
        generated_client::Client::builder("stream-token")
            .base_url(&self.base_url)
            .retry(generated_client::RetryPolicy::none())
            .build()
            .expect("client")
    }
}

/// The head of a stream's answer: the body lasts until the connection closes.
const SSE_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";

#[tokio::test]
async fn a_stream_yields_typed_events_in_order_and_ends_when_the_server_closes() {
    use futures_util::TryStreamExt;
    use generated_client::gadget::GadgetWatchEvent;
    let server = SseServer::start(vec![vec![
        SSE_HEAD,
        ": keep-alive\n\n",
        "event: reading\nid: 1\ndata: {\"at\": 1465790400000, \"value\": 1.5}\n\n",
        "data: {\"text\": \"no name\"}\n\n",
        "event: unknown\ndata: 7\n\n",
        "event: reading\ndata: {\"at\": \"yesterday\"}\n\n",
        "id: 2\n\n",
        "event: brandNew\nda",
        "ta: {\"x\": 1}\n\n",
        ":\n",
    ]])
    .await;
    let client = server.client();
    let widget = WidgetId::new("w").expect("id");
    let mut events = client.gadget().watch(&widget).keep_alive_interval(5).await.expect("stream opens");
    match events.try_next().await.expect("first event") {
        Some(GadgetWatchEvent::Reading(reading)) => {
            assert_eq!(reading.at, generated_client::Timestamp::from_millis(1465790400000));
            assert_eq!(reading.value, 1.5);
        }
        other => panic!("expected a reading, got {other:?}"),
    }
    assert_eq!(events.last_event_id(), Some("1"));
    match events.try_next().await.expect("second event") {
        Some(GadgetWatchEvent::Message(message)) => assert_eq!(message.text, "no name"),
        other => panic!("expected a message, got {other:?}"),
    }
    assert_eq!(events.try_next().await.expect("third event"), Some(GadgetWatchEvent::Unknown2(7)));
    // Data that is not the event's type is an error item; the stream goes on.
    match events.try_next().await {
        Err(generated_client::Error::EventDecode { event, snippet, .. }) => {
            assert_eq!(event, "reading");
            assert_eq!(snippet, "{\"at\": \"yesterday\"}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    // An event the spec does not list, split across two writes.
    assert_eq!(
        events.try_next().await.expect("unknown event"),
        Some(GadgetWatchEvent::Unknown { event: "brandNew".into(), data: "{\"x\": 1}".into() })
    );
    assert_eq!(events.last_event_id(), Some("2"));
    assert_eq!(events.try_next().await.expect("clean end"), None);
    let heads = server.heads();
    assert_eq!(heads.len(), 1);
    assert!(heads[0].starts_with("get /widgets/w/readings?keepaliveinterval=5 "), "{}", heads[0]);
    assert!(heads[0].contains("accept: text/event-stream\r\n"), "{}", heads[0]);
    assert!(heads[0].contains("authorization: bearer stream-token\r\n"), "{}", heads[0]);
    assert!(!heads[0].contains("last-event-id"), "{}", heads[0]);
}

#[tokio::test]
async fn a_stream_reconnects_with_the_last_event_id_after_the_servers_delay() {
    use futures_util::TryStreamExt;
    use generated_client::gadget::GadgetWatchEvent;
    let server = SseServer::start(vec![
        vec![SSE_HEAD, "retry: 1\nid: 41\nevent: unknown\ndata: 1\n\n"],
        vec![SSE_HEAD, "id: 42\nevent: unknown\ndata: 2\n\n"],
        vec!["HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"type\":\"NotFound\",\"message\":\"Widget was gone\"}"],
    ])
    .await;
    let client = server.client();
    let widget = WidgetId::new("w").expect("id");
    // The default delay is an hour: only the server's `retry: 1` lets the
    // stream reconnect within the guard below.
    let policy = generated_client::Reconnect::max_attempts(1).default_delay(std::time::Duration::from_secs(3600));
    let read = async {
        let mut events = client.gadget().watch(&widget).reconnect(policy).await.expect("stream opens");
        assert_eq!(events.try_next().await.expect("first"), Some(GadgetWatchEvent::Unknown2(1)));
        assert_eq!(events.try_next().await.expect("after reconnecting"), Some(GadgetWatchEvent::Unknown2(2)));
        assert_eq!(events.retry(), Some(std::time::Duration::from_millis(1)));
        let error = events.try_next().await.expect_err("the third connection is refused");
        assert_eq!(error.status(), Some(generated_client::StatusCode::NOT_FOUND));
        assert!(error.body_snippet().is_some_and(|body| body.contains("Widget was gone")), "{error:?}");
        assert_eq!(events.try_next().await.expect("the end"), None);
    };
    tokio::time::timeout(std::time::Duration::from_secs(60), read).await.expect("the stream used the server's delay");
    let heads = server.heads();
    assert_eq!(heads.len(), 3);
    assert!(!heads[0].contains("last-event-id"), "{}", heads[0]);
    assert!(heads[1].contains("last-event-id: 41\r\n"), "{}", heads[1]);
    assert!(heads[2].contains("last-event-id: 42\r\n"), "{}", heads[2]);
    for head in &heads {
        assert!(head.contains("authorization: bearer stream-token\r\n"), "{head}");
    }
}

#[tokio::test]
async fn a_stream_refused_at_once_is_an_api_error_and_streams_are_spawnable() {
    let server = SseServer::start(vec![vec![
        "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"type\":\"Unauthorized\",\"message\":\"No token\"}",
    ]])
    .await;
    let client = server.client();
    let widget = WidgetId::new("w").expect("id");
    fn spawnable<T: Send + 'static>(_: &T) {}
    let future = client.gadget().watch(&widget).last_event_id("9").send();
    spawnable(&future);
    match tokio::spawn(future).await.expect("task") {
        Err(error) => {
            assert_eq!(error.status(), Some(generated_client::StatusCode::UNAUTHORIZED));
            assert_eq!(error.body_snippet(), Some("{\"type\":\"Unauthorized\",\"message\":\"No token\"}"));
        }
        Ok(stream) => panic!("expected the stream to be refused, got {stream:?}"),
    }
    assert!(server.heads()[0].contains("last-event-id: 9\r\n"));
    fn stream_is_spawnable(stream: generated_client::EventStream<generated_client::gadget::GadgetWatchEvent>) {
        spawnable(&stream);
    }
    let _ = stream_is_spawnable;
}
"#####;

#[test]
fn every_supported_keyword_generates_a_working_client() {
    let spec = support::read_spec(&fixture("coverage"));
    match support::build_and_test("coverage", &spec, &[("coverage.rs", COVERAGE_TESTS)]) {
        Ok(_) => {}
        Err(output) => panic!("the coverage client does not build or pass its tests:\n{output}"),
    }
}

/// A resource written as a new user would, following api-spec/README.md.
const WIDGET_RESOURCE: &str = r#"
name: widget
description: A widget of an application.
path_components:
  APPLICATION_ID:
    description: ID associated with the application
    example: 575ec8687ae143cd83dc4a97
    schema: { $ref: ApplicationId }
operations:
  get:
    summary: Retrieves a widget
    method: GET
    path: /applications/{APPLICATION_ID}/widgets/{WIDGET_ID}
    scopes: [all.Application, widget.*, widget.get]
    path_components:
      WIDGET_ID:
        description: ID associated with the widget
        example: 575ed78e7ae143cd83dc4aab
        schema: { $ref: ObjectId }
    query:
      verbose: { description: Include details, schema: { type: boolean } }
    responses:
      200: { description: Widget information, schema: { $ref: Widget } }
      404: { description: Error if widget was not found, schema: { $ref: ApiErrorBody } }
"#;

const WIDGET_SCHEMAS: &str = r#"
Widget:
  description: A widget.
  type: object
  properties:
    id: { $ref: ObjectId }
    name: { type: string, minLength: 1, maxLength: 255 }
    kind: { type: string, enum: [gear, lever] }
"#;

const WIDGET_TESTS: &str = r##"
#[test]
fn the_new_resource_is_on_the_client() {
    let client = generated_client::Client::new("token").expect("client");
    let application_id = "575ec8687ae143cd83dc4a97".parse().expect("id");
    let widget_id = "575ed78e7ae143cd83dc4aab".parse().expect("id");
    let request = client.widget().get(&application_id, &widget_id).verbose(true);
    assert_eq!(generated_client::widget::WidgetGetRequest::SCOPES, ["all.Application", "widget.*", "widget.get"]);
    drop(request);
    let widget: generated_client::types::Widget =
        serde_json::from_str(r#"{"name": "w", "kind": "gear"}"#).expect("decodes");
    assert_eq!(widget.kind, Some(generated_client::types::WidgetKind::Gear));
}
"##;

#[test]
fn a_resource_added_by_yaml_alone_generates_a_working_client() {
    // The hand-written part of the real spec (the notebooks and the
    // schemas they use): the whole platform would only make the build
    // longer, not the test stronger.
    let hand_written = [
        "api.yaml",
        "resources/notebook.yaml",
        "resources/notebooks.yaml",
        "schemas/common.yaml",
        "schemas/notebook.yaml",
    ];
    let mut spec: Vec<SourceFile> = support::read_spec(&support::root().join("api-spec"))
        .into_iter()
        .filter(|f| hand_written.contains(&f.path.as_str()))
        .collect();
    assert_eq!(
        spec.len(),
        hand_written.len(),
        "the hand-written spec files"
    );
    spec.push(SourceFile {
        path: "resources/widget.yaml".into(),
        text: WIDGET_RESOURCE.into(),
    });
    spec.push(SourceFile {
        path: "schemas/widget.yaml".into(),
        text: WIDGET_SCHEMAS.into(),
    });
    // With the conformance tests the generator writes for every operation,
    // the widget's included: they run as they do in the real client.
    match support::build_and_test_every_action(
        "added-resource",
        &spec,
        &[("widget.rs", WIDGET_TESTS)],
    ) {
        Ok(_) => {}
        Err(output) => {
            panic!("the client with an added resource does not build or pass its tests:\n{output}")
        }
    }
}

/// Decodes, encodes and checks values of the vendor-idioms fixture's types
/// as their schemas say.
const VENDOR_IDIOM_TESTS: &str = r#####"
use generated_client::types::*;
use generated_client::validate::{FieldPath, Rules, Validate};
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: Value) -> T {
    let typed: T = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&typed).expect("encodes"), value);
    typed
}

fn check<T: Validate>(value: &T) -> Result<(), generated_client::InvalidInput> {
    value.validate(&FieldPath::Root(""), &Rules::NONE)
}

#[test]
fn required_alternatives_need_one_set_of_fields() {
    let contact: ContactPoint = round_trip(json!({"phone": "555-0100", "name": "n"}));
    assert!(check(&contact).is_ok());
    let error = check(&ContactPoint::default()).expect_err("neither email nor phone");
    assert!(error.reason.contains("at least one of: `email`; or `phone`"), "{error}");
    let both = ContactPoint { email: Some("a@b.test".into()), ..contact };
    assert!(check(&both).is_ok(), "anyOf: both is fine");

    let mut credential = Credential::new("ada");
    assert!(check(&credential).expect_err("none").reason.contains("exactly one of"));
    credential.password = Some("p".into());
    assert!(check(&credential).is_ok());
    credential.token = Some("t".into());
    assert!(check(&credential).is_ok(), "the token set lacks keyId, so one set is met");
    credential.key_id = Some("k".into());
    let error = check(&credential).expect_err("both sets");
    assert!(error.reason.contains("has 2"), "{error}");
    let decoded: Credential = round_trip(json!({"user": "ada", "token": "t", "keyId": "k"}));
    assert!(check(&decoded).is_ok());
}

#[tokio::test]
async fn a_body_missing_every_required_set_is_refused_before_sending() {
    // Nothing listens on port 9: a request that were sent would fail to connect.
    let client = generated_client::Client::builder("token")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client");
    match client.record().contact(ContactPoint::default()).await {
        Err(generated_client::Error::InvalidInput(e)) => assert!(e.reason.contains("at least one")),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[test]
fn extra_keys_sit_beside_the_declared_fields() {
    let tags: Tags = round_trip(json!({"name": "n", "extra": "declared", "k1": "v", "k_2": "w"}));
    assert_eq!(tags.extra.as_deref(), Some("declared"));
    assert_eq!(tags.extra2.get("k1").map(String::as_str), Some("v"));
    assert!(!tags.extra2.contains_key("name"));
    assert!(check(&tags).is_ok());
    let mut bad = tags.clone();
    bad.extra2.insert("not a key!".into(), "v".into());
    let error = check(&bad).expect_err("additionalProperties: false");
    assert_eq!(error.field, "not a key!");
    assert!(error.reason.contains("none of the allowed patterns"), "{error}");
    let mut long = tags.clone();
    long.extra2.insert("k3".into(), "far too long".into());
    assert!(check(&long).expect_err("maxLength").reason.contains("at most 8"));
    let mut declared = tags;
    declared.extra2.insert("name".into(), "twice".into());
    assert!(check(&declared).expect_err("a declared name").reason.contains("declared property"));

    let settings: Settings = round_trip(json!({"version": 2, "beta": true}));
    assert_eq!(settings.extra.get("beta"), Some(&true));
    assert!(serde_json::from_value::<Settings>(json!({"version": 2, "beta": "yes"})).is_err());

    let labels: Labels = round_trip(json!({"id": "l", "x-team": "core", "other": "free"}));
    assert_eq!(labels.extra.len(), 2);
    assert!(check(&labels).is_ok());
}

#[test]
fn keys_of_several_patterns_are_checked_as_their_pattern_says() {
    let mixed: Mixed = round_trip(json!({"n_count": 2.5, "s_name": "x"}));
    assert!(check(&mixed).is_ok());
    let mut wrong_type = mixed.clone();
    wrong_type.extra.insert("n_other".into(), json!("text"));
    let error = check(&wrong_type).expect_err("a string under a number pattern");
    assert_eq!(error.field, "n_other");
    let mut negative = mixed.clone();
    negative.extra.insert("n_other".into(), json!(-1));
    assert!(check(&negative).expect_err("minimum").reason.contains("at least 0"));
    let mut unmatched = mixed;
    unmatched.extra.insert("zz".into(), json!(1));
    assert!(check(&unmatched).is_err());
}

#[test]
fn type_lists_and_null_alternatives_are_untagged_enums() {
    let values: Vec<FieldValue> = round_trip(json!(["a", 2.5, {"amount": 1.5, "unit": "kg"}]));
    assert!(matches!(values[..], [FieldValue::String(_), FieldValue::Number(_), FieldValue::Object(_)]));
    // The null alternative makes the field an Option; `Record` is sent, so
    // the field also tells a key holding null from a key left out.
    let record: Record = serde_json::from_value(json!({"value": null, "values": [null, "b"]})).expect("null decodes");
    assert!(matches!(record.value, Some(None)));
    let empty: Record = serde_json::from_value(json!({})).expect("no keys decode");
    assert!(empty.value.is_none());
    let values: &[Option<FieldValue>] = record.values.as_deref().unwrap_or_default();
    assert_eq!(values, [None, Some(FieldValue::String("b".into()))]);

    let primitives: Vec<Primitive> = round_trip(json!(["s", 1.5, true]));
    assert!(matches!(primitives[2], Primitive::Boolean(true)));
    assert!(check(&Primitive::from("toolong".to_owned())).is_err(), "maxLength applies to the string");
    assert!(check(&Primitive::from(12345.0)).is_ok(), "and not to the number");

    let maybe: Vec<Option<MaybeText>> = round_trip(json!(["abc", 3, null]));
    assert_eq!(maybe[1], Some(MaybeText::Integer(3)));
    assert!(check(&MaybeText::Integer(-1)).is_err(), "the alternative's minimum");
    assert!(check(&MaybeText::from("abcde".to_owned())).is_err(), "the alternative's maxLength");
}

#[test]
fn enums_of_several_types_and_with_null() {
    let codes: Vec<MixedEnum> = round_trip(json!([1, "a"]));
    assert_eq!(codes[0], MixedEnum::Integer(1));
    assert_eq!(codes[1], MixedEnum::String(MixedEnumString::A));
    assert!(check(&MixedEnum::Integer(2)).is_err(), "2 is not in the enum");
    let record: Record = serde_json::from_value(json!({"color": null})).expect("null decodes");
    assert!(record.color.is_none());
    let record: Record = round_trip(json!({"color": "green"}));
    assert_eq!(record.color, Some(Color::Green));
}

#[test]
fn overlapping_object_alternatives_decode_as_the_most_specific() {
    let targets: Vec<Target> = round_trip(json!([{"id": "a", "version": 2}, {"id": "b"}]));
    match &targets[..] {
        [Target::Object2(larger), Target::Object(smaller)] => {
            assert_eq!(larger.version, 2);
            assert_eq!(smaller.id, "b");
        }
        other => panic!("decoded as {other:?}"),
    }
    assert!(check(&targets[0]).is_ok());
    assert!(check(&targets[1]).is_ok());
    let zero = Target::Object2(TargetObject2::new("a", 0));
    assert!(check(&zero).is_err(), "the alternative's minimum");
}

#[test]
fn what_the_vendor_writes_often() {
    let record: Record = round_trip(json!({
        "free": {"any": [1, {"x": null}]},
        "targets": [{"id": "t"}],
        "bag": {"a": "1"},
        "host": "example.test", "link": "../relative", "ip": "127.0.0.1"
    }));
    assert_eq!(record.free.as_ref().map(BTreeMap::len), Some(1));
    assert!(check(&record).is_ok());
    let empty_bag = Record { bag: Some(BTreeMap::new()), ..record.clone() };
    assert!(check(&empty_bag).expect_err("minProperties").reason.contains("at least 1"));
    let full: BTreeMap<String, String> = [("a", "1"), ("b", "2"), ("c", "3")].map(|(k, v)| (k.to_owned(), v.to_owned())).into();
    assert!(check(&Record { bag: Some(full), ..record }).is_err(), "maxProperties");
}
"#####;

#[test]
fn the_vendors_schema_idioms_generate_a_working_client() {
    let spec = support::read_spec(&fixture("vendor-idioms"));
    match support::build(
        "vendor-idioms",
        &spec,
        &[("idioms.rs", VENDOR_IDIOM_TESTS)],
        &[&["test"], &["doc", "--no-deps"]],
        support::DevDependencies::Tokio,
    ) {
        Ok(_) => {}
        Err(output) => {
            panic!("the vendor-idioms client does not build, document or pass its tests:\n{output}")
        }
    }
}
