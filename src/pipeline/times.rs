//! Reading `published_at` and `scraped_at` as scrapers write them: RFC 3339, RFC 2822
//! («Mon, 26 Feb 2018 02:20:10 GMT»), ISO dates and date-times without a zone, numeric dates
//! («17/05/2015») and dates with month names in English or Arabic («17 مايو 2015»). What
//! is read is written back as RFC 3339 with its precision, so that the ledger can order and
//! window every article; a numeric date that reads both ways is resolved by the feed's
//! convention (`--date-order`) or reported, never guessed.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat};
use serde::{Deserialize, Serialize};

use crate::record::TimePrecision;
use crate::table::Table;

/// Month names by lowercase name, from `data/normalize/month-names.tsv`.
static MONTHS: LazyLock<Vec<(String, u32)>> = LazyLock::new(|| {
    Table::new(
        "month-names.tsv",
        include_str!("../../data/normalize/month-names.tsv"),
    )
    .rows()
    .filter_map(|row| {
        let (name, month) = row.pair().ok()?;
        Some((name.trim().to_lowercase(), month.trim().parse().ok()?))
    })
    .collect()
});

/// The order of day and month in a feed's numeric dates (`03/04/2015`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Unknown: a date that reads both ways is reported (`ambiguous_timestamp`).
    #[default]
    Unknown,
    /// Day first (most of the world, the Arab press).
    Dmy,
    /// Month first (the United States).
    Mdy,
}

/// A time read from an input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadTime {
    /// RFC 3339; the input as received when it was RFC 3339 already.
    pub rfc3339: String,
    /// How much of the time the input gave.
    pub precision: TimePrecision,
    /// The input had no zone and UTC was assumed.
    pub zone_assumed: bool,
}

/// Why a time could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// A form newsflow does not know.
    Unreadable,
    /// A numeric date that reads as day-month and month-day, and no convention was given.
    Ambiguous,
}

/// Reads one time value.
pub fn read(value: &str, order: DateOrder) -> Result<ReadTime, TimeError> {
    let v = value.trim();
    if DateTime::parse_from_rfc3339(v).is_ok() {
        return Ok(ReadTime {
            rfc3339: value.to_string(),
            precision: TimePrecision::Second,
            zone_assumed: false,
        });
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(v) {
        return Ok(ReadTime {
            rfc3339: t.to_rfc3339_opts(SecondsFormat::Secs, true),
            precision: TimePrecision::Second,
            zone_assumed: false,
        });
    }
    let v: String = v.chars().map(western_digit).collect();
    let v = v.as_str();
    let year_first = v.len() > 4 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    for (format, precision) in [
        ("%Y-%m-%dT%H:%M:%S%.f", TimePrecision::Second),
        ("%Y-%m-%d %H:%M:%S%.f", TimePrecision::Second),
        ("%Y-%m-%dT%H:%M", TimePrecision::Minute),
        ("%Y-%m-%d %H:%M", TimePrecision::Minute),
        ("%Y/%m/%d %H:%M:%S", TimePrecision::Second),
        ("%Y/%m/%d %H:%M", TimePrecision::Minute),
    ] {
        if !year_first {
            break;
        }
        if let Ok(t) = NaiveDateTime::parse_from_str(v, format) {
            return Ok(utc(t, precision, true));
        }
    }
    let iso = year_first.then(|| iso_date(v)).flatten();
    if let Some(date) = iso.or_else(|| named_month_date(v)) {
        return Ok(day(date));
    }
    numeric_date(v, order).map(day)
}

fn utc(t: NaiveDateTime, precision: TimePrecision, zone_assumed: bool) -> ReadTime {
    ReadTime {
        rfc3339: t.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true),
        precision,
        zone_assumed,
    }
}

fn day(date: NaiveDate) -> ReadTime {
    utc(date.and_time(NaiveTime::MIN), TimePrecision::Day, false)
}

fn western_digit(c: char) -> char {
    match c {
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        _ => c,
    }
}

/// «2015-05-17», «2015/05/17».
fn iso_date(v: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(v, f).ok())
}

/// «17 May 2015», «May 17, 2015», «17 مايو 2015», «الأحد 17 أيار 2015».
fn named_month_date(v: &str) -> Option<NaiveDate> {
    let lower = v.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '،' | '-' | '/' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    let numbers: Vec<u32> = words.iter().filter_map(|w| w.parse().ok()).collect();
    let [a, b] = numbers.as_slice() else {
        return None;
    };
    let (day, year) = if *a > 31 { (*b, *a) } else { (*a, *b) };
    if year < 1900 {
        return None;
    }
    let month = MONTHS.iter().find_map(|(name, m)| {
        let parts: Vec<&str> = name.split(' ').collect();
        words
            .windows(parts.len())
            .any(|w| w == parts.as_slice())
            .then_some(*m)
    })?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// «17/05/2015», «17-05-2015», «17.05.2015», and two-way readings resolved by `order`.
fn numeric_date(v: &str, order: DateOrder) -> Result<NaiveDate, TimeError> {
    let parts: Vec<&str> = v.split(['/', '-', '.']).collect();
    let [a, b, y] = parts.as_slice() else {
        return Err(TimeError::Unreadable);
    };
    let (Ok(a), Ok(b), Ok(y)) = (a.parse::<u32>(), b.parse::<u32>(), y.parse::<i32>()) else {
        return Err(TimeError::Unreadable);
    };
    if !(1900..=2999).contains(&y) {
        return Err(TimeError::Unreadable);
    }
    let dmy = NaiveDate::from_ymd_opt(y, b, a);
    let mdy = NaiveDate::from_ymd_opt(y, a, b);
    match (dmy, mdy) {
        (Some(d), None) | (None, Some(d)) => Ok(d),
        (Some(d), Some(m)) if d == m => Ok(d),
        (Some(d), Some(m)) => match order {
            DateOrder::Dmy => Ok(d),
            DateOrder::Mdy => Ok(m),
            DateOrder::Unknown => Err(TimeError::Ambiguous),
        },
        (None, None) => Err(TimeError::Unreadable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(v: &str) -> (String, TimePrecision) {
        let t = read(v, DateOrder::Unknown).unwrap_or_else(|e| panic!("{v}: {e:?}"));
        (t.rfc3339, t.precision)
    }

    #[test]
    fn every_form_scrapers_use_is_read() {
        use TimePrecision::{Day, Minute, Second};
        let s = |x: &str| x.to_string();
        assert_eq!(
            ok("2018-02-26T02:20:10Z"),
            (s("2018-02-26T02:20:10Z"), Second)
        );
        assert_eq!(
            ok("Mon, 26 Feb 2018 02:20:10 GMT"),
            (s("2018-02-26T02:20:10Z"), Second)
        );
        assert_eq!(
            ok("Mon, 26 Feb 2018 05:20:10 +0300"),
            (s("2018-02-26T05:20:10+03:00"), Second)
        );
        assert_eq!(
            ok("2018-02-26 02:20:10"),
            (s("2018-02-26T02:20:10Z"), Second)
        );
        assert_eq!(ok("2018-02-26 02:20"), (s("2018-02-26T02:20:00Z"), Minute));
        assert_eq!(ok("2015-05-17"), (s("2015-05-17T00:00:00Z"), Day));
        assert_eq!(ok("17/05/2015"), (s("2015-05-17T00:00:00Z"), Day));
        assert_eq!(ok("05/17/2015"), (s("2015-05-17T00:00:00Z"), Day));
        assert_eq!(ok("١٧-٠٥-٢٠١٥"), (s("2015-05-17T00:00:00Z"), Day));
        assert_eq!(ok("17 May 2015"), (s("2015-05-17T00:00:00Z"), Day));
        assert_eq!(ok("May 17, 2015"), (s("2015-05-17T00:00:00Z"), Day));
        assert_eq!(ok("الأحد 17 أيار 2015"), (s("2015-05-17T00:00:00Z"), Day));
        assert_eq!(ok("17 كانون الثاني 2015"), (s("2015-01-17T00:00:00Z"), Day));
        assert_eq!(ok("03/03/2015"), (s("2015-03-03T00:00:00Z"), Day));
    }

    #[test]
    fn a_date_that_reads_both_ways_needs_the_feed_convention() {
        assert_eq!(
            read("03/04/2015", DateOrder::Unknown),
            Err(TimeError::Ambiguous)
        );
        let d = |o| read("03/04/2015", o).map(|t| t.rfc3339);
        assert_eq!(d(DateOrder::Dmy), Ok("2015-04-03T00:00:00Z".to_string()));
        assert_eq!(d(DateOrder::Mdy), Ok("2015-03-04T00:00:00Z".to_string()));
    }

    #[test]
    fn nonsense_is_unreadable() {
        for v in [
            "yesterday",
            "",
            "32/13/2015",
            "2015-02-30",
            "1/2/3",
            "12 Foo 2015",
        ] {
            assert_eq!(read(v, DateOrder::Dmy), Err(TimeError::Unreadable), "{v:?}");
        }
    }
}
