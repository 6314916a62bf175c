use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SearchBoxProps {
    pub value: AttrValue,
    /// Called with the whole query on every edit.
    pub on_query: Callback<String>,
}

/// The search field, labelled for screen readers; results follow every keystroke.
#[function_component]
pub fn SearchBox(props: &SearchBoxProps) -> Html {
    let oninput = {
        let on_query = props.on_query.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_query.emit(input.value());
        })
    };
    let onsubmit = Callback::from(|e: SubmitEvent| e.prevent_default());
    html! {
        <form class="search-form" role="search" {onsubmit}>
            <label for="q" class="search-label">{ "Tìm kiếm bài báo" }</label>
            <input
                id="q"
                type="search"
                value={props.value.clone()}
                {oninput}
                placeholder="Gõ có dấu hay không dấu: thanh tri, Đinh Tiến Dũng…"
                autocomplete="off"
                spellcheck="false"
                autofocus=true
            />
        </form>
    }
}
