//! What an outline must mean, beyond its shape: ids well formed and
//! unique, the front matter complete, each field's keys fitting its kind,
//! bounds that leave some value, ratios
//! over countable siblings, dates real, reporting without loops. Every
//! problem is reported at once, each at its JSON path.
//!
//! [`warnings`] says what is allowed but worth knowing before the outline
//! is sent (a rate whose whole can be 0): `outline check` prints them, and
//! nothing refuses an outline for them. A `default` is a value, checked
//! as values are, by `validate::bad_defaults` (a layer above).

use super::{
    FORMAT, FORMAT_VERSION, FRONT_FIELDS, Field, Item, Kind, Migration, MovedId, Outline, Problem,
    ProblemKind,
};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Every problem of meaning in an outline read from a file (none when it
/// is valid).
pub fn check(outline: &Outline) -> Vec<Problem> {
    let mut c = Checker::default();
    c.outline(outline);
    c.problems
}

/// What a valid outline allows but its author should know, each at its
/// JSON path ([`ProblemKind::is_warning`]): a ratio whose whole (the
/// denominator) can be 0, so that its rate cannot always be worked out.
pub fn warnings(outline: &Outline) -> Vec<Problem> {
    fn walk(items: &[Item], path: &str, out: &mut Vec<Problem>) {
        for (i, item) in items.iter().enumerate() {
            let path = format!("{path}.items[{i}]");
            for (j, f) in item.fields.iter().enumerate() {
                let Some([_, whole]) = f.of.as_ref().filter(|_| f.kind == Kind::Ratio) else {
                    continue;
                };
                if let Some(w) = item.field(whole)
                    && w.kind.is_countable()
                    && can_be_zero(w)
                {
                    out.push(Problem {
                        path: format!("{path}.fields[{j}].of[1]"),
                        kind: ProblemKind::WholeCanBeZero {
                            whole: whole.clone(),
                        },
                    });
                }
            }
            walk(&item.items, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(&outline.items, "$", &mut out);
    out
}

/// Whether a number field's rules let it hold 0: its lowest value (its
/// `min`, else what its kind implies) is not above 0 and its highest not
/// below.
fn can_be_zero(f: &Field) -> bool {
    if !f.kind.is_numeric() {
        return false;
    }
    let (implied_min, implied_max) = f.kind.implied_bounds();
    let min = f.min.as_ref().and_then(number).or(implied_min);
    let max = f.max.as_ref().and_then(number).or(implied_max);
    min.is_none_or(|m| m <= Decimal::ZERO) && max.is_none_or(|m| m >= Decimal::ZERO)
}

/// A bound's exact number (its JSON text read as a decimal, no binary
/// rounding), as validation reads it.
fn number(v: &Value) -> Option<Decimal> {
    let text = v.as_number()?.to_string();
    if text.len() > 64 {
        return None;
    }
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&text).ok())
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
    /// Item id → the path of the first item with it.
    item_ids: HashMap<String, String>,
    /// The plan's unit type ids.
    unit_types: HashSet<String>,
}

impl Checker {
    fn push(&mut self, path: impl Into<String>, kind: ProblemKind) {
        self.problems.push(Problem {
            path: path.into(),
            kind,
        });
    }

    /// The schema's `minLength: 1`.
    fn text(&mut self, path: impl Into<String>, s: &str) {
        if s.is_empty() {
            self.push(path, ProblemKind::EmptyText);
        }
    }

    fn optional_text(&mut self, path: impl Into<String>, s: &Option<String>) {
        if let Some(s) = s {
            self.text(path, s);
        }
    }

    fn outline(&mut self, o: &Outline) {
        if o.format != FORMAT {
            self.push(
                "$.format",
                ProblemKind::WrongFormat {
                    found: o.format.clone(),
                },
            );
        }
        if o.format_version != FORMAT_VERSION {
            self.push(
                "$.format_version",
                ProblemKind::UnsupportedVersion {
                    found: o.format_version,
                },
            );
        }
        if !is_outline_id(&o.id) {
            self.push("$.id", ProblemKind::BadOutlineId { id: o.id.clone() });
        }
        self.text("$.version", &o.version);
        self.text("$.title", &o.title);
        self.text("$.short_title", &o.short_title);
        self.optional_text("$.issued_with", &o.issued_with);
        self.text("$.document.type", &o.document.doc_type);
        self.text("$.document.subject", &o.document.subject);
        self.plan(o);
        if o.items.is_empty() {
            self.push("$.items", ProblemKind::NoItems);
            return;
        }
        let mut fronts = 0;
        for (i, item) in o.items.iter().enumerate() {
            fronts += self.item(item, &format!("$.items[{i}]"));
        }
        if fronts != 1 {
            self.push("$.items", ProblemKind::FrontMatterCount { found: fronts });
        }
        if let Some(m) = &o.migration {
            self.migration(o, m);
        }
    }

    /// The ids of `renamed` well formed, item onto item and field onto
    /// field, each new id in this version and taken by one old id, and no
    /// renames going round in a loop.
    fn migration(&mut self, o: &Outline, m: &Migration) {
        self.text("$.migration.from_version", &m.from_version);
        if m.from_version == o.version {
            self.push("$.migration.from_version", ProblemKind::MigrationFromItself);
        }
        let well_formed = |id: &str| match MovedId::parse(id) {
            MovedId::Item(i) => is_item_id(i),
            MovedId::Field(i, f) => is_item_id(i) && is_word_id(f),
        };
        let mut targets: HashMap<&str, &str> = HashMap::new();
        for (from, to) in &m.renamed {
            let path = format!(
                "$.migration.renamed[{}]",
                serde_json::to_string(from).expect("a string serialises")
            );
            let mut bad = false;
            for id in [from, to] {
                if !well_formed(id) {
                    self.push(&path, ProblemKind::BadMigrationId { id: id.clone() });
                    bad = true;
                }
            }
            if bad {
                continue;
            }
            let exists = match (MovedId::parse(from), MovedId::parse(to)) {
                (MovedId::Item(_), MovedId::Item(i)) => o.item(i).is_some(),
                (MovedId::Field(..), MovedId::Field(i, f)) => {
                    o.item(i).and_then(|i| i.field(f)).is_some()
                }
                _ => {
                    self.push(
                        &path,
                        ProblemKind::MigrationShape {
                            from: from.clone(),
                            to: to.clone(),
                        },
                    );
                    continue;
                }
            };
            if !exists {
                self.push(
                    &path,
                    ProblemKind::MigrationTargetMissing { to: to.clone() },
                );
            }
            if let Some(first) = targets.insert(to, from) {
                self.push(
                    &path,
                    ProblemKind::MigrationTargetTwice {
                        to: to.clone(),
                        first: first.to_string(),
                    },
                );
            }
            // Followed from `from`: a loop comes back to it (each step is
            // one of the renames, so the walk is at most that long).
            let mut ids = vec![from.clone()];
            let mut at = to;
            while ids.len() <= m.renamed.len() {
                ids.push(at.clone());
                if at == from {
                    // Said once, at the loop's first id.
                    if ids.iter().all(|i| i >= from) {
                        self.push(&path, ProblemKind::MigrationCycle { ids });
                    }
                    break;
                }
                match m.renamed.get(at) {
                    Some(next) => at = next,
                    None => break,
                }
            }
        }
    }

    fn plan(&mut self, o: &Outline) {
        let plan = &o.plan;
        self.text("$.plan.number", &plan.number);
        if !is_date(&plan.date) {
            self.push(
                "$.plan.date",
                ProblemKind::NotADate {
                    found: plan.date.clone(),
                },
            );
        }
        self.text("$.plan.issuer", &plan.issuer);
        self.text("$.plan.title", &plan.title);
        for (key, year) in [("from", plan.period.from), ("to", plan.period.to)] {
            if !(1900..=2100).contains(&year) {
                self.push(
                    format!("$.plan.period.{key}"),
                    ProblemKind::YearOutOfRange { year },
                );
            }
        }
        if plan.period.from > plan.period.to {
            self.push(
                "$.plan.period",
                ProblemKind::PeriodReversed {
                    from: plan.period.from,
                    to: plan.period.to,
                },
            );
        }
        self.optional_text("$.plan.receiver", &plan.receiver);
        let types = &plan.unit_types;
        self.unit_types = types.iter().map(|u| u.id.clone()).collect();
        if types.is_empty() {
            self.push("$.plan.unit_types", ProblemKind::NoUnitTypes);
        }
        let mut seen = HashSet::new();
        for (i, u) in types.iter().enumerate() {
            let path = format!("$.plan.unit_types[{i}]");
            if !is_word_id(&u.id) {
                self.push(
                    format!("{path}.id"),
                    ProblemKind::BadUnitTypeId { id: u.id.clone() },
                );
            }
            if !seen.insert(u.id.as_str()) {
                self.push(
                    format!("{path}.id"),
                    ProblemKind::DuplicateUnitType { id: u.id.clone() },
                );
            }
            self.text(format!("{path}.name"), &u.name);
            if let Some(parent) = &u.reports_to
                && o.unit_type(parent).is_none()
            {
                self.push(
                    format!("{path}.reports_to"),
                    ProblemKind::NoSuchUnitType { id: parent.clone() },
                );
            }
            if let Some(d) = &u.deadline
                && !is_date(d)
            {
                self.push(
                    format!("{path}.deadline"),
                    ProblemKind::BadDeadline { found: d.clone() },
                );
            }
            self.optional_text(format!("{path}.deadline_note"), &u.deadline_note);
            if let Some(e) = &u.example {
                self.text(format!("{path}.example.code"), &e.code);
                self.text(format!("{path}.example.name"), &e.name);
            }
        }
        // A unit type must not report to itself, directly or around a loop.
        for (i, u) in types.iter().enumerate() {
            let mut current = u.reports_to.as_deref();
            let mut steps = 0;
            while let Some(p) = current {
                steps += 1;
                if steps > types.len() {
                    self.push(
                        format!("$.plan.unit_types[{i}].reports_to"),
                        ProblemKind::ReportingLoop,
                    );
                    break;
                }
                current = o.unit_type(p).and_then(|t| t.reports_to.as_deref());
            }
        }
    }

    /// Returns how many front matter items this subtree holds.
    fn item(&mut self, item: &Item, path: &str) -> usize {
        if !is_item_id(&item.id) {
            self.push(
                format!("{path}.id"),
                ProblemKind::BadItemId {
                    id: item.id.clone(),
                },
            );
        }
        if let Some(first) = self.item_ids.get(&item.id) {
            let first = first.clone();
            self.push(
                format!("{path}.id"),
                ProblemKind::DuplicateItem {
                    id: item.id.clone(),
                    first,
                },
            );
        } else {
            self.item_ids.insert(item.id.clone(), path.to_string());
        }
        self.text(format!("{path}.title"), &item.title);
        self.optional_text(format!("{path}.intro"), &item.intro);
        for (i, g) in item.guidance.iter().enumerate() {
            self.text(format!("{path}.guidance[{i}]"), g);
        }
        let mut seen = HashSet::new();
        for (i, f) in item.fields.iter().enumerate() {
            if !seen.insert(f.id.as_str()) {
                self.push(
                    format!("{path}.fields[{i}].id"),
                    ProblemKind::DuplicateField { id: f.id.clone() },
                );
            }
        }
        for (i, f) in item.fields.iter().enumerate() {
            self.field(f, &format!("{path}.fields[{i}]"), item);
        }
        if item.front_matter {
            for &id in FRONT_FIELDS {
                if item.field(id).is_none() {
                    self.push(
                        format!("{path}.fields"),
                        ProblemKind::MissingFrontField { id },
                    );
                }
            }
        }
        let mut fronts = usize::from(item.front_matter);
        for (i, child) in item.items.iter().enumerate() {
            fronts += self.item(child, &format!("{path}.items[{i}]"));
        }
        fronts
    }

    fn field(&mut self, f: &Field, path: &str, item: &Item) {
        let kind = f.kind;
        if !is_word_id(&f.id) {
            self.push(
                format!("{path}.id"),
                ProblemKind::BadFieldId { id: f.id.clone() },
            );
        }
        self.text(format!("{path}.label"), &f.label);
        if !kind.allowed_aggregates().contains(&f.aggregate) {
            self.push(
                format!("{path}.aggregate"),
                ProblemKind::AggregateForKind {
                    aggregate: f.aggregate,
                    kind,
                },
            );
        }
        // The keys each kind may have, as the schema's per-kind rules say
        // (options, bounds and columns are looked at below).
        let text = kind == Kind::Text;
        let entered = !matches!(kind, Kind::Table | Kind::Ratio);
        for (key, given, allowed) in [
            ("bullet", f.bullet.is_some(), text),
            ("multiline", f.multiline, text),
            ("default", f.default.is_some(), entered),
            ("placeholder", f.placeholder.is_some(), entered),
            ("examples", !f.examples.is_empty(), entered),
            ("from_unit", f.from_unit.is_some(), text),
            ("of", f.of.is_some(), kind == Kind::Ratio),
            ("columns", !f.columns.is_empty(), kind == Kind::Table),
            (
                "children_rows_in_body",
                f.children_rows_in_body,
                kind == Kind::Table,
            ),
        ] {
            if given && !allowed {
                self.push(
                    format!("{path}.{key}"),
                    ProblemKind::NotForKind { key, kind },
                );
            }
        }
        for (i, t) in f.optional_for.iter().enumerate() {
            if !self.unit_types.contains(t) {
                self.push(
                    format!("{path}.optional_for[{i}]"),
                    ProblemKind::NoSuchUnitType { id: t.clone() },
                );
            }
        }
        for (t, example) in &f.examples {
            if !self.unit_types.contains(t) {
                self.push(
                    format!("{path}.examples.{t}"),
                    ProblemKind::NoSuchUnitType { id: t.clone() },
                );
            }
            self.text(format!("{path}.examples.{t}"), example);
        }
        if let Some(b) = f.bullet
            && text
            && b >= item.guidance.len()
        {
            self.push(
                format!("{path}.bullet"),
                ProblemKind::NoSuchBullet {
                    index: b,
                    bullets: item.guidance.len(),
                },
            );
        }
        self.bounds(path, kind, f.min.as_ref(), f.max.as_ref());
        self.options(path, kind, &f.options);
        match kind {
            Kind::Table => {
                if f.columns.is_empty() {
                    self.push(format!("{path}.columns"), ProblemKind::TableNeedsColumns);
                }
                let mut ids = HashSet::new();
                for (i, c) in f.columns.iter().enumerate() {
                    let cpath = format!("{path}.columns[{i}]");
                    if !is_word_id(&c.id) {
                        self.push(
                            format!("{cpath}.id"),
                            ProblemKind::BadColumnId { id: c.id.clone() },
                        );
                    }
                    if !ids.insert(c.id.as_str()) {
                        self.push(
                            format!("{cpath}.id"),
                            ProblemKind::DuplicateColumn { id: c.id.clone() },
                        );
                    }
                    self.text(format!("{cpath}.label"), &c.label);
                    if !Kind::IN_TABLES.contains(&c.kind) {
                        self.push(
                            format!("{cpath}.kind"),
                            ProblemKind::UnknownKind {
                                found: c.kind.as_str().into(),
                                allowed: Kind::IN_TABLES,
                            },
                        );
                        continue;
                    }
                    self.bounds(&cpath, c.kind, c.min.as_ref(), c.max.as_ref());
                    self.options(&cpath, c.kind, &c.options);
                }
            }
            Kind::Ratio => {
                if f.required {
                    self.push(format!("{path}.required"), ProblemKind::RatioRequired);
                }
                let Some(of) = &f.of else {
                    self.push(format!("{path}.of"), ProblemKind::RatioNeedsOf);
                    return;
                };
                for (i, target) in of.iter().enumerate() {
                    let tpath = format!("{path}.of[{i}]");
                    match item.field(target) {
                        None => self.push(tpath, ProblemKind::NoSuchField { id: target.clone() }),
                        Some(t) if !t.kind.is_countable() => self.push(
                            tpath,
                            ProblemKind::NotCountable {
                                id: target.clone(),
                                kind: t.kind,
                            },
                        ),
                        Some(_) => {}
                    }
                }
                if of[0] == of[1] {
                    self.push(
                        format!("{path}.of[1]"),
                        ProblemKind::RatioOfItself { id: of[1].clone() },
                    );
                }
            }
            _ => {}
        }
    }

    /// A choice's options: there, non-empty, each once. Other kinds have
    /// none.
    fn options(&mut self, path: &str, kind: Kind, options: &[String]) {
        if kind != Kind::Choice {
            if !options.is_empty() {
                self.push(
                    format!("{path}.options"),
                    ProblemKind::NotForKind {
                        key: "options",
                        kind,
                    },
                );
            }
            return;
        }
        if options.is_empty() {
            self.push(format!("{path}.options"), ProblemKind::ChoiceNeedsOptions);
        }
        let mut seen = HashSet::new();
        for (i, o) in options.iter().enumerate() {
            self.text(format!("{path}.options[{i}]"), o);
            if !seen.insert(o.as_str()) {
                self.push(
                    format!("{path}.options[{i}]"),
                    ProblemKind::DuplicateOption { option: o.clone() },
                );
            }
        }
    }

    /// `min`/`max`: numbers for numeric kinds, dd/mm/yyyy dates for dates,
    /// none for the rest; and not the wrong way round, given alone either
    /// (a count's `max` below 0, a percentage's `min` above 100: no value
    /// would fit).
    fn bounds(&mut self, path: &str, kind: Kind, min: Option<&Value>, max: Option<&Value>) {
        let fits = |v: &Value| match kind {
            k if k.is_numeric() => v.is_number(),
            Kind::Date => v.as_str().is_some_and(is_date),
            _ => false,
        };
        let mut both_fit = true;
        for (key, bound) in [("min", min), ("max", max)] {
            if let Some(v) = bound
                && !fits(v)
            {
                both_fit = false;
                self.push(format!("{path}.{key}"), ProblemKind::BoundForKind { kind });
            }
        }
        if kind.is_numeric() && both_fit {
            // A given bound replaces the one implied, except that a
            // percentage is 0 to 100 whatever its bounds say.
            let (implied_min, implied_max) = kind.implied_bounds();
            let percent = kind == Kind::Percent;
            let implied_min = implied_min.filter(|_| min.is_none() || percent);
            let implied_max = implied_max.filter(|_| max.is_none() || percent);
            if let (Some(hi), Some(lowest)) = (max.and_then(number), implied_min)
                && hi < lowest
            {
                self.push(
                    format!("{path}.max"),
                    ProblemKind::MaxBelowKind { kind, lowest },
                );
            }
            if let (Some(lo), Some(highest)) = (min.and_then(number), implied_max)
                && lo > highest
            {
                self.push(
                    format!("{path}.min"),
                    ProblemKind::MinAboveKind { kind, highest },
                );
            }
        }
        let (Some(lo), Some(hi)) = (min, max) else {
            return;
        };
        let reversed = match (lo, hi) {
            (Value::Number(_), Value::Number(_)) => match (number(lo), number(hi)) {
                (Some(lo), Some(hi)) => lo > hi,
                _ => lo.as_f64().unwrap_or(f64::NAN) > hi.as_f64().unwrap_or(f64::NAN),
            },
            (Value::String(lo), Value::String(hi)) => {
                match (crate::vnfmt::parse_date(lo), crate::vnfmt::parse_date(hi)) {
                    (Ok(lo), Ok(hi)) => lo > hi,
                    _ => false,
                }
            }
            _ => false,
        };
        if both_fit && reversed {
            self.push(format!("{path}.min"), ProblemKind::MinAboveMax);
        }
    }
}

/// Outline ids: lowercase ASCII words joined by hyphens ("kl62-so-ket-2014").
fn is_outline_id(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Item ids: dot-separated ASCII parts ("A.II.3").
fn is_item_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Field, column and unit type ids: a short lowercase ASCII word
/// ("so_hoi_nghi", "huyen").
fn is_word_id(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A real date written exactly dd/mm/yyyy, as outline files write them
/// (a report takes "5/3/2010" as typed; an outline is written once).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[2] == b'/'
        && b[5] == b'/'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit())
        && crate::vnfmt::parse_date(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_dates_are_held_to_the_schema_patterns() {
        assert!(is_outline_id("kl62-so-ket-2014") && is_outline_id("2026"));
        assert!(!is_outline_id("-x") && !is_outline_id("KL62") && !is_outline_id(""));
        assert!(is_item_id("A.II.3") && is_item_id("front"));
        assert!(!is_item_id("A..3") && !is_item_id("A.") && !is_item_id("Á"));
        assert!(is_word_id("so_hoi_nghi") && is_word_id("x2"));
        assert!(!is_word_id("2x") && !is_word_id("_x") && !is_word_id("Xa"));
        assert!(is_date("29/08/2014") && is_date("29/02/2012"));
        for not in [
            "29/8/2014",
            "29-08-2014",
            "31/02/2014",
            " 29/08/2014",
            "29/08/14",
        ] {
            assert!(!is_date(not), "{not}");
        }
    }
}
