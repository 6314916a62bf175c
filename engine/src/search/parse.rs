//! Parsing a query: clauses, `OR`, `-word`, `"phrases"`, the word being typed, the caps on
//! length and words; each word with its typed, Telex and synonym keys.

use crate::text::{self, telex, Analyzed};

/// A query is cut to this many characters: what a box, a link or the command line
/// hands in costs the same bounded work ([`Query::trimmed`] says when it was cut).
pub const MAX_QUERY_CHARS: usize = 256;
/// Words of a query kept (after [`MAX_QUERY_CHARS`]); the rest are dropped.
pub const MAX_QUERY_WORDS: usize = 32;
/// A correction and the word typed: the longer of the two has at least this many letters
/// (a syllable of 3 letters with one dropped is still corrected).
pub(super) const TYPO_MIN_LEN: usize = 3;
/// Only folded words this long or shorter are corrected: no Vietnamese syllable comes
/// close, and the edits of a word grow with its length.
pub(super) const TYPO_MAX_LEN: usize = 20;
/// Only words this long or shorter are expanded as prefixes while typing.
pub(super) const PREFIX_MAX_LEN: usize = 32;

/// Where a key of a query word comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExpansionKind {
    /// The word as typed, folded (or a compound the analyzer read from it).
    Typed,
    /// The word read as Telex typed with the input method off.
    Telex,
    /// A dictionary word one edit away.
    Typo,
    /// A dictionary word the word being typed begins.
    Prefix,
    /// The canonical key of a press abbreviation or its phrase (`TP.HCM` → `#tphcm`).
    Synonym,
}

impl ExpansionKind {
    /// Another word than the one typed: it never outweighs the word itself.
    pub(super) fn is_other_word(self) -> bool {
        matches!(self, ExpansionKind::Typo | ExpansionKind::Prefix)
    }
}

/// One key a query word matches in the folded dictionary.
#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    pub term: String,
    /// What a match through this key is worth, relative to the word as typed.
    pub weight: f32,
    pub kind: ExpansionKind,
    /// A correction ([`ExpansionKind::Typo`]) that a neighbouring query word vouches for:
    /// the index has the two next to each other (and not the word as typed).
    pub vouched: bool,
}

impl Expansion {
    pub(super) fn new(term: impl Into<String>, weight: f32, kind: ExpansionKind) -> Expansion {
        Expansion {
            term: term.into(),
            weight,
            kind,
            vouched: false,
        }
    }
}

/// One word of a query with every form it may match.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Word {
    /// Keys in the folded dictionary.
    pub(super) keys: Vec<Expansion>,
    /// Exact marked forms (typed, or read from Telex): they rank first.
    pub(super) exact: Vec<String>,
    /// Folded forms used to look up pairs with the neighbouring word.
    pub(super) pair_keys: Vec<(String, ExpansionKind)>,
    /// Correct typos of this folded word against the dictionary.
    pub(super) typo_base: Option<String>,
    /// The word still being typed: also matched as a prefix.
    pub(super) prefix: Option<String>,
    /// Typed with marks: a word the dictionary knows is then meant as typed.
    pub(super) marked: bool,
    /// The word still being typed, prepared by the typing rules ([`Request::typing`](super::Request::typing)):
    /// corrected only if the dictionary holds nothing it begins.
    pub(super) typing: bool,
}

impl Word {
    pub(super) fn from_token(raw: &str, exact: &str, folded: &str) -> Word {
        let mut w = Word {
            keys: vec![Expansion::new(folded, 1.0, ExpansionKind::Typed)],
            pair_keys: vec![(folded.to_string(), ExpansionKind::Typed)],
            ..Word::default()
        };
        if exact != folded {
            w.exact.push(exact.to_string());
            w.marked = true;
        }
        if let Some(decoded) = telex::decode(raw) {
            let (de, df) = text::keys(&decoded);
            if df != folded {
                w.keys
                    .push(Expansion::new(df.clone(), 1.0, ExpansionKind::Telex));
                w.pair_keys.push((df, ExpansionKind::Telex));
            }
            w.exact.push(de);
        }
        // A word with one letter dropped has one letter less: it is corrected too.
        if folded.len() + 1 >= TYPO_MIN_LEN
            && folded.len() <= TYPO_MAX_LEN
            && folded.bytes().all(|b| b.is_ascii_lowercase())
        {
            w.typo_base = Some(folded.to_string());
        }
        w
    }
}

/// A quoted phrase: runs of words, each run in a row in the text. A press abbreviation
/// inside the quotes is a run of its own (its synonym key), so `"UBND thành phố"` finds
/// `Ủy ban nhân dân thành phố` as the unquoted words do.
pub(super) type Phrase = Vec<Vec<Word>>;

/// Words and phrases any one of which satisfies the clause (`a OR "b c"`).
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Clause {
    pub(super) words: Vec<Word>,
    pub(super) phrases: Vec<Phrase>,
}

/// A query parsed, analyzed and resolved against one index ([`Index::query`]): built once
/// per query string, then handed to [`Index::find`], [`Index::neighbours`],
/// [`Index::highlight`] and [`Index::search`] as often as needed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// Every clause must match, in query order.
    pub(super) clauses: Vec<Clause>,
    pub(super) excluded: Vec<Word>,
    /// `-"quoted phrases"`: articles with one of them are dropped.
    pub(super) excluded_phrases: Vec<Phrase>,
    /// The text was longer than [`MAX_QUERY_CHARS`] or had more than [`MAX_QUERY_WORDS`].
    pub(super) trimmed: bool,
}

impl Query {
    pub(super) fn words(&self) -> impl Iterator<Item = &Word> {
        self.clauses
            .iter()
            .flat_map(|c| c.words.iter().chain(c.phrases.iter().flatten().flatten()))
    }

    /// Whether part of the text was dropped to keep the query within
    /// [`MAX_QUERY_CHARS`] and [`MAX_QUERY_WORDS`]: a UI says so.
    pub fn trimmed(&self) -> bool {
        self.trimmed
    }

    /// No word to search for and none to exclude: every article matches (before filters).
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && !self.excludes()
    }

    /// Some word or phrase is excluded (`-word`, `-"phrase"`).
    pub(super) fn excludes(&self) -> bool {
        !self.excluded.is_empty() || !self.excluded_phrases.is_empty()
    }

    /// Whether answering it looks a term up (a word, wanted or excluded, or a phrase):
    /// a query that only filters and sorts (browsing) reads no dictionary.
    pub(crate) fn looks_up_terms(&self) -> bool {
        !self.clauses.is_empty() || self.excludes()
    }

    /// Every key the query's wanted words match, with its kind (excluded words aside).
    pub fn expansions(&self) -> impl Iterator<Item = &Expansion> {
        self.words().flat_map(|w| w.keys.iter())
    }
}

pub(super) fn parse(query: &str) -> Query {
    let mut q = text::clean(query);
    let mut trimmed = false;
    if let Some((cut, _)) = q.char_indices().nth(MAX_QUERY_CHARS) {
        q.truncate(cut);
        trimmed = true;
    }
    let Analyzed {
        mut tokens, spans, ..
    } = text::analyze(&q);
    if let Some((cut, _)) = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.folded.is_empty())
        .nth(MAX_QUERY_WORDS)
    {
        tokens.truncate(cut);
        trimmed = true;
    }
    let bytes = q.as_bytes();
    // Which quoted phrase each token is in, if any.
    let phrase_of = |start: usize| {
        let quotes = bytes[..start].iter().filter(|&&b| b == b'"').count();
        (quotes % 2 == 1).then_some(quotes / 2)
    };
    let negated = |start: usize| {
        start > 0
            && bytes[start - 1] == b'-'
            && (start == 1 || bytes[start - 2].is_ascii_whitespace() || bytes[start - 2] == b'"')
    };
    let is_or = |i: usize| &q[tokens[i].start..tokens[i].end] == "OR";
    // A cut query is not being typed: its last word is whole.
    let still_typing = !trimmed && tokens.last().is_some_and(|t| t.end == q.len());

    let mut out = Query {
        trimmed,
        ..Query::default()
    };
    let mut pending_or = false;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.folded.is_empty() {
            i += 1;
            continue;
        }
        if let Some(p) = phrase_of(t.start) {
            // `-"…"`: the opening quote follows a `-` that starts a word.
            let negated_phrase = bytes[..t.start]
                .iter()
                .rposition(|&b| b == b'"')
                .is_some_and(negated);
            let end = (i..tokens.len())
                .find(|&j| phrase_of(tokens[j].start) != Some(p))
                .unwrap_or(tokens.len());
            let mut phrase: Phrase = Vec::new();
            let mut run = Vec::new();
            while i < end {
                let t = &tokens[i];
                // The longest press abbreviation starting here and ending inside the quotes.
                let synonym = spans
                    .iter()
                    .filter(|s| s.first == i && s.last <= end && s.key.starts_with('#'))
                    .max_by_key(|s| s.last);
                if let Some(s) = synonym {
                    if !run.is_empty() {
                        phrase.push(std::mem::take(&mut run));
                    }
                    phrase.push(vec![Word {
                        keys: vec![Expansion::new(s.key.clone(), 1.0, ExpansionKind::Synonym)],
                        ..Word::default()
                    }]);
                    i = s.last;
                    continue;
                }
                if !t.folded.is_empty() {
                    let mut w = Word::from_token(&q[t.start..t.end], &t.exact, &t.folded);
                    w.typo_base = None;
                    run.push(w);
                }
                i += 1;
            }
            if !run.is_empty() {
                phrase.push(run);
            }
            // A phrase said twice in one place is looked for once: each costs a pass
            // of the analyzer over its candidates.
            if phrase.is_empty() {
                // `""`: nothing to look for.
            } else if negated_phrase {
                if !out.excluded_phrases.contains(&phrase) {
                    out.excluded_phrases.push(phrase);
                }
            } else if pending_or {
                let clause = out.clauses.last_mut().expect("a clause before OR");
                if !clause.phrases.contains(&phrase) {
                    clause.phrases.push(phrase);
                }
            } else {
                let clause = Clause {
                    phrases: vec![phrase],
                    ..Clause::default()
                };
                if !out.clauses.contains(&clause) {
                    out.clauses.push(clause);
                }
            }
            pending_or = false;
            continue;
        }
        if is_or(i) && i > 0 && i + 1 < tokens.len() && !out.clauses.is_empty() {
            pending_or = true;
            i += 1;
            continue;
        }
        let neg = negated(t.start);
        // The longest compound or synonym phrase starting here (synonyms win ties).
        let span = spans
            .iter()
            .filter(|s| s.first == i && s.last <= tokens.len())
            .filter(|s| {
                (s.first + 1..s.last).all(|j| {
                    phrase_of(tokens[j].start).is_none() && !negated(tokens[j].start) && !is_or(j)
                })
            })
            .max_by_key(|s| (s.last, s.key.starts_with('#')));
        let (word, next) = match span {
            Some(s) => {
                let kind = if s.key.starts_with('#') {
                    ExpansionKind::Synonym
                } else {
                    ExpansionKind::Typed
                };
                (
                    Word {
                        keys: vec![Expansion::new(s.key.clone(), 1.0, kind)],
                        ..Word::default()
                    },
                    s.last,
                )
            }
            None => {
                let mut w = Word::from_token(&q[t.start..t.end], &t.exact, &t.folded);
                if still_typing
                    && i + 1 == tokens.len()
                    && t.folded.chars().count() <= PREFIX_MAX_LEN
                {
                    w.prefix = Some(t.folded.clone());
                }
                (w, i + 1)
            }
        };
        if neg {
            out.excluded.push(word);
        } else if pending_or {
            out.clauses
                .last_mut()
                .expect("a clause before OR")
                .words
                .push(word);
        } else {
            out.clauses.push(Clause {
                words: vec![word],
                ..Clause::default()
            });
        }
        pending_or = false;
        i = next;
    }
    out
}
