use std::cell::Cell;

use docbao_engine::display::{format_date, reading_minutes, source_link};
use docbao_engine::shard::Fetched;
use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::NotFoundPage;
use crate::app::{use_corpus, use_ui, Corpus};
use crate::archive::{Completeness, MAX_FILES_PER_REQUEST};
use crate::components::{
    article_list, clear_result_highlights, marked_text, show_result_highlights, Context,
    SearchElsewhere,
};
use crate::i18n;
use crate::route::{Route, SearchState};
use crate::router::{use_location, use_navigator, Link};

/// Articles suggested under "more like this".
const SIMILAR: usize = 5;

thread_local! {
    /// Routes shown since the app started: Back only stays inside the app when this
    /// article was reached from another page of it.
    static ROUTES_SEEN: Cell<usize> = const { Cell::new(0) };
}

#[derive(Properties, PartialEq)]
pub struct ArticlePageProps {
    pub id: AttrValue,
}

/// `#/a/<id>`: one article, as text. Opened from a search (`?q=…`), it highlights the
/// query and steps to the previous/next result.
#[function_component]
pub fn ArticlePage(props: &ArticlePageProps) -> Html {
    crate::timing::use_route_measure(crate::timing::ARTICLE_MEASURE);
    let corpus = use_corpus();
    let ui = use_ui();
    let location = use_location();
    let navigator = use_navigator();
    let state = SearchState::from_location(location.as_ref());
    // The article and its lists in one call; in a sharded archive, also the files that
    // would complete it (again as they arrive).
    let fetched = {
        let corpus = corpus.clone();
        use_memo(
            (props.id.clone(), state.clone(), corpus.version()),
            move |(id, state, _)| match &corpus {
                Corpus::Embedded(index, _) => {
                    let request = state.request();
                    let query = (!state.is_default()).then(|| index.query(&state.q));
                    let search = query.as_ref().map(|q| (q, &request));
                    Fetched {
                        answer: index.article_page(id, search, SIMILAR),
                        needs: Vec::new(),
                    }
                }
                Corpus::Sharded(shards, ..) => shards.article_page(id, state, SIMILAR),
            },
        )
    };
    let completeness = use_article_files(&corpus, &props.id, &fetched.needs);
    crate::timing::use_settled_mark(completeness != Completeness::Fetching);
    let page = fetched.answer.clone();
    let article = page.as_ref().map(|p| &p.article);

    use_effect_with(props.id.clone(), move |_| {
        ROUTES_SEEN.with(|n| n.set(n.get() + 1));
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    {
        // Again when a sharded archive's article arrives after the first render.
        let title = article.as_ref().map(|a| a.title.clone());
        let not_found = ui.t().not_found_title;
        use_effect_with((props.id.clone(), title), move |(_, title)| {
            if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                doc.set_title(&format!(
                    "{} — docbao",
                    title.as_deref().unwrap_or(not_found)
                ));
            }
        });
    }

    // Esc goes back to where the reader came from (the results, usually).
    {
        let state = state.clone();
        use_effect_with(state.clone(), move |_| {
            let listener = web_sys::window()
                .and_then(|w| w.document())
                .map(|document| {
                    EventListener::new(&document, "keydown", move |event| {
                        let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                            return;
                        };
                        if event.key() != "Escape" {
                            return;
                        }
                        let Some(nav) = &navigator else { return };
                        if ROUTES_SEEN.with(Cell::get) > 1 || !state.is_default() {
                            let came_from_app = web_sys::window()
                                .and_then(|w| w.history().ok())
                                .is_some_and(|h| h.length().unwrap_or(0) > 1);
                            if came_from_app && ROUTES_SEEN.with(Cell::get) > 1 {
                                nav.back();
                                return;
                            }
                        }
                        nav.push(&Route::Search, &state.to_pairs());
                    })
                });
            move || drop(listener)
        });
    }

    let t = ui.t();
    match (page, completeness) {
        (Some(page), _) => html! { <ArticleView {page} {state} /> },
        (None, Completeness::Fetching) => html! {
            <p class="archive-status" role="status" data-archive="fetching">{ t.archive_fetching }</p>
        },
        (None, Completeness::Missing | Completeness::TooMany(_)) => html! {
            <>
                <SearchElsewhere state={state.clone()} />
                <p class="archive-status" role="note" data-archive="missing">{ t.article_missing }</p>
            </>
        },
        (None, Completeness::Complete) => html! { <NotFoundPage article=true /> },
    }
}

/// In a sharded archive, fetches the files article `id`'s page `needs` (as its last answer
/// said): its id range, then its chunk, then what its lists need. Always complete for the
/// embedded index.
#[hook]
fn use_article_files(corpus: &Corpus, id: &AttrValue, needs: &[String]) -> Completeness {
    let completeness = use_state_eq(|| {
        if corpus.shards().is_some() {
            Completeness::Fetching
        } else {
            Completeness::Complete
        }
    });
    let budget = use_mut_ref(|| (None::<AttrValue>, Cell::new(MAX_FILES_PER_REQUEST)));
    {
        let completeness = completeness.clone();
        let shards = corpus.shards().cloned();
        let needs = needs.to_vec();
        use_effect_with((id.clone(), corpus.version()), move |(id, _)| {
            let Some(shards) = shards else { return };
            let mut budget = budget.borrow_mut();
            if budget.0.as_ref() != Some(id) {
                *budget = (Some(id.clone()), Cell::new(MAX_FILES_PER_REQUEST));
                shards.forget_failures();
            }
            completeness.set(shards.fetch(needs, &budget.1));
        });
    }
    *completeness
}

#[derive(Properties, PartialEq)]
struct ArticleViewProps {
    page: docbao_engine::ArticlePage,
    state: SearchState,
}

#[function_component]
fn ArticleView(props: &ArticleViewProps) -> Html {
    let corpus = use_corpus();
    let navigator = use_navigator();
    let ui = use_ui();
    let t = ui.t();
    let a = &props.page.article;
    let state = &props.state;
    let context: Context = state.to_pairs();
    let copied = use_state(|| None::<bool>);

    // One prepared query for previous/next and every highlighted passage (again when a
    // sharded archive's index has grown).
    let query = {
        let corpus = corpus.clone();
        use_memo((state.q.clone(), corpus.version()), move |(q, _)| {
            corpus.with_index(|index| index.query(q))
        })
    };
    let (prev, next) = (props.page.previous.clone(), props.page.next.clone());
    let similar = &props.page.similar;
    {
        // The "more like this" rows' matches, after every render (see `pages::search`).
        let similar = similar.clone();
        use_effect(move || show_result_highlights("aside.similar ol.results", &similar));
        use_effect_with((), |_| clear_result_highlights);
    }
    let related = a.related.iter().zip(&props.page.related);

    let text = |p: &str| -> Html {
        if state.is_searching() {
            marked_text(&corpus.with_index(|index| index.highlight_article(&a.id, p, &query)))
        } else {
            html! { p.to_string() }
        }
    };
    let on_copy = {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            let Some(window) = web_sys::window() else {
                return;
            };
            let href = window.location().href().unwrap_or_default();
            let promise = window.navigator().clipboard().write_text(&href);
            wasm_bindgen_futures::spawn_local(async move {
                let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                copied.set(Some(ok));
            });
        })
    };

    let mut meta: Vec<String> = Vec::new();
    meta.extend(a.source.clone());
    meta.extend(
        a.date
            .as_deref()
            .map(|d| format_date(d, ui.lang()).unwrap_or_else(|| d.to_string())),
    );
    meta.extend(a.author.clone());
    meta.push(i18n::reading_time(ui.lang(), reading_minutes(a)));
    // The original, linked only if its URL is http(s): a `javascript:` one stays text.
    let origin = a.url.as_deref().and_then(source_link).map(|link| {
        let text = link.text.to_string();
        let shown = match link.href {
            Some(href) => html! {
                <a href={href.to_string()} rel="noopener noreferrer" target="_blank">{ text }</a>
            },
            None => text.into(),
        };
        html! { <p class="article-origin">{ t.original_article }{ ": " }{ shown }</p> }
    });
    let step = |id: Option<String>, rel: &'static str, label: &'static str| match id {
        Some(id) => html! {
            <Link to={Route::Article { id }} query={context.clone()} classes={classes!(rel)}>
                { label }
            </Link>
        },
        None => html! {},
    };

    html! {
        <>
            <SearchElsewhere state={state.clone()} />
            <nav class="article-nav" aria-label={t.article_navigation}>
                <Link to={Route::Search} query={context.clone()} classes="back">
                    { if state.is_default() { t.back_to_search } else { t.back_to_results } }
                </Link>
                { step(prev, "prev", t.previous_article) }
                { step(next, "next", t.next_article) }
            </nav>
            if query.trimmed() {
                <p class="query-trimmed" role="note">{ t.query_trimmed }</p>
            }
            <article class="article">
                <h1>{ text(&a.title) }</h1>
                <p class="article-meta">{ meta.join(" · ") }</p>
                { for origin }
                if let Some(lead) = &a.lead {
                    <p class="lead">{ text(lead) }</p>
                }
                { for a.body.iter().map(|p| html! { <p>{ text(p) }</p> }) }
                { for a.captions.iter().map(|c| html! {
                    <figure class="caption">
                        <figcaption>
                            { text(&c.text) }
                            if let Some(credit) = &c.credit {
                                <span class="credit">{ format!(" ({}: {credit})", t.photo) }</span>
                            }
                        </figcaption>
                    </figure>
                }) }
            </article>
            <div class="article-actions">
                <button type="button" id="copy-link" onclick={on_copy}>{ t.copy_link }</button>
                <span class="copy-status" role="status" aria-live="polite">
                    { match *copied {
                        Some(true) => t.link_copied,
                        Some(false) => t.link_not_copied,
                        None => "",
                    } }
                </span>
            </div>
            if !a.related.is_empty() {
                <aside class="related" aria-labelledby="related-heading">
                    <h2 id="related-heading">{ t.related_on_page }</h2>
                    <ul>
                        { for related.map(|(teaser, target)| html! {
                            <li>
                                { match target {
                                    Some(id) => html! {
                                        <Link to={Route::Article { id: id.clone() }} classes="related-title">
                                            { &teaser.title }
                                        </Link>
                                    },
                                    None => html! { <p class="related-title">{ &teaser.title }</p> },
                                } }
                                if let Some(s) = &teaser.summary {
                                    <p class="related-summary">{ s }</p>
                                }
                            </li>
                        }) }
                    </ul>
                </aside>
            }
            if !similar.is_empty() {
                <aside class="similar" aria-labelledby="similar-heading">
                    <h2 id="similar-heading">{ t.more_like_this }</h2>
                    { article_list(similar, &Context::new(), navigator.as_ref(), "") }
                </aside>
            }
        </>
    }
}
