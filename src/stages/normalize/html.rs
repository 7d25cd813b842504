//! Article text from HTML, for inputs that carry `html` and no `body`.
//!
//! A small scanner rather than an HTML5 tree builder: we need the readable text in document
//! order with paragraph breaks, minus scripts, styles and page furniture, and a tree builder
//! (html5ever) would cost more than the whole normalization stage on big pages. Malformed
//! markup degrades to text, never to an error.

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "svg",
    "iframe",
    "template",
    "select",
    "figcaption",
    "head",
];
/// Elements that break paragraphs.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "article",
    "section",
    "blockquote",
    "main",
    "hr",
    "dd",
    "dt",
    "pre",
    "figure",
];

/// The readable text of an HTML page: paragraphs separated by blank lines, entities decoded.
pub fn extract_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut skip_until: Option<String> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip_until.is_none() {
                push_text(&mut out, rest);
            }
            break;
        };
        if skip_until.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A stray "<" with no tag after it is text.
            if skip_until.is_none() {
                push_text(&mut out, rest);
            }
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(until) = &skip_until {
            if closing && *until == name {
                skip_until = None;
            }
            continue;
        }
        if !closing && SKIPPED.contains(&name.as_str()) && !tag.ends_with('/') {
            skip_until = Some(name);
        } else if BLOCKS.contains(&name.as_str()) {
            push_break(&mut out);
        }
    }
    out.trim().to_string()
}

/// Appends a text run, entities decoded and whitespace collapsed.
fn push_text(out: &mut String, raw: &str) {
    let decoded = html_escape::decode_html_entities(raw);
    for c in decoded.chars() {
        if c.is_whitespace() && c != '\u{00A0}' {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Ends the current paragraph.
fn push_break(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_paragraphs_and_drops_furniture() {
        let html = "<html><head><title>x</title><script>var a = '<p>';</script></head><body>\
            <nav><a href=/>Home</a></nav><p>قال المصدر &quot;لا&quot;.</p><p>Second &amp; last\n line.</p>\
            <footer>© 2024</footer><!-- <p>hidden</p> --></body></html>";
        assert_eq!(
            extract_text(html),
            "قال المصدر \"لا\".\n\nSecond & last line."
        );
    }

    #[test]
    fn malformed_markup_degrades_to_text() {
        assert_eq!(extract_text("<p>open <b>bold"), "open bold");
        assert_eq!(extract_text("a < b and c"), "a < b and c");
        assert_eq!(extract_text(""), "");
    }
}
