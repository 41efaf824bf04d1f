// Common rows inserted together bind the values they share (account, times, receipt request: columns.ts ALIKE) once
// a statement; a run whose rows differ in them is split where they change (insert-rows.ts). Every row must read back
// as the same message written alone (one row a commit: every value bound).
import { describe, expect, it } from 'vitest';
import { type MessageRecord, MessageStore } from '../src/store/index.js';
import { messageRecord } from './records.js';
import { tempDbs } from './temp-db.js';

const tempDb = tempDbs('smsc-alike-');
const T0 = 1_700_000_000_000;

/** Row i of a commit whose ALIKE values change every few rows, each in its own rhythm (a common row: no text). */
function row(id: number, i: number): MessageRecord {
  return messageRecord(id, {
    text: '',
    systemId: i % 11 < 7 ? 'acme' : 'other',
    registeredDelivery: i % 13 < 9 ? 1 : 0,
    submittedAt: T0 + Math.floor(i / 5),
    expireAt: T0 + 86_400_000 + Math.floor(i / 17),
    dueAt: i % 19 === 3 ? null : T0 + 100 + Math.floor(i / 3),
    sourceAddr: `src${i % 4}`,
    destAddr: `dst${i}`,
  });
}

describe('rows alike bound once a statement', () => {
  it('read back as each written alone, however their shared values change within one commit', () => {
    const together = new MessageStore({ path: tempDb() });
    const alone = new MessageStore({ path: tempDb() });
    const n = 150;
    for (let i = 0; i < n; i++) together.insert(row(together.allocateId(), i));
    together.flush();
    for (let i = 0; i < n; i++) {
      alone.insert(row(alone.allocateId(), i));
      alone.flush();
    }
    for (let id = 1; id <= n; id++) expect(together.get(id), `row ${id}`).toEqual(alone.get(id));
    expect(together.query({ limit: 200 })).toEqual(alone.query({ limit: 200 }));
    together.close();
    alone.close();
  });

  it('a run of rows all alike: one value each, the same in every row', () => {
    const s = new MessageStore({ path: tempDb() });
    for (let i = 0; i < 100; i++) s.insert(messageRecord(s.allocateId(), { text: '', destAddr: `d${i}` }));
    s.flush();
    const r = s.db
      .prepare(
        'SELECT COUNT(DISTINCT system_id) AS a, COUNT(DISTINCT submitted_at) AS b, COUNT(DISTINCT dest_addr) AS c, COUNT(*) AS n FROM messages',
      )
      .get();
    expect(r).toEqual({ a: 1, b: 1, c: 100, n: 100 });
    expect(s.get(57)).toEqual({ ...s.get(57), systemId: 'acme', destAddr: 'd56', submittedAt: T0 });
    s.close();
  });
});
