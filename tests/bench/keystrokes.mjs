// Which keystrokes are slow, from the list the browser bench writes beside its table
// (`docbao-keystrokes.json`: per pass, every keystroke's text, ms and files fetched). For
// the keystrokes that fetched, it prints p50 / p95 by kind (a query's first key, its second
// letter, the first letter of a later word, a space, a word extended), by files fetched,
// the least-squares line ms = a + b × files (a per-file cost shows as b, a fixed round as
// a), and the slowest ones one by one. Load-independent it is not: compare runs taken at
// the same load, or alternated. Asserts nothing.
//
//   node tests/bench/keystrokes.mjs KEYSTROKES_JSON [--pass N] [--slowest F]
//     --pass     which pass (1: typed with fetches, the default; 2: typed again)
//     --slowest  print the slowest fraction F of the fetching keystrokes (default 0.15)

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!file) {
  console.error('usage: node tests/bench/keystrokes.mjs KEYSTROKES_JSON [--pass N] [--slowest F]');
  process.exit(2);
}
const pass = JSON.parse(readFileSync(file, 'utf8'))[option('--pass', 1) - 1] ?? [];
const slowest = option('--slowest', 0.15);

// A keystroke that does not extend the previous text by one character starts a query
// (the bench types each query into a fresh reader). Characters, not UTF-16 units.
let previous = null;
const rows = pass.map(([text, ms, files]) => {
  const chars = [...text];
  const extends_ = previous !== null && text.startsWith(previous) && chars.length === [...previous].length + 1;
  const kind = !extends_
    ? 'query first key'
    : /\s$/.test(text)
      ? 'space'
      : /\s\S$/.test(text)
        ? 'later word first letter'
        : chars.length === 2
          ? 'query second letter'
          : 'word extended';
  previous = text;
  return { text, ms, files, kind };
});

const quantile = (values, p) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
};
const summary = (list) =>
  `n ${String(list.length).padStart(3)}  p50 ${quantile(list.map((r) => r.ms), 0.5)}  p95 ${quantile(list.map((r) => r.ms), 0.95)}  files p50 ${quantile(list.map((r) => r.files), 0.5)}`;
const groupBy = (list, key) => {
  const groups = new Map();
  for (const r of list) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return groups;
};

const fetching = rows.filter((r) => r.files > 0);
console.log(`keystrokes ${rows.length}; all:      ${summary(rows)}`);
console.log(`fetching:               ${summary(fetching)}`);
console.log('\nfetching, by kind:');
for (const [kind, list] of groupBy(fetching, (r) => r.kind)) console.log(`  ${kind.padEnd(24)} ${summary(list)}`);
console.log('\nfetching, by files:');
const bin = (n) => (n <= 3 ? '1-3' : n <= 7 ? '4-7' : n <= 11 ? '8-11' : '12+');
for (const label of ['1-3', '4-7', '8-11', '12+']) {
  const list = fetching.filter((r) => bin(r.files) === label);
  if (list.length) console.log(`  ${label.padEnd(24)} ${summary(list)}`);
}
if (fetching.length > 1) {
  const n = fetching.length;
  const mx = fetching.reduce((s, r) => s + r.files, 0) / n;
  const my = fetching.reduce((s, r) => s + r.ms, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (const r of fetching) {
    sxy += (r.files - mx) * (r.ms - my);
    sxx += (r.files - mx) ** 2;
    syy += (r.ms - my) ** 2;
  }
  const b = sxy / sxx;
  console.log(`\nms = ${(my - b * mx).toFixed(1)} + ${b.toFixed(2)} × files (r = ${(sxy / Math.sqrt(sxx * syy)).toFixed(2)})`);
}
const cut = quantile(fetching.map((r) => r.ms), 1 - slowest);
const slow = fetching.filter((r) => r.ms >= cut).sort((a, b) => b.ms - a.ms);
console.log(`\nslowest ${Math.round(slowest * 100)}% of the fetching keystrokes (≥ ${cut} ms):`);
for (const r of slow) console.log(`  ${String(r.ms).padStart(7)} ms ${String(r.files).padStart(3)} files  ${r.kind.padEnd(24)} ${JSON.stringify(r.text)}`);
console.log('  by kind:', Object.fromEntries([...groupBy(slow, (r) => r.kind)].map(([k, l]) => [k, l.length])));
