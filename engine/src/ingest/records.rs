//! JSON records (JSON Lines, JSON arrays) into articles.
//!
//! Corpora name their fields differently; each article field takes the first of its
//! accepted names that the record has (see [`FIELDS`]). Only a title and some text (a lead
//! or a body) are required: RSS items carry a summary and no body, and are articles too.

use serde_json::{Map, Value};

use super::{date, Reason, Remarks};
use crate::article::Article;
use crate::text;

/// Article field ← the record field names accepted for it, in order of preference.
pub const FIELDS: &[(&str, &[&str])] = &[
    ("id", &["id"]),
    ("title", &["title"]),
    ("body", &["body", "content", "text"]),
    ("lead", &["sapo", "lead", "summary", "description"]),
    ("date", &["date", "published", "time"]),
    ("source", &["source", "outlet", "site"]),
    ("category", &["category", "section"]),
    ("url", &["url", "link"]),
    ("author", &["author", "byline"]),
];

fn names(field: &str) -> &'static [&'static str] {
    FIELDS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, names)| *names)
        .unwrap_or(&[])
}

/// The first present, non-null value among the record fields mapped to `field`.
fn lookup<'a>(record: &'a Map<String, Value>, field: &str) -> Option<(&'static str, &'a Value)> {
    names(field)
        .iter()
        .find_map(|name| match record.get(*name) {
            None | Some(Value::Null) => None,
            Some(value) => Some((*name, value)),
        })
}

/// Cleans a string on its way in; notes a legacy-encoding conversion, counts removed
/// characters.
fn repaired(value: &str, name: &str, remarks: &mut Remarks) -> String {
    let repaired = text::repair_and_count(value);
    remarks.repaired(&repaired, Some(name));
    repaired.text.trim().to_string()
}

fn text_field(
    record: &Map<String, Value>,
    field: &str,
    remarks: &mut Remarks,
) -> Result<Option<String>, Reason> {
    let Some((name, value)) = lookup(record, field) else {
        return Ok(None);
    };
    match value {
        Value::String(s) => {
            let s = repaired(s, name, remarks);
            Ok((!s.is_empty()).then_some(s))
        }
        // Ids are often numbers; other fields given as numbers are still readable text.
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(Reason::BadField {
            field: name.to_string(),
            message: format!("expected a string, found {}", type_name(other)),
        }),
    }
}

/// A body given as one string: paragraphs are separated by blank lines where the text has
/// any (single newlines inside a paragraph are then line wrapping), else by newlines.
pub fn split_paragraphs(body: &str) -> Vec<String> {
    let collapse = |p: &str| p.split_whitespace().collect::<Vec<_>>().join(" ");
    let body = body.trim();
    let has_blank_lines = body.split('\n').any(|l| l.trim().is_empty());
    let pieces: Vec<String> = if has_blank_lines {
        let mut out = Vec::new();
        let mut current = String::new();
        for line in body.split('\n') {
            if line.trim().is_empty() {
                out.push(std::mem::take(&mut current));
            } else {
                current.push(' ');
                current.push_str(line);
            }
        }
        out.push(current);
        out
    } else {
        body.split('\n').map(str::to_string).collect()
    };
    pieces
        .iter()
        .map(|p| collapse(p))
        .filter(|p| !p.is_empty())
        .collect()
}

fn body_field(record: &Map<String, Value>, remarks: &mut Remarks) -> Result<Vec<String>, Reason> {
    let Some((name, value)) = lookup(record, "body") else {
        return Ok(Vec::new());
    };
    match value {
        Value::String(s) => Ok(split_paragraphs(&repaired(s, name, remarks))),
        Value::Array(items) => {
            let mut paragraphs = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let Value::String(s) = item else {
                    return Err(Reason::BadField {
                        field: format!("{name}[{i}]"),
                        message: format!("expected a string, found {}", type_name(item)),
                    });
                };
                let p = repaired(s, name, remarks);
                if !p.is_empty() {
                    paragraphs.push(p);
                }
            }
            remarks.notes.dedup();
            Ok(paragraphs)
        }
        other => Err(Reason::BadField {
            field: name.to_string(),
            message: format!(
                "expected a string or an array of strings, found {}",
                type_name(other)
            ),
        }),
    }
}

/// One JSON value into an article. `fallback_id` is used when the record has no `id`.
pub fn parse_record(value: Value, fallback_id: &str) -> Outcome {
    let Value::Object(record) = value else {
        return Err(Reason::UnreadableJson {
            message: format!("expected a JSON object, found {}", type_name(&value)),
        });
    };
    let mut remarks = Remarks::default();
    let title = text_field(&record, "title", &mut remarks)?.ok_or(Reason::NoTitle)?;
    let body = body_field(&record, &mut remarks)?;
    let lead = text_field(&record, "lead", &mut remarks)?;
    if body.is_empty() && lead.is_none() {
        return Err(Reason::NoBody);
    }
    let date = match text_field(&record, "date", &mut remarks)? {
        Some(given) => {
            let parsed = date::parse_given(&given);
            if parsed.is_none() {
                remarks.note(format!("date {given:?} not understood, left empty"));
            }
            parsed
        }
        None => None,
    };
    let article = Article {
        id: text_field(&record, "id", &mut remarks)?.unwrap_or_else(|| fallback_id.to_string()),
        title: title.split_whitespace().collect::<Vec<_>>().join(" "),
        source: text_field(&record, "source", &mut remarks)?,
        date,
        author: text_field(&record, "author", &mut remarks)?,
        category: text_field(&record, "category", &mut remarks)?,
        url: text_field(&record, "url", &mut remarks)?,
        lead,
        body,
        captions: Vec::new(),
        related: Vec::new(),
    };
    Ok((article, remarks))
}

/// Outcome of one record: the article and what was done to it, or why it was rejected.
pub use super::Outcome;

/// Where a record's text starts in its file (1-based line and column), so that serde_json's
/// positions, counted from the record, can name the file's own line and column.
pub(crate) type Origin = (usize, usize);

/// One record's bytes into an article. The bytes are decoded as a page's are (UTF-8, else
/// UTF-8 with a few bad bytes as U+FFFD, else TCVN3/VNI on evidence: JSON's syntax is
/// ASCII, so a whole legacy record converts and then parses). With an `origin`, a JSON
/// error names the line and column in the file; without, in the record.
pub(crate) fn record_from_bytes(
    bytes: &[u8],
    fallback_id: &str,
    origin: Option<Origin>,
) -> Outcome {
    let mut decoding = Remarks::default();
    let text = super::decode_bytes(bytes, &mut decoding)?;
    parse_text(&text, fallback_id, origin)
        .map(|(article, remarks)| (article, decoding.followed_by(remarks)))
}

fn parse_text(text: &str, fallback_id: &str, origin: Option<Origin>) -> Outcome {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => parse_record(value, fallback_id),
        Err(e) => Err(Reason::UnreadableJson {
            message: located(&e, origin),
        }),
    }
}

/// serde_json's message, its position moved from the record's own to the file's.
pub(crate) fn located(e: &serde_json::Error, origin: Option<Origin>) -> String {
    let message = e.to_string();
    let Some((first_line, first_column)) = origin.filter(|_| e.line() > 0) else {
        return message;
    };
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let Some(bare) = message.strip_suffix(&suffix) else {
        return message;
    };
    let (line, column) = if e.line() == 1 {
        (first_line, first_column + e.column().saturating_sub(1))
    } else {
        (first_line + e.line() - 1, e.column())
    };
    format!("{bare} at line {line} column {column}")
}

/// The JSON type of a value, for messages: `a number`, `an array`.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_split_on_blank_lines_else_newlines() {
        assert_eq!(split_paragraphs("Một.\nHai.\n\nBa."), ["Một. Hai.", "Ba."]);
        assert_eq!(split_paragraphs("Một.\nHai.\n"), ["Một.", "Hai."]);
        assert_eq!(split_paragraphs("  \n\n Một  câu. \n"), ["Một câu."]);
    }

    #[test]
    fn alternative_field_names_map() {
        let (a, notes) = parse_record(
            json!({"title": "T", "content": ["A.", "", "B."], "description": "D",
                   "published": "2025-08-07T22:00:00+07:00", "outlet": "O", "section": "S",
                   "link": "L", "byline": "Ai", "id": 7}),
            "f-1",
        )
        .unwrap();
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(a.id, "7");
        assert_eq!(a.body, ["A.", "B."]);
        assert_eq!(a.lead.as_deref(), Some("D"));
        assert_eq!(a.date.as_deref(), Some("2025-08-07"));
        assert_eq!(a.source.as_deref(), Some("O"));
        assert_eq!(a.category.as_deref(), Some("S"));
        assert_eq!(a.url.as_deref(), Some("L"));
        assert_eq!(a.author.as_deref(), Some("Ai"));
    }

    #[test]
    fn wrong_types_name_the_field() {
        let err = parse_record(json!({"title": "T", "body": {"x": 1}}), "f").unwrap_err();
        assert_eq!(
            err,
            Reason::BadField {
                field: "body".into(),
                message: "expected a string or an array of strings, found an object".into()
            }
        );
        let err = parse_record(json!({"title": ["T"], "body": "x"}), "f").unwrap_err();
        assert!(matches!(err, Reason::BadField { field, .. } if field == "title"));
    }
}
