use docbao_engine::Hit;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_router::prelude::*;

use super::MarkedText;
use crate::route::Route;

/// The URL query an opened article keeps, so it knows the search it came from.
pub type Context = Vec<(&'static str, String)>;

#[derive(Properties, PartialEq)]
pub struct ArticleListProps {
    pub hits: Vec<Hit>,
    /// The search the list shows, carried into each article link.
    #[prop_or_default]
    pub context: Context,
}

/// The focusable result links, in order.
pub fn result_links() -> Vec<web_sys::HtmlElement> {
    let Some(list) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all("ol.results > li > a").ok())
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// ArrowUp/ArrowDown move between results (ArrowUp from the first returns to the search
/// field); Enter opens the focused one, as on any link.
fn on_list_keydown(e: KeyboardEvent) {
    let step: i32 = match e.key().as_str() {
        "ArrowDown" => 1,
        "ArrowUp" => -1,
        _ => return,
    };
    let links = result_links();
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let Some(at) = active.and_then(|a| links.iter().position(|l| **l == a)) else {
        return;
    };
    e.prevent_default();
    let target = at as i32 + step;
    if target < 0 {
        if let Some(field) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("q"))
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = field.focus();
        }
    } else if let Some(link) = links.get(target as usize) {
        let _ = link.focus();
    }
}

/// Search results (or browsed articles) as a list of links: title and snippet.
#[function_component]
pub fn ArticleList(props: &ArticleListProps) -> Html {
    html! {
        <ol class="results" onkeydown={Callback::from(on_list_keydown)}>
            { for props.hits.iter().map(|hit| html! {
                <li key={hit.id.clone()}>
                    <Link<Route, Context> to={Route::Article { id: hit.id.clone() }}
                        query={Some(props.context.clone())} classes="result">
                        <h3 class="result-title"><MarkedText marked={hit.title.clone()} /></h3>
                        <p class="snippet"><MarkedText marked={hit.snippet.clone()} /></p>
                    </Link<Route, Context>>
                </li>
            }) }
        </ol>
    }
}
