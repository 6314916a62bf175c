// The engine alone in V8: two builds of engine/examples/wasm_harness.rs (say main's and
// a branch's), each loaded with the same archive, type the browser bench's keystrokes
// alternately (A then B, then B then A on the next), and every keystroke's answers are
// compared (total and hits always; facet counts when both counted them). Times are per
// call (wall and process CPU); each keystroke's figure is its median over the rounds, and
// the table gives p50 / p95 / total per build. Not a test; asserts only equal answers.
//
//   node tests/bench/wasm-harness.mjs --plan PLAN (--corpus JSONL | --archive DIR)
//        --a A.wasm --b B.wasm [--rounds 5] [--limit 20] [--shown 11] [--a-facets 1] [--b-facets 1]
//
//   PLAN     the bench's plan.json (target/bench/<name>-<layout>/plan.json, written by
//            scripts/bench-browser): its `keystrokes` are typed
//   --corpus the embedded layout: the corpus as JSON Lines (the bench's corpus.jsonl),
//            indexed inside each wasm, every part decoded before typing
//   --archive the sharded layout: a dist's archive/ directory; each keystroke is first
//            typed with the files it needs added (the bench's fetching pass), then timed
//            in memory (its typed-again pass)
//   --shown  sharded: the hits whose chunks a search needs (`find_first`: the rows on
//            screen while a query is typed; default 11, as a desktop viewport shows)
//   --a-facets / --b-facets 0: that build asks without facet counts (as the app types
//            since session 13); 1 (default) with
//
// scripts/wasm-harness builds both (main's from `git archive`, this tree's) and runs this:
//   cargo build --release --target wasm32-unknown-unknown -p docbao-wasm-harness, then
//   wasm-opt -Oz, as trunk does for the app.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const planFile = opt('plan');
const corpus = opt('corpus');
const archive = opt('archive');
const builds = [opt('a'), opt('b')];
const rounds = Number(opt('rounds', 5));
const limit = Number(opt('limit', 20));
const shown = Number(opt('shown', 11));
const facets = [Number(opt('a-facets', 1)), Number(opt('b-facets', 1))];
if (!planFile || !builds[0] || !builds[1] || !(corpus || archive)) {
  console.error('usage: wasm-harness.mjs --plan PLAN (--corpus JSONL | --archive DIR) --a A.wasm --b B.wasm [--rounds N] [--limit N] [--shown N] [--a-facets 0|1] [--b-facets 0|1]');
  process.exit(2);
}
const keystrokes = JSON.parse(readFileSync(planFile, 'utf8')).keystrokes;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function load(file) {
  const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
  const x = instance.exports;
  const put = (bytes) => {
    const p = x.harness_alloc(bytes.length);
    new Uint8Array(x.memory.buffer, p, bytes.length).set(bytes);
    return [p, bytes.length];
  };
  const out = (n) => decoder.decode(new Uint8Array(x.memory.buffer, x.harness_out_ptr(), n));
  return {
    file,
    embedded: (bytes) => x.harness_embedded(...put(bytes)),
    sharded: (bytes) => x.harness_sharded(...put(bytes)),
    add: (name, bytes) => x.harness_add(...put(encoder.encode(name)), ...put(bytes)),
    /** The files the search still needs. */
    find: (q, countFacets) => {
      const n = x.harness_find(...put(encoder.encode(q)), limit, countFacets, shown);
      return n ? out(n).split('\n') : [];
    },
    /** Encoded before the timed call, so the timing holds only the engine's work. */
    findTimed: (q, countFacets) => {
      const [p, len] = put(encoder.encode(q));
      const cpu = process.cpuUsage();
      const t = performance.now();
      x.harness_find(p, len, limit, countFacets, shown);
      const wall = performance.now() - t;
      const used = process.cpuUsage(cpu);
      return { wall, cpu: (used.user + used.system) / 1e3 };
    },
    digest: () => out(x.harness_digest()).split(' '),
  };
}

const engines = [];
for (const file of builds) engines.push(await load(file));
if (corpus) {
  const bytes = readFileSync(corpus);
  for (const e of engines) {
    const t = performance.now();
    const n = e.embedded(bytes);
    console.error(`${path.basename(e.file)}: ${n} articles indexed and loaded in ${(performance.now() - t).toFixed(0)} ms`);
  }
} else {
  const root = readdirSync(archive).find((n) => n.endsWith('.root'));
  for (const e of engines) if (!e.sharded(readFileSync(path.join(archive, root)))) throw new Error(`${e.file}: root ${root} refused`);
  // The fetching pass: every keystroke asked until it needs nothing, as the app does.
  let added = 0;
  for (const e of engines) {
    for (const q of keystrokes) {
      for (let round = 0; ; round++) {
        if (round > 16) throw new Error(`${q}: still needs files after 16 rounds`);
        const needs = e.find(q, 1);
        if (needs.length === 0) break;
        for (const name of needs) {
          if (!e.add(name, readFileSync(path.join(archive, name)))) throw new Error(`${name} refused`);
          added++;
        }
      }
    }
  }
  console.error(`sharded: ${added} files added over both builds`);
}

// Answers first: every keystroke, both builds, compared.
let compared = 0;
for (const q of keystrokes) {
  const d = engines.map((e, i) => {
    const needs = e.find(q, facets[i]);
    if (needs.length) throw new Error(`${path.basename(e.file)}: "${q}" needs files typed again`);
    return e.digest();
  });
  if (d[0][0] !== d[1][0]) throw new Error(`"${q}": the builds' hits differ`);
  if (facets[0] && facets[1] && d[0][1] !== d[1][1]) throw new Error(`"${q}": the builds' facet counts differ`);
  compared++;
}
console.error(`answers: ${compared} keystrokes, the same hits${facets[0] && facets[1] ? ' and facet counts' : ''} in both builds`);

// Timed: per keystroke, the builds alternate (A, B then B, A), `rounds` times.
const times = engines.map(() => keystrokes.map(() => ({ wall: [], cpu: [] })));
for (let r = 0; r < rounds; r++) {
  keystrokes.forEach((q, k) => {
    const order = (k + r) % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      const { wall, cpu } = engines[i].findTimed(q, facets[i]);
      times[i][k].wall.push(wall);
      times[i][k].cpu.push(cpu);
    }
  });
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.round((s.length - 1) * p)];
};
const row = (i, kind) => {
  const per = times[i].map((t) => median(t[kind]));
  return { p50: pct(per, 0.5), p95: pct(per, 0.95), max: pct(per, 1), total: per.reduce((a, b) => a + b, 0) };
};
const fmt = (x) => x.toFixed(3);
console.log(`${keystrokes.length} keystrokes x ${rounds} rounds, alternated; limit ${limit}${archive ? `, chunks of the first ${shown}` : ''}; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log('build | facets | wall p50 / p95 / max / total ms | cpu p50 / p95 / max / total ms');
// The slowest 5% of the last build's keystrokes (CPU medians), beside the first's.
const perKey = (i) => times[i].map((t) => median(t.cpu));
const slowest = keystrokes
  .map((q, k) => ({ q, a: perKey(0)[k], b: perKey(1)[k] }))
  .sort((x, y) => y.b - x.b)
  .slice(0, Math.max(1, Math.ceil(keystrokes.length * 0.05)));
console.log('slowest 5% (B), cpu ms A -> B:');
for (const s of slowest) console.log(`  ${JSON.stringify(s.q)} ${fmt(s.a)} -> ${fmt(s.b)}`);
engines.forEach((e, i) => {
  const w = row(i, 'wall');
  const c = row(i, 'cpu');
  console.log(`${e.file} | ${facets[i] ? 'counted' : 'not counted'} | ${fmt(w.p50)} / ${fmt(w.p95)} / ${fmt(w.max)} / ${w.total.toFixed(1)} | ${fmt(c.p50)} / ${fmt(c.p95)} / ${fmt(c.max)} / ${c.total.toFixed(1)}`);
});
