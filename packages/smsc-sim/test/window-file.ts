// A SQLite file larger than the admin API's look (store/queries.ts SCAN_ROWS) for the bounded list's tests: ROWS
// stored messages, final and owing nothing, written with one INSERT … SELECT copying a stored row (~1 s), a few of
// them to TO: near the newest, one window down, the two parts of one message on the newest window's edge, one old.
import { MessageStore } from '../src/store/index.js';
import { SCAN_ROWS } from '../src/store/queries.js';
import { openDatabase } from '../src/store/sqlite/driver.js';
import { messageRecord } from './records.js';

export const ROWS = 450_000;
export const TO = '4479999999';
/** the newest window is ids ROWS … EDGE + 1 */
export const EDGE = ROWS - SCAN_ROWS;
export const SINGLES = [ROWS - 10, ROWS - 150_000, EDGE - 5_000, 7];
/** one message in 2 parts: group_id EDGE, its part EDGE + 1 in the newest window */
export const PARTS = [EDGE, EDGE + 1];
/** the messages to TO, newest first (a message at its newest part) */
export const TO_GROUPS = [ROWS - 10, ROWS - 150_000, PARTS[0]!, EDGE - 5_000, 7];

export function buildWindowFile(path: string): void {
  // a stored row to copy: final, nothing owed (a start has nothing to deliver)
  const s = new MessageStore({ path });
  const done = { state: 'DELIVERED', plannedState: 'DELIVERED', dueAt: null, doneAt: 1_700_000_000_100 } as const;
  s.insert(messageRecord(s.allocateId(), { ...done, registeredDelivery: 0, destAddr: '4470000000' }));
  s.close();
  const db = openDatabase(path);
  const cols = (db.prepare('PRAGMA table_info(messages)').all() as { name: string }[]).map((c) => c.name);
  const value: Record<string, string> = {
    id: 'k.n',
    mid: "printf('%x', k.n)",
    group_id: `CASE WHEN k.n = ${PARTS[1]} THEN ${PARTS[0]} ELSE k.n END`,
    part_num: `CASE WHEN k.n = ${PARTS[1]} THEN 2 ELSE 1 END`,
    part_total: `CASE WHEN k.n IN (${PARTS}) THEN 2 ELSE 1 END`,
    // the others to '44700' + n % 5000: every 5,000th row to each
    dest_addr: `CASE WHEN k.n IN (${[...SINGLES, ...PARTS]}) THEN '${TO}' ELSE '44700' || (k.n % 5000) END`,
    submitted_at: '1700000000000 + k.n',
  };
  db.exec(
    `INSERT INTO messages (${cols}) WITH RECURSIVE k(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM k WHERE n < ${ROWS}) SELECT ${cols.map((c) => value[c] ?? `t.${c}`)} FROM k, messages AS t WHERE t.id = 1`,
  );
  db.exec("UPDATE store_meta SET value = -1 WHERE key = 'messages'"); // the row count: counted at the next open
  db.close();
}
