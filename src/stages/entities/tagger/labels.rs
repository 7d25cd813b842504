//! BIO labels over the four types the training data share (PER, ORG, LOC, MISC).

use crate::record::EntityType;

/// The tagger's entity types, in label order.
pub const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// Number of labels: O, then B- and I- of each type.
pub const LABELS: usize = 1 + 2 * TYPES.len();

/// One BIO label: 0 is O, `1 + 2t` is B- of type `t`, `2 + 2t` is I- of type `t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Label(pub u8);

impl Label {
    /// Outside any entity.
    pub const O: Label = Label(0);

    /// B- of type index `t`.
    pub fn begin(t: usize) -> Label {
        Label(1 + 2 * t as u8)
    }

    /// I- of type index `t`.
    pub fn inside(t: usize) -> Label {
        Label(2 + 2 * t as u8)
    }

    /// The type index, or none for O.
    pub fn type_index(self) -> Option<usize> {
        (self.0 > 0).then(|| (self.0 as usize - 1) / 2)
    }

    /// True for I- labels.
    pub fn is_inside(self) -> bool {
        self.0 > 0 && self.0.is_multiple_of(2)
    }

    /// I-X may only follow B-X or I-X; anything else may follow anything.
    pub fn may_follow(self, prev: Label) -> bool {
        !self.is_inside() || prev.type_index() == self.type_index()
    }

    /// The label of a gold tag's folded type name, begin or inside; none for unknown types.
    pub fn from_type(name: &str, begin: bool) -> Option<Label> {
        let t = TYPES.iter().position(|&t| t == name)?;
        Some(if begin {
            Label::begin(t)
        } else {
            Label::inside(t)
        })
    }
}

/// The entity type a type index stands for.
pub fn entity_type(t: usize) -> EntityType {
    match TYPES.get(t) {
        Some(&"PER") => EntityType::PER,
        Some(&"ORG") => EntityType::ORG,
        Some(&"LOC") => EntityType::LOC,
        _ => EntityType::MISC,
    }
}

/// Chunks of a label sequence: (first token, one past the last, type index). An I- label
/// after O or another type starts a chunk, as in conlleval.
pub fn chunks(labels: &[Label]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, l) in labels.iter().enumerate() {
        let continues = l.is_inside() && open.is_some_and(|(_, t)| Some(t) == l.type_index());
        if !continues {
            if let Some((s, t)) = open.take() {
                out.push((s, i, t));
            }
            if let Some(t) = l.type_index() {
                open = Some((i, t));
            }
        }
    }
    if let Some((s, t)) = open {
        out.push((s, labels.len(), t));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_follow_conlleval() {
        let (b, i) = (Label::begin(0), Label::inside(0));
        let loc = Label::inside(2);
        assert_eq!(
            chunks(&[b, i, Label::O, loc, loc, b, b]),
            vec![(0, 2, 0), (3, 5, 2), (5, 6, 0), (6, 7, 0)]
        );
        assert!(!i.may_follow(Label::O));
        assert!(i.may_follow(b));
        assert!(!loc.may_follow(b));
        assert_eq!(Label::from_type("MISC", false), Some(Label::inside(3)));
    }
}
