//! The backend's modules form layers that point one way: a module of `backend/src` uses
//! (`crate::…`) modules of its own layer and of the layers below it, never one above, and
//! the modules of one layer do not use each other in a circle.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every top-level module of `backend/src`, by layer, lowest first. Items of the crate root
/// (`crate::app`) count as `lib`.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "shared",
        &[
            "error",
            "http",
            "db",
            "audit",
            "telemetry",
            "cli",
            "text",
            "access_changes",
            "metrics",
            "mail",
        ],
    ),
    ("auth", &["auth"]),
    // The real-time core knows no feature: they plug into it (`realtime/feature.rs`).
    ("real-time core", &["realtime"]),
    (
        "features",
        &[
            "profiles",
            "conference",
            "private_rooms",
            "notifications",
            "chat",
            "announcements",
            "panels",
            "awards",
            "workshops",
            "registrations",
        ],
    ),
    (
        "application",
        &[
            "lib",
            "state",
            "server",
            "api_doc",
            "admin",
            "demo",
            "web",
            "monitoring",
        ],
    ),
];

/// `crate::<module>` used by a file, at a line.
#[derive(Debug, PartialEq)]
struct Use {
    line: usize,
    module: String,
}

#[test]
fn lower_layers_never_use_higher_ones() {
    let layer_of = layer_table();
    let mut broken = Vec::new();
    for (file, module) in source_files() {
        let Some(&own) = layer_of.get(module.as_str()) else {
            continue; // unplaced: `every_module_has_a_layer` reports it
        };
        for used in crate_uses(&fs::read_to_string(&file).unwrap()) {
            let allowed = layer_of
                .get(used.module.as_str())
                .is_none_or(|&layer| layer <= own);
            if !allowed {
                broken.push(format!(
                    "{}:{}: {module} ({}) uses crate::{} ({})",
                    relative(&file),
                    used.line,
                    LAYERS[own].0,
                    used.module,
                    layer_of
                        .get(used.module.as_str())
                        .map_or("unplaced", |&layer| LAYERS[layer].0),
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "a module uses a layer above its own:\n{}",
        broken.join("\n")
    );
}

#[test]
fn modules_of_one_layer_do_not_use_each_other_in_a_circle() {
    let layer_of = layer_table();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, module) in source_files() {
        let Some(own) = layer_of.get(module.as_str()) else {
            continue;
        };
        for used in crate_uses(&fs::read_to_string(&file).unwrap()) {
            if used.module != module && layer_of.get(used.module.as_str()) == Some(own) {
                edges.entry(module.clone()).or_default().insert(used.module);
            }
        }
    }
    for start in edges.keys() {
        if let Some(circle) = path_back_to(start, start, &edges, &mut vec![start.clone()]) {
            panic!(
                "modules use each other in a circle: {}",
                circle.join(" -> ")
            );
        }
    }
}

#[test]
fn every_module_has_a_layer() {
    let layer_of = layer_table();
    let modules: BTreeSet<String> = source_files().into_iter().map(|(_, m)| m).collect();
    let unplaced: Vec<&String> = modules
        .iter()
        .filter(|m| !layer_of.contains_key(m.as_str()))
        .collect();
    assert!(
        unplaced.is_empty(),
        "give these modules a layer in LAYERS: {unplaced:?}"
    );
    let vanished: Vec<&&str> = layer_of.keys().filter(|m| !modules.contains(**m)).collect();
    assert!(
        vanished.is_empty(),
        "LAYERS names no such module: {vanished:?}"
    );
}

#[test]
fn crate_paths_are_found_in_every_form() {
    let source = r#"
use crate::error::AppError;
// use crate::commented_out;
use crate::{
    auth::AuthUser,
    http::{AppJson, Site},
};
    let x = crate::profiles::load(&db, id).await?;
    /// [`crate::documented`] is a link, not a use.
"#;
    let at = |line, module: &str| Use {
        line,
        module: module.to_owned(),
    };
    assert_eq!(
        crate_uses(source),
        [
            at(2, "error"),
            at(5, "auth"),
            at(6, "http"),
            at(8, "profiles")
        ]
    );
}

/// Module name → index of its layer in `LAYERS`.
fn layer_table() -> BTreeMap<&'static str, usize> {
    LAYERS
        .iter()
        .enumerate()
        .flat_map(|(index, (_, modules))| modules.iter().map(move |m| (*m, index)))
        .collect()
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn relative(file: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    file.strip_prefix(root).unwrap().display().to_string()
}

/// Every `.rs` file of the library with its top-level module (`auth/routes.rs` → `auth`,
/// `lib.rs` → `lib`). `main.rs` is the binary, another crate: its `crate::` is itself.
fn source_files() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for entry in fs::read_dir(src()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            for file in rust_files_under(&path) {
                files.push((file, name.clone()));
            }
        } else if path.extension().is_some_and(|e| e == "rs") && name != "main" {
            files.push((path, name));
        }
    }
    files.sort();
    files
}

fn rust_files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files_under(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The top-level modules a source text names after `crate::`, outside comments, including
/// each branch of a grouped `use crate::{a::…, b};`. A name that is no module of `src` is an
/// item of the crate root, reported as `lib`.
fn crate_uses(source: &str) -> Vec<Use> {
    let modules = module_names();
    let code: Vec<&str> = source
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("//") {
                ""
            } else {
                line
            }
        })
        .collect();
    let text = code.join("\n");
    let line_at = |offset: usize| text[..offset].matches('\n').count() + 1;
    let name_at = |offset: usize| -> String {
        let name: String = text[offset..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if modules.contains(&name) {
            name
        } else {
            "lib".to_owned()
        }
    };
    let mut uses = Vec::new();
    for (start, _) in text.match_indices("crate::") {
        let after = start + "crate::".len();
        if !text[after..].starts_with('{') {
            uses.push(Use {
                line: line_at(after),
                module: name_at(after),
            });
            continue;
        }
        // A group: the first name of each branch at depth one.
        let mut depth = 0;
        let mut expecting_name = false;
        for (offset, c) in text[after..].char_indices() {
            let at = after + offset;
            match c {
                '{' => {
                    depth += 1;
                    expecting_name = depth == 1;
                }
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                ',' if depth == 1 => expecting_name = true,
                c if expecting_name && (c.is_alphanumeric() || c == '_') => {
                    expecting_name = false;
                    uses.push(Use {
                        line: line_at(at),
                        module: name_at(at),
                    });
                }
                _ => {}
            }
        }
    }
    uses
}

/// The names of the top-level modules of `src`: its `.rs` files and folders.
fn module_names() -> BTreeSet<String> {
    fs::read_dir(src())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// A path of same-layer uses from `from` back to `target`, if there is one.
fn path_back_to(
    target: &str,
    from: &str,
    edges: &BTreeMap<String, BTreeSet<String>>,
    seen: &mut Vec<String>,
) -> Option<Vec<String>> {
    for next in edges.get(from).into_iter().flatten() {
        if next == target {
            let mut circle = seen.clone();
            circle.push(next.clone());
            return Some(circle);
        }
        if !seen.contains(next) {
            seen.push(next.clone());
            if let Some(circle) = path_back_to(target, next, edges, seen) {
                return Some(circle);
            }
            seen.pop();
        }
    }
    None
}
