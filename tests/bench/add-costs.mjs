// Where adding an archive file goes, in V8: the wasm harness (engine/ alone, as the app
// runs it, `wasm-opt -Oz`) replays the bench plan's keystrokes, adding each file a
// keystroke needs, as the app does while typing (`find_first` of the rows shown), and
// times every `add_shard` (the SHA-256 check, the header's CRC, the decode, putting it in
// place) and, on their own, the SHA-256 and the CRC of the same bytes. The replay runs
// `--passes` times on fresh readers (the first warms V8's tiers); each file's figure is
// its least time over the later passes. Prints, per kind of file, the files, kB, and ms
// (total, and µs per kB) of add, SHA-256 and CRC; asserts nothing.
//
//   node tests/bench/add-costs.mjs --wasm HARNESS.wasm --plan PLAN --archive DIST/archive
//        [--passes 3] [--shown 8]
//
// Build the harness: cargo build --release --target wasm32-unknown-unknown
// -p docbao-wasm-harness, then wasm-opt -Oz (as scripts/wasm-harness does).

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const wasm = opt('wasm');
const planFile = opt('plan');
const archive = opt('archive');
const passes = Number(opt('passes', 3));
const shown = Number(opt('shown', 8));
if (!wasm || !planFile || !archive) {
  console.error('usage: add-costs.mjs --wasm HARNESS.wasm --plan PLAN --archive DIR [--passes N] [--shown N]');
  process.exit(2);
}
const keystrokes = JSON.parse(readFileSync(planFile, 'utf8')).keystrokes;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const { instance } = await WebAssembly.instantiate(readFileSync(wasm), {});
const x = instance.exports;
const put = (bytes) => {
  const p = x.harness_alloc(bytes.length);
  new Uint8Array(x.memory.buffer, p, bytes.length).set(bytes);
  return [p, bytes.length];
};
const out = (n) => decoder.decode(new Uint8Array(x.memory.buffer, x.harness_out_ptr(), n));
const files = new Map();
const read = (name) => {
  if (!files.has(name)) files.set(name, readFileSync(path.join(archive, name)));
  return files.get(name);
};
const timed = (f, ...a) => {
  const t = performance.now();
  const r = f(...a);
  return [performance.now() - t, r];
};

const root = readdirSync(archive).find((n) => n.endsWith('.root'));
// name -> { kind, bytes, add: [ms], sha: [ms], crc: [ms] }
const seen = new Map();
for (let pass = 0; pass < passes; pass++) {
  if (!x.harness_sharded(...put(read(root)))) throw new Error(`root ${root} refused`);
  for (const q of keystrokes) {
    for (let round = 0; ; round++) {
      if (round > 16) throw new Error(`${q}: still needs files after 16 rounds`);
      const n = x.harness_find(...put(encoder.encode(q)), 20, 0, shown);
      if (n === 0) break;
      for (const name of out(n).split('\n')) {
        const bytes = read(name);
        const nameArgs = put(encoder.encode(name));
        const [add, ok] = timed(x.harness_add, ...nameArgs, ...put(bytes));
        if (!ok) throw new Error(`${name} refused`);
        const [sha] = timed(x.harness_sha, ...put(bytes));
        const [crc] = timed(x.harness_crc, ...put(bytes));
        if (!seen.has(name)) seen.set(name, { kind: name.split('.').pop(), bytes: bytes.length, add: [], sha: [], crc: [] });
        if (pass === 0 && passes > 1) continue;
        const s = seen.get(name);
        s.add.push(add);
        s.sha.push(sha);
        s.crc.push(crc);
      }
    }
  }
}
const least = (xs) => Math.min(...xs);
const byKind = new Map();
for (const s of seen.values()) {
  const k = byKind.get(s.kind) ?? { files: 0, bytes: 0, add: 0, sha: 0, crc: 0 };
  k.files++;
  k.bytes += s.bytes;
  k.add += least(s.add);
  k.sha += least(s.sha);
  k.crc += least(s.crc);
  byKind.set(s.kind, k);
}
console.log(`${seen.size} files over ${keystrokes.length} keystrokes, least of ${Math.max(1, passes - 1)} passes; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log('kind | files | kB | add ms (µs/kB) | sha-256 ms (µs/kB) | crc ms (µs/kB) | add - sha - crc ms (µs/kB)');
const perKb = (ms, bytes) => ((ms * 1e3) / (bytes / 1e3)).toFixed(1);
const all = { files: 0, bytes: 0, add: 0, sha: 0, crc: 0 };
for (const [kind, k] of [...byKind].sort((a, b) => b[1].add - a[1].add)) {
  for (const f of Object.keys(all)) all[f] += k[f];
  const rest = k.add - k.sha - k.crc;
  console.log(`${kind} | ${k.files} | ${(k.bytes / 1e3).toFixed(0)} | ${k.add.toFixed(1)} (${perKb(k.add, k.bytes)}) | ${k.sha.toFixed(1)} (${perKb(k.sha, k.bytes)}) | ${k.crc.toFixed(1)} (${perKb(k.crc, k.bytes)}) | ${rest.toFixed(1)} (${perKb(rest, k.bytes)})`);
}
const rest = all.add - all.sha - all.crc;
console.log(`all | ${all.files} | ${(all.bytes / 1e3).toFixed(0)} | ${all.add.toFixed(1)} (${perKb(all.add, all.bytes)}) | ${all.sha.toFixed(1)} (${perKb(all.sha, all.bytes)}) | ${all.crc.toFixed(1)} (${perKb(all.crc, all.bytes)}) | ${rest.toFixed(1)} (${perKb(rest, all.bytes)})`);
const big = [...seen.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 8);
console.log('largest files: name | kB | add / sha / crc ms');
for (const [name, s] of big) console.log(`  ${name} | ${(s.bytes / 1e3).toFixed(1)} | ${least(s.add).toFixed(2)} / ${least(s.sha).toFixed(2)} / ${least(s.crc).toFixed(2)}`);
