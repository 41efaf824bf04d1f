// The admin message list's bounded look (store/queries.ts ScanWindow) on a stored file, read only: the time of a
// filtered page that few rows match, reading the whole table (no window, the programmatic API) and one window of
// SCAN_ROWS ids (the admin API), and of following its cursors to the end.
//   node --import tsx bench/list-window.ts <file.db> [to-address]
import { createRequire } from 'node:module';
import { queryGroups, SCAN_ROWS } from '../packages/smsc-sim/src/store/queries.js';

const [file, to = '44790000001'] = process.argv.slice(2) as [string, string?];
const Database = createRequire(import.meta.url)('../packages/smsc-sim/node_modules/better-sqlite3') as new (
  p: string,
  o: object,
) => Parameters<typeof queryGroups>[0] & { close(): void };
const db = new Database(file, { readonly: true, fileMustExist: true });
const f = { to, limit: 100 };
const out: Record<string, unknown> = { file, to };
const time = <T>(fn: () => T): [T, number] => {
  const t = performance.now();
  const r = fn();
  return [r, Math.round((performance.now() - t) * 10) / 10];
};
const [whole, wholeMs] = time(() => queryGroups(db, f, Date.now(), 0));
out.wholeTable = { ms: wholeMs, total: whole.total, page: whole.groupIds.length };
for (let round = 0; round < 2; round++) {
  const [first, ms] = time(() => queryGroups(db, f, Date.now(), 0, undefined, { rows: SCAN_ROWS }));
  out[`window${round}`] = { ms, total: first.total, page: first.groupIds.length, scanned: first.scanned };
}
let cursor: number | undefined;
let answers = 0;
let found = 0;
const [, allMs] = time(() => {
  do {
    const a = queryGroups(db, f, Date.now(), 0, undefined, { rows: SCAN_ROWS, ...(cursor && { cursor }) });
    answers++;
    found += a.groupIds.length;
    cursor = a.cursor;
  } while (cursor !== undefined);
});
out.followed = { answers, found, ms: Math.round(allMs), msPerAnswer: Math.round(allMs / answers) };
db.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
