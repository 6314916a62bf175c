// End-to-end tests of "open it in a browser, host it on any static host, use it offline":
// the release dist/ (or $DIST_DIR) on hostile-ish static hosts (a sub-path, a wrong
// MIME type for .wasm, a strict Content-Security-Policy), offline through the service
// worker, a new build taking over, and the single file (dist-single/docbao.html, or
// $SINGLE_FILE) opened from file://. Driven in /usr/bin/chromium by playwright-core.
//
// Run: node --test tests/e2e/   (after `trunk build --release` and `scripts/single-file --from-dist`)
//
// Every test fails on any console error, uncaught page error, failed request or HTTP
// status >= 400, as in reader.test.mjs.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { writeServiceWorker } from '../../scripts/post-build.mjs';
import { startServer } from './server.mjs';
import {
  CHROMIUM,
  REPO,
  TEST_TIMEOUT_MS,
  cspViolations,
  eventually,
  eventuallyEqual,
  hashRoute,
  launchBrowser,
  waitForResults,
  waitUntilReady,
  withPage as pageIn,
} from './support.mjs';

const DIST_DIR = path.resolve(process.env.DIST_DIR ?? path.join(REPO, 'dist'));
const SINGLE_FILE = path.resolve(process.env.SINGLE_FILE ?? path.join(REPO, 'dist-single', 'docbao.html'));

// The seed article about Thanh Trì (seeds/000_2bd3c5a4fc348b9d.txt).
const THANH_TRI_ID = '000_2bd3c5a4fc348b9d';

// The ingest report: cached by the service worker once opened, not precached.
const REPORT = 'ingest-report.json';

// The policy README.md gives for static hosts.
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const SUB_PATH = '/archive/docbao/';

const setupProblem = !existsSync(path.join(DIST_DIR, 'index.html'))
  ? `${path.join(DIST_DIR, 'index.html')} is missing: run \`trunk build --release\` (after \`source scripts/env.sh\`), or scripts/test, first.`
  : !existsSync(SINGLE_FILE)
    ? `${SINGLE_FILE} is missing: run \`scripts/single-file --from-dist\` (or scripts/test) first.`
    : !existsSync(CHROMIUM)
      ? `${CHROMIUM} is missing: run scripts/setup (it installs Debian's chromium).`
      : null;

test('the release build, the single file and Chromium are there to test', () => {
  if (setupProblem) assert.fail(setupProblem);
});

let browser;

/** `withPage` of support.mjs, with the body taking `{ page, context, seen }`. */
const withPage = (t, body, options) =>
  pageIn(browser, t, (page, extras) => body({ page, ...extras }), options);

// --- helpers -------------------------------------------------------------------------

/** Searches "thanh tri" like a reader, opens the Thanh Trì article, checks it is there. */
async function searchAndOpenArticle(page) {
  const box = page.getByRole('searchbox', { name: /tìm/i });
  await box.fill('');
  await box.pressSequentially('thanh tri', { delay: 20 });
  await waitForResults(page, 'thanh tri', (first) => first.includes('Thanh Trì'));
  await page.locator('ol.results > li a').first().click();
  await eventually(`the route #/a/${THANH_TRI_ID}`, () => hashRoute(page), (r) => r.route === `#/a/${THANH_TRI_ID}`);
  await eventually(
    'the Thanh Trì article: an h1 containing "Thanh Trì" and at least 5 paragraphs',
    () =>
      page.evaluate(() => ({
        h1: document.querySelector('article h1')?.innerText ?? '',
        paragraphs: document.querySelectorAll('article p').length,
      })),
    ({ h1, paragraphs }) => h1.includes('Thanh Trì') && paragraphs >= 5,
  );
}

/** Waits until a service worker controls the page (the first visit's worker claims it). */
async function waitForServiceWorkerControl(page) {
  // Polled rather than awaiting navigator.serviceWorker.ready, which never settles if
  // the install fails: this way a failure is a clear timeout with the worker's state.
  await eventually(
    'an activated service worker controlling the page',
    () =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        const worker = (w) => w?.state ?? 'none';
        return {
          controller: worker(navigator.serviceWorker.controller),
          installing: worker(registration?.installing),
          waiting: worker(registration?.waiting),
          active: worker(registration?.active),
        };
      }),
    (states) => states.controller === 'activated',
  );
}

function integrityOf(bytes) {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG signature');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function buildIdOf(dir) {
  const id = readFileSync(path.join(dir, 'sw.js'), 'utf8').match(/^const BUILD_ID = "([0-9a-f]+)";$/m)?.[1];
  assert.ok(id, `${dir}/sw.js names its build`);
  return id;
}

/** The cache the service worker of `scope` (the archive's folder URL) fills for `buildId`. */
function cacheName(buildId, scope) {
  return `docbao-${buildId} ${scope}`;
}

/** Deploys `dir` as another build: a changed page (a marker tells builds apart), a new sw.js. */
async function makeAnotherBuild(dir, marker) {
  const indexFile = path.join(dir, 'index.html');
  const html = readFileSync(indexFile, 'utf8');
  assert.ok(html.includes('</head>'));
  writeFileSync(indexFile, html.replace('</head>', `<meta name="docbao-test-build" content="${marker}"></head>`));
  return (await writeServiceWorker(dir)).buildId;
}

/** The build marker of the page shown ('first' for an unmarked build). */
function buildMarker(page) {
  return page.evaluate(() => document.querySelector('meta[name="docbao-test-build"]')?.content ?? 'first');
}

/** True when the cache `name` holds `url`. */
function cacheHolds(page, name, url) {
  return page.evaluate(async ([name, url]) => (await (await caches.open(name)).match(url)) !== undefined, [name, url]);
}

/** The origin's cache names, sorted. */
function cacheNames(page) {
  return page.evaluate(() => caches.keys()).then((names) => names.sort());
}

// --- tests ---------------------------------------------------------------------------

describe('docbao on any static host, offline, and as one file', { skip: setupProblem !== null }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('dist/ has no inline script or style, relative URLs only, and integrity on every asset', () => {
    const html = readFileSync(path.join(DIST_DIR, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1, 'one script element: the loader');
    const [, loaderAttributes, loaderBody] = scripts[0];
    assert.match(loaderAttributes, /type="module"/);
    assert.equal(loaderBody.trim(), '', 'the loader script element has no inline code');
    assert.doesNotMatch(html, /<style\b/i, 'no <style> element');
    assert.doesNotMatch(html, /\sstyle=/i, 'no style attribute');

    const references = [...html.matchAll(/<(script|link)\b[^>]*\s(?:src|href)="([^"]+)"[^>]*>/g)];
    assert.ok(references.length >= 6, `the page references its files (found ${references.length})`);
    for (const [tag, , url] of references) {
      assert.doesNotMatch(url, /^(?:[a-z]+:|\/)/i, `a relative URL, not ${url}`);
      const file = path.join(DIST_DIR, url);
      assert.ok(existsSync(file), `${url} is in dist/`);
      const integrity = tag.match(/\sintegrity="([^"]+)"/)?.[1];
      // The manifest and its icons keep fixed names so installs find them; all else is hashed.
      if (/rel="(?:manifest|apple-touch-icon)"/.test(tag)) continue;
      // The wasm is preloaded as the loader fetches it (below): without an integrity.
      if (/_bg\.wasm$/.test(url)) {
        assert.match(tag, /rel="preload"/, `${url} is preloaded`);
        assert.equal(integrity, undefined, `the preload of ${url} asks for no integrity, as the loader's fetch`);
        continue;
      }
      assert.equal(integrity, integrityOf(readFileSync(file)), `the integrity of ${url} matches the file`);
    }
    const loaderUrl = scripts[0][0].match(/src="([^"]+)"/)[1];
    const loader = readFileSync(path.join(DIST_DIR, loaderUrl), 'utf8');
    // The wasm is fetched by its hashed name without an integrity (the browser would hold
    // and hash its whole body before compiling any of it: web/loader.js); the service
    // worker checks it against the integrity sw.js lists before caching it. Trunk writes its
    // hash without leading zeros, so the name holds up to 16 hex digits, not always 16. The
    // loader is minified (post-build.mjs): no space after the comma.
    const wasmUrl = loader.match(/fetch\(new URL\("(\.\/docbao-[0-9a-f]{1,16}_bg\.wasm)", ?import\.meta\.url\)\)/);
    assert.ok(wasmUrl, 'the loader fetches the wasm by its hashed name, as it streams');
    // post-build.mjs minifies what every first visit waits for: the loader and the
    // bindings have no comment left, and the page none either.
    const bindingsUrl = html.match(/<link rel="modulepreload" href="([^"]+)"/)[1];
    for (const [name, code] of [['the loader', loader], ['the bindings', readFileSync(path.join(DIST_DIR, bindingsUrl), 'utf8')]]) {
      assert.doesNotMatch(code, /^\s*\/\/|\/\*/m, `${name} is minified`);
    }
    assert.doesNotMatch(html, /<!--/, 'index.html has no comment');
    // The style sheets too (no comment, no line break), and the wasm's imports have
    // short names, of module `a`, which the bindings' import object names alike: the app
    // running in the tests above is the proof of that.
    const sheets = references.filter(([tag]) => /rel="stylesheet"/.test(tag)).map(([, , url]) => url);
    assert.ok(sheets.length >= 1, 'the page links its style sheets');
    for (const url of sheets) {
      assert.doesNotMatch(readFileSync(path.join(DIST_DIR, url), 'utf8'), /\/\*|\n/, `${url} is minified`);
    }
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(path.join(DIST_DIR, wasmUrl[1]))));
    const long = imports.filter((i) => i.module !== 'a' || !/^[a-zA-Z]{1,2}$/.test(i.name));
    assert.ok(imports.length > 0, 'the wasm has imports');
    assert.deepEqual(long.slice(0, 3), [], 'every import of the wasm has a short name');
    const worker = readFileSync(path.join(DIST_DIR, 'sw.js'), 'utf8');
    const listed = worker.match(new RegExp(`"url": "${wasmUrl[1].slice(2)}",\\s*"integrity": "([^"]+)"`));
    assert.ok(listed, 'sw.js precaches the wasm with its integrity');
    assert.equal(listed[1], integrityOf(readFileSync(path.join(DIST_DIR, wasmUrl[1]))));
  });

  test('the web app manifest and its icons make the app installable', () => {
    const manifest = JSON.parse(readFileSync(path.join(DIST_DIR, 'manifest.webmanifest'), 'utf8'));
    assert.match(manifest.name, /đọc báo/);
    assert.equal(manifest.short_name, 'Đọc báo');
    assert.equal(manifest.lang, 'vi');
    assert.equal(manifest.start_url, './');
    assert.equal(manifest.display, 'standalone');
    assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/i);
    assert.match(manifest.background_color, /^#[0-9a-f]{6}$/i);
    for (const size of [192, 512]) {
      const icon = manifest.icons.find((i) => i.sizes === `${size}x${size}`);
      assert.ok(icon, `a ${size}x${size} icon`);
      assert.equal(icon.type, 'image/png');
      const bytes = readFileSync(path.join(DIST_DIR, icon.src));
      assert.deepEqual(pngSize(bytes), { width: size, height: size }, `${icon.src} is ${size}x${size}`);
      assert.ok(bytes.length < 32_000, `${icon.src} stays small (${bytes.length} bytes)`);
    }
    const svg = manifest.icons.find((i) => i.type === 'image/svg+xml');
    assert.ok(svg && existsSync(path.join(DIST_DIR, svg.src)), 'an SVG icon');
  });

  test('the service worker precaches every file of the build but the ingest report, cached once opened, each with its integrity', () => {
    const worker = readFileSync(path.join(DIST_DIR, 'sw.js'), 'utf8');
    const precache = JSON.parse(worker.match(/^const PRECACHE = (\[[\s\S]*?\n\]);$/m)[1]);
    const cachedWhenOpened = JSON.parse(worker.match(/^const CACHED_WHEN_OPENED = (\[[\s\S]*?\n\]);$/m)[1]);
    const files = readdirSync(DIST_DIR, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(DIST_DIR, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/'))
      .filter((f) => f !== 'sw.js')
      .sort();
    assert.deepEqual(precache.map((p) => p.url), files.filter((f) => f !== REPORT));
    assert.deepEqual(cachedWhenOpened.map((p) => p.url), [REPORT]);
    for (const { url, integrity } of [...precache, ...cachedWhenOpened]) {
      assert.equal(integrity, integrityOf(readFileSync(path.join(DIST_DIR, url))), `integrity of ${url}`);
    }
  });

  test(
    `from a sub-path (${SUB_PATH}) under a strict CSP header, it searches, opens an article and is installable, with no CSP violation and no request outside its folder`,
    { timeout: TEST_TIMEOUT_MS },
    async (t) => {
      const server = await startServer(DIST_DIR, {
        basePath: SUB_PATH,
        headers: { 'content-security-policy': STRICT_CSP },
      });
      try {
        await withPage(
          t,
          async ({ page, context, seen }) => {
            const home = `${server.url}${SUB_PATH}`;
            const response = await page.goto(home);
            assert.equal(response.headers()['content-security-policy'], STRICT_CSP, 'the policy is in force');
            await waitUntilReady(page);
            await searchAndOpenArticle(page);
            // The service worker and its precache are part of the page's traffic too.
            await waitForServiceWorkerControl(page);

            // Chromium's own verdict on installability. Test contexts are incognito,
            // which alone forbids installing, so that one reason is expected.
            const cdp = await context.newCDPSession(page);
            const manifest = await cdp.send('Page.getAppManifest');
            assert.equal(manifest.url, `${home}manifest.webmanifest`);
            assert.deepEqual(manifest.errors, [], 'the manifest parses without errors');
            const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
            assert.deepEqual(
              installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'),
              [],
              'Chromium finds the app installable',
            );
            assert.deepEqual(await cspViolations(page), [], 'no CSP violation');
            const outside = seen.requests.filter((url) => !url.startsWith(home));
            assert.deepEqual(outside, [], 'every request stays inside the app folder');
            assert.ok(seen.requests.some((url) => url.endsWith('_bg.wasm')), 'the wasm was requested (and seen)');

            // Control: the policy is enforced, and a violation would have been seen.
            await page.evaluate(() => {
              const style = document.createElement('style');
              style.textContent = 'body { outline: 1px solid red }';
              document.head.append(style);
            });
            await eventually('the planted inline style to be reported', () => cspViolations(page), (v) =>
              v.some((text) => text.startsWith('style-src')),
            );
          },
          { expectedErrors: [/Content Security Policy directive 'style-src/] },
        );
      } finally {
        await server.close();
      }
    },
  );

  test('with .wasm served as application/octet-stream, it falls back to compiling the bytes and runs', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const server = await startServer(DIST_DIR, { mimeTypes: { '.wasm': 'application/octet-stream' } });
    try {
      await withPage(t, async ({ page, seen }) => {
        await page.goto(`${server.url}/`);
        await waitUntilReady(page);
        // Console messages reach the test as events of their own: wait for this one.
        await eventually(
          'wasm-bindgen\'s warning that it fell back from streaming compilation',
          () => seen.warnings,
          (warnings) => warnings.some((w) => w.includes('instantiateStreaming') && w.includes('MIME')),
        );
        await searchAndOpenArticle(page);
      });
    } finally {
      await server.close();
    }
  });

  test('offline: after a first visit, with the server gone, a reload opens the app, searches and opens an article', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const server = await startServer(DIST_DIR);
    let serverOpen = true;
    try {
      await withPage(t, async ({ page, context }) => {
        await page.goto(`${server.url}/`);
        await waitUntilReady(page);
        await waitForServiceWorkerControl(page);

        // Really offline: the browser says so, and nothing answers on the port anyway.
        await server.close();
        serverOpen = false;
        await context.setOffline(true);

        const fromNetwork = [];
        page.on('response', (res) => {
          if (!res.fromServiceWorker()) fromNetwork.push(res.url());
        });
        await page.reload();
        await waitUntilReady(page);
        await searchAndOpenArticle(page);
        await page.reload();
        await waitUntilReady(page);
        assert.equal((await hashRoute(page)).route, `#/a/${THANH_TRI_ID}`, 'a deep link reloads offline');
        assert.deepEqual(fromNetwork, [], 'every file came from the service worker');
      });
    } finally {
      if (serverOpen) await server.close();
    }
  });

  test('the ingest report, opened once, opens offline; never opened, offline says so plainly', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const accepted = JSON.parse(readFileSync(path.join(DIST_DIR, REPORT), 'utf8')).accepted.length;
    // Opened as the page would fetch it (a navigation to it would also ask for a
    // favicon.ico, which dist/ does not have, making noise in the console).
    const open = (page) =>
      page.evaluate(async (url) => {
        const response = await fetch(url);
        return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
      }, REPORT);

    // Opened once, online: the worker keeps it.
    let server = await startServer(DIST_DIR);
    let serverOpen = true;
    try {
      await withPage(t, async ({ page, context }) => {
        const scope = `${server.url}/`;
        await page.goto(scope);
        await waitUntilReady(page);
        await waitForServiceWorkerControl(page);
        assert.ok(!server.served.some(({ path: p }) => p === `/${REPORT}`), 'the install did not download the report');
        const cache = cacheName(buildIdOf(DIST_DIR), scope);
        assert.equal(await cacheHolds(page, cache, `${scope}${REPORT}`), false, 'not precached');

        const online = await open(page);
        assert.equal(online.status, 200);
        assert.equal(JSON.parse(online.text).accepted.length, accepted);
        assert.equal(await cacheHolds(page, cache, `${scope}${REPORT}`), true, 'cached once opened');

        await server.close();
        serverOpen = false;
        await context.setOffline(true);
        const offline = await open(page);
        assert.equal(offline.status, 200);
        assert.equal(JSON.parse(offline.text).accepted.length, accepted, 'the whole report, offline');
      });
    } finally {
      if (serverOpen) await server.close();
    }

    // Never opened: offline, the worker says so in plain words, not a network error.
    server = await startServer(DIST_DIR);
    serverOpen = true;
    try {
      await withPage(
        t,
        async ({ page, context }) => {
          await page.goto(`${server.url}/`);
          await waitUntilReady(page);
          await waitForServiceWorkerControl(page);
          await server.close();
          serverOpen = false;
          await context.setOffline(true);
          const response = await open(page);
          assert.equal(response.status, 503);
          assert.match(response.type, /^text\/plain/);
          assert.match(response.text, /^ingest-report\.json: không tải được \(đang offline\?\)/);
          assert.match(response.text, /could not be fetched \(offline\?\)\. It is kept for offline reading once it has been opened online\./);
        },
        {
          expectedHttpErrors: [/^HTTP 503: GET .*\/ingest-report\.json$/],
          expectedErrors: [/status of 503/],
        },
      );
    } finally {
      if (serverOpen) await server.close();
    }
  });

  test('a new deployment: the app offers "Có phiên bản mới — Tải lại" and switches builds only on that reload', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // A copy of dist/ to deploy a second build over.
    const site = mkdtempSync(path.join(tmpdir(), 'docbao-deploy-'));
    cpSync(DIST_DIR, site, { recursive: true });
    const server = await startServer(site);
    try {
      await withPage(t, async ({ page }) => {
        const firstBuild = buildIdOf(site);
        const scope = `${server.url}/`;
        await page.goto(scope);
        await waitUntilReady(page);
        await waitForServiceWorkerControl(page);
        // Filled while installing, before the worker took control.
        assert.deepEqual(await cacheNames(page), [cacheName(firstBuild, scope)]);
        // The reader opens the ingest report (cached by this build's worker once opened).
        await page.evaluate((url) => fetch(url).then((r) => r.json()), REPORT);
        assert.equal(await cacheHolds(page, cacheName(firstBuild, scope), `${scope}${REPORT}`), true);
        const banner = page.getByRole('status').filter({ hasText: 'Có phiên bản mới' });
        assert.equal(await banner.count(), 0, 'no banner while the build is current');

        // Deploy the next build: a changed page (a marker tells the builds apart), and so
        // a new sw.js.
        const indexFile = path.join(site, 'index.html');
        const firstIndex = readFileSync(indexFile, 'utf8');
        assert.ok(firstIndex.includes('</head>'));
        const secondIndex = firstIndex.replace('</head>', '<meta name="docbao-test-build" content="second"></head>');

        // The browser checks for a new sw.js on navigations; ask now instead of waiting.
        // Resolves to the new worker's final state: 'installed' or 'redundant'.
        const checkForUpdate = () =>
          page.evaluate(async () => {
            const registration = await navigator.serviceWorker.getRegistration();
            // Caught as it appears: a failed worker leaves the registration at once.
            const found = new Promise((resolve) =>
              registration.addEventListener('updatefound', () => resolve(registration.installing), { once: true }),
            );
            await registration.update();
            // Not a wait for the worker, which resolves `found` at once: a bound on
            // waiting for one that never comes.
            const noWorker = new Promise((resolve) => setTimeout(() => resolve(null), 30_000));
            const worker = await Promise.race([found, noWorker]);
            if (!worker) return 'no new worker';
            while (worker.state === 'installing') {
              await new Promise((resolve) => worker.addEventListener('statechange', resolve, { once: true }));
            }
            return worker.state;
          });

        // First a half-finished deployment: the new sw.js is up, but the host still serves
        // a page that does not match it. The new worker must refuse it, and nothing changes.
        writeFileSync(indexFile, secondIndex);
        const { buildId: secondBuild } = await writeServiceWorker(site);
        assert.notEqual(secondBuild, firstBuild);
        writeFileSync(indexFile, firstIndex);
        assert.equal(await checkForUpdate(), 'redundant', 'a worker whose files do not match is discarded');
        assert.equal(await banner.count(), 0, 'no banner for a build that did not install');
        // The worker deletes its cache before it fails: nothing to wait for.
        assert.deepEqual(await cacheNames(page), [cacheName(firstBuild, scope)], 'no half-filled cache is left');

        // Then the deployment completes.
        writeFileSync(indexFile, secondIndex);
        assert.equal(await checkForUpdate(), 'installed');
        await banner.waitFor({ state: 'visible' });
        const reload = banner.getByRole('button', { name: 'Tải lại' });
        // Installed, but waiting: this page still runs the first build, from its cache.
        assert.deepEqual(await cacheNames(page), [cacheName(firstBuild, scope), cacheName(secondBuild, scope)].sort());
        assert.equal(await buildMarker(page), 'first');

        // Reachable with the keyboard alone (Tab cycles through the page, whatever its size).
        let focused = false;
        for (let presses = 0; presses < 40 && !focused; presses++) {
          await page.keyboard.press('Tab');
          focused = await reload.evaluate((button) => document.activeElement === button);
        }
        assert.ok(focused, 'Tab reaches the "Tải lại" button');
        await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);

        await waitUntilReady(page);
        assert.equal(await buildMarker(page), 'second', 'the reload runs the new build');
        await eventuallyEqual('only the new build cached', () => cacheNames(page), [cacheName(secondBuild, scope)]);
        assert.equal(
          await cacheHolds(page, cacheName(secondBuild, scope), `${scope}${REPORT}`),
          true,
          'the report opened before the update stays offline: the new build fetched its own copy while installing',
        );
        assert.equal(await banner.count(), 0, 'no banner once the new build runs');
      });
    } finally {
      await server.close();
      rmSync(site, { recursive: true, force: true });
    }
  });

  test('two archives in two folders of one site keep their own offline copies', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // One site, two archives of two builds: dist/ in /a/, a changed copy in /b/, and a
    // plain page at the root to look at the origin's caches from outside both.
    const site = mkdtempSync(path.join(tmpdir(), 'docbao-two-archives-'));
    const folders = ['a', 'b'];
    for (const folder of folders) cpSync(DIST_DIR, path.join(site, folder), { recursive: true });
    const builds = { a: buildIdOf(path.join(site, 'a')), b: await makeAnotherBuild(path.join(site, 'b'), 'b') };
    assert.notEqual(builds.a, builds.b);
    writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>site</title><link rel="icon" href="data:,">');
    const server = await startServer(site);
    let serverOpen = true;
    const scope = (folder) => `${server.url}/${folder}/`;
    const cacheOf = (folder) => cacheName(builds[folder], scope(folder));
    // Left by an earlier docbao, whose caches were named after the build alone: one
    // each, told apart by the archive page they hold.
    const legacy = { a: `docbao-${'a'.repeat(16)}`, b: `docbao-${'b'.repeat(16)}` };
    const context = await browser.newContext({ locale: 'vi-VN' });
    try {
      await withPage(
        t,
        async ({ page }) => {
          await page.goto(`${server.url}/`);
          await page.evaluate(async (entries) => {
            for (const [name, url] of entries) await (await caches.open(name)).put(url, new Response('an older build'));
          }, folders.map((folder) => [legacy[folder], `${scope(folder)}index.html`]));
          assert.deepEqual(await cacheNames(page), [legacy.a, legacy.b]);
        },
        { context },
      );

      // Each archive opened and installed in turn. A worker deletes its caches of older
      // builds when it activates, which it has done once it controls the page.
      await withPage(
        t,
        async ({ page }) => {
          await page.goto(scope('a'));
          await waitUntilReady(page);
          await waitForServiceWorkerControl(page);
          assert.deepEqual(await cacheNames(page), [cacheOf('a'), legacy.b].sort(), "a's older cache replaced, b's kept");
        },
        { context },
      );
      await withPage(
        t,
        async ({ page }) => {
          await page.goto(scope('b'));
          await waitUntilReady(page);
          await waitForServiceWorkerControl(page);
          const names = await cacheNames(page);
          assert.ok(names.includes(cacheOf('a')), `b's worker keeps a's offline copy; caches: ${names.join(', ')}`);
          assert.deepEqual(names, [cacheOf('a'), cacheOf('b')].sort(), 'one cache per archive');
        },
        { context },
      );

      // Both work with the network gone, each from its own build.
      await server.close();
      serverOpen = false;
      await context.setOffline(true);
      for (const folder of folders) {
        await withPage(
          t,
          async ({ page }) => {
            const fromNetwork = [];
            page.on('response', (res) => {
              if (!res.fromServiceWorker()) fromNetwork.push(res.url());
            });
            await page.goto(scope(folder));
            await waitUntilReady(page);
            assert.equal(await buildMarker(page), folder === 'a' ? 'first' : 'b', `/${folder}/ runs its own build`);
            await searchAndOpenArticle(page);
            assert.deepEqual(fromNetwork, [], `every file of /${folder}/ came from its service worker`);
          },
          { context },
        );
      }
    } finally {
      await context.close();
      if (serverOpen) await server.close();
      rmSync(site, { recursive: true, force: true });
    }
  });

  test('the single file opens from file:// with no server: it searches and opens an article, requesting nothing else', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    await withPage(t, async ({ page, seen }) => {
      const url = pathToFileURL(SINGLE_FILE).href;
      await page.goto(url);
      await waitUntilReady(page);
      await searchAndOpenArticle(page);
      assert.deepEqual(await cspViolations(page), [], 'no violation of the file\'s own CSP');
      const elsewhere = seen.requests.filter((u) => !u.startsWith(url) && !u.startsWith('data:'));
      assert.deepEqual(elsewhere, [], 'nothing requested but the file itself (and its data: favicon)');
      assert.equal(await page.evaluate(() => navigator.serviceWorker?.controller ?? null), null, 'no service worker');
    });
  });
});
