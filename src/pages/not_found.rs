use yew::prelude::*;
use yew_router::prelude::*;

use crate::route::Route;

/// Shown for an unknown route or an article id the corpus does not have.
#[function_component]
pub fn NotFoundPage() -> Html {
    html! {
        <section class="not-found">
            <h1>{ "Không tìm thấy trang này" }</h1>
            <p>{ "Đường dẫn có thể đã cũ hoặc gõ nhầm. " }
                <Link<Route> to={Route::Search}>{ "Quay lại tìm kiếm" }</Link<Route>>
            </p>
        </section>
    }
}
