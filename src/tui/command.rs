//! The `:` command line: `:filter`, `:goto`, `:sort`, `:export`, `:q`.

use crate::domain::{ReviewState, Severity};
use crate::store::QueueSort;

/// Filter settings a command can set; `None` fields are cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterSpec {
    pub state: Option<ReviewState>,
    pub section: Option<String>,
    pub unit: Option<String>,
    pub min_severity: Option<Severity>,
    pub has_findings: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Quit,
    Filter(FilterSpec),
    Goto(String),
    Sort(QueueSort),
    Export { what: String, path: String },
    Help,
}

/// Reads a command line (without the leading `:`); errors are shown to the user.
pub fn parse(line: &str) -> Result<Command, String> {
    let mut words = line.split_whitespace();
    let Some(verb) = words.next() else {
        return Err(super::strings::CMD_EMPTY.into());
    };
    match verb {
        "q" | "quit" | "退出" => Ok(Command::Quit),
        "help" | "h" => Ok(Command::Help),
        "goto" | "g" => {
            let target = words.collect::<Vec<_>>().join(" ");
            if target.is_empty() {
                Err(super::strings::CMD_GOTO_USAGE.into())
            } else {
                Ok(Command::Goto(target))
            }
        }
        "sort" => match words.next() {
            Some("amount" | "金额") => Ok(Command::Sort(QueueSort::AmountDesc)),
            Some("unit" | "单位") => Ok(Command::Sort(QueueSort::Unit)),
            Some("findings" | "问题") => Ok(Command::Sort(QueueSort::FindingsDesc)),
            Some("state" | "状态") => Ok(Command::Sort(QueueSort::State)),
            Some("default" | "默认") | None => Ok(Command::Sort(QueueSort::Loaded)),
            Some(other) => Err(format!("{}{other}", super::strings::CMD_SORT_BAD)),
        },
        "export" => {
            let what = words.next().unwrap_or("opinions").to_string();
            let path = words
                .next()
                .ok_or_else(|| super::strings::CMD_EXPORT_USAGE.to_string())?
                .to_string();
            Ok(Command::Export { what, path })
        }
        "filter" | "f" => parse_filter(words).map(Command::Filter),
        other => Err(format!("{}{other}", super::strings::CMD_UNKNOWN)),
    }
}

fn parse_filter<'a>(words: impl Iterator<Item = &'a str>) -> Result<FilterSpec, String> {
    let mut spec = FilterSpec::default();
    for word in words {
        let (key, value) = word
            .split_once('=')
            .ok_or_else(|| format!("{}{word}", super::strings::CMD_FILTER_BAD))?;
        let bad = || format!("{}{word}", super::strings::CMD_FILTER_BAD);
        match key {
            "state" | "状态" => spec.state = Some(ReviewState::parse(value).ok_or_else(bad)?),
            "section" | "科室" => spec.section = Some(value.to_string()),
            "unit" | "单位" => spec.unit = Some(value.to_string()),
            "severity" | "严重程度" => spec.min_severity = Some(Severity::parse(value).ok_or_else(bad)?),
            "findings" | "问题" => {
                spec.has_findings = Some(match value {
                    "yes" | "有" | "1" | "true" => true,
                    "no" | "无" | "0" | "false" => false,
                    _ => return Err(bad()),
                })
            }
            _ => return Err(bad()),
        }
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_read_as_typed() {
        assert_eq!(parse("q"), Ok(Command::Quit));
        assert_eq!(parse("goto 101001"), Ok(Command::Goto("101001".into())));
        assert_eq!(parse("sort amount"), Ok(Command::Sort(QueueSort::AmountDesc)));
        assert_eq!(
            parse("filter state=待审 section=教科文科 severity=blocking findings=有"),
            Ok(Command::Filter(FilterSpec {
                state: Some(ReviewState::Pending),
                section: Some("教科文科".into()),
                unit: None,
                min_severity: Some(Severity::Blocking),
                has_findings: Some(true),
            }))
        );
        assert_eq!(parse("filter"), Ok(Command::Filter(FilterSpec::default())));
        assert!(parse("filter state=完成").is_err());
        assert!(parse("frobnicate").is_err());
        assert!(parse("export opinions").is_err());
    }
}
