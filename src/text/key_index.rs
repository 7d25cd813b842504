//! The match key as UTF-8, for automata, with the way back from byte offsets to characters.

/// The match key as UTF-8, with a map from byte offsets back to characters.
#[derive(Debug, Clone, Default)]
pub struct KeyIndex {
    /// The match key.
    pub text: String,
    /// Character index at each byte offset (and at the end).
    char_of_byte: Vec<u32>,
}

impl KeyIndex {
    /// Builds the index of a match key.
    pub fn new(key: &[char]) -> Self {
        // One pass, sized for two bytes a character (Arabic): this runs over every article.
        let mut text = String::with_capacity(key.len() * 2);
        let mut char_of_byte = Vec::with_capacity(key.len() * 2 + 1);
        for (i, &c) in key.iter().enumerate() {
            text.push(c);
            char_of_byte.extend(std::iter::repeat_n(i as u32, c.len_utf8()));
        }
        char_of_byte.push(key.len() as u32);
        KeyIndex { text, char_of_byte }
    }

    /// The character index of a byte offset that starts a character.
    pub fn char_at(&self, byte: usize) -> usize {
        self.char_of_byte[byte] as usize
    }

    /// The byte offset where character `index` starts (the text's length past the end):
    /// a binary search, the map being sorted.
    pub fn byte_at(&self, index: usize) -> usize {
        self.char_of_byte
            .partition_point(|&c| (c as usize) < index)
            .min(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_index_maps_characters_and_bytes_both_ways() {
        let key: Vec<char> = "aحb😀c".chars().collect();
        let index = KeyIndex::new(&key);
        let bytes: Vec<usize> = (0..=key.len()).map(|i| index.byte_at(i)).collect();
        assert_eq!(bytes, vec![0, 1, 3, 4, 8, 9]);
        for (i, &b) in bytes.iter().enumerate() {
            assert_eq!(index.char_at(b), i);
        }
        assert_eq!(index.byte_at(99), index.text.len());
    }
}
