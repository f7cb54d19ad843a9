//! Which named types a request can carry.
//!
//! Client-side checks run only on what is sent: path, query and header
//! parameters and request bodies, and everything they hold. A type only
//! ever received (a log entry, the minute counts) is never checked, so it
//! gets no `Validate` impl. Of the sent types, those that cannot break
//! any rule are told apart too, so that nothing calls a check that checks
//! nothing.

use crate::model::{Api, Body, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeSet;

/// Sets [`TypeDef::sent`](crate::model::TypeDef::sent) on every type
/// reachable from a parameter or a request body.
pub(crate) fn mark_sent_types(api: &mut Api) {
    let mut pending: Vec<TypeRef> = Vec::new();
    pending.extend(api.global_params.iter().map(|p| p.ty.clone()));
    for operation in api.resources.iter().flat_map(|r| &r.operations) {
        let params = operation
            .path_params
            .iter()
            .chain(&operation.query)
            .chain(&operation.headers);
        pending.extend(params.map(|p| p.ty.clone()));
        match &operation.body {
            Some(Body::Json { ty, .. }) => pending.push(ty.clone()),
            Some(Body::Multipart { parts, .. }) => {
                pending.extend(parts.iter().filter_map(|p| p.typed().cloned()));
            }
            None => {}
        }
    }

    let mut sent = BTreeSet::new();
    while let Some(ty) = pending.pop() {
        match ty {
            TypeRef::Named(name) => {
                let Some(def) = api.find_type(&name) else {
                    continue;
                };
                if !sent.insert(name) {
                    continue;
                }
                pending.extend(def.kind.held());
            }
            TypeRef::List(item) | TypeRef::Map(item) | TypeRef::Nullable(item) => {
                pending.push(*item)
            }
            _ => {}
        }
    }
    for def in &mut api.types {
        def.sent = sent.contains(&def.name);
    }
    mark_checked_types(api);
}

/// Sets [`TypeDef::checks`](crate::model::TypeDef::checks) on every sent
/// type that has a rule of its own or holds one that does, repeating until
/// nothing changes (types may hold each other).
fn mark_checked_types(api: &mut Api) {
    let mut checked: BTreeSet<String> = api
        .types
        .iter()
        .filter(|def| def.sent && has_own_rules(def))
        .map(|def| def.name.clone())
        .collect();
    loop {
        let before = checked.len();
        for def in api.types.iter().filter(|def| def.sent) {
            if !checked.contains(&def.name)
                && def.kind.held().iter().any(|ty| holds_checked(ty, &checked))
            {
                checked.insert(def.name.clone());
            }
        }
        if checked.len() == before {
            break;
        }
    }
    for def in &mut api.types {
        def.checks = checked.contains(&def.name);
    }
}

/// Whether `ty` is, or holds, one of the `checked` types.
fn holds_checked(ty: &TypeRef, checked: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Named(name) => checked.contains(name),
        TypeRef::List(item) | TypeRef::Map(item) | TypeRef::Nullable(item) => {
            holds_checked(item, checked)
        }
        _ => false,
    }
}

/// Whether the type states a rule itself, whatever it holds.
fn has_own_rules(def: &TypeDef) -> bool {
    match &def.kind {
        TypeKind::Struct {
            fields,
            extra,
            required_sets,
            keys,
        } => {
            fields.iter().any(|f| !f.constraints.is_empty())
                || required_sets.is_some()
                || keys.is_bounded()
                // Extra keys are checked against the declared properties
                // and the patterns, and their values as the patterns' types.
                || extra.is_some()
        }
        // Unknown values and kinds cannot be sent.
        TypeKind::Enum { .. } | TypeKind::TaggedUnion { .. } => true,
        // An alternative is checked against the rules of where the union
        // is used, which the union cannot know.
        TypeKind::UntaggedUnion { .. } => true,
        TypeKind::Newtype { constraints } => !constraints.is_empty(),
        TypeKind::Alias { .. } => false,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn types_a_request_carries_are_sent_and_response_types_are_not() {
        let spec_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec");
        let files = crate::spec::read_spec_dir(&spec_dir).expect("the spec reads");
        let api = crate::load_model(&files).expect("the spec loads");
        let sent = |name: &str| {
            api.find_type(name)
                .unwrap_or_else(|| panic!("no type {name}"))
                .sent
        };
        // A path parameter, a body, a union inside a body and a variant of
        // that union, an enum query parameter.
        for name in [
            "ApplicationId",
            "NotebookPatch",
            "NotebookInput",
            "DataTableInput",
            "SortDirectionParam",
        ] {
            assert!(sent(name), "{name} is sent");
        }
        // Only ever received.
        for name in [
            "Notebook",
            "NotebookExecutionLog",
            "NotebookMinuteCounts",
            "ApiErrorBody",
        ] {
            assert!(!sent(name), "{name} is not sent");
        }
    }

    #[test]
    fn sent_types_with_no_rule_at_any_depth_have_nothing_to_check() {
        let spec_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec");
        let files = crate::spec::read_spec_dir(&spec_dir).expect("the spec reads");
        let api = crate::load_model(&files).expect("the spec loads");
        let def = |name: &str| {
            api.find_type(name)
                .unwrap_or_else(|| panic!("no type {name}"))
        };
        // Plain numbers only.
        assert!(def("FileDimensions").sent);
        assert!(!def("FileDimensions").checks);
        // Constraints on its fields; an enum (whose unknown values are
        // refused); a pattern; a struct that has no rule itself but holds
        // one that does.
        for name in [
            "NotebookPatch",
            "SortDirectionParam",
            "ApplicationId",
            "DataTableOutput",
        ] {
            assert!(def(name).checks, "{name} checks");
        }
        // Only ever received: never checked.
        assert!(!def("Notebook").checks);
    }
}
