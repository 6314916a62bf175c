// End-to-end tests of the sharded layout (issue 11): the fixture corpus built with
// DOCBAO_LAYOUT=sharded (scripts/test builds it into target/dist-fixture-sharded, or
// $FIXTURE_SHARDED_DIST_DIR). The wasm carries no article, only the root's name; the app
// fetches the root at start-up, then only the files a search or an article needs; the
// service worker keeps what was fetched, so those searches work offline, and a search
// that needs a file never fetched says so.
//
// Run: node --test tests/e2e/sharded.test.mjs   (after that build)

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer } from './server.mjs';
import {
  CHROMIUM,
  REPO,
  TEST_TIMEOUT_MS,
  assertFixtureOrigins,
  countFetchesInFlight,
  eventually,
  foldForMatch,
  hashRoute,
  launchBrowser,
  resultHighlights,
  searchBox,
  waitForResults,
  waitUntilReady,
  withPage,
} from './support.mjs';

const DIST_DIR = path.resolve(process.env.FIXTURE_SHARDED_DIST_DIR ?? path.join(REPO, 'target', 'dist-fixture-sharded'));
const ARCHIVE_DIR = path.join(DIST_DIR, 'archive');
const FIXTURE = path.join(REPO, 'tests', 'fixtures', 'reader-corpus.jsonl');

// Two narrow searches, each matching one article of the fixture, far apart in it (so in
// two different chunks of stored articles).
const FIRST = { query: 'đường sắt 12', title: 'Đường sắt đô thị: bản tin số 12', id: 'fx-012' };
const SECOND = { query: 'mưa lớn 43', title: 'Mưa lớn: bản tin số 43' };
const NOTHING = 'qqqq';
// A search of several results, whose middle ones have a previous and a next article.
// Its middle article (dated mid-2020: docs are numbered in date order, so neither first nor last).
const SEVERAL = { query: 'đường sắt', id: 'fx-022' };

const setupProblem = !existsSync(path.join(DIST_DIR, 'index.html'))
  ? `${DIST_DIR}/index.html is missing: build the fixture sharded, e.g. DOCBAO_LAYOUT=sharded DOCBAO_CORPUS=tests/fixtures/reader-corpus.jsonl trunk build --release --dist target/dist-fixture-sharded (scripts/test does).`
  : !existsSync(CHROMIUM)
    ? `${CHROMIUM} is missing: run scripts/setup (it installs Debian's chromium).`
    : null;

test('the sharded fixture build and Chromium are there to test', () => {
  if (setupProblem) assert.fail(setupProblem);
});

function archiveFiles() {
  return readdirSync(ARCHIVE_DIR).sort();
}

/** The archive files (`archive/<name>`) among requested URLs, each once. */
function archiveRequests(urls) {
  return [...new Set(urls.map((url) => url.match(/\/archive\/([0-9a-f]+\.[a-z]+)$/)?.[1]).filter(Boolean))].sort();
}

/**
 * Enters a query in one input event, as pasted: typed key by key, every prefix would be a
 * search of its own, fetching the chunks of its own results (which is right for a reader,
 * and would blur what this test counts).
 */
async function enterQuery(page, query) {
  await searchBox(page).fill(query);
}

async function waitForServiceWorkerControl(page) {
  await eventually(
    'an activated service worker controlling the page',
    () => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'),
    (state) => state === 'activated',
  );
}

/** The archive status note the page shows ('' when none), read at one instant. */
function archiveStatus(page) {
  return page.evaluate(() => {
    const note = document.querySelector('.archive-status');
    return { kind: note?.dataset.archive ?? '', text: note?.innerText ?? '' };
  });
}

describe('the sharded layout in the browser', { skip: setupProblem !== null }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('dist/ holds the archive as content-named files, the wasm holds no article, and the worker precaches only the root and names no other', (t) => {
    const files = archiveFiles();
    const roots = files.filter((f) => f.endsWith('.root'));
    assert.equal(roots.length, 1, `one root in ${ARCHIVE_DIR}: ${files.join(', ')}`);
    assert.ok(files.filter((f) => f.endsWith('.docs')).length >= 2, 'stored articles in several chunks');
    for (const name of files) {
      const hash = createHash('sha256').update(readFileSync(path.join(ARCHIVE_DIR, name))).digest('hex').slice(0, 16);
      assert.equal(name.split('.')[0], hash, `${name} is named by its content`);
    }

    const wasmFile = readdirSync(DIST_DIR).find((f) => f.endsWith('_bg.wasm'));
    const wasm = readFileSync(path.join(DIST_DIR, wasmFile));
    assert.ok(wasm.includes(Buffer.from(roots[0])), 'the wasm names the root');
    const articles = readFileSync(FIXTURE, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    for (const article of articles) {
      assert.ok(!wasm.includes(Buffer.from(article.title)), `the wasm does not carry "${article.title}"`);
    }

    const worker = readFileSync(path.join(DIST_DIR, 'sw.js'), 'utf8');
    const precache = JSON.parse(worker.match(/^const PRECACHE = (\[[\s\S]*?\n\]);$/m)[1]);
    const precached = precache.map((p) => p.url);
    assert.ok(precached.includes(`archive/${roots[0]}`), 'the root is precached');
    assert.deepEqual(precached.filter((url) => url.startsWith('archive')), [`archive/${roots[0]}`], 'no other archive file is precached');
    // The worker checks an archive file against its name: sw.js names none of them, only
    // the list it fetches on an update, itself named by its content.
    for (const name of files.filter((f) => f !== roots[0])) {
      assert.ok(!worker.includes(name.split('.')[0]), `sw.js does not name ${name}`);
    }
    const listName = JSON.parse(worker.match(/^const ARCHIVE_FILE_LIST = (.*);$/m)[1]);
    assert.match(listName, /^archive-files-[0-9a-f]{16}\.txt$/);
    const list = readFileSync(path.join(DIST_DIR, listName));
    assert.equal(listName, `archive-files-${createHash('sha256').update(list).digest('hex').slice(0, 16)}.txt`, 'the list is named by its content');
    assert.deepEqual(list.toString('utf8').split('\n').filter(Boolean), files.filter((f) => f !== roots[0]), 'the list names every other archive file');
    t.diagnostic(`sw.js: ${Buffer.byteLength(worker)} bytes for an archive of ${files.length} files; ${listName}: ${list.length} bytes`);
  });

  test(
    'a search and an article fetch only the files they need; offline, fetched files still answer and a missing one is said plainly',
    { timeout: TEST_TIMEOUT_MS },
    async (t) => {
      const server = await startServer(DIST_DIR);
      let serverOpen = true;
      try {
        await withPage(
          browser,
          t,
          async (page, { context, seen }) => {
            await countFetchesInFlight(page);
            // Opened on a search that matches nothing: the home page lists the newest
            // articles, whose head files it fetches too (on this 45-article fixture, both).
            await page.goto(`${server.url}/#/search?q=${encodeURIComponent(NOTHING)}`);
            await waitUntilReady(page);
            await waitForServiceWorkerControl(page);
            await eventually('the empty result of the first search', () => archiveStatus(page), (s) => s.kind === '');

            await enterQuery(page, FIRST.query);
            await waitForResults(page, FIRST.query, (title) => title === FIRST.title);
            await page.locator('ol.results > li a').first().click();
            await eventually(
              `the article ${FIRST.id}, opened from the results`,
              () =>
                page.evaluate(() => ({
                  route: location.hash.split('?')[0],
                  h1: document.querySelector('article h1')?.innerText ?? '',
                })),
              ({ route, h1 }) => route === `#/a/${FIRST.id}` && h1 === FIRST.title,
            );
            const all = archiveFiles();
            const fetched = archiveRequests(seen.requests);
            assert.ok(fetched.some((f) => f.endsWith('.root')), 'the root was fetched');
            assert.ok(fetched.some((f) => f.endsWith('.docs')), 'a chunk of articles was fetched');
            assert.ok(
              fetched.length < all.length,
              `only some archive files were fetched (${fetched.length} of ${all.length}: ${fetched.join(', ')})`,
            );
            for (const name of fetched) assert.ok(all.includes(name), `${name} is a file of the archive`);
            // The first page's files were fetched before the worker controlled the page (it
            // registers once that page is complete): it caches them when told, in the
            // background. Offline comes once the page fetches nothing more and every file
            // fetched so far is in its cache.
            await eventually(
              'no fetch in flight, and every archive file fetched so far in a cache of the worker',
              () =>
                page.evaluate(async (files) => {
                  const found = await Promise.all(files.map((file) => caches.match(new URL(`archive/${file}`, location.href).href)));
                  // Between two rounds of the article's files, it says it is fetching.
                  const fetching = document.querySelector('[data-archive="fetching"]') !== null;
                  return { inFlight: window.__fetchesInFlight() + fetching, missing: files.filter((_, i) => found[i] === undefined) };
                }, archiveRequests(seen.requests)),
              ({ inFlight, missing }) => inFlight === 0 && missing.length === 0,
            );

            // Offline: the server gone and the browser offline.
            await server.close();
            serverOpen = false;
            await context.setOffline(true);

            // The search already made answers from the files the worker kept.
            await page.goto(`${server.url}/#/search?q=${encodeURIComponent(NOTHING)}`);
            await waitUntilReady(page);
            await enterQuery(page, FIRST.query);
            await waitForResults(page, FIRST.query, (title) => title === FIRST.title);
            assert.deepEqual(await archiveStatus(page), { kind: '', text: '' }, 'nothing missing for a search made before');

            // Another search needs a chunk never fetched: said plainly, no crash.
            await enterQuery(page, SECOND.query);
            const status = await eventually(
              `the note that "${SECOND.query}" needs parts of the archive not downloaded yet`,
              () => archiveStatus(page),
              (s) => s.kind === 'missing',
            );
            assert.match(status.text, /chưa được tải về/);
            await eventually('the query in the URL', () => hashRoute(page), (r) => r.q === SECOND.query);
            const titles = await page.locator('ol.results > li .result-title').allInnerTexts();
            assert.ok(!titles.includes(SECOND.title), 'an article whose file is missing is not shown');
            // Its place in the list is kept, saying plainly that it is not downloaded.
            await eventually(
              'a row in place of each article whose file is missing, saying so',
              () => page.locator('ol.results > li.pending').allInnerTexts(),
              (rows) => rows.length > 0 && rows.every((row) => /chưa được tải về/.test(row)),
            );
            const failed = archiveRequests(seen.failedRequests);
            assert.ok(failed.length > 0 && failed.every((f) => f.endsWith('.docs') && !fetched.includes(f)), `only never-fetched chunks failed: ${failed.join(', ')}`);
          },
          // Offline, the fetch of the missing chunk fails: the test's doing.
          // Chromium logs each failed fetch as a console error: ERR_INTERNET_DISCONNECTED
          // where the file goes past the worker (static routes), ERR_FAILED through it.
          {
            expectedFailedRequests: [/\/archive\/[0-9a-f]+\.docs$/],
            expectedErrors: [/^Failed to load resource: net::ERR_(INTERNET_DISCONNECTED|FAILED)$/],
          },
        );
      } finally {
        if (serverOpen) await server.close();
      }
    },
  );
  test('the first page, the newest articles, reads only the heads of the few adjacent files that hold them, no chunk', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // Articles are numbered in date order (undated first, ties as the corpus lists them),
    // and head files hold 32 adjacent ones (ids, titles, first passages: all a row without
    // a query shows): the newest 20 of the 45 are in the 2 head files, no chunk is read.
    const articles = readFileSync(FIXTURE, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const dated = articles.map((a, i) => ({ ...a, i })).filter((a) => a.date);
    dated.sort((a, b) => b.date.localeCompare(a.date) || b.i - a.i);
    const newest = dated.slice(0, 20).map((a) => a.title);
    const server = await startServer(DIST_DIR);
    try {
      await withPage(browser, t, async (page, { seen }) => {
        // The page's own requests (the service worker's precaching, later, is not counted).
        const pageRequests = [];
        page.on('request', (req) => pageRequests.push(req.url()));
        await page.goto(`${server.url}/`);
        await waitUntilReady(page);
        // The titles' text as the DOM holds it: `innerText` of the 20th row, far below the
        // fold (`content-visibility: auto`, not laid out yet), once read '' in a loaded run
        // (session 10) while a MutationObserver over 12 loads never saw an empty title.
        // And it waits for the very list it asserts, not only for 20 rows.
        const titles = await eventually(
          'the newest 20 articles listed, each with its title',
          () => page.locator('ol.results > li:not(.pending) .result-title').allTextContents(),
          (listed) => listed.length === newest.length && listed.every((title) => title !== ''),
        );
        assert.deepEqual(titles, newest, 'newest first, the last listed of a day first');
        // The directory (what a search reads beyond the root) is asked for once the first
        // page is complete, after that page's files: not among them.
        const named = () => seen.requests.map((url) => url.match(/\/archive\/([0-9a-f]+\.[a-z]+)$/)?.[1]).filter(Boolean);
        const order = await eventually('the directory asked for after the first page', named, (names) => names.some((f) => f.endsWith('.dir')));
        const directory = order.find((f) => f.endsWith('.dir'));
        const read = archiveRequests(seen.requests).filter((f) => f !== directory);
        assert.ok(
          read.every((f) => order.indexOf(f) < order.indexOf(directory)),
          `the directory asked for after the first page's files: ${order.join(', ')}`,
        );
        const heads = read.filter((f) => f.endsWith('.head'));
        const allHeads = archiveFiles().filter((f) => f.endsWith('.head'));
        t.diagnostic(`the first page read ${heads.length} of ${allHeads.length} head files: ${read.join(', ')}`);
        assert.equal(heads.length, 2, `head files read for the first page: ${read.join(', ')}`);
        assert.deepEqual(read.filter((f) => f.endsWith('.docs')), [], 'no chunk read for the first page');

        // The page asks for these while the app loads (index.html preloads the root, the
        // loader the first page's files): exactly the files the first page reads, each
        // requested once, so the app's own fetch() took the preloaded response.
        const root = archiveFiles().find((f) => f.endsWith('.root'));
        const html = readFileSync(path.join(DIST_DIR, 'index.html'), 'utf8');
        assert.ok(
          html.includes(`<link rel="preload" href="./archive/${root}" as="fetch" crossorigin="anonymous"`),
          'index.html preloads the root',
        );
        const loaderFile = readdirSync(DIST_DIR).find((f) => /^loader-[0-9a-f]{16}\.js$/.test(f));
        const loader = readFileSync(path.join(DIST_DIR, loaderFile), 'utf8');
        const preloaded = JSON.parse(loader.match(/const FIRST_PAGE_FILES ?= ?(\[[^\]]*\]);/)[1]).map((url) => url.replace('./archive/', ''));
        assert.deepEqual([root, ...preloaded].sort(), read, 'the loader preloads the files the first page reads, and only those');
        const archiveUrls = pageRequests.filter((url) => /\/archive\/[0-9a-f]+\.[a-z]+$/.test(url));
        assert.deepEqual(
          archiveUrls.filter((url, i) => archiveUrls.indexOf(url) !== i),
          [],
          `each archive file requested once by the page: ${archiveUrls.join(', ')}`,
        );
      });
    } finally {
      await server.close();
    }
  });

  test('an opened article names its original, from the URLs file fetched beside its chunk; a javascript: URL is no link', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const server = await startServer(DIST_DIR);
    try {
      await withPage(browser, t, async (page, { seen }) => {
        await assertFixtureOrigins(page, server.url);
        const fetched = archiveRequests(seen.requests);
        assert.ok(fetched.some((f) => f.endsWith('.urls')), `a URLs file was fetched: ${fetched.join(', ')}`);
      });
    } finally {
      await server.close();
    }
  });

  test('the files a search fetches together are searched once they are all in, not once per file', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // The host answers archive files in batches (every request of a 300 ms slot at its
    // end), so a round's files arrive together, as from a fast host; each search the
    // page runs records a `docbao:find` measure.
    const SLOT_MS = 300;
    const server = await startServer(DIST_DIR, {
      holdUntil: (pathname) =>
        /\/archive\/[0-9a-f]{16}\.(?!root)[a-z]+$/.test(pathname)
          ? new Promise((resolve) => setTimeout(resolve, SLOT_MS - (Date.now() % SLOT_MS)))
          : undefined,
    });
    try {
      await withPage(browser, t, async (page, { seen }) => {
        await page.goto(`${server.url}/#/search?q=${encodeURIComponent(SEVERAL.query)}`);
        await waitUntilReady(page);
        await waitForResults(page, SEVERAL.query);
        await eventually('the search complete', async () => (await archiveStatus(page)).kind === '');
        const fetched = archiveRequests(seen.requests).filter((f) => !f.endsWith('.root'));
        const finds = await page.evaluate(() => performance.getEntriesByName('docbao:find', 'measure').length);
        t.diagnostic(`${fetched.length} files fetched (${fetched.join(', ')}), ${finds} searches`);
        assert.ok(fetched.filter((f) => f.endsWith('.docs')).length >= 2, `the search fetches several chunks: ${fetched.join(', ')}`);
        // One search for the keystroke, one per round (ranges, then chunks), and one spare
        // for a round split by the load; searching once per file would be one per file more.
        assert.ok(finds < fetched.length, `${finds} searches for ${fetched.length} files`);
      });
    } finally {
      await server.close();
    }
  });

  test('a typed search fetches only the articles of the rows on screen, and those of the rest when typing ends', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // While a query is typed and not yet in the URL, a keystroke renders only the rows the
    // viewport shows and fetches only their articles' chunks; the rows below come, with
    // their articles, when typing ends (the pause, Enter, leaving the box).
    const MANY = 'bản tin'; // every article of the fixture: a page of 20, more than a phone shows
    // Docs are numbered in date order (undated first, ties as the corpus lists them), and
    // a chunk holds 8 adjacent ones: an article's chunk, from the fixture alone.
    const articles = readFileSync(FIXTURE, 'utf8').trim().split('\n').map((line, i) => ({ ...JSON.parse(line), i }));
    const byDoc = [...articles].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.i - b.i);
    const chunkOf = new Map(byDoc.map((a, doc) => [a.id, Math.floor(doc / 8)]));
    const chunksOf = (ids) => new Set(ids.map((id) => chunkOf.get(id)));
    const listed = (page) =>
      page.evaluate(() => {
        const list = document.querySelector('ol.results');
        const links = [...(list?.querySelectorAll('a.result') ?? [])].map((a) => a.getAttribute('href') ?? '');
        return {
          fetching: document.querySelector('[data-archive="fetching"]') !== null,
          shown: list?.dataset.shown ?? null,
          pending: list?.querySelectorAll('li.pending').length ?? 0,
          ids: links.map((href) => decodeURIComponent(/#\/a\/([^?]*)/.exec(href)?.[1] ?? '')),
          queries: links.map((href) => new URLSearchParams(href.split('?')[1] ?? '').get('q')),
        };
      });
    const server = await startServer(DIST_DIR);
    try {
      await withPage(
        browser,
        t,
        async (page) => {
          // Each chunk request, in the order sent.
          const chunks = [];
          const inFlight = new Set();
          const cdp = await page.context().newCDPSession(page);
          cdp.on('Network.requestWillBeSent', ({ requestId, request }) => {
            if (!/\/archive\/[0-9a-f]{16}\.docs$/.test(request.url)) return;
            chunks.push(request.url);
            inFlight.add(requestId);
          });
          cdp.on('Network.loadingFinished', ({ requestId }) => inFlight.delete(requestId));
          cdp.on('Network.loadingFailed', ({ requestId }) => inFlight.delete(requestId));
          await cdp.send('Network.enable');
          // The typing pause (300 ms) never ends typing by itself here, however slow the
          // machine: the test ends it with Enter.
          await page.addInitScript(() => {
            const setTimeout = window.setTimeout;
            window.setTimeout = function (f, ms, ...rest) {
              return setTimeout.call(this, f, ms === 300 ? 600_000 : ms, ...rest);
            };
          });
          await countFetchesInFlight(page);
          await page.goto(`${server.url}/#/search`);
          await waitUntilReady(page);
          await page.waitForSelector('ol.results a.result');
          await eventually('the first page complete', async () => (await archiveStatus(page)).kind === '');
          // The first page (no query) reads head files, not chunks: a search's rows need
          // their chunks, those of the first page's articles too.
          assert.deepEqual(chunks, [], 'the first page read no chunk');
          const before = new Set();

          await enterQuery(page, MANY);
          const typing = await eventually(
            'the typed search complete for the rows on screen',
            () => listed(page),
            (l) => !l.fetching && l.shown !== null && l.pending === 0 && l.ids.length > 0 && l.queries.every((q) => q === MANY),
          );
          const [shown, total] = typing.shown.split('/').map(Number);
          assert.equal(total, 20, 'a whole page of hits');
          assert.equal(typing.ids.length, shown, 'every row on screen is its article, none on its way');
          const shownChunks = [...chunksOf(typing.ids)].filter((c) => !before.has(c)).length;
          await eventually(
            'no request in flight',
            async () => (await page.evaluate(() => window.__fetchesInFlight())) + inFlight.size,
            (n) => n === 0,
          );
          const whileTyping = [...chunks];
          assert.equal(whileTyping.length, shownChunks, 'while typing, the chunks of the rows on screen only, each once');

          await searchBox(page).press('Enter');
          const whole = await eventually(
            'every row of the search, each its article',
            () => listed(page),
            (l) => !l.fetching && l.shown === null && l.pending === 0 && l.ids.length === 20,
          );
          const below = [...chunksOf(whole.ids)].filter((c) => !before.has(c)).length - shownChunks;
          t.diagnostic(`${shown} rows on screen: ${shownChunks} chunks while typing; ${below} more below`);
          assert.ok(below > 0, 'the rows below the fold need chunks of their own');
          assert.equal(chunks.length, shownChunks + below, 'typing ended: the chunks of the rows below, each once');
          assert.equal(new Set(chunks).size, chunks.length, 'no chunk asked for twice');
          // The rows below came with their chunks, each arrival a render of the list and
          // no new search: the highlights followed every one of them.
          const words = ['ban', 'tin'];
          await eventually(
            'every row highlighted, only typed words, nothing left over',
            () => resultHighlights(page),
            ({ rows, stray }) =>
              rows.length === 20 &&
              stray.length === 0 &&
              rows.every((row) => row.title.length + row.snippet.length > 0) &&
              rows.every((row) => [...row.title, ...row.snippet].every((text) => !/\s/.test(text) && words.some((w) => foldForMatch(text).startsWith(w)))),
          );
        },
        { viewport: { width: 360, height: 640 } },
      );
    } finally {
      await server.close();
    }
  });

  test('typing pauses only once the rows on screen are complete, so the pause never lands on a slow answer', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // The pause that writes a typed query to the URL (300 ms) also renders every row and
    // asks for their articles: it waits until the rows on screen are complete, so it never
    // competes with a keystroke's own files. The host holds the chunks until the test lets
    // them go, and the page's clock moves only as the test moves it.
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    const heldChunks = [];
    const server = await startServer(DIST_DIR, {
      holdUntil: (pathname) => {
        if (!/\/archive\/[0-9a-f]{16}\.docs$/.test(pathname)) return undefined;
        heldChunks.push(pathname);
        return held;
      },
    });
    try {
      await withPage(browser, t, async (page) => {
        await page.goto(`${server.url}/#/search`);
        await waitUntilReady(page);
        await page.waitForSelector('ol.results a.result');
        await eventually('the first page complete', async () => (await archiveStatus(page)).kind === '');
        await page.clock.install();
        await page.clock.pauseAt(Date.now() + 60_000);
        await enterQuery(page, SEVERAL.query);
        // The clock moves in steps, so that a render waiting on a timer goes on too.
        const step = async () => {
          await page.clock.runFor(100);
          return {
            hash: await page.evaluate(() => location.hash),
            status: (await archiveStatus(page)).kind,
            pending: await page.locator('ol.results > li.pending').count(),
          };
        };
        await eventually('the rows on screen waiting for their chunks, held', step, (s) => heldChunks.length > 0 && s.status === 'fetching');
        await page.clock.runFor(2_000);
        const later = await step();
        assert.equal(later.hash, '#/search', `typing paused for 2 s, but the rows on screen still wait: no pause yet (${JSON.stringify(later)})`);
        assert.equal(later.status, 'fetching');

        release();
        await eventually('the rows on screen complete', async () => ({ ...(await archiveStatus(page)), pending: await page.locator('ol.results > li.pending').count() }), (s) => s.kind === '' && s.pending === 0);
        let advanced = 0;
        await eventually('the typed query in the URL once the reader has had the answer for a pause', async () => {
          const s = await step();
          advanced += 100;
          return s;
        }, (s) => s.hash.startsWith('#/search?'));
        assert.ok(advanced >= 300, `the pause counts from the answer, not from the key: written ${advanced} ms after it`);
      });
    } finally {
      release?.();
      await server.close();
    }
  });

  test('the facet counts a typed query shows once typing pauses are those of the same query opened from its URL', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // While typing, the engine counts no facet (the panel holds the URL's search's counts,
    // busy); the pause asks again with the counts.
    const panel = (page) =>
      page.evaluate(() => ({
        busy: document.querySelector('aside.filters')?.getAttribute('aria-busy') ?? null,
        q: new URLSearchParams(document.querySelector('ol.results a')?.getAttribute('href')?.split('?')[1] ?? '').get('q'),
        values: [...document.querySelectorAll('aside.filters button.facet-value')].map(
          (b) => `${b.closest('section')?.id}: ${b.querySelector('.facet-name')?.innerText} ${b.querySelector('.count')?.innerText}`,
        ),
      }));
    const server = await startServer(DIST_DIR);
    try {
      let archive;
      let typed;
      await withPage(browser, t, async (page) => {
        await page.goto(`${server.url}/#/search`);
        await waitUntilReady(page);
        archive = await eventually('the archive\'s counts', () => panel(page), (p) => p.busy === null && p.values.length > 0);
        await searchBox(page).focus();
        await page.keyboard.type(SEVERAL.query, { delay: 20 });
        typed = await eventually(
          `"${SEVERAL.query}" written to the URL and its counts shown`,
          async () => ({ ...(await panel(page)), route: (await hashRoute(page)).q, status: (await archiveStatus(page)).kind }),
          (p) => p.busy === null && p.q === SEVERAL.query && p.route === SEVERAL.query && p.status === '',
        );
      });
      await withPage(browser, t, async (page) => {
        await page.goto(`${server.url}/#/search?q=${encodeURIComponent(SEVERAL.query)}`);
        await waitUntilReady(page);
        const opened = await eventually(
          `"${SEVERAL.query}" opened from its URL with its counts`,
          async () => ({ ...(await panel(page)), status: (await archiveStatus(page)).kind }),
          (p) => p.busy === null && p.q === SEVERAL.query && p.status === '' && p.values.length > 0,
        );
        assert.deepEqual(typed.values, opened.values, 'the same counts as the query opened from its URL');
        assert.notDeepEqual(typed.values, archive.values, 'the query\'s counts, not the archive\'s');
      });
    } finally {
      await server.close();
    }
  });

  test('an article opened by a deep link shows its title, "more like this" and previous/next within its search, as the search lists them', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const server = await startServer(DIST_DIR);
    try {
      await withPage(browser, t, async (page) => {
        const article = (id) => `${server.url}/#/a/${id}?q=${encodeURIComponent(SEVERAL.query)}`;
        await page.goto(article(SEVERAL.id));
        await waitUntilReady(page);
        // Nothing of the archive but the root is in when the page opens: the article, the
        // search's ranges, its distinctive words' ranges and the chunks they name arrive
        // in rounds, and the page shows them as they come.
        const shown = await eventually(
          `the article ${SEVERAL.id} with its previous and next results and articles like it`,
          () =>
            page.evaluate(() => ({
              h1: document.querySelector('article h1')?.innerText ?? '',
              title: document.title,
              prev: document.querySelector('.article-nav a.prev')?.getAttribute('href') ?? null,
              next: document.querySelector('.article-nav a.next')?.getAttribute('href') ?? null,
              similar: [...document.querySelectorAll('aside.similar ol.results > li .result-title')].map((e) => e.innerText),
            })),
          (s) =>
            s.h1 !== '' &&
            s.title === `${s.h1} — docbao` &&
            s.prev !== null &&
            s.next !== null &&
            s.similar.length > 0 &&
            s.similar.every((title) => title.trim() !== ''),
        );
        assert.match(shown.h1, /^Đường sắt đô thị: bản tin số 22$/);
        assert.ok(!shown.similar.includes(shown.h1), 'an article is not "like" itself');
        for (const title of shown.similar) assert.ok(title.trim() !== '', 'every article like it has its title');

        // The same neighbours as the search page lists around it.
        await page.locator('.article-nav a.back').click();
        const results = await waitForResults(page, SEVERAL.query);
        const ids = results.map((r) => r.href.split('?')[0].replace('#/a/', ''));
        const at = ids.indexOf(SEVERAL.id);
        assert.ok(at > 0 && at < ids.length - 1, `${SEVERAL.id} is inside the results: ${ids.join(', ')}`);
        assert.equal(shown.prev.split('?')[0], `#/a/${ids[at - 1]}`, 'previous');
        assert.equal(shown.next.split('?')[0], `#/a/${ids[at + 1]}`, 'next');
      });
    } finally {
      await server.close();
    }
  });
  test('a deep link to an article the archive does not have, or to no page at all, says not found and settles: the service worker registers', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const server = await startServer(DIST_DIR);
    try {
      for (const [route, fetchesItsIdRange] of [
        ['#/a/no-such-article', true],
        ['#/no-such-page', false],
      ]) {
        await withPage(browser, t, async (page, { seen }) => {
          await page.goto(`${server.url}/${route}`);
          await waitUntilReady(page);
          await eventually(
            `the not-found page for ${route}`,
            () => page.evaluate(() => document.querySelector('section.not-found h1')?.innerText ?? ''),
            (h1) => h1 !== '',
          );
          if (fetchesItsIdRange) {
            assert.ok(archiveRequests(seen.requests).some((f) => f.endsWith('.ids')), 'the range of ids that would hold it was fetched');
          }
          // Set by the app only (the loader's time-out registers the worker without it).
          await eventually(
            `the ${route} page settled`,
            () => page.evaluate(() => performance.getEntriesByName('docbao:settled', 'mark').length),
            (marks) => marks === 1,
          );
          await waitForServiceWorkerControl(page);
        });
      }
    } finally {
      await server.close();
    }
  });
  test('"Tải toàn bộ để đọc offline" downloads every archive file once, and then any search works offline', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const server = await startServer(DIST_DIR);
    let serverOpen = true;
    try {
      await withPage(browser, t, async (page, { context, seen }) => {
        await page.goto(`${server.url}/#/search?q=${encodeURIComponent(NOTHING)}`);
        await waitUntilReady(page);
        await waitForServiceWorkerControl(page);
        await page.getByRole('button', { name: 'Tải toàn bộ để đọc offline' }).click();
        const total = archiveFiles().length - 1;
        const status = await eventually(
          'the download to finish, with the storage used',
          () =>
            page.evaluate(() => {
              const note = document.querySelector('.offline-status');
              return { finished: note?.dataset.finished, failed: note?.dataset.failed, text: note?.innerText ?? '' };
            }),
          (s) => s.finished === 'true' && s.text.includes('Bộ nhớ đang dùng'),
        );
        assert.equal(status.failed, '0');
        assert.match(status.text, new RegExp(`^Đã tải ${total}/${total} tệp \\(\\d+\\.\\d MB\\)\\.`));
        assert.deepEqual(archiveRequests(seen.requests), archiveFiles(), 'every archive file was fetched');

        await server.close();
        serverOpen = false;
        await context.setOffline(true);
        await page.goto(`${server.url}/#/search?q=${encodeURIComponent(NOTHING)}`);
        await waitUntilReady(page);
        await enterQuery(page, SECOND.query);
        await waitForResults(page, SECOND.query, (title) => title === SECOND.title);
        assert.deepEqual(await archiveStatus(page), { kind: '', text: '' }, 'nothing missing offline');
      });
    } finally {
      if (serverOpen) await server.close();
    }
  });
});
