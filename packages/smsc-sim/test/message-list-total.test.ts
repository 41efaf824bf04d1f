// The admin message list's total (store/queries.ts) without a count over the table: unfiltered from the row count
// kept in memory and the concatenated parts' index; filtered, over at most a cap of the newest matching rows, and
// flagged as a lower bound when more match.
import { describe, expect, it } from 'vitest';
import { type MessageRecord, MessageStore } from '../src/store/index.js';
import { PART_GROUPS_SQL, queryGroups } from '../src/store/queries.js';
import { messageRecord } from './records.js';
import { tempDbs } from './temp-db.js';

const tempDb = tempDbs('smsc-total-');

/** 5 single messages, a message in 3 parts, a submit_multi to 2 destinations, an MO in 2 parts: 9 logical messages */
function fill(s: MessageStore): void {
  const add = (over: Partial<MessageRecord>) => {
    const id = s.allocateId();
    s.insert(messageRecord(id, { groupId: id, ...over }));
    return id;
  };
  for (let i = 0; i < 5; i++) add({ systemId: i < 3 ? 'acme' : 'other' });
  const first = add({ partNum: 1, partTotal: 3 });
  add({ groupId: first, partNum: 2, partTotal: 3 });
  add({ groupId: first, partNum: 3, partTotal: 3 });
  const multi = add({ destAddr: '333' });
  add({ destAddr: '444', multiId: multi });
  const mo = add({ direction: 'MO', systemId: '', deliverTo: 'acme', partNum: 1, partTotal: 2 });
  add({ direction: 'MO', systemId: '', deliverTo: 'acme', groupId: mo, partNum: 2, partTotal: 2 });
  s.flush();
}

const distinctGroups = (s: MessageStore, where = '') =>
  (s.db.prepare(`SELECT COUNT(DISTINCT group_id) AS n FROM messages ${where}`).get() as { n: number }).n;

describe('the message list total', () => {
  it('without a filter: the logical messages, from the row count and the parts, across a reopen', () => {
    const path = tempDb();
    let s = new MessageStore({ path });
    fill(s);
    expect(s.query({}).total).toBe(9);
    expect(s.query({}).total).toBe(distinctGroups(s));
    expect(s.query({ limit: 2 }).groups).toHaveLength(2);
    s.close();
    s = new MessageStore({ path });
    expect(s.query({}).total).toBe(9);
    expect(s.query({}).totalIsLowerBound).toBeUndefined();
    s.deleteAll();
    expect(s.query({}).total).toBe(0);
    s.close();
  });

  it('without a filter reads only the concatenated parts (through their partial index), not every row', () => {
    const s = new MessageStore({ path: tempDb() });
    const plan = (s.db.prepare(`EXPLAIN QUERY PLAN ${PART_GROUPS_SQL}`).all() as Array<{ detail: string }>)
      .map((r) => r.detail)
      .join('; ');
    expect(plan).toMatch(/SCAN messages USING (COVERING )?INDEX messages_group/);
    expect(plan).not.toMatch(/SCAN messages(?! USING)/);
    s.close();
  });

  it('with a filter: exact up to the cap, else the logical messages among the newest cap + 1 rows, said to be a lower bound', () => {
    const s = new MessageStore({ path: tempDb() });
    fill(s);
    const now = Date.now();
    // 'acme': 3 singles, the 3 parts, the 2 destinations, and the MO (for acme): 10 rows, 7 logical messages
    expect(distinctGroups(s, "WHERE system_id = 'acme' OR deliver_to = 'acme'")).toBe(7);
    expect(queryGroups(s.db, { systemId: 'acme' }, now, s.count())).toMatchObject({ total: 7 });
    expect(queryGroups(s.db, { systemId: 'acme' }, now, s.count()).totalIsLowerBound).toBeUndefined();
    expect(queryGroups(s.db, { systemId: 'acme' }, now, s.count(), 10).totalIsLowerBound).toBeUndefined();
    // a cap of 4 looks at the newest 5 rows: the MO's 2 parts, the 2 destinations, the last part; the page is whole
    const capped = queryGroups(s.db, { systemId: 'acme' }, now, s.count(), 4);
    expect(capped).toEqual({ total: 4, totalIsLowerBound: true, groupIds: [11, 10, 9, 6, 3, 2, 1] });
    expect(s.query({ systemId: 'other' })).toMatchObject({ total: 2 });
    s.close();
  });
});
