//! Hint lines and help made from the live key map of one screen.

use jixiao::config::{Action, Config, KeyName, KeyScope, KeySpec};
use jixiao::tui::keymap::{help_lines, hint};
use std::fs;

const TARGET_HINT: &[(Action, &str)] = &[
    (Action::Pick1, "选项"),
    (Action::Pick2, "选项"),
    (Action::Pick3, "选项"),
    (Action::Pick4, "选项"),
    (Action::Pass, "通过"),
    (Action::Fail, "不通过"),
    (Action::Approve, "审核通过"),
];

#[test]
fn the_default_hint_collapses_digits_and_shows_first_keys() {
    let keys = Config::defaults().keys;
    assert_eq!(
        hint(&keys, KeyScope::Workspace, TARGET_HINT),
        "1-4 选项  p 通过  f 不通过  a 审核通过"
    );
    // Global keys acting there, same label joined; named keys as written in the config.
    let items = [
        (Action::Down, "移动"),
        (Action::Up, "移动"),
        (Action::Close, "返回"),
        (Action::Search, "搜索"),
    ];
    assert_eq!(hint(&keys, KeyScope::Workspace, &items), "j/k 移动  Esc 返回");
    let items = [(Action::Tag, "标记"), (Action::Open, "打开"), (Action::Search, "搜索")];
    assert_eq!(hint(&keys, KeyScope::Results, &items), "Space 标记  Enter 打开  / 搜索");
    let items = [(Action::Save, "保存"), (Action::Leave, "离开")];
    assert_eq!(hint(&keys, KeyScope::Editor, &items), "Ctrl-s 保存  Esc 离开");
}

#[test]
fn remapping_the_workspace_pass_key_changes_action_hint_and_help() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("config.toml"), "[keys.workspace]\npass = [\"P\"]\n").unwrap();
    let keys = Config::load_with_user_dir(Some(dir.path()), None).unwrap().config.keys;
    let p = |c: char| KeySpec::plain(KeyName::Char(c));
    assert_eq!(keys.action_in(KeyScope::Workspace, p('P')), Some(Action::Pass));
    assert_eq!(keys.action_in(KeyScope::Workspace, p('p')), None);
    let line = hint(&keys, KeyScope::Workspace, TARGET_HINT);
    assert!(line.contains("P 通过"), "{line}");
    assert!(!line.contains("p 通过"), "{line}");
    let help = help_lines(&keys, KeyScope::Workspace);
    assert!(
        help.contains(&("P".to_string(), Action::Pass.label().to_string())),
        "{help:?}"
    );
}

#[test]
fn a_broken_digit_run_is_shown_as_it_is() {
    let c = Config::from_str_layers(&[("user.toml", "[keys.workspace]\npick_3 = [\"F5\"]\n")]).unwrap();
    assert!(hint(&c.keys, KeyScope::Workspace, TARGET_HINT).starts_with("1-2/F5/4 选项  p 通过"));
}

#[test]
fn help_lists_the_screens_keys_then_the_global_ones_acting_there() {
    let keys = Config::defaults().keys;
    let help = help_lines(&keys, KeyScope::Workspace);
    let own = KeyScope::Workspace.actions().len();
    assert_eq!(help.len(), own + KeyScope::Workspace.global_actions().len());
    assert_eq!(help[0], ("1".to_string(), Action::Pick1.label().to_string()));
    assert_eq!(help[own], ("q".to_string(), Action::Quit.label().to_string()));
    // No tab or search keys inside a workspace.
    assert!(!help.iter().any(|(_, l)| l == Action::Search.label()));
    // A modal shows only its own keys.
    let help = help_lines(&keys, KeyScope::Confirm);
    assert_eq!(
        help,
        [
            ("y Y Enter".to_string(), Action::Yes.label().to_string()),
            ("n N Esc".to_string(), Action::No.label().to_string()),
            ("o O".to_string(), Action::OverrideAll.label().to_string()),
        ]
    );
    assert_eq!(
        help_lines(&keys, KeyScope::Global).len(),
        KeyScope::Global.actions().len()
    );
    let queue = help_lines(&keys, KeyScope::Queue);
    assert_eq!(queue[0], ("f".to_string(), Action::Filter.label().to_string()));
    assert_eq!(
        queue.len(),
        KeyScope::Queue.actions().len() + KeyScope::Global.actions().len()
    );
}
