//! The vendor's JSON Schemas, transcribed into the spec's schema format.
//!
//! The vendor's files inline every nested shape, so one shape (a device,
//! a tag, a dashboard block) is written out in every file that holds it:
//! 7,700 inline objects and enums, fewer than 1,000 of them different.
//! Shapes are compared as they are on the wire: copies that differ only
//! in a `title`, `description` or `example` are one shape, written with
//! the best-documented copy's docs.
//! Each different shape becomes one named schema, referenced wherever it
//! occurs, with a name taken from where it occurs (its `title`, or the
//! property or list it sits in), qualified by its owner's name only when
//! two different shapes would otherwise take the same name.
//!
//! Keywords the format has are copied as the vendor writes them. What is
//! broken as data (a number written as a string, a schema key outside
//! `properties`, a property that is not a schema) is repaired and each
//! repair reported, so it can be recorded beside the schema.

use super::names::{self, Renames};
use super::naming::{singular, upper_camel};
use super::repair::{self, escape, is_schema as looks_like_schema};
use super::yaml::Node;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The pattern of the platform's 24-hex-digit object IDs.
pub const OBJECT_ID_PATTERN: &str = r"^[A-Fa-f\d]{24}$";

/// Keywords copied as they are, in the order they are written out.
pub const KEYWORDS: &[&str] = &[
    "$ref",
    "title",
    "description",
    "type",
    "format",
    "pattern",
    "enum",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "items",
    "oneOf",
    "anyOf",
    "allOf",
    "nullable",
    "default",
    "example",
];

/// Keywords whose value is a count or a bound: a number.
const NUMERIC: &[&str] = &[
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

/// A repair of the vendor's data, or a thing it states that the format
/// cannot: reported by the importer and recorded in the spec file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Repair {
    /// The vendor file (`lib/schemas/orgInvites.json`).
    pub file: String,
    /// Where in it, as a JSON pointer.
    pub pointer: String,
    /// What was found and what was done.
    pub what: String,
}

/// What a shape is called where it occurs, before names are chosen.
#[derive(Debug, Clone)]
struct Occurrence {
    /// The name this place suggests (`Tag` for the items of `tags`).
    base: String,
    /// The nearest enclosing named shape.
    owner: Owner,
    /// The vendor schema file the occurrence is in.
    file: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// The root of the vendor file of this index.
    Root(usize),
    /// An inline shape.
    Shape(usize),
}

/// One different shape: its schema (nested shapes as placeholder refs)
/// and where it occurs.
#[derive(Debug)]
struct Shape {
    node: Node,
    occurrences: Vec<Occurrence>,
}

/// All the vendor's schemas, transcribed and deduplicated.
pub struct Catalog {
    /// Vendor file stems, in file order; index = root index.
    roots: Vec<String>,
    /// The root schema of each file (nested shapes as placeholders).
    root_nodes: Vec<Node>,
    shapes: Vec<Shape>,
    by_key: HashMap<String, usize>,
    /// ID type names (`DeviceId`) the importer declares.
    pub id_types: BTreeSet<String>,
    /// Repairs and losses, in the order met.
    pub repairs: Vec<Repair>,
}

/// Where a named schema is written, and what it is.
pub struct Named {
    /// The schema name.
    pub name: String,
    /// The vendor file whose family the schema belongs to (`devicePost`).
    pub home: String,
    /// The schema, with references by name.
    pub node: Node,
}

/// The spec name of a vendor schema file's root (`devicePost` →
/// `DevicePost`). The generic error body is `ApiErrorBody`: a type named
/// `Error` beside the crate's `Error` would read as the same thing.
pub fn root_name(stem: &str) -> String {
    match stem {
        "error" => "ApiErrorBody".to_owned(),
        _ => upper_camel(stem),
    }
}

/// The spec name a vendor reference (`#/definitions/devicePost`) points to.
pub fn reference(target: &str) -> Option<String> {
    target.strip_prefix("#/definitions/").map(root_name)
}

impl Catalog {
    /// Transcribes every schema file. `id_types` are the ID names the
    /// resources declare (`ApplicationId`): a property `applicationId`
    /// holding an object ID refers to one.
    pub fn build(schemas: &BTreeMap<String, Value>, id_types: BTreeSet<String>) -> Catalog {
        let mut catalog = Catalog {
            roots: schemas.keys().cloned().collect(),
            root_nodes: Vec::new(),
            shapes: Vec::new(),
            by_key: HashMap::new(),
            id_types,
            repairs: Vec::new(),
        };
        for (index, (stem, schema)) in schemas.iter().enumerate() {
            let file = format!("lib/schemas/{stem}.json");
            let schema = &repair::schema(schema, &file, "", &mut catalog.repairs);
            let mut walk = Walk {
                catalog: &mut catalog,
                file: file.clone(),
                stem: stem.clone(),
            };
            let node = walk.schema(schema, "", Owner::Root(index), &root_name(stem), None, true);
            catalog.root_nodes.push(node);
        }
        catalog
    }

    /// The named schemas: one per vendor file, and one per different
    /// inline shape, with references by name. `taken` are names the spec
    /// already defines by hand: no imported shape takes one of them.
    ///
    /// A file's root carries the vendor's example of it (`examples`, by
    /// file stem), which the generator checks against the schema and the
    /// tests decode.
    ///
    /// `renames` are the names a person chose (`api-spec/import.names`)
    /// for shapes, by the name the importer makes; one that names no
    /// shape, or chooses a name in use, is an error.
    pub fn named(
        &self,
        taken: &BTreeSet<String>,
        renames: &Renames,
        examples: &serde_json::Map<String, Value>,
    ) -> Result<Vec<Named>, String> {
        let names = self.shape_names(taken, renames)?;
        let resolve = |node: &Node| rename(node, &names);
        let mut out = Vec::new();
        for (index, stem) in self.roots.iter().enumerate() {
            let root = &self.root_nodes[index];
            // The file whose root a shape is holds the shape itself; a
            // later file with the same root refers to it.
            let own = self
                .placeholder_of(root)
                .filter(|&shape| self.root_of(shape) == Some(index));
            let mut node = match own {
                Some(shape) => resolve(&self.shapes[shape].node),
                None => resolve(root),
            };
            if let (Some(example), Node::Map(entries)) = (examples.get(stem), &mut node) {
                // A root that only refers to another file's keeps to the
                // reference: the format allows nothing beside `$ref`.
                if !entries
                    .iter()
                    .any(|(key, _)| key == "$ref" || key == "example")
                {
                    entries.push(("example".to_owned(), Node::Scalar(example.clone())));
                }
            }
            out.push(Named {
                name: root_name(stem),
                home: stem.clone(),
                node,
            });
        }
        for (index, shape) in self.shapes.iter().enumerate() {
            let name = &names[&placeholder(index)];
            // A shape that is a file's root is written under the root's name.
            if self.root_of(index).is_some() {
                continue;
            }
            out.push(Named {
                name: name.clone(),
                home: shape.occurrences[0].file.clone(),
                node: resolve(&shape.node),
            });
        }
        Ok(out)
    }

    /// The first vendor file whose root is exactly shape `index`, if any.
    fn root_of(&self, index: usize) -> Option<usize> {
        self.root_nodes
            .iter()
            .position(|node| self.placeholder_of(node) == Some(index))
    }

    /// The shape a node is a bare placeholder reference to.
    fn placeholder_of(&self, node: &Node) -> Option<usize> {
        match node {
            Node::Map(entries) if entries.len() == 1 => match &entries[0] {
                (key, Node::Scalar(Value::String(target))) if key == "$ref" => {
                    target.strip_prefix('#')?.parse().ok()
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// A name for every shape, keyed by its placeholder.
    fn shape_names(
        &self,
        taken: &BTreeSet<String>,
        renames: &Renames,
    ) -> Result<HashMap<String, String>, String> {
        let mut names: HashMap<String, String> = HashMap::new();
        let mut used: BTreeSet<String> = taken.clone();
        used.extend(self.roots.iter().map(|r| root_name(r)));
        used.extend(self.id_types.iter().cloned());
        used.insert("ObjectId".into());
        // Shapes that are a file's root take the file's name.
        for index in 0..self.shapes.len() {
            if let Some(root) = self.root_of(index) {
                names.insert(placeholder(index), root_name(&self.roots[root]));
            }
        }
        // How many different shapes want each base name.
        let mut wanted: BTreeMap<&str, usize> = BTreeMap::new();
        for (index, shape) in self.shapes.iter().enumerate() {
            if !names.contains_key(&placeholder(index)) {
                *wanted
                    .entry(shape.occurrences[0].base.as_str())
                    .or_default() += 1;
            }
        }
        // Of the shapes that want one base name, the one used most often
        // (the first made, on a tie) keeps it plain: `DeviceClass` is the
        // enum most device classes are, the others are qualified.
        let mut favourite: BTreeMap<&str, usize> = BTreeMap::new();
        for (index, shape) in self.shapes.iter().enumerate() {
            if names.contains_key(&placeholder(index)) {
                continue;
            }
            let base = shape.occurrences[0].base.as_str();
            let best = favourite.entry(base).or_insert(index);
            if shape.occurrences.len() > self.shapes[*best].occurrences.len() {
                *best = index;
            }
        }
        // Owners come before what they hold: a shape is made only after
        // the shapes inside it, so walk from the last made.
        for index in (0..self.shapes.len()).rev() {
            if names.contains_key(&placeholder(index)) {
                continue;
            }
            let first = &self.shapes[index].occurrences[0];
            let mut name = first.base.clone();
            let shared = wanted[first.base.as_str()] > 1;
            if (shared && favourite[first.base.as_str()] != index) || used.contains(&name) {
                // Qualified by the owner of its first occurrence, or of a
                // later one where that name is taken (the `role` of an
                // `OrgRole` is no `OrgRole`, but the `role` of an
                // `OrgMember` is an `OrgMemberRole`); an owner not named
                // yet (one made after this shape) does not qualify.
                let qualified: Vec<String> = self.shapes[index]
                    .occurrences
                    .iter()
                    .filter_map(|occurrence| {
                        let owner = match occurrence.owner {
                            Owner::Root(root) => root_name(&self.roots[root]),
                            Owner::Shape(owner) => names.get(&placeholder(owner)).cloned()?,
                        };
                        Some(join_names(&owner, &occurrence.base))
                    })
                    .collect();
                name = qualified
                    .iter()
                    .find(|name| !used.contains(*name))
                    .or(qualified.first())
                    .cloned()
                    .unwrap_or(name);
            }
            let mut unique = name.clone();
            let mut counter = 2;
            while used.contains(&unique) {
                unique = format!("{name}{counter}");
                counter += 1;
            }
            used.insert(unique.clone());
            names.insert(placeholder(index), unique);
        }
        // The names a person chose win over the made ones.
        let mut renamed = BTreeSet::new();
        for index in 0..self.shapes.len() {
            if self.root_of(index).is_some() {
                continue;
            }
            let name = names[&placeholder(index)].clone();
            let Some(chosen) = renames.get(&name) else {
                continue;
            };
            if used.contains(chosen) {
                return Err(format!(
                    "error: api-spec/{}:{}: `{chosen}`, chosen for `{name}`, is the name of another schema",
                    names::FILE,
                    renames.line(&name).unwrap_or_default()
                ));
            }
            renamed.insert(name);
            names.insert(placeholder(index), chosen.to_owned());
        }
        for (name, line) in renames.entries() {
            if !renamed.contains(name) {
                return Err(format!(
                    "error: api-spec/{}:{line}: the import makes no inline shape called `{name}` (a vendor update may have renamed it; see the names in api-spec/schemas/)",
                    names::FILE
                ));
            }
        }
        Ok(names)
    }
}

/// `Owner` + `Base`, without repeating a word the owner ends with
/// (`DeviceTag` + `Tag` stays `DeviceTag`... + `TagValue` is `DeviceTagValue`).
fn join_names(owner: &str, base: &str) -> String {
    if base.starts_with(owner) {
        return base.to_owned();
    }
    let words = |s: &str| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in s.chars() {
            if c.is_uppercase() || out.is_empty() {
                out.push(c.to_string());
            } else if let Some(last) = out.last_mut() {
                last.push(c);
            }
        }
        out
    };
    let (owner_words, base_words) = (words(owner), words(base));
    for overlap in (1..=owner_words.len().min(base_words.len())).rev() {
        if owner_words[owner_words.len() - overlap..] == base_words[..overlap] {
            return format!(
                "{}{}",
                owner_words[..owner_words.len() - overlap].concat(),
                base
            );
        }
    }
    format!("{owner}{base}")
}

fn placeholder(index: usize) -> String {
    format!("#{index}")
}

/// `node` with every placeholder reference replaced by its name.
fn rename(node: &Node, names: &HashMap<String, String>) -> Node {
    match node {
        Node::Map(entries) => Node::Map(
            entries
                .iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        ("$ref", Node::Scalar(Value::String(target))) => names
                            .get(target)
                            .map_or_else(|| value.clone(), |name| Node::str(name.clone())),
                        _ => rename(value, names),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Node::List(items) => Node::List(items.iter().map(|i| rename(i, names)).collect()),
        scalar => scalar.clone(),
    }
}

/// One pass over one vendor file.
struct Walk<'a> {
    catalog: &'a mut Catalog,
    file: String,
    stem: String,
}

impl Walk<'_> {
    fn repair(&mut self, pointer: &str, what: String) {
        self.catalog.repairs.push(Repair {
            file: self.file.clone(),
            pointer: if pointer.is_empty() {
                "/".into()
            } else {
                pointer.into()
            },
            what,
        });
    }

    /// Transcribes the schema at `pointer`. `base` is the name the place
    /// suggests; `key` the property it is the value of, if any. A shape
    /// worth a name is recorded and a placeholder reference returned.
    fn schema(
        &mut self,
        value: &Value,
        pointer: &str,
        owner: Owner,
        base: &str,
        key: Option<&str>,
        root: bool,
    ) -> Node {
        let Some(map) = value.as_object() else {
            self.repair(
                pointer,
                format!("a schema must be an object, found `{value}`; read as any value"),
            );
            return Node::map();
        };
        let base = match map.get("title").and_then(Value::as_str) {
            Some(title) if !root => upper_camel(title),
            _ => base.to_owned(),
        };
        // The shapes inside are owned by this one if it gets a name; the
        // index it will have is not known yet, so they are recorded
        // against a slot filled in below.
        let slot = self.catalog.shapes.len();
        let inner_owner = if root {
            owner
        } else {
            Owner::Shape(usize::MAX)
        };
        let mut out = Node::map();
        let mut stray: Vec<(&String, &Value)> = Vec::new();
        for (k, v) in map {
            if !KEYWORDS.contains(&k.as_str()) && k != "$schema" {
                stray.push((k, v));
            }
        }
        for &keyword in KEYWORDS {
            let Some(v) = map.get(keyword) else { continue };
            let at = format!("{pointer}/{}", escape(keyword));
            let node = match keyword {
                "$ref" => match v.as_str().and_then(reference) {
                    Some(name) => Node::str(name),
                    None => {
                        self.repair(
                            &at,
                            format!(
                                "`$ref: {v}` is not a reference to another schema file; dropped"
                            ),
                        );
                        continue;
                    }
                },
                "properties" | "patternProperties" => {
                    let Some(props) = v.as_object() else {
                        self.repair(&at, format!("`{keyword}` must be an object; dropped"));
                        continue;
                    };
                    let mut node = Node::map();
                    for (name, prop) in props {
                        let prop_at = format!("{at}/{}", escape(name));
                        if !looks_like_schema(prop) {
                            self.repair(
                                &prop_at,
                                format!("`{name}: {}` inside `{keyword}` is not a schema (a key in the wrong place); dropped", short(prop)),
                            );
                            continue;
                        }
                        let hint = if keyword == "properties" {
                            upper_camel(name)
                        } else {
                            format!("{}Value", base)
                        };
                        // `id` of a titled object is that object's ID
                        // (`id` of a `Device` is a `DeviceId`); a file's
                        // root is titled by its file when it has no title
                        // of its own (`applicationKey.json`), so it is the
                        // same shape as its copies inlined in lists.
                        let title = match map.get("title").and_then(Value::as_str) {
                            Some(title) => Some(upper_camel(title)),
                            None if root => Some(base.clone()),
                            None => None,
                        };
                        let id_key = match (name.as_str(), title) {
                            ("id", Some(title)) => format!("{title}Id"),
                            _ => name.clone(),
                        };
                        let child =
                            self.schema(prop, &prop_at, inner_owner, &hint, Some(&id_key), false);
                        node.push(name.clone(), child);
                    }
                    node
                }
                "additionalProperties" => match v {
                    Value::Bool(_) => Node::Scalar(v.clone()),
                    _ => self.schema(v, &at, inner_owner, &format!("{base}Value"), None, false),
                },
                "items" => match v {
                    Value::Array(_) => {
                        self.repair(&at, "`items` as a list of schemas (tuple form) is not supported; read as any item".into());
                        Node::map()
                    }
                    _ => {
                        let hint = singular(key.map(upper_camel).as_deref().unwrap_or(&base));
                        self.schema(v, &at, inner_owner, &hint, None, false)
                    }
                },
                "oneOf" | "anyOf" | "allOf" => {
                    let Some(alternatives) = v.as_array() else {
                        self.repair(&at, format!("`{keyword}` must be a list; dropped"));
                        continue;
                    };
                    let mut list = Vec::new();
                    let hints = alternative_names(alternatives, &base);
                    for (i, (alternative, hint)) in alternatives.iter().zip(hints).enumerate() {
                        list.push(self.schema(
                            alternative,
                            &format!("{at}/{i}"),
                            inner_owner,
                            &hint,
                            key,
                            false,
                        ));
                    }
                    Node::List(list)
                }
                k if NUMERIC.contains(&k) => match v {
                    Value::Number(_) => Node::Scalar(v.clone()),
                    Value::String(text) => match text.trim().parse::<f64>() {
                        Ok(number) => {
                            self.repair(&at, format!("`{keyword}: \"{text}\"` is a number written as a string; read as {text}"));
                            Node::Scalar(number_value(number))
                        }
                        Err(_) => {
                            self.repair(&at, format!("`{keyword}: {v}` is not a number; dropped"));
                            continue;
                        }
                    },
                    _ => {
                        self.repair(&at, format!("`{keyword}: {v}` is not a number; dropped"));
                        continue;
                    }
                },
                _ => Node::from_json(v),
            };
            out.push(keyword, node);
        }
        for (k, _) in stray {
            let at = format!("{pointer}/{}", escape(k));
            self.repair(
                &at,
                format!("`{k}` is not a JSON Schema keyword the format has; dropped"),
            );
        }
        let out = self.typed_id(out, key);
        // A union beside an object of operators (`$eq`, `$in`) is a
        // condition on the value of what it is under: `IdCondition`, with
        // its alternatives named from the plain `Id` (`IdOperators`).
        let base = if is_condition(value) {
            format!("{base}Condition")
        } else {
            base
        };
        if root || !worth_a_name(&out) {
            // Inline shapes the walk recorded against this slot are owned
            // by the nearest named ancestor instead.
            self.reown(slot, owner);
            if root {
                return self.intern_root(out, base);
            }
            return out;
        }
        self.intern(out, slot, owner, base)
    }

    /// A string holding an object ID, as a reference to an ID type: the
    /// one named after the property (`deviceId` → `DeviceId`) when the
    /// resources declare it, else `ObjectId`.
    fn typed_id(&mut self, node: Node, key: Option<&str>) -> Node {
        let Node::Map(entries) = &node else {
            return node;
        };
        let is_id = entries.iter().all(|(k, v)| match k.as_str() {
            "type" => *v == Node::str("string"),
            "pattern" => *v == Node::str(OBJECT_ID_PATTERN),
            "description" => true,
            _ => false,
        }) && node.get("pattern").is_some();
        if !is_id {
            return node;
        }
        let name = key
            .map(upper_camel)
            .filter(|n| self.catalog.id_types.contains(n))
            .unwrap_or_else(|| "ObjectId".to_owned());
        let mut out = Node::map();
        if let Some(description) = node.get("description") {
            out.push("description", description.clone());
        }
        out.push("$ref", Node::str(name));
        out
    }

    /// Shapes recorded with the placeholder owner `usize::MAX` since
    /// `slot` are owned by `owner`.
    fn reown(&mut self, slot: usize, owner: Owner) {
        for shape in &mut self.catalog.shapes[slot..] {
            for occurrence in &mut shape.occurrences {
                if occurrence.owner == Owner::Shape(usize::MAX) {
                    occurrence.owner = owner;
                }
            }
        }
    }

    fn intern(&mut self, node: Node, slot: usize, owner: Owner, base: String) -> Node {
        // An enum means what the property holding it means: the same
        // values under `deviceClass` and `flowClass` are two types, each
        // named after its property.
        let shape = wire_shape(&node, &self.catalog.id_types);
        let key = if is_string_enum(&node) {
            format!("{base}: {shape:?}")
        } else {
            format!("{shape:?}")
        };
        let occurrence = Occurrence {
            base,
            owner,
            file: self.stem.clone(),
        };
        let index = match self.catalog.by_key.get(&key) {
            Some(&index) => {
                // Seen before. The shapes inside this occurrence were all
                // seen before too (they are the first one's), so no shape
                // was made since `slot`.
                let shape = &mut self.catalog.shapes[index];
                shape.occurrences.push(occurrence);
                shape.absorb(node, &self.catalog.id_types);
                index
            }
            None => {
                let index = self.catalog.shapes.len();
                self.reown(slot, Owner::Shape(index));
                self.catalog.shapes.push(Shape {
                    node,
                    occurrences: vec![occurrence],
                });
                self.catalog.by_key.insert(key, index);
                index
            }
        };
        let mut reference = Node::map();
        reference.push("$ref", Node::str(placeholder(index)));
        reference
    }

    /// The root of a file: interned like any shape when it is a shape,
    /// so a list's items that equal another file's root refer to it, and
    /// a file whose root equals an earlier file's is an alias of it.
    fn intern_root(&mut self, node: Node, base: String) -> Node {
        if !worth_a_name(&node) {
            return node;
        }
        let key = format!("{:?}", wire_shape(&node, &self.catalog.id_types));
        let index = match self.catalog.by_key.get(&key) {
            Some(&index) => {
                self.catalog.shapes[index].absorb(node, &self.catalog.id_types);
                index
            }
            None => {
                let index = self.catalog.shapes.len();
                self.catalog.shapes.push(Shape {
                    node,
                    occurrences: vec![Occurrence {
                        base,
                        owner: Owner::Root(usize::MAX),
                        file: self.stem.clone(),
                    }],
                });
                self.catalog.by_key.insert(key, index);
                index
            }
        };
        let mut reference = Node::map();
        reference.push("$ref", Node::str(placeholder(index)));
        reference
    }
}

/// The keywords that describe a shape without changing what is on the
/// wire.
const DOC_KEYWORDS: &[&str] = &["title", "description", "example"];

/// A transcribed schema as it is on the wire: without its docs at any
/// level of the schema (a property called `description` stays), and with
/// a property that holds a typed ID (one of `id_types`) holding an
/// `ObjectId`, which is what it is on the wire. Two objects that differ
/// only in how they are described, or in how precisely a property's ID is
/// typed (the `id` of a titled `Workflow` copy and of the untitled
/// `flow.json` root), are one type, which [`Shape::absorb`] gives the
/// precise ID. (An ID elsewhere, as in a union's alternative, keeps its
/// type: a condition on a `parentId` is not one on any object ID.)
fn wire_shape(node: &Node, id_types: &BTreeSet<String>) -> Node {
    let Node::Map(entries) = node else {
        return node.clone();
    };
    let wire = |value: &Node| wire_shape(value, id_types);
    let property = |value: &Node| match id_type(value, id_types) {
        Some(_) => {
            let mut id = Node::map();
            id.push("$ref", Node::str("ObjectId"));
            id
        }
        None => wire(value),
    };
    let each = |value: &Node, f: &dyn Fn(&Node) -> Node| match value {
        Node::List(items) => Node::List(items.iter().map(f).collect()),
        Node::Map(entries) => Node::Map(entries.iter().map(|(k, v)| (k.clone(), f(v))).collect()),
        other => other.clone(),
    };
    Node::Map(
        entries
            .iter()
            .filter(|(key, _)| !DOC_KEYWORDS.contains(&key.as_str()))
            .map(|(key, value)| {
                let value = match key.as_str() {
                    "properties" => each(value, &property),
                    "patternProperties" | "oneOf" | "anyOf" | "allOf" => each(value, &wire),
                    "items" | "additionalProperties" => wire(value),
                    _ => value.clone(),
                };
                (key.clone(), value)
            })
            .collect(),
    )
}

/// How much of a shape's docs a schema states: its top-level `title`,
/// `description` and `example`.
fn docs_stated(node: &Node) -> usize {
    DOC_KEYWORDS
        .iter()
        .filter(|key| node.get(key).is_some())
        .count()
}

impl Shape {
    /// Takes in `other`, an occurrence of the same shape on the wire: the
    /// better-documented of the two (a titled schema over the bare copy
    /// inlined elsewhere) is kept as the shape's schema, so the docs and
    /// the name come from it, and each property holding an ID keeps the
    /// most precise type either copy gives it.
    fn absorb(&mut self, other: Node, id_types: &BTreeSet<String>) {
        let (mut kept, other) = if docs_stated(&other) > docs_stated(&self.node) {
            (other, std::mem::replace(&mut self.node, Node::map()))
        } else {
            (std::mem::replace(&mut self.node, Node::map()), other)
        };
        if let (Some(Node::Map(mine)), Some(Node::Map(theirs))) =
            (kept.get_mut("properties"), other.get("properties"))
        {
            for ((_, mine), (_, theirs)) in mine.iter_mut().zip(theirs) {
                let (Some(ours), Some(their)) =
                    (id_type(mine, id_types), id_type(theirs, id_types))
                else {
                    continue;
                };
                // An `ObjectId` gives way to a typed ID; two different
                // typed IDs for one property are only an `ObjectId`.
                let precise = match (ours.as_str(), their.as_str()) {
                    (a, b) if a == b => continue,
                    ("ObjectId", typed) | (typed, "ObjectId") => typed.to_owned(),
                    _ => "ObjectId".to_owned(),
                };
                if let Some(target) = mine.get_mut("$ref") {
                    *target = Node::str(precise);
                }
            }
        }
        self.node = kept;
    }
}

/// The ID type a property refers to (`ObjectId` or one of `id_types`).
fn id_type(node: &Node, id_types: &BTreeSet<String>) -> Option<String> {
    match node.get("$ref") {
        Some(Node::Scalar(Value::String(target)))
            if target == "ObjectId" || id_types.contains(target) =>
        {
            Some(target.clone())
        }
        _ => None,
    }
}

/// Whether a transcribed schema is a shape that gets its own name: an
/// object with properties, a union, an `allOf`, or an enum of several
/// strings.
fn worth_a_name(node: &Node) -> bool {
    if node.get("$ref").is_some() {
        return false;
    }
    if node.get("properties").is_some() || node.get("allOf").is_some() {
        return true;
    }
    if let Some(Node::List(alternatives)) = node.get("oneOf").or(node.get("anyOf")) {
        // A union holding a shape (an object, an enum) is one; a union of
        // scalars and named types (an ID or null) is left to the
        // generator, which names it after where it is used.
        return alternatives.iter().any(|a| {
            matches!(a.get("$ref"), Some(Node::Scalar(Value::String(target))) if target.starts_with('#'))
        });
    }
    is_string_enum(node)
}

/// Whether a transcribed schema is an enum of several strings.
fn is_string_enum(node: &Node) -> bool {
    matches!(node.get("enum"), Some(Node::List(values)) if values.len() > 1 && node.get("type") == Some(&Node::str("string")))
}

/// The name an alternative of a union suggests: its tag values and the
/// union's name (`gauge` in a `Block` union → `GaugeBlock`; `operation: set`
/// and `target: deviceClass` in an `UpdateOperation` union →
/// `SetDeviceClassUpdateOperation`), else the union's name and the
/// alternative's first property.
///
/// A tag is a property that holds one string. All of them count, in the
/// order of their property names, since alternatives that differ only in
/// their second tag would otherwise want one name and end up numbered.
fn alternative_name(alternative: &Value, base: &str, index: usize) -> String {
    let properties = alternative.get("properties").and_then(Value::as_object);
    // Several optional operators, any of which may be given, are the
    // union's `Operators`; one required operator (`{$eq: ..}`) is named
    // by it, below.
    if let Some(props) = properties
        && props.len() > 1
        && is_operators(alternative)
        && alternative.get("required").is_none()
    {
        return format!("{base}Operators");
    }
    if let Some(props) = properties {
        let mut tags: Vec<(&String, &str)> = props
            .iter()
            .filter_map(|(name, prop)| match enum_values(prop) {
                Some([Value::String(tag)]) => Some((name, tag.as_str())),
                _ => None,
            })
            .collect();
        tags.sort();
        if !tags.is_empty() {
            let words: String = tags.iter().map(|(_, tag)| upper_camel(tag)).collect();
            return join_names(&words, base);
        }
        if let Some(first) = props.keys().next() {
            return format!("{base}{}", upper_camel(first));
        }
    }
    if let Some([Value::String(value)]) = enum_values(alternative) {
        return format!("{base}{}", upper_camel(value));
    }
    let kind = alternative
        .get("type")
        .and_then(Value::as_str)
        .or_else(|| nested_type(alternative));
    match kind.map(upper_camel) {
        // Inside an `AggregationString`, its strings are values, not
        // `AggregationStringString`.
        Some(kind) if base.ends_with(&kind) => format!("{base}Value"),
        Some(kind) => format!("{base}{kind}"),
        // A union of several kinds beside operator objects (`$eq`, `$ne`)
        // is the plain value they compare with.
        None if alternative
            .get("oneOf")
            .or(alternative.get("anyOf"))
            .is_some() =>
        {
            format!("{base}Value")
        }
        None => format!("{base}Variant{}", index + 1),
    }
}

/// The names of a union's alternatives ([`alternative_name`]), where
/// alternatives that would share one are told apart rather than numbered:
/// objects by a property only they have (`userId` beside `email`), enums of
/// several strings by their first value (`ScopeAllUser` beside
/// `ScopeAllInstance`), objects with a required property of several
/// strings by its first value (`DeviceIdTrigger` beside
/// `DeviceIdInactivityTrigger`).
fn alternative_names(alternatives: &[Value], base: &str) -> Vec<String> {
    let names: Vec<String> = alternatives
        .iter()
        .enumerate()
        .map(|(i, alternative)| alternative_name(alternative, base, i))
        .collect();
    (0..alternatives.len())
        .map(|i| {
            // Only the alternatives that want the same name, and only
            // those with a type of their own: next to a plain string (which
            // gets no type) an enum keeps its name.
            let others: Vec<&Value> = (0..alternatives.len())
                .filter(|&j| {
                    j != i && names[j] == names[i] && worth_telling_apart(&alternatives[j])
                })
                .map(|j| &alternatives[j])
                .collect();
            if others.is_empty() || !worth_telling_apart(&alternatives[i]) {
                return names[i].clone();
            }
            if let Some(own) = own_property(&alternatives[i], &others) {
                return format!("{base}{}", upper_camel(own));
            }
            match first_of_several(&alternatives[i]) {
                Some((first, from_property))
                    if others
                        .iter()
                        .all(|other| first_of_several(other).map(|(f, _)| f) != Some(first)) =>
                {
                    if from_property {
                        join_names(&upper_camel(first), base)
                    } else {
                        format!("{base}{}", upper_camel(first))
                    }
                }
                _ => names[i].clone(),
            }
        })
        .collect()
}

/// Whether an alternative becomes a type of its own that a name must tell
/// apart: an object with properties or an enum of several strings.
fn worth_telling_apart(alternative: &Value) -> bool {
    alternative.get("properties").is_some() || first_of_several(alternative).is_some()
}

/// The first property of an object alternative (a required one before the
/// rest) that none of `others` has.
fn own_property<'a>(alternative: &'a Value, others: &[&Value]) -> Option<&'a str> {
    let properties = alternative.get("properties").and_then(Value::as_object)?;
    let required = |name: &str| {
        alternative
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(|r| r.as_str() == Some(name)))
    };
    let own = |name: &&String| {
        others.iter().all(|other| {
            other
                .get("properties")
                .and_then(Value::as_object)
                .is_none_or(|theirs| !theirs.contains_key(name.as_str()))
        })
    };
    let mut candidates: Vec<&String> = properties.keys().filter(own).collect();
    candidates.sort_by_key(|name| !required(name));
    candidates.first().map(|name| name.as_str())
}

/// The first value of an enum of several strings that a schema is
/// (`false`), or else that a required property of it holds (`true`, the
/// first such property by name): what tells such alternatives apart when
/// no single tag value does.
fn first_of_several(schema: &Value) -> Option<(&str, bool)> {
    fn first(schema: &Value) -> Option<&str> {
        match enum_values(schema) {
            Some([Value::String(first), _, ..]) => Some(first.as_str()),
            _ => None,
        }
    }
    if let Some(value) = first(schema) {
        return Some((value, false));
    }
    let required = schema.get("required").and_then(Value::as_array)?;
    let properties = schema.get("properties").and_then(Value::as_object)?;
    properties
        .iter()
        .filter(|(name, _)| required.iter().any(|r| r.as_str() == Some(name.as_str())))
        .find_map(|(_, property)| first(property))
        .map(|value| (value, true))
}

/// The platform's comparison operators.
const COMPARISONS: &[&str] = &["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin"];

/// Whether a schema is an object of query operators: every property it
/// has is a `$` word (`$eq`, `$ci`), and one at least is a comparison.
/// (`{$date: ..}` is a time, and `{$tagKey, $tagValue}` a tag to match.)
fn is_operators(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|props| {
            props.keys().all(|key| key.starts_with('$'))
                && props.keys().any(|key| COMPARISONS.contains(&key.as_str()))
        })
}

/// Whether a schema is a union with an object of query operators among
/// its alternatives: a condition on a value.
fn is_condition(schema: &Value) -> bool {
    schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
        .is_some_and(|alternatives| alternatives.iter().any(is_operators))
}

/// The `enum` of a schema, if it has one.
fn enum_values(schema: &Value) -> Option<&[Value]> {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
}

/// The one `type` that every alternative of a schema's own `oneOf` or
/// `anyOf` states, if they agree (a union of string enums is a string).
fn nested_type(schema: &Value) -> Option<&str> {
    let members = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)?;
    let mut kinds = members
        .iter()
        .map(|member| member.get("type").and_then(Value::as_str));
    let first = kinds.next()??;
    kinds.all(|kind| kind == Some(first)).then_some(first)
}

/// A short form of a value, for a report.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

/// A number as JSON writes it: whole numbers without a fraction.
fn number_value(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        Value::from(number as i64)
    } else {
        serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::{Node, Shape, alternative_name, alternative_names, wire_shape};
    use serde_json::json;
    use std::collections::BTreeSet;

    #[test]
    fn shapes_that_differ_only_in_their_docs_are_one_shape_on_the_wire() {
        let titled = Node::from_json(&json!({
            "title": "Data Table Column",
            "description": "Schema for a single Data Table Column",
            "type": "object",
            "properties": {"name": {"type": "string", "description": "Its name"}},
            "items": {"type": "string", "example": "a"}
        }));
        let bare = Node::from_json(&json!({
            "type": "object",
            "properties": {"name": {"type": "string"}},
            "items": {"type": "string"}
        }));
        let ids = BTreeSet::new();
        assert_eq!(wire_shape(&titled, &ids), wire_shape(&bare, &ids));
        // A property called `description` is part of the shape.
        let described = Node::from_json(&json!({
            "type": "object",
            "properties": {"name": {"type": "string"}, "description": {"type": "string"}},
            "items": {"type": "string"}
        }));
        assert_ne!(wire_shape(&described, &ids), wire_shape(&bare, &ids));
        let longer = Node::from_json(&json!({"type": "string", "maxLength": 5}));
        let shorter = Node::from_json(&json!({"type": "string", "maxLength": 4}));
        assert_ne!(wire_shape(&longer, &ids), wire_shape(&shorter, &ids));
    }

    #[test]
    fn copies_that_type_an_id_more_or_less_precisely_are_one_shape_with_the_precise_type() {
        let ids = BTreeSet::from(["FlowId".to_owned(), "DeviceId".to_owned()]);
        let root = Node::from_json(&json!({
            "type": "object",
            "properties": {"id": {"$ref": "FlowId"}, "other": {"$ref": "DeviceId"}}
        }));
        let copy = Node::from_json(&json!({
            "title": "Workflow",
            "type": "object",
            "properties": {"id": {"$ref": "ObjectId"}, "other": {"$ref": "FlowId"}}
        }));
        assert_eq!(wire_shape(&root, &ids), wire_shape(&copy, &ids));
        let mut shape = Shape {
            node: root,
            occurrences: Vec::new(),
        };
        shape.absorb(copy, &ids);
        // The titled copy's docs, the root's precise `id`, and no guess
        // where the two copies disagree.
        assert_eq!(
            shape.node,
            Node::from_json(&json!({
                "title": "Workflow",
                "type": "object",
                "properties": {"id": {"$ref": "FlowId"}, "other": {"$ref": "ObjectId"}}
            }))
        );
    }

    #[test]
    fn alternatives_are_named_by_every_tag_they_hold() {
        let set_class = json!({"properties": {
            "operation": {"type": "string", "enum": ["set"]},
            "target": {"type": "string", "enum": ["deviceClass"]},
            "value": {"type": "string"}
        }});
        let set_name = json!({"properties": {
            "target": {"type": "string", "enum": ["name"]},
            "operation": {"type": "string", "enum": ["set"]}
        }});
        assert_eq!(
            alternative_name(&set_class, "UpdateOperation", 0),
            "SetDeviceClassUpdateOperation"
        );
        assert_eq!(
            alternative_name(&set_name, "UpdateOperation", 1),
            "SetNameUpdateOperation"
        );
    }

    #[test]
    fn alternatives_without_tags_are_named_by_property_or_type() {
        let gauge = json!({"properties": {"type": {"enum": ["gauge"]}, "size": {}}});
        assert_eq!(alternative_name(&gauge, "Block", 0), "GaugeBlock");
        let keyed = json!({"properties": {"seconds": {"type": "number"}}});
        assert_eq!(alternative_name(&keyed, "Trigger", 0), "TriggerSeconds");
        assert_eq!(
            alternative_name(&json!({"type": "string"}), "Id", 0),
            "IdString"
        );
        assert_eq!(alternative_name(&json!({}), "Value", 2), "ValueVariant3");
        let operand = json!({"oneOf": [{"type": "null"}, {"type": "object"}]});
        assert_eq!(
            alternative_name(&operand, "DeviceTags", 0),
            "DeviceTagsValue"
        );
        let none = json!({"type": "string", "enum": ["NONE"]});
        assert_eq!(alternative_name(&none, "Aggregation", 1), "AggregationNone");
        let strings = json!({"oneOf": [
            {"type": "string", "enum": ["FIRST", "LAST"]},
            {"type": "string", "enum": ["NONE"]},
        ]});
        assert_eq!(
            alternative_name(&strings, "Aggregation", 0),
            "AggregationString"
        );
    }

    #[test]
    fn string_enums_that_would_share_a_name_are_named_by_their_first_value() {
        let alternatives = [
            json!({"type": "string", "enum": ["all.User", "all.User.read"]}),
            json!({"type": "string", "enum": ["all.Instance", "instance.get"]}),
            json!({"type": "number"}),
        ];
        assert_eq!(
            alternative_names(&alternatives, "Scope"),
            ["ScopeAllUser", "ScopeAllInstance", "ScopeNumber"]
        );
        // Objects told apart by a required property of several values.
        let kind = |values: serde_json::Value| {
            json!({"properties": {"config": {}, "type": {"type": "string", "enum": values}},
                   "required": ["type"]})
        };
        let triggers = [
            kind(json!(["deviceIdInactivity", "deviceTagInactivity"])),
            kind(json!(["deviceId", "deviceTag"])),
        ];
        assert_eq!(
            alternative_names(&triggers, "Trigger"),
            ["DeviceIdInactivityTrigger", "DeviceIdTrigger"]
        );
        // Objects told apart by a property only one has, before a shared
        // role enum whose first value would say nothing.
        let member = |who: &str| {
            json!({"properties": {"applicationRoles": {}, who: {"type": "string"},
                                  "role": {"type": "string", "enum": ["admin", "view"]}},
                   "required": [who, "role"]})
        };
        assert_eq!(
            alternative_names(&[member("userId"), member("email")], "MemberPost"),
            ["MemberPostUserId", "MemberPostEmail"]
        );
        // Beside a plain string, an enum keeps its name.
        let beside_a_pattern = [
            json!({"type": "string", "enum": ["asc", "desc"]}),
            json!({"type": "string", "pattern": "^{{.+}}$"}),
        ];
        assert_eq!(
            alternative_names(&beside_a_pattern, "SortDirection"),
            ["SortDirectionString", "SortDirectionString"]
        );
        assert_eq!(
            alternative_name(&json!({"type": "string"}), "AggregationString", 0),
            "AggregationStringValue"
        );
    }
}
