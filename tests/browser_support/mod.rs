//! What the wasm tests (`tests/*.rs`, run in headless Chromium) share: a fresh root to
//! mount into, waiting for Yew and for a condition, reading and typing into the DOM.
//! Each test file is its own crate and uses only part of it.
#![allow(dead_code)]

use std::time::Duration;

use web_sys::{Element, HtmlInputElement};

/// An empty element appended to the page's body, for one test to mount into.
pub fn fresh_root() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Returns once Yew has run every render and effect it has pending: what a freshly
/// mounted component shows, with its event listeners attached. (Yew renders in queued
/// tasks; this is its own signal that the queue is empty, not a guess at how long.)
pub async fn mounted() {
    yew::scheduler::flush().await;
}

/// How long a condition may take to come true on a loaded 2-core machine.
pub const WAIT_MS: f64 = 30_000.0;

/// Polls `condition` until it holds, giving the browser a turn between tries; false if
/// it never does within `WAIT_MS`. Used after changes that the app renders in later
/// tasks (a route change), so a test waits for exactly what it then asserts.
pub async fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let performance = web_sys::window().unwrap().performance().unwrap();
    let deadline = performance.now() + WAIT_MS;
    while !condition() {
        if performance.now() > deadline {
            return false;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    true
}

pub fn text_of(root: &Element, selector: &str) -> Option<String> {
    root.query_selector(selector).unwrap()?.text_content()
}

pub fn texts_of(root: &Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.text_content())
        .collect()
}

/// Types `text` into a search field as one input event.
pub fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    let typed = web_sys::InputEventInit::new();
    typed.set_bubbles(true);
    input
        .dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &typed).unwrap())
        .unwrap();
}

#[derive(yew::Properties, PartialEq)]
pub struct WithAppProps {
    pub children: yew::Html,
}

/// What the app gives its pages: the embedded corpus and the UI preferences as contexts,
/// and a hash router, around `children`.
#[yew::function_component]
pub fn WithApp(props: &WithAppProps) -> yew::Html {
    use docbao::app::{Corpus, Ui};
    use docbao::router::Router;
    use std::rc::Rc;
    use yew::prelude::*;

    let corpus = use_memo((), |_| {
        // The tests build the seeds, which are embedded.
        let layout = docbao::corpus::EMBEDDED.expect("an embedded build");
        Corpus::Embedded(Rc::new(docbao::corpus::load().unwrap()), layout)
    });
    let ui = Ui {
        prefs: docbao::prefs::Prefs::default(),
        set_prefs: Callback::noop(),
    };
    html! {
        <ContextProvider<Corpus> context={(*corpus).clone()}>
            <ContextProvider<Ui> context={ui}>
                <Router>{ props.children.clone() }</Router>
            </ContextProvider<Ui>>
        </ContextProvider<Corpus>>
    }
}
