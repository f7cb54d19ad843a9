//! Waiters → model: a waiter names an operation of its resource to poll,
//! the field holding a status, and the status values that end the wait.

use super::At;
use super::operation::is_scalar;
use crate::error::Error;
use crate::model::{
    Field, Method, Operation, Param, ParamLocation, TerminalValues, TypeKind, TypeRef, WaitedItem,
    Waiter,
};
use crate::naming::snake;
use crate::spec;
use crate::suggest::did_you_mean;
use serde_json::Value;
use std::collections::BTreeMap;

impl super::Lowerer<'_> {
    /// One waiter of `resource`, whose operations are lowered already.
    /// Its enum's terminal values are added to `terminal`, which refuses a
    /// second waiter on the same enum with other values.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn waiter(
        &self,
        resource: &str,
        name: &str,
        spec: &spec::Waiter,
        operations: &[Operation],
        taken_methods: &[String],
        terminal: &mut BTreeMap<String, (Vec<String>, String)>,
        at: &At,
    ) -> Result<Waiter, Error> {
        let method_name = snake(name);
        if taken_methods.contains(&method_name) {
            return Err(at.error(format!(
                "waiter `{name}` has the Rust name `{method_name}`, which an operation or another waiter of the resource already has"
            )));
        }
        if spec.summary.trim().is_empty() {
            return Err(at.key("summary").error("the summary is empty"));
        }
        let op_at = at.key("operation");
        let Some(op) = operations.iter().find(|o| o.name == spec.operation) else {
            let help = did_you_mean(&spec.operation, operations.iter().map(|o| o.name.as_str()));
            return Err(op_at.error_with_help(
                format!(
                    "`{}` is not an operation of resource `{resource}`",
                    spec.operation
                ),
                help,
            ));
        };
        if op.method != Method::Get || op.body.is_some() {
            return Err(op_at.error(format!(
                "operation `{}` is a {}; a waiter polls a GET without a body",
                op.name,
                op.method.as_str()
            )));
        }
        let success = op.success.as_ref().map(|t| self.without_alias(t));
        let (fields, item, output) = match (&spec.item, success) {
            (Some(item), Some(TypeRef::List(item_ty))) => {
                let item_ty = self.without_alias(&item_ty);
                let fields = self.struct_fields(&item_ty).ok_or_else(|| {
                    op_at.error(format!(
                        "operation `{}` returns a list of values that are not objects; a waiter reads a field of an object",
                        op.name
                    ))
                })?;
                let item_at = at.key("item");
                let field = field_named(fields, &item.field, &item_at.key("field"))?;
                if !is_scalar(&field.ty, &self.types) {
                    return Err(item_at.key("field").error(format!(
                        "field `{}` is not a string, number, boolean, string enum or named string: it cannot be a waiter's argument",
                        item.field
                    )));
                }
                let rust_name = snake(&item.argument);
                let own_args = op
                    .path_params
                    .iter()
                    .chain(op.query.iter().chain(&op.headers).filter(|p| p.required));
                if own_args.clone().any(|p| p.rust_name == rust_name) {
                    return Err(item_at.key("argument").error(format!(
                        "argument `{}` has the Rust name `{rust_name}`, which an argument of operation `{}` already has",
                        item.argument, op.name
                    )));
                }
                let argument = Param {
                    wire_name: item.argument.clone(),
                    rust_name,
                    location: ParamLocation::Query,
                    description: item.description.clone(),
                    required: true,
                    default: None,
                    example: None,
                    ty: field.ty.clone(),
                    constraints: Default::default(),
                    structured: false,
                };
                let waited = WaitedItem {
                    field: field.rust_name.clone(),
                    field_required: field.required,
                    argument,
                };
                (fields, Some(waited), item_ty)
            }
            (Some(_), _) => {
                return Err(at.key("item").error(format!(
                    "operation `{}` does not return a list; leave `item` out to watch the response itself",
                    op.name
                )));
            }
            (None, Some(ty)) => match self.struct_fields(&ty) {
                Some(fields) => (fields, None, ty),
                None => {
                    return Err(op_at.error(format!(
                        "operation `{}` does not return an object (give `item` when it returns a list of them)",
                        op.name
                    )));
                }
            },
            (None, None) => {
                return Err(op_at.error(format!(
                    "operation `{}` returns no body to read a status from",
                    op.name
                )));
            }
        };

        let status_at = at.key("status");
        let status = field_named(fields, &spec.status, &status_at)?;
        let enum_name = match self.without_alias(&status.ty) {
            TypeRef::Named(enum_name)
                if matches!(
                    self.types.get(&enum_name).map(|t| &t.kind),
                    Some(TypeKind::Enum { .. })
                ) =>
            {
                enum_name
            }
            _ => {
                return Err(status_at.error(format!(
                    "field `{}` is not a string enum: a waiter's status needs a fixed set of values",
                    spec.status
                )));
            }
        };
        let Some(TypeKind::Enum { variants }) = self.types.get(&enum_name).map(|t| &t.kind) else {
            return Err(status_at.error("the status is not an enum"));
        };
        if spec.terminal.is_empty() {
            return Err(at
                .key("terminal")
                .error("a waiter needs at least one terminal value"));
        }
        for (i, value) in spec.terminal.iter().enumerate() {
            if !variants.iter().any(|v| v.wire == *value) {
                let help = did_you_mean(value, variants.iter().map(|v| v.wire.as_str()));
                return Err(at.key("terminal").index(i).error_with_help(
                    format!(
                        "`{value}` is not a value of the `{}` field's enum",
                        spec.status
                    ),
                    help,
                ));
            }
        }
        let mut sorted = spec.terminal.clone();
        sorted.sort();
        sorted.dedup();
        match terminal.get(&enum_name) {
            Some((values, other)) if *values != sorted => {
                return Err(at.key("terminal").error(format!(
                    "waiter `{other}` gives the enum of this status other terminal values; one enum has one set of terminal values"
                )));
            }
            _ => {
                terminal.insert(enum_name.clone(), (sorted, name.to_owned()));
            }
        }

        let mut query = Vec::new();
        for (wire, value) in &spec.query {
            let value_at = at.key("query").key(wire);
            let Some(param) = op
                .query
                .iter()
                .find(|p| p.wire_name == *wire && !p.required)
            else {
                let help = did_you_mean(wire, op.query.iter().map(|p| p.wire_name.as_str()));
                return Err(value_at.error_with_help(
                    format!(
                        "`{wire}` is not an optional query parameter of operation `{}`",
                        op.name
                    ),
                    help,
                ));
            };
            let expr = self.literal(&param.ty, value).ok_or_else(|| {
                let value = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
                value_at.error(format!(
                    "`{value}` is not a value of query parameter `{wire}` that a waiter can set (an integer, number, boolean, string or string enum value)"
                ))
            })?;
            query.push((param.rust_name.clone(), expr));
        }
        if spec.interval_ms == 0 {
            return Err(at
                .key("interval_ms")
                .error("the interval between polls must be at least 1 ms"));
        }
        if spec.deadline_ms == 0 {
            return Err(at
                .key("deadline_ms")
                .error("the deadline must be at least 1 ms"));
        }
        Ok(Waiter {
            name: name.to_owned(),
            method_name,
            builder: crate::naming::waiter_name(resource, name),
            summary: spec.summary.clone(),
            description: spec.description.clone(),
            operation: op.method_name.clone(),
            item,
            output,
            status_field: status.rust_name.clone(),
            status_required: status.required,
            query,
            interval_ms: spec.interval_ms,
            deadline_ms: spec.deadline_ms,
        })
    }

    /// The terminal values found by [`Self::waiter`], as the model keeps
    /// them.
    pub(super) fn terminal_values(
        &self,
        terminal: BTreeMap<String, (Vec<String>, String)>,
    ) -> Vec<TerminalValues> {
        terminal
            .into_iter()
            .map(|(ty, (values, _))| {
                let variants = match self.types.get(&ty).map(|t| &t.kind) {
                    Some(TypeKind::Enum { variants }) => variants
                        .iter()
                        .filter(|v| values.contains(&v.wire))
                        .map(|v| v.rust_name.clone())
                        .collect(),
                    _ => Vec::new(),
                };
                TerminalValues { ty, variants }
            })
            .collect()
    }

    /// `ty` with aliases followed (alias cycles are refused before this).
    fn without_alias(&self, ty: &TypeRef) -> TypeRef {
        let mut ty = ty.clone();
        for _ in 0..64 {
            match &ty {
                TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                    Some(TypeKind::Alias { target }) => ty = target.clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }

    fn struct_fields(&self, ty: &TypeRef) -> Option<&[Field]> {
        match ty {
            TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct { fields, .. }) => Some(fields),
                _ => None,
            },
            _ => None,
        }
    }

    /// A Rust expression of `value` as a setter of type `ty` takes it.
    fn literal(&self, ty: &TypeRef, value: &Value) -> Option<String> {
        match ty {
            TypeRef::Integer => value.as_i64().map(|n| n.to_string()),
            TypeRef::Number => value.as_f64().map(|n| format!("{n:?}")),
            TypeRef::Boolean => value.as_bool().map(|b| b.to_string()),
            TypeRef::String => value.as_str().map(|s| format!("{s:?}")),
            TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Enum { variants }) => {
                    let wire = value.as_str()?;
                    let variant = variants.iter().find(|v| v.wire == wire)?;
                    Some(format!("types::{name}::{}", variant.rust_name))
                }
                _ => None,
            },
            _ => None,
        }
    }
}

fn field_named<'f>(fields: &'f [Field], wire: &str, at: &At) -> Result<&'f Field, Error> {
    fields.iter().find(|f| f.wire_name == wire).ok_or_else(|| {
        let help = did_you_mean(wire, fields.iter().map(|f| f.wire_name.as_str()));
        at.error_with_help(format!("the response has no field `{wire}`"), help)
    })
}
