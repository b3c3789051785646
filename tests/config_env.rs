//! `JIXIAO_CONFIG_DIR` moves the user file. Its own test binary, because it
//! changes the process environment.

use jixiao::config::{CONFIG_DIR_ENV, Config, user_config_dir};
use rust_decimal::dec;

#[test]
fn the_env_var_overrides_the_user_config_dir() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[display]\nmoney_decimals = 3\n[self_eval]\nscore_margin = \"3\"\n",
    )
    .unwrap();
    // SAFETY: the only test in this binary, so no other thread reads the environment.
    unsafe { std::env::set_var(CONFIG_DIR_ENV, dir.path()) };
    assert_eq!(user_config_dir().as_deref(), Some(dir.path()));
    let loaded = Config::load(None).unwrap();
    assert_eq!(loaded.sources, vec![dir.path().join("config.toml")]);
    assert_eq!(loaded.config.display.money_decimals, 3);
    // A rule of the bureau is not the user's to set: ignored, and named.
    assert_eq!(loaded.config.rules.self_eval.score_margin, dec!(5));
    let ignored: Vec<(String, Option<usize>)> = loaded.ignored.iter().map(|i| (i.key.clone(), i.line)).collect();
    assert_eq!(ignored, vec![("self_eval.score_margin".to_string(), Some(4))]);
}
