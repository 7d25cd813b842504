//! A trained detector of English attribution cues, for the verbs the cue table lacks.
//!
//! News attributes far more than speech: PolNeAR's annotators mark beliefs, intentions and
//! reactions too ("wants", "hopes", "endorsed"), and only about two in five of its cues
//! contain a form of our table. The same averaged perceptron as the entity tagger, over
//! the same token features plus "in the cue table", labels the tokens of a sentence O,
//! B-CUE or I-CUE; `newsflow train cues` trains it on PolNeAR's training part.

use crate::stages::entities::tagger::{
    Label, Model, SentenceFeatures, TokenView, chunks, token_view,
};
use crate::stages::normalize::Document;

use super::cues::CueLexicon;

/// The bundled model.
const MODEL: &[u8] = include_bytes!("../../../data/models/cues-en.model");

/// Labels: O, B-CUE, I-CUE.
pub const CUE_LABELS: usize = 3;

/// The least margin a predicted cue needs. On PolNeAR dev, thresholds from 0 to 16 moved
/// F1 by less than 0.005, so none is set.
const MIN_MARGIN: f32 = 0.0;

/// Feature value of a token the cue table knows.
const IN_TABLE: &str = "CUE-TABLE";

/// The cue detector.
#[derive(Debug, Clone)]
pub struct CueModel {
    model: Model,
}

impl CueModel {
    /// Loads the bundled model.
    pub fn bundled() -> Result<Self, String> {
        let model = Model::from_bytes(MODEL).map_err(|e| format!("cues-en.model: {e}"))?;
        if model.labels() != CUE_LABELS {
            return Err(format!(
                "cues-en.model: {} labels, the cue detector needs {CUE_LABELS}",
                model.labels()
            ));
        }
        Ok(CueModel { model })
    }

    /// The token views of document tokens `first..end`.
    pub fn views(doc: &Document, first: usize, end: usize, lexicon: &CueLexicon) -> Vec<TokenView> {
        doc.tokens[first..end]
            .iter()
            .map(|t| {
                let key: String = doc.token_key(t).iter().collect();
                let known = lexicon.get(&key).is_some();
                token_view(doc, t, &[], if known { IN_TABLE } else { "" })
            })
            .collect()
    }

    /// The cue chunks the model finds among tokens `first..end`, as (first, end) indices
    /// relative to `first`. None when no model is trained.
    pub fn cue_chunks(
        &self,
        doc: &Document,
        first: usize,
        end: usize,
        lexicon: &CueLexicon,
    ) -> Option<Vec<(usize, usize)>> {
        if self.model.features() == 0 {
            return None;
        }
        let views = Self::views(doc, first, end, lexicon);
        let (labels, margins) = self.model.tag_with_margins(&SentenceFeatures::new(&views));
        Some(
            chunks(&labels)
                .into_iter()
                .filter(|&(s, e, _)| margins[s..e].iter().all(|&m| m >= MIN_MARGIN))
                .map(|(s, e, _)| (s, e))
                .collect(),
        )
    }
}

/// Gold labels of tokens `first..end` from cue spans in original code points.
pub fn gold_cue_labels(
    doc: &Document,
    first: usize,
    end: usize,
    cues: &[(usize, usize)],
) -> Vec<Label> {
    doc.tokens[first..end]
        .iter()
        .map(|t| {
            let (s, e) = doc.layers.to_original(t.start, t.end);
            cues.iter()
                .find(|(cs, ce)| *cs <= s && e <= *ce)
                .map_or(Label::O, |(cs, _)| {
                    if *cs == s {
                        Label::begin(0)
                    } else {
                        Label::inside(0)
                    }
                })
        })
        .collect()
}
