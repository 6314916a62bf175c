// docbao's service worker: every file of one build, cached on the first visit, so the
// app opens, searches and shows articles with the network off.
//
// scripts/post-build.mjs writes dist/sw.js as three constants, BUILD_ID, PRECACHE
// (every file of the build, with its integrity) and ON_DEMAND (a sharded archive's files
// but its root, URL → integrity: fetched when a search needs them, then kept in the same
// cache), followed by this file. A new build
// therefore gives a different sw.js, which the browser notices on the next visit.
//
// One cache per archive and build. A new worker fills its own cache and then waits; it
// activates only when a page posts 'activate-now' (the reader chose to reload), and only
// then are its archive's older caches deleted: a page never mixes files of two builds.
// Caches belong to an origin, which may host several archives in several folders, each
// with its own worker: a cache is named after its worker's scope too, and a worker
// deletes only its own scope's, never another archive's offline copy.

// The worker's folder, whatever sub-path the host serves dist/ from. It is also the
// registration's scope (web/loader.js registers with the default one): one scope, one
// registration, one archive.
const SCOPE = new URL('./', self.location.href).href;
const INDEX_URL = new URL('index.html', SCOPE).href;
const CACHE_NAME = cacheName(SCOPE, BUILD_ID);

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
  event.waitUntil(precache());
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

self.addEventListener('message', (event) => {
  if (event.data?.type === 'activate-now') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const older = await Promise.all(names.map(isOlderCacheOfThisScope));
      await Promise.all(names.filter((_, i) => older[i]).map((name) => caches.delete(name)));
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
  const cache = await caches.open(CACHE_NAME);
  const cached = isAppPage(request) ? await cache.match(INDEX_URL) : await cache.match(request);
  if (cached) return cached;
  const integrity = onDemandIntegrity(request);
  if (integrity === undefined) return fetch(request);
  // An archive file fetched for the first time: checked against this build's integrity
  // (a stale or damaged copy is refused, not kept), then cached for offline searches.
  // Offline, the fetch fails and the app says which part of the archive is missing.
  const response = await fetch(new Request(request.url, { integrity }));
  if (response.ok) await cache.put(request.url, response.clone());
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
