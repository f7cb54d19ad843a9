//! Resources and operations → model.

use super::{At, Lowerer, TypeOwner};
use crate::error::Error;
use crate::model::{
    Body, EventStream, Method, Operation, Pagination, Param, ParamLocation, Part, PartValue,
    Resource, Response, Segment, StatusVariant, StreamEvent, TypeDef, TypeKind, TypeRef,
};
use crate::naming::{Taken, camel, camel_prefix, snake};
use crate::spec::{self, HttpMethod, PartKind, PathComponent, Schema, Spec};
use serde_json::Value;
use std::collections::BTreeMap;

/// What a parameter declares, wherever it was declared.
pub(super) struct ParamSpec<'a> {
    pub description: &'a str,
    pub required: bool,
    pub default: &'a Option<Value>,
    pub example: &'a Option<Value>,
    pub schema: &'a Schema,
    /// Whether the value may be an object or an array (sent in bracket
    /// notation): only a query parameter of an operation.
    pub structured: bool,
}

/// Header names must be HTTP tokens (RFC 9110), and `Authorization` is
/// the token's, set from `auth` in `api.yaml`.
pub(super) fn check_header_name(name: &str, at: &At) -> Result<(), Error> {
    let token = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !token {
        return Err(at.error(format!(
            "`{name}` is not a valid HTTP header name: use letters, digits and `!#$%&'*+-.^_`|~` only"
        )));
    }
    if name.eq_ignore_ascii_case("authorization") {
        return Err(at.error(
            "the Authorization header comes from `auth` in api.yaml; do not list it per operation or as a global parameter",
        ));
    }
    Ok(())
}

/// The longest module name of a resource, in bytes: it names the files
/// `<module>.rs` and `<module>.md`, well within the 255 bytes file systems
/// allow.
const MAX_MODULE_NAME: usize = 200;

/// Names every request builder already uses for its own methods and fields.
const BUILDER_METHODS: &[&str] = &[
    // Methods of every builder (`request_traits!` and `into_request`).
    "send",
    "into_future",
    "into_request",
    "global_parameters",
    // Methods of `RequestOptions`, which every builder implements.
    "request_options",
    "with_timeout",
    "with_retry",
    "with_header",
    // Fields of every builder.
    "client",
    "globals",
    // The JSON body's argument and field, claimed up front so that a
    // parameter called `body` is renamed rather than the body.
    "body",
];

/// Names the request builder of a stream operation also uses.
const STREAM_BUILDER_METHODS: &[&str] = &["reconnect", "last_event_id"];

/// Whether a type can travel in a path segment, query string or header.
pub(super) fn is_scalar(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> bool {
    match ty {
        TypeRef::String
        | TypeRef::Integer
        | TypeRef::Number
        | TypeRef::Boolean
        | TypeRef::Timestamp => true,
        TypeRef::Named(name) => matches!(
            types.get(name).map(|t| &t.kind),
            Some(TypeKind::Newtype { .. } | TypeKind::Enum { .. })
        ),
        _ => false,
    }
}

impl<'s> Lowerer<'s> {
    /// The resources, and the terminal values of the enums their waiters
    /// watch.
    pub(super) fn resources(
        &mut self,
        spec: &'s Spec,
    ) -> Result<(Vec<Resource>, Vec<crate::model::TerminalValues>), Error> {
        let mut terminal = BTreeMap::new();
        let global_names: Vec<String> = spec
            .api
            .value
            .parameters
            .iter()
            .map(|p| snake(&p.name))
            .collect();
        let mut modules: BTreeMap<String, String> = BTreeMap::new();
        let mut resources = Vec::new();
        for file in &spec.resources {
            let root = At::root(file);
            let resource = &file.value;
            let module = crate::naming::resource_module(&resource.name);
            // The module is a file (`src/generated/<module>.rs`, and a
            // Markdown page): file systems refuse names past 255 bytes.
            if module.len() > MAX_MODULE_NAME {
                self.problems.push(root.key("name").diagnostic(format!(
                    "the resource's module name `{module}` is {} bytes long, and names generated files; use at most {MAX_MODULE_NAME}",
                    module.len()
                )));
                continue;
            }
            if let Some(other) = modules.get(&module) {
                self.problems.push(root.key("name").diagnostic(format!(
                    "resource `{}` is already defined in {other}",
                    resource.name
                )));
                continue;
            }
            modules.insert(module.clone(), file.file.clone());

            let mut method_names: BTreeMap<String, (&str, At)> = BTreeMap::new();
            let mut operations = Vec::new();
            for (name, op) in &resource.operations {
                let at = root.key("operations").key(name);
                let method_name = snake(name);
                if let Some((other, other_at)) = method_names.get(&method_name) {
                    // Operations are visited by name; report the one written
                    // later in the file, as the file reads top to bottom.
                    let ((name, at), other) = if at.position() > other_at.position() {
                        ((name.as_str(), &at), *other)
                    } else {
                        ((*other, other_at), name.as_str())
                    };
                    self.problems.push(at.diagnostic(format!(
                        "operation `{name}` has the same Rust name `{method_name}` as operation `{other}`"
                    )));
                    continue;
                }
                method_names.insert(method_name.clone(), (name, at.clone()));
                let operation = self.operation(
                    &format!("{}{}", camel(&resource.name), camel(name)),
                    &camel(&resource.name),
                    &resource.name,
                    name,
                    method_name,
                    op,
                    &resource.path_components,
                    &global_names,
                    &root,
                    &at,
                );
                operations.extend(self.keep(operation)?);
            }
            if resource.operations.is_empty() {
                self.problems.push(
                    root.key("operations")
                        .diagnostic("a resource needs at least one operation"),
                );
            }
            let mut taken_methods: Vec<String> = method_names.keys().cloned().collect();
            let mut waiters = Vec::new();
            for (name, waiter) in &resource.waiters {
                let at = root.key("waiters").key(name);
                let waiter = self.waiter(
                    &resource.name,
                    name,
                    waiter,
                    &operations,
                    &taken_methods,
                    &mut terminal,
                    &at,
                );
                if let Some(waiter) = self.keep(waiter)? {
                    taken_methods.push(waiter.method_name.clone());
                    waiters.push(waiter);
                }
            }
            resources.push(Resource {
                name: resource.name.clone(),
                handle: format!("{}Resource", camel_prefix(&resource.name)),
                module,
                description: resource.description.clone(),
                file: file.file.clone(),
                operations,
                waiters,
            });
        }
        resources.sort_by(|a, b| a.module.cmp(&b.module));
        Ok((resources, self.terminal_values(terminal)))
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        owner: &str,
        resource_owner: &str,
        resource_name: &str,
        name: &str,
        method_name: String,
        op: &spec::Operation,
        shared_components: &BTreeMap<String, PathComponent>,
        global_names: &[String],
        root: &At,
        at: &At,
    ) -> Result<Operation, Error> {
        let mut taken = Taken::default();
        for reserved in BUILDER_METHODS
            .iter()
            .map(|s| s.to_string())
            .chain(global_names.iter().cloned())
        {
            taken.claim(reserved);
        }
        if op.events.is_some() {
            // The setters every stream builder has.
            for reserved in STREAM_BUILDER_METHODS {
                taken.claim((*reserved).to_owned());
            }
        }

        // Path components: the resource's and the operation's own.
        let mut declared: BTreeMap<&str, (&PathComponent, At)> = BTreeMap::new();
        for (component, spec) in shared_components {
            declared.insert(
                component,
                (spec, root.key("path_components").key(component)),
            );
        }
        for (component, spec) in &op.path_components {
            let component_at = at.key("path_components").key(component);
            if declared.contains_key(component.as_str()) {
                return Err(component_at.error(format!(
                    "path component `{component}` is already declared by the resource"
                )));
            }
            declared.insert(component, (spec, component_at));
        }

        let path_at = at.key("path");
        if !op.path.starts_with('/') {
            return Err(path_at.error(format!("path `{}` must start with `/`", op.path)));
        }
        let mut segments = Vec::new();
        let mut path_params: Vec<Param> = Vec::new();
        for raw in op.path[1..].split('/') {
            if let Some(var) = raw.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
                let Some((component, component_at)) = declared.get(var) else {
                    let names: Vec<&str> = declared.keys().copied().collect();
                    return Err(path_at.error(format!(
                        "path variable `{{{var}}}` is not a declared path component (declared: {})",
                        if names.is_empty() {
                            "none".to_owned()
                        } else {
                            names.join(", ")
                        }
                    )));
                };
                if path_params.iter().any(|p| p.wire_name == var) {
                    return Err(path_at.error(format!("path variable `{{{var}}}` is used twice")));
                }
                let param = self.param(
                    var,
                    ParamLocation::Path,
                    &ParamSpec {
                        description: &component.description,
                        required: true,
                        default: &None,
                        example: &component.example,
                        schema: &component.schema,
                        structured: false,
                    },
                    TypeOwner {
                        resource: resource_owner,
                        operation: owner,
                    },
                    &mut taken,
                    component_at,
                )?;
                segments.push(Segment::Param(path_params.len()));
                path_params.push(param);
            } else if raw.contains(['{', '}']) {
                return Err(path_at.error(format!(
                    "path segment `{raw}`: a path variable must be a whole segment, like `{{NAME}}`"
                )));
            } else if raw.is_empty()
                || !raw
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
            {
                return Err(path_at.error(format!(
                    "path segment `{raw}` must be non-empty and hold only letters, digits, `-`, `.`, `_` or `~`"
                )));
            } else {
                segments.push(Segment::Literal(raw.to_owned()));
            }
        }
        for (component, (_, component_at)) in &declared {
            if path_params.iter().any(|p| p.wire_name == *component) {
                continue;
            }
            // A component of the resource is missing from this operation's
            // path: the path is what to fix, not the shared declaration.
            if shared_components.contains_key(*component) {
                return Err(path_at.error(format!(
                    "path `{}` does not use path component `{component}`, which the resource declares for all its operations",
                    op.path
                )));
            }
            return Err(component_at.error(format!(
                "path component `{component}` does not appear in path `{}`",
                op.path
            )));
        }

        let query = self.params(
            &op.query,
            ParamLocation::Query,
            TypeOwner {
                resource: resource_owner,
                operation: owner,
            },
            &mut taken,
            &at.key("query"),
        )?;
        for header in op.headers.keys() {
            check_header_name(header, &at.key("headers").key(header))?;
        }
        let headers = self.params(
            &op.headers,
            ParamLocation::Header,
            TypeOwner {
                resource: resource_owner,
                operation: owner,
            },
            &mut taken,
            &at.key("headers"),
        )?;

        let body = match &op.body {
            None => None,
            Some(spec::Body::Json {
                schema,
                description,
                example,
                required,
            }) => {
                let ty = self.lower_inline(
                    schema,
                    &format!("{owner}Body"),
                    &at.key("body").key("schema"),
                )?;
                if let Some(example) = example {
                    if let Err(problem) = serde_json::from_str::<Value>(example) {
                        return Err(at
                            .key("body")
                            .key("example")
                            .error(format!("the example is not valid JSON: {problem}")));
                    }
                }
                Some(Body::Json {
                    ty,
                    description: description.clone(),
                    example: example.clone(),
                    required: *required,
                })
            }
            Some(spec::Body::Multipart { parts, description }) => {
                if parts.is_empty() {
                    return Err(at
                        .key("body")
                        .key("parts")
                        .error("a multipart body needs at least one part"));
                }
                let mut lowered: Vec<Part> = Vec::new();
                for (wire, part) in parts {
                    let part_at = at.key("body").key("parts").key(wire);
                    let part = self.part(owner, wire, part, &mut taken, &part_at);
                    lowered.extend(self.keep(part)?);
                }
                lowered.sort_by_key(|p| !p.required);
                Some(Body::Multipart {
                    parts: lowered,
                    description: description.clone(),
                })
            }
        };

        let mut responses = Vec::new();
        for (status, response) in &op.responses {
            let response_at = at.key("responses").key(&status.to_string());
            if !(100..=599).contains(status) {
                return Err(response_at.error(format!("`{status}` is not an HTTP status code")));
            }
            let ty = match &response.schema {
                Some(schema) => Some(self.lower_inline(
                    schema,
                    &format!("{owner}Response{status}"),
                    &response_at.key("schema"),
                )?),
                None => None,
            };
            responses.push(Response {
                status: *status,
                description: response.description.clone(),
                ty,
            });
        }
        let successes: Vec<&Response> = responses
            .iter()
            .filter(|r| (200..300).contains(&r.status))
            .collect();
        let Some(first) = successes.first() else {
            return Err(at
                .key("responses")
                .error("an operation needs at least one 2xx response"));
        };
        // One body for every 2xx (or none for all): the method returns it.
        // Else an enum with a variant per status, each decoding its own
        // body, so that a 202's body is never read as the 200's type and
        // a 204 without a body is not a decoding error.
        let one_body = successes.iter().all(|r| r.ty == first.ty);
        let (success, by_status) = if one_body {
            (first.ty.clone(), Vec::new())
        } else {
            let variants = successes
                .iter()
                .map(|r| StatusVariant {
                    status: r.status,
                    variant: crate::naming::status_variant(r.status),
                    description: r.description.clone(),
                    ty: r.ty.clone(),
                })
                .collect();
            (None, variants)
        };
        // An action called without a token has no scopes to list.
        if op.scopes.is_empty() && op.authenticated {
            return Err(at.key("scopes").error(
                "an operation needs at least one scope (or `authenticated: false`, for an action called without a token)",
            ));
        }
        if op.summary.trim().is_empty() {
            return Err(at.key("summary").error("the summary is empty"));
        }

        // Before pagination: a stream that pages is refused as a stream.
        let events = match &op.events {
            None => None,
            Some(events) => Some(self.events(
                events,
                op,
                owner,
                crate::naming::event_enum_name(resource_name, name),
                at,
            )?),
        };

        let pagination = match &op.pagination {
            None => None,
            Some(_) if !by_status.is_empty() => {
                return Err(at
                    .key("pagination")
                    .error("a paginated operation needs one response body for every 2xx status"));
            }
            Some(p) => Some(self.pagination(p, &query, success.as_ref(), &at.key("pagination"))?),
        };

        Ok(Operation {
            name: name.to_owned(),
            method_name,
            builder: crate::naming::builder_name(resource_name, name),
            summary: op.summary.clone(),
            description: op.description.clone(),
            method: match op.method {
                HttpMethod::GET => Method::Get,
                HttpMethod::POST => Method::Post,
                HttpMethod::PUT => Method::Put,
                HttpMethod::PATCH => Method::Patch,
                HttpMethod::DELETE => Method::Delete,
            },
            path_template: op.path.clone(),
            segments,
            scopes: op.scopes.clone(),
            path_params,
            query,
            headers,
            body,
            responses,
            success,
            by_status,
            authenticated: op.authenticated,
            pagination,
            events,
            deprecated: op.deprecated,
            deny_oauth_tokens: op.deny_oauth_tokens,
            allow_unverified: op.allow_unverified,
        })
    }

    /// The events of a stream operation, which must be a `GET` without a
    /// body, pagination or 2xx body: the response is the stream.
    fn events(
        &mut self,
        events: &BTreeMap<String, spec::StreamEvent>,
        op: &spec::Operation,
        owner: &str,
        enum_name: String,
        at: &At,
    ) -> Result<EventStream, Error> {
        let events_at = at.key("events");
        if op.method != HttpMethod::GET {
            return Err(at.key("method").error(
                "an operation with `events` is a server-sent event stream and must be a GET",
            ));
        }
        if op.body.is_some() {
            return Err(at.key("body").error(
                "an operation with `events` is a server-sent event stream and cannot have a body",
            ));
        }
        if op.pagination.is_some() {
            return Err(at.key("pagination").error(
                "an operation with `events` is a server-sent event stream and cannot be paginated",
            ));
        }
        if let Some((status, _)) = op
            .responses
            .iter()
            .find(|(status, r)| (200..300).contains(*status) && r.schema.is_some())
        {
            return Err(at
                .key("responses")
                .key(&status.to_string())
                .key("schema")
                .error(format!(
                    "the {status} response of an operation with `events` is the event stream; describe each event's data under `events` instead of a schema"
                )));
        }
        if events.is_empty() {
            return Err(events_at.error("`events` needs at least one event"));
        }
        let mut variants = super::schema::with_unknown_variant();
        let mut lowered = Vec::new();
        for (wire, event) in events {
            let event_at = events_at.key(wire);
            // The name is the text of an `event:` line: a leading space
            // would be dropped by the reader, and a line break would end it.
            if wire.is_empty() || wire.starts_with(' ') || wire.contains(['\r', '\n']) {
                return Err(event_at.error(format!(
                    "{wire:?} cannot be the name of a server-sent event: it must be non-empty, hold no line break and not start with a space"
                )));
            }
            if event.description.trim().is_empty() {
                return Err(event_at
                    .key("description")
                    .error("the description is empty"));
            }
            let ty = self.lower_inline(
                &event.schema,
                &format!("{owner}{}Data", camel(wire)),
                &event_at.key("schema"),
            )?;
            lowered.push(StreamEvent {
                wire_name: wire.clone(),
                variant: variants.claim(camel(wire)),
                description: event.description.clone(),
                ty,
            });
        }
        Ok(EventStream {
            enum_name,
            events: lowered,
        })
    }

    /// One part of a multipart body: a file, free text, or a typed value
    /// sent as its text (`text` with a `schema`) or its JSON (`json`).
    fn part(
        &mut self,
        owner: &str,
        wire: &str,
        part: &spec::MultipartPart,
        taken: &mut Taken,
        at: &At,
    ) -> Result<Part, Error> {
        let hint = crate::naming::part_type_name(owner, wire);
        let schema_at = at.key("schema");
        let (kind, constraints) = match (part.kind, &part.schema) {
            (PartKind::File, None) => (PartValue::File, Default::default()),
            (PartKind::File, Some(_)) => {
                return Err(schema_at.error(
                    "a `file` part takes no `schema`: it is bytes with a file name (use `text` or `json` for a typed value)",
                ));
            }
            (PartKind::Text, None) => (PartValue::Text(None), Default::default()),
            (PartKind::Text, Some(schema)) => {
                let ty = self.lower_inline(schema, &hint, &schema_at)?;
                if !self.is_textual(&ty) {
                    return Err(schema_at.error(
                        "the schema of a `text` part must be a string, a string enum or a `$ref` to one (use `json` for other values)",
                    ));
                }
                (PartValue::Text(Some(ty)), self.constraints(schema))
            }
            (PartKind::Json, Some(schema)) => {
                let ty = self.lower_inline(schema, &hint, &schema_at)?;
                (PartValue::Json(ty), self.constraints(schema))
            }
            (PartKind::Json, None) => {
                return Err(at.key("kind").error(
                    "a `json` part needs a `schema` (usually a `$ref`): its value is sent as JSON text",
                ));
            }
        };
        Ok(Part {
            wire_name: wire.to_owned(),
            rust_name: taken.claim(snake(wire)),
            description: part.description.clone(),
            required: part.required,
            kind,
            constraints,
        })
    }

    /// Whether `ty` is sent as plain text: a string, a string newtype or a
    /// string enum (a type that failed to lower has been reported).
    fn is_textual(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String => true,
            TypeRef::Named(name) => matches!(
                self.types.get(name).map(|t| &t.kind),
                Some(TypeKind::Newtype { .. } | TypeKind::Enum { .. }) | None
            ),
            _ => false,
        }
    }

    fn params(
        &mut self,
        specs: &BTreeMap<String, spec::Parameter>,
        location: ParamLocation,
        owner: TypeOwner<'_>,
        taken: &mut Taken,
        at: &At,
    ) -> Result<Vec<Param>, Error> {
        let mut params = Vec::new();
        for (wire, p) in specs {
            params.push(self.param(
                wire,
                location,
                &ParamSpec {
                    description: &p.description,
                    required: p.required,
                    default: &p.default,
                    example: &p.example,
                    schema: &p.schema,
                    structured: location == ParamLocation::Query,
                },
                owner,
                taken,
                &at.key(wire),
            )?);
        }
        params.sort_by_key(|p| !p.required);
        Ok(params)
    }

    fn pagination(
        &self,
        spec: &spec::Pagination,
        query: &[Param],
        success: Option<&TypeRef>,
        at: &At,
    ) -> Result<Pagination, Error> {
        let param = |wire: &str, key: &str| -> Result<String, Error> {
            match query.iter().find(|p| p.wire_name == wire) {
                Some(p) if !p.required && p.ty == TypeRef::Integer => Ok(p.rust_name.clone()),
                Some(_) => Err(at.key(key).error(format!(
                    "query parameter `{wire}` must be an optional integer to page with"
                ))),
                None => Err(at.key(key).error(format!(
                    "`{wire}` is not a query parameter of this operation"
                ))),
            }
        };
        let page_param = param(&spec.page, "page")?;
        let per_page_param = param(&spec.per_page, "per_page")?;
        let fields = match success {
            Some(TypeRef::Named(name)) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct { fields, .. }) => fields,
                _ => {
                    return Err(
                        at.error("the success response of a paginated operation must be an object")
                    );
                }
            },
            _ => {
                return Err(
                    at.error("the success response of a paginated operation must be an object")
                );
            }
        };
        let field = |wire: &str, key: &str| {
            fields.iter().find(|f| f.wire_name == wire).ok_or_else(|| {
                at.key(key)
                    .error(format!("the success response has no field `{wire}`"))
            })
        };
        let items = field(&spec.items, "items")?;
        let TypeRef::List(item_ty) = &items.ty else {
            return Err(at
                .key("items")
                .error(format!("response field `{}` must be an array", spec.items)));
        };
        let total = field(&spec.total, "total")?;
        if total.ty != TypeRef::Integer {
            return Err(at.key("total").error(format!(
                "response field `{}` must be an integer",
                spec.total
            )));
        }
        let default_per_page = query
            .iter()
            .find(|p| p.wire_name == spec.per_page)
            .and_then(|p| p.default.as_ref())
            .and_then(serde_json::Value::as_i64);
        Ok(Pagination {
            page_param,
            per_page_param,
            items_field: items.rust_name.clone(),
            items_required: items.required,
            total_field: total.rust_name.clone(),
            total_required: total.required,
            default_per_page,
            item_ty: (**item_ty).clone(),
        })
    }
}
