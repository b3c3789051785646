//! Every user-facing string of the terminal UI, in one place (Chinese).

pub const APP_TITLE: &str = "绩效审核工作台";
pub const PANIC_LOG_AT: &str = "jixiao 意外退出，终端已恢复。详细日志：";
pub const TOO_SMALL: &str = "终端窗口太小：至少需要 80×24，当前为";
pub const TOO_SMALL_HINT: &str = "请放大窗口，或按 q 退出。";
pub const TAB_OVERVIEW: &str = "总览";
pub const COL_UNIT: &str = "单位";
pub const COL_PROJECT: &str = "项目";
pub const COL_AMOUNT: &str = "金额(万元)";
pub const COL_FINDINGS: &str = "问题";
pub const COL_STATE: &str = "状态";
pub const PREVIEW_TITLE: &str = "问题预览";
pub const PREVIEW_CLEAN: &str = "未发现问题。";
pub const QUEUE_EMPTY: &str = "本阶段没有待处理事项。";
pub const FILTER_NONE: &str = "筛选:无";
pub const REVIEWER: &str = "审核人:";
pub const HINTS: &str = "j/k 移动  Tab 切换阶段  ? 帮助  q 退出";
pub const HELP_TITLE: &str = "帮助（按任意键关闭）";
pub const READ_ONLY: &str = "只读";
pub const NOT_YET: &str = "该功能尚未开放：";
pub const RECT_EMPTY: &str = "暂无整改事项。";
pub const OVERVIEW_TITLE: &str = "各阶段进度";
pub const LOCALE_NOT_UTF8: &str = "当前终端编码不是 UTF-8（LANG/LC_ALL），中文会显示为乱码。请在 Xshell/PuTTY/SecureCRT 的会话设置中把编码改为 UTF-8，并设置 LANG=zh_CN.UTF-8 后重试。";
pub const EDITOR_HINTS: &str = "Ctrl-S 保存  Esc 离开（保留草稿）  Ctrl-T+数字 插入模板";
pub const EDITOR_TEMPLATE_PROMPT: &str = "插入模板：按 1-9 选择，其他键取消";
pub const EDITOR_CHAR_COUNT: &str = "字数";
pub const EDITOR_PLACEHOLDER: &str = "在此输入意见";
