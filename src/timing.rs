//! User Timing marks, so the app's speed can be measured in a real browser
//! (`scripts/bench-browser` reads them).

use std::cell::Cell;

use yew::prelude::*;

/// Set when the wasm's code starts running (compiled, instantiated), before the index.
pub const START_MARK: &str = "docbao:start";
/// The embedded index's decoding at start-up, between `START_MARK` and `READY_MARK`.
pub const DECODE_MEASURE: &str = "docbao:decode";
/// The embedded index's dictionaries derived from its stored articles, after
/// `READY_MARK`, in slices (unless a search touched them first and finished them inside
/// its own measure): from the first slice's start to the last one's end.
pub const DICTIONARIES_MEASURE: &str = "docbao:decode-dictionaries";
/// One of those slices: none should keep the page from a frame for long.
pub const DICTIONARIES_SLICE_MEASURE: &str = "docbao:derive-slice";
/// Set once the index is loaded and the app can search.
pub const READY_MARK: &str = "docbao:ready";
/// The measure each search records: from the event that asked for it (a keystroke, a
/// filter) to the search page rendered and laid out (see [`search_requested`]).
pub const SEARCH_MEASURE: &str = "docbao:search";
/// The part of each search spent in the engine (preparing the query, `find`): what the
/// native replay measures, so the two compare.
pub const FIND_MEASURE: &str = "docbao:find";
/// Set once, when the first page the reader sees has everything it needs (a sharded
/// archive's files for it included): the loader registers the service worker only then,
/// so its downloads never compete with the first results.
pub const SETTLED_MARK: &str = "docbao:settled";
/// The measure each article page records: from its route being entered to the article,
/// highlights included, rendered.
pub const ARTICLE_MEASURE: &str = "docbao:article";

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

pub fn mark(name: &str) {
    if let Some(p) = performance() {
        // Timing is an aid, never a reason to fail.
        let _ = p.mark(name);
    }
}

thread_local! {
    static SETTLED: Cell<bool> = const { Cell::new(false) };
}

/// Marks [`SETTLED_MARK`] once the calling page is `settled`: complete, or unable to get
/// any further (offline, not found). Only the first page to settle marks it; every page
/// calls this, so a reader's first page, whichever it is, registers the service worker.
#[hook]
pub fn use_settled_mark(settled: bool) {
    use_effect_with(settled, |settled| {
        if *settled && !SETTLED.with(|s| s.replace(true)) {
            mark(SETTLED_MARK);
        }
    });
}

fn start_mark(name: &str) -> String {
    format!("{name}:start")
}

/// Records the measure `name` from its latest start mark to now. No end mark: nothing
/// reads one, and each mark is one more entry and call inside a keystroke's measure.
fn finish(name: &str) {
    if let Some(p) = performance() {
        let _ = p.measure_with_start_mark(name, &start_mark(name));
    }
}

/// Starts the measure `name`, which [`finish_measure`] records.
pub fn start_measure(name: &str) {
    mark(&start_mark(name));
}

/// Records the measure `name` from its latest [`start_measure`].
pub fn finish_measure(name: &str) {
    finish(name);
}

/// The time since navigation, in ms (0 where there is no clock).
pub fn now() -> f64 {
    performance().map_or(0.0, |p| p.now())
}

/// Runs `work` between two marks and records the measure `name`.
pub fn measure<T>(name: &str, work: impl FnOnce() -> T) -> T {
    mark(&start_mark(name));
    let out = work();
    finish(name);
    out
}

thread_local! {
    /// A search was asked for by an event and its measure has started.
    static SEARCH_PENDING: Cell<bool> = const { Cell::new(false) };
}

/// Starts the `docbao:search` measure at the event that asks for a search (a keystroke,
/// before the URL is written), so it spans all the work that event causes.
pub fn search_requested() {
    mark(&start_mark(SEARCH_MEASURE));
    SEARCH_PENDING.with(|pending| pending.set(true));
}

/// Called when the search page computes a new search: one that no event asked for (the
/// first load, a link, Back) starts its measure here.
pub fn search_started() {
    if !SEARCH_PENDING.with(|pending| pending.replace(true)) {
        mark(&start_mark(SEARCH_MEASURE));
    }
}

/// Called from the search page's rendered effect, which Yew runs after its children's:
/// lays the page out (work the browser would do before the next frame anyway, done here
/// so the measure includes it), runs `after_layout` (reads of the laid-out page, which
/// cost no layout now) and records `docbao:search`.
pub fn search_rendered(after_layout: impl FnOnce()) {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        // Reading a layout property makes the browser compute style and layout now.
        let _ = body.offset_height();
    }
    after_layout();
    finish(SEARCH_MEASURE);
    SEARCH_PENDING.with(|pending| pending.set(false));
}

/// Records the measure `name` for each route (URL hash) the calling page is rendered for:
/// from the start of its first render for that route to its rendered effects, which Yew
/// runs after its children's, so the whole page is inside. Call it first in the page.
#[hook]
pub fn use_route_measure(name: &'static str) {
    let route = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    // Every render marks (cheap); the measure is taken only when the route changed, so it
    // spans from the latest mark, that of the render that entered the route.
    mark(&start_mark(name));
    use_effect_with(route, move |_| finish(name));
}
