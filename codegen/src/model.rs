//! The validated model of an API: what the emitters work from.
//!
//! Every name here is already a valid, unique Rust identifier and every
//! reference resolves; emitters never need to check anything.

use serde_json::Value;

/// The whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// Human name of the API.
    pub title: String,
    /// Version the spec describes.
    pub version: String,
    /// Longer description, if any.
    pub description: Option<String>,
    /// Default base URL.
    pub base_url: String,
    /// Description of the bearer token.
    pub auth_description: Option<String>,
    /// Parameters accepted on every request.
    pub global_params: Vec<Param>,
    /// Every named type, sorted by name.
    pub types: Vec<TypeDef>,
    /// Resources, sorted by name.
    pub resources: Vec<Resource>,
    /// The string enums that are a waiter's status, with their terminal
    /// values, sorted by type name.
    pub terminal_values: Vec<TerminalValues>,
    /// The spec file (stem, `device` for `schemas/device.yaml`) of each
    /// named schema, by type name: the types' module and cargo feature
    /// follow it (see [`crate::features`]).
    pub schema_files: std::collections::BTreeMap<String, String>,
    /// The spec's example of each named schema that has one, by type
    /// name: the conformance tests decode it.
    pub schema_examples: std::collections::BTreeMap<String, serde_json::Value>,
    /// The named string types that convert into each string union (a
    /// newtype whose rules are a list of alternatives) with `From`: those
    /// whose rules are exactly one of its alternatives, by union name,
    /// sorted. Computed once, since every union's docs, examples and
    /// features ask.
    pub string_conversions: std::collections::BTreeMap<String, Vec<String>>,
    /// An example of each string newtype that has one: the first example
    /// a path, query or header parameter of this type, or of one with the
    /// same rules, gives (in resource and operation order), by type name.
    pub string_examples: std::collections::BTreeMap<String, String>,
}

impl Api {
    /// The named type `name` (the types are sorted by name).
    pub fn find_type(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }
}

/// A resource: a group of operations on one kind of object.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Name as the vendor writes it (`notebook`).
    pub name: String,
    /// Rust module and accessor method name (`notebook`).
    pub module: String,
    /// Rust name of the resource handle (`NotebookResource`).
    pub handle: String,
    /// Doc text.
    pub description: Option<String>,
    /// Spec file the resource came from (`resources/notebook.yaml`).
    pub file: String,
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Waiters, sorted by name.
    pub waiters: Vec<Waiter>,
}

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
}

impl Method {
    /// The method as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One action of a resource.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The vendor's action name (`cancelExecution`).
    pub name: String,
    /// Rust method name (`cancel_execution`).
    pub method_name: String,
    /// Rust name of the request builder (`CancelExecutionRequest`).
    pub builder: String,
    /// One-line summary.
    pub summary: String,
    /// More text, if any.
    pub description: Option<String>,
    /// HTTP method.
    pub method: Method,
    /// Path template as written in the spec.
    pub path_template: String,
    /// The path split into segments.
    pub segments: Vec<Segment>,
    /// Scopes any one of which allows the call.
    pub scopes: Vec<String>,
    /// Path components, in the order they appear in the path.
    pub path_params: Vec<Param>,
    /// Query parameters, required ones first, then by name.
    pub query: Vec<Param>,
    /// Header parameters, required ones first, then by name.
    pub headers: Vec<Param>,
    /// Request body, if any.
    pub body: Option<Body>,
    /// Documented responses, by status.
    pub responses: Vec<Response>,
    /// Type of the success body (`None`: the body is ignored, or the
    /// 2xx responses have different bodies: see `by_status`).
    pub success: Option<TypeRef>,
    /// When the 2xx responses have different bodies: one variant per
    /// documented 2xx status, in status order, of the enum named
    /// `<Resource><Operation>Response`; empty otherwise.
    pub by_status: Vec<StatusVariant>,
    /// Whether the call needs a token (the `Authorization` header).
    pub authenticated: bool,
    /// How the operation pages, if it does.
    pub pagination: Option<Pagination>,
    /// The events of a server-sent event stream, if the operation is one.
    pub events: Option<EventStream>,
    /// The platform marks the action deprecated.
    pub deprecated: bool,
    /// The action refuses OAuth tokens.
    pub deny_oauth_tokens: bool,
    /// The action is allowed to users whose email is not verified yet.
    pub allow_unverified: bool,
}

/// One segment of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Fixed text.
    Literal(String),
    /// The path component at this index of [`Operation::path_params`].
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
}

/// A path component, query parameter or header.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name on the wire (`executionId`, `APPLICATION_ID`, `Accept-Version`).
    pub wire_name: String,
    /// Rust argument / setter name (`execution_id`).
    pub rust_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// What it does.
    pub description: String,
    /// Whether the caller must give it.
    pub required: bool,
    /// The server's default, if documented.
    pub default: Option<Value>,
    /// An example value.
    pub example: Option<Value>,
    /// Its Rust type.
    pub ty: TypeRef,
    /// Constraints checked before sending.
    pub constraints: Constraints,
    /// Whether the value is an object or an array, sent in bracket
    /// notation (`keywords%5B0%5D=gps`) rather than as one value.
    pub structured: bool,
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// A JSON document of this type.
    Json {
        /// The body's type.
        ty: TypeRef,
        /// Doc text.
        description: Option<String>,
        /// An example body as JSON text.
        example: Option<String>,
        /// Whether the request must have it: a required argument of the
        /// method, or else a setter of the builder.
        required: bool,
    },
    /// `multipart/form-data`.
    Multipart {
        /// The parts, required ones first, then by name.
        parts: Vec<Part>,
        /// Doc text.
        description: Option<String>,
    },
}

/// One part of a multipart body.
#[derive(Debug, Clone)]
pub struct Part {
    /// Part name on the wire (`jupyterFile`).
    pub wire_name: String,
    /// Rust argument / setter name (`jupyter_file`).
    pub rust_name: String,
    /// What it carries.
    pub description: String,
    /// Whether the caller must give it.
    pub required: bool,
    /// What the part holds.
    pub kind: PartValue,
    /// Constraints on a typed `text` value, checked before sending.
    pub constraints: Constraints,
}

/// What a multipart part holds.
#[derive(Debug, Clone, PartialEq)]
pub enum PartValue {
    /// Bytes with a file name (`crate::FilePart`).
    File,
    /// A text field: any string (`None`), or a value of this string type
    /// sent as its text.
    Text(Option<TypeRef>),
    /// A field holding a value of this type as JSON text.
    Json(TypeRef),
}

impl Part {
    /// The type the caller gives, when it is not a file or free text.
    pub fn typed(&self) -> Option<&TypeRef> {
        match &self.kind {
            PartValue::Text(ty) => ty.as_ref(),
            PartValue::Json(ty) => Some(ty),
            PartValue::File => None,
        }
    }
}

/// One documented 2xx status of an operation whose 2xx responses have
/// different bodies.
#[derive(Debug, Clone)]
pub struct StatusVariant {
    /// HTTP status.
    pub status: u16,
    /// Rust variant name (`Ok`, `Created`, `NoContent`, `Status207`).
    pub variant: String,
    /// What the response means.
    pub description: String,
    /// Body type; `None`: a variant without data.
    pub ty: Option<TypeRef>,
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// What it means.
    pub description: String,
    /// Body type, if any.
    pub ty: Option<TypeRef>,
}

/// The events a server-sent event stream operation sends.
#[derive(Debug, Clone)]
pub struct EventStream {
    /// Rust name of the generated enum of its events
    /// (`DeviceStateStreamEvent`), in the resource's module.
    pub enum_name: String,
    /// The declared events, sorted by event name.
    pub events: Vec<StreamEvent>,
}

/// One declared event of a stream.
#[derive(Debug, Clone)]
pub struct StreamEvent {
    /// The event name on the wire (the `event:` field).
    pub wire_name: String,
    /// Rust variant name (`DeviceState`).
    pub variant: String,
    /// What it means.
    pub description: String,
    /// Type of its decoded `data`.
    pub ty: TypeRef,
}

/// How a list operation pages.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// Rust name of the page-number setter.
    pub page_param: String,
    /// Rust name of the page-size setter.
    pub per_page_param: String,
    /// Rust name of the items field of the response.
    pub items_field: String,
    /// Whether the items field is required (not an `Option`).
    pub items_required: bool,
    /// Rust name of the total-count field of the response.
    pub total_field: String,
    /// Whether the total field is required (not an `Option`).
    pub total_required: bool,
    /// The page size the server uses when the request does not say.
    pub default_per_page: Option<i64>,
    /// Type of one item.
    pub item_ty: TypeRef,
}

/// A Rust type, as used in a field, parameter or body.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// A type of [`Api::types`].
    Named(String),
    /// `String`.
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// `chrono::DateTime<chrono::Utc>`, an RFC 3339 string on the wire.
    DateTime,
    /// `crate::Timestamp`: a time written as integer milliseconds since
    /// the Unix epoch (`format: unix-time-ms`).
    Timestamp,
    /// `serde_json::Value`: any JSON.
    Json,
    /// `Vec<T>`.
    List(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>`: a value that may be `null` where it is not a field
    /// (an array item, a map value, a body); a nullable field is an
    /// optional field instead.
    Nullable(Box<TypeRef>),
}

/// Constraints on a value, checked by the client before sending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// Minimum length of a string, in characters.
    pub min_length: Option<u64>,
    /// Maximum length of a string, in characters.
    pub max_length: Option<u64>,
    /// ECMA-262 pattern a string must match.
    pub pattern: Option<String>,
    /// Smallest allowed number.
    pub minimum: Option<f64>,
    /// Largest allowed number.
    pub maximum: Option<f64>,
    /// Fewest items of an array.
    pub min_items: Option<u64>,
    /// Most items of an array.
    pub max_items: Option<u64>,
    /// Items of an array must differ.
    pub unique_items: bool,
    /// Fewest entries of a map.
    pub min_properties: Option<u64>,
    /// Most entries of a map.
    pub max_properties: Option<u64>,
    /// Alternatives of a string: it must match exactly one (`oneOf`) or at
    /// least one (`anyOf`) of them.
    pub alternatives: Vec<Constraints>,
    /// `true` when `alternatives` come from `oneOf`.
    pub exactly_one: bool,
    /// Constraints on each item of an array or value of a map.
    pub items: Option<Box<Constraints>>,
    /// The only allowed value of a boolean whose `enum` has one value.
    pub boolean: Option<bool>,
    /// The allowed values of an integer or number `enum` (empty: any).
    pub numbers: Vec<f64>,
}

impl Constraints {
    /// Whether nothing is constrained.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Doc text.
    pub docs: Option<String>,
    /// What kind of type it is.
    pub kind: TypeKind,
    /// Whether a request can carry a value of this type (in a parameter or
    /// a body, at any depth): only such types are checked before sending.
    pub sent: bool,
    /// Whether a value of this sent type can break a rule: its own (an
    /// enum's unknown value, a field's constraints, a required set, a key
    /// count) or one of anything it holds. A type that cannot gets a
    /// `Validate` impl that checks nothing, and builders do not call it.
    pub checks: bool,
    /// For a struct that is a kind of a tagged union: the tag it writes
    /// itself, so that it carries it when sent on its own too.
    pub tag: Option<MemberTag>,
}

/// The tag property a tagged-union member writes, and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberTag {
    /// Wire name of the tag property (`inputType`).
    pub name: String,
    /// The member's value of it (`deviceData`).
    pub value: String,
}

/// How many keys an object may have (`minProperties`, `maxProperties`):
/// checked before sending, counting the fields that are set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyCount {
    /// At least this many.
    pub min: Option<u64>,
    /// At most this many.
    pub max: Option<u64>,
}

impl KeyCount {
    /// The bounds `schema` gives.
    pub fn of(schema: &crate::spec::Schema) -> KeyCount {
        KeyCount {
            min: schema.min_properties,
            max: schema.max_properties,
        }
    }

    /// Whether there is a bound to check.
    pub fn is_bounded(&self) -> bool {
        self.min.is_some() || self.max.is_some()
    }
}

/// The shapes a named type can take.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct {
        /// Fields, in the spec's property order (sorted by wire name).
        fields: Vec<Field>,
        /// Keys other than the properties (`patternProperties`,
        /// `additionalProperties: <schema>`), kept in a flattened map.
        extra: Option<Box<ExtraKeys>>,
        /// `oneOf`/`anyOf` alternatives that only require properties:
        /// which fields must be set together.
        required_sets: Option<RequiredSets>,
        /// How many keys the object may have.
        keys: KeyCount,
    },
    /// A string with a fixed set of values.
    Enum {
        /// The known values.
        variants: Vec<EnumVariant>,
    },
    /// Objects told apart by a tag property.
    TaggedUnion {
        /// Wire name of the tag property (`inputType`).
        tag: String,
        /// One variant per kind.
        variants: Vec<TaggedVariant>,
    },
    /// Values told apart by their JSON type.
    UntaggedUnion {
        /// One variant per alternative, in the spec's order.
        variants: Vec<UntaggedVariant>,
    },
    /// A string with constraints, checked on construction.
    Newtype {
        /// Constraints of the string.
        constraints: Constraints,
    },
    /// Another name for a type (`pub type X = Y;`).
    Alias {
        /// The type it names.
        target: TypeRef,
    },
}

impl TypeKind {
    /// The types a value of this kind holds directly: its fields (and the
    /// values of its extra keys), its variants, or what it names. One walk
    /// for what a request carries and what a resource's feature compiles.
    pub fn held(&self) -> Vec<TypeRef> {
        match self {
            TypeKind::Struct { fields, extra, .. } => {
                let mut held: Vec<TypeRef> = fields.iter().map(|f| f.ty.clone()).collect();
                if let Some(extra) = extra {
                    held.push(extra.value.clone());
                    held.extend(extra.rules().map(|rule| rule.ty.clone()));
                }
                held
            }
            TypeKind::UntaggedUnion { variants } => variants.iter().map(|v| v.ty.clone()).collect(),
            TypeKind::TaggedUnion { variants, .. } => variants
                .iter()
                .map(|v| TypeRef::Named(v.ty.clone()))
                .collect(),
            TypeKind::Alias { target } => vec![target.clone()],
            TypeKind::Enum { .. } | TypeKind::Newtype { .. } => Vec::new(),
        }
    }
}

impl TypeDef {
    /// Whether `field` of this struct can say "send `null`" apart from
    /// "leave the key out": an optional property that may be `null`, in a
    /// type a request carries. Its field is `Option<Option<T>>`, so a PATCH
    /// can clear a value (`Some(None)` is sent as `null`, `None` is not
    /// sent); in a type only received, `null` and absent are both `None`.
    pub fn sends_null_on_request(&self, field: &Field) -> bool {
        self.sent && field.may_be_null && !field.required && !field.sent_as_null
    }
}

/// A field of a struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust name.
    pub rust_name: String,
    /// Doc text.
    pub docs: Option<String>,
    /// The value's type (without the `Option` of an optional field).
    pub ty: TypeRef,
    /// Whether the object must have it.
    pub required: bool,
    /// Whether the key is sent even when the field is empty: a required
    /// property that may be `null` is an optional field (`None` for
    /// `null`), and `None` goes out as `null`, since the key must be there.
    pub sent_as_null: bool,
    /// Whether the property may be `null`.
    pub may_be_null: bool,
    /// Position in the schema's `required` list: the order of the
    /// constructor's arguments, which follows the spec rather than the
    /// alphabet.
    pub required_position: usize,
    /// The server's default, if documented.
    pub default: Option<Value>,
    /// Constraints checked before sending.
    pub constraints: Constraints,
}

/// The keys of an object other than its properties: a map field
/// (`#[serde(flatten)]`) beside the declared fields.
#[derive(Debug, Clone)]
pub struct ExtraKeys {
    /// Rust name of the map field, claimed after the fields' names.
    pub rust_name: String,
    /// Type of the map's values: the one type every such key holds, or
    /// `Json` when the patterns give different types (each value is then
    /// checked as its pattern's type).
    pub value: TypeRef,
    /// `patternProperties`: each pattern and what a matching key holds.
    pub patterns: Vec<(String, ValueRule)>,
    /// What a key matching no pattern may hold.
    pub others: OtherKeys,
}

impl ExtraKeys {
    /// The rules of the patterns, then that of other keys if they have one.
    pub fn rules(&self) -> impl Iterator<Item = &ValueRule> {
        let others = match &self.others {
            OtherKeys::Rule(rule) => Some(&**rule),
            OtherKeys::Any | OtherKeys::Refused => None,
        };
        self.patterns.iter().map(|(_, rule)| rule).chain(others)
    }
}

/// The type and constraints of a value.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRule {
    /// Its Rust type.
    pub ty: TypeRef,
    /// Constraints checked before sending.
    pub constraints: Constraints,
}

/// What an object allows under keys that are neither properties nor
/// match a pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum OtherKeys {
    /// Anything (no `additionalProperties`, or `true`).
    Any,
    /// Nothing (`additionalProperties: false`).
    Refused,
    /// Values of this rule (`additionalProperties: <schema>`).
    Rule(Box<ValueRule>),
}

/// Sets of properties of which at least one (`anyOf`) or exactly one
/// (`oneOf`) must be present in full.
#[derive(Debug, Clone)]
pub struct RequiredSets {
    /// Each alternative's required properties, by wire name.
    pub sets: Vec<Vec<String>>,
    /// `true` for `oneOf`.
    pub exactly_one: bool,
}

/// A value of a string enum.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// Rust variant name.
    pub rust_name: String,
    /// Value on the wire.
    pub wire: String,
}

/// A kind of a tagged union.
#[derive(Debug, Clone)]
pub struct TaggedVariant {
    /// Rust variant name.
    pub rust_name: String,
    /// Value of the tag.
    pub tag_value: String,
    /// Name of the struct that holds the kind's other fields.
    pub ty: String,
}

/// An alternative of an untagged union.
#[derive(Debug, Clone)]
pub struct UntaggedVariant {
    /// Rust variant name.
    pub rust_name: String,
    /// The alternative's type.
    pub ty: TypeRef,
    /// The alternative's own constraints, checked before sending.
    pub constraints: Constraints,
}

/// A method that polls an operation until a status reaches a terminal
/// value.
#[derive(Debug, Clone)]
pub struct Waiter {
    /// The spec's name (`waitForExecution`).
    pub name: String,
    /// Rust method name (`wait_for_execution`).
    pub method_name: String,
    /// Rust name of the waiter builder (`NotebookWaitForExecutionWaiter`).
    pub builder: String,
    /// One-line summary.
    pub summary: String,
    /// More text, if any.
    pub description: Option<String>,
    /// Rust method name of the polled operation (`logs`).
    pub operation: String,
    /// The polled operation's own required arguments come first; this is
    /// set when the operation returns a list: the item watched.
    pub item: Option<WaitedItem>,
    /// Type of what the waiter returns: the response, or the item.
    pub output: TypeRef,
    /// Rust name of the field holding the status.
    pub status_field: String,
    /// Whether that field is required (not an `Option`).
    pub status_required: bool,
    /// Query setters called on every poll: (Rust setter name, Rust
    /// expression of the value).
    pub query: Vec<(String, String)>,
    /// Default time between polls, in milliseconds.
    pub interval_ms: u64,
    /// Default deadline, in milliseconds.
    pub deadline_ms: u64,
}

/// The item of a list response that a waiter watches.
#[derive(Debug, Clone)]
pub struct WaitedItem {
    /// Rust name of the item field compared with the argument.
    pub field: String,
    /// Whether that field is required (not an `Option`).
    pub field_required: bool,
    /// The waiter's argument: the value looked for.
    pub argument: Param,
}

/// The terminal values of a string enum used as a waiter's status: the
/// enum gets `is_terminal()`.
#[derive(Debug, Clone)]
pub struct TerminalValues {
    /// The enum's type name.
    pub ty: String,
    /// Rust variant names of the terminal values.
    pub variants: Vec<String>,
}
