// End-to-end tests of a sharded archive's offline copy across visits and deployments
// (issue 11): the fixture built sharded (target/dist-fixture-sharded, or
// $FIXTURE_SHARDED_DIST_DIR) and rebuilt with one article added
// (target/dist-fixture-sharded-rebuilt, or $FIXTURE_SHARDED_REBUILT_DIST_DIR), as
// scripts/test builds them.
//
// - Files a first visit's page fetched before the service worker controlled it end up in
//   the worker's archive cache too.
// - After the rebuild, a reader who downloaded the whole archive downloads only the files
//   whose content changed (new names), keeps the others, and reads every article offline.
// - Once the worker controls the page, archive files go past it (static routes): the page
//   fetches them from the host, checks them and hands them to the worker, which keeps them.
// - An archive file the host sends damaged is refused (the page checks every file against
//   its name, and so does the worker before it caches one), and never cached.
//
// Run: node --test tests/e2e/sharded-offline.test.mjs   (after those builds)

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer } from './server.mjs';
import {
  REPO,
  TEST_TIMEOUT_MS,
  eventually,
  eventuallyEqual,
  launchBrowser,
  searchBox,
  setupProblem as checkSetup,
  waitForResults,
  waitForServiceWorkerControl,
  waitUntilReady,
  withPage,
} from './support.mjs';

const DIST_DIR = path.resolve(process.env.FIXTURE_SHARDED_DIST_DIR ?? path.join(REPO, 'target', 'dist-fixture-sharded'));
const REBUILT_DIR = path.resolve(
  process.env.FIXTURE_SHARDED_REBUILT_DIST_DIR ?? path.join(REPO, 'target', 'dist-fixture-sharded-rebuilt'),
);

// Articles of the first build, far apart in it (two chunks of stored articles), and the
// one the rebuild adds (tests/fixtures/reader-corpus-added.jsonl).
const FIRST = { query: 'đường sắt 12', title: 'Đường sắt đô thị: bản tin số 12' };
const SECOND = { query: 'mưa lớn 43', title: 'Mưa lớn: bản tin số 43' };
const ADDED = { query: 'giá vàng 45', title: 'Giá vàng: bản tin số 45' };
const NOTHING = 'qqqq';

const HOW_TO_BUILD =
  'build the fixture sharded, and again with tests/fixtures/reader-corpus-added.jsonl after it (scripts/test does).';
const setupProblem = checkSetup(DIST_DIR, HOW_TO_BUILD) ?? checkSetup(REBUILT_DIR, HOW_TO_BUILD);

test('the sharded fixture builds and Chromium are there to test', () => {
  if (setupProblem) assert.fail(setupProblem);
});

/** The archive's files (no root) of a build, as `archive/<name>` with their sizes. */
function archiveFilesOf(dir) {
  const files = new Map();
  for (const name of readdirSync(path.join(dir, 'archive'))) {
    if (!name.endsWith('.root')) files.set(`archive/${name}`, statSync(path.join(dir, 'archive', name)).size);
  }
  return files;
}

/** Paths (`archive/<name>`, no root) of the archive files the host sent. */
function archiveFilesServed(server) {
  return server.served.map(({ path: p }) => p.slice(1)).filter((p) => p.startsWith('archive/') && !p.endsWith('.root'));
}

/** The archive files in the worker's archive cache, as `archive/<name>`, sorted. */
function archiveFilesCached(page) {
  return page.evaluate(async () => {
    const scope = new URL('./', location.href).href;
    const name = `docbao-archive ${scope}`;
    if (!(await caches.has(name))) return [];
    const cache = await caches.open(name);
    return (await cache.keys())
      .map((request) => request.url.slice(scope.length))
      .filter((file) => /^archive\/[0-9a-f]{16}\.[a-z]+$/.test(file))
      .sort();
  });
}

/**
 * The archive files in the worker's archive cache whose bytes do not hash to their name
 * (`archive/<first 16 hex digits of SHA-256>.<kind>`), as `archive/<name>`.
 */
function damagedFilesCached(page) {
  return page.evaluate(async () => {
    const scope = new URL('./', location.href).href;
    const cache = await caches.open(`docbao-archive ${scope}`);
    const damaged = [];
    for (const request of await cache.keys()) {
      const file = request.url.slice(scope.length);
      const hash = file.match(/^archive\/([0-9a-f]{16})\.[a-z]+$/)?.[1];
      if (!hash) continue;
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await (await cache.match(request)).arrayBuffer()));
      const hex = Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
      if (hex !== hash) damaged.push(file);
    }
    return damaged;
  });
}

/** The archive status note the page shows ('' when none), read at one instant. */
function archiveStatus(page) {
  return page.evaluate(() => document.querySelector('.archive-status')?.dataset.archive ?? '');
}

/** The host gone and the browser offline, the page loaded again from the worker's caches. */
async function reloadOffline(page, context, server) {
  await server.close();
  await context.setOffline(true);
  await page.reload();
  await waitUntilReady(page);
}

/** Searches offline for an article and expects it found from what the worker kept. */
async function findsOffline(page, { query, title }) {
  await searchBox(page).fill(query);
  await waitForResults(page, query, (first) => first === title);
  assert.equal(await archiveStatus(page), '', `nothing missing for "${query}"`);
}

describe('a sharded archive kept offline', { skip: setupProblem !== null }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the service worker is fetched only once the first page has its files, so it never competes with them', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // The first results' article chunks are held back: until they arrive, the page is not
    // settled, and the loader must not have asked for sw.js (which precaches the app).
    const arrivals = [];
    let releaseChunks;
    const chunksHeld = new Promise((resolve) => {
      releaseChunks = resolve;
    });
    const server = await startServer(DIST_DIR, {
      holdUntil: (pathname) => {
        arrivals.push(pathname);
        return pathname.endsWith('.docs') ? chunksHeld : undefined;
      },
    });
    const firstChunk = () => arrivals.findIndex((p) => p.endsWith('.docs'));
    try {
      await withPage(browser, t, async (page) => {
        await page.goto(`${server.url}/#/search?q=${encodeURIComponent(FIRST.query)}`, { waitUntil: 'commit' });
        await eventually('a chunk of the first results asked for', () => firstChunk() >= 0);
        assert.ok(!arrivals.includes('/sw.js'), `sw.js was fetched before the first results' files: ${arrivals.join(', ')}`);
        releaseChunks();
        await waitForResults(page, FIRST.query, (title) => title === FIRST.title);
        await waitForServiceWorkerControl(page);
        assert.ok(arrivals.indexOf('/sw.js') > firstChunk(), `sw.js after the first chunk: ${arrivals.join(', ')}`);
      });
    } finally {
      releaseChunks();
      await server.close();
    }
  });

  test('files a first visit fetched before the service worker controlled the page are cached too', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // sw.js is held back until the first search has shown its result, so the root, the
    // lexicon, the ranges and the chunk of that search all come from the network, seen
    // by no worker.
    let releaseWorker;
    const workerHeld = new Promise((resolve) => {
      releaseWorker = resolve;
    });
    const server = await startServer(DIST_DIR, { holdUntil: (pathname) => (pathname === '/sw.js' ? workerHeld : undefined) });
    try {
      await withPage(
        browser,
        t,
        async (page, { context }) => {
          // Not waiting for 'load': the loader's registration is what is held back.
          await page.goto(`${server.url}/#/search?q=${encodeURIComponent(FIRST.query)}`, { waitUntil: 'commit' });
          await waitUntilReady(page);
          await waitForResults(page, FIRST.query, (title) => title === FIRST.title);
          assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null, 'no worker yet');
          const fetchedFirst = [...new Set(archiveFilesServed(server))].sort();
          assert.ok(fetchedFirst.some((file) => file.endsWith('.docs')), `a chunk was fetched: ${fetchedFirst.join(', ')}`);
          assert.ok(fetchedFirst.some((file) => file.endsWith('.fold')), `a term range was fetched: ${fetchedFirst.join(', ')}`);

          releaseWorker();
          await waitForServiceWorkerControl(page);
          await eventually(
            'every archive file the page fetched before the worker, in a cache of the worker',
            () =>
              page.evaluate(async (files) => {
                const found = await Promise.all(files.map((file) => caches.match(new URL(file, location.href).href)));
                return files.filter((_, i) => found[i] === undefined);
              }, fetchedFirst),
            (missing) => missing.length === 0,
          );

          await reloadOffline(page, context, server);
          await findsOffline(page, FIRST);
        },
      );
    } finally {
      releaseWorker();
      await server.close();
    }
  });

  test(
    'after a rebuild with one article added, the whole archive stays offline and only changed files are downloaded again',
    { timeout: TEST_TIMEOUT_MS },
    async (t) => {
      const site = mkdtempSync(path.join(tmpdir(), 'docbao-sharded-deploy-'));
      cpSync(DIST_DIR, site, { recursive: true });
      const server = await startServer(site);
      try {
        await withPage(browser, t, async (page, { context }) => {
          const before = archiveFilesOf(DIST_DIR);
          const afterRebuild = archiveFilesOf(REBUILT_DIR);
          await page.goto(`${server.url}/#/search?q=${encodeURIComponent(NOTHING)}`);
          await waitUntilReady(page);
          await waitForServiceWorkerControl(page);

          // The archive's size, said before the download starts.
          const bytes = [...before.values()].reduce((sum, size) => sum + size, 0);
          const size = await page.locator('.offline-size').innerText();
          assert.equal(size, `Toàn bộ kho báo: ${before.size} tệp, ${(bytes / 1_000_000).toFixed(1)} MB.`);

          await page.getByRole('button', { name: 'Tải toàn bộ để đọc offline' }).click();
          await eventually(
            'the whole archive downloaded',
            () => page.evaluate(() => document.querySelector('.offline-status')?.dataset.finished),
            (finished) => finished === 'true',
          );
          await eventuallyEqual('the whole first build in the archive cache', () => archiveFilesCached(page), [...before.keys()].sort());

          // The next deployment: the rebuilt dist/ replaces the first, file for file.
          for (const entry of readdirSync(site)) rmSync(path.join(site, entry), { recursive: true, force: true });
          cpSync(REBUILT_DIR, site, { recursive: true });
          server.served.length = 0;
          await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
          const banner = page.getByRole('status').filter({ hasText: 'Có phiên bản mới' });
          await banner.waitFor({ state: 'visible' });
          await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Tải lại' }).click()]);
          await waitUntilReady(page);
          await eventuallyEqual(
            "the rebuild's archive in the archive cache, the first build's other files gone",
            () => archiveFilesCached(page),
            [...afterRebuild.keys()].sort(),
          );

          const changed = [...afterRebuild.keys()].filter((file) => !before.has(file)).sort();
          const kept = [...afterRebuild.keys()].filter((file) => before.has(file));
          const downloadedAgain = [...new Set(archiveFilesServed(server))].sort();
          assert.ok(kept.some((file) => file.endsWith('.docs')), 'the rebuild keeps the names of unchanged chunks');
          assert.deepEqual(downloadedAgain, changed, 'the update downloads the changed archive files, and only those');
          const sum = (files) => files.reduce((total, file) => total + afterRebuild.get(file), 0);
          t.diagnostic(
            `one article added to ${before.size} archive files: ${changed.length} files (${sum(changed)} of ${sum([...afterRebuild.keys()])} bytes) downloaded again, ${kept.length} kept`,
          );

          await reloadOffline(page, context, server);
          await findsOffline(page, FIRST);
          await findsOffline(page, SECOND);
          await findsOffline(page, ADDED);
        });
      } finally {
        await server.close();
        rmSync(site, { recursive: true, force: true });
      }
    },
  );
  test('with the worker in control, archive files go past it: the page fetches and checks them, the worker keeps them', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const server = await startServer(DIST_DIR);
    try {
      await withPage(browser, t, async (page, { context }) => {
        const askedByWorker = new Set();
        context.on('request', (request) => {
          if (request.serviceWorker() !== null) askedByWorker.add(new URL(request.url()).pathname.slice(1));
        });
        await page.goto(`${server.url}/#/search?q=${encodeURIComponent(NOTHING)}`);
        await waitUntilReady(page);
        await waitForServiceWorkerControl(page);
        const servedBefore = new Set(archiveFilesServed(server));

        await searchBox(page).fill(SECOND.query);
        await waitForResults(page, SECOND.query, (title) => title === SECOND.title);
        const fetchedControlled = [...new Set(archiveFilesServed(server))].filter((file) => !servedBefore.has(file)).sort();
        assert.ok(fetchedControlled.some((file) => file.endsWith('.docs')), `a chunk was fetched: ${fetchedControlled.join(', ')}`);
        const throughWorker = fetchedControlled.filter((file) => askedByWorker.has(file));
        assert.deepEqual(throughWorker, [], 'the worker fetched none of them: the page did');
        await eventually(
          'every file of that search in the worker\'s archive cache',
          async () => {
            const cached = new Set(await archiveFilesCached(page));
            return fetchedControlled.filter((file) => !cached.has(file));
          },
          (missing) => missing.length === 0,
        );
        assert.deepEqual(await damagedFilesCached(page), []);
        const servedOnce = archiveFilesServed(server).length;

        // Searched again in a new page: answered from the cache, the host not asked.
        const again = await context.newPage();
        await again.goto(`${server.url}/#/search?q=${encodeURIComponent(SECOND.query)}`);
        await waitUntilReady(again);
        await waitForResults(again, SECOND.query, (title) => title === SECOND.title);
        assert.deepEqual(archiveFilesServed(server).slice(servedOnce), [], 'no archive file asked of the host again');
        await again.close();

        await reloadOffline(page, context, server);
        await findsOffline(page, SECOND);
      });
    } finally {
      await server.close();
    }
  });

  test('an archive file the host sends damaged is refused and never cached; sent whole, it is cached', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // A site whose every chunk of stored articles is damaged: one byte flipped, the name
    // kept, as a broken upload or a corrupting proxy would leave it.
    const site = mkdtempSync(path.join(tmpdir(), 'docbao-sharded-damaged-'));
    cpSync(DIST_DIR, site, { recursive: true });
    const archiveDir = path.join(site, 'archive');
    const whole = new Map(
      readdirSync(archiveDir)
        .filter((name) => name.endsWith('.docs'))
        .map((name) => [name, readFileSync(path.join(archiveDir, name))]),
    );
    assert.ok(whole.size >= 2, 'chunks to damage');
    for (const [name, bytes] of whole) {
      const damaged = Buffer.from(bytes);
      damaged[damaged.length >> 1] ^= 0xff;
      writeFileSync(path.join(archiveDir, name), damaged);
    }
    const server = await startServer(site);
    try {
      await withPage(
        browser,
        t,
        async (page, { seen }) => {
          await page.goto(`${server.url}/#/search?q=${encodeURIComponent(NOTHING)}`);
          await waitUntilReady(page);
          await waitForServiceWorkerControl(page);

          // The worker in control now: the search's chunk comes damaged, the page refuses
          // it (asking the host once more, past the HTTP cache) and says a part is missing.
          const servedBefore = archiveFilesServed(server).length;
          await searchBox(page).fill(FIRST.query);
          await eventually(`the note that "${FIRST.query}" misses a part of the archive`, () => archiveStatus(page), (s) => s === 'missing');
          const refused = seen.warnings.filter((text) => /[0-9a-f]{16}\.docs: .*damaged/.test(text));
          assert.ok(refused.length > 0, `the page refused a damaged chunk: ${seen.warnings.join(', ')}`);
          const chunksServed = archiveFilesServed(server).slice(servedBefore).filter((file) => file.endsWith('.docs'));
          assert.ok(
            chunksServed.some((file, i) => chunksServed.indexOf(file) !== i),
            `a damaged chunk was asked for once more: ${chunksServed.join(', ')}`,
          );
          const cached = await archiveFilesCached(page);
          assert.deepEqual(cached.filter((file) => file.endsWith('.docs')), [], 'no damaged chunk was cached');
          assert.deepEqual(await damagedFilesCached(page), []);

          // The host repaired: the next search fetches the chunks again, and keeps them.
          for (const [name, bytes] of whole) writeFileSync(path.join(archiveDir, name), bytes);
          await searchBox(page).fill(SECOND.query);
          await waitForResults(page, SECOND.query, (title) => title === SECOND.title);
          await searchBox(page).fill(FIRST.query);
          await waitForResults(page, FIRST.query, (title) => title === FIRST.title);
          // Handed to the worker once the page has fetched nothing for a moment.
          await eventually(
            'the whole chunks cached',
            async () => (await archiveFilesCached(page)).filter((file) => file.endsWith('.docs')),
            (chunksCached) => chunksCached.length >= 2,
          );
          assert.deepEqual(await damagedFilesCached(page), [], 'every cached file hashes to its name');
        },
      );
    } finally {
      await server.close();
      rmSync(site, { recursive: true, force: true });
    }
  });
});
