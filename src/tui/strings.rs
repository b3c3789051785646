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
/// Opens the status bar of a session that may change nothing; the reason follows.
pub const READ_ONLY_BANNER: &str = "只读：";
pub const NOT_YET: &str = "该功能尚未开放：";
pub const RECT_EMPTY: &str = "暂无整改事项。";
pub const OVERVIEW_TITLE: &str = "各阶段进度";
pub const LOCALE_NOT_UTF8: &str = "当前终端编码不是 UTF-8（LANG/LC_ALL），中文会显示为乱码。请在 Xshell/PuTTY/SecureCRT 的会话设置中把编码改为 UTF-8，并设置 LANG=zh_CN.UTF-8 后重试。";
pub const REFRESHED: &str = "已刷新。";
pub const SORTED_BY: &str = "排序：";
pub const UNTAGGED_ALL: &str = "已取消全部标记。";
pub const TAGGED_ALL: &str = "已标记当前显示的全部事项：";
pub const NEEDS_OVERRIDE: &str = " 条阻断问题：须写明理由才能强制通过（Ctrl-S 提交，Esc 放弃）。";
pub const DONE_SUFFIX: &str = "完成。";
pub const CONFLICT_PREFIX: &str = "未保存：该事项刚被 ";
pub const CONFLICT_SUFFIX: &str = " 修改过，已重新读取，请查看后再操作。";
pub const EDIT_RETURN: &str = "退回意见";
pub const EDIT_OVERRIDE: &str = "强制通过理由";
pub const EDIT_OPINION: &str = "审核意见";
pub const EDIT_DRAFT: &str = "恢复的意见草稿";
pub const EDIT_BULK_OVERRIDE: &str = "批量强制通过理由（含阻断事项）";
pub const EDIT_BULK_RETURN: &str = "批量退回意见";
pub const NOTHING_TAGGED: &str = "没有已标记的事项：先用 Space 标记，或用 T 标记全部显示的事项。";
pub const NOTHING_TO_DECIDE: &str = "已标记的事项都已处理，没有可操作的事项。";
pub const BATCH_DONE: &str = "批量";
pub const ITEMS: &str = " 项";
pub const ITEMS_TO: &str = " 项到 ";
pub const BATCH_FAILED: &str = "批量操作未执行（全部未改动）：";
pub const NOTHING_TO_UNDO: &str = "没有可撤销的操作。";
pub const UNDONE: &str = "已撤销 ";
pub const UNDO_FAILED: &str = "无法撤销：";
pub const NO_SEARCH: &str = "还没有搜索：按 / 输入要找的单位、项目或问题。";
pub const SEARCH_HITS: &str = "匹配 ";
pub const SEARCH_NONE: &str = "没有匹配：";
pub const UNIT_NOT_FOUND: &str = "找不到单位：";
pub const UNIT_NOT_SHOWN: &str = " 在当前筛选下没有事项。";
pub const WENT_TO: &str = "已跳到：";
pub const CANCELLED: &str = "已取消。";
pub const DRAFT_SAVE_FAILED: &str = "草稿未能保存（界面中的文字仍在）：";
pub const NO_TEMPLATE: &str = "没有这个模板：";
pub const DRAFT_KEPT: &str = "已离开编辑，草稿已保存，下次按 r 或 o 继续。";
pub const OPINION_SAVED: &str = "审核意见已保存。";
pub const OPINION_TOO_SHORT: &str = "意见太短，至少 ";
pub const CHARS: &str = " 个字。";
pub const PROMPT_UNIT: &str = "单位编码或名称：";
pub const CMD_EMPTY: &str = "请输入命令，如 :filter state=待审、:goto 101001、:sort amount、:q";
pub const CMD_GOTO_USAGE: &str = "用法：:goto 单位编码或名称";
pub const CMD_SORT_BAD: &str = "排序可选 amount、unit、findings、state、default，不认识：";
pub const CMD_EXPORT_USAGE: &str = "用法：:export opinions|rectifications|findings 文件.xlsx";
pub const CMD_UNKNOWN: &str = "不认识的命令：";
pub const CMD_FILTER_BAD: &str = "筛选条件应写成 键=值（state/section/unit/severity/findings），不认识：";
pub const TAGGED: &str = "已标记 ";
pub const SORT: &str = "排序:";
pub const FILTER: &str = "筛选:";
pub const FILTER_MENU_TITLE: &str = "筛选（按数字切换，立即生效；0 清除；Enter/Esc 关闭）";
pub const FILTER_STATE: &str = "1 状态";
pub const FILTER_SECTION: &str = "2 科室";
pub const FILTER_UNIT: &str = "3 单位";
pub const FILTER_SEVERITY: &str = "4 问题程度";
pub const FILTER_FINDINGS: &str = "5 有无问题";
pub const ALL: &str = "全部";
pub const HAS_FINDINGS: &str = "有问题";
pub const NO_FINDINGS: &str = "无问题";
pub const AT_LEAST: &str = "至少";
pub const CONFIRM_YES_NO: &str = "y 确认    n 取消";
pub const CONFIRM_OVERRIDE: &str = "o 连同阻断事项一起强制通过（须写理由）";
pub const BULK_APPROVE_Q: &str = "批量通过";
pub const BULK_RETURN_Q: &str = "批量退回";
pub const BLOCKING_SKIPPED: &str = "其中有阻断问题（将跳过）";
pub const ALREADY_DECIDED: &str = "已处理（跳过）";
pub const DRAFTS_FOUND: &str = "发现上次未提交的意见草稿 ";
pub const DRAFTS_OPEN: &str = "份。Enter 打开最近的一份继续编辑，n 稍后处理。";
pub const RECT_HEADER: &str = "状态     单位           问题                                  期限        剩余";
pub const OVERDUE: &str = "逾期";
pub const DAYS: &str = "天";

/// Label of a sort order.
pub fn sort_label(sort: crate::store::QueueSort) -> &'static str {
    use crate::store::QueueSort::*;
    match sort {
        Loaded => "默认",
        AmountDesc => "金额从大到小",
        FindingsDesc => "问题从多到少",
        Unit => "单位",
        State => "状态",
    }
}

/// A return opinion to start from: one numbered line per finding.
pub fn return_draft(findings: &[crate::domain::Finding]) -> String {
    if findings.is_empty() {
        return String::new();
    }
    let mut text = String::from("经审核，存在以下问题：\n");
    for (i, f) in findings.iter().enumerate() {
        text.push_str(&format!("{}. {}\n", i + 1, crate::domain::text::sanitize(&f.message)));
    }
    text.push_str("请按要求修改完善后重新报送。");
    text
}
pub const NOT_LOADED: &str = "（切换到该页后统计）";
pub const MORE_FINDINGS: &str = "另有 ";
pub const MORE_FINDINGS_SUFFIX: &str = " 条问题（Enter 查看详情）";
pub const EDITOR_HINTS: &str = "Ctrl-S 保存  Esc 离开（保留草稿）  Ctrl-T+数字 插入模板";
pub const EDITOR_TEMPLATE_PROMPT: &str = "插入模板：按 1-9 选择，其他键取消";
pub const EDITOR_CHAR_COUNT: &str = "字数";
pub const EDITOR_PLACEHOLDER: &str = "在此输入意见";
