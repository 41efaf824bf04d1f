// Reads V8 heap snapshots (BENCH_HEAP_SNAPSHOT of the binds case: before and with the binds) and prints the object
// groups (type and constructor or function name) by what they grew in total self size, with count and bytes per bind:
//   node --import tsx bench/heap-summary.ts with.heapsnapshot before.heapsnapshot binds [rows]
// A group whose count grew by a small whole multiple of the binds is (most likely) kept per connection.
import { readFileSync } from 'node:fs';

const [file, baseFile, bindsText, rowsText] = process.argv.slice(2);
if (!file || !baseFile || !bindsText) {
  process.stderr.write('usage: heap-summary.ts with.heapsnapshot before.heapsnapshot binds [rows]\n');
  process.exit(2);
}
const binds = Number(bindsText);
const rows = Number(rowsText ?? 40);

function groups(path: string): Map<string, { count: number; size: number }> {
  const snap = JSON.parse(readFileSync(path, 'utf8'));
  const fields: string[] = snap.snapshot.meta.node_fields;
  const types: string[] = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const T = fields.indexOf('type');
  const N = fields.indexOf('name');
  const S = fields.indexOf('self_size');
  const nodes: number[] = snap.nodes;
  const strings: string[] = snap.strings;
  const out = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + T]!]!;
    // strings and numbers by type only; objects, closures, arrays by their name
    const name = type === 'string' || type === 'number' || type === 'concatenated string' ? '' : strings[nodes[i + N]!];
    const key = `${type} ${String(name).slice(0, 60)}`;
    const g = out.get(key) ?? { count: 0, size: 0 };
    g.count++;
    g.size += nodes[i + S]!;
    out.set(key, g);
  }
  return out;
}

const now = groups(file);
const base = groups(baseFile);
const grown = [...now.entries()].map(([key, g]) => {
  const b = base.get(key) ?? { count: 0, size: 0 };
  return { key, count: g.count - b.count, size: g.size - b.size };
});
const total = grown.reduce((a, g) => a + g.size, 0);
process.stdout.write(`grown ${(total / binds).toFixed(0)} B a bind in all\n`);
for (const g of grown.sort((a, b) => b.size - a.size).slice(0, rows))
  process.stdout.write(
    `${(g.size / binds).toFixed(0).padStart(6)} B ${(g.count / binds).toFixed(2).padStart(7)}/bind  ${g.key}\n`,
  );
