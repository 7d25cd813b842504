//! `newsflow stories` as a user runs it on samples written for newsflow: an Arabic and an
//! English report of one event land in one story, and reports of other events of the same
//! hour do not; `newsflow train story-frequencies` writes the table the clustering reads.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

fn newsflow() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsflow"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("newsflow-stories-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A crash in Havana told in Arabic and in English, an Iraqi election result in Arabic and
/// a Texas shooting in English, all within three hours (written for this test).
fn samples() -> Vec<Value> {
    vec![
        json!({"id": "xl-ar-crash", "published_at": "2018-05-18T17:30:00Z",
            "source": {"name": "sample-ar"},
            "title": "تحطم طائرة ركاب كوبية بعد إقلاعها من هافانا",
            "body": "تحطمت طائرة ركاب من طراز بوينغ 737 الجمعة بعد وقت قصير من إقلاعها من مطار خوسيه مارتي الدولي في هافانا، وعلى متنها 104 ركاب وطاقم من ستة أفراد.\n\nوقال الرئيس الكوبي ميغيل دياز كانيل إن عدد الضحايا كبير، فيما أعلنت الحكومة الكوبية الحداد الوطني يومين.\n\nوكانت الطائرة التي استأجرتها شركة كوبانا من شركة مكسيكية متجهة إلى مدينة هولغين في شرق كوبا."}),
        json!({"id": "xl-en-crash", "published_at": "2018-05-18T19:05:00Z",
            "source": {"name": "sample-en"},
            "title": "Cuban airliner crashes after take-off from Havana",
            "body": "A Boeing 737 airliner with 104 passengers and six crew crashed on Friday shortly after taking off from Jose Marti International Airport in Havana, Cuban state media said.\n\nCuban President Miguel Diaz-Canel said the number of victims was high, and the government of Cuba declared two days of national mourning.\n\nThe plane, leased by Cubana from a Mexican company, was flying to Holguin in eastern Cuba."}),
        json!({"id": "xl-ar-iraq", "published_at": "2018-05-18T18:00:00Z",
            "source": {"name": "sample-ar"},
            "title": "تحالف سائرون يتصدر نتائج الانتخابات العراقية",
            "body": "أعلنت المفوضية العليا المستقلة للانتخابات في العراق أن تحالف سائرون الذي يدعمه مقتدى الصدر حل أولا في الانتخابات البرلمانية، يليه تحالف الفتح بزعامة هادي العامري.\n\nوقال رئيس الوزراء حيدر العبادي إن حكومته ستحترم النتائج."}),
        json!({"id": "xl-en-texas", "published_at": "2018-05-18T20:00:00Z",
            "source": {"name": "sample-en"},
            "title": "Ten killed in shooting at Texas high school",
            "body": "A student opened fire at Santa Fe High School near Houston, Texas, on Friday, killing ten people, mostly students, the Galveston County sheriff said.\n\nGovernor Greg Abbott said the suspect, a 17-year-old student, was in custody."}),
    ]
}

fn write_samples(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("samples.jsonl");
    let lines: Vec<String> = samples().iter().map(Value::to_string).collect();
    std::fs::write(&path, lines.join("\n") + "\n").expect("write samples");
    path
}

#[test]
fn an_arabic_and_an_english_report_of_one_event_share_a_story() {
    let dir = temp_dir("xl");
    let input = write_samples(&dir);
    let output = newsflow()
        .arg("stories")
        .arg(&input)
        .output()
        .expect("newsflow stories runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stories: HashMap<String, String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            (
                v["article_id"].as_str().unwrap_or_default().to_string(),
                v["story_id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(stories.len(), 4, "{stories:?}");
    assert_eq!(
        stories["xl-ar-crash"], stories["xl-en-crash"],
        "{stories:?}"
    );
    for other in ["xl-ar-iraq", "xl-en-texas"] {
        assert_ne!(stories[other], stories["xl-ar-crash"], "{stories:?}");
    }
    assert_ne!(stories["xl-ar-iraq"], stories["xl-en-texas"], "{stories:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn train_story_frequencies_writes_a_table_of_the_articles() {
    let dir = temp_dir("df");
    let input = write_samples(&dir);
    let table = dir.join("df.tsv");
    let status = newsflow()
        .args(["train", "story-frequencies", "--min-df", "2", "-o"])
        .arg(&table)
        .arg(&input)
        .status()
        .expect("newsflow train runs");
    assert!(status.success());
    let text = std::fs::read_to_string(&table).expect("table written");
    let rows: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(rows.first(), Some(&"*\t4"), "{text}");
    // Cuba is linked in both crash reports; nothing of one article alone is kept.
    assert!(rows.iter().any(|r| r.ends_with("\t2")), "{text}");
    assert!(rows.iter().all(|r| !r.ends_with("\t1")), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}
