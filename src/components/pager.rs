use yew::prelude::*;

use crate::app::use_ui;
use crate::i18n;
use crate::route::{Action, PAGE_SIZE};

#[derive(Properties, PartialEq)]
pub struct PagerProps {
    pub total: usize,
    /// 0-based.
    pub page: usize,
    pub on_action: Callback<Action>,
}

/// Previous/next page of results; a large archive is never rendered at once.
#[function_component]
pub fn Pager(props: &PagerProps) -> Html {
    let ui = use_ui();
    let t = ui.t();
    let pages = props.total.div_ceil(PAGE_SIZE).max(1);
    if pages <= 1 {
        return html! {};
    }
    let page = props.page.min(pages - 1);
    let go = |to: usize| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(Action::SetPage(to)))
    };
    html! {
        <nav class="pager" aria-label={t.pagination}>
            <button type="button" id="page-prev" disabled={page == 0} onclick={go(page.saturating_sub(1))}>
                { t.previous_page }
            </button>
            <span class="page-of" aria-current="page">{ i18n::page_of(ui.lang(), page + 1, pages) }</span>
            <button type="button" id="page-next" disabled={page + 1 >= pages} onclick={go(page + 1)}>
                { t.next_page }
            </button>
        </nav>
    }
}
