//! The app's hash router: the page's [`Location`] (route and query, read from
//! `location.hash` by `route.rs`) as a context, written by a [`Navigator`] (push: a new
//! history entry; replace: the same one) and read again on Back, Forward and a typed or
//! followed hash (`popstate`). Every write or `popstate` renders the pages that read the
//! location, even when the hash is the same.

use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::route::{encode_query, Location, Route};

/// The location, and how many times it has been read again: each reading is a change
/// for the pages, as each history write or `popstate` is.
#[derive(Clone)]
struct Current {
    location: Location,
    readings: u32,
}

impl PartialEq for Current {
    fn eq(&self, other: &Self) -> bool {
        self.readings == other.readings
    }
}

impl Reducible for Current {
    /// The URL changed: read it again.
    type Action = ();

    fn reduce(self: Rc<Self>, _: ()) -> Rc<Self> {
        Rc::new(Current {
            location: location_now(),
            readings: self.readings.wrapping_add(1),
        })
    }
}

fn hash_now() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

fn location_now() -> Location {
    Location::from_hash(&hash_now())
}

/// Writes the URL hash and tells the router. Cheap to clone; equal from render to render.
#[derive(Clone, PartialEq)]
pub struct Navigator {
    changed: UseReducerDispatcher<Current>,
}

impl Navigator {
    /// Opens `route` with `query` in a new history entry.
    pub fn push(&self, route: &Route, query: &[(&str, String)]) {
        self.write(route, query, false);
    }

    /// Shows `route` with `query` in the current history entry (Back skips the old one).
    pub fn replace(&self, route: &Route, query: &[(&str, String)]) {
        self.write(route, query, true);
    }

    /// The browser's Back; the router follows at its `popstate`.
    pub fn back(&self) {
        if let Some(Ok(history)) = web_sys::window().map(|w| w.history()) {
            let _ = history.back();
        }
    }

    fn write(&self, route: &Route, query: &[(&str, String)], replace: bool) {
        let hash = route.href(&encode_query(query));
        write_hash(&hash, replace);
        self.changed.dispatch(());
    }
}

/// Puts `hash` (`#/…`) in the URL, in a new history entry or the current one. Failing
/// (a browser that refuses the write), the URL stays as it was.
fn write_hash(hash: &str, replace: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let (Ok(history), Ok(href)) = (window.history(), window.location().href()) else {
        return;
    };
    // Absolute, so a `<base>` element would not change where it points.
    let url = format!("{}{hash}", href.split('#').next().unwrap_or_default());
    let _ = if replace {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url))
    };
}

#[derive(Properties, PartialEq)]
pub struct RouterProps {
    pub children: Html,
}

/// Provides the location and the navigator to `children`. A hash that is no path (none,
/// `#`, `#x`) is replaced by `#/` first, as the app's links write the home page.
#[function_component]
pub fn Router(props: &RouterProps) -> Html {
    let current = use_reducer(|| {
        if !hash_now().starts_with("#/") {
            write_hash("#/", true);
        }
        Current {
            location: location_now(),
            readings: 0,
        }
    });
    {
        let changed = current.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, "popstate", move |_| changed.dispatch(()))
            });
            move || drop(listener)
        });
    }
    let navigator = Navigator {
        changed: current.dispatcher(),
    };
    html! {
        <ContextProvider<Navigator> context={navigator}>
            <ContextProvider<Current> context={(*current).clone()}>
                { props.children.clone() }
            </ContextProvider<Current>>
        </ContextProvider<Navigator>>
    }
}

/// The URL's location; the page renders again whenever it is written or changes.
#[hook]
pub fn use_location() -> Option<Location> {
    use_context::<Current>().map(|current| current.location)
}

/// The way to write the URL, inside a [`Router`].
#[hook]
pub fn use_navigator() -> Option<Navigator> {
    use_context::<Navigator>()
}

#[derive(Properties, PartialEq)]
pub struct LinkProps {
    pub to: Route,
    /// The URL query pairs the route opens with.
    #[prop_or_default]
    pub query: Vec<(&'static str, String)>,
    #[prop_or_default]
    pub classes: Classes,
    #[prop_or_default]
    pub children: Html,
}

/// A link to a route: a click opens it in a new history entry without reloading; a
/// modified click (new tab, new window) is left to the browser, which reads the `href`.
#[function_component]
pub fn Link(props: &LinkProps) -> Html {
    let navigator = use_navigator();
    let href = props.to.href(&encode_query(&props.query));
    let onclick = navigator.map(|navigator| {
        let (to, query) = (props.to.clone(), props.query.clone());
        Callback::from(move |e: MouseEvent| {
            if e.meta_key() || e.ctrl_key() || e.shift_key() || e.alt_key() {
                return;
            }
            e.prevent_default();
            navigator.push(&to, &query);
        })
    });
    html! {
        <a class={props.classes.clone()} {href} {onclick}>{ props.children.clone() }</a>
    }
}
