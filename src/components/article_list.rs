use docbao_engine::Hit;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::result_text;
use crate::route::{encode_query, Location, Route};
use crate::router::Navigator;

/// The URL query an opened article keeps, so it knows the search it came from.
pub type Context = Vec<(&'static str, String)>;

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

/// The `href` a `Link` writes for an article: `#/a/<id>` then `query`, the list's context
/// already encoded (`?…`, or nothing).
fn article_href(id: &str, query: &str) -> String {
    Route::Article { id: id.to_string() }.href(query)
}

thread_local! {
    /// The article whose row the main button went down on, until the click that follows.
    static PRESSED: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The article of the result link around an event's target, if any: read from its
/// `href` (a `data-id` beside it was one more attribute to set on every row a keystroke).
fn result_id(e: &MouseEvent) -> Option<String> {
    let href = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a.result[href]").ok().flatten())
        .and_then(|link| link.get_attribute("href"))?;
    match Location::from_hash(&href).route {
        Route::Article { id } => Some(id),
        _ => None,
    }
}

/// Notes the row a press starts on. Pressing a result while a query is typed takes the
/// focus from the search box, which writes the query and renders the whole page at once
/// (`pages::search`): the rows can change or move under the pointer before the button is
/// released, and the click then lands on the list itself, not on the row pressed.
fn on_list_mousedown(e: MouseEvent) {
    let pressed = (e.button() == 0).then(|| result_id(&e)).flatten();
    PRESSED.with(|p| *p.borrow_mut() = pressed);
}

/// A click on a result link navigates inside the app as `Link` does (a modified click is
/// left to the browser: a new tab, a new window). One listener on the list, not one per
/// row: a keystroke then builds no closure (and no copy of the context) for every row;
/// the row's article is read from its link (see [`result_id`]).
/// A click that ends off any row opens the row it was pressed on (see [`on_list_mousedown`]),
/// unless the press selected text on its way.
fn on_list_click(navigator: Option<&Navigator>, context: &Context) -> Option<Callback<MouseEvent>> {
    let navigator = navigator?.clone();
    let context = context.clone();
    Some(Callback::from(move |e: MouseEvent| {
        let pressed = PRESSED.with(|p| p.borrow_mut().take());
        if e.meta_key() || e.ctrl_key() || e.shift_key() || e.alt_key() {
            return;
        }
        // A press dragged over text to select it is no click on the row it began on.
        let selecting = || {
            web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|selection| !selection.is_collapsed())
        };
        let Some(id) = result_id(&e).or_else(|| pressed.filter(|_| !selecting())) else {
            return;
        };
        e.prevent_default();
        navigator.push(&Route::Article { id }, &context);
    }))
}

/// Where the browser has no `CSS.highlights`, the `<mark>`s a result's title and snippet
/// always have (see [`super::marked_text_padded`]): more than most have, so a keystroke
/// only changes their text. With it, each is one text node (see [`result_text`]).
const TITLE_MARKS: usize = 3;
const SNIPPET_MARKS: usize = 6;

/// Search results (or browsed articles) as a list of links: title and snippet; each link
/// carries `context`, the search the list shows.
///
/// A function, not a component, so the list is rendered in the same pass as the count
/// above it: Yew can let the browser paint between a component's render and its
/// children's, which would show the count of a new search over the previous list.
///
/// The items are not keyed: a keystroke usually brings other articles, and Yew then
/// patches the links in place (text and `href`), where keyed items would all be removed
/// and built again, the costliest part of a keystroke's render.
///
/// In a sharded archive a hit can be known (its place, its score) before its article's
/// file is in: it has no id yet. It keeps its place in the list as a row of about a
/// result's height that says `pending` (on its way, or not downloaded), so the list does
/// not jump when the file arrives; it is no link, so the arrow keys pass over it.
///
/// The caller shows the matches after every render of the list
/// ([`super::show_result_highlights`] with the same hits, in an effect).
pub fn article_list(
    hits: &[Hit],
    context: &Context,
    navigator: Option<&Navigator>,
    pending: &str,
) -> Html {
    first_results(hits, hits.len(), context, navigator, pending)
}

/// [`article_list`] of only the first rows of a list of `rows`, the hits `shown`: the
/// search page, while a query is being typed, renders (and asks the engine for) only the
/// rows a reader can see (the rest follow when typing pauses, see `pages::search`). The
/// list then says it is incomplete: `aria-busy` (it is being updated) and `data-shown`
/// (how many of how many), which the tests wait on.
pub fn first_results(
    shown: &[Hit],
    rows: usize,
    context: &Context,
    navigator: Option<&Navigator>,
    pending: &str,
) -> Html {
    let partial = shown.len() < rows;
    let busy = partial.then_some("true");
    let shown_of = partial.then(|| format!("{}/{rows}", shown.len()));
    // The context is the same for every row: encoded once.
    let query = encode_query(context);
    html! {
        <ol class="results" aria-busy={busy} data-shown={shown_of}
            onkeydown={Callback::from(on_list_keydown)} onmousedown={Callback::from(on_list_mousedown)}
            onclick={on_list_click(navigator, context)}>
            { for shown.iter().map(|hit| if hit.id.is_empty() {
                html! {
                    <li class="pending">
                        <p class="result pending-note">{ pending.to_string() }</p>
                    </li>
                }
            } else { html! {
                <li>
                    <a class="result" href={article_href(&hit.id, &query)}>
                        <h3 class="result-title">{ result_text(&hit.title, TITLE_MARKS) }</h3>
                        <p class="snippet">{ result_text(&hit.snippet, SNIPPET_MARKS) }</p>
                    </a>
                </li>
            } }) }
        </ol>
    }
}
