use docbao_engine::display::Lang;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::app::use_ui;
use crate::prefs::{lang_code, Prefs, Theme, FONT_STEPS};

/// Theme, text size and language, remembered on this device.
#[function_component]
pub fn PrefsBar() -> Html {
    let ui = use_ui();
    let t = ui.t();
    let prefs = ui.prefs;

    let set = |f: fn(Prefs) -> Prefs| {
        let set_prefs = ui.set_prefs.clone();
        Callback::from(move |_: MouseEvent| set_prefs.emit(f(prefs)))
    };
    let on_theme = {
        let set_prefs = ui.set_prefs.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(theme) = Theme::from_name(&select.value()) {
                set_prefs.emit(Prefs { theme, ..prefs });
            }
        })
    };
    let other_lang = match prefs.lang {
        Lang::Vi => Lang::En,
        Lang::En => Lang::Vi,
    };
    let on_lang = {
        let set_prefs = ui.set_prefs.clone();
        Callback::from(move |_: MouseEvent| {
            set_prefs.emit(Prefs {
                lang: other_lang,
                ..prefs
            })
        })
    };
    let theme_option = |theme: Theme, label: &'static str| {
        html! { <option value={theme.name()} selected={prefs.theme == theme}>{ label }</option> }
    };

    html! {
        <div class="prefs" role="group" aria-label={t.settings}>
            <label class="pref">
                <span>{ t.theme_label }</span>
                <select id="theme" onchange={on_theme}>
                    { theme_option(Theme::System, t.theme_system) }
                    { theme_option(Theme::Light, t.theme_light) }
                    { theme_option(Theme::Dark, t.theme_dark) }
                </select>
            </label>
            <span class="pref font-size" role="group" aria-label={t.font_label}>
                // The visible "A−" stays part of the accessible name (WCAG 2.5.3).
                <button type="button" id="font-smaller" title={t.font_smaller}
                    disabled={prefs.font_step <= *FONT_STEPS.start()}
                    onclick={set(|p| p.with_font_step(p.font_step - 1))}>
                    { "A−" }<span class="visually-hidden">{ format!(" {}", t.font_smaller) }</span>
                </button>
                <button type="button" id="font-larger" title={t.font_larger}
                    disabled={prefs.font_step >= *FONT_STEPS.end()}
                    onclick={set(|p| p.with_font_step(p.font_step + 1))}>
                    { "A+" }<span class="visually-hidden">{ format!(" {}", t.font_larger) }</span>
                </button>
            </span>
            <button type="button" id="lang-switch" class="pref" lang={lang_code(other_lang)} onclick={on_lang}>
                { t.switch_language }
            </button>
        </div>
    }
}
