// The harness's own rules (support.mjs), on a tiny page served here: a request cancelled
// by the test's own navigation is no failure, any other failed request is; an HTTP error
// fails a test unless it expects that one.
// Run: node --test tests/e2e/

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { CHROMIUM, launchBrowser, withPage } from './support.mjs';

const problem = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing: run scripts/setup (it installs Debian's chromium).`;

test('Chromium is there to test the harness', () => {
  if (problem) assert.fail(problem);
});

describe('the e2e harness', { skip: problem !== null }, () => {
  let browser;
  let server;
  let url;
  before(async () => {
    // A page whose image never arrives: it is still loading whatever the test does next.
    server = createServer((req, res) => {
      if (req.url === '/never.png') return;
      if (req.url === '/missing.txt') {
        res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
        return res.end('not found\n');
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end('<!doctype html><link rel="icon" href="data:,"><title>loading</title><img src="/never.png" alt="">');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}/`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  test('a reload that cancels what the page was loading is no failure', async (t) => {
    await withPage(browser, t, async (page) => {
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      const cancelled = page.waitForEvent('requestfailed');
      await page.reload({ waitUntil: 'domcontentloaded' });
      assert.match((await cancelled).url(), /never\.png$/);
    });
  });

  test('a request cancelled with no navigation is reported', async (t) => {
    await assert.rejects(
      withPage(browser, t, async (page) => {
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        await Promise.all([page.waitForEvent('requestfailed'), page.evaluate(() => window.stop())]);
      }),
      /request failed: GET .*never\.png \(net::ERR_ABORTED\)/,
    );
  });
  test('an HTTP error fails a test unless the test expects it, and then it must occur', async (t) => {
    const fetchMissing = (page) => page.evaluate(() => fetch('/missing.txt').then((r) => r.status));
    await assert.rejects(
      withPage(browser, t, async (page) => {
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        assert.equal(await fetchMissing(page), 404);
      }),
      /HTTP 404: GET .*\/missing\.txt/,
    );
    const expected = { expectedHttpErrors: [/^HTTP 404: GET .*\/missing\.txt$/], expectedErrors: [/status of 404/] };
    await withPage(
      browser,
      t,
      async (page) => {
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        assert.equal(await fetchMissing(page), 404);
      },
      expected,
    );
    await assert.rejects(
      withPage(browser, t, (page) => page.goto(url, { waitUntil: 'domcontentloaded' }), { expectedHttpErrors: expected.expectedHttpErrors }),
      /expected an HTTP error matching/,
    );
  });
});
