//! Components rendered by the real wasm in headless Chromium (wasm-bindgen-test).

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use docbao::app::{App, Ui};
use docbao::components::{
    article_list, first_results, marked_text, Context, FacetPanel, Pager, SearchBox,
};
use docbao::i18n;
use docbao::pages::SearchPage;
use docbao::prefs::Prefs;
use docbao::route::{Action, SearchState};
use docbao::router::{use_location, use_navigator, Router};
use docbao_engine::display::Lang;
use docbao_engine::facets::{FacetValue, Facets, Filters, YearCount};
use docbao_engine::{Hit, Marked};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

mod browser_support;
use browser_support::{eventually, fresh_root, mounted, text_of, texts_of, type_into, WithApp};

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Properties, PartialEq)]
struct MarkedHarnessProps {
    marked: Marked,
}

#[function_component]
fn MarkedHarness(props: &MarkedHarnessProps) -> Html {
    marked_text(&props.marked)
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
    yew::Renderer::<MarkedHarness>::with_root_and_props(
        root.clone(),
        MarkedHarnessProps {
            marked: Marked {
                text: text.clone(),
                marks,
            },
        },
    )
    .render();
    mounted().await;

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

/// Shows one of `texts`; the test switches it through `switch`, as a keystroke does.
#[derive(Properties, PartialEq)]
struct SwitchingMarkedProps {
    texts: Vec<Marked>,
    switch: Rc<RefCell<Option<UseStateSetter<usize>>>>,
}

#[function_component]
fn SwitchingMarked(props: &SwitchingMarkedProps) -> Html {
    let shown = use_state(|| 0);
    *props.switch.borrow_mut() = Some(shown.setter());
    html! { <p>{ marked_text(&props.texts[*shown]) }</p> }
}

fn marked(text: &str, words: &[&str]) -> Marked {
    let marks = words
        .iter()
        .map(|word| {
            let start = text.find(word).unwrap();
            (start, start + word.len())
        })
        .collect();
    Marked {
        text: text.into(),
        marks,
    }
}

#[wasm_bindgen_test]
async fn marked_text_keeps_its_mark_elements_when_the_text_changes() {
    let root = fresh_root();
    let switch = Rc::new(RefCell::new(None));
    // The first text starts and ends plain, the second starts and ends with a match: the
    // next keystroke's snippet often differs so.
    let texts = vec![
        marked("Học sinh giỏi quốc gia", &["sinh", "quốc"]),
        marked("giỏi quốc gia", &["giỏi", "gia"]),
    ];
    yew::Renderer::<SwitchingMarked>::with_root_and_props(
        root.clone(),
        SwitchingMarkedProps {
            texts: texts.clone(),
            switch: switch.clone(),
        },
    )
    .render();
    mounted().await;
    let marks = root.query_selector_all("mark").unwrap();
    assert_eq!(marks.length(), 2);
    for i in 0..marks.length() {
        // Yew leaves alone an attribute it did not set: it tells the old elements apart.
        let mark: Element = marks.item(i).unwrap().dyn_into_element();
        mark.set_attribute("data-before", "").unwrap();
    }

    let set = switch.borrow().clone().unwrap();
    set.set(1);
    mounted().await;
    assert_eq!(root.text_content().unwrap(), "giỏi quốc gia");
    assert_eq!(texts_of(&root, "mark"), ["giỏi", "gia"]);
    assert_eq!(
        root.query_selector_all("mark[data-before]")
            .unwrap()
            .length(),
        2,
        "the <mark> elements are patched in place, not removed and built again"
    );
}

#[derive(Properties, PartialEq)]
struct RoutedListProps {
    hits: Vec<Hit>,
}

#[function_component]
fn ListWithNavigator(props: &RoutedListProps) -> Html {
    let navigator = use_navigator();
    article_list(&props.hits, &Context::new(), navigator.as_ref(), "đang tải")
}

#[function_component]
fn RoutedList(props: &RoutedListProps) -> Html {
    html! { <Router><ListWithNavigator hits={props.hits.clone()} /></Router> }
}

#[wasm_bindgen_test]
async fn article_list_links_every_hit_to_its_article_route_and_keeps_the_place_of_one_not_in_yet() {
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
    // The middle one's article is not in yet (a sharded archive): no id, no title.
    let hits = vec![hit("a1", "Bài một"), hit("", ""), hit("b2", "Bài hai")];
    yew::Renderer::<RoutedList>::with_root_and_props(root.clone(), RoutedListProps { hits })
        .render();
    mounted().await;

    let rows = root.query_selector_all("ol.results > li").unwrap();
    assert_eq!(rows.length(), 3, "a hit not in yet keeps its place");
    let pending: Element = rows.item(1).unwrap().dyn_into_element();
    assert_eq!(pending.class_name(), "pending");
    assert_eq!(pending.text_content().as_deref(), Some("đang tải"));
    assert!(
        pending.query_selector("a").unwrap().is_none(),
        "no link to open"
    );
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

#[derive(Properties, PartialEq)]
struct FirstResultsProps {
    hits: Vec<Hit>,
    shown: usize,
}

#[function_component]
fn FirstResults(props: &FirstResultsProps) -> Html {
    // The page's first `shown` hits, of a list of all of them.
    let shown = &props.hits[..props.shown.min(props.hits.len())];
    first_results(shown, props.hits.len(), &Context::new(), None, "")
}

#[wasm_bindgen_test]
async fn first_results_renders_only_the_rows_asked_for_and_says_the_list_is_partial() {
    let hit = |n: usize| Hit {
        doc: n as u32,
        id: format!("a{n}"),
        score: 1.0,
        title: Marked {
            text: format!("Bài {n}"),
            marks: vec![],
        },
        snippet: Marked {
            text: format!("đoạn {n}"),
            marks: vec![],
        },
    };
    let hits: Vec<Hit> = (1..=20).map(hit).collect();
    let list_of = |root: &Element| root.query_selector("ol.results").unwrap().unwrap();

    let root = fresh_root();
    yew::Renderer::<FirstResults>::with_root_and_props(
        root.clone(),
        FirstResultsProps {
            hits: hits.clone(),
            shown: 7,
        },
    )
    .render();
    mounted().await;
    assert_eq!(
        texts_of(&root, "ol.results > li .result-title"),
        (1..=7).map(|n| format!("Bài {n}")).collect::<Vec<_>>(),
        "the first 7 rows, in order"
    );
    let list = list_of(&root);
    assert_eq!(list.get_attribute("aria-busy").as_deref(), Some("true"));
    assert_eq!(list.get_attribute("data-shown").as_deref(), Some("7/20"));

    // Asked for every row (or more): the whole list, not marked partial.
    let root = fresh_root();
    yew::Renderer::<FirstResults>::with_root_and_props(
        root.clone(),
        FirstResultsProps { hits, shown: 25 },
    )
    .render();
    mounted().await;
    assert_eq!(texts_of(&root, "ol.results > li .result-title").len(), 20);
    let list = list_of(&root);
    assert_eq!(list.get_attribute("aria-busy"), None);
    assert_eq!(list.get_attribute("data-shown"), None);
}

#[wasm_bindgen_test]
async fn the_app_searches_the_embedded_seeds_as_the_user_types() {
    let window = web_sys::window().unwrap();
    start_at("#/search");
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    mounted().await;

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
    type_into(&input, "thanh tri");
    // The page renders the results in later tasks, and writes the query to the URL when
    // typing pauses. Wait for what is asserted: the count reporting results, and the best
    // one listed first; then the URL.
    let count_text = || count.text_content().unwrap_or_default();
    let first_title = || text_of(&root, "ol.results li .result-title").unwrap_or_default();
    let shown =
        eventually(|| count_text().contains("kết quả") && first_title().contains("Thanh Trì"))
            .await;
    assert!(
        shown,
        "the count reports results and the Thanh Trì article comes first; count {:?}, first title {:?}",
        count_text(),
        first_title()
    );
    let written = eventually(|| window.location().hash().unwrap().contains("q=thanh")).await;
    assert!(written, "the query in the URL once typing paused");
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

/// The field `#id`-ed `q` now on the page, if any.
fn search_field(root: &Element) -> Option<HtmlInputElement> {
    root.query_selector("input#q[type=search]")
        .unwrap()
        .map(|el| el.dyn_into_element())
}

#[wasm_bindgen_test]
async fn typing_in_an_articles_search_box_goes_on_to_the_search_page_with_focus_and_caret() {
    let document = web_sys::window().unwrap().document().unwrap();
    start_at("#/a/000_2bd3c5a4fc348b9d?q=thanh");
    let root = fresh_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    mounted().await;

    // The article page has the search box, labelled, in a search landmark, holding the
    // query the article was opened with, and leaves the focus to the reading.
    let article_title = text_of(&root, "article h1").unwrap_or_default();
    assert!(
        article_title.contains("Thanh Trì"),
        "the article: {article_title:?}"
    );
    let field = search_field(&root).expect("a search box on the article page");
    assert_eq!(field.value(), "thanh");
    let label = root
        .query_selector("form[role=search] label[for=q]")
        .unwrap();
    assert!(
        label.is_some(),
        "the box is labelled inside a search landmark"
    );
    let active = document.active_element();
    assert!(
        active.as_ref() != Some(field.unchecked_ref::<Element>()),
        "the article page does not take the focus into its box"
    );

    // While an input method composes, the page stays: nothing is searched yet.
    field.focus().unwrap();
    let composing = web_sys::InputEventInit::new();
    composing.set_bubbles(true);
    composing.set_is_composing(true);
    field.set_value("thanh t");
    field
        .dispatch_event(
            &web_sys::InputEvent::new_with_event_init_dict("input", &composing).unwrap(),
        )
        .unwrap();
    // The box navigates from within the event, if at all: the answer is known now.
    assert!(web_sys::window()
        .unwrap()
        .location()
        .hash()
        .unwrap()
        .starts_with("#/a/"));

    // The reader types " tri" after "thanh", then puts the caret back after "thanh" (as
    // if correcting it): one input event with the caret inside the text.
    field.set_value("thanh tri");
    field.set_selection_range(5, 5).unwrap();
    let typed = web_sys::InputEventInit::new();
    typed.set_bubbles(true);
    field
        .dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &typed).unwrap())
        .unwrap();

    // The search page shows the results for what was typed, and its box (a new field)
    // has the focus and the caret where the reader left it.
    let handed_over = || {
        let hash = web_sys::window().unwrap().location().hash().unwrap();
        let Some(field) = search_field(&root) else {
            return false;
        };
        hash.starts_with("#/search?")
            && search_in_url().q == "thanh tri"
            && text_of(&root, "ol.results li .result-title")
                .is_some_and(|t| t.contains("Thanh Trì"))
            && field.value() == "thanh tri"
            && document.active_element().as_ref() == Some(field.unchecked_ref::<Element>())
            && field.selection_start().unwrap() == Some(5)
            && field.selection_end().unwrap() == Some(5)
    };
    let shown = eventually(handed_over).await;
    let field = search_field(&root);
    assert!(
        shown,
        "the search page for \"thanh tri\" with focus and caret in its box; hash {:?}, first title {:?}, value {:?}, focused {:?}, caret {:?}",
        web_sys::window().unwrap().location().hash(),
        text_of(&root, "ol.results li .result-title"),
        field.as_ref().map(|f| f.value()),
        document.active_element().map(|e| e.id()),
        field.map(|f| (f.selection_start(), f.selection_end())),
    ); // Other tests share this page and its URL: leave no app listening to routes.
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_not_found_page_has_a_search_box_that_goes_to_the_search_page() {
    start_at("#/a/no-such-article?q=covid");
    let root = fresh_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    mounted().await;

    assert!(
        text_of(&root, ".not-found h1").is_some(),
        "the not-found page"
    );
    let field = search_field(&root).expect("a search box on the not-found page");
    assert_eq!(field.value(), "covid");
    type_into(&field, "covid thanh");
    let searched = eventually(|| {
        let hash = web_sys::window().unwrap().location().hash().unwrap();
        hash.starts_with("#/search?")
            && search_in_url().q == "covid thanh"
            && search_field(&root).is_some_and(|f| f.value() == "covid thanh")
    })
    .await;
    assert!(
        searched,
        "the search page for the typed query; hash {:?}",
        web_sys::window().unwrap().location().hash()
    );
    app.destroy();
}

/// With `slow`, re-renders on every route change and takes longer than Yew's 16 ms time
/// slice doing it, as any render can on a loaded machine. Yew then lets the browser run
/// (paint, fire events) after the next render that leaves only its children's updates
/// pending.
#[derive(Properties, PartialEq)]
struct SlowProps {
    slow: bool,
    children: Html,
}

#[function_component]
fn SlowOnEveryRoute(props: &SlowProps) -> Html {
    let _location = use_location();
    if props.slow {
        let performance = web_sys::window().unwrap().performance().unwrap();
        let until = performance.now() + 25.0;
        while performance.now() < until {}
    }
    props.children.clone()
}

#[derive(Properties, PartialEq)]
struct SearchPageHarnessProps {
    slow: bool,
}

/// The search page as the app provides it, inside a parent that may be slow.
#[function_component]
fn SearchPageHarness(props: &SearchPageHarnessProps) -> Html {
    html! {
        <WithApp><SlowOnEveryRoute slow={props.slow}><SearchPage /></SlowOnEveryRoute></WithApp>
    }
}

/// Puts the app on `hash` without the hashchange event that would arrive later.
fn start_at(hash: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(hash))
        .unwrap();
}

/// The search the URL holds now.
fn search_in_url() -> SearchState {
    let hash = web_sys::window().unwrap().location().hash().unwrap();
    SearchState::from_query(hash.split_once('?').map_or("", |(_, query)| query))
}

/// What the search page shows for `query`: its count and its listed titles.
fn rendered_state(query: &str) -> (String, Vec<String>) {
    let index = docbao::corpus::load().unwrap();
    let state = SearchState::from_query(query);
    let page = index.find(&index.query(&state.q), &state.request());
    let count = if state.is_searching() {
        i18n::result_count(Lang::Vi, page.total)
    } else {
        i18n::archive_count(Lang::Vi, page.total)
    };
    (
        count,
        page.hits.iter().map(|hit| hit.title.text.clone()).collect(),
    )
}

#[wasm_bindgen_test]
async fn the_count_and_the_list_change_together_even_when_a_render_outlasts_the_time_slice() {
    start_at("#/search");
    let root = fresh_root();
    yew::Renderer::<SearchPageHarness>::with_root_and_props(
        root.clone(),
        SearchPageHarnessProps { slow: true },
    )
    .render();
    mounted().await;

    // Every state of the page a reader could see: the DOM after each task that changed
    // it (mutation observers report once a task's work is done, before any paint).
    let snapshot = {
        let root = root.clone();
        move || {
            (
                text_of(&root, "#result-count").unwrap_or_default(),
                texts_of(&root, "ol.results li .result-title"),
            )
        }
    };
    let seen = Rc::new(RefCell::new(vec![snapshot()]));
    let record = {
        let seen = seen.clone();
        let snapshot = snapshot.clone();
        Closure::<dyn FnMut()>::new(move || seen.borrow_mut().push(snapshot()))
    };
    let observer = web_sys::MutationObserver::new(record.as_ref().unchecked_ref()).unwrap();
    let options = web_sys::MutationObserverInit::new();
    options.set_subtree(true);
    options.set_child_list(true);
    options.set_character_data(true);
    observer.observe_with_options(&root, &options).unwrap();

    let browsing = rendered_state("");
    let searching = rendered_state("q=thanh+tri");
    assert_ne!(browsing, searching, "the search changes what is shown");
    let input: HtmlInputElement = root
        .query_selector("input[type=search]")
        .unwrap()
        .expect("a search field")
        .dyn_into_element();
    type_into(&input, "thanh tri");
    let done = eventually(|| snapshot() == searching).await;
    observer.disconnect();
    let seen = seen.borrow().clone();
    assert!(done, "the results are shown; states seen: {seen:?}");
    for state in &seen {
        assert!(
            *state == browsing || *state == searching,
            "a count and a list from two different searches: {state:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_filter_clicked_before_the_page_caught_up_keeps_the_query_just_typed() {
    start_at("#/search");
    let root = fresh_root();
    yew::Renderer::<SearchPageHarness>::with_root_and_props(
        root.clone(),
        SearchPageHarnessProps { slow: false },
    )
    .render();
    mounted().await;
    let input: HtmlInputElement = root
        .query_selector("input[type=search]")
        .unwrap()
        .expect("a search field")
        .dyn_into_element();
    let outlet: web_sys::HtmlElement = root
        .query_selector("#facet-source button.facet-value")
        .unwrap()
        .expect("an outlet to filter by")
        .dyn_into_element();
    let outlet_name = text_of(&outlet, ".facet-name").unwrap();

    // Both in one task, so the outlet's button still has the handler rendered for
    // browsing: as when a reader clicks while Yew lets the browser run between renders.
    type_into(&input, "thanh tri");
    outlet.click();
    let state = search_in_url();
    assert_eq!(state.q, "thanh tri", "the query typed is kept");
    assert_eq!(
        state.filters.sources,
        [outlet_name],
        "and the outlet chosen"
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
            <FacetPanel facets={Rc::new(facets)} {filters} on_action={props.actions.callback()} />
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
    mounted().await;

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
    // The buttons call back as they are clicked: nothing to wait for.
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
    // Mounted with its effects run: the compositionend listener is attached.
    mounted().await;
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
    // The field calls back from within the event, if at all: the answer is known now.
    assert!(queries.take().is_empty(), "no search while composing");

    input.set_value("thanh trì");
    input
        .dispatch_event(&web_sys::CompositionEvent::new("compositionend").unwrap())
        .unwrap();
    assert_eq!(queries.take(), ["thanh trì"]);

    type_into(&input, "thanh trì ");
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
    mounted().await;
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

#[wasm_bindgen_test]
async fn a_query_longer_than_the_cap_is_answered_with_a_note_that_it_was_cut() {
    let long = format!("{} thanh", "a".repeat(300));
    start_at(&format!("#/search?q={long}"));
    let root = fresh_root();
    yew::Renderer::<SearchPageHarness>::with_root_and_props(
        root.clone(),
        SearchPageHarnessProps { slow: false },
    )
    .render();
    mounted().await;
    let note = || text_of(&root, ".query-trimmed").unwrap_or_default();
    assert!(
        eventually(|| note() == i18n::VI.query_trimmed).await,
        "the note is shown; it reads {:?}",
        note()
    );

    start_at("#/search?q=thanh");
    let short = fresh_root();
    yew::Renderer::<SearchPageHarness>::with_root_and_props(
        short.clone(),
        SearchPageHarnessProps { slow: false },
    )
    .render();
    mounted().await;
    assert!(short.query_selector(".query-trimmed").unwrap().is_none());
}

/// How many `docbao:article` measures the page holds.
fn article_measures() -> u32 {
    web_sys::window()
        .unwrap()
        .performance()
        .unwrap()
        .get_entries_by_name_with_entry_type("docbao:article", "measure")
        .length()
}

#[wasm_bindgen_test]
async fn each_article_route_entered_records_one_article_measure_once_its_highlights_are_shown() {
    let window = web_sys::window().unwrap();
    let before = article_measures();
    start_at("#/a/003_ee4229f4c9863cbc?q=thanh%20tri");
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    mounted().await;
    assert!(
        eventually(|| article_measures() > before).await,
        "opening an article records docbao:article"
    );
    assert!(
        root.query_selector("article mark").unwrap().is_some(),
        "the measure is taken once the highlights are on the page"
    );
    assert_eq!(article_measures(), before + 1, "one measure for one route");

    // Another article is another route: measured again. (Apps mounted by earlier tests
    // follow the hash too, so only the increase is certain here.)
    window
        .location()
        .set_hash("#/a/000_2bd3c5a4fc348b9d?q=thanh%20tri")
        .unwrap();
    assert!(
        eventually(|| article_measures() > before + 1).await,
        "stepping to another article records docbao:article again"
    );
    mounted().await;
    assert!(root.query_selector("article mark").unwrap().is_some());
}
