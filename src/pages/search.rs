use std::cell::Cell;
use std::rc::Rc;

use docbao_engine::display::Lang;
use docbao_engine::facets::Sort;
use docbao_engine::search::Query;
use docbao_engine::shard::Fetched;
use web_sys::HtmlSelectElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::{use_corpus, use_ui, Corpus};
use crate::archive::{Completeness, MAX_FILES_PER_REQUEST};
use crate::components::{article_list, result_links, FacetPanel, Pager, SearchBox};
use crate::i18n;
use crate::route::{Action, Route, SearchState};
use crate::timing;

/// The search in the URL at this moment. A handler can run before the latest change has
/// been rendered into its part of the page (Yew lets the browser run between a page's
/// render and its parts'), so an action applies to this, not to the state the handler was
/// rendered with: a filter clicked right after a keystroke keeps that keystroke.
fn search_in_url() -> Option<SearchState> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let query = hash.split_once('?').map_or("", |(_, query)| query);
    Some(SearchState::from_query(query))
}

/// `#/search?…`: the search box, the live count, results by page, and the filters.
#[function_component]
pub fn SearchPage() -> Html {
    let corpus = use_corpus();
    let ui = use_ui();
    let t = ui.t();
    let location = use_location();
    let navigator = use_navigator();
    let state = SearchState::from_location(location.as_ref());

    // The query is prepared once per `q` (a filter, an order or a page reuses it). A
    // sharded archive's index grows as files arrive, so it is prepared again then
    // (`version`). `docbao:search` spans the event that asked for the search, this
    // (`docbao:find`), the render and the layout (see `timing`): what a keystroke costs.
    let prepared = use_mut_ref(|| None::<(String, u64, Rc<Query>)>);
    let searched = {
        let corpus = corpus.clone();
        use_memo((state.clone(), corpus.version()), move |(s, version)| {
            timing::search_started();
            timing::measure(timing::FIND_MEASURE, || {
                if let Some(shards) = corpus.shards() {
                    // One search: the page from the files in, and the files to fetch.
                    let Fetched { answer, needs } = shards.find(s);
                    let mut page = answer.page;
                    // A hit whose article's file is not in yet cannot be shown or opened.
                    page.hits.retain(|hit| !hit.id.is_empty());
                    return (answer.query.trimmed(), page, needs);
                }
                corpus.with_index(|index| {
                    let mut prepared = prepared.borrow_mut();
                    let query = match prepared.as_ref() {
                        Some((q, v, query)) if *q == s.q && v == version => query.clone(),
                        _ => {
                            let query = Rc::new(index.query(&s.q));
                            *prepared = Some((s.q.clone(), *version, query.clone()));
                            query
                        }
                    };
                    let mut page = index.find(&query, &s.request());
                    // A hit whose article's file is not in yet cannot be shown or opened.
                    page.hits.retain(|hit| !hit.id.is_empty());
                    (query.trimmed(), page, Vec::new())
                })
            })
        })
    };
    use_effect_with(state.clone(), |_| timing::search_rendered());
    let (trimmed, page) = (searched.0, &searched.1);
    let completeness = use_archive_files(&corpus, &state, &searched.2);

    // Typing replaces the history entry, so Back leaves the search rather than undoing
    // keystrokes; a filter, an order or a page is a step Back can undo.
    let dispatch = {
        let state = state.clone();
        let navigator = navigator.clone();
        Callback::from(move |action: Action| {
            let Some(nav) = &navigator else { return };
            timing::search_requested();
            let typing = matches!(action, Action::SetQuery(_));
            let next = search_in_url()
                .unwrap_or_else(|| state.clone())
                .apply(action);
            let _ = if typing {
                nav.replace_with_query(&Route::Search, next.to_pairs())
            } else {
                nav.push_with_query(&Route::Search, next.to_pairs())
            };
        })
    };
    let on_query = dispatch.reform(Action::SetQuery);
    let on_sort = dispatch.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        Action::SetSort(match select.value().as_str() {
            "new" => Sort::Newest,
            "old" => Sort::Oldest,
            _ => Sort::Relevance,
        })
    });
    let on_arrow_down = Callback::from(|()| {
        if let Some(first) = result_links().first() {
            let _ = first.focus();
        }
    });

    let count = if state.is_searching() || !state.filters.is_empty() {
        i18n::result_count(ui.lang(), page.total)
    } else {
        i18n::archive_count(ui.lang(), page.total)
    };
    let sort = state.effective_sort();
    let sort_option = |value: &'static str, option: Sort, label: &'static str| {
        html! { <option {value} selected={sort == option}>{ label }</option> }
    };

    html! {
        <div class="search-page">
            <h1 class="visually-hidden">{ t.search_label }</h1>
            <SearchBox value={state.q.clone()} {on_query} {on_arrow_down} />
            if trimmed {
                <p class="query-trimmed" role="note">{ t.query_trimmed }</p>
            }
            { archive_status(completeness, ui.lang()) }
            <div class="toolbar">
                <p id="result-count" class="result-count" role="status" aria-live="polite">{ count }</p>
                <label class="sort" for="sort">
                    <span>{ t.sort_label }</span>
                    <select id="sort" onchange={on_sort}>
                        { sort_option("rel", Sort::Relevance, t.sort_relevance) }
                        { sort_option("new", Sort::Newest, t.sort_newest) }
                        { sort_option("old", Sort::Oldest, t.sort_oldest) }
                    </select>
                </label>
            </div>
            <div class="search-layout">
                <section class="results-area" aria-labelledby="results-heading">
                    <h2 id="results-heading" class="visually-hidden">{ t.results_heading }</h2>
                    if page.hits.is_empty() {
                        <p class="no-results">{ t.no_results }</p>
                    } else {
                        { article_list(&page.hits, &state.to_pairs(), navigator.as_ref()) }
                    }
                    <Pager total={page.total} page={state.page} on_action={dispatch.clone()} />
                </section>
                <FacetPanel facets={page.facets.clone()} filters={state.filters.clone()} on_action={dispatch} />
            </div>
        </div>
    }
}

/// In a sharded archive, fetches the files this search `needs` (as its last search said),
/// round after round (a file may show what else it needs), within
/// [`MAX_FILES_PER_REQUEST`] per search, and says how far it has got. Always complete for
/// the embedded index.
#[hook]
fn use_archive_files(corpus: &Corpus, state: &SearchState, needs: &[String]) -> Completeness {
    let completeness = use_state_eq(|| {
        if corpus.shards().is_some() {
            Completeness::Fetching
        } else {
            Completeness::Complete
        }
    });
    let budget = use_mut_ref(|| (None::<SearchState>, Cell::new(MAX_FILES_PER_REQUEST)));
    {
        let completeness = completeness.clone();
        let shards = corpus.shards().cloned();
        let needs = needs.to_vec();
        use_effect_with((state.clone(), corpus.version()), move |(state, _)| {
            let Some(shards) = shards else { return };
            let mut budget = budget.borrow_mut();
            if budget.0.as_ref() != Some(state) {
                *budget = (Some(state.clone()), Cell::new(MAX_FILES_PER_REQUEST));
                shards.forget_failures();
            }
            completeness.set(shards.fetch(needs, &budget.1));
        });
    }
    *completeness
}

/// What the reader should know about a sharded archive's search: files on their way,
/// missing (offline), or too many for one search.
pub fn archive_status(completeness: Completeness, lang: Lang) -> Html {
    let t = i18n::texts(lang);
    match completeness {
        Completeness::Complete => html! {},
        Completeness::Fetching => html! {
            <p class="archive-status" role="status" data-archive="fetching">{ t.archive_fetching }</p>
        },
        Completeness::Missing => html! {
            <p class="archive-status" role="note" data-archive="missing">{ t.archive_missing }</p>
        },
        Completeness::TooMany(n) => html! {
            <p class="archive-status" role="note" data-archive="too-many">
                { i18n::archive_too_many(lang, n, MAX_FILES_PER_REQUEST) }
            </p>
        },
    }
}
