//! From bytes to a [`RawArticle`], or a reason why not.

use crate::record::{RawArticle, RejectReason};

/// Why an input could not be read as an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeError {
    /// Machine-readable reason.
    pub reason: RejectReason,
    /// What happened and what to do.
    pub message: String,
    /// The field at fault, as a JSON path.
    pub field: Option<String>,
}

impl IntakeError {
    fn new(reason: RejectReason, message: impl Into<String>) -> Self {
        IntakeError {
            reason,
            message: message.into(),
            field: None,
        }
    }
}

/// Decodes one JSON object into a [`RawArticle`], checking that it carries text.
pub fn decode(bytes: &[u8], max_bytes: usize) -> Result<RawArticle, IntakeError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IntakeError::new(
            RejectReason::EmptyMessage,
            "the input is empty (no bytes, or only whitespace); send one RawArticle JSON object per message",
        ));
    }
    if bytes.len() > max_bytes {
        return Err(IntakeError::new(
            RejectReason::TooLarge,
            format!(
                "the input is {} bytes, over the limit of {max_bytes}; raise --max-input-bytes to accept it",
                bytes.len()
            ),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        IntakeError::new(
            RejectReason::InvalidUtf8,
            format!(
                "invalid UTF-8 at byte {}; newsflow reads UTF-8 JSON only: re-encode the input",
                e.valid_up_to()
            ),
        )
    })?;
    let mut de = serde_json::Deserializer::from_str(text);
    let article: RawArticle = match serde_path_to_error::deserialize(&mut de) {
        Ok(article) => article,
        Err(e) => return Err(classify(text, e)),
    };
    if let Err(e) = de.end() {
        return Err(IntakeError::new(
            RejectReason::NotJson,
            format!("trailing characters after the JSON object: {e}"),
        ));
    }
    match (&article.body, &article.html) {
        (None, None) => Err(IntakeError::new(
            RejectReason::MissingText,
            "the article has neither `body` nor `html`; send the text in `body` (plain text) or `html`",
        )),
        (Some(body), _) if body.trim().is_empty() => Err(IntakeError::new(
            RejectReason::EmptyText,
            "`body` is empty or only whitespace",
        )),
        (None, Some(html)) if html.trim().is_empty() => Err(IntakeError::new(
            RejectReason::EmptyText,
            "`html` is empty or only whitespace",
        )),
        _ => Ok(article),
    }
}

/// Tells syntax errors, non-objects and wrongly typed fields apart.
fn classify(text: &str, e: serde_path_to_error::Error<serde_json::Error>) -> IntakeError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    if inner.is_syntax() || inner.is_eof() || inner.is_io() {
        return IntakeError::new(RejectReason::NotJson, format!("not valid JSON: {inner}"));
    }
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') {
        let kind = match trimmed.chars().next() {
            Some('[') => "an array",
            Some('"') => "a string",
            Some('t' | 'f') => "a boolean",
            Some('n') => "null",
            _ => "a number",
        };
        return IntakeError::new(
            RejectReason::NotObject,
            format!(
                "the input is {kind}, not a JSON object; send one article object per message or line"
            ),
        );
    }
    IntakeError {
        reason: RejectReason::InvalidField,
        message: format!("field `{path}` has the wrong type: {inner}"),
        field: Some(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(input: &[u8]) -> RejectReason {
        decode(input, 1 << 20).map(|_| ()).unwrap_err().reason
    }

    #[test]
    fn each_bad_input_has_its_reason() {
        assert_eq!(reason(b"not json"), RejectReason::NotJson);
        assert_eq!(reason(b""), RejectReason::EmptyMessage);
        assert_eq!(reason(b" \n\t"), RejectReason::EmptyMessage);
        assert_eq!(reason(b"{\"body\": \"x\""), RejectReason::NotJson);
        assert_eq!(reason(b"[1, 2]"), RejectReason::NotObject);
        assert_eq!(reason(b"\"text\""), RejectReason::NotObject);
        assert_eq!(reason(b"{\"body\": 42}"), RejectReason::InvalidField);
        assert_eq!(reason(b"{\"title\": \"t\"}"), RejectReason::MissingText);
        assert_eq!(reason(b"{\"body\": \"  \\n \"}"), RejectReason::EmptyText);
        assert_eq!(
            reason(b"{\"body\": \"\xff\xfe\"}"),
            RejectReason::InvalidUtf8
        );
        assert_eq!(
            decode(b"{\"body\": \"abc\"}", 5).unwrap_err().reason,
            RejectReason::TooLarge
        );
    }

    #[test]
    fn wrong_field_types_name_the_field() {
        let e = decode(br#"{"body": "x", "source": {"name": 7}}"#, 1 << 20).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("source.name"));
    }

    #[test]
    fn unknown_fields_pass_through() {
        let a = decode(br#"{"body": "x", "lead_image": {"url": "u"}}"#, 1 << 20).unwrap();
        assert_eq!(a.extra["lead_image"]["url"], "u");
    }
}
