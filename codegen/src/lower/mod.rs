//! Spec → model: checks what the spec means and names everything.
//!
//! Parsing (in [`crate::spec`]) already guarantees the shape of each file;
//! here the checks need more than one key: references resolve, path
//! templates match their components, names are unique.

mod examples;
mod operation;
mod schema;
mod sent;
mod waiter;

use crate::error::{Diagnostic, Error, Report, Target};
use crate::model::{Api, MemberTag, Param, ParamLocation, TypeDef, TypeKind, TypeRef};
use crate::naming::{Taken, camel};
use crate::spec::{KeyPath, Locations, ParameterLocation, Parsed, Schema, Spec};
use std::collections::{BTreeMap, HashMap};

/// A place in a spec file, for errors.
#[derive(Debug, Clone)]
pub(crate) struct At<'s> {
    file: &'s str,
    locations: &'s Locations,
    path: KeyPath,
}

impl<'s> At<'s> {
    fn root<T>(parsed: &'s Parsed<T>) -> Self {
        At {
            file: &parsed.file,
            locations: &parsed.locations,
            path: KeyPath::root(),
        }
    }

    fn key(&self, key: &str) -> Self {
        At {
            path: self.path.key(key),
            ..self.clone()
        }
    }

    fn index(&self, index: usize) -> Self {
        At {
            path: self.path.index(index),
            ..self.clone()
        }
    }

    /// Line and column of this place, for ordering places of one file.
    fn position(&self) -> (usize, usize) {
        let location = self.locations.locate(&self.path);
        (location.line, location.column)
    }

    /// A diagnostic at this place: at its value when that is a scalar
    /// (a wrong reference, pattern or path), else at its key.
    fn diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        self.locations
            .diagnostic(self.file, &self.path, Target::Value, message.into())
    }

    fn error(&self, message: impl Into<String>) -> Error {
        self.diagnostic(message).into()
    }

    /// [`At::error`] with a `help:` line, when there is one.
    fn error_with_help(&self, message: impl Into<String>, help: Option<String>) -> Error {
        let diagnostic = self.diagnostic(message);
        match help {
            Some(help) => diagnostic.with_help(help).into(),
            None => diagnostic.into(),
        }
    }
}

/// A schema of `schemas/*.yaml` and where it is.
struct Named<'s> {
    schema: &'s Schema,
    rust_name: String,
    at: At<'s>,
}

/// Builds the model; holds what every step needs.
pub(crate) struct Lowerer<'s> {
    named: BTreeMap<String, Named<'s>>,
    /// Rust type names already given out.
    type_names: Taken,
    /// Named structs that are members of a tagged union → the tag property,
    /// which the union writes and the struct leaves out.
    member_tags: BTreeMap<String, MemberTag>,
    types: BTreeMap<String, TypeDef>,
    /// Types made for inline shapes: (name hint, schema) → type name. A
    /// shape reached twice under the same hint (a property of an `allOf`
    /// part, say) becomes one type, not two.
    inline_types: HashMap<String, Vec<(Schema, String)>>,
    /// The names of the types of properties that hold one string and occur
    /// in more than one place of the spec's schemas: each is one shared
    /// type (see `schema::one_string_value`).
    shared_constants: std::collections::HashSet<String>,
    /// The mistakes found so far: lowering goes on past a mistake, so that
    /// one run reports all of them.
    problems: Vec<Diagnostic>,
}

/// Checks the spec and builds the model.
pub fn lower(spec: &Spec) -> Result<Api, Error> {
    let _names = crate::naming::remember_names();
    let mut lowerer = Lowerer {
        named: BTreeMap::new(),
        type_names: Taken::default(),
        member_tags: BTreeMap::new(),
        types: BTreeMap::new(),
        inline_types: HashMap::new(),
        shared_constants: schema::shared_constants(spec),
        problems: Vec::new(),
    };
    lowerer.collect_named(spec);
    lowerer.problems.extend(examples::check(spec));
    lowerer.find_union_members();
    let names: Vec<String> = lowerer.named.keys().cloned().collect();
    for name in &names {
        let defined = lowerer.define_named(name);
        lowerer.keep(defined)?;
    }
    let cycles = lowerer.check_alias_cycles();
    lowerer.keep(cycles)?;
    let cycles = lowerer.check_union_cycles();
    lowerer.keep(cycles)?;

    let api_at = At::root(&spec.api);
    let api = &spec.api.value;
    let mut global_params = Vec::new();
    let mut taken = Taken::default();
    // The field of the per-request options and the trait's accessor live
    // beside the global parameters' fields and setters.
    taken.claim("options".to_owned());
    taken.claim("global_parameters".to_owned());
    for (i, parameter) in api.parameters.iter().enumerate() {
        let at = api_at.key("parameters").index(i);
        let location = match parameter.location {
            ParameterLocation::Query => ParamLocation::Query,
            ParameterLocation::Header => {
                let checked = operation::check_header_name(&parameter.name, &at.key("name"));
                lowerer.keep(checked)?;
                ParamLocation::Header
            }
        };
        if parameter.required {
            lowerer.problems.push(at.key("required").diagnostic(
                "a parameter of every request cannot be required: each request builder would need it as an argument; declare it on the operations that need it",
            ));
        }
        let param = lowerer.param(
            &parameter.name,
            location,
            &operation::ParamSpec {
                description: &parameter.description,
                required: parameter.required,
                default: &parameter.default,
                example: &parameter.example,
                schema: &parameter.schema,
                structured: false,
            },
            TypeOwner {
                resource: "Global",
                operation: "Global",
            },
            &mut taken,
            &at,
        );
        global_params.extend(lowerer.keep(param)?);
    }
    if let Err(problem) = url_check(&api.base_url) {
        lowerer
            .problems
            .push(api_at.key("base_url").diagnostic(problem));
    }

    let (resources, terminal_values) = lowerer.resources(spec)?;
    lowerer.order_untagged_variants();
    if !lowerer.problems.is_empty() {
        return Err(Error::Spec(in_file_order(spec, lowerer.problems)));
    }
    let types: Vec<TypeDef> = lowerer.types.into_values().collect();
    let string_conversions = string_conversions(&types);
    let mut api = Api {
        title: api.title.clone(),
        version: api.version.clone(),
        description: api.description.clone(),
        base_url: api.base_url.trim_end_matches('/').to_owned(),
        auth_description: api.auth.description.clone(),
        global_params,
        types,
        resources,
        terminal_values,
        schema_files: schema_files(spec),
        schema_examples: schema_examples(spec),
        string_conversions,
        string_examples: BTreeMap::new(),
    };
    api.string_examples = string_examples(&api);
    sent::mark_sent_types(&mut api);
    Ok(api)
}

/// [`Api::string_conversions`]: for each string union, the string types
/// whose rules are exactly one of its alternatives. Rules are compared by
/// their printed form, so finding a union's types is a look-up rather than
/// a walk over every type (which made generation quadratic in the types).
fn string_conversions(types: &[TypeDef]) -> BTreeMap<String, Vec<String>> {
    let mut by_rules: HashMap<String, Vec<&str>> = HashMap::new();
    for def in types {
        if let TypeKind::Newtype { constraints } = &def.kind {
            by_rules
                .entry(format!("{constraints:?}"))
                .or_default()
                .push(&def.name);
        }
    }
    let mut out = BTreeMap::new();
    for def in types {
        let TypeKind::Newtype { constraints } = &def.kind else {
            continue;
        };
        let alternatives: Vec<String> = constraints
            .alternatives
            .iter()
            .map(|rules| format!("{rules:?}"))
            .collect();
        // An alternative listed twice is no one type's to convert from.
        let mut from: Vec<String> = alternatives
            .iter()
            .filter(|rules| alternatives.iter().filter(|other| other == rules).count() == 1)
            .flat_map(|rules| by_rules.get(rules).into_iter().flatten())
            .filter(|name| **name != def.name)
            .map(|name| (*name).to_owned())
            .collect();
        from.sort();
        from.dedup();
        if !from.is_empty() {
            out.insert(def.name.clone(), from);
        }
    }
    out
}

/// [`Api::string_examples`], found in one pass over the parameters (a
/// pass per type made generation quadratic in the spec's size).
fn string_examples(api: &Api) -> BTreeMap<String, String> {
    let rules_of = |name: &str| match api.find_type(name).map(|def| &def.kind) {
        Some(TypeKind::Newtype { constraints }) => Some(format!("{constraints:?}")),
        _ => None,
    };
    let mut by_rules: HashMap<String, String> = HashMap::new();
    let params = api
        .resources
        .iter()
        .flat_map(|r| &r.operations)
        .flat_map(|op| op.path_params.iter().chain(&op.query).chain(&op.headers));
    for param in params {
        let (TypeRef::Named(name), Some(serde_json::Value::String(example))) =
            (&param.ty, &param.example)
        else {
            continue;
        };
        if let Some(rules) = rules_of(name) {
            by_rules.entry(rules).or_insert_with(|| example.clone());
        }
    }
    api.types
        .iter()
        .filter_map(|def| {
            let example = by_rules.get(&rules_of(&def.name)?)?;
            Some((def.name.clone(), example.clone()))
        })
        .collect()
}

/// The example of each named schema that has one, by type name.
fn schema_examples(spec: &Spec) -> std::collections::BTreeMap<String, serde_json::Value> {
    spec.schemas
        .iter()
        .flat_map(|file| file.value.iter())
        .filter_map(|(name, schema)| {
            let example = schema.example.clone()?;
            Some((crate::naming::camel(name), example))
        })
        .collect()
}

/// The file stem of each named schema (`device` for `schemas/device.yaml`).
fn schema_files(spec: &Spec) -> std::collections::BTreeMap<String, String> {
    let mut files = std::collections::BTreeMap::new();
    for file in &spec.schemas {
        let stem = file
            .file
            .rsplit('/')
            .next()
            .unwrap_or(&file.file)
            .trim_end_matches(".yaml")
            .trim_end_matches(".yml");
        for name in file.value.keys() {
            files.insert(crate::naming::camel(name), stem.to_owned());
        }
    }
    files
}

/// The report of `problems`, in the order of the spec's files, then of
/// lines and columns.
fn in_file_order(spec: &Spec, mut problems: Vec<Diagnostic>) -> Report {
    let files: Vec<&str> = std::iter::once(spec.api.file.as_str())
        .chain(spec.schemas.iter().map(|f| f.file.as_str()))
        .chain(spec.resources.iter().map(|f| f.file.as_str()))
        .collect();
    problems.sort_by_key(|d| {
        let rank = files.iter().position(|f| *f == d.file);
        (rank, d.location.line, d.location.column)
    });
    problems.dedup();
    Report::new(problems)
}

/// The base URL must be absolute http(s); the client parses it again at run
/// time, but a typo is better caught here.
fn url_check(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`{url}` is not an http:// or https:// URL"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err(format!("`{url}` has no host"));
    }
    // Paths are appended to the base URL, so it can hold neither a query
    // nor a fragment; credentials belong in the token, not in the URL.
    if rest.contains(['?', '#']) {
        return Err(format!(
            "`{url}` has a query or a fragment; a base URL is a scheme, a host and at most a path"
        ));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err(format!(
            "`{url}` holds credentials; the token authenticates requests"
        ));
    }
    Ok(())
}

impl<'s> Lowerer<'s> {
    /// Keeps the mistakes of `result` for the report (`Ok(None)`), and
    /// its value if it has one; any other error ends lowering.
    fn keep<T>(&mut self, result: Result<T, Error>) -> Result<Option<T>, Error> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(Error::Spec(report)) => {
                self.problems.extend_from_slice(report.diagnostics());
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    fn collect_named(&mut self, spec: &'s Spec) {
        let mut first_seen: BTreeMap<String, String> = BTreeMap::new();
        for file in &spec.schemas {
            let root = At::root(file);
            for (name, schema) in &file.value {
                let at = root.key(name);
                let rust_name = camel(name);
                if name.len() > crate::naming::MAX_SCHEMA_NAME {
                    self.problems.push(at.diagnostic(format!(
                        "the schema name is {} bytes long; rustdoc writes a file named after each type, so use at most {}",
                        name.len(),
                        crate::naming::MAX_SCHEMA_NAME
                    )));
                }
                if rust_name != *name {
                    self.problems.push(at.diagnostic(format!(
                        "schema names are UpperCamelCase Rust type names; write `{rust_name}`"
                    )));
                }
                if let Some(other) = first_seen.get(&rust_name) {
                    let message = format!("schema `{name}` is already defined in {other}");
                    self.problems.push(at.diagnostic(message));
                    continue;
                }
                first_seen.insert(rust_name.clone(), file.file.clone());
                self.type_names.claim(rust_name.clone());
                self.named.insert(
                    name.clone(),
                    Named {
                        schema,
                        rust_name,
                        at,
                    },
                );
            }
        }
    }

    /// Records the named structs used as tagged-union members.
    fn find_union_members(&mut self) {
        let mut found = BTreeMap::new();
        for named in self.named.values() {
            let schema = named.schema;
            let Some(members) = schema.one_of.as_ref().or(schema.any_of.as_ref()) else {
                continue;
            };
            if let Some(discriminator) = self.discriminator(members) {
                for (member, value) in members.iter().zip(&discriminator.values) {
                    // Through aliases to the struct itself, which writes
                    // the tag.
                    if let Some(named) = self.resolve_named(member) {
                        let tag = MemberTag {
                            name: discriminator.tag.clone(),
                            value: value.clone(),
                        };
                        found.insert(named.rust_name.clone(), tag);
                    }
                }
            }
        }
        self.member_tags = found;
    }

    /// The Rust name of a named schema.
    fn rust_type_name(&self, name: &str) -> String {
        self.named
            .get(name)
            .map(|n| n.rust_name.clone())
            .unwrap_or_else(|| camel(name))
    }

    /// A fresh type name for an inline shape.
    fn claim_type_name(&mut self, hint: &str) -> String {
        self.type_names
            .claim(crate::naming::shorten_type_name(camel(hint)))
    }

    /// Refuses a named list or map that holds itself through aliases only
    /// (`L: {type: array, items: {$ref: L}}`): Rust has no recursive type
    /// aliases, and a struct in between is what such a spec means anyway.
    fn check_alias_cycles(&self) -> Result<(), Error> {
        for named in self.named.values() {
            let name = &named.rust_name;
            let alias = matches!(
                self.types.get(name).map(|t| &t.kind),
                Some(TypeKind::Alias { .. })
            );
            if alias && self.reaches_itself(name, true, false) {
                return Err(named.at.error(format!(
                    "`{name}` is a list or map of itself with no object in between, which no Rust type can name; make the item an object with a property holding `{name}`"
                )));
            }
        }
        Ok(())
    }

    /// Refuses an untagged union that is one of its own alternatives, with
    /// nothing but unions and aliases in between
    /// (`E: {oneOf: [{$ref: E}, {type: string}]}`): decoding would try the
    /// union inside itself without end.
    fn check_union_cycles(&self) -> Result<(), Error> {
        for named in self.named.values() {
            let name = &named.rust_name;
            let union = matches!(
                self.types.get(name).map(|t| &t.kind),
                Some(TypeKind::UntaggedUnion { .. })
            );
            if union && self.reaches_itself(name, false, true) {
                return Err(named.at.error(format!(
                    "`{name}` is one of its own alternatives, which no value can be decoded by; remove that alternative"
                )));
            }
        }
        Ok(())
    }

    /// Whether the named type `name` holds itself through aliases and,
    /// when asked, lists, maps and nullable values (`containers`) or the
    /// alternatives of untagged unions (`unions`): never through a struct.
    fn reaches_itself(&self, name: &str, containers: bool, unions: bool) -> bool {
        let mut pending = self.contents_of(name, unions);
        let mut seen: Vec<&str> = Vec::new();
        while let Some(ty) = pending.pop() {
            match ty {
                TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner)
                    if containers =>
                {
                    pending.push(inner)
                }
                TypeRef::Named(other) if other == name => return true,
                TypeRef::Named(other) if !seen.contains(&other.as_str()) => {
                    seen.push(other);
                    pending.extend(self.contents_of(other, unions));
                }
                _ => {}
            }
        }
        false
    }

    /// What a value of the named type `name` is directly: an alias's
    /// target, and (when `unions`) an untagged union's alternatives.
    fn contents_of(&self, name: &str, unions: bool) -> Vec<&TypeRef> {
        match self.types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Alias { target }) => vec![target],
            Some(TypeKind::UntaggedUnion { variants }) if unions => {
                variants.iter().map(|v| &v.ty).collect()
            }
            _ => Vec::new(),
        }
    }

    fn insert_type(&mut self, def: TypeDef) {
        self.types.insert(def.name.clone(), def);
    }
}

/// What a parameter's type is named after: its resource (`Notebooks`), or
/// its operation (`DevicesGetCompositeState`) where the resource's name is
/// taken by another schema.
#[derive(Clone, Copy)]
struct TypeOwner<'a> {
    resource: &'a str,
    operation: &'a str,
}

/// Parameter lowering shared by global and operation parameters.
impl Lowerer<'_> {
    fn param(
        &mut self,
        wire_name: &str,
        location: ParamLocation,
        spec: &operation::ParamSpec<'_>,
        owner: TypeOwner<'_>,
        taken: &mut Taken,
        at: &At,
    ) -> Result<Param, Error> {
        let rust_name = taken.claim(crate::naming::snake(wire_name));
        // `NotebooksSortFieldParam`: named after the resource, not the
        // operation, so the same parameter of two operations of a resource
        // is one type (the same schema under the same hint is made once),
        // and `Param` sets it apart from a field's type of the same name
        // (`NotebooksSortDirection`, the `sortDirection` of `Notebooks`).
        // A parameter of the same name but another schema in another
        // operation (`sortField` of `devices.getCompositeState`, with fewer
        // values than that of `devices.get`) is named after its operation:
        // `DevicesGetCompositeStateSortFieldParam`, not a counter.
        let mut hint = crate::naming::param_type_name(owner.resource, wire_name);
        if self
            .inline_types
            .get(&hint)
            .is_some_and(|made| made.iter().all(|(schema, _)| schema != spec.schema))
        {
            hint = crate::naming::param_type_name(owner.operation, wire_name);
        }
        let ty = self.lower_inline(spec.schema, &hint, &at.key("schema"))?;
        // A type made for this parameter alone is documented by it.
        if let TypeRef::Named(name) = &ty {
            if let Some(def) = self.types.get_mut(name) {
                if def.docs.is_none() {
                    // Plain text: the emitter escapes docs as prose.
                    def.docs = Some(format!(
                        "Values of the {wire_name} parameter: {}",
                        spec.description
                    ));
                }
            }
        }
        // A named type missing from the types failed to lower, and
        // has been reported.
        let failed = matches!(&ty, TypeRef::Named(name) if !self.types.contains_key(name));
        let scalar = failed || operation::is_scalar(&ty, &self.types);
        if !scalar && !spec.structured {
            let message = match location {
                ParamLocation::Query => {
                    "a parameter of every request must be a string, number, integer, boolean or string enum"
                }
                _ => {
                    "a path component or header must be a string, number, integer, boolean or string enum (only a query parameter may be an object or an array)"
                }
            };
            return Err(at.key("schema").error(message));
        }
        Ok(Param {
            wire_name: wire_name.to_owned(),
            rust_name,
            location,
            description: spec.description.to_owned(),
            required: spec.required,
            default: spec.default.clone(),
            example: spec.example.clone(),
            constraints: self.constraints(spec.schema),
            structured: !scalar,
            ty,
        })
    }
}
