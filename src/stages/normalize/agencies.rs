//! The table of news agencies (`data/normalize/agencies.tsv`) and its gazetteer.

use crate::stages::LoadError;
use crate::table::Table;
use crate::text::{Gazetteer, GazetteerBuilder};

use super::document::{AgencyMatch, Document};

const FILE: &str = "agencies.tsv";

/// One agency of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    /// Canonical id ("reuters", "afp").
    pub id: String,
    /// English name.
    pub name: String,
    /// A wire service, or an outlet (a broadcaster or site).
    pub kind: AgencyKind,
}

/// What kind of source an [`Agency`] row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgencyKind {
    /// A wire service that sells copy to others (Reuters, AFP, SANA).
    Agency,
    /// A broadcaster or site, credited in its own copy or in others' (CNN, Sky News Arabia).
    Outlet,
}

/// The agency table, compiled.
#[derive(Debug, Clone)]
pub struct Agencies {
    /// The agencies, in table order.
    pub list: Vec<Agency>,
    gazetteer: Gazetteer,
}

impl Agencies {
    /// Loads the table. Each agency has two gazetteer entries: its aliases (even index) and
    /// its credit-only aliases (odd index).
    pub fn load(table: &str) -> Result<Self, LoadError> {
        let mut list = Vec::new();
        let mut builder = GazetteerBuilder::new();
        for row in Table::new(FILE, table).rows() {
            let [id, name, aliases, credit_only, kind] = row.columns()?;
            let kind = match kind.trim() {
                "agency" => AgencyKind::Agency,
                "outlet" => AgencyKind::Outlet,
                other => {
                    return Err(row
                        .invalid(format!("kind {other:?}: expected agency or outlet"))
                        .into());
                }
            };
            list.push(Agency {
                id: id.to_string(),
                name: name.to_string(),
                kind,
            });
            let plain = builder.add();
            for alias in aliases.split('|').filter(|a| !a.is_empty()) {
                builder.alias(plain, alias);
            }
            let credit = builder.add();
            for alias in credit_only.split('|').filter(|a| !a.is_empty()) {
                builder.alias(credit, alias);
            }
        }
        let gazetteer = builder
            .build()
            .map_err(|source| LoadError::Automaton { file: FILE, source })?;
        Ok(Agencies { list, gazetteer })
    }

    /// Every agency alias in the document, in text order.
    pub fn find(&self, doc: &Document) -> Vec<AgencyMatch> {
        self.gazetteer
            .find(&doc.layers, &doc.key_index)
            .into_iter()
            .map(|at| AgencyMatch {
                at,
                agency: at.entry / 2,
                credit_only: at.entry % 2 == 1,
            })
            .collect()
    }

    /// The agency id at an index.
    pub fn id(&self, index: usize) -> &str {
        &self.list[index].id
    }

    /// The kind of the agency at an index.
    pub fn kind(&self, index: usize) -> AgencyKind {
        self.list[index].kind
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_without_four_columns_is_named() {
        let err = Agencies::load("# agencies\nafp\tAFP\n").expect_err("two columns");
        assert_eq!(
            err.to_string(),
            "agencies.tsv line 2: expected 5 tab-separated columns, found 2"
        );
    }
}
