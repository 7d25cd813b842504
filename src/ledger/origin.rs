//! Origins: the reports of one proposition that could not exist without one another count
//! once. Two reports are one origin when their contents are one copy (syndicated text: most
//! word trigrams shared), or when one speaker makes them through the same channel or on one
//! occasion (within [`LedgerConfig::occasion_hours`]).

use super::config::LedgerConfig;
use super::report::Report;

/// The origin of each of `members` (indices into `reports`), numbered from 0 in order of
/// first report.
pub fn origins(reports: &[Report], members: &[usize], config: &LedgerConfig) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..members.len()).collect();
    for a in 0..members.len() {
        for b in 0..a {
            if one_origin(&reports[members[a]], &reports[members[b]], config) {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                // The earlier report roots the set: numbering follows first reports.
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut number = vec![usize::MAX; members.len()];
    let mut next = 0;
    (0..members.len())
        .map(|i| {
            let r = root(&mut parent, i);
            if number[r] == usize::MAX {
                number[r] = next;
                next += 1;
            }
            number[r]
        })
        .collect()
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn one_origin(a: &Report, b: &Report, config: &LedgerConfig) -> bool {
    if copy_share(a, b) >= config.copy_share {
        return true;
    }
    if a.speaker != b.speaker || a.speaker.ends_with(':') {
        return false;
    }
    let same_channel = a.via.iter().any(|v| b.via.contains(v));
    let one_occasion = match (a.time, b.time) {
        (Some(x), Some(y)) => (x - y).abs() <= config.occasion_hours * 3600,
        _ => false,
    };
    same_channel || one_occasion || a.article_id == b.article_id
}

/// Share of the shorter content's trigrams the other has too.
fn copy_share(a: &Report, b: &Report) -> f32 {
    let fewer = a.trigrams.len().min(b.trigrams.len());
    if fewer < 3 {
        return 0.0;
    }
    a.trigrams.intersection(&b.trigrams).count() as f32 / fewer as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Stance;

    fn report(article: &str, speaker: &str, hours: i64, content: &str) -> Report {
        let words: Vec<String> = content.split(' ').map(String::from).collect();
        Report {
            article_id: article.into(),
            claim_id: "c1".into(),
            outlet: Some(article.into()),
            time: Some(hours * 3600),
            speaker: speaker.into(),
            via: Vec::new(),
            stance: Stance::Assert,
            words: Default::default(),
            entities: Default::default(),
            trigrams: words
                .windows(3)
                .map(|w| xxhash_rust::xxh3::xxh3_64(w.join(" ").as_bytes()))
                .collect(),
        }
    }

    #[test]
    fn a_copy_is_one_origin_and_a_speaker_on_another_day_is_another() {
        let text = "the ministry said the toll rose to sixty killed at the border";
        let reports = [
            report("a", "health-ministry", 0, text),
            report("b", "anonymous:medics", 2, text),
            report(
                "c",
                "health-ministry",
                5,
                "the toll is sixty the minister told reporters",
            ),
            report(
                "d",
                "health-ministry",
                80,
                "sixty were killed the minister repeated",
            ),
        ];
        let found = origins(&reports, &[0, 1, 2, 3], &LedgerConfig::default());
        assert_eq!(found, vec![0, 0, 0, 1]);
    }
}
