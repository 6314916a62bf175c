use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Corpus;
use crate::components::{ArticleList, SearchBox};
use crate::route::{Route, SearchQuery};
use crate::timing;

/// Results shown for one query.
const RESULT_LIMIT: usize = 50;

/// `#/search?q=…`: the search box, the live count and the results.
#[function_component]
pub fn SearchPage() -> Html {
    let Corpus(index) = use_context::<Corpus>().expect("the app provides the corpus");
    let location = use_location();
    let navigator = use_navigator();
    let query = SearchQuery::from_location(location.as_ref()).q;

    let results = {
        let index = index.clone();
        use_memo(query.clone(), move |q| {
            timing::measure(timing::SEARCH_MEASURE, || index.search(q, RESULT_LIMIT))
        })
    };

    // Typing replaces the history entry, so Back leaves the search, not each keystroke.
    let on_query = Callback::from(move |q: String| {
        if let Some(nav) = &navigator {
            let _ = nav.replace_with_query(&Route::Search, &SearchQuery { q });
        }
    });

    let searching = !query.trim().is_empty();
    let count = if searching {
        format!("{} kết quả", results.total)
    } else {
        format!("{} bài báo trong kho", index.len())
    };

    html! {
        <section class="search" aria-label="Tìm kiếm">
            <SearchBox value={query.clone()} {on_query} />
            <p id="result-count" class="result-count" role="status" aria-live="polite">{ count }</p>
            if searching {
                <ArticleList hits={results.hits.clone()} />
            } else {
                <ArticleList hits={index.browse(RESULT_LIMIT)} />
            }
        </section>
    }
}
