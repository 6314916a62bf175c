//! The `docbao:search` measure, in headless Chromium (wasm-bindgen-test). A file of its
//! own, so its page holds no other test's app: every search page here is this test's.

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use docbao::pages::SearchPage;
use docbao::route::SearchState;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;
use yew::prelude::*;

mod browser_support;
use browser_support::{eventually, texts_of, WithApp};

wasm_bindgen_test_configure!(run_in_browser);

/// The search page as the app provides it.
#[function_component]
fn SearchPageHarness() -> Html {
    html! { <WithApp><SearchPage /></WithApp> }
}

/// The titles the search page lists for `query`.
fn listed_titles(query: &str) -> Vec<String> {
    let index = docbao::corpus::load().unwrap();
    let state = SearchState::from_query(query);
    let page = index.find(&index.query(&state.q), &state.request());
    page.hits.iter().map(|hit| hit.title.text.clone()).collect()
}

/// The `docbao:search` and `docbao:find` measures recorded since `since` (ms), as
/// `(start, end)`.
fn measures_since(name: &str, since: f64) -> Vec<(f64, f64)> {
    let entries = web_sys::window()
        .unwrap()
        .performance()
        .unwrap()
        .get_entries_by_name_with_entry_type(name, "measure");
    (0..entries.length())
        .map(|i| entries.get(i).unchecked_into::<web_sys::PerformanceEntry>())
        .map(|e| (e.start_time(), e.start_time() + e.duration()))
        .filter(|&(start, _)| start >= since)
        .collect()
}

#[wasm_bindgen_test]
async fn a_keystrokes_search_measure_spans_the_keystroke_to_its_results_on_the_page() {
    use web_sys::js_sys::{Function, Reflect};

    let window = web_sys::window().unwrap();
    let history = window.history().unwrap();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("#/search"))
        .unwrap();
    let document = window.document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<SearchPageHarness>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let browsing = listed_titles("");
    let searching = listed_titles("q=thanh+tri");
    assert_ne!(browsing, searching, "the search changes the list");

    // What the list shows at the moment each `docbao:search` measure ends (is recorded,
    // ending "now"): performance.measure is wrapped, so the list is read exactly then.
    let performance = web_sys::window().unwrap().performance().unwrap();
    let original: Function = Reflect::get(&performance, &"measure".into())
        .unwrap()
        .unchecked_into();
    let at_end = Rc::new(RefCell::new(Vec::<Vec<String>>::new()));
    let wrapper = {
        let (root, at_end, performance) = (root.clone(), at_end.clone(), performance.clone());
        Closure::<dyn FnMut(wasm_bindgen::JsValue, wasm_bindgen::JsValue) -> wasm_bindgen::JsValue>::new(
            move |name, start| {
                if wasm_bindgen::JsValue::as_string(&name).as_deref() == Some("docbao:search") {
                    at_end
                        .borrow_mut()
                        .push(texts_of(&root, "ol.results li .result-title"));
                }
                original.call2(&performance, &name, &start).unwrap()
            },
        )
    };
    Reflect::set(&performance, &"measure".into(), wrapper.as_ref()).unwrap();

    let input: HtmlInputElement = root
        .query_selector("input[type=search]")
        .unwrap()
        .expect("a search field")
        .unchecked_into();
    let typed_at = performance.now();
    input.set_value("thanh tri");
    let typed = web_sys::InputEventInit::new();
    typed.set_bubbles(true);
    input
        .dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &typed).unwrap())
        .unwrap();
    let shown = eventually(|| texts_of(&root, "ol.results li .result-title") == searching).await;
    yew::scheduler::flush().await;
    Reflect::delete_property(&performance, &"measure".into()).unwrap();
    assert!(shown, "the results are shown");

    // The measure ends once the page is rendered: the new list is on the page.
    let at_end = at_end.borrow().clone();
    assert!(!at_end.is_empty(), "the keystroke's search was measured");
    for list in &at_end {
        assert_eq!(
            list, &searching,
            "a measure ended before its results were shown"
        );
    }
    // It starts at the keystroke, before the engine's part, which it contains.
    let searches = measures_since("docbao:search", typed_at);
    let finds = measures_since("docbao:find", typed_at);
    assert!(
        !searches.is_empty() && !finds.is_empty(),
        "{searches:?} {finds:?}"
    );
    let (search, find) = (searches[0], finds[0]);
    assert!(
        search.0 <= find.0 && find.1 <= search.1,
        "docbao:search {search:?} spans docbao:find {find:?}"
    );
}
