//! Press abbreviations read as whole phrases. Every spelling of a family maps to one
//! canonical key (`#tphcm`), indexed beside the words themselves; queries go through the
//! same matcher, so `TP HCM`, `TPHCM` and `Thành phố Hồ Chí Minh` find one another.
//!
//! Variants are sequences of folded syllables, matched over words that only spaces, `.`
//! or `-` separate (`TP.HCM`, `TP. Hồ Chí Minh`, `Covid-19`).

/// Canonical keys start with `#`, which no word contains, so they never collide with one.
pub const FAMILIES: &[(&str, &[&[&str]])] = &[
    (
        "#tphcm",
        &[
            &["tp", "hcm"],
            &["tphcm"],
            &["hcmc"],
            &["tp", "ho", "chi", "minh"],
            &["thanh", "pho", "ho", "chi", "minh"],
        ],
    ),
    ("#ubnd", &[&["ubnd"], &["uy", "ban", "nhan", "dan"]]),
    ("#hdnd", &[&["hdnd"], &["hoi", "dong", "nhan", "dan"]]),
    ("#thpt", &[&["thpt"], &["trung", "hoc", "pho", "thong"]]),
    ("#csgt", &[&["csgt"], &["canh", "sat", "giao", "thong"]]),
    ("#covid", &[&["covid"], &["covid", "19"], &["covid19"]]),
];

/// A phrase found in a run of words: words `start..end` read as `key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynonymMatch {
    pub start: usize,
    pub end: usize,
    pub key: &'static str,
}

/// Longest, leftmost matches (the first words of all variants are listed in the body;
/// a test checks the list against [`FAMILIES`]) over `words` (folded syllables); `joined[i]` tells whether
/// word `i` and word `i + 1` are close enough to belong to one phrase.
pub fn find(words: &[&str], joined: &[bool]) -> Vec<SynonymMatch> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        // Every variant starts with one of these words: most words stop here.
        if !matches!(
            words[i],
            "tp" | "tphcm"
                | "hcmc"
                | "thanh"
                | "ubnd"
                | "uy"
                | "hdnd"
                | "hoi"
                | "thpt"
                | "trung"
                | "csgt"
                | "canh"
                | "covid"
                | "covid19"
        ) {
            i += 1;
            continue;
        }
        let mut best: Option<SynonymMatch> = None;
        for (key, variants) in FAMILIES {
            for v in *variants {
                let n = v.len();
                if i + n <= words.len()
                    && words[i..i + n].iter().zip(v.iter()).all(|(a, b)| a == b)
                    && joined[i..i + n - 1].iter().all(|&j| j)
                    && best.is_none_or(|b| n > b.end - b.start)
                {
                    best = Some(SynonymMatch {
                        start: i,
                        end: i + n,
                        key,
                    });
                }
            }
        }
        match best {
            Some(m) => {
                i = m.end;
                out.push(m);
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_is_found_alone() {
        for (key, variants) in FAMILIES {
            for v in *variants {
                let joined = vec![true; v.len()];
                let m = find(v, &joined);
                assert_eq!(m.len(), 1, "{v:?}");
                assert_eq!(m[0].key, *key);
                assert_eq!((m[0].start, m[0].end), (0, v.len()));
            }
        }
    }
}
