//! Finding text across a unit's answers and, at a parent, every child's:
//! without regard to diacritics or case ("quan triet" finds "quán triệt").

use crate::outline::Outline;
use crate::report::Answers;
use crate::vi::fold::find_folded_first;
use crate::workspace::Workspace;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub unit_code: String,
    pub unit_name: String,
    pub item: String,
    pub field: String,
    /// The matching text with some context around it, on one line.
    pub text: String,
    /// Whether the hit is in the unit's own answers (else a child's).
    pub own: bool,
}

/// Characters of context kept on each side of a match.
const CONTEXT: usize = 40;

/// One line around the first match, cut at characters, marked with «».
fn snippet(text: &str, range: std::ops::Range<usize>) -> String {
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
    let s = format!("{lead}{before}«{}»{after}{tail}", &text[range]);
    crate::text::printable(&s.replace('\n', " "), false)
}

/// Every string of one unit's answers that holds the query.
fn search_answers(
    outline: &Outline,
    answers: &Answers,
    query: &str,
    code: &str,
    name: &str,
    own: bool,
    out: &mut Vec<Hit>,
) {
    for e in outline.entries() {
        let Some(fields) = answers.get(&e.item.id) else {
            continue;
        };
        for f in &e.item.fields {
            let Some(v) = fields.get(&f.id) else { continue };
            let mut texts: Vec<&str> = Vec::new();
            match v {
                Value::String(s) => texts.push(s),
                Value::Array(rows) => {
                    for row in rows.iter().filter_map(Value::as_object) {
                        texts.extend(
                            row.iter()
                                .filter(|(k, _)| !k.starts_with('_'))
                                .filter_map(|(_, c)| c.as_str()),
                        );
                    }
                }
                _ => {}
            }
            for t in texts {
                if let Some(r) = find_folded_first(t, query) {
                    out.push(Hit {
                        unit_code: code.to_string(),
                        unit_name: name.to_string(),
                        item: e.item.id.clone(),
                        field: f.id.clone(),
                        text: snippet(t, r),
                        own,
                    });
                }
            }
        }
    }
}

/// The unit's own answers first, then each child's, in outline order.
pub fn search(ws: &Workspace, query: &str) -> Vec<Hit> {
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
        &me.code,
        &me.name,
        true,
        &mut out,
    );
    let mut children: Vec<_> = ws.children.iter().collect();
    children.sort_by(|a, b| crate::vi::fold::cmp_vi(&a.package.unit.name, &b.package.unit.name));
    for c in children {
        let u = &c.package.unit;
        search_answers(
            &ws.outline,
            &c.package.answers,
            query,
            &u.code,
            &u.name,
            false,
            &mut out,
        );
    }
    out
}
