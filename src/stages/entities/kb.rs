//! The knowledge base: curated news actors and places (`data/kb/actors.tsv`).

use crate::record::EntityType;
use crate::stages::LoadError;
use crate::table::Table;
use crate::text::{Gazetteer, GazetteerBuilder};

const FILE: &str = "actors.tsv";

/// One knowledge-base entry.
#[derive(Debug, Clone, PartialEq)]
pub struct KbEntry {
    /// Stable project id.
    pub id: String,
    /// Entity type.
    pub kind: EntityType,
    /// Role or place subtype as written in the table.
    pub role: String,
    /// Canonical English name.
    pub name: String,
    /// Canonical Arabic name.
    pub name_ar: String,
}

/// The knowledge base with its alias gazetteer.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    /// Entries in table order; gazetteer entry `i` is `entries[i]`.
    pub entries: Vec<KbEntry>,
    /// All aliases of all entries.
    pub gazetteer: Gazetteer,
}

impl KnowledgeBase {
    /// Loads a table of `id, type, role, English name, Arabic name, aliases`.
    pub fn load(table: &str) -> Result<Self, LoadError> {
        let mut entries = Vec::new();
        let mut builder = GazetteerBuilder::new();
        for row in Table::new(FILE, table).rows() {
            let [id, kind, role, name, name_ar, aliases] = row.columns()?;
            let kind =
                parse_type(kind).ok_or_else(|| row.invalid(format!("unknown type {kind:?}")))?;
            let entry = builder.add();
            for alias in aliases.split('|').chain([name, name_ar]) {
                builder.alias(entry, alias);
            }
            entries.push(KbEntry {
                id: id.into(),
                kind,
                role: role.into(),
                name: name.into(),
                name_ar: name_ar.into(),
            });
        }
        let gazetteer = builder
            .build()
            .map_err(|source| LoadError::Automaton { file: FILE, source })?;
        Ok(KnowledgeBase { entries, gazetteer })
    }
}

/// An entity type from its name in data files and gold annotations.
pub fn parse_type(name: &str) -> Option<EntityType> {
    Some(match name {
        "PER" | "PERS" => EntityType::PER,
        "ORG" => EntityType::ORG,
        "GPE" => EntityType::GPE,
        "LOC" => EntityType::LOC,
        "FAC" => EntityType::FAC,
        "NORP" => EntityType::NORP,
        "MISC" | "MIS" => EntityType::MISC,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_type_is_named_with_its_line() {
        let err = KnowledgeBase::load("x\tPLANET\trole\tMars\tالمريخ\t\n").expect_err("type");
        assert_eq!(
            err.to_string(),
            "actors.tsv line 1: unknown type \"PLANET\""
        );
    }
}
