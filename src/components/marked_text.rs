use docbao_engine::Marked;
use yew::prelude::*;

/// Text with the engine's matches in `<mark>`. Every run is a text node: article text is
/// never parsed as HTML.
///
/// A function, not a component: the text is rendered in the same pass as the page around
/// it. Yew can let the browser paint between a component's render and its children's,
/// which would show, for a frame, a new article's byline under the previous title.
pub fn marked_text(marked: &Marked) -> Html {
    marked
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
