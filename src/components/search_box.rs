use gloo_events::EventListener;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::use_ui;

#[derive(Properties, PartialEq)]
pub struct SearchBoxProps {
    pub value: AttrValue,
    /// Called with the whole query on every finished edit.
    pub on_query: Callback<String>,
    /// Called when the reader presses ArrowDown: move into the results.
    #[prop_or_default]
    pub on_arrow_down: Callback<()>,
}

/// The search field, labelled for screen readers. Results follow every keystroke, but
/// not the half-typed states of a Vietnamese input method: while it composes, the field
/// waits for `compositionend`.
#[function_component]
pub fn SearchBox(props: &SearchBoxProps) -> Html {
    let t = use_ui().t();
    let oninput = {
        let on_query = props.on_query.clone();
        Callback::from(move |e: InputEvent| {
            if e.is_composing() {
                return;
            }
            let input: HtmlInputElement = e.target_unchecked_into();
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
                    on_query.emit(field.value())
                })
            });
            move || drop(listener)
        });
    }
    let onkeydown = {
        let on_arrow_down = props.on_arrow_down.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "ArrowDown" && !e.is_composing() {
                e.prevent_default();
                on_arrow_down.emit(());
            }
        })
    };
    let onsubmit = Callback::from(|e: SubmitEvent| e.prevent_default());
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
                placeholder={t.search_placeholder}
                autocomplete="off"
                spellcheck="false"
                enterkeyhint="search"
                autofocus=true
            />
        </form>
    }
}
