use yew::prelude::*;

use crate::app::use_ui;
use crate::components::SearchElsewhere;
use crate::route::{Route, SearchState};
use crate::router::{use_location, Link};
use crate::timing;

#[derive(Properties, PartialEq)]
pub struct NotFoundPageProps {
    /// The route was an article the corpus does not have.
    #[prop_or_default]
    pub article: bool,
}

/// Shown for an unknown route or an article id the corpus does not have: never blank.
#[function_component]
pub fn NotFoundPage(props: &NotFoundPageProps) -> Html {
    let t = use_ui().t();
    let location = use_location();
    let state = SearchState::from_location(location.as_ref());
    // Nothing more to fetch for this page.
    timing::use_settled_mark(true);
    html! {
        <section class="not-found">
            <h1>{ t.not_found_title }</h1>
            <p>{ if props.article { t.article_not_found } else { t.not_found_text } }</p>
            <SearchElsewhere {state} />
            <p><Link to={Route::Search}>{ t.back_to_search }</Link></p>
        </section>
    }
}
