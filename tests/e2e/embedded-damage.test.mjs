// End-to-end test of damage found after start-up in an embedded bundle: the reader shows
// its first page from the index's head and a few stored articles, then derives the term
// dictionaries from every stored article in slices (src/app.rs). A chunk of articles
// damaged inside the wasm is found there, after `docbao:ready`, and must replace the app
// with the broken-archive page naming the chunk, never a panic or a half-working search.
// Uses the fixture build (tests/fixtures/reader-corpus.jsonl, target/dist-fixture).
//
// Run: node --test tests/e2e/embedded-damage.test.mjs   (after scripts/test's fixture build)

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer } from './server.mjs';
import { REPO, TEST_TIMEOUT_MS, eventually, launchBrowser, setupProblem, withPage } from './support.mjs';

const DIST_DIR = path.resolve(process.env.FIXTURE_DIST_DIR ?? path.join(REPO, 'target', 'dist-fixture'));
const CORPUS = path.join(REPO, 'tests', 'fixtures', 'reader-corpus.jsonl');

const problem = setupProblem(
  DIST_DIR,
  'build it with `DOCBAO_CORPUS=tests/fixtures/reader-corpus.jsonl trunk build --release --dist target/dist-fixture` (scripts/test does).',
);

test('the fixture build and Chromium are there to test', () => {
  if (problem) assert.fail(problem);
});

const integrityOf = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/**
 * The fixture's first article in doc order (docs are numbered oldest first, undated
 * first in input order), so it is in the articles' chunk 0, which the first page (the
 * newest 20 of 45) does not read: only the derivation after start-up does.
 */
function firstArticleInDocOrder() {
  const articles = readFileSync(CORPUS, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
  const undated = articles.filter((a) => !a.date);
  return undated.length > 0 ? undated[0] : [...articles].sort((a, b) => a.date.localeCompare(b.date))[0];
}

/**
 * A copy of the fixture's dist/ whose wasm has one letter of `text` changed (stored
 * articles are plain postcard inside the embedded index, so the text is there as UTF-8),
 * with the wasm's integrity updated wherever the build names it, as a build whose index
 * bytes were damaged before the integrities were written would be.
 */
function siteWithDamagedText(text) {
  const site = mkdtempSync(path.join(tmpdir(), 'docbao-embedded-damaged-'));
  cpSync(DIST_DIR, site, { recursive: true });
  const wasmName = readdirSync(site).find((name) => name.endsWith('_bg.wasm'));
  const wasm = readFileSync(path.join(site, wasmName));
  const needle = Buffer.from(text, 'utf8');
  const at = wasm.indexOf(needle);
  assert.ok(at >= 0, `"${text}" is in the wasm`);
  assert.equal(wasm.indexOf(needle, at + 1), -1, `"${text}" is in the wasm once`);
  const damaged = Buffer.from(wasm);
  const letter = at + needle.length - 1; // an ASCII letter: the text stays UTF-8
  assert.ok(damaged[letter] >= 0x61 && damaged[letter] < 0x7a, 'an ASCII letter to change');
  damaged[letter] += 1;
  writeFileSync(path.join(site, wasmName), damaged);
  // Each file that names a changed file's integrity changes too (sw.js names the wasm's),
  // so carry every change up to index.html.
  const changed = [[integrityOf(wasm), integrityOf(damaged)]];
  let named = 0;
  while (changed.length > 0) {
    const [before, after] = changed.pop();
    for (const name of readdirSync(site).filter((n) => /\.(html|js)$/.test(n))) {
      const file = path.join(site, name);
      const content = readFileSync(file);
      if (!content.includes(before)) continue;
      named += 1;
      const updated = Buffer.from(content.toString('utf8').replaceAll(before, after), 'utf8');
      writeFileSync(file, updated);
      changed.push([integrityOf(content), integrityOf(updated)]);
    }
  }
  assert.ok(named >= 1, "the wasm's integrity was found in the build's files");
  return site;
}

describe('damage found after start-up (embedded fixture)', { skip: problem !== null }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());

  test("a damaged chunk the first page does not read shows the broken-archive page once the reader reaches it", { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const article = firstArticleInDocOrder();
    // The sentence each fixture body has with its own number: unique in the archive.
    const sentence = article.body.split('\n').find((line) => /viết riêng/.test(line));
    assert.ok(sentence, `a sentence of its own in ${article.id}`);
    const site = siteWithDamagedText(sentence.slice(0, sentence.indexOf('viết riêng') + 'viết riêng'.length));
    const server = await startServer(site);
    // No service worker: this test is about the page, and the worker would cache the copy.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', serviceWorkers: 'block' });
    try {
      await withPage(
        browser,
        t,
        async (page) => {
          await page.goto(`${server.url}/#/search`);
          await eventually(
            'the broken-archive page, naming the articles section and its chunk 0',
            () =>
              page.evaluate(() => ({
                h1: document.querySelector('main h1')?.innerText ?? '',
                why: document.querySelector('main p')?.innerText ?? '',
              })),
            ({ h1, why }) => h1 === 'Không mở được kho báo' && /ARTS/.test(why) && /\bchunk 0\b/.test(why),
          );
          // Found after the first page was up (the reader was ready), not while loading.
          const ready = await page.evaluate(() => performance.getEntriesByName('docbao:ready').length);
          assert.equal(ready, 1, 'the reader was ready before the damage was found');
          assert.equal(await page.locator('#q').count(), 0, 'no search box is left to search a broken archive');
        },
        { context },
      );
    } finally {
      await context.close();
      await server.close();
      rmSync(site, { recursive: true, force: true });
    }
  });
});
