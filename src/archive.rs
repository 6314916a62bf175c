//! A sharded archive in the browser: the root fetched at start-up, then, per search or
//! article, the files the engine's answer says it needs (`ShardedIndex::find`,
//! `ShardedIndex::article_page`), each fetched once, in parallel, and kept in memory. Which files, and what they hold, is the
//! engine's business; this module only fetches bytes and hands them over.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use docbao_engine::shard::{Fetched, Searched, ShardedIndex};
use docbao_engine::{ArticlePage, Index};
use gloo_events::EventListener;
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
const ARRIVALS_WAIT_MS: u32 = 40;

/// How long the archive must be quiet (no file on its way) before the files fetched since
/// are handed to the service worker to keep for offline reading: its checking and caching
/// competed with a keystroke's own files and rendering (on two cores, a keystroke with the
/// worker in control took a third longer than without it, measured on vietnews-train), so
/// it waits for a pause in the reader's requests. Leaving the page hands them over at once.
const KEEP_OFFLINE_AFTER_MS: u32 = 500;

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
    /// Files on their way.
    in_flight: RefCell<BTreeSet<String>>,
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
    /// Files checked against their names and not yet handed to the service worker to keep
    /// (`KEEP_OFFLINE_AFTER_MS`), with their bytes.
    to_keep: RefCell<Vec<(String, js_sys::ArrayBuffer)>>,
    /// Hands `to_keep` over once the archive has been quiet long enough, if set.
    keep_timer: RefCell<Option<Timeout>>,
    /// When the last file on its way arrived (`performance.now()`, ms).
    quiet_since: Cell<f64>,
    /// Hands `to_keep` over when the page is left.
    on_leave: RefCell<Option<EventListener>>,
}

impl Shards {
    pub fn new(index: ShardedIndex, changed: Callback<()>) -> Rc<Shards> {
        let shards = Rc::new(Shards {
            index: RefCell::new(index),
            in_flight: RefCell::default(),
            failed: RefCell::default(),
            version: Cell::new(0),
            changed,
            told: Cell::new(0),
            waiting: Cell::new(false),
            to_keep: RefCell::default(),
            keep_timer: RefCell::default(),
            quiet_since: Cell::new(0.0),
            on_leave: RefCell::default(),
        });
        if let Some(window) = web_sys::window() {
            let weak = Rc::downgrade(&shards);
            let on_leave = EventListener::new(&window, "pagehide", move |_| {
                if let Some(shards) = weak.upgrade() {
                    shards.keep_now();
                }
            });
            *shards.on_leave.borrow_mut() = Some(on_leave);
        }
        shards
    }

    /// A file arrived or failed: the pages render again once every file on its way is in,
    /// or `ARRIVALS_WAIT_MS` after this arrival, whichever comes first.
    fn arrived(self: &Rc<Self>) {
        self.version.set(self.version.get() + 1);
        if self.in_flight.borrow().is_empty() {
            self.keep_when_quiet();
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

    /// Hands the files fetched to the service worker once no file has been on its way for
    /// `KEEP_OFFLINE_AFTER_MS` (called as the last file on its way arrives).
    fn keep_when_quiet(self: &Rc<Self>) {
        self.quiet_since.set(crate::timing::now());
        if !self.to_keep.borrow().is_empty() && self.keep_timer.borrow().is_none() {
            self.arm_keep(KEEP_OFFLINE_AFTER_MS);
        }
    }

    /// One timer for a run of arrivals (a timer is never cleared: one set before a test
    /// installed a fake clock would outlive its dropped callback), set again for what is
    /// left when files arrived since it was set.
    fn arm_keep(self: &Rc<Self>, delay: u32) {
        let shards = self.clone();
        let timer = Timeout::new(delay, move || {
            // This timer, firing: dropped at the end of this callback (wasm-bindgen defers it).
            let _firing = shards.keep_timer.borrow_mut().take();
            if !shards.in_flight.borrow().is_empty() {
                return; // the last of those files to arrive sets it again
            }
            let quiet = crate::timing::now() - shards.quiet_since.get();
            let left = f64::from(KEEP_OFFLINE_AFTER_MS) - quiet;
            if left >= 1.0 {
                shards.arm_keep(left.ceil() as u32);
            } else {
                shards.keep_now();
            }
        });
        *self.keep_timer.borrow_mut() = Some(timer);
    }

    /// Hands every file fetched and not yet kept to the service worker.
    fn keep_now(&self) {
        for (name, buffer) in self.to_keep.take() {
            keep_offline(&name, buffer);
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

    /// Every file of the archive but its root, once the directory is in
    /// ([`Shards::ensure_directory`]); before, only those the root names.
    pub fn all_files(&self) -> Vec<String> {
        self.index.borrow().all_files()
    }

    /// Number of files of the archive but its root, as the root says.
    pub fn all_files_count(&self) -> usize {
        self.index.borrow().all_files_count()
    }

    /// Starts fetching the archive's directory if it is neither in nor on its way: the
    /// first page (the newest articles) shows without it, and a search with words, an
    /// article and the offline download read it. Called once that page is shown, so its
    /// bytes come after the first page's, not before a keystroke that needs them.
    pub fn fetch_directory(self: &Rc<Self>) {
        let Some(name) = self.index.borrow().directory_wanted().map(str::to_string) else {
            return;
        };
        if !self.in_flight.borrow().contains(&name) {
            self.start(vec![name]);
        }
    }

    /// Fetches the archive's directory now if it is not in yet. (Through `fetch_file`, as
    /// the root is, not `fetch_and_add`: a second caller of that one doubled its code.)
    pub async fn ensure_directory(self: &Rc<Self>) -> Result<(), String> {
        let wanted = self.index.borrow().directory_wanted().map(str::to_string);
        if let Some(name) = wanted {
            let bytes = fetch_file(&name).await?;
            let added = self.index.borrow_mut().add_shard(&name, &bytes);
            added.map_err(|e| e.to_string())?;
            self.arrived();
        }
        Ok(())
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
    /// needs (`ShardedIndex::find_first`): one search per keystroke or arrival. It asks
    /// for the first `rows` hits only when given (the rows on screen while a query is
    /// typed: their snippets, and their articles' files); while `typing`, its facets are
    /// not counted and its words prepared by the typing rules (`Request::typing`).
    pub fn find(
        &self,
        state: &crate::route::SearchState,
        rows: Option<usize>,
        typing: bool,
    ) -> Fetched<Searched> {
        let request = state.request_shown(rows, typing);
        self.index
            .borrow_mut()
            .find_first(&state.q, &request, rows.unwrap_or(usize::MAX))
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
        let new: Vec<String> = {
            let in_flight = self.in_flight.borrow();
            let failed = self.failed.borrow();
            needed
                .iter()
                .filter(|n| !in_flight.contains(*n) && !failed.contains_key(*n))
                .cloned()
                .collect()
        };
        if new.is_empty() {
            let waiting = needed.iter().any(|n| self.in_flight.borrow().contains(n));
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
        self.start(new);
        Completeness::Fetching
    }

    fn start(self: &Rc<Self>, names: Vec<String>) {
        for name in names {
            self.in_flight.borrow_mut().insert(name.clone());
            let shards = self.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = shards.fetch_and_add(&name).await;
                shards.in_flight.borrow_mut().remove(&name);
                if let Err(why) = outcome {
                    web_sys::console::warn_1(&format!("docbao: {name}: {why}").into());
                    shards.failed.borrow_mut().insert(name, why);
                }
                shards.arrived();
            });
        }
    }
}

impl Shards {
    /// Fetches file `name` and adds it to the reader, which refuses it unless its SHA-256
    /// is its name (hashed by the browser where it can, [`sha256`]); then queues the
    /// checked bytes for the service worker to keep (`KEEP_OFFLINE_AFTER_MS`). A refused
    /// copy is fetched once more past the HTTP cache, which may hold a damaged one for
    /// ever (content-named files are served as immutable).
    async fn fetch_and_add(&self, name: &str) -> Result<(), String> {
        let add = |buffer: &js_sys::ArrayBuffer, digest: Option<Vec<u8>>| {
            let bytes = js_sys::Uint8Array::new(buffer).to_vec();
            crate::timing::measure(ADD_MEASURE, || {
                let mut index = self.index.borrow_mut();
                match digest {
                    Some(digest) => index.add_shard_digested(name, &digest, &bytes),
                    None => index.add_shard(name, &bytes),
                }
            })
            .map_err(|e| e.to_string())
        };
        let mut buffer = fetch_buffer(&archive_url(name), false).await?;
        if add(&buffer, sha256(&buffer).await).is_err() {
            buffer = fetch_buffer(&archive_url(name), true).await?;
            add(&buffer, sha256(&buffer).await)?;
        }
        self.to_keep.borrow_mut().push((name.to_string(), buffer));
        Ok(())
    }
}

/// The SHA-256 of `buffer`, from the browser's `crypto.subtle`, which hashes off the
/// page's thread (in the wasm, hashing was a quarter of adding a file: 6–7 µs a kB in
/// V8, 1 ms for a 150 kB range, between a keystroke's rounds); `None` where the page
/// has none (only secure contexts do: a host on plain HTTP), and the wasm hashes.
async fn sha256(buffer: &js_sys::ArrayBuffer) -> Option<Vec<u8>> {
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let promise = subtle
        .digest_with_str_and_buffer_source("SHA-256", buffer)
        .ok()?;
    let digest = JsFuture::from(promise).await.ok()?;
    Some(js_sys::Uint8Array::new(&digest).to_vec())
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
    let buffer = fetch_buffer(url, false).await?;
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
async fn fetch_buffer(url: &str, reload: bool) -> Result<js_sys::ArrayBuffer, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    if reload {
        init.set_cache(web_sys::RequestCache::Reload);
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
