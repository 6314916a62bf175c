// Where a keystroke's time goes: a Chromium performance trace of the browser bench's typing
// (its plan.json), split by the app's `docbao:search` measures. For each keystroke it sums
// the main thread's style (UpdateLayoutTree), layout (Layout, with its dirty objects) and
// the rest (script: the engine, Yew, DOM calls) inside the measure, and the layout left
// after the measure's end until the next key (work the measure would have moved out).
// "main thread through paint" adds the style, layout and paint after the measure to it: a
// change that only moves work into painting (the measure leaves painting out) shows there.
// Prints medians and p95s; asserts nothing.
//
//   node tests/bench/trace.mjs DIST PLAN [--keys N]
//     DIST   a built bundle (e.g. target/bench-dist/unc-dantri-embedded)
//     PLAN   the bench's plan (target/bench/unc-dantri-embedded/plan.json)
//     --keys stop after N letters typed (default: all)
//     --pause MS  wait MS after each query's last letter (default 120, as between letters):
//               400 lets the page write the query to the URL and finish what it left for
//               the pause (the rows below the fold); "main thread, all tasks" counts it
//     --invalidations  also count what invalidated layout and style, by reason and node
//     --profile  also take a CPU profile (CDP Profiler, 100 µs samples) and print the
//               functions with the most self time inside the measures (wasm functions by
//               name only in a build that keeps the name section, e.g. `data-keep-debug`
//               with `data-wasm-opt-params="--debuginfo"`: wasm-opt drops names otherwise);
//               TRACE_PROFILE_OUT=FILE also writes the profile there (a .cpuprofile for
//               DevTools)
//     --slowest F  also print the slowest fraction F of the keystrokes one by one (what was
//               typed, script/style/layout, dirty objects, the engine, garbage collection,
//               other measures inside, e.g. a slice of the dictionaries' derivation) and,
//               with --profile, the functions with the most self time inside those alone
//     --early  type as soon as the first page shows, before an embedded index's dictionaries
//               are made (by default typing waits for them, as the browser bench's does)
//     --css RULES  add RULES as a style sheet before typing: try a style's effect on the
//               keystroke's style and layout without building again
//     --script FILE  run FILE in the page before its own scripts (an init script): try a
//               change of what the app's calls do (e.g. a DOM API wrapped) without building
//   Also prints a query's first letters apart from its other keystrokes; TRACE_ROWS_OUT=FILE
//   writes every keystroke's figures (JSON) there.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, waitUntilReady } from '../e2e/support.mjs';
import { startServer } from '../e2e/server.mjs';

const [dist, planFile] = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !['--keys', '--pause', '--slowest', '--css', '--script'].includes(all[i - 1]));
const slowestArg = process.argv.indexOf('--slowest');
const slowest = slowestArg > 0 ? Number(process.argv[slowestArg + 1]) : 0;
const pauseArg = process.argv.indexOf('--pause');
const pauseMs = pauseArg > 0 ? Number(process.argv[pauseArg + 1]) : 120;
const keysArg = process.argv.indexOf('--keys');
const maxKeys = keysArg > 0 ? Number(process.argv[keysArg + 1]) : Infinity;
const invalidations = process.argv.includes('--invalidations');
const cssArg = process.argv.indexOf('--css');
const extraCss = cssArg > 0 ? process.argv[cssArg + 1] : null;
const scriptArg = process.argv.indexOf('--script');
const initScript = scriptArg > 0 ? path.resolve(process.argv[scriptArg + 1]) : null;
const profiling = process.argv.includes('--profile');
const early = process.argv.includes('--early');
if (!dist || !planFile) throw new Error('usage: node tests/bench/trace.mjs DIST PLAN [--keys N]');
const plan = JSON.parse(readFileSync(planFile, 'utf8'));

const browser = await launchBrowser();
const server = await startServer(dist);
const events = [];
let nodes = null;
let profile = null;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  if (initScript) await context.addInitScript({ path: initScript });
  const page = await context.newPage();
  await page.goto(`${server.url}/#/search`);
  await waitUntilReady(page);
  await page.waitForSelector('ol.results a.result');
  // An embedded index makes its dictionaries a slice at a time after `ready`; a key typed
  // before then waits for them (`--early` measures that). Typing starts once they are made,
  // as the browser bench's does after its first quiet page.
  if (!early && !existsSync(path.join(dist, 'archive'))) {
    await page.waitForFunction(() => performance.getEntriesByName('docbao:decode-dictionaries').length > 0, null, { timeout: 60_000 });
  }
  if (extraCss) await page.addStyleTag({ content: extraCss });
  const cdp = await context.newCDPSession(page);
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const finished = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    traceConfig: {
      includedCategories: [
        'devtools.timeline',
        'blink.user_timing',
        'disabled-by-default-devtools.timeline',
        ...(invalidations ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : []),
      ],
    },
    transferMode: 'ReportEvents',
  });
  if (profiling) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  const box = page.locator('input#q[type="search"]');
  let typed = 0;
  // Each action is labelled in the page's timeline (a User Timing mark the bench sets just
  // before it), so a measure can be named by the keystroke that caused it.
  const label = (text) => page.evaluate((t) => performance.mark(`bench:key ${t}`), text);
  outer: for (const { q } of plan.queries) {
    await label('(cleared)');
    await box.fill('');
    await page.waitForTimeout(150);
    const letters = [...q];
    for (const [i, ch] of letters.entries()) {
      if (typed++ >= maxKeys) break outer;
      await label(letters.slice(0, i + 1).join(''));
      await box.pressSequentially(ch);
      // The bench's pace: the answer, then a quiet moment, then the next key.
      await page.waitForTimeout(i === letters.length - 1 ? pauseMs : 120);
    }
  }
  if (profiling) ({ profile } = await cdp.send('Profiler.stop'));
  await cdp.send('Tracing.end');
  await finished;
  nodes = await page.evaluate(() => ({
    page: document.querySelectorAll('*').length,
    results: document.querySelectorAll('ol.results *').length,
    filters: document.querySelectorAll('.filters *').length,
    // What a `--script` may have counted (e.g. DOM calls wrapped), printed with the rest.
    counted: globalThis.__calls,
  }));
  await context.close();
} finally {
  await server.close();
  await browser.close();
}

// The renderer's main thread: where the measures are.
const measureBegins = events.filter((e) => e.name === 'docbao:search' && e.ph === 'b');
const main = measureBegins[0] && { pid: measureBegins[0].pid };
const threadNames = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === main?.pid);
const mainTid = threadNames.find((e) => e.args.name === 'CrRendererMain')?.tid;
const ends = events.filter((e) => e.name === 'docbao:search' && e.ph === 'e');
const findDurations = pairDurations('docbao:find');
const windows = measureBegins
  .map((b) => ({ start: b.ts, end: ends.find((e) => e.id2?.local === b.id2?.local && e.id === b.id && e.ts >= b.ts)?.ts ?? ends.find((e) => e.ts >= b.ts)?.ts }))
  .filter((w) => w.end !== undefined)
  .sort((a, b) => a.start - b.start);
const onMain = events.filter((e) => e.pid === main?.pid && e.tid === mainTid && e.ph === 'X');
const sum = (name, from, to) =>
  onMain.filter((e) => e.name === name && e.ts >= from && e.ts < to).reduce((s, e) => s + (e.dur ?? 0), 0) / 1e3;
const keyMarks = events
  .filter((e) => typeof e.name === 'string' && e.name.startsWith('bench:key '))
  .sort((a, b) => a.ts - b.ts);
const findSpans = pairSpans('docbao:find');
const sliceSpans = pairSpans('docbao:derive-slice');
/** The total ms of `spans` (begin/end in µs) inside [from, to). */
const within = (spans, from, to) =>
  spans.reduce((s, { start, end }) => s + Math.max(0, Math.min(end, to) - Math.max(start, from)), 0) / 1e3;
const rows = windows.map((w, i) => {
  const next = windows[i + 1]?.start ?? w.end + 120e3;
  const layouts = onMain.filter((e) => e.name === 'Layout' && e.ts >= w.start && e.ts < w.end);
  const total = (w.end - w.start) / 1e3;
  const layout = sum('Layout', w.start, w.end);
  const style = sum('UpdateLayoutTree', w.start, w.end);
  return {
    total,
    layout,
    style,
    script: total - layout - style,
    dirty: layouts.reduce((s, e) => s + (e.args?.beginData?.dirtyObjects ?? 0), 0),
    objects: layouts.reduce((s, e) => Math.max(s, e.args?.beginData?.totalObjects ?? 0), 0),
    styled: onMain
      .filter((e) => e.name === 'UpdateLayoutTree' && e.ts >= w.start && e.ts < w.end)
      .reduce((s, e) => s + (e.args?.elementCount ?? 0), 0),
    after: sum('Layout', w.end, next) + sum('UpdateLayoutTree', w.end, next),
    paint: sum('Paint', w.end, next) + sum('PrePaint', w.end, next),
    find: within(findSpans, w.start, w.end),
    gc: onMain
      .filter((e) => /GC|Scavenge|MarkCompact/.test(e.name) && e.ts >= w.start && e.ts < w.end)
      .reduce((s, e) => s + (e.dur ?? 0), 0) / 1e3,
    derive: within(sliceSpans, w.start, w.end),
    layouts: layouts.length,
    ...(invalidations && process.env.TRACE_ROWS_OUT ? { invalidated: invalidatedIn(w.start, w.end) } : {}),
    key: keyMarks.filter((m) => m.ts <= w.start).at(-1)?.name.slice('bench:key '.length) ?? '(before typing)',
    index: i,
  };
}).map((r) => ({ ...r, frame: r.total + r.after + r.paint }));
/** What invalidated layout and style in [from, to), by reason and node: counts. */
function invalidatedIn(from, to) {
  const counts = {};
  for (const e of events) {
    if (!/InvalidationTracking/.test(e.name) || e.pid !== main?.pid || e.ts < from || e.ts >= to) continue;
    const d = e.args?.data ?? {};
    const key = `${e.name} ${d.reason ?? d.changedAttribute ?? d.changedPseudo ?? ''} ${d.nodeName ?? ''}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
/** The User Timing measure `name`'s spans (µs): its begin and end events, paired in order. */
function pairSpans(name) {
  const begins = events.filter((e) => e.name === name && e.ph === 'b').sort((a, b) => a.ts - b.ts);
  const ends = events.filter((e) => e.name === name && e.ph === 'e').sort((a, b) => a.ts - b.ts);
  return begins.map((b, i) => ({ start: b.ts, end: ends[i]?.ts ?? b.ts })).filter((s) => s.end >= s.start);
}
/** Durations (ms) of the User Timing measure `name`: its begin and end events, paired in order. */
function pairDurations(name) {
  const begins = events.filter((e) => e.name === name && e.ph === 'b').sort((a, b) => a.ts - b.ts);
  const ends = events.filter((e) => e.name === name && e.ph === 'e').sort((a, b) => a.ts - b.ts);
  return begins.map((b, i) => (ends[i] ? (ends[i].ts - b.ts) / 1e3 : NaN)).filter((d) => d >= 0);
}
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
console.log(`trace: ${rows.length} keystrokes measured; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`elements after typing: ${JSON.stringify(nodes)}`);
console.log('part (ms)                          p50     p95     mean     max');
for (const k of ['total', 'script', 'style', 'styled', 'layout', 'dirty', 'objects', 'after', 'paint', 'frame']) {
  const xs = rows.map((r) => r[k]);
  const mean = xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const label = {
    total: 'docbao:search',
    script: 'script (engine, Yew, DOM)',
    style: 'style',
    layout: 'layout',
    dirty: 'layout: dirty objects',
    objects: 'layout: all objects',
    styled: 'style: elements',
    after: 'style+layout after the measure',
    paint: 'paint after the measure',
    frame: 'main thread through paint',
  }[k];
  console.log(`${label.padEnd(34)} ${pct(xs, 50).toFixed(2).padStart(6)}  ${pct(xs, 95).toFixed(2).padStart(6)}  ${mean.toFixed(2).padStart(6)}  ${Math.max(...xs).toFixed(2).padStart(6)}`);
}
// A query's first letter (every row new) apart from the other keystrokes: the p95 is set
// by whichever kind is dearer. TRACE_ROWS_OUT=FILE writes every keystroke's figures.
const kinds = [
  ['first letters', (r) => [...r.key].length === 1],
  ['other letters', (r) => [...r.key].length > 1 && r.key !== '(cleared)'],
  ['the box cleared', (r) => r.key === '(cleared)'],
];
for (const [kind, test] of kinds) {
  const of = rows.filter(test);
  const fig = (k) => `${pct(of.map((r) => r[k]), 50).toFixed(2)} / ${pct(of.map((r) => r[k]), 95).toFixed(2)}`;
  console.log(`${`${kind} (${of.length}), p50 / p95:`.padEnd(28)} total ${fig('total')}, script ${fig('script')}, layout ${fig('layout')}, dirty ${fig('dirty')}, find ${fig('find')}`);
}
if (process.env.TRACE_ROWS_OUT) writeFileSync(process.env.TRACE_ROWS_OUT, JSON.stringify(rows));
// Every task the main thread ran while typing, wherever its work fell: keystrokes, what
// followed them, timers, the pauses. Work moved out of the measures still shows here.
const tasks = onMain.filter((e) => e.name === 'RunTask' && windows.length && e.ts >= windows[0].start - 1e3);
const busy = tasks.reduce((s, e) => s + (e.dur ?? 0), 0) / 1e3;
const inMeasures = rows.reduce((s, r) => s + r.total, 0);
console.log(`main thread, all tasks: ${busy.toFixed(0)} ms over ${plan.queries.length} queries (${(busy / plan.queries.length).toFixed(1)} ms a query; ${inMeasures.toFixed(0)} ms of it in docbao:search; pause after a query ${pauseMs} ms)`);
const findMean = findDurations.reduce((s, x) => s + x, 0) / Math.max(1, findDurations.length);
console.log(`${'engine, docbao:find'.padEnd(34)} ${pct(findDurations, 50).toFixed(2).padStart(6)}  ${pct(findDurations, 95).toFixed(2).padStart(6)}  ${findMean.toFixed(2).padStart(6)}  ${Math.max(...findDurations).toFixed(2).padStart(6)}`);

// The slowest keystrokes one by one: what was typed and where their time went.
const worst = slowest > 0
  ? [...rows].sort((a, b) => b.total - a.total).slice(0, Math.max(1, Math.ceil(slowest * rows.length)))
  : [];
if (worst.length) {
  console.log(`\nthe slowest ${worst.length} of ${rows.length} (ms; #: order in the run; layouts: forced layouts inside):`);
  console.log('   #  typed                          total  script  style  layout  dirty  layouts  find    gc  derive');
  for (const r of worst) {
    console.log(`${String(r.index).padStart(4)}  ${JSON.stringify(r.key).slice(0, 30).padEnd(30)} ${[r.total, r.script, r.style, r.layout].map((x) => x.toFixed(2).padStart(6)).join(' ')} ${String(r.dirty).padStart(6)} ${String(r.layouts).padStart(8)} ${[r.find, r.gc, r.derive].map((x) => x.toFixed(2).padStart(5)).join(' ')}`);
  }
}

if (invalidations) {
  const counts = new Map();
  for (const e of events) {
    if (!/InvalidationTracking/.test(e.name) || e.pid !== main?.pid) continue;
    if (!windows.some((w) => e.ts >= w.start && e.ts < w.end)) continue;
    const d = e.args?.data ?? {};
    const key = `${e.name} ${d.reason ?? d.changedAttribute ?? d.changedPseudo ?? ''} ${d.nodeName ?? ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${String(n).padStart(6)}  ${k}`);
}

if (profile) {
  // For a closer look (callers, callees) in DevTools or a script of one's own.
  if (process.env.TRACE_PROFILE_OUT) writeFileSync(process.env.TRACE_PROFILE_OUT, JSON.stringify(profile));
  // The profile's clock is the trace's (both microseconds of the same monotonic clock).
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n) => n.callFrame.functionName || `(anonymous ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber})`;
  /** Self and inclusive time per function of the samples inside `spans` (sorted by start). */
  const sampled = (spans) => {
    const self = new Map();
    const inclusive = new Map();
    let t = profile.startTime;
    let inside = 0;
    let w = 0;
    for (const [i, id] of profile.samples.entries()) {
      t += profile.timeDeltas[i];
      while (w < spans.length && spans[w].end < t) w++;
      if (w >= spans.length || t < spans[w].start) continue;
      const dt = (profile.timeDeltas[i + 1] ?? 100) / 1e3;
      inside += dt;
      const node = byId.get(id);
      self.set(label(node), (self.get(label(node)) ?? 0) + dt);
      const seen = new Set();
      for (let at = id; at !== undefined; at = parent.get(at)) {
        const name = label(byId.get(at));
        if (seen.has(name)) continue;
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
      }
    }
    return { self, inclusive, inside };
  };
  const report = (what, spans, keys, top) => {
    const { self, inclusive, inside } = sampled(spans);
    const perKey = (ms) => (ms / Math.max(1, keys)).toFixed(3);
    console.log(`CPU profile, ${what}: ${inside.toFixed(0)} ms sampled inside the measures (${perKey(inside)} ms a keystroke)`);
    console.log('self time, ms a keystroke:');
    for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${perKey(ms).padStart(7)}  ${name.slice(0, 110)}`);
    console.log('inclusive time, ms a keystroke:');
    for (const [name, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top * 1.5)) console.log(`  ${perKey(ms).padStart(7)}  ${name.slice(0, 110)}`);
  };
  report('every keystroke', windows, rows.length, 40);
  if (worst.length) {
    const spans = worst.map((r) => windows[r.index]).sort((a, b) => a.start - b.start);
    report(`the slowest ${worst.length}`, spans, worst.length, 30);
  }
}
