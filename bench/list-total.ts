// The admin message list on a stored file: the time of the newest page with its total, unfiltered and filtered,
// with the store of a given build (a dist directory), and what it reads back of the newest message.
//   node --import tsx bench/list-total.ts <packages/smsc-sim/dist> <file.db>
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, file] = process.argv.slice(2) as [string, string];
const { MessageStore } = (await import(pathToFileURL(join(dist, 'store/message-store.js')).href)) as {
  MessageStore: new (s: {
    path: string;
  }) => {
    query(f: object): { total: number; totalIsLowerBound?: true; groups: Array<Array<{ id: number }>> };
    get(id: number): unknown;
    close(): void;
  };
};
let t = performance.now();
const store = new MessageStore({ path: file });
const openMs = performance.now() - t;
const out: Record<string, unknown> = { dist, openMs: Math.round(openMs) };
for (const [name, f] of [
  ['newest100', { limit: 100 }],
  ['newest100again', { limit: 100 }],
  ['account100', { systemId: 'acct7', limit: 100 }],
  ['toAddr100', { to: '44790000001', limit: 100 }],
] as const) {
  t = performance.now();
  const r = store.query(f);
  out[name] = {
    ms: Math.round(performance.now() - t),
    total: r.total,
    lowerBound: r.totalIsLowerBound ?? false,
    page: r.groups.length,
  };
}
store.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
