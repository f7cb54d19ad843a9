//! Every spec the generator accepts becomes a crate that compiles without
//! warnings, documents without rustdoc warnings and passes its doctests.
//!
//! The specs are made here, from a fixed seed: a corpus of hostile names
//! (the names the generated code and its runtime use themselves, Rust's
//! keywords and prelude, names that meet after case conversion) and hostile
//! texts (Markdown that rustdoc would run or link, HTML, lone carriage
//! returns, bidi controls), combined with awkward shapes (a list or map of
//! itself, deep nesting, long names). Many cases share one crate, so the
//! whole corpus costs a few builds; when a crate fails, the failing cases
//! are found by building halves of it.

mod support;

use codegen::SourceFile;

/// Names the generated code or its runtime also use, and Rust's own.
const TYPE_NAMES: &[&str] = &[
    "Result",
    "Option",
    "String",
    "Vec",
    "Some",
    "None",
    "Ok",
    "Err",
    "Box",
    "Serialize",
    "Deserialize",
    "From",
    "Into",
    "Default",
    "Clone",
    "Debug",
    "Display",
    "Send",
    "Sync",
    "Future",
    "IntoFuture",
    "Validate",
    "Rules",
    "FieldPath",
    "InvalidInput",
    "Client",
    "ClientBuilder",
    "ApiRequest",
    "ApiError",
    "Error",
    "FilePart",
    "GlobalParameters",
    "GlobalParameterValues",
    "ResponseFuture",
    "Value",
    "BTreeMap",
    "DateTime",
    "Utc",
    "Unknown",
    "Types",
    "Stream",
];

/// Resource names that meet a module, method or keyword of the crate.
const RESOURCE_NAMES: &[&str] = &[
    "client",
    "error",
    "types",
    "api",
    "prelude",
    "request",
    "validate",
    "generated",
    "std",
    "core",
    "alloc",
    "new",
    "builder",
    "send",
    "self",
    "crate",
    "super",
    "serde",
    "reqwest",
    "json",
    "pagination",
    "impls",
    "pattern",
    "upload",
    "clone",
    "type",
    "tokio",
    "chrono",
];

/// Operation names that meet a method of the handle or of each other.
const OPERATION_NAMES: &[&str] = &[
    "new",
    "api",
    "send",
    "clone",
    "into_future",
    "into_request",
    "type",
    "self",
    "fmt",
    "validate",
    "globals",
    "getThing",
];

/// Parameter and multipart part names that meet the builder's own.
const PARAMETER_NAMES: &[&str] = &[
    "body",
    "globals",
    "into_request",
    "client",
    "self",
    "request",
    "send",
    "type",
    "SCOPES",
    "scopes",
    "new",
    "validate",
    "self_",
    "fieldPath",
    "field_path",
    "options",
    "with_timeout",
    "request_options",
    "global_parameters",
];

/// Enum values that meet the generated `Unknown` variant or each other.
const ENUM_VALUES: &[&str] = &[
    "Unknown", "unknown", "UNKNOWN", "", "1", "-", "self", "Self", "a b", "as_str", "from",
];

/// Texts that are Markdown to rustdoc but must read as what they are.
const TEXTS: &[&str] = &[
    "a lone ` backtick",
    "``double`` and `single` ticks",
    "[brackets] that link nowhere",
    "[text][reference] and [x](y) and [^note]",
    "<div>HTML</div> and <script>alert(1)</script> and <T>",
    "a & b < c > d",
    "    indented code\n    that rustdoc would run",
    "```\nfenced code\n```",
    "```rust\nfn main() { panic!() }\n```",
    "~~~\ntilde fence\n~~~",
    "a lone\rcarriage return",
    "bidi \u{202E}reversed\u{202C} and \u{2066}isolated\u{2069}",
    "*/ ends a comment /* starts one",
    "\"# ends a raw string",
    "a \\ backslash and \\[escaped\\]",
    "{{template}} and #[doc = \"x\"]",
    "# A heading\n- a list\n| a | table |",
    "<https://example.test/autolink> and https://example.test/bare",
    "<!-- an unclosed comment",
    "trailing spaces   \nand a\ttab",
    "emoji \u{1F680} and NUL \u{0} and DEL \u{7F}",
];

/// A small deterministic random source (xorshift64*), so the cases are the
/// same on every run and a failure can be reproduced.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

/// A YAML double-quoted scalar holding `text` exactly.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || !c.is_ascii() => {
                out.push_str(&format!("\\U{:08X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One generated case: a resource file and the schemas it uses. Its names
/// are unique within a crate; `label` says what it bends.
#[derive(Clone)]
struct Case {
    label: String,
    resource: String,
    schemas: String,
}

/// Makes case `i`: a resource named from the corpus with a few operations
/// whose names, parameters, bodies, responses and texts are hostile.
fn make_case(i: usize, random: &mut Seeded) -> Case {
    let resource = RESOURCE_NAMES[i % RESOURCE_NAMES.len()];
    let resource = if i < RESOURCE_NAMES.len() {
        resource.to_owned()
    } else {
        format!("{resource}{i}")
    };
    let type_name = TYPE_NAMES[i % TYPE_NAMES.len()];
    let type_name = if i < TYPE_NAMES.len() {
        type_name.to_owned()
    } else {
        format!("{type_name}{i}")
    };
    let enum_name = format!("Kind{i}");
    let list_name = format!("List{i}");
    let map_name = format!("Map{i}");
    let self_list = format!("Tree{i}");
    let long_name = format!("Very{}Long{i}", "Long".repeat(30));
    let text = |random: &mut Seeded| quoted(random.pick(TEXTS));

    let mut enum_values: Vec<&str> = Vec::new();
    for _ in 0..4 {
        let value = random.pick(ENUM_VALUES);
        if !enum_values.contains(&value) {
            enum_values.push(value);
        }
    }
    let enum_values: Vec<String> = enum_values.iter().map(|v| quoted(v)).collect();
    let mut deep = String::from("{ type: string }");
    // One case nests close to the YAML reader's limit of 128 levels.
    let depth = if i == 0 { 55 } else { 12 };
    for level in 0..depth {
        deep = format!("{{ type: object, properties: {{ level{level}: {deep} }} }}");
    }
    let schemas = format!(
        r#"{type_name}:
  description: {d1}
  type: object
  required: [kind]
  properties:
    kind: {{ $ref: {enum_name} }}
    {p1}: {{ type: string, description: {d2} }}
    {p2}: {{ type: integer, description: {d3} }}
    items: {{ $ref: {list_name} }}
    children: {{ $ref: {map_name} }}
    self_list: {{ $ref: {self_list} }}
    deep: {deep}
    {long_property}: {{ $ref: {long_name} }}
    level: {{ type: integer, enum: [1, 2, 5] }}
    ratio: {{ type: number, enum: [0.5, 1] }}
    off: {{ type: boolean, enum: [false] }}
    letters: {{ type: string, pattern: '^\p{{L}}+$' }}
    maybe: {{ type: array, items: {{ type: [string, "null"] }} }}
    maybe_kinds: {{ type: object, additionalProperties: {{ $ref: {type_name}Nullable }} }}
{type_name}Nullable:
  type: [object, "null"]
  properties:
    note: {{ type: string }}
{type_name}Required:
  allOf:
    - {{ $ref: {type_name} }}
    - {{ required: [{p1}] }}
{enum_name}:
  description: {d4}
  type: string
  enum: [{enum_values}]
{list_name}:
  description: {d5}
  type: array
  items: {{ $ref: {type_name} }}
{map_name}:
  type: object
  additionalProperties: {{ $ref: {type_name} }}
{self_list}:
  type: array
  items:
    type: object
    properties:
      more: {{ $ref: {self_list} }}
{long_name}:
  type: object
  properties:
    value: {{ type: boolean }}
"#,
        d1 = text(random),
        d2 = text(random),
        d3 = text(random),
        d4 = text(random),
        d5 = text(random),
        p1 = quoted(random.pick(PARAMETER_NAMES)),
        p2 = quoted(random.pick(TYPE_NAMES)),
        long_property = "property_with_a_long_name_".repeat(6),
        enum_values = enum_values.join(", "),
    );

    let mut operations = String::new();
    let mut used = Vec::new();
    for n in 0..3 {
        let mut name = random.pick(OPERATION_NAMES);
        while used.contains(&name) {
            name = random.pick(OPERATION_NAMES);
        }
        used.push(name);
        let query = random.pick(PARAMETER_NAMES);
        let header = ["X-Body", "X-Globals", "X-Self", "If-Match"][n];
        let body = match n {
            0 => format!(
                "    body:\n      content_type: application/json\n      description: {}\n      schema: {{ $ref: {type_name} }}\n      example: '{{\"kind\": {}}}'\n",
                text(random),
                serde_json::to_string(&enum_value_text(&enum_values[0]))
                    .expect("a string encodes")
                    .replace('\'', "''")
            ),
            1 => {
                let file_part = random.pick(PARAMETER_NAMES);
                let mut text_part = random.pick(&["body", "globals", "file", "into_request"]);
                if text_part == file_part {
                    text_part = "file";
                }
                format!(
                    "    body:\n      content_type: multipart/form-data\n      description: {}\n      parts:\n        {}: {{ description: {}, required: true, kind: file }}\n        {}: {{ description: {}, kind: text }}\n",
                    text(random),
                    quoted(file_part),
                    text(random),
                    quoted(text_part),
                    text(random),
                )
            }
            _ => String::new(),
        };
        let query_schema = if n == 2 {
            format!("{{ $ref: {enum_name} }}")
        } else {
            "{ type: string, maxLength: 10 }".to_owned()
        };
        operations.push_str(&format!(
            r#"  {name}:
    summary: {summary}
    description: {description}
    method: {method}
    path: /{resource_path}/{n}/{{ID}}
    scopes: [{scope}]
    path_components:
      ID: {{ description: {id_description}, example: "abc", schema: {{ type: string, minLength: 1 }} }}
    query:
      {query}: {{ description: {query_description}, schema: {query_schema} }}
    headers:
      {header}: {{ description: {header_description}, schema: {{ type: string }} }}
{body}{flags}    responses:
      200: {{ description: {ok}, schema: {{ $ref: {type_name} }} }}
      404: {{ description: {not_found} }}
"#,
            name = quoted(name),
            summary = text(random),
            description = text(random),
            method = ["POST", "PUT", "GET"][n],
            resource_path = format_args!("case{i}"),
            scope = quoted(random.pick(TEXTS)),
            id_description = text(random),
            query = quoted(query),
            query_description = text(random),
            header_description = text(random),
            ok = text(random),
            not_found = text(random),
            flags = if n == 2 {
                "    deprecated: true\n    deny_oauth_tokens: true\n    allow_unverified: true\n"
            } else {
                ""
            },
        ));
    }
    let resource_text = format!(
        "name: {}\ndescription: {}\noperations:\n{operations}",
        quoted(&resource),
        text(random)
    );
    Case {
        label: format!("case {i}: resource `{resource}`, type `{type_name}`"),
        resource: resource_text,
        schemas,
    }
}

/// The text of a quoted YAML scalar made by [`quoted`], for JSON examples.
fn enum_value_text(quoted_value: &str) -> String {
    serde_yaml::from_str::<String>(quoted_value).expect("quoted() makes valid YAML")
}

const API: &str = r#"title: Hostile API
version: "1"
description: "An API whose [names] and `texts` fight the generated code."
base_url: https://api.example.test
auth: { scheme: bearer, description: "The token, <b>bold</b> and [linked]." }
parameters:
  - { name: X-Body, in: header, description: "A header called [body].", schema: { type: string } }
  - { name: globals, in: query, description: "    indented", schema: { type: boolean } }
  - { name: options, in: query, description: "Named like the options field.", schema: { type: boolean } }
  - { name: X-Tenant, in: header, description: "A <tenant>.", schema: { type: string, maxLength: 8, pattern: '^\p{L}+$' } }
"#;

/// The spec files of a crate holding `cases`.
fn spec_of(cases: &[Case]) -> Vec<SourceFile> {
    let mut files = vec![SourceFile {
        path: "api.yaml".into(),
        text: API.into(),
    }];
    let mut schemas = String::new();
    for (i, case) in cases.iter().enumerate() {
        files.push(SourceFile {
            path: format!("resources/case{i:03}.yaml"),
            text: case.resource.clone(),
        });
        schemas.push_str(&case.schemas);
    }
    files.push(SourceFile {
        path: "schemas/hostile.yaml".into(),
        text: schemas,
    });
    files
}

/// Builds, tests, doctests and documents a crate of `cases`; on failure,
/// finds the cases that break it by building halves.
fn check(name: &str, cases: &[Case], failures: &mut Vec<String>) {
    let spec = spec_of(cases);
    let Err(output) = support::build_test_and_document(name, &spec) else {
        return;
    };
    // Set `HOSTILE_WHOLE=1` to see the whole crate's errors at once
    // instead of the failing cases.
    if cases.len() == 1 || std::env::var_os("HOSTILE_WHOLE").is_some() {
        let labels: Vec<&str> = cases.iter().map(|c| c.label.as_str()).collect();
        failures.push(format!("{}:\n{}", labels.join(", "), tail(&output)));
        return;
    }
    let (left, right) = cases.split_at(cases.len() / 2);
    check(&format!("{name}a"), left, failures);
    check(&format!("{name}b"), right, failures);
}

/// The end of cargo's output, where its errors are.
fn tail(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    lines[lines.len().saturating_sub(60)..].join("\n")
}

#[test]
fn hostile_specs_generate_crates_that_build_document_and_pass_doctests() {
    let mut random = Seeded(0x005E_ED0F_4057_11E5);
    let cases: Vec<Case> = (0..RESOURCE_NAMES.len() + 12)
        .map(|i| make_case(i, &mut random))
        .collect();
    let mut failures = Vec::new();
    check("hostile", &cases, &mut failures);
    assert!(
        failures.is_empty(),
        "{} case(s) broke the generated crate:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// A spec of one resource with one operation; the caller adds to its
/// API file, its schemas, its operation (before `responses`) and its
/// responses.
/// The fields of the struct `name` of `api`.
fn struct_fields<'a>(api: &'a codegen::model::Api, name: &str) -> &'a [codegen::model::Field] {
    let def = api
        .find_type(name)
        .unwrap_or_else(|| panic!("no type {name}"));
    let codegen::model::TypeKind::Struct { fields, .. } = &def.kind else {
        panic!("a struct: {def:?}");
    };
    fields
}

fn small_spec(api_extra: &str, schemas: &str, operation: &str, responses: &str) -> Vec<SourceFile> {
    let api = format!(
        "title: Small\nversion: \"1\"\nbase_url: https://api.example.test\nauth: {{ scheme: bearer }}\n{api_extra}"
    );
    let resource = format!(
        "name: thing\noperations:\n  get:\n    summary: Gets a thing\n    method: GET\n    path: /things\n    scopes: [thing.get]\n{operation}    responses:\n      200: {{ description: The thing, schema: {{ $ref: Thing }} }}\n{responses}"
    );
    let schemas =
        format!("Thing:\n  type: object\n  properties:\n    name: {{ type: string }}\n{schemas}");
    vec![
        SourceFile {
            path: "api.yaml".into(),
            text: api,
        },
        SourceFile {
            path: "resources/thing.yaml".into(),
            text: resource,
        },
        SourceFile {
            path: "schemas/thing.yaml".into(),
            text: schemas,
        },
    ]
}

/// A spec the generator must refuse, and how.
struct Refused {
    what: &'static str,
    api: &'static str,
    schemas: &'static str,
    operation: &'static str,
    responses: &'static str,
    key_path: &'static str,
    words: &'static str,
}

const fn schema_case(
    what: &'static str,
    schemas: &'static str,
    key_path: &'static str,
    words: &'static str,
) -> Refused {
    Refused {
        what,
        api: "",
        schemas,
        operation: "",
        responses: "",
        key_path,
        words,
    }
}

/// The report of a spec the generator must refuse; `what` names the case.
fn refusal(spec: &[SourceFile], what: &str) -> codegen::Report {
    match codegen::generate_from_sources(spec) {
        Err(codegen::Error::Spec(report)) => report,
        Err(other) => panic!("{what}: not a spec error: {other}"),
        Ok(_) => panic!("{what}: accepted"),
    }
}

/// What the generator cannot type faithfully is refused with a located
/// error naming what is wrong, never a panic and never a silent change.
#[test]
fn specs_that_cannot_be_typed_faithfully_are_located_errors() {
    let cases = [
        schema_case(
            "infinite maximum",
            "N: { type: number, maximum: .inf }\n",
            "N.maximum",
            "not a finite number",
        ),
        schema_case(
            "negative infinite minimum",
            "N: { type: number, minimum: -.inf }\n",
            "N.minimum",
            "not a finite number",
        ),
        schema_case(
            "NaN maximum",
            "N: { type: number, maximum: .nan }\n",
            "N.maximum",
            "not a finite number",
        ),
        schema_case(
            "integer bound past i64",
            "N: { type: integer, maximum: 1.0e19 }\n",
            "N.maximum",
            "beyond the range",
        ),
        schema_case(
            "minimum over maximum",
            "N: { type: integer, minimum: 5, maximum: 1 }\n",
            "N.minimum",
            "greater than `maximum`",
        ),
        schema_case(
            "minLength over maxLength",
            "S: { type: string, minLength: 5, maxLength: 1 }\n",
            "S.minLength",
            "greater than `maxLength`",
        ),
        schema_case(
            "minItems over maxItems",
            "L: { type: array, items: { type: string }, minItems: 3, maxItems: 2 }\n",
            "L.minItems",
            "greater than `maxItems`",
        ),
        schema_case(
            "minProperties over maxProperties",
            "M: { type: object, additionalProperties: { type: string }, minProperties: 3, maxProperties: 2 }\n",
            "M.minProperties",
            "greater than `maxProperties`",
        ),
        schema_case(
            "a list of itself",
            "L: { type: array, items: { $ref: L } }\n",
            "L",
            "list or map of itself",
        ),
        schema_case(
            "a map of itself",
            "M: { type: object, additionalProperties: { $ref: M } }\n",
            "M",
            "list or map of itself",
        ),
        schema_case(
            "a constraint beside $ref",
            "S: { type: string }\nT: { type: object, properties: { s: { $ref: S, maxLength: 3 } } }\n",
            "T.properties.s.maxLength",
            "`$ref` can only be combined",
        ),
        schema_case(
            "allOf parts that disagree",
            "A: { type: object, properties: { x: { type: string } } }\nB: { allOf: [{ $ref: A }, { type: object, properties: { x: { type: integer } } }] }\n",
            "B.allOf[1]",
            "declared differently",
        ),
        schema_case(
            "a YAML merge key as a property",
            "P: { type: object, properties: { \"<<\": { type: string } } }\n",
            "P.properties.<<",
            "merge key",
        ),
        schema_case(
            "a required alternative naming no property",
            "C: { type: object, properties: { email: { type: string } }, anyOf: [{ required: [email] }, { required: [emial] }] }\n",
            "C.anyOf[1].required[0]",
            "`emial` is not one of the object's properties",
        ),
        schema_case(
            "a required alternative restating a property differently",
            "C: { type: object, properties: { email: { type: string } }, oneOf: [{ required: [email], properties: { email: { type: integer } } }] }\n",
            "C.oneOf[0].properties.email",
            "restated differently",
        ),
        schema_case(
            "a required alternative restating a property the object lacks",
            "C: { type: object, properties: { email: { type: string } }, anyOf: [{ required: [email], properties: { phone: { type: string } } }] }\n",
            "C.anyOf[0].properties.phone",
            "`phone` is not one of the object's properties",
        ),
        schema_case(
            "properties beside alternatives that are objects of their own",
            "A: { type: object, properties: { a: { type: string } } }\nC: { type: object, properties: { email: { type: string } }, oneOf: [{ $ref: A }, { type: string }] }\n",
            "C.properties",
            "more than `required` lists",
        ),
        schema_case(
            "null in the enum of a type that does not allow it",
            "E: { type: string, enum: [a, null] }\n",
            "E.enum[1]",
            "add \"null\" to `type`",
        ),
        schema_case(
            "an enum of objects with no type",
            "E: { enum: [{ a: 1 }] }\n",
            "E.enum",
            "an enum needs `type`",
        ),
        schema_case(
            "a union of null alone",
            "U: { oneOf: [{ type: \"null\" }] }\n",
            "U.oneOf",
            "other than `null`",
        ),
        schema_case(
            "a misspelled format",
            "S: { type: string, format: date-tme }\n",
            "S.format",
            "did you mean `date-time`?",
        ),
        schema_case(
            "an invalid pattern of patternProperties beside properties",
            "P: { type: object, properties: { a: { type: string } }, patternProperties: { \"[\": { type: string } } }\n",
            "P.patternProperties.[",
            "invalid ECMA-262 pattern",
        ),
        Refused {
            operation: "    body:\n      content_type: multipart/form-data\n      parts:\n        options: { description: x, kind: json }\n",
            key_path: "operations.get.body.parts.options.kind",
            words: "needs a `schema`",
            ..schema_case("a json part without a schema", "", "", "")
        },
        Refused {
            operation: "    body:\n      content_type: multipart/form-data\n      parts:\n        f: { description: x, kind: file, schema: { type: string } }\n",
            key_path: "operations.get.body.parts.f.schema",
            words: "takes no `schema`",
            ..schema_case("a file part with a schema", "", "", "")
        },
        Refused {
            operation: "    body:\n      content_type: multipart/form-data\n      parts:\n        t: { description: x, kind: text, schema: { $ref: Thing } }\n",
            key_path: "operations.get.body.parts.t.schema",
            words: "must be a string, a string enum",
            ..schema_case("a text part with an object schema", "", "", "")
        },
        Refused {
            operation: "    headers:\n      X-List: { description: x, schema: { type: array, items: { type: string } } }\n",
            key_path: "operations.get.headers.X-List.schema",
            words: "only a query parameter may be an object or an array",
            ..schema_case("an array in a header", "", "", "")
        },
        Refused {
            api: "parameters:\n  - { name: filter, in: query, description: x, schema: { $ref: Thing } }\n",
            key_path: "parameters[0].schema",
            words: "every request must be a string",
            ..schema_case("an object as a global query parameter", "", "", "")
        },
        Refused {
            operation: "    pagination: { page: page, per_page: perPage, items: items, total: count }\n",
            responses: "      202: { description: Accepted, schema: { type: object, properties: { jobId: { type: string } } } }\n",
            key_path: "operations.get.pagination",
            words: "one response body for every 2xx status",
            ..schema_case("pagination over different 2xx bodies", "", "", "")
        },
        Refused {
            operation: "    headers:\n      \"Bad Header\": { description: x, schema: { type: string } }\n",
            key_path: "operations.get.headers.Bad Header",
            words: "not a valid HTTP header name",
            ..schema_case("a header name with a space", "", "", "")
        },
        Refused {
            operation: "    headers:\n      authorization: { description: x, schema: { type: string } }\n",
            key_path: "operations.get.headers.authorization",
            words: "comes from `auth`",
            ..schema_case("Authorization as an operation header", "", "", "")
        },
        Refused {
            api: "parameters:\n  - { name: Authorization, in: header, description: x, schema: { type: string } }\n",
            key_path: "parameters[0].name",
            words: "comes from `auth`",
            ..schema_case("Authorization as a global header", "", "", "")
        },
        Refused {
            api: "parameters:\n  - { name: X-Tenant, in: header, description: x, required: true, schema: { type: string } }\n",
            key_path: "parameters[0].required",
            words: "cannot be required",
            ..schema_case("a required global parameter", "", "", "")
        },
    ];
    for case in cases {
        let spec = small_spec(case.api, case.schemas, case.operation, case.responses);
        let what = case.what;
        let report = refusal(&spec, what);
        let diagnostic = &report.diagnostics()[0];
        let text = report.to_string();
        assert!(diagnostic.location.line > 0, "{what}: no line in {text}");
        assert_eq!(
            diagnostic.key_path.as_str(),
            case.key_path,
            "{what}: {text}"
        );
        assert!(text.contains(case.words), "{what}: {text}");
    }
}

/// Empty `scopes` are refused on an action that needs a token, and
/// accepted on one called without (`authenticated: false`).
#[test]
fn empty_scopes_are_refused_unless_the_action_needs_no_token() {
    let mut spec = small_spec("", "", "", "");
    spec[1].text = spec[1].text.replace("scopes: [thing.get]", "scopes: []");
    let report = refusal(&spec, "empty scopes");
    let diagnostic = &report.diagnostics()[0];
    assert_eq!(
        diagnostic.key_path.as_str(),
        "operations.get.scopes",
        "{report}"
    );
    assert!(
        report.to_string().contains("authenticated: false"),
        "{report}"
    );

    spec[1].text = spec[1]
        .text
        .replace("scopes: []", "scopes: []\n    authenticated: false");
    let api = codegen::load_model(&spec).expect("an action without a token needs no scopes");
    assert!(!api.resources[0].operations[0].authenticated);
}

/// A resource name too long to name a file is refused where it is written.
#[test]
fn a_resource_name_too_long_for_a_file_name_is_a_located_error() {
    let mut spec = small_spec("", "", "", "");
    let long = "thing".repeat(60);
    spec[1].text = spec[1]
        .text
        .replace("name: thing", &format!("name: {long}"));
    let report = refusal(&spec, "a long resource name");
    let diagnostic = &report.diagnostics()[0];
    assert_eq!(diagnostic.key_path.as_str(), "name", "{report}");
    assert!(report.to_string().contains("at most 200"), "{report}");
}

/// Base URLs the client cannot append paths to are refused.
#[test]
fn base_urls_with_a_query_a_fragment_or_credentials_are_located_errors() {
    for url in [
        "https://api.example.test/?key=1",
        "https://api.example.test/#top",
        "https://user:secret@api.example.test",
    ] {
        let mut spec = small_spec("", "", "", "");
        spec[0].text = spec[0].text.replace("https://api.example.test", url);
        let report = refusal(&spec, url);
        let diagnostic = &report.diagnostics()[0];
        assert_eq!(diagnostic.key_path.as_str(), "base_url", "{url}");
        assert!(diagnostic.location.line > 0, "{url}");
    }
}

/// `allOf: [{$ref: Base}, {required: [id]}]` makes a property of the base
/// required: a common idiom, accepted.
#[test]
fn all_of_can_require_a_property_of_another_part() {
    let spec = small_spec(
        "",
        "Base: { type: object, properties: { id: { type: string }, note: { type: string } } }\nWithId: { allOf: [{ $ref: Base }, { required: [id] }] }\n",
        "",
        "",
    );
    let api = codegen::load_model(&spec).expect("the idiom is accepted");
    let fields = struct_fields(&api, "WithId");
    let id = fields.iter().find(|f| f.wire_name == "id").expect("id");
    assert!(id.required);
    let note = fields.iter().find(|f| f.wire_name == "note").expect("note");
    assert!(!note.required);
}

/// A `null` an array item or map value may hold is kept: `Vec<Option<T>>`,
/// also when the item is a named schema that may be null.
#[test]
fn nullable_items_and_named_schemas_stay_nullable() {
    let spec = small_spec(
        "",
        "Note: { type: [object, \"null\"], properties: { text: { type: string } } }\nNotes: { type: object, properties: { words: { type: array, items: { type: [string, \"null\"] } }, notes: { type: array, items: { $ref: Note } }, first: { $ref: Note } }, required: [first] }\n",
        "",
        "",
    );
    let api = codegen::load_model(&spec).expect("accepted");
    let fields = struct_fields(&api, "Notes");
    use codegen::model::TypeRef;
    let field = |name: &str| fields.iter().find(|f| f.wire_name == name).expect("field");
    assert_eq!(
        field("words").ty,
        TypeRef::List(Box::new(TypeRef::Nullable(Box::new(TypeRef::String))))
    );
    assert_eq!(
        field("notes").ty,
        TypeRef::List(Box::new(TypeRef::Nullable(Box::new(TypeRef::Named(
            "Note".into()
        )))))
    );
    // A required field that may be null is optional: `None` is null.
    assert_eq!(field("first").ty, TypeRef::Named("Note".into()));
    assert!(!field("first").required);
}

/// Writes `spec` into a fresh folder named `name`, plus the raw `extra`
/// files (path, bytes), and reads it back as the generator does.
fn read_back(
    name: &str,
    spec: &[SourceFile],
    extra: &[(&str, &[u8])],
) -> Result<Vec<SourceFile>, codegen::Error> {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let files = spec
        .iter()
        .map(|f| (f.path.as_str(), f.text.as_bytes()))
        .chain(extra.iter().copied());
    for (path, bytes) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
        std::fs::write(&path, bytes).expect("write");
    }
    codegen::spec::read_spec_dir(&dir)
}

/// Files the generator would skip, or could not read as text, are errors
/// that name them (and, for bytes that are not UTF-8, where they are).
#[test]
fn spec_files_that_would_be_skipped_or_are_not_utf8_are_located_errors() {
    let spec = small_spec("", "", "", "");
    // (file written, its bytes, file named, line and column, words)
    type Case<'a> = (&'a str, &'a [u8], &'a str, (usize, usize), &'a str);
    let cases: &[Case] = &[
        (
            "schemas/nested/more.yaml",
            b"More: { type: string }\n",
            "schemas/nested",
            (1, 1),
            "is a folder",
        ),
        (
            "resources/other.YML",
            b"name: other\n",
            "resources/other.YML",
            (1, 1),
            "in lower case",
        ),
        (
            "schemas/notes.txt",
            b"notes\n",
            "schemas/notes.txt",
            (1, 1),
            "not a spec file",
        ),
        (
            "schemas/latin1.yaml",
            b"A:\n  description: caf\xE9\n",
            "schemas/latin1.yaml",
            (2, 19),
            "not UTF-8",
        ),
        (
            "schemas/utf16.yaml",
            b"\xFF\xFEA\x00:\x00",
            "schemas/utf16.yaml",
            (1, 1),
            "UTF-16",
        ),
    ];
    for (i, (path, bytes, file, (line, column), words)) in cases.iter().enumerate() {
        match read_back(&format!("skipped{i}"), &spec, &[(path, bytes)]) {
            Err(codegen::Error::Spec(report)) => {
                let diagnostic = &report.diagnostics()[0];
                assert_eq!(diagnostic.file, *file, "{path}");
                assert_eq!(
                    (diagnostic.location.line, diagnostic.location.column),
                    (*line, *column),
                    "{path}"
                );
                assert!(report.to_string().contains(words), "{path}: {report}");
            }
            other => panic!("{path}: expected a located error, got {other:?}"),
        }
    }
    // Hidden files are not the spec's.
    let files = read_back("hidden", &spec, &[("schemas/.gitkeep", b"")]).expect("accepted");
    assert_eq!(files.len(), spec.len());
}

/// A file whose aliases expand to millions of nodes is refused quickly,
/// where the expansion crosses the bound.
#[test]
fn aliases_that_expand_without_bound_are_a_located_error() {
    let mut example = String::from("  example:\n    l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..9 {
        let previous = format!("*l{}", level - 1);
        let items = [previous.as_str(); 10].join(", ");
        example.push_str(&format!("    l{level}: &l{level} [{items}]\n"));
    }
    let mut spec = small_spec("", "", "", "");
    spec[2]
        .text
        .push_str(&format!("Laughs:\n  type: object\n{example}"));
    let report = refusal(&spec, "aliases that expand without bound");
    let diagnostic = &report.diagnostics()[0];
    assert_eq!(diagnostic.file, "schemas/thing.yaml");
    assert!(diagnostic.location.line > 5, "{report}");
    assert!(report.to_string().contains("aliases expand"), "{report}");
}

/// A response key that is not a status code (`2XX`) is located.
#[test]
fn a_status_range_as_a_response_key_is_a_located_error() {
    let spec = small_spec("", "", "", "      2XX: { description: Any success }\n");
    let report = refusal(&spec, "a 2XX response key");
    let diagnostic = &report.diagnostics()[0];
    assert_eq!(diagnostic.file, "resources/thing.yaml", "{report}");
    // At the map of responses, naming the key.
    assert_eq!(diagnostic.location.line, 8, "{report}");
    assert!(
        report
            .to_string()
            .contains("\"2XX\", expected a status code"),
        "{report}"
    );
}

/// A tagged-union member reached through an alias leaves the tag to the
/// union, as a direct member does, so the tag is not sent twice.
#[test]
fn a_union_member_behind_an_alias_leaves_the_tag_to_the_union() {
    let spec = small_spec(
        "",
        "Circle: { type: object, required: [kind], properties: { kind: { type: string, enum: [circle] }, radius: { type: number } } }\nRound: { $ref: Circle }\nSquare: { type: object, required: [kind], properties: { kind: { type: string, enum: [square] }, side: { type: number } } }\nShape: { oneOf: [{ $ref: Round }, { $ref: Square }] }\n",
        "",
        "",
    );
    let api = codegen::load_model(&spec).expect("accepted");
    let fields = struct_fields(&api, "Circle");
    assert!(fields.iter().all(|f| f.wire_name != "kind"), "{fields:?}");
}

/// A spec whose one resource has the stream operation `watch`, written as
/// `operation` (its keys, indented by four spaces).
fn stream_spec(operation: &str) -> Vec<SourceFile> {
    let mut spec = small_spec("", "", "", "");
    spec[1].text.push_str(&format!("  watch:\n{operation}"));
    spec
}

/// The keys of a stream operation, with `replace` applied to them.
fn stream_operation(from: &str, to: &str) -> String {
    let operation = "    summary: Watches things\n    method: GET\n    path: /things/events\n    scopes: [thing.get]\n    responses:\n      200: { description: The stream. }\n    events:\n      thing: { description: A thing changed., schema: { $ref: Thing } }\n";
    assert!(operation.contains(from), "{from}");
    operation.replacen(from, to, 1)
}

/// What cannot be a server-sent event stream is refused where it is
/// written: `events` only go on a GET with no body, no pagination and no
/// 2xx schema, and each event name must be one an `event:` line can carry.
#[test]
fn stream_operations_that_cannot_stream_are_located_errors() {
    let cases = [
        (
            "a POST",
            ("method: GET", "method: POST"),
            "operations.watch.method",
            "must be a GET",
        ),
        (
            "a body",
            (
                "    responses:",
                "    body: { content_type: application/json, schema: { $ref: Thing } }\n    responses:",
            ),
            "operations.watch.body",
            "cannot have a body",
        ),
        (
            "pagination",
            (
                "    responses:",
                "    pagination: { page: page, per_page: perPage, items: items, total: total }\n    responses:",
            ),
            "operations.watch.pagination",
            "cannot be paginated",
        ),
        (
            "a 2xx schema",
            (
                "200: { description: The stream. }",
                "200: { description: The stream., schema: { $ref: Thing } }",
            ),
            "operations.watch.responses.200.schema",
            "is the event stream",
        ),
        (
            "no events",
            (
                "\n      thing: { description: A thing changed., schema: { $ref: Thing } }",
                " {}",
            ),
            "operations.watch.events",
            "at least one event",
        ),
        (
            "an event name with a leading space",
            ("      thing:", "      \" thing\":"),
            "operations.watch.events. thing",
            "cannot be the name of a server-sent event",
        ),
        (
            "an event name with a line break",
            ("      thing:", "      \"thing\\nchanged\":"),
            "operations.watch.events.thing\nchanged",
            "cannot be the name of a server-sent event",
        ),
        (
            "an unknown key in an event",
            (
                "description: A thing changed.,",
                "description: A thing changed., example: 1,",
            ),
            "operations.watch.events.thing.example",
            "unknown key",
        ),
        (
            "an unresolved event schema",
            ("schema: { $ref: Thing } }\n", "schema: { $ref: Thng } }\n"),
            "operations.watch.events.thing.schema.$ref",
            "Thng",
        ),
    ];
    for (what, (from, to), key_path, words) in cases {
        let spec = stream_spec(&stream_operation(from, to));
        let report = refusal(&spec, what);
        let diagnostic = &report.diagnostics()[0];
        let text = report.to_string();
        assert!(diagnostic.location.line > 0, "{what}: no line in {text}");
        assert_eq!(diagnostic.key_path.as_str(), key_path, "{what}: {text}");
        assert!(text.contains(words), "{what}: {text}");
    }
    // And the operation as written is accepted.
    codegen::generate_from_sources(&stream_spec(&stream_operation("", "")))
        .expect("a stream operation generates");
}

/// A union's variants are tried larger first whatever order the types are
/// made in: `Choice` is made before `Small` and `Wide`, and a `Wide` value
/// must not be read as a `Small` that ignores its extra property.
#[test]
fn union_variants_are_ordered_by_their_types_not_by_the_order_types_are_made() {
    let spec = small_spec(
        "",
        "Choice: { oneOf: [{ $ref: Small }, { $ref: Wide }] }\nSmall: { type: object, properties: { a: { type: string } }, required: [a] }\nWide: { type: object, properties: { a: { type: string }, b: { type: string } }, required: [a, b] }\n",
        "",
        "",
    );
    let api = codegen::load_model(&spec).expect("accepted");
    let choice = api.find_type("Choice").expect("a type");
    let codegen::model::TypeKind::UntaggedUnion { variants } = &choice.kind else {
        panic!("an untagged union: {choice:?}");
    };
    let order: Vec<String> = variants.iter().map(|v| format!("{:?}", v.ty)).collect();
    assert_eq!(order, [r#"Named("Wide")"#, r#"Named("Small")"#]);
}

/// One alternative and `null` is that alternative, optional where it is
/// used: no union of one variant wraps it.
#[test]
fn one_alternative_and_null_is_the_alternative_itself() {
    let spec = small_spec(
        "",
        "Parent: { type: string, pattern: '^[a-f0-9]{24}$' }\nChild: { type: object, properties: { parent: { oneOf: [{ $ref: Parent }, { type: 'null' }] } } }\n",
        "",
        "",
    );
    let api = codegen::load_model(&spec).expect("accepted");
    let fields = struct_fields(&api, "Child");
    use codegen::model::TypeRef;
    let parent = fields
        .iter()
        .find(|f| f.wire_name == "parent")
        .expect("parent");
    assert_eq!(parent.ty, TypeRef::Named("Parent".into()));
    assert!(parent.may_be_null);
    assert!(api.find_type("ChildParent").is_none(), "no wrapper type");
}

/// One inline alternative and `null` is that alternative's type, with its
/// rules checked on the field.
#[test]
fn one_inline_alternative_and_null_keeps_its_rules_on_the_field() {
    let spec = small_spec(
        "",
        "Sql: { type: object, properties: { port: { oneOf: [{ type: integer, minimum: 1, maximum: 65535 }, { type: 'null' }] }, name: { anyOf: [{ type: string, maxLength: 255 }, { type: 'null' }] } } }\n",
        "",
        "",
    );
    let api = codegen::load_model(&spec).expect("accepted");
    let fields = struct_fields(&api, "Sql");
    use codegen::model::TypeRef;
    let field = |name: &str| fields.iter().find(|f| f.wire_name == name).expect("field");
    assert_eq!(field("port").ty, TypeRef::Integer);
    assert!(field("port").may_be_null);
    assert_eq!(field("port").constraints.minimum, Some(1.0));
    assert_eq!(field("port").constraints.maximum, Some(65535.0));
    assert_eq!(field("name").ty, TypeRef::String);
    assert_eq!(field("name").constraints.max_length, Some(255));
    assert!(field("name").constraints.alternatives.is_empty());
    assert_eq!(
        api.types.len(),
        2,
        "Thing and Sql, no wrapper: {:?}",
        api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
    );
}

/// A named ID beside `null` stays the ID, checked by its own type, whether
/// inline or through a named schema of its own.
#[test]
fn a_named_string_type_beside_null_keeps_its_type() {
    let spec = small_spec(
        "",
        "Key: { type: string, pattern: '^[a-f0-9]{24}$' }\nMaybeKey: { oneOf: [{ $ref: Key }, { type: 'null' }] }\nHolder: { type: object, properties: { key: { $ref: MaybeKey }, other: { oneOf: [{ $ref: Key }, { type: 'null' }] } } }\n",
        "",
        "",
    );
    let api = codegen::load_model(&spec).expect("accepted");
    let fields = struct_fields(&api, "Holder");
    use codegen::model::{TypeKind, TypeRef};
    for field in fields {
        assert!(field.may_be_null, "{}", field.wire_name);
        assert!(field.constraints.is_empty(), "{}", field.wire_name);
    }
    let other = fields
        .iter()
        .find(|f| f.wire_name == "other")
        .expect("other");
    assert_eq!(other.ty, TypeRef::Named("Key".into()));
    let maybe = api.find_type("MaybeKey").expect("a type");
    assert!(
        matches!(&maybe.kind, TypeKind::Alias { target } if *target == TypeRef::Named("Key".into())),
        "{maybe:?}"
    );
}

/// Values of several scalar types with no rule of their own share one
/// type named by its types, wherever they occur and in whatever order the
/// types are listed; one with a rule of its own keeps a type of its own.
#[test]
fn plain_scalar_unions_are_one_shared_type() {
    let spec = small_spec(
        "",
        "A: { type: object, properties: { x: { type: [number, string, 'null'], description: An x }, y: { type: [string, number] } } }\nB: { type: object, properties: { z: { type: [string, number] }, w: { type: [string, number], maxLength: 9 } } }\n",
        "",
        "",
    );
    let api = codegen::load_model(&spec).expect("accepted");
    use codegen::model::TypeRef;
    let a = struct_fields(&api, "A");
    let b = struct_fields(&api, "B");
    let field = |fields: &[codegen::model::Field], name: &str| {
        fields
            .iter()
            .find(|f| f.wire_name == name)
            .expect("field")
            .clone()
    };
    let shared = TypeRef::Named("StringOrNumber".into());
    assert_eq!(field(a, "x").ty, shared);
    assert!(field(a, "x").may_be_null);
    assert_eq!(field(a, "y").ty, shared);
    assert_eq!(field(b, "z").ty, shared);
    assert_ne!(field(b, "w").ty, shared, "a rule of its own");
    let made = api.find_type("StringOrNumber").expect("made once");
    assert_eq!(made.docs.as_deref(), Some("A string or a number."));
}

/// A property that holds one string, in several places, is one type named
/// by its value and its name; in one place, or where that name is another
/// type's, it keeps a type named after its place.
#[test]
fn a_constant_property_in_several_places_is_one_type() {
    let spec = small_spec(
        "",
        "A: { type: object, properties: { kind: { type: string, enum: [x], description: An A }, only: { type: string, enum: [y] }, mode: { type: string, enum: [z] } } }\nB: { type: object, properties: { kind: { type: string, enum: [x] }, mode: { type: string, enum: [z] } } }\nZMode: { type: string, enum: [z, w] }\n",
        "",
        "",
    );
    let api = codegen::load_model(&spec).expect("accepted");
    use codegen::model::TypeRef;
    let field = |owner: &str, name: &str| {
        struct_fields(&api, owner)
            .iter()
            .find(|f| f.wire_name == name)
            .expect("field")
            .ty
            .clone()
    };
    assert_eq!(field("A", "kind"), TypeRef::Named("XKind".into()));
    assert_eq!(field("B", "kind"), TypeRef::Named("XKind".into()));
    assert_eq!(field("A", "only"), TypeRef::Named("AOnly".into()));
    // `ZMode` is a schema of the spec: the constant keeps its place's name.
    assert_eq!(field("A", "mode"), TypeRef::Named("AMode".into()));
    assert_eq!(field("B", "mode"), TypeRef::Named("BMode".into()));
}
