#!/usr/bin/env node
// Makes the single-file build: one self-contained .html from a release dist/, that
// opens by double-click (file://) with no server, e.g. for an archive sent by e-mail
// or kept on a USB stick. The corpus is already inside the wasm.
//
//   node scripts/single-file.mjs [dist] [out]    (default: dist dist-single/docbao.html)
//
// What changes from dist/index.html:
// - stylesheets become <style> elements, the favicon a data: URL;
// - the external loader becomes one inline module script: wasm-bindgen's bindings (its
//   one `export` line dropped) followed by web/single-file-boot.js, which instantiates
//   the wasm kept as base64 in a non-running <script type="application/wasm+base64">;
// - what only makes sense on a web host goes: preloads, the manifest, touch icon, and so
//   the service worker (the loader that registers it is not used);
// - a Content-Security-Policy <meta> allows exactly these inline scripts and styles
//   (by hash) and no fetch at all, so the file cannot load anything from anywhere.

import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BOOT = path.join(REPO, 'web', 'single-file-boot.js');

/** Every match of `pattern` in `html`, failing unless there are `count` (if given). */
function findAll(html, pattern, what, count) {
  const found = [...html.matchAll(pattern)];
  if (count !== undefined && found.length !== count) {
    throw new Error(`expected ${count} ${what} in index.html, found ${found.length}`);
  }
  if (found.length === 0) throw new Error(`no ${what} in index.html`);
  return found;
}

function attribute(tag, name) {
  return tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
}

/** A file of dist/ named by a relative URL from index.html. */
function distFile(dist, href) {
  if (/^[a-z]+:|^\//i.test(href)) throw new Error(`not a relative URL: ${href}`);
  return path.join(dist, href);
}

function cspHash(text) {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** Text that goes inside a <script> or <style> must not be able to close it early. */
function assertEmbeddable(text, what, closingTag) {
  if (text.toLowerCase().includes(`</${closingTag}`)) throw new Error(`${what} contains "</${closingTag}"`);
}

export async function makeSingleFile(dist, out) {
  let html = await readFile(path.join(dist, 'index.html'), 'utf8');
  const styleHashes = [];
  const scriptHashes = [];

  // Stylesheets, in order.
  for (const [tag] of findAll(html, /<link rel="stylesheet"[^>]*>/g, 'stylesheet links')) {
    const css = await readFile(distFile(dist, attribute(tag, 'href')), 'utf8');
    assertEmbeddable(css, 'a stylesheet', 'style');
    if (/url\(/i.test(css)) throw new Error('a stylesheet refers to another file (url(…)): inline it first');
    styleHashes.push(cspHash(css));
    html = html.replace(tag, () => `<style>${css}</style>`);
  }

  // The favicon.
  const [[iconTag]] = findAll(html, /<link rel="icon"[^>]*>/g, 'icon links', 1);
  const iconHref = attribute(iconTag, 'href');
  if (!iconHref.endsWith('.svg')) throw new Error(`the favicon is not an SVG: ${iconHref}`);
  const icon = await readFile(distFile(dist, iconHref));
  html = html.replace(iconTag, () => `<link rel="icon" href="data:image/svg+xml;base64,${icon.toString('base64')}" />`);

  // The bindings and the wasm, named by trunk's preloads.
  const [[bindingsTag]] = findAll(html, /<link rel="modulepreload"[^>]*>/g, 'modulepreload links', 1);
  const [[wasmTag]] = findAll(html, /<link rel="preload"[^>]*type="application\/wasm"[^>]*>/g, 'wasm preload links', 1);
  const bindings = await readFile(distFile(dist, attribute(bindingsTag, 'href')), 'utf8');
  const wasm = await readFile(distFile(dist, attribute(wasmTag, 'href')));
  // As wasm-bindgen 0.2.130 writes it, and as terser leaves it (scripts/post-build.mjs).
  const exportLine = /export ?\{ ?initSync, ?__wbg_init as default ?\};?\s*$/;
  if (!exportLine.test(bindings)) throw new Error("the bindings' export line is not the one wasm-bindgen 0.2.130 writes");
  const inlineBindings = bindings.replace(exportLine, '');
  if (/^\s*(import|export)\b/m.test(inlineBindings)) throw new Error('the bindings import or export more than expected');
  const script = `${inlineBindings}\n${await readFile(BOOT, 'utf8')}`;
  assertEmbeddable(script, 'the script', 'script');
  scriptHashes.push(cspHash(script));

  const [[loaderTag]] = findAll(html, /<script type="module" src="[^"]*"[^>]*><\/script>/g, 'loader scripts', 1);
  html = html.replace(
    loaderTag,
    () =>
      `<script type="application/wasm+base64" id="docbao-wasm">${wasm.toString('base64')}</script>\n` +
      `<script type="module">${script}</script>`,
  );

  // What only a web host uses.
  for (const pattern of [
    /<link rel="modulepreload"[^>]*>/g,
    /<link rel="preload"[^>]*>/g,
    /<link rel="manifest"[^>]*>\s*/g,
    /<link rel="apple-touch-icon"[^>]*>\s*/g,
  ]) {
    html = html.replace(pattern, '');
  }

  // The policy goes first in <head>, before anything it governs.
  const policy = [
    "default-src 'none'",
    `script-src ${scriptHashes.join(' ')} 'wasm-unsafe-eval'`,
    `style-src ${styleHashes.join(' ')}`,
    'img-src data:',
  ].join('; ');
  const [[charset]] = findAll(html, /<meta charset="utf-8"\s*\/?>/g, 'charset metas', 1);
  html = html.replace(charset, () => `${charset}\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);

  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, html);
  return { bytes: Buffer.byteLength(html), wasmBytes: wasm.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? 'dist';
  const out = process.argv[3] ?? path.join('dist-single', 'docbao.html');
  try {
    const { bytes, wasmBytes } = await makeSingleFile(dist, out);
    const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
    console.log(`single-file: ${out}: ${mb(bytes)} (wasm ${mb(wasmBytes)}, as base64 ${mb((wasmBytes * 4) / 3)})`);
  } catch (err) {
    console.error(`single-file: ${err.message}`);
    process.exit(1);
  }
}
