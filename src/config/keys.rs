//! Remappable keys: the key strings of `[keys]` (`j`, `Ctrl-d`, `F1`, `PageDown`)
//! as terminal-independent values, and the action each one triggers.

use std::collections::BTreeMap;
use std::fmt;

/// A key as the config names it, without reference to a terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyName {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Delete,
    Insert,
    F(u8),
    Space,
}

/// A key plus the Ctrl modifier. Shift is part of the character (`G`, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeySpec {
    pub key: KeyName,
    pub ctrl: bool,
}

/// The names accepted besides single characters and `F1`–`F12`, with aliases.
const NAMED_KEYS: &[(&str, KeyName)] = &[
    ("Enter", KeyName::Enter),
    ("Return", KeyName::Enter),
    ("Esc", KeyName::Esc),
    ("Escape", KeyName::Esc),
    ("Tab", KeyName::Tab),
    // Shown as the keys pressed; `BackTab` (the terminal's name) is accepted too.
    ("Shift-Tab", KeyName::BackTab),
    ("BackTab", KeyName::BackTab),
    ("Backspace", KeyName::Backspace),
    ("Up", KeyName::Up),
    ("Down", KeyName::Down),
    ("Left", KeyName::Left),
    ("Right", KeyName::Right),
    ("Home", KeyName::Home),
    ("End", KeyName::End),
    ("PageUp", KeyName::PageUp),
    ("PgUp", KeyName::PageUp),
    ("PageDown", KeyName::PageDown),
    ("PgDn", KeyName::PageDown),
    ("Delete", KeyName::Delete),
    ("Del", KeyName::Delete),
    ("Insert", KeyName::Insert),
    ("Ins", KeyName::Insert),
    ("Space", KeyName::Space),
];

impl KeySpec {
    pub fn plain(key: KeyName) -> Self {
        KeySpec { key, ctrl: false }
    }

    pub fn ctrl(c: char) -> Self {
        KeySpec {
            key: KeyName::Char(c),
            ctrl: true,
        }
    }

    /// Reads `j`, `G`, `?`, `Ctrl-d` (or `Ctrl+d`, `C-d`), `F1`, `PageDown`, `Space`.
    /// Names are case-insensitive; a single character is taken as written.
    /// The error is a Chinese explanation.
    pub fn parse(text: &str) -> Result<KeySpec, String> {
        let bad =
            || format!("无法识别的按键「{text}」，可写如 \"j\"、\"G\"、\"Ctrl-d\"、\"F1\"、\"PageDown\"、\"Space\"");
        let (ctrl, rest) = split_ctrl(text);
        let key = parse_key_name(rest).ok_or_else(bad)?;
        match (ctrl, key) {
            // Terminals send Ctrl-D and Ctrl-d alike, so store the lower case.
            (true, KeyName::Char(c)) if c.is_ascii_alphabetic() => Ok(KeySpec::ctrl(c.to_ascii_lowercase())),
            (true, KeyName::Char(_)) => Err(format!("「{text}」：Ctrl 只能与字母组合")),
            (ctrl, key) => Ok(KeySpec { key, ctrl }),
        }
    }
}

fn split_ctrl(text: &str) -> (bool, &str) {
    for prefix in ["Ctrl-", "Ctrl+", "C-"] {
        if text.len() > prefix.len()
            && let Some(head) = text.get(..prefix.len())
            && head.eq_ignore_ascii_case(prefix)
        {
            return (true, &text[prefix.len()..]);
        }
    }
    (false, text)
}

fn parse_key_name(text: &str) -> Option<KeyName> {
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        // A literal space is invisible in the config; it must be written `Space`.
        return (!c.is_whitespace() && !c.is_control()).then_some(KeyName::Char(c));
    }
    if let Some(n) = text.strip_prefix(['F', 'f']).and_then(|n| n.parse::<u8>().ok()) {
        return (1..=12).contains(&n).then_some(KeyName::F(n));
    }
    NAMED_KEYS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(text))
        .map(|(_, k)| *k)
}

impl fmt::Display for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyName::Char(c) => write!(f, "{c}"),
            KeyName::F(n) => write!(f, "F{n}"),
            other => {
                // The first name in the table is the canonical spelling.
                let name = NAMED_KEYS
                    .iter()
                    .find(|(_, k)| k == other)
                    .map(|(n, _)| *n)
                    .unwrap_or("?");
                f.write_str(name)
            }
        }
    }
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        self.key.fmt(f)
    }
}

macro_rules! actions {
    ($($variant:ident => $name:literal, $label:literal;)+) => {
        /// Everything a key can do. `name` is the key under `[keys]`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($variant),+
        }

        impl Action {
            /// Every action, in help-screen order.
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The key of this action under `[keys]`.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),+ }
            }

            /// Chinese description for the help screen.
            pub fn label(self) -> &'static str {
                match self { $(Action::$variant => $label),+ }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                match name { $($name => Some(Action::$variant),)+ _ => None }
            }
        }
    };
}

actions! {
    Quit => "quit", "返回/退出";
    Down => "down", "下移一行";
    Up => "up", "上移一行";
    Top => "top", "到顶部";
    Bottom => "bottom", "到底部";
    HalfPageDown => "half_page_down", "下翻半页";
    HalfPageUp => "half_page_up", "上翻半页";
    PageDown => "page_down", "下翻一页";
    PageUp => "page_up", "上翻一页";
    Search => "search", "搜索";
    SearchNext => "search_next", "下一个匹配";
    SearchPrev => "search_prev", "上一个匹配";
    Filter => "filter", "筛选";
    Scope => "scope", "本科室/全部科室";
    Sort => "sort", "排序";
    Tag => "tag", "标记当前项";
    TagAll => "tag_all", "标记全部显示项";
    Approve => "approve", "通过";
    Return => "return", "退回";
    Opinion => "opinion", "编辑审核意见";
    Rectify => "rectify", "新建整改事项";
    Undo => "undo", "撤销上一步";
    BulkApprove => "bulk_approve", "批量通过已标记项";
    BulkReturn => "bulk_return", "批量退回已标记项";
    ResultConfirm => "result_confirm", "确认结果应用建议";
    ResultChange => "result_change", "调整结果应用并写理由";
    ResultConfirmTagged => "result_confirm_tagged", "批量确认结果应用";
    NextStage => "next_stage", "下一个环节";
    PrevStage => "prev_stage", "上一个环节";
    Stage1 => "stage_1", "目标审核";
    Stage2 => "stage_2", "监控异常";
    Stage3 => "stage_3", "自评审核";
    Stage4 => "stage_4", "重点评价";
    Stage5 => "stage_5", "整改跟踪";
    Stage6 => "stage_6", "总览";
    Stage7 => "stage_7", "结果应用";
    Open => "open", "打开详情";
    Reader => "reader", "查看全文（含长提示）";
    Command => "command", "命令行";
    Help => "help", "帮助";
    Refresh => "refresh", "刷新";
}

/// A key binding problem, located by the action whose list holds the bad key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    /// The action name under `[keys]`, to find the line.
    pub action: String,
    pub message: String,
}

/// Every action with its keys, each key bound to exactly one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<(Action, Vec<KeySpec>)>,
}

impl Keymap {
    /// Builds the map from `[keys]`. Unknown actions, unreadable key strings, an
    /// action without keys and a key on two actions are errors; `blame` orders
    /// which of two clashing actions is named (the one set by the later layer).
    pub fn from_table(
        table: &BTreeMap<String, Vec<String>>,
        blame: impl Fn(&str) -> usize,
    ) -> Result<Keymap, KeymapError> {
        let err = |action: &str, message: String| KeymapError {
            action: action.to_string(),
            message,
        };
        for name in table.keys() {
            if Action::from_name(name).is_none() {
                return Err(err(name, format!("未知的动作「{name}」")));
            }
        }
        let mut owner: BTreeMap<KeySpec, Action> = BTreeMap::new();
        let mut bindings = Vec::with_capacity(Action::ALL.len());
        for action in Action::ALL {
            let Some(strings) = table.get(action.name()) else {
                return Err(err(action.name(), format!("缺少动作「{}」的按键", action.name())));
            };
            if strings.is_empty() {
                return Err(err(action.name(), format!("动作「{}」至少要绑定一个键", action.name())));
            }
            let mut specs: Vec<KeySpec> = Vec::with_capacity(strings.len());
            for s in strings {
                let spec = KeySpec::parse(s).map_err(|m| err(action.name(), m))?;
                if let Some(other) = owner.get(&spec).filter(|o| *o != action) {
                    let (later, earlier) = if blame(other.name()) > blame(action.name()) {
                        (*other, *action)
                    } else {
                        (*action, *other)
                    };
                    return Err(err(
                        later.name(),
                        format!("按键「{spec}」同时绑定到「{}」和「{}」", earlier.name(), later.name()),
                    ));
                }
                owner.insert(spec, *action);
                if !specs.contains(&spec) {
                    specs.push(spec);
                }
            }
            bindings.push((*action, specs));
        }
        Ok(Keymap { bindings })
    }

    /// Every action in help order with its keys.
    pub fn bindings(&self) -> &[(Action, Vec<KeySpec>)] {
        &self.bindings
    }

    /// The action a key triggers, if any.
    pub fn action_for(&self, key: KeySpec) -> Option<Action> {
        self.bindings
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(a, _)| *a)
    }

    /// The keys of one action (for hints such as "a 通过").
    pub fn keys_for(&self, action: Action) -> &[KeySpec] {
        self.bindings
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, k)| k.as_slice())
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        assert_eq!(KeySpec::parse("j"), Ok(KeySpec::plain(KeyName::Char('j'))));
        assert_eq!(KeySpec::parse("G"), Ok(KeySpec::plain(KeyName::Char('G'))));
        assert_eq!(KeySpec::parse("Ctrl-d"), Ok(KeySpec::ctrl('d')));
        assert_eq!(KeySpec::parse("ctrl+D"), Ok(KeySpec::ctrl('d')));
        assert_eq!(KeySpec::parse("F1"), Ok(KeySpec::plain(KeyName::F(1))));
        assert_eq!(KeySpec::parse("pagedown"), Ok(KeySpec::plain(KeyName::PageDown)));
        assert_eq!(KeySpec::parse("PgUp"), Ok(KeySpec::plain(KeyName::PageUp)));
        assert_eq!(KeySpec::parse("Space"), Ok(KeySpec::plain(KeyName::Space)));
        assert_eq!(KeySpec::parse("-"), Ok(KeySpec::plain(KeyName::Char('-'))));
        assert_eq!(KeySpec::parse("Ctrl-l"), Ok(KeySpec::ctrl('l')));
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for bad in ["", " ", "Ctrl-", "F13", "F0", "Foo", "Ctrl-1", "jj"] {
            let e = KeySpec::parse(bad).unwrap_err();
            assert!(e.contains(bad), "{bad:?}: {e}");
        }
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "j",
            "G",
            "?",
            "/",
            ":",
            "Ctrl-d",
            "F1",
            "F12",
            "PageDown",
            "PageUp",
            "Space",
            "Enter",
            "Shift-Tab",
            "Esc",
        ] {
            let spec = KeySpec::parse(text).unwrap();
            assert_eq!(spec.to_string(), text);
            assert_eq!(KeySpec::parse(&spec.to_string()), Ok(spec));
        }
        assert_eq!(KeySpec::parse("PgDn").unwrap().to_string(), "PageDown");
        assert_eq!(KeySpec::parse("BackTab").unwrap().to_string(), "Shift-Tab");
    }

    fn table(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        let mut t: BTreeMap<String, Vec<String>> = Action::ALL
            .iter()
            .enumerate()
            .map(|(i, a)| (a.name().to_string(), vec![format!("F{}", (i % 12) + 1)]))
            .collect();
        // Give each default a distinct key: F1–F12, then Ctrl-a to Ctrl-z, then digits.
        for (i, a) in Action::ALL.iter().enumerate().skip(12) {
            let k = (i - 12) as u8;
            let key = if k < 26 {
                format!("Ctrl-{}", (b'a' + k) as char)
            } else {
                ((b'0' + k - 26) as char).to_string()
            };
            t.insert(a.name().into(), vec![key]);
        }
        for (k, v) in pairs {
            t.insert(k.to_string(), v.iter().map(|s| s.to_string()).collect());
        }
        t
    }

    #[test]
    fn a_key_on_two_actions_is_refused_naming_the_later_one() {
        let t = table(&[("down", &["j"]), ("approve", &["j"])]);
        let e = Keymap::from_table(&t, |name| usize::from(name == "approve")).unwrap_err();
        assert_eq!(e.action, "approve");
        assert!(e.message.contains("「j」"), "{}", e.message);
        let e = Keymap::from_table(&t, |name| usize::from(name == "down")).unwrap_err();
        assert_eq!(e.action, "down");
    }

    #[test]
    fn unknown_action_and_bad_key_are_refused() {
        let t = table(&[("launch", &["L"])]);
        assert_eq!(Keymap::from_table(&t, |_| 0).unwrap_err().action, "launch");
        let t = table(&[("sort", &["Hyper-s"])]);
        assert_eq!(Keymap::from_table(&t, |_| 0).unwrap_err().action, "sort");
    }

    #[test]
    fn lookup_both_ways() {
        let t = table(&[("approve", &["a", "a"])]);
        let map = Keymap::from_table(&t, |_| 0).unwrap();
        assert_eq!(
            map.action_for(KeySpec::plain(KeyName::Char('a'))),
            Some(Action::Approve)
        );
        assert_eq!(map.keys_for(Action::Approve), &[KeySpec::plain(KeyName::Char('a'))]);
        assert_eq!(map.bindings().len(), Action::ALL.len());
    }
}
