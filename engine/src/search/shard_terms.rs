//! What a sharded reader must know of a prepared query beyond the dictionary lookups it
//! makes: the phrases whose candidates' stored text is read to confirm them.

pub(crate) use super::expand::prefix_terms;
use super::parse::{Query, Word};

/// One word of a phrase: the folded keys it matches, and those it pairs with.
pub(crate) struct PhraseWord<'a> {
    pub(crate) keys: Vec<&'a str>,
    pub(crate) pair_keys: Vec<&'a str>,
}

impl<'a> PhraseWord<'a> {
    fn of(w: &'a Word) -> PhraseWord<'a> {
        PhraseWord {
            keys: w.keys.iter().map(|k| k.term.as_str()).collect(),
            pair_keys: w.pair_keys.iter().map(|(k, _)| k.as_str()).collect(),
        }
    }
}

impl Query {
    /// Whether a hit of this query marks words in its title and snippet: if not, a hit
    /// shows its title and the start of its first passage as they are (an article's head).
    pub(crate) fn marks_words(&self) -> bool {
        self.words().next().is_some()
    }

    /// Every phrase, wanted or excluded, whose matching reads article text (a run of
    /// three words or more, or several runs), as runs of words. The search reads only
    /// articles holding one key of each word and, for each two neighbours in a run, one
    /// of their pairs: these bound the articles it reads.
    pub(crate) fn phrases_read_in_text(&self) -> Vec<Vec<Vec<PhraseWord<'_>>>> {
        self.clauses
            .iter()
            .flat_map(|c| c.phrases.iter())
            .chain(self.excluded_phrases.iter())
            .filter(|phrase| phrase.len() > 1 || phrase.iter().any(|run| run.len() > 2))
            .map(|phrase| {
                phrase
                    .iter()
                    .map(|run| run.iter().map(PhraseWord::of).collect())
                    .collect()
            })
            .collect()
    }
}

/// Why a search looked a term up: what a sharded reader's fetches are broken down by
/// ([`ShardedIndex::find_explained`](crate::shard::ShardedIndex::find_explained)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum LookupReason {
    /// A query word's own keys: folded as typed, its Telex reading, an abbreviation.
    #[default]
    Word,
    /// A query word's exact marked forms (the bonus for marks typed).
    Exact,
    /// Words one edit away weighed as typo corrections, and the lexicon to find them.
    Typo,
    /// Pairs of a typo candidate (or the word as typed) with the neighbours, to vouch.
    TypoPairs,
    /// Words the last word begins, while it is typed.
    Prefix,
    /// Pairs of neighbouring query words (their bonus), corrections included.
    Pairs,
    /// A quoted phrase's pairs, and the articles read to confirm it.
    Phrase,
    /// The articles of the hits shown.
    Hits,
}

impl LookupReason {
    pub const ALL: [LookupReason; 8] = [
        LookupReason::Word,
        LookupReason::Exact,
        LookupReason::Typo,
        LookupReason::TypoPairs,
        LookupReason::Prefix,
        LookupReason::Pairs,
        LookupReason::Phrase,
        LookupReason::Hits,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LookupReason::Word => "word",
            LookupReason::Exact => "exact",
            LookupReason::Typo => "typo",
            LookupReason::TypoPairs => "typo-pairs",
            LookupReason::Prefix => "prefix",
            LookupReason::Pairs => "pairs",
            LookupReason::Phrase => "phrase",
            LookupReason::Hits => "hits",
        }
    }
}

thread_local! {
    static REASON: std::cell::Cell<LookupReason> = const { std::cell::Cell::new(LookupReason::Word) };
}

/// The reason lookups are made for until the guard drops (then the one before again).
pub(crate) fn looking_up(reason: LookupReason) -> ReasonGuard {
    ReasonGuard(REASON.with(|r| r.replace(reason)))
}

/// Why the lookup being made now is made.
pub(crate) fn current_reason() -> LookupReason {
    REASON.with(std::cell::Cell::get)
}

pub(crate) struct ReasonGuard(LookupReason);

impl Drop for ReasonGuard {
    fn drop(&mut self) {
        REASON.with(|r| r.set(self.0));
    }
}
