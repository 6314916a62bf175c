// End-to-end tests of the release build: dist/ (or $DIST_DIR) served by
// server.mjs, driven in Debian's /usr/bin/chromium through playwright-core.
// Run: node --test tests/e2e/   (after `trunk build --release`)
//
// Every test fails on any console error, uncaught page error, failed request
// or HTTP status >= 400. Screenshots go to target/e2e-artifacts/ (gitignored).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST_DIR = path.resolve(process.env.DIST_DIR ?? path.join(REPO, 'dist'));
const ARTIFACTS = path.join(REPO, 'target', 'e2e-artifacts');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

// The seed article about Thanh Trì (seeds/000_2bd3c5a4fc348b9d.txt).
const THANH_TRI_ID = '000_2bd3c5a4fc348b9d';
const TEST_TIMEOUT_MS = 90_000;
const WAIT_MS = 20_000;

let browser;
let server;

// Checked up front, so a missing build is one clear failure, not six cancellations.
const setupProblem = !existsSync(path.join(DIST_DIR, 'index.html'))
  ? `${path.join(DIST_DIR, 'index.html')} is missing: run \`trunk build --release\` ` +
    '(after `source scripts/env.sh`), or scripts/test, first; or point DIST_DIR at a built dist/.'
  : !existsSync(CHROMIUM)
    ? `${CHROMIUM} is missing: run scripts/setup (it installs Debian's chromium).`
    : null;

test('the release build and Chromium are there to test', () => {
  if (setupProblem) assert.fail(setupProblem);
});

async function startAll() {
  // Screenshots are from this run only.
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer(DIST_DIR);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // As root Chromium needs --no-sandbox; the background-networking flags keep it
    // from calling out to a network that is closed here.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

async function stopAll() {
  await browser?.close();
  await server?.close();
}

// --- helpers -------------------------------------------------------------------

/** Polls `probe` until `accept(value)` holds; fails with `what` and the last value. */
async function eventually(what, probe, accept = Boolean, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (accept(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const seen = lastError ? `error: ${lastError.message}` : `last value: ${JSON.stringify(last)}`;
      assert.fail(`timed out after ${timeout} ms waiting for ${what} (${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function slug(text) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 80);
}

/**
 * Opens a fresh page, runs `body(page, problems)`, then fails the test if the page
 * logged a console error, threw, or had a request fail or answer >= 400.
 * On failure a screenshot is saved to target/e2e-artifacts/failure-<test>.png.
 */
async function withPage(t, body) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.stack ?? err.message}`));
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`),
  );
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  try {
    await body(page);
    assert.deepEqual(problems, [], `the page reported problems:\n${problems.join('\n')}`);
  } catch (err) {
    await page
      .screenshot({ path: path.join(ARTIFACTS, `failure-${slug(t.name)}.png`), fullPage: true })
      .catch(() => {});
    if (problems.length > 0 && !String(err.message).includes('the page reported problems')) {
      err.message += `\nthe page also reported:\n${problems.join('\n')}`;
    }
    throw err;
  } finally {
    await context.close();
  }
}

/** Waits until the app has set its `docbao:ready` User Timing mark. */
async function waitUntilReady(page) {
  await page.waitForFunction(() => performance.getEntriesByName('docbao:ready', 'mark').length > 0, null, {
    timeout: WAIT_MS,
  });
}

async function openApp(page, hash = '') {
  await page.goto(`${server.url}/${hash}`);
  await waitUntilReady(page);
}

function searchBox(page) {
  return page.getByRole('searchbox', { name: /tìm/i });
}

/** Types like a user, one key at a time, into the (cleared) search box. */
async function typeQuery(page, query) {
  const box = searchBox(page);
  await box.fill('');
  await box.pressSequentially(query, { delay: 40 });
}

/** The query in the URL hash, e.g. '#/search?q=thanh%20tri' -> 'thanh tri'. */
async function hashRoute(page) {
  const hash = await page.evaluate(() => location.hash);
  const [route, query = ''] = hash.split('?');
  return { hash, route, q: new URLSearchParams(query).get('q') };
}

async function resultTitles(page) {
  return page.locator('ol.results > li .result-title').allInnerTexts();
}

/** Waits until results for `query` are listed and the first title satisfies `firstOk`. */
async function waitForResults(page, query, firstOk = () => true) {
  return eventually(
    `results for "${query}"`,
    () => resultTitles(page),
    (titles) => titles.length > 0 && firstOk(titles[0]),
  );
}

// --- tests -----------------------------------------------------------------------

describe('docbao reader (release build)', { skip: setupProblem !== null, timeout: TEST_TIMEOUT_MS * 8 }, () => {
  before(startAll);
  after(stopAll);

  test(
    'a reader searches "thanh tri", opens the Thanh Trì article, reloads it and goes back to the results',
    { timeout: TEST_TIMEOUT_MS },
    async (t) => {
      await withPage(t, async (page) => {
        await openApp(page);

        // The app shows (or redirects to) the search route.
        const start = await hashRoute(page);
        assert.ok(
          ['', '#', '#/'].includes(start.hash) || start.route === '#/search',
          `expected the search route at start, got hash ${JSON.stringify(start.hash)}`,
        );
        assert.equal(await page.locator('input[type="search"]').count(), 1, 'exactly one search input');
        assert.equal(await searchBox(page).count(), 1, 'the search input has an accessible label matching /tìm/i');
        await searchBox(page).waitFor({ state: 'visible' });

        await typeQuery(page, 'thanh tri');

        // Results appear live, best first.
        const titles = await waitForResults(page, 'thanh tri', (first) => first.includes('Thanh Trì'));
        const items = page.locator('ol.results > li');
        const n = await items.count();
        assert.ok(n > 0);
        for (let i = 0; i < n; i++) {
          const item = items.nth(i);
          const href = await item.locator('a').first().getAttribute('href');
          assert.ok(href?.startsWith('#/a/'), `result ${i + 1} links to an article, got href ${JSON.stringify(href)}`);
          assert.equal(await item.locator('.result-title').count(), 1, `result ${i + 1} has one .result-title`);
          assert.ok((await item.locator('.result-title').innerText()).trim().length > 0, `result ${i + 1} title is empty`);
          assert.ok(await item.locator('.snippet').count() >= 1, `result ${i + 1} has a .snippet`);
          assert.ok((await item.locator('.snippet').first().innerText()).trim().length > 0, `result ${i + 1} snippet is empty`);
        }
        assert.ok(titles[0].includes('Thanh Trì'), `first title: ${titles[0]}`);

        // The live region announces the count.
        const count = page.locator('#result-count');
        assert.equal(await count.getAttribute('role'), 'status', '#result-count has role="status"');
        assert.notEqual(await count.getAttribute('aria-live'), null, '#result-count has aria-live');
        await eventually('a count like "2 kết quả" in #result-count', () => count.innerText(), (s) =>
          /\d+ kết quả/.test(s),
        );

        // The query is in the URL.
        const route = await eventually(
          'the URL hash #/search?q=thanh tri',
          () => hashRoute(page),
          (r) => r.route === '#/search' && r.q === 'thanh tri',
        );
        assert.equal(route.q, 'thanh tri');

        // Search timing is measured.
        assert.ok(
          await page.evaluate(() => performance.getEntriesByName('docbao:search', 'measure').length > 0),
          'a performance measure named docbao:search exists',
        );

        // Open the first result: the article route keeps the search it came from.
        await items.first().locator('a').first().click();
        await eventually(
          `the URL hash #/a/${THANH_TRI_ID}?q=thanh tri`,
          () => hashRoute(page),
          (r) => r.route === `#/a/${THANH_TRI_ID}` && r.q === 'thanh tri',
        );
        const articleHash = await page.evaluate(() => location.hash);
        const checkArticle = async () => {
          const h1 = page.locator('article h1');
          await eventually('an article h1 containing "Thanh Trì"', () => h1.innerText(), (s) => s.includes('Thanh Trì'));
          assert.equal(await h1.count(), 1, 'exactly one article h1');
          const paragraphs = await page.locator('article p').count();
          assert.ok(paragraphs >= 5, `the article has at least 5 paragraphs, got ${paragraphs}`);
        };
        await checkArticle();
        await page.screenshot({ path: path.join(ARTIFACTS, 'article-thanh-tri.png'), fullPage: true });

        // A deep link survives a reload.
        await page.reload();
        await waitUntilReady(page);
        assert.equal(await page.evaluate(() => location.hash), articleHash);
        await checkArticle();

        // Back returns to the search, with the query and its results.
        await page.goBack();
        await eventually(
          'the search route with q=thanh tri after going back',
          () => hashRoute(page),
          (r) => r.route === '#/search' && r.q === 'thanh tri',
        );
        await eventually('the query "thanh tri" back in the search box', () => searchBox(page).inputValue(), (v) =>
          v === 'thanh tri',
        );
        await waitForResults(page, 'thanh tri', (first) => first.includes('Thanh Trì'));
      });
    },
  );

  for (const query of ['covid', 'dinh tien dung', 'cach ly']) {
    test(`searching "${query}" without diacritics lists results`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
      await withPage(t, async (page) => {
        await openApp(page);
        await typeQuery(page, query);
        await waitForResults(page, query);
        await eventually('a count in #result-count', () => page.locator('#result-count').innerText(), (s) =>
          /\d+ kết quả/.test(s),
        );
      });
    });
  }

  test('searching "dinh tien dung" ranks a title with "Đinh Tiến Dũng" first', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    await withPage(t, async (page) => {
      await openApp(page);
      await typeQuery(page, 'dinh tien dung');
      const titles = await waitForResults(page, 'dinh tien dung', (first) => first.includes('Đinh Tiến Dũng'));
      assert.ok(titles[0].includes('Đinh Tiến Dũng'), `first title: ${titles[0]}`);
    });
  });

  test('an unknown article link shows a "Không tìm thấy" message instead of crashing', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    await withPage(t, async (page) => {
      await openApp(page, '#/a/does-not-exist');
      await eventually('a "Không tìm thấy" message', () => page.locator('body').innerText(), (s) =>
        s.includes('Không tìm thấy'),
      );
    });
  });
});
