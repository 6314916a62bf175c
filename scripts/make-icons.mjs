#!/usr/bin/env node
// Draws the app's PNG icons (for the web app manifest and apple-touch-icon) from
// assets/icons/docbao.svg with the headless Chromium the tests use. Run by hand after
// changing the SVG, and commit the PNGs: the build only copies them.
//
//   node scripts/make-icons.mjs

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ICONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'assets', 'icons');
const SIZES = [192, 512];

const svg = await readFile(path.join(ICONS, 'docbao.svg'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
    await page.setContent(
      `<body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}"></body>`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    const file = path.join(ICONS, `docbao-${size}.png`);
    await page.screenshot({ path: file, omitBackground: true });
    console.log(`make-icons: ${path.relative(process.cwd(), file)}`);
    await page.close();
  }
} finally {
  await browser.close();
}
