//! Finding text across a unit's answers and, at a parent, every child's,
//! and the units embedded in the children's packages (a province's
//! communes, inside their districts): without regard to diacritics or case
//! ("quan triet" finds "quán triệt").

use crate::outline::Outline;
use crate::package::Package;
use crate::report::Answers;
use crate::vi::fold::find_folded_first;
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A unit a hit's unit came through: the child whose package embeds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Via {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub unit_code: String,
    pub unit_name: String,
    /// The packages it came inside, from this unit's child down: empty for
    /// the unit itself and its children, `[district]` for a commune at a
    /// province.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<Via>,
    pub item: String,
    /// The item as people say it: its number and title ("A.I.1 Hình thức…").
    pub item_label: String,
    pub field: String,
    /// The field's label.
    pub field_label: String,
    /// The matching text with some context around it, on one line, the
    /// match marked with «».
    pub text: String,
    /// The same snippet in three parts, for showing the match highlighted.
    pub before: String,
    pub matched: String,
    pub after: String,
    /// Where the match starts in the answer's text, in characters (for a
    /// table, in the cell's text).
    pub offset: usize,
    /// For a table: the row the match is in, and the column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Whether the hit is in the unit's own answers (else a child's).
    pub own: bool,
}

impl Hit {
    /// Where it is, as people read it: "A.I.1 Hình thức quán triệt — Hình
    /// thức tổ chức".
    pub fn place(&self) -> String {
        format!("{} — {}", self.item_label, self.field_label)
    }

    /// The unit, with the units it came through: "Xã Phú Lâm (Huyện ủy
    /// Tân Phú)".
    pub fn unit(&self) -> String {
        match self.via.last() {
            Some(v) => format!("{} ({})", self.unit_name, v.name),
            None => self.unit_name.clone(),
        }
    }
}

/// Characters of context kept on each side of a match.
const CONTEXT: usize = 40;

/// The text around a match, cut at characters, on one line: before, the
/// match, after (with "…" where cut).
fn snippet(text: &str, range: std::ops::Range<usize>) -> (String, String, String) {
    let clean = |s: &str| crate::text::printable(&s.replace('\n', " "), false);
    let before: String = text[..range.start]
        .chars()
        .rev()
        .take(CONTEXT)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text[range.end..].chars().take(CONTEXT).collect();
    let lead = if before.len() < range.start {
        "…"
    } else {
        ""
    };
    let tail = if range.end + after.len() < text.len() {
        "…"
    } else {
        ""
    };
    (
        format!("{lead}{}", clean(&before)),
        clean(&text[range]),
        format!("{}{tail}", clean(&after)),
    )
}

/// Whose answers are searched.
struct Whose<'a> {
    code: &'a str,
    name: &'a str,
    via: &'a [Via],
    own: bool,
}

/// Every string of one unit's answers that holds the query.
fn search_answers(
    outline: &Outline,
    answers: &Answers,
    query: &str,
    who: &Whose,
    out: &mut Vec<Hit>,
) {
    for e in outline.entries() {
        let Some(fields) = answers.get(&e.item.id) else {
            continue;
        };
        let item_label = match outline.full_number(&e.item.id).as_str() {
            "" => e.item.title.clone(),
            n => format!("{n} {}", e.item.title),
        };
        for f in &e.item.fields {
            let Some(v) = fields.get(&f.id) else { continue };
            let mut texts: Vec<(Option<(usize, &str)>, &str)> = Vec::new();
            match v {
                Value::String(s) => texts.push((None, s)),
                Value::Array(rows) => {
                    for (n, row) in rows.iter().enumerate() {
                        let Some(row) = row.as_object() else { continue };
                        // In the table's column order, not the keys'.
                        texts.extend(f.columns.iter().filter_map(|c| {
                            let s = row.get(&c.id)?.as_str()?;
                            Some((Some((n, c.id.as_str())), s))
                        }));
                    }
                }
                _ => {}
            }
            for (cell, t) in texts {
                if let Some(r) = find_folded_first(t, query) {
                    let offset = t[..r.start].chars().count();
                    let (before, matched, after) = snippet(t, r);
                    out.push(Hit {
                        unit_code: who.code.to_string(),
                        unit_name: who.name.to_string(),
                        via: who.via.to_vec(),
                        item: e.item.id.clone(),
                        item_label: crate::text::printable(&item_label, false),
                        field: f.id.clone(),
                        field_label: crate::text::printable(&f.label, false),
                        text: format!("{before}«{matched}»{after}"),
                        before,
                        matched,
                        after,
                        offset,
                        row: cell.map(|(n, _)| n),
                        column: cell.map(|(_, c)| c.to_string()),
                        own: who.own,
                    });
                }
            }
        }
    }
}

/// A unit embedded in a child's package, with the units it came through.
type Inside = (Vec<Via>, Package);

/// The units embedded in the children's packages (a province's communes,
/// inside their districts), read once for a run of searches: reading them
/// again for every key typed would take longer than the search itself.
#[derive(Debug, Default)]
pub struct Embedded {
    /// By child: its code and checksum, and the units inside its package,
    /// depth first, each with the units it came through.
    by_child: Vec<(String, String, Vec<Inside>)>,
}

impl Embedded {
    pub fn of(ws: &Workspace) -> Embedded {
        Embedded {
            by_child: ws
                .children
                .iter()
                .filter(|c| !c.package.children.is_empty())
                .map(|c| {
                    let p = &c.package;
                    (p.unit.code.clone(), p.checksum.clone(), inside(p))
                })
                .collect(),
        }
    }

    /// The units inside this child's package, if read already from the
    /// same package.
    fn of_child(&self, p: &Package) -> Option<&[Inside]> {
        self.by_child
            .iter()
            .find(|(code, sum, _)| *code == p.unit.code && *sum == p.checksum)
            .map(|(.., units)| units.as_slice())
    }
}

/// The units embedded in a package at any depth, in Vietnamese order of
/// names at each level, each followed by those inside it.
fn inside(p: &Package) -> Vec<Inside> {
    fn walk(values: &[Value], via: &mut Vec<Via>, out: &mut Vec<Inside>) {
        let mut units: Vec<Package> = values
            .iter()
            .filter_map(|v| Package::deserialize(v).ok())
            .collect();
        units.sort_by(|a, b| crate::vi::fold::cmp_vi(&a.unit.name, &b.unit.name));
        for mut u in units {
            crate::report::normalize(&mut u.answers);
            // Kept without the packages inside it: those are read next.
            let below = std::mem::take(&mut u.children);
            let me = Via {
                code: u.unit.code.clone(),
                name: u.unit.name.clone(),
            };
            out.push((via.clone(), u));
            if !below.is_empty() && via.len() < crate::package::MAX_DEPTH {
                via.push(me);
                walk(&below, via, out);
                via.pop();
            }
        }
    }
    let mut out = Vec::new();
    let mut via = vec![Via {
        code: p.unit.code.clone(),
        name: p.unit.name.clone(),
    }];
    walk(&p.children, &mut via, &mut out);
    out
}

/// The unit's own answers first, then each child's, in outline order, each
/// child followed by the units embedded in its package.
pub fn search(ws: &Workspace, query: &str) -> Vec<Hit> {
    search_with(ws, &Embedded::default(), query)
}

/// The same, with the embedded units read already (see [`Embedded`]).
pub fn search_with(ws: &Workspace, embedded: &Embedded, query: &str) -> Vec<Hit> {
    let query = query.trim();
    let mut out = Vec::new();
    if query.is_empty() {
        return out;
    }
    let me = &ws.report.unit;
    search_answers(
        &ws.outline,
        &ws.report.answers,
        query,
        &Whose {
            code: &me.code,
            name: &me.name,
            via: &[],
            own: true,
        },
        &mut out,
    );
    let mut children: Vec<_> = ws.children.iter().collect();
    children.sort_by(|a, b| crate::vi::fold::cmp_vi(&a.package.unit.name, &b.package.unit.name));
    for c in children {
        let p = &c.package;
        search_answers(
            &ws.outline,
            &p.answers,
            query,
            &Whose {
                code: &p.unit.code,
                name: &p.unit.name,
                via: &[],
                own: false,
            },
            &mut out,
        );
        if p.children.is_empty() {
            continue;
        }
        let read;
        let units = match embedded.of_child(p) {
            Some(units) => units,
            None => {
                read = inside(p);
                &read[..]
            }
        };
        for (via, u) in units {
            search_answers(
                &ws.outline,
                &u.answers,
                query,
                &Whose {
                    code: &u.unit.code,
                    name: &u.unit.name,
                    via,
                    own: false,
                },
                &mut out,
            );
        }
    }
    out
}
