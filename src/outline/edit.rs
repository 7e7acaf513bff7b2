//! Editing an outline as data, for `baocao outline edit`: the operations on
//! the item tree (add, delete, move, indent, outdent, renumber), on fields,
//! columns and unit types, the ids made once from titles, the version bump
//! of a save, and the undo history over whole-outline snapshots. Nothing
//! here knows of terminals; every operation leaves the numbers and markers
//! recomputed and never changes an id that exists.
//!
//! Items are addressed by their path of indexes from the top
//! (`[2, 0, 1]`: the second child of the first child of the third item).

use super::{
    Column, DocumentInfo, FORMAT, FORMAT_VERSION, Field, Item, Kind, Outline, Period, Plan,
    Problem, UnitType,
};
use crate::vi::fold::fold;
use std::collections::HashSet;

/// A path of indexes to an item.
pub type ItemPath = Vec<usize>;

/// The longest id made from a title, in words.
const ID_WORDS: usize = 4;

/// The ASCII words of a title, folded ("Công tác quán triệt" → cong, tac,
/// quan, triet).
fn words(title: &str) -> Vec<String> {
    fold(title)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(ID_WORDS)
        .map(str::to_string)
        .collect()
}

/// `base`, or `base2`, `base3`… the first not in `taken`.
fn unique(base: String, taken: &HashSet<String>) -> String {
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|c| !taken.contains(c))
        .expect("some number is free")
}

/// An item id from a title: its first words, each capitalised, ASCII
/// ("Công tác quán triệt" → "CongTacQuanTriet"), unique in the outline.
/// Check's rule: dot-separated ASCII letters and digits.
pub fn item_id(title: &str, outline: &Outline) -> String {
    let mut base: String = words(title)
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    if base.is_empty() {
        base = "Muc".into();
    }
    let taken: HashSet<String> = outline
        .entries()
        .iter()
        .map(|e| e.item.id.clone())
        .collect();
    unique(base, &taken)
}

/// A field, column or unit type id from a label: lowercase words joined
/// by `_` ("Số hội nghị" → "so_hoi_nghi"), starting with a letter,
/// unique among `taken`.
pub fn word_id<'a>(
    label: &str,
    fallback: &str,
    taken: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut base = words(label).join("_");
    if base.is_empty() {
        base = fallback.into();
    } else if !base.starts_with(|c: char| c.is_ascii_lowercase()) {
        base = format!("{fallback}_{base}");
    }
    let taken: HashSet<String> = taken.into_iter().map(str::to_string).collect();
    unique(base, &taken)
}

/// The next version of an outline: its last number plus one ("2" → "3",
/// "1.4" → "1.5"); a version with no number gets ".1" after it.
pub fn next_version(version: &str) -> String {
    let digits = version
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .count();
    let (head, tail) = version.split_at(version.len() - digits);
    match tail.parse::<u64>() {
        Ok(n) => format!("{head}{}", n + 1),
        Err(_) if version.is_empty() => "1".into(),
        Err(_) => format!("{version}.1"),
    }
}

/// The front matter item every outline starts with: the fields the
/// document's header and signature print, as the 2014 outline asks for
/// them, without its examples for its own unit types.
pub fn front_matter() -> Item {
    let mut front = Outline::embedded()
        .items
        .iter()
        .find(|i| i.front_matter)
        .expect("the embedded outline has a front matter item")
        .clone();
    for f in &mut front.fields {
        f.examples.clear();
        f.optional_for.clear();
    }
    front
}

/// An outline to start from when there is none: one unit type, the front
/// matter, the plan's period this year. What only its author can say
/// (titles, the plan's number and date) is left empty for check to ask.
pub fn blank(id: &str, year: i32) -> Outline {
    let mut o = Outline {
        schema: None,
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        id: id.into(),
        version: "1".into(),
        title: String::new(),
        short_title: String::new(),
        issued_with: None,
        replaces: Vec::new(),
        migration: None,
        document: DocumentInfo {
            doc_type: "BÁO CÁO".into(),
            subject: String::new(),
            layout: Default::default(),
        },
        plan: Plan {
            number: String::new(),
            date: String::new(),
            issuer: String::new(),
            title: String::new(),
            period: Period {
                from: year,
                to: year,
            },
            receiver: None,
            unit_types: vec![new_unit_type("xa", "Đảng ủy xã")],
        },
        items: vec![front_matter()],
    };
    sync_front(&mut o);
    o
}

/// An outline id from a file name: "de-cuong-2026.json" → "de-cuong-2026".
pub fn outline_id(stem: &str) -> String {
    let id: String = crate::vi::fold::ascii_file_name(stem)
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() { "de-cuong".into() } else { id }
}

fn new_unit_type(id: &str, name: &str) -> UnitType {
    UnitType {
        id: id.into(),
        name: name.into(),
        reports_to: None,
        deadline: None,
        deadline_kind: Default::default(),
        deadline_note: None,
        in_totals: true,
        example: None,
    }
}

/// The front matter's superior body is not required of a unit that
/// reports to nobody: kept in step with the plan's unit types.
pub fn sync_front(o: &mut Outline) {
    let tops: Vec<String> = o
        .plan
        .unit_types
        .iter()
        .filter(|u| u.reports_to.is_none())
        .map(|u| u.id.clone())
        .collect();
    let types: HashSet<String> = o.plan.unit_types.iter().map(|u| u.id.clone()).collect();
    fn walk(items: &mut [Item], tops: &[String], types: &HashSet<String>) {
        for item in items {
            for f in &mut item.fields {
                f.examples.retain(|t, _| types.contains(t));
                f.optional_for.retain(|t| types.contains(t));
                if item.front_matter && f.id == "cap_tren" {
                    f.optional_for = tops.to_vec();
                }
            }
            walk(&mut item.items, tops, types);
        }
    }
    walk(&mut o.items, &tops, &types);
}

// ----- the tree

/// The item at `path`.
pub fn item<'a>(o: &'a Outline, path: &[usize]) -> Option<&'a Item> {
    let (first, rest) = path.split_first()?;
    let mut it = o.items.get(*first)?;
    for &i in rest {
        it = it.items.get(i)?;
    }
    Some(it)
}

pub fn item_mut<'a>(o: &'a mut Outline, path: &[usize]) -> Option<&'a mut Item> {
    let (first, rest) = path.split_first()?;
    let mut it = o.items.get_mut(*first)?;
    for &i in rest {
        it = it.items.get_mut(i)?;
    }
    Some(it)
}

/// The list of siblings `path` is in.
fn siblings_mut<'a>(o: &'a mut Outline, path: &[usize]) -> Option<&'a mut Vec<Item>> {
    match path.split_last()? {
        (_, []) => Some(&mut o.items),
        (_, parent) => item_mut(o, parent).map(|p| &mut p.items),
    }
}

/// Every item's path, in reading order (as `Outline::entries`).
pub fn paths(o: &Outline) -> Vec<ItemPath> {
    fn walk(items: &[Item], at: &mut ItemPath, out: &mut Vec<ItemPath>) {
        for (i, item) in items.iter().enumerate() {
            at.push(i);
            out.push(at.clone());
            walk(&item.items, at, out);
            at.pop();
        }
    }
    let mut out = Vec::new();
    walk(&o.items, &mut Vec::new(), &mut out);
    out
}

fn new_item(o: &Outline, title: &str) -> Item {
    Item {
        id: item_id(title, o),
        number: String::new(),
        marker: String::new(),
        title: title.into(),
        optional: false,
        front_matter: false,
        intro: None,
        guidance: Vec::new(),
        fields: Vec::new(),
        items: Vec::new(),
    }
}

/// A new item titled `title` after the one at `path` (at the top when the
/// outline is empty); its path.
pub fn add_sibling(o: &mut Outline, path: &[usize], title: &str) -> ItemPath {
    let item = new_item(o, title);
    let mut at: ItemPath = path.to_vec();
    match siblings_mut(o, path) {
        Some(list) => {
            let i = (path[path.len() - 1] + 1).min(list.len());
            list.insert(i, item);
            *at.last_mut().expect("not empty") = i;
        }
        None => {
            o.items.push(item);
            at = vec![o.items.len() - 1];
        }
    }
    renumber(o, Numbering::Keep);
    at
}

/// A new item titled `title`, the last under the one at `path`; its path.
/// None when there is no item there, or it is the front matter.
pub fn add_child(o: &mut Outline, path: &[usize], title: &str) -> Option<ItemPath> {
    if item(o, path)?.front_matter {
        return None;
    }
    let child = new_item(o, title);
    let parent = item_mut(o, path)?;
    parent.items.push(child);
    let mut at = path.to_vec();
    at.push(parent.items.len() - 1);
    renumber(o, Numbering::Keep);
    Some(at)
}

/// Removes the item at `path` with what is under it. The front matter is
/// never removed (the document needs it).
pub fn delete(o: &mut Outline, path: &[usize]) -> Option<Item> {
    if item(o, path)?.front_matter {
        return None;
    }
    let i = *path.last()?;
    let removed = siblings_mut(o, path)?.remove(i);
    renumber(o, Numbering::Keep);
    Some(removed)
}

/// Swaps the item with the one before (`up`) or after it; its new path.
pub fn move_item(o: &mut Outline, path: &[usize], up: bool) -> Option<ItemPath> {
    let i = *path.last()?;
    let list = siblings_mut(o, path)?;
    let j = if up { i.checked_sub(1)? } else { i + 1 };
    if j >= list.len() {
        return None;
    }
    list.swap(i, j);
    let mut at = path.to_vec();
    *at.last_mut()? = j;
    renumber(o, Numbering::Keep);
    Some(at)
}

/// An item moved to another level takes the numbering of where it goes,
/// with everything under it.
fn forget_markers(item: &mut Item) {
    item.marker.clear();
    for child in &mut item.items {
        forget_markers(child);
    }
}

/// The item becomes the last child of the item before it; its new path.
pub fn indent(o: &mut Outline, path: &[usize]) -> Option<ItemPath> {
    let i = *path.last()?;
    let prev = i.checked_sub(1)?;
    let mut prev_path = path.to_vec();
    *prev_path.last_mut()? = prev;
    if item(o, &prev_path)?.front_matter || item(o, path)?.front_matter {
        return None;
    }
    let mut moved = siblings_mut(o, path)?.remove(i);
    forget_markers(&mut moved);
    let parent = item_mut(o, &prev_path)?;
    parent.items.push(moved);
    let mut at = prev_path;
    at.push(parent.items.len() - 1);
    renumber(o, Numbering::Keep);
    Some(at)
}

/// The item leaves its parent and comes right after it; its new path.
pub fn outdent(o: &mut Outline, path: &[usize]) -> Option<ItemPath> {
    if path.len() < 2 {
        return None;
    }
    let parent_path = &path[..path.len() - 1];
    let i = *path.last()?;
    let mut moved = item_mut(o, parent_path)?.items.remove(i);
    forget_markers(&mut moved);
    let p = *parent_path.last()?;
    let list = siblings_mut(o, parent_path)?;
    list.insert(p + 1, moved);
    let mut at = parent_path.to_vec();
    *at.last_mut()? = p + 1;
    renumber(o, Numbering::Keep);
    Some(at)
}

// ----- numbers and markers

/// How a level counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// A, B, C
    Upper,
    /// I, II, III
    Roman,
    /// 1, 2, 3
    Arabic,
    /// a, b, c
    Lower,
}

/// A level's marker style: how it counts and what follows ("A-", "I.",
/// "1-", "a)").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkerStyle {
    pub counter: Counter,
    pub suffix: char,
}

impl MarkerStyle {
    /// The 2014 outline's: A- for the parts, I. for the sections, 1- for
    /// the items, a) below.
    pub fn standard(depth: usize) -> MarkerStyle {
        let (counter, suffix) = match depth {
            0 => (Counter::Upper, '-'),
            1 => (Counter::Roman, '.'),
            2 => (Counter::Arabic, '-'),
            _ => (Counter::Lower, ')'),
        };
        MarkerStyle { counter, suffix }
    }

    /// The style a marker is written in, if it is one ("II." → Roman, '.').
    pub fn of(marker: &str) -> Option<MarkerStyle> {
        let suffix = marker
            .chars()
            .last()
            .filter(|c| matches!(c, '-' | '.' | ')'))?;
        let body = &marker[..marker.len() - 1];
        let counter = if body.is_empty() {
            return None;
        } else if body.chars().all(|c| c.is_ascii_digit()) {
            Counter::Arabic
        } else if body.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')) && body != "L" {
            Counter::Roman
        } else if body.len() == 1 && body.chars().all(|c| c.is_ascii_uppercase()) {
            Counter::Upper
        } else if body.len() == 1 && body.chars().all(|c| c.is_ascii_lowercase()) {
            Counter::Lower
        } else {
            return None;
        };
        Some(MarkerStyle { counter, suffix })
    }

    /// The `n`th number (from 1) in this style: "C", "IV", "3", "c".
    pub fn number(self, n: usize) -> String {
        let letter = |base: u8| {
            // After z: aa, ab… (no đề cương goes there, but never panic).
            let mut s = String::new();
            let mut k = n;
            while k > 0 {
                k -= 1;
                s.insert(0, (base + (k % 26) as u8) as char);
                k /= 26;
            }
            s
        };
        match self.counter {
            Counter::Upper => letter(b'A'),
            Counter::Lower => letter(b'a'),
            Counter::Arabic => n.to_string(),
            Counter::Roman => super::roman(n),
        }
    }
}

/// How renumbering chooses each level's style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// Each group of siblings keeps the style its first numbered item has
    /// (else the style used elsewhere at that depth, else the standard).
    Keep,
    /// Every level as the 2014 outline numbers it.
    Standard,
}

/// Numbers and markers recomputed, level by level, in order; the front
/// matter has neither.
pub fn renumber(o: &mut Outline, how: Numbering) {
    // The style seen first at each depth, for groups with none of their own.
    let mut by_depth: Vec<Option<MarkerStyle>> = Vec::new();
    for e in o.entries() {
        if by_depth.len() <= e.depth {
            by_depth.resize(e.depth + 1, None);
        }
        if by_depth[e.depth].is_none() {
            by_depth[e.depth] = MarkerStyle::of(&e.item.marker);
        }
    }
    fn walk(items: &mut [Item], depth: usize, how: Numbering, by_depth: &[Option<MarkerStyle>]) {
        let own = items
            .iter()
            .filter(|i| !i.front_matter)
            .find_map(|i| MarkerStyle::of(&i.marker));
        let style = match how {
            Numbering::Standard => MarkerStyle::standard(depth),
            Numbering::Keep => own
                .or(by_depth.get(depth).copied().flatten())
                .unwrap_or_else(|| MarkerStyle::standard(depth)),
        };
        let mut n = 0;
        for item in items.iter_mut() {
            if item.front_matter {
                item.number.clear();
                item.marker.clear();
            } else {
                n += 1;
                item.number = style.number(n);
                item.marker = format!("{}{}", item.number, style.suffix);
            }
            walk(&mut item.items, depth + 1, how, by_depth);
        }
    }
    walk(&mut o.items, 0, how, &by_depth);
}

// ----- fields and columns

fn new_column(id: String, label: &str, kind: Kind) -> Column {
    Column {
        id,
        label: label.into(),
        kind,
        required: false,
        min: None,
        max: None,
        options: Vec::new(),
        placeholder: None,
    }
}

/// A new field labelled `label` of kind `kind` at the end of the item's
/// fields; its index.
pub fn add_field(item: &mut Item, label: &str, kind: Kind) -> usize {
    let id = word_id(label, "truong", item.fields.iter().map(|f| f.id.as_str()));
    let mut field = Field {
        base: new_column(id, label, kind),
        aggregate: kind.allowed_aggregates()[0],
        bullet: None,
        multiline: false,
        default: None,
        columns: Vec::new(),
        of: None,
        children_rows_in_body: false,
        optional_for: Vec::new(),
        from_unit: None,
        examples: Default::default(),
    };
    fit_kind(&mut field, item);
    item.fields.push(field);
    item.fields.len() - 1
}

/// A field of another kind: what only the old kind had goes, its roll-up
/// becomes the new kind's usual one (the first it allows), a ratio is taken of the item's
/// first two countable fields.
pub fn set_kind(item: &mut Item, index: usize, kind: Kind) {
    let Some(mut f) = item.fields.get(index).cloned() else {
        return;
    };
    if f.kind == kind {
        return;
    }
    f.base.kind = kind;
    f.aggregate = kind.allowed_aggregates()[0];
    fit_kind(&mut f, item);
    item.fields[index] = f;
}

fn fit_kind(f: &mut Field, item: &Item) {
    let kind = f.kind;
    if !kind.allowed_aggregates().contains(&f.aggregate) {
        f.aggregate = kind.allowed_aggregates()[0];
    }
    if kind != Kind::Choice {
        f.base.options.clear();
    }
    if !(kind.is_numeric() || kind == Kind::Date) {
        f.base.min = None;
        f.base.max = None;
    } else {
        // A bound of another kind of value does not carry over.
        let fits = |v: &serde_json::Value| {
            if kind == Kind::Date {
                v.is_string()
            } else {
                v.is_number()
            }
        };
        f.base.min = f.base.min.take().filter(fits);
        f.base.max = f.base.max.take().filter(fits);
    }
    if kind != Kind::Text {
        f.bullet = None;
        f.multiline = false;
        f.from_unit = None;
    }
    if matches!(kind, Kind::Table | Kind::Ratio) {
        f.default = None;
        f.base.placeholder = None;
        f.examples.clear();
        f.base.required = f.base.required && kind != Kind::Ratio;
    }
    if kind != Kind::Table {
        f.columns.clear();
        f.children_rows_in_body = false;
    } else if f.columns.is_empty() {
        f.columns
            .push(new_column("noi_dung".into(), "Nội dung", Kind::Text));
    }
    if kind != Kind::Ratio {
        f.of = None;
    } else if f.of.is_none() {
        let countable: Vec<String> = item
            .fields
            .iter()
            .filter(|g| g.id != f.id && g.kind.is_countable())
            .map(|g| g.id.clone())
            .take(2)
            .collect();
        f.of = match countable.as_slice() {
            [a, b] => Some([a.clone(), b.clone()]),
            _ => Some([String::new(), String::new()]),
        };
    }
}

/// A new column of the table field; its index.
pub fn add_column(field: &mut Field, label: &str, kind: Kind) -> usize {
    let id = word_id(label, "cot", field.columns.iter().map(|c| c.id.as_str()));
    field.columns.push(new_column(id, label, kind));
    field.columns.len() - 1
}

/// A column of another kind: bounds and options it cannot have go.
pub fn set_column_kind(c: &mut Column, kind: Kind) {
    c.kind = kind;
    if kind != Kind::Choice {
        c.options.clear();
    }
    if !(kind.is_numeric() || kind == Kind::Date) {
        c.min = None;
        c.max = None;
    }
}

/// A guidance bullet removed: fields that stood for a later one follow
/// it, the field of this one no longer points at it.
pub fn delete_bullet(item: &mut Item, index: usize) {
    if index >= item.guidance.len() {
        return;
    }
    item.guidance.remove(index);
    for f in &mut item.fields {
        f.bullet = match f.bullet {
            Some(b) if b == index => None,
            Some(b) if b > index => Some(b - 1),
            b => b,
        };
    }
}

/// A guidance bullet added after `index` (at the end when None); its
/// index. Fields of later bullets keep pointing at theirs.
pub fn add_bullet(item: &mut Item, after: Option<usize>, text: &str) -> usize {
    let at = after.map_or(item.guidance.len(), |i| {
        i.saturating_add(1).min(item.guidance.len())
    });
    item.guidance.insert(at, text.into());
    for f in &mut item.fields {
        if let Some(b) = &mut f.bullet
            && *b >= at
        {
            *b += 1;
        }
    }
    at
}

/// The index `i` moves to going up or down a list of `len`; None at an end.
fn step(i: usize, len: usize, up: bool) -> Option<usize> {
    let j = if up { i.checked_sub(1)? } else { i + 1 };
    (j < len && i < len).then_some(j)
}

/// A guidance bullet swapped with the one above or below; the fields
/// standing for either follow it. Its new index.
pub fn move_bullet(item: &mut Item, i: usize, up: bool) -> Option<usize> {
    let j = step(i, item.guidance.len(), up)?;
    item.guidance.swap(i, j);
    for f in &mut item.fields {
        f.bullet = match f.bullet {
            Some(b) if b == i => Some(j),
            Some(b) if b == j => Some(i),
            b => b,
        };
    }
    Some(j)
}

/// A field swapped with the one above or below (its id stays); its new
/// index.
pub fn move_field(item: &mut Item, i: usize, up: bool) -> Option<usize> {
    let j = step(i, item.fields.len(), up)?;
    item.fields.swap(i, j);
    Some(j)
}

/// A table column swapped with its neighbour; its new index.
pub fn move_column(field: &mut Field, i: usize, up: bool) -> Option<usize> {
    let j = step(i, field.columns.len(), up)?;
    field.columns.swap(i, j);
    Some(j)
}

/// A unit type swapped with its neighbour in the plan's list; its new
/// index.
pub fn move_unit_type(o: &mut Outline, i: usize, up: bool) -> Option<usize> {
    let j = step(i, o.plan.unit_types.len(), up)?;
    o.plan.unit_types.swap(i, j);
    Some(j)
}

/// A field removed: ratios of it lose that part (check then asks for it).
pub fn delete_field(item: &mut Item, index: usize) {
    if index >= item.fields.len() {
        return;
    }
    let gone = item.fields.remove(index).base.id;
    for f in &mut item.fields {
        if let Some(of) = &mut f.of {
            for part in of.iter_mut() {
                if *part == gone {
                    part.clear();
                }
            }
        }
    }
}

// ----- unit types

/// A new unit type named `name`, reporting to `reports_to`; its index.
pub fn add_unit_type(o: &mut Outline, name: &str, reports_to: Option<&str>) -> usize {
    let id = word_id(name, "cap", o.plan.unit_types.iter().map(|u| u.id.as_str()));
    let mut u = new_unit_type(&id, name);
    u.reports_to = reports_to.map(str::to_string);
    o.plan.unit_types.push(u);
    sync_front(o);
    o.plan.unit_types.len() - 1
}

/// A unit type removed: types that reported to it report to what it
/// reported to.
pub fn delete_unit_type(o: &mut Outline, index: usize) -> Option<UnitType> {
    if index >= o.plan.unit_types.len() || o.plan.unit_types.len() == 1 {
        return None;
    }
    let gone = o.plan.unit_types.remove(index);
    for u in &mut o.plan.unit_types {
        if u.reports_to.as_deref() == Some(gone.id.as_str()) {
            u.reports_to = gone.reports_to.clone();
        }
    }
    sync_front(o);
    Some(gone)
}

/// A unit type's id changed: what named it (who reports to it, the
/// fields optional for it or with examples for it) follows. An id another
/// type has already is taken as typed, and only check then speaks.
pub fn rename_unit_type(o: &mut Outline, index: usize, new: &str) {
    let Some(u) = o.plan.unit_types.get_mut(index) else {
        return;
    };
    let old = std::mem::replace(&mut u.id, new.to_string());
    let taken = o
        .plan
        .unit_types
        .iter()
        .enumerate()
        .any(|(i, t)| i != index && (t.id == new || t.id == old));
    if old == new || taken {
        // Nothing that names the old id is dropped meanwhile: check says
        // what no longer fits, and typing on (or undo) puts it right.
        return;
    }
    for t in &mut o.plan.unit_types {
        if t.reports_to.as_deref() == Some(old.as_str()) {
            t.reports_to = Some(new.to_string());
        }
    }
    fn walk(items: &mut [Item], old: &str, new: &str) {
        for item in items {
            for f in &mut item.fields {
                for t in &mut f.optional_for {
                    if t == old {
                        *t = new.to_string();
                    }
                }
                if let Some(e) = f.examples.remove(old) {
                    f.examples.insert(new.to_string(), e);
                }
            }
            walk(&mut item.items, old, new);
        }
    }
    walk(&mut o.items, &old, new);
    sync_front(o);
}

/// Where a problem is: at an item (its path), or elsewhere (the plan, the
/// outline's own keys) as None.
pub fn problem_item(problem_path: &str) -> Option<ItemPath> {
    let mut rest = problem_path.strip_prefix('$')?;
    let mut at = Vec::new();
    while let Some(r) = rest.strip_prefix(".items[") {
        let end = r.find(']')?;
        at.push(r[..end].parse().ok()?);
        rest = &r[end + 1..];
    }
    (!at.is_empty()).then_some(at)
}

/// The problems at the item at `path` itself (not those below it).
pub fn problems_at<'a>(problems: &'a [Problem], path: &[usize]) -> Vec<&'a Problem> {
    problems
        .iter()
        .filter(|p| problem_item(&p.path).as_deref() == Some(path))
        .collect()
}

// ----- undo

/// Whole-outline snapshots: one before each edit. Typing into one box
/// keeps one snapshot for the run of keys (`tag`), not one per key.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Outline>,
    redo: Vec<Outline>,
    last_tag: Option<String>,
}

/// How many edits can be undone.
const HISTORY: usize = 200;

impl History {
    /// Call before changing `current`. With a tag equal to the last one
    /// (more typing in the same box), nothing new is kept.
    pub fn record(&mut self, current: &Outline, tag: Option<&str>) {
        if tag.is_some() && tag == self.last_tag.as_deref() {
            return;
        }
        self.last_tag = tag.map(str::to_string);
        self.undo.push(current.clone());
        if self.undo.len() > HISTORY {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// Ends a run of typing: the next key in the same box is a new edit.
    pub fn seal(&mut self) {
        self.last_tag = None;
    }

    pub fn undo(&mut self, current: &mut Outline) -> bool {
        self.last_tag = None;
        let Some(prev) = self.undo.pop() else {
            return false;
        };
        self.redo.push(std::mem::replace(current, prev));
        true
    }

    pub fn redo(&mut self, current: &mut Outline) -> bool {
        self.last_tag = None;
        let Some(next) = self.redo.pop() else {
            return false;
        };
        self.undo.push(std::mem::replace(current, next));
        true
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outline::Aggregate;
    use crate::outline::check::check;

    fn small() -> Outline {
        let mut o = blank("thu", 2026);
        let a = add_sibling(&mut o, &[0], "Đánh giá tình hình");
        add_child(&mut o, &a, "Công tác quán triệt").unwrap();
        add_child(&mut o, &a, "Kết quả thực hiện").unwrap();
        add_sibling(&mut o, &a, "Nhiệm vụ thời gian tới");
        o
    }

    fn ids(o: &Outline) -> Vec<String> {
        o.entries().iter().map(|e| e.item.id.clone()).collect()
    }

    fn markers(o: &Outline) -> Vec<String> {
        o.entries().iter().map(|e| e.item.marker.clone()).collect()
    }

    #[test]
    fn ids_are_ascii_from_titles_unique_and_pass_check() {
        let o = small();
        assert_eq!(
            ids(&o),
            [
                "front",
                "DanhGiaTinhHinh",
                "CongTacQuanTriet",
                "KetQuaThucHien",
                "NhiemVuThoiGian"
            ]
        );
        assert_eq!(item_id("Đánh giá tình hình", &o), "DanhGiaTinhHinh2");
        assert_eq!(item_id("", &o), "Muc");
        assert_eq!(word_id("Số hội nghị", "truong", []), "so_hoi_nghi");
        assert_eq!(word_id("2014 năm", "truong", []), "truong_2014_nam");
        assert_eq!(word_id("Số", "truong", ["so"]), "so2");
        assert_eq!(word_id("!!", "cap", []), "cap");
        let mut o = o;
        let p = add_child(&mut o, &[1, 0], "X").unwrap();
        add_field(item_mut(&mut o, &p).unwrap(), "Số hội nghị", Kind::Integer);
        let problems = check(&o);
        assert!(
            problems.iter().all(|p| !p.path.ends_with(".id")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_title_edit_never_changes_an_id() {
        let mut o = small();
        let before = ids(&o);
        item_mut(&mut o, &[1]).unwrap().title = "Hoàn toàn khác".into();
        let f = add_field(
            item_mut(&mut o, &[1, 0]).unwrap(),
            "Số hội nghị",
            Kind::Integer,
        );
        item_mut(&mut o, &[1, 0]).unwrap().fields[f].base.label = "Số cuộc họp".into();
        renumber(&mut o, Numbering::Standard);
        move_item(&mut o, &[1], false).unwrap();
        assert_eq!(
            {
                let mut a = ids(&o);
                a.sort();
                a
            },
            {
                let mut b = before;
                b.sort();
                b
            }
        );
        assert_eq!(item(&o, &[2, 0]).unwrap().fields[0].id, "so_hoi_nghi");
    }

    #[test]
    fn renumbering_follows_the_2014_outline_or_keeps_a_level_style() {
        let mut o = small();
        assert_eq!(markers(&o), ["", "A-", "I.", "II.", "B-"]);
        let p = add_child(&mut o, &[1, 0], "Một").unwrap();
        add_sibling(&mut o, &p, "Hai");
        add_child(&mut o, &[1, 0, 1], "Con").unwrap();
        assert_eq!(markers(&o), ["", "A-", "I.", "1-", "2-", "a)", "II.", "B-"]);
        assert_eq!(item(&o, &[1, 0, 1]).unwrap().number, "2");
        // A level written 1. keeps its style; the standard puts it back.
        for child in &mut item_mut(&mut o, &[1, 0]).unwrap().items {
            child.marker = child.marker.replace('-', ".");
        }
        renumber(&mut o, Numbering::Keep);
        assert_eq!(item(&o, &[1, 0, 1]).unwrap().marker, "2.");
        renumber(&mut o, Numbering::Standard);
        assert_eq!(item(&o, &[1, 0, 1]).unwrap().marker, "2-");
        assert_eq!(MarkerStyle::of("IV.").unwrap().counter, Counter::Roman);
        assert_eq!(MarkerStyle::of("C-").unwrap().counter, Counter::Upper);
        assert_eq!(MarkerStyle::standard(1).number(14), "XIV");
        assert_eq!(MarkerStyle::standard(3).number(28), "ab");
        // The embedded outline renumbered keeping styles is itself.
        let mut e = Outline::embedded().clone();
        renumber(&mut e, Numbering::Keep);
        assert_eq!(&e, Outline::embedded());
    }

    #[test]
    fn indent_and_outdent_move_an_item_a_level_and_renumber() {
        let mut o = small();
        // "Nhiệm vụ" under "Đánh giá", after its two children.
        let p = indent(&mut o, &[2]).unwrap();
        assert_eq!(p, vec![1, 2]);
        assert_eq!(item(&o, &p).unwrap().marker, "III.");
        assert_eq!(o.items.len(), 2);
        let back = outdent(&mut o, &p).unwrap();
        assert_eq!(back, vec![2]);
        assert_eq!(item(&o, &back).unwrap().marker, "B-");
        // Nothing to indent under: the first child; the front matter.
        assert!(indent(&mut o, &[1, 0]).is_none());
        assert!(indent(&mut o, &[1]).is_none(), "not under the front matter");
        assert!(outdent(&mut o, &[1]).is_none());
        assert!(delete(&mut o, &[0]).is_none(), "the front matter stays");
        assert!(delete(&mut o, &[1]).is_some());
        assert_eq!(markers(&o), ["", "A-"]);
        assert_eq!(move_item(&mut o, &[1], true), Some(vec![0]));
        assert_eq!(markers(&o), ["A-", ""]);
    }

    #[test]
    fn undo_and_redo_walk_whole_outlines_and_typing_is_one_step() {
        let mut o = small();
        let start = o.clone();
        let mut h = History::default();
        h.record(&o, None);
        add_sibling(&mut o, &[1], "Mới");
        let added = o.clone();
        for c in ["a", "ab", "abc"] {
            h.record(&o, Some("title:1"));
            item_mut(&mut o, &[1]).unwrap().title = c.into();
        }
        assert!(h.undo(&mut o));
        assert_eq!(o, added, "the run of typing is one edit");
        assert!(h.undo(&mut o));
        assert_eq!(o, start);
        assert!(!h.undo(&mut o));
        assert!(h.redo(&mut o));
        assert_eq!(o, added);
        h.record(&o, None);
        delete(&mut o, &[1]);
        assert!(!h.redo(&mut o), "a new edit forgets what was undone");
    }

    #[test]
    fn kinds_keep_only_what_they_allow() {
        let mut it = new_item(&blank("x", 2026), "Mục");
        let n = add_field(&mut it, "Số hội nghị", Kind::Integer);
        assert_eq!(it.fields[n].aggregate, Aggregate::Sum);
        let t = add_field(&mut it, "Tổng số", Kind::Integer);
        let r = add_field(&mut it, "Tỷ lệ", Kind::Ratio);
        assert_eq!(
            it.fields[r].of,
            Some(["so_hoi_nghi".to_string(), "tong_so".to_string()])
        );
        assert_eq!(it.fields[r].aggregate, Aggregate::Ratio);
        it.fields[t].base.max = Some(serde_json::json!(30));
        set_kind(&mut it, t, Kind::Text);
        assert_eq!(it.fields[t].max, None);
        assert_eq!(it.fields[t].aggregate, Aggregate::Collect);
        set_kind(&mut it, t, Kind::Table);
        assert_eq!(it.fields[t].columns.len(), 1);
        assert_eq!(it.fields[t].aggregate, Aggregate::Concat);
        add_column(&mut it.fields[t], "Số văn bản", Kind::Text);
        assert_eq!(it.fields[t].columns[1].id, "so_van_ban");
        set_kind(&mut it, t, Kind::Choice);
        assert!(it.fields[t].columns.is_empty());
        delete_field(&mut it, n);
        assert_eq!(it.fields[1].of.as_ref().unwrap()[0], "");
    }

    #[test]
    fn bullets_fields_and_columns_move_with_what_points_at_them() {
        let mut it = new_item(&blank("x", 2026), "Mục");
        add_bullet(&mut it, None, "Một");
        add_bullet(&mut it, None, "Hai");
        let f = add_field(&mut it, "Hai", Kind::Text);
        it.fields[f].bullet = Some(1);
        assert_eq!(move_bullet(&mut it, 1, true), Some(0));
        assert_eq!(it.guidance, ["Hai", "Một"]);
        assert_eq!(it.fields[f].bullet, Some(0));
        assert_eq!(move_bullet(&mut it, 0, true), None);
        assert_eq!(move_bullet(&mut it, 1, false), None);
        add_field(&mut it, "Số", Kind::Integer);
        assert_eq!(move_field(&mut it, 1, true), Some(0));
        assert_eq!(it.fields[0].id, "so");
        let t = add_field(&mut it, "Bảng", Kind::Table);
        add_column(&mut it.fields[t], "Ngày", Kind::Date);
        assert_eq!(move_column(&mut it.fields[t], 1, true), Some(0));
        assert_eq!(it.fields[t].columns[0].id, "ngay");
        let mut o = blank("x", 2026);
        add_unit_type(&mut o, "Tỉnh ủy", None);
        assert_eq!(move_unit_type(&mut o, 1, true), Some(0));
        assert_eq!(o.plan.unit_types[0].id, "tinh_uy");
    }

    #[test]
    fn bullets_keep_their_fields() {
        let mut it = new_item(&blank("x", 2026), "Mục");
        add_bullet(&mut it, None, "Một");
        add_bullet(&mut it, None, "Hai");
        let f = add_field(&mut it, "Hai", Kind::Text);
        it.fields[f].bullet = Some(1);
        add_bullet(&mut it, None, "Ba");
        assert_eq!(it.guidance, ["Một", "Hai", "Ba"]);
        assert_eq!(add_bullet(&mut it, Some(0), "Đầu"), 1);
        assert_eq!(it.fields[f].bullet, Some(2));
        delete_bullet(&mut it, 0);
        assert_eq!(it.fields[f].bullet, Some(1));
        delete_bullet(&mut it, 1);
        assert_eq!(it.fields[f].bullet, None);
    }

    #[test]
    fn two_and_three_level_plans_and_the_front_matter_follow() {
        let mut o = blank("thu", 2026);
        let t = add_unit_type(&mut o, "Tỉnh ủy", None);
        o.plan.unit_types[0].reports_to = Some(o.plan.unit_types[t].id.clone());
        sync_front(&mut o);
        let front = &o.items[0];
        assert_eq!(front.field("cap_tren").unwrap().optional_for, ["tinh_uy"]);
        let h = add_unit_type(&mut o, "Huyện ủy", Some("tinh_uy"));
        o.plan.unit_types[0].reports_to = Some(o.plan.unit_types[h].id.clone());
        let problems = check(&o);
        assert!(
            problems
                .iter()
                .all(|p| !p.path.starts_with("$.plan.unit_types")),
            "{problems:?}"
        );
        delete_unit_type(&mut o, h).unwrap();
        assert_eq!(o.plan.unit_types[0].reports_to.as_deref(), Some("tinh_uy"));
    }

    #[test]
    fn a_renamed_unit_type_is_followed_by_what_names_it() {
        let mut o = Outline::embedded().clone();
        let tinh = o
            .plan
            .unit_types
            .iter()
            .position(|u| u.id == "tinh")
            .unwrap();
        rename_unit_type(&mut o, tinh, "tinh_uy");
        assert!(check(&o).is_empty(), "{:?}", check(&o));
        let huyen = o.unit_type("huyen").unwrap();
        assert_eq!(huyen.reports_to.as_deref(), Some("tinh_uy"));
        let front = o.item("front").unwrap();
        assert_eq!(front.field("cap_tren").unwrap().optional_for, ["tinh_uy"]);
        assert!(
            front
                .field("co_quan")
                .unwrap()
                .examples
                .contains_key("tinh_uy")
        );
        // An id another type has: references stay where they were.
        let xa = o.plan.unit_types.iter().position(|u| u.id == "xa").unwrap();
        rename_unit_type(&mut o, xa, "huyen");
        assert_eq!(
            o.unit_type("khoi").unwrap().reports_to.as_deref(),
            Some("tinh_uy")
        );
        assert!(!check(&o).is_empty(), "a duplicate id");
        let front = o.item("front").unwrap();
        assert!(
            front.field("co_quan").unwrap().examples.contains_key("xa"),
            "kept"
        );
    }

    #[test]
    fn problems_are_placed_at_their_item() {
        assert_eq!(
            problem_item("$.items[1].items[0].fields[2].kind"),
            Some(vec![1, 0])
        );
        assert_eq!(problem_item("$.plan.date"), None);
        let mut o = small();
        item_mut(&mut o, &[1, 1]).unwrap().title.clear();
        let problems = check(&o);
        assert_eq!(problems_at(&problems, &[1, 1]).len(), 1);
        assert!(problems_at(&problems, &[1]).is_empty());
    }

    #[test]
    fn versions_count_up() {
        assert_eq!(next_version("2"), "3");
        assert_eq!(next_version("1.9"), "1.10");
        assert_eq!(next_version("ban-a"), "ban-a.1");
        assert_eq!(next_version(""), "1");
        assert_eq!(outline_id("Đề cương 2026"), "de-cuong-2026");
    }
}
