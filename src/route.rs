//! Every state of the app lives in the URL hash, so it can be bookmarked, shared and
//! restored: `#/search?q=…&src=…&sort=new&p=2`, `#/a/<id>?q=…` (an article opened from
//! a search keeps that search, for previous/next and highlights). This module reads and
//! writes those hashes; `router.rs` follows the browser's.

use docbao_engine::facets::{Filters, Sort};
use docbao_engine::Request;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// The app's pages, by the path in the hash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Route {
    /// `#/`, or no hash at all.
    #[default]
    Home,
    /// `#/search`.
    Search,
    /// `#/a/<id>`, the id percent-encoded as one path segment.
    Article { id: String },
    /// Any other path.
    NotFound,
}

/// What an article id escapes in its path segment: all but RFC 3986's unreserved
/// characters, so an id never cuts the path, the hash's query or its own segment.
const ID_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

impl Route {
    /// The path in the hash, without `#` and query.
    pub fn to_path(&self) -> String {
        match self {
            Route::Home => "/".into(),
            Route::Search => "/search".into(),
            Route::Article { id } => format!("/a/{}", utf8_percent_encode(id, ID_ESCAPED)),
            Route::NotFound => "/404".into(),
        }
    }

    /// The route a hash's path names (a trailing `/` aside); [`Route::NotFound`] for any
    /// other, or an id that does not decode to UTF-8.
    pub fn recognize(path: &str) -> Route {
        match path.strip_suffix('/').unwrap_or(path) {
            "" => Route::Home,
            "/search" => Route::Search,
            path => path
                .strip_prefix("/a/")
                .filter(|segment| !segment.is_empty() && !segment.contains('/'))
                .and_then(|segment| percent_decode_str(segment).decode_utf8().ok())
                .map_or(Route::NotFound, |id| Route::Article { id: id.into() }),
        }
    }

    /// A link's `href` to this route with a query already encoded ([`encode_query`]).
    pub fn href(&self, encoded_query: &str) -> String {
        format!("#{}{encoded_query}", self.to_path())
    }
}

/// URL query pairs as a hash's query: `?` and the pairs form-encoded, or nothing when
/// there are none.
pub fn encode_query(pairs: &[(&str, String)]) -> String {
    match serde_urlencoded::to_string(pairs) {
        Ok(query) if !query.is_empty() => format!("?{query}"),
        _ => String::new(),
    }
}

/// Where a URL hash points: its route and its query (after `?`, still encoded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub route: Route,
    pub query: String,
}

impl Location {
    /// Reads `location.hash` (`#/a/x?q=…`; with or without its `#`). A second `#` ends
    /// the hash's path and query, as the URL parser would read it.
    pub fn from_hash(hash: &str) -> Location {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let hash = hash.split_once('#').map_or(hash, |(before, _)| before);
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        Location {
            route: Route::recognize(path),
            query: query.to_string(),
        }
    }
}

/// Results per page: the engine's, whose first page the build reads ahead.
pub const PAGE_SIZE: usize = docbao_engine::search::DEFAULT_LIMIT;

/// What the reader asked for: query, filters, order and page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchState {
    pub q: String,
    pub filters: Filters,
    /// `None`: relevance when there is a query, newest first when browsing.
    pub sort: Option<Sort>,
    /// 0-based.
    pub page: usize,
}

/// A change the reader makes to the search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    SetQuery(String),
    ToggleSource(String),
    ToggleCategory(String),
    ToggleAuthor(String),
    SetYear(Option<u16>),
    SetMonth(Option<u8>),
    SetFrom(Option<String>),
    SetTo(Option<String>),
    SetSort(Sort),
    SetPage(usize),
    ClearFilters,
}

fn toggle(values: &mut Vec<String>, value: String) {
    match values.iter().position(|v| *v == value) {
        Some(i) => {
            values.remove(i);
        }
        None => values.push(value),
    }
}

fn valid_date(value: &str) -> bool {
    value.len() == 10 && docbao_engine::facets::year_month(value).is_some()
}

impl SearchState {
    /// The state after `action`. Anything that changes the result set goes back to page 1.
    pub fn apply(mut self, action: Action) -> SearchState {
        let keeps_page = matches!(action, Action::SetPage(_));
        match action {
            Action::SetQuery(q) => self.q = q,
            Action::ToggleSource(v) => toggle(&mut self.filters.sources, v),
            Action::ToggleCategory(v) => toggle(&mut self.filters.categories, v),
            Action::ToggleAuthor(v) => toggle(&mut self.filters.authors, v),
            Action::SetYear(y) => {
                self.filters.year = y;
                self.filters.month = None;
            }
            Action::SetMonth(m) => self.filters.month = m.filter(|_| self.filters.year.is_some()),
            Action::SetFrom(d) => self.filters.from = d.filter(|d| valid_date(d)),
            Action::SetTo(d) => self.filters.to = d.filter(|d| valid_date(d)),
            Action::SetSort(s) => self.sort = Some(s),
            Action::SetPage(p) => self.page = p,
            Action::ClearFilters => self.filters = Filters::default(),
        }
        if !keeps_page {
            self.page = 0;
        }
        self
    }

    pub fn is_searching(&self) -> bool {
        !self.q.trim().is_empty()
    }

    /// What the engine is asked for this state's page of results (its filters, order
    /// and window).
    pub fn request(&self) -> Request {
        Request {
            filters: self.filters.clone(),
            sort: self.effective_sort(),
            offset: self.page * PAGE_SIZE,
            limit: PAGE_SIZE,
            count_facets: true,
            typing: false,
        }
    }

    /// What the search page asks while it shows only its first `rows` rows (`None`: the
    /// whole page), and while the query is `typing` (facets not counted, the typing rules).
    /// Rows not shown are not asked for: their snippets were engine work nobody sees before
    /// the next key (a page's first rows are the same whatever its length: results are in
    /// a total order). Both layouts ask this.
    pub fn request_shown(&self, rows: Option<usize>, typing: bool) -> Request {
        let request = self.request();
        Request {
            limit: rows.map_or(request.limit, |rows| request.limit.min(rows)),
            count_facets: !typing,
            typing,
            ..request
        }
    }

    /// The order results are shown in.
    pub fn effective_sort(&self) -> Sort {
        self.sort.unwrap_or(if self.is_searching() {
            Sort::Relevance
        } else {
            Sort::Newest
        })
    }

    /// True when the reader narrowed or searched anything (an article then shows
    /// previous/next within these results).
    pub fn is_default(&self) -> bool {
        *self == SearchState::default()
    }

    /// The URL query pairs, in a fixed order; defaults are left out.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let f = &self.filters;
        let mut pairs = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        pairs.extend(f.sources.iter().map(|v| ("src", v.clone())));
        pairs.extend(f.categories.iter().map(|v| ("cat", v.clone())));
        pairs.extend(f.authors.iter().map(|v| ("by", v.clone())));
        pairs.extend(f.year.map(|y| ("y", y.to_string())));
        pairs.extend(f.month.map(|m| ("m", m.to_string())));
        pairs.extend(f.from.clone().map(|d| ("from", d)));
        pairs.extend(f.to.clone().map(|d| ("to", d)));
        pairs.extend(self.sort.map(|s| ("sort", sort_name(s).to_string())));
        if self.page > 0 {
            pairs.push(("p", (self.page + 1).to_string()));
        }
        pairs
    }

    /// Reads a URL query. Unknown keys and malformed values are ignored, never fatal.
    pub fn from_query(query: &str) -> SearchState {
        let query = query.strip_prefix('?').unwrap_or(query);
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let mut state = SearchState::default();
        for (key, value) in pairs {
            let f = &mut state.filters;
            match key.as_str() {
                "q" => state.q = value,
                "src" => f.sources.push(value),
                "cat" => f.categories.push(value),
                "by" => f.authors.push(value),
                "y" => f.year = value.parse().ok(),
                "m" => f.month = value.parse().ok().filter(|m| (1..=12).contains(m)),
                "from" => f.from = Some(value).filter(|d| valid_date(d)),
                "to" => f.to = Some(value).filter(|d| valid_date(d)),
                "sort" => state.sort = sort_from_name(&value),
                "p" => {
                    state.page = value
                        .parse::<usize>()
                        .ok()
                        .and_then(|p| p.checked_sub(1))
                        .unwrap_or(0)
                }
                _ => {}
            }
        }
        if state.filters.year.is_none() {
            state.filters.month = None;
        }
        state
    }

    pub fn from_location(location: Option<&Location>) -> SearchState {
        location
            .map(|l| SearchState::from_query(&l.query))
            .unwrap_or_default()
    }

    /// The search a URL hash shows (`#/search?q=…`, `#/`, none at all), or `None` when the
    /// hash is another page's: the router's own parser decides which route it is.
    pub fn from_search_hash(hash: &str) -> Option<SearchState> {
        let location = Location::from_hash(hash);
        matches!(location.route, Route::Home | Route::Search)
            .then(|| SearchState::from_query(&location.query))
    }
}

fn sort_name(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "rel",
        Sort::Newest => "new",
        Sort::Oldest => "old",
    }
}

fn sort_from_name(name: &str) -> Option<Sort> {
    match name {
        "rel" => Some(Sort::Relevance),
        "new" => Some(Sort::Newest),
        "old" => Some(Sort::Oldest),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_states_request_asks_for_its_page_in_its_order() {
        let state = SearchState::from_query("q=ha+noi&src=VnExpress&p=3");
        let request = state.request();
        assert_eq!(request.filters, state.filters);
        assert_eq!(request.sort, Sort::Relevance);
        assert_eq!((request.offset, request.limit), (2 * PAGE_SIZE, PAGE_SIZE));
        let browsing = SearchState::from_query("").request();
        assert_eq!((browsing.sort, browsing.offset), (Sort::Newest, 0));
        // The build reads ahead the files of the engine's first page: the app's must be it.
        assert_eq!(
            SearchState::default().request(),
            Request::newest_first_page()
        );
    }

    #[test]
    fn a_typed_page_asks_only_for_the_rows_it_shows() {
        let state = SearchState::from_query("q=ha+noi&src=VnExpress&p=3");
        // Typing with 8 rows on screen: 8 hits (both layouts ask this; the sharded one
        // asked for the whole page's snippets, 20 rows of which 8 were shown), no facets.
        let typed = state.request_shown(Some(8), true);
        assert_eq!((typed.offset, typed.limit), (2 * PAGE_SIZE, 8));
        assert!(typed.typing && !typed.count_facets);
        assert_eq!(
            (typed.filters, typed.sort),
            (state.filters.clone(), Sort::Relevance)
        );
        // More rows than a page: the page.
        assert_eq!(state.request_shown(Some(100), true).limit, PAGE_SIZE);
        // The pause (or a scrolled page): the whole page; untyped, its facets counted.
        assert_eq!(state.request_shown(None, true).limit, PAGE_SIZE);
        assert_eq!(state.request_shown(None, false), state.request());
    }

    fn round_trip(state: &SearchState) -> SearchState {
        let qs = serde_urlencoded::to_string(state.to_pairs()).unwrap();
        SearchState::from_query(&qs)
    }

    /// What the browser's URL parser resolves away (WHATWG URL: `.`, `..` and their
    /// `%2e` spellings, any case), which the hash history applies to `#/a/<id>`.
    fn is_dot_segment(segment: &str) -> bool {
        matches!(
            segment.to_ascii_lowercase().replace("%2e", ".").as_str(),
            "." | ".."
        )
    }

    #[test]
    fn article_ids_round_trip_through_the_hash() {
        for id in [
            "000_2bd3c5a4fc348b9d",
            "tin/2021/08",
            "a?q=b&c",
            "a#b",
            "100%",
            "%2e%2e",
            "hai từ",
            "Tiêu đề Việt Nam",
            "..a",
            "a/../b",
            "+",
        ] {
            assert!(docbao_engine::ingest::is_usable_id(id), "{id:?}");
            let route = Route::Article { id: id.into() };
            let path = route.to_path();
            let segment = path.strip_prefix("/a/").expect("an article path");
            // One path segment, which neither the hash's query nor URL parsing can cut.
            assert!(
                !segment.contains(['/', '?', '#', ' ']) && segment.is_ascii(),
                "{id:?} → {path}"
            );
            assert!(!is_dot_segment(segment), "{id:?} → {path}");
            assert_eq!(Route::recognize(&path), route, "{id:?} → {path}");
        }
        // Ingest replaces the ids that would be dot segments.
        for id in [".", ".."] {
            assert!(is_dot_segment(id));
            assert!(!docbao_engine::ingest::is_usable_id(id));
        }
    }

    #[test]
    fn hashes_name_their_routes_and_queries() {
        let article = |id: &str| Route::Article { id: id.into() };
        for (hash, route, query) in [
            ("", Route::Home, ""),
            ("#", Route::Home, ""),
            ("#/", Route::Home, ""),
            ("#/?q=x", Route::Home, "q=x"),
            ("#/search", Route::Search, ""),
            ("#/search/", Route::Search, ""),
            ("#/search?", Route::Search, ""),
            ("#/search?q=ha+noi&p=2", Route::Search, "q=ha+noi&p=2"),
            // A second `#` ends the hash's query, as the URL parser reads it.
            ("#/search?q=a#b", Route::Search, "q=a"),
            ("#/a/fx-012", article("fx-012"), ""),
            ("#/a/fx-012/", article("fx-012"), ""),
            ("#/a/fx-012?q=x", article("fx-012"), "q=x"),
            ("/a/fx-012", article("fx-012"), ""),
            ("#/a/hai%20t%E1%BB%AB", article("hai từ"), ""),
            ("#/a/", Route::NotFound, ""),
            ("#/a/x/y", Route::NotFound, ""),
            // Not UTF-8 once decoded.
            ("#/a/%FF", Route::NotFound, ""),
            ("#/nowhere?q=x", Route::NotFound, "q=x"),
            ("#/search/more", Route::NotFound, ""),
            ("#/404", Route::NotFound, ""),
            ("#search", Route::NotFound, ""),
        ] {
            let location = Location::from_hash(hash);
            assert_eq!(
                (location.route, location.query.as_str()),
                (route, query),
                "{hash:?}"
            );
        }
    }

    #[test]
    fn links_are_written_as_earlier_builds_wrote_them() {
        // Bookmarks and shared links made by yew-router's hash router keep opening.
        let article = |id: &str| Route::Article { id: id.into() };
        assert_eq!(article("hai từ").to_path(), "/a/hai%20t%E1%BB%AB");
        assert_eq!(article("a?q=b&c").to_path(), "/a/a%3Fq%3Db%26c");
        assert_eq!(article("A-z_0.9~").to_path(), "/a/A-z_0.9~");
        assert_eq!(article("tin/2021").to_path(), "/a/tin%2F2021");
        assert_eq!(Route::Search.href(&encode_query(&[])), "#/search");
        let context = [
            ("q", "thanh trì".to_string()),
            ("src", "Dân trí".to_string()),
        ];
        assert_eq!(
            article("a1").href(&encode_query(&context)),
            "#/a/a1?q=thanh+tr%C3%AC&src=D%C3%A2n+tr%C3%AD"
        );
        let back = Location::from_hash(&article("a1").href(&encode_query(&context)));
        assert_eq!(back.route, article("a1"));
        assert_eq!(SearchState::from_query(&back.query).q, "thanh trì");
    }

    #[test]
    fn a_hash_holds_a_search_only_on_the_routes_the_search_page_is_shown_for() {
        for hash in ["", "#", "#/", "#/search", "#/search/"] {
            assert_eq!(
                SearchState::from_search_hash(hash),
                Some(SearchState::default()),
                "{hash:?}"
            );
        }
        let searched = SearchState::from_search_hash("#/search?q=thanh+tr%C3%AC&p=2").unwrap();
        assert_eq!((searched.q.as_str(), searched.page), ("thanh trì", 1));
        for hash in ["#/a/fx-012", "#/a/fx-012?q=x", "#/nowhere", "#/search/more"] {
            assert_eq!(SearchState::from_search_hash(hash), None, "{hash:?}");
        }
    }

    #[test]
    fn every_field_survives_the_url() {
        let state = SearchState {
            q: "thanh trì & hà nội".into(),
            filters: Filters {
                sources: vec!["Dân trí".into(), "Lao động Thủ đô".into()],
                categories: vec!["thời sự".into()],
                authors: vec!["HÀ LINH".into()],
                year: Some(2021),
                month: Some(8),
                from: Some("2021-08-01".into()),
                to: Some("2021-08-31".into()),
            },
            sort: Some(Sort::Oldest),
            page: 3,
        };
        assert_eq!(round_trip(&state), state);
        assert_eq!(round_trip(&SearchState::default()), SearchState::default());
    }

    #[test]
    fn malformed_urls_give_a_usable_state() {
        for q in [
            "%",
            "p=0",
            "p=-1",
            "p=x",
            "y=abc&m=8",
            "m=13&y=2021",
            "from=2021-99-01",
            "sort=up",
            "&&=&",
        ] {
            let state = SearchState::from_query(q);
            assert_eq!(state.page, 0, "{q}");
            assert!(
                state.filters.month.is_none_or(|m| (1..=12).contains(&m)),
                "{q}"
            );
            assert!(state.filters.from.is_none(), "{q}");
            assert!(state.sort.is_none(), "{q}");
        }
    }

    #[test]
    fn changes_to_the_result_set_return_to_the_first_page() {
        let state = SearchState::default().apply(Action::SetPage(4));
        assert_eq!(state.page, 4);
        assert_eq!(
            state.clone().apply(Action::SetQuery("covid".into())).page,
            0
        );
        assert_eq!(
            state.clone().apply(Action::ToggleSource("A".into())).page,
            0
        );
        assert_eq!(state.apply(Action::SetSort(Sort::Oldest)).page, 0);
    }

    #[test]
    fn facet_values_toggle_and_months_need_a_year() {
        let state = SearchState::default()
            .apply(Action::ToggleSource("A".into()))
            .apply(Action::ToggleSource("B".into()))
            .apply(Action::ToggleSource("A".into()));
        assert_eq!(state.filters.sources, ["B"]);
        let state = state.apply(Action::SetMonth(Some(8)));
        assert_eq!(state.filters.month, None, "no year chosen");
        let state = state
            .apply(Action::SetYear(Some(2021)))
            .apply(Action::SetMonth(Some(8)));
        assert_eq!(
            (state.filters.year, state.filters.month),
            (Some(2021), Some(8))
        );
        let state = state.apply(Action::SetYear(Some(2022)));
        assert_eq!(state.filters.month, None, "a new year clears the month");
        assert!(state.apply(Action::ClearFilters).filters.is_empty());
    }

    #[test]
    fn browsing_defaults_to_newest_and_searching_to_relevance() {
        let browse = SearchState::default();
        assert_eq!(browse.effective_sort(), Sort::Newest);
        let search = browse.apply(Action::SetQuery("covid".into()));
        assert_eq!(search.effective_sort(), Sort::Relevance);
        assert_eq!(
            search.apply(Action::SetSort(Sort::Oldest)).effective_sort(),
            Sort::Oldest
        );
    }
}
