// docbao's service worker: every file of one build, cached on the first visit, so the
// app opens, searches and shows articles with the network off.
//
// scripts/post-build.mjs writes dist/sw.js as three constants, BUILD_ID, PRECACHE
// (every file of the build, with its integrity) and ON_DEMAND (a sharded archive's files
// but its root, URL → integrity: fetched when a search needs them, then kept in the same
// cache), followed by this file. A new build
// therefore gives a different sw.js, which the browser notices on the next visit.
//
// The app: one cache per archive and build. A new worker fills its own cache and then
// waits; it activates only when a page posts 'activate-now' (the reader chose to reload),
// and only then are its archive's older caches deleted: a page never mixes files of two
// builds. Caches belong to an origin, which may host several archives in several folders,
// each with its own worker: a cache is named after its worker's scope too, and a worker
// deletes only its own scope's, never another archive's offline copy.
//
// A sharded archive's files (ON_DEMAND) are named by their content, so a file of one
// build is the same file in the next: they live in one cache per archive, across builds
// (`docbao-archive <scope>`). A rebuild with added articles keeps the names of the files
// that did not change, and a returning reader downloads only the others. A new worker
// deletes from it, once active, only the files its own build no longer names. Files a
// page fetched before any worker controlled it (a first visit) are cached when the page
// lists them ('keep-archive-files', from web/loader.js). Once a reader has downloaded the
// whole archive ('whole-archive', from the download button), the next build's worker
// downloads the files it does not have yet while it installs, so the offline copy stays
// whole through the update.

// The worker's folder, whatever sub-path the host serves dist/ from. It is also the
// registration's scope (web/loader.js registers with the default one): one scope, one
// registration, one archive.
const SCOPE = new URL('./', self.location.href).href;
const INDEX_URL = new URL('index.html', SCOPE).href;
const CACHE_NAME = cacheName(SCOPE, BUILD_ID);
const ARCHIVE_CACHE_NAME = `docbao-archive ${SCOPE}`;
/** Stored in the archive cache once the reader downloaded all of it: keep it whole. */
const WHOLE_ARCHIVE_MARK = new URL('archive/.whole', SCOPE).href;

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
  event.waitUntil(precache().then(keepArchiveWhole));
});

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

/**
 * If the reader downloaded the whole archive of an earlier build, downloads what this
 * build adds to it (files whose content changed have new names): the update then keeps
 * every article readable offline. Unchanged files are already there and are not fetched.
 * A file that fails is left to be fetched on demand: the app's files matter more.
 */
async function keepArchiveWhole() {
  if (!(await caches.has(ARCHIVE_CACHE_NAME))) return;
  const archive = await caches.open(ARCHIVE_CACHE_NAME);
  if (!(await archive.match(WHOLE_ARCHIVE_MARK))) return;
  await cacheArchiveFiles(Object.keys(ON_DEMAND));
}

/**
 * Puts the archive files named (paths relative to the scope, e.g. `archive/<name>`) in
 * the archive cache, each checked against this build's integrity, skipping those there
 * already and any this build does not name. Returns how many it added.
 */
async function cacheArchiveFiles(files) {
  const wanted = [...new Set(files)].filter((file) => Object.hasOwn(ON_DEMAND, file));
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
        const response = await fetch(new Request(url, { integrity: ON_DEMAND[file] }));
        if (response.ok) {
          await archive.put(url, response);
          added += 1;
        }
      } catch {
        // Offline, or a damaged copy refused by its integrity: fetched again on demand.
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return added;
}

/** Deletes the archive files this build does not name (kept: every file it names). */
async function pruneArchive() {
  if (!(await caches.has(ARCHIVE_CACHE_NAME))) return;
  if (Object.keys(ON_DEMAND).length === 0) {
    // Not a sharded build (any more): nothing of the archive is ever read again.
    await caches.delete(ARCHIVE_CACHE_NAME);
    return;
  }
  const archive = await caches.open(ARCHIVE_CACHE_NAME);
  for (const request of await archive.keys()) {
    if (request.url === WHOLE_ARCHIVE_MARK) continue;
    if (onDemandIntegrity(request) === undefined) await archive.delete(request);
  }
}

/**
 * Moves the archive files of earlier builds' caches (before the archive had a cache of
 * its own, they were kept in each build's) that this build names into the archive cache.
 */
async function adoptArchiveFilesOf(olderCaches) {
  if (Object.keys(ON_DEMAND).length === 0) return;
  let archive = null;
  for (const name of olderCaches) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      if (onDemandIntegrity(request) === undefined) continue;
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
  event.respondWith(fromThisBuild(request));
});

/** This build's copy of the file; anything not in the build goes to the network. */
async function fromThisBuild(request) {
  const integrity = onDemandIntegrity(request);
  if (integrity !== undefined) return archiveFile(request, integrity);
  const cache = await caches.open(CACHE_NAME);
  const cached = isAppPage(request) ? await cache.match(INDEX_URL) : await cache.match(request);
  return cached ?? fetch(request);
}

/** An archive file: from the archive cache, else fetched, checked and kept there. */
async function archiveFile(request, integrity) {
  const archive = await caches.open(ARCHIVE_CACHE_NAME);
  const cached = await archive.match(request.url);
  if (cached) return cached;
  // Fetched for the first time: checked against this build's integrity (a stale or
  // damaged copy is refused, not kept), then cached for offline searches. Offline, the
  // fetch fails and the app says which part of the archive is missing.
  const response = await fetch(new Request(request.url, { integrity }));
  if (response.ok) await archive.put(request.url, response.clone());
  return response;
}

/** The integrity of a sharded archive's file fetched on demand, if the request is one. */
function onDemandIntegrity(request) {
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  if (!url.href.startsWith(SCOPE)) return undefined;
  const file = url.href.slice(SCOPE.length);
  return Object.hasOwn(ON_DEMAND, file) ? ON_DEMAND[file] : undefined;
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
