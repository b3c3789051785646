//! A year of review work on the demo database, as a bureau would have it half
//! way through: reviewers of each 业务科室 have approved part of their clean
//! items, returned flagged ones with opinions, waved a few through with 套话
//! (the seed's complaint), forced one blocking item through with a reason, and
//! are chasing rectifications — some overdue — next to last year's ledger.
//!
//! Only the store's public API is used, exactly as the reviewers' own keys
//! would; which item gets what is drawn from the seed, so a seed always gives
//! the same history.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::config::Config;
use crate::domain::params::ReviewParams;
use crate::domain::states::{RectAction, ReviewAction};
use crate::domain::{Finding, KeyEval, RectState, Rectification, Review, Reviewer, Role, Severity, Stage};
use crate::store::{NewRectification, Store, StoreError};

/// What the history did, action by action.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistorySummary {
    /// The demo staff registered (by `register_reviewers`, before the import).
    pub reviewers: usize,
    /// Clean items approved.
    pub approved: usize,
    /// Flagged items returned with an opinion built from their findings.
    pub returned: usize,
    /// Items with warnings approved with nothing but 套话 (数据确认, 同意 …).
    pub approved_with_boilerplate: usize,
    /// Items with blocking findings approved through the explicit override.
    pub overridden: usize,
    pub rectifications_created: usize,
    pub rect_started: usize,
    pub rect_submitted: usize,
    pub rect_verified: usize,
    pub rect_extended: usize,
    /// Rectifications left past their deadline (open, in progress or submitted).
    pub rect_overdue: usize,
    /// Items of last year's ledger carried over.
    pub carried_over: usize,
}

impl HistorySummary {
    /// One line for the demo summary: what the reviewers did. Rectification
    /// steps are counted as steps taken (an item verified was started and
    /// submitted first), not as states; the ledger's states are the summary's
    /// next line, counted as the board counts them.
    pub fn line(&self) -> String {
        format!(
            "审核记录：审核人员 {} 名，通过 {} 项，退回 {} 项，套话通过 {} 项，强制通过 {} 项；\
             整改新建 {} 项、结转往年 {} 项，办理步骤：开始整改 {} 次，报送佐证 {} 次，销号 {} 次，延期 {} 次",
            self.reviewers,
            self.approved,
            self.returned,
            self.approved_with_boilerplate,
            self.overridden,
            self.rectifications_created,
            self.carried_over,
            self.rect_started,
            self.rect_submitted,
            self.rect_verified,
            self.rect_extended,
        )
    }
}

/// The 绩效科 admin who registers everyone and reviews key evaluations.
pub const ADMIN_LOGIN: &str = "zhoumin";
const PERFORMANCE_SECTION: &str = "绩效科";

/// (login, name, 业务科室): one reviewer per section the demo's units fall in.
const SECTION_REVIEWERS: [(&str, &str, &str); 6] = [
    ("zhangli", "张丽", "行政政法科"),
    ("wangjianguo", "王建国", "教科文科"),
    ("lixiaohong", "李晓红", "经济建设科"),
    ("liuzhiqiang", "刘志强", "农业农村科"),
    ("chenjing", "陈静", "社会保障科"),
    ("yangfan", "杨帆", "综合科"),
];

/// Opinions that say nothing — what the seed found in the self-evaluation reviews.
const BOILERPLATE: [&str; 4] = ["数据确认", "同意。", "经审核，数据属实", "已审核，数据无误。"];

/// Approvals of clean items, in the words reviewers use.
const CLEAN_TARGET_OPINION: &str = "经审核，该项目绩效目标完整明确，指标细化量化，与预算资金相匹配，同意。";
const CLEAN_MONITORING_OPINION: &str = "经审核，截至10月末预算执行和指标完成进度均符合要求，同意。";
const CLEAN_SELF_OPINION: &str = "经复核，自评得分与各项指标实际完成情况相符，佐证材料齐全，同意自评结果。";

/// Shares (per cent) of each kind of item the reviewers have got through so far.
const APPROVE_CLEAN_TARGET: u32 = 70;
const RETURN_FLAGGED_TARGET: u32 = 45;
const APPROVE_CLEAN_MONITORING: u32 = 80;
const RETURN_FLAGGED_MONITORING: u32 = 70;
const APPROVE_CLEAN_SELF: u32 = 35;
const RETURN_FLAGGED_SELF: u32 = 20;
/// Warning-only target items each reviewer waved through with 套话.
const BOILERPLATE_PER_REVIEWER: usize = 2;

/// Leaves the demo database as a bureau's would be mid-way through the review
/// year, by the reviewers `register_reviewers` added. Findings are refreshed
/// first so decisions see what the reviewers saw; the caller refreshes again
/// afterwards for the review-quality findings.
pub fn simulate_history(
    store: &mut Store,
    config: &Config,
    seed: u64,
    today: NaiveDate,
) -> Result<HistorySummary, StoreError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6869_7374_6f72_7921);
    let mut summary = HistorySummary::default();
    let Some(year) = store.latest_year()? else {
        return Ok(summary);
    };
    let evaluation = store.refresh_findings(&config.rules, today)?;
    let snapshot = store.snapshot(year)?;
    let findings: HashMap<i64, Vec<Finding>> = evaluation.per_review.into_iter().collect();
    let section_of: HashMap<&str, &str> = snapshot
        .data
        .units
        .iter()
        .map(|u| (u.code.as_str(), u.section.as_str()))
        .collect();
    let mut desk = Desk {
        store,
        rng: &mut rng,
        summary: &mut summary,
        review: &config.rules.review,
        today,
    };
    for (login, _, section) in SECTION_REVIEWERS {
        let mine: Vec<(&Review, &[Finding])> = snapshot
            .reviews
            .iter()
            .filter(|r| section_of.get(r.unit_code.as_str()) == Some(&section))
            .map(|r| (r, findings.get(&r.id).map(Vec::as_slice).unwrap_or(&[])))
            .collect();
        desk.work_section(login, &mine)?;
    }
    let key_reviews: Vec<(&Review, &[Finding])> = snapshot
        .reviews
        .iter()
        .filter(|r| r.stage == Stage::KeyEval)
        .map(|r| (r, findings.get(&r.id).map(Vec::as_slice).unwrap_or(&[])))
        .collect();
    desk.work_key_evaluations(&key_reviews, &snapshot.data.key_evals, &section_of)?;
    desk.carry_over_last_year(year, &snapshot.data.units)?;
    Ok(summary)
}

/// Registers the demo's staff: the 绩效科 admin first — by the admin already
/// there (the OS user who created the file), or by herself in an empty
/// database — then she adds the section reviewers and the auditor.
pub fn register_reviewers(store: &mut Store) -> Result<usize, StoreError> {
    let mut all = vec![Reviewer {
        os_user: ADMIN_LOGIN.into(),
        name: "周敏".into(),
        sections: vec![PERFORMANCE_SECTION.into()],
        role: Role::Admin,
    }];
    all.extend(SECTION_REVIEWERS.iter().map(|(login, name, section)| Reviewer {
        os_user: (*login).into(),
        name: (*name).into(),
        sections: vec![(*section).into()],
        role: Role::Reviewer,
    }));
    all.push(Reviewer {
        os_user: "huanghaitao".into(),
        name: "黄海涛".into(),
        sections: Vec::new(),
        role: Role::Auditor,
    });
    let registrar = store
        .reviewers()?
        .into_iter()
        .find(|r| r.role == Role::Admin)
        .map_or_else(|| ADMIN_LOGIN.to_string(), |r| r.os_user);
    store.add_reviewer(&all[0], &registrar)?;
    for r in &all[1..] {
        store.add_reviewer(r, ADMIN_LOGIN)?;
    }
    Ok(all.len())
}

/// The opinion a reviewer writes when returning an item: its problems, most
/// severe first, each naming its indicator, and what to do.
fn return_opinion(findings: &[Finding]) -> String {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| f.severity);
    let points: Vec<String> = sorted
        .iter()
        .take(3)
        .map(|f| {
            let message = f.message.trim().trim_end_matches('。');
            match &f.indicator {
                Some(ind) if !message.contains(ind.as_str()) => format!("指标「{ind}」{message}"),
                _ => message.to_string(),
            }
        })
        .collect();
    format!(
        "经审核，{}。请单位对照审核要求逐项修改完善，并附测算依据后重新报送。",
        points.join("；")
    )
}

/// How a rectification stands after the months the history covers.
#[derive(Debug, Clone, Copy)]
enum RectPlan {
    OverdueOpen,
    OverdueInProgress,
    InProgress,
    Submitted,
    Verified,
    Extended,
}

/// The rotation of outcomes: every kind appears within the first eight items.
const RECT_PLANS: [RectPlan; 8] = [
    RectPlan::OverdueOpen,
    RectPlan::Verified,
    RectPlan::InProgress,
    RectPlan::OverdueInProgress,
    RectPlan::Submitted,
    RectPlan::Extended,
    RectPlan::Verified,
    RectPlan::OverdueOpen,
];

struct Desk<'a> {
    store: &'a mut Store,
    rng: &'a mut ChaCha8Rng,
    summary: &'a mut HistorySummary,
    /// What the store holds every opinion to (`[review]`).
    review: &'a ReviewParams,
    today: NaiveDate,
}

impl Desk<'_> {
    fn chance(&mut self, per_cent: u32) -> bool {
        self.rng.random_ratio(per_cent, 100)
    }

    /// One section reviewer's year: approvals, returns, 套话 and rectifications.
    fn work_section(&mut self, login: &str, mine: &[(&Review, &[Finding])]) -> Result<(), StoreError> {
        let stages = [
            (
                Stage::Target,
                APPROVE_CLEAN_TARGET,
                RETURN_FLAGGED_TARGET,
                CLEAN_TARGET_OPINION,
            ),
            (
                Stage::Monitoring,
                APPROVE_CLEAN_MONITORING,
                RETURN_FLAGGED_MONITORING,
                CLEAN_MONITORING_OPINION,
            ),
            (
                Stage::SelfEval,
                APPROVE_CLEAN_SELF,
                RETURN_FLAGGED_SELF,
                CLEAN_SELF_OPINION,
            ),
        ];
        for (stage, approve_share, return_share, clean_opinion) in stages {
            let items: Vec<&(&Review, &[Finding])> = mine.iter().filter(|(r, _)| r.stage == stage).collect();
            let mut clean = Vec::new();
            // Self-evaluations cannot be waved through any more: the store
            // refuses an approval whose opinion does not answer the findings.
            let mut boilerplate_left = if stage == Stage::Target {
                BOILERPLATE_PER_REVIEWER
            } else {
                0
            };
            for (review, found) in items {
                let blocking = found.iter().filter(|f| f.severity == Severity::Blocking).count();
                if found.is_empty() {
                    if self.chance(approve_share) {
                        clean.push((review.id, review.version));
                    }
                } else if blocking == 0 && boilerplate_left > 0 {
                    boilerplate_left -= 1;
                    let opinion = *BOILERPLATE.choose(self.rng).unwrap_or(&BOILERPLATE[0]);
                    self.decide(review, approve(false), opinion, login)?;
                    self.summary.approved_with_boilerplate += 1;
                } else if stage == Stage::Target && blocking == 1 && self.summary.overridden == 0 {
                    self.force_through(review, found, login)?;
                } else if self.chance(return_share) {
                    self.decide(review, ReviewAction::Return, &return_opinion(found), login)?;
                    self.summary.returned += 1;
                    if stage == Stage::Monitoring {
                        let problem = found
                            .iter()
                            .min_by_key(|f| f.severity)
                            .map(|f| f.message.clone())
                            .unwrap_or_default();
                        let new = NewRectification {
                            source_stage: Stage::Monitoring,
                            source_review: Some(review.id),
                            unit_code: review.unit_code.clone(),
                            project_code: review.project_code.clone(),
                            problem,
                            required_measure:
                                "补充预算执行滞后的具体原因和整改措施，明确后续支付计划、完成时限和责任人".into(),
                            deadline: self.today,
                        };
                        self.rectify(new, login)?;
                    }
                }
            }
            if !clean.is_empty() {
                let done = self
                    .store
                    .decide_batch(&clean, approve(false), clean_opinion, login, self.review)?;
                self.summary.approved += done.decided.len();
            }
        }
        Ok(())
    }

    fn decide(&mut self, review: &Review, action: ReviewAction, opinion: &str, login: &str) -> Result<(), StoreError> {
        self.store
            .decide(review.id, review.version, action, opinion, login, self.review)?;
        Ok(())
    }

    /// Approves an item with one blocking finding through the override, with the reason why.
    fn force_through(&mut self, review: &Review, found: &[Finding], login: &str) -> Result<(), StoreError> {
        let problem = found
            .iter()
            .find(|f| f.severity == Severity::Blocking)
            .map(|f| f.message.trim().trim_end_matches('。').to_string())
            .unwrap_or_default();
        let reason = format!(
            "强制通过：{problem}。该项目为区政府常务会议确定的年度急需事项，资金已按文件下达，\
             经分管领导同意先行通过，单位须在10个工作日内补正绩效目标，由本科室跟踪落实。"
        );
        self.decide(review, approve(true), &reason, login)?;
        self.summary.overridden += 1;
        Ok(())
    }

    /// The 绩效科 admin's work on key evaluations: approves the complete ones and
    /// turns the firms' problems into rectifications for the units.
    fn work_key_evaluations(
        &mut self,
        reviews: &[(&Review, &[Finding])],
        key_evals: &[KeyEval],
        section_of: &HashMap<&str, &str>,
    ) -> Result<(), StoreError> {
        for (review, found) in reviews {
            let Some(ke) = key_evals
                .iter()
                .find(|k| review.project_code.as_deref() == Some(k.object_code.as_str()))
            else {
                continue;
            };
            if ke.score.is_none() {
                continue; // the firm has not reported yet: nothing to approve or rectify
            }
            if found.is_empty() {
                let opinion = format!(
                    "经审核，{}出具的评价报告过程文件齐全，评分与等级相符，同意评价结论，问题清单转单位整改。",
                    ke.firm
                );
                self.decide(review, approve(false), &opinion, ADMIN_LOGIN)?;
                self.summary.approved += 1;
            }
            let object_is_unit = section_of.contains_key(ke.object_code.as_str());
            for problem in ke.problems.iter().take(2) {
                let new = NewRectification {
                    source_stage: Stage::KeyEval,
                    source_review: Some(review.id),
                    unit_code: review.unit_code.clone(),
                    project_code: (!object_is_unit).then(|| ke.object_code.clone()),
                    problem: problem.clone(),
                    required_measure: "针对评价发现的问题制定整改方案，报送整改报告及佐证材料".into(),
                    deadline: self.today,
                };
                self.rectify(new, ADMIN_LOGIN)?;
            }
        }
        Ok(())
    }

    /// Creates a rectification and moves it as far as its planned outcome; the
    /// deadline is set relative to today so that some are overdue by 3–40 days.
    fn rectify(&mut self, mut new: NewRectification, login: &str) -> Result<(), StoreError> {
        let plan = match RECT_PLANS[self.summary.rectifications_created % RECT_PLANS.len()] {
            // One extension is the story; more would make the ledger look lax.
            RectPlan::Extended if self.summary.rect_extended > 0 => RectPlan::InProgress,
            plan => plan,
        };
        let past = self.today - Days::new(self.rng.random_range(3..=40));
        let future = self.today + Days::new(self.rng.random_range(10..=60));
        new.deadline = match plan {
            RectPlan::OverdueOpen | RectPlan::OverdueInProgress | RectPlan::Extended => past,
            RectPlan::Verified if self.rng.random_bool(0.5) => past,
            _ => future,
        };
        let mut r = self.store.create_rectification(&new, login)?;
        self.summary.rectifications_created += 1;
        let evidence = format!(
            "单位报送《整改情况报告》及佐证材料（{}）",
            if new.source_stage == Stage::KeyEval {
                "整改方案、制度文件及支付凭证"
            } else {
                "支付凭证、合同及进度报表"
            }
        );
        match plan {
            RectPlan::OverdueOpen => {}
            RectPlan::OverdueInProgress | RectPlan::InProgress => {
                self.act(&mut r, RectAction::Start, login)?;
            }
            RectPlan::Submitted => {
                self.act(&mut r, RectAction::Start, login)?;
                self.act(&mut r, RectAction::Submit { evidence }, login)?;
            }
            RectPlan::Verified => {
                self.act(&mut r, RectAction::Start, login)?;
                self.act(&mut r, RectAction::Submit { evidence }, login)?;
                self.act(&mut r, RectAction::Verify, login)?;
            }
            RectPlan::Extended => {
                self.act(&mut r, RectAction::Start, login)?;
                let reason =
                    "单位申请延期：整改涉及跨年度政府采购，须待合同签订后方能支付，经科室负责人同意延期".into();
                self.act(&mut r, RectAction::Extend { to: future, reason }, login)?;
            }
        }
        if r.is_overdue(self.today) {
            self.summary.rect_overdue += 1;
        }
        Ok(())
    }

    fn act(&mut self, r: &mut Rectification, action: RectAction, login: &str) -> Result<(), StoreError> {
        let counter = match &action {
            RectAction::Start => &mut self.summary.rect_started,
            RectAction::Submit { .. } => &mut self.summary.rect_submitted,
            RectAction::Verify => &mut self.summary.rect_verified,
            RectAction::Extend { .. } => &mut self.summary.rect_extended,
            RectAction::Reject { .. } => return Ok(()),
        };
        *counter += 1;
        *r = self.store.rect_action(r.id, r.version, &action, login)?;
        Ok(())
    }

    /// Last year's ledger (往年整改台账) as the paper records have it: two signed
    /// off — one of them with no evidence on file — one still in progress, one
    /// with evidence waiting for sign-off.
    fn carry_over_last_year(&mut self, year: i32, units: &[crate::domain::Unit]) -> Result<(), StoreError> {
        if units.is_empty() {
            return Ok(());
        }
        let last = year - 1;
        let june = NaiveDate::from_ymd_opt(year, 6, 30).unwrap_or(self.today);
        let soon = self.today + Days::new(self.rng.random_range(20..=45));
        let ledger: [(Stage, &str, &str, NaiveDate, RectState, &str); 4] = [
            (
                Stage::SelfEval,
                "自评报告未附指标完成佐证材料，部分指标完成值无依据",
                "补充指标完成佐证材料，健全自评资料归档制度",
                june,
                RectState::Verified,
                "",
            ),
            (
                Stage::KeyEval,
                "重点评价发现项目资金拨付滞后，预算执行率仅为62.4%",
                "加快资金拨付，建立项目支出进度月报制度",
                june,
                RectState::Verified,
                "2023年5月报送整改报告及月报制度文件（纸质台账第7号）",
            ),
            (
                Stage::Target,
                "绩效目标未设置成本指标，成本测算依据不足",
                "补充成本指标及测算依据，纳入下年度目标申报",
                soon,
                RectState::InProgress,
                "",
            ),
            (
                Stage::SelfEval,
                "政府采购合同履约验收资料不全",
                "补齐履约验收资料，完善采购验收内控流程",
                soon,
                RectState::Submitted,
                "单位报送验收报告及内控制度修订稿（纸质台账第15号）",
            ),
        ];
        for (source_stage, problem, measure, deadline, state, evidence) in ledger {
            let unit = units.choose(self.rng).map(|u| u.code.clone()).unwrap_or_default();
            let item = NewRectification {
                source_stage,
                source_review: None,
                unit_code: unit,
                project_code: None,
                problem: format!("{last}年度：{problem}"),
                required_measure: measure.into(),
                deadline,
            };
            self.store
                .carry_over_rectification(&item, state, evidence, ADMIN_LOGIN)?;
            self.summary.carried_over += 1;
        }
        Ok(())
    }
}

fn approve(override_blocking: bool) -> ReviewAction {
    ReviewAction::Approve { override_blocking }
}
