//! Layers of TOML text: parse each, merge them key by key, and find the line
//! where a key was set so that an error can point at it.

use super::error::{ConfigError, Origin};
use toml::de::{DeTable, DeValue};

/// One parsed layer, its text kept for locating keys.
#[derive(Debug, Clone)]
pub struct Layer {
    pub origin: Origin,
    pub text: String,
    pub table: toml::Table,
    /// Keys moved in `table` away from where the text has them (an old flat
    /// `keys.approve` read as `keys.queue.approve`): (path now, path in the text).
    pub moved: Vec<(String, String)>,
}

impl Layer {
    /// Parses `text`; a syntax error carries the line from toml's span.
    pub fn parse(origin: Origin, text: String) -> Result<Layer, ConfigError> {
        match text.parse::<toml::Table>() {
            Ok(table) => Ok(Layer {
                origin,
                text,
                table,
                moved: Vec::new(),
            }),
            Err(e) => {
                let line = e.span().map(|s| line_of(&text, s.start)).unwrap_or(1);
                Err(ConfigError::Syntax {
                    origin,
                    line,
                    message: e.message().trim().to_string(),
                })
            }
        }
    }
}

impl Layer {
    /// Where `path` of the table is written in this layer's text.
    fn path_in_text(&self, path: &str) -> String {
        for (now, was) in &self.moved {
            if let Some(rest) = path.strip_prefix(now.as_str())
                && (rest.is_empty() || rest.starts_with(['.', '[']))
            {
                return format!("{was}{rest}");
            }
        }
        path.to_string()
    }
}

/// Overlays `over` on `base`: tables merge key by key, anything else replaces.
pub fn deep_merge(base: &mut toml::Table, over: &toml::Table) {
    for (key, value) in over {
        match (base.get_mut(key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => deep_merge(b, o),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Reads `a.b[2].c` into segments.
pub fn parse_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            segs.push(Seg::Key(rest[..open].to_string()));
            rest = &rest[open..];
            while let Some(close) = rest.find(']') {
                if let Ok(i) = rest[1..close].parse() {
                    segs.push(Seg::Index(i));
                }
                rest = &rest[close + 1..];
            }
        } else {
            segs.push(Seg::Key(rest.to_string()));
        }
    }
    segs
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

/// How many leading segments of `path` this text sets, and the line of the
/// deepest one found.
fn locate_in(text: &str, path: &[Seg]) -> (usize, Option<usize>) {
    let Ok(root) = DeTable::parse(text) else {
        return (0, None);
    };
    let mut current: Option<&DeValue> = None;
    let mut matched = 0;
    let mut offset = None;
    for seg in path {
        match seg {
            Seg::Key(k) => {
                let table = match current {
                    None => root.get_ref(),
                    Some(v) => match v.as_table() {
                        Some(t) => t,
                        None => break,
                    },
                };
                let Some((key, value)) = table.iter().find(|(key, _)| key.get_ref() == k) else {
                    break;
                };
                offset = Some(key.span().start);
                current = Some(value.get_ref());
            }
            Seg::Index(i) => {
                let Some(item) = current.and_then(|v| v.as_array()).and_then(|a| a.get(*i)) else {
                    break;
                };
                offset = Some(item.span().start);
                current = Some(item.get_ref());
            }
        }
        matched += 1;
    }
    (matched, offset.map(|o| line_of(text, o)))
}

/// The layer that set `path` last (or, failing that, set the longest part of
/// it) and the line there.
pub fn blame(layers: &[Layer], path: &str) -> Option<(usize, Origin, usize)> {
    let mut best: Option<(usize, usize, usize)> = None; // (matched, layer, line)
    for (i, layer) in layers.iter().enumerate().rev() {
        let segs = parse_path(&layer.path_in_text(path));
        let (matched, line) = locate_in(&layer.text, &segs);
        let Some(line) = line else { continue };
        if matched == segs.len() {
            return Some((i, layer.origin.clone(), line));
        }
        if best.is_none_or(|(m, _, _)| matched > m) {
            best = Some((matched, i, line));
        }
    }
    best.map(|(_, i, line)| (i, layers[i].origin.clone(), line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(name: &str, text: &str) -> Layer {
        Layer::parse(Origin::Text(name.into()), text.into()).unwrap()
    }

    #[test]
    fn paths_read_keys_and_indices() {
        assert_eq!(
            parse_path("templates[2].name"),
            vec![Seg::Key("templates".into()), Seg::Index(2), Seg::Key("name".into())]
        );
        assert_eq!(parse_path("a.b"), vec![Seg::Key("a".into()), Seg::Key("b".into())]);
    }

    #[test]
    fn merge_overrides_single_keys_and_replaces_arrays() {
        let mut base = layer("a", "[m]\nx = 1\ny = 2\nlist = [1, 2]\n").table;
        let over = layer("b", "[m]\ny = 3\nlist = [9]\n").table;
        deep_merge(&mut base, &over);
        assert_eq!(base["m"]["x"].as_integer(), Some(1));
        assert_eq!(base["m"]["y"].as_integer(), Some(3));
        assert_eq!(base["m"]["list"].as_array().map(|a| a.len()), Some(1));
    }

    #[test]
    fn blame_finds_the_latest_layer_and_line() {
        let a = layer("a", "[m]\nx = 1\ny = 2\n\n[[t]]\nname = \"p\"\n\n[[t]]\nname = \"q\"\n");
        let b = layer("b", "# comment\n[m]\n\ny = 3\n");
        let layers = vec![a, b];
        assert_eq!(blame(&layers, "m.y"), Some((1, Origin::Text("b".into()), 4)));
        assert_eq!(blame(&layers, "m.x"), Some((0, Origin::Text("a".into()), 2)));
        assert_eq!(blame(&layers, "t[1].name"), Some((0, Origin::Text("a".into()), 9)));
        // Not set anywhere in full: the deepest part found.
        assert_eq!(blame(&layers, "m.z").map(|(_, _, l)| l), Some(2));
    }

    #[test]
    fn blame_follows_a_moved_key_to_its_line() {
        let a = layer("a", "[keys]\napprove = [\"a\"]\n\n[keys.queue]\napprove = [\"a\"]\n");
        let mut b = layer("b", "# old\n[keys]\n\napprove = [\"z\"]\n");
        b.moved.push(("keys.queue.approve".into(), "keys.approve".into()));
        let layers = vec![a, b];
        assert_eq!(
            blame(&layers, "keys.queue.approve"),
            Some((1, Origin::Text("b".into()), 4))
        );
        assert_eq!(blame(&layers, "keys.queue.approve_all").map(|(i, _, _)| i), Some(0));
    }

    #[test]
    fn syntax_error_has_a_line() {
        let e = Layer::parse(Origin::Text("x".into()), "[a]\nb = 1\nc = = 2\n".into()).unwrap_err();
        assert_eq!(e.line(), Some(3));
    }
}
