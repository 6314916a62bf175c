//! Filters and facet counts over a set of matched articles, and the Vietnamese order in
//! which facet values are listed.

use rustc_hash::{FxHashMap, FxHashSet};
use std::cmp::Ordering;

use crate::text::normalize::{nfc, nfd};

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

    pub fn accepts(&self, article: &Article) -> bool {
        any_of(&self.sources, &article.source)
            && any_of(&self.categories, &article.category)
            && any_of(&self.authors, &article.author)
            && self.date_accepts(article.date.as_deref())
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

/// An article with no value for a field.
const NONE: u32 = u32::MAX;

/// One facet field's values, in Vietnamese order, and each article's value as an index.
#[derive(Debug, Clone, Default, PartialEq)]
struct ValueTable {
    values: Vec<String>,
    of_doc: Vec<u32>,
}

impl ValueTable {
    fn new<'a>(per_doc: impl Iterator<Item = Option<&'a str>> + Clone) -> ValueTable {
        // Distinct values first, then each one's collation key worked out once:
        // compare_vi works both keys out per comparison, and sorting every article's
        // value with it cost ~200 ms of a sharded reader's start-up in wasm. A column
        // holds a value per article (105k dates at vietnews-train scale) but few
        // distinct ones. Equal keys go in byte order, as compare_vi has them.
        let distinct: FxHashSet<&str> = per_doc.clone().flatten().collect();
        let keyed = distinct
            .into_iter()
            .map(|v| (collation_key(v), v))
            .collect();
        let values: Vec<String> = crate::order::all_in_order(keyed, Ord::cmp)
            .into_iter()
            .map(|(_, v)| v.to_string())
            .collect();
        let index: FxHashMap<&str, u32> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (v.as_str(), i as u32))
            .collect();
        let of_doc = per_doc
            .map(|v| v.and_then(|v| index.get(v).copied()).unwrap_or(NONE))
            .collect();
        ValueTable { values, of_doc }
    }

    /// The indexes of `wanted`, or `None` when nothing is wanted (the field is free).
    fn compile(&self, wanted: &[String]) -> Option<Vec<u32>> {
        (!wanted.is_empty()).then(|| {
            wanted
                .iter()
                .filter_map(|w| self.values.binary_search_by(|v| compare_vi(v, w)).ok())
                .map(|i| i as u32)
                .collect()
        })
    }
}

/// `2021-08-24` → `20210824`; 0 when unknown.
pub(crate) fn day_number(date: Option<&str>) -> u32 {
    let Some((y, m)) = date.and_then(year_month) else {
        return 0;
    };
    let d: u32 = date
        .and_then(|d| d.get(8..10))
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    y as u32 * 10_000 + m as u32 * 100 + d
}

/// A request's filters, in the catalog's integers.
struct Compiled {
    fields: [Option<Vec<u32>>; 3],
    year: Option<u16>,
    month: Option<u8>,
    from: u32,
    to: u32,
}

/// Every article's facet values as small integers, worked out once when the index is built
/// or loaded, so that filtering and counting a page of a 150,000-article archive never
/// hashes or compares strings: a keystroke counts every match, so this loop is the whole
/// cost of exact facets.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Catalog {
    /// Source, category, author.
    fields: [ValueTable; 3],
    /// `yyyymmdd`, 0 when unknown.
    days: Vec<u32>,
    /// The distinct `yyyymm` of dated articles, ascending.
    months: Vec<u32>,
    /// Each article's month as an index into `months`, [`NONE`] when undated.
    month_of_doc: Vec<u32>,
}

impl Catalog {
    pub(crate) fn new(articles: &[Article]) -> Catalog {
        let field = |get: fn(&Article) -> &Option<String>| {
            ValueTable::new(articles.iter().map(move |a| get(a).as_deref()))
        };
        let days: Vec<u32> = articles
            .iter()
            .map(|a| day_number(a.date.as_deref()))
            .collect();
        let months = crate::order::distinct(days.iter().filter(|&&d| d > 0).map(|d| d / 100));
        let month_of_doc = days
            .iter()
            .map(|&d| match d {
                0 => NONE,
                d => months.binary_search(&(d / 100)).map_or(NONE, |i| i as u32),
            })
            .collect();
        Catalog {
            fields: [
                field(|a| &a.source),
                field(|a| &a.category),
                field(|a| &a.author),
            ],
            days,
            months,
            month_of_doc,
        }
    }

    fn compile(&self, f: &Filters) -> Compiled {
        let bound =
            |d: &Option<String>, none: u32| d.as_deref().map_or(none, |d| day_number(Some(d)));
        Compiled {
            fields: [
                self.fields[0].compile(&f.sources),
                self.fields[1].compile(&f.categories),
                self.fields[2].compile(&f.authors),
            ],
            year: f.year,
            month: f.month.filter(|_| f.year.is_some()),
            from: bound(&f.from, 0),
            to: bound(&f.to, u32::MAX),
        }
    }

    /// Per field, whether each value is wanted (`None`: the field is free).
    fn wanted(&self, c: &Compiled) -> [Option<Vec<bool>>; 3] {
        std::array::from_fn(|f| {
            c.fields[f].as_ref().map(|ids| {
                let mut mask = vec![false; self.fields[f].values.len()];
                for &i in ids {
                    mask[i as usize] = true;
                }
                mask
            })
        })
    }

    /// Whether `doc`'s value of field `f` passes the filter's mask of that field (no
    /// mask: no filter on it, every doc passes; a filtered field needs a value).
    fn field_ok(&self, wanted: &[Option<Vec<bool>>; 3], f: usize, doc: usize) -> bool {
        wanted[f].as_ref().is_none_or(|mask| {
            let value = self.fields[f].of_doc[doc];
            value != NONE && mask[value as usize]
        })
    }

    fn date_ok(&self, c: &Compiled, doc: usize) -> bool {
        let day = self.days[doc];
        let constrained = c.year.is_some() || c.from > 0 || c.to < u32::MAX;
        if !constrained {
            return true;
        }
        if day == 0 {
            return false;
        }
        let (y, m) = (day / 10_000, day / 100 % 100);
        c.year.is_none_or(|year| y == year as u32)
            && c.month.is_none_or(|month| m == month as u32)
            && day >= c.from
            && day <= c.to
    }

    /// Keeps the matches that pass `filters`, in their order, and counts the facets of
    /// all matches in the same pass: each field without its own filter. Without `count`,
    /// the same matches are kept and no facet is counted ([`Facets::default`]).
    pub(crate) fn narrow(
        &self,
        matched: Vec<(u32, f32)>,
        filters: &Filters,
        count: bool,
    ) -> (Vec<(u32, f32)>, Facets) {
        if !count {
            return (self.keep(matched, filters), Facets::default());
        }
        let mut counts: [Vec<usize>; 3] =
            std::array::from_fn(|f| vec![0; self.fields[f].values.len()]);
        let mut month_counts = vec![0usize; self.months.len()];
        let mut undated = 0;
        let count_month = |d: usize, month_counts: &mut [usize], undated: &mut usize| match self
            .month_of_doc[d]
        {
            NONE => *undated += 1,
            m => month_counts[m as usize] += 1,
        };
        let kept = if filters.is_empty() {
            // Nothing filtered (most keystrokes): every match is kept and counted, in the
            // fields that have values (an archive without authors, or without any facet
            // and date, as vietnews-train, reads no column for them).
            let fields: Vec<(&ValueTable, &mut Vec<usize>)> = self
                .fields
                .iter()
                .zip(&mut counts)
                .filter(|(field, _)| !field.values.is_empty())
                .collect();
            if fields.is_empty() && self.months.is_empty() {
                undated = matched.len();
            } else {
                let mut fields = fields;
                for &(doc, _) in &matched {
                    let d = doc as usize;
                    for (field, field_counts) in fields.iter_mut() {
                        let value = field.of_doc[d];
                        if value != NONE {
                            field_counts[value as usize] += 1;
                        }
                    }
                    count_month(d, &mut month_counts, &mut undated);
                }
            }
            // Kept as they came, not copied: a common word matches most of the archive.
            matched
        } else {
            let c = self.compile(filters);
            let wanted = self.wanted(&c);
            let mut kept = Vec::new();
            for &(doc, score) in &matched {
                let d = doc as usize;
                let ok: [bool; 3] = std::array::from_fn(|f| self.field_ok(&wanted, f, d));
                let date_ok = self.date_ok(&c, d);
                for (f, field_counts) in counts.iter_mut().enumerate() {
                    let others = (0..3).all(|g| g == f || ok[g]);
                    let value = self.fields[f].of_doc[d];
                    if others && date_ok && value != NONE {
                        field_counts[value as usize] += 1;
                    }
                }
                if ok.iter().all(|&o| o) {
                    count_month(d, &mut month_counts, &mut undated);
                    if date_ok {
                        kept.push((doc, score));
                    }
                }
            }
            kept
        };
        let values = |f: usize| {
            let out: Vec<FacetValue> = counts[f]
                .iter()
                .enumerate()
                .filter(|&(_, &n)| n > 0)
                .map(|(i, &count)| FacetValue {
                    value: self.fields[f].values[i].clone(),
                    count,
                })
                .collect();
            // Values are already in Vietnamese order: a stable sort by count keeps it.
            // Counts are at most the archive's size, below 2³²: largest first.
            crate::order::sorted_by(out, |v| u32::MAX as usize - v.count.min(u32::MAX as usize))
        };
        let mut years: Vec<YearCount> = Vec::new();
        for (&ym, &n) in self.months.iter().zip(&month_counts).rev() {
            if n == 0 {
                continue;
            }
            let (year, month) = ((ym / 100) as u16, (ym % 100) as u8);
            match years.last_mut() {
                Some(y) if y.year == year => {
                    y.count += n;
                    y.months.insert(0, (month, n));
                }
                _ => years.push(YearCount {
                    year,
                    count: n,
                    months: vec![(month, n)],
                }),
            }
        }
        let facets = Facets {
            sources: values(0),
            categories: values(1),
            authors: values(2),
            years,
            undated,
        };
        (kept, facets)
    }

    /// The matches that pass `filters`, in their order: [`Catalog::narrow`]'s without
    /// counting.
    fn keep(&self, mut matched: Vec<(u32, f32)>, filters: &Filters) -> Vec<(u32, f32)> {
        if filters.is_empty() {
            return matched;
        }
        let c = self.compile(filters);
        let wanted = self.wanted(&c);
        matched.retain(|&(doc, _)| {
            let d = doc as usize;
            (0..3).all(|f| self.field_ok(&wanted, f, d)) && self.date_ok(&c, d)
        });
        matched
    }

    /// Where `doc` goes in a date order, newest or oldest first, undated last: the
    /// smaller, the earlier (ties are left to the caller).
    pub(crate) fn date_rank(&self, doc: u32, newest_first: bool) -> u32 {
        match self.days[doc as usize] {
            0 => u32::MAX,
            day if newest_first => u32::MAX - day,
            day => day,
        }
    }
}

/// Facet counts for `docs` (the articles matching the query), under `filters`: a
/// convenience over [`Catalog`] for callers without an index.
pub fn facets(articles: &[Article], docs: &[u32], filters: &Filters) -> Facets {
    let matched: Vec<(u32, f32)> = docs.iter().map(|&d| (d, 0.0)).collect();
    Catalog::new(articles).narrow(matched, filters, true).1
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
    for c in nfc(s).chars() {
        let upper = c.is_uppercase();
        let lower: String = c.to_lowercase().collect();
        let mut base = String::new();
        let mut tone = 0u8;
        for d in nfd(&lower).chars() {
            match TONES.iter().position(|&t| t == d) {
                Some(i) => tone = i as u8 + 1,
                None => base.push(d),
            }
        }
        let base: String = nfc(&base);
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
    use unicode_normalization::UnicodeNormalization;

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
    fn value_table_lists_each_value_once_in_compare_vi_order() {
        // Values that differ only in case, marks or normalization, and repeats.
        let nfd: String = "Đà Nẵng".nfd().collect();
        let per_doc = [
            Some("Zing"),
            Some("đà nẵng"),
            None,
            Some("Dân trí"),
            Some(nfd.as_str()),
            Some("Đà Nẵng"),
            Some("Zing"),
            Some("dân trí"),
            Some("Ánh"),
            Some("Anh"),
            Some("anh"),
            Some("Dân trí"),
        ];
        let table = ValueTable::new(per_doc.iter().copied());
        let mut expected: Vec<String> = per_doc.iter().flatten().map(|v| v.to_string()).collect();
        expected.sort_by(|a, b| compare_vi(a, b));
        expected.dedup();
        assert_eq!(table.values, expected);
        for (doc, value) in per_doc.iter().enumerate() {
            match value {
                None => assert_eq!(table.of_doc[doc], NONE),
                Some(v) => assert_eq!(table.values[table.of_doc[doc] as usize], *v),
            }
        }
    }

    #[test]
    fn an_archive_without_facet_values_or_dates_counts_every_match_undated() {
        let articles: Vec<Article> = (0..4).map(|_| Article::default()).collect();
        let f = facets(&articles, &[0, 2, 3], &Filters::default());
        assert_eq!(f.undated, 3);
        assert!(f.sources.is_empty() && f.categories.is_empty() && f.authors.is_empty());
        assert!(f.years.is_empty());
        // One field with values: it is counted, the others read nothing.
        let mut articles = articles;
        articles[2].source = Some("A".into());
        let f = facets(&articles, &[0, 2, 3], &Filters::default());
        assert_eq!(f.undated, 3);
        assert_eq!(
            f.sources,
            [FacetValue {
                value: "A".into(),
                count: 1
            }]
        );
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
