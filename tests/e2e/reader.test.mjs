// End-to-end tests of the release build of the seeds: dist/ (or $DIST_DIR) served on
// 127.0.0.1, driven in Debian's /usr/bin/chromium through playwright-core.
// Run: node --test tests/e2e/   (after `trunk build --release`)

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ARTIFACTS,
  Harness,
  REPO,
  TEST_TIMEOUT_MS,
  eventually,
  hashRoute,
  searchBox,
  setupProblem,
  typeQuery,
  waitForResults,
  waitUntilReady,
} from './support.mjs';

const DIST_DIR = path.resolve(process.env.DIST_DIR ?? path.join(REPO, 'dist'));
// The seed article about Thanh Trì (seeds/000_2bd3c5a4fc348b9d.txt).
const THANH_TRI_ID = '000_2bd3c5a4fc348b9d';

// Checked up front, so a missing build is one clear failure, not six cancellations.
const problem = setupProblem(
  DIST_DIR,
  'run `trunk build --release` (after `source scripts/env.sh`), or scripts/test, first; or point DIST_DIR at a built dist/.',
);

test('the release build and Chromium are there to test', () => {
  if (problem) assert.fail(problem);
});

const harness = new Harness(DIST_DIR);
const withPage = (t, body, options) => harness.withPage(t, body, options);
const openApp = (page, hash) => harness.openApp(page, hash);

// --- tests -----------------------------------------------------------------------

describe('docbao reader (release build)', { skip: problem !== null, timeout: TEST_TIMEOUT_MS * 8 }, () => {
  before(() => harness.start());
  after(() => harness.stop());

  test(
    'a reader searches "thanh tri", opens the Thanh Trì article, reloads it and goes back to the results',
    { timeout: TEST_TIMEOUT_MS },
    async (t) => {
      await withPage(t, async (page) => {
        await openApp(page);

        // The app shows (or redirects to) the search route.
        const start = await hashRoute(page);
        assert.ok(
          ['', '#', '#/'].includes(start.hash) || start.route === '#/search',
          `expected the search route at start, got hash ${JSON.stringify(start.hash)}`,
        );
        assert.equal(await page.locator('input[type="search"]').count(), 1, 'exactly one search input');
        assert.equal(
          await page.getByRole('searchbox', { name: /tìm/i }).count(),
          1,
          'the search input has an accessible label matching /tìm/i',
        );
        await searchBox(page).waitFor({ state: 'visible' });

        await typeQuery(page, 'thanh tri');

        // Results appear live, best first.
        const titles = await waitForResults(page, 'thanh tri', (first) => first.includes('Thanh Trì'));
        const items = page.locator('ol.results > li');
        const n = await items.count();
        assert.ok(n > 0);
        for (let i = 0; i < n; i++) {
          const item = items.nth(i);
          const href = await item.locator('a').first().getAttribute('href');
          assert.ok(href?.startsWith('#/a/'), `result ${i + 1} links to an article, got href ${JSON.stringify(href)}`);
          assert.equal(await item.locator('.result-title').count(), 1, `result ${i + 1} has one .result-title`);
          assert.ok((await item.locator('.result-title').innerText()).trim().length > 0, `result ${i + 1} title is empty`);
          assert.ok(await item.locator('.snippet').count() >= 1, `result ${i + 1} has a .snippet`);
          assert.ok((await item.locator('.snippet').first().innerText()).trim().length > 0, `result ${i + 1} snippet is empty`);
        }
        assert.ok(titles[0].includes('Thanh Trì'), `first title: ${titles[0]}`);

        // The live region announces the count.
        const count = page.locator('#result-count');
        assert.equal(await count.getAttribute('role'), 'status', '#result-count has role="status"');
        assert.notEqual(await count.getAttribute('aria-live'), null, '#result-count has aria-live');
        await eventually('a count like "2 kết quả" in #result-count', () => count.innerText(), (s) =>
          /\d+ kết quả/.test(s),
        );

        // The query is in the URL.
        const route = await eventually(
          'the URL hash #/search?q=thanh tri',
          () => hashRoute(page),
          (r) => r.route === '#/search' && r.q === 'thanh tri',
        );
        assert.equal(route.q, 'thanh tri');

        // Search timing is measured.
        assert.ok(
          await page.evaluate(() => performance.getEntriesByName('docbao:search', 'measure').length > 0),
          'a performance measure named docbao:search exists',
        );

        // Open the first result: the article route keeps the search it came from.
        await items.first().locator('a').first().click();
        await eventually(
          `the URL hash #/a/${THANH_TRI_ID}?q=thanh tri`,
          () => hashRoute(page),
          (r) => r.route === `#/a/${THANH_TRI_ID}` && r.q === 'thanh tri',
        );
        const articleHash = await page.evaluate(() => location.hash);
        const checkArticle = async () => {
          const h1 = page.locator('article h1');
          await eventually('an article h1 containing "Thanh Trì"', () => h1.innerText(), (s) => s.includes('Thanh Trì'));
          assert.equal(await h1.count(), 1, 'exactly one article h1');
          const paragraphs = await page.locator('article p').count();
          assert.ok(paragraphs >= 5, `the article has at least 5 paragraphs, got ${paragraphs}`);
        };
        await checkArticle();
        await page.screenshot({ path: path.join(ARTIFACTS, 'article-thanh-tri.png'), fullPage: true });

        // A deep link survives a reload.
        await page.reload();
        await waitUntilReady(page);
        assert.equal(await page.evaluate(() => location.hash), articleHash);
        await checkArticle();

        // Back returns to the search, with the query and its results.
        await page.goBack();
        await eventually(
          'the search route with q=thanh tri after going back',
          () => hashRoute(page),
          (r) => r.route === '#/search' && r.q === 'thanh tri',
        );
        await eventually('the query "thanh tri" back in the search box', () => searchBox(page).inputValue(), (v) =>
          v === 'thanh tri',
        );
        await waitForResults(page, 'thanh tri', (first) => first.includes('Thanh Trì'));
      });
    },
  );

  for (const query of ['covid', 'dinh tien dung', 'cach ly']) {
    test(`searching "${query}" without diacritics lists results`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
      await withPage(t, async (page) => {
        await openApp(page);
        await typeQuery(page, query);
        await waitForResults(page, query);
        await eventually('a count in #result-count', () => page.locator('#result-count').innerText(), (s) =>
          /\d+ kết quả/.test(s),
        );
      });
    });
  }

  test('searching "dinh tien dung" ranks a title with "Đinh Tiến Dũng" first', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    await withPage(t, async (page) => {
      await openApp(page);
      await typeQuery(page, 'dinh tien dung');
      const titles = await waitForResults(page, 'dinh tien dung', (first) => first.includes('Đinh Tiến Dũng'));
      assert.ok(titles[0].includes('Đinh Tiến Dũng'), `first title: ${titles[0]}`);
    });
  });

  test('an unknown article link shows a "Không tìm thấy" message instead of crashing', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    await withPage(t, async (page) => {
      await openApp(page, '#/a/does-not-exist');
      await eventually('a "Không tìm thấy" message', () => page.locator('body').innerText(), (s) =>
        s.includes('Không tìm thấy'),
      );
    });
  });

  test('an article opened from a search reads well: date, outlet, author, reading time, lead, captions, highlights, next result, copy link', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.url });
    try {
      await withPage(
        t,
        async (page) => {
          await openApp(page, '#/search?q=covid');
          await waitForResults(page, 'covid');
          const titles = await page.locator('ol.results > li .result-title').allInnerTexts();
          assert.equal(titles.length, 2, 'both seeds mention Covid-19');
          await page.locator('ol.results > li a').first().click();
          await eventually('the first article', () => page.locator('article h1').innerText(), (s) => s === titles[0]);

          // Next steps through the results without going back to the list.
          await page.locator('.article-nav a.next').click();
          await eventually('the second result', () => page.locator('article h1').innerText(), (s) => s === titles[1]);
          await page.locator('.article-nav a.prev').click();
          await eventually('the first result again', () => page.locator('article h1').innerText(), (s) => s === titles[0]);

          // The Đinh Tiến Dũng seed (LĐTĐ): every part of the page.
          await openApp(page, '#/a/003_ee4229f4c9863cbc?q=covid');
          const meta = await page.locator('.article-meta').innerText();
          for (const part of ['Lao động Thủ đô', 'thứ Năm, 24/2/2022', 'Hoàng Phúc', 'phút đọc']) {
            assert.ok(meta.includes(part), `the byline shows ${part}: ${meta}`);
          }
          assert.ok((await page.locator('article p.lead').innerText()).startsWith('Trước những diễn biến mới'));
          const captions = await page.locator('article figure figcaption').allInnerTexts();
          assert.deepEqual(captions, [
            'Bí thư Thành ủy Hà Nội Đinh Tiến Dũng phát biểu kết luận hội nghị. (Ảnh: Lương Toàn)',
            'Quang cảnh hội nghị. (Ảnh: Lương Toàn)',
          ]);
          const marks = await page.locator('article mark').allInnerTexts();
          assert.ok(marks.length >= 3 && marks.every((m) => m.toLowerCase().startsWith('covid')), `highlights: ${marks}`);
          // Teasers are never body text.
          assert.ok(!(await page.locator('article').innerText()).includes('Tin khác'));
          assert.ok((await page.locator('.related li').count()) > 5, 'teasers listed apart');

          await page.locator('#copy-link').click();
          await eventually('a copied confirmation', () => page.locator('.copy-status').innerText(), (s) => s.includes('Đã chép'));
          assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await page.evaluate(() => location.href));
        },
        { context },
      );
    } finally {
      await context.close();
    }
  });

  test('the ingest report ships in dist/ and accounts for both seeds', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    await withPage(t, async (page) => {
      await openApp(page);
      // Fetched as the app's own file, relative to the page.
      const report = await page.evaluate(() => fetch('ingest-report.json').then((r) => r.json()));
      assert.deepEqual(
        report.accepted.map((a) => a.id).sort(),
        ['000_2bd3c5a4fc348b9d', '003_ee4229f4c9863cbc'],
      );
      assert.deepEqual(report.rejected, []);
    });
  });
});
