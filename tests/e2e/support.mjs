// Shared harness for the end-to-end tests: a static server for a built dist/, Debian's
// Chromium through playwright-core, and helpers that act as a reader would.
//
// Every page opened through `withPage` fails its test on any console error, uncaught
// page error, failed request or HTTP status >= 400. Screenshots go to
// target/e2e-artifacts/ (gitignored).
//
// Waiting: the app renders in tasks after the event that caused them, and may let the
// browser run between a page's render and its parts' (the facet panel, the pager). So a
// test never sleeps and never waits for one thing to assert another: it polls the very
// state it asserts (`eventually`, `eventuallyEqual`), read in one `page.evaluate` when
// several parts of the page must agree.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(REPO, 'target', 'e2e-artifacts');
export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
// Generous, for a loaded 2-core machine: a passing test takes a few seconds, and only a
// failing one waits this long.
export const TEST_TIMEOUT_MS = 180_000;
export const WAIT_MS = 30_000;

/** Why the tests of `distDir` cannot run (a missing build or browser), or null. */
export function setupProblem(distDir, howToBuild) {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    return `${path.join(distDir, 'index.html')} is missing: ${howToBuild}`;
  }
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing: run scripts/setup (it installs Debian's chromium).`;
  return null;
}

/**
 * Polls `probe` until `accept(value)` holds and returns that value; fails with `what`
 * and the last value after `timeout` ms.
 */
export async function eventually(what, probe, accept = Boolean, timeout = WAIT_MS) {
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

/** Polls `probe` until its value deep-equals `expected`; fails with `what` and a diff. */
export async function eventuallyEqual(what, probe, expected, timeout = WAIT_MS) {
  let last;
  try {
    return await eventually(
      what,
      async () => (last = await probe()),
      (value) => isDeepStrictEqual(value, expected),
      timeout,
    );
  } catch (err) {
    if (last === undefined) throw err;
    assert.deepEqual(last, expected, err.message);
    throw err;
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
 * Debian's Chromium, headless, as root and on a closed network. `certificateSpki` (a
 * bench's HTTPS server, `benchCertificate` in server.mjs): the one self-signed
 * certificate it accepts as valid.
 */
export function launchBrowser({ certificateSpki } = {}) {
  return chromium.launch({
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
      ...(certificateSpki ? [`--ignore-certificate-errors-spki-list=${certificateSpki}`] : []),
    ],
  });
}

/**
 * Opens a fresh page (in a fresh context, so storage and service workers start empty,
 * unless `context` is given), runs `body(page, { context, seen })`, then fails the test
 * if the page logged a console error, threw, or had a request fail or answer >= 400.
 * `seen` collects every URL requested by the page or its service worker, console
 * warnings and errors, for tests to look at; `cspViolations(page)` lists what the CSP
 * blocked. `expectedErrors` are console errors a test provokes on purpose: each must then
 * occur; `expectedFailedRequests` likewise, URLs whose request a test makes fail on
 * purpose (offline); `expectedHttpErrors` likewise, for answers >= 400 given as
 * `HTTP <status>: <method> <url>` (a service worker refusing a damaged file). On failure a
 * screenshot is saved to target/e2e-artifacts/failure-<test>.png.
 */
export async function withPage(
  browser,
  t,
  body,
  {
    viewport = { width: 1280, height: 900 },
    context: shared,
    expectedErrors = [],
    expectedFailedRequests = [],
    expectedHttpErrors = [],
  } = {},
) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const context = shared ?? (await browser.newContext({ viewport, locale: 'vi-VN' }));
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`),
    );
  });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems = [];
  const seen = { requests: [], warnings: [], errors: [], failedRequests: [], httpErrors: [] };
  const onRequest = (req) => seen.requests.push(req.url());
  context.on('request', onRequest);
  page.on('console', (msg) => {
    if (msg.type() === 'warning') seen.warnings.push(msg.text());
    if (msg.type() !== 'error') return;
    seen.errors.push(msg.text());
    if (!expectedErrors.some((pattern) => pattern.test(msg.text()))) {
      problems.push(`console error: ${msg.text()} (${msg.location().url})`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.stack ?? err.message}`));
  // A navigation (a reload, say) cancels what the page was still loading, such as its
  // icon on a slow machine: the test's doing, not a failure. Any other failure counts.
  let navigations = 0;
  const navigationsAtStart = new WeakMap();
  page.on('request', (req) => {
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) navigations += 1;
    else navigationsAtStart.set(req, navigations);
  });
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText;
    const cancelledByNavigation = error === 'net::ERR_ABORTED' && navigationsAtStart.get(req) < navigations;
    seen.failedRequests.push(req.url());
    if (expectedFailedRequests.some((pattern) => pattern.test(req.url()))) return;
    if (!cancelledByNavigation) problems.push(`request failed: ${req.method()} ${req.url()} (${error})`);
  });
  page.on('response', (res) => {
    if (res.status() < 400) return;
    const error = `HTTP ${res.status()}: ${res.request().method()} ${res.url()}`;
    seen.httpErrors.push(error);
    if (!expectedHttpErrors.some((pattern) => pattern.test(error))) problems.push(error);
  });
  try {
    await body(page, { context, seen });
    for (const pattern of expectedErrors) {
      assert.ok(seen.errors.some((text) => pattern.test(text)), `expected a console error matching ${pattern}`);
    }
    for (const pattern of expectedFailedRequests) {
      assert.ok(seen.failedRequests.some((url) => pattern.test(url)), `expected a failed request matching ${pattern}`);
    }
    for (const pattern of expectedHttpErrors) {
      assert.ok(seen.httpErrors.some((error) => pattern.test(error)), `expected an HTTP error matching ${pattern}`);
    }
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
    context.off('request', onRequest);
    if (shared) await page.close();
    else await context.close();
  }
}

/** What the page's Content-Security-Policy blocked so far. */
export function cspViolations(page) {
  return page.evaluate(() => window.__cspViolations ?? []);
}

/** A dist/ served on 127.0.0.1 and a headless Chromium to read it with. */
export class Harness {
  constructor(distDir) {
    this.distDir = distDir;
  }

  async start() {
    this.server = await startServer(this.distDir);
    this.browser = await launchBrowser();
  }

  async stop() {
    await this.browser?.close();
    await this.server?.close();
  }

  get url() {
    return this.server.url;
  }

  withPage(t, body, options) {
    return withPage(this.browser, t, body, options);
  }

  async openApp(page, hash = '') {
    await page.goto(`${this.url}/${hash}`);
    await waitUntilReady(page);
  }
}

/**
 * The article page's line naming its original ("Bài gốc: …"), read at one instant: its
 * text, and its links' targets and `rel`s (none where the URL is no http(s) link); null
 * while the page has no such line.
 */
export function articleOrigin(page) {
  return page.evaluate(() => {
    const line = document.querySelector('article.article .article-origin');
    if (!line) return null;
    const links = [...line.querySelectorAll('a')];
    return {
      text: line.innerText,
      hrefs: links.map((a) => a.getAttribute('href')),
      rels: links.map((a) => a.getAttribute('rel')),
      title: document.querySelector('article.article h1')?.innerText ?? '',
    };
  });
}

/**
 * Checks the original's line of the fixture's articles `fx-000` (an https URL: a link,
 * shown without its scheme) and `fx-001` (a `javascript:` URL: text, never a link),
 * opened in that order at `base` (the app's URL).
 */
export async function assertFixtureOrigins(page, base) {
  await page.goto(`${base}/#/a/fx-000`);
  await waitUntilReady(page);
  const linked = await eventually(
    "fx-000's original",
    () => articleOrigin(page),
    (o) => o !== null && o.title.includes('bản tin số 0') && o.hrefs.length === 1,
  );
  assert.deepEqual(linked.hrefs, ['https://tin.example.vn/thoi-su/ban-tin-so-0.htm']);
  assert.deepEqual(linked.rels, ['noopener noreferrer']);
  assert.equal(linked.text, 'Bài gốc: tin.example.vn/thoi-su/ban-tin-so-0.htm');
  await page.goto(`${base}/#/a/fx-001`);
  const shown = await eventually(
    "fx-001's original",
    () => articleOrigin(page),
    (o) => o !== null && o.title.includes('bản tin số 1'),
  );
  assert.deepEqual(shown.hrefs, [], 'a javascript: URL is no link');
  assert.equal(shown.text, 'Bài gốc: javascript:alert(document.domain)');
  const scriptLinks = await page.evaluate(() =>
    [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href'))).length,
  );
  assert.equal(scriptLinks, 0, 'no link on the page runs a script');
}

/** Waits until an activated service worker controls the page. */
export async function waitForServiceWorkerControl(page) {
  await eventually(
    'an activated service worker controlling the page',
    () => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'),
    (state) => state === 'activated',
  );
}

/** Waits until the app has set its `docbao:ready` User Timing mark. */
export async function waitUntilReady(page) {
  await page.waitForFunction(() => performance.getEntriesByName('docbao:ready', 'mark').length > 0, null, {
    timeout: WAIT_MS,
  });
}

export function searchBox(page) {
  return page.locator('input#q[type="search"]');
}

/** Types like a user, one key at a time, into the (cleared) search box. */
export async function typeQuery(page, query) {
  const box = searchBox(page);
  await box.fill('');
  await box.pressSequentially(query, { delay: 40 });
}

/** The route and query of the URL hash, e.g. '#/search?q=thanh%20tri'. */
export async function hashRoute(page) {
  const hash = await page.evaluate(() => location.hash);
  const [route, query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  return { hash, route, q: params.get('q'), params };
}

/**
 * The result titles as the DOM holds them. Not `innerText`: a row off screen is skipped by
 * `content-visibility: auto`, and Chromium can read its rendered text as ''.
 */
export async function resultTitles(page) {
  return page.locator('ol.results > li .result-title').allTextContents();
}

/**
 * The result list as shown, read at one instant: each item's title, snippet, link, and
 * the query its link carries (the search the list was rendered for).
 */
export async function resultList(page) {
  return (await shownList(page)).list;
}

/** `resultList`, and whether it is partial (see `listIsPartial`), read at one instant. */
function shownList(page) {
  return page.evaluate(() => ({
    partial: !!document.querySelector('ol.results[aria-busy]'),
    list: [...document.querySelectorAll('ol.results > li')].map((li) => {
      const href = li.querySelector('a')?.getAttribute('href') ?? null;
      return {
        title: li.querySelector('.result-title')?.innerText ?? null,
        snippet: li.querySelector('.snippet')?.innerText ?? null,
        href,
        q: new URLSearchParams(href?.split('?')[1] ?? '').get('q'),
      };
    }),
  }));
}

/** Whether the search page shows only the first rows of its list (while a query is typed). */
export function listIsPartial(page) {
  return page.evaluate(() => !!document.querySelector('ol.results[aria-busy]'));
}

/**
 * Waits until the list shows the results of `query` itself (every link carries it: a
 * list still showing an earlier keystroke's search does not count), whole (not only the
 * rows rendered while typing), and its first title satisfies `firstOk`; returns that
 * list (see `resultList`).
 */
export async function waitForResults(page, query, firstOk = () => true) {
  const { list } = await eventually(
    `results for "${query}", every row`,
    () => shownList(page),
    ({ list, partial }) => !partial && list.length > 0 && list.every((item) => item.q === query) && firstOk(list[0].title),
  );
  return list;
}

/**
 * Counts the page's fetches in flight from the call (`window.__fetchesInFlight()`), for
 * every page the context opens after: Chromium may hold a low-priority fetch (the chunks
 * of rows below the fold) before it is sent, so the network alone would not show it.
 */
export async function countFetchesInFlight(page) {
  await page.addInitScript(() => {
    let inFlight = 0;
    window.__fetchesInFlight = () => inFlight;
    const fetch = window.fetch;
    window.fetch = function (...args) {
      inFlight++;
      const done = () => inFlight--;
      const response = fetch.apply(this, args);
      response.then(done, done);
      return response;
    };
  });
}

/**
 * What each row of a result list (`list`, a selector: the search page's by default)
 * highlights, read at one instant: `{ via, rows, stray }`. `rows[i]` is `{ title, snippet }`,
 * the texts highlighted in row i's title and snippet, in order. `via` says how the page
 * shows them: `'highlight'`, ranges of the `docbao-result` CSS Custom Highlight
 * (`CSS.highlights`), or `'mark'`, `<mark>` elements (a browser without the API; empty
 * ones, which take no room, are left out). `stray`: the texts of ranges over no row's
 * title or snippet (ranges left from an earlier render), which should be none.
 */
export function resultHighlights(page, list = 'ol.results') {
  return page.evaluate((list) => {
    const rows = [...document.querySelectorAll(`${list} > li`)].map((li) => ({
      title: li.querySelector('.result-title'),
      snippet: li.querySelector('.snippet'),
    }));
    const out = rows.map(() => ({ title: [], snippet: [] }));
    if (!window.CSS?.highlights) {
      rows.forEach((row, i) => {
        for (const part of ['title', 'snippet']) {
          out[i][part] = [...(row[part]?.querySelectorAll('mark') ?? [])].map((m) => m.textContent).filter((text) => text !== '');
        }
      });
      return { via: 'mark', rows: out, stray: [] };
    }
    const stray = [];
    const inOneText = (range) => range.startContainer === range.endContainer && range.startContainer.nodeType === Node.TEXT_NODE;
    // A StaticRange has no toString(): its text is read from its container.
    const text = (range) => (inOneText(range)
      ? range.startContainer.data.slice(range.startOffset, range.endOffset)
      : `(a range from ${range.startContainer.nodeName} to ${range.endContainer.nodeName})`);
    const ranges = [...(CSS.highlights.get('docbao-result') ?? [])];
    ranges.sort((a, b) => a.startOffset - b.startOffset);
    for (const range of ranges) {
      const element = range.startContainer.parentElement;
      const at = rows.findIndex((row) => row.title === element || row.snippet === element);
      if (at < 0 || !inOneText(range) || range.collapsed) {
        stray.push(text(range));
        continue;
      }
      out[at][rows[at].title === element ? 'title' : 'snippet'].push(text(range));
    }
    return { via: 'highlight', rows: out, stray };
  }, list);
}

/** Letters without marks, `đ` as `d`, lowercase: how a highlighted word compares to a typed one. */
export function foldForMatch(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}
