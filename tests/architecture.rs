//! The layers hold: the core knows nothing of terminals or of the command
//! line, the UI never calls into the command line, and the core's modules
//! depend on each other in one direction only, in the order the README
//! gives (text and numbers → outline → validate → report → merge, package,
//! store → workspace → render → the command line and the UI).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of `src/` and its level: a module may use those
/// of its own level or below, never above.
const LEVELS: &[(&str, usize)] = &[
    ("i18n", 0),
    ("error", 0),
    ("file", 0),
    ("text", 0),
    ("vnfmt", 0),
    ("canonical", 0),
    ("keys", 0),
    ("kind", 0),
    ("vi", 0),
    ("outline", 1),
    ("unit", 1),
    ("approval", 2),
    ("validate", 2),
    ("report", 3),
    ("receipt", 3),
    ("merge", 4),
    ("package", 4),
    ("store", 4),
    ("settings", 4),
    ("workspace", 5),
    ("render", 6),
    ("office", 6),
    ("search", 6),
    ("demo", 6),
    ("tui", 7),
    ("cli", 8),
];

/// Crates only the edges may use.
const EDGE_CRATES: &[&str] = &["ratatui", "crossterm", "clap"];

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Source text without comments, string contents and test modules: what
/// the compiler sees as paths.
fn code_of(src: &str) -> String {
    let src = src.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = String::with_capacity(src.len());
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                // Skip the string (escapes included); raw strings here
                // hold no quotes that matter.
                let mut escaped = false;
                for d in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            c => out.push(c),
        }
    }
    out
}

fn ident_at(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The modules of this crate a piece of code names (`crate::x::…` and
/// `use crate::{x, y::z}`), and the edge crates it names.
fn references(code: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut modules = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Each comma-separated path at the group's top level.
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        modules.insert(ident_at(&group[i..]));
                    }
                    _ => {}
                }
            }
        } else {
            modules.insert(ident_at(rest));
        }
    }
    let mut crates = BTreeSet::new();
    for krate in EDGE_CRATES {
        for (at, _) in code.match_indices(krate) {
            let before = code[..at].chars().next_back();
            let after = &code[at + krate.len()..];
            let starts_path = before.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
            if starts_path && (after.starts_with("::") || after.starts_with(';')) {
                crates.insert(krate.to_string());
            }
        }
    }
    (modules, crates)
}

/// The graph of top-level modules from `(relative path, source)` pairs.
fn graph(files: &[(String, String)]) -> (Graph, BTreeMap<String, BTreeSet<String>>) {
    let mut uses = Graph::new();
    let mut crates = BTreeMap::new();
    for (path, src) in files {
        let top = path
            .trim_end_matches(".rs")
            .split('/')
            .next()
            .unwrap_or("")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let (m, c) = references(&code_of(src));
        let entry = uses.entry(top.clone()).or_default();
        entry.extend(m.into_iter().filter(|x| *x != top));
        crates.entry(top).or_insert_with(BTreeSet::new).extend(c);
    }
    (uses, crates)
}

/// Every rule the layout breaks, in words.
fn violations(files: &[(String, String)]) -> Vec<String> {
    let level: BTreeMap<&str, usize> = LEVELS.iter().copied().collect();
    let (uses, crates) = graph(files);
    let mut out = Vec::new();
    for (module, deps) in &uses {
        let Some(&own) = level.get(module.as_str()) else {
            out.push(format!("src/{module} is not in LEVELS: give it a place"));
            continue;
        };
        for d in deps {
            // Macros exported at the crate root (t!, tl!, coded!, …).
            let Some(&theirs) = level.get(d.as_str()) else {
                continue;
            };
            if theirs > own {
                out.push(format!("{module} (level {own}) uses {d} (level {theirs})"));
            }
        }
        let edge = module == "tui" || module == "cli";
        for c in crates.get(module).into_iter().flatten() {
            if !edge {
                out.push(format!("the core module {module} uses the crate {c}"));
            }
        }
    }
    // No cycles, within a level either.
    for (module, deps) in &uses {
        for d in deps {
            let mut seen = BTreeSet::new();
            let mut stack = vec![d.clone()];
            while let Some(x) = stack.pop() {
                if x == *module {
                    out.push(format!("{module} and {d} depend on each other"));
                    break;
                }
                if seen.insert(x.clone()) {
                    stack.extend(uses.get(&x).into_iter().flatten().cloned());
                }
            }
        }
    }
    out
}

fn sources(dir: &Path, prefix: &str, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        if entry.file_type().unwrap().is_dir() {
            sources(&entry.path(), &format!("{rel}/"), out);
        } else if name.ends_with(".rs") {
            out.push((rel, std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
}

#[test]
fn the_layers_hold() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        "",
        &mut files,
    );
    assert!(files.len() > 20, "read the sources");
    let (uses, _) = graph(&files);
    // The checker sees what is there: the UI uses the workspace.
    assert!(uses["tui"].contains("workspace"), "{uses:#?}");
    let found = violations(&files);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The checker itself catches each kind of breakage.
#[test]
fn the_checker_catches_a_core_module_using_the_ui_or_a_cycle() {
    let file = |p: &str, s: &str| (p.to_string(), s.to_string());
    let ok = vec![
        file(
            "store.rs",
            "use crate::report::Report;\nuse crate::error::{IoError, io};",
        ),
        file("report.rs", "use crate::outline::Outline;"),
        file(
            "outline.rs",
            "// crate::tui in a comment is no use\nlet s = \"crate::cli\";",
        ),
    ];
    assert_eq!(violations(&ok), Vec::<String>::new());
    let ui = vec![file("store.rs", "fn f() { crate::tui::run(); }")];
    assert_eq!(violations(&ui), vec!["store (level 4) uses tui (level 7)"]);
    let grouped = vec![file("workspace/mod.rs", "use crate::{report, cli::Ctx};")];
    assert_eq!(
        violations(&grouped),
        vec!["workspace (level 5) uses cli (level 8)"]
    );
    let terminal = vec![file("render/mod.rs", "use ratatui::Frame;")];
    assert_eq!(
        violations(&terminal),
        vec!["the core module render uses the crate ratatui"]
    );
    let tui_cli = vec![file("tui/app.rs", "use crate::cli::Ctx;")];
    assert_eq!(
        violations(&tui_cli),
        vec!["tui (level 7) uses cli (level 8)"]
    );
    let cycle = vec![
        file("merge.rs", "use crate::package::Package;"),
        file("package.rs", "use crate::merge::Source;"),
    ];
    assert_eq!(
        violations(&cycle),
        vec![
            "merge and package depend on each other",
            "package and merge depend on each other"
        ]
    );
    let stranger = vec![file("newthing.rs", "")];
    assert_eq!(
        violations(&stranger),
        vec!["src/newthing is not in LEVELS: give it a place"]
    );
}
