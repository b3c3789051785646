//! Loading the layered configuration and the errors a bad file gets.

use jixiao::config::{Action, Config, ConfigError, KeyName, KeyScope, KeySpec, MoneyUnit, Origin, Theme};
use jixiao::domain::Grade;
use rust_decimal::dec;
use std::fs;

fn err(layer: &str) -> ConfigError {
    Config::from_str_layers(&[("user.toml", layer)]).unwrap_err()
}

/// Asserts the error is about `key`, in the user layer, at `line`.
fn assert_located(e: &ConfigError, key: &str, line: usize) {
    match e {
        ConfigError::Invalid {
            origin,
            line: l,
            key: k,
            ..
        } => {
            assert_eq!(k, key, "{e}");
            assert_eq!(*l, Some(line), "{e}");
            assert_eq!(origin.as_ref(), Some(&Origin::Text("user.toml".into())), "{e}");
        }
        other => panic!("expected an invalid-key error, got {other:?}"),
    }
    let text = e.to_string();
    assert!(text.contains(&format!("第 {line} 行")) && text.contains(key), "{text}");
}

#[test]
fn embedded_defaults_are_the_documented_values() {
    let c = Config::defaults();
    let r = &c.rules;
    assert_eq!(r.monitoring.key_project_amount, dec!(2000000));
    assert_eq!(r.monitoring.execution_threshold, dec!(0.75));
    assert_eq!(r.monitoring.progress_threshold, dec!(0.75));
    assert!(!r.monitoring.compare_time_elapsed);
    assert_eq!(r.self_eval.score_margin, dec!(5));
    assert_eq!(r.self_eval.execution_reason_threshold, dec!(0.90));
    assert_eq!(r.self_eval.over_target_ratio, dec!(1.30));
    let w = &r.scoring.weights;
    assert_eq!(
        (w.execution, w.output, w.benefit, w.satisfaction),
        (dec!(10), dec!(50), dec!(30), dec!(10))
    );
    let t = &r.scoring.tiers;
    assert_eq!((t.achieved, t.partial, t.not_achieved), (dec!(1), dec!(0.7), dec!(0.3)));
    assert_eq!(
        (r.grades.excellent, r.grades.good, r.grades.fair),
        (dec!(90), dec!(80), dec!(60))
    );
    assert_eq!((r.rectification.notice_days, r.rectification.response_days), (20, 30));
    assert_eq!(r.review.min_opinion_chars, 15);
    assert!(r.review.boilerplate_phrases.iter().any(|p| p == "数据确认"));
    assert!(r.target.vague_words.iter().any(|p| p == "进一步"));
    assert_eq!(r.result_application.for_grade(Grade::Fair).cut_share, dec!(0.10));
    assert_eq!(r.result_application.for_grade(Grade::Poor).cut_share, dec!(0.30));
    assert_eq!(c.display.money_unit, MoneyUnit::Wan);
    assert_eq!(c.display.money_decimals, 2);
    assert_eq!(c.display.theme, Theme::Auto);
    assert_eq!((c.display.min_width, c.display.min_height), (80, 24));
    assert_eq!(c.session.idle_lock_minutes, 30);
    assert_eq!(c.store.audit_retention_days, 180);
    assert_eq!(c.templates.len(), 6);
}

#[test]
fn default_keys_follow_the_design() {
    let c = Config::defaults();
    let map = c.keymap();
    let all: usize = KeyScope::ALL.iter().map(|s| s.actions().len()).sum();
    assert_eq!(map.len(), all);
    let keys = |a: Action| {
        c.keys
            .keys_in(KeyScope::Queue, a)
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(Action::Down), ["j", "Down"]);
    assert_eq!(keys(Action::Bottom), ["G", "End"]);
    assert_eq!(keys(Action::HalfPageDown), ["Ctrl-d"]);
    assert_eq!(keys(Action::Tag), ["Space"]);
    assert_eq!(keys(Action::Help), ["?", "F1"]);
    assert_eq!(keys(Action::Stage6), ["6"]);
    assert_eq!(keys(Action::PrevStage), ["Shift-Tab"]);
    assert_eq!(
        c.keys.action_in(KeyScope::Queue, KeySpec::plain(KeyName::Char('a'))),
        Some(Action::Approve)
    );
    assert_eq!(
        c.keys.action_in(KeyScope::Queue, KeySpec::ctrl('l')),
        Some(Action::Refresh)
    );
}

/// Every default binding, scope by scope: the keys the screens answered to
/// before they were configurable.
#[test]
fn default_keys_of_every_scope_are_todays_keys() {
    use KeyScope::*;
    let expected: &[(KeyScope, &str, &[&str])] = &[
        (Global, "quit", &["q"]),
        (Global, "down", &["j", "Down"]),
        (Global, "up", &["k", "Up"]),
        (Global, "top", &["g", "Home"]),
        (Global, "bottom", &["G", "End"]),
        (Global, "half_page_down", &["Ctrl-d"]),
        (Global, "half_page_up", &["Ctrl-u"]),
        (Global, "page_down", &["PageDown"]),
        (Global, "page_up", &["PageUp"]),
        (Global, "search", &["/"]),
        (Global, "search_next", &["n"]),
        (Global, "search_prev", &["N"]),
        (Global, "scope", &["F"]),
        (Global, "undo", &["u"]),
        (Global, "next_stage", &["Tab"]),
        (Global, "prev_stage", &["Shift-Tab"]),
        (Global, "stage_1", &["1"]),
        (Global, "stage_2", &["2"]),
        (Global, "stage_3", &["3"]),
        (Global, "stage_4", &["4"]),
        (Global, "stage_5", &["5"]),
        (Global, "stage_6", &["6"]),
        (Global, "stage_7", &["7"]),
        (Global, "reader", &["i", "F3"]),
        (Global, "command", &[":"]),
        (Global, "help", &["?", "F1"]),
        (Global, "refresh", &["Ctrl-l"]),
        (Queue, "filter", &["f"]),
        (Queue, "sort", &["s"]),
        (Queue, "tag", &["Space"]),
        (Queue, "tag_all", &["T"]),
        (Queue, "approve", &["a"]),
        (Queue, "return", &["r"]),
        (Queue, "opinion", &["o"]),
        (Queue, "rectify", &["x"]),
        (Queue, "bulk_approve", &["A"]),
        (Queue, "bulk_return", &["R"]),
        (Queue, "open", &["Enter"]),
        (Workspace, "pick_1", &["1"]),
        (Workspace, "pick_2", &["2"]),
        (Workspace, "pick_3", &["3"]),
        (Workspace, "pick_4", &["4"]),
        (Workspace, "pass", &["p"]),
        (Workspace, "fail", &["f"]),
        (Workspace, "conclusion", &["c"]),
        (Workspace, "approve", &["a"]),
        (Workspace, "return", &["r"]),
        (Workspace, "opinion", &["o"]),
        (Workspace, "rectify", &["x"]),
        (Workspace, "key_list", &["l"]),
        (Workspace, "result_confirm", &["y"]),
        (Workspace, "result_change", &["m"]),
        (Workspace, "open", &["Enter"]),
        (Workspace, "close", &["Esc"]),
        (Board, "start", &["w"]),
        (Board, "evidence", &["e"]),
        (Board, "verify", &["v"]),
        (Board, "reject_evidence", &["b"]),
        (Board, "extend", &["d"]),
        (Board, "filter", &["f"]),
        (Results, "result_confirm", &["y"]),
        (Results, "result_change", &["m"]),
        (Results, "result_confirm_tagged", &["Y"]),
        (Results, "tag", &["Space"]),
        (Results, "tag_all", &["T"]),
        (Results, "filter", &["f"]),
        (Results, "open", &["Enter"]),
        (Filter, "state", &["1"]),
        (Filter, "section", &["2"]),
        (Filter, "unit", &["3"]),
        (Filter, "severity", &["4"]),
        (Filter, "findings", &["5"]),
        (Filter, "clear", &["0", "c"]),
        (Filter, "close", &["Esc", "Enter", "q", "f"]),
        (Confirm, "yes", &["y", "Y", "Enter"]),
        (Confirm, "no", &["n", "N", "Esc"]),
        (Confirm, "override_all", &["o", "O"]),
        (Editor, "save", &["Ctrl-s"]),
        (Editor, "template", &["Ctrl-t"]),
        (Editor, "leave", &["Esc"]),
    ];
    let c = Config::defaults();
    let actual: Vec<(KeyScope, &str, Vec<String>)> = c
        .keymap()
        .into_iter()
        .map(|(s, a, k)| (s, a.name(), k.iter().map(|k| k.to_string()).collect()))
        .collect();
    let expected: Vec<(KeyScope, &str, Vec<String>)> = expected
        .iter()
        .map(|(s, a, k)| (*s, *a, k.iter().map(|k| k.to_string()).collect()))
        .collect();
    assert_eq!(actual, expected);
}

#[test]
fn a_workspace_key_is_found_in_its_scope_and_globals_act_there() {
    let keys = Config::defaults().keys;
    let k = |c: char| KeySpec::plain(KeyName::Char(c));
    assert_eq!(keys.action_in(KeyScope::Workspace, k('p')), Some(Action::Pass));
    assert_eq!(keys.action_in(KeyScope::Workspace, k('j')), Some(Action::Down));
    assert_eq!(keys.action_in(KeyScope::Workspace, k('/')), None);
    assert_eq!(keys.action_in(KeyScope::Board, k('/')), Some(Action::Search));
    assert_eq!(keys.action_in(KeyScope::Board, k('w')), Some(Action::Start));
    assert_eq!(keys.action_in(KeyScope::Queue, k('w')), None);
    assert_eq!(keys.action_in(KeyScope::Filter, k('q')), Some(Action::Close));
    assert_eq!(
        keys.action_in(KeyScope::Confirm, KeySpec::plain(KeyName::Enter)),
        Some(Action::Yes)
    );
    assert_eq!(keys.action_in(KeyScope::Editor, KeySpec::ctrl('s')), Some(Action::Save));
}

#[test]
fn a_user_layer_overrides_one_key_and_keeps_the_rest() {
    let c = Config::from_str_layers(&[("user.toml", "[monitoring]\nexecution_threshold = \"0.8\"\n")]).unwrap();
    assert_eq!(c.rules.monitoring.execution_threshold, dec!(0.8));
    assert_eq!(c.rules.monitoring.progress_threshold, dec!(0.75));
    assert_eq!(c.rules.monitoring.key_project_amount, dec!(2000000));
    assert_eq!(c.rules.grades.excellent, dec!(90));
}

#[test]
fn integers_are_accepted_for_decimals_and_arrays_replace() {
    let c = Config::from_str_layers(&[(
        "user.toml",
        "[monitoring]\nkey_project_amount = 5000000\n[keys]\nquit = [\"Q\", \"Esc\"]\n",
    )])
    .unwrap();
    assert_eq!(c.rules.monitoring.key_project_amount, dec!(5000000));
    let quit: Vec<String> = c
        .keys
        .keys_in(KeyScope::Global, Action::Quit)
        .iter()
        .map(|k| k.to_string())
        .collect();
    assert_eq!(quit, ["Q", "Esc"]);
    assert_eq!(
        c.keys.action_in(KeyScope::Global, KeySpec::plain(KeyName::Char('q'))),
        None
    );
}

#[test]
fn unknown_key_names_key_and_line() {
    let e = err("[monitoring]\n\nexecuton_threshold = \"0.8\"\n");
    assert_located(&e, "monitoring.executon_threshold", 3);
    assert!(e.to_string().contains("未知的键"), "{e}");
}

#[test]
fn unknown_section_names_it() {
    let e = err("# mine\n[dispaly]\ntheme = \"16\"\n");
    assert_located(&e, "dispaly", 2);
}

#[test]
fn wrong_type_names_key_and_line() {
    let e = err("[review]\nmin_opinion_chars = \"many\"\n");
    assert_located(&e, "review.min_opinion_chars", 2);
    assert!(e.to_string().contains("类型不对"), "{e}");
}

#[test]
fn a_float_threshold_is_refused_with_a_hint_to_quote_it() {
    let e = err("[monitoring]\nprogress_threshold = 0.75\n");
    assert_located(&e, "monitoring.progress_threshold", 2);
    assert!(e.to_string().contains("引号"), "{e}");
}

#[test]
fn out_of_range_ratio_is_refused() {
    let e = err("[monitoring]\nexecution_threshold = \"75\"\n");
    assert_located(&e, "monitoring.execution_threshold", 2);
    assert!(e.to_string().contains("0 到 1"), "{e}");
    let e = err("[self_eval]\nscore_margin = \"-1\"\n");
    assert_located(&e, "self_eval.score_margin", 2);
}

#[test]
fn weights_not_summing_to_100_name_the_key() {
    let e = err("[scoring.weights]\noutput = \"40\"\n");
    assert_eq!(e.key(), Some("scoring.weights"));
    assert_eq!(e.line(), Some(1));
    assert!(e.to_string().contains("100"), "{e}");
}

#[test]
fn grade_bands_must_descend_and_tiers_stay_in_band() {
    let e = err("[grades]\ngood = \"95\"\n");
    assert_located(&e, "grades.good", 2);
    let e = err("[scoring.tiers]\npartial = \"0.85\"\n");
    assert_located(&e, "scoring.tiers.partial", 2);
}

#[test]
fn unknown_theme_is_refused_with_the_choices() {
    let e = err("[display]\ntheme = \"neon\"\n");
    assert_located(&e, "display.theme", 2);
    assert!(e.to_string().contains("mono"), "{e}");
}

#[test]
fn syntax_error_names_the_line() {
    let e = err("[display]\nmouse = true\nlang = \"zh\n");
    match &e {
        ConfigError::Syntax { origin, line, .. } => {
            assert_eq!(origin, &Origin::Text("user.toml".into()));
            assert_eq!(*line, 3);
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
    assert!(e.to_string().contains("第 3 行"), "{e}");
}

#[test]
fn a_key_bound_to_two_actions_is_refused() {
    let e = err("[keys.queue]\nsort = [\"s\"]\napprove = [\"s\"]\n");
    assert_eq!(e.key(), Some("keys.queue.approve"));
    assert_eq!(e.line(), Some(3));
    assert!(e.to_string().contains("「s」"), "{e}");
    // Rebinding onto a default key of another action is a clash too, blamed on the user.
    let e = err("[keys]\nhelp = [\"j\"]\n");
    assert_located(&e, "keys.help", 2);
}

#[test]
fn a_bad_key_string_names_key_and_line() {
    let e = err("[keys.queue]\n\napprove = [\"Hyper-a\"]\n");
    assert_located(&e, "keys.queue.approve", 3);
    assert!(e.to_string().contains("Hyper-a"), "{e}");
}

#[test]
fn template_errors_point_at_the_entry() {
    let e = err("[[templates]]\nname = \"甲\"\ntext = \"x\"\n\n[[templates]]\nname = \"甲\"\ntext = \"y\"\n");
    assert_eq!(e.key(), Some("templates[1].name"));
    assert_eq!(e.line(), Some(6));
}

#[test]
fn missing_explicit_config_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.toml");
    let e = Config::load_with_user_dir(None, Some(&path)).unwrap_err();
    assert_eq!(e, ConfigError::Missing { path: path.clone() });
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
}

#[test]
fn files_layer_in_order_and_errors_name_the_file() {
    let user_dir = tempfile::tempdir().unwrap();
    let user = user_dir.path().join("config.toml");
    fs::write(&user, "[display]\nmoney_unit = \"元\"\nmoney_decimals = 0\n").unwrap();
    let explicit_dir = tempfile::tempdir().unwrap();
    let explicit = explicit_dir.path().join("review.toml");
    fs::write(&explicit, "[display]\nmoney_decimals = 3\n").unwrap();

    let loaded = Config::load_with_user_dir(Some(user_dir.path()), Some(&explicit)).unwrap();
    assert_eq!(loaded.sources, vec![user.clone(), explicit.clone()]);
    assert_eq!(loaded.config.display.money_unit, MoneyUnit::Yuan);
    assert_eq!(loaded.config.display.money_decimals, 3);

    // No user file: only the explicit one is a source.
    let empty = tempfile::tempdir().unwrap();
    let loaded = Config::load_with_user_dir(Some(empty.path()), None).unwrap();
    assert!(loaded.sources.is_empty());
    assert_eq!(loaded.config, Config::defaults());

    fs::write(
        &user,
        "[display]\nmoney_unit = \"元\"\n\n[session]\nidle_lock_minutes = 0\n",
    )
    .unwrap();
    let e = Config::load_with_user_dir(Some(user_dir.path()), None).unwrap_err();
    let text = e.to_string();
    assert!(text.contains(&user.display().to_string()), "{text}");
    assert!(
        text.contains("第 5 行") && text.contains("session.idle_lock_minutes"),
        "{text}"
    );
}

#[test]
fn key_spec_round_trips_through_display() {
    for text in ["j", "G", "Ctrl-d", "F1", "PageDown", "Space", "Enter", "Shift-Tab", "?"] {
        let spec = KeySpec::parse(text).unwrap();
        assert_eq!(spec.to_string(), text);
    }
    assert_eq!(KeySpec::parse("Ctrl-D").unwrap(), KeySpec::ctrl('d'));
}

#[test]
fn every_default_key_has_a_comment() {
    // Array-of-table entries ([[…]]) share the comment above their header.
    let mut in_array_table = false;
    let mut previous = "";
    for (i, line) in jixiao::config::DEFAULT_TOML.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('[') {
            in_array_table = line.starts_with("[[");
        } else if !line.starts_with('#') && !in_array_table {
            assert!(
                previous.starts_with('#'),
                "line {}: `{line}` has no comment above it",
                i + 1
            );
        }
        previous = line;
    }
}

/// Writes `text` as the user file in a fresh directory and loads it.
fn load_user_file(
    text: &str,
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Result<jixiao::config::LoadedConfig, ConfigError>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    fs::write(&path, text).unwrap();
    let loaded = Config::load_with_user_dir(Some(dir.path()), None);
    (dir, path, loaded)
}

#[test]
fn every_scope_refuses_a_key_bound_twice_naming_file_line_and_key() {
    for scope in KeyScope::ALL {
        let [first, second, ..] = scope.actions() else {
            panic!("{scope}")
        };
        let text = format!(
            "# mine\n[{}]\n{} = [\"F9\"]\n\n{} = [\"F9\"]\n",
            scope.table(),
            first.name(),
            second.name()
        );
        let (_dir, path, loaded) = load_user_file(&text);
        let e = loaded.unwrap_err();
        let key = format!("{}.{}", scope.table(), second.name());
        assert_eq!(e.key(), Some(key.as_str()), "{e}");
        assert_eq!(e.line(), Some(5), "{e}");
        let shown = e.to_string();
        for part in [
            path.display().to_string(),
            "第 5 行".to_string(),
            key.clone(),
            "「F9」".to_string(),
            format!("[{}]", scope.table()),
            first.name().to_string(),
        ] {
            assert!(shown.contains(&part), "{part} not in {shown}");
        }
    }
}

#[test]
fn a_user_key_clashing_with_a_default_of_the_same_scope_is_blamed_on_the_user() {
    let (_dir, path, loaded) = load_user_file("[keys.workspace]\nconclusion = [\"p\"]\n");
    let e = loaded.unwrap_err();
    assert_eq!(e.key(), Some("keys.workspace.conclusion"));
    assert_eq!(e.line(), Some(2));
    let shown = e.to_string();
    assert!(
        shown.contains(&path.display().to_string()) && shown.contains("「p」") && shown.contains("pass"),
        "{shown}"
    );
}

#[test]
fn a_screen_key_also_global_is_refused_naming_both() {
    for (scope, action) in [
        (KeyScope::Queue, "sort"),
        (KeyScope::Workspace, "pass"),
        (KeyScope::Board, "start"),
        (KeyScope::Results, "open"),
    ] {
        let e = err(&format!("[{}]\n{action} = [\"u\"]\n", scope.table()));
        assert_located(&e, &format!("{}.{action}", scope.table()), 2);
        let shown = e.to_string();
        assert!(
            shown.contains("「u」") && shown.contains("undo") && shown.contains("[keys]"),
            "{shown}"
        );
    }
    // Set in [keys] instead: the global entry is named.
    let e = err("[keys]\nundo = [\"w\"]\n");
    assert_located(&e, "keys.undo", 2);
    assert!(e.to_string().contains("[keys.board]"), "{e}");
    // A global key that does not act in a workspace may be one there.
    let c = Config::from_str_layers(&[("user.toml", "[keys.workspace]\npass = [\"/\"]\n")]).unwrap();
    assert_eq!(
        c.keys
            .action_in(KeyScope::Workspace, KeySpec::plain(KeyName::Char('/'))),
        Some(Action::Pass)
    );
}

#[test]
fn modal_scopes_may_reuse_global_keys() {
    let c = Config::from_str_layers(&[(
        "user.toml",
        "[keys.filter]\nstate = [\"j\"]\n[keys.confirm]\nyes = [\"u\"]\n[keys.editor]\nsave = [\"Ctrl-d\"]\n",
    )])
    .unwrap();
    assert_eq!(
        c.keys.action_in(KeyScope::Filter, KeySpec::plain(KeyName::Char('j'))),
        Some(Action::FilterState)
    );
    assert_eq!(
        c.keys.action_in(KeyScope::Confirm, KeySpec::plain(KeyName::Char('u'))),
        Some(Action::Yes)
    );
    assert_eq!(
        c.keys.action_in(KeyScope::Editor, KeySpec::ctrl('d')),
        Some(Action::Save)
    );
}

#[test]
fn an_unknown_action_in_a_scope_names_scope_and_action() {
    let e = err("[keys.board]\n\nlaunch = [\"L\"]\n");
    assert_located(&e, "keys.board.launch", 3);
    assert!(
        e.to_string().contains("[keys.board]") && e.to_string().contains("launch"),
        "{e}"
    );
    // An action of another scope says where it belongs.
    let e = err("[keys.board]\napprove = [\"L\"]\n");
    assert_located(&e, "keys.board.approve", 2);
    assert!(e.to_string().contains("[keys.queue]"), "{e}");
    // A scope written as a list.
    let e = err("[keys]\nworkspace = [\"a\"]\n");
    assert_located(&e, "keys.workspace", 2);
    let e = err("[keys.wrokspace]\npass = [\"a\"]\n");
    assert_eq!(e.key(), Some("keys.wrokspace"));
}

#[test]
fn quit_may_share_esc_with_the_workspace_close() {
    let c = Config::from_str_layers(&[("user.toml", "[keys]\nquit = [\"q\", \"Esc\"]\n")]).unwrap();
    let esc = KeySpec::plain(KeyName::Esc);
    assert_eq!(c.keys.action_in(KeyScope::Workspace, esc), Some(Action::Close));
    assert_eq!(c.keys.action_in(KeyScope::Queue, esc), Some(Action::Quit));
}

#[test]
fn an_old_flat_key_is_read_into_its_screens_with_a_warning() {
    let (_dir, path, loaded) =
        load_user_file("# old file\n[keys]\napprove = [\"z\"]\n\nreturn = [\"Z\"]\nquit = [\"Q\"]\n");
    let loaded = loaded.unwrap();
    let keys = &loaded.config.keys;
    let z = KeySpec::plain(KeyName::Char('z'));
    let big_z = KeySpec::plain(KeyName::Char('Z'));
    // approve was a queue key; the workspace's `a` stays.
    assert_eq!(keys.action_in(KeyScope::Queue, z), Some(Action::Approve));
    assert_eq!(keys.action_in(KeyScope::Workspace, z), None);
    // The workspace had its own keys, checked first: its table keeps its defaults.
    assert_eq!(keys.action_in(KeyScope::Queue, big_z), Some(Action::Return));
    assert_eq!(keys.action_in(KeyScope::Workspace, big_z), None);
    assert_eq!(
        keys.action_in(KeyScope::Workspace, KeySpec::plain(KeyName::Char('r'))),
        Some(Action::Return)
    );
    assert_eq!(
        keys.keys_in(KeyScope::Global, Action::Quit),
        &[KeySpec::plain(KeyName::Char('Q'))]
    );
    let said: Vec<(String, Option<usize>)> = loaded.moved_keys.iter().map(|m| (m.action.clone(), m.line)).collect();
    assert_eq!(
        said,
        [("approve".to_string(), Some(3)), ("return".to_string(), Some(5))]
    );
    let text = loaded.moved_keys[0].to_string();
    for part in [&path.display().to_string(), "第 3 行", "keys.approve", "[keys.queue]"] {
        assert!(text.contains(part), "{part} not in {text}");
    }
    // The warning says the workspace sets its own.
    assert!(loaded.moved_keys[1].to_string().contains("[keys.workspace]"));

    // A clash it brings is placed on its own line.
    let (_dir, _path, loaded) = load_user_file("[keys]\n\napprove = [\"u\"]\n");
    let e = loaded.unwrap_err();
    assert_eq!((e.key(), e.line()), (Some("keys.queue.approve"), Some(3)), "{e}");
    // An old remap of a key the workspace hard-coded is no clash: `c` confirms
    // results on the results tab, and stays the workspace's conclusion.
    let c = Config::from_str_layers(&[("user.toml", "[keys]\nresult_confirm = [\"c\"]\n")]).unwrap();
    let c_key = KeySpec::plain(KeyName::Char('c'));
    assert_eq!(c.keys.action_in(KeyScope::Results, c_key), Some(Action::ResultConfirm));
    assert_eq!(c.keys.action_in(KeyScope::Workspace, c_key), Some(Action::Conclusion));

    // The scoped entry of the same file wins; the flat one is said to be ignored.
    let (_dir, _path, loaded) = load_user_file("[keys]\nsort = [\"z\"]\n[keys.queue]\nsort = [\"S\"]\n");
    let loaded = loaded.unwrap();
    assert_eq!(
        loaded.config.keys.keys_in(KeyScope::Queue, Action::Sort),
        &[KeySpec::plain(KeyName::Char('S'))]
    );
    assert!(loaded.moved_keys[0].to.is_empty());
    assert!(
        loaded.moved_keys[0].to_string().contains("已忽略"),
        "{}",
        loaded.moved_keys[0]
    );

    // `[keys] filter = […]` (the old action) beside `[keys.filter]` (the menu).
    let c = Config::from_str_layers(&[(
        "user.toml",
        "[keys]\nfilter = [\"/\"]\nsearch = [\"?\"]\nhelp = [\"F1\"]\n",
    )]);
    let c = c.unwrap();
    let slash = KeySpec::plain(KeyName::Char('/'));
    assert_eq!(c.keys.action_in(KeyScope::Results, slash), Some(Action::Filter));
    assert_eq!(c.keys.action_in(KeyScope::Queue, slash), Some(Action::Filter));
    assert_eq!(
        c.keys.action_in(KeyScope::Filter, KeySpec::plain(KeyName::Char('f'))),
        Some(Action::Close)
    );
}
