use std::cell::{Cell, RefCell};
use std::rc::Rc;

use docbao_engine::display::Lang;
use docbao_engine::facets::Sort;
use docbao_engine::search::{Hit, Query};
use docbao_engine::shard::Fetched;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlSelectElement};
use yew::prelude::*;

use super::row_fill::{rows_filling, RowGeometry, RowText, PROBE_TEXT};
use crate::app::{use_corpus, use_ui, Corpus};
use crate::archive::{Completeness, MAX_FILES_PER_REQUEST};
use crate::components::{
    clear_result_highlights, first_results, result_links, show_result_highlights, FacetPanel,
    Pager, SearchBox,
};
use crate::i18n;
use crate::route::{Action, Route, SearchState};
use crate::router::{use_location, use_navigator, Navigator};
use crate::timing;

/// How long typing must pause before the query is written to the URL. Writing the history
/// entry costs a keystroke more than a millisecond, and nobody bookmarks half a word.
pub const URL_WRITE_DELAY_MS: u32 = 300;

/// Before the page has been laid out once: the least height (CSS px) a result row takes at
/// the smallest text size (75 px at 87.5%), and the least height of the page above the
/// list.
const RESULT_ROW_MIN_PX: f64 = 72.0;
const ABOVE_RESULTS_MIN_PX: f64 = 150.0;

/// The least height of a result row in rem, from `styles/app.css`: `.result`'s padding
/// (2 × 0.9), a one-line title (1.2 × 1.35, and 0.3 below it) and a one-line snippet (the
/// body's 1.6), rounded down; its 1 px rule is added apart. A row is never shorter, so
/// rows of this height from the list's top to the viewport's bottom never leave a gap.
const RESULT_ROW_MIN_REM: f64 = 5.3;

/// How many rows fill a viewport `height` CSS px tall below a list starting `list_top` px
/// down the page, rows being at least `row_min` px tall (at least 4).
pub fn rows_to_fill(height: f64, list_top: f64, row_min: f64) -> usize {
    let rows = ((height - list_top) / row_min).ceil();
    if rows.is_finite() && rows > 4.0 {
        rows as usize
    } else {
        4
    }
}

/// The least height (CSS px) of a result row at a root font size of `rem` px.
pub fn result_row_min_px(rem: f64) -> f64 {
    RESULT_ROW_MIN_REM * rem + 1.0
}

/// The search in the URL at this moment, if the URL is the search page's.
fn search_in_url() -> Option<SearchState> {
    let hash = web_sys::window()?.location().hash().ok()?;
    SearchState::from_search_hash(&hash)
}

/// A search typed into the box and not yet written to the URL.
struct Typed {
    /// The search in the URL it was typed over: once the URL holds another (Back, a
    /// link), what was typed is no longer the page's.
    over: SearchState,
    search: SearchState,
}

/// Writes typed queries to the URL when typing pauses, or at once when the reader does
/// anything else (Enter, leaving the box, a filter, an article, leaving the page).
#[derive(Default)]
struct UrlWriter {
    typed: Option<Typed>,
    /// When the latest key was typed (`performance.now()`, ms).
    typed_at: f64,
    /// A sharded archive's files for the rows shown are on their way.
    answer_pending: bool,
    /// When the rows shown last became complete (`performance.now()`, ms): typing has
    /// paused once the reader has had the answer this long too, so the pause's work (every
    /// row, their articles' files, the history entry) never competes with a keystroke's
    /// own files, or lands on a slow keystroke's answer.
    answered_at: f64,
    /// One timer for a run of keys (setting and clearing one per key cost a keystroke
    /// about 0.1 ms): when it fires before typing has paused long enough, it is set again
    /// for what is left (`arm_url_write`).
    timer: Option<Timeout>,
}

impl UrlWriter {
    /// The search the page shows for the URL's `in_url`.
    fn search(&self, in_url: &SearchState) -> SearchState {
        match &self.typed {
            Some(typed) if typed.over == *in_url => typed.search.clone(),
            _ => in_url.clone(),
        }
    }

    /// Notes whether the rows shown are waiting for files (a sharded archive), each render.
    fn note_answer(&mut self, pending: bool) {
        if self.answer_pending && !pending {
            self.answered_at = now_ms().unwrap_or_default();
        }
        self.answer_pending = pending;
    }

    /// How long typing must still pause before the typed query is written (ms), at `now`:
    /// [`URL_WRITE_DELAY_MS`] after the latest key and after the rows shown were complete.
    fn pause_left(&self, now: f64) -> f64 {
        let delay = f64::from(URL_WRITE_DELAY_MS);
        if self.answer_pending {
            delay
        } else {
            delay - (now - self.typed_at.max(self.answered_at))
        }
    }

    /// Whether the page shows a query typed over the URL's `in_url` and not yet written.
    fn typing(&self, in_url: &SearchState) -> bool {
        self.typed
            .as_ref()
            .is_some_and(|typed| typed.over == *in_url)
    }

    /// The search the page shows now, whatever the latest render bound: a handler can run
    /// before the latest change has been rendered into its part of the page (Yew lets the
    /// browser run between a page's render and its parts'), so an action applies to this.
    fn search_now(&self, fallback: &SearchState) -> SearchState {
        self.search(&search_in_url().unwrap_or_else(|| fallback.clone()))
    }
}

/// `#/search?…`: the search box, the live count, results by page, and the filters.
#[function_component]
pub fn SearchPage() -> Html {
    let corpus = use_corpus();
    let ui = use_ui();
    let t = ui.t();
    let location = use_location();
    let navigator = use_navigator();
    let writer = use_mut_ref(UrlWriter::default);
    let rerender = use_force_update();
    let in_url = SearchState::from_location(location.as_ref());
    let state = writer.borrow().search(&in_url);
    use_url_writes_before_leaving(&writer, navigator.as_ref());
    let viewport = use_viewport(rerender.clone());

    // The query is prepared once per `q` (a filter, an order or a page reuses it). A
    // sharded archive's index grows as files arrive, so it is prepared again then
    // (`version`). `docbao:search` spans the event that asked for the search, this
    // (`docbao:find`), the render and the layout (see `timing`): what a keystroke costs.
    //
    // While a query is typed and not yet written to the URL, only the rows the viewport
    // can show are rendered: the rows below the fold were a quarter of each keystroke's
    // script and layout, for rows nobody sees before the next keystroke. In a sharded
    // archive only their articles' chunks are fetched (about 8 of a page's ~18). The other
    // rows come when typing pauses (the URL write renders the page again), on Enter, when
    // the box loses the focus (Tab, ArrowDown into the list, the browser's find bar), or
    // as soon as the page is scrolled.
    let typing = writer.borrow().typing(&in_url);
    let rows_while_typing =
        (typing && !viewport.scrolled_down.get()).then(|| viewport.rows_to_fill());
    // Nor are the facets counted while typing: the panel holds the counts of the search
    // in the URL until typing pauses (below), and the pause asks again (`typing` changes)
    // with the counts, exact for what it shows. The query is prepared by the typing rules
    // too (`Request::typing`: no corrections that the next key would replace), and again
    // without them at the pause.
    let prepared = use_mut_ref(|| None::<(String, u64, bool, Rc<Query>)>);
    let searched = {
        let corpus = corpus.clone();
        let deps = (state.clone(), corpus.version(), rows_while_typing, typing);
        use_memo(deps, move |(s, version, rows, typing)| {
            timing::search_started();
            timing::measure(timing::FIND_MEASURE, || {
                if let Some(shards) = corpus.shards() {
                    // One search: the page from the files in, and the files to fetch.
                    let Fetched { answer, needs } = shards.find(s, *rows, *typing);
                    // A hit whose article's file is not in yet keeps its place (no id yet).
                    let mut page = answer.page;
                    let facets = Rc::new(std::mem::take(&mut page.facets));
                    return (answer.query.trimmed(), page, facets, needs);
                }
                corpus.with_index(|index| {
                    let mut prepared = prepared.borrow_mut();
                    let query = match prepared.as_ref() {
                        Some((q, v, t, query)) if *q == s.q && v == version && t == typing => {
                            query.clone()
                        }
                        _ => {
                            let query = Rc::new(index.query_as(&s.q, *typing));
                            *prepared = Some((s.q.clone(), *version, *typing, query.clone()));
                            query
                        }
                    };
                    // While a query is typed, the page's rows not rendered are not
                    // asked for either; the pause that renders every row asks again
                    // (`rows` changes), for the whole page.
                    let request = s.request_shown(*rows, *typing);
                    let mut page = index.find(&query, &request);
                    // Shared with the facet panel, which renders again only if they changed.
                    let facets = Rc::new(std::mem::take(&mut page.facets));
                    (query.trimmed(), page, facets, Vec::new())
                })
            })
        })
    };
    // The rows of the whole page, of which the hits may be only the first (while typing).
    let request = state.request();
    let page = &searched.1;
    let page_rows = request.limit.min(page.total.saturating_sub(request.offset));
    let shown = rows_while_typing.unwrap_or(page_rows).min(page.hits.len());
    // Of the rows asked for while typing, those that fill the screen by their text: a row
    // is often two or three times the least height a row can take, so about half of them
    // were below the fold. (Not in a sharded archive, whose rows' text is not known before
    // their chunks come: there the rows asked for are those fetched and shown.)
    let shown = match rows_while_typing {
        Some(_) if corpus.shards().is_none() => viewport.rows_shown(&page.hits[..shown]),
        _ => shown,
    };
    {
        // The rows' matches as ranges over their text, after every render of the page (a
        // keystroke, a sharded archive's file arriving): before the effect below, so a
        // search's measure includes them. Gone with the page. Every render, not only a
        // new search's: a render may replace the rows' text nodes for reasons of its own
        // (a row's text rewritten, the list shown again), and a few dozen ranges cost
        // less than a stale one.
        let searched = searched.clone();
        use_effect(move || show_result_highlights("ol.results", &searched.1.hits[..shown]));
        use_effect_with((), |_| clear_result_highlights);
    }
    {
        // Another text size changes the rows' least height and may move the list: the
        // fixed bounds until the next search lays the page out. (Run before the effect
        // below, which measures a new search.)
        let viewport = viewport.clone();
        use_effect_with(ui.prefs.font_step, move |_| viewport.list.set(None));
    }
    {
        // The list's place is read once the search's layout is forced, for the next
        // keystroke's rows (`Viewport::rows_to_fill`).
        let viewport = viewport.clone();
        use_effect_with(state.clone(), move |_| {
            timing::search_rendered(|| viewport.measure())
        });
    }
    let (trimmed, page, facets) = (searched.0, &searched.1, searched.2.clone());
    let counted = use_mut_ref(|| facets.clone());
    let completeness = use_archive_files(&corpus, &state, &searched.3);
    writer
        .borrow_mut()
        .note_answer(completeness == Completeness::Fetching);
    timing::use_settled_mark(completeness != Completeness::Fetching);

    // Typing keeps one history entry, written when typing pauses (`UrlWriter`), so Back
    // leaves the search rather than undoing keystrokes; a filter, an order or a page is a
    // step Back can undo. The callbacks stay the same from render to render, so the parts
    // given them render again only when what they show changed.
    let dispatch = {
        let (writer, rerender) = (writer.clone(), rerender.clone());
        use_memo(navigator.clone(), move |navigator| {
            let navigator = navigator.clone();
            Callback::from(move |action: Action| {
                let Some(nav) = &navigator else { return };
                timing::search_requested();
                let typing = matches!(action, Action::SetQuery(_));
                let next = writer
                    .borrow()
                    .search_now(&SearchState::default())
                    .apply(action);
                if typing {
                    let over = search_in_url().unwrap_or_default();
                    let mut typed = writer.borrow_mut();
                    typed.typed = Some(Typed { over, search: next });
                    typed.typed_at = now_ms().unwrap_or_default();
                    if typed.timer.is_none() {
                        typed.timer = Some(arm_url_write(
                            URL_WRITE_DELAY_MS,
                            writer.clone(),
                            nav.clone(),
                            rerender.clone(),
                        ));
                    }
                    drop(typed);
                    rerender.force_update();
                } else {
                    // The typed query keeps its entry; the new search is a step after it.
                    let _ = write_typed_now(&writer, nav);
                    nav.push(&Route::Search, &next.to_pairs());
                }
            })
        })
    };
    let dispatch = (*dispatch).clone();
    let on_done_typing = {
        let (writer, rerender) = (writer.clone(), rerender.clone());
        use_memo(navigator.clone(), move |navigator| {
            let navigator = navigator.clone();
            Callback::from(move |()| {
                if let Some(nav) = &navigator {
                    if write_typed_now(&writer, nav) {
                        rerender.force_update();
                    }
                }
            })
        })
    };
    let on_query = use_memo(dispatch.clone(), |dispatch| {
        dispatch.reform(Action::SetQuery)
    });
    let on_sort = dispatch.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        Action::SetSort(match select.value().as_str() {
            "new" => Sort::Newest,
            "old" => Sort::Oldest,
            _ => Sort::Relevance,
        })
    });
    let on_arrow_down = use_memo((), |_| {
        Callback::from(|()| {
            if let Some(first) = result_links().first() {
                let _ = first.focus();
            }
        })
    });

    let count = if state.is_searching() || !state.filters.is_empty() {
        i18n::result_count(ui.lang(), page.total)
    } else {
        i18n::archive_count(ui.lang(), page.total)
    };
    // The facet panel's counts, likewise, are those of the search last written to the URL
    // while a query is typed (the panel says they are not current: `busy`), and the new
    // ones come with the URL write: a panel's worth of counts changed on every key was
    // about half of the objects each keystroke's layout walked. Any other action (a filter,
    // an order, a page) writes the typed query first, so it never acts on stale counts.
    if !writer.borrow().typing(&in_url) {
        *counted.borrow_mut() = facets.clone();
    }
    let panel_facets = counted.borrow().clone();
    let facets_stale = !Rc::ptr_eq(&panel_facets, &facets);
    let sort = state.effective_sort();
    let sort_option = |value: &'static str, option: Sort, label: &'static str| {
        html! { <option {value} selected={sort == option}>{ label }</option> }
    };

    html! {
        <div class="search-page">
            <h1 class="visually-hidden">{ t.search_label }</h1>
            <SearchBox value={state.q.clone()} on_query={(*on_query).clone()}
                on_arrow_down={(*on_arrow_down).clone()} on_done={(*on_done_typing).clone()} />
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
                        { first_results(&page.hits[..shown], page_rows, &state.to_pairs(), navigator.as_ref(), pending_text(completeness, ui.lang())) }
                    }
                    <Pager total={page.total} page={state.page} on_action={dispatch.clone()} />
                </section>
                <FacetPanel facets={panel_facets} busy={facets_stale} filters={state.filters.clone()} on_action={dispatch} />
            </div>
            // How wide the rows' fonts set a line (`Viewport::measure`): laid out once,
            // never seen, never read aloud.
            <div class="row-probe" aria-hidden="true">
                <span class="probe-title">{ PROBE_TEXT }</span>
                <span class="probe-snippet">{ PROBE_TEXT }</span>
            </div>
        </div>
    }
}

/// What the search page knows of the viewport without asking for a layout: whether the
/// page is scrolled down, its height, and where the result list starts and how short a
/// row can be, as the last search's forced layout found them (see [`Viewport::measure`]).
struct Viewport {
    scrolled_down: Cell<bool>,
    height: Cell<f64>,
    /// The list's top (CSS px from the page's top) and a row's least height, once known.
    list: Cell<Option<(f64, f64)>>,
    /// The list's width and the probe's, set in the rows' fonts, once laid out.
    rows: Cell<Option<RowGeometry>>,
}

impl Viewport {
    /// How many rows fill the viewport: from the list's top as last laid out, at the
    /// least height a row can take at the current text size (the list is not scrolled:
    /// scrolled, every row is rendered); before any layout, from fixed bounds.
    fn rows_to_fill(&self) -> usize {
        let (top, row_min) = self
            .list
            .get()
            .unwrap_or((ABOVE_RESULTS_MIN_PX, RESULT_ROW_MIN_PX));
        rows_to_fill(self.height.get(), top, row_min)
    }

    /// How many of `hits`, the rows asked for while typing, reach the viewport's bottom
    /// at the least height their text allows (see `row_fill`); all of them before the
    /// rows' fonts are measured. (The rows' own heights cannot check it when it is made:
    /// a row just inserted is laid out at its placeholder height until the browser's next
    /// frame, `content-visibility: auto`.)
    fn rows_shown(&self, hits: &[Hit]) -> usize {
        let texts = hits.iter().map(|hit| -> RowText {
            (!hit.id.is_empty()).then(|| {
                (
                    hit.title.text.chars().count(),
                    hit.snippet.text.chars().count(),
                )
            })
        });
        let filling = match (self.list.get(), self.rows.get()) {
            (Some((top, _)), Some(geometry)) => {
                rows_filling(self.height.get(), top, &geometry, texts)
            }
            _ => None,
        };
        filling.unwrap_or(hits.len()).min(hits.len())
    }

    /// Reads the result list's top and the root font size. Called only once the search
    /// page's layout is up to date (its measure forces it), so this costs no layout.
    fn measure(&self) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(list) = document
            .query_selector("ol.results")
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<HtmlElement>().ok())
        else {
            return;
        };
        let Some(rem) = document
            .document_element()
            .and_then(|html| font_size_px(&html))
        else {
            return;
        };
        self.list
            .set(Some((page_top(&list), result_row_min_px(rem))));
        let probe_px = |selector: &str| {
            document
                .query_selector(selector)
                .ok()
                .flatten()
                .and_then(|el| el.dyn_into::<HtmlElement>().ok())
                .map(|el| f64::from(el.offset_width()))
        };
        if let (Some(probe_title_px), Some(probe_snippet_px)) =
            (probe_px(".probe-title"), probe_px(".probe-snippet"))
        {
            self.rows.set(Some(RowGeometry {
                rem,
                list_width: f64::from(list.client_width()),
                probe_title_px,
                probe_snippet_px,
            }));
        }
    }
}

/// `element`'s top, CSS px from the page's top (its offsets up the offset parents).
fn page_top(element: &HtmlElement) -> f64 {
    let mut top = 0.0;
    let mut at = Some(element.clone());
    while let Some(el) = at {
        top += f64::from(el.offset_top());
        at = el
            .offset_parent()
            .and_then(|parent| parent.dyn_into::<HtmlElement>().ok());
    }
    top
}

/// `element`'s computed font size in CSS px (`getComputedStyle`, called through
/// `js_sys` for one property).
fn font_size_px(element: &web_sys::Element) -> Option<f64> {
    let window = web_sys::window()?;
    let get_computed_style: js_sys::Function =
        js_sys::Reflect::get(&window, &"getComputedStyle".into())
            .ok()?
            .dyn_into()
            .ok()?;
    let style = get_computed_style.call1(&window, element).ok()?;
    let size = js_sys::Reflect::get(&style, &"fontSize".into())
        .ok()?
        .as_string()?;
    // JavaScript's parseFloat: Rust's would link the standard library's float parsing
    // (~10 kB of the wasm) for this one number.
    Some(js_sys::parse_float(size.strip_suffix("px")?)).filter(|px| *px > 0.0)
}

/// Follows the window's scrolling and size (read in their own events, when the layout is
/// up to date, never in a keystroke's render), rendering the page again when it is
/// scrolled down, so the rows below the fold are there before they come into view.
#[hook]
fn use_viewport(rerender: UseForceUpdateHandle) -> Rc<Viewport> {
    let height = || web_sys::window().and_then(|w| w.inner_height().ok()?.as_f64());
    let viewport = use_memo((), |_| Viewport {
        scrolled_down: Cell::new(false),
        height: Cell::new(height().unwrap_or(0.0)),
        list: Cell::new(None),
        rows: Cell::new(None),
    });
    {
        let viewport = viewport.clone();
        use_effect_with((), move |_| {
            let listeners = web_sys::window().map(|window| {
                let on_scroll = {
                    let (viewport, window) = (viewport.clone(), window.clone());
                    EventListener::new(&window.clone(), "scroll", move |_| {
                        let down = window.scroll_y().is_ok_and(|y| y > 0.0);
                        if viewport.scrolled_down.replace(down) != down && down {
                            rerender.force_update();
                        }
                    })
                };
                let on_resize = EventListener::new(&window, "resize", move |_| {
                    if let Some(h) = height() {
                        viewport.height.set(h);
                        // Another width may wrap the page above the list otherwise: the
                        // fixed bounds until the next search lays it out.
                        viewport.list.set(None);
                        viewport.rows.set(None);
                    }
                });
                (on_scroll, on_resize)
            });
            move || drop(listeners)
        });
    }
    viewport
}

/// The timer that writes the typed query to the URL in `delay` ms, once typing has paused
/// for [`URL_WRITE_DELAY_MS`] (and the rows shown have been complete that long:
/// [`UrlWriter::pause_left`]); a key typed since it was set sets it again for the rest.
fn arm_url_write(
    delay: u32,
    writer: Rc<RefCell<UrlWriter>>,
    navigator: Navigator,
    rerender: UseForceUpdateHandle,
) -> Timeout {
    Timeout::new(delay, move || {
        let delay = f64::from(URL_WRITE_DELAY_MS);
        let left = now_ms().map_or(0.0, |now| writer.borrow().pause_left(now));
        // Replacing the timer drops this one while it runs, which wasm-bindgen defers.
        if left >= 1.0 && writer.borrow().typed.is_some() {
            let again = arm_url_write(
                left.min(delay).ceil() as u32,
                writer.clone(),
                navigator,
                rerender,
            );
            writer.borrow_mut().timer = Some(again);
            return;
        }
        drop(writer.borrow_mut().timer.take());
        if write_typed(&writer, &navigator) {
            rerender.force_update();
        }
    })
}

/// The page's monotonic clock (ms), if it has one.
fn now_ms() -> Option<f64> {
    Some(web_sys::window()?.performance()?.now())
}

/// The timer's write: the typed query into the URL, if it is still the page's. Says
/// whether a query was being typed: typing is over, so the page must render again (all
/// its rows), which writing the URL does, but not a query typed back to the URL's.
fn write_typed(writer: &RefCell<UrlWriter>, navigator: &Navigator) -> bool {
    // Taken out first: writing the URL renders the page, which reads the writer.
    let typed = writer.borrow_mut().typed.take();
    if let Some(typed) = &typed {
        if search_in_url().as_ref() == Some(&typed.over) && typed.search != typed.over {
            navigator.replace(&Route::Search, &typed.search.to_pairs());
        }
    }
    typed.is_some()
}

/// Writes the typed query without waiting for typing to pause.
fn write_typed_now(writer: &RefCell<UrlWriter>, navigator: &Navigator) -> bool {
    let timer = writer.borrow_mut().timer.take();
    drop(timer);
    write_typed(writer, navigator)
}

/// The typed query is written before the page is hidden or closed (a reload, another
/// tab), and its timer stops with the page: a search page left for another route has
/// nothing left to write.
#[hook]
fn use_url_writes_before_leaving(writer: &Rc<RefCell<UrlWriter>>, navigator: Option<&Navigator>) {
    let writer = writer.clone();
    use_effect_with(navigator.cloned(), move |navigator| {
        let listeners = web_sys::window()
            .zip(navigator.clone())
            .map(|(window, nav)| {
                let writer = writer.clone();
                let on_hide = EventListener::new(&window, "pagehide", move |_| {
                    keep_typed_for_reload(&writer.borrow());
                    let _ = write_typed_now(&writer, &nav);
                });
                let on_show =
                    EventListener::new(&window, "pageshow", |_| forget_typed_kept_for_reload());
                (on_hide, on_show)
            });
        if let Some(nav) = navigator {
            restore_typed_after_reload(nav);
        }
        move || {
            drop(listeners);
            *writer.borrow_mut() = UrlWriter::default();
        }
    });
}

/// The session storage key of a query typed and not yet in the URL when the page was left.
const TYPED_ON_LEAVING_KEY: &str = "docbao:typed-on-leaving";

/// A reload starts from the URL the browser chose before `pagehide` ran, so a query typed
/// within [`URL_WRITE_DELAY_MS`] of it would be lost: it is kept in the tab's session
/// storage with the URL it was typed over, for [`restore_typed_after_reload`].
fn keep_typed_for_reload(writer: &UrlWriter) {
    let Some(typed) = &writer.typed else { return };
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(over) = window.location().hash() else {
        return;
    };
    if SearchState::from_search_hash(&over).as_ref() != Some(&typed.over) {
        return;
    }
    let Ok(query) = serde_urlencoded::to_string(typed.search.to_pairs()) else {
        return;
    };
    if let Ok(Some(storage)) = window.session_storage() {
        let _ = storage.set_item(TYPED_ON_LEAVING_KEY, &format!("{over}\n{query}"));
    }
}

/// When this tab next opens the URL a query was typed over (a reload, Back from another
/// site), shows that query (kept by [`keep_typed_for_reload`]); any other start forgets it.
fn restore_typed_after_reload(navigator: &Navigator) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(storage)) = window.session_storage() else {
        return;
    };
    let Ok(Some(kept)) = storage.get_item(TYPED_ON_LEAVING_KEY) else {
        return;
    };
    let _ = storage.remove_item(TYPED_ON_LEAVING_KEY);
    let Some((over, query)) = kept.split_once('\n') else {
        return;
    };
    if window.location().hash().ok().as_deref() == Some(over) {
        navigator.replace(&Route::Search, &SearchState::from_query(query).to_pairs());
    }
}

/// A page shown again from the back/forward cache kept its state (and wrote the typed
/// query to its URL on leaving): nothing kept for a reload is needed.
fn forget_typed_kept_for_reload() {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.session_storage()) {
        let _ = storage.remove_item(TYPED_ON_LEAVING_KEY);
    }
}

/// In a sharded archive, fetches the files this search `needs` (as its last search said),
/// round after round (a file may show what else it needs), within
/// [`MAX_FILES_PER_REQUEST`] per search, and says how far it has got. Only the rows
/// rendered ask for their articles: while a query is typed, those that fill the viewport
/// (the rows below come, with their articles, when typing pauses, on Enter or on
/// scrolling; fetching them for every keystroke was half its files, for rows nobody saw
/// before the next key). Always complete for the embedded index.
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
        // Keyed on what is needed too: the same search asks for more files once every
        // row is shown (typing paused), with no file arriving.
        let deps = (state.clone(), corpus.version(), needs.to_vec());
        use_effect_with(deps, move |(state, _, needs)| {
            let Some(shards) = shards else { return };
            let mut budget = budget.borrow_mut();
            if budget.0.as_ref() != Some(state) {
                *budget = (Some(state.clone()), Cell::new(MAX_FILES_PER_REQUEST));
                shards.forget_failures();
            }
            completeness.set(shards.fetch(needs.clone(), &budget.1));
        });
    }
    {
        // The first page (no query) shows without the archive's directory; the first
        // search needs it: fetched once that page is complete.
        let shards = corpus.shards().cloned();
        use_effect_with(*completeness, move |completeness| {
            if let (Some(shards), Completeness::Complete) = (shards, completeness) {
                shards.fetch_directory();
            }
        });
    }
    *completeness
}

/// What a result whose article's file is not in yet says in its place.
fn pending_text(completeness: Completeness, lang: Lang) -> &'static str {
    let t = i18n::texts(lang);
    match completeness {
        Completeness::Fetching | Completeness::Complete => t.result_fetching,
        Completeness::Missing | Completeness::TooMany(_) => t.result_missing,
    }
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

#[cfg(test)]
mod tests {
    use super::{result_row_min_px, rows_to_fill, ABOVE_RESULTS_MIN_PX, RESULT_ROW_MIN_PX};

    #[test]
    fn rows_to_fill_covers_the_viewport_at_the_smallest_rows() {
        // Before any layout, at 900 px: the list starts at least 150 px down, and rows
        // are at least 72 px.
        let fixed = |h| rows_to_fill(h, ABOVE_RESULTS_MIN_PX, RESULT_ROW_MIN_PX);
        assert_eq!(fixed(900.0), 11);
        assert_eq!(fixed(600.0), 7);
        assert_eq!(fixed(1600.0), 21);
        // No height known (no window) or a tiny one: a few rows all the same.
        assert_eq!(fixed(0.0), 4);
        assert_eq!(fixed(f64::NAN), 4);
        // Laid out: the list 230 px down, rows at least 86 px (16 px text): 8 rows reach
        // 918 px, 7 would stop at 832, short of 900.
        assert_eq!(rows_to_fill(900.0, 230.0, result_row_min_px(16.0)), 8);
        assert!(230.0 + 7.0 * result_row_min_px(16.0) < 900.0);
        // Larger text: taller rows, fewer of them; a list below the fold: the least.
        assert_eq!(rows_to_fill(900.0, 230.0, result_row_min_px(22.4)), 6);
        assert_eq!(rows_to_fill(900.0, 1200.0, result_row_min_px(16.0)), 4);
    }
}
