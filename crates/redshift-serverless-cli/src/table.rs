//! `--output table`, laid out by the AWS CLI's rules (`awscli/formatter.py`'s
//! `TableFormatter` and `awscli/table.py`), so the same data gives the same table:
//!
//! - the operation's name is the title; a structure's scalar members become one header row
//!   (keys sorted) and one value row, its lists and structures nested sections below, each
//!   indented by one `|` a side; a single scalar member is a `key | value` row;
//! - columns get their widest cell plus four, scaled to the widest section; a table wider
//!   than the terminal (80 columns when standard output is not one) turns each one-row
//!   section into `key | value` rows;
//! - widths count East Asian wide and ambiguous characters as two, as Python's
//!   `unicodedata.east_asian_width` does there, and scaling rounds half to even, as
//!   Python's `round` does.
//!
//! Cells are escaped for the terminal (`escape.rs`). With colors on, values are bright
//! blue and the indentation bars dim yellow (the AWS CLI's `ColorizedStyler`, without
//! colorama's extra reset codes).

use serde_json::Value;
use unicode_width::UnicodeWidthChar;

use crate::escape::escape_controls;
use crate::scalar::python_str;

/// How table output is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableStyle {
    /// ANSI colors, as the AWS CLI's `--color on`.
    pub color: bool,
    /// The terminal's width; 80 when standard output is not a terminal.
    pub width: usize,
}

/// A scalar in a cell: as Python's `str()` prints it, every control character escaped
/// (TAB and newline too, which would break the table's lines and columns).
fn scalar_text(value: &Value) -> String {
    escape_controls(&python_str(value)).into_owned()
}

const VALUE_ON: &str = "\u{1b}[1m\u{1b}[34m";
const BAR_ON: &str = "\u{1b}[2m\u{1b}[33m";
const OFF: &str = "\u{1b}[0m";

/// Display width: wide, fullwidth and ambiguous characters count two.
fn text_length(s: &str) -> usize {
    s.chars()
        .map(|c| if c.width_cjk() == Some(2) { 2 } else { 1 })
        .sum()
}

#[derive(Debug, Default, Clone)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent_level: usize,
    max_widths: Vec<usize>,
}

impl Section {
    fn titled(title: &str, indent_level: usize) -> Self {
        Section {
            title: title.to_owned(),
            indent_level,
            ..Section::default()
        }
    }

    fn add_header(&mut self, headers: Vec<String>) {
        self.update_max_widths(&headers);
        self.headers = headers;
    }

    fn add_row(&mut self, mut row: Vec<String>) {
        // The AWS CLI fails on a row of another length (only reachable through --query);
        // padding it is kinder and keeps the columns.
        let columns = self.max_widths.len().max(self.headers.len());
        if columns > 0 && row.len() < columns {
            row.resize(columns, String::new());
        }
        self.update_max_widths(&row);
        self.rows.push(row);
    }

    fn update_max_widths(&mut self, cells: &[String]) {
        for (i, cell) in cells.iter().enumerate() {
            let w = text_length(cell);
            match self.max_widths.get_mut(i) {
                Some(max) => *max = (*max).max(w),
                None => self.max_widths.push(w),
            }
        }
    }

    /// Each column's width plus `padding`, scaled so they add up to `max_width`.
    fn column_widths(&self, padding: usize, max_width: Option<usize>) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let (Some(max_width), false) = (max_width, unscaled.is_empty()) else {
            return unscaled;
        };
        let total: usize = unscaled.iter().sum();
        let scale = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|&w| (scale * w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    fn total_width(&self) -> usize {
        let outer = self.indent_level * 2;
        let columns: usize = self.column_widths(0, None).iter().map(|w| w + 4).sum();
        (text_length(&self.title) + 2 + outer).max(columns + 2 + outer)
    }
}

/// Builds the sections from the data (`TableFormatter._build_table` and friends).
#[derive(Debug, Default)]
struct Builder {
    sections: Vec<Section>,
}

impl Builder {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    fn build(&mut self, title: Option<&str>, current: &Value, indent_level: usize) -> bool {
        if is_falsy(current) {
            return false;
        }
        if let Some(title) = title {
            self.sections.push(Section::titled(title, indent_level));
        }
        match current {
            Value::Array(items) => {
                if items.first().is_some_and(Value::is_object) {
                    self.add_list(items, indent_level, title);
                } else {
                    for item in items {
                        match item {
                            Value::Array(inner) if inner.iter().all(is_scalar) => {
                                self.current()
                                    .add_row(inner.iter().map(scalar_text).collect());
                            }
                            Value::Array(_) => {
                                self.build(None, item, 0);
                            }
                            // A structure after a first element that was not one: Python
                            // iterates its keys.
                            Value::Object(map) => {
                                self.current()
                                    .add_row(map.keys().map(|k| cell_key(k)).collect());
                            }
                            scalar => self.current().add_row(vec![scalar_text(scalar)]),
                        }
                    }
                }
            }
            Value::Object(map) => self.add_object(map, indent_level),
            _ => {}
        }
        true
    }

    fn add_object(&mut self, map: &serde_json::Map<String, Value>, indent_level: usize) {
        let (headers, more) = group_keys(map);
        match headers.as_slice() {
            [] => {}
            [only] => {
                let value = scalar_text(&map[only.as_str()]);
                self.current().add_row(vec![cell_key(only), value]);
            }
            _ => {
                self.current()
                    .add_header(headers.iter().map(|k| cell_key(k)).collect());
                let row = headers
                    .iter()
                    .map(|k| scalar_text(&map[k.as_str()]))
                    .collect();
                self.current().add_row(row);
            }
        }
        for key in more {
            self.build(Some(&cell_key(&key)), &map[key.as_str()], indent_level + 1);
        }
    }

    fn add_list(&mut self, items: &[Value], indent_level: usize, title: Option<&str>) {
        let mut headers: Vec<String> = Vec::new();
        let mut more: Vec<String> = Vec::new();
        for map in items.iter().filter_map(Value::as_object) {
            let (h, m) = group_keys(map);
            headers.extend(h);
            more.extend(m);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        let header_cells: Vec<String> = headers.iter().map(|k| cell_key(k)).collect();
        self.current().add_header(header_cells.clone());
        for (i, item) in items.iter().enumerate() {
            let map = item.as_object();
            if i > 0 && !more.is_empty() {
                self.sections
                    .push(Section::titled(title.unwrap_or_default(), indent_level));
                self.current().add_header(header_cells.clone());
            }
            let row = headers
                .iter()
                .map(|h| {
                    map.and_then(|m| m.get(h))
                        .map_or_else(String::new, scalar_text)
                })
                .collect();
            self.current().add_row(row);
            for key in &more {
                if let Some(value) = map.and_then(|m| m.get(key)) {
                    self.build(Some(&cell_key(key)), value, indent_level + 1);
                }
            }
        }
    }
}

fn cell_key(key: &str) -> String {
    escape_controls(key).into_owned()
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// Python's falsiness, which `_build_table` tests first.
fn is_falsy(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// Sorted scalar keys, then sorted keys of lists and structures.
fn group_keys(map: &serde_json::Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let mut headers: Vec<String> = map
        .iter()
        .filter(|(_, v)| is_scalar(v))
        .map(|(k, _)| k.clone())
        .collect();
    let mut more: Vec<String> = map
        .iter()
        .filter(|(_, v)| !is_scalar(v))
        .map(|(k, _)| k.clone())
        .collect();
    headers.sort();
    more.sort();
    (headers, more)
}

/// The table for `data` under `title`; empty when the data is empty (as the AWS CLI prints
/// nothing then).
pub fn render(title: &str, data: &Value, style: TableStyle) -> String {
    let mut builder = Builder::default();
    if !builder.build(Some(title), data, 0) {
        return String::new();
    }
    let mut sections = builder.sections;
    let mut max_width = sections.iter().map(Section::total_width).max().unwrap_or(0);
    if max_width > style.width {
        to_vertical(&mut sections);
        max_width = sections.iter().map(Section::total_width).max().unwrap_or(0);
    }
    let mut out = String::new();
    out.push_str(&"-".repeat(max_width));
    out.push('\n');
    for section in &sections {
        Renderer {
            out: &mut out,
            indent: section.indent_level,
            color: style.color,
        }
        .section(section, max_width - section.indent_level * 2);
    }
    out
}

/// Every one-row section with headers becomes `header | value` rows.
fn to_vertical(sections: &mut [Section]) {
    for section in sections.iter_mut() {
        if section.rows.len() == 1 && !section.headers.is_empty() {
            let mut vertical = Section::titled(&section.title, section.indent_level);
            for (header, cell) in section.headers.iter().zip(&section.rows[0]) {
                vertical.add_row(vec![header.clone(), cell.clone()]);
            }
            *section = vertical;
        }
    }
}

/// Writes one section's lines, each between its indentation bars.
struct Renderer<'a> {
    out: &'a mut String,
    indent: usize,
    color: bool,
}

impl Renderer<'_> {
    fn line(&mut self, text: &str) {
        let bar = if self.color {
            format!("{BAR_ON}|{OFF}")
        } else {
            "|".to_owned()
        };
        let bars = bar.repeat(self.indent);
        self.out.push_str(&bars);
        self.out.push_str(text);
        self.out.push_str(&bars);
        self.out.push('\n');
    }

    fn section(&mut self, section: &Section, max_width: usize) {
        if !section.title.is_empty() {
            let title = center(&section.title, max_width, "|");
            self.line(&title);
            if section.headers.is_empty() && section.rows.is_empty() {
                self.line(&format!("+{}+", "-".repeat(max_width.saturating_sub(2))));
            }
        }
        if !section.headers.is_empty() {
            let widths = section.column_widths(4, Some(max_width));
            let mut line = String::new();
            for (i, (width, header)) in widths.iter().zip(&section.headers).enumerate() {
                let left = if i == 0 { "|" } else { "" };
                line.push_str(&center(header, *width, left));
            }
            self.rule(&widths);
            self.line(&line);
        }
        if !section.rows.is_empty() {
            let widths = section.column_widths(4, Some(max_width));
            if widths.is_empty() {
                return;
            }
            self.rule(&widths);
            for row in &section.rows {
                let mut line = String::new();
                for (i, (width, cell)) in widths.iter().zip(row).enumerate() {
                    let left = if i == 0 { "|" } else { "" };
                    line.push_str(&self.align_left(cell, *width, left));
                }
                self.line(&line);
            }
            self.rule(&widths);
        }
    }

    fn rule(&mut self, widths: &[usize]) {
        let mut line = String::new();
        for (i, w) in widths.iter().enumerate() {
            if i == 0 {
                line.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2))));
            } else {
                line.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1))));
            }
        }
        self.line(&line);
    }

    /// `align_left`: two spaces of padding when they fit, the cell, spaces to `length`.
    fn align_left(&self, text: &str, length: usize, left: &str) -> String {
        let text_len = text_length(text);
        let padding = if text_len + 2 + left.len() < length {
            2
        } else {
            0
        };
        let fill = length.saturating_sub(left.len() + padding + text_len + 1);
        let styled = if self.color {
            format!("{VALUE_ON}{text}{OFF}")
        } else {
            text.to_owned()
        };
        format!("{left}{}{styled}{}|", " ".repeat(padding), " ".repeat(fill))
    }
}

/// `center_text` with a right edge of `|`.
fn center(text: &str, length: usize, left: &str) -> String {
    let text_len = text_length(text);
    let start = (length / 2).saturating_sub(text_len / 2 + 1);
    let so_far = left.len() + start + text_len;
    let right = length.saturating_sub(1 + so_far);
    format!("{left}{}{text}{}|", " ".repeat(start), " ".repeat(right))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PLAIN: TableStyle = TableStyle {
        color: false,
        width: 80,
    };

    #[test]
    fn nested_sections_are_indented_and_cells_escaped() {
        let table = render(
            "T",
            &json!({"k": "v\u{1b}[2J", "list": [{"n": "1"}, {"n": "2"}]}),
            PLAIN,
        );
        assert!(table.contains("|  v\\u{1b}[2J"), "{table}");
        assert!(table.contains("||"), "nested section bars:\n{table}");
        assert!(!table.contains('\u{1b}'), "{table}");
        let colored = render(
            "T",
            &json!({"k": "v"}),
            TableStyle {
                color: true,
                width: 80,
            },
        );
        assert!(
            colored.contains("\u{1b}[1m\u{1b}[34mv\u{1b}[0m"),
            "{colored:?}"
        );
    }

    #[test]
    fn widths_count_wide_characters_twice() {
        assert_eq!(text_length("abc"), 3);
        assert_eq!(text_length("日本"), 4);
        assert_eq!(text_length("é"), 1);
    }
}
