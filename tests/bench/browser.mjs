// The browser benchmark (run through scripts/bench-browser [CORPUS]): the release build
// served on 127.0.0.1, Debian's Chromium through playwright-core, a reader typing a
// realistic mix of Vietnamese queries letter by letter, then opening the corpus's longest
// article. The same corpus and queries run through Pagefind (npm `pagefind`, installed on
// demand into target/bench/pagefind/) in the same run, so each figure has a ratio beside it;
// for the embedded layout the engine's work is also replayed natively
// (engine/benches/replay.rs), so the wasm's overhead is visible.
//
// It prints figures and asserts nothing: it is not a test, and not part of scripts/test.
//
//   node tests/bench/browser.mjs [CORPUS] [--layout embedded|sharded] [--no-build] [--no-pagefind]
//     CORPUS         a folder or file as DOCBAO_CORPUS takes it. Default: the seeds.
//     --layout       forces the layout (DOCBAO_LAYOUT); without it, what the build picks.
//                    Built into target/bench-dist/<name>-<layout> (or <name> when picked).
//     --no-build     reuse the build already there.
//     --no-pagefind  leave Pagefind out (its column shows why).
//     --http1        serve both over plain HTTP/1.1 (6 connections to a host in Chromium)
//                    instead of HTTPS with HTTP/2, as a CDN serves (a self-signed
//                    certificate made with openssl into target/bench-tls/, which the
//                    bench's Chromium accepts).
//     --dist DIR     build into (or, with --no-build, reuse) DIR instead, e.g. to keep a
//                    "before" build beside an "after" one and run them alternately.
//     --server-in-bench  serve from the bench's own process, as tables before session 27
//                    were measured. By default the host is a node process of its own
//                    (`startServerProcess`), whose answers never wait for Playwright's
//                    protocol traffic in the bench's event loop, as a CDN's would not.
// The table is printed and written to target/bench/<name>-<layout>/table.md; every
// keystroke of each pass (text, ms, files fetched) to docbao-keystrokes.json beside it.
//
// Queries come from the corpus's titles (read with `docbao export`), chosen with a fixed
// seed: as written, without marks, in raw Telex, and with one typo; plus a few fixed ones.
// Each title-made query is a known-item query: its title's article should come first.
//
// How a keystroke is measured, the same way for both: an init script in the page notes the
// time of each `input` event, every DOM mutation, and every `fetch` (with its URL). After a
// key the bench waits until the page is quiet (no fetch in flight, no "fetching" note,
// no DOM change for QUIET_MS) before the next key; the keystroke's time is its `input`
// event to the page's last DOM change (or, for docbao, the end of its last `docbao:search`
// measure, if later): the whole answer on screen, fetches included.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance as nodePerformance } from 'node:perf_hooks';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { launchBrowser, REPO, searchBox, waitUntilReady } from '../e2e/support.mjs';
import { benchCertificate, startBenchServer } from '../e2e/server.mjs';
import { pageClock } from './page-clock.mjs';

const QUERIES = 32;
const SEED = 20_251_201;
/** The page counts as quiet (the answer complete) after this long without a change. */
const QUIET_MS = 100;
/** A page never quiet this long is stuck: the bench stops, saying where. */
const SETTLE_LIMIT_MS = 120_000;
/** Times the longest article is opened; the median is reported. */
const ARTICLE_OPENS = 7;
/** Results a reader sees first, and the depth of MRR. */
const SHOWN = 10;
/** Queries every run includes, whatever the corpus: the issue's slow cases. */
const FIXED_QUERIES = ['hoc sinh gioi quoc gia', 'thanh tris', 'TP.HCM'];
/** Telex's tone keys, by the combining mark they type. */
const TELEX_TONES = { '\u0301': 's', '\u0300': 'f', '\u0309': 'r', '\u0303': 'x', '\u0323': 'j' };
/** The Pagefind the bench installs on demand (1.6 is what design/sharding.md measured). */
const PAGEFIND_VERSION = '1.6.0';
/**
 * Pagefind's indexer held 18 GB on vietnews-train's 335 MB of text: on a corpus with more
 * than PAGEFIND_BIG_TEXT bytes of text it runs only with this much memory available.
 */
const PAGEFIND_BIG_TEXT = 100e6;
const PAGEFIND_BIG_MEMORY = 20e9;
/** Files that are a page's icon, never search work. */
const ICON = /\.(svg|ico|png)$/;
/** Each served file's size as sent (computed once: brotli at quality 11 is slow). */
const wireSizes = new Map();

const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const withPagefind = !args.includes('--no-pagefind');
const http1 = args.includes('--http1');
const layoutArg = args.includes('--layout') ? args[args.indexOf('--layout') + 1] : null;
if (layoutArg !== null && !['embedded', 'sharded'].includes(layoutArg)) {
  throw new Error(`--layout ${layoutArg}: expected embedded or sharded`);
}
const distArg = args.includes('--dist') ? path.resolve(args[args.indexOf('--dist') + 1]) : null;
const corpus = args.find((a, i) => !a.startsWith('--') && !['--layout', '--dist'].includes(args[i - 1])) ?? null;
const name = corpus ? path.basename(corpus).replace(/\..*$/, '') || 'corpus' : 'seeds';
const distDir = distArg ?? path.join(REPO, 'target', 'bench-dist', layoutArg ? `${name}-${layoutArg}` : name);

const log = (msg) => console.error(`bench-browser: ${msg}`);
// The machine may be shared: its load is printed with the figures, which it skews.
const loadBefore = os.loadavg().map((l) => l.toFixed(1)).join(' ');

// --- build -----------------------------------------------------------------------------
if (build || !existsSync(path.join(distDir, 'index.html'))) {
  log(`building ${corpus ?? 'seeds/'} into ${path.relative(REPO, distDir)} (trunk build --release) ...`);
  const env = { ...process.env, DOCBAO_CORPUS: path.resolve(corpus ?? 'seeds') };
  if (layoutArg) env.DOCBAO_LAYOUT = layoutArg;
  else delete env.DOCBAO_LAYOUT;
  const started = nodePerformance.now();
  run('trunk', ['build', '--release', '--dist', distDir], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  log(`built in ${((nodePerformance.now() - started) / 1e3).toFixed(0)} s`);
}
const layout = existsSync(path.join(distDir, 'archive')) ? 'sharded' : 'embedded';
if (layoutArg && layout !== layoutArg) throw new Error(`${distDir} holds a ${layout} build, not ${layoutArg}: build it again`);
const workDir = path.join(REPO, 'target', 'bench', `${name}-${layout}`);
mkdirSync(workDir, { recursive: true });

// --- the corpus, as the engine reads it, and the queries -------------------------------
log('exporting the corpus (docbao export) ...');
const exporting = spawnSync(
  'cargo',
  ['run', '--release', '-q', '-p', 'docbao-engine', '--features', 'cli', '--bin', 'docbao', '--', 'export', path.resolve(corpus ?? 'seeds')],
  { cwd: REPO, maxBuffer: 2 ** 32 },
);
// The report goes to stderr, a line per warning: only its summary (last line) is shown.
log(`docbao export: ${exporting.stderr.toString('utf8').trim().split('\n').at(-1)}`);
if (exporting.status !== 0) throw new Error(`docbao export failed (exit ${exporting.status})`);
const exported = path.join(workDir, 'corpus.jsonl');
if (layout === 'embedded') writeFileSync(exported, exporting.stdout); // for the native replay

// One pass over the records: what the bench needs of each article is kept, and the
// Pagefind site's page for it is written (its text is not kept).
const pagefindDir = path.join(REPO, 'target', 'bench', `${name}-pagefind`);
const siteDir = path.join(pagefindDir, 'site');
const corpusStamp = corpusIdentity();
const siteReady = withPagefind && readIfExists(path.join(pagefindDir, 'stamp.txt')) === corpusStamp;
if (withPagefind && !siteReady) {
  rmSync(pagefindDir, { recursive: true, force: true });
  mkdirSync(path.join(siteDir, 'a'), { recursive: true });
}
const articles = [];
let textBytes = 0;
for (const line of lines(exporting.stdout)) {
  const a = JSON.parse(line);
  const paragraphs = [a.lead, ...(a.body ?? [])].filter(Boolean);
  textBytes += Buffer.byteLength(a.title) + paragraphs.reduce((s, p) => s + Buffer.byteLength(p), 0);
  const page = articles.length;
  articles.push({ id: a.id, title: a.title, passages: 1 + paragraphs.length + (a.captions?.length ?? 0) });
  if (withPagefind && !siteReady) writeFileSync(path.join(siteDir, 'a', `${page}.html`), articlePage(a.title, paragraphs));
}
exporting.stdout = null;

const longest = articles.reduce((best, a) => (a.passages > best.passages ? a : best));
const longestPage = articles.indexOf(longest);
const planned = makeQueries(articles, QUERIES, SEED);
const queries = planned.map((p) => p.q);
// The article is opened without a query (rendering only), with one it answers (words of its
// own title, typed without marks), and with the issue's costly one.
const articleQueries = ['', fold(titleWords(longest.title).slice(0, 3).join(' ')), FIXED_QUERIES[0]];
const keystrokes = queries.flatMap((q) => ['', ...prefixes(q)]);
const planFile = path.join(workDir, 'plan.json');
writeFileSync(planFile, JSON.stringify({ queries: planned, keystrokes, article: { id: longest.id, queries: articleQueries } }, null, 1));
log(`${articles.length} articles (${(textBytes / 1e6).toFixed(1)} MB of text); ${queries.length} queries, ` +
    `${keystrokes.length - queries.length} letters typed; plan in ${path.relative(REPO, planFile)}`);

let pagefindBuild = null;
let pagefindSkipped = withPagefind ? null : '--no-pagefind';

// --- the browser -------------------------------------------------------------------------
const TLS_DIR = path.join(REPO, 'target', 'bench-tls');
const serverInBench = process.argv.includes('--server-in-bench');
const certificate = http1 ? null : benchCertificate(TLS_DIR);
const protocol = http1 ? 'HTTP/1.1' : 'HTTP/2 over TLS';
const browser = await launchBrowser({ certificateSpki: certificate?.spki });
const chromium = browser.version();
let docbao;
let pagefind = null;
try {
  docbao = await measure('docbao', distDir, docbaoDriver());
  await preparePagefind();
  if (pagefindBuild) pagefind = await measure('Pagefind', siteDir, pagefindDriver());
} finally {
  await browser.close();
}

// --- native ----------------------------------------------------------------------------
let native = null;
if (layout === 'embedded') {
  log('replaying natively (cargo bench --bench replay) ...');
  const replay = execFileSync(
    'cargo',
    ['bench', '-q', '-p', 'docbao-engine', '--features', 'cli', '--bench', 'replay'],
    {
      cwd: REPO,
      env: { ...process.env, DOCBAO_REPLAY_CORPUS: exported, DOCBAO_REPLAY_PLAN: planFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  ).toString('utf8');
  const nativeLine = replay.split('\n').find((l) => l.startsWith('replay: '));
  if (!nativeLine) throw new Error(`the native replay printed no figures:\n${replay}`);
  native = JSON.parse(nativeLine.slice('replay: '.length));
}

const table = makeTable();
console.log(table);
writeFileSync(path.join(workDir, 'table.md'), table);
log(`table written to ${path.relative(REPO, path.join(workDir, 'table.md'))}`);

// --- measuring, the same for both --------------------------------------------------------

/**
 * Runs one reader's session against `root` served on 127.0.0.1: the first results after
 * navigation, the queries typed twice (the second time with what the first fetched in
 * memory), the longest article opened, the memory held. `driver` knows the page.
 */
async function measure(label, root, driver) {
  const server = await startBenchServer(root, { tlsDir: certificate ? TLS_DIR : undefined, inBench: serverInBench });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  await context.addInitScript(instrumentation());
  const page = await context.newPage();
  page.setDefaultTimeout(180_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} ${m.location().url}`));
  // Every request of the context (the page's and its service worker's), with its time.
  const requests = [];
  context.on('request', (req) => {
    const p = new URL(req.url()).pathname;
    // The service worker's own requests (its script, its precache) apart from the page's.
    const byWorker = req.serviceWorker() !== null || p.endsWith('/sw.js');
    requests.push({ path: p, at: nodePerformance.timeOrigin + nodePerformance.now(), byWorker });
  });
  const sizes = (paths) => bytesSent(root, paths);
  try {
    log(`${label}: navigating to its first results ...`);
    await driver.open(page, server.url);
    const first = await settle(page, 0, driver.shown);
    // Requests up to the first results, on the wall clock the page and node share.
    const firstShownAt = (await page.evaluate(() => performance.timeOrigin)) + first.at;
    const untilFirst = requests.filter((r) => r.at <= firstShownAt);
    const firstBytes = sizes(untilFirst.map((r) => r.path));
    firstBytes.page = sizes(untilFirst.filter((r) => !r.byWorker).map((r) => r.path));
    const ready = await page.evaluate(() => performance.getEntriesByName('docbao:ready', 'mark')[0]?.startTime ?? null);
    await driver.afterOpen?.(page);

    const passes = [];
    for (const pass of [1, 2]) {
      log(`${label}: typing ${queries.length} queries letter by letter (pass ${pass}) ...`);
      passes.push(await typeAll(page, driver, sizes, requests));
    }
    // Memory with the searched index in it, before the article (Pagefind's is another page).
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    const wasmMemory = await page.evaluate(() => window.__bench.wasmMemory());
    log(`${label}: opening the longest article ...`);
    const article = await driver.openArticle(page, server.url);
    const total = sizes(requests.map((r) => r.path));
    // Which files the first results took, for whoever makes them fewer.
    const firstFiles = new Map(untilFirst.map((r) => [r.path, r.byWorker]));
    // Every file sent in all, by kind (the name's extension), as sent: where the bytes go.
    const byKind = {};
    for (const p of new Set(requests.map((r) => r.path))) {
      const kind = p.match(/\.([a-z0-9_]+)$/i)?.[1] ?? p;
      const { files, br } = sizes([p]);
      byKind[kind] = { files: (byKind[kind]?.files ?? 0) + files, br: (byKind[kind]?.br ?? 0) + br };
    }
    writeFileSync(path.join(workDir, `${label.toLowerCase()}-sent-by-kind.json`), JSON.stringify(byKind, null, 1));
    // Every keystroke of each pass (text typed, ms, files fetched), for whoever looks for the slow ones.
    writeFileSync(path.join(workDir, `${label.toLowerCase()}-keystrokes.json`), JSON.stringify(passes.map((p) => p.each), null, 0));
    writeFileSync(
      path.join(workDir, `${label.toLowerCase()}-first-files.json`),
      JSON.stringify([...firstFiles].map(([p, byWorker]) => ({ path: p, byWorker, ...sizes([p]) })), null, 1),
    );
    if (errors.length) log(`${label}: the page reported errors: ${errors.slice(0, 5).join(' | ')}`);
    return { ready, first: first.latency, firstBytes, passes, article, heap, wasmMemory, total };
  } finally {
    await context.close();
    await server.close();
  }
}

/** Types every query letter by letter, each key answered in full before the next. */
async function typeAll(page, driver, sizes, requests) {
  const box = page.locator(driver.box);
  const keys = [];
  const finds = [];
  const searches = [];
  const ranks = [];
  const typedRanks = [];
  for (const [i, { q, target }] of planned.entries()) {
    await box.fill(''); // a keystroke too, but not a letter typed: not counted
    await settle(page, await lastInput(page), driver.cleared);
    await driver.clearMeasures?.(page);
    for (const ch of [...q]) {
      // Counted from the browser's requests, not the page's fetch(): Pagefind fetches in a worker.
      const from = requests.length;
      await box.pressSequentially(ch);
      const since = await lastInput(page);
      const done = await settle(page, since, driver.typed);
      // Chromium asks for the page's icon again when its URL changes: no search work.
      const fetched = [...new Set(requests.slice(from).map((r) => r.path))].filter((p) => !ICON.test(p));
      const measures = (await driver.takeMeasures?.(page)) ?? { search: [], find: [] };
      const searchEnd = Math.max(0, ...measures.search.map((m) => m.end)) - since;
      keys.push({ ms: Math.max(done.latency, searchEnd, 0), fetches: fetched.length, paths: fetched, text: await box.inputValue() });
      searches.push(...measures.search.map((m) => m.ms));
      finds.push(...measures.find);
    }
    if (target !== null) {
      // The last key's answer as typed, before the pause writes the URL (docbao prepares
      // a typed query by its typing rules, and again without them at the pause).
      if (driver.typedIds) typedRanks.push(reciprocalRank(await driver.typedIds(page), target));
      const shown = await driver.shownIds(page);
      const at = shown.indexOf(target);
      ranks.push(at >= 0 && at < SHOWN ? 1 / (at + 1) : 0);
    }
    if ((i + 1) % 8 === 0) log(`  typed ${i + 1}/${queries.length} queries`);
  }
  const fetchedPaths = keys.flatMap((k) => k.paths);
  return {
    keys: keys.map((k) => k.ms),
    each: keys.map((k) => [k.text, Math.round(k.ms * 10) / 10, k.fetches]),
    fetches: keys.reduce((s, k) => s + k.fetches, 0),
    keysFetching: keys.filter((k) => k.fetches > 0).length,
    fetchedBytes: sizes(fetchedPaths),
    searches,
    finds,
    mrr: ranks.reduce((s, r) => s + r, 0) / Math.max(1, ranks.length),
    mrrAsTyped: typedRanks.length ? typedRanks.reduce((s, r) => s + r, 0) / typedRanks.length : null,
    knownItems: ranks.length,
  };
}

function reciprocalRank(shown, target) {
  const at = shown.indexOf(target);
  return at >= 0 && at < SHOWN ? 1 / (at + 1) : 0;
}

function lastInput(page) {
  return page.evaluate(() => window.__bench.lastInput);
}

/**
 * Waits until the page is quiet (see the top of this file) and `ready` (a function run in
 * the page) holds; resolves to the time of the last change after `since` (`latency`, ms)
 * and that change's time since navigation (`at`).
 */
async function settle(page, since, ready) {
  const quietSince = () =>
    page.evaluate(
      async ({ since, quiet, limit }) => {
        const b = window.__bench;
        const started = performance.now();
        for (;;) {
          await new Promise((r) => setTimeout(r, 20));
          const now = performance.now();
          if (now - started > limit) return null;
          if (b.inflight > 0 || document.querySelector('[data-archive="fetching"]')) continue;
          if (now - b.lastMutation < quiet || now - b.lastFetchEnd < quiet) continue;
          return { latency: b.lastMutation - since, at: b.lastMutation };
        }
      },
      { since, quiet: QUIET_MS, limit: SETTLE_LIMIT_MS },
    );
  const deadline = nodePerformance.now() + SETTLE_LIMIT_MS;
  for (;;) {
    const quiet = await quietSince();
    if (quiet === null) throw new Error(`the page was not quiet within ${SETTLE_LIMIT_MS / 1e3} s (${page.url()})`);
    if (!(await page.evaluate(ready))) {
      // Quiet but not there (the app failed to start, say): an error that shows the page,
      // never a bench that waits for ever.
      if (nodePerformance.now() > deadline) {
        const state = await page.evaluate(() => ({
          ready: performance.getEntriesByName('docbao:ready', 'mark').length > 0,
          body: document.body?.innerText.slice(0, 300) ?? '',
        }));
        throw new Error(`the page was quiet but never showed what the bench waits for within ${SETTLE_LIMIT_MS / 1e3} s (${page.url()}): ${JSON.stringify(state)}`);
      }
      continue;
    }
    // The page may have changed between the two calls: only an answer quiet on both sides counts.
    const again = await quietSince();
    if (again !== null && again.at === quiet.at) return quiet;
  }
}

// --- docbao and Pagefind: what differs --------------------------------------------------

/** The ids of the results listed (run in the page). */
function resultIds() {
  return [...document.querySelectorAll('ol.results a.result')].map((a) => {
    const m = /#\/a\/([^?]*)/.exec(a.getAttribute('href') ?? '');
    return m ? decodeURIComponent(m[1]) : null;
  });
}

function docbaoDriver() {
  return {
    box: 'input#q[type="search"]',
    // The search page's first list: `#/search` with no query lists the archive, newest first.
    open: (page, url) => page.goto(`${url}/#/search`),
    shown: () => performance.getEntriesByName('docbao:ready', 'mark').length > 0 && !!document.querySelector('ol.results a.result'),
    cleared: () => true,
    typed: () => true,
    async afterOpen(page) {
      await waitUntilReady(page);
      // Let the service worker cache the build, as a first visit does.
      await page.evaluate(() => navigator.serviceWorker?.ready);
      // It claims the page once active (over https too: the bench's certificate counts
      // as valid): the figures are those of a page it controls.
      const controlled = await page
        .waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 })
        .then(() => true, () => false);
      if (!controlled) log('docbao: the service worker never controlled the page');
      await this.clearMeasures(page);
    },
    clearMeasures: (page) =>
      page.evaluate(() => {
        for (const n of ['docbao:search', 'docbao:find']) performance.clearMeasures(n);
      }),
    takeMeasures: (page) =>
      page.evaluate(() => {
        const take = (n) => {
          const list = performance.getEntriesByName(n, 'measure').map((e) => ({ ms: e.duration, end: e.startTime + e.duration }));
          performance.clearMeasures(n);
          return list;
        };
        return { search: take('docbao:search'), find: take('docbao:find').map((m) => m.ms) };
      }),
    // Read at once after the last key (the rows a viewport shows while typing).
    typedIds: (page) => page.evaluate(resultIds),
    // Read as a reader pausing sees it: once the typed query is in the URL (300 ms after
    // the last key), when the page renders every row, not only those that fill the viewport,
    // and the articles of the rows below the fold, fetched then in a sharded archive, are in.
    shownIds: (page) =>
      page.waitForFunction(() =>
        new URLSearchParams(location.hash.split('?')[1] ?? '').get('q') === document.querySelector('#q')?.value &&
        !document.querySelector('ol.results[aria-busy]') &&
        !document.querySelector('ol.results > li.pending, [data-archive="fetching"]'),
      null, { timeout: 5_000 },
      ).catch(() => {}).then(() => page.evaluate(resultIds)),
    // The longest article, opened from a results page again and again, as a reader steps
    // in and out: the route entered to the page complete (its text fetched, if sharded).
    async openArticle(page) {
      const out = {};
      for (const q of articleQueries) {
        const withQ = q ? `?q=${encodeURIComponent(q)}` : '';
        const times = [];
        const measures = [];
        for (let i = 0; i < ARTICLE_OPENS; i++) {
          await page.evaluate((h) => (location.hash = h), `#/search${withQ}`);
          await settle(page, 0, () => location.hash.startsWith('#/search') && !document.querySelector('article.article'));
          const since = await page.evaluate((h) => {
            window.__bench.lastInput = performance.now();
            location.hash = h;
            return window.__bench.lastInput;
          }, `#/a/${encodeURIComponent(longest.id)}${withQ}`);
          const done = await settle(page, since, () => !!document.querySelector('article.article'));
          times.push(done.latency);
          measures.push(await page.evaluate(() => performance.getEntriesByName('docbao:article', 'measure').at(-1)?.duration ?? null));
        }
        const marks = await page.evaluate(() => document.querySelectorAll('article mark').length);
        out[q] = { first: times[0], times: times.sort((a, b) => a - b), measures: measures.sort((a, b) => a - b), marks };
      }
      return out;
    },
  };
}

function pagefindDriver() {
  const firstQuery = queries[FIXED_QUERIES.length];
  return {
    box: 'input#q',
    // No list without a query in Pagefind: its first results are those of the first
    // known-item query, in the URL of the page that loads it.
    open: (page, url) => page.goto(`${url}/bench.html?q=${encodeURIComponent(firstQuery)}`),
    shown: () => document.querySelector('#results')?.dataset.shown !== undefined,
    cleared: () => document.querySelector('#results')?.dataset.shown === '',
    typed: () => document.querySelector('#results')?.dataset.shown === document.querySelector('#q').value,
    shownIds: (page) => page.evaluate(() => [...document.querySelectorAll('#results a')].map((a) => a.getAttribute('href'))).then((urls) =>
      urls.map((u) => {
        const n = /\/a\/(\d+)(?:\.html)?$/.exec(u ?? '')?.[1];
        return n === undefined ? null : articles[Number(n)].id;
      }),
    ),
    // Pagefind leaves the article to the site: its page is a static file, opened as a
    // navigation (load event) from the results page.
    async openArticle(page, url) {
      const times = [];
      for (let i = 0; i < ARTICLE_OPENS; i++) {
        await page.goto(`${url}/a/${longestPage}.html`);
        times.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd));
      }
      return { '': { first: times[0], times: times.sort((a, b) => a - b), measures: [], marks: 0 } };
    },
  };
}

/** Installed before any page script: the clock and counters both drivers read. */
function instrumentation() {
  // Each wasm instance's memory in the page (docbao's; Pagefind's is in its worker).
  return pageClock('__bench', `
  b.memories = [];
  b.wasmMemory = () => {
    const total = b.memories.reduce((s, m) => s + m.buffer.byteLength, 0);
    return b.memories.length ? total : null;
  };
  const keep = (result) => {
    const exports = (result.instance ?? result).exports;
    if (exports?.memory instanceof WebAssembly.Memory) b.memories.push(exports.memory);
    return result;
  };
  for (const f of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[f];
    if (original) WebAssembly[f] = (...a) => original.apply(WebAssembly, a).then(keep);
  }`);
}

/**
 * Pagefind's page: a search box that, on every \`input\`, searches (Pagefind's \`search\`,
 * not \`debouncedSearch\`: docbao searches on every key too), loads the \`data()\` of the first
 * results and shows their title and excerpt, then forces layout, as docbao's page does.
 */
function pagefindHarness() {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Pagefind bench</title></head>
<body><input id="q" type="search"><ol id="results"></ol>
<script type="module">
const pagefind = await import('./pagefind/pagefind.js');
const box = document.getElementById('q');
const list = document.getElementById('results');
let latest = 0;
async function show(q) {
  const mine = ++latest;
  const search = q.trim() ? await pagefind.search(q) : null;
  const shown = search ? await Promise.all(search.results.slice(0, ${SHOWN}).map((r) => r.data())) : [];
  if (mine !== latest) return;
  list.replaceChildren(...shown.map((d) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = d.url;
    a.textContent = d.meta.title;
    const p = document.createElement('p');
    p.innerHTML = d.excerpt; // Pagefind's excerpt: escaped text with <mark>s
    li.append(a, p);
    return li;
  }));
  list.dataset.shown = q;
  document.body.offsetHeight; // style and layout now, as docbao's page forces them
}
box.addEventListener('input', () => show(box.value));
const first = new URLSearchParams(location.search).get('q');
if (first) { box.value = first; show(first); }
</script></body></html>
`;
}

/**
 * Pagefind's index of the written pages (reused while the corpus is unchanged), made after
 * docbao's measures so the indexer's load and memory never overlap them.
 */
async function preparePagefind() {
  // A machine shared with others may ask that the indexer (18 GB on vietnews-train) start
  // no earlier than a given time: DOCBAO_BENCH_PAGEFIND_NOT_BEFORE=HH:MM (UTC).
  const notBefore = process.env.DOCBAO_BENCH_PAGEFIND_NOT_BEFORE;
  if (withPagefind && !siteReady && notBefore) {
    const [h, m] = notBefore.split(':').map(Number);
    const at = new Date();
    at.setUTCHours(h, m, 0, 0);
    if (at > new Date()) log(`waiting until ${notBefore} UTC to run Pagefind ...`);
    while (at > new Date()) await new Promise((r) => setTimeout(r, 5_000));
  }
  if (withPagefind && !siteReady) {
    const available = memAvailable();
    if (textBytes > PAGEFIND_BIG_TEXT && available < PAGEFIND_BIG_MEMORY) {
      pagefindSkipped = `not run: ${(available / 1e9).toFixed(1)} GB of memory available, ${PAGEFIND_BIG_MEMORY / 1e9} GB wanted`;
      log(`Pagefind ${pagefindSkipped}`);
    } else {
      // docbao's figures are in hand: a failing indexer leaves its column empty, saying why.
      try {
        pagefindBuild = indexWithPagefind();
        writeFileSync(path.join(pagefindDir, 'build.json'), JSON.stringify(pagefindBuild));
        writeFileSync(path.join(pagefindDir, 'stamp.txt'), corpusStamp);
      } catch (e) {
        pagefindSkipped = `failed: ${e.message}`;
        log(`Pagefind ${pagefindSkipped}`);
      }
    }
  } else if (siteReady) {
    pagefindBuild = JSON.parse(readFileSync(path.join(pagefindDir, 'build.json'), 'utf8'));
    log(`reusing Pagefind's index of this corpus (${path.relative(REPO, pagefindDir)})`);
  }
  if (pagefindBuild) writeFileSync(path.join(siteDir, 'bench.html'), pagefindHarness());
}

// --- Pagefind's install and index ----------------------------------------------------------

/** Installs npm \`pagefind\` into target/bench/pagefind (not the project's package.json). */
function pagefindBinary() {
  const dir = path.join(REPO, 'target', 'bench', 'pagefind');
  const bin = path.join(dir, 'node_modules', '.bin', 'pagefind');
  const installed = existsSync(bin) && spawnSync(bin, ['--version']).stdout?.toString().trim() === `pagefind ${PAGEFIND_VERSION}`;
  if (!installed) {
    log(`installing pagefind@${PAGEFIND_VERSION} into ${path.relative(REPO, dir)} (npm) ...`);
    mkdirSync(dir, { recursive: true });
    if (!existsSync(path.join(dir, 'package.json'))) writeFileSync(path.join(dir, 'package.json'), '{"private": true}\n');
    run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `pagefind@${PAGEFIND_VERSION}`], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return bin;
}

/** Runs `pagefind --site` on the written pages: its time and peak memory. */
function indexWithPagefind() {
  const bin = pagefindBinary();
  log(`indexing ${articles.length} pages with Pagefind ${PAGEFIND_VERSION} ...`);
  const statsFile = path.join(pagefindDir, 'time.txt');
  const started = nodePerformance.now();
  const timed = existsSync('/usr/bin/time');
  const [cmd, cmdArgs] = timed
    ? ['/usr/bin/time', ['-f', '%M', '-o', statsFile, bin, '--site', siteDir]]
    : [bin, ['--site', siteDir]];
  run(cmd, cmdArgs, { stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = (nodePerformance.now() - started) / 1e3;
  const peakRss = timed ? Number(readFileSync(statsFile, 'utf8').trim().split('\n').at(-1)) * 1024 : null;
  log(`Pagefind indexed in ${seconds.toFixed(0)} s${peakRss ? `, peak RSS ${(peakRss / 1e9).toFixed(2)} GB` : ''}`);
  return { seconds, peakRss, version: PAGEFIND_VERSION };
}

function articlePage(title, paragraphs) {
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!doctype html>\n<html lang="vi"><head><meta charset="utf-8"><title>${esc(title)}</title></head>\n<body><main><h1>${esc(title)}</h1>\n${paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}\n</main></body></html>\n`;
}

/** The corpus and the exporter's inputs, so a Pagefind site is rebuilt only when they change. */
function corpusIdentity() {
  const file = path.resolve(corpus ?? 'seeds');
  const info = statSync(file);
  return `${file} ${info.size} ${info.mtimeMs} pagefind ${PAGEFIND_VERSION}\n`;
}

function memAvailable() {
  const m = /MemAvailable:\s+(\d+) kB/.exec(readIfExists('/proc/meminfo') ?? '');
  return m ? Number(m[1]) * 1024 : os.freemem();
}

// --- bytes ---------------------------------------------------------------------------------

/**
 * Each distinct file among `paths` as a CDN would send it: brotli (quality 11) of its bytes,
 * or as it is when it is already gzip (Pagefind's index files); `files` counts them.
 */
function bytesSent(root, paths) {
  let br = 0;
  let raw = 0;
  let files = 0;
  for (const p of new Set(paths)) {
    let file;
    try {
      file = path.join(root, decodeURIComponent(p).replace(/\/$/, '/index.html'));
    } catch {
      continue;
    }
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) continue;
    if (!wireSizes.has(file)) {
      const bytes = readFileSync(file);
      const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
      const sent = gzip
        ? bytes.length
        : brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length;
      wireSizes.set(file, { raw: bytes.length, sent });
    }
    br += wireSizes.get(file).sent;
    raw += wireSizes.get(file).raw;
    files++;
  }
  return { files, br, raw };
}

// --- the table -------------------------------------------------------------------------------

function makeTable() {
  const pct = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.round((s.length - 1) * p)] : null;
  };
  const f = (x) => (x == null ? '—' : x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0));
  const kb = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} kB`);
  const pf = pagefind;
  const ratio = (a, b) => (a == null || b == null || b === 0 ? '' : `${(a / b).toFixed(2)}×`);
  const rows = [];
  // A figure for each: [label, docbao value, Pagefind value, docbao's number, Pagefind's number, native].
  const row = (label, d, p, dn, pn, n = '') => rows.push([label, d, pf ? p : '—', pf ? ratio(dn, pn) : '', n]);
  const msRow = (label, d, p, n) => row(label, f(d), f(p), d, p, n);
  const firstBytesCell = (b) =>
    b.page.br === b.br ? `${kb(b.br)} (${b.files})` : `${kb(b.br)} (${b.files}); the page's own ${kb(b.page.br)} (${b.page.files})⁸`;

  row('navigation → `docbao:ready`, the index loaded (ms)', f(docbao.ready), '', null, null);
  msRow('navigation → first results shown (ms)¹', docbao.first, pf?.first, native ? `index load ${f(native.load_ms)}` : '');
  row(
    'bytes sent until then, brotli² (files)',
    firstBytesCell(docbao.firstBytes),
    pf && firstBytesCell(pf.firstBytes),
    docbao.firstBytes.br,
    pf?.firstBytes.br,
  );
  for (const [i, pass] of [1, 2].entries()) {
    const d = docbao.passes[i];
    const p = pf?.passes[i];
    const when = pass === 1 ? 'typing, fetches included³' : 'typed again, fetched files in memory';
    msRow(`${when}: keystroke p50 (ms)`, pct(d.keys, 0.5), p && pct(p.keys, 0.5));
    msRow(`${when}: keystroke p95 (ms)`, pct(d.keys, 0.95), p && pct(p.keys, 0.95));
    msRow(`${when}: keystroke max (ms)`, pct(d.keys, 1), p && pct(p.keys, 1));
    row(
      `${when}: fetches (keystrokes fetching; bytes)`,
      `${d.fetches} (${d.keysFetching}; ${kb(d.fetchedBytes.br)})`,
      p && `${p.fetches} (${p.keysFetching}; ${kb(p.fetchedBytes.br)})`,
      d.fetches,
      p?.fetches,
    );
    row(`${when}: \`docbao:search\` p50 / p95 (ms)⁴`, `${f(pct(d.searches, 0.5))} / ${f(pct(d.searches, 0.95))}`, '', null, null);
    row(
      `${when}: engine, \`docbao:find\` p50 / p95 (ms)`,
      `${f(pct(d.finds, 0.5))} / ${f(pct(d.finds, 0.95))}`,
      '',
      null,
      null,
      native && pass === 2 ? `${f(native.p50_ms)} / ${f(native.p95_ms)}` : '',
    );
  }
  const opens = docbao.article;
  articleQueries.forEach((q, i) => {
    const { first, times, measures, marks } = opens[q];
    const which = q ? `q="${q}", ${marks} marks` : 'no query';
    const p = i === 0 ? pf?.article[''].times : null;
    row(
      `open the longest article, ${which}: median (first) (ms)⁵`,
      `${f(pct(times, 0.5))} (${f(first)}); \`docbao:article\` ${f(pct(measures, 0.5))}`,
      i === 0 ? pf && `${f(pct(p, 0.5))} (${f(pf.article[''].first)})` : '',
      i === 0 ? pct(times, 0.5) : null,
      p && pct(p, 0.5),
      native ? f(native.article_pages[i].ms) : '',
    );
  });
  row(
    'JS heap used / wasm memory',
    `${kb(docbao.heap)} / ${docbao.wasmMemory == null ? '—' : kb(docbao.wasmMemory)}`,
    pf && `${kb(pf.heap)} / ${pf.wasmMemory == null ? '— (in its worker)⁷' : kb(pf.wasmMemory)}`,
    null,
    null,
  );
  row(
    `MRR@${SHOWN}, ${docbao.passes[0].knownItems} known-item queries⁶`,
    docbao.passes[0].mrr.toFixed(2),
    pf && pf.passes[0].mrr.toFixed(2),
    docbao.passes[0].mrr,
    pf?.passes[0].mrr,
  );
  if (docbao.passes[0].mrrAsTyped != null) {
    row(`MRR@${SHOWN} as typed (the last key's rows, before the pause)`, docbao.passes[0].mrrAsTyped.toFixed(2), '', null, null);
  }
  row('bytes sent in all, brotli² (files)', `${kb(docbao.total.br)} (${docbao.total.files})`, pf && `${kb(pf.total.br)} (${pf.total.files})`, docbao.total.br, pf?.total.br);
  if (pagefindBuild) {
    const rss = pagefindBuild.peakRss ? `, peak RSS ${(pagefindBuild.peakRss / 1e9).toFixed(2)} GB` : '';
    row('Pagefind indexing', '', `${pagefindBuild.seconds.toFixed(0)} s${rss}`, null, null);
  }

  const head = ['', `docbao (${layout})`, `Pagefind ${PAGEFIND_VERSION}`, 'docbao / Pagefind', native ? 'native (engine)' : ''];
  const keep = native ? 5 : 4;
  const all = [head, ...rows].map((r) => r.slice(0, keep).map((c) => String(c ?? '')));
  const widths = all[0].map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO }).stdout.toString().trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO }).stdout.toString().trim() ? '+changes' : '';
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    `### ${name}, ${layout}: ${articles.length} articles, ${(textBytes / 1e6).toFixed(1)} MB of text`,
    '',
    `${new Date().toISOString().slice(0, 16)}Z, commit ${commit}${dirty}; ${cpu}, ${os.cpus().length} cores; ` +
      `load average ${loadBefore} before, ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} after; Chromium ${chromium}, served over ${protocol} from 127.0.0.1 (${serverInBench ? "a server in the bench's process" : 'a server process of its own'}). ` +
      `${queries.length} queries, ${docbao.passes[0].keys.length} letters typed; longest article ${longest.id} (${longest.passages} passages).`,
    '',
    line(all[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...all.slice(1).map(line),
    '',
    '¹ docbao: `#/search` opened, to its first list (the archive, newest first) complete on screen; ' +
      `Pagefind: its page opened with the first known-item query ("${queries[FIXED_QUERIES.length]}") in the URL, to its first ${SHOWN} results' titles and excerpts on screen.`,
    '² Each distinct file requested by the page or its service worker, brotli quality 11, or as it is when already gzip (Pagefind\'s `.pf_*` and wasm).',
    `³ A keystroke: its \`input\` event to the page's last change once quiet (no fetch in flight, no change for ${QUIET_MS} ms), before the next key; ` +
      'both search on every key (Pagefind\'s `search`, not `debouncedSearch`, then `data()` of the results shown).',
    '⁴ The app\'s own measure: input to its first render of that search (in a sharded archive, possibly before the files it needs arrive).',
    '⁵ docbao: `#/a/<id>` entered from a results page to the page complete (text fetched if sharded), median of ' +
      `${ARTICLE_OPENS}; Pagefind leaves articles to the site: the article's static page, navigation to its load event.`,
    `⁶ Queries made from a title (as written, unmarked, raw Telex, with a typo): 1/rank of that title's article among the first ${SHOWN}, else 0. The words are 1 to 3 consecutive words of a title picked at random, often words hundreds of articles share (\`long\`, \`ky\`, \`khong phai\`), for which no engine can rank that one article first: the figure compares the engines on the same queries; it is not the engine's known-item score on distinctive title words (0.9+, \`engine/tests/known_item.rs\`).`,
    '⁷ Pagefind 1.6 searches in a Web Worker: its wasm memory and the worker\'s heap are not in these figures (its fetches and bytes are).',
    '⁸ The rest is the service worker (`sw.js` and what it precaches: for docbao, the app and the archive\'s root; the ingest report is cached only once opened).',
    ...(pagefindSkipped ? [`Pagefind: ${pagefindSkipped}.`] : []),
    '',
  ].join('\n');
}

// --- queries -------------------------------------------------------------------------------

function prefixes(q) {
  const chars = [...q];
  return chars.map((_, i) => chars.slice(0, i + 1).join(''));
}

/** A small seeded PRNG (mulberry32): the same queries on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A title's words of letters only, lowercased. */
function titleWords(title) {
  return title
    .normalize('NFC')
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
    .filter((w) => w && /^\p{L}+$/u.test(w));
}

/** Without marks, `đ` as `d`: how many readers type on a phone. */
function fold(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** As typed in Telex with the input method off: `trường` → `truwowngf`. */
function telex(word) {
  let out = '';
  let tone = '';
  for (const ch of word.normalize('NFD')) {
    if (TELEX_TONES[ch]) tone = TELEX_TONES[ch];
    else if (ch === '\u0302') out += out.at(-1); // â ê ô: the vowel twice
    else if (ch === '\u0306' || ch === '\u031b') out += 'w'; // ă, ơ ư
    else if (ch === 'đ') out += 'dd';
    else out += ch;
  }
  return out + tone;
}

/** One slip in the longest word: two letters swapped, or one dropped. */
function typo(text, rnd) {
  const words = text.split(' ');
  const i = words.reduce((best, w, j) => (w.length > words[best].length ? j : best), 0);
  const w = words[i];
  if (w.length < 4) return text;
  const at = 1 + Math.floor(rnd() * (w.length - 2));
  words[i] = rnd() < 0.5 ? w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2) : w.slice(0, at) + w.slice(at + 1);
  return words.join(' ');
}

/**
 * `count` queries: the fixed ones, then from random titles, 1 to 3 words each, in turn as
 * written, folded, Telex, with a typo; each with its title's article (`target`, null for
 * the fixed ones).
 */
function makeQueries(list, count, seed) {
  const rnd = random(seed);
  const out = FIXED_QUERIES.map((q) => ({ q, target: null }));
  for (let guard = 0; out.length < count && guard < count * 100; guard++) {
    const article = list[Math.floor(rnd() * list.length)];
    const words = titleWords(article.title);
    if (words.length === 0) continue;
    const n = 1 + Math.floor(rnd() * 3);
    const start = Math.floor(rnd() * Math.max(1, words.length - n + 1));
    const picked = words.slice(start, start + n);
    const written = picked.join(' ');
    const q = [written, fold(written), picked.map(telex).join(' '), typo(fold(written), rnd)][out.length % 4];
    if (!out.some((o) => o.q === q)) out.push({ q, target: article.id });
  }
  return out;
}

// --- small helpers ---------------------------------------------------------------------------

/** The non-blank lines of a buffer, decoded one at a time (a large export is never one string). */
function* lines(buffer) {
  let start = 0;
  while (start < buffer.length) {
    let end = buffer.indexOf(0x0a, start);
    if (end < 0) end = buffer.length;
    const line = buffer.toString('utf8', start, end);
    if (line.trim()) yield line;
    start = end + 1;
  }
}

function readIfExists(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function run(cmd, cmdArgs, options) {
  const result = spawnSync(cmd, cmdArgs, { cwd: REPO, ...options });
  if (result.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed (${result.error ?? `exit ${result.status}`})`);
}
