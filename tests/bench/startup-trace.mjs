// Where start-up's time goes: a Chromium trace of loads of a built bundle (a fresh context
// each), from navigation to `docbao:ready`: the page's marks and files, the renderer main
// thread's top-level tasks over 2 ms with what they spent their time in (the wasm's body
// completed, `ResponseBodyLoader::DidFinishLoadingBody`: 20–130 ms for 12 MB under load,
// about as long with no integrity asked; then `wasm.OnBytesReceived` and
// `wasm.FinishStreaming`, instantiation and the data segment's copy inside), functions
// compiled lazily (Liftoff, on the main thread at their first call) per phase, and the
// wasm events by name. `startup.mjs` gives the medians; this, the why. Asserts nothing.
//
//   node tests/bench/startup-trace.mjs DIST [--runs N] [--profile [--top N]] [--window]
//     --profile  a CPU profile's heaviest functions to ready (wasm ones by index only,
//                unless the build keeps the name section)
//     --window   every renderer event over 0.5 ms from the wasm's arrival to `docbao:start`
//     --categories LIST  the trace categories, comma-separated, instead of the default
//                (e.g. add disabled-by-default-v8.gc,blink_gc,toplevel to see GC and tasks)
//     --dump REGEX [--from MS] [--to MS]  every main-thread event over 0.3 ms whose name
//                matches, nested ones too, with its arguments (ms after navigation)
//     --until-start  stop 1.5 s after `docbao:start` instead of waiting for ready: for a
//                build that never gets ready (tests/bench/wasm-corpus-variant.mjs's)

import os from 'node:os';
import { launchBrowser, waitUntilReady } from '../e2e/support.mjs';
import { startServer } from '../e2e/server.mjs';

const dist = process.argv[2];
const arg = (name, d) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const runs = arg('--runs', 1);
const top = arg('--top', 25);
const profiling = process.argv.includes('--profile');
const text = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const DEFAULT_CATEGORIES = 'devtools.timeline,blink.user_timing,v8.wasm,disabled-by-default-v8.wasm.detailed,v8,loading,blink';
const categories = (text('--categories') ?? DEFAULT_CATEGORIES).split(',');
const dump = text('--dump') && new RegExp(text('--dump'));
const untilStart = process.argv.includes('--until-start');
if (!dist) throw new Error('usage: node tests/bench/startup-trace.mjs DIST [--runs N] [--profile]');

const browser = await launchBrowser();
const server = await startServer(dist);
try {
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
    const finished = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.start', {
      traceConfig: {
        includedCategories: categories,
      },
      transferMode: 'ReportEvents',
    });
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    await page.goto(`${server.url}/#/search`);
    if (untilStart) {
      await page.waitForFunction(() => performance.getEntriesByName('docbao:start').length > 0, null, { timeout: 30000 });
      await page.waitForTimeout(1500);
    } else {
      await waitUntilReady(page);
    }
    const marks = await page.evaluate(() =>
      Object.fromEntries(
        performance
          .getEntries()
          .filter((e) => e.entryType === 'mark' || e.entryType === 'measure' || e.entryType === 'resource')
          .map((e) => [e.name.split('/').pop(), [e.startTime, e.responseEnd ?? e.startTime + e.duration]]),
      ),
    );
    let profile;
    if (profiling) ({ profile } = await cdp.send('Profiler.stop'));
    await cdp.send('Tracing.end');
    await finished;
    await context.close();

    const readyEv = events.find((e) => e.name === 'docbao:ready') ?? (untilStart ? events.find((e) => e.name === 'docbao:start') : undefined);
    const pid = readyEv?.pid;
    const mainTid = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args.name === 'CrRendererMain')?.tid;
    const nav = events.find((e) => e.name === 'navigationStart' && e.pid === pid) ?? events.filter((e) => e.pid === pid).sort((a, b) => a.ts - b.ts)[0];
    const t0 = nav.ts;
    const readyTs = readyEv.ts;
    const at0 = (name) => events.find((e) => e.pid === pid && e.name === name)?.ts;
    console.log(`\nrun ${run + 1}: load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ready at ${((readyTs - t0) / 1e3).toFixed(1)} ms after navigationStart`);
    for (const [name, [s, e]] of Object.entries(marks)) console.log(`  ${name.padEnd(40)} ${s.toFixed(1).padStart(8)} ${e.toFixed(1).padStart(8)}`);
    // Top-level main-thread events (not nested in another X event).
    const mainEvents = events.filter((e) => e.pid === pid && e.tid === mainTid && e.ph === 'X' && e.ts >= t0 && e.ts <= readyTs).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const topLevel = [];
    let end = -Infinity;
    for (const e of mainEvents) {
      if (e.ts >= end) {
        topLevel.push(e);
        end = e.ts + (e.dur ?? 0);
      }
    }
    console.log('  main thread top-level tasks (start, dur ms, name, children by self ms):');
    for (const e of topLevel.filter((e) => e.dur > 2000)) {
      const kids = mainEvents.filter((k) => k !== e && k.ts >= e.ts && k.ts + (k.dur ?? 0) <= e.ts + e.dur);
      const byName = {};
      for (const k of kids) byName[k.name] = (byName[k.name] ?? 0) + (k.dur ?? 0) / 1e3;
      const list = Object.entries(byName).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([n, d]) => `${n} ${d.toFixed(1)}`).join(', ');
      console.log(`   ${((e.ts - t0) / 1e3).toFixed(1).padStart(7)} ${(e.dur / 1e3).toFixed(1).padStart(7)} ${e.name}: ${list}`);
    }
    if (dump) {
      const [from, to] = [Number(text('--from') ?? 0), Number(text('--to') ?? Infinity)];
      const inWindow = events.filter((e) => e.pid === pid && e.tid === mainTid && (e.ph === 'X' || e.ph === 'B') && dump.test(e.name));
      for (const e of inWindow.sort((a, b) => a.ts - b.ts)) {
        const at = (e.ts - t0) / 1e3;
        if (at < from || at > to || (e.ph === 'X' && e.dur < 300)) continue;
        console.log(`    dump ${at.toFixed(1).padStart(7)} ${e.ph === 'X' ? (e.dur / 1e3).toFixed(1).padStart(6) : '     B'} ${e.name} ${JSON.stringify(e.args ?? {}).slice(0, 160)}`);
      }
    }
    if (process.argv.includes('--window')) {
      // Every event of the renderer (any thread) between the wasm's arrival and the code running.
      const from = t0 + (marks[Object.keys(marks).find((k) => k.endsWith('.wasm'))]?.[1] ?? 0) * 1e3 - 20e3;
      const to = at0('docbao:start');
      const tn = Object.fromEntries(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
      for (const e of events.filter((e) => e.pid === pid && e.ts >= from && e.ts <= to && (e.dur ?? 0) > 500 && e.ph === 'X').sort((a, b) => a.ts - b.ts)) {
        console.log(`    ${((e.ts - t0) / 1e3).toFixed(1).padStart(7)} ${((e.dur ?? 0) / 1e3).toFixed(1).padStart(6)} ${(tn[`${e.pid}:${e.tid}`] ?? e.tid).toString().padEnd(24)} ${e.name} ${JSON.stringify(e.args ?? {}).slice(0, 100)}`);
      }
    }
    const grows = events.filter((e) => e.pid === pid && e.name === 'wasm.GrowMemory' && e.ts <= readyTs);
    console.log(`  wasm.GrowMemory before ready: ${grows.length}, ${(grows.reduce((s, e) => s + (e.dur ?? 0), 0) / 1e3).toFixed(1)} ms`);
    // Lazy compilation (Liftoff, on the main thread at a function's first call) by phase.
    const at = (name, which = 'b') => events.find((e) => e.pid === pid && e.name === name && (e.ph === which || e.ph === 'R' || e.ph === 'I'))?.ts;
    const phases = [
      ['to start', t0, at('docbao:start')],
      ['start to decode', at('docbao:start'), at('docbao:decode', 'b')],
      ['decode', at('docbao:decode', 'b'), at('docbao:decode', 'e')],
      ['decode to ready', at('docbao:decode', 'e'), readyTs],
    ];
    for (const [label, from, to] of phases) {
      const lazy = events.filter((e) => e.pid === pid && e.tid === mainTid && e.name === 'wasm.CompileLazy' && e.ts >= from && e.ts < to);
      console.log(`  ${label}: ${((to - from) / 1e3).toFixed(1)} ms, wasm.CompileLazy ${lazy.length} functions ${(lazy.reduce((s, e) => s + (e.dur ?? 0), 0) / 1e3).toFixed(1)} ms`);
    }
    const wasmEv = events.filter((e) => e.pid === pid && /wasm|Wasm/.test(e.name) && (e.ph === 'X' || e.ph === 'B' || e.ph === 'I' || e.ph === 'i'));
    const byName = {};
    for (const e of wasmEv) {
      const k = `${e.name} [tid ${e.tid === mainTid ? 'main' : e.tid}]`;
      byName[k] ??= { n: 0, dur: 0, first: Infinity, last: 0 };
      byName[k].n++;
      byName[k].dur += (e.dur ?? 0) / 1e3;
      byName[k].first = Math.min(byName[k].first, (e.ts - t0) / 1e3);
      byName[k].last = Math.max(byName[k].last, (e.ts + (e.dur ?? 0) - t0) / 1e3);
    }
    console.log('  wasm events: name, count, summed ms, first start, last end');
    for (const [k, v] of Object.entries(byName).sort((a, b) => b[1].dur - a[1].dur).slice(0, 20)) console.log(`   ${k}: ${v.n} ${v.dur.toFixed(1)} ${v.first.toFixed(1)} ${v.last.toFixed(1)}`);
    if (profile) {
      const self = new Map();
      const dt = profile.timeDeltas;
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      let t = profile.startTime;
      for (let i = 0; i < profile.samples.length; i++) {
        t += dt[i];
        if (t > readyTs) break;
        const n = byId.get(profile.samples[i]);
        const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`;
        self.set(key, (self.get(key) ?? 0) + (dt[i + 1] ?? 0) / 1e3);
      }
      console.log('  profile self time to ready (ms):');
      for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`   ${v.toFixed(1).padStart(7)} ${k}`);
    }
  }
} finally {
  await server.close();
  await browser.close();
}
