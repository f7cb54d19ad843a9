//! Query parameters that mean the same everywhere share one type.
//!
//! The vendor writes a query parameter's `enum` inline in every action
//! that takes it: `sortDirection: [asc, desc]` in 52 of them. The
//! generator would make a type per resource (`DevicesSortDirectionParam`,
//! `FlowsSortDirectionParam`, ...), 52 types a caller must tell apart for
//! one meaning. A parameter whose `enum` is the same in every action that
//! takes it is one schema, `<Parameter>Param` (`SortDirectionParam`), in
//! `schemas/params.yaml`; a parameter whose values differ between actions
//! (`sortField`) stays each action's own.

use super::naming::upper_camel;
use super::schema::Named;
use super::yaml::Node;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The schema file family of the shared parameter types.
pub const HOME: &str = "params";

/// Replaces, in the resource files, each query parameter's inline enum
/// that is the same in every action taking that parameter by a reference
/// to one shared schema, and returns those schemas. A parameter whose
/// shared name is in `taken`, or that only one action takes, is left
/// inline.
pub fn share(resources: &mut BTreeMap<String, Node>, taken: &BTreeSet<String>) -> Vec<Named> {
    // Every inline enum of each query parameter, by parameter name.
    let mut seen: BTreeMap<String, Vec<Node>> = BTreeMap::new();
    for resource in resources.values_mut() {
        for_each_query_schema(resource, &mut |name, schema| {
            if is_inline_enum(schema) {
                seen.entry(name.to_owned())
                    .or_default()
                    .push(schema.clone());
            } else {
                // Not an enum somewhere: the parameter is not one meaning.
                seen.entry(name.to_owned()).or_default().push(Node::map());
            }
        });
    }
    let shared: BTreeMap<String, (String, Node)> = seen
        .into_iter()
        .filter(|(_, schemas)| schemas.len() > 1 && schemas.iter().all(|s| *s == schemas[0]))
        .filter(|(_, schemas)| is_inline_enum(&schemas[0]))
        .map(|(name, mut schemas)| {
            let type_name = format!("{}Param", upper_camel(&name));
            (name, (type_name, schemas.swap_remove(0)))
        })
        .filter(|(_, (type_name, _))| !taken.contains(type_name))
        .collect();
    for resource in resources.values_mut() {
        for_each_query_schema(resource, &mut |name, schema| {
            if let Some((type_name, _)) = shared.get(name) {
                let mut reference = Node::map();
                reference.push("$ref", Node::str(type_name.clone()));
                *schema = reference;
            }
        });
    }
    shared
        .into_iter()
        .map(|(name, (type_name, schema))| {
            let mut node = Node::map();
            node.push(
                "description",
                Node::str(format!(
                    "The values of the `{name}` query parameter, the same in every action that takes it."
                )),
            );
            if let Node::Map(entries) = schema {
                for (key, value) in entries {
                    node.push(key, value);
                }
            }
            Named {
                name: type_name,
                home: HOME.to_owned(),
                node,
            }
        })
        .collect()
}

/// Calls `f` with the name and the schema of every query parameter of
/// every operation of a resource file.
fn for_each_query_schema(resource: &mut Node, f: &mut dyn FnMut(&str, &mut Node)) {
    let Some(Node::Map(operations)) = resource.get_mut("operations") else {
        return;
    };
    for (_, operation) in operations.iter_mut() {
        let Some(Node::Map(query)) = operation.get_mut("query") else {
            continue;
        };
        for (name, parameter) in query.iter_mut() {
            if let Some(schema) = parameter.get_mut("schema") {
                f(name, schema);
            }
        }
    }
}

/// `{ type: string, enum: [..] }` and nothing else.
fn is_inline_enum(schema: &Node) -> bool {
    matches!(schema, Node::Map(entries)
        if entries.len() == 2
            && schema.get("type") == Some(&Node::Scalar(Value::String("string".into())))
            && matches!(schema.get("enum"), Some(Node::List(_))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resource(parameters: Value) -> Node {
        Node::from_json(&json!({
            "name": "things",
            "operations": { "get": { "query": parameters } }
        }))
    }

    fn fixture() -> BTreeMap<String, Node> {
        let direction =
            json!({ "description": "d", "schema": { "type": "string", "enum": ["asc", "desc"] } });
        BTreeMap::from([
            (
                "resources/a.yaml".to_owned(),
                resource(json!({
                    "sortDirection": direction,
                    "sortField": { "schema": { "type": "string", "enum": ["name"] } },
                })),
            ),
            (
                "resources/b.yaml".to_owned(),
                resource(json!({
                    "sortDirection": direction,
                    "sortField": { "schema": { "type": "string", "enum": ["name", "id"] } },
                    "only": { "schema": { "type": "string", "enum": ["x", "y"] } },
                })),
            ),
        ])
    }

    #[test]
    fn a_parameter_with_one_enum_everywhere_is_one_schema() {
        let mut resources = fixture();
        let shared = share(&mut resources, &BTreeSet::new());
        let names: Vec<&str> = shared.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["SortDirectionParam"]);
        let b = &resources["resources/b.yaml"];
        let query = |param: &str| {
            b.get("operations")
                .and_then(|o| o.get("get"))
                .and_then(|o| o.get("query"))
                .and_then(|q| q.get(param))
                .and_then(|p| p.get("schema"))
                .cloned()
        };
        assert_eq!(
            query("sortDirection"),
            Some(Node::from_json(&json!({ "$ref": "SortDirectionParam" })))
        );
        // Values that differ between actions, and a parameter of one
        // action, stay inline.
        assert_eq!(
            query("sortField"),
            Some(Node::from_json(
                &json!({ "type": "string", "enum": ["name", "id"] })
            ))
        );
        assert_eq!(
            query("only"),
            Some(Node::from_json(
                &json!({ "type": "string", "enum": ["x", "y"] })
            ))
        );

        // A name another schema has is left alone.
        let mut again = fixture();
        let taken = BTreeSet::from(["SortDirectionParam".to_owned()]);
        assert!(share(&mut again, &taken).is_empty());
        assert_eq!(again, fixture());
    }
}
