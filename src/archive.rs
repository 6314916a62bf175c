//! A sharded archive in the browser: the root fetched at start-up, then, per search or
//! article, the files the engine's answer says it needs (`ShardedIndex::find`,
//! `ShardedIndex::article_page`), each fetched once, in parallel, and kept in memory. Which files, and what they hold, is the
//! engine's business; this module only fetches bytes and hands them over.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use docbao_engine::shard::{Fetched, Searched, ShardedIndex};
use docbao_engine::{ArticlePage, Index, Request};
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::Callback;

/// Where the archive's files are, relative to the app's page (`dist/archive/`).
pub const ARCHIVE_FOLDER: &str = "archive";

/// The most files one search or article may fetch (counted from its first keystroke's
/// request to its last): past it the page says so instead of downloading half the
/// archive for a query that matches everything.
pub const MAX_FILES_PER_REQUEST: usize = 64;

/// How long files that arrived wait for the rest of their wave before the pages render
/// them anyway (a slow file must not hold back the others' results or snippets). Within
/// it, a wave's files render once, when the last one is in: each render runs the search
/// again, and rendering per file ran it ~16 times per keystroke (measured, vietnews-train).
/// The wave is the files a page waits for: those fetched at a low priority behind them
/// (the rows below the fold) never hold back its render.
const ARRIVALS_WAIT_MS: u32 = 40;

/// Records how long each file takes to be added to the reader (`tests/bench/timeline.mjs`).
const ADD_MEASURE: &str = "docbao:add";

/// How far a page's request has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    /// Everything it needs is in: the page shows exactly what the whole archive would.
    Complete,
    /// Files are on their way.
    Fetching,
    /// Files it needs could not be fetched (offline, or the host failed): the page shows
    /// what the files it has can answer.
    Missing,
    /// It needs this many more files than [`MAX_FILES_PER_REQUEST`] allows.
    TooMany(usize),
}

/// The sharded archive and the files fetched so far.
pub struct Shards {
    index: RefCell<ShardedIndex>,
    /// Files on their way, each with the priority it was asked for at.
    in_flight: RefCell<BTreeMap<String, Priority>>,
    /// Files whose fetch failed, with why, until the next request forgets them.
    failed: RefCell<BTreeMap<String, String>>,
    /// Bumped whenever a file arrives or fails, so the pages render again.
    version: Cell<u64>,
    changed: Callback<()>,
    /// Bumped when the pages are told of the files in; a waiting timer (`ARRIVALS_WAIT_MS`)
    /// that finds it changed has nothing left to tell.
    told: Cell<u64>,
    /// A timer is waiting to tell the pages of files that arrived.
    waiting: Cell<bool>,
}

impl Shards {
    pub fn new(index: ShardedIndex, changed: Callback<()>) -> Shards {
        Shards {
            index: RefCell::new(index),
            in_flight: RefCell::default(),
            failed: RefCell::default(),
            version: Cell::new(0),
            changed,
            told: Cell::new(0),
            waiting: Cell::new(false),
        }
    }

    /// A file arrived or failed: the pages render again once every file on its way is in
    /// (for a file a page waits for, once every such file is in: those fetched at a low
    /// priority behind them do not count), or `ARRIVALS_WAIT_MS` after this arrival,
    /// whichever comes first.
    fn arrived(self: &Rc<Self>, priority: Priority) {
        self.version.set(self.version.get() + 1);
        let wave_in = {
            let in_flight = self.in_flight.borrow();
            in_flight.is_empty()
                || (priority == Priority::Auto && !in_flight.values().any(|p| *p == Priority::Auto))
        };
        if wave_in {
            self.tell();
        } else if !self.waiting.replace(true) {
            let (shards, told) = (self.clone(), self.told.get());
            Timeout::new(ARRIVALS_WAIT_MS, move || {
                if shards.told.get() == told {
                    shards.tell();
                }
            })
            .forget();
        }
    }

    fn tell(&self) {
        self.told.set(self.told.get() + 1);
        self.waiting.set(false);
        self.changed.emit(());
    }

    /// Changes with every file that arrives or fails.
    pub fn version(&self) -> u64 {
        self.version.get()
    }

    /// Number of articles in the archive (from the root).
    pub fn len(&self) -> usize {
        self.index.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every file of the archive but its root.
    pub fn all_files(&self) -> Vec<String> {
        self.index.borrow().all_files()
    }

    /// Bytes of every file of the archive but its root, as the root says.
    pub fn all_files_bytes(&self) -> u64 {
        self.index.borrow().all_files_bytes()
    }

    /// Runs `f` on the index over the files fetched so far.
    pub fn with_index<R>(&self, f: impl FnOnce(&Index) -> R) -> R {
        f(self.index.borrow_mut().index())
    }

    /// A search page's results from the files fetched so far, and the files it still
    /// needs (`ShardedIndex::find_first`): one search per keystroke or arrival. Of the
    /// hits' articles it needs those of the first `shown` only, the rows on screen; its
    /// facets are counted only if `count_facets`.
    pub fn find(
        &self,
        state: &crate::route::SearchState,
        shown: usize,
        count_facets: bool,
    ) -> Fetched<Searched> {
        let request = Request {
            count_facets,
            ..state.request()
        };
        self.index
            .borrow_mut()
            .find_first(&state.q, &request, shown)
    }

    /// Article `id`'s page from the files fetched so far, previous/next within `state`'s
    /// search (when it is one), and the files it still needs (`ShardedIndex::article_page`).
    pub fn article_page(
        &self,
        id: &str,
        state: &crate::route::SearchState,
        similar: usize,
    ) -> Fetched<Option<ArticlePage>> {
        let request = state.request();
        let search = (!state.is_default()).then_some((state.q.as_str(), &request));
        self.index.borrow_mut().article_page(id, search, similar)
    }

    /// A new request (another search or article): files that failed are tried again.
    pub fn forget_failures(&self) {
        self.failed.borrow_mut().clear();
    }

    /// Starts fetching what `needed` names and is neither in nor on its way, within what
    /// is left of the request's `budget`, and says how far the request has got.
    pub fn fetch(self: &Rc<Self>, needed: Vec<String>, budget: &Cell<usize>) -> Completeness {
        if needed.is_empty() {
            return Completeness::Complete;
        }
        // A file asked for behind the page's (a row below the fold) that the page now waits
        // for: its arrival ends the wave as the page's own files do.
        for (name, priority) in self.in_flight.borrow_mut().iter_mut() {
            if needed.contains(name) {
                *priority = Priority::Auto;
            }
        }
        let new: Vec<String> = {
            let in_flight = self.in_flight.borrow();
            let failed = self.failed.borrow();
            needed
                .iter()
                .filter(|n| !in_flight.contains_key(*n) && !failed.contains_key(*n))
                .cloned()
                .collect()
        };
        if new.is_empty() {
            let waiting = needed
                .iter()
                .any(|n| self.in_flight.borrow().contains_key(n));
            return if waiting {
                Completeness::Fetching
            } else {
                Completeness::Missing
            };
        }
        if new.len() > budget.get() {
            return Completeness::TooMany(new.len());
        }
        budget.set(budget.get() - new.len());
        self.start(new, Priority::Auto);
        Completeness::Fetching
    }

    /// Starts fetching, behind everything else on its way, what `later` names and is
    /// neither in nor on its way nor failed, within what is left of `budget` (else
    /// nothing): the articles of rows not rendered yet, so that they are in when the rows
    /// are, without holding back the files of the rows on screen. How far the page's
    /// request has got does not count them (the page waits for no row it does not show).
    pub fn fetch_later(self: &Rc<Self>, later: Vec<String>, budget: &Cell<usize>) {
        let new: Vec<String> = {
            let index = self.index.borrow();
            let (in_flight, failed) = (self.in_flight.borrow(), self.failed.borrow());
            later
                .into_iter()
                .filter(|n| !in_flight.contains_key(n) && !failed.contains_key(n) && !index.has(n))
                .collect()
        };
        if new.is_empty() || new.len() > budget.get() {
            return;
        }
        budget.set(budget.get() - new.len());
        self.start(new, Priority::Low);
    }

    fn start(self: &Rc<Self>, names: Vec<String>, priority: Priority) {
        for name in names {
            self.in_flight.borrow_mut().insert(name.clone(), priority);
            let shards = self.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = shards.fetch_and_add(&name, priority).await;
                // As the page waits for it now (see `fetch`), not as it was sent.
                let waited_for = shards.in_flight.borrow_mut().remove(&name);
                if let Err(why) = outcome {
                    web_sys::console::warn_1(&format!("docbao: {name}: {why}").into());
                    shards.failed.borrow_mut().insert(name, why);
                }
                shards.arrived(waited_for.unwrap_or(priority));
            });
        }
    }
}

/// A fetch's priority among the page's requests (`RequestInit.priority`): Chromium sends
/// its queued requests to a host (6 at a time over HTTP/1.1) in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Priority {
    Auto,
    Low,
}

impl Shards {
    /// Fetches file `name` and adds it to the reader, which refuses it unless its SHA-256
    /// is its name; then hands the checked bytes to the service worker to keep. A refused
    /// copy is fetched once more past the HTTP cache, which may hold a damaged one for
    /// ever (content-named files are served as immutable).
    async fn fetch_and_add(&self, name: &str, priority: Priority) -> Result<(), String> {
        let add = |buffer: &js_sys::ArrayBuffer| {
            let bytes = js_sys::Uint8Array::new(buffer).to_vec();
            crate::timing::measure(ADD_MEASURE, || {
                self.index.borrow_mut().add_shard(name, &bytes)
            })
            .map_err(|e| e.to_string())
        };
        let mut buffer = fetch_buffer(&archive_url(name), false, priority).await?;
        if add(&buffer).is_err() {
            buffer = fetch_buffer(&archive_url(name), true, priority).await?;
            add(&buffer)?;
        }
        keep_offline(name, buffer);
        Ok(())
    }
}

/// `dist/archive/<name>`, relative to the app's page. Where the browser routes archive
/// files past the service worker (`web/service-worker.js`, `addRoutes`), a request for
/// this URL is answered from the worker's archive cache, else by the host, without
/// waking the worker: its scheduling per request was a keystroke's largest cost.
fn archive_url(name: &str) -> String {
    format!("{ARCHIVE_FOLDER}/{name}")
}

/// The archive's file `name` (its root, at start-up), fetched from the app's folder.
pub async fn fetch_file(name: &str) -> Result<Vec<u8>, String> {
    fetch_bytes(&archive_url(name)).await
}

/// The archive's file `name` asked of the service worker to keep (the offline download):
/// the query keeps the request off the static route, so the worker fetches the file,
/// checks it against its name and caches it before answering (a 502 if damaged). Without
/// a worker the host ignores the query.
pub async fn fetch_file_to_keep(name: &str) -> Result<Vec<u8>, String> {
    fetch_bytes(&format!("{}?keep", archive_url(name))).await
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let buffer = fetch_buffer(url, false, Priority::Auto).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Hands the bytes of file `name`, already checked against its name, to the service
/// worker that controls the page, which keeps them for offline reading (and checks them
/// again: it caches nothing unchecked). The buffer is moved, not copied. Without a
/// controller (a first visit), `web/loader.js` lists the file to the worker once it
/// controls the page, and the worker fetches it itself.
fn keep_offline(name: &str, buffer: js_sys::ArrayBuffer) {
    let Some(worker) = web_sys::window().and_then(|w| w.navigator().service_worker().controller())
    else {
        return;
    };
    let message = js_sys::Object::new();
    let file = wasm_bindgen::JsValue::from(archive_url(name));
    let set = |key: &str, value: &wasm_bindgen::JsValue| {
        js_sys::Reflect::set(&message, &key.into(), value).is_ok()
    };
    if set("type", &"keep-archive-file".into()) && set("file", &file) && set("bytes", &buffer) {
        let transfer = js_sys::Array::of1(&buffer);
        if let Err(e) = worker.post_message_with_transferable(&message, &transfer) {
            web_sys::console::warn_1(
                &format!("docbao: {name} not kept offline: {}", describe(&e)).into(),
            );
        }
    }
}

/// The body of `url`, fetched from the app's folder; `reload` bypasses the HTTP cache.
async fn fetch_buffer(
    url: &str,
    reload: bool,
    priority: Priority,
) -> Result<js_sys::ArrayBuffer, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    if reload {
        init.set_cache(web_sys::RequestCache::Reload);
    }
    if priority == Priority::Low {
        // Not in web-sys yet; a browser without priorities ignores the member.
        let _ = js_sys::Reflect::set(&init, &"priority".into(), &"low".into());
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|e| describe(&e))?;
    let response: web_sys::Response = response.dyn_into().map_err(|e| describe(&e))?;
    if !response.ok() {
        return Err(format!("HTTP {} for {url}", response.status()));
    }
    let body = response.array_buffer().map_err(|e| describe(&e))?;
    let buffer = JsFuture::from(body).await.map_err(|e| describe(&e))?;
    buffer.dyn_into().map_err(|e| describe(&e))
}

fn describe(error: &wasm_bindgen::JsValue) -> String {
    error
        .as_string()
        .or_else(|| {
            error
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "network error".to_string())
}
