// The benches' host (server.mjs's `startServerProcess`): the same server as the e2e tests'
// in a node process of its own, which serves the folder over TLS and HTTP/2 when given a
// certificate, and is gone once closed. No browser needed.
// Run: node --test tests/e2e/

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { REPO } from './support.mjs';
import { benchCertificate, startServerProcess } from './server.mjs';

test("the benches' host serves its folder from its own process, and is gone once closed", async (t) => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'docbao-host-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  writeFileSync(path.join(folder, 'a.txt'), 'đọc báo\n');
  const host = await startServerProcess(folder);
  let closed = false;
  t.after(() => (closed ? undefined : host.close()));
  assert.equal(host.protocol, 'HTTP/1.1');
  const found = await fetch(`${host.url}/a.txt`);
  assert.equal(found.status, 200);
  assert.equal(await found.text(), 'đọc báo\n');
  assert.equal((await fetch(`${host.url}/b.txt`)).status, 404);
  await host.close();
  closed = true;
  await assert.rejects(fetch(`${host.url}/a.txt`), 'the host still answers once closed');
});

test("the benches' host speaks HTTP/2 over TLS with the bench's certificate", async (t) => {
  const tlsDir = path.join(REPO, 'target', 'bench-tls');
  const { cert } = benchCertificate(tlsDir);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'docbao-host-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  writeFileSync(path.join(folder, 'a.txt'), 'đọc báo\n');
  const host = await startServerProcess(folder, { tlsDir });
  t.after(() => host.close());
  assert.match(host.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const session = connect(host.url, { ca: cert });
  t.after(() => session.close());
  const body = await new Promise((resolve, reject) => {
    const request = session.request({ ':path': '/a.txt' });
    let text = '';
    request.setEncoding('utf8');
    request.on('response', (headers) => {
      if (headers[':status'] !== 200) reject(new Error(`status ${headers[':status']}`));
    });
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
  assert.equal(body, 'đọc báo\n');
});
