// Reads a V8 heap snapshot (e.g. BENCH_HEAP_SNAPSHOT of the binds case) and prints the object groups (type and
// constructor or function name) by their total self size, with their count per bind when given the number of binds:
//   node --import tsx bench/heap-summary.ts file.heapsnapshot [binds] [rows]
// A group whose count is a small whole multiple of the binds is (most likely) kept per connection.
import { readFileSync } from 'node:fs';

const [file, bindsText, rowsText] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: heap-summary.ts file.heapsnapshot [binds] [rows]\n');
  process.exit(2);
}
const binds = Number(bindsText ?? 0);
const rows = Number(rowsText ?? 40);
const snap = JSON.parse(readFileSync(file, 'utf8'));
const fields: string[] = snap.snapshot.meta.node_fields;
const types: string[] = snap.snapshot.meta.node_types[0];
const width = fields.length;
const T = fields.indexOf('type');
const N = fields.indexOf('name');
const S = fields.indexOf('self_size');
const nodes: number[] = snap.nodes;
const strings: string[] = snap.strings;

const groups = new Map<string, { count: number; size: number }>();
let total = 0;
for (let i = 0; i < nodes.length; i += width) {
  const type = types[nodes[i + T]!]!;
  const size = nodes[i + S]!;
  total += size;
  // strings and numbers by type only; objects, closures, arrays by their name
  const name = type === 'string' || type === 'number' || type === 'concatenated string' ? '' : strings[nodes[i + N]!];
  const key = `${type} ${String(name).slice(0, 60)}`;
  const g = groups.get(key) ?? { count: 0, size: 0 };
  g.count++;
  g.size += size;
  groups.set(key, g);
}
const sorted = [...groups.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, rows);
process.stdout.write(`total self size ${(total / 2 ** 20).toFixed(1)} MB in ${nodes.length / width} objects\n`);
for (const [key, g] of sorted) {
  const per = binds ? `  ${(g.count / binds).toFixed(2)}/bind ${(g.size / binds).toFixed(0)} B/bind` : '';
  process.stdout.write(
    `${(g.size / 2 ** 20).toFixed(2).padStart(8)} MB ${String(g.count).padStart(9)}  ${key}${per}\n`,
  );
}
