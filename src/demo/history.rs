//! A year of review work on the demo database, as a bureau would have it half
//! way through: reviewers of each 业务科室 have approved part of their clean
//! items, returned flagged ones with opinions, waved a few through with 套话
//! (the seed's complaint), forced one blocking item through with a reason, and
//! are chasing rectifications — some overdue — next to last year's ledger.
//!
//! Here the history is only planned — who does what to which item, and when —
//! as domain values (`HistoryPlan`); the store carries it out through its
//! public calls, exactly as the reviewers' own keys would
//! (`store::demo`). Which item gets what is drawn from the seed, so a seed
//! always gives the same history.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::rules::Snapshot;
use crate::domain::states::{RectAction, ReviewAction};
use crate::domain::{Finding, KeyEval, NewRectification, RectState, Review, Reviewer, Role, Severity, Stage};

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

/// The history planned for a demo year: the work in the order it is done,
/// and what it does.
#[derive(Debug)]
pub struct HistoryPlan {
    /// Every piece of work at its moment, in the order it happened (planning
    /// order on a tie).
    pub work: Vec<Planned>,
    /// The rectifications the plan opens: `Work::Rectify` keys `0..rects`.
    pub rects: usize,
    /// What the plan does; the store adds the clean items its batches
    /// approved and the rectifications left overdue once it is carried out.
    pub summary: HistorySummary,
}

/// Plans a year of review work on the demo database, as a bureau's would be
/// mid-way through the review year, by the reviewers `demo_staff` names:
/// `snapshot` is the latest year as loaded, `findings` what the reviewers saw
/// on each item (findings refreshed first); the caller refreshes again after
/// carrying the plan out, for the review-quality findings.
///
/// The work is dated in the review calendar before `today` (`Calendar`):
/// self-evaluations in spring, key evaluations in summer, monitoring in
/// October, targets before the budget — on working days, in office hours —
/// and ordered as it happened, so the audit log reads as a diary.
pub fn plan_history(
    snapshot: &Snapshot,
    year: i32,
    findings: &HashMap<i64, Vec<Finding>>,
    seed: u64,
    today: NaiveDate,
) -> HistoryPlan {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6869_7374_6f72_7921);
    // Dates come from a stream of their own: what happens to which item is
    // the same as it was before the history had dates.
    let mut timing = ChaCha8Rng::seed_from_u64(seed ^ 0x6361_6c65_6e64_6172);
    let mut summary = HistorySummary::default();
    let section_of: HashMap<&str, &str> = snapshot
        .data
        .units
        .iter()
        .map(|u| (u.code.as_str(), u.section.as_str()))
        .collect();
    let mut desk = Desk {
        rng: &mut rng,
        timing: &mut timing,
        summary: &mut summary,
        calendar: Calendar::before(today),
        today,
        plan: Vec::new(),
        rects: 0,
    };
    for (login, _, section) in SECTION_REVIEWERS {
        let mine: Vec<(&Review, &[Finding])> = snapshot
            .reviews
            .iter()
            .filter(|r| section_of.get(r.unit_code.as_str()) == Some(&section))
            .map(|r| (r, findings.get(&r.id).map(Vec::as_slice).unwrap_or(&[])))
            .collect();
        desk.work_section(login, &mine);
    }
    let key_reviews: Vec<(&Review, &[Finding])> = snapshot
        .reviews
        .iter()
        .filter(|r| r.stage == Stage::KeyEval)
        .map(|r| (r, findings.get(&r.id).map(Vec::as_slice).unwrap_or(&[])))
        .collect();
    desk.work_key_evaluations(&key_reviews, &snapshot.data.key_evals, &section_of);
    desk.carry_over_last_year(year, &snapshot.data.units);
    let Desk { mut plan, rects, .. } = desk;
    // A stable sort: work at the same moment stays in planning order.
    plan.sort_by_key(|p| p.at);
    HistoryPlan {
        work: plan,
        rects,
        summary,
    }
}

/// One season of the review calendar: the days its work falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Season {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// When each stage's review work is done, in the latest season of the review
/// calendar that began at least a week before `today` (and never after it):
/// self-evaluations after the year-end accounts, key evaluations when the
/// firms report, monitoring in October, targets before the budget goes to
/// the people's congress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    pub self_eval: Season,
    pub key_eval: Season,
    pub monitoring: Season,
    pub target: Season,
}

impl Calendar {
    pub fn before(today: NaiveDate) -> Calendar {
        let season = |from: (u32, u32), to: (u32, u32)| {
            let last = today.pred_opt().unwrap_or(today);
            let start = |y: i32| NaiveDate::from_ymd_opt(y, from.0, from.1);
            let year = if start(today.year()).is_some_and(|d| d + Days::new(7) <= today) {
                today.year()
            } else {
                today.year() - 1
            };
            let from = start(year).unwrap_or(last);
            let to = NaiveDate::from_ymd_opt(year, to.0, to.1).unwrap_or(last).min(last);
            Season { from, to: to.max(from) }
        };
        Calendar {
            self_eval: season((3, 1), (5, 31)),
            key_eval: season((6, 15), (8, 31)),
            monitoring: season((10, 8), (10, 31)),
            target: season((11, 1), (12, 20)),
        }
    }

    /// The stage's season (rectifications follow the stage they came from).
    pub fn of(&self, stage: Stage) -> Season {
        match stage {
            Stage::Target => self.target,
            Stage::Monitoring | Stage::Rectification => self.monitoring,
            Stage::SelfEval => self.self_eval,
            Stage::KeyEval => self.key_eval,
        }
    }

    /// The first day of the history.
    pub fn start(&self) -> NaiveDate {
        [self.self_eval, self.key_eval, self.monitoring, self.target]
            .iter()
            .map(|s| s.from)
            .min()
            .unwrap_or(self.target.from)
    }

    /// When the staff were registered and the units' submissions imported:
    /// a week before the review work began.
    pub fn arrival(&self) -> NaiveDateTime {
        let day = working_day(self.start() - Days::new(7));
        day.and_hms_opt(9, 0, 0).unwrap_or_else(|| day.and_time(NaiveTime::MIN))
    }
}

/// A working day on or before `day` (Saturday and Sunday go back to Friday).
fn working_day(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day - Days::new(1),
        Weekday::Sun => day - Days::new(2),
        _ => day,
    }
}

/// A moment in office hours (08:30–17:30) of `day`.
fn office_hours(day: NaiveDate, rng: &mut ChaCha8Rng) -> NaiveDateTime {
    let minutes = 8 * 60 + 30 + rng.random_range(0..=540u32);
    day.and_hms_opt(minutes / 60, minutes % 60, rng.random_range(0..60))
        .unwrap_or_else(|| day.and_time(NaiveTime::MIN))
}

/// The moment of the `i`-th of `n` pieces of work spread over `season`, in order.
fn spread(season: Season, i: usize, n: usize, rng: &mut ChaCha8Rng) -> NaiveDateTime {
    let days = (season.to - season.from).num_days().max(0) as f64;
    let share = (i as f64 + rng.random_range(0.0..1.0)) / n.max(1) as f64;
    let day = (season.from + Days::new((days * share).floor() as u64)).min(season.to);
    // Work drawn on a weekend is done on the Friday before or the Monday
    // after, whichever is in the season.
    let friday = working_day(day);
    let monday = day
        + Days::new(match day.weekday() {
            Weekday::Sat => 2,
            Weekday::Sun => 1,
            _ => 0,
        });
    let day = match (friday >= season.from, monday <= season.to) {
        (true, true) if rng.random_bool(0.5) => friday,
        (_, true) => monday,
        _ => friday,
    };
    office_hours(day, rng)
}

/// The demo's staff: the 绩效科 admin, one reviewer per 业务科室, the auditor
/// (what `jixiao demo --as` offers and the README lists).
pub fn demo_staff() -> Vec<Reviewer> {
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
    all
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

/// A rectification's plan, with the later deadline it may be extended to.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    plan: RectPlan,
    later: NaiveDate,
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

/// What a reviewer does at one moment of the history.
#[derive(Debug, Clone)]
pub enum Work {
    /// Decides one item (at the version the plan saw).
    Decide {
        review: i64,
        version: i64,
        action: ReviewAction,
        opinion: String,
        login: &'static str,
    },
    /// Approves clean items (id, version) in one batch.
    ApproveClean {
        items: Vec<(i64, i64)>,
        opinion: &'static str,
        login: &'static str,
    },
    /// Opens rectification number `key` (in the order they were planned).
    Rectify {
        key: usize,
        new: NewRectification,
        login: &'static str,
    },
    /// Moves rectification number `key`.
    Act {
        key: usize,
        action: RectAction,
        login: &'static str,
    },
    CarryOver {
        item: NewRectification,
        state: RectState,
        evidence: &'static str,
    },
}

/// A piece of work with its moment.
#[derive(Debug, Clone)]
pub struct Planned {
    pub at: NaiveDateTime,
    pub work: Work,
}

/// Plans the history: what each reviewer does to which item, and when.
struct Desk<'a> {
    rng: &'a mut ChaCha8Rng,
    timing: &'a mut ChaCha8Rng,
    summary: &'a mut HistorySummary,
    calendar: Calendar,
    today: NaiveDate,
    plan: Vec<Planned>,
    /// Rectifications planned so far.
    rects: usize,
}

/// The last moment work may carry: the evening before today.
fn last_moment(today: NaiveDate) -> NaiveDateTime {
    today
        .pred_opt()
        .unwrap_or(today)
        .and_hms_opt(17, 30, 0)
        .unwrap_or_else(|| today.and_time(NaiveTime::MIN))
}

impl Desk<'_> {
    fn chance(&mut self, per_cent: u32) -> bool {
        self.rng.random_ratio(per_cent, 100)
    }

    fn schedule(&mut self, at: NaiveDateTime, work: Work) {
        self.plan.push(Planned { at, work });
    }

    /// `minutes` after `at`, never past the last moment (nor before `at`).
    fn later(&self, at: NaiveDateTime, minutes: i64) -> NaiveDateTime {
        (at + TimeDelta::minutes(minutes)).min(last_moment(self.today)).max(at)
    }

    /// One section reviewer's year: approvals, returns, 套话 and rectifications.
    fn work_section(&mut self, login: &'static str, mine: &[(&Review, &[Finding])]) {
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
            let season = self.calendar.of(stage);
            let n = items.len();
            // Clean items approved, with where each stands in the reviewer's queue.
            let mut clean: Vec<(usize, (i64, i64))> = Vec::new();
            // Self-evaluations cannot be waved through any more: the store
            // refuses an approval whose opinion does not answer the findings.
            let mut boilerplate_left = if stage == Stage::Target {
                BOILERPLATE_PER_REVIEWER
            } else {
                0
            };
            for (i, (review, found)) in items.into_iter().enumerate() {
                let blocking = found.iter().filter(|f| f.severity == Severity::Blocking).count();
                if found.is_empty() {
                    if self.chance(approve_share) {
                        clean.push((i, (review.id, review.version)));
                    }
                } else if blocking == 0 && boilerplate_left > 0 {
                    boilerplate_left -= 1;
                    let opinion = *BOILERPLATE.choose(self.rng).unwrap_or(&BOILERPLATE[0]);
                    let at = spread(season, i, n, self.timing);
                    self.decide(at, review, approve(false), opinion.to_string(), login);
                    self.summary.approved_with_boilerplate += 1;
                } else if stage == Stage::Target && blocking == 1 && self.summary.overridden == 0 {
                    let at = spread(season, i, n, self.timing);
                    self.force_through(at, review, found, login);
                } else if self.chance(return_share) {
                    self.summary.returned += 1;
                    let at = spread(season, i, n, self.timing);
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
                        // The return and its rectification go together, early
                        // enough for the unit to have had time before the deadline.
                        let (new, plan) = self.plan_rect(new);
                        let at = at.min(before_deadline(new.deadline));
                        self.decide(at, review, ReviewAction::Return, return_opinion(found), login);
                        let minutes = self.timing.random_range(5..=40);
                        let created = self.later(at, minutes);
                        self.rectify(created, new, plan, login);
                    } else {
                        self.decide(at, review, ReviewAction::Return, return_opinion(found), login);
                    }
                }
            }
            // Clean items are cleared in runs, a day's work each.
            let mut rest = clean.as_slice();
            while let Some(((first, _), _)) = rest.split_first() {
                let take = self.timing.random_range(6..=24).min(rest.len());
                let (run, tail) = rest.split_at(take);
                let at = spread(season, *first, n, self.timing);
                let items = run.iter().map(|(_, item)| *item).collect();
                self.schedule(
                    at,
                    Work::ApproveClean {
                        items,
                        opinion: clean_opinion,
                        login,
                    },
                );
                rest = tail;
            }
        }
    }

    fn decide(
        &mut self,
        at: NaiveDateTime,
        review: &Review,
        action: ReviewAction,
        opinion: String,
        login: &'static str,
    ) {
        self.schedule(
            at,
            Work::Decide {
                review: review.id,
                version: review.version,
                action,
                opinion,
                login,
            },
        );
    }

    /// Approves an item with one blocking finding through the override, with the reason why.
    fn force_through(&mut self, at: NaiveDateTime, review: &Review, found: &[Finding], login: &'static str) {
        let problem = found
            .iter()
            .find(|f| f.severity == Severity::Blocking)
            .map(|f| f.message.trim().trim_end_matches('。').to_string())
            .unwrap_or_default();
        let reason = format!(
            "强制通过：{problem}。该项目为区政府常务会议确定的年度急需事项，资金已按文件下达，\
             经分管领导同意先行通过，单位须在10个工作日内补正绩效目标，由本科室跟踪落实。"
        );
        self.decide(at, review, approve(true), reason, login);
        self.summary.overridden += 1;
    }

    /// The 绩效科 admin's work on key evaluations: approves the complete ones and
    /// turns the firms' problems into rectifications for the units.
    fn work_key_evaluations(
        &mut self,
        reviews: &[(&Review, &[Finding])],
        key_evals: &[KeyEval],
        section_of: &HashMap<&str, &str>,
    ) {
        let season = self.calendar.key_eval;
        let n = reviews.len();
        for (i, (review, found)) in reviews.iter().enumerate() {
            let Some(ke) = key_evals
                .iter()
                .find(|k| review.project_code.as_deref() == Some(k.object_code.as_str()))
            else {
                continue;
            };
            if ke.score.is_none() {
                continue; // the firm has not reported yet: nothing to approve or rectify
            }
            let mut at = spread(season, i, n, self.timing);
            if found.is_empty() {
                let opinion = format!(
                    "经审核，{}出具的评价报告过程文件齐全，评分与等级相符，同意评价结论，问题清单转单位整改。",
                    ke.firm
                );
                self.decide(at, review, approve(false), opinion, ADMIN_LOGIN);
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
                let (new, plan) = self.plan_rect(new);
                let minutes = self.timing.random_range(5..=40);
                at = self.later(at.min(before_deadline(new.deadline)), minutes);
                self.rectify(at, new, plan, ADMIN_LOGIN);
            }
        }
    }

    /// Picks how a rectification will stand and its deadline, relative to
    /// today so that some are overdue by 3–40 days.
    fn plan_rect(&mut self, mut new: NewRectification) -> (NewRectification, Outcome) {
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
        if let RectPlan::Extended = plan {
            self.summary.rect_extended += 1;
        }
        self.summary.rectifications_created += 1;
        (new, Outcome { plan, later: future })
    }

    /// Opens a planned rectification at `created` and moves it, over the
    /// following weeks, as far as its plan says.
    fn rectify(&mut self, created: NaiveDateTime, new: NewRectification, outcome: Outcome, login: &'static str) {
        let key = self.rects;
        self.rects += 1;
        let evidence = format!(
            "单位报送《整改情况报告》及佐证材料（{}）",
            if new.source_stage == Stage::KeyEval {
                "整改方案、制度文件及支付凭证"
            } else {
                "支付凭证、合同及进度报表"
            }
        );
        let deadline = new.deadline;
        self.schedule(created, Work::Rectify { key, new, login });
        let mut steps: Vec<RectAction> = Vec::new();
        match outcome.plan {
            RectPlan::OverdueOpen => {}
            RectPlan::OverdueInProgress | RectPlan::InProgress => steps.push(RectAction::Start),
            RectPlan::Submitted => {
                steps.extend([RectAction::Start, RectAction::Submit { evidence }]);
            }
            RectPlan::Verified => {
                steps.extend([RectAction::Start, RectAction::Submit { evidence }, RectAction::Verify]);
            }
            RectPlan::Extended => {
                let to = outcome.later;
                let reason =
                    "单位申请延期：整改涉及跨年度政府采购，须待合同签订后方能支付，经科室负责人同意延期".into();
                steps.extend([RectAction::Start, RectAction::Extend { to, reason }]);
            }
        }
        let mut at = created;
        for action in steps {
            let days: i64 = match &action {
                RectAction::Start => self.timing.random_range(1..=7),
                RectAction::Submit { .. } => self.timing.random_range(7..=30),
                RectAction::Verify => self.timing.random_range(2..=10),
                // Asked for around the deadline it moves.
                RectAction::Extend { .. } => (deadline - at.date()).num_days() - self.timing.random_range(0..=5),
                RectAction::Reject { .. } => 1,
            };
            let day = working_day(at.date() + Days::new(days.max(1) as u64));
            let next = office_hours(day, self.timing).max(self.later(at, 10));
            at = next.min(last_moment(self.today)).max(at);
            match &action {
                RectAction::Start => self.summary.rect_started += 1,
                RectAction::Submit { .. } => self.summary.rect_submitted += 1,
                RectAction::Verify => self.summary.rect_verified += 1,
                // Extensions are counted when planned (one is the story).
                RectAction::Extend { .. } | RectAction::Reject { .. } => {}
            }
            self.schedule(at, Work::Act { key, action, login });
        }
    }

    /// Last year's ledger (往年整改台账) as the paper records have it, entered
    /// before this year's work began: two signed off — one of them with no
    /// evidence on file — one still in progress, one with evidence waiting
    /// for sign-off.
    fn carry_over_last_year(&mut self, year: i32, units: &[crate::domain::Unit]) {
        if units.is_empty() {
            return;
        }
        let last = year - 1;
        let june = NaiveDate::from_ymd_opt(year, 6, 30).unwrap_or(self.today);
        let soon = self.today + Days::new(self.rng.random_range(20..=45));
        let ledger: [(Stage, &str, &str, NaiveDate, RectState, &'static str); 4] = [
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
        let mut at = office_hours(working_day(self.calendar.start() - Days::new(3)), self.timing);
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
            self.schedule(at, Work::CarryOver { item, state, evidence });
            at += TimeDelta::minutes(self.timing.random_range(3..=12));
            self.summary.carried_over += 1;
        }
    }
}

/// The latest moment an item may be decided for its rectification to have
/// had three weeks before its deadline (a day's evening, `deadline - 21`).
fn before_deadline(deadline: NaiveDate) -> NaiveDateTime {
    let day = working_day(deadline - Days::new(21));
    day.and_hms_opt(17, 0, 0)
        .unwrap_or_else(|| day.and_time(NaiveTime::MIN))
}

fn approve(override_blocking: bool) -> ReviewAction {
    ReviewAction::Approve { override_blocking }
}
