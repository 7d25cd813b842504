//! GeoNames places: countries, cities of 15,000 inhabitants or more and smaller places with
//! an Arabic name, with their Arabic names (`data/kb/places.tsv`, derived from GeoNames and
//! CLDR by `scripts/build-kb`).
//!
//! Place names are common words too ("Mobile", «النصر»), so a match alone is not an entity:
//! a chunk the tagger calls a location is linked to the place its words name, with
//! coordinates and country, and so is a place named right after a place descriptor
//! («مدينة مارع»).

use std::collections::HashMap;

use crate::record::Geo;
use crate::stages::LoadError;
use crate::table::{Row, Table, TableError};
use crate::text::{Gazetteer, GazetteerBuilder, match_key};

const FILE: &str = "places.tsv";

/// One place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// GeoNames id.
    pub geonameid: u32,
    /// True for a country, false for a city.
    pub country: bool,
    /// Coordinates and country code.
    pub geo: Geo,
    /// Inhabitants, for choosing among places of the same name.
    pub population: u64,
    /// GeoNames' name in ASCII letters where it has one ("Hamah" for "Ḩamāh").
    pub name: String,
    /// The first Arabic name, if any.
    pub name_ar: Option<String>,
}

/// The places with their name gazetteer.
#[derive(Debug, Clone)]
pub struct Places {
    /// Places in table order; gazetteer entry `i` is `entries[i]`.
    pub entries: Vec<Place>,
    /// Every name of every place; a name shared by several places belongs to the country,
    /// or else to the most populous.
    pub gazetteer: Gazetteer,
}

impl Places {
    /// Loads a table of `geonameid, kind, country, latitude, longitude, population, name,
    /// English names, Arabic names`.
    pub fn load(table: &str) -> Result<Self, LoadError> {
        let mut entries = Vec::new();
        let mut aliases: Vec<(usize, &str)> = Vec::new();
        for row in Table::new(FILE, table).rows() {
            let [
                id,
                kind,
                country,
                lat,
                lon,
                population,
                name,
                names_en,
                names_ar,
            ] = row.columns()?;
            let index = entries.len();
            aliases.extend(names_en.split('|').map(|a| (index, a)));
            aliases.extend(names_ar.split('|').map(|a| (index, a)));
            entries.push(Place {
                geonameid: row.parse(id, "geonameid")?,
                country: kind == "country",
                geo: Geo {
                    latitude: coordinate(&row, lat)?,
                    longitude: coordinate(&row, lon)?,
                    country_code: country.to_string(),
                },
                population: row.parse(population, "population")?,
                name: names_en
                    .split('|')
                    .find(|n| !n.is_empty() && n.is_ascii())
                    .unwrap_or(name)
                    .to_string(),
                name_ar: names_ar
                    .split('|')
                    .find(|a| !a.is_empty())
                    .map(str::to_string),
            });
        }
        let rank = |i: usize| (entries[i].country, entries[i].population);
        let mut owner: HashMap<String, usize> = HashMap::new();
        for &(index, alias) in &aliases {
            let key = match_key(alias.trim());
            if key.chars().count() < 3 {
                continue;
            }
            let best = owner.entry(key).or_insert(index);
            if rank(index) > rank(*best) {
                *best = index;
            }
        }
        let mut builder = GazetteerBuilder::new();
        for _ in &entries {
            builder.add();
        }
        for &(index, alias) in &aliases {
            if owner.get(&match_key(alias.trim())) == Some(&index) {
                builder.alias(index, alias);
            }
        }
        let gazetteer = builder
            .build_large()
            .map_err(|source| LoadError::Automaton { file: FILE, source })?;
        Ok(Places { entries, gazetteer })
    }
}

/// A latitude or longitude; an empty field is none (GeoNames gives countries none).
fn coordinate(row: &Row, field: &str) -> Result<Option<f64>, TableError> {
    if field.is_empty() {
        Ok(None)
    } else {
        row.parse(field, "coordinate").map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_names_go_to_the_country_or_the_most_populous_place() {
        let table = "# comment\n\
            1\tcity\tLB\t34.4\t35.8\t229398\tTripoli\tTripoli\tطرابلس\n\
            2\tcity\tLY\t32.9\t13.2\t1302947\tTripoli\tTripoli\tطرابلس\n\
            3\tcountry\tSY\t\t\t16906283\tSyria\tSyria\tسوريا\n";
        let places = Places::load(table).expect("loads");
        assert_eq!(places.entries.len(), 3);
        assert_eq!(places.entries[2].geo.latitude, None);
        let normalizer = crate::stages::normalize::Normalizer::new().expect("tables");
        let doc = normalizer
            .run("وصل الوفد إلى طرابلس من سوريا".into(), None)
            .expect("normalizes");
        let found: Vec<u32> = places
            .gazetteer
            .find(&doc.layers, &doc.key_index)
            .iter()
            .map(|m| places.entries[m.entry].geonameid)
            .collect();
        assert_eq!(found, vec![2, 3]);
        assert!(Places::load("1\tcity\n").is_err());
    }
}
