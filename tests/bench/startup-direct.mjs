// Start-up as a reader's Chromium runs it: no DevTools protocol attached. Playwright (the
// other benches) enables DevTools' Network domain on every page, and with it each load of
// an embedded archive gets a main-thread task `ResponseBodyLoader::DidFinishLoadingBody` of
// ~20–50 ms after the 12 MB wasm's body completes (docs/measurements.md, session 18): a
// cost of the instrument, not of the page. Here Chromium is launched for each load with a
// fresh profile, traced from its start (`--trace-startup`, JSON, a few categories), on a
// launcher page of another site (`localhost`, the app being on `127.0.0.1`) that shows a
// line of Vietnamese text in the app's fonts and, a second later, opens the app: the
// browser is warm and the app gets a renderer of its own, as with a context of the other
// benches. The page's own marks are read from the trace: the page is not changed.
// Prints, in ms after navigation, the wasm's streaming compile finished, `docbao:start`,
// `docbao:ready`, the longest `DidFinishLoadingBody` between the two, and the medians.
// Asserts nothing.
//
//   node tests/bench/startup-direct.mjs DIST [--runs N]

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM } from '../e2e/support.mjs';
import { startServer } from '../e2e/server.mjs';

const dist = process.argv[2];
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
if (!dist) throw new Error('usage: node tests/bench/startup-direct.mjs DIST [--runs N]');
const TRACE_SECONDS = 6;
const LAUNCH_DELAY_MS = 1000;

/** Runs Chromium on `url` until its start-up trace is written; resolves to its events. */
async function tracedLoad(url) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docbao-startup-direct-'));
  const file = path.join(dir, 'trace.json');
  // The flags of tests/e2e/support.mjs's launchBrowser, and a window of the other benches' size.
  const chromium = spawn(
    CHROMIUM,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--window-size=1280,900',
      '--lang=vi-VN',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      '--trace-startup=blink.user_timing,loading,blink,v8.wasm,devtools.timeline',
      `--trace-startup-file=${file}`,
      `--trace-startup-duration=${TRACE_SECONDS}`,
      '--trace-startup-format=json',
      url,
    ],
    // Its own process group, so the renderer and utility processes are ended with it.
    { stdio: 'ignore', detached: true },
  );
  try {
    // The file is complete once it parses (Chromium writes it when the duration is over).
    for (let waited = 0; waited < 60_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (!existsSync(file)) continue;
      try {
        const json = JSON.parse(readFileSync(file, 'utf8'));
        return json.traceEvents ?? json;
      } catch {
        // not written through yet
      }
    }
    throw new Error(`no start-up trace from Chromium in 60 s (${file})`);
  } finally {
    const exited = new Promise((resolve) => chromium.once('exit', resolve));
    process.kill(-chromium.pid, 'SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

const server = await startServer(dist);
const launcher = createServer((req, res) => {
  const app = `${server.url}/#/search`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><meta charset="utf-8"><p style="font-family: serif">Đọc báo: tìm kiếm</p>
<p style="font-family: system-ui, sans-serif"><b>Tiếng Việt</b></p>
<script>setTimeout(() => { location.href = ${JSON.stringify(app)}; }, ${LAUNCH_DELAY_MS});</script>`);
});
await new Promise((resolve) => launcher.listen(0, '127.0.0.1', resolve));
const launcherUrl = `http://localhost:${launcher.address().port}/`;
const rows = [];
try {
  for (let i = 0; i < runs; i++) {
    const events = await tracedLoad(launcherUrl);
    const ready = events.find((e) => e.name === 'docbao:ready');
    if (!ready) throw new Error(`load ${i + 1}: no docbao:ready within ${TRACE_SECONDS} s of Chromium's start`);
    const ofPage = events.filter((e) => e.pid === ready.pid);
    // The app's own navigation (the SVG images' documents have theirs, with no URL).
    const t0 = ofPage.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.startsWith(server.url))?.ts;
    const at = (name) => ofPage.find((e) => e.name === name)?.ts;
    const ms = (ts) => (ts - t0) / 1e3;
    const start = at('docbao:start');
    const finish = ofPage.find((e) => e.name === 'wasm.FinishStreaming' && e.ph === 'X');
    const bodyTasks = ofPage.filter((e) => e.name === 'ResponseBodyLoader::DidFinishLoadingBody' && e.ph === 'X' && e.ts <= start);
    rows.push({
      compiled: finish ? ms(finish.ts + finish.dur) : NaN,
      start: ms(start),
      ready: ms(ready.ts),
      bodyTask: Math.max(0, ...bodyTasks.map((e) => e.dur / 1e3)),
      load: os.loadavg()[0],
    });
  }
} finally {
  await server.close();
  launcher.close();
}

const keys = ['compiled', 'start', 'ready', 'bodyTask', 'load'];
const median = (key) => rows.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(rows.length / 2)];
console.log(`startup-direct: ${dist}, ${runs} loads, no DevTools; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`| ${keys.join(' | ')} |`);
for (const r of rows) console.log(`| ${keys.map((k) => r[k].toFixed(1)).join(' | ')} |`);
console.log(`| ${keys.map((k) => median(k).toFixed(1)).join(' | ')} | (medians)`);
