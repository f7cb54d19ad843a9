//! The vendor's JSON Schemas of request bodies, copied unchanged into the
//! client's test fixtures (`generated-client/tests/fixtures/vendor/`), so
//! the conformance tests can check every body the client sends against
//! the vendor's own schema, without the build reading the vendor's files.
//!
//! `bodies.json` says which schema each action's body has
//! (`"device.export": "deviceDataExport"`); `schemas/` holds those
//! schemas and every schema they refer to, byte for byte; `LICENSE` is the
//! vendor's, which the copies are under.

use super::vendor::Vendor;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Where the fixtures go, relative to the workspace root.
pub const FIXTURE_DIR: &str = "generated-client/tests/fixtures/vendor";

/// Writes the fixtures for `vendor` (read from `vendor_dir`) under `root`;
/// returns how many files it wrote or removed.
pub fn write(vendor_dir: &Path, vendor: &Vendor, root: &Path) -> Result<usize, String> {
    let bodies = bodies(vendor);
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    let mut pending: Vec<String> = bodies.values().cloned().collect();
    while let Some(stem) = pending.pop() {
        if !wanted.insert(stem.clone()) {
            continue;
        }
        if let Some(schema) = vendor.schemas.get(&stem) {
            references(schema, &mut pending);
        }
    }
    let dir = root.join(FIXTURE_DIR);
    let schemas_dir = dir.join("schemas");
    std::fs::create_dir_all(&schemas_dir)
        .map_err(|e| format!("error: creating {}: {e}", schemas_dir.display()))?;
    let mut changed = 0;
    let mut index = serde_json::to_string_pretty(&bodies).map_err(|e| e.to_string())?;
    index.push('\n');
    changed += usize::from(write_if_changed(
        &dir.join("bodies.json"),
        index.as_bytes(),
    )?);
    let license = read(&vendor_dir.join("LICENSE"))?;
    changed += usize::from(write_if_changed(&dir.join("LICENSE"), &license)?);
    for stem in &wanted {
        let source = vendor_dir.join("lib/schemas").join(format!("{stem}.json"));
        let text = read(&source)?;
        changed += usize::from(write_if_changed(
            &schemas_dir.join(format!("{stem}.json")),
            &text,
        )?);
    }
    // A schema no body needs any more goes.
    let entries = std::fs::read_dir(&schemas_dir)
        .map_err(|e| format!("error: reading {}: {e}", schemas_dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if !wanted.contains(stem) {
            std::fs::remove_file(&path)
                .map_err(|e| format!("error: removing {}: {e}", path.display()))?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// The schema of each action's JSON body, by `resource.action`.
fn bodies(vendor: &Vendor) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (resource, description) in &vendor.api_info {
        let Some(actions) = description.get("actions").and_then(Value::as_object) else {
            continue;
        };
        for (action, info) in actions {
            let params = info.get("params").and_then(Value::as_array);
            for param in params.into_iter().flatten() {
                if param.get("in").and_then(Value::as_str) != Some("body") {
                    continue;
                }
                let target = param
                    .pointer("/schema/$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/definitions/"));
                if let Some(stem) = target {
                    out.insert(format!("{resource}.{action}"), stem.to_owned());
                }
            }
        }
    }
    out
}

/// Pushes onto `out` the file stem of every `#/definitions/` reference
/// inside `schema`.
fn references(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                match value {
                    Value::String(target) if key == "$ref" => {
                        if let Some(stem) = target.strip_prefix("#/definitions/") {
                            out.push(stem.to_owned());
                        }
                    }
                    _ => references(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, out)),
        _ => {}
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("error: reading {}: {e}", path.display()))
}

/// Writes `contents` to `path` unless it holds them already; whether it
/// wrote.
fn write_if_changed(path: &Path, contents: &[u8]) -> Result<bool, String> {
    if std::fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    std::fs::write(path, contents)
        .map_err(|e| format!("error: writing {}: {e}", path.display()))?;
    Ok(true)
}
