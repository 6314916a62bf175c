// An experiment, not a build: copies an embedded build's DIST to OUT with its wasm's largest
// data segment (the corpus) moved, so start-up can be traced with the same bytes placed
// otherwise (tests/bench/startup-trace.mjs OUT --until-start). The app in OUT cannot read
// its corpus: it shows the broken-archive page, after `docbao:start`.
//
//   node tests/bench/wasm-corpus-variant.mjs DIST OUT --passive   the segment made passive:
//        still in the data section, never copied into memory at instantiation
//   node tests/bench/wasm-corpus-variant.mjs DIST OUT --custom    the segment emptied, its
//        bytes in a custom section at the end of the module: same size, no data to decode
//
// Session 18 (docs/measurements.md): both keep the ~20–40 ms main-thread task
// `ResponseBodyLoader::DidFinishLoadingBody` after instantiation (so it follows the
// response's bytes, not the data segment), and take the data copy out of
// `wasm.InstanceBuilder.Build` (7–22 ms → 0.6 ms).

import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [dist, out, mode] = process.argv.slice(2);
if (!dist || !out || !['--passive', '--custom'].includes(mode)) {
  throw new Error('usage: node tests/bench/wasm-corpus-variant.mjs DIST OUT --passive|--custom');
}

const uleb = (n) => {
  const bytes = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    bytes.push(b);
  } while (n);
  return Buffer.from(bytes);
};
const readUleb = (buf, pos) => {
  let value = 0;
  let shift = 0;
  let b;
  do {
    b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [value, pos];
};

const wasmName = readdirSync(dist).find((f) => f.endsWith('_bg.wasm'));
const wasm = readFileSync(path.join(dist, wasmName));

// The data section (id 11), then its segments: flag 0 (active, memory 0, `i32.const N end`).
let pos = 8;
let data;
while (pos < wasm.length) {
  const [size, body] = readUleb(wasm, pos + 1);
  if (wasm[pos] === 11) data = { start: pos, body, end: body + size };
  pos = body + size;
}
if (!data) throw new Error(`${wasmName}: no data section`);
let [count, at] = readUleb(wasm, data.body);
let largest;
for (let i = 0; i < count; i++) {
  const start = at;
  if (wasm[at] !== 0 || wasm[at + 1] !== 0x41) throw new Error(`segment ${i}: not an active i32.const segment`);
  at += 2;
  while (wasm[at] & 0x80) at++;
  const offsetExpr = wasm.subarray(start + 1, at + 2); // i32.const, its LEB, end
  if (wasm[at + 1] !== 0x0b) throw new Error(`segment ${i}: offset expression not ended`);
  const [len, bytes] = readUleb(wasm, at + 2);
  if (!largest || len > largest.len) largest = { start, offsetExpr, bytes, len, end: bytes + len };
  at = bytes + len;
}

const corpus = wasm.subarray(largest.bytes, largest.end);
let segment;
let extra = Buffer.alloc(0);
if (mode === '--passive') {
  segment = Buffer.concat([Buffer.from([1]), uleb(corpus.length), corpus]);
} else {
  segment = Buffer.concat([Buffer.from([0]), largest.offsetExpr, uleb(0)]);
  const name = Buffer.from('docbao-corpus');
  const body = Buffer.concat([uleb(name.length), name, corpus]);
  extra = Buffer.concat([Buffer.from([0]), uleb(body.length), body]);
}
const dataBody = Buffer.concat([wasm.subarray(data.body, largest.start), segment, wasm.subarray(largest.end, data.end)]);
const variant = Buffer.concat([
  wasm.subarray(0, data.start),
  Buffer.from([11]),
  uleb(dataBody.length),
  dataBody,
  wasm.subarray(data.end),
  extra,
]);
new WebAssembly.Module(variant); // still valid, or this throws
cpSync(dist, out, { recursive: true });
writeFileSync(path.join(out, wasmName), variant);
console.log(`${out}/${wasmName}: ${variant.length} bytes (was ${wasm.length}); corpus segment ${corpus.length} bytes ${mode === '--passive' ? 'passive' : 'in a custom section'}`);
