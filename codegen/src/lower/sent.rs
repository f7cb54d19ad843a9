//! Which named types a request can carry.
//!
//! Client-side checks run only on what is sent: path, query and header
//! parameters and request bodies, and everything they hold. A type only
//! ever received (a log entry, the minute counts) is never checked, so it
//! gets no `Validate` impl.

use crate::model::{Api, Body, TypeRef};
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
            "NotebooksSortDirectionParam",
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
}
