use docbao_engine::Hit;
use yew::prelude::*;
use yew_router::prelude::*;

use super::MarkedText;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct ArticleListProps {
    pub hits: Vec<Hit>,
}

/// Search results (or browsed articles) as a list of links: title and snippet.
#[function_component]
pub fn ArticleList(props: &ArticleListProps) -> Html {
    html! {
        <ol class="results">
            { for props.hits.iter().map(|hit| html! {
                <li key={hit.id.clone()}>
                    <Link<Route> to={Route::Article { id: hit.id.clone() }} classes="result">
                        <h2 class="result-title"><MarkedText marked={hit.title.clone()} /></h2>
                        <p class="snippet"><MarkedText marked={hit.snippet.clone()} /></p>
                    </Link<Route>>
                </li>
            }) }
        </ol>
    }
}
