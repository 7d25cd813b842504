//! The one reader of newsflow's data tables (`data/**/*.tsv` and the word lists in
//! `data/**/*.txt`).
//!
//! Every table is UTF-8 text bundled into the binary: one row per line, fields separated by
//! tabs, blank lines and lines whose first non-blank character is `#` skipped. Loaders read rows through
//! [`Table`] and report what is wrong with one through [`Row::invalid`] or
//! [`Row::columns`], so every error names the file and the line, and says what was expected.

use std::str::FromStr;

/// A malformed row in a bundled data table: which file, which line, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file} line {line}: {kind}")]
pub struct TableError {
    /// The table's file name, for example `actors.tsv`.
    pub file: String,
    /// One-based line number in that file.
    pub line: usize,
    /// What is wrong with the row.
    pub kind: TableErrorKind,
}

/// What is wrong with a row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableErrorKind {
    /// The row has too few (or too many) tab-separated fields.
    #[error("expected {expected} tab-separated columns, found {found}")]
    Columns {
        /// Columns the table's layout names.
        expected: String,
        /// Fields found on the line.
        found: usize,
    },
    /// A field does not hold what its column means (an unknown kind, a bad number).
    #[error("{0}")]
    Invalid(String),
}

/// A bundled one-column word list, in file order (read once, into a `LazyLock`).
pub fn word_list(file: &'static str, text: &'static str) -> Vec<&'static str> {
    Table::new(file, text).words().collect()
}

/// A bundled table: its file name (for errors) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Table<'a> {
    file: &'a str,
    text: &'a str,
}

impl<'a> Table<'a> {
    /// A table named `file` (as errors should show it) with contents `text`.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Table { file, text }
    }

    /// The table's rows: every line that is neither blank nor a `#` comment, split on tabs.
    pub fn rows(&self) -> impl Iterator<Item = Row<'a>> + 'a {
        let file = self.file;
        self.text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
            .map(move |(n, line)| Row {
                file,
                line: n + 1,
                text: line,
            })
    }

    /// A one-column word list: each row's text, trimmed.
    pub fn words(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.rows().map(|row| row.text.trim())
    }
}

/// One row of a table.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    file: &'a str,
    /// One-based line number.
    pub line: usize,
    /// The whole line, as written.
    pub text: &'a str,
}

impl<'a> Row<'a> {
    /// The row's tab-separated fields.
    pub fn fields(&self) -> Vec<&'a str> {
        self.text.split('\t').collect()
    }

    /// Exactly `N` fields, or an error naming the expected count.
    pub fn columns<const N: usize>(&self) -> Result<[&'a str; N], TableError> {
        let fields = self.fields();
        let found = fields.len();
        <[&str; N]>::try_from(fields).map_err(|_| {
            self.error(TableErrorKind::Columns {
                expected: N.to_string(),
                found,
            })
        })
    }

    /// At least `min` fields (the rest optional), or an error naming the expected count.
    pub fn at_least(&self, min: usize) -> Result<Vec<&'a str>, TableError> {
        let fields = self.fields();
        if fields.len() < min {
            return Err(self.error(TableErrorKind::Columns {
                expected: format!("at least {min}"),
                found: fields.len(),
            }));
        }
        Ok(fields)
    }

    /// The row split once on its first tab, or an error if it has none.
    pub fn pair(&self) -> Result<(&'a str, &'a str), TableError> {
        self.text.split_once('\t').ok_or_else(|| {
            self.error(TableErrorKind::Columns {
                expected: "at least 2".into(),
                found: 1,
            })
        })
    }

    /// A field parsed as `T`; `what` names the column in the error.
    pub fn parse<T: FromStr>(&self, field: &str, what: &str) -> Result<T, TableError> {
        field
            .trim()
            .parse()
            .map_err(|_| self.invalid(format!("bad {what} {field:?}")))
    }

    /// An error about this row.
    pub fn invalid(&self, what: impl Into<String>) -> TableError {
        self.error(TableErrorKind::Invalid(what.into()))
    }

    fn error(&self, kind: TableErrorKind) -> TableError {
        TableError {
            file: self.file.to_string(),
            line: self.line,
            kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# a comment\nsyria\tGPE\n\n   \nbad\nn\tx\n";

    #[test]
    fn skips_comments_and_blank_lines_and_keeps_line_numbers() {
        let table = Table::new("t.tsv", TEXT);
        let lines: Vec<usize> = table.rows().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 5, 6]);
        assert_eq!(
            table.words().collect::<Vec<_>>(),
            vec!["syria\tGPE", "bad", "n\tx"]
        );
    }

    #[test]
    fn errors_name_file_line_and_expectation() {
        let table = Table::new("t.tsv", TEXT);
        let rows: Vec<Row> = table.rows().collect();
        assert_eq!(rows[0].columns::<2>().expect("two"), ["syria", "GPE"]);
        let err = rows[1].columns::<2>().expect_err("one column");
        assert_eq!(
            err.to_string(),
            "t.tsv line 5: expected 2 tab-separated columns, found 1"
        );
        assert!(rows[1].pair().is_err());
        let err = rows[2]
            .parse::<u32>("x", "value")
            .expect_err("not a number");
        assert_eq!(err.to_string(), "t.tsv line 6: bad value \"x\"");
        assert_eq!(rows[2].at_least(1).expect("fine").len(), 2);
        assert!(rows[2].at_least(3).is_err());
    }
}
