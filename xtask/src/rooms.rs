//! `cargo xtask rooms`: the house rules a reviewer would otherwise check by hand.
//!
//! * Rooms stay small: no hand-written Rust file of the workspace is over [`MAX_LINES`] lines
//!   (generated files, such as `codegen/golden.rs`, are exempt).
//! * The import map of the SDK's hand-written modules (`src/`, one node per top-level module)
//!   has no circle. An edge is a `crate::module` path in code (doc links and comments are not
//!   code, and `#[cfg(test)] mod` blocks are left out), or a name the crate root re-exports from
//!   a module (`crate::Error` is `error`). The generated client (`src/generated.rs`, which
//!   includes the build's output) is a node like the others: its code reaches the hand-written
//!   layer through `src/runtime.rs` only, which nothing hand-written imports back.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The most lines a hand-written Rust file may have.
pub const MAX_LINES: usize = 600;

/// Files written by a tool, not by hand.
const GENERATED: &[&str] = &["codegen/golden.rs"];

pub fn run(root: &Path) -> Result<(), String> {
    let mut problems = large_files(root)?;
    let map = import_map(&root.join("src"))?;
    for cycle in cycles(&map) {
        problems.push(format!("import circle in src/: {}", cycle.join(" -> ")));
    }
    if !problems.is_empty() {
        return Err(format!("house rules:\n  {}", problems.join("\n  ")));
    }
    let edges: usize = map.values().map(BTreeSet::len).sum();
    println!(
        "rooms OK: no hand-written Rust file over {MAX_LINES} lines; src/ import map of {} modules and {edges} edges has no circle",
        map.len()
    );
    Ok(())
}

/// Every hand-written `.rs` file the repository tracks that is over the limit.
fn large_files(root: &Path) -> Result<Vec<String>, String> {
    let out = std::process::Command::new("git")
        .current_dir(root)
        .args(["ls-files", "-z", "*.rs"])
        .output()
        .map_err(|e| format!("git ls-files: {e}"))?;
    let mut problems = Vec::new();
    for rel in String::from_utf8_lossy(&out.stdout).split('\0') {
        if rel.is_empty() || GENERATED.contains(&rel) {
            continue;
        }
        let text = std::fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: {e}"))?;
        let lines = text.lines().count();
        if lines > MAX_LINES {
            problems.push(format!("{rel}: {lines} lines (at most {MAX_LINES})"));
        }
    }
    Ok(problems)
}

/// Top-level module → the top-level modules it names.
fn import_map(src: &Path) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let mut files = Vec::new();
    walk(src, &mut files)?;
    let mut used: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let rel = file.strip_prefix(src).expect("below src");
        let first = rel.components().next().expect("a file").as_os_str();
        let module = first.to_string_lossy().trim_end_matches(".rs").to_owned();
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let tokens: TokenStream = text
            .parse()
            .map_err(|e| format!("{}: {e:?}", file.display()))?;
        let names = used.entry(module).or_default();
        crate_paths(tokens, names);
    }
    // Names the crate root re-exports stand for their module.
    let root_file = std::fs::read_to_string(src.join("lib.rs")).map_err(|e| e.to_string())?;
    let aliases = reexports(&root_file);
    let modules: BTreeSet<String> = used.keys().cloned().collect();
    let mut map = BTreeMap::new();
    for (module, names) in used {
        if module == "lib" {
            continue;
        }
        let targets = names
            .iter()
            .map(|n| aliases.get(n).cloned().unwrap_or_else(|| n.clone()))
            .filter(|n| n != &module && n != "lib" && modules.contains(n))
            .collect();
        map.insert(module, targets);
    }
    Ok(map)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

/// The first segment after each `crate::` in code (`crate::{a, b::c}` names `a` and `b`),
/// leaving out `#[cfg(test)] mod … { … }` blocks.
fn crate_paths(tokens: TokenStream, names: &mut BTreeSet<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        if is_cfg_test(&tokens, i) {
            // `#` `[cfg(test)]` `mod` name `{ … }`: skip the whole module.
            if matches!(tokens.get(i + 2), Some(TokenTree::Ident(m)) if m == "mod") {
                i += 5;
                continue;
            }
        }
        match &tokens[i] {
            TokenTree::Group(g) => crate_paths(g.stream(), names),
            TokenTree::Ident(id) if id == "crate" && path_sep(&tokens, i + 1) => {
                match tokens.get(i + 3) {
                    Some(TokenTree::Ident(name)) => {
                        names.insert(name.to_string());
                    }
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                        group_heads(g.stream(), names);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// The first identifier of each comma-separated part of a `use` group.
fn group_heads(tokens: TokenStream, names: &mut BTreeSet<String>) {
    let mut at_start = true;
    for token in tokens {
        match &token {
            TokenTree::Ident(id) if at_start => {
                names.insert(id.to_string());
                at_start = false;
            }
            TokenTree::Punct(p) if p.as_char() == ',' => at_start = true,
            _ => at_start = false,
        }
    }
}

fn path_sep(tokens: &[TokenTree], i: usize) -> bool {
    matches!(
        (tokens.get(i), tokens.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':'
    )
}

fn is_cfg_test(tokens: &[TokenTree], i: usize) -> bool {
    matches!(
        (tokens.get(i), tokens.get(i + 1)),
        (Some(TokenTree::Punct(p)), Some(TokenTree::Group(g)))
            if p.as_char() == '#' && g.delimiter() == Delimiter::Bracket
                && g.stream().to_string().replace(' ', "") == "cfg(test)"
    )
}

/// `pub use module::{A, B};` of the crate root: each name → its module.
fn reexports(root: &str) -> BTreeMap<String, String> {
    let mut aliases = BTreeMap::new();
    for line in root.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        for item in items.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if !item.is_empty() && item != "self" {
                aliases.insert(item.to_owned(), module.to_owned());
            }
        }
    }
    aliases
}

/// The circles of the map (strongly connected groups of more than one module, or a module
/// naming itself), each as a path that closes on its first module.
fn cycles(map: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Tarjan's algorithm; the map is small, recursion is fine.
    struct State<'a> {
        map: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        for w in s.map.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.stack.contains(&w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                group.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                let first = group[0].clone();
                group.push(first);
                s.found.push(group);
            }
        }
    }
    let mut state = State {
        map,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in map.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(code: &str) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        crate_paths(code.parse().unwrap(), &mut names);
        names
    }

    #[test]
    fn paths_in_code_count_and_docs_and_tests_do_not() {
        let code = "/// See [`x`](crate::docs_only).\n\
                    use crate::{config::Inner, Error};\n\
                    fn f() { crate::json::from_slice(b\"\"); }\n\
                    #[cfg(test)] mod tests { use crate::testing; }";
        let found: Vec<_> = names(code).into_iter().collect();
        assert_eq!(found, ["Error", "config", "json"]);
    }

    #[test]
    fn circles_are_found() {
        let map: BTreeMap<String, BTreeSet<String>> = [
            ("a", vec!["b"]),
            ("b", vec!["c"]),
            ("c", vec!["a"]),
            ("d", vec!["a"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
        .collect();
        assert_eq!(cycles(&map), [["a", "b", "c", "a"]]);
        let mut acyclic = map.clone();
        acyclic.get_mut("c").unwrap().clear();
        assert!(cycles(&acyclic).is_empty());
    }
}
