// docbao's service worker: every file of one build, cached on the first visit, so the
// app opens, searches and shows articles with the network off.
//
// scripts/post-build.mjs writes dist/sw.js as two constants, BUILD_ID and PRECACHE
// (every file of the build, with its integrity), followed by this file. A new build
// therefore gives a different sw.js, which the browser notices on the next visit.
//
// One cache per build, named after it. A new worker fills its own cache and then waits;
// it activates only when a page posts 'activate-now' (the reader chose to reload), and
// only then are older builds' caches deleted: a page never mixes files of two builds.

const CACHE_NAME = `docbao-${BUILD_ID}`;
// The worker's folder, whatever sub-path the host serves dist/ from.
const SCOPE = new URL('./', self.location.href).href;
const INDEX_URL = new URL('index.html', SCOPE).href;

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
      await Promise.all(
        names.filter((name) => name.startsWith('docbao-') && name !== CACHE_NAME).map((name) => caches.delete(name)),
      );
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
  return cached ?? fetch(request);
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
