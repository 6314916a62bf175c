// Where a sharded keystroke's time goes in Chromium: types the browser bench's queries
// (its plan.json) as the bench does (each key answered and quiet before the next, the
// service worker in control, fetched files kept) and splits each keystroke from its
// `input` event to the page's last change into
//   - rounds: waves of archive fetches, a wave starting once the previous one is in;
//   - waiting: time some archive fetch is in flight (the page's view: request to its
//     bytes in the page), of which `worker` is the service worker's own part (the fetch
//     from the host excluded: hashing, the cache; ~0 for a file the browser routes
//     past the worker, the page then fetching it from the host itself);
//   - engine: `docbao:find` (each file arriving runs the search again) and `docbao:add`
//     (a file decoded into the reader, when the app records it);
//   - the rest: rendering, Yew, the event loop;
// and into phases: the input to its first request, each round (its first request to its
// last file in), between the rounds, and after the last file in to the last change.
// Prints medians, p95s and totals over the keystrokes that fetch; asserts nothing.
//
//   node tests/bench/timeline.mjs DIST PLAN [--keys N]
//     DIST   a built sharded bundle (target/bench-dist/vietnews-train-sharded)
//     PLAN   the bench's plan (target/bench/vietnews-train-sharded/plan.json)
//     --keys stop after N letters typed (default: all)
//     --http1  serve over plain HTTP/1.1 (the browser's 6 connections to a host) instead
//            of HTTPS with HTTP/2 (a self-signed certificate in target/bench-tls/), as a
//            CDN serves
//     --server-in-bench  serve from this process (as before session 27) instead of a node
//            process of its own (`startServerProcess`), as the browser bench does
//     --no-worker  block the service worker (Playwright's `serviceWorkers: 'block'`): the
//            page fetches from the host itself, so the worker's part shows by difference
//     --script FILE  run FILE in the page before its own scripts (an init script): try a
//            change of what the app's calls do without building (e.g. no `crypto.subtle`)
//     --json FILE  also write every keystroke (its text, total, files with their times,
//            finds, adds) to FILE, for comparing two builds keystroke by keystroke
//     --slowest F  also print, for the slowest fraction F of the keystrokes that fetch
//            (default 0.1), each one's files (kind, bytes, request start and response end
//            from its `input` event, queued before sent, the host's time), its decodes
//            (`docbao:add`), searches (`docbao:find`), the URL write and its last change

import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, REPO, waitUntilReady } from '../e2e/support.mjs';
import { benchCertificate, startBenchServer } from '../e2e/server.mjs';
import { pageClock } from './page-clock.mjs';

const args = process.argv.slice(2);
const keysArg = args.indexOf('--keys');
const maxKeys = keysArg >= 0 ? Number(args[keysArg + 1]) : Infinity;
const noWorker = args.includes('--no-worker');
const http1 = args.includes('--http1');
const slowestArg = args.indexOf('--slowest');
const slowest = slowestArg >= 0 ? Number(args[slowestArg + 1]) : 0.1;
const jsonArg = args.indexOf('--json');
const jsonFile = jsonArg >= 0 ? args[jsonArg + 1] : null;
const scriptArg = args.indexOf('--script');
const initScript = scriptArg >= 0 ? path.resolve(args[scriptArg + 1]) : null;
const [dist, planFile] = args.filter((a, i) => !a.startsWith('--') && !['--keys', '--slowest', '--json', '--script'].includes(args[i - 1]));
if (!dist || !planFile) throw new Error('usage: node tests/bench/timeline.mjs DIST PLAN [--keys N]');
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const QUIET_MS = 100;

// The search page writes a typed query to the URL when typing pauses (history.replaceState).
const instrumentation = pageClock('__tl', `  performance.setResourceTimingBufferSize(100000);
  b.urlWrites = [];
  const replaceState = history.replaceState;
  history.replaceState = function (...a) {
    b.urlWrites.push(performance.now());
    return replaceState.apply(this, a);
  };`);

const TLS_DIR = path.join(REPO, 'target', 'bench-tls');
const serverInBench = process.argv.includes('--server-in-bench');
const certificate = http1 ? null : benchCertificate(TLS_DIR);
const browser = await launchBrowser({ certificateSpki: certificate?.spki });
const server = await startBenchServer(dist, { tlsDir: certificate ? TLS_DIR : undefined, inBench: serverInBench });
// The service worker's own fetches from the host, by URL: its part is the rest.
const hostTimes = new Map();
const keys = [];
let controlled = false;
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    serviceWorkers: noWorker ? 'block' : 'allow',
  });
  await context.addInitScript(instrumentation);
  if (initScript) await context.addInitScript({ path: initScript });
  context.on('requestfinished', async (req) => {
    if (!req.url().includes('/archive/')) return;
    const t = req.timing();
    const time = { total: t.responseEnd, queued: Math.max(0, t.requestStart), server: Math.max(0, t.responseStart - t.requestStart) };
    if (req.serviceWorker() !== null) hostTimes.set(req.url(), time);
    // The page's own request to the host: a file routed past the worker (static routes).
    else if (!(await req.response())?.fromServiceWorker() && !hostTimes.has(req.url())) hostTimes.set(req.url(), time);
  });
  const page = await context.newPage();
  page.setDefaultTimeout(180_000);
  await page.goto(`${server.url}/#/search`);
  await waitUntilReady(page);
  await page.waitForSelector('ol.results a.result');
  if (!noWorker) await page.evaluate(() => navigator.serviceWorker?.ready);
  await quiet(page);
  if (!noWorker) {
    // The worker claims the page once active: the bench measures pages it controls.
    controlled = await page
      .waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 })
      .then(() => true, () => false);
  }
  const box = page.locator('input#q[type="search"]');
  let typed = 0;
  outer: for (const { q } of plan.queries) {
    await box.fill('');
    await quiet(page);
    let typedSoFar = '';
    for (const ch of [...q]) {
      typedSoFar += ch;
      if (typed++ >= maxKeys) break outer;
      await page.evaluate(() => {
        performance.clearResourceTimings();
        for (const n of ['docbao:find', 'docbao:add', 'docbao:search']) performance.clearMeasures(n);
      });
      await box.pressSequentially(ch);
      const end = await quiet(page);
      const key = await page.evaluate(() => {
        const since = window.__tl.lastInput;
        const files = performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/archive/') && e.startTime >= since)
          .map((e) => ({ url: e.name, start: e.startTime, end: e.responseEnd, bytes: e.decodedBodySize }));
        const measures = (n) => performance.getEntriesByName(n, 'measure').filter((m) => m.startTime >= since).map((m) => [m.startTime, m.duration]);
        const urlWrite = window.__tl.urlWrites.filter((t) => t >= since).at(-1) ?? null;
        return { since, files, find: measures('docbao:find'), add: measures('docbao:add'), urlWrite };
      });
      key.total = end - key.since;
      key.q = typedSoFar;
      keys.push(key);
    }
  }
  await context.close();
} finally {
  await server.close();
  await browser.close();
}

/** Resolves, once the page is quiet, to the time of its last change. */
function quiet(page) {
  return page.evaluate(async (quietMs) => {
    const b = window.__tl;
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      const now = performance.now();
      if (b.inflight > 0 || document.querySelector('[data-archive="fetching"]')) continue;
      if (now - b.lastMutation < quietMs || now - b.lastFetchEnd < quietMs) continue;
      return b.lastMutation;
    }
  }, QUIET_MS);
}

/** Total length of the union of intervals. */
function union(intervals) {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  if (sorted.length === 0) return 0;
  let total = 0;
  let [from, to] = sorted[0];
  for (const [s, e] of sorted.slice(1)) {
    if (s > to) {
      total += to - from;
      [from, to] = [s, e];
    } else to = Math.max(to, e);
  }
  return total + (to - from);
}

const KINDS = ['fold', 'exct', 'pair', 'ids', 'docs', 'lex'];
const PHASES = ['firstRequest', 'round1', 'between', 'round2', 'afterFiles'];
const rows = keys.map((k) => {
  const files = [...k.files].sort((a, b) => a.start - b.start);
  // A round: fetches started before every earlier one of the keystroke had arrived.
  let rounds = 0;
  let roundEnd = -Infinity;
  for (const f of files) {
    if (f.start >= roundEnd) rounds++;
    roundEnd = Math.max(roundEnd, f.end);
  }
  const waiting = union(files.map((f) => [f.start, f.end]));
  // Its phases: the input to the first request; each round from its first request to its
  // last file in; between rounds, the last file in to the next round's first request;
  // after the last file, to the last change. (NaN where a keystroke has no second round.)
  const byRound = [];
  roundEnd = -Infinity;
  for (const f of files) {
    if (f.start >= roundEnd) byRound.push([]);
    byRound.at(-1).push(f);
    roundEnd = Math.max(roundEnd, f.end);
  }
  const endOf = (round) => Math.max(...round.map((f) => f.end));
  const phases = files.length === 0 ? {} : {
    firstRequest: files[0].start - k.since,
    round1: endOf(byRound[0]) - byRound[0][0].start,
    between: byRound.length > 1 ? byRound[1][0].start - endOf(byRound[0]) : NaN,
    round2: byRound.length > 1 ? endOf(byRound[1]) - byRound[1][0].start : NaN,
    afterFiles: k.total - (endOf(files) - k.since),
  };
  // The worker's part of each fetch: the page's request-to-response less the host's.
  const hostOf = (f) => hostTimes.get(f.url) ?? { total: 0, queued: 0 };
  const worker = files.reduce((s, f) => s + Math.max(0, f.end - f.start - hostOf(f).total), 0);
  const host = files.reduce((s, f) => s + hostOf(f).total, 0);
  // Before its request is sent: mostly waiting for one of the 6 HTTP/1.1 connections.
  const queued = files.reduce((s, f) => s + hostOf(f).queued, 0);
  const kinds = {};
  for (const f of files) {
    const kind = f.url.split('.').pop();
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  const engineIntervals = [...k.find, ...k.add].map(([s, d]) => [s, s + d]);
  const engine = union(engineIntervals);
  const finds = k.find.reduce((s, [, d]) => s + d, 0);
  const adds = k.add.reduce((s, [, d]) => s + d, 0);
  const detail = {
    q: k.q,
    urlWrite: k.urlWrite === null ? null : k.urlWrite - k.since,
    files: files.map((f) => ({
      name: f.url.split('/').pop(),
      bytes: f.bytes,
      start: f.start - k.since,
      end: f.end - k.since,
      ...hostOf(f),
    })),
    find: k.find.map(([s, d]) => [s - k.since, d]),
    add: k.add.map(([s, d]) => [s - k.since, d]),
  };
  // The keystroke ended at the render of the pause that writes the URL (300 ms after
  // the key): after its files and searches, with nothing else left to show.
  const lastEnd = Math.max(0, ...detail.files.map((f) => f.end));
  const findEnd = Math.max(0, ...detail.find.map(([s, d]) => s + d));
  const endedAtPause = detail.urlWrite !== null && detail.urlWrite > Math.max(lastEnd, findEnd) && k.total >= detail.urlWrite;
  return {
    detail,
    endedAtPause,
    total: k.total,
    files: files.length,
    bytes: files.reduce((s, f) => s + (f.bytes || 0), 0),
    rounds,
    waiting,
    worker: files.length ? worker / files.length : 0,
    host: files.length ? host / files.length : 0,
    queued: files.length ? queued / files.length : 0,
    ...Object.fromEntries(KINDS.map((k) => [k, kinds[k] ?? 0])),
    findCount: k.find.length,
    finds,
    adds,
    engine,
    rest: Math.max(0, k.total - waiting - engine),
    ...phases,
  };
});

if (jsonFile) {
  const load = os.loadavg();
  writeFileSync(jsonFile, JSON.stringify({ load, keys: rows.map((r) => ({ ...r.detail, total: r.total, rounds: r.rounds })) }));
}
const quantile = (xs, q) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const show = (label, all) => {
  console.log(`\n${label}: ${all.length} keystrokes`);
  const cols = ['total', 'files', ...KINDS, 'bytes', 'rounds', 'waiting', 'worker', 'host', 'queued', 'findCount', 'finds', 'adds', 'engine', 'rest', ...PHASES];
  console.log(`  ${'column'.padEnd(10)} ${'p50'.padStart(10)} ${'p95'.padStart(10)} ${'sum'.padStart(12)}`);
  for (const c of cols) {
    const xs = all.map((r) => r[c]).filter((x) => x !== undefined && !Number.isNaN(x));
    const sum = xs.reduce((s, x) => s + x, 0);
    console.log(`  ${c.padEnd(10)} ${fmt(quantile(xs, 0.5)).padStart(10)} ${fmt(quantile(xs, 0.95)).padStart(10)} ${fmt(sum).padStart(12)}`);
  }
};
console.log(
  `load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; ${server.protocol}; ${keys.length} letters typed` +
    `${noWorker ? ', the service worker blocked' : ''}; the worker ${controlled ? 'controlled the page' : 'NEVER controlled the page'}`,
);
show('every keystroke', rows);
show('keystrokes fetching', rows.filter((r) => r.files > 0));
{
  const fetching = rows.filter((r) => r.files > 0);
  const atPause = fetching.filter((r) => r.endedAtPause);
  console.log(
    `\nkeystrokes that fetch ending at the render of the pause that writes the URL: ${atPause.length} of ${fetching.length}`,
  );
}
if (slowest > 0) {
  const fetching = rows.filter((r) => r.files > 0).sort((a, b) => b.total - a.total);
  const worst = fetching.slice(0, Math.max(1, Math.ceil(slowest * fetching.length)));
  console.log(`\nthe slowest ${worst.length} keystrokes that fetch (times in ms from the keystroke's input event):`);
  for (const r of worst) {
    const d = r.detail;
    const lastEnd = Math.max(...d.files.map((f) => f.end));
    const findEnd = Math.max(0, ...d.find.map(([s, l]) => s + l));
    console.log(
      `\n  "${d.q}": last change ${fmt(r.total)}; ${r.files} files, ${(r.bytes / 1e3).toFixed(0)} kB, ${r.rounds} rounds;` +
        ` last file in at ${fmt(lastEnd)}; ${d.find.length} finds ${fmt(r.finds)} ms (last ends ${fmt(findEnd)});` +
        ` adds ${fmt(r.adds)} ms; URL written at ${d.urlWrite === null ? '—' : fmt(d.urlWrite)}` +
        `${r.endedAtPause ? ' (the last change is the URL write\'s render)' : ''}`,
    );
    console.log(`    ${'file'.padEnd(24)} ${'kB'.padStart(7)} ${'start'.padStart(7)} ${'end'.padStart(7)} ${'queued'.padStart(7)} ${'server'.padStart(7)} ${'host'.padStart(7)}`);
    for (const f of d.files) {
      console.log(
        `    ${f.name.padEnd(24)} ${(f.bytes / 1e3).toFixed(1).padStart(7)} ${fmt(f.start).padStart(7)} ${fmt(f.end).padStart(7)}` +
          ` ${fmt(f.queued ?? NaN).padStart(7)} ${fmt(f.server ?? NaN).padStart(7)} ${fmt(f.total ?? NaN).padStart(7)}`,
      );
    }
    const adds = d.add.map(([s, l]) => `${fmt(s)}+${fmt(l)}`).join(' ');
    const finds = d.find.map(([s, l]) => `${fmt(s)}+${fmt(l)}`).join(' ');
    console.log(`    finds (at+ms): ${finds}\n    adds (at+ms): ${adds}`);
  }
}
console.log(
  '\ncolumns: total = input to the last change (ms); waiting = some archive fetch in flight (ms, page view);' +
    ' worker / host = per file, the service worker\'s part / its fetch from the host (ms), queued = of which before the request was sent;' +
    ' fold … lex = files of each kind;' +
    ' finds = docbao:find (count, ms); adds = docbao:add (ms); engine = union of both; rest = total - waiting - engine;' +
    ' firstRequest = input to the first file asked for; round1 / round2 = a round\'s first request to its last file in;' +
    ' between = the first round\'s last file in to the second\'s first request; afterFiles = the last file in to the last change' +
    ' (between and round2 over the keystrokes of 2+ rounds only).',
);
