//! Flows across resources of the platform, each against its own local HTTP
//! server (`support::TestServer`), checking both what leaves on the wire
//! (method, path, query, headers, body) and the typed values the client
//! hands back:
//!
//! 1. signing in without a token (`auth.authenticateUser`), then calling an
//!    authenticated action (`me.get`) with the token the server answered;
//! 2. creating a device, reporting its state and reading it back;
//! 3. querying data-table rows with a query object (a JSON body), and a
//!    device list filtered by a query object (a query parameter, in
//!    bracket notation);
//! 4. creating a file record, then uploading its content as multipart;
//! 5. a device's state stream (server-sent events) that reconnects with
//!    `Last-Event-ID` after the server closes the connection.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use generated_client::device::DeviceStateStreamEvent;
use generated_client::prelude::*;
use generated_client::{Client, Error, FilePart, Reconnect, RetryPolicy, types};
use serde_json::json;
use support::{RecordedRequest, Reply, TestServer, client};

const APPLICATION_ID: &str = "575ec8687ae143cd83dc4a97";
const DEVICE_ID: &str = "575ecf887ae143cd83dc4aa2";
const DATA_TABLE_ID: &str = "575ed78e7ae143cd83dc4aab";
const FILE_ID: &str = "575ec76c7ae143cd83dc4a96";
const USER_ID: &str = "575ed70c7ae143cd83dc4aa9";

fn application_id() -> types::ApplicationId {
    APPLICATION_ID.parse().expect("valid application ID")
}

/// Asserts what every request of an authenticated action carries besides
/// its own parameters: `method`, `path`, the raw `query`, the bearer token
/// `token`, and the headers the client always sends.
fn assert_request(
    request: &RecordedRequest,
    method: &str,
    path: &str,
    query: Option<&str>,
    token: &str,
) {
    assert_eq!(request.method, method, "{request:#?}");
    assert_eq!(request.path, path, "{request:#?}");
    assert_eq!(request.query.as_deref(), query, "{request:#?}");
    let bearer = format!("Bearer {token}");
    assert_eq!(request.header("authorization"), Some(bearer.as_str()));
    assert_common_headers(request, "application/json");
}

/// The headers every request carries, whatever the action: `Accept`, the
/// pinned `Accept-Version` and the crate's `User-Agent`.
fn assert_common_headers(request: &RecordedRequest, accept: &str) {
    assert_eq!(request.header("accept"), Some(accept));
    assert_eq!(
        request.header("accept-version"),
        Some(generated_client::DEFAULT_ACCEPT_VERSION)
    );
    let user_agent = request.header("user-agent").expect("User-Agent");
    assert!(
        user_agent.starts_with("generated-client/"),
        "unexpected User-Agent {user_agent:?}"
    );
}

/// Asserts that `request` carries `expected` as its JSON body.
fn assert_json_body(request: &RecordedRequest, expected: serde_json::Value) {
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.json(), expected);
}

/// Asserts that `request` has no body at all.
fn assert_no_body(request: &RecordedRequest) {
    assert_eq!(request.header("content-type"), None);
    assert!(
        request.body.is_empty(),
        "unexpected body: {:?}",
        String::from_utf8_lossy(&request.body)
    );
}

/// Flow 1: a client without a token signs in; the token the server answers
/// with is what a second client sends on an authenticated action.
#[tokio::test]
async fn sign_in_without_a_token_then_call_with_the_token_received() {
    // The answer of `authenticateUser` is `AuthedUser`: `userId` and `token`
    // are required, the rest optional.
    let issued_token = "eyJhbGciOiJIUzI1NiJ9.issued-for-this-flow.c2lnbmF0dXJl";
    let server = TestServer::start(vec![Reply::json(
        200,
        json!({"userId": USER_ID, "token": issued_token, "needsToVerifyEmail": false}).to_string(),
    )])
    .await;

    let anonymous = Client::builder_without_token()
        .base_url(server.url())
        .retry(RetryPolicy::none())
        .build()
        .expect("client without a token");
    assert!(!anonymous.has_token());

    // An authenticated action on this client fails before anything is sent.
    let refused = anonymous
        .me()
        .get()
        .await
        .expect_err("`me.get` needs a token");
    match &refused {
        Error::InvalidInput(invalid) => assert_eq!(invalid.field, "token", "{refused}"),
        other => panic!("expected InvalidInput for `token`, got {other:?}"),
    }
    // So does an authenticated event stream, which is opened another way.
    let device_id: types::DeviceId = DEVICE_ID.parse().expect("valid device ID");
    let Err(refused) = anonymous
        .device()
        .state_stream(&application_id(), &device_id)
        .await
    else {
        panic!("`device.stateStream` needs a token");
    };
    match &refused {
        Error::InvalidInput(invalid) => assert_eq!(invalid.field, "token", "{refused}"),
        other => panic!("expected InvalidInput for `token`, got {other:?}"),
    }
    assert!(server.requests().is_empty(), "{:#?}", server.requests());

    let credentials = types::UserCredentials {
        token_ttl: Some(3600),
        ..types::UserCredentials::new("operator@example.com", "correct horse battery staple")
    };
    let authed = anonymous
        .auth()
        .authenticate_user(credentials)
        .await
        .expect("authenticateUser succeeds");
    assert_eq!(authed.token, issued_token);
    assert_eq!(authed.user_id.as_str(), USER_ID);
    assert_eq!(authed.needs_to_verify_email, Some(false));
    assert_eq!(authed.org_id, None);

    let sign_in = server.single_request();
    assert_eq!(sign_in.method, "POST");
    assert_eq!(sign_in.path, "/auth/user");
    assert_eq!(sign_in.query, None);
    // The point of the flow: no token, so no `Authorization` at all (not an
    // empty one, not `Bearer `).
    assert_eq!(sign_in.header_values("authorization"), Vec::<&str>::new());
    assert_common_headers(&sign_in, "application/json");
    assert_json_body(
        &sign_in,
        json!({
            "email": "operator@example.com",
            "password": "correct horse battery staple",
            "tokenTTL": 3600,
        }),
    );

    // A client built with the token received, on the same server.
    server.push_reply(Reply::json(
        200,
        json!({
            "id": USER_ID,
            "userId": USER_ID,
            "email": "operator@example.com",
            "firstName": "Ada",
            "lastName": "Operator",
            "twoFactorAuthEnabled": false,
            "creationDate": "2024-03-01T09:30:00.000Z",
        })
        .to_string(),
    ));
    let signed_in = Client::builder(authed.token.clone())
        .base_url(server.url())
        .retry(RetryPolicy::none())
        .build()
        .expect("client with the issued token");
    assert!(signed_in.has_token());
    let me = signed_in
        .me()
        .get()
        .include_recent(false)
        .await
        .expect("me.get succeeds");
    assert_eq!(me.user_id.as_ref().map(|id| id.as_str()), Some(USER_ID));
    assert_eq!(me.email.as_deref(), Some("operator@example.com"));
    assert_eq!(me.first_name.as_deref(), Some("Ada"));
    assert_eq!(me.two_factor_auth_enabled, Some(false));
    assert_eq!(
        me.creation_date,
        Some("2024-03-01T09:30:00Z".parse().expect("valid time"))
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    assert_request(
        &requests[1],
        "GET",
        "/me",
        Some("includeRecent=false"),
        issued_token,
    );
    assert_no_body(&requests[1]);
}

/// Flow 2: create a device, report a state for it, read its state back;
/// the server is scripted with the three replies in order.
#[tokio::test]
async fn create_a_device_report_its_state_and_read_it_back() {
    let server = TestServer::start(vec![
        Reply::json(
            201,
            json!({
                "id": DEVICE_ID,
                "deviceId": DEVICE_ID,
                "applicationId": APPLICATION_ID,
                "name": "Freezer 3",
                "description": "Walk-in freezer, loading dock",
                "deviceClass": "standalone",
                "tags": [{"key": "floor", "value": "1"}],
                "attributes": [
                    {"name": "temperature", "dataType": "number"},
                    {"name": "doorOpen", "dataType": "boolean"},
                ],
                "creationDate": "2024-05-02T08:00:00.000Z",
                "lastUpdated": "2024-05-02T08:00:00.000Z",
            })
            .to_string(),
        ),
        Reply::json(200, r#"{"success":true}"#),
        Reply::json(
            200,
            json!([{
                "time": "2024-05-02T08:01:00.000Z",
                "data": {"temperature": -18.5, "doorOpen": false},
                "flowVersion": "develop",
            }])
            .to_string(),
        ),
    ])
    .await;
    let client = client(&server);

    // 1. Create.
    let new_device = types::DevicePost {
        description: Some("Walk-in freezer, loading dock".to_owned()),
        device_class: Some(types::DeviceClass::Standalone),
        tags: Some(vec![types::Tag::new("floor", "1")]),
        attributes: Some(vec![
            types::DeviceAttributePost::new("temperature", types::DataType::Number),
            types::DeviceAttributePost::new("doorOpen", types::DataType::Boolean),
        ]),
        ..types::DevicePost::new("Freezer 3")
    };
    let device = client
        .devices()
        .post(&application_id(), new_device)
        .await
        .expect("devices.post succeeds");
    assert_eq!(device.id.as_ref().map(|id| id.as_str()), Some(DEVICE_ID));
    assert_eq!(device.name.as_deref(), Some("Freezer 3"));
    assert_eq!(device.device_class, Some(types::DeviceClass::Standalone));
    assert_eq!(device.tags, Some(vec![types::Tag::new("floor", "1")]));
    let attributes = device.attributes.as_deref().expect("attributes");
    assert_eq!(attributes.len(), 2, "{attributes:#?}");
    assert_eq!(attributes[1].name, "doorOpen");
    assert_eq!(attributes[1].data_type, types::DataType::Boolean);

    // The created device's own ID is what the next calls address.
    let device_id = device.device_id.clone().expect("the answer has a deviceId");

    // 2. Report a state.
    let mut data = types::DeviceStateData::default();
    data.extra.insert(
        "temperature".to_owned(),
        types::StringNumberOrBoolean::Number(-18.5),
    );
    data.extra.insert(
        "doorOpen".to_owned(),
        types::StringNumberOrBoolean::Boolean(false),
    );
    let state = types::DeviceState {
        time: Some(types::Time::from("2024-05-02T08:01:00.000Z".to_owned())),
        ..types::DeviceState::new(data)
    };
    let sent = client
        .device()
        .send_state(&application_id(), &device_id, state.into())
        .await
        .expect("device.sendState succeeds");
    assert_eq!(sent.success, Some(true));

    // 3. Read it back.
    let states = client
        .device()
        .get_state(&application_id(), &device_id)
        .limit(1)
        .await
        .expect("device.getState succeeds");
    let [latest] = states.as_slice() else {
        panic!("expected one state, got {states:#?}");
    };
    assert_eq!(
        latest.time,
        Some(types::Time::from("2024-05-02T08:01:00.000Z".to_owned()))
    );
    assert_eq!(latest.flow_version.as_deref(), Some("develop"));
    assert_eq!(
        latest.data.extra,
        BTreeMap::from([
            (
                "doorOpen".to_owned(),
                types::StringNumberOrBoolean::Boolean(false)
            ),
            (
                "temperature".to_owned(),
                types::StringNumberOrBoolean::Number(-18.5)
            ),
        ])
    );

    // What went out, in order.
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    let devices_path = format!("/applications/{APPLICATION_ID}/devices");
    let state_path = format!("{devices_path}/{DEVICE_ID}/state");
    assert_request(&requests[0], "POST", &devices_path, None, "test-token");
    assert_json_body(
        &requests[0],
        json!({
            "name": "Freezer 3",
            "description": "Walk-in freezer, loading dock",
            "deviceClass": "standalone",
            "tags": [{"key": "floor", "value": "1"}],
            "attributes": [
                {"name": "temperature", "dataType": "number"},
                {"name": "doorOpen", "dataType": "boolean"},
            ],
        }),
    );
    assert_request(&requests[1], "POST", &state_path, None, "test-token");
    // A single state is sent as an object, not as an array of one.
    assert_json_body(
        &requests[1],
        json!({
            "time": "2024-05-02T08:01:00.000Z",
            "data": {"temperature": -18.5, "doorOpen": false},
        }),
    );
    assert_request(
        &requests[2],
        "GET",
        &state_path,
        Some("limit=1"),
        "test-token",
    );
    assert_no_body(&requests[2]);
}

/// Flow 3a: `dataTableRows.query` takes its query object as the JSON body;
/// only the scalar options go in the query string.
/// A PATCH tells "leave it" from "clear it": an optional property that may
/// be `null` is `Option<Option<T>>` in what a request carries.
#[tokio::test]
async fn a_patch_clears_a_nullable_property_by_sending_null() {
    let device = json!({
        "id": DEVICE_ID,
        "deviceId": DEVICE_ID,
        "applicationId": APPLICATION_ID,
        "name": "Freezer 3",
    })
    .to_string();
    let server = TestServer::start(vec![
        Reply::json(200, device.clone()),
        Reply::json(200, device),
    ])
    .await;
    let client = client(&server);
    let device_id: types::DeviceId = DEVICE_ID.parse().expect("a device ID");

    // Move the device out from under its parent: `parentId` goes out as null.
    let detach = types::DevicePatch {
        parent_id: Some(None),
        ..Default::default()
    };
    client
        .device()
        .patch(&application_id(), &device_id, detach)
        .await
        .expect("device.patch succeeds");
    // Rename it only: `parentId` is not sent at all.
    let rename = types::DevicePatch {
        name: Some("Freezer 4".to_owned()),
        ..Default::default()
    };
    client
        .device()
        .patch(&application_id(), &device_id, rename)
        .await
        .expect("device.patch succeeds");

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    assert_eq!(requests[0].method, "PATCH");
    assert_eq!(requests[0].body, br#"{"parentId":null}"#);
    assert_eq!(requests[1].body, br#"{"name":"Freezer 4"}"#);
}

#[tokio::test]
async fn query_data_table_rows_with_a_query_object_body() {
    let server = TestServer::start(vec![Reply::json(
        200,
        json!({
            "applicationId": APPLICATION_ID,
            "dataTableId": DATA_TABLE_ID,
            "count": 1,
            "totalCount": 1,
            "limit": 2,
            "offset": 0,
            "sortColumn": "temperature",
            "sortDirection": "desc",
            "query": {"$and": [{"location": {"$eq": "freezer-3"}}, {"temperature": {"$gt": -20.5}}]},
            "items": [{
                "id": "6650a1f2c3d4e5f6a7b8c9d0",
                "createdAt": "2024-05-02T08:01:00.000Z",
                "updatedAt": "2024-05-02T08:01:00.000Z",
                "location": "freezer-3",
                "temperature": -18.5,
                "alarm": false,
            }],
        })
        .to_string(),
    )])
    .await;

    // location == "freezer-3" AND temperature > -20.5, through the typed
    // query operators.
    let location = types::FieldOperators {
        eq: Some(Some("freezer-3".into())),
        ..Default::default()
    };
    let warmer = types::FieldOperators {
        gt: Some(Some((-20.5).into())),
        ..Default::default()
    };
    let query = types::AdvancedQuery {
        and: Some(vec![
            types::AdvancedQuery {
                extra: BTreeMap::from([("location".to_owned(), Some(location.into()))]),
                ..Default::default()
            },
            types::AdvancedQuery {
                extra: BTreeMap::from([("temperature".to_owned(), Some(warmer.into()))]),
                ..Default::default()
            },
        ]),
        ..Default::default()
    };
    let data_table_id: types::DataTableId = DATA_TABLE_ID.parse().expect("valid data table ID");
    let rows = client(&server)
        .data_table_rows()
        .query(&application_id(), &data_table_id)
        .include_fields("id,location,temperature")
        .limit(2)
        .offset(0)
        .sort_column("temperature")
        .sort_direction(types::SortDirectionParam::Desc)
        .body(query)
        .await
        .expect("dataTableRows.query succeeds");

    let request = server.single_request();
    assert_request(
        &request,
        "POST",
        &format!("/applications/{APPLICATION_ID}/data-tables/{DATA_TABLE_ID}/rows/query"),
        // In the order of the spec's parameters, the comma encoded.
        Some(
            "includeFields=id%2Clocation%2Ctemperature&limit=2&offset=0&sortColumn=temperature&sortDirection=desc",
        ),
        "test-token",
    );
    assert_json_body(
        &request,
        json!({"$and": [{"location": {"$eq": "freezer-3"}}, {"temperature": {"$gt": -20.5}}]}),
    );

    assert_eq!(rows.count, Some(1));
    assert_eq!(rows.total_count, Some(1));
    assert_eq!(rows.sort_column.as_deref(), Some("temperature"));
    assert_eq!(rows.sort_direction, Some(types::SortDirection::Desc));
    assert_eq!(
        rows.data_table_id.as_ref().map(|id| id.as_str()),
        Some(DATA_TABLE_ID)
    );
    let items = rows.items.as_deref().expect("items");
    let [row] = items else {
        panic!("expected one row, got {items:#?}");
    };
    assert_eq!(
        row.id.as_ref().map(|id| id.as_str()),
        Some("6650a1f2c3d4e5f6a7b8c9d0")
    );
    assert_eq!(
        row.created_at,
        Some("2024-05-02T08:01:00Z".parse().expect("valid time"))
    );
    // The columns are the row's other keys, each typed by its JSON kind.
    use types::StringNumberOrBoolean as Value;
    assert_eq!(
        row.extra,
        BTreeMap::from([
            ("alarm".to_owned(), Some(Value::Boolean(false))),
            (
                "location".to_owned(),
                Some(Value::String("freezer-3".to_owned()))
            ),
            ("temperature".to_owned(), Some(Value::Number(-18.5))),
        ])
    );
}

/// Flow 3b: where a query object is a query parameter (`devices.get`'s
/// `query`), it is written as the vendor's JavaScript client writes it
/// (`qs`): bracket notation with array indices, keys and values
/// percent-encoded, `$` and brackets included.
#[tokio::test]
async fn a_query_object_parameter_is_sent_in_bracket_notation() {
    let server = TestServer::start(vec![Reply::json(
        200,
        json!({
            "applicationId": APPLICATION_ID,
            "count": 1,
            "totalCount": 1,
            "page": 0,
            "perPage": 10,
            "items": [{"id": DEVICE_ID, "deviceId": DEVICE_ID, "name": "Freezer 3"}],
        })
        .to_string(),
    )])
    .await;

    let query = types::AdvancedDeviceQuery {
        and: Some(vec![
            types::AdvancedDeviceQuery {
                name: Some(Some(
                    types::FieldOperators {
                        eq: Some(Some("Freezer 3".into())),
                        ..Default::default()
                    }
                    .into(),
                )),
                ..Default::default()
            },
            types::AdvancedDeviceQuery {
                device_class: Some(Some("standalone".into())),
                ..Default::default()
            },
        ]),
        ..Default::default()
    };
    let devices = client(&server)
        .devices()
        .get(&application_id())
        .per_page(10)
        .query(query)
        .await
        .expect("devices.get succeeds");

    let request = server.single_request();
    assert_request(
        &request,
        "GET",
        &format!("/applications/{APPLICATION_ID}/devices"),
        Some(concat!(
            "perPage=10",
            "&query%5B%24and%5D%5B0%5D%5Bname%5D%5B%24eq%5D=Freezer%203",
            "&query%5B%24and%5D%5B1%5D%5BdeviceClass%5D=standalone",
        )),
        "test-token",
    );
    assert_no_body(&request);

    assert_eq!(devices.total_count, Some(1));
    let items = devices.items.as_deref().expect("items");
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0].name.as_deref(), Some("Freezer 3"));
}

/// Flow 4: create the file record (JSON), then upload the file's content
/// to it (`multipart/form-data`, one part `file`).
#[tokio::test]
async fn create_a_file_record_then_upload_its_content() {
    const CSV: &str = "time,temperature\n2024-05-02T08:01:00Z,-18.5\n2024-05-02T08:02:00Z,-18.7\n";
    let server = TestServer::start(vec![
        Reply::json(
            201,
            json!({
                "id": FILE_ID,
                "applicationId": APPLICATION_ID,
                "name": "readings.csv",
                "parentDirectory": "/reports/",
                "type": "file",
                "status": "pending",
                "contentType": "text/csv",
                "fileSize": CSV.len(),
                "upload": {
                    "url": "https://files.example.com/upload",
                    "fields": {
                        "bucket": "files-bucket",
                        "key": "575ec8687ae143cd83dc4a97/reports/readings.csv",
                        "Content-Type": "text/csv",
                        "X-Amz-Signature": "0123abcd",
                    },
                },
            })
            .to_string(),
        ),
        Reply::json(
            200,
            json!({
                "id": FILE_ID,
                "applicationId": APPLICATION_ID,
                "name": "readings.csv",
                "parentDirectory": "/reports/",
                "type": "file",
                "status": "completed",
                "contentType": "text/csv",
                "fileSize": CSV.len(),
                "url": "https://files.example.com/575ec8687ae143cd83dc4a97/reports/readings.csv",
            })
            .to_string(),
        ),
    ])
    .await;
    let client = client(&server);

    let record = types::FilePost {
        content_type: Some("text/csv".to_owned()),
        file_size: Some(CSV.len() as f64),
        parent_directory: Some("/reports/".to_owned()),
        ..types::FilePost::new("readings.csv", types::FileType::File)
    };
    let created = client
        .files()
        .post(&application_id(), record)
        .await
        .expect("files.post succeeds");
    assert_eq!(created.status, Some(types::FileStatus::Pending));
    assert_eq!(created.type_, Some(types::FileType::File));
    let upload = created.upload.as_ref().expect("upload instructions");
    assert_eq!(
        upload.url.as_deref(),
        Some("https://files.example.com/upload")
    );
    let fields = upload.fields.as_ref().expect("upload fields");
    assert_eq!(fields.bucket.as_deref(), Some("files-bucket"));
    assert_eq!(
        fields.key.as_deref(),
        Some("575ec8687ae143cd83dc4a97/reports/readings.csv")
    );
    // The declared fields are taken out; the other keys stay in `extra`.
    assert_eq!(
        fields.extra,
        BTreeMap::from([
            ("Content-Type".to_owned(), "text/csv".to_owned()),
            ("X-Amz-Signature".to_owned(), "0123abcd".to_owned()),
        ])
    );

    // The created record's ID addresses the upload.
    let file_id: types::FileId = created
        .id
        .as_ref()
        .expect("the answer has an id")
        .as_str()
        .parse()
        .expect("valid file ID");
    let uploaded = client
        .file()
        .upload(
            &application_id(),
            &file_id,
            FilePart::from_bytes("readings.csv", CSV).mime_type("text/csv"),
        )
        .await
        .expect("file.upload succeeds");
    assert_eq!(uploaded.status, Some(types::FileStatus::Completed));
    assert_eq!(uploaded.file_size, Some(CSV.len() as f64));
    assert_eq!(
        uploaded.url.as_deref(),
        Some("https://files.example.com/575ec8687ae143cd83dc4a97/reports/readings.csv")
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    assert_request(
        &requests[0],
        "POST",
        &format!("/applications/{APPLICATION_ID}/files"),
        None,
        "test-token",
    );
    assert_json_body(
        &requests[0],
        json!({
            "name": "readings.csv",
            "type": "file",
            "contentType": "text/csv",
            // A whole `number` goes out as the vendor's clients write it.
            "fileSize": CSV.len(),
            "parentDirectory": "/reports/",
        }),
    );

    let upload_request = &requests[1];
    assert_request(
        upload_request,
        "POST",
        &format!("/applications/{APPLICATION_ID}/file/{FILE_ID}/upload"),
        None,
        "test-token",
    );
    let content_type = upload_request.header("content-type").expect("Content-Type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let parts = upload_request.multipart();
    let [part] = parts.as_slice() else {
        panic!("expected exactly one part, got {parts:#?}");
    };
    assert_eq!(part.name, "file");
    assert_eq!(part.file_name.as_deref(), Some("readings.csv"));
    assert_eq!(part.content_type.as_deref(), Some("text/csv"));
    assert_eq!(part.data, CSV.as_bytes());
}

/// A `text/event-stream` reply whose body is `events`: the server's
/// connection ends with the body, which ends the client's stream (or makes
/// it reconnect).
fn event_stream(events: &str) -> Reply {
    Reply::new(200, "text/event-stream", events.to_owned()).with_header("cache-control", "no-cache")
}

/// The `deviceState` event the stream yields for `data` at `time`.
fn state_event(time: &str, temperature: f64) -> DeviceStateStreamEvent {
    let mut data = types::DeviceStateData::default();
    data.extra.insert(
        "temperature".to_owned(),
        types::StringNumberOrBoolean::Number(temperature),
    );
    DeviceStateStreamEvent::DeviceState(types::DeviceState {
        time: Some(types::Time::from(time.to_owned())),
        ..types::DeviceState::new(data)
    })
}

/// Flow 5: a device's state stream. The first connection pushes two events
/// (with `id:`), a keep-alive comment and `retry:`, then closes; the client
/// reconnects with `Last-Event-ID` and reads what the second connection
/// pushes; a third connection brings nothing and closes, and with no
/// reconnection left the stream ends.
#[tokio::test]
async fn device_state_stream_reconnects_with_the_last_event_id() {
    let server = TestServer::start(vec![
        event_stream(concat!(
            ": keep-alive\n\n",
            // A short reconnection delay, so the test does not wait the
            // default 3 s.
            "retry: 5\n\n",
            "id: 101\nevent: deviceState\n",
            "data: {\"time\":\"2024-05-02T08:01:00.000Z\",\"data\":{\"temperature\":-18.5}}\n\n",
            "id: 102\nevent: deviceState\n",
            "data: {\"time\":\"2024-05-02T08:02:00.000Z\",\"data\":{\"temperature\":-18.7}}\n\n",
        )),
        event_stream(concat!(
            "id: 103\nevent: deviceState\n",
            "data: {\"time\":\"2024-05-02T08:03:00.000Z\",\"data\":{\"temperature\":-19}}\n\n",
            // An event the spec does not list is kept, undecoded.
            "id: 104\nevent: deviceConnected\n",
            "data: {\"connected\":true}\n\n",
        )),
        event_stream(": nothing new\n\n"),
    ])
    .await;

    let device_id: types::DeviceId = DEVICE_ID.parse().expect("valid device ID");
    let mut events = client(&server)
        .device()
        .state_stream(&application_id(), &device_id)
        .keep_alive_interval(30)
        // One reconnection in a row without an event in between: the third
        // connection, which brings none, is the last.
        .reconnect(Reconnect::max_attempts(1))
        .await
        .expect("the state stream opens");

    let first = events.try_next().await.expect("first event");
    assert_eq!(first, Some(state_event("2024-05-02T08:01:00.000Z", -18.5)));
    assert_eq!(events.last_event_id(), Some("101"));
    assert_eq!(events.retry(), Some(Duration::from_millis(5)));
    let second = events.try_next().await.expect("second event");
    assert_eq!(second, Some(state_event("2024-05-02T08:02:00.000Z", -18.7)));
    assert_eq!(events.last_event_id(), Some("102"));

    // The first connection has ended: these come from the second.
    let third = events.try_next().await.expect("third event");
    assert_eq!(third, Some(state_event("2024-05-02T08:03:00.000Z", -19.0)));
    let fourth = events.try_next().await.expect("fourth event");
    assert_eq!(
        fourth,
        Some(DeviceStateStreamEvent::Unknown {
            event: "deviceConnected".to_owned(),
            data: r#"{"connected":true}"#.to_owned(),
        })
    );
    assert_eq!(events.last_event_id(), Some("104"));

    let end = events.try_next().await.expect("the stream ends cleanly");
    assert_eq!(end, None);

    let requests = server.requests();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    let stream_path = format!("/applications/{APPLICATION_ID}/devices/{DEVICE_ID}/stateStream");
    // Each connection is the same request, with the token, asking for an
    // event stream; only `Last-Event-ID` differs.
    let last_event_ids = [None, Some("102"), Some("104")];
    for (request, last_event_id) in requests.iter().zip(last_event_ids) {
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, stream_path);
        assert_eq!(request.query.as_deref(), Some("keepAliveInterval=30"));
        assert_eq!(request.header("authorization"), Some("Bearer test-token"));
        assert_common_headers(request, "text/event-stream");
        assert_eq!(
            request.header("last-event-id"),
            last_event_id,
            "{request:#?}"
        );
        assert_no_body(request);
    }
}
