#!/usr/bin/env node
// trunk's post_build hook (Trunk.toml): finishes the bundle in trunk's staging folder,
// before it becomes dist/.
//
//   1. The loader. Trunk wrote a placeholder <script data-docbao-loader …> naming the
//      hashed bindings and wasm (Trunk.toml, pattern_script). It becomes
//      loader-<hash>.js (web/loader.js filled in) and an external
//      <script type="module" src=… integrity=…>: dist/index.html has no inline script.
//      The loader and wasm-bindgen's bindings are minified (terser), the style sheets
//      too (csso), and index.html's comments dropped: they are among the bytes every
//      first visit waits for.
//   2. The service worker. sw.js = this build's id, its precache list (every file with
//      its integrity, but for a sharded archive's files other than its root, which the
//      worker checks against their names, and the ingest report, cached once opened),
//      and the name of the archive's file list (archive-files-<hash>.txt, written here,
//      fetched by the worker only on an update) + web/service-worker.js. Its name never
//      changes, so a browser that has it finds the next build's version on its own.
//
// Everything is a function of the folder's bytes, so the bundle stays reproducible.
//
//   node scripts/post-build.mjs [folder]    (default: $TRUNK_STAGING_DIR)

import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify as cssoMinify } from 'csso';
import { minify } from 'terser';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOADER_TEMPLATE = path.join(REPO, 'web', 'loader.js');
const SERVICE_WORKER_TEMPLATE = path.join(REPO, 'web', 'service-worker.js');
export const SERVICE_WORKER_FILE = 'sw.js';
/** Where build.rs's sharded files land in dist/ (Trunk.toml's hook copies them). */
export const ARCHIVE_FOLDER = 'archive';
/**
 * `archive-files-<hash>.txt`: the names of a sharded archive's files but its root, one a
 * line. Named by its content, like them, and outside `archive/`, which holds exactly what
 * the build wrote.
 */
export const ARCHIVE_FILE_LIST = /^archive-files-[0-9a-f]{16}\.txt$/;
/** A sharded archive's file: `<first 16 hex digits of its SHA-256>.<kind>` (engine/src/shard). */
const ARCHIVE_FILE_NAME = /^([0-9a-f]{16})\.[a-z]+$/;
/** build.rs's list of the files the first page reads after the root (build.rs, FIRST_PAGE_FILE). */
const FIRST_PAGE_LIST = 'first-page.txt';
/**
 * Files too large to make every visitor download (the ingest report: 2.76 MB brotli for
 * the RSS corpus): the worker caches them when first opened, checked against their
 * integrity, instead of precaching them.
 */
export const CACHED_WHEN_OPENED = ['ingest-report.json'];

const PLACEHOLDER =
  /<script type="module" data-docbao-loader data-base="([^"]*)" data-bindings="([^"]*)" data-wasm="([^"]*)"><\/script>/g;

/** A Subresource Integrity value, the same kind trunk writes (sha384). */
export function integrityOf(bytes) {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/** The hash trunk-style file names carry: 16 hex digits of the content's SHA-256. */
function nameHashOf(bytes) {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** Every file under `dir`, as sorted '/'-separated paths relative to it. */
async function listFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
    .sort();
}

/**
 * `code`, an ES module, minified. Top-level names are kept: the single file inlines
 * the bindings and calls their `initSync` by name (scripts/single-file.mjs).
 */
async function minifyScript(code, file) {
  try {
    const kept = { module: false, toplevel: false };
    const { code: minified } = await minify(code, { module: true, compress: kept, mangle: kept, format: { comments: false } });
    return minified;
  } catch (err) {
    throw new Error(`${file}: terser could not minify it: ${err.message}`);
  }
}

/**
 * wasm-bindgen's bindings, minified in place, and the integrity of trunk's
 * `<link rel="modulepreload">` of them updated to match. Returns the updated html.
 */
async function minifyBindings(dir, html, base, bindings) {
  const file = path.join(dir, bindings);
  const minified = await minifyScript(await readFile(file, 'utf8'), file);
  await writeFile(file, minified);
  const preload = new RegExp(`(<link rel="modulepreload" href="${escapeRegExp(`${base}${bindings}`)}"[^>]*? integrity=")[^"]*"`);
  if (!preload.test(html)) throw new Error(`index.html has no <link rel="modulepreload"> of ${bindings} with an integrity`);
  return html.replace(preload, (_, head) => `${head}${integrityOf(minified)}"`);
}

/** The bindings' import module, renamed (see `shortenImportNames`). */
const SHORT_MODULE = 'a';

/**
 * The `n`th short import name: a, b, …, Z, ba, bb, … (letters only, so any is a plain
 * key of the bindings' import object).
 */
function shortName(n) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let name = '';
  do {
    name = letters[n % letters.length] + name;
    n = Math.floor(n / letters.length);
  } while (n > 0);
  return name;
}

/** Reads and writes the LEB128 and section layout of a wasm module. */
function readU32(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at.pos++];
    if (byte === undefined) throw new Error('wasm ends inside a number');
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return value;
    shift += 7;
  }
}

function writeU32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/** The bytes of one import's description (its kind and type), skipped from `at`. */
function skipImportDescription(bytes, at) {
  const start = at.pos;
  const limits = () => {
    const flags = bytes[at.pos++];
    readU32(bytes, at);
    if (flags & 1) readU32(bytes, at);
  };
  const kind = bytes[at.pos++];
  if (kind === 0) readU32(bytes, at); // function: its type
  else if (kind === 1) (at.pos++, limits()); // table: element type, limits
  else if (kind === 2) limits(); // memory
  else if (kind === 3) at.pos += 2; // global: value type, mutability
  else if (kind === 4) (at.pos++, readU32(bytes, at)); // tag: attribute, type
  else throw new Error(`wasm import of unknown kind ${kind}`);
  return bytes.subarray(start, at.pos);
}

/**
 * wasm-bindgen names each import `__wbg_<name>_<16 hex digits>` of module
 * `./docbao_bg.js`, in the wasm's import section and as a key of the bindings' import
 * object: ~10 kB of the wasm and 5 of the bindings, the hex digits barely compressible
 * (4.7 kB brotli of the two, before the first results). Both get short names instead
 * (`a`, `b`, … in import order, the module `a`), the same in both files. Returns both,
 * renamed.
 */
export function shortenImportNames(wasmBytes, bindingsCode) {
  const at = { pos: 8 };
  const parts = [wasmBytes.subarray(0, 8)];
  const name = () => {
    const length = readU32(wasmBytes, at);
    at.pos += length;
    return wasmBytes.subarray(at.pos - length, at.pos).toString('utf8');
  };
  const encoded = (text) => [...writeU32(Buffer.byteLength(text)), ...Buffer.from(text)];
  const renamed = new Map();
  let module = null;
  while (at.pos < wasmBytes.length) {
    const id = wasmBytes[at.pos++];
    const size = readU32(wasmBytes, at);
    const end = at.pos + size;
    if (id !== 2) {
      parts.push(Buffer.from([id, ...writeU32(size)]), wasmBytes.subarray(at.pos, end));
      at.pos = end;
      continue;
    }
    const count = readU32(wasmBytes, at);
    const body = [...writeU32(count)];
    for (let i = 0; i < count; i++) {
      const from = name();
      const field = name();
      const description = skipImportDescription(wasmBytes, at);
      module ??= from;
      if (from !== module) throw new Error(`wasm imports from ${module} and ${from}; wasm-bindgen writes one module`);
      if (renamed.has(field)) throw new Error(`wasm imports ${field} twice`);
      renamed.set(field, shortName(renamed.size));
      body.push(...encoded(SHORT_MODULE), ...encoded(renamed.get(field)), ...description);
    }
    if (at.pos !== end) throw new Error('wasm import section: unexpected length');
    parts.push(Buffer.from([id, ...writeU32(body.length)]), Buffer.from(body));
  }
  let code = bindingsCode;
  // Each name is one key of the import object, and nothing else in the bindings.
  const replaceOnce = (from, to) => {
    const pieces = code.split(from);
    if (pieces.length !== 2) throw new Error(`the bindings name ${from} ${pieces.length - 1} times, expected once`);
    code = pieces.join(to);
  };
  for (const [field, short] of renamed) replaceOnce(`${field}:`, `${short}:`);
  if (module !== null) replaceOnce(`${JSON.stringify(module)}:`, `${SHORT_MODULE}:`);
  return { wasm: Buffer.concat(parts), bindings: code };
}

/**
 * A style sheet minified by csso: comments (notes for the next engineer: 2.3 of app.css's
 * 11.3 kB) and needless white space dropped. Without restructuring: rules keep their
 * order and grouping, so the cascade is the one written.
 */
export function minifyCss(css) {
  return cssoMinify(css, { restructure: false }).css;
}

/**
 * Every style sheet index.html links (trunk's hashed copies) minified in place, and its
 * integrity updated to match. Returns the updated html.
 */
async function minifyStyles(dir, html, base) {
  const links = new RegExp(`(<link rel="stylesheet" href="${escapeRegExp(base)}([^"/]+\\.css)" integrity=")[^"]*"`, 'g');
  const sheets = [...html.matchAll(links)].map((m) => m[2]);
  const integrities = new Map();
  for (const sheet of sheets) {
    const minified = minifyCss(await readFile(path.join(dir, sheet), 'utf8'));
    await writeFile(path.join(dir, sheet), minified);
    integrities.set(sheet, integrityOf(minified));
  }
  return html.replace(links, (_, head, sheet) => `${head}${integrities.get(sheet)}"`);
}

/** Step 1: replaces trunk's placeholder in index.html with the external loader. */
export async function writeLoader(dir) {
  const indexFile = path.join(dir, 'index.html');
  const html = await readFile(indexFile, 'utf8');
  const placeholders = [...html.matchAll(PLACEHOLDER)];
  if (placeholders.length !== 1) {
    throw new Error(
      `expected exactly one <script data-docbao-loader> placeholder in ${indexFile} (Trunk.toml pattern_script), found ${placeholders.length}`,
    );
  }
  const [placeholder, base, bindings, wasm] = placeholders[0];
  const { root, firstPage } = await takeFirstPageFiles(dir);
  // The loader sits next to the bindings and the wasm, so './' names them from there.
  const filled = (await readFile(LOADER_TEMPLATE, 'utf8'))
    .replace("'%BINDINGS_URL%'", JSON.stringify(`./${bindings}`))
    .replace("'%WASM_URL%'", JSON.stringify(`./${wasm}`))
    .replace("'%FIRST_PAGE_FILES%'", JSON.stringify(firstPage.map((name) => `./${ARCHIVE_FOLDER}/${name}`)));
  const unfilled = filled.match(/%[A-Z_]+%/);
  if (unfilled) throw new Error(`web/loader.js: ${unfilled[0]} was not filled in`);
  const loader = await minifyScript(filled, LOADER_TEMPLATE);

  const loaderName = `loader-${nameHashOf(loader)}.js`;
  await writeFile(path.join(dir, loaderName), loader);
  const tag = `<script type="module" src="${base}${loaderName}" integrity="${integrityOf(loader)}" crossorigin="anonymous"></script>`;
  // A sharded archive's root is the first thing the app fetches once its wasm runs: the
  // page asks for it at once instead, beside the wasm (the app's fetch() takes the
  // preloaded response: same URL, mode cors, same-origin credentials).
  const preload = root
    ? `<link rel="preload" href="${base}${ARCHIVE_FOLDER}/${root}" as="fetch" crossorigin="anonymous" />\n    `
    : '';
  const page = withoutWasmPreloadIntegrity(html.replace(placeholder, `${preload}${tag}`), `${base}${wasm}`);
  // Before the bindings are minified (and their integrity taken); the wasm has none.
  const shortened = shortenImportNames(await readFile(path.join(dir, wasm)), await readFile(path.join(dir, bindings), 'utf8'));
  await writeFile(path.join(dir, wasm), shortened.wasm);
  await writeFile(path.join(dir, bindings), shortened.bindings);
  const styled = await minifyStyles(dir, page, base);
  await writeFile(indexFile, withoutComments(await minifyBindings(dir, styled, base, bindings)));
  return loaderName;
}

/** `text` matched literally inside a RegExp. */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `html` without its comments (notes for the next engineer, not for readers). */
function withoutComments(html) {
  return html.replace(/<!--[\s\S]*?-->\s*/g, '');
}

/**
 * trunk's `<link rel="preload" as="fetch">` of the wasm without its `integrity`, so it
 * asks for what the loader's fetch() asks for (no integrity: see web/loader.js). Chromium
 * ignores an integrity on `as="fetch"` anyway, with a console warning at every load
 * (crbug.com/981419); a browser that honoured it would hold the body to hash it.
 */
function withoutWasmPreloadIntegrity(html, wasmHref) {
  return html.replace(new RegExp(`(<link rel="preload" href="${escapeRegExp(wasmHref)}"[^>]*?) integrity="[^"]*"`), '$1');
}

/**
 * A sharded archive's root, and the files its first page reads after it (build.rs lists
 * them in archive/first-page.txt, which is taken out here: it does not ship). None for
 * an embedded build.
 */
async function takeFirstPageFiles(dir) {
  const archive = path.join(dir, ARCHIVE_FOLDER);
  const names = await readdir(archive).catch(() => []);
  const roots = names.filter((name) => name.endsWith('.root'));
  if (roots.length === 0) return { root: null, firstPage: [] };
  if (roots.length > 1) throw new Error(`${archive} holds ${roots.length} roots; a build writes one`);
  const listFile = path.join(archive, FIRST_PAGE_LIST);
  const firstPage = names.includes(FIRST_PAGE_LIST)
    ? (await readFile(listFile, 'utf8')).split('\n').filter(Boolean)
    : [];
  for (const name of firstPage) {
    if (!names.includes(name)) throw new Error(`${listFile} names ${name}, which is not in ${archive}`);
  }
  await rm(listFile, { force: true });
  return { root: roots[0], firstPage };
}

/**
 * Step 2: writes sw.js, precaching the app's files, and for a sharded archive the list of
 * its files. Returns the build id, which names the worker's cache. Also used by the tests
 * to make a "next build" of a dist/.
 */
export async function writeServiceWorker(dir) {
  // Run again on a dist/ (the tests do), the list of the last run is replaced.
  for (const file of await readdir(dir)) {
    if (ARCHIVE_FILE_LIST.test(file)) await rm(path.join(dir, file));
  }
  const files = (await listFiles(dir)).filter((file) => file !== SERVICE_WORKER_FILE);
  if (!files.includes('index.html')) throw new Error(`${dir} has no index.html`);
  const precache = [];
  const cachedWhenOpened = [];
  const archiveFiles = [];
  for (const url of files) {
    const bytes = await readFile(path.join(dir, url));
    if (isArchiveFileFetchedOnDemand(url)) {
      // The worker checks each against its name: a misnamed file would never be cached.
      const name = url.slice(ARCHIVE_FOLDER.length + 1);
      const hash = name.match(ARCHIVE_FILE_NAME)?.[1];
      if (hash !== nameHashOf(bytes)) {
        throw new Error(`${path.join(dir, url)}: an archive file must be named <first 16 hex digits of its SHA-256>.<kind>`);
      }
      archiveFiles.push(name);
    } else if (CACHED_WHEN_OPENED.includes(url)) {
      cachedWhenOpened.push({ url, integrity: integrityOf(bytes) });
    } else {
      precache.push({ url, integrity: integrityOf(bytes) });
    }
  }
  let archiveFileList = null;
  if (archiveFiles.length > 0) {
    const list = archiveFiles.map((name) => `${name}\n`).join('');
    archiveFileList = `archive-files-${nameHashOf(list)}.txt`;
    await writeFile(path.join(dir, archiveFileList), list);
  }
  const workerCode = await readFile(SERVICE_WORKER_TEMPLATE, 'utf8');
  // The worker's own code counts too: a new worker always gets a cache of its own.
  const listed = [...precache, ...cachedWhenOpened].map(({ url, integrity }) => `${url} ${integrity}\n`).join('');
  const buildId = nameHashOf(`${listed}${archiveFileList}\n${workerCode}`);
  const worker = [
    `// Generated by scripts/post-build.mjs from web/service-worker.js; do not edit.`,
    `const BUILD_ID = ${JSON.stringify(buildId)};`,
    `const PRECACHE = ${JSON.stringify(precache, null, 2)};`,
    `const CACHED_WHEN_OPENED = ${JSON.stringify(cachedWhenOpened, null, 2)};`,
    `const ARCHIVE_FILE_LIST = ${JSON.stringify(archiveFileList)};`,
    '',
    workerCode,
  ].join('\n');
  await writeFile(path.join(dir, SERVICE_WORKER_FILE), worker);
  return { buildId, files, archiveFiles: archiveFiles.length, archiveFileList, workerBytes: Buffer.byteLength(worker) };
}

/**
 * A sharded archive's files other than its root (dist/archive/, named by content hash):
 * a search fetches the few it needs, so the worker caches them as they are fetched
 * instead of downloading the whole archive on the first visit.
 */
function isArchiveFileFetchedOnDemand(url) {
  return url.startsWith(`${ARCHIVE_FOLDER}/`) && !url.endsWith('.root');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
  if (!dir) {
    console.error('post-build: no folder: pass one, or run as trunk post_build hook (TRUNK_STAGING_DIR)');
    process.exit(2);
  }
  try {
    const loader = await writeLoader(dir);
    const { buildId, files, archiveFiles, archiveFileList, workerBytes } = await writeServiceWorker(dir);
    const cachedLater = archiveFiles ? `, ${archiveFiles} archive files cached when fetched, listed in ${archiveFileList}` : '';
    console.log(
      `post-build: ${loader}, ${SERVICE_WORKER_FILE} (${workerBytes} bytes, build ${buildId}, ${files.length - archiveFiles} files precached or cached when opened${cachedLater})`,
    );
  } catch (err) {
    console.error(`post-build: ${err.message}`);
    process.exit(1);
  }
}
