//! The bottom floor: text as every stage reads it, with nothing of documents, stages or
//! transport in it.
//!
//! - [`chars`]: character classes (word characters, digits, Arabic letters);
//! - [`arabic`]: Arabic morphology (proclitics, the article, enclitic pronouns);
//! - [`layers`]: the model text and the match key of a text, mapped back to the original;
//! - [`key_index`]: the match key as UTF-8 for automata, with the way back to characters;
//! - [`gazetteer`]: longest-match lookup of known names over those layers;
//! - [`sound_key`]: the consonant skeleton an Arabic name and its romanisations share;
//! - [`char_hash`]: hashing of character slices for lookups on the hot path;
//! - [`frozen_map`]: hash maps frozen into bytes at build time, read in place.
//!
//! Normalization, entities and claims stand on this; it imports none of them.

pub mod arabic;
pub mod char_hash;
pub mod chars;
pub mod frozen_map;
pub mod gazetteer;
pub mod key_index;
pub mod layers;
pub mod sound_key;

pub use gazetteer::{Gazetteer, GazetteerBuilder, GazetteerMatch};
pub use key_index::KeyIndex;
pub use layers::{TextLayers, match_key};
