//! Every user-facing string of the terminal UI, in one place (Chinese).

pub const APP_TITLE: &str = "绩效审核工作台";
// ---- small fixes (item 8) ----
/// After the reason `ResultChoice::check` gives, as the question asked again
/// (the text typed stays after it).
pub const RESULT_CHANGE_FORM: &str = "，请写成「处理方式；理由」：";
/// The extension date asked again: the forms it may take.
pub const DATE_AGAIN: &str = "无法识别的日期，可写 2026-12-31、2026/12/31、2026年12月31日、20261231：";
pub const KEY_LIST_SCOPE: &str = "范围：";
/// After a section reviewer's own sections on the key-project list's scope line.
pub const KEY_LIST_MINE: &str = "（本人负责的科室）";
/// Admins and auditors see every section.
pub const KEY_LIST_ALL: &str = "全部科室";
pub const KEY_LIST_COUNT: &str = "，重点项目 ";
pub const KEY_LIST_UNIT: &str = " 个";
pub const KEY_LIST_RATE: &str = "执行率";
pub const PANIC_LOG_AT: &str = "jixiao 意外退出，终端已恢复。详细日志：";
pub const TOO_SMALL: &str = "终端窗口太小：至少需要 80×24，当前为";
pub const TOO_SMALL_HINT: &str = "请放大窗口，或按 q 退出。";
// ---- terminal: hang-up, resize, too small ----
/// q on the too-small screen while a bulk reason is typed: it belongs to no
/// one item, so no draft can keep it, and the session stays.
pub const TOO_SMALL_TEXT_NOT_KEPT: &str =
    "正在填写的批量理由无法保存为草稿，未退出：请放大窗口后提交，或按 Esc 放弃后再退出。";
/// On the shell after q on the too-small screen kept the opinion being typed.
pub const QUIT_DRAFT_KEPT: &str = "jixiao：正在填写的意见已保存为草稿，下次按 r 或 o 继续。";

/// On the shell after a signal (`kill`, a shutdown) ended the session while
/// the terminal was still there; `draft` says what became of the text being
/// typed: Some(true) kept as a draft, Some(false) not kept (written to the log).
pub fn stopped_by_signal(signal: &str, draft: Option<bool>) -> String {
    format!(
        "jixiao：收到 {signal} 信号，会话已结束。{}",
        match draft {
            Some(true) => "正在填写的意见已保存为草稿，下次按 r 或 o 继续。",
            Some(false) => "正在填写的文字未能保存为草稿，已写入日志。",
            None => "",
        }
    )
}
pub const TAB_OVERVIEW: &str = "总览";
pub const TAB_RESULTS: &str = "结果应用";
pub const COL_UNIT: &str = "单位";
pub const COL_PROJECT: &str = "项目";
pub const COL_AMOUNT: &str = "金额(万元)";
pub const COL_FINDINGS: &str = "问题";
pub const COL_STATE: &str = "状态";
pub const PREVIEW_TITLE: &str = "问题预览";
pub const PREVIEW_CLEAN: &str = "未发现问题。";
pub const FILTER_NONE: &str = "筛选:无";
pub const REVIEWER: &str = "审核人:";
/// The help box's title, naming the screen whose keys it lists.
pub fn help_title(screen: &str) -> String {
    format!("帮助：{screen}（按任意键关闭）")
}
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
pub const ROWS: &str = " 行";
pub const ITEMS_TO: &str = " 项到 ";
pub const BATCH_FAILED: &str = "批量操作未执行（全部未改动）：";
pub const BATCH_REFUSED: &str = " 项未通过（意见未逐条回应问题），如：";
pub const NOTHING_TO_UNDO: &str = "没有可撤销的操作。";
pub const UNDONE: &str = "已撤销：";
pub const UNDO_FAILED: &str = "无法撤销「";
pub const UNDO_CANNOT_PREFIX: &str = "上一步「";
pub const UNDO_CANNOT_SUFFIX: &str = "」无法撤销（文件已写出）；再按 u 撤销更早的操作。";
/// An item named by its number when its unit and project cannot be read.
pub const ITEM_FALLBACK: &str = "事项 ";
pub const UNDO_OPINION: &str = "保存审核意见";
pub const UNDO_EXPORT: &str = "导出";
pub const UNDO_VERDICTS: &str = "目标审核结论";
pub const UNDO_RECT_NEW: &str = "新建整改事项 #";
pub const UNDO_RECT_STEP: &str = "整改事项 #";
pub const UNDO_MON_REJECT: &str = "驳回情况说明并新建整改";
pub const UNDO_RESULT_CONFIRM: &str = "确认结果应用";
pub const UNDO_RESULT_CHANGE: &str = "调整结果应用";
pub const UNDO_RESULTS_BATCH: &str = "批量确认结果应用";
pub const UNDO_DOC_TICK: &str = "登记";
pub const UNDO_DOC_UNTICK: &str = "取消登记";
// ---- scope: my section, tab 5 filter and search ----
pub const SCOPE_MINE: &str = "本科室:";
pub const SCOPE_ALL: &str = "全部科室";
pub const SCOPE_NOW: &str = "显示范围：";
pub const SCOPE_NONE_OWN: &str = "您负责全部业务科室（或未分配科室），显示的已是全部科室。";
pub const BOARD_FILTER_OVERDUE: &str = "逾期";
pub const BOARD_ALL_HIDDEN: &str = "当前范围和筛选下没有整改事项（另有 ";
pub const BOARD_ALL_HIDDEN_TAIL: &str = " 项未显示：F 切换本科室/全部科室，f 更换筛选）。";
pub const BOARD_PROBLEM: &str = "问题";
pub const BOARD_DEADLINE: &str = "整改期限：";
pub const TAB_BOARD_NAME: &str = "整改事项";
pub const BULK_NOT_YOURS: &str = " 项属于其他科室（无权处理，将跳过）";
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
pub const CMD_EXPORT_USAGE: &str = "用法：:export opinions|rectifications|findings|results 文件.xlsx";
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
// ---- queue columns and counts ----
/// Headers of the stage lists' own columns. The finding counts are per
/// severity, most severe first; the stage's key figure comes from the last
/// refresh of the findings (an import), never recomputed on screen.
pub const COL_COUNTS: &str = "阻/警/提";
pub const COL_FIRST_FINDING: &str = "首要问题";
pub const COL_RATE: &str = "执行率";
pub const COL_SELF_SCORES: &str = "自评/复算 级";
pub const COL_KEY_SCORE: &str = "得分 等级";
/// Shown for a figure not yet derived (a file not refreshed since the upgrade).
pub const FIGURE_MISSING: &str = "-";
/// The hint line of each stage's list: what its columns mean (the help key follows).
pub fn queue_legend(stage: crate::domain::Stage) -> &'static str {
    use crate::domain::Stage::*;
    match stage {
        Target => "阻/警/提=阻断/警告/提示问题数  行首 +已通过 x已退回 *已重报",
        Monitoring => "执行率=执行数÷预算  阻/警/提=阻断/警告/提示问题数",
        SelfEval => "自评/复算=单位自评分/复算分，级=复算等级  阻/警/提=问题数",
        KeyEval => "得分 等级=第三方机构评价结果  阻/警/提=阻断/警告/提示问题数",
        Rectification => "",
    }
}
/// A review state in two characters, for the state column of a narrow screen.
pub fn state_short(state: crate::domain::ReviewState) -> &'static str {
    use crate::domain::ReviewState::*;
    match state {
        Pending => "待审",
        Approved => "通过",
        Returned => "退回",
        Resubmitted => "重报",
    }
}
/// A stage with no items at all.
pub const QUEUE_STAGE_EMPTY: &str = "本阶段没有事项。";
/// The filter hides every item of a stage that has some.
pub fn queue_filtered_empty(total: i64, pending: i64) -> String {
    format!("当前筛选下没有事项（本阶段共 {total} 项，其中待审 {pending} 项；按 f 再按 0 清除筛选）。")
}
/// The overview's coverage heading: a unit counts once all its projects are
/// covered, as the funds count only covered projects' amounts.
pub const OV_COVERAGE: &str = "-- 覆盖情况：单位=项目全部覆盖的单位（另计部分覆盖），资金=已覆盖项目的金额";
/// Units partly covered, after the fully covered count.
pub const OV_UNITS_PARTLY: &str = " 部分";
/// The overview's grade lines: the grade result application uses (tab 7's
/// rows and rule), then the grades as the units and the firms reported them.
pub const OV_GRADES_USED: &str = "结果应用等级（同第7页，重点评价优先，否则复算）";
pub const OV_GRADES_REPORTED: &str = "上报等级：单位自评分 ";
pub const OV_KEY_GRADES: &str = "  重点评价机构 ";
/// Said on the shell after the session ended for being idle.
pub fn idle_locked(minutes: u32, draft_kept: bool) -> String {
    format!(
        "jixiao：已 {minutes} 分钟无操作，会话已自动锁定并退出，屏幕上的审核数据已清除。{}重新运行 jixiao 即可继续。",
        if draft_kept {
            "正在填写的意见已保存为草稿，"
        } else {
            ""
        }
    )
}

pub const DRAFTS_FOUND: &str = "发现上次未提交的意见草稿 ";
pub const DRAFTS_OPEN: &str = "份。Enter 打开最近的一份继续编辑，n 稍后处理。";
pub const DRAFTS_LATEST: &str = "最近的一份：";
/// An item whose unit's data changed after its findings were computed.
pub const FINDINGS_PENDING_SHORT: &str = "待重算";
pub const FINDINGS_PENDING: &str = "问题清单待重算";
pub const FINDINGS_PENDING_LONG: &str = "该单位的数据已更新，问题清单尚未重新计算（导入可能被中断），暂不能通过；再次运行 jixiao import 或 Ctrl-l 刷新即补算。";
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
pub const EXPORTED: &str = "已导出";
pub const EXPORT_FAILED: &str = "导出失败：";
pub const COLON: &str = "：";

// ---- stage workspaces (detail), rectification board, overview ----------------

pub const DETAIL_GOAL: &str = "年度目标：";
pub const DETAIL_NO_GOAL: &str = "（未填写年度绩效目标）";
pub const DETAIL_OPINION: &str = "-- 审核意见 ";
pub const DETAIL_NO_OPINION: &str = "（尚未填写）";
pub const DETAIL_FINDINGS: &str = "-- 问题 ";
pub const DETAIL_NO_FINDINGS: &str = "未发现问题。";
pub const DETAIL_INDICATORS: &str = "-- 绩效指标（一级 > 二级 > 三级：方向 指标值 计量单位；! 为有问题的指标）";
pub const DETAIL_NO_INDICATORS: &str = "（未设定任何绩效指标）";
pub const DETAIL_RECTS: &str = "-- 已开整改事项 ";
pub const DETAIL_NOT_FOUND: &str = "该事项已不存在（可能被他人删除），已返回队列。";
pub const DETAIL_NOTHING: &str = "队列中没有选中的事项。";
pub const STATE: &str = "状态:";
pub const FINDINGS_COUNT: &str = "问题 ";
pub const WAN: &str = "万元";
pub const NOT_GIVEN: &str = "未审";
pub const PASS: &str = "通过";
pub const FAIL: &str = "不通过：";
pub const CONCLUSION: &str = "审核结论：";
pub const CONCLUSION_PENDING: &str = "四项审核全部给出后得出结论";
pub const CONCLUSION_CHANGED_FROM: &str = "（由「";
pub const CONCLUSION_CHANGED_REASON: &str = "」改定，理由：";
pub const CLOSE_PAREN: &str = "）";
pub const PROMPT_FAIL_REASON: &str = "不通过的理由：";
pub const PROMPT_CONCLUSION: &str = "改定结论（优/良/中/差）及理由，如「中 测算依据不足」：";
pub const CONCLUSION_BAD: &str = "请以 优、良、中 或 差 开头，后接理由。";
pub const VERDICT_SAVED: &str = "已记录：";
pub const RETURN_TARGET_HEAD: &str = "经审核（财预〔2015〕88号），审核结论为「";
pub const RETURN_TARGET_TAIL: &str = "请按以上意见修改完善绩效目标后重新报送。";
pub const MON_EXEC: &str = "预算执行：";
pub const MON_EXEC_OF: &str = " / 预算 ";
/// The bar's mark, at `monitoring.execution_threshold`.
pub fn mon_line(threshold: rust_decimal::Decimal) -> String {
    format!("（| 为 {} 线）", crate::domain::money::format_percent_short(threshold))
}
pub const MON_NONE: &str = "（未报送监控数据）";
pub const MON_EXPLAIN: &str = "情况说明：";
pub const MON_MEASURES: &str = "整改措施：";
pub const MON_EMPTY: &str = "（未填写）";
/// The progress heading, at `monitoring.progress_threshold`.
pub fn mon_progress(threshold: rust_decimal::Decimal) -> String {
    format!(
        "-- 指标完成进度（当前 / 目标，低于 {} 标 !）",
        crate::domain::money::format_percent_short(threshold)
    )
}
pub const MON_NO_PROGRESS: &str = "（未报送指标进度）";
pub const MON_REASON: &str = "原因：";
pub const MON_ACTION: &str = "举措：";
pub const MON_REJECT_TITLE: &str = "不认可情况说明（保存后退回并开整改事项）";
pub const MON_REJECT_HEAD: &str = "经审核，监控异常的情况说明及整改措施不充分，不予认可：";
pub const MON_REJECT_TAIL: &str = "请于整改期限内加快预算执行、落实整改措施并报送佐证材料。";
pub const MON_REJECTED: &str = "已不认可并退回，整改事项已建立：";
pub const MON_LIST_TITLE: &str = "-- 重点项目执行清单（10 月全面清理，执行率从低到高）";
pub const MON_LIST_EMPTY: &str = "（没有达到重点监控金额的项目）";
pub const MON_NOT_REPORTED: &str = "未报";
pub const SE_SELF: &str = "自评得分 ";
pub const SE_RECOMPUTED: &str = "重算得分 ";
pub const SE_DIFF: &str = "相差 ";
pub const SE_POINTS: &str = " 分";
pub const SE_EXEC: &str = "全年执行 ";
pub const SE_OCT: &str = "10 月监控执行 ";
pub const SE_NO_OCT: &str = "10 月未监控";
pub const SE_NONE: &str = "（未提交自评）";
pub const SE_LINES: &str = "-- 逐项重算（权重 / 重算得分 / 扣分  扣分原因）";
pub const SE_REPORT: &str = "-- 自评报告 / 存在问题 / 改进措施";
pub const SE_EDIT_HINT: &str = "（按 o 编辑，每条问题一段）";
pub const RESULT_APP: &str = "结果应用：";
pub const RESULT_CUT: &str = "压减 ";
pub const RESULT_NEXT: &str = "，下年 ";
pub const RESULT_CONFIRMED: &str = "[已确认]";
pub const RESULT_CHANGED: &str = "[已调整：";
pub const RESULT_OPEN: &str = "[待确认]";
pub const RESULT_NO_GRADE: &str = "（无评价等级，暂无结果应用建议）";
pub const RESULT_OUTDATED: &str = "[待复核：等级已变]";
pub const RESULT_NO_PROJECT: &str = "（评价对象没有对应的项目——部门整体项目的编码须与单位编码相同——无法记录结果应用）";
pub const RESULT_SAVED: &str = "结果应用已记录。";
pub const PROMPT_RESULT: &str = "调整后的处理方式；理由：";
pub const KE_OBJECT: &str = "评价对象 ";
pub const KE_FIRM: &str = "委托机构 ";
pub const KE_AMOUNT: &str = "评价金额 ";
pub const KE_SCORE: &str = "得分 ";
pub const KE_GRADE: &str = "等级 ";
pub const KE_NO_SCORE: &str = "尚无";
pub const KE_DOCS: &str = "过程文件（不漏项，缺一不能结项）：";
pub const KE_NOT_RECEIVED: &str = "未收到";
pub const KE_PROBLEMS: &str = "-- 发现问题（j/k 选择，x 转为整改事项）";
pub const KE_NO_PROBLEMS: &str = "（未列出问题）";
pub const KE_TICKED: &str = "已登记收到：";
pub const KE_UNTICKED: &str = "已撤销收到登记：";
pub const KE_NOT_KEY_EVAL: &str = "该事项没有重点评价记录。";
pub const RECT_CREATED: &str = "已建立整改事项 #";
pub const RECT_DEADLINE: &str = "，期限 ";
pub const RECT_EDIT_TITLE: &str = "新建整改事项（问题描述，Ctrl-S 建立）";
pub const RECT_DEFAULT_MEASURE: &str = "请针对上述问题制定整改措施，于期限内报送整改情况及佐证材料。";
pub const RECT_EMPTY_PROBLEM: &str = "整改问题不能为空。";
pub const BOARD_HEADER: &str = "   单位          问题                                 期限       剩余      来源";
pub const BOARD_DETAIL: &str = "-- 整改详情 ";
pub const BOARD_SOURCE: &str = "来源：";
pub const BOARD_MEASURE: &str = "整改要求：";
pub const BOARD_EVIDENCE: &str = "佐证材料：";
pub const BOARD_NO_EVIDENCE: &str = "（未报送）";
pub const BOARD_VERIFIED: &str = "销号：";
pub const BOARD_EXTENDED: &str = "延期：";
pub const BOARD_LEFT: &str = "剩";
pub const BOARD_DONE: &str = "已办结";
pub const PROMPT_EVIDENCE: &str = "佐证材料（文件名或说明）：";
pub const PROMPT_REJECT_EVIDENCE: &str = "退回佐证的理由：";
pub const PROMPT_EXTEND_DATE: &str = "新期限（如 2026-12-31）：";
pub const PROMPT_EXTEND_REASON: &str = "延期理由：";
pub const RECT_DONE: &str = "整改事项已";
pub const OV_UNITS: &str = "单位 ";
pub const OV_FUNDS: &str = "资金 ";
pub const OV_YI: &str = "亿";
pub const OV_SECTIONS: &str = "各科室审核进度 %";
pub const OV_EXCEPTIONS: &str = "监控异常(按科室)";
pub const OV_RECTS: &str = "整改：";
pub const OV_OVERDUE: &str = "  逾期未销号 ";
pub const OV_EMPTY: &str = "数据库中还没有数据：先导入或运行 jixiao demo。";

// ---- result application (tab 7) ---------------------------------------------

pub const RES_COL_GRADE: &str = "等级";
pub const RES_COL_TREATMENT: &str = "建议处理";
pub const RES_COL_NEXT: &str = "建议下年";
pub const RES_COL_ANSWER: &str = "答复";
pub const RES_EMPTY: &str = "没有评价等级的项目：自评审核或重点评价有了等级后列在这里。";
pub const RES_NONE_SHOWN: &str = "当前筛选下没有项目（按 f 切换筛选）。";
pub const RES_DETAIL: &str = "-- 结果应用 ";
pub const RES_SUGGESTED: &str = "建议：";
pub const RES_CUT: &str = "（压减 ";
pub const RES_NEXT: &str = "，下年 ";
pub const RES_GRADE_FROM: &str = "等级来源：";
pub const RES_ANSWER: &str = "答复：";
pub const RES_OPEN: &str = "待确认（y 确认建议，m 调整并写理由）";
pub const RES_CONFIRMED: &str = "已确认建议";
pub const RES_CHANGED: &str = "已调整为「";
pub const RES_REASON: &str = "」，理由：";
pub const RES_OUTDATED: &str = "待复核：原答复针对等级「";
pub const RES_OUTDATED_TAIL: &str = "」，评价等级已变，请重新确认";
pub const RES_TOTAL: &str = "共";
pub const ITEM: &str = "项";
pub const RES_ANSWERED: &str = "已答复";
pub const RES_TOTAL_CUT: &str = "下年压减";
pub const RES_NOT_CHANGED: &str = "（不含调整";
pub const RES_NOT_CHANGED_TAIL: &str = "项）";
pub const RES_NOTE: &str = "注：";
pub const RES_FILTER_ALL: &str = "全部";
pub const RES_FILTER_OPEN: &str = "待确认";
pub const RES_FILTERED: &str = "筛选（f 切换）：";
pub const RES_CONFIRMED_ONE: &str = "已确认：";
pub const RES_CHANGED_ONE: &str = "已调整：";
pub const RES_CONFIRMED_MANY: &str = "已确认结果应用建议 ";
pub const RES_SKIPPED_ANSWERED: &str = "，跳过已答复 ";
pub const RES_NOTHING_OPEN: &str = "没有待确认的项目。";
pub const RES_CONFIRM_ALL_Q: &str = "确认结果应用建议";
pub const RES_CONFIRM_ALL: &str = "没有标记：确认当前显示的全部待确认项目 ";
pub const RES_ONLY_HERE: &str = "结果应用在第 7 页签（按 7），或在自评审核、重点评价工作区中确认。";
pub const RES_NO_ROW: &str = "没有选中的项目。";

/// Label of a coverage step on the overview.
pub fn coverage_label(step: crate::store::CoverageStep) -> &'static str {
    use crate::store::CoverageStep::*;
    match step {
        TargetsSubmitted => "目标申报",
        TargetsReviewed => "目标已审",
        SelfEvaluated => "开展自评",
        SelfEvalReviewed => "自评已审",
    }
}

// ---- reader and wrapping ----

/// After the reader key in the hint lines: "i 查看全文".
pub const READER_HINT: &str = "查看全文";
/// Ends a message cut to its lines: "（i 查看全文）".
pub const READER_MORE_OPEN: &str = "（";
pub const READER_MORE_CLOSE: &str = " 查看全文）";
pub const READER_TITLE: &str = "全文";
pub const READER_KEYS: &str = "j/k 滚动 Space/PgDn 翻页 g/G 首尾 q/Esc 关闭";
pub const READER_LINES: &str = " 行";
pub const READER_MESSAGE: &str = "-- 提示（最近一条，全文）";
pub const READER_MESSAGE_TITLE: &str = "提示";
pub const READER_NOTHING: &str = "这里没有可展开的长文本：在队列（1-4 页签）或事项工作区中按此键查看事项全文。";
pub const READER_EMPTY: &str = "（未填写）";
pub const READER_GOAL: &str = "-- 年度绩效目标";
pub const READER_FINDINGS: &str = "-- 问题";
pub const READER_OPINION: &str = "-- 审核意见";
pub const READER_NO_OPINION: &str = "（尚未填写）";
pub const READER_VERDICTS: &str = "-- 四项审核（财预〔2015〕88号）";
pub const READER_INDICATORS: &str = "-- 绩效指标及其问题";
pub const READER_EXEC: &str = "-- 预算执行";
pub const READER_EXPLAIN: &str = "-- 情况说明";
pub const READER_MEASURES: &str = "-- 整改措施";
pub const READER_PROGRESS: &str = "-- 指标完成进度";
pub const READER_REPORT: &str = "-- 自评报告";
pub const READER_PROBLEMS: &str = "-- 存在问题";
pub const READER_IMPROVE: &str = "-- 改进措施";
pub const READER_KE_PROBLEMS: &str = "-- 评价发现的问题";
pub const READER_RECTS: &str = "-- 已开整改事项";
pub const READER_RESULT: &str = "-- 结果应用";
/// The help's last line: what the reader shows where.
pub const READER_HELP_NOTE: &str = " 查看全文：队列中为事项的问题和意见，工作区中为其全部文字，长提示在最前";
/// The workspace's opinion when it is longer than its lines.
pub const OPINION_MORE: &str = "~ 意见共 ";
pub const OPINION_MORE_TAIL: &str = " 行，全文在正文末尾";
pub const DETAIL_OPINION_FULL: &str = "-- 审核意见（全文）";

// ---- hint lines: (action, label); the keys come from the live key map -----------

use crate::config::Action as A;

/// The opinion editor's bar.
pub const EDITOR_HINT: &[(A, &str)] = &[
    (A::Save, "保存"),
    (A::Leave, "离开（保留草稿）"),
    (A::Template, "+数字 插入模板"),
];
/// Target audit workspace.
pub const TARGET_HINT: &[(A, &str)] = &[
    (A::Pick1, "选项"),
    (A::Pick2, "选项"),
    (A::Pick3, "选项"),
    (A::Pick4, "选项"),
    (A::Pass, "通过"),
    (A::Fail, "不通过"),
    (A::Conclusion, "改结论"),
    (A::Approve, "审核通过"),
    (A::Return, "退回"),
    (A::Opinion, "意见"),
    (A::Rectify, "整改"),
];
/// Monitoring workspace.
pub const MON_HINT: &[(A, &str)] = &[
    (A::Approve, "认可说明"),
    (A::Return, "不认可并开整改"),
    (A::KeyList, "重点项目清单"),
    (A::Opinion, "意见"),
    (A::Rectify, "整改"),
];
/// The key-project list inside the monitoring workspace.
pub const MON_LIST_HINT: &[(A, &str)] = &[
    (A::Down, "移动"),
    (A::Up, "移动"),
    (A::Open, "打开该项目"),
    (A::KeyList, "返回"),
    (A::Quit, "返回"),
];
/// Self-evaluation workspace.
pub const SE_HINT: &[(A, &str)] = &[
    (A::Opinion, "写意见(逐条)"),
    (A::Approve, "通过"),
    (A::Return, "退回"),
    (A::ResultConfirm, "确认结果应用"),
    (A::ResultChange, "调整"),
    (A::Rectify, "整改"),
];
/// Key-evaluation workspace.
pub const KE_HINT: &[(A, &str)] = &[
    (A::Pick1, "收到/撤销文件"),
    (A::Pick2, "收到/撤销文件"),
    (A::Pick3, "收到/撤销文件"),
    (A::Approve, "结项"),
    (A::Return, "退回"),
    (A::Rectify, "问题转整改"),
    (A::ResultConfirm, "结果应用"),
    (A::ResultChange, "结果应用"),
    (A::Opinion, "意见"),
];
/// The bottom line of a workspace.
pub const DETAIL_BACK_HINT: &[(A, &str)] = &[
    (A::Down, "滚动"),
    (A::Up, "滚动"),
    (A::PageUp, "翻页"),
    (A::PageDown, "翻页"),
    (A::Help, "帮助"),
    (A::Quit, "返回"),
    (A::Close, "返回"),
];
/// The bottom line of a key-evaluation workspace (j/k pick the problem first).
pub const KE_BACK_HINT: &[(A, &str)] = &[
    (A::Down, "选问题（到头后滚动）"),
    (A::Up, "选问题（到头后滚动）"),
    (A::PageUp, "翻页"),
    (A::PageDown, "翻页"),
    (A::Help, "帮助"),
    (A::Quit, "返回"),
    (A::Close, "返回"),
];
/// Tab 5.
pub const BOARD_HINT: &[(A, &str)] = &[
    (A::Start, "开始整改"),
    (A::Evidence, "登记佐证"),
    (A::Verify, "销号"),
    (A::RejectEvidence, "退回佐证"),
    (A::Extend, "延期"),
    (A::Down, "移动"),
    (A::Up, "移动"),
    (A::NextStage, "切换"),
];
/// Tab 6.
pub const OV_HINT: &[(A, &str)] = &[
    (A::NextStage, "切换"),
    (A::Stage1, "切换"),
    (A::Stage2, "切换"),
    (A::Stage3, "切换"),
    (A::Stage4, "切换"),
    (A::Stage5, "切换"),
    (A::Stage6, "切换"),
    (A::Stage7, "切换"),
    (A::Refresh, "刷新"),
    (A::Help, "帮助"),
    (A::Quit, "退出"),
];
/// Tab 7.
pub const RES_HINT: &[(A, &str)] = &[
    (A::ResultConfirm, "确认"),
    (A::ResultChange, "调整"),
    (A::Tag, "标记"),
    (A::ResultConfirmTagged, "批量确认"),
    (A::Filter, "筛选"),
    (A::Open, "打开"),
    (A::NextStage, "切换"),
];
/// After each queue's legend.
pub const QUEUE_HINT: &[(A, &str)] = &[(A::Help, "帮助")];
