//! Components rendered by the real wasm in headless Chromium (wasm-bindgen-test).

#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use docbao::app::App;
use docbao::components::{ArticleList, MarkedText, MarkedTextProps};
use docbao_engine::{Hit, Marked};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;
use yew_router::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_root() -> Element {
    let document = gloo_document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

fn gloo_document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Lets Yew's scheduler render.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

#[wasm_bindgen_test]
async fn marked_text_puts_matches_in_mark_and_never_parses_html() {
    let root = fresh_root();
    let text = "Huyện Thanh Trì <b>không</b> in đậm".to_string();
    let range = |word: &str| {
        let start = text.find(word).unwrap();
        (start, start + word.len())
    };
    let marks = vec![range("Thanh"), range("Trì")];
    yew::Renderer::<MarkedText>::with_root_and_props(
        root.clone(),
        MarkedTextProps {
            marked: Marked {
                text: text.clone(),
                marks,
            },
        },
    )
    .render();
    settle().await;

    assert_eq!(root.text_content().unwrap(), text);
    let marks = root.query_selector_all("mark").unwrap();
    assert_eq!(marks.length(), 2);
    assert_eq!(marks.item(0).unwrap().text_content().unwrap(), "Thanh");
    assert_eq!(marks.item(1).unwrap().text_content().unwrap(), "Trì");
    assert!(
        root.query_selector("b").unwrap().is_none(),
        "article text must not become HTML"
    );
}

#[derive(Properties, PartialEq)]
struct RoutedListProps {
    hits: Vec<Hit>,
}

#[function_component]
fn RoutedList(props: &RoutedListProps) -> Html {
    html! { <HashRouter><ArticleList hits={props.hits.clone()} /></HashRouter> }
}

#[wasm_bindgen_test]
async fn article_list_links_every_hit_to_its_article_route() {
    let root = fresh_root();
    let hit = |id: &str, title: &str| Hit {
        doc: 0,
        id: id.into(),
        score: 1.0,
        title: Marked {
            text: title.into(),
            marks: vec![],
        },
        snippet: Marked {
            text: format!("đoạn trích {id}"),
            marks: vec![],
        },
    };
    let hits = vec![hit("a1", "Bài một"), hit("b2", "Bài hai")];
    yew::Renderer::<RoutedList>::with_root_and_props(root.clone(), RoutedListProps { hits })
        .render();
    settle().await;

    let links = root.query_selector_all("ol.results li a").unwrap();
    assert_eq!(links.length(), 2);
    let first: Element = links.item(0).unwrap().dyn_into_element();
    assert_eq!(first.get_attribute("href").as_deref(), Some("#/a/a1"));
    assert_eq!(
        first
            .query_selector(".result-title")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Bài một")
    );
    assert_eq!(
        first
            .query_selector(".snippet")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("đoạn trích a1")
    );
}

#[wasm_bindgen_test]
async fn the_app_searches_the_embedded_seeds_as_the_user_types() {
    let window = web_sys::window().unwrap();
    window.location().set_hash("#/search").unwrap();
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;

    let count = root
        .query_selector("#result-count")
        .unwrap()
        .expect("a result count");
    assert_eq!(count.get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(count.text_content().as_deref(), Some("2 bài báo trong kho"));

    let input: HtmlInputElement = root
        .query_selector("input[type=search]")
        .unwrap()
        .expect("a search field")
        .dyn_into_element();
    input.set_value("thanh tri");
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    settle().await;

    let title = root
        .query_selector("ol.results li .result-title")
        .unwrap()
        .expect("a result");
    assert!(title.text_content().unwrap().contains("Thanh Trì"));
    assert!(window.location().hash().unwrap().contains("q=thanh"));
    let perf = window.performance().unwrap();
    assert!(
        perf.get_entries_by_name_with_entry_type("docbao:ready", "mark")
            .length()
            >= 1
    );
    assert!(
        perf.get_entries_by_name_with_entry_type("docbao:search", "measure")
            .length()
            >= 1
    );
}

trait DynIntoElement {
    fn dyn_into_element<T: wasm_bindgen::JsCast>(self) -> T;
}

impl DynIntoElement for web_sys::Node {
    fn dyn_into_element<T: wasm_bindgen::JsCast>(self) -> T {
        wasm_bindgen::JsCast::dyn_into::<T>(self).expect("element of the expected type")
    }
}

impl DynIntoElement for Element {
    fn dyn_into_element<T: wasm_bindgen::JsCast>(self) -> T {
        wasm_bindgen::JsCast::dyn_into::<T>(self).expect("element of the expected type")
    }
}
