//! The app shell: loads the corpus once, holds the display preferences, routes by hash,
//! and owns the keyboard shortcuts that work on every page.

use std::rc::Rc;

use docbao_engine::display::Lang;
use docbao_engine::Index;
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::archive::Shards;
use crate::components::PrefsBar;
use crate::corpus::{self, EmbeddedLayout, ShardedLayout};
use crate::i18n::{self, Texts};
use crate::pages::{ArticlePage, NotFoundPage, SearchPage};
use crate::prefs::Prefs;
use crate::route::Route;
use crate::router::{use_location, use_navigator, Link, Navigator, Router};
use crate::timing;

/// How long one slice of deriving the dictionaries runs before it yields to the page.
const SLICE_MS: f64 = 12.0;
/// Text derived between two looks at the clock: ~1 ms natively, a few in wasm.
const SLICE_TEXT_BYTES: usize = 24 * 1024;

/// Derives the embedded index's dictionaries a slice of about [`SLICE_MS`] at a time,
/// each in a task of its own, so input and frames come between them.
fn derive_in_slices(index: Rc<Index>, late_damage: UseStateHandle<Option<String>>) {
    gloo_timers::callback::Timeout::new(0, move || {
        let started = timing::now();
        let done = timing::measure(timing::DICTIONARIES_SLICE_MEASURE, || loop {
            if index.load_some(SLICE_TEXT_BYTES) {
                break true;
            }
            if timing::now() - started >= SLICE_MS {
                break false;
            }
        });
        if !done {
            return derive_in_slices(index, late_damage);
        }
        // The articles' section's own checksum, and any chunk left unread.
        let finished = index.finish_loading();
        timing::finish_measure(timing::DICTIONARIES_MEASURE);
        if let Err(e) = finished {
            late_damage.set(Some(e.to_string()));
        }
    })
    .forget();
}

/// The loaded corpus, shared with every page through a context: the embedded index, or
/// a sharded archive whose files arrive as pages need them. Each holds its layout, which
/// only a build of that layout can make (`corpus::EmbeddedLayout`): the other variant's
/// code is compiled out.
#[derive(Clone)]
pub enum Corpus {
    Embedded(Rc<Index>, EmbeddedLayout),
    /// The archive, and its version when this value was made: a new file is a new value,
    /// so every page renders again.
    Sharded(Rc<Shards>, u64, ShardedLayout),
}

impl PartialEq for Corpus {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Corpus::Embedded(a, _), Corpus::Embedded(b, _)) => Rc::ptr_eq(a, b),
            (Corpus::Sharded(a, v, _), Corpus::Sharded(b, w, _)) => Rc::ptr_eq(a, b) && v == w,
            _ => false,
        }
    }
}

impl Corpus {
    /// Runs `f` on the index (in a sharded archive: over the files fetched so far).
    pub fn with_index<R>(&self, f: impl FnOnce(&Index) -> R) -> R {
        match self {
            Corpus::Embedded(index, _) => f(index),
            Corpus::Sharded(shards, ..) => shards.with_index(f),
        }
    }

    /// Number of articles in the archive.
    pub fn len(&self) -> usize {
        match self {
            Corpus::Embedded(index, _) => index.len(),
            Corpus::Sharded(shards, ..) => shards.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sharded archive, if this is one.
    pub fn shards(&self) -> Option<&Rc<Shards>> {
        match self {
            Corpus::Embedded(..) => None,
            Corpus::Sharded(shards, ..) => Some(shards),
        }
    }

    /// Changes whenever a file of a sharded archive arrives or fails.
    pub fn version(&self) -> u64 {
        match self {
            Corpus::Embedded(..) => 0,
            Corpus::Sharded(_, version, _) => *version,
        }
    }
}

/// Where the sharded archive's root is at.
enum Opening {
    Fetching,
    Open(Rc<Shards>, ShardedLayout),
    Failed(String),
}

/// The reader's display preferences and the way to change them.
#[derive(Clone, PartialEq)]
pub struct Ui {
    pub prefs: Prefs,
    pub set_prefs: Callback<Prefs>,
}

impl Ui {
    pub fn lang(&self) -> Lang {
        self.prefs.lang
    }

    pub fn t(&self) -> &'static Texts {
        i18n::texts(self.prefs.lang)
    }
}

#[hook]
pub fn use_corpus() -> Corpus {
    use_context::<Corpus>().expect("the app provides the corpus")
}

#[hook]
pub fn use_ui() -> Ui {
    use_context::<Ui>().expect("the app provides the UI preferences")
}

/// The page of the route in the URL: it alone renders again for a new location, not the
/// masthead and footer around it.
#[function_component]
fn RoutePage() -> Html {
    match use_location().map(|l| l.route).unwrap_or_default() {
        Route::Home | Route::Search => html! { <SearchPage /> },
        Route::Article { id } => html! { <ArticlePage {id} /> },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

#[function_component]
pub fn App() -> Html {
    // Embedded: decoded at once, synchronously. Sharded: the root is fetched first.
    let embedded = use_memo((), |_| {
        corpus::EMBEDDED.map(|layout| {
            timing::measure(timing::DECODE_MEASURE, corpus::load)
                .map(|index| Corpus::Embedded(Rc::new(index), layout))
        })
    });
    let opening = use_state(|| Opening::Fetching);
    let rerender = use_force_update();
    {
        let opening = opening.clone();
        use_effect_with((), move |_| {
            if let Some((root, layout)) = corpus::sharded_root() {
                wasm_bindgen_futures::spawn_local(async move {
                    opening.set(match corpus::load_root(root).await {
                        Ok(index) => {
                            let changed = Callback::from(move |()| rerender.force_update());
                            Opening::Open(Shards::new(index, changed), layout)
                        }
                        Err(why) => Opening::Failed(why),
                    });
                });
            }
        });
    }
    let prefs = use_state(Prefs::load);
    use_effect_with(*prefs, |prefs| prefs.save_and_apply());
    // Ready once there is an archive to search (a sharded one's root has arrived).
    let ready = embedded.is_some() || !matches!(*opening, Opening::Fetching);
    // The embedded index's dictionaries are derived from its stored articles (decoding
    // them chunk by chunk) after the first page is shown (it needs no dictionary and 20
    // articles), in slices between frames. A search typed before they are done derives
    // the rest at once: its results wait for them either way, and at once is sooner.
    // Damage found there (or in a chunk the first page read, whose articles showed
    // without text) replaces the app with the broken-archive page naming the section and
    // chunk, as at load.
    let late_damage = use_state(|| None::<String>);
    {
        let (embedded, late_damage) = (embedded.clone(), late_damage.clone());
        use_effect_with(ready, move |ready| {
            if *ready {
                timing::mark(timing::READY_MARK);
                if let Some(Ok(Corpus::Embedded(index, _))) = &*embedded {
                    timing::start_measure(timing::DICTIONARIES_MEASURE);
                    derive_in_slices(index.clone(), late_damage);
                }
            }
        });
    }

    let ui = Ui {
        prefs: *prefs,
        set_prefs: Callback::from(move |p: Prefs| prefs.set(p)),
    };
    let loaded: Result<Corpus, String> = match (&*embedded, &*opening) {
        _ if let Some(why) = &*late_damage => Err(why.clone()),
        (Some(embedded), _) => embedded.as_ref().cloned().map_err(|e| e.to_string()),
        (None, Opening::Open(shards, layout)) => {
            Ok(Corpus::Sharded(shards.clone(), shards.version(), *layout))
        }
        (None, Opening::Failed(why)) => Err(why.clone()),
        (None, Opening::Fetching) => {
            return html! {
                <main class="page">
                    <p class="archive-status" role="status">{ ui.t().opening_archive }</p>
                </main>
            }
        }
    };
    match loaded {
        Ok(corpus) => html! {
            <ContextProvider<Corpus> context={corpus}>
                <ContextProvider<Ui> context={ui}>
                    <crate::components::UpdateBanner />
                    <Router>
                        <Shell />
                    </Router>
                </ContextProvider<Ui>>
            </ContextProvider<Corpus>>
        },
        Err(error) => html! {
            <main class="page">
                <crate::components::UpdateBanner />
                <h1>{ ui.t().broken_corpus }</h1>
                <p>{ error }</p>
            </main>
        },
    }
}

/// True when a key press is meant for a text field, not for a shortcut.
fn typing_in_a_field(event: &KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.has_attribute("contenteditable")
        })
}

/// Focuses the search field, or goes to the search page, whose field takes focus.
fn focus_search(navigator: &Navigator) {
    let field = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("q"))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    match field {
        Some(field) => {
            let _ = field.focus();
        }
        None => navigator.push(&Route::Search, &[]),
    }
}

#[function_component]
fn Shell() -> Html {
    let corpus = use_corpus();
    let ui = use_ui();
    let navigator = use_navigator();

    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                // Not passive: `/` must not also be typed into the field it focuses.
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&document, "keydown", options, move |event| {
                    let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if event.key() == "/"
                        && !typing_in_a_field(event)
                        && !event.ctrl_key()
                        && !event.meta_key()
                    {
                        event.prevent_default();
                        if let Some(nav) = &navigator {
                            focus_search(nav);
                        }
                    }
                })
            });
        move || drop(listener)
    });

    let t = ui.t();
    html! {
        <>
            <header class="masthead">
                <Link to={Route::Home} classes="brand">
                    <span class="brand-name">{ "docbao" }</span>
                    <span class="brand-tagline">{ t.tagline }</span>
                </Link>
                <PrefsBar />
            </header>
            <main class="page" id="main">
                <RoutePage />
            </main>
            <footer class="colophon">
                <p>{ format!("{} · {}", i18n::archive_count(ui.lang(), corpus.len()), t.colophon) }</p>
                <crate::components::OfflineDownload />
            </footer>
        </>
    }
}
