//! The update banner's side of the contract with `web/loader.js` (the service worker
//! side is tested end to end in tests/e2e/offline.test.mjs), in headless Chromium.

#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use docbao::components::{UpdateBanner, APPLY_UPDATE_EVENT, UPDATE_READY_EVENT};
use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

mod browser_support;
use browser_support::{eventually, fresh_root, mounted};

wasm_bindgen_test_configure!(run_in_browser);

fn reload_button(root: &Element) -> Option<HtmlElement> {
    root.query_selector("button")
        .unwrap()
        .map(|button| button.dyn_into().unwrap())
}

#[wasm_bindgen_test]
async fn shows_when_a_new_build_is_ready_and_its_button_asks_the_loader_to_reload() {
    let window = web_sys::window().unwrap();
    let root = fresh_root();
    yew::Renderer::<UpdateBanner>::with_root(root.clone()).render();
    mounted().await;
    assert!(
        reload_button(&root).is_none(),
        "no banner while the build is current"
    );
    assert_eq!(root.text_content().unwrap(), "");

    window
        .dispatch_event(&web_sys::Event::new(UPDATE_READY_EVENT).unwrap())
        .unwrap();
    assert!(
        eventually(|| reload_button(&root).is_some()).await,
        "a reload button once a new build is ready"
    );
    let button = reload_button(&root).unwrap();
    assert_eq!(button.text_content().unwrap(), "Tải lại");
    assert!(root.text_content().unwrap().contains("Có phiên bản mới"));
    let banner = root.first_element_child().unwrap();
    assert_eq!(banner.get_attribute("role").as_deref(), Some("status"));

    let reload_requests = Rc::new(Cell::new(0));
    let _listener = {
        let reload_requests = reload_requests.clone();
        EventListener::new(&window, APPLY_UPDATE_EVENT, move |_| {
            reload_requests.set(reload_requests.get() + 1)
        })
    };
    // The button fires the event from its click handler: counted by now.
    button.click();
    assert_eq!(
        reload_requests.get(),
        1,
        "one click, one request to the loader"
    );
}

#[wasm_bindgen_test]
async fn shows_at_once_when_mounted_after_the_loader_announced_the_update() {
    let html = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    html.set_attribute("data-docbao-update", "ready").unwrap();
    let root = fresh_root();
    yew::Renderer::<UpdateBanner>::with_root(root.clone()).render();
    // "At once": in the first render, with nothing else to wait for.
    mounted().await;
    let shown = reload_button(&root).is_some();
    html.remove_attribute("data-docbao-update").unwrap();
    assert!(
        shown,
        "the banner reads the loader's mark on <html> when it mounts"
    );
}
