//! serde's English error texts, said in Chinese. Our own messages are
//! Chinese already and pass through unchanged.

/// Rewrites the serde messages a config can produce.
pub fn translate(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let name = first_quoted(rest).unwrap_or(rest);
        return format!("未知的键「{name}」（拼写错误，或不属于这一节）");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let name = first_quoted(rest).unwrap_or(rest);
        let choices = rest
            .split_once("expected one of ")
            .map(|(_, c)| c.replace('`', "").replace(", ", "、"));
        return match choices {
            Some(c) => format!("取值「{name}」无效，可选：{c}"),
            None => format!("取值「{name}」无效"),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("缺少键「{}」", first_quoted(rest).unwrap_or(rest));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        let integer = matches!(expected, "usize" | "u8" | "u16" | "u32" | "u64");
        let hint = match (found.starts_with("floating point"), integer) {
            (true, true) => "；这里须写整数",
            (true, false) => "；小数须加引号，如 \"0.75\"",
            _ => "",
        };
        return format!(
            "类型不对：应为{}，实际写的是{}{hint}",
            expected_cn(expected),
            found_cn(found)
        );
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!("取值无效：应为{}，实际写的是{}", expected_cn(expected), found_cn(found));
    }
    message.to_string()
}

fn first_quoted(s: &str) -> Option<&str> {
    let start = s.find('`')? + 1;
    let len = s[start..].find('`')?;
    Some(&s[start..start + len])
}

fn expected_cn(expected: &str) -> String {
    match expected {
        "usize" | "u8" | "u16" | "u32" | "u64" => "非负整数".into(),
        "a boolean" => "true 或 false".into(),
        "a string" => "带引号的文字".into(),
        "a sequence" => "数组，如 [\"a\", \"b\"]".into(),
        "variant identifier" | "string only" => "带引号的文字".into(),
        e if e.starts_with("struct ") || e.starts_with("a map") => "表（[节] 或 { … }）".into(),
        other => other.to_string(),
    }
}

fn found_cn(found: &str) -> String {
    let value = first_quoted(found).map(str::to_string);
    let (kind, value) = if let Some(v) = found.strip_prefix("string ") {
        ("文字", Some(v.to_string()))
    } else if found.starts_with("floating point") {
        ("小数", value)
    } else if found.starts_with("integer") {
        ("整数", value)
    } else if found.starts_with("boolean") {
        ("布尔值", value)
    } else if found == "unit variant" {
        ("未加引号的值", None)
    } else if found == "sequence" {
        ("数组", None)
    } else if found == "map" {
        ("表", None)
    } else {
        return found.to_string();
    };
    match value {
        Some(v) => format!("{kind} {v}"),
        None => kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn serde_messages_become_chinese() {
        assert_eq!(
            translate("unknown field `executon`, expected one of `a`, `b`"),
            "未知的键「executon」（拼写错误，或不属于这一节）"
        );
        assert_eq!(
            translate("unknown variant `neon`, expected one of `auto`, `16`"),
            "取值「neon」无效，可选：auto、16"
        );
        let t = translate("invalid type: floating point `2.5`, expected a string");
        assert!(
            t.contains("带引号的文字") && t.contains("小数 2.5") && t.contains("\"0.75\""),
            "{t}"
        );
        let t = translate("invalid type: floating point `2.5`, expected u32");
        assert!(
            t.contains("非负整数") && t.contains("须写整数") && !t.contains("引号"),
            "{t}"
        );
        let t = translate("invalid type: string \"many\", expected usize");
        assert!(t.contains("文字 \"many\""), "{t}");
        assert_eq!(translate("须为 0 到 1 之间的比率"), "须为 0 到 1 之间的比率");
    }
}
