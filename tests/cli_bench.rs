//! `jixiao bench` is built only with the `bench` cargo feature: the
//! reviewer's binary neither lists nor runs it, and says how to build it;
//! with the feature it is listed and takes its documented flags.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn jixiao(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .env("JIXIAO_DATA_DIR", data_dir)
        .env("JIXIAO_CONFIG_DIR", data_dir.join("no-config"))
        .env_remove("JIXIAO_DB")
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(not(feature = "bench"))]
#[test]
fn without_the_feature_bench_is_not_listed_and_says_how_to_build_it() {
    let dir = tempfile::tempdir().unwrap();
    let help = text(&jixiao(dir.path(), &["--help"]).stdout);
    assert!(help.contains("demo") && !help.contains("bench"), "{help}");
    for args in [
        &["bench"][..],
        &["bench", "--scale", "1", "--runs", "3", "--only", "import,keys"],
        &["bench", "--help"],
    ] {
        let out = jixiao(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("未包含性能测量") && err.contains("cargo run --release --features bench -- bench"),
            "{args:?}: {err}"
        );
    }
    // Nothing was measured or written.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[cfg(feature = "bench")]
#[test]
fn with_the_feature_bench_is_listed_with_its_flags() {
    let dir = tempfile::tempdir().unwrap();
    let help = text(&jixiao(dir.path(), &["--help"]).stdout);
    assert!(help.contains("bench"), "{help}");
    let help = text(&jixiao(dir.path(), &["bench", "--help"]).stdout);
    for flag in ["--scale", "--runs", "--only", "--out", "--dir"] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
    let out = jixiao(dir.path(), &["bench", "--only", "nothing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--only 可选"), "{}", text(&out.stderr));
}
