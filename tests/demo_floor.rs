//! The demo generator stands on `domain` alone, and the store (which builds
//! the demo database, `store::demo`) reaches no floor above it: a store test
//! that fills a store with the demo needs no `io`, `tui` or `cli`.

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
