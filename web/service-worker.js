// docbao's service worker: every file of one build, cached on the first visit, so the
// app opens, searches and shows articles with the network off.
//
// scripts/post-build.mjs writes dist/sw.js as four constants followed by this file:
// BUILD_ID; PRECACHE, every file of the build with its integrity, but those below;
// CACHED_WHEN_OPENED, files too large for every visitor to download (the ingest report),
// cached, integrity-checked, when first opened; and ARCHIVE_FILE_LIST, for a sharded
// archive the name of the list of its files but its root (null otherwise). A new build
// therefore gives a different sw.js, which the browser notices on the next visit.
//
// The app: one cache per archive and build. A new worker fills its own cache and then
// waits; it activates only when a page posts 'activate-now' (the reader chose to reload),
// and only then are its archive's older caches deleted: a page never mixes files of two
// builds. Caches belong to an origin, which may host several archives in several folders,
// each with its own worker: a cache is named after its worker's scope too, and a worker
// deletes only its own scope's, never another archive's offline copy.
//
// A sharded archive's files are named by their content (`archive/<first 16 hex digits of
// its SHA-256>.<kind>`): the worker hashes each one it fetches and keeps it only if the
// hash is its name, so it needs no list of them to check them, and sw.js stays small
// however large the archive. A file of one build is the same file in the next: they live
// in one cache per archive, across builds (`docbao-archive <scope>`). A rebuild with added
// articles keeps the names of the files that did not change, and a returning reader
// downloads only the others. The list of the build's files (ARCHIVE_FILE_LIST, content-
// named too) is fetched only by a worker that finds an archive cache (an update, never a
// first visit): it deletes from that cache, once active, the files its build no longer
// names. Files a page fetched before any worker controlled it (a first visit) are cached
// when the page lists them ('keep-archive-files', from web/loader.js). Once a reader has
// downloaded the whole archive ('whole-archive', from the download button), the next
// build's worker downloads the files it does not have yet while it installs, so the
// offline copy stays whole through the update.

// The worker's folder, whatever sub-path the host serves dist/ from. It is also the
// registration's scope (web/loader.js registers with the default one): one scope, one
// registration, one archive.
const SCOPE = new URL('./', self.location.href).href;
const INDEX_URL = new URL('index.html', SCOPE).href;
const CACHE_NAME = cacheName(SCOPE, BUILD_ID);
const ARCHIVE_CACHE_NAME = `docbao-archive ${SCOPE}`;
/** Stored in the archive cache once the reader downloaded all of it: keep it whole. */
const WHOLE_ARCHIVE_MARK = new URL('archive/.whole', SCOPE).href;
/** A sharded archive's file, as a path in the scope; its first group is its name's hash. */
const ARCHIVE_FILE = /^archive\/([0-9a-f]{16})\.[a-z]+$/;
const PRECACHED = new Set(PRECACHE.map(({ url }) => url));

/** `docbao-<build id> <scope URL>`: a URL has no space, so the name reads back. */
function cacheName(scope, buildId) {
  return `docbao-${buildId} ${scope}`;
}

/** True for a cache of an earlier build of this very archive. */
async function isOlderCacheOfThisScope(name) {
  if (name === CACHE_NAME) return false;
  const named = name.match(/^docbao-[0-9a-f]+ (.+)$/);
  if (named) return named[1] === SCOPE;
  // Before caches were named after their scope they were `docbao-<build id>`: such a
  // cache is this archive's if it holds this archive's page.
  if (/^docbao-[0-9a-f]+$/.test(name)) return (await caches.match(INDEX_URL, { cacheName: name })) !== undefined;
  return false;
}

self.addEventListener('install', (event) => {
  routeArchiveFilesPastTheWorker(event);
  event.waitUntil(precache().then(() => Promise.all([keepArchiveWhole(), keepFilesOpenedBefore()])));
});

/**
 * Where the browser offers static routes (`InstallEvent.addRoutes`, Chromium), a page's
 * request for an archive file never wakes this worker: the browser answers it from the
 * archive cache, else from the host. The worker's own scheduling per request was the
 * largest part of a keystroke that fetches (tests/bench/timeline.mjs). The page checks
 * every file against its name and hands the good ones over to keep ('keep-archive-file',
 * from src/archive.rs), so nothing unchecked is cached. Left to this worker: the root
 * (precached with the build) and requests with a query (the offline download's
 * `?keep`, which this worker fetches, checks and caches before answering). Elsewhere the
 * fetch handler below does it all, as before.
 */
function routeArchiveFilesPastTheWorker(event) {
  if (ARCHIVE_FILE_LIST === null || typeof event.addRoutes !== 'function') return;
  const { protocol, hostname, port, pathname } = new URL('archive/', SCOPE);
  const inArchive = (files, search) => ({ protocol, hostname, port, pathname: `${pathname}${files}`, search });
  event.waitUntil(
    event
      .addRoutes([
        { condition: { urlPattern: inArchive('*.root', '*') }, source: 'fetch-event' },
        { condition: { urlPattern: inArchive('*', '') }, source: { cacheName: ARCHIVE_CACHE_NAME } },
      ])
      .catch((err) => console.warn('docbao: archive files go through the worker:', err)),
  );
}

/**
 * Keeps an archive file the page fetched and checked: checked again here (the cache
 * holds only files whose SHA-256 is their name), skipped if already kept.
 */
async function keepCheckedFile(file, bytes) {
  const hash = file.match(ARCHIVE_FILE)?.[1];
  if (hash === undefined || PRECACHED.has(file)) return;
  const url = new URL(file, SCOPE).href;
  const archive = await caches.open(ARCHIVE_CACHE_NAME);
  if (await archive.match(url)) return;
  if ((await contentHashOf(bytes)) !== hash) return;
  await archive.put(url, new Response(bytes, { headers: { 'Content-Type': 'application/octet-stream' } }));
}

async function precache() {
  const cache = await caches.open(CACHE_NAME);
  // 'no-cache' revalidates with the host, and the integrity refuses a file of another
  // build (an HTTP cache or CDN still holding the old one): the install then fails, its
  // half-filled cache goes, and the current build stays in charge, to try again on the
  // next visit.
  try {
    await Promise.all(
      PRECACHE.map(async ({ url, integrity }) => {
        const request = new Request(new URL(url, SCOPE).href, { cache: 'no-cache', integrity });
        const response = await fetch(request);
        if (!response.ok) throw new Error(`precache: ${response.status} for ${request.url}`);
        await cache.put(request.url, response);
      }),
    );
  } catch (err) {
    await caches.delete(CACHE_NAME);
    throw err;
  }
}

/** The first 16 hex digits of the SHA-256 of `bytes`: what a content-named file is called. */
async function contentHashOf(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * `response` (read whole) as a response to keep, if its bytes hash to `hash`; else null.
 * Only its type is kept of its headers: the bytes are already decoded.
 */
async function checkedByName(response, hash) {
  const bytes = await response.arrayBuffer();
  if ((await contentHashOf(bytes)) !== hash) return null;
  const type = response.headers.get('Content-Type');
  return new Response(bytes, { status: response.status, headers: type ? { 'Content-Type': type } : {} });
}

/**
 * Fetches a content-named file: the response to keep, the host's answer if it is not a
 * success, or null if its bytes are not the ones its name promises. A wrong copy is asked
 * for once more past the HTTP cache, which may hold a damaged one for ever (such names
 * are served as immutable).
 */
async function fetchByName(url, hash) {
  let response = await fetch(url);
  if (!response.ok) return response;
  const checked = await checkedByName(response, hash);
  if (checked) return checked;
  response = await fetch(url, { cache: 'reload' });
  if (!response.ok) return response;
  return checkedByName(response, hash);
}

/**
 * The paths (`archive/<name>`) of this build's archive files but its root, from
 * ARCHIVE_FILE_LIST: from this build's cache, else fetched, checked and kept there. Null
 * for a build with no sharded archive; throws if the list cannot be had (offline).
 */
async function archiveFileList() {
  if (ARCHIVE_FILE_LIST === null) return null;
  const url = new URL(ARCHIVE_FILE_LIST, SCOPE).href;
  const cache = await caches.open(CACHE_NAME);
  let list = await cache.match(url);
  if (!list) {
    const hash = ARCHIVE_FILE_LIST.match(/([0-9a-f]{16})\.txt$/)[1];
    list = await fetchByName(url, hash);
    if (!list?.ok) throw new Error(`${ARCHIVE_FILE_LIST}: ${list ? `HTTP ${list.status}` : 'does not hash to its name'}`);
    await cache.put(url, list.clone());
  }
  const names = (await list.text()).split('\n').filter((name) => name !== '');
  return new Set(names.map((name) => `archive/${name}`));
}

/**
 * If the reader downloaded the whole archive of an earlier build, downloads what this
 * build adds to it (files whose content changed have new names): the update then keeps
 * every article readable offline. Unchanged files are already there and are not fetched.
 * A file that fails is left to be fetched on demand: the app's files matter more. A
 * returning reader's worker also fetches the list of files here, for activation's pruning.
 */
async function keepArchiveWhole() {
  if (ARCHIVE_FILE_LIST === null || !(await caches.has(ARCHIVE_CACHE_NAME))) return;
  let files;
  try {
    files = await archiveFileList();
  } catch (err) {
    console.warn('docbao: the archive stays as it is until the next update:', err);
    return;
  }
  const archive = await caches.open(ARCHIVE_CACHE_NAME);
  if (await archive.match(WHOLE_ARCHIVE_MARK)) await cacheArchiveFiles([...files]);
}

/**
 * A file cached when opened that the reader opened in an earlier build (an older cache of
 * this archive holds it) is fetched again, this build's copy: opened once, it stays
 * readable offline through updates. A failure leaves it to be fetched when next opened.
 */
async function keepFilesOpenedBefore() {
  await Promise.all(
    CACHED_WHEN_OPENED.map(async ({ url, integrity }) => {
      const href = new URL(url, SCOPE).href;
      if (!(await caches.match(href))) return;
      try {
        const response = await fetch(new Request(href, { cache: 'no-cache', integrity }));
        if (response.ok) await (await caches.open(CACHE_NAME)).put(href, response);
      } catch {
        // Offline, or another build's copy: fetched when opened.
      }
    }),
  );
}

/**
 * Puts the archive files named (paths relative to the scope, e.g. `archive/<name>`) in
 * the archive cache, each checked against its name, skipping those there already. Returns
 * how many it added.
 */
async function cacheArchiveFiles(files) {
  const wanted = [...new Set(files)].filter((file) => ARCHIVE_FILE.test(file) && !PRECACHED.has(file));
  if (wanted.length === 0) return 0;
  const archive = await caches.open(ARCHIVE_CACHE_NAME);
  let added = 0;
  const queue = [...wanted];
  // A few at a time: an archive has thousands of files.
  const worker = async () => {
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
      const url = new URL(file, SCOPE).href;
      if (await archive.match(url)) continue;
      try {
        const response = await fetchByName(url, file.match(ARCHIVE_FILE)[1]);
        if (response?.ok) {
          await archive.put(url, response);
          added += 1;
        }
      } catch {
        // Offline: fetched again on demand, as is a damaged copy (refused above).
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return added;
}

/**
 * Deletes the archive files this build does not name. Without the list (offline), the
 * cache stays as it is until the next update: extra files cost room, never a wrong answer.
 */
async function pruneArchive() {
  if (!(await caches.has(ARCHIVE_CACHE_NAME))) return;
  if (ARCHIVE_FILE_LIST === null) {
    // Not a sharded build (any more): nothing of the archive is ever read again.
    await caches.delete(ARCHIVE_CACHE_NAME);
    return;
  }
  let named;
  try {
    named = await archiveFileList();
  } catch (err) {
    console.warn('docbao: older archive files are kept until the next update:', err);
    return;
  }
  const archive = await caches.open(ARCHIVE_CACHE_NAME);
  for (const request of await archive.keys()) {
    if (request.url === WHOLE_ARCHIVE_MARK) continue;
    if (!named.has(fileInScope(request.url))) await archive.delete(request);
  }
}

/**
 * Moves the archive files of earlier builds' caches (before the archive had a cache of
 * its own, they were kept in each build's) into the archive cache; those this build does
 * not name are pruned next.
 */
async function adoptArchiveFilesOf(olderCaches) {
  if (ARCHIVE_FILE_LIST === null) return;
  let archive = null;
  for (const name of olderCaches) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const file = fileInScope(request.url);
      // A root is its build's own: precached by each build.
      if (!ARCHIVE_FILE.test(file ?? '') || file.endsWith('.root')) continue;
      archive ??= await caches.open(ARCHIVE_CACHE_NAME);
      if (await archive.match(request.url)) continue;
      const response = await cache.match(request);
      if (response) await archive.put(request.url, response);
    }
  }
}

self.addEventListener('message', (event) => {
  const type = event.data?.type;
  if (type === 'activate-now') self.skipWaiting();
  // Archive files the page fetched before this worker controlled it (a first visit).
  if (type === 'keep-archive-files' && Array.isArray(event.data.files)) {
    event.waitUntil(cacheArchiveFiles(event.data.files.filter((file) => typeof file === 'string')));
  }
  // An archive file the page fetched past this worker (static routes) and checked.
  if (type === 'keep-archive-file' && typeof event.data.file === 'string' && event.data.bytes instanceof ArrayBuffer) {
    event.waitUntil(keepCheckedFile(event.data.file, event.data.bytes));
  }
  if (type === 'whole-archive') {
    event.waitUntil(
      caches
        .open(ARCHIVE_CACHE_NAME)
        .then((archive) => archive.put(WHOLE_ARCHIVE_MARK, new Response('whole', { headers: { 'Content-Type': 'text/plain' } }))),
    );
  }
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const older = await Promise.all(names.map(isOlderCacheOfThisScope));
      const olderNames = names.filter((_, i) => older[i]);
      await adoptArchiveFilesOf(olderNames);
      await Promise.all(olderNames.map((name) => caches.delete(name)));
      await pruneArchive();
      // A first visit's page came from the network, from this very build: take it
      // over now, so it works offline without a reload.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  event.respondWith(fromThisBuild(request, event));
});

/** This build's copy of the file; anything not in the build goes to the network. */
async function fromThisBuild(request, event) {
  const file = fileInScope(request.url);
  if (file !== undefined && !PRECACHED.has(file)) {
    const archiveHash = file.match(ARCHIVE_FILE)?.[1];
    if (archiveHash !== undefined) return archiveFile(file, archiveHash, event);
    const opened = CACHED_WHEN_OPENED.find(({ url }) => url === file);
    if (opened) return fileCachedWhenOpened(opened);
  }
  const cache = await caches.open(CACHE_NAME);
  const cached = isAppPage(request) ? await cache.match(INDEX_URL) : await cache.match(request);
  return cached ?? fetch(request);
}

/**
 * An archive file: from the archive cache, else fetched, checked and kept there. The
 * page has it once checked, without waiting for the cache's write (`event` waits for it),
 * which would add its time to every file a keystroke waits for.
 */
async function archiveFile(file, hash, event) {
  const url = new URL(file, SCOPE).href;
  const archive = await caches.open(ARCHIVE_CACHE_NAME);
  const cached = await archive.match(url);
  if (cached) return cached;
  // Fetched for the first time: kept for offline searches if its bytes hash to its name.
  // Offline, the fetch fails and the app says which part of the archive is missing.
  const response = await fetchByName(url, hash);
  if (response === null) {
    return new Response(`${file}: the host sent bytes that do not hash to this name (a damaged or stale copy); refused.\n`, {
      status: 502,
      statusText: 'Damaged archive file',
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  if (response.ok) event.waitUntil(archive.put(url, response.clone()));
  return response;
}

/**
 * A file cached when first opened (the ingest report): from this build's cache, else
 * fetched with its integrity and kept there. Offline and never opened, a page says so.
 */
async function fileCachedWhenOpened({ url, integrity }) {
  const href = new URL(url, SCOPE).href;
  const cache = await caches.open(CACHE_NAME);
  const cached = await cache.match(href);
  if (cached) return cached;
  let response;
  try {
    response = await fetch(new Request(href, { cache: 'no-cache', integrity }));
  } catch {
    return new Response(
      `${url}: không tải được (đang offline?). Tệp này chỉ được giữ để đọc offline sau lần mở đầu tiên khi có mạng.\n` +
        `${url}: could not be fetched (offline?). It is kept for offline reading once it has been opened online.\n`,
      { status: 503, statusText: 'Offline', headers: { 'Content-Type': 'text/plain; charset=utf-8' } },
    );
  }
  if (response.ok) await cache.put(href, response.clone());
  return response;
}

/** The path of `url` in the scope (query and fragment left out), or undefined outside it. */
function fileInScope(url) {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  return parsed.href.startsWith(SCOPE) ? parsed.href.slice(SCOPE.length) : undefined;
}

/** Routes live in the URL hash, so the app's one page is the folder or its index.html. */
function isAppPage(request) {
  if (request.mode !== 'navigate') return false;
  // A navigation's URL keeps its #/route here; the query is ignored too.
  const url = new URL(request.url);
  url.hash = '';
  url.search = '';
  return url.href === SCOPE || url.href === INDEX_URL;
}
