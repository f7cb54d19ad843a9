//! The spec as it is written: a serde mirror of the YAML files in `api-spec/`.
//!
//! Every struct denies unknown fields, so a misspelled key is an error with a
//! location rather than a silently ignored line. Nothing here is validated
//! beyond its shape; [`crate::lower`] checks the meaning.

mod load;
mod locate;
mod recheck;
mod unique;

pub use load::{SourceFile, load_sources, read_spec_dir};
pub use locate::{KeyPath, Location, LocationIndex, Locations};

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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiFile {
    pub title: String,
    pub version: String,
    #[serde(default)]
    pub description: Option<String>,
    pub base_url: String,
    pub auth: Auth,
    #[serde(default)]
    pub parameters: Vec<GlobalParameter>,
}

/// How requests are authenticated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    pub scheme: AuthScheme,
    #[serde(default)]
    pub description: Option<String>,
}

/// The supported authentication schemes.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>`.
    Bearer,
}

/// A parameter accepted on every request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalParameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    pub description: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default, deserialize_with = "unique::option_json")]
    pub default: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "unique::option_json")]
    pub example: Option<serde_json::Value>,
    pub schema: Schema,
}

/// Where a global parameter goes.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ParameterLocation {
    /// The query string.
    Query,
    /// A request header.
    Header,
}

/// `resources/*.yaml`: one resource and its operations.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceFile {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "unique::map")]
    pub path_components: BTreeMap<String, PathComponent>,
    #[serde(deserialize_with = "unique::map")]
    pub operations: BTreeMap<String, Operation>,
}

/// One action of a resource.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub summary: String,
    #[serde(default)]
    pub description: Option<String>,
    pub method: HttpMethod,
    pub path: String,
    pub scopes: Vec<String>,
    #[serde(default, deserialize_with = "unique::map")]
    pub path_components: BTreeMap<String, PathComponent>,
    #[serde(default, deserialize_with = "unique::map")]
    pub query: BTreeMap<String, Parameter>,
    #[serde(default, deserialize_with = "unique::map")]
    pub headers: BTreeMap<String, Parameter>,
    #[serde(default)]
    pub body: Option<Body>,
    #[serde(deserialize_with = "unique::map")]
    pub responses: BTreeMap<u16, Response>,
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

/// HTTP methods an operation may use.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    GET,
    POST,
    PUT,
    PATCH,
    DELETE,
}

/// A `{NAME}` variable of a path template.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathComponent {
    pub description: String,
    #[serde(default, deserialize_with = "unique::option_json")]
    pub example: Option<serde_json::Value>,
    pub schema: Schema,
}

/// A query parameter or header of one operation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub description: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default, deserialize_with = "unique::option_json")]
    pub default: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "unique::option_json")]
    pub example: Option<serde_json::Value>,
    pub schema: Schema,
}

/// A request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, tag = "content_type")]
pub enum Body {
    /// A JSON document.
    #[serde(rename = "application/json")]
    Json {
        schema: Box<Schema>,
        #[serde(default)]
        description: Option<String>,
        #[serde(default)]
        example: Option<String>,
    },
    /// `multipart/form-data` with named parts.
    #[serde(rename = "multipart/form-data")]
    Multipart {
        #[serde(deserialize_with = "unique::map")]
        parts: BTreeMap<String, MultipartPart>,
        #[serde(default)]
        description: Option<String>,
    },
}

/// One part of a multipart body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultipartPart {
    pub description: String,
    #[serde(default)]
    pub required: bool,
    pub kind: PartKind,
}

/// What a multipart part carries.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PartKind {
    /// Bytes with a file name.
    File,
    /// A text field.
    Text,
}

/// One documented response.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    pub description: String,
    #[serde(default)]
    pub schema: Option<Schema>,
}

/// How a list operation pages through its results.
#[derive(Debug, Deserialize)]
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
#[derive(Debug, Deserialize, Clone, PartialEq)]
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
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
#[derive(Debug, Deserialize, Clone, PartialEq)]
#[serde(untagged, expecting = "expected `true`, `false` or a schema")]
pub enum Additional {
    /// `true` / `false`.
    Allowed(bool),
    /// Values of other keys follow this schema.
    Schema(Box<Schema>),
}

/// A schema: the JSON Schema subset documented in `api-spec/README.md`.
#[derive(Debug, Deserialize, Clone, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    #[serde(rename = "type", default)]
    pub types: Option<TypeSet>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "unique::option_map")]
    pub properties: Option<BTreeMap<String, Schema>>,
    #[serde(default)]
    pub required: Option<Vec<String>>,
    #[serde(rename = "additionalProperties", default)]
    pub additional_properties: Option<Additional>,
    #[serde(
        rename = "patternProperties",
        default,
        deserialize_with = "unique::option_map"
    )]
    pub pattern_properties: Option<BTreeMap<String, Schema>>,
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    #[serde(rename = "oneOf", default)]
    pub one_of: Option<Vec<Schema>>,
    #[serde(rename = "anyOf", default)]
    pub any_of: Option<Vec<Schema>>,
    #[serde(rename = "allOf", default)]
    pub all_of: Option<Vec<Schema>>,
    #[serde(
        rename = "enum",
        default,
        deserialize_with = "unique::option_json_list"
    )]
    pub enumeration: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(rename = "minLength", default)]
    pub min_length: Option<u64>,
    #[serde(rename = "maxLength", default)]
    pub max_length: Option<u64>,
    #[serde(default)]
    pub minimum: Option<f64>,
    #[serde(default)]
    pub maximum: Option<f64>,
    #[serde(rename = "minItems", default)]
    pub min_items: Option<u64>,
    #[serde(rename = "maxItems", default)]
    pub max_items: Option<u64>,
    #[serde(rename = "uniqueItems", default)]
    pub unique_items: Option<bool>,
    #[serde(rename = "minProperties", default)]
    pub min_properties: Option<u64>,
    #[serde(rename = "maxProperties", default)]
    pub max_properties: Option<u64>,
    #[serde(default, deserialize_with = "unique::option_json")]
    pub default: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "unique::option_json")]
    pub example: Option<serde_json::Value>,
    #[serde(default)]
    pub nullable: Option<bool>,
}
