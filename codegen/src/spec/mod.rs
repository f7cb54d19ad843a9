//! The spec as it is written: a serde mirror of the YAML files in `api-spec/`.
//!
//! Every struct denies unknown fields, so a misspelled key is an error with a
//! location rather than a silently ignored line. Nothing here is validated
//! beyond its shape; [`crate::lower`] checks the meaning.

mod aliases;
mod editor;
mod load;
mod locate;
mod recheck;
mod unique;

pub use editor::{EDITOR_SCHEMA_DIR, editor_schemas};
pub use load::{SourceFile, load_sources, read_spec_dir};
pub use locate::{KeyPath, Location, LocationIndex, Locations};

use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One parsed spec file, with the index that locates its keys.
#[derive(Debug)]
pub struct Parsed<T> {
    /// Path of the file relative to the spec directory, with `/` separators.
    pub file: String,
    /// Where each key path of the file starts (indexed on first use).
    pub locations: Locations,
    /// The parsed content.
    pub value: T,
}

/// All files of a spec, parsed.
#[derive(Debug)]
pub struct Spec {
    /// `api.yaml`.
    pub api: Parsed<ApiFile>,
    /// `schemas/*.yaml`, sorted by file name.
    pub schemas: Vec<Parsed<BTreeMap<String, Schema>>>,
    /// `resources/*.yaml`, sorted by file name.
    pub resources: Vec<Parsed<ResourceFile>>,
}

/// `api.yaml`: what is API-wide.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiFile {
    /// Human name of the API; starts the crate docs.
    pub title: String,
    /// Version of the API the spec describes.
    pub version: String,
    /// Longer text for the crate docs.
    #[serde(default)]
    pub description: Option<String>,
    /// Default base URL (http:// or https://); callers can override it on the client builder.
    pub base_url: String,
    /// How requests are authenticated.
    pub auth: Auth,
    /// Parameters the platform accepts on every request.
    #[serde(default)]
    pub parameters: Vec<GlobalParameter>,
}

/// How requests are authenticated.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// The scheme: only `bearer` (`Authorization: Bearer <token>` on every request).
    pub scheme: AuthScheme,
    /// Doc text about authentication.
    #[serde(default)]
    pub description: Option<String>,
}

/// The supported authentication schemes.
#[derive(Debug, JsonSchema, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>`.
    Bearer,
}

/// A parameter accepted on every request.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalParameter {
    /// The wire name.
    pub name: String,
    /// Where it goes: `query` or `header`.
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    /// What the parameter does.
    pub description: String,
    /// Whether every request must carry it.
    #[serde(default)]
    pub required: bool,
    /// The server's default, shown in the docs (the client does not send it).
    #[serde(default, deserialize_with = "unique::option_json")]
    pub default: Option<serde_json::Value>,
    /// An example value (used in docs); checked against `schema`.
    #[serde(default, deserialize_with = "unique::option_json")]
    pub example: Option<serde_json::Value>,
    /// A schema of a scalar: string, integer, number, boolean, a string enum, or a `$ref` to one.
    pub schema: Schema,
}

/// Where a global parameter goes.
#[derive(Debug, JsonSchema, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ParameterLocation {
    /// The query string.
    Query,
    /// A request header.
    Header,
}

/// `resources/*.yaml`: one resource and its operations.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceFile {
    /// Resource name as the vendor writes it (`notebook`); the client method returning its handle is its snake_case form.
    pub name: String,
    /// Doc text of the resource handle.
    #[serde(default)]
    pub description: Option<String>,
    /// Path components shared by every operation of the resource, by name.
    #[serde(default, deserialize_with = "unique::map")]
    pub path_components: BTreeMap<String, PathComponent>,
    /// Operations by name (the vendor's action name, `cancelExecution`); the Rust method is its snake_case form.
    #[serde(deserialize_with = "unique::map")]
    pub operations: BTreeMap<String, Operation>,
    /// Waiters by name (`waitForExecution`): methods that poll an operation of this resource until what it returns reaches a terminal status; the Rust method is the name's snake_case form.
    #[serde(default, deserialize_with = "unique::map")]
    pub waiters: BTreeMap<String, Waiter>,
}

/// A waiter: polls an operation until a status field reaches a terminal value.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiter {
    /// One line: first line of the method's docs.
    pub summary: String,
    /// More text for the docs.
    #[serde(default)]
    pub description: Option<String>,
    /// The operation of this resource that is polled: a `GET` whose 2xx body is an object, or a list of objects (see `item`).
    pub operation: String,
    /// When the operation returns a list: which item to watch.
    #[serde(default)]
    pub item: Option<WaiterItem>,
    /// Field of the response (or of the item) holding the status; its schema is a string `enum`.
    pub status: String,
    /// The status values at which waiting ends, among the field's `enum` values.
    pub terminal: Vec<String>,
    /// Query parameters of the polled operation set on every poll, by wire name: scalar values of the parameter's type.
    #[serde(default, deserialize_with = "unique::map")]
    pub query: BTreeMap<String, serde_json::Value>,
    /// Default time between two polls, in milliseconds (the caller can change it).
    pub interval_ms: u64,
    /// Default time after which waiting ends with an error, in milliseconds (the caller can change it).
    pub deadline_ms: u64,
}

/// The item of a list a waiter watches: the one whose `field` equals the waiter's argument.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterItem {
    /// Field of the items compared with the argument; its type is the argument's.
    pub field: String,
    /// Name of the waiter's argument holding the value to look for (`executionId`).
    pub argument: String,
    /// What the argument identifies (its docs).
    pub description: String,
}

/// One action of a resource.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// One line: first line of the method's docs.
    pub summary: String,
    /// More text for the docs.
    #[serde(default)]
    pub description: Option<String>,
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: HttpMethod,
    /// Path template relative to the base URL, with `{NAME}` for each path component.
    pub path: String,
    /// Token scopes, any one of which allows the call; may be empty only when `authenticated` is `false`.
    pub scopes: Vec<String>,
    /// Whether the call needs a token (default `true`); `false` for the actions the vendor lists with an empty `auth` (signing in, public dashboards): no `Authorization` header is sent, and a client built without a token may call it.
    #[serde(default = "required_by_default")]
    pub authenticated: bool,
    /// Path components of this operation only (added to the resource's).
    #[serde(default, deserialize_with = "unique::map")]
    pub path_components: BTreeMap<String, PathComponent>,
    /// Query parameters by wire name.
    #[serde(default, deserialize_with = "unique::map")]
    pub query: BTreeMap<String, Parameter>,
    /// Header parameters by header name (not `Authorization`: it comes from `auth` in api.yaml).
    #[serde(default, deserialize_with = "unique::map")]
    pub headers: BTreeMap<String, Parameter>,
    /// The request body.
    #[serde(default)]
    pub body: Option<Body>,
    /// Responses by status code; at least one 2xx.
    #[serde(deserialize_with = "unique::map")]
    pub responses: BTreeMap<u16, Response>,
    /// Marks a paginated list operation.
    #[serde(default)]
    pub pagination: Option<Pagination>,
    /// Makes the operation a server-sent event stream: the events it sends,
    /// by event name (the `event:` field on the wire; `message` for events
    /// without one). Only on a `GET` with no body, no pagination and no 2xx
    /// body schema.
    #[serde(default, deserialize_with = "unique::option_map")]
    pub events: Option<BTreeMap<String, StreamEvent>>,
    /// The platform marks the action deprecated (`deprecated` in the
    /// vendor's description).
    #[serde(default)]
    pub deprecated: bool,
    /// The action refuses OAuth tokens (`denyOauthTokens`).
    #[serde(default)]
    pub deny_oauth_tokens: bool,
    /// The action is allowed to users whose email address is not verified
    /// yet (`allowUnverified`).
    #[serde(default)]
    pub allow_unverified: bool,
}

/// `true` unless the spec says `false`: a body is required, an operation
/// needs a token.
fn required_by_default() -> bool {
    true
}

/// HTTP methods an operation may use.
#[derive(Debug, JsonSchema, Deserialize, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    GET,
    POST,
    PUT,
    PATCH,
    DELETE,
}

/// A `{NAME}` variable of a path template.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathComponent {
    /// What the component identifies.
    pub description: String,
    /// An example value (used in docs); checked against `schema`.
    #[serde(default, deserialize_with = "unique::option_json")]
    pub example: Option<serde_json::Value>,
    /// A schema; usually a `$ref` to an ID type.
    pub schema: Schema,
}

/// A query parameter or header of one operation.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// What the parameter does.
    pub description: String,
    /// `true` makes it a required argument of the method; default `false` (a builder setter).
    #[serde(default)]
    pub required: bool,
    /// The server's default, shown in the docs (the client does not send it).
    #[serde(default, deserialize_with = "unique::option_json")]
    pub default: Option<serde_json::Value>,
    /// An example value (used in docs); checked against `schema`.
    #[serde(default, deserialize_with = "unique::option_json")]
    pub example: Option<serde_json::Value>,
    /// A schema of a scalar: string, integer, number, boolean, a string enum, or a `$ref` to one; a query parameter may also be an object, an array or a map (sent in bracket notation, `keywords[0]=gps`).
    pub schema: Schema,
}

/// A request body.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields, tag = "content_type")]
pub enum Body {
    /// A JSON document.
    #[serde(rename = "application/json")]
    Json {
        /// The schema of the JSON document.
        schema: Box<Schema>,
        /// Doc text of the body.
        #[serde(default)]
        description: Option<String>,
        /// An example body, as JSON text; checked against `schema`.
        #[serde(default)]
        example: Option<String>,
        /// Whether the request must have the body (default `true`); an
        /// optional body is a setter of the request builder.
        #[serde(default = "required_by_default")]
        required: bool,
    },
    /// `multipart/form-data` with named parts.
    #[serde(rename = "multipart/form-data")]
    Multipart {
        /// The parts by name.
        #[serde(deserialize_with = "unique::map")]
        parts: BTreeMap<String, MultipartPart>,
        /// Doc text of the body.
        #[serde(default)]
        description: Option<String>,
    },
}

/// One part of a multipart body.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultipartPart {
    /// What the part holds.
    pub description: String,
    /// Whether the part must be sent.
    #[serde(default)]
    pub required: bool,
    /// `file` (bytes with a file name), `text` (a string field) or `json` (a field holding JSON text).
    pub kind: PartKind,
    /// The part's value: required for `json` (usually a `$ref`; the value is sent as its JSON text), optional for `text` (a string schema, such as an enum; sent as its text), not allowed for `file`.
    #[serde(default)]
    pub schema: Option<Schema>,
}

/// What a multipart part carries.
#[derive(Debug, JsonSchema, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PartKind {
    /// Bytes with a file name.
    File,
    /// A text field.
    Text,
    /// A text field holding a typed value as JSON text.
    Json,
}

/// One documented response.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// What the response means.
    pub description: String,
    /// The schema of the body; none: the body is ignored.
    #[serde(default)]
    pub schema: Option<Schema>,
}

/// One kind of event a server-sent event stream sends.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamEvent {
    /// What the event means.
    pub description: String,
    /// The schema of the event's `data`, a JSON document; usually a `$ref`.
    pub schema: Schema,
}

/// How a list operation pages through its results.
#[derive(Debug, JsonSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// Query parameter holding the page number (zero-based).
    pub page: String,
    /// Query parameter holding the page size.
    pub per_page: String,
    /// Response field holding the items of the page.
    pub items: String,
    /// Response field holding the total number of items.
    pub total: String,
}

/// `type:` is a single type name or a list of them.
#[derive(Debug, JsonSchema, Deserialize, Clone, PartialEq)]
#[serde(
    untagged,
    expecting = "expected a type name (string, number, integer, boolean, object, array, null) or a list of them"
)]
pub enum TypeSet {
    /// `type: string`.
    One(SchemaType),
    /// `type: [string, "null"]`.
    Many(Vec<SchemaType>),
}

/// A JSON Schema type name.
#[derive(Debug, JsonSchema, Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum SchemaType {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    Null,
}

/// `additionalProperties:` is `true`, `false` or a schema.
#[derive(Debug, JsonSchema, Deserialize, Clone, PartialEq)]
#[serde(untagged, expecting = "expected `true`, `false` or a schema")]
pub enum Additional {
    /// `true` / `false`.
    Allowed(bool),
    /// Values of other keys follow this schema.
    Schema(Box<Schema>),
}

/// A schema: the JSON Schema subset documented in `api-spec/README.md`.
#[derive(Debug, JsonSchema, Deserialize, Clone, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// The named schema this one is (`$ref: Name`).
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    /// A type name or a list of them.
    #[serde(rename = "type", default)]
    pub types: Option<TypeSet>,
    /// A title, for the docs.
    #[serde(default)]
    pub title: Option<String>,
    /// Doc text.
    #[serde(default)]
    pub description: Option<String>,
    /// The properties of an object, by name.
    #[serde(default, deserialize_with = "unique::option_map")]
    pub properties: Option<BTreeMap<String, Schema>>,
    /// The properties an object must have.
    #[serde(default)]
    pub required: Option<Vec<String>>,
    /// Properties the server always sends though the schema does not
    /// require them: decoded as required (not `Option`), not checked in
    /// examples or requests.
    #[serde(default)]
    pub always_sent: Option<Vec<String>>,
    /// `false`, `true` or the schema of the values of other keys.
    #[serde(rename = "additionalProperties", default)]
    pub additional_properties: Option<Additional>,
    /// Schemas of the values of keys matching each ECMA-262 pattern.
    #[serde(
        rename = "patternProperties",
        default,
        deserialize_with = "unique::option_map"
    )]
    pub pattern_properties: Option<BTreeMap<String, Schema>>,
    /// The schema of each item of an array.
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    /// Alternatives: a tagged union, an untagged enum, or string rules.
    #[serde(rename = "oneOf", default)]
    pub one_of: Option<Vec<Schema>>,
    /// Alternatives, as `oneOf`.
    #[serde(rename = "anyOf", default)]
    pub any_of: Option<Vec<Schema>>,
    /// Object schemas whose properties are merged.
    #[serde(rename = "allOf", default)]
    pub all_of: Option<Vec<Schema>>,
    /// The allowed values.
    #[serde(
        rename = "enum",
        default,
        deserialize_with = "unique::option_json_list"
    )]
    pub enumeration: Option<Vec<serde_json::Value>>,
    /// `date-time`, `uri`, `email` or `unix-time-ms`.
    #[serde(default)]
    pub format: Option<String>,
    /// An ECMA-262 pattern strings must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Minimum length of a string, in characters.
    #[serde(rename = "minLength", default)]
    pub min_length: Option<u64>,
    /// Maximum length of a string, in characters.
    #[serde(rename = "maxLength", default)]
    pub max_length: Option<u64>,
    /// Minimum of a number.
    #[serde(default)]
    pub minimum: Option<f64>,
    /// Maximum of a number.
    #[serde(default)]
    pub maximum: Option<f64>,
    /// Minimum number of items of an array.
    #[serde(rename = "minItems", default)]
    pub min_items: Option<u64>,
    /// Maximum number of items of an array.
    #[serde(rename = "maxItems", default)]
    pub max_items: Option<u64>,
    /// Whether the items of an array must all differ.
    #[serde(rename = "uniqueItems", default)]
    pub unique_items: Option<bool>,
    /// Minimum number of properties of an object.
    #[serde(rename = "minProperties", default)]
    pub min_properties: Option<u64>,
    /// Maximum number of properties of an object.
    #[serde(rename = "maxProperties", default)]
    pub max_properties: Option<u64>,
    /// The default value, shown in the docs.
    #[serde(default, deserialize_with = "unique::option_json")]
    pub default: Option<serde_json::Value>,
    /// An example value, shown in the docs; checked against this schema.
    #[serde(default, deserialize_with = "unique::option_json")]
    pub example: Option<serde_json::Value>,
    /// Whether the value may be null.
    #[serde(default)]
    pub nullable: Option<bool>,
}
