//! Quantities of a claim: the numbers inside its content, with what was counted.

/// The tables by word, with a fast hasher (foldhash): looked up for every word of every content.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

use crate::record::Quantity;
use crate::stages::normalize::{Document, TokenKind};
use crate::table::{Table, TableError};
use crate::text::match_key;

/// Tokens either side of a number searched for the event it counts.
const EVENT_WINDOW: usize = 4;

/// A unit or event word's value; a proclitic «و», «ب» or «ل» may stand before the word
/// («ومقتل»).
fn lookup(map: &HashMap<String, String>, key: &str) -> Option<String> {
    map.get(key).cloned().or_else(|| {
        let rest = key.strip_prefix(['و', 'ب', 'ل'])?;
        map.get(rest).cloned()
    })
}

/// Unit and event words (`data/claims/quantity-words.tsv`).
#[derive(Debug, Clone, Default)]
pub struct QuantityWords {
    units: HashMap<String, String>,
    events: HashMap<String, String>,
}

impl QuantityWords {
    /// Loads the table.
    pub fn load(table: &str) -> Result<Self, TableError> {
        let mut words = QuantityWords::default();
        for row in Table::new("quantity-words.tsv", table).rows() {
            // The line is trimmed before it is split, as the table has always been read.
            let cols: Vec<&str> = row.text.trim().split('\t').collect();
            let [word, role, value] = cols[..] else {
                return Err(row.invalid(format!(
                    "expected 3 tab-separated columns, found {}",
                    cols.len()
                )));
            };
            let map = match role {
                "unit" => &mut words.units,
                "event" => &mut words.events,
                _ => return Err(row.invalid(format!("unknown role {role:?}"))),
            };
            map.insert(match_key(word), value.to_string());
        }
        Ok(words)
    }

    /// The events named anywhere in model range `start..end` («وقوع أي وفيات» names
    /// deaths): what a denial without numbers bears on.
    pub fn events_in(&self, doc: &Document, (start, end): (usize, usize)) -> Vec<String> {
        let from = doc.tokens.partition_point(|t| t.start < start);
        let mut events: Vec<String> = doc.tokens[from..]
            .iter()
            .take_while(|t| t.end <= end)
            .filter(|t| t.kind == TokenKind::Word)
            .filter_map(|t| {
                let k: String = doc.token_key(t).iter().collect();
                lookup(&self.events, &k)
            })
            .collect();
        events.sort_unstable();
        events.dedup();
        events
    }

    /// The quantities among the document's numbers that lie in model range `start..end`.
    pub fn within(&self, doc: &Document, (start, end): (usize, usize)) -> Vec<Quantity> {
        let key = |i: usize| -> String { doc.token_key(&doc.tokens[i]).iter().collect() };
        let from = doc.numbers.partition_point(|n| n.start < start);
        doc.numbers[from..]
            .iter()
            .take_while(|n| n.start < end)
            .filter(|n| n.end <= end)
            .map(|n| {
                let mut span_end = n.end;
                let mut unit = None;
                if let Some(next) = doc
                    .tokens
                    .get(n.end_token)
                    .filter(|t| t.kind == TokenKind::Word && t.end <= end)
                {
                    let k = key(n.end_token);
                    unit = lookup(&self.units, &k);
                    if unit.is_some() {
                        span_end = next.end;
                    }
                }
                // «١٢ شخصاً على الأقل», "12 people at least".
                let mut qualifier = n.qualifier.clone();
                let next = doc.tokens.partition_point(|t| t.start < span_end);
                let after = doc.tokens[next..]
                    .iter()
                    .take(2)
                    .map(|t| doc.token_key(t).iter().collect::<String>())
                    .collect::<Vec<_>>();
                if after.len() == 2
                    && ((after[0] == "علي" && after[1] == "الاقل")
                        || (after[0] == "at" && after[1] == "least"))
                {
                    qualifier = Some("at_least".into());
                }
                if n.fraction && unit.as_deref() != Some("fraction_of_city") {
                    unit = Some("fraction".into());
                }
                let from = n.first_token.saturating_sub(EVENT_WINDOW);
                let to = (n.end_token + 1 + EVENT_WINDOW).min(doc.tokens.len());
                let event = (from..to)
                    .filter(|&i| doc.tokens[i].start >= start && doc.tokens[i].end <= end)
                    .find_map(|i| lookup(&self.events, &key(i)));
                Quantity {
                    span: doc.span(n.start, span_end),
                    value: n.value,
                    qualifier,
                    unit,
                    event,
                }
            })
            .collect()
    }
}
