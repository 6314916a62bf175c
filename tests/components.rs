//! Components rendered by the real wasm in headless Chromium (wasm-bindgen-test).

#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use std::cell::RefCell;
use std::rc::Rc;

use docbao::app::{App, Ui};
use docbao::components::{ArticleList, FacetPanel, MarkedText, MarkedTextProps, Pager, SearchBox};
use docbao::prefs::Prefs;
use docbao::route::Action;
use docbao_engine::facets::{FacetValue, Facets, Filters, YearCount};
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
    let typed = web_sys::InputEventInit::new();
    typed.set_bubbles(true);
    input
        .dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &typed).unwrap())
        .unwrap();
    // The route changes, then the page renders the results: wait for the count to say so.
    let count_says = |text: &str| count.text_content().is_some_and(|c| c.contains(text));
    for _ in 0..100 {
        if count_says("kết quả") {
            break;
        }
        settle().await;
    }
    assert!(count_says("kết quả"), "the count reports results");

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

/// Records what a component emits, for the test to look at.
#[derive(Clone, PartialEq)]
struct Recorder<T: 'static>(Rc<RefCell<Vec<T>>>);

impl<T: 'static> Default for Recorder<T> {
    fn default() -> Self {
        Recorder(Rc::default())
    }
}

impl<T: 'static> Recorder<T> {
    fn callback(&self) -> Callback<T> {
        let seen = self.0.clone();
        Callback::from(move |value| seen.borrow_mut().push(value))
    }

    fn take(&self) -> Vec<T> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

#[derive(Properties, PartialEq)]
struct WithUiProps {
    children: Html,
}

/// Vietnamese preferences, as the app provides them.
#[function_component]
fn WithUi(props: &WithUiProps) -> Html {
    let ui = Ui {
        prefs: Prefs::default(),
        set_prefs: Callback::noop(),
    };
    html! { <ContextProvider<Ui> context={ui}>{ props.children.clone() }</ContextProvider<Ui>> }
}

#[derive(Properties, PartialEq)]
struct FacetHarnessProps {
    actions: Recorder<Action>,
}

#[function_component]
fn FacetHarness(props: &FacetHarnessProps) -> Html {
    let value = |v: &str, count| FacetValue {
        value: v.into(),
        count,
    };
    let facets = Facets {
        sources: vec![value("Dân trí", 3), value("Đời sống", 1)],
        categories: vec![value("Thời sự", 4)],
        authors: vec![],
        years: vec![YearCount {
            year: 2021,
            count: 4,
            months: vec![(8, 3), (9, 1)],
        }],
        undated: 2,
    };
    let filters = Filters {
        sources: vec!["Đời sống".into()],
        year: Some(2021),
        ..Filters::default()
    };
    html! {
        <WithUi>
            <FacetPanel {facets} {filters} on_action={props.actions.callback()} />
        </WithUi>
    }
}

#[wasm_bindgen_test]
async fn facet_panel_shows_counts_and_pressed_filters_and_emits_toggles() {
    let root = fresh_root();
    let actions = Recorder::default();
    yew::Renderer::<FacetHarness>::with_root_and_props(
        root.clone(),
        FacetHarnessProps {
            actions: actions.clone(),
        },
    )
    .render();
    settle().await;

    let buttons = root
        .query_selector_all("#facet-source button.facet-value")
        .unwrap();
    assert_eq!(buttons.length(), 2);
    let second: Element = buttons.item(1).unwrap().dyn_into_element();
    assert_eq!(
        second.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert_eq!(
        second
            .query_selector(".count")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("1")
    );
    // The chosen year opens its months.
    let months = root
        .query_selector_all("#facet-date .months .facet-name")
        .unwrap();
    assert_eq!(months.length(), 2);
    assert_eq!(
        months.item(0).unwrap().text_content().as_deref(),
        Some("tháng 8/2021")
    );
    assert!(root.text_content().unwrap().contains("2 không rõ ngày"));

    let first: web_sys::HtmlElement = buttons.item(0).unwrap().dyn_into_element();
    first.click();
    let month: web_sys::HtmlElement = root
        .query_selector("#facet-date .months button")
        .unwrap()
        .unwrap()
        .dyn_into_element();
    month.click();
    settle().await;
    assert_eq!(
        actions.take(),
        [
            Action::ToggleSource("Dân trí".into()),
            Action::SetMonth(Some(8))
        ]
    );
}

#[derive(Properties, PartialEq)]
struct BoxHarnessProps {
    queries: Recorder<String>,
}

#[function_component]
fn BoxHarness(props: &BoxHarnessProps) -> Html {
    html! { <WithUi><SearchBox value="" on_query={props.queries.callback()} /></WithUi> }
}

#[wasm_bindgen_test]
async fn search_box_waits_for_the_input_method_to_finish_composing() {
    let root = fresh_root();
    let queries = Recorder::default();
    yew::Renderer::<BoxHarness>::with_root_and_props(
        root.clone(),
        BoxHarnessProps {
            queries: queries.clone(),
        },
    )
    .render();
    settle().await;
    let input: HtmlInputElement = root
        .query_selector("#q")
        .unwrap()
        .unwrap()
        .dyn_into_element();

    let composing = web_sys::InputEventInit::new();
    composing.set_bubbles(true);
    composing.set_is_composing(true);
    input.set_value("thanh tr");
    input
        .dispatch_event(
            &web_sys::InputEvent::new_with_event_init_dict("input", &composing).unwrap(),
        )
        .unwrap();
    settle().await;
    assert!(queries.take().is_empty(), "no search while composing");

    input.set_value("thanh trì");
    input
        .dispatch_event(&web_sys::CompositionEvent::new("compositionend").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(queries.take(), ["thanh trì"]);

    let typed = web_sys::InputEventInit::new();
    typed.set_bubbles(true);
    input.set_value("thanh trì ");
    input
        .dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &typed).unwrap())
        .unwrap();
    settle().await;
    assert_eq!(queries.take(), ["thanh trì "]);
}

#[derive(Properties, PartialEq)]
struct PagerHarnessProps {
    actions: Recorder<Action>,
    page: usize,
}

#[function_component]
fn PagerHarness(props: &PagerHarnessProps) -> Html {
    html! { <WithUi><Pager total={45} page={props.page} on_action={props.actions.callback()} /></WithUi> }
}

#[wasm_bindgen_test]
async fn pager_shows_the_page_and_steps_within_bounds() {
    let root = fresh_root();
    let actions = Recorder::default();
    yew::Renderer::<PagerHarness>::with_root_and_props(
        root.clone(),
        PagerHarnessProps {
            actions: actions.clone(),
            page: 2,
        },
    )
    .render();
    settle().await;
    assert_eq!(
        root.query_selector(".page-of")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Trang 3/3")
    );
    let next: web_sys::HtmlButtonElement = root
        .query_selector("#page-next")
        .unwrap()
        .unwrap()
        .dyn_into_element();
    assert!(next.disabled(), "no page after the last");
    let prev: web_sys::HtmlElement = root
        .query_selector("#page-prev")
        .unwrap()
        .unwrap()
        .dyn_into_element();
    prev.click();
    settle().await;
    assert_eq!(actions.take(), [Action::SetPage(1)]);
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
