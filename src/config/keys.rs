//! Remappable keys: the key strings of `[keys]` (`j`, `Ctrl-d`, `F1`, `PageDown`)
//! as terminal-independent values, and the action each one triggers.

use super::error::Origin;
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
        /// Everything a key can do. `name` is the key under its `[keys…]` table;
        /// one action may sit in several scopes (`approve` in the queue and the
        /// workspace), each with its own keys.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($variant),+
        }

        impl Action {
            /// Every action, in help-screen order.
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The key of this action under its `[keys…]` table.
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
    // Workspace.
    Pick1 => "pick_1", "选第 1 项（目标审核：审核要点；重点评价：文书）";
    Pick2 => "pick_2", "选第 2 项";
    Pick3 => "pick_3", "选第 3 项";
    Pick4 => "pick_4", "选第 4 项";
    Pass => "pass", "所选要点判为通过";
    Fail => "fail", "所选要点判为不通过（写原因）";
    Conclusion => "conclusion", "填写审核结论";
    KeyList => "key_list", "重点项目清单（打开/关闭）";
    Close => "close", "关闭";
    // Rectification board.
    Start => "start", "开始整改";
    Evidence => "evidence", "登记整改佐证";
    Verify => "verify", "验收整改";
    RejectEvidence => "reject_evidence", "退回佐证（写理由）";
    Extend => "extend", "延长整改期限";
    // Filter menu.
    FilterState => "state", "按状态筛选";
    FilterSection => "section", "按科室筛选";
    FilterUnit => "unit", "按单位筛选";
    FilterSeverity => "severity", "按问题级别筛选";
    FilterFindings => "findings", "有无问题";
    FilterClear => "clear", "清除筛选";
    // Confirmation questions.
    Yes => "yes", "确定";
    No => "no", "取消";
    OverrideAll => "override_all", "连同有阻断问题的一并通过（写理由）";
    // Opinion editor (the text keys stay the editor's own).
    Save => "save", "保存";
    Template => "template", "插入模板（再按数字）";
    Leave => "leave", "离开（保留草稿）";
}

/// Where a key binding applies: `[keys]` everywhere, a screen's table together
/// with `[keys]`, a modal's table (filter menu, question, editor) alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyScope {
    Global,
    Queue,
    Workspace,
    Board,
    Results,
    Filter,
    Confirm,
    Editor,
}

/// The global actions that still act inside a workspace (it has no tabs,
/// search, filter or command line: `1`–`4` pick there, not stages).
const WORKSPACE_GLOBALS: &[Action] = &[
    Action::Quit,
    Action::Down,
    Action::Up,
    Action::Top,
    Action::Bottom,
    Action::HalfPageDown,
    Action::HalfPageUp,
    Action::PageDown,
    Action::PageUp,
    Action::Undo,
    Action::Reader,
    Action::Help,
    Action::Refresh,
];

/// A screen's action that does what a global one does there, so the two may
/// share a key (`quit = ["q", "Esc"]` with the workspace's `close = ["Esc"]`:
/// both close the workspace).
const SAME_THING: &[(KeyScope, Action, Action)] = &[(KeyScope::Workspace, Action::Close, Action::Quit)];

impl KeyScope {
    pub const ALL: [KeyScope; 8] = [
        KeyScope::Global,
        KeyScope::Queue,
        KeyScope::Workspace,
        KeyScope::Board,
        KeyScope::Results,
        KeyScope::Filter,
        KeyScope::Confirm,
        KeyScope::Editor,
    ];

    /// The name under `[keys]` (`queue` for `[keys.queue]`); none for `[keys]` itself.
    pub fn name(self) -> Option<&'static str> {
        match self {
            KeyScope::Global => None,
            KeyScope::Queue => Some("queue"),
            KeyScope::Workspace => Some("workspace"),
            KeyScope::Board => Some("board"),
            KeyScope::Results => Some("results"),
            KeyScope::Filter => Some("filter"),
            KeyScope::Confirm => Some("confirm"),
            KeyScope::Editor => Some("editor"),
        }
    }

    /// The table's dotted path: `keys`, `keys.queue`, ….
    pub fn table(self) -> &'static str {
        match self {
            KeyScope::Global => "keys",
            KeyScope::Queue => "keys.queue",
            KeyScope::Workspace => "keys.workspace",
            KeyScope::Board => "keys.board",
            KeyScope::Results => "keys.results",
            KeyScope::Filter => "keys.filter",
            KeyScope::Confirm => "keys.confirm",
            KeyScope::Editor => "keys.editor",
        }
    }

    pub fn from_name(name: &str) -> Option<KeyScope> {
        KeyScope::ALL.into_iter().find(|s| s.name() == Some(name))
    }

    /// Chinese name of the screen or dialog.
    pub fn label(self) -> &'static str {
        match self {
            KeyScope::Global => "全局",
            KeyScope::Queue => "审核队列",
            KeyScope::Workspace => "工作区",
            KeyScope::Board => "整改看板",
            KeyScope::Results => "结果应用",
            KeyScope::Filter => "筛选菜单",
            KeyScope::Confirm => "确认提问",
            KeyScope::Editor => "意见编辑器",
        }
    }

    /// A screen (queue, workspace, board, results): its keys act together
    /// with the global ones, so the two may not share a key.
    pub fn is_screen(self) -> bool {
        matches!(
            self,
            KeyScope::Queue | KeyScope::Workspace | KeyScope::Board | KeyScope::Results
        )
    }

    /// The actions of this scope's own table, in help order.
    pub fn actions(self) -> &'static [Action] {
        use Action::*;
        match self {
            KeyScope::Global => &[
                Quit,
                Down,
                Up,
                Top,
                Bottom,
                HalfPageDown,
                HalfPageUp,
                PageDown,
                PageUp,
                Search,
                SearchNext,
                SearchPrev,
                Scope,
                Undo,
                NextStage,
                PrevStage,
                Stage1,
                Stage2,
                Stage3,
                Stage4,
                Stage5,
                Stage6,
                Stage7,
                Reader,
                Command,
                Help,
                Refresh,
            ],
            KeyScope::Queue => &[
                Filter,
                Sort,
                Tag,
                TagAll,
                Approve,
                Return,
                Opinion,
                Rectify,
                BulkApprove,
                BulkReturn,
                Open,
            ],
            KeyScope::Workspace => &[
                Pick1,
                Pick2,
                Pick3,
                Pick4,
                Pass,
                Fail,
                Conclusion,
                Approve,
                Return,
                Opinion,
                Rectify,
                KeyList,
                ResultConfirm,
                ResultChange,
                Open,
                Close,
            ],
            KeyScope::Board => &[Start, Evidence, Verify, RejectEvidence, Extend, Filter],
            KeyScope::Results => &[
                ResultConfirm,
                ResultChange,
                ResultConfirmTagged,
                Tag,
                TagAll,
                Filter,
                Open,
            ],
            KeyScope::Filter => &[
                FilterState,
                FilterSection,
                FilterUnit,
                FilterSeverity,
                FilterFindings,
                FilterClear,
                Close,
            ],
            KeyScope::Confirm => &[Yes, No, OverrideAll],
            KeyScope::Editor => &[Save, Template, Leave],
        }
    }

    /// The global actions that act on this screen besides its own: all of
    /// `[keys]` on the tabs, a few inside a workspace, none in a modal.
    pub fn global_actions(self) -> &'static [Action] {
        match self {
            KeyScope::Queue | KeyScope::Board | KeyScope::Results => KeyScope::Global.actions(),
            KeyScope::Workspace => WORKSPACE_GLOBALS,
            KeyScope::Global | KeyScope::Filter | KeyScope::Confirm | KeyScope::Editor => &[],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for KeyScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.table())
    }
}

/// Actions that sat in the flat `[keys]` before the scoped tables, and the
/// list screens (queue, results tab) whose keys that table was: an old
/// personal file's `[keys] approve` is read into these tables (with a
/// warning), so it keeps doing what it did there. The workspace and the board
/// had their own keys, checked before the flat ones; their tables keep their
/// defaults, so an old file is not refused for a clash it never had.
pub const LEGACY_FLAT: &[(Action, &[KeyScope])] = &[
    (Action::Filter, &[KeyScope::Queue, KeyScope::Results]),
    (Action::Sort, &[KeyScope::Queue]),
    (Action::Tag, &[KeyScope::Queue, KeyScope::Results]),
    (Action::TagAll, &[KeyScope::Queue, KeyScope::Results]),
    (Action::Approve, &[KeyScope::Queue]),
    (Action::Return, &[KeyScope::Queue]),
    (Action::Opinion, &[KeyScope::Queue]),
    (Action::Rectify, &[KeyScope::Queue]),
    (Action::BulkApprove, &[KeyScope::Queue]),
    (Action::BulkReturn, &[KeyScope::Queue]),
    (Action::ResultConfirm, &[KeyScope::Results]),
    (Action::ResultChange, &[KeyScope::Results]),
    (Action::ResultConfirmTagged, &[KeyScope::Results]),
    (Action::Open, &[KeyScope::Queue, KeyScope::Results]),
];

/// The scopes an old flat `[keys]` entry is read into, if `name` is one.
pub fn legacy_scopes(name: &str) -> Option<&'static [KeyScope]> {
    LEGACY_FLAT
        .iter()
        .find(|(a, _)| a.name() == name)
        .map(|(_, scopes)| *scopes)
}

impl Action {
    /// 0-based index of `pick_1`–`pick_4` (a criterion, a document).
    pub fn pick(self) -> Option<usize> {
        match self {
            Action::Pick1 => Some(0),
            Action::Pick2 => Some(1),
            Action::Pick3 => Some(2),
            Action::Pick4 => Some(3),
            _ => None,
        }
    }
}

/// A key binding problem, located by the scope and action whose list holds
/// the bad key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    pub scope: KeyScope,
    /// The action name under the scope's table, to find the line.
    pub action: String,
    pub message: String,
}

impl KeymapError {
    /// The dotted key of the entry concerned: `keys.workspace.pass`, `keys.quit`.
    pub fn path(&self) -> String {
        format!("{}.{}", self.scope.table(), self.action)
    }
}

/// The key strings of every `[keys…]` table, as read from the config.
pub type KeyTables = BTreeMap<KeyScope, BTreeMap<String, Vec<String>>>;

type Bindings = Vec<(Action, Vec<KeySpec>)>;

/// Every scope's actions with their keys; within a scope (and between a
/// screen and the global keys acting on it) each key does one thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    scopes: Vec<Bindings>,
}

impl Keymap {
    /// Builds the map from the `[keys…]` tables. Unknown actions, unreadable
    /// key strings, an action without keys and a key on two actions of one
    /// scope (or of a screen and the global keys acting on it) are errors;
    /// `blame` orders which of two clashing entries is named (the one set by
    /// the later layer).
    pub fn from_tables(tables: &KeyTables, blame: impl Fn(KeyScope, &str) -> usize) -> Result<Keymap, KeymapError> {
        let err = |scope: KeyScope, action: &str, message: String| KeymapError {
            scope,
            action: action.to_string(),
            message,
        };
        let empty = BTreeMap::new();
        let mut scopes = Vec::with_capacity(KeyScope::ALL.len());
        for scope in KeyScope::ALL {
            let table = tables.get(&scope).unwrap_or(&empty);
            for name in table.keys() {
                if !scope.actions().iter().any(|a| a.name() == name) {
                    return Err(err(scope, name, unknown_action(scope, name)));
                }
            }
            let mut owner: BTreeMap<KeySpec, Action> = BTreeMap::new();
            let mut bindings = Vec::with_capacity(scope.actions().len());
            for action in scope.actions() {
                let Some(strings) = table.get(action.name()) else {
                    return Err(err(
                        scope,
                        action.name(),
                        format!("{scope} 缺少动作「{}」的按键", action.name()),
                    ));
                };
                if strings.is_empty() {
                    return Err(err(
                        scope,
                        action.name(),
                        format!("{scope} 动作「{}」至少要绑定一个键", action.name()),
                    ));
                }
                let mut specs: Vec<KeySpec> = Vec::with_capacity(strings.len());
                for s in strings {
                    let spec = KeySpec::parse(s).map_err(|m| err(scope, action.name(), m))?;
                    if let Some(other) = owner.get(&spec).filter(|o| *o != action) {
                        let (later, earlier) = if blame(scope, other.name()) > blame(scope, action.name()) {
                            (*other, *action)
                        } else {
                            (*action, *other)
                        };
                        return Err(err(
                            scope,
                            later.name(),
                            format!(
                                "{scope} 按键「{spec}」同时绑定到「{}」和「{}」",
                                earlier.name(),
                                later.name()
                            ),
                        ));
                    }
                    owner.insert(spec, *action);
                    if !specs.contains(&spec) {
                        specs.push(spec);
                    }
                }
                bindings.push((*action, specs));
            }
            scopes.push(bindings);
        }
        let map = Keymap { scopes };
        // A screen's keys act together with the global ones it takes.
        for scope in KeyScope::ALL.into_iter().filter(|s| s.is_screen()) {
            for (action, specs) in map.bindings_of(scope) {
                for spec in specs {
                    let Some(global) = map.global_action(scope, *spec) else {
                        continue;
                    };
                    if SAME_THING.contains(&(scope, *action, global)) {
                        continue;
                    }
                    let text = format!(
                        "按键「{spec}」同时绑定到 {scope} 的「{}」和 {} 的「{}」（{}中 [keys] 的键同样有效）",
                        action.name(),
                        KeyScope::Global,
                        global.name(),
                        scope.label()
                    );
                    return Err(
                        if blame(KeyScope::Global, global.name()) > blame(scope, action.name()) {
                            err(KeyScope::Global, global.name(), text)
                        } else {
                            err(scope, action.name(), text)
                        },
                    );
                }
            }
        }
        Ok(map)
    }

    /// The actions of one scope's own table with their keys, in help order.
    pub fn bindings_of(&self, scope: KeyScope) -> &[(Action, Vec<KeySpec>)] {
        &self.scopes[scope.index()]
    }

    /// The global actions acting on `scope` besides its own, with their keys.
    pub fn global_bindings_of(&self, scope: KeyScope) -> impl Iterator<Item = &(Action, Vec<KeySpec>)> {
        let taken = scope.global_actions();
        self.bindings_of(KeyScope::Global)
            .iter()
            .filter(move |(a, _)| taken.contains(a))
    }

    fn global_action(&self, scope: KeyScope, key: KeySpec) -> Option<Action> {
        self.global_bindings_of(scope)
            .find(|(_, keys)| keys.contains(&key))
            .map(|(a, _)| *a)
    }

    fn own_action(&self, scope: KeyScope, key: KeySpec) -> Option<Action> {
        self.bindings_of(scope)
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(a, _)| *a)
    }

    /// The action a key triggers on `scope`: its own table first, then (for a
    /// screen) the global keys acting there. A modal scope has only its own.
    pub fn action_in(&self, scope: KeyScope, key: KeySpec) -> Option<Action> {
        self.own_action(scope, key).or_else(|| self.global_action(scope, key))
    }

    /// The keys of `action` on `scope` (its own table, else the global keys
    /// acting there); empty when the action does nothing there.
    pub fn keys_in(&self, scope: KeyScope, action: Action) -> &[KeySpec] {
        self.bindings_of(scope)
            .iter()
            .chain(self.global_bindings_of(scope))
            .find(|(a, _)| *a == action)
            .map(|(_, k)| k.as_slice())
            .unwrap_or(&[])
    }
}

/// "No such action here", saying where the action lives if elsewhere.
fn unknown_action(scope: KeyScope, name: &str) -> String {
    let homes: Vec<String> = KeyScope::ALL
        .into_iter()
        .filter(|s| s.actions().iter().any(|a| a.name() == name))
        .map(|s| s.to_string())
        .collect();
    if homes.is_empty() {
        let known: Vec<&str> = scope.actions().iter().map(|a| a.name()).collect();
        format!("{scope} 中没有动作「{name}」；可用的动作：{}", known.join("、"))
    } else {
        format!("{scope} 中没有动作「{name}」，它属于 {}", homes.join("、"))
    }
}

/// An old flat `[keys]` entry of a personal file, read into the screen
/// tables where it acted; said on stderr so the file gets moved over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedKey {
    pub origin: Origin,
    pub line: Option<usize>,
    /// The action name, as written under `[keys]`.
    pub action: String,
    /// The tables it was read into (empty: the file sets all of them itself).
    pub to: Vec<KeyScope>,
}

impl fmt::Display for MovedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = format!("keys.{}", self.action);
        match self.line {
            Some(line) => write!(f, "注意：{} 第 {line} 行，键 {key}：", self.origin)?,
            None => write!(f, "注意：{}，键 {key}：", self.origin)?,
        }
        let tables = |scopes: &[KeyScope]| scopes.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、");
        let home: Vec<KeyScope> = KeyScope::ALL
            .into_iter()
            .filter(|s| s.actions().iter().any(|a| a.name() == self.action))
            .collect();
        let read_into = legacy_scopes(&self.action).unwrap_or(&[]);
        if self.to.is_empty() {
            write!(
                f,
                "该动作已移到 {}，本文件已在那里设置，此行已忽略，请删去",
                tables(read_into)
            )?;
        } else {
            write!(
                f,
                "该动作已移到 {}，已按 {} 读入；请把这一行移到该表下（[keys] 只放全局按键）",
                tables(read_into),
                tables(&self.to)
            )?;
        }
        let others: Vec<KeyScope> = home.into_iter().filter(|s| !read_into.contains(s)).collect();
        if !others.is_empty() {
            write!(f, "；{} 中的「{}」另行设置，仍用其默认键", tables(&others), self.action)?;
        }
        Ok(())
    }
}

/// Reads the merged `[keys]` table: its arrays are the global actions, its
/// sub-tables the scopes. A wrong shape is an error with the dotted key.
pub fn read_tables(keys: &toml::Table) -> Result<KeyTables, (String, String)> {
    let mut tables: KeyTables = BTreeMap::new();
    tables.insert(KeyScope::Global, BTreeMap::new());
    for (name, value) in keys {
        match (value, KeyScope::from_name(name)) {
            (toml::Value::Table(t), Some(scope)) => {
                let mut entries = BTreeMap::new();
                for (action, v) in t {
                    let path = format!("{}.{action}", scope.table());
                    entries.insert(action.clone(), key_list(v).map_err(|m| (path, m))?);
                }
                tables.insert(scope, entries);
            }
            (_, Some(scope)) => {
                return Err((
                    format!("keys.{name}"),
                    format!("应为表 {scope}（写成 [{}] 下的「动作 = [按键]」）", scope.table()),
                ));
            }
            (toml::Value::Table(_), None) => {
                let known: Vec<&str> = KeyScope::ALL.iter().filter_map(|s| s.name()).collect();
                return Err((
                    format!("keys.{name}"),
                    format!("没有按键表 [keys.{name}]；可用：{}", known.join("、")),
                ));
            }
            _ => {
                let path = format!("keys.{name}");
                let list = key_list(value).map_err(|m| (path, m))?;
                tables.entry(KeyScope::Global).or_default().insert(name.clone(), list);
            }
        }
    }
    Ok(tables)
}

fn key_list(value: &toml::Value) -> Result<Vec<String>, String> {
    let wrong = || "类型不对：应为按键列表，如 [\"a\"] 或 [\"j\", \"Down\"]".to_string();
    let toml::Value::Array(items) = value else {
        return Err(wrong());
    };
    items
        .iter()
        .map(|v| v.as_str().map(str::to_string).ok_or_else(wrong))
        .collect()
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

    /// The built-in tables with `(scope, action, keys)` set over them.
    fn tables(pairs: &[(KeyScope, &str, &[&str])]) -> KeyTables {
        let file: toml::Table = crate::config::DEFAULT_TOML.parse().unwrap();
        let mut t = read_tables(file["keys"].as_table().unwrap()).unwrap();
        for (scope, action, keys) in pairs {
            t.entry(*scope)
                .or_default()
                .insert(action.to_string(), keys.iter().map(|s| s.to_string()).collect());
        }
        t
    }

    fn key(c: char) -> KeySpec {
        KeySpec::plain(KeyName::Char(c))
    }

    #[test]
    fn every_scope_refuses_a_key_on_two_of_its_actions() {
        for scope in KeyScope::ALL {
            let [a, b, ..] = scope.actions() else { panic!("{scope}") };
            let t = tables(&[(scope, a.name(), &["F9"]), (scope, b.name(), &["F9"])]);
            let later = |s: KeyScope, name: &str| usize::from(s == scope && name == b.name());
            let e = Keymap::from_tables(&t, later).unwrap_err();
            assert_eq!((e.scope, e.action.as_str()), (scope, b.name()), "{}", e.message);
            assert!(
                e.message.contains("「F9」") && e.message.contains(&scope.to_string()),
                "{}",
                e.message
            );
            let earlier = |s: KeyScope, name: &str| usize::from(s == scope && name == a.name());
            assert_eq!(Keymap::from_tables(&t, earlier).unwrap_err().action, a.name());
        }
    }

    #[test]
    fn a_screen_key_may_not_be_a_global_key_acting_there() {
        for scope in [KeyScope::Queue, KeyScope::Workspace, KeyScope::Board, KeyScope::Results] {
            let action = scope.actions()[0];
            let t = tables(&[(scope, action.name(), &["u"])]);
            let e = Keymap::from_tables(&t, |s, _| usize::from(s == scope)).unwrap_err();
            assert_eq!(e.path(), format!("{}.{}", scope.table(), action.name()));
            assert!(
                e.message.contains("「u」") && e.message.contains("undo"),
                "{}",
                e.message
            );
            // Set later in [keys]: the global entry is named.
            let e = Keymap::from_tables(&t, |s, _| usize::from(s == KeyScope::Global)).unwrap_err();
            assert_eq!(e.path(), "keys.undo");
        }
        // Stage keys do not act inside a workspace, so `1` picks there.
        let map = Keymap::from_tables(&tables(&[]), |_, _| 0).unwrap();
        assert_eq!(map.action_in(KeyScope::Workspace, key('1')), Some(Action::Pick1));
        assert_eq!(map.action_in(KeyScope::Queue, key('1')), Some(Action::Stage1));
    }

    #[test]
    fn modal_scopes_do_not_clash_with_global_keys() {
        for scope in [KeyScope::Filter, KeyScope::Confirm, KeyScope::Editor] {
            let action = scope.actions()[0];
            let t = tables(&[(scope, action.name(), &["u", "j", "Ctrl-d"])]);
            let map = Keymap::from_tables(&t, |_, _| 0).unwrap();
            assert_eq!(map.action_in(scope, key('u')), Some(action));
            // Nothing global acts in a modal.
            assert_eq!(map.action_in(scope, key('G')), None);
        }
    }

    #[test]
    fn unknown_action_names_the_scope_and_where_it_lives() {
        let e = Keymap::from_tables(&tables(&[(KeyScope::Workspace, "launch", &["L"])]), |_, _| 0).unwrap_err();
        assert_eq!(e.path(), "keys.workspace.launch");
        assert!(
            e.message.contains("[keys.workspace]") && e.message.contains("pass"),
            "{}",
            e.message
        );
        let e = Keymap::from_tables(&tables(&[(KeyScope::Board, "approve", &["L"])]), |_, _| 0).unwrap_err();
        assert!(e.message.contains("[keys.queue]"), "{}", e.message);
        let e = Keymap::from_tables(&tables(&[(KeyScope::Queue, "sort", &["Hyper-s"])]), |_, _| 0).unwrap_err();
        assert_eq!(e.path(), "keys.queue.sort");
    }

    #[test]
    fn lookup_both_ways() {
        let t = tables(&[(KeyScope::Queue, "approve", &["a", "a"])]);
        let map = Keymap::from_tables(&t, |_, _| 0).unwrap();
        assert_eq!(map.action_in(KeyScope::Queue, key('a')), Some(Action::Approve));
        assert_eq!(map.keys_in(KeyScope::Queue, Action::Approve), &[key('a')]);
        assert_eq!(
            map.keys_in(KeyScope::Workspace, Action::Down),
            map.keys_in(KeyScope::Global, Action::Down)
        );
        assert_eq!(map.keys_in(KeyScope::Workspace, Action::Search), &[]);
        assert_eq!(map.keys_in(KeyScope::Filter, Action::Down), &[]);
        assert_eq!(map.action_in(KeyScope::Results, key('y')), Some(Action::ResultConfirm));
        for scope in KeyScope::ALL {
            assert_eq!(map.bindings_of(scope).len(), scope.actions().len());
        }
    }

    #[test]
    fn every_action_has_a_scope_and_scopes_list_no_action_twice() {
        for action in Action::ALL {
            assert!(
                KeyScope::ALL.iter().any(|s| s.actions().contains(action)),
                "{}",
                action.name()
            );
        }
        for scope in KeyScope::ALL {
            let mut names: Vec<&str> = scope.actions().iter().map(|a| a.name()).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), scope.actions().len(), "{scope}");
            assert_eq!(
                KeyScope::from_name(scope.name().unwrap_or("")),
                scope.name().map(|_| scope)
            );
        }
        for (action, scopes) in LEGACY_FLAT {
            assert!(!KeyScope::Global.actions().contains(action));
            assert!(scopes.iter().all(|s| s.actions().contains(action)), "{}", action.name());
        }
    }
}
