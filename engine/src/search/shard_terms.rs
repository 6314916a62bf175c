//! What a sharded reader must know of a prepared query beyond the dictionary lookups it
//! makes: the phrases whose candidates' stored text is read to confirm them.

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
