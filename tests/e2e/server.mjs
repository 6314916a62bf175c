// A small static file server for the end-to-end tests: serves one folder on
// 127.0.0.1 on an ephemeral port, with the MIME types a trunk dist/ needs
// (.wasm must be application/wasm for streaming compilation) and a plain 404
// for anything missing. Nothing but node's standard library.
//
//   import { startServer } from './server.mjs';
//   const server = await startServer('dist');   // server.url, await server.close()
//
// Options play the static hosts the app must work on:
//   basePath     serve the folder under a sub-path, e.g. '/archive/docbao/'
//                (anything outside it is a 404; the sub-path without its final
//                slash redirects to it, as static hosts do)
//   mimeTypes    override types by extension, e.g. { '.wasm': 'application/octet-stream' }
//   headers      extra headers on every file, e.g. a Content-Security-Policy
//   holdUntil    (pathname) => a promise to wait for before answering that path, or
//                undefined: plays a slow file (e.g. sw.js, so a first visit's page
//                fetches before any service worker controls it)
//   tls          { key, cert } (PEM): serve HTTPS over HTTP/2, as a CDN does (many
//                requests multiplexed on one connection, where HTTP/1.1 has the
//                browser's 6 connections to a host), HTTP/1.1 still offered by ALPN;
//                `server.url` is then https://. The benches use it (see
//                `benchCertificate`); the e2e tests keep plain HTTP/1.1.
// `server.served` lists every file sent ({ path, bytes }), as the host saw it.
//
// `startServerProcess` runs the same server in a node process of its own, and
// `startBenchServer` picks the benches' host (see there).
//
// Or by hand: node tests/e2e/server.mjs dist [port] [--tls DIR] (DIR: `benchCertificate`'s)

import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

export function mimeType(file, overrides = {}) {
  const extension = path.extname(file).toLowerCase();
  return overrides[extension] ?? MIME_TYPES[extension] ?? 'application/octet-stream';
}

// Maps a request path to a file inside root, or null if it would leave root.
function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

function sendText(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

async function handle(root, options, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return sendText(res, 405, 'method not allowed\n');
  }
  const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
  const { basePath } = options;
  if (pathname === basePath.replace(/\/$/, '') && basePath !== '/') {
    res.writeHead(301, { location: basePath, 'cache-control': 'no-store' });
    return res.end();
  }
  if (!pathname.startsWith(basePath)) return sendText(res, 404, 'not found\n');
  let file = resolveInside(root, pathname.slice(basePath.length - 1));
  if (file === null) return sendText(res, 404, 'not found\n');

  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = path.join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return sendText(res, 404, 'not found\n');
  await options.holdUntil?.(pathname);
  if (req.method === 'GET') options.served.push({ path: pathname, bytes: info.size });

  res.writeHead(200, {
    ...options.headers,
    'content-type': mimeType(file, options.mimeTypes),
    'content-length': info.size,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/**
 * Serves `folder` on 127.0.0.1. Resolves to { url, port, close } once listening;
 * `url` has no final slash and does not include `basePath`.
 * `port` 0 (the default) lets the OS pick a free one; the other options are above.
 */
export async function startServer(folder, { port = 0, basePath = '/', mimeTypes = {}, headers = {}, holdUntil, tls } = {}) {
  if (!basePath.startsWith('/') || !basePath.endsWith('/')) throw new Error(`basePath must start and end with /: ${basePath}`);
  const root = path.resolve(folder);
  const served = [];
  const options = { basePath, mimeTypes, headers, holdUntil, served };
  const respond = (req, res) => {
    handle(root, options, req, res).catch((err) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${err.message}\n`);
      else res.destroy();
    });
  };
  const server = tls ? createSecureServer({ ...tls, allowHTTP1: true }, respond) : createServer(respond);
  // HTTP/2 sessions hold their socket open: closing destroys every connection.
  const sockets = new Set();
  server.on(tls ? 'secureConnection' : 'connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = server.address().port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${actualPort}`,
    port: actualPort,
    protocol: tls ? 'HTTP/2' : 'HTTP/1.1',
    served,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/**
 * A self-signed certificate for 127.0.0.1, made once with `openssl` into `dir` (under
 * target/, never committed) and reused: { key, cert } for `startServer`'s `tls`, and
 * `spki`, the base64 SHA-256 of its public key, which Chromium is told to accept
 * (`--ignore-certificate-errors-spki-list`): the certificate then counts as valid, so
 * the service worker registers over https as it would on a real host.
 */
export function benchCertificate(dir) {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '3650',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  const cert = readFileSync(certFile);
  const publicKey = execFileSync('openssl', ['x509', '-pubkey', '-noout'], { input: cert });
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: publicKey });
  const spki = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
  return { key: readFileSync(keyFile), cert, spki };
}

/**
 * `startServer(folder)` in a node process of its own, over TLS with `benchCertificate(tlsDir)`
 * when given. In the bench's own process, a response may wait for the bench's event loop,
 * which Playwright fills with the browser's protocol traffic (an event per request,
 * response and console message); a CDN's answers wait for no such thing (measured within
 * the noise on this machine: docs/measurements.md, session 27). Resolves to
 * { url, port, protocol, close } (no `served`).
 */
export async function startServerProcess(folder, { tlsDir } = {}) {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [script, folder, '0', ...(tlsDir ? ['--tls', tlsDir] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = /\bat (https?:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (found) resolve(found[1]);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the server for ${folder} exited (${code}) before listening`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // A bench that stops without closing it (an error) does not leave the host behind.
  const stop = () => child.kill();
  process.once('exit', stop);
  return {
    url,
    port: Number(new URL(url).port),
    protocol: tlsDir ? 'HTTP/2' : 'HTTP/1.1',
    close: async () => {
      process.off('exit', stop);
      child.kill();
      await exited;
    },
  };
}

/**
 * The benches' host for `folder`: over TLS with `benchCertificate(tlsDir)` when given (else
 * HTTP/1.1), in a process of its own (`startServerProcess`), or `inBench`, in the bench's
 * own process (as tables before session 27 were measured: `--server-in-bench`).
 */
export function startBenchServer(folder, { tlsDir, inBench = false } = {}) {
  return inBench
    ? startServer(folder, { tls: tlsDir ? benchCertificate(tlsDir) : undefined })
    : startServerProcess(folder, { tlsDir });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const tlsAt = args.indexOf('--tls');
  const tls = tlsAt >= 0 ? benchCertificate(args[tlsAt + 1]) : undefined;
  const [folder = 'dist', port = '0'] = args.filter((a, i) => a !== '--tls' && args[i - 1] !== '--tls');
  const server = await startServer(folder, { port: Number(port), tls });
  console.log(`serving ${path.resolve(folder)} at ${server.url}/`);
}
