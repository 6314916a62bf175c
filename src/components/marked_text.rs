use docbao_engine::Marked;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MarkedTextProps {
    pub marked: Marked,
}

/// Text with the engine's matches in `<mark>`. Every run is a text node: article text is
/// never parsed as HTML.
#[function_component]
pub fn MarkedText(props: &MarkedTextProps) -> Html {
    props
        .marked
        .segments()
        .into_iter()
        .map(|(text, marked)| {
            let text = text.to_string();
            if marked {
                html! { <mark>{ text }</mark> }
            } else {
                html! { { text } }
            }
        })
        .collect()
}
