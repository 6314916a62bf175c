//! "Tải toàn bộ để đọc offline": in a sharded archive, says what the whole archive weighs
//! (from its root), downloads every file of it so the service worker keeps them all, then
//! asks the browser to keep that storage and tells the worker (through `web/loader.js`)
//! that the reader keeps the whole archive, so the next build's worker keeps it whole.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::app::{use_corpus, use_ui};
use crate::archive::{fetch_file_to_keep, Shards};
use crate::i18n;

/// Files downloaded at the same time.
const PARALLEL: usize = 4;
/// Fired on `window` once every file was downloaded; must match `web/loader.js`.
pub const ARCHIVE_DOWNLOADED_EVENT: &str = "docbao:archive-downloaded";

/// How far the download has got.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Download {
    pub total: usize,
    pub done: usize,
    pub failed: usize,
    pub bytes: u64,
    /// Usage and quota of the origin's storage once finished, in whole MB.
    pub storage: Option<(u64, u64)>,
    /// Whether the browser agreed to keep the storage (`navigator.storage.persist()`).
    pub persisted: Option<bool>,
}

impl Download {
    fn finished(&self) -> bool {
        self.total > 0 && self.done + self.failed == self.total
    }
}

/// The button and its progress; nothing for an embedded archive, which is whole offline.
#[function_component]
pub fn OfflineDownload() -> Html {
    let corpus = use_corpus();
    let ui = use_ui();
    let download = use_mut_ref(|| None::<Download>);
    let rerender = use_force_update();
    // Files and bytes of the whole archive, from its root: listed once, not per render
    // (the footer renders again as every file arrives).
    let archive_size = use_memo(corpus.shards().map(|s| Rc::as_ptr(s) as usize), {
        let shards = corpus.shards().cloned();
        move |_| shards.map(|s| (s.all_files_count(), s.all_files_bytes()))
    });
    let Some(shards) = corpus.shards().cloned() else {
        return html! {};
    };
    let t = ui.t();
    let onclick = {
        let download = download.clone();
        Callback::from(move |_: MouseEvent| {
            if download.borrow().is_some() {
                return;
            }
            start(&shards, download.clone(), rerender.clone());
        })
    };
    let state = download.borrow().clone();
    let size = (*archive_size)
        .filter(|_| state.is_none())
        .map(|(files, bytes)| {
            html! { <span class="offline-size">{ i18n::offline_size(ui.lang(), files, bytes) }</span> }
        });
    let status = state.map(|d| {
        let mut text = i18n::offline_progress(ui.lang(), d.done, d.total, d.bytes);
        if d.failed > 0 {
            text.push_str(&i18n::offline_failed(ui.lang(), d.failed));
        }
        if let Some((usage, quota)) = d.storage {
            text.push_str(&i18n::offline_storage(ui.lang(), usage, quota));
        }
        let finished = d.finished();
        html! {
            <span class="offline-status" role="status" data-finished={finished.to_string()}
                data-failed={d.failed.to_string()}>
                { text }
            </span>
        }
    });
    html! {
        <p class="offline-download">
            <button type="button" id="download-all" {onclick}>{ t.download_all }</button>
            { " " }
            { for size }
            { for status }
        </p>
    }
}

fn start(
    shards: &Rc<Shards>,
    download: Rc<RefCell<Option<Download>>>,
    rerender: UseForceUpdateHandle,
) {
    *download.borrow_mut() = Some(Download {
        total: shards.all_files_count(),
        ..Download::default()
    });
    rerender.force_update();
    let shards = shards.clone();
    wasm_bindgen_futures::spawn_local(async move {
        // The directory names the files to download (it is usually in already). If it
        // cannot be had (offline), the root's files are tried, and fail, each counted.
        let _ = shards.ensure_directory().await;
        download_all(&shards, download, rerender);
    });
}

/// Downloads every file of the archive, [`PARALLEL`] at a time, for the service worker to
/// keep.
fn download_all(
    shards: &Rc<Shards>,
    download: Rc<RefCell<Option<Download>>>,
    rerender: UseForceUpdateHandle,
) {
    let names: VecDeque<String> = shards.all_files().into();
    if let Some(d) = download.borrow_mut().as_mut() {
        d.total = names.len();
    }
    rerender.force_update();
    let queue = Rc::new(RefCell::new(names));
    for _ in 0..PARALLEL {
        let (queue, download, rerender) = (queue.clone(), download.clone(), rerender.clone());
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                let Some(name) = queue.borrow_mut().pop_front() else {
                    return;
                };
                // Read and dropped: the service worker keeps the file, not the page.
                let outcome = fetch_file_to_keep(&name).await;
                let finished = {
                    let mut d = download.borrow_mut();
                    let d = d.as_mut().expect("started above");
                    match outcome {
                        Ok(bytes) => {
                            d.done += 1;
                            d.bytes += bytes.len() as u64;
                        }
                        Err(_) => d.failed += 1,
                    }
                    d.finished()
                };
                if finished {
                    tell_worker_the_archive_is_kept_whole();
                    let kept = keep_storage().await;
                    if let Some(d) = download.borrow_mut().as_mut() {
                        (d.storage, d.persisted) = kept;
                    }
                }
                rerender.force_update();
            }
        });
    }
}

/// The loader passes it on to the service worker; nothing happens without one.
fn tell_worker_the_archive_is_kept_whole() {
    if let (Some(window), Ok(event)) = (
        web_sys::window(),
        web_sys::Event::new(ARCHIVE_DOWNLOADED_EVENT),
    ) {
        let _ = window.dispatch_event(&event);
    }
}

/// Asks the browser to keep this origin's storage, and says how much it uses.
async fn keep_storage() -> (Option<(u64, u64)>, Option<bool>) {
    let Some(window) = web_sys::window() else {
        return (None, None);
    };
    let storage = window.navigator().storage();
    let persisted = match storage.persist() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    let estimate = match storage.estimate() {
        Ok(promise) => JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    let usage = estimate.and_then(|e| {
        let e: web_sys::StorageEstimate = wasm_bindgen::JsCast::unchecked_into(e);
        let mb = |bytes: f64| (bytes / 1_000_000.0).round() as u64;
        Some((mb(e.get_usage()?), mb(e.get_quota()?)))
    });
    (usage, persisted)
}
