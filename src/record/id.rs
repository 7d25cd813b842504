//! Deterministic article ids.

use xxhash_rust::xxh3::xxh3_128;

use super::raw::RawArticle;

/// The id of an article that came without one: a hash of its url, title, body and html, so
/// the same input always gets the same id and downstream consumers can drop the duplicates
/// that at-least-once delivery allows.
pub fn derive_id(article: &RawArticle) -> String {
    let mut buf = Vec::new();
    for field in [&article.url, &article.title, &article.body, &article.html] {
        match field {
            Some(value) => {
                buf.push(1u8);
                buf.extend_from_slice(&(value.len() as u64).to_le_bytes());
                buf.extend_from_slice(value.as_bytes());
            }
            None => buf.push(0u8),
        }
    }
    format!("nf-{:032x}", xxh3_128(&buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_input_same_id_and_fields_do_not_run_together() {
        let a = RawArticle {
            title: Some("ab".into()),
            body: Some("c".into()),
            ..Default::default()
        };
        let b = RawArticle {
            title: Some("a".into()),
            body: Some("bc".into()),
            ..Default::default()
        };
        assert_eq!(derive_id(&a), derive_id(&a.clone()));
        assert_ne!(derive_id(&a), derive_id(&b));
        assert!(derive_id(&a).starts_with("nf-"));
    }
}
