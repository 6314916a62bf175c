use docbao_engine::Article;
use yew::prelude::*;
use yew_router::prelude::*;

use super::NotFoundPage;
use crate::app::Corpus;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct ArticlePageProps {
    pub id: AttrValue,
}

/// `#/a/<id>`: one article, as text.
#[function_component]
pub fn ArticlePage(props: &ArticlePageProps) -> Html {
    let Corpus(index) = use_context::<Corpus>().expect("the app provides the corpus");
    let article = index.article(&props.id).cloned();

    {
        let title = article.as_ref().map(|a| a.title.clone());
        use_effect_with(props.id.clone(), move |_| {
            if let Some(window) = web_sys::window() {
                window.scroll_to_with_x_and_y(0.0, 0.0);
                if let Some(doc) = window.document() {
                    doc.set_title(&match title {
                        Some(t) => format!("{t} — docbao"),
                        None => "Không tìm thấy — docbao".to_string(),
                    });
                }
            }
        });
    }

    match article {
        Some(article) => html! { <ArticleView {article} /> },
        None => html! { <NotFoundPage /> },
    }
}

#[derive(Properties, PartialEq)]
struct ArticleViewProps {
    article: Article,
}

#[function_component]
fn ArticleView(props: &ArticleViewProps) -> Html {
    let a = &props.article;
    let meta: Vec<String> = [&a.source, &a.date, &a.author]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    html! {
        <>
            <nav class="article-nav" aria-label="Điều hướng">
                <Link<Route> to={Route::Search}>{ "← Tìm kiếm" }</Link<Route>>
            </nav>
            <article class="article">
                <h1>{ &a.title }</h1>
                if !meta.is_empty() {
                    <p class="article-meta">{ meta.join(" · ") }</p>
                }
                if let Some(lead) = &a.lead {
                    <p class="lead">{ lead }</p>
                }
                { for a.body.iter().map(|p| html! { <p>{ p }</p> }) }
                { for a.captions.iter().map(|c| html! {
                    <figure class="caption">
                        <figcaption>
                            { &c.text }
                            if let Some(credit) = &c.credit {
                                <span class="credit">{ format!(" Ảnh: {credit}") }</span>
                            }
                        </figcaption>
                    </figure>
                }) }
            </article>
            if !a.related.is_empty() {
                <aside class="related" aria-labelledby="related-heading">
                    <h2 id="related-heading">{ "Tin khác trên trang gốc" }</h2>
                    <ul>
                        { for a.related.iter().map(|t| html! {
                            <li>
                                <p class="related-title">{ &t.title }</p>
                                if let Some(s) = &t.summary {
                                    <p class="related-summary">{ s }</p>
                                }
                            </li>
                        }) }
                    </ul>
                </aside>
            }
        </>
    }
}
