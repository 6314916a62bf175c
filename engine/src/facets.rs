//! Filters and facet counts over a set of matched articles, and the Vietnamese order in
//! which facet values are listed.

use std::cmp::Ordering;
use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::article::Article;

/// What the reader narrowed the results to. Values within one field are alternatives
/// (any of them); fields combine (all of them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub sources: Vec<String>,
    pub categories: Vec<String>,
    pub authors: Vec<String>,
    pub year: Option<u16>,
    /// 1–12; only meaningful with `year`.
    pub month: Option<u8>,
    /// Inclusive `YYYY-MM-DD` bounds.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The order of results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest date first; undated articles last.
    Newest,
    /// Oldest date first; undated articles last.
    Oldest,
}

/// The facet fields, each of which can be left out when counting its own values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Source,
    Category,
    Author,
    Date,
}

fn any_of(wanted: &[String], value: &Option<String>) -> bool {
    wanted.is_empty() || value.as_ref().is_some_and(|v| wanted.contains(v))
}

/// `(year, month)` of a `YYYY-MM-DD` date.
pub fn year_month(date: &str) -> Option<(u16, u8)> {
    let year = date.get(0..4)?.parse().ok()?;
    let month = date
        .get(5..7)?
        .parse()
        .ok()
        .filter(|m| (1..=12).contains(m))?;
    Some((year, month))
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    fn date_accepts(&self, date: Option<&str>) -> bool {
        let unconstrained = self.year.is_none() && self.from.is_none() && self.to.is_none();
        if unconstrained {
            return true;
        }
        let Some(date) = date else { return false };
        if let Some(year) = self.year {
            let Some((y, m)) = year_month(date) else {
                return false;
            };
            if y != year || self.month.is_some_and(|month| month != m) {
                return false;
            }
        }
        // ISO dates compare correctly as strings.
        self.from.as_deref().is_none_or(|from| date >= from)
            && self.to.as_deref().is_none_or(|to| date <= to)
    }

    fn accepts_except(&self, article: &Article, skip: Option<Field>) -> bool {
        (skip == Some(Field::Source) || any_of(&self.sources, &article.source))
            && (skip == Some(Field::Category) || any_of(&self.categories, &article.category))
            && (skip == Some(Field::Author) || any_of(&self.authors, &article.author))
            && (skip == Some(Field::Date) || self.date_accepts(article.date.as_deref()))
    }

    pub fn accepts(&self, article: &Article) -> bool {
        self.accepts_except(article, None)
    }
}

/// One value of a facet and how many matched articles carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    pub value: String,
    pub count: usize,
}

/// Articles per year, and per month within the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCount {
    pub year: u16,
    pub count: usize,
    /// `(month, count)` for months with articles, in calendar order.
    pub months: Vec<(u8, usize)>,
}

/// Counts for every facet over the current query. Each field is counted with the other
/// fields' filters applied but not its own, so a reader sees what else they could pick.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub sources: Vec<FacetValue>,
    pub categories: Vec<FacetValue>,
    pub authors: Vec<FacetValue>,
    /// Newest year first.
    pub years: Vec<YearCount>,
    /// Matched articles with no known date.
    pub undated: usize,
}

fn count_values<'a>(values: impl Iterator<Item = &'a Option<String>>) -> Vec<FacetValue> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for v in values.flatten() {
        *counts.entry(v.as_str()).or_default() += 1;
    }
    let mut out: Vec<FacetValue> = counts
        .into_iter()
        .map(|(value, count)| FacetValue {
            value: value.to_string(),
            count,
        })
        .collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| compare_vi(&a.value, &b.value))
    });
    out
}

/// Facet counts for `docs` (the articles matching the query), under `filters`.
pub fn facets(articles: &[Article], docs: &[u32], filters: &Filters) -> Facets {
    let passing = |skip: Field| {
        docs.iter()
            .map(|&d| &articles[d as usize])
            .filter(move |a| filters.accepts_except(a, Some(skip)))
    };
    let mut years: HashMap<u16, (usize, [usize; 12])> = HashMap::new();
    let mut undated = 0;
    for article in passing(Field::Date) {
        match article.date.as_deref().and_then(year_month) {
            Some((y, m)) => {
                let entry = years.entry(y).or_default();
                entry.0 += 1;
                entry.1[m as usize - 1] += 1;
            }
            None => undated += 1,
        }
    }
    let mut years: Vec<YearCount> = years
        .into_iter()
        .map(|(year, (count, months))| YearCount {
            year,
            count,
            months: (1..=12u8).zip(months).filter(|&(_, c)| c > 0).collect(),
        })
        .collect();
    years.sort_by(|a, b| b.year.cmp(&a.year));
    Facets {
        sources: count_values(passing(Field::Source).map(|a| &a.source)),
        categories: count_values(passing(Field::Category).map(|a| &a.category)),
        authors: count_values(passing(Field::Author).map(|a| &a.author)),
        years,
        undated,
    }
}

/// The Vietnamese alphabet: `ă` and `â` after `a`, `đ` after `d`, and so on. Letters
/// outside it (f, j, w, z) take their Latin places.
const ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";
/// Tones in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
const TONES: [char; 5] = ['\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];

/// Letters by the alphabet, then tones, then case: the order of a Vietnamese dictionary.
fn collation_key(s: &str) -> (Vec<u32>, Vec<u8>, Vec<bool>) {
    let mut letters = Vec::new();
    let mut tones = Vec::new();
    let mut cases = Vec::new();
    for c in s.nfc() {
        let upper = c.is_uppercase();
        let lower: String = c.to_lowercase().collect();
        let mut base = String::new();
        let mut tone = 0u8;
        for d in lower.nfd() {
            match TONES.iter().position(|&t| t == d) {
                Some(i) => tone = i as u8 + 1,
                None => base.push(d),
            }
        }
        let base: String = base.nfc().collect();
        let mut chars = base.chars();
        let weight = match (chars.next(), chars.next()) {
            (Some(b), None) => match ALPHABET.chars().position(|a| a == b) {
                Some(i) => 0x1000 + i as u32,
                None => b as u32 + if b.is_ascii_digit() { 0 } else { 0x2000 },
            },
            _ => c as u32 + 0x2000,
        };
        letters.push(weight);
        tones.push(tone);
        cases.push(upper);
    }
    (letters, tones, cases)
}

/// Compares two strings in Vietnamese dictionary order (`Đ` after `D`, never after `Z`).
pub fn compare_vi(a: &str, b: &str) -> Ordering {
    collation_key(a)
        .cmp(&collation_key(b))
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(source: &str, category: &str, date: Option<&str>) -> Article {
        Article {
            source: Some(source.into()),
            category: Some(category.into()),
            date: date.map(str::to_string),
            ..Article::default()
        }
    }

    #[test]
    fn vietnamese_order_puts_d_bar_after_d_and_tones_in_dictionary_order() {
        let mut words = vec![
            "Zalo",
            "Đà Nẵng",
            "Dân trí",
            "Ánh",
            "Anh",
            "Ăn",
            "Âm",
            "Bắc",
            "ưu",
            "uy",
        ];
        words.sort_by(|a, b| compare_vi(a, b));
        assert_eq!(
            words,
            [
                "Anh",
                "Ánh",
                "Ăn",
                "Âm",
                "Bắc",
                "Dân trí",
                "Đà Nẵng",
                "uy",
                "ưu",
                "Zalo"
            ]
        );
        let mut tones = vec!["mạ", "má", "mã", "mả", "mà", "ma"];
        tones.sort_by(|a, b| compare_vi(a, b));
        assert_eq!(tones, ["ma", "mà", "mả", "mã", "má", "mạ"]);
    }

    #[test]
    fn nfd_and_nfc_values_collate_alike() {
        let nfd: String = "Đà Nẵng".nfd().collect();
        assert_eq!(collation_key(&nfd), collation_key("Đà Nẵng"));
    }

    #[test]
    fn facet_values_sort_by_count_then_vietnamese_order() {
        let articles = vec![
            article("Đời sống", "x", None),
            article("Zing", "x", None),
            article("Dân trí", "x", None),
            article("Dân trí", "x", None),
        ];
        let f = facets(&articles, &[0, 1, 2, 3], &Filters::default());
        let names: Vec<(&str, usize)> = f
            .sources
            .iter()
            .map(|v| (v.value.as_str(), v.count))
            .collect();
        assert_eq!(names, [("Dân trí", 2), ("Đời sống", 1), ("Zing", 1)]);
        assert_eq!(f.undated, 4);
    }

    #[test]
    fn each_facet_counts_without_its_own_filter() {
        let articles = vec![
            article("A", "sport", Some("2021-08-24")),
            article("B", "sport", Some("2021-09-01")),
            article("A", "news", Some("2022-02-24")),
        ];
        let filters = Filters {
            sources: vec!["A".into()],
            ..Filters::default()
        };
        let f = facets(&articles, &[0, 1, 2], &filters);
        // Sources are counted without the source filter: B stays visible.
        assert_eq!(f.sources.len(), 2);
        // Categories and years only count source A.
        assert_eq!(f.categories.iter().map(|v| v.count).sum::<usize>(), 2);
        assert_eq!(
            f.years.iter().map(|y| y.year).collect::<Vec<_>>(),
            [2022, 2021]
        );
        assert_eq!(f.years[1].months, [(8, 1)]);
    }

    #[test]
    fn date_filters_combine_year_month_and_range() {
        let a = article("A", "x", Some("2021-08-24"));
        let undated = article("A", "x", None);
        let f = |year, month, from: Option<&str>, to: Option<&str>| Filters {
            year,
            month,
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            ..Filters::default()
        };
        assert!(f(Some(2021), Some(8), None, None).accepts(&a));
        assert!(!f(Some(2021), Some(9), None, None).accepts(&a));
        assert!(f(None, None, Some("2021-08-24"), Some("2021-08-24")).accepts(&a));
        assert!(!f(None, None, Some("2021-08-25"), None).accepts(&a));
        assert!(!f(Some(2021), None, None, None).accepts(&undated));
        assert!(Filters::default().accepts(&undated));
    }
}
