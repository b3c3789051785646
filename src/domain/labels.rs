//! Closed vocabularies of the forms (预算类型, 资金性质, 指标性质, 一级/二级指标, states…)
//! as enums with a stable stored code, a Chinese label, and the variants units write.

/// Trims and drops inner spaces and full-width spaces so that `产出 指标` reads as `产出指标`.
pub fn normalize_label(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect()
}

macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $label:literal $(| $alias:literal)*;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            /// Every value, in form order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable identifier stored in the database and used by scripts.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Chinese label shown on screen and written in forms.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Reads a stored code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Reads what a unit wrote: the label, the code or a common variant.
            pub fn parse(text: &str) -> Option<Self> {
                let t = $crate::domain::labels::normalize_label(text);
                $(
                    if t == $label || t == $code $(|| t == $alias)* {
                        return Some($name::$variant);
                    }
                )+
                None
            }

            /// The labels accepted, for error messages and drop-down lists.
            pub fn labels() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.label()).collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

labelled_enum! {
    /// 预算类型.
    BudgetKind {
        GeneralPublic => "general_public", "一般公共预算" | "一般公共预算资金" | "一般公共";
        GovFund => "gov_fund", "政府性基金预算" | "政府性基金";
        StateCapital => "state_capital", "国有资本经营预算" | "国有资本经营";
        SocialInsurance => "social_insurance", "社会保险基金预算" | "社会保险基金" | "社保基金";
    }
}

labelled_enum! {
    /// 资金性质: a unit's overall spending, a special fund, or other.
    FundKind {
        UnitOverall => "unit_overall", "部门整体" | "部门整体支出" | "整体支出";
        Special => "special", "专项资金" | "项目支出" | "专项";
        Other => "other", "其他";
    }
}

labelled_enum! {
    /// 指标性质: the direction a target is read in.
    Direction {
        AtLeast => "at_least", "≥" | ">=" | "≧" | "＞＝" | "大于等于" | "不低于" | "不少于" | "正向" | ">" | "大于" | "＞";
        AtMost => "at_most", "≤" | "<=" | "≦" | "＜＝" | "小于等于" | "不高于" | "不超过" | "不多于" | "反向" | "<" | "小于" | "＜";
        Equal => "equal", "=" | "＝" | "等于" | "==";
        Qualitative => "qualitative", "定性" | "定性指标";
    }
}

labelled_enum! {
    /// 一级指标.
    Level1 {
        Output => "output", "产出指标" | "产出";
        Cost => "cost", "成本指标" | "成本";
        Benefit => "benefit", "效益指标" | "效益";
        Satisfaction => "satisfaction", "满意度指标" | "满意度";
    }
}

labelled_enum! {
    /// 二级指标, in both the older tree (成本 under 产出) and the 2021 one
    /// (成本 as its own first level with 经济/社会/生态环境成本).
    Level2 {
        Quantity => "quantity", "数量指标" | "数量";
        Quality => "quality", "质量指标" | "质量";
        Timeliness => "timeliness", "时效指标" | "时效";
        Cost => "cost", "成本指标" | "成本";
        EconomicCost => "economic_cost", "经济成本指标" | "经济成本";
        SocialCost => "social_cost", "社会成本指标" | "社会成本";
        EcoCost => "eco_cost", "生态环境成本指标" | "生态环境成本";
        EconomicBenefit => "economic_benefit", "经济效益指标" | "经济效益";
        SocialBenefit => "social_benefit", "社会效益指标" | "社会效益";
        EcoBenefit => "eco_benefit", "生态效益指标" | "生态效益" | "环境效益指标";
        Sustainability => "sustainability", "可持续影响指标" | "可持续影响";
        Satisfaction => "satisfaction", "服务对象满意度指标" | "满意度指标" | "社会公众或服务对象满意度指标" | "服务对象满意度";
    }
}

impl Level2 {
    /// Whether this second level may stand under that first level.
    pub fn fits_under(self, level1: Level1) -> bool {
        use Level2::*;
        match level1 {
            Level1::Output => matches!(self, Quantity | Quality | Timeliness | Cost),
            Level1::Cost => matches!(self, EconomicCost | SocialCost | EcoCost | Cost),
            Level1::Benefit => matches!(self, EconomicBenefit | SocialBenefit | EcoBenefit | Sustainability),
            Level1::Satisfaction => matches!(self, Satisfaction),
        }
    }

    /// A cost indicator in either tree.
    pub fn is_cost(self) -> bool {
        matches!(
            self,
            Level2::Cost | Level2::EconomicCost | Level2::SocialCost | Level2::EcoCost
        )
    }
}

labelled_enum! {
    /// 完成可能性 in the October monitoring table.
    Likelihood {
        Certain => "certain", "确定能" | "确定" | "能";
        Possible => "possible", "有可能" | "可能";
        Impossible => "impossible", "不可能" | "不能";
    }
}

labelled_enum! {
    /// The unit's own tier for a qualitative indicator at year end.
    QualTier {
        Achieved => "achieved", "达成" | "达成年度指标" | "已达成" | "全部达成";
        Partial => "partial", "部分达成" | "部分达成年度指标";
        NotAchieved => "not_achieved", "未达成" | "未达成年度指标";
    }
}

labelled_enum! {
    /// 评价等级.
    Grade {
        Excellent => "excellent", "优" | "优秀";
        Good => "good", "良" | "良好";
        Fair => "fair", "中" | "中等" | "合格";
        Poor => "poor", "差" | "较差" | "不合格";
    }
}

labelled_enum! {
    /// The stages of the review year; each has its own queue tab.
    Stage {
        Target => "target", "目标审核";
        Monitoring => "monitoring", "监控异常";
        SelfEval => "self-eval", "自评审核" | "self_eval";
        KeyEval => "key-eval", "重点评价" | "key_eval";
        Rectification => "rectification", "整改跟踪";
    }
}

labelled_enum! {
    /// Where a reviewable item stands.
    ReviewState {
        Pending => "pending", "待审";
        Approved => "approved", "已通过";
        Returned => "returned", "已退回";
        Resubmitted => "resubmitted", "已重报";
    }
}

labelled_enum! {
    /// Where a rectification stands; overdue is derived from the deadline.
    RectState {
        Open => "open", "待整改";
        InProgress => "in_progress", "整改中";
        Submitted => "submitted", "已报送";
        Verified => "verified", "已销号";
    }
}

labelled_enum! {
    /// How much a finding stands in the way of approval.
    Severity {
        Blocking => "blocking", "阻断";
        Warning => "warning", "警告";
        Info => "info", "提示";
    }
}

labelled_enum! {
    /// What a reviewer may do: own sections, everything, or read everything.
    Role {
        Reviewer => "reviewer", "审核员";
        Admin => "admin", "管理员";
        Auditor => "auditor", "审计员";
    }
}

labelled_enum! {
    /// The four criteria of target audit (财预〔2015〕88号).
    Criterion {
        Completeness => "completeness", "完整性";
        Relevance => "relevance", "相关性";
        Appropriateness => "appropriateness", "适当性";
        Feasibility => "feasibility", "可行性";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_units_write_are_normalised() {
        assert_eq!(Direction::parse("≥"), Some(Direction::AtLeast));
        assert_eq!(Direction::parse(">="), Some(Direction::AtLeast));
        assert_eq!(Direction::parse("大于等于"), Some(Direction::AtLeast));
        assert_eq!(Direction::parse(" ≤ "), Some(Direction::AtMost));
        assert_eq!(Direction::parse("定性"), Some(Direction::Qualitative));
        assert_eq!(Direction::parse("约"), None);
        assert_eq!(Level1::parse("产出 指标"), Some(Level1::Output));
        assert_eq!(Level2::parse("数量"), Some(Level2::Quantity));
        assert_eq!(BudgetKind::parse("社保基金"), Some(BudgetKind::SocialInsurance));
        assert_eq!(FundKind::parse("项目支出"), Some(FundKind::Special));
    }

    #[test]
    fn codes_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::from_code(s.code()), Some(*s));
        }
        for s in ReviewState::ALL {
            assert_eq!(ReviewState::from_code(s.code()), Some(*s));
        }
        assert_eq!(Stage::parse("self-eval"), Some(Stage::SelfEval));
    }

    #[test]
    fn both_cost_trees_are_accepted() {
        assert!(Level2::Cost.fits_under(Level1::Output));
        assert!(Level2::EconomicCost.fits_under(Level1::Cost));
        assert!(!Level2::Quantity.fits_under(Level1::Benefit));
        assert!(Level2::SocialCost.is_cost());
    }
}
