//! The floors of docs/architecture.md, checked on the source: each folder
//! names only the floors below it (`domain` ← `config`/`demo` ← `store` ←
//! `io` ← `tui` ← `cli`), and inside the TUI no screen names the app, the
//! frame or another screen. The demo generator stands on `domain` alone, so a
//! store test that fills a store with the demo needs no `io`, `tui` or `cli`.

use std::path::Path;

/// Every `crate::<module>` a source file names, with the file.
fn crate_paths(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            crate_paths(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("crate::") {
                let module: String = text[at + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push((path.display().to_string(), module));
            }
        }
    }
}

fn uses_outside(dir: &str, allowed: &[&str]) -> Vec<(String, String)> {
    let mut all = Vec::new();
    crate_paths(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut all);
    assert!(!all.is_empty(), "{dir} names no crate path");
    all.into_iter()
        .filter(|(_, module)| !allowed.contains(&module.as_str()))
        .collect()
}

#[test]
fn the_demo_uses_the_domain_only() {
    assert_eq!(uses_outside("src/demo", &["domain", "demo"]), Vec::new());
}

#[test]
fn the_store_uses_no_floor_above_it() {
    let above = uses_outside("src/store", &["domain", "config", "demo", "store"]);
    assert_eq!(above, Vec::new());
}

#[test]
fn the_domain_uses_nothing_but_itself() {
    assert_eq!(uses_outside("src/domain", &["domain"]), Vec::new());
}

#[test]
fn the_config_uses_the_domain_only() {
    assert_eq!(uses_outside("src/config", &["domain", "config"]), Vec::new());
}

#[test]
fn io_uses_no_floor_above_it() {
    let above = uses_outside("src/io", &["domain", "config", "store", "io", "identity"]);
    assert_eq!(above, Vec::new());
}

#[test]
fn the_tui_does_not_reach_the_cli() {
    let above = uses_outside(
        "src/tui",
        &["domain", "config", "store", "io", "tui", "identity", "paths", "logging"],
    );
    assert_eq!(above, Vec::new());
}

/// Every `crate::tui::<module>` (and `super::…` at the screens' top) a screen names.
#[test]
fn no_screen_names_the_app_the_frame_or_another_screen() {
    let screens = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui/screens");
    let mut files = Vec::new();
    collect(&screens, &mut files);
    assert!(!files.is_empty());
    let mut bad = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let rel = file.strip_prefix(&screens).unwrap().display().to_string();
        let own = rel.split(['/', '.']).next().unwrap().to_string();
        for name in ["crate::tui::app", "crate::tui::view", "super::super::"] {
            if text.contains(name) {
                bad.push((rel.clone(), name.to_string()));
            }
        }
        for other in ["queue", "workspace", "board", "overview", "results"] {
            let path = format!("crate::tui::screens::{other}");
            if other != own && text.contains(&path) {
                bad.push((rel.clone(), path));
            }
        }
    }
    assert_eq!(bad, Vec::<(String, String)>::new());
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
