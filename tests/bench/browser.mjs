// The browser benchmark (run through scripts/bench-browser [CORPUS]): the release build
// served on 127.0.0.1, Debian's Chromium through playwright-core, a reader typing a
// realistic mix of Vietnamese queries letter by letter, then opening the corpus's longest
// article with a query. It reads the app's User Timing entries (src/timing.rs) and prints
// one table, with the same work replayed natively by the engine beside it
// (engine/benches/replay.rs), so the wasm's overhead is visible.
//
// It prints figures and asserts nothing: it is not a test, and not part of scripts/test.
//
//   node tests/bench/browser.mjs [CORPUS] [--no-build]
//     CORPUS      a folder or file as DOCBAO_CORPUS takes it; built into
//                 target/bench-dist/<name>. Default: the seeds, built into dist/.
//     --no-build  reuse the build already there.
//
// Queries come from the corpus's titles (read with `docbao export`), chosen with a fixed
// seed: as written, without marks, in raw Telex, and with one typo; plus a few fixed ones.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { launchBrowser, REPO, searchBox, waitUntilReady } from '../e2e/support.mjs';
import { startServer } from '../e2e/server.mjs';

const QUERIES = 32;
const SEED = 20_251_201;
/** Pause between keys: a quick typist (the app must keep up with far faster). */
const KEY_DELAY_MS = 60;
/** Times the longest article is opened from the results; median and max are reported. */
const ARTICLE_OPENS = 7;
/** Queries every run includes, whatever the corpus: the issue's slow cases. */
const FIXED_QUERIES = ['hoc sinh gioi quoc gia', 'thanh tris', 'TP.HCM'];
/** Telex's tone keys, by the combining mark they type. */
const TELEX_TONES = { '\u0301': 's', '\u0300': 'f', '\u0309': 'r', '\u0303': 'x', '\u0323': 'j' };

const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const corpus = args.find((a) => !a.startsWith('--')) ?? null;
const name = corpus ? path.basename(corpus).replace(/\..*$/, '') || 'corpus' : 'seeds';
const distDir = corpus ? path.join(REPO, 'target', 'bench-dist', name) : path.join(REPO, 'dist');
const workDir = path.join(REPO, 'target', 'bench', name);
mkdirSync(workDir, { recursive: true });

const log = (msg) => console.error(`bench-browser: ${msg}`);
// The machine may be shared: its load is printed with the figures, which it skews.
const loadBefore = os.loadavg()[0].toFixed(1);

// --- build -----------------------------------------------------------------------------
if (build || !existsSync(path.join(distDir, 'index.html'))) {
  log(`building ${corpus ?? 'seeds/'} into ${path.relative(REPO, distDir)} (trunk build --release) ...`);
  const trunkArgs = ['build', '--release'];
  if (corpus) trunkArgs.push('--dist', distDir);
  const env = { ...process.env };
  if (corpus) env.DOCBAO_CORPUS = path.resolve(corpus);
  else delete env.DOCBAO_CORPUS;
  run('trunk', trunkArgs, { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

// --- the corpus, as the engine reads it, and the queries -------------------------------
log('exporting the corpus (docbao export) ...');
const exported = path.join(workDir, 'corpus.jsonl');
const exporting = spawnSync(
  'cargo',
  ['run', '--release', '-q', '-p', 'docbao-engine', '--features', 'cli', '--bin', 'docbao', '--', 'export', path.resolve(corpus ?? 'seeds')],
  { cwd: REPO, maxBuffer: 2 ** 31 },
);
// The report goes to stderr, a line per warning: only its summary (last line) is shown.
log(`docbao export: ${exporting.stderr.toString('utf8').trim().split('\n').at(-1)}`);
if (exporting.status !== 0) throw new Error(`docbao export failed (exit ${exporting.status})`);
const exportOut = exporting.stdout;
writeFileSync(exported, exportOut);
const articles = exportOut
  .toString('utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));

const passages = (a) => 1 + (a.lead ? 1 : 0) + (a.body?.length ?? 0) + (a.captions?.length ?? 0);
const longest = articles.reduce((best, a) => (passages(a) > passages(best) ? a : best));
const queries = makeQueries(articles.map((a) => a.title), QUERIES, SEED);
// The article is opened without a query (rendering only), with one it answers (words of its
// own title, typed without marks), and with the issue's costly one.
const articleQueries = ['', fold(titleWords(longest.title).slice(0, 3).join(' ')), FIXED_QUERIES[0]];
const keystrokes = queries.flatMap((q) => ['', ...[...q].map((_, i) => [...q].slice(0, i + 1).join(''))]);
const planFile = path.join(workDir, 'plan.json');
writeFileSync(planFile, JSON.stringify({ queries, keystrokes, article: { id: longest.id, queries: articleQueries } }, null, 1));
log(`${articles.length} articles; ${queries.length} queries, ${keystrokes.length} keystrokes; plan in ${path.relative(REPO, planFile)}`);

// --- the browser -------------------------------------------------------------------------
const server = await startServer(distDir);
const browser = await launchBrowser();
let wasm;
try {
  wasm = await inBrowser();
} finally {
  await browser.close();
  await server.close();
}

// --- native ----------------------------------------------------------------------------
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
const native = JSON.parse(nativeLine.slice('replay: '.length));

printTable();

// -----------------------------------------------------------------------------------------

async function inBrowser() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const requested = new Set();
  context.on('request', (req) => requested.add(new URL(req.url()).pathname));

  log(`opening ${server.url}/ in Chromium ...`);
  await page.goto(`${server.url}/#/search`);
  await waitUntilReady(page);
  const ready = await page.evaluate(() => performance.getEntriesByName('docbao:ready', 'mark')[0].startTime);
  // Where start-up goes, in ms after navigation: the wasm's download, its code running
  // (compiled and instantiated), the index decoded, the first render done (ready).
  const startup = await page.evaluate(() => {
    const wasmFile = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
    const decode = performance.getEntriesByName('docbao:decode', 'measure')[0];
    return {
      wasmFetched: wasmFile?.responseEnd,
      started: performance.getEntriesByName('docbao:start', 'mark')[0]?.startTime,
      decoded: decode && decode.startTime + decode.duration,
      decodeMs: decode?.duration,
    };
  });
  // The search page's first render (the whole archive, cold) is no keystroke: reported
  // apart, and cleared so each measure below is one keystroke's.
  await page.waitForFunction(() => performance.getEntriesByName('docbao:search', 'measure').length > 0);
  const firstSearch = await page.evaluate(() => {
    const first = performance.getEntriesByName('docbao:search', 'measure')[0].duration;
    for (const name of ['docbao:search', 'docbao:find']) {
      performance.clearMeasures(name);
      performance.clearMarks(`${name}:start`);
      performance.clearMarks(`${name}:end`);
    }
    return first;
  });
  // Let the service worker cache the build, so every file a first visit needs is counted (once).
  await page.evaluate(() => navigator.serviceWorker?.ready);

  const box = searchBox(page);
  const searches = [];
  const finds = [];
  for (const [i, q] of queries.entries()) {
    const before = await searchCount(page);
    await box.fill(''); // clearing the box is a keystroke too: it searches ''
    await box.pressSequentially(q, { delay: KEY_DELAY_MS });
    await settle(page, before);
    const entries = await page.evaluate(() =>
      ['docbao:search', 'docbao:find'].map((name) => {
        const list = performance.getEntriesByName(name, 'measure').map((e) => e.duration);
        performance.clearMeasures(name);
        performance.clearMarks(`${name}:start`);
        performance.clearMarks(`${name}:end`);
        return list;
      }),
    );
    searches.push(...entries[0]);
    finds.push(...entries[1]);
    if ((i + 1) % 8 === 0) log(`typed ${i + 1}/${queries.length} queries`);
  }

  // The longest article, opened from its results again and again, as a reader steps in and out.
  const opens = {};
  for (const articleQuery of articleQueries) opens[articleQuery] = await openArticle(page, articleQuery);

  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasmMemory = await page.evaluate(async () => {
    // wasm-bindgen's init returns the instance's exports once it is initialized.
    const bindings = performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .find((n) => /\/docbao-[^/]*\.js$/.test(n));
    if (!bindings) return null;
    const exports = await (await import(bindings)).default();
    return exports.memory.buffer.byteLength;
  });
  const chromium = browser.version();
  await context.close();
  if (errors.length) log(`the page reported errors: ${errors.join(' | ')}`);
  return { ready, startup, firstSearch, searches, finds, opens, heap, wasmMemory, chromium, bytes: bytesSent(requested) };
}

/**
 * Opens the longest article from the results of `articleQuery`, ARTICLE_OPENS times: the
 * `docbao:article` measures, sorted, and how many marks the page shows.
 */
async function openArticle(page, articleQuery) {
  const withQ = articleQuery ? `?q=${encodeURIComponent(articleQuery)}` : '';
  const opens = [];
  for (let i = 0; i < ARTICLE_OPENS; i++) {
    await page.evaluate((h) => (location.hash = h), `#/search${withQ}`);
    await page.waitForFunction(() => location.hash.startsWith('#/search') && !document.querySelector('article.article'));
    const before = await page.evaluate(() => performance.getEntriesByName('docbao:article', 'measure').length);
    await page.evaluate((h) => (location.hash = h), `#/a/${encodeURIComponent(longest.id)}${withQ}`);
    await page.waitForFunction((n) => performance.getEntriesByName('docbao:article', 'measure').length > n, before);
    opens.push(await page.evaluate(() => performance.getEntriesByName('docbao:article', 'measure').at(-1).duration));
  }
  const marks = await page.evaluate(() => document.querySelectorAll('article mark').length);
  return { times: opens.sort((a, b) => a - b), marks };
}

/** How many `docbao:search` measures the page holds. */
function searchCount(page) {
  return page.evaluate(() => performance.getEntriesByName('docbao:search', 'measure').length);
}

/** Waits until the page has searched for the last key and then stays idle for a moment. */
async function settle(page, before) {
  let last = -1;
  for (;;) {
    const now = await searchCount(page);
    if (now > before && now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Each file the page (and its service worker) asked for, brotli-compressed as a CDN would send it. */
function bytesSent(paths) {
  const files = [];
  for (const p of paths) {
    const file = path.join(distDir, decodeURIComponent(p).replace(/\/$/, '/index.html'));
    if (!file.startsWith(distDir) || !existsSync(file) || !statSync(file).isFile()) continue;
    const raw = readFileSync(file);
    const br = brotliCompressSync(raw, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length },
    }).length;
    files.push({ file: path.relative(distDir, file), raw: raw.length, br });
  }
  const sum = (k) => files.reduce((s, f) => s + f[k], 0);
  const wasmFile = files.find((f) => f.file.endsWith('.wasm'));
  return { files: files.length, raw: sum('raw'), br: sum('br'), wasmRaw: wasmFile?.raw ?? 0, wasmBr: wasmFile?.br ?? 0 };
}

function printTable() {
  const s = [...wasm.searches].sort((a, b) => a - b);
  const e = [...wasm.finds].sort((a, b) => a - b);
  const pct = (xs, p) => xs[Math.round((xs.length - 1) * p)];
  const f = (x) => (x == null ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(1));
  const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
  const rows = [
    ['navigation to ready / index load (ms)', f(wasm.ready), f(native.load_ms)],
    [
      'start-up: wasm fetched / code running / index decoded (decode ms) / ready (ms after navigation)',
      `${f(wasm.startup.wasmFetched)} / ${f(wasm.startup.started)} / ${f(wasm.startup.decoded)} (${f(wasm.startup.decodeMs)}) / ${f(wasm.ready)}`,
      '',
    ],
    ['search page first rendered at load, whole archive (ms)', f(wasm.firstSearch), ''],
    [
      `bytes sent, brotli (${wasm.bytes.files} files; wasm)`,
      `${mb(wasm.bytes.br)} (raw ${mb(wasm.bytes.raw)}); ${mb(wasm.bytes.wasmBr)}`,
      '',
    ],
    [`keystrokes measured (typed: ${keystrokes.length})`, String(s.length), String(native.keystrokes)],
    ['keystroke, input to laid out: p50 (ms)', f(pct(s, 0.5)), ''],
    ['keystroke, input to laid out: p95 (ms)', f(pct(s, 0.95)), ''],
    ['keystroke, input to laid out: max (ms)', f(s.at(-1)), ''],
    ['keystroke, engine (query + find): p50 (ms)', f(pct(e, 0.5)), f(native.p50_ms)],
    ['keystroke, engine (query + find): p95 (ms)', f(pct(e, 0.95)), f(native.p95_ms)],
    ['keystroke, engine (query + find): max (ms)', f(e.at(-1)), f(native.max_ms)],
    ...articleQueries.flatMap((q, i) => {
      const { times, marks } = wasm.opens[q];
      const n = native.article_pages[i];
      const which = q ? `q="${q}"` : 'no query';
      return [
        [`longest article, ${which} (${marks} marks): median (ms)`, f(pct(times, 0.5)), f(n.ms)],
        [`longest article, ${which}: max (ms)`, f(times.at(-1)), f(n.max_ms)],
      ];
    }),
    [
      'JS heap used / wasm memory',
      `${mb(wasm.heap.usedSize)} / ${wasm.wasmMemory == null ? '—' : mb(wasm.wasmMemory)}`,
      '',
    ],
  ];
  if (wasm.searches.length === keystrokes.length) {
    // One measure per keystroke, in order: name the slowest, for whoever speeds them up.
    const slowest = wasm.searches
      .map((ms, i) => ({ ms, q: keystrokes[i] }))
      .sort((x, y) => y.ms - x.ms)
      .slice(0, 5)
      .map(({ ms, q }) => `"${q}" ${f(ms)} ms`);
    console.log(`\nslowest keystrokes in the browser: ${slowest.join(', ')}`);
  }
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(
    `\ndocbao browser bench: ${name}, ${articles.length} articles; ${new Date().toISOString().slice(0, 16)}Z; ` +
      `${cpu}, ${os.cpus().length} cores (load average ${loadBefore} before, ${os.loadavg()[0].toFixed(1)} after); ` +
      `Chromium ${wasm.chromium}`,
  );
  console.log(
    `keystrokes: ${queries.length} queries typed letter by letter (${KEY_DELAY_MS} ms apart); ` +
      `longest article: ${longest.id}, ${passages(longest)} passages, opened ${ARTICLE_OPENS} times per query`,
  );
  const widths = [0, 1, 2].map((c) => Math.max(...[['', 'wasm (Chromium)', 'native'], ...rows].map((r) => r[c].length)));
  const line = (r) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(line(['', 'wasm (Chromium)', 'native']));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

// --- queries -------------------------------------------------------------------------------

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

/** `count` queries from random titles, 1 to 3 words each, in turn as written, folded, Telex, with a typo. */
function makeQueries(titles, count, seed) {
  const rnd = random(seed);
  const out = [...FIXED_QUERIES];
  for (let guard = 0; out.length < count && guard < count * 100; guard++) {
    const words = titleWords(titles[Math.floor(rnd() * titles.length)]);
    if (words.length === 0) continue;
    const n = 1 + Math.floor(rnd() * 3);
    const start = Math.floor(rnd() * Math.max(1, words.length - n + 1));
    const picked = words.slice(start, start + n);
    const written = picked.join(' ');
    const q = [written, fold(written), picked.map(telex).join(' '), typo(fold(written), rnd)][out.length % 4];
    if (!out.includes(q)) out.push(q);
  }
  return out;
}

function run(cmd, cmdArgs, options) {
  const result = spawnSync(cmd, cmdArgs, { cwd: REPO, ...options });
  if (result.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed (${result.error ?? `exit ${result.status}`})`);
}
