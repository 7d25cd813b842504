//! Freezes the tagger's large name tables into the binary (see
//! `src/text/frozen_map.rs`): the English word clusters and name gazetteer would take half
//! a second to parse at every start; frozen, they load in no time and are read in place.

#[path = "src/text/frozen_map.rs"]
#[allow(dead_code)]
mod frozen_map;
#[path = "src/stages/entities/tagger/name_tables.rs"]
#[allow(dead_code)]
mod name_tables;

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for file in [
        "build.rs",
        "src/text/frozen_map.rs",
        "src/stages/entities/tagger/name_tables.rs",
    ] {
        println!("cargo::rerun-if-changed={file}");
    }
    clusters("clusters-en", name_tables::Layout::BitString, &out);
    clusters("clusters-ar", name_tables::Layout::Columns, &out);
    phrases("phrases-en", &out);
    phrases("phrases-ar", &out);
    spellings("latin-ar", &out);
    spellings("translit-ar", &out);
}

fn read(name: &str) -> String {
    let path = format!("data/entities/{name}.tsv");
    println!("cargo::rerun-if-changed={path}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn write(out: &str, file: &str, bytes: &[u8]) {
    let path = Path::new(out).join(file);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn clusters(name: &str, layout: name_tables::Layout, out: &str) {
    let (entries, classes) =
        name_tables::cluster_entries(&read(name), &format!("{name}.tsv"), layout)
            .unwrap_or_else(|e| panic!("{e}"));
    write(out, &format!("{name}.map"), &frozen_map::freeze(&entries));
    let classes: String = classes.iter().map(|c| c.join("\t") + "\n").collect();
    write(out, &format!("{name}.classes"), classes.as_bytes());
}

fn phrases(name: &str, out: &str) {
    let entries = name_tables::phrase_entries(&read(name), &format!("{name}.tsv"))
        .unwrap_or_else(|e| panic!("{e}"));
    write(out, &format!("{name}.map"), &frozen_map::freeze(&entries));
}

fn spellings(name: &str, out: &str) {
    let (entries, strings) = name_tables::spelling_entries(&read(name), &format!("{name}.tsv"))
        .unwrap_or_else(|e| panic!("{e}"));
    write(out, &format!("{name}.map"), &frozen_map::freeze(&entries));
    write(out, &format!("{name}.strings"), strings.as_bytes());
}
