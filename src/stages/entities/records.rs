//! The output entities: a record entity for a linked or unlinked mention, and the
//! publisher the credits name.

use crate::record::{CreditKind, Entity, EntityType, KbRef, NameSource};
use crate::stages::normalize::Document;

use super::candidates::{Candidate, Link};
use super::layer::EntityLayer;
use super::stage::EntityTagger;

impl EntityTagger {
    /// A record entity for a candidate, with its link's names, role and coordinates, and no
    /// mentions yet.
    pub(super) fn new_entity(&self, doc: &Document, c: &Candidate) -> Entity {
        let mut geo = None;
        let (name, name_ar, kb, role, source) = match c.link {
            Link::Actor(entry) => {
                let e = &self.kb.entries[entry];
                let role =
                    matches!(e.kind, EntityType::ORG | EntityType::PER).then(|| e.role.clone());
                (
                    e.name.clone(),
                    (!e.name_ar.is_empty()).then(|| e.name_ar.clone()),
                    Some(KbRef {
                        source: "newsflow".into(),
                        id: e.id.clone(),
                    }),
                    role,
                    NameSource::Kb,
                )
            }
            Link::Place(entry) => {
                let p = &self.places.entries[entry];
                geo = Some(p.geo.clone());
                (
                    p.name.clone(),
                    p.name_ar.clone(),
                    Some(KbRef {
                        source: "geonames".into(),
                        id: p.geonameid.to_string(),
                    }),
                    None,
                    NameSource::Geonames,
                )
            }
            Link::Unlinked => {
                let written = doc.layers.model_str(c.start, c.end);
                match self.latin_name(doc, c) {
                    Some((latin, source)) => (latin, Some(written), None, None, source),
                    None => (written, None, None, None, NameSource::Text),
                }
            }
        };
        Entity {
            id: String::new(),
            kind: c.kind,
            name,
            name_ar,
            name_source: Some(source),
            kb,
            geo,
            role,
            mentions: Vec::new(),
            salience: 0.0,
            outside_body: false,
            confidence: c.confidence,
        }
    }
}

impl EntityTagger {
    /// The Latin-script name of an unlinked Arabic candidate (see [`super::latin`]).
    fn latin_name(&self, doc: &Document, c: &Candidate) -> Option<(String, NameSource)> {
        let key = doc.layers.key.get(c.start..c.end)?;
        let words: Vec<&[char]> = key
            .split(|ch| *ch == ' ')
            .filter(|w| !w.is_empty())
            .collect();
        self.latin.name(&words)
    }
}

/// The publisher named in the credits is an entity of the article too.
pub(super) fn add_publisher(doc: &Document, layer: &mut EntityLayer) {
    if let Some(publisher) = doc
        .credits
        .publisher
        .as_ref()
        .filter(|p| p.kind == CreditKind::Publisher)
    {
        layer.entities.push(Entity {
            id: String::new(),
            kind: EntityType::ORG,
            name: publisher.span.text.clone(),
            name_ar: None,
            name_source: Some(NameSource::Text),
            kb: None,
            geo: None,
            role: Some("media".into()),
            mentions: vec![publisher.span.clone()],
            salience: 0.0,
            outside_body: false,
            confidence: 0.8,
        });
    }
}
