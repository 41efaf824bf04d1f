// The columns a common row leaves to their DEFAULT (part_num … accept_detail: store/columns.ts CHECKED_IN_WRITERS)
// are nullable in a file created now, so SQLite checks no NOT NULL on them in every row; the writers that bind them
// check them instead. Readers see the same rows as in files of every older layout (session 8's: the same DEFAULTs,
// NOT NULL; the compact rows' and the whole rows' before it, no DEFAULTs), which keep opening and taking writes,
// and a NULL where a record has none fails its commit in every layout alike.
import { describe, expect, it } from 'vitest';
import { CHECKED_IN_WRITERS, ROW_KIND, rowShapes } from '../src/store/columns.js';
import { type MessageRecord, MessageStore } from '../src/store/index.js';
import { fileWithLayout, rawRows, submittedRecord } from './layout-files.js';
import { tempDbs } from './temp-db.js';

const tempDb = tempDbs('smsc-defaulted-');
const FUTURE = Date.now() + 3_600_000;

/** the messages table as session 8's version created it (DEFAULTs, every one NOT NULL) */
const S8_DDL = `CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY, mid TEXT, group_id INTEGER NOT NULL, part_num INTEGER NOT NULL DEFAULT 1,
  part_total INTEGER NOT NULL DEFAULT 1, direction TEXT NOT NULL DEFAULT 'MT',
  command TEXT NOT NULL DEFAULT 'submit_sm', system_id TEXT NOT NULL, deliver_to TEXT,
  service_type TEXT NOT NULL DEFAULT '', source_ton INTEGER, source_npi INTEGER, source_addr TEXT NOT NULL,
  dest_ton INTEGER, dest_npi INTEGER, dest_addr TEXT NOT NULL, esm_class INTEGER, protocol_id INTEGER,
  priority_flag INTEGER, registered_delivery INTEGER NOT NULL, data_coding INTEGER, short_message BLOB,
  text TEXT NOT NULL DEFAULT '', submitted_at INTEGER NOT NULL, schedule_at INTEGER, expire_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'ENROUTE', err INTEGER NOT NULL DEFAULT 0, done_at INTEGER,
  planned_state TEXT NOT NULL DEFAULT 'DELIVERED', planned_err INTEGER NOT NULL DEFAULT 0, due_at INTEGER,
  pdu BLOB, accept_detail TEXT NOT NULL DEFAULT 'accepted', done_detail TEXT, multi_id INTEGER
)`;
/** ... session 7's compact rows (no DEFAULTs, mid NOT NULL) */
const COMPACT_V1_DDL = S8_DDL.replace(/ DEFAULT ('[^']*'|\d+)/g, '').replace('mid TEXT,', 'mid TEXT NOT NULL,');
/** ... and the whole rows before them (every field of the request NOT NULL too) */
const WHOLE_DDL = COMPACT_V1_DDL.replace(
  /(source_ton|source_npi|dest_ton|dest_npi|esm_class|protocol_id|priority_flag|data_coding) INTEGER,/g,
  '$1 INTEGER NOT NULL,',
).replace('short_message BLOB,', 'short_message BLOB NOT NULL,');
const LAYOUTS = { s8: S8_DDL, compactV1: COMPACT_V1_DDL, whole: WHOLE_DDL };

const fileWith = (ddl: string): string => fileWithLayout(tempDb(), ddl);
/** a single-part submit_sm as accept() stores it */
const submitted = (id: number, over: Partial<MessageRecord> = {}): MessageRecord => submittedRecord(id, FUTURE, over);

/** messages 1..: common rows, another plan, concatenated parts, a submit_multi pair, another service type */
const over = (id: number): Partial<MessageRecord> =>
  (
    [
      {},
      { plannedState: 'UNDELIVERABLE', plannedErr: 5 },
      { groupId: id, partNum: 1, partTotal: 2 },
      { groupId: id - 1, partNum: 2, partTotal: 2 },
      { multiId: id, mid: 'm1' },
      { multiId: id - 1, mid: 'm1' },
      { serviceType: 'CMT', state: 'SCHEDULED' },
      { direction: 'MO', command: 'deliver_sm', systemId: '' },
    ] as Array<Partial<MessageRecord>>
  )[id % 8]!;

const notNullOf = (s: MessageStore) =>
  Object.fromEntries(
    (s.db.pragma('table_info(messages)') as Array<{ name: string; notnull: number }>).map((c) => [c.name, c.notnull]),
  );
const nullChecks = (s: MessageStore) => {
  const shape = rowShapes(s.db)(ROW_KIND.COMPACT | ROW_KIND.ID_MID | ROW_KIND.DELIVERED);
  const ops = s.db.prepare(`EXPLAIN ${shape.sql(1)}`).all(...Array(shape.bound).fill(null)) as Array<{
    opcode: string;
  }>;
  return ops.filter((o) => o.opcode === 'HaltIfNull').length;
};

describe('columns left to their DEFAULT, checked by the writers', () => {
  it('a file created now takes them nullable: a common row checks 5 NOT NULLs, not 18', () => {
    const now = new MessageStore({ path: tempDb() });
    const s8 = new MessageStore({ path: fileWith(S8_DDL) });
    const cols = notNullOf(now);
    const old = notNullOf(s8);
    expect([...CHECKED_IN_WRITERS].sort()).toEqual(
      [
        'part_num',
        'part_total',
        'direction',
        'command',
        'service_type',
        'text',
        'state',
        'err',
        'planned_state',
        'planned_err',
        'accept_detail',
        'source_addr',
        'dest_addr',
      ].sort(),
    );
    for (const [name, notnull] of Object.entries(old))
      expect(cols[name], name).toBe(CHECKED_IN_WRITERS.has(name) ? 0 : notnull);
    expect(nullChecks(now)).toBe(5);
    expect(nullChecks(s8)).toBe(18);
    now.close();
    s8.close();
  });

  it('rows read back alike in a file of every older layout, through every reader, after state changes and a replace', () => {
    const now = new MessageStore({ path: tempDb() });
    const olds = Object.values(LAYOUTS).map((ddl) => new MessageStore({ path: fileWith(ddl) }));
    for (const s of [now, ...olds]) {
      for (const n of [16, 1]) {
        for (let i = 0; i < n; i++) {
          const id = s.allocateId();
          s.insert(submitted(id, over(id)));
        }
        s.flush();
      }
      s.setState(1, 'DELIVERED', 0, 1_700_000_000_500, 'delivered');
      s.setState(9, 'ACCEPTED', 0, 1_700_000_000_600, 'held');
      s.replace(2, { text: 'new text', registeredDelivery: 0 }, 1_700_000_000_700, 'replace_sm');
      s.flush();
    }
    // the new file holds what session 8's did, column for column (its addresses, where NULL, in the frame)
    expect(rawRows(now)).toEqual(rawRows(olds[0]!));
    for (const s of olds) {
      for (let id = 1; id <= 17; id++) {
        expect(s.get(id)).toEqual(now.get(id));
        expect(s.history(id)).toEqual(now.history(id));
        expect(s.byIdWithMulti(id)).toEqual(now.byIdWithMulti(id));
        expect(s.group(id)).toEqual(now.group(id));
      }
      expect(s.query({ limit: 100 })).toEqual(now.query({ limit: 100 }));
      expect(s.query({ state: 'ENROUTE', limit: 100 })).toEqual(now.query({ state: 'ENROUTE', limit: 100 }));
      expect(s.pendingTransitions()).toEqual(now.pendingTransitions());
      expect(s.findCancellable('acme', '111', '222', '')).toEqual(now.findCancellable('acme', '111', '222', ''));
      expect(s.findReplaceable('acme', '111', '222', 'CMT')).toEqual(now.findReplaceable('acme', '111', '222', 'CMT'));
    }
    expect(now.get(2)).toMatchObject({ text: 'new text', registeredDelivery: 0 });
    expect(now.get(1)).toMatchObject({ state: 'DELIVERED' });
    expect(now.group(2).map((m) => m.partNum)).toEqual([1, 2]);
    expect(now.byIdWithMulti(4).map((m) => m.id)).toEqual([4, 5]);
    for (const s of [now, ...olds]) s.close();
  });

  it('a NULL where a record never has one fails its commit in every layout, and nothing of it is written', () => {
    for (const path of [tempDb(), ...Object.values(LAYOUTS).map(fileWith)]) {
      const s = new MessageStore({ path });
      const lost: number[] = [];
      s.onLostInserts = (ids) => lost.push(...ids);
      const outcome = (): boolean => {
        let ok: boolean | undefined;
        s.afterCommit((o) => {
          ok = o;
        });
        s.flush();
        return ok!;
      };
      const base = s.allocateId();
      s.insert(submitted(base));
      expect(outcome()).toBe(true);
      // an uncommon row (another service type) without its state; a common row without its plan; an unset accept detail
      const bad: Array<Partial<MessageRecord>> = [
        { serviceType: 'CMT', state: undefined as never },
        { plannedState: undefined as never },
        { plannedErr: null as never, plannedState: 'UNDELIVERABLE' },
        { partNum: null as never, partTotal: 2 },
      ];
      for (const b of bad) {
        const id = s.allocateId();
        s.insert(submitted(id, b));
        expect(outcome(), `${path}: ${JSON.stringify(b)}`).toBe(false);
        expect(s.get(id)).toBeUndefined();
      }
      // the accept detail: left out, the default ('accepted'); null, a NULL
      s.insert(submitted(s.allocateId()), undefined);
      expect(outcome()).toBe(true);
      const nullDetail = s.allocateId();
      s.insert(submitted(nullDetail), null as never);
      expect(outcome()).toBe(false);
      expect(lost).toEqual([base + 1, base + 2, base + 3, base + 4, nullDetail]);
      // a state or a replace without a value
      s.setState(base, null as never, 0, Date.now(), 'x');
      expect(outcome()).toBe(false);
      s.setState(base, 'DELIVERED', null as never, Date.now(), 'x');
      expect(outcome()).toBe(false);
      s.replace(base, { text: undefined as never }, Date.now(), 'replace_sm');
      expect(outcome()).toBe(false);
      expect(s.get(base)).toMatchObject({ state: 'ENROUTE', text: 'Your code is 123456' });
      expect(s.history(base)).toHaveLength(1);
      expect(s.count()).toBe(2);
      s.close();
    }
  });
});
