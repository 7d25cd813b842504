"""Learns the character transliteration table newsflow uses to write an Arabic name in
Latin script when no dictionary knows it (data/entities/translit-ar.tsv).

Training pairs are single words: the name units of arabic-name-romanizer 0.2.0's
names.sqlite3 (PyPI, MIT; Wikidata rows in English spelling) and google/transliteration's
Arabic-Latin word pairs (../shared/data/translit, Apache-2.0). The article «ال» is cut
from both sides (newsflow writes it "al-" by rule). Each pair is aligned monotonically,
every Arabic letter writing zero to three Latin letters, by hard EM (Viterbi alignment
against the letter-to-chunk counts, five rounds from a uniform start); the table then holds,
for each letter in each context (the letters before and after it, '^' and '$' at the word's
ends), the chunk it most often writes, with how often. Deterministic.

Usage: build_translit.py NAMES_SQLITE SHARED_DIR OUT_FILE
"""

import collections
import math
import sqlite3
import sys
import unicodedata

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from build_names import key  # noqa: E402

MAX_CHUNK = 3
ROUNDS = 5


def latin_word(text):
    """Lower-case ASCII letters and the apostrophe, accents stripped; None otherwise."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    if not text or any(not ("a" <= c <= "z" or c == "'") for c in text):
        return None
    return text


def strip_article(arabic, latin):
    if arabic.startswith("ال") and len(arabic) > 3:
        for article in ("al-", "el-", "al", "el", "ul-", "ul"):
            if latin.startswith(article) and len(latin) > len(article) + 1:
                return arabic[2:], latin[len(article):]
        return None
    return arabic, latin


def pairs(sqlite_path, shared):
    out = collections.Counter()
    db = sqlite3.connect(sqlite_path)
    rows = db.execute(
        "SELECT arabic_key, latin, count FROM units WHERE source = 'wikidata' "
        "AND latin_lang IN ('en', '') ORDER BY rowid"
    )
    raw = [(a, l, c) for a, l, c in rows]
    with open(f"{shared}/data/translit/google-ar2en.tsv", encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 2:
                raw.append((fields[0], fields[1], 1))
    for arabic, latin, count in raw:
        a, l = key(arabic), latin_word(latin.replace("-", "") if not latin.lower().startswith(("al-", "el-")) else latin.lower())
        if a is None or l is None or " " in a:
            continue
        stripped = strip_article(a, l.replace("-", "") if "-" not in l[:3] else l)
        if stripped is None:
            continue
        a, l = stripped
        l = l.replace("-", "")
        if l and len(l) <= MAX_CHUNK * len(a):
            out[(a, l)] += min(count, 5)
    return sorted(out.items())


def align(a, l, score):
    """The best monotone alignment of Arabic word `a` to Latin `l`: a chunk per letter."""
    n, m = len(a), len(l)
    best = [[-math.inf] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n):
        row, nxt = best[i], best[i + 1]
        for j in range(m + 1):
            if row[j] == -math.inf:
                continue
            for k in range(0, MAX_CHUNK + 1):
                if j + k > m:
                    break
                s = row[j] + score(a[i], l[j:j + k])
                if s > nxt[j + k]:
                    nxt[j + k] = s
                    back[i + 1][j + k] = k
    if best[n][m] == -math.inf:
        return None
    chunks, j = [], m
    for i in range(n, 0, -1):
        k = back[i][j]
        chunks.append(l[j - k:j])
        j -= k
    return chunks[::-1]


def contexts(word, i):
    """The contexts of letter `i` of `word`, most specific first: two letters each side,
    two on one side and one on the other, one each side, one on one side, none ('^' and
    '$' stand beyond the word's ends, '_' for a letter not looked at)."""
    p = "^^" + word + "$$"
    left2, left, letter, right, right2 = p[i], p[i + 1], p[i + 2], p[i + 3], p[i + 4]
    return (
        left2 + left + letter + right + right2,
        left2 + left + letter + right + "_",
        "_" + left + letter + right + right2,
        "_" + left + letter + right + "_",
        "__" + letter + right + "_",
        "_" + left + letter + "__",
        "__" + letter + "__",
    )


def main():
    sqlite_path, shared, out_path = sys.argv[1:4]
    data = pairs(sqlite_path, shared)
    counts = collections.defaultdict(collections.Counter)
    totals = collections.Counter()

    def score(letter, chunk):
        if not counts:
            return -abs(len(chunk) - 1) * 0.5
        c = counts[letter][chunk]
        return math.log((c + 0.1) / (totals[letter] + 10.0))

    for _ in range(ROUNDS):
        new = collections.defaultdict(collections.Counter)
        for (a, l), weight in data:
            chunks = align(a, l, score)
            if chunks:
                for letter, chunk in zip(a, chunks):
                    new[letter][chunk] += weight
        counts = new
        totals = collections.Counter({k: sum(v.values()) for k, v in counts.items()})
    table = collections.defaultdict(collections.Counter)
    for (a, l), weight in data:
        chunks = align(a, l, score)
        if not chunks:
            continue
        for i, chunk in enumerate(chunks):
            for context in contexts(a, i):
                table[context][chunk] += weight
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write(
            "# Arabic-to-Latin transliteration by letter in context: before, letter, after\n"
            "# ('^' word start, '$' word end, '_' any)<TAB>Latin chunk<TAB>count. Learned by\n"
            "# scripts/build-names (build_translit.py) from arabic-name-romanizer 0.2.0's name\n"
            "# units (PyPI; MIT; Wikidata) and google/transliteration's pairs (Apache-2.0).\n"
        )
        for context in sorted(table):
            chunk, n = max(table[context].items(), key=lambda c: (c[1], c[0]))
            if n >= 3 or context.startswith("__") and context.endswith("__"):
                f.write(f"{context}\t{chunk}\t{n}\n")


if __name__ == "__main__":
    main()
