// docbao's loader: starts the app, then keeps it available offline.
//
// This is a template. scripts/post-build.mjs fills in the four %…% names (the hashed
// files of one build and the wasm's integrity) and writes the result to dist/ as
// loader-<hash>.js, loaded by an external <script integrity=…>: no inline script, so
// the page runs under `script-src 'self'`. Every URL is relative to this file, which
// sits at the root of dist/ next to index.html, so any folder of any host works
// (fetch() and register() would resolve against the page's URL, hence import.meta.url).
import init from '%BINDINGS_URL%';

// A sharded archive's first page (the newest articles: no query in the URL) reads these
// files after the root (index.html preloads the root): asked for now, while the wasm
// downloads and compiles, the app's own fetch() of each takes the preloaded response
// instead of starting a round trip once the root is read. Listed by the build
// (build.rs, scripts/post-build.mjs); empty for an embedded archive.
const FIRST_PAGE_FILES = '%FIRST_PAGE_FILES%';
if (['', '#', '#/', '#/search', '#/search/'].includes(location.hash)) {
  for (const file of FIRST_PAGE_FILES) {
    const link = document.createElement('link');
    Object.assign(link, { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous', href: new URL(file, import.meta.url).href });
    document.head.append(link);
  }
}

// A sharded archive's files that the page fetches before a service worker controls it
// (on a first visit, the root and the first search's files) never pass through a worker:
// noted here, from the start, and listed to the worker once it controls the page, so it
// caches them too (a request no worker saw has a workerStart of 0). Once it controls the
// page, files the browser routes past it (a workerStart of 0 too) are handed over with
// their bytes by the page itself (src/archive.rs): only those started before are listed.
const ARCHIVE_FOLDER_URL = new URL('./archive/', import.meta.url).href;
const SCOPE_URL = new URL('./', import.meta.url).href;
const archiveFilesFetchedUncontrolled = new Set();
const canKeepOffline = 'serviceWorker' in navigator && (location.protocol === 'https:' || location.protocol === 'http:');
/** performance.now() when a worker took control of the page (0: it served the page). */
let controlledSince = canKeepOffline && navigator.serviceWorker.controller ? 0 : Infinity;
if (canKeepOffline && 'PerformanceObserver' in globalThis) {
  new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) {
      if (entry.workerStart === 0 && entry.startTime < controlledSince && entry.name.startsWith(ARCHIVE_FOLDER_URL)) {
        archiveFilesFetchedUncontrolled.add(entry.name.slice(SCOPE_URL.length));
      }
    }
    listArchiveFilesToWorker();
  }).observe({ type: 'resource', buffered: true });
}

function listArchiveFilesToWorker() {
  const controller = navigator.serviceWorker.controller;
  if (!controller || archiveFilesFetchedUncontrolled.size === 0) return;
  controller.postMessage({ type: 'keep-archive-files', files: [...archiveFilesFetchedUncontrolled] });
  archiveFilesFetchedUncontrolled.clear();
}

// The wasm is fetched without an `integrity`: with one, the browser holds the whole body
// and hashes it before the compiler sees a byte (an embedded archive's wasm is ~12 MB:
// ~150 ms of start-up on two cores, docs/measurements.md, session 16). Another build's
// wasm has another name (trunk's hash of its bytes; this loader, which names it, is
// integrity-checked), a truncated one fails to compile, the embedded index
// checks its own sections and chunks (CRC-32), and the service worker checks it against
// its integrity before caching it. wasm-bindgen's init compiles the response as it
// streams and, if the host sends the wrong MIME type, falls back to compiling the
// downloaded bytes (with a console warning).
await init({ module_or_path: fetch(new URL('%WASM_URL%', import.meta.url)) });

// --- offline: the service worker -------------------------------------------------------
// Events shared with src/components/update_banner.rs.
const UPDATE_READY_EVENT = 'docbao:update-ready';
const APPLY_UPDATE_EVENT = 'docbao:apply-update';
// Shared with src/components/offline_download.rs: the reader downloaded the whole archive,
// so the worker of the next build keeps it whole (web/service-worker.js).
const ARCHIVE_DOWNLOADED_EVENT = 'docbao:archive-downloaded';

// From file:// (and anywhere else without service workers) the app just runs online-only.
if (canKeepOffline) {
  addEventListener(ARCHIVE_DOWNLOADED_EVENT, () => navigator.serviceWorker.controller?.postMessage({ type: 'whole-archive' }));
  try {
    // The worker precaches the whole app (and a sharded archive's root): not before the
    // first page has what it needs, so its downloads never delay the first results.
    await firstPageSettled();
    watchForUpdates(await navigator.serviceWorker.register(new URL('./sw.js', import.meta.url)));
  } catch (err) {
    // Some browsers refuse workers (private windows, policies): the app runs anyway.
    console.warn('docbao: no offline copy (service worker not registered):', err);
  }
}

/**
 * Resolves once the app marks `docbao:settled` (src/timing.rs: the first page it showed
 * is complete, or offline can get no further; a route not found marks it at once), or
 * after `SETTLE_TIMEOUT_MS` whatever happens (an archive that failed to open).
 */
function firstPageSettled() {
  const SETTLED_MARK = 'docbao:settled';
  const SETTLE_TIMEOUT_MS = 30_000;
  return new Promise((resolve) => {
    if (performance.getEntriesByName(SETTLED_MARK, 'mark').length > 0) return resolve();
    const observer = new PerformanceObserver((entries) => {
      if (entries.getEntriesByName(SETTLED_MARK).length > 0) done();
    });
    const timer = setTimeout(done, SETTLE_TIMEOUT_MS);
    function done() {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    }
    observer.observe({ type: 'mark' });
  });
}

/**
 * A new build installs its own worker and cache in the background, then waits: it
 * takes over only when the reader asks for it (the banner's "Tải lại"), and every
 * open page reloads when it does, so no page ever runs files of two builds.
 */
function watchForUpdates(registration) {
  // The worker that served this page (null on a first visit: its files came straight
  // from the network, and the first worker of this very build claims it once active).
  let controller = navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    const previous = controller;
    controller = navigator.serviceWorker.controller;
    if (previous) location.reload();
    else {
      controlledSince = performance.now();
      listArchiveFilesToWorker();
    }
  });

  const offerWhenInstalled = (worker) => {
    if (!worker) return;
    const offer = () => {
      // Only a worker that replaces another is an update: the first one activates at once.
      if (worker.state === 'installed' && navigator.serviceWorker.controller) offerUpdate(worker);
    };
    offer();
    worker.addEventListener('statechange', offer);
  };
  offerWhenInstalled(registration.waiting);
  registration.addEventListener('updatefound', () => offerWhenInstalled(registration.installing));
}

let offeredWorker = null;
function offerUpdate(worker) {
  if (offeredWorker === worker) return;
  const firstOffer = offeredWorker === null;
  offeredWorker = worker;
  // The attribute is for a banner mounted after this point, the event for one already there.
  document.documentElement.dataset.docbaoUpdate = 'ready';
  dispatchEvent(new Event(UPDATE_READY_EVENT));
  if (firstOffer) {
    addEventListener(APPLY_UPDATE_EVENT, () => offeredWorker.postMessage({ type: 'activate-now' }));
  }
}
