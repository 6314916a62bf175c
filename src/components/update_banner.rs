//! Offers to reload when a new build of the app is ready offline.
//!
//! The service worker side lives in `web/loader.js`: when a new build has installed its
//! worker and cache, the loader marks `<html data-docbao-update="ready">` and fires
//! `docbao:update-ready` on `window`; the reload button fires `docbao:apply-update`, and
//! the loader then activates the new worker and reloads every open page. Nothing
//! changes until the reader asks, so a page never runs files of two builds.

use gloo_events::EventListener;
use yew::prelude::*;

/// Fired on `window` by the loader when a new build waits; must match `web/loader.js`.
pub const UPDATE_READY_EVENT: &str = "docbao:update-ready";
/// Fired on `window` by the banner's button; must match `web/loader.js`.
pub const APPLY_UPDATE_EVENT: &str = "docbao:apply-update";
/// Set on `<html>` by the loader, for a banner mounted after the event fired.
const UPDATE_READY_ATTRIBUTE: &str = "data-docbao-update";

fn update_already_waiting() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
        .and_then(|html| html.get_attribute(UPDATE_READY_ATTRIBUTE))
        .is_some_and(|value| value == "ready")
}

/// "Có phiên bản mới — Tải lại": shown only once a new build is ready.
#[function_component]
pub fn UpdateBanner() -> Html {
    let update_waiting = use_state(update_already_waiting);
    {
        let update_waiting = update_waiting.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, UPDATE_READY_EVENT, move |_| {
                    update_waiting.set(true)
                })
            });
            move || drop(listener)
        });
    }
    if !*update_waiting {
        return Html::default();
    }
    let reload = Callback::from(|_: MouseEvent| {
        if let (Some(window), Ok(event)) =
            (web_sys::window(), web_sys::Event::new(APPLY_UPDATE_EVENT))
        {
            // The loader answers by reloading the page; nothing to do here if it cannot.
            let _ = window.dispatch_event(&event);
        }
    });
    html! {
        <aside class="update-banner" role="status" aria-label="Cập nhật">
            <p class="update-banner-text">{ "Có phiên bản mới" }</p>
            <button type="button" class="update-banner-button" onclick={reload}>{ "Tải lại" }</button>
        </aside>
    }
}
