//! A rule's identifier as the catalogue names it (`T-VAGUE`, `M-EXEC`,
//! `R-OPINION`): stored with every finding, shown by `jixiao check` and the
//! exports. Its letter says which part of the work the rule judges; the
//! `R-` rules judge the reviewer's own opinion, not the unit's data, so they
//! follow every decision and are left out of what is sent back to a unit.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RuleId(String);

impl RuleId {
    pub fn new(id: impl Into<String>) -> RuleId {
        RuleId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A rule on the reviewer's opinion (`R-…`): recomputed with each decision.
    pub fn is_review_quality(&self) -> bool {
        self.0.starts_with("R-")
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for RuleId {
    fn from(id: &str) -> RuleId {
        RuleId(id.to_string())
    }
}

impl From<String> for RuleId {
    fn from(id: String) -> RuleId {
        RuleId(id)
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl AsRef<str> for RuleId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::RuleId;

    #[test]
    fn the_opinion_rules_are_told_apart() {
        assert!(RuleId::from("R-OPINION").is_review_quality());
        assert!(!RuleId::from("T-VAGUE").is_review_quality());
        assert_eq!(RuleId::from("K-DOC"), "K-DOC");
        assert_eq!(serde_json::to_string(&RuleId::from("K-DOC")).unwrap(), "\"K-DOC\"");
    }
}
