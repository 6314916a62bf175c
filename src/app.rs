//! The app shell: loads the corpus once, provides it to every page, routes by hash.

use std::rc::Rc;

use docbao_engine::Index;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::{ArticlePage, NotFoundPage, SearchPage};
use crate::route::Route;
use crate::{corpus, timing};

/// The loaded corpus, shared with every page through a context.
#[derive(Clone)]
pub struct Corpus(pub Rc<Index>);

impl PartialEq for Corpus {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home | Route::Search => html! { <SearchPage /> },
        Route::Article { id } => html! { <ArticlePage {id} /> },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

#[function_component]
pub fn App() -> Html {
    let loaded = use_memo((), |_| corpus::load().map(|index| Corpus(Rc::new(index))));
    use_effect_with((), |_| timing::mark(timing::READY_MARK));

    match &*loaded {
        Ok(corpus) => html! {
            <ContextProvider<Corpus> context={corpus.clone()}>
                <crate::components::UpdateBanner />
                <HashRouter>
                    <Shell articles={corpus.0.len()} />
                </HashRouter>
            </ContextProvider<Corpus>>
        },
        Err(error) => html! {
            <main class="page">
                <crate::components::UpdateBanner />
                <h1>{ "Không mở được kho báo" }</h1>
                <p>{ format!("Kho báo đi kèm bản dựng này bị lỗi: {error}.") }</p>
            </main>
        },
    }
}

#[derive(Properties, PartialEq)]
struct ShellProps {
    articles: usize,
}

#[function_component]
fn Shell(props: &ShellProps) -> Html {
    html! {
        <>
            <header class="masthead">
                <Link<Route> to={Route::Home} classes="brand">
                    <span class="brand-name">{ "docbao" }</span>
                    <span class="brand-tagline">{ "đọc báo, không cần mạng" }</span>
                </Link<Route>>
            </header>
            <main class="page">
                <Switch<Route> render={switch} />
            </main>
            <footer class="colophon">
                <p>{ format!("{} bài báo trong kho · chạy hoàn toàn trong trình duyệt", props.articles) }</p>
            </footer>
        </>
    }
}
