//! Character classes: what makes a word, a digit, an Arabic letter.
//!
//! ASCII and the Arabic block answer from their ranges: the general Unicode tables are the
//! slow path, and these run on every character of every article.

/// Letters, marks and digits make words; everything else separates them.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if ('\u{0600}'..='\u{06FF}').contains(&c) {
        return is_arabic_letter(c) || is_digit(c) || is_mark(c);
    }
    c.is_alphanumeric() || is_mark(c)
}

/// Digits of any script, with ASCII and Arabic-Indic answered from their ranges.
#[inline]
pub fn is_digit(c: char) -> bool {
    match c {
        '0'..='9' | '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => true,
        c if c.is_ascii() || ('\u{0600}'..='\u{06FF}').contains(&c) => false,
        c => c.is_numeric(),
    }
}

/// Combining marks, roughly: the general categories Mn/Mc/Me for the scripts newsflow reads.
#[inline]
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// Arabic-script letters (the base block and its supplements).
#[inline]
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

/// True for a word of Arabic letters only (no digits, Latin or marks).
pub fn arabic_letters_only(word: &[char]) -> bool {
    word.iter().all(|&c| is_arabic_letter(c))
}
