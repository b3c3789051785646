//! Thresholds and tables the rules read. Pure data with its own checks; the
//! `config` floor fills these from TOML, tests build them by hand.

use crate::domain::labels::Grade;
use crate::domain::model::GradeBands;
use rust_decimal::Decimal;
use serde::Deserialize;

/// A parameter value that breaks its rule. `key` is relative to the struct
/// checked (`execution_threshold`, `weights.output`); the caller adds the section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub key: String,
    pub message: String,
}

impl ParamError {
    fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        ParamError {
            key: key.into(),
            message: message.into(),
        }
    }

    /// The same error, with its key placed under `section`.
    pub fn under(self, section: &str) -> Self {
        ParamError {
            key: format!("{section}.{}", self.key),
            message: self.message,
        }
    }
}

fn ratio_0_1(key: &str, v: Decimal) -> Result<(), ParamError> {
    if v < Decimal::ZERO || v > Decimal::ONE {
        return Err(ParamError::new(key, "须为 0 到 1 之间的比率，如 \"0.75\""));
    }
    Ok(())
}

fn non_negative(key: &str, v: Decimal) -> Result<(), ParamError> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(ParamError::new(key, "不能为负数"));
    }
    Ok(())
}

/// Decimals arrive as quoted strings (`"0.75"`) or TOML integers; a TOML float
/// went through f64 already (`0.1` is not 0.1), so it is refused with a hint.
pub mod decimal_de {
    use rust_decimal::Decimal;
    use serde::de::{self, Deserializer, Visitor};
    use std::fmt;

    struct DecimalVisitor;

    impl<'de> Visitor<'de> for DecimalVisitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("用引号括起的数字，如 \"0.75\"")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            crate::domain::money::parse_decimal(v).map_err(|_| {
                E::custom(format!(
                    "「{v}」不是有效的数字，应写成带引号的数字，如 \"0.75\" 或 \"2000000\""
                ))
            })
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            Err(E::custom(format!(
                "小数须加引号写成字符串，如 \"{v}\"（不加引号的小数按浮点数读入，会失去精度）"
            )))
        }
    }

    /// `#[serde(deserialize_with = "decimal_de::exact")]`
    pub fn exact<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }
}

/// Target audit (绩效目标审核).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetParams {
    /// Words that make a goal vague (目标空泛) when no number goes with them.
    pub vague_words: Vec<String>,
    /// Shortest acceptable annual goal text, in characters.
    pub min_goal_chars: usize,
    /// Fewest indicators a project needs for its fund size.
    pub indicator_minimums: Vec<IndicatorMinimum>,
}

/// From `min_amount` 元 upwards a project needs at least `count` indicators.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorMinimum {
    #[serde(deserialize_with = "decimal_de::exact")]
    pub min_amount: Decimal,
    pub count: usize,
}

impl TargetParams {
    /// The fewest indicators a project of `amount` 元 must have (0 below every row).
    pub fn min_indicators_for(&self, amount: Decimal) -> usize {
        self.indicator_minimums
            .iter()
            .filter(|m| amount >= m.min_amount)
            .map(|m| m.count)
            .max()
            .unwrap_or(0)
    }

    pub fn validate(&self) -> Result<(), ParamError> {
        if self.vague_words.iter().any(|w| w.trim().is_empty()) {
            return Err(ParamError::new("vague_words", "不能含空词"));
        }
        for (i, m) in self.indicator_minimums.iter().enumerate() {
            non_negative(&format!("indicator_minimums[{i}].min_amount"), m.min_amount)?;
        }
        // Ascending amounts make the table read as the bureau writes it.
        for (i, pair) in self.indicator_minimums.windows(2).enumerate() {
            if pair[1].min_amount <= pair[0].min_amount {
                return Err(ParamError::new(
                    format!("indicator_minimums[{}].min_amount", i + 1),
                    "各行金额须从小到大排列，且不能重复",
                ));
            }
        }
        Ok(())
    }
}

/// October monitoring (绩效运行监控).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringParams {
    /// Projects of at least this many 元 (inclusive) are monitored.
    #[serde(deserialize_with = "decimal_de::exact")]
    pub key_project_amount: Decimal,
    /// Execution rate below this (strictly) is an exception.
    #[serde(deserialize_with = "decimal_de::exact")]
    pub execution_threshold: Decimal,
    /// Indicator progress below this (strictly) is an exception.
    #[serde(deserialize_with = "decimal_de::exact")]
    pub progress_threshold: Decimal,
    /// Also compare execution with the time elapsed (序时进度 = month / 12).
    pub compare_time_elapsed: bool,
}

impl MonitoringParams {
    pub fn validate(&self) -> Result<(), ParamError> {
        non_negative("key_project_amount", self.key_project_amount)?;
        ratio_0_1("execution_threshold", self.execution_threshold)?;
        ratio_0_1("progress_threshold", self.progress_threshold)
    }
}

/// Self-evaluation review (绩效自评审核).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfEvalParams {
    /// Self score may differ from the recomputed one by at most this many points.
    #[serde(deserialize_with = "decimal_de::exact")]
    pub score_margin: Decimal,
    /// Year-end execution below this needs a reason.
    #[serde(deserialize_with = "decimal_de::exact")]
    pub execution_reason_threshold: Decimal,
    /// Actual ≥ this × target needs a reason (target set too low).
    #[serde(deserialize_with = "decimal_de::exact")]
    pub over_target_ratio: Decimal,
}

impl SelfEvalParams {
    pub fn validate(&self) -> Result<(), ParamError> {
        non_negative("score_margin", self.score_margin)?;
        if self.score_margin > Decimal::ONE_HUNDRED {
            return Err(ParamError::new("score_margin", "须在 0 到 100 分之间"));
        }
        ratio_0_1("execution_reason_threshold", self.execution_reason_threshold)?;
        if self.over_target_ratio <= Decimal::ONE {
            return Err(ParamError::new("over_target_ratio", "须大于 1，如 \"1.30\""));
        }
        Ok(())
    }
}

/// Quality of the reviewer's own opinion.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewParams {
    /// Opinions on items with findings must be at least this many characters.
    pub min_opinion_chars: usize,
    /// Phrases that on their own are no opinion (数据确认, 同意 …).
    pub boilerplate_phrases: Vec<String>,
}

impl ReviewParams {
    pub fn validate(&self) -> Result<(), ParamError> {
        if self.boilerplate_phrases.iter().any(|w| w.trim().is_empty()) {
            return Err(ParamError::new("boilerplate_phrases", "不能含空短语"));
        }
        Ok(())
    }
}

/// First-level weights of the self-evaluation score (财预〔2020〕10号).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreWeights {
    #[serde(deserialize_with = "decimal_de::exact")]
    pub execution: Decimal,
    #[serde(deserialize_with = "decimal_de::exact")]
    pub output: Decimal,
    #[serde(deserialize_with = "decimal_de::exact")]
    pub benefit: Decimal,
    #[serde(deserialize_with = "decimal_de::exact")]
    pub satisfaction: Decimal,
}

impl ScoreWeights {
    pub fn total(&self) -> Decimal {
        self.execution + self.output + self.benefit + self.satisfaction
    }
}

/// Share of a qualitative indicator's weight for each tier the unit (or reviewer) picks.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierShares {
    /// 达成年度指标: 80–100 %.
    #[serde(deserialize_with = "decimal_de::exact")]
    pub achieved: Decimal,
    /// 部分达成: 60 to < 80 %.
    #[serde(deserialize_with = "decimal_de::exact")]
    pub partial: Decimal,
    /// 未达成: 0 to < 60 %.
    #[serde(deserialize_with = "decimal_de::exact")]
    pub not_achieved: Decimal,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringParams {
    pub weights: ScoreWeights,
    pub tiers: TierShares,
}

impl ScoringParams {
    pub fn validate(&self) -> Result<(), ParamError> {
        let w = &self.weights;
        for (key, v) in [
            ("execution", w.execution),
            ("output", w.output),
            ("benefit", w.benefit),
            ("satisfaction", w.satisfaction),
        ] {
            non_negative(&format!("weights.{key}"), v)?;
        }
        if w.total() != Decimal::ONE_HUNDRED {
            return Err(ParamError::new(
                "weights",
                format!("四项权重之和须为 100，现为 {}", w.total()),
            ));
        }
        let t = &self.tiers;
        let (p60, p80) = (Decimal::new(6, 1), Decimal::new(8, 1));
        if t.achieved < p80 || t.achieved > Decimal::ONE {
            return Err(ParamError::new("tiers.achieved", "「达成年度指标」须在 0.8 到 1 之间"));
        }
        if t.partial < p60 || t.partial >= p80 {
            return Err(ParamError::new("tiers.partial", "「部分达成」须不低于 0.6 且低于 0.8"));
        }
        if t.not_achieved < Decimal::ZERO || t.not_achieved >= p60 {
            return Err(ParamError::new("tiers.not_achieved", "「未达成」须不低于 0 且低于 0.6"));
        }
        Ok(())
    }
}

/// The TOML shape of `GradeBands` (its own `Deserialize` takes Decimal's default
/// form; this one applies the quoted-decimal rule and refuses unknown keys).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GradeBandsToml {
    #[serde(deserialize_with = "decimal_de::exact")]
    excellent: Decimal,
    #[serde(deserialize_with = "decimal_de::exact")]
    good: Decimal,
    #[serde(deserialize_with = "decimal_de::exact")]
    fair: Decimal,
}

/// `#[serde(deserialize_with = "grade_bands")]` for a `GradeBands` field.
pub fn grade_bands<'de, D: serde::Deserializer<'de>>(d: D) -> Result<GradeBands, D::Error> {
    let t = GradeBandsToml::deserialize(d)?;
    Ok(GradeBands {
        excellent: t.excellent,
        good: t.good,
        fair: t.fair,
    })
}

/// Grade bands must go down strictly from 优 to 中 and stay within 0–100.
pub fn validate_grade_bands(g: &GradeBands) -> Result<(), ParamError> {
    if g.excellent > Decimal::ONE_HUNDRED {
        return Err(ParamError::new("excellent", "不能高于 100 分"));
    }
    if g.good >= g.excellent {
        return Err(ParamError::new("good", "须低于「优」的分数线（分数线须从高到低）"));
    }
    if g.fair >= g.good {
        return Err(ParamError::new("fair", "须低于「良」的分数线（分数线须从高到低）"));
    }
    non_negative("fair", g.fair)
}

/// Deadlines of rectification (整改) in days.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RectificationParams {
    /// The bureau sends results and requirements within this many days.
    pub notice_days: u32,
    /// The unit answers with its measures within this many days.
    pub response_days: u32,
}

impl RectificationParams {
    pub fn validate(&self) -> Result<(), ParamError> {
        if self.notice_days == 0 {
            return Err(ParamError::new("notice_days", "须至少 1 天"));
        }
        if self.response_days == 0 {
            return Err(ParamError::new("response_days", "须至少 1 天"));
        }
        Ok(())
    }
}

/// What an evaluation grade means for next year's budget.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeTreatment {
    /// Suggested treatment, shown in the result-application list.
    pub treatment: String,
    /// Suggested cut of next year's budget, as a share (0.10 = 10 %).
    #[serde(deserialize_with = "decimal_de::exact")]
    pub cut_share: Decimal,
}

/// Result application (结果应用).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultApplicationParams {
    pub excellent: GradeTreatment,
    pub good: GradeTreatment,
    pub fair: GradeTreatment,
    pub poor: GradeTreatment,
    /// A one-off project graded 差: no similar new project next year.
    pub one_off_poor_rule: String,
}

impl ResultApplicationParams {
    pub fn for_grade(&self, grade: Grade) -> &GradeTreatment {
        match grade {
            Grade::Excellent => &self.excellent,
            Grade::Good => &self.good,
            Grade::Fair => &self.fair,
            Grade::Poor => &self.poor,
        }
    }

    pub fn validate(&self) -> Result<(), ParamError> {
        for grade in Grade::ALL {
            let t = self.for_grade(*grade);
            let key = grade.code();
            ratio_0_1(&format!("{key}.cut_share"), t.cut_share)?;
            if t.treatment.trim().is_empty() {
                return Err(ParamError::new(format!("{key}.treatment"), "不能为空"));
            }
        }
        if self.one_off_poor_rule.trim().is_empty() {
            return Err(ParamError::new("one_off_poor_rule", "不能为空"));
        }
        Ok(())
    }
}

/// Everything the findings engine and the scorer read, in one value.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleParams {
    pub target: TargetParams,
    pub monitoring: MonitoringParams,
    pub self_eval: SelfEvalParams,
    pub review: ReviewParams,
    pub scoring: ScoringParams,
    pub grades: GradeBands,
    pub rectification: RectificationParams,
    pub result_application: ResultApplicationParams,
}

impl RuleParams {
    /// Checks every group; the key of the error is the full TOML path.
    pub fn validate(&self) -> Result<(), ParamError> {
        self.target.validate().map_err(|e| e.under("target"))?;
        self.monitoring.validate().map_err(|e| e.under("monitoring"))?;
        self.self_eval.validate().map_err(|e| e.under("self_eval"))?;
        self.review.validate().map_err(|e| e.under("review"))?;
        self.scoring.validate().map_err(|e| e.under("scoring"))?;
        validate_grade_bands(&self.grades).map_err(|e| e.under("grades"))?;
        self.rectification.validate().map_err(|e| e.under("rectification"))?;
        self.result_application
            .validate()
            .map_err(|e| e.under("result_application"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn scoring() -> ScoringParams {
        ScoringParams {
            weights: ScoreWeights {
                execution: dec!(10),
                output: dec!(50),
                benefit: dec!(30),
                satisfaction: dec!(10),
            },
            tiers: TierShares {
                achieved: dec!(1.0),
                partial: dec!(0.7),
                not_achieved: dec!(0.3),
            },
        }
    }

    #[test]
    fn weights_must_sum_to_100() {
        assert!(scoring().validate().is_ok());
        let mut s = scoring();
        s.weights.output = dec!(45);
        let e = s.validate().unwrap_err();
        assert_eq!(e.key, "weights");
        assert!(e.message.contains("95"), "{}", e.message);
    }

    #[test]
    fn tier_shares_stay_in_their_bands() {
        let mut s = scoring();
        s.tiers.partial = dec!(0.8);
        assert_eq!(s.validate().unwrap_err().key, "tiers.partial");
        let mut s = scoring();
        s.tiers.achieved = dec!(0.79);
        assert_eq!(s.validate().unwrap_err().key, "tiers.achieved");
        let mut s = scoring();
        s.tiers.not_achieved = dec!(0.6);
        assert_eq!(s.validate().unwrap_err().key, "tiers.not_achieved");
    }

    #[test]
    fn grade_bands_must_descend() {
        let ok = GradeBands {
            excellent: dec!(90),
            good: dec!(80),
            fair: dec!(60),
        };
        assert!(validate_grade_bands(&ok).is_ok());
        let bad = GradeBands {
            good: dec!(90),
            ..ok.clone()
        };
        assert_eq!(validate_grade_bands(&bad).unwrap_err().key, "good");
        let bad = GradeBands { fair: dec!(85), ..ok };
        assert_eq!(validate_grade_bands(&bad).unwrap_err().key, "fair");
    }

    #[test]
    fn monitoring_ratios_are_checked() {
        let m = MonitoringParams {
            key_project_amount: dec!(2000000),
            execution_threshold: dec!(1.5),
            progress_threshold: dec!(0.75),
            compare_time_elapsed: false,
        };
        let e = m.validate().unwrap_err();
        assert_eq!(e.under("monitoring").key, "monitoring.execution_threshold");
        let m = MonitoringParams {
            execution_threshold: dec!(0.75),
            key_project_amount: dec!(-1),
            ..m
        };
        assert_eq!(m.validate().unwrap_err().key, "key_project_amount");
    }

    #[test]
    fn indicator_minimum_table_picks_the_highest_row_reached() {
        let t = TargetParams {
            vague_words: vec!["进一步".into()],
            min_goal_chars: 10,
            indicator_minimums: vec![
                IndicatorMinimum {
                    min_amount: dec!(0),
                    count: 3,
                },
                IndicatorMinimum {
                    min_amount: dec!(1000000),
                    count: 5,
                },
                IndicatorMinimum {
                    min_amount: dec!(10000000),
                    count: 8,
                },
            ],
        };
        assert!(t.validate().is_ok());
        assert_eq!(t.min_indicators_for(dec!(999999.99)), 3);
        assert_eq!(t.min_indicators_for(dec!(1000000)), 5);
        assert_eq!(t.min_indicators_for(dec!(50000000)), 8);
        let mut bad = t;
        bad.indicator_minimums.swap(0, 1);
        assert_eq!(bad.validate().unwrap_err().key, "indicator_minimums[1].min_amount");
    }

    #[test]
    fn decimals_come_from_strings_or_integers_never_floats() {
        #[derive(Deserialize, Debug)]
        struct T {
            #[serde(deserialize_with = "decimal_de::exact")]
            v: Decimal,
        }
        let t: T = serde_json::from_str(r#"{"v":"0.10"}"#).unwrap();
        assert_eq!(t.v.to_string(), "0.10");
        let t: T = serde_json::from_str(r#"{"v":2000000}"#).unwrap();
        assert_eq!(t.v, dec!(2000000));
        let e = serde_json::from_str::<T>(r#"{"v":0.75}"#).unwrap_err().to_string();
        assert!(e.contains("引号"), "{e}");
        assert!(serde_json::from_str::<T>(r#"{"v":"七成"}"#).is_err());
    }
}
