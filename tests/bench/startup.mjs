// Where start-up goes in a built bundle: loads the app N times in a fresh browser context
// (nothing cached) and prints, in ms after navigation, when the page's files arrived (the
// HTML, the JS glue, the wasm), the wasm's code running (`docbao:start`: compile and
// instantiate, the data segment copied, in between), the index decoded (`docbao:decode`)
// and `docbao:ready` (`paint`: the first contentful paint, when the first page's frame was
// presented: Yew yields to the browser after 16 ms of rendering, so that frame may be drawn
// before the page's rendered effects and `docbao:ready`, and is often presented after),
// then the dictionaries decoded after it (`docbao:decode-dictionaries`, its duration and
// end; builds before session 7 decode them inside `docbao:decode`; since session 9 they
// are derived in slices, `slice` the longest `docbao:derive-slice`), with
// the medians and the machine's load. A sharded build (DIST/archive/) has no dictionaries
// to derive: it prints when the root arrived, when the first page's last chunk arrived
// and the first results (`first`: the archive's newest articles listed). Asserts nothing.
//
//   node tests/bench/startup.mjs DIST [--runs N]     (DIST e.g. target/bench-dist/unc-dantri-embedded)

import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, waitUntilReady } from '../e2e/support.mjs';
import { startServer } from '../e2e/server.mjs';

const dist = process.argv[2];
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
if (!dist) throw new Error('usage: node tests/bench/startup.mjs DIST [--runs N]');

const sharded = existsSync(path.join(dist, 'archive'));
const browser = await launchBrowser();
const server = await startServer(dist);
const rows = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${server.url}/#/search`);
    await waitUntilReady(page);
    if (sharded) {
      // Polled every frame: the first frame with the whole first page listed.
      await page.waitForFunction(
        () => {
          const done = !!document.querySelector('ol.results a.result') && !document.querySelector('ol.results li.pending');
          if (done) window.__docbaoFirst ??= performance.now();
          return done;
        },
        null,
        { timeout: 30000 },
      );
    } else {
      // Builds since session 7 decode the dictionaries just after ready; older ones never
      // record this measure, so the wait gives up after 30 s.
      await page
        .waitForFunction(() => performance.getEntriesByName('docbao:decode-dictionaries').length > 0, null, { timeout: 30000 })
        .catch(() => {});
    }
    rows.push(
      await page.evaluate(() => {
        const mark = (name) => performance.getEntriesByName(name)[0];
        const files = performance.getEntriesByType('resource');
        const arrived = (suffix) => files.find((f) => f.name.split('?')[0].endsWith(suffix))?.responseEnd ?? NaN;
        const decode = mark('docbao:decode');
        return {
          html: performance.getEntriesByType('navigation')[0].responseEnd,
          js: arrived('.js'),
          wasm: arrived('.wasm'),
          start: mark('docbao:start')?.startTime ?? NaN,
          decodeStart: decode?.startTime ?? NaN,
          decode: decode?.duration ?? NaN,
          ready: mark('docbao:ready')?.startTime ?? NaN,
          paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
          dicts: mark('docbao:decode-dictionaries')?.duration ?? NaN,
          dictsEnd: ((m) => (m ? m.startTime + m.duration : NaN))(mark('docbao:decode-dictionaries')),
          slice: ((d) => (d.length ? Math.max(...d) : NaN))(performance.getEntriesByName('docbao:derive-slice').map((m) => m.duration)),
          slices: performance.getEntriesByName('docbao:derive-slice').length,
          memory: performance.memory?.usedJSHeapSize ?? NaN,
          root: arrived('.root'),
          chunks: Math.max(...files.filter((f) => f.name.endsWith('.docs')).map((f) => f.responseEnd)),
          first: window.__docbaoFirst ?? NaN,
        };
      }),
    );
    await context.close();
  }
} finally {
  await server.close();
  await browser.close();
}

const median = (key) => {
  const s = rows.map((r) => r[key]).sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const keys = sharded
  ? ['html', 'js', 'wasm', 'start', 'root', 'ready', 'chunks', 'first']
  : ['html', 'js', 'wasm', 'start', 'decodeStart', 'decode', 'paint', 'ready', 'dicts', 'dictsEnd', 'slice', 'slices'];
console.log(`startup: ${dist}, ${runs} loads; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`| ${keys.join(' | ')} |`);
for (const r of rows) console.log(`| ${keys.map((k) => r[k].toFixed(1)).join(' | ')} |`);
console.log(`| ${keys.map((k) => median(k).toFixed(1)).join(' | ')} | (medians)`);
