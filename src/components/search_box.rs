use std::cell::Cell;

use gloo_events::EventListener;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::use_ui;
use crate::route::{Action, Route, SearchState};
use crate::router::use_navigator;

thread_local! {
    /// The caret (selection start and end) of a search box whose keystroke just left its
    /// page for the search page. The search page's box is a new field, so it takes the
    /// focus and this caret when it mounts: the reader keeps typing without a break.
    static CARET_HANDED_OVER: Cell<Option<(u32, u32)>> = const { Cell::new(None) };
}

/// Records `field`'s caret for the next search box to mount (see `CARET_HANDED_OVER`).
fn hand_over_caret(field: &HtmlInputElement) {
    let start = field.selection_start().ok().flatten();
    let end = field.selection_end().ok().flatten();
    let caret = start.zip(end).unwrap_or_else(|| {
        let at_end = field.value().encode_utf16().count() as u32;
        (at_end, at_end)
    });
    CARET_HANDED_OVER.with(|handed| handed.set(Some(caret)));
}

#[derive(Properties, PartialEq)]
pub struct SearchBoxProps {
    pub value: AttrValue,
    /// Called with the whole query on every finished edit.
    pub on_query: Callback<String>,
    /// Called when the reader presses ArrowDown: move into the results.
    #[prop_or_default]
    pub on_arrow_down: Callback<()>,
    /// Called when the reader is done typing for now: Enter, or the box loses the focus.
    #[prop_or_default]
    pub on_done: Callback<()>,
    /// The box sits on another page than the search page (an article, not found): a
    /// keystroke leaves for the search page, whose box takes over focus and caret. It
    /// does not take focus on its own (the page is for reading), and Esc keeps its
    /// page's meaning (back) rather than clearing the field.
    #[prop_or_default]
    pub leaves_page: bool,
}

/// The search field, labelled for screen readers. Results follow every keystroke, but
/// not the half-typed states of a Vietnamese input method: while it composes, the field
/// waits for `compositionend`.
#[function_component]
pub fn SearchBox(props: &SearchBoxProps) -> Html {
    let t = use_ui().t();
    let leaves_page = props.leaves_page;
    let oninput = {
        let on_query = props.on_query.clone();
        Callback::from(move |e: InputEvent| {
            if e.is_composing() {
                return;
            }
            let input: HtmlInputElement = e.target_unchecked_into();
            if leaves_page {
                hand_over_caret(&input);
            }
            on_query.emit(input.value());
        })
    };
    // Yew has no `oncompositionend` listener: attach one to the field itself.
    let input_ref = use_node_ref();
    {
        let input_ref = input_ref.clone();
        use_effect_with(props.on_query.clone(), move |on_query| {
            let on_query = on_query.clone();
            let listener = input_ref.cast::<HtmlInputElement>().map(|input| {
                let field = input.clone();
                EventListener::new(&input, "compositionend", move |_| {
                    if leaves_page {
                        hand_over_caret(&field);
                    }
                    on_query.emit(field.value())
                })
            });
            move || drop(listener)
        });
    }
    // A box mounted just after another box's keystroke left its page takes over.
    {
        let input_ref = input_ref.clone();
        use_effect_with((), move |_| {
            let handed = CARET_HANDED_OVER.with(Cell::take);
            if let (Some((start, end)), Some(field)) =
                (handed, input_ref.cast::<HtmlInputElement>())
            {
                let _ = field.focus();
                let _ = field.set_selection_range(start, end);
            }
        });
    }
    let onkeydown = {
        let on_arrow_down = props.on_arrow_down.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.is_composing() {
                return;
            }
            match e.key().as_str() {
                "ArrowDown" => {
                    e.prevent_default();
                    on_arrow_down.emit(());
                }
                // A search field clears itself on Esc, which here would be a search for
                // nothing; the page's own Esc (back) still hears the key.
                "Escape" if leaves_page => e.prevent_default(),
                _ => {}
            }
        })
    };
    let onsubmit = {
        let on_done = props.on_done.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_done.emit(());
        })
    };
    let onblur = props.on_done.reform(|_: FocusEvent| ());
    html! {
        <form class="search-form" role="search" {onsubmit}>
            <label for="q" class="search-label">{ t.search_label }</label>
            <input
                id="q"
                type="search"
                value={props.value.clone()}
                {oninput}
                ref={input_ref}
                {onkeydown}
                {onblur}
                placeholder={t.search_placeholder}
                autocomplete="off"
                spellcheck="false"
                enterkeyhint="search"
                autofocus={!leaves_page}
            />
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct SearchElsewhereProps {
    /// The search this page was opened with (`?q=…` and filters), shown in the box and
    /// kept when the reader types.
    pub state: SearchState,
}

/// The search box on a page other than the search page: it starts with the page's
/// query, and the first keystroke opens the search page with the query typed (a new
/// history entry, so Back returns to this page), focus and caret still in the box.
#[function_component]
pub fn SearchElsewhere(props: &SearchElsewhereProps) -> Html {
    let navigator = use_navigator();
    let on_query = {
        let state = props.state.clone();
        Callback::from(move |q: String| {
            let Some(nav) = &navigator else { return };
            crate::timing::search_requested();
            let next = state.clone().apply(Action::SetQuery(q));
            // A key typed before the search page replaced this one (a slow render) must
            // not add a second history entry: Back should return here in one step.
            let searching = web_sys::window()
                .and_then(|w| w.location().hash().ok())
                .is_some_and(|hash| hash.starts_with("#/search"));
            if searching {
                nav.replace(&Route::Search, &next.to_pairs());
            } else {
                nav.push(&Route::Search, &next.to_pairs());
            }
        })
    };
    html! {
        <div class="search-elsewhere">
            <SearchBox value={props.state.q.clone()} {on_query} leaves_page=true />
        </div>
    }
}
