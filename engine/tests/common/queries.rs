//! Known-item queries made from a corpus by code (deterministic, seeded): a distinctive
//! window of 3–5 syllables of an article, typed in the forms readers use.

use std::collections::{HashMap, HashSet};

use docbao_engine::text::{self, syllable, telex};
use docbao_engine::{Article, Index};
use unicode_normalization::UnicodeNormalization;

/// A small deterministic generator (xorshift64*), so the query set never changes.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `typo`: the class ([`reader_typo`]); `edit1`: any one edit of a word of 4+
/// letters ([`typo`], the class measured before).
pub const FORMS: [&str; 7] = ["exact", "folded", "nfd", "tone", "telex", "typo", "edit1"];

/// One target article with its query in every form.
pub struct KnownItem {
    pub id: String,
    /// Queries in the order of [`FORMS`].
    pub queries: Vec<String>,
    /// Whether the tone form differs from the exact one.
    pub tone_changed: bool,
    /// Whether the `typo` form's misspelt word is itself a word of the index.
    pub typo_is_word: bool,
}

/// `hòa` → `hoà`: the other placement for open `oa`/`oe`/`uy` syllables.
pub fn new_style(word: &str) -> String {
    let Some(sp) = syllable::split(word) else {
        return word.to_string();
    };
    let Some(tone) = sp.tone else {
        return word.to_string();
    };
    let lower: String = sp.letters.iter().flat_map(|c| c.to_lowercase()).collect();
    let n = sp.letters.len();
    let open_pair =
        ["oa", "oe", "uy"].iter().any(|p| lower.ends_with(p)) && !lower.starts_with("qu") && n >= 2;
    if !open_pair {
        return word.to_string();
    }
    let mut s = String::new();
    for (i, c) in sp.letters.iter().enumerate() {
        s.push(*c);
        if i == n - 1 {
            s.push(tone);
        }
    }
    s.nfc().collect()
}

fn words_of(text: &str) -> Vec<(usize, usize)> {
    text::tokens(text)
        .iter()
        .map(|t| (t.start, t.end))
        .collect()
}

/// A window `[i, i + len)` of words in `text` that only spaces separate, all letters.
fn valid_window(text: &str, w: &[(usize, usize)], i: usize, len: usize) -> bool {
    i + len <= w.len()
        && (i..i + len).all(|k| text[w[k].0..w[k].1].chars().all(char::is_alphabetic))
        && (i..i + len - 1).all(|k| text[w[k].1..w[k + 1].0] == *" ")
}

/// The typo readers make most (issue 10): in a word typed without marks, one letter
/// dropped or two adjacent different letters swapped. The result may well be another
/// valid word (`thanh` → `tanh`, `truong` → `trong`): it is kept.
pub fn reader_typo(word: &str, rng: &mut Rng) -> String {
    let mut b: Vec<u8> = word.bytes().collect();
    let swaps: Vec<usize> = (0..b.len().saturating_sub(1))
        .filter(|&i| b[i] != b[i + 1])
        .collect();
    if rng.below(2) == 0 || swaps.is_empty() {
        b.remove(rng.below(b.len()));
    } else {
        let i = swaps[rng.below(swaps.len())];
        b.swap(i, i + 1);
    }
    String::from_utf8(b).unwrap()
}

/// A word of `words` with 3+ letters (folded) given the reader's typo, chosen by `rng`;
/// `None` when no word is long enough. Also says whether the typo is a word of `index`.
pub fn with_reader_typo(index: &Index, words: &[String], rng: &mut Rng) -> Option<(String, bool)> {
    let long: Vec<usize> = (0..words.len()).filter(|&k| words[k].len() >= 3).collect();
    if long.is_empty() {
        return None;
    }
    let k = long[rng.below(long.len())];
    let mut typoed = words.to_vec();
    typoed[k] = reader_typo(&words[k], rng);
    let is_word = index.document_frequency(&typoed[k]) > 0;
    Some((typoed.join(" "), is_word))
}

/// Any one edit (deletion, insertion, substitution, adjacent swap) of `word`.
pub fn typo(word: &str, rng: &mut Rng) -> String {
    let mut b: Vec<u8> = word.bytes().collect();
    let i = rng.below(b.len());
    let letter = b'a' + rng.below(26) as u8;
    match rng.below(4) {
        0 => {
            b.remove(i);
        }
        1 => b.insert(i, letter),
        2 => {
            b[i] = if b[i] == letter {
                b'a' + (letter - b'a' + 1) % 26
            } else {
                letter
            }
        }
        _ => {
            let i = i.min(b.len() - 2);
            b.swap(i, i + 1);
            if b[i] == b[i + 1] {
                b[i] = letter;
            }
        }
    }
    String::from_utf8(b).unwrap()
}

/// In how many articles each pair of adjacent folded words occurs: a corpus statistic
/// computed here, apart from the engine, to tell distinctive windows.
fn pair_df(articles: &[Article]) -> HashMap<String, u32> {
    let mut df: HashMap<String, u32> = HashMap::new();
    for a in articles {
        let mut seen = HashSet::new();
        let texts = std::iter::once(&a.title)
            .chain(a.lead.iter())
            .chain(a.body.iter());
        for t in texts {
            let toks = text::tokens(t);
            for w in toks.windows(2) {
                seen.insert(format!("{} {}", w[0].folded, w[1].folded));
            }
        }
        for k in seen {
            *df.entry(k).or_default() += 1;
        }
    }
    df
}

/// Queries for every `step`-th article.
pub fn known_items(index: &Index, articles: &[Article], step: usize, seed: u64) -> Vec<KnownItem> {
    let mut rng = Rng::new(seed);
    let pairs = pair_df(articles);
    let mut out = Vec::new();
    for a in articles.iter().step_by(step) {
        let mut texts: Vec<&str> = vec![a.title.as_str()];
        texts.extend(a.lead.iter().map(String::as_str));
        texts.extend(a.body.iter().map(String::as_str));
        // Candidate windows, the most distinctive (highest summed idf) wins.
        let idf = |w: &str| {
            let df = index.document_frequency(&text::fold(w)) as f64;
            ((index.len() as f64 + 1.0) / (df + 1.0)).ln()
        };
        let mut best: Option<(f64, &str, usize, usize, bool)> = None;
        // The tone form uses the best distinctive window with an `oa`/`oe`/`uy` syllable,
        // if there is one.
        let mut best_tone: Option<(f64, &str, usize, usize, bool)> = None;
        for _ in 0..80 {
            let t = texts[rng.below(texts.len())];
            let w = words_of(t);
            if w.len() < 3 {
                continue;
            }
            let len = 3 + rng.below(3);
            let i = rng.below(w.len());
            if !valid_window(t, &w, i, len) {
                continue;
            }
            let words: Vec<&str> = (i..i + len).map(|k| &t[w[k].0..w[k].1]).collect();
            let has_tone_pair = words.iter().any(|x| new_style(x) != *x);
            // Distinctive: its rarest adjacent pair is in few articles; then rare words.
            let rarest = words
                .windows(2)
                .map(|p| pairs[&format!("{} {}", text::fold(p[0]), text::fold(p[1]))])
                .min()
                .unwrap_or(u32::MAX);
            let score: f64 = -(rarest.min(20) as f64) * 10.0
                + words.iter().map(|x| idf(x)).sum::<f64>()
                + if has_tone_pair { 2.0 } else { 0.0 };
            if words.iter().all(|x| text::fold(x).len() < 4) {
                continue; // a typo needs a word of 4+ letters
            }
            if best.is_none_or(|b| score > b.0) {
                best = Some((score, t, i, len, has_tone_pair));
            }
            if has_tone_pair && rarest <= 2 && best_tone.is_none_or(|b| score > b.0) {
                best_tone = Some((score, t, i, len, true));
            }
        }
        let Some((_, t, i, len, tone_changed)) = best else {
            continue;
        };
        let w = words_of(t);
        let words: Vec<&str> = (i..i + len).map(|k| &t[w[k].0..w[k].1]).collect();
        let exact = words.join(" ");
        let folded: Vec<String> = words.iter().map(|x| text::fold(x)).collect();
        let nfd: String = exact.nfd().collect();
        let (tone, tone_changed) = match best_tone {
            Some((_, t, i, len, _)) => {
                let w = words_of(t);
                let words: Vec<String> = (i..i + len)
                    .map(|k| new_style(&t[w[k].0..w[k].1]))
                    .collect();
                (words, true)
            }
            None => (words.iter().map(|x| new_style(x)).collect(), tone_changed),
        };
        let telex: Vec<String> = words.iter().map(|x| telex::encode(x)).collect();
        let long: Vec<usize> = (0..len).filter(|&k| folded[k].len() >= 4).collect();
        let k = long[rng.below(long.len())];
        let mut typoed = folded.clone();
        typoed[k] = typo(&folded[k], &mut rng);
        // Its own generator, so the windows and the other forms stay those measured before.
        let mut typo_rng = Rng::new(seed ^ (out.len() as u64 + 1).wrapping_mul(0x9e37_79b9));
        let (reader, typo_is_word) =
            with_reader_typo(index, &folded, &mut typo_rng).expect("a word of 4+ letters");
        out.push(KnownItem {
            id: a.id.clone(),
            queries: vec![
                exact,
                folded.join(" "),
                nfd,
                tone.join(" "),
                telex.join(" "),
                reader,
                typoed.join(" "),
            ],
            tone_changed,
            typo_is_word,
        });
    }
    out
}

/// Reciprocal rank of `id` in the top 10 for `query` (0 when absent).
pub fn reciprocal_rank(index: &Index, query: &str, id: &str) -> f64 {
    index
        .search(&index.query(query), 10)
        .hits
        .iter()
        .position(|h| h.id == id)
        .map_or(0.0, |r| 1.0 / (r as f64 + 1.0))
}

/// One title query with the reader's typo: 3–4 consecutive words of an article's title,
/// typed without marks, one of them misspelt by [`reader_typo`].
pub struct TitleTypo {
    pub id: String,
    pub query: String,
    /// The same words without the typo: what the typo costs is measured against it.
    pub clean: String,
    /// Whether the misspelt word is itself a word of the index.
    pub is_word: bool,
}

/// [`TitleTypo`] queries for every `step`-th article whose title has such a window.
pub fn title_typos(index: &Index, articles: &[Article], step: usize, seed: u64) -> Vec<TitleTypo> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for a in articles.iter().step_by(step) {
        let w = words_of(&a.title);
        let len = 3 + rng.below(2);
        if w.len() < len {
            continue;
        }
        let i = rng.below(w.len() - len + 1);
        if !valid_window(&a.title, &w, i, len) {
            continue;
        }
        let folded: Vec<String> = (i..i + len)
            .map(|k| text::fold(&a.title[w[k].0..w[k].1]))
            .collect();
        if let Some((query, is_word)) = with_reader_typo(index, &folded, &mut rng) {
            out.push(TitleTypo {
                id: a.id.clone(),
                query,
                clean: folded.join(" "),
                is_word,
            });
        }
    }
    out
}

/// A realistic query mix from titles: 2–4 consecutive words of every `step`-th title,
/// typed folded, as Telex, with one typo, and cut short while typing (prefix).
pub fn title_queries(articles: &[Article], step: usize, seed: u64) -> Vec<(&'static str, String)> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for a in articles.iter().step_by(step) {
        let w = words_of(&a.title);
        if w.len() < 2 {
            continue;
        }
        let len = (2 + rng.below(3)).min(w.len());
        let i = rng.below(w.len() - len + 1);
        let words: Vec<&str> = (i..i + len).map(|k| &a.title[w[k].0..w[k].1]).collect();
        let folded: Vec<String> = words.iter().map(|x| text::fold(x)).collect();
        let form = ["folded", "telex", "typo", "prefix"][out.len() % 4];
        let q = match form {
            "folded" => folded.join(" "),
            "telex" => words
                .iter()
                .map(|x| telex::encode(x))
                .collect::<Vec<_>>()
                .join(" "),
            "typo" => {
                let mut f = folded.clone();
                if let Some(k) = (0..len).find(|&k| f[k].len() >= 4) {
                    f[k] = typo(&f[k], &mut rng);
                }
                f.join(" ")
            }
            _ => {
                let mut q = folded.join(" ");
                let last = folded.last().map_or(0, |l| l.chars().count());
                let cut = 1 + rng.below(last.max(1));
                for _ in 0..last.saturating_sub(cut) {
                    q.pop();
                }
                q
            }
        };
        out.push((form, q));
    }
    out
}
