//! Client-side validation through the generated operations: a value that
//! breaks the spec's constraints fails as `Error::InvalidInput` naming the
//! exact field, before anything is sent; IDs that do not match their pattern
//! cannot even be built; and `validate_requests(false)` hands the decision
//! to the server.

mod support;

use generated_client::{Error, InvalidInput, types};
use serde_json::{Value, json};
use support::{Reply, TestServer, client, client_builder};

const APPLICATION_ID: &str = "575ec8687ae143cd83dc4a97";
const NOTEBOOK_ID: &str = "575ed78e7ae143cd83dc4aab";
const NOTEBOOK_PATH: &str =
    "/applications/575ec8687ae143cd83dc4a97/notebooks/575ed78e7ae143cd83dc4aab";
const NOTEBOOK_JSON: &str = include_str!("fixtures/notebook.json");

fn application_id() -> types::ApplicationId {
    APPLICATION_ID.parse().expect("valid application ID")
}

fn notebook_id() -> types::NotebookId {
    NOTEBOOK_ID.parse().expect("valid notebook ID")
}

/// The `InvalidInput` of `result`, or a panic showing what it was.
fn expect_invalid<T: std::fmt::Debug>(result: Result<T, Error>) -> InvalidInput {
    match result {
        Err(Error::InvalidInput(invalid)) => invalid,
        other => panic!("expected Error::InvalidInput, got {other:?}"),
    }
}

/// An `externalUrl` input written to `file_name`, as JSON.
fn external_input(file_name: &str) -> Value {
    json!({
        "inputType": "externalUrl",
        "fileName": file_name,
        "sourceUrl": "https://example.com/exports/data.csv",
    })
}

/// A patch whose third input (`inputs[2]`) is written to the file `..`.
///
/// Built from JSON because the `FileName` constructor refuses `..`; values
/// decoded from JSON are taken as they come, the way a response is.
fn patch_with_bad_third_input() -> types::NotebookPatch {
    serde_json::from_value(json!({
        "name": "Report",
        "inputs": [
            external_input("first.csv"),
            external_input("{{data.name}}.csv"),
            external_input(".."),
            external_input("fourth.csv"),
        ],
    }))
    .expect("the patch decodes")
}

/// A patch with `count` valid inputs.
fn patch_with_inputs(count: usize) -> types::NotebookPatch {
    let input = types::NotebookInput::ExternalUrl(types::ExternalUrlInput::new(
        "data.csv".parse().unwrap(),
        "https://example.com/data.csv",
    ));
    types::NotebookPatch {
        inputs: Some(vec![input; count]),
        ..Default::default()
    }
}

#[tokio::test]
async fn invalid_file_name_deep_in_a_patch_names_the_exact_field() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

    let result = client(&server)
        .notebook()
        .patch(
            &application_id(),
            &notebook_id(),
            patch_with_bad_third_input(),
        )
        .await;

    let invalid = expect_invalid(result);
    assert_eq!(invalid.field, "inputs[2].fileName");
    assert!(invalid.reason.contains("`..`"), "{invalid}");
    assert!(
        Error::InvalidInput(invalid.clone())
            .to_string()
            .starts_with("invalid inputs[2].fileName: "),
        "{invalid}"
    );
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn other_invalid_file_names_are_caught_too() {
    for file_name in [".", "a/b.csv", "../etc/passwd", "", "has space.csv", "{{}}"] {
        let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;
        let patch: types::NotebookPatch =
            serde_json::from_value(json!({"inputs": [external_input(file_name)]})).unwrap();

        let result = client(&server)
            .notebook()
            .patch(&application_id(), &notebook_id(), patch)
            .await;

        assert_eq!(
            expect_invalid(result).field,
            "inputs[0].fileName",
            "{file_name:?}"
        );
        assert_eq!(server.requests().len(), 0, "{file_name:?}");
        assert!(
            file_name.parse::<types::FileName>().is_err(),
            "{file_name:?}"
        );
    }
}

#[tokio::test]
async fn name_longer_than_1024_characters_is_rejected() {
    let server = TestServer::start(vec![Reply::json(201, NOTEBOOK_JSON)]).await;
    let client = client(&server);

    let body = types::NotebookPost::new("n".repeat(1025), types::ImageVersion::V4);
    let invalid = expect_invalid(client.notebooks().post(&application_id(), body).await);
    assert_eq!(invalid.field, "name");
    assert!(invalid.reason.contains("1024"), "{invalid}");

    let patch = types::NotebookPatch {
        name: Some("n".repeat(1025)),
        ..Default::default()
    };
    let result = client
        .notebook()
        .patch(&application_id(), &notebook_id(), patch)
        .await;
    assert_eq!(expect_invalid(result).field, "name");

    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn name_of_exactly_1024_characters_is_sent() {
    let server = TestServer::start(vec![Reply::json(201, NOTEBOOK_JSON)]).await;
    // Characters, not bytes: 1024 two-byte characters are within the limit.
    let name = "é".repeat(1024);
    let body = types::NotebookPost::new(name.clone(), types::ImageVersion::V4);

    client(&server)
        .notebooks()
        .post(&application_id(), body)
        .await
        .unwrap();

    assert_eq!(server.single_request().json()["name"], name.as_str());
}

#[tokio::test]
async fn empty_name_is_rejected() {
    let server = TestServer::start(vec![Reply::json(201, NOTEBOOK_JSON)]).await;
    let body = types::NotebookPost::new("", types::ImageVersion::V4);

    let result = client(&server)
        .notebooks()
        .post(&application_id(), body)
        .await;

    assert_eq!(expect_invalid(result).field, "name");
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn more_than_100_inputs_are_rejected() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

    let result = client(&server)
        .notebook()
        .patch(&application_id(), &notebook_id(), patch_with_inputs(101))
        .await;

    let invalid = expect_invalid(result);
    assert_eq!(invalid.field, "inputs");
    assert!(invalid.reason.contains("100"), "{invalid}");
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn exactly_100_inputs_are_sent() {
    let server = TestServer::start(vec![Reply::json(200, NOTEBOOK_JSON)]).await;

    client(&server)
        .notebook()
        .patch(&application_id(), &notebook_id(), patch_with_inputs(100))
        .await
        .unwrap();

    let request = server.single_request();
    assert_eq!(request.json()["inputs"].as_array().map(Vec::len), Some(100));
}

#[tokio::test]
async fn too_long_execution_option_is_rejected() {
    let server = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let options = types::NotebookExecutionOptions {
        email: Some(format!("{}@example.com", "a".repeat(1020))),
        ..Default::default()
    };

    let result = client(&server)
        .notebook()
        .execute(&application_id(), &notebook_id(), options)
        .await;

    assert_eq!(expect_invalid(result).field, "email");
    assert_eq!(server.requests().len(), 0);
}

#[test]
fn ids_that_do_not_match_their_pattern_cannot_be_built() {
    let error = "xyz".parse::<types::ApplicationId>().unwrap_err();
    assert_eq!(error.field, "ApplicationId");
    assert!(error.to_string().contains("ApplicationId"), "{error}");

    for bad in [
        "",
        "575ec8687ae143cd83dc4a9",   // 23 characters
        "575ec8687ae143cd83dc4a977", // 25 characters
        "575ec8687ae143cd83dc4a9g",  // not hexadecimal
        "../ec8687ae143cd83dc4a97",  // a path
        "575ec8687ae143cd83dc4a97\n",
    ] {
        assert_eq!(
            bad.parse::<types::ApplicationId>().unwrap_err().field,
            "ApplicationId",
            "{bad:?}"
        );
        assert_eq!(
            types::NotebookId::new(bad).unwrap_err().field,
            "NotebookId",
            "{bad:?}"
        );
        assert!(types::ExecutionId::try_from(bad).is_err(), "{bad:?}");
    }
    assert_eq!(
        "575EC8687AE143CD83DC4A97"
            .parse::<types::ApplicationId>()
            .unwrap()
            .as_str(),
        "575EC8687AE143CD83DC4A97"
    );
}

#[tokio::test]
async fn invalid_patch_is_sent_when_validation_is_off() {
    let server = TestServer::start(vec![
        Reply::json(
            400,
            r#"{"type":"Validation","message":"inputs[2].fileName is invalid"}"#,
        ),
        Reply::json(200, NOTEBOOK_JSON),
    ])
    .await;
    let client = client_builder(&server.url())
        .validate_requests(false)
        .build()
        .unwrap();

    let result = client
        .notebook()
        .patch(
            &application_id(),
            &notebook_id(),
            patch_with_bad_third_input(),
        )
        .await;
    let Err(Error::Api(api)) = result else {
        panic!("expected the server's verdict, got {result:?}");
    };
    assert_eq!(api.status.as_u16(), 400);

    let long_name = types::NotebookPatch {
        name: Some("n".repeat(1025)),
        ..patch_with_inputs(101)
    };
    client
        .notebook()
        .patch(&application_id(), &notebook_id(), long_name)
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "PATCH");
    assert_eq!(requests[0].path, NOTEBOOK_PATH);
    assert_eq!(
        requests[0].json(),
        json!({
            "name": "Report",
            "inputs": [
                external_input("first.csv"),
                external_input("{{data.name}}.csv"),
                external_input(".."),
                external_input("fourth.csv"),
            ],
        })
    );
    let sent = requests[1].json();
    assert_eq!(sent["name"].as_str().map(str::len), Some(1025));
    assert_eq!(sent["inputs"].as_array().map(Vec::len), Some(101));
}

/// An object's `minProperties` and `maxProperties`: the ID condition of a
/// device query (`IdOperators`) holds exactly one operator, counted over the
/// fields that are set.
#[tokio::test]
async fn an_object_with_too_few_or_too_many_keys_is_refused_before_sending() {
    let server = TestServer::start(Vec::new()).await;
    let client = client(&server);
    let query = |condition: types::IdOperators| types::AdvancedDeviceQuery {
        id: Some(types::IdCondition::IdOperators(condition)),
        ..Default::default()
    };
    let device_id: types::ObjectId = "575ecf887ae143cd83dc4aa2".parse().expect("an ID");

    let empty = expect_invalid(
        client
            .devices()
            .get(&application_id())
            .query(query(types::IdOperators::default()))
            .await,
    );
    assert!(empty.field.ends_with("id"), "{empty}");
    assert_eq!(empty.reason, "needs at least 1 key; has 0");

    let both = types::IdOperators {
        eq: Some(Some(device_id.clone())),
        ne: Some(Some(device_id.clone())),
        ..Default::default()
    };
    let two = expect_invalid(
        client
            .devices()
            .get(&application_id())
            .query(query(both))
            .await,
    );
    assert_eq!(two.reason, "may have at most 1 key; has 2");
    assert_eq!(server.requests().len(), 0, "nothing is sent");

    // One operator is what the platform takes.
    use generated_client::validate::{FieldPath, Rules, Validate};
    let one = types::IdOperators {
        eq: Some(Some(device_id)),
        ..Default::default()
    };
    assert!(
        one.validate(&FieldPath::Root("query"), &Rules::NONE)
            .is_ok()
    );
}
