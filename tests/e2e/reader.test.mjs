// End-to-end tests of the release build of the seeds: dist/ (or $DIST_DIR) served on
// 127.0.0.1, driven in Debian's /usr/bin/chromium through playwright-core.
// Run: node --test tests/e2e/   (after `trunk build --release`)

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
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

        // Results appear live, best first: each a link to its article, a title and a
        // snippet (the list as one snapshot, the one the wait accepted).
        const list = await waitForResults(page, 'thanh tri', (first) => first.includes('Thanh Trì'));
        list.forEach(({ href, title, snippet }, i) => {
          assert.ok(href?.startsWith('#/a/'), `result ${i + 1} links to an article, got href ${JSON.stringify(href)}`);
          assert.ok(title?.trim(), `result ${i + 1} has a title, got ${JSON.stringify(title)}`);
          assert.ok(snippet?.trim(), `result ${i + 1} has a snippet, got ${JSON.stringify(snippet)}`);
        });

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
        await page.locator('ol.results > li a').first().click();
        await eventually(
          `the URL hash #/a/${THANH_TRI_ID}?q=thanh tri`,
          () => hashRoute(page),
          (r) => r.route === `#/a/${THANH_TRI_ID}` && r.q === 'thanh tri',
        );
        const articleHash = await page.evaluate(() => location.hash);
        const checkArticle = () =>
          eventually(
            'the Thanh Trì article: one h1 containing "Thanh Trì" and at least 5 paragraphs',
            () =>
              page.evaluate(() => ({
                h1: [...document.querySelectorAll('article h1')].map((h) => h.innerText),
                paragraphs: document.querySelectorAll('article p').length,
              })),
            ({ h1, paragraphs }) => h1.length === 1 && h1[0].includes('Thanh Trì') && paragraphs >= 5,
          );
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
      const [first] = await waitForResults(page, 'dinh tien dung', (title) => title.includes('Đinh Tiến Dũng'));
      assert.ok(first.title.includes('Đinh Tiến Dũng'), `first title: ${first.title}`);
    });
  });

  test('the article page has the search box: / focuses it, Esc goes back, and typing goes on to the results with focus kept', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    await withPage(t, async (page) => {
      await openApp(page);
      await typeQuery(page, 'thanh tri');
      await waitForResults(page, 'thanh tri', (title) => title.includes('Thanh Trì'));
      await page.locator('ol.results > li a').first().click();
      await eventually('the Thanh Trì article', () => page.locator('article h1').innerText(), (s) => s.includes('Thanh Trì'));

      // The box holds the query the article was opened with; the page leaves the focus
      // to the reading, and `/` puts it in the box without typing a slash.
      assert.equal(await page.locator('form[role="search"] input#q').inputValue(), 'thanh tri');
      assert.equal(await page.evaluate(() => document.activeElement?.id ?? ''), '', 'the box does not take the focus on its own');
      await page.locator('article h1').click();
      await page.keyboard.press('/');
      await eventually('the focus in the box', () => page.evaluate(() => document.activeElement?.id), (id) => id === 'q');
      assert.equal(await searchBox(page).inputValue(), 'thanh tri');

      // Esc from the box goes back to the results, not to a search for nothing.
      await page.keyboard.press('Escape');
      await waitForResults(page, 'thanh tri', (title) => title.includes('Thanh Trì'));
      assert.equal((await hashRoute(page)).q, 'thanh tri');

      // Typing on in the article's box: the first key opens the search page, the rest
      // land in its box, and the results are those of the whole query typed.
      await page.locator('ol.results > li a').first().click();
      await eventually('the Thanh Trì article again', () => page.locator('article h1').innerText(), (s) => s.includes('Thanh Trì'));
      const articleHash = (await hashRoute(page)).hash;
      await searchBox(page).click();
      await page.keyboard.press('End');
      await page.keyboard.type(' huyen', { delay: 40 });
      await waitForResults(page, 'thanh tri huyen', (title) => title.includes('Thanh Trì'));
      const after = await page.evaluate(() => ({
        route: location.hash.split('?')[0],
        focused: document.activeElement?.id,
        value: document.querySelector('input#q')?.value,
        caret: document.querySelector('input#q')?.selectionStart,
      }));
      assert.deepEqual(after, { route: '#/search', focused: 'q', value: 'thanh tri huyen', caret: 'thanh tri huyen'.length });

      // One step back returns to the article the search started from.
      await page.goBack();
      await eventually('back on the article', () => hashRoute(page), (r) => r.hash === articleHash);
      await eventually('the article shown', () => page.locator('article h1').innerText(), (s) => s.includes('Thanh Trì'));
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
          const titles = (await waitForResults(page, 'covid')).map((item) => item.title);
          assert.equal(titles.length, 2, 'both seeds mention Covid-19');
          await page.locator('ol.results > li a').first().click();
          await eventually('the first article', () => page.locator('article h1').innerText(), (s) => s === titles[0]);

          // Next steps through the results without going back to the list.
          await page.locator('.article-nav a.next').click();
          await eventually('the second result', () => page.locator('article h1').innerText(), (s) => s === titles[1]);
          await page.locator('.article-nav a.prev').click();
          await eventually('the first result again', () => page.locator('article h1').innerText(), (s) => s === titles[0]);

          // The Đinh Tiến Dũng seed (LĐTĐ): every part of the page. The hash changes
          // within the page, which shows an article already: wait for this one, whole.
          await openApp(page, '#/a/003_ee4229f4c9863cbc?q=covid');
          const byline = ['Lao động Thủ đô', 'thứ Năm, 24/2/2022', 'Hoàng Phúc', 'phút đọc'];
          const captions = [
            'Bí thư Thành ủy Hà Nội Đinh Tiến Dũng phát biểu kết luận hội nghị. (Ảnh: Lương Toàn)',
            'Quang cảnh hội nghị. (Ảnh: Lương Toàn)',
          ];
          const shown = await eventually(
            'the Đinh Tiến Dũng article: byline, lead, captions, highlights and teasers',
            () =>
              page.evaluate(() => ({
                meta: document.querySelector('.article-meta')?.innerText ?? '',
                lead: document.querySelector('article p.lead')?.innerText ?? '',
                captions: [...document.querySelectorAll('article figure figcaption')].map((c) => c.innerText),
                marks: [...document.querySelectorAll('article mark')].map((m) => m.innerText),
                articleText: document.querySelector('article')?.innerText ?? '',
                teasers: document.querySelectorAll('.related li').length,
              })),
            (s) =>
              byline.every((part) => s.meta.includes(part)) &&
              s.lead.startsWith('Trước những diễn biến mới') &&
              isDeepStrictEqual(s.captions, captions) &&
              s.marks.length >= 3 &&
              s.marks.every((m) => m.toLowerCase().startsWith('covid')) &&
              !s.articleText.includes('Tin khác') &&
              s.teasers > 5,
          );
          // Teasers are never body text, and are listed apart.
          assert.ok(!shown.articleText.includes('Tin khác'));
          assert.ok(shown.teasers > 5, 'teasers listed apart');

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
