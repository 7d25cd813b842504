//! JSONL files and standard input: one article per line, numbered for error messages.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// One non-blank input line, as bytes (UTF-8 is checked by the pipeline, per line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number.
    pub number: u64,
    /// The line without its line ending.
    pub bytes: Vec<u8>,
}

/// Reads the lines of a JSONL stream in batches.
pub struct LineReader {
    reader: Box<dyn BufRead + Send>,
    number: u64,
    /// Name for messages: the path, or "-" for standard input.
    pub name: String,
}

impl LineReader {
    /// Opens a file, or standard input for "-".
    pub fn open(path: &str) -> io::Result<Self> {
        let reader: Box<dyn Read + Send> =
            if path == "-" {
                Box::new(io::stdin())
            } else {
                Box::new(File::open(Path::new(path)).map_err(|e| {
                    io::Error::new(e.kind(), format!("cannot open input {path}: {e}"))
                })?)
            };
        Ok(LineReader {
            reader: Box::new(BufReader::with_capacity(1 << 20, reader)),
            number: 0,
            name: path.to_string(),
        })
    }

    /// Reads up to `max_lines` non-blank lines or about `max_bytes`, whichever comes first.
    /// An empty batch means the end of the stream.
    pub fn next_batch(&mut self, max_lines: usize, max_bytes: usize) -> io::Result<Vec<Line>> {
        let mut batch = Vec::new();
        let mut bytes = 0;
        while batch.len() < max_lines && bytes < max_bytes {
            let mut buf = Vec::new();
            if self.reader.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            self.number += 1;
            while matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            bytes += buf.len();
            batch.push(Line {
                number: self.number,
                bytes: buf,
            });
        }
        Ok(batch)
    }
}
