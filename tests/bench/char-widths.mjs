// How narrow a result's title or snippet can be against the search page's probe line
// (`PROBE_TEXT` in src/pages/row_fill.rs, read from there): the figure behind
// `NARROWEST_TEXT_OF_PROBE`. In Chromium, canvas `measureText` sets the probe and every
// title and every 220-character passage of the corpora's first articles in each face below,
// regular and bold, and prints each text's average character width against the probe's
// (the least, the 0.1% and 1% quantiles) and in ems. Asserts nothing.
//
//   node tests/bench/char-widths.mjs [ARTICLES]   (default 3000 of each corpus)
//
// Reads ../shared/corpora (UNC Dân trí and vietnews-train); faces missing from the
// machine fall back to another and are measured as that one.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { launchBrowser, REPO } from '../e2e/support.mjs';

const CORPORA = path.join(REPO, '..', 'shared', 'corpora');
const FACES = ['DejaVu Serif', 'DejaVu Serif Condensed', 'DejaVu Sans Condensed', 'Liberation Serif', 'Liberation Sans', 'Liberation Sans Narrow'];
const SNIPPET_CHARS = 220;
const articles = Number(process.argv[2] ?? 3000);

const source = readFileSync(path.join(REPO, 'src', 'pages', 'row_fill.rs'), 'utf8');
const literal = /pub const PROBE_TEXT: &str = "((?:[^"\\]|\\\n\s*)*)";/.exec(source);
if (!literal) throw new Error('PROBE_TEXT not found in src/pages/row_fill.rs');
// A Rust string's `\` at a line's end drops the line break and the next line's indent.
const probe = literal[1].replace(/\\\n\s*/g, '');

const texts = { title: [], snippet: [] };
for (const name of ['unc-dantri', 'vietnews-train']) {
  const file = path.join(CORPORA, `${name}.jsonl.gz`);
  if (!existsSync(file)) {
    console.error(`${file} is absent: ../shared is not here`);
    process.exit(1);
  }
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n', articles);
  for (const line of lines.filter(Boolean)) {
    const article = JSON.parse(line);
    texts.title.push(article.title);
    const body = (article.body ?? '').replace(/\s+/g, ' ');
    for (let at = 0; at + SNIPPET_CHARS < body.length && at < 3000; at += 450) texts.snippet.push(body.slice(at, at + SNIPPET_CHARS));
  }
}

const browser = await launchBrowser();
const page = await browser.newPage();
const rows = await page.evaluate(({ texts, probe, faces }) => {
  const context = document.createElement('canvas').getContext('2d');
  const chars = (text) => [...text].length;
  const out = [];
  for (const face of faces) {
    for (const weight of ['normal', 'bold']) {
      context.font = `${weight} 100px "${face}"`;
      const probeEm = context.measureText(probe).width / 100 / chars(probe);
      for (const [kind, list] of Object.entries(texts)) {
        const ems = list
          .filter((t) => chars(t) >= 20)
          .map((t) => context.measureText(t).width / 100 / chars(t))
          .sort((a, b) => a - b);
        const q = (p) => ems[Math.floor(p * (ems.length - 1))];
        out.push({ face, weight, kind, n: ems.length, probeEm, least: q(0), p001: q(0.001), p01: q(0.01), median: q(0.5) });
      }
    }
  }
  return out;
}, { texts, probe, faces: FACES });
await browser.close();

console.log(`probe: ${[...probe].length} characters; texts of 20 characters or more`);
console.log('face                      weight  kind        n   probe em   least/probe  0.1%/probe  1%/probe  median em');
for (const r of rows) {
  console.log(
    `${r.face.padEnd(25)} ${r.weight.padEnd(7)} ${r.kind.padEnd(8)} ${String(r.n).padStart(6)}   ${r.probeEm.toFixed(3)}` +
      `      ${(r.least / r.probeEm).toFixed(3)}       ${(r.p001 / r.probeEm).toFixed(3)}      ${(r.p01 / r.probeEm).toFixed(3)}     ${r.median.toFixed(3)}`,
  );
}
const least = Math.min(...rows.map((r) => r.least / r.probeEm));
console.log(`narrowest text against the probe: ${least.toFixed(3)}`);
