"""Builds the Arabic name tables of the entity tagger from public name dictionaries.

Writes, in the match-key form of src/text/layers.rs (alef forms, alef maqsura, taa marbuta,
hamza seats folded; diacritics and tatweel dropped):

- data/entities/phrases-ar.tsv: phrase<TAB>ids, the Arabic name gazetteer the tagger reads
  as features (ids below);
- data/entities/latin-ar.tsv: phrase<TAB>Latin spelling<TAB>source, the names an unlinked
  Arabic entity is given in Latin script.

Sources (read, never copied whole): arabic-name-romanizer 0.2.0's names.sqlite3 (PyPI,
MIT; full names and name units from Wikidata and dzirinames), the NERAr dictionaries
(../shared/data/names/nerar, BSD-2-Clause, CNRS) and google/transliteration's Arabic-Latin
pairs (../shared/data/translit, Apache-2.0). Deterministic: same inputs, same bytes.

Usage: build_names.py NAMES_SQLITE SHARED_DIR OUT_DIR
"""

import collections
import sqlite3
import sys
import unicodedata

# Gazetteer ids (bits of the feature value; see phrases.rs).
FULL_NAME, GIVEN, SURNAME, UNIT, FREQUENT_UNIT, NERAR_PER, NERAR_ORG, NERAR_LOC = range(8)
FREQUENT = 20

BUCKWALTER = {
    "'": "ء", "|": "آ", ">": "أ", "&": "ؤ", "<": "إ", "}": "ئ", "A": "ا", "b": "ب",
    "p": "ة", "t": "ت", "v": "ث", "j": "ج", "H": "ح", "x": "خ", "d": "د", "*": "ذ",
    "r": "ر", "z": "ز", "s": "س", "$": "ش", "S": "ص", "D": "ض", "T": "ط", "Z": "ظ",
    "E": "ع", "g": "غ", "f": "ف", "q": "ق", "k": "ك", "l": "ل", "m": "م", "n": "ن",
    "h": "ه", "w": "و", "Y": "ى", "y": "ي", "{": "ا",
}
# Buckwalter's diacritics, tatweel and dagger alef: dropped, as the match key drops them.
BUCKWALTER_DROP = set("FNKaui~o`_")

KEY = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ئ": "ي", "ة": "ه",
       "ؤ": "و", "ک": "ك"}


def is_arabic_letter(c):
    return "\u0621" <= c <= "\u063a" or "\u0641" <= c <= "\u064a"


def key(text):
    """The match key of an Arabic phrase, or None when a word holds anything but Arabic
    letters (Persian and Urdu letters included: the tokenizer would split such words)."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for c in text:
        if c in "\u0640\u0670" or "\u064b" <= c <= "\u0652":
            continue
        if c == " ":
            out.append(c)
            continue
        if c not in KEY and not is_arabic_letter(c):
            return None
        out.append(KEY.get(c, c))
    words = "".join(out).split()
    return " ".join(words) if words else None


def from_buckwalter(text):
    out = []
    for c in text:
        if c in BUCKWALTER_DROP:
            continue
        if c == " ":
            out.append(c)
        elif c in BUCKWALTER:
            out.append(BUCKWALTER[c])
        else:
            return None
    return key("".join(out))


# Countries whose names are written in Arabic script by other conventions (Persian, Urdu,
# Pashto, Bengali): their Latin spellings («جبل» as "Jabalpuri") would mislead a reader of
# Arabic news, so they give gazetteer entries but not spellings.
OTHER_CONVENTIONS = {"AF", "BD", "IN", "IR", "PK", "TJ"}


def english_spelling(lang, country, origin):
    """True for a row whose Latin spelling follows English usage for Arabic names:
    Wikidata in English (or unmarked), from a country writing Arabic names in Arabic."""
    return origin == "wikidata" and lang in ("en", "") and country not in OTHER_CONVENTIONS


def main():
    sqlite_path, shared, out_dir = sys.argv[1:4]
    ids = collections.defaultdict(set)
    latin = collections.defaultdict(collections.Counter)  # key -> Counter of spellings
    source = {}
    db = sqlite3.connect(sqlite_path)
    for arabic, spelling, count, lang, country, origin in db.execute(
        "SELECT arabic_key, latin, count, latin_lang, country, source FROM full_names "
        "ORDER BY rowid"
    ):
        k = key(arabic)
        if k is None or " " not in k:
            continue
        ids[k].add(FULL_NAME)
        if english_spelling(lang, country, origin):
            latin[k][spelling] += count
            source.setdefault(k, "dictionary")
    unit_counts = collections.Counter()
    for arabic, spelling, role, count, lang, country, origin in db.execute(
        "SELECT arabic_key, latin, role, count, latin_lang, country, source FROM units "
        "ORDER BY rowid"
    ):
        k = key(arabic)
        if k is None:
            continue
        ids[k].add({"given": GIVEN, "surname": SURNAME}.get(role, UNIT))
        unit_counts[k] += count
        if english_spelling(lang, country, origin):
            latin[k][spelling] += count
            source.setdefault(k, "dictionary")
    for k, n in unit_counts.items():
        if n >= FREQUENT:
            ids[k].add(FREQUENT_UNIT)
    for name, bit in (("PERS", NERAR_PER), ("ORG", NERAR_ORG), ("LOC", NERAR_LOC)):
        with open(f"{shared}/data/names/nerar/{name}.tsv", encoding="utf-8") as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                if len(fields) != 2:
                    continue
                k = from_buckwalter(fields[0].strip())
                if k is not None:
                    ids[k].add(bit)
    with open(f"{shared}/data/translit/google-ar2en.tsv", encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 2:
                continue
            k = key(fields[0])
            if k is None or k in source:
                continue
            latin[k][fields[1].strip()] += 1
            source[k] = "dictionary"
    header = (
        "# {what}, in match-key form. Derived by scripts/build-names from\n"
        "# arabic-name-romanizer 0.2.0's names.sqlite3 (PyPI; MIT; Wikidata and dzirinames),\n"
        "# {more}\n"
    )
    with open(f"{out_dir}/phrases-ar.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write(header.format(
            what="Arabic name gazetteer: phrase<TAB>ids (0 full person name, 1 given name,\n"
            "# 2 surname, 3 name unit, 4 frequent unit, 5/6/7 NERAr person/organisation/place)",
            more="the NERAr dictionaries (Gahbiche-Braham et al. 2014; BSD-2-Clause, CNRS).",
        ))
        for k in sorted(ids):
            f.write(f"{k}\t{','.join(str(i) for i in sorted(ids[k]))}\n")
    with open(f"{out_dir}/latin-ar.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write(header.format(
            what="Latin spellings of Arabic names: phrase<TAB>spelling (the most frequent)",
            more="and google/transliteration's Arabic-Latin pairs (Apache-2.0).",
        ))
        for k in sorted(latin):
            spellings = latin[k]
            best = max(spellings.items(), key=lambda s: (s[1], -len(s[0]), s[0]))[0]
            if "\t" in best or not best:
                continue
            f.write(f"{k}\t{best}\n")


if __name__ == "__main__":
    main()
