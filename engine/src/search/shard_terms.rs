//! What a sharded reader must know of a prepared query beyond the dictionary lookups it
//! makes: the words of its phrases, whose candidates' stored text is read to confirm them.

use super::parse::Query;

impl Query {
    /// For every phrase, wanted or excluded: for each of its words, every folded key it
    /// matches (its own keys and the keys it pairs with). A document whose text holds the
    /// phrase holds one key of each word, so these bound the articles a search reads.
    pub(crate) fn phrase_word_keys(&self) -> Vec<Vec<Vec<&str>>> {
        self.clauses
            .iter()
            .flat_map(|c| c.phrases.iter())
            .chain(self.excluded_phrases.iter())
            .map(|phrase| {
                phrase
                    .iter()
                    .flatten()
                    .map(|w| {
                        let mut keys: Vec<&str> = w.keys.iter().map(|k| k.term.as_str()).collect();
                        keys.extend(w.pair_keys.iter().map(|(k, _)| k.as_str()));
                        keys
                    })
                    .collect()
            })
            .collect()
    }
}
