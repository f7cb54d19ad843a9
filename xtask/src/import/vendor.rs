//! The vendor's description of the platform, as published: the action
//! table (`lib/schemas/apiInfo.json`), the JSON Schemas it names, the
//! example values, and the reference pages (`docs/*.md`), which alone list
//! every scope that allows an action.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Everything the importer reads from the vendor's folder.
pub struct Vendor {
    /// `apiInfo.json`: resource name → its description (with `actions`).
    pub api_info: Map<String, Value>,
    /// The JSON Schemas by file stem (`devicePost`).
    pub schemas: BTreeMap<String, Value>,
    /// `apiExamples.json`: schema file stem → an example value.
    pub examples: Map<String, Value>,
    /// Scopes by resource and action, from the reference pages.
    pub scopes: BTreeMap<(String, String), Scopes>,
}

/// What a reference page says about who may call an action.
#[derive(Debug, Clone, PartialEq)]
pub enum Scopes {
    /// "No api access token is required to call this action."
    NoToken,
    /// A token with at least one of these scopes.
    AnyOf(Vec<String>),
}

/// Reads the vendor folder (the root of the vendor's client repository,
/// holding `lib/` and `docs/`).
pub fn read(root: &Path) -> Result<Vendor, String> {
    let schemas_dir = root.join("lib").join("schemas");
    let api_info = object(
        &read_json(&schemas_dir.join("apiInfo.json"))?,
        "apiInfo.json",
    )?;
    let examples = object(
        &read_json(&schemas_dir.join("apiExamples.json"))?,
        "apiExamples.json",
    )?;
    let mut schemas = BTreeMap::new();
    for path in files_with(&schemas_dir, "json")? {
        let stem = stem(&path);
        if stem == "apiInfo" || stem == "apiExamples" {
            continue;
        }
        schemas.insert(stem, read_json(&path)?);
    }
    let mut scopes = BTreeMap::new();
    let docs = root.join("docs");
    if docs.is_dir() {
        for path in files_with(&docs, "md")? {
            let resource = stem(&path);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("error: reading {}: {e}", path.display()))?;
            for (action, found) in page_scopes(&resource, &text) {
                scopes.insert((resource.clone(), action), found);
            }
        }
    }
    Ok(Vendor {
        api_info,
        schemas,
        examples,
        scopes,
    })
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("error: reading {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "error: {}:{}:{}: not valid JSON: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

fn object(value: &Value, file: &str) -> Result<Map<String, Value>, String> {
    value
        .as_object()
        .cloned()
        .ok_or_else(|| format!("error: {file}: expected a JSON object at the top"))
}

/// The files of `dir` ending in `.ext`, sorted by name.
fn files_with(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("error: reading {}: {e}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("error: reading {}: {e}", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == ext) {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The scopes each action's section of a reference page lists. A section
/// is found by its code sample (`client.device.getCommand(`), not its
/// heading, which is a title made from the action's name.
fn page_scopes(resource: &str, page: &str) -> Vec<(String, Scopes)> {
    let call = format!("client.{resource}.");
    let mut found = Vec::new();
    for section in page.split("\n## ").skip(1) {
        let Some(start) = section.find(&call) else {
            continue;
        };
        let rest = &section[start + call.len()..];
        let action: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if action.is_empty() {
            continue;
        }
        if section.contains("No api access token is required") {
            found.push((action, Scopes::NoToken));
            continue;
        }
        let marker = "at least one of the following scopes:";
        let Some(at) = section.find(marker) else {
            continue;
        };
        let text = &section[at + marker.len()..];
        let end = text.find("\n\n").unwrap_or(text.len());
        let list = text[..end].trim().trim_end_matches('.');
        let scopes = list
            .split(',')
            .map(|s| s.trim().trim_start_matches("or ").trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        found.push((action, Scopes::AnyOf(scopes)));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_lists_the_scopes_of_each_action_by_its_code_sample() {
        let page = "# Device Actions\n\n## Delete\n\n```javascript\nconsole.log(await client.device.delete(params));\n```\n\n\
            #### Authentication\nThe client must be configured with a valid api access token to call this\n\
            action. The token must include at least one of the following scopes:\n\
            all.Application, all.User, device.*, or device.delete.\n\n#### Available Parameters\n\n\
            ## Authenticate\n\n```javascript\nclient.device.authenticate(params)\n```\n\n\
            #### Authentication\nNo api access token is required to call this action.\n";
        assert_eq!(
            page_scopes("device", page),
            vec![
                (
                    "delete".to_owned(),
                    Scopes::AnyOf(vec![
                        "all.Application".into(),
                        "all.User".into(),
                        "device.*".into(),
                        "device.delete".into()
                    ])
                ),
                ("authenticate".to_owned(), Scopes::NoToken),
            ]
        );
    }
}
