//! `cargo xtask import PATH`: transcribes the vendor's description of the
//! platform (the root of the vendor's client repository: `lib/schemas/`,
//! `docs/`) into `api-spec/`.
//!
//! Deterministic: the same vendor files give the same spec files, byte
//! for byte. Rerunnable: `api-spec/import.lock` records a hash of what
//! the importer last wrote to each file, so a file nobody has edited
//! since is replaced by the new transcription, while a file a person
//! refined (typed names, pagination, formats, examples, waiters) is kept
//! and the vendor's difference from it reported instead. A schema name
//! that a kept file defines is not defined again: the person's wins.
//!
//! What the vendor's data gets wrong is repaired, reported, and recorded
//! in a comment at the top of the schema file it lands in.

mod fixtures;
mod names;
mod naming;
mod params;
mod repair;
mod resource;
mod schema;
mod vendor;
mod yaml;

use schema::{Catalog, Named, Repair};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use yaml::Node;

/// The file recording what the importer last wrote (relative to the spec).
const LOCK_FILE: &str = "import.lock";

/// What an import did, for the summary.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files written (new, or replaced because nobody had edited them).
    pub written: Vec<String>,
    /// Files already as the import would write them.
    pub unchanged: usize,
    /// Files kept because a person edited them, with the vendor's
    /// difference (empty: the vendor did not change since the last import).
    pub kept: Vec<(String, String)>,
    /// Files the last import wrote that this one does not, removed.
    pub removed: Vec<String>,
    /// Repairs of the vendor's data.
    pub repairs: Vec<Repair>,
    /// Counts for the summary line.
    pub resources: usize,
    /// Actions transcribed.
    pub actions: usize,
    /// Named schemas written.
    pub schemas: usize,
    /// Files of the client's test fixtures (the vendor's body schemas)
    /// written or removed.
    pub fixtures: usize,
}

/// Imports the vendor folder `vendor_dir` into the spec folder `spec_dir`;
/// with `dry_run`, writes nothing and reports what it would do.
pub fn run(vendor_dir: &Path, spec_dir: &Path, dry_run: bool) -> Result<Summary, String> {
    let vendor = vendor::read(vendor_dir)?;
    let files = transcribe(&vendor, spec_dir)?;
    let mut summary = apply(spec_dir, files, dry_run)?;
    if !dry_run {
        let root = spec_dir
            .parent()
            .ok_or_else(|| format!("error: {} has no parent folder", spec_dir.display()))?;
        summary.fixtures = fixtures::write(vendor_dir, &vendor, root)?;
    }
    Ok(summary)
}

/// The spec files the vendor's description makes, by path, with repairs
/// and counts in a summary.
struct Transcription {
    files: BTreeMap<String, String>,
    summary: Summary,
}

fn transcribe(vendor: &vendor::Vendor, spec_dir: &Path) -> Result<Transcription, String> {
    let lock = read_lock(spec_dir)?;
    let ids = resource::id_types(vendor);
    let mut catalog = Catalog::build(&vendor.schemas, ids.keys().cloned().collect());
    let mut repairs = std::mem::take(&mut catalog.repairs);

    let mut files: BTreeMap<String, Node> = BTreeMap::new();
    let mut actions = 0;
    for name in vendor.api_info.keys() {
        let node = resource::resource(vendor, name, &mut repairs);
        if let Some(Node::Map(ops)) = node.get("operations") {
            actions += ops.len();
        }
        files.insert(format!("resources/{name}.yaml"), node);
    }

    // Schema names defined by files a person refined win over the
    // vendor's: the importer does not define them again.
    let mut taken = BTreeSet::new();
    for path in existing_spec_files(spec_dir)? {
        if path.starts_with("schemas/") && is_refined(spec_dir, &path, &lock)? {
            taken.extend(defined_names(
                &std::fs::read_to_string(spec_dir.join(&path))
                    .map_err(|e| format!("error: reading {path}: {e}"))?,
            ));
        }
    }

    // Query parameters of one meaning everywhere share a schema, whose
    // name no vendor file or ID type has. One a refined file defines is
    // the person's: referred to, not defined again.
    let mut avoid: BTreeSet<String> = vendor
        .schemas
        .keys()
        .map(|stem| schema::root_name(stem))
        .collect();
    avoid.extend(ids.keys().cloned());
    avoid.insert("ObjectId".into());
    let shared_params = params::share(&mut files, &avoid);
    let refined = taken.clone();
    taken.extend(shared_params.iter().map(|n| n.name.clone()));

    let renames = names::Renames::read(spec_dir)?;
    let mut named: Vec<Named> = catalog.named(&taken, &renames, &vendor.examples)?;
    named.retain(|n| !taken.contains(&n.name));
    named.extend(
        shared_params
            .into_iter()
            .filter(|n| !refined.contains(&n.name)),
    );
    if !taken.contains("ObjectId") {
        named.push(object_id());
    }
    for (name, id) in &ids {
        if !taken.contains(name) {
            named.push(id_type(name, id));
        }
    }
    let named = reachable(named, files.values());
    let schema_count = named.len();

    // One schema file per family of vendor files (`device`, `devices`,
    // `deviceRecipe` → `device`), the ID types in `ids.yaml`.
    // A family whose file a person refined gets the vendor's other
    // schemas of that family in a file of their own beside it.
    let mut by_file: BTreeMap<String, Vec<Named>> = BTreeMap::new();
    for entry in named {
        let family = family(&entry.home);
        let mut file = format!("schemas/{family}.yaml");
        if spec_dir.join(&file).is_file() && is_refined(spec_dir, &file, &lock)? {
            file = format!("schemas/{family}-vendor.yaml");
        }
        by_file.entry(file).or_default().push(entry);
    }
    repairs.sort();
    let mut texts = BTreeMap::new();
    for (path, node) in &files {
        let header = "# yaml-language-server: $schema=../editor/resource.schema.json\n\
                      # Transcribed from the vendor's description by `cargo xtask import`.\n";
        texts.insert(path.clone(), format!("{header}{}", yaml::to_yaml(node)));
    }
    for (path, mut entries) in by_file {
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        let homes: BTreeSet<String> = entries
            .iter()
            .map(|e| format!("lib/schemas/{}.json", e.home))
            .collect();
        let mut header = String::from(
            "# yaml-language-server: $schema=../editor/schemas.schema.json\n\
             # Transcribed from the vendor's description by `cargo xtask import`.\n",
        );
        let notes: Vec<&Repair> = repairs.iter().filter(|r| homes.contains(&r.file)).collect();
        if !notes.is_empty() {
            header.push_str("#\n# Repairs of the vendor's data:\n");
            for repair in notes {
                header.push_str(&format!(
                    "# - {} {}: {}\n",
                    repair.file, repair.pointer, repair.what
                ));
            }
        }
        let mut root = Node::map();
        for entry in entries {
            root.push(entry.name, entry.node);
        }
        texts.insert(path, format!("{header}\n{}", yaml::to_yaml(&root)));
    }
    let summary = Summary {
        repairs,
        resources: vendor.api_info.len(),
        actions,
        schemas: schema_count,
        ..Summary::default()
    };
    Ok(Transcription {
        files: texts,
        summary,
    })
}

/// `ObjectId`: what every ID type is.
fn object_id() -> Named {
    let mut node = Node::map();
    node.push("description", Node::str("A 24-character hex object ID"));
    node.push("type", Node::str("string"));
    node.push("pattern", Node::str(schema::OBJECT_ID_PATTERN));
    Named {
        name: "ObjectId".into(),
        home: "ids".into(),
        node,
    }
}

fn id_type(name: &str, id: &resource::IdType) -> Named {
    let mut node = Node::map();
    node.push("description", Node::str(id.description.clone()));
    if id.object_id {
        node.push("$ref", Node::str("ObjectId"));
    } else {
        node.push("type", Node::str("string"));
    }
    Named {
        name: name.to_owned(),
        home: "ids".into(),
        node,
    }
}

/// The named schemas that the resources reach, directly or through other
/// schemas; the others (inline shapes of a schema a person defined by
/// hand) are not written.
fn reachable<'a>(named: Vec<Named>, resources: impl Iterator<Item = &'a Node>) -> Vec<Named> {
    let index: BTreeMap<&str, usize> = named
        .iter()
        .enumerate()
        .map(|(i, n)| (n.name.as_str(), i))
        .collect();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = Vec::new();
    for resource in resources {
        refs(resource, &mut stack);
    }
    while let Some(name) = stack.pop() {
        if let Some(&i) = index.get(name.as_str()) {
            if seen.insert(i) {
                refs(&named[i].node, &mut stack);
            }
        }
    }
    named
        .into_iter()
        .enumerate()
        .filter(|(i, _)| seen.contains(i))
        .map(|(_, n)| n)
        .collect()
}

fn refs(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Map(entries) => {
            for (key, value) in entries {
                match (key.as_str(), value) {
                    ("$ref", Node::Scalar(serde_json::Value::String(name))) => {
                        out.push(name.clone())
                    }
                    _ => refs(value, out),
                }
            }
        }
        Node::List(items) => items.iter().for_each(|i| refs(i, out)),
        Node::Scalar(_) => {}
    }
}

/// The family of a vendor schema file: its first word (`deviceRecipePost`
/// → `device`), so a resource's schemas sit together.
fn family(stem: &str) -> String {
    let first: String = stem.chars().take_while(|c| !c.is_uppercase()).collect();
    if first.is_empty() {
        stem.to_owned()
    } else {
        first
    }
}

/// The schema names a schema file defines: its top-level keys. (Read
/// from the text: names are plain words at the start of a line.)
fn defined_names(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once(':').map(|(name, _)| name.trim().to_owned()))
        .collect()
}

/// The spec's files under `resources/` and `schemas/`, relative.
fn existing_spec_files(spec_dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for folder in ["resources", "schemas"] {
        let dir = spec_dir.join(folder);
        if !dir.is_dir() {
            continue;
        }
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| format!("error: reading {}: {e}", dir.display()))?;
        for entry in entries {
            let name = entry
                .map_err(|e| format!("error: reading {}: {e}", dir.display()))?
                .file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".yaml") {
                out.push(format!("{folder}/{name}"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Whether the spec file at `path` was edited since the importer wrote it
/// (or was never written by it).
fn is_refined(spec_dir: &Path, path: &str, lock: &BTreeMap<String, u64>) -> Result<bool, String> {
    let text = std::fs::read_to_string(spec_dir.join(path))
        .map_err(|e| format!("error: reading {path}: {e}"))?;
    Ok(lock.get(path) != Some(&fingerprint(&text)))
}

/// A stable 64-bit FNV-1a hash (the standard library's hasher may change
/// between releases; the lock file must not).
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn read_lock(spec_dir: &Path) -> Result<BTreeMap<String, u64>, String> {
    let path = spec_dir.join(LOCK_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(format!("error: reading {}: {e}", path.display())),
    };
    let mut lock = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let parsed = line
            .split_once(' ')
            .and_then(|(hash, file)| Some((u64::from_str_radix(hash, 16).ok()?, file.to_owned())));
        match parsed {
            Some((hash, file)) => {
                lock.insert(file, hash);
            }
            None => {
                return Err(format!(
                    "error: {}:{}: expected `<hex hash> <file>`, found `{line}`",
                    path.display(),
                    number + 1
                ));
            }
        }
    }
    Ok(lock)
}

fn lock_text(lock: &BTreeMap<String, u64>) -> String {
    let mut text = String::from(
        "# What `cargo xtask import` last wrote to each file (FNV-1a hashes): a file\n\
         # whose text still has its hash is replaced by the next import, any other\n\
         # is kept as a person refined it.\n",
    );
    for (file, hash) in lock {
        text.push_str(&format!("{hash:016x} {file}\n"));
    }
    text
}

fn apply(spec_dir: &Path, transcription: Transcription, dry_run: bool) -> Result<Summary, String> {
    let Transcription { files, mut summary } = transcription;
    let old_lock = read_lock(spec_dir)?;
    let mut lock = BTreeMap::new();
    let write = |path: &str, text: &str| -> Result<(), String> {
        if dry_run {
            return Ok(());
        }
        let full = spec_dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("error: creating {}: {e}", parent.display()))?;
        }
        std::fs::write(&full, text).map_err(|e| format!("error: writing {path}: {e}"))
    };
    for (path, text) in &files {
        lock.insert(path.clone(), fingerprint(text));
        let existing = match std::fs::read_to_string(spec_dir.join(path)) {
            Ok(existing) => Some(existing),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("error: reading {path}: {e}")),
        };
        match existing {
            Some(existing) if existing == *text => summary.unchanged += 1,
            Some(existing) if old_lock.get(path) != Some(&fingerprint(&existing)) => {
                // Refined by hand: kept. Report what the vendor says
                // differently, unless it said the same at the last import.
                let vendor_changed = old_lock.get(path) != Some(&fingerprint(text));
                let difference = if vendor_changed {
                    difference(&existing, text)
                } else {
                    String::new()
                };
                summary.kept.push((path.clone(), difference));
            }
            _ => {
                write(path, text)?;
                summary.written.push(path.clone());
            }
        }
    }
    for (path, hash) in &old_lock {
        if files.contains_key(path) {
            continue;
        }
        match std::fs::read_to_string(spec_dir.join(path)) {
            Ok(existing) if fingerprint(&existing) == *hash => {
                if !dry_run {
                    std::fs::remove_file(spec_dir.join(path))
                        .map_err(|e| format!("error: removing {path}: {e}"))?;
                }
                summary.removed.push(path.clone());
            }
            Ok(_) => summary.kept.push((
                path.clone(),
                "the vendor no longer describes this file's content; kept as edited".into(),
            )),
            Err(_) => {}
        }
    }
    if !dry_run {
        std::fs::write(spec_dir.join(LOCK_FILE), lock_text(&lock))
            .map_err(|e| format!("error: writing {LOCK_FILE}: {e}"))?;
    }
    Ok(summary)
}

/// A unified diff from the spec's file to the vendor's transcription,
/// cut to its first lines.
fn difference(spec: &str, vendor: &str) -> String {
    const MAX_LINES: usize = 40;
    let diff = similar::TextDiff::from_lines(spec, vendor);
    let text = diff
        .unified_diff()
        .context_radius(1)
        .header("spec", "vendor")
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() > MAX_LINES {
        format!(
            "{}\n... ({} more lines)",
            lines[..MAX_LINES].join("\n"),
            lines.len() - MAX_LINES
        )
    } else {
        text
    }
}
