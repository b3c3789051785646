//! Sentences units and firms write: self-evaluation reports, problems and
//! measures, monitoring explanations, key-evaluation findings.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use crate::domain::money::format_wan;

pub fn pick<'a>(rng: &mut ChaCha8Rng, bank: &[&'a str]) -> &'a str {
    bank[rng.random_range(0..bank.len())]
}

const PROBLEMS: &[&str] = &[
    "部分绩效指标值设定偏保守，与上年实际完成值衔接不够紧密。",
    "项目资金支付进度前松后紧，四季度支付比例偏高。",
    "绩效运行监控记录不够完整，佐证资料归集不及时。",
    "业务部门与财务部门沟通不够顺畅，项目台账与财务账目核对不及时。",
    "部分产出指标缺少过程记录，完成情况主要依靠年底统计。",
    "项目实施过程中政府采购流程用时较长，影响了实施进度。",
];

const MEASURES: &[&str] = &[
    "下一步将依据上年实际完成情况科学设定指标值，做到细化量化、可衡量可考核。",
    "按月制定资金支付计划，督促项目实施单位及时报账，均衡支出进度。",
    "建立绩效运行监控台账，按季度归集佐证资料，确保数据真实完整。",
    "建立业务和财务部门联席会议制度，每季度核对项目台账和财务账目。",
    "落实项目负责人制度，明确专人负责指标完成情况的过程记录。",
];

/// Why a unit under 90 % year-end execution says it is (a given reason).
const LOW_EXECUTION_REASONS: &[&str] = &[
    "受工程结算审计尚未完成影响，部分尾款未能在年底前支付，预算执行率未达到90%。",
    "部分补助对象资格复核延后，剩余资金将在次年一季度兑付，预算执行率未达到90%。",
    "政府采购项目流标后重新招标，合同签订推迟，部分资金结转下年使用。",
];

const MONITORING_EXPLANATIONS: &[&str] = &[
    "受征地拆迁进度影响，工程招标推迟至8月，预算执行进度滞后。",
    "上级补助资金于9月下达，项目启动较晚，资金支付滞后于序时进度。",
    "项目采用按完工进度结算方式，前期工程量尚未结算，资金支付比例偏低。",
    "补助对象核查工作尚未完成，补助资金暂未兑付。",
];

const MONITORING_MEASURES: &[&str] = &[
    "督促施工单位按月报送工程计量，加快审核拨付，确保12月底前完成支付。",
    "倒排工期、挂图作战，每周调度项目进度，确保年底前完成预算执行目标。",
    "11月底前完成补助对象核查并一次性兑付到位。",
    "对确实无法支出的资金按程序申请调整预算，收回统筹使用。",
];

const PROGRESS_REASONS: &[&str] = &[
    "项目开工时间推迟，工程量完成比例偏低。",
    "服务对象摸底核实工作尚未结束，实际服务人数统计滞后。",
    "受雨季天气影响，室外作业时间减少。",
];

const PROGRESS_ACTIONS: &[&str] = &[
    "增加施工班组，延长作业时间，确保年底前完成全部任务。",
    "11月集中开展服务，按周统计完成情况。",
    "调整实施计划，优先完成主体工程。",
];

/// Problems third-party firms report (the seed's 存在的主要问题).
const KEY_EVAL_PROBLEMS: &[&str] = &[
    "项目资金管理办法不完善，部分条款与实际情况脱节。",
    "存在超范围列支现象，部分专项资金用于日常公用支出。",
    "存在行政经费挤占专项资金的情况。",
    "绩效目标未细化量化，部分指标无法考核。",
    "主管部门对专项资金监控力度较弱，对资金使用情况掌握不清。",
    "预算申报部门与资金使用部门不一致，绩效评价主体职责不清。",
    "项目前期准备不充分，实施进度滞后于计划。",
    "政府采购程序不规范，部分合同未按规定备案。",
    "绩效自评流于形式，自评报告未反映项目存在的问题。",
    "资产管理不规范，部分购置设备未及时登记入账。",
];

pub fn problem(rng: &mut ChaCha8Rng) -> String {
    pick(rng, PROBLEMS).to_string()
}

pub fn measure(rng: &mut ChaCha8Rng) -> String {
    pick(rng, MEASURES).to_string()
}

pub fn low_execution_reason(rng: &mut ChaCha8Rng) -> &'static str {
    pick(rng, LOW_EXECUTION_REASONS)
}

pub fn monitoring_explanation(rng: &mut ChaCha8Rng) -> String {
    pick(rng, MONITORING_EXPLANATIONS).to_string()
}

pub fn monitoring_measure(rng: &mut ChaCha8Rng) -> String {
    pick(rng, MONITORING_MEASURES).to_string()
}

pub fn progress_reason(rng: &mut ChaCha8Rng) -> String {
    pick(rng, PROGRESS_REASONS).to_string()
}

pub fn progress_action(rng: &mut ChaCha8Rng) -> String {
    pick(rng, PROGRESS_ACTIONS).to_string()
}

/// 2–4 distinct problems.
pub fn key_eval_problems(rng: &mut ChaCha8Rng) -> Vec<String> {
    let n = rng.random_range(2..=4);
    let mut out: Vec<String> = Vec::with_capacity(n);
    while out.len() < n {
        let p = pick(rng, KEY_EVAL_PROBLEMS);
        if !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    }
    out
}

/// A self-evaluation report with the project's own figures.
pub fn self_eval_report(unit: &str, project: &str, amount: Decimal, executed: Decimal, indicators: usize) -> String {
    let rate = if amount.is_zero() {
        Decimal::ZERO
    } else {
        (executed / amount * Decimal::ONE_HUNDRED).round_dp(2)
    };
    format!(
        "{unit}{project}绩效自评报告：本项目年初预算{}万元，全年执行{}万元，预算执行率{rate}%。\
         项目共设置绩效指标{indicators}项，单位对照年初绩效目标逐项核实了完成情况，\
         并收集整理了合同、验收单、发放花名册等佐证资料。",
        format_wan(amount, 2),
        format_wan(executed, 2),
    )
}
