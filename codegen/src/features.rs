//! Cargo features: one per resource, so a user compiles only the
//! resources they call.
//!
//! A resource's module is declared `#[cfg(feature = "device")] mod
//! device;` in its parent, so a disabled resource is never parsed. The
//! types are split by the spec file that defines them (`schemas/device.yaml`
//! → `types/device.rs`); each such group is compiled when a resource that
//! needs one of its types is, and when another compiled group refers to
//! it (so a compiled group always finds what it names). Types the spec
//! declares inline (a parameter's enum, an object inside a schema) belong
//! to the group of the named schema or resource that first holds them.
//!
//! This module decides all of it; the emitters only ask.

use crate::model::{Api, Body, Operation, Resource, TypeKind, TypeRef};
use crate::naming;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The feature that turns on every resource.
pub const ALL_RESOURCES: &str = "full";

/// Which resources and types each feature compiles.
#[derive(Debug)]
pub struct Gates {
    /// The groups of types, in module-name order.
    pub groups: Vec<Group>,
    /// Index into `groups` of each type of `api.types`.
    pub type_group: Vec<usize>,
    /// How many resources there are (a gate naming all of them is none).
    resource_count: usize,
    /// The index into `groups` of each type, by name.
    group_of: BTreeMap<String, usize>,
    /// The string unions each string type converts into, by the type's
    /// name (see [`crate::emit::alternative_types`]).
    converts_into: BTreeMap<String, Vec<String>>,
}

/// The types of one group: one module of `types/`.
#[derive(Debug)]
pub struct Group {
    /// The module name (`device`).
    pub module: String,
    /// Indices into `api.types`, in name order.
    pub types: Vec<usize>,
    /// Features (resource modules) that compile it.
    pub features: BTreeSet<String>,
}

impl Gates {
    /// The features of each type group, for `api`.
    pub fn of(api: &Api) -> Gates {
        let index: BTreeMap<&str, usize> = api
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.as_str(), i))
            .collect();
        // Named schemas belong to their file; types only they hold follow
        // them, in name order of the holders.
        let mut home: Vec<Option<String>> = api
            .types
            .iter()
            .map(|t| api.schema_files.get(&t.name).cloned())
            .collect();
        let holders: Vec<usize> = (0..api.types.len())
            .filter(|&i| home[i].is_some())
            .collect();
        for holder in holders {
            let group = home[holder].clone();
            let mut pending = holds(&api.types[holder].kind);
            while let Some(name) = pending.pop() {
                let Some(&i) = index.get(name.as_str()) else {
                    continue;
                };
                if home[i].is_none() {
                    home[i] = group.clone();
                    pending.extend(holds(&api.types[i].kind));
                }
            }
        }
        // Types declared inline in a resource belong to the resource.
        for resource in &api.resources {
            let mut pending = resource_types(resource);
            while let Some(name) = pending.pop() {
                let Some(&i) = index.get(name.as_str()) else {
                    continue;
                };
                if home[i].is_none() {
                    home[i] = Some(resource.module.clone());
                    pending.extend(holds(&api.types[i].kind));
                }
            }
        }
        let modules: BTreeSet<String> = home
            .iter()
            .map(|h| group_module(h.as_deref().unwrap_or("common")))
            .collect();
        let mut groups: Vec<Group> = modules
            .into_iter()
            .map(|module| Group {
                module,
                types: Vec::new(),
                features: BTreeSet::new(),
            })
            .collect();
        let position = |module: &str| groups.iter().position(|g| g.module == module);
        let mut type_group = Vec::with_capacity(api.types.len());
        for h in &home {
            let module = group_module(h.as_deref().unwrap_or("common"));
            type_group.push(position(&module).unwrap_or(0));
        }
        for (t, &g) in type_group.iter().enumerate() {
            groups[g].types.push(t);
        }
        // The groups each resource needs directly.
        for resource in &api.resources {
            for name in resource_types(resource) {
                if let Some(&t) = index.get(name.as_str()) {
                    groups[type_group[t]]
                        .features
                        .insert(resource.module.clone());
                }
            }
        }
        // A group no resource needs (schemas no operation uses) is always
        // compiled, as it was before resources had features.
        let every: BTreeSet<String> = api.resources.iter().map(|r| r.module.clone()).collect();
        for group in &mut groups {
            if group.features.is_empty() {
                group.features = every.clone();
            }
        }
        // A group another group refers to is compiled whenever that one is.
        let mut refers: BTreeSet<(usize, usize)> = BTreeSet::new();
        for (t, def) in api.types.iter().enumerate() {
            for name in holds(&def.kind) {
                if let Some(&u) = index.get(name.as_str()) {
                    if type_group[t] != type_group[u] {
                        refers.insert((type_group[t], type_group[u]));
                    }
                }
            }
        }
        // A string type's `From` conversions into the string unions that
        // have its rules as an alternative are compiled with the string
        // type, so its group refers to the unions' groups.
        let mut converts_into: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (u, union) in api.types.iter().enumerate() {
            for from in crate::emit::alternative_types(union, api) {
                converts_into
                    .entry(from.to_owned())
                    .or_default()
                    .push(union.name.clone());
                if let Some(&t) = index.get(from) {
                    if type_group[t] != type_group[u] {
                        refers.insert((type_group[t], type_group[u]));
                    }
                }
            }
        }
        loop {
            let mut changed = false;
            for &(from, to) in &refers {
                let missing: Vec<String> = groups[from]
                    .features
                    .difference(&groups[to].features)
                    .cloned()
                    .collect();
                if !missing.is_empty() {
                    groups[to].features.extend(missing);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let group_of = api
            .types
            .iter()
            .zip(&type_group)
            .map(|(t, &g)| (t.name.clone(), g))
            .collect();
        Gates {
            groups,
            type_group,
            resource_count: api.resources.len(),
            group_of,
            converts_into,
        }
    }

    /// The string unions a value of string type `name` converts into.
    pub fn converts_into(&self, name: &str) -> &[String] {
        self.converts_into.get(name).map_or(&[], Vec::as_slice)
    }

    /// Whether type `used` is compiled whenever type `user` is, so that
    /// `user`'s docs may link to it.
    pub fn compiled_with(&self, user: &str, used: &str) -> bool {
        let (Some(&u), Some(&t)) = (self.group_of.get(user), self.group_of.get(used)) else {
            return true;
        };
        let (user, used) = (&self.groups[u], &self.groups[t]);
        used.features.len() >= self.resource_count || used.features.is_superset(&user.features)
    }

    /// The `#[cfg(..)]` of a group: none when every resource needs it.
    pub fn group_cfg(&self, group: &Group) -> TokenStream {
        if group.features.len() >= self.resource_count {
            return quote!();
        }
        any_of(&group.features)
    }
}

/// `#[cfg(all(feature = "a", not(test)))]`, or with `any(feature = "a", ...)`.
///
/// Every gate also says `not(test)`: the crate's own unit tests exercise
/// the hand-written runtime alone, and the unit-test harness is a second
/// build of the whole crate, so leaving the resources and their types out
/// of it spares compiling the whole API twice. Users never build with
/// `cfg(test)` set on this crate, and its integration tests, doctests and
/// docs see every enabled resource.
fn any_of(features: &BTreeSet<String>) -> TokenStream {
    let names = features.iter();
    match features.len() {
        1 => quote!(#[cfg(all(feature = #(#names)*, not(test)))]),
        _ => quote!(#[cfg(all(any(#(feature = #names),*), not(test)))]),
    }
}

/// The `#[cfg(..)]` of a resource's module, accessor and mocks.
pub fn resource_cfg(resource: &Resource) -> TokenStream {
    any_of(&BTreeSet::from([resource.module.clone()]))
}

/// The module name of the group of spec file stem `stem`.
fn group_module(stem: &str) -> String {
    naming::snake(stem)
}

/// The named types a type refers to directly.
fn holds(kind: &TypeKind) -> Vec<String> {
    let mut refs = Vec::new();
    for ty in kind.held() {
        names(&ty, &mut refs);
    }
    refs
}

/// The named types a resource's operations and waiters use directly.
fn resource_types(resource: &Resource) -> Vec<String> {
    let mut refs = Vec::new();
    for operation in &resource.operations {
        operation_types(operation, &mut refs);
    }
    for waiter in &resource.waiters {
        names(&waiter.output, &mut refs);
        if let Some(item) = &waiter.item {
            names(&item.argument.ty, &mut refs);
        }
    }
    refs
}

fn operation_types(operation: &Operation, refs: &mut Vec<String>) {
    let params = operation
        .path_params
        .iter()
        .chain(&operation.query)
        .chain(&operation.headers);
    for param in params {
        names(&param.ty, refs);
    }
    match &operation.body {
        Some(Body::Json { ty, .. }) => names(ty, refs),
        Some(Body::Multipart { parts, .. }) => {
            for ty in parts.iter().filter_map(|p| p.typed()) {
                names(ty, refs);
            }
        }
        None => {}
    }
    for variant in &operation.by_status {
        if let Some(ty) = &variant.ty {
            names(ty, refs);
        }
    }
    for response in &operation.responses {
        if let Some(ty) = &response.ty {
            names(ty, refs);
        }
    }
    if let Some(ty) = &operation.success {
        names(ty, refs);
    }
    if let Some(pagination) = &operation.pagination {
        names(&pagination.item_ty, refs);
    }
    if let Some(stream) = &operation.events {
        for event in &stream.events {
            names(&event.ty, refs);
        }
    }
}

/// The named types inside `ty`.
fn names(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => names(inner, out),
        _ => {}
    }
}

/// The `[features]` entries of the resources, for the client's manifest:
/// one feature per resource, `full` for all of them.
pub fn manifest_section(api: &Api) -> String {
    let mut text = String::new();
    text.push_str(BEGIN);
    text.push('\n');
    let all: Vec<String> = api
        .resources
        .iter()
        .map(|r| format!("\"{}\"", r.module))
        .collect();
    text.push_str("# Every resource of the API.\n");
    text.push_str(&format!("{ALL_RESOURCES} = [{}]\n", all.join(", ")));
    for resource in &api.resources {
        text.push_str(&format!("{} = []\n", resource.module));
    }
    text.push_str(END);
    text.push('\n');
    text
}

const BEGIN: &str = "# --- resource features: written by `cargo xtask codegen` from api-spec/ ---";
const END: &str = "# --- end of resource features ---";

/// `manifest` with its resource features replaced by `section` (from
/// [`manifest_section`]). The manifest must hold the two marker lines.
pub fn splice_manifest(manifest: &str, section: &str) -> Result<String, String> {
    let start = manifest.find(BEGIN).ok_or_else(|| {
        format!("the client's Cargo.toml has no line `{BEGIN}` in its [features]")
    })?;
    let end = manifest[start..]
        .find(END)
        .map(|e| start + e + END.len())
        .ok_or_else(|| format!("the client's Cargo.toml has no line `{END}` after `{BEGIN}`"))?;
    let rest = manifest[end..]
        .strip_prefix('\n')
        .unwrap_or(&manifest[end..]);
    Ok(format!("{}{section}{rest}", &manifest[..start]))
}
