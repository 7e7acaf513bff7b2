//! Figures a parent sets by hand over the ones merged from below. Each is
//! kept with the merged figure as it was then and why, goes upward marked
//! as such, and is flagged stale once the merged figure changes, until the
//! user confirms it again or clears it.

use super::{Workspace, WorkspaceError};
use crate::error::Result;
use crate::outline::Aggregate;
use crate::report::Override;
use crate::validate;
use chrono::Local;
use serde_json::Value;

/// A figure set by hand whose merged figure has changed since.
#[derive(Debug, Clone, PartialEq)]
pub struct Stale {
    pub item: String,
    pub field: String,
    /// The own figure.
    pub value: Value,
    /// The merged figure when it was set, and now.
    pub was: Option<Value>,
    pub now: Option<Value>,
}

impl Workspace {
    /// Brings the record of figures set by hand in line with the answers:
    /// an own figure on a summed field, where something is merged from
    /// below, is an override (noted with the merged figure of now if it
    /// is new); a note whose own figure is gone goes too. Call after any
    /// change of the answers or of the children.
    pub fn sync_overrides(&mut self) {
        let merged = self.aggregate();
        let now = Local::now();
        let mut kept = crate::report::Overrides::new();
        for e in self.outline.entries() {
            for f in &e.item.fields {
                if f.aggregate != Aggregate::Sum {
                    continue;
                }
                let (item, field) = (&e.item.id, &f.id);
                let Some(computed) = merged.value(item, field) else {
                    continue;
                };
                if self.report.value(item, field).is_none() {
                    continue;
                }
                let note = self
                    .report
                    .overrides
                    .get(item)
                    .and_then(|m| m.get(field))
                    .cloned()
                    .unwrap_or_else(|| Override {
                        computed: Some(computed.clone()),
                        reason: None,
                        at: now,
                    });
                kept.entry(item.clone())
                    .or_default()
                    .insert(field.clone(), note);
            }
        }
        self.report.overrides = kept;
    }

    /// Figures set by hand whose merged figure is not the one they were
    /// set over.
    pub fn stale_overrides(&self) -> Vec<Stale> {
        let merged = self.aggregate();
        let mut out = Vec::new();
        for (item, fields) in &self.report.overrides {
            for (field, note) in fields {
                let now = merged.value(item, field).cloned();
                let same = match (&note.computed, &now) {
                    (Some(Value::Number(a)), Some(Value::Number(b))) => {
                        validate::stored_number(a) == validate::stored_number(b)
                    }
                    (a, b) => a == b,
                };
                if !same && let Some(value) = self.report.value(item, field) {
                    out.push(Stale {
                        item: item.clone(),
                        field: field.clone(),
                        value: value.clone(),
                        was: note.computed.clone(),
                        now,
                    });
                }
            }
        }
        out
    }

    /// Keeps a figure set by hand over the merged figure of now: it is no
    /// longer stale. `reason`, when given, is recorded with it.
    pub fn confirm_override(
        &mut self,
        item: &str,
        field: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        self.ensure_draft()?;
        self.sync_overrides();
        let computed = self.aggregate().value(item, field).cloned();
        let Some(note) = self
            .report
            .overrides
            .get_mut(item)
            .and_then(|m| m.get_mut(field))
        else {
            return Err(WorkspaceError::NoOverride {
                item: item.to_string(),
                field: field.to_string(),
            }
            .into());
        };
        note.computed = computed;
        note.at = Local::now();
        if let Some(r) = reason {
            let r = crate::text::nfc(r.trim());
            note.reason = (!r.is_empty()).then_some(r);
        }
        self.report.updated_at = Local::now();
        Ok(())
    }

    /// Drops a figure set by hand: the merged figure stands again.
    pub fn clear_override(&mut self, item: &str, field: &str) -> Result<()> {
        self.ensure_draft()?;
        self.sync_overrides();
        if !self
            .report
            .overrides
            .get(item)
            .is_some_and(|m| m.contains_key(field))
        {
            return Err(WorkspaceError::NoOverride {
                item: item.to_string(),
                field: field.to_string(),
            }
            .into());
        }
        self.report.set_value(item, field, Value::Null);
        self.sync_overrides();
        self.report.updated_at = Local::now();
        Ok(())
    }
}
