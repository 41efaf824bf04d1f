// The kinds of common row (store/columns.ts ROW_KIND): a compact row whose message id is its id in hex is written
// without its mid (NULL) in a file that takes it, and the usual plan (DELIVERED, error 0) is written as constants.
// Readers must see what a whole row gives; files of the versions before (mid NOT NULL: session 7's compact rows,
// and the whole rows before them) keep opening, reading and taking writes, their mids bound.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type MessageRecord, MessageStore } from '../src/store/index.js';
import { isHexFormOf } from '../src/store/message-id.js';
import { fileWithLayout, rawRows, submittedRecord } from './layout-files.js';
import { tempDbs } from './temp-db.js';

const FUTURE = Date.now() + 3_600_000;
const tempDb = tempDbs('smsc-idmid-');

/** The messages table as the version with compact rows but before id mids created it (mid NOT NULL). */
const COMPACT_V1_DDL = `CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY, mid TEXT NOT NULL, group_id INTEGER NOT NULL, part_num INTEGER NOT NULL,
  part_total INTEGER NOT NULL, direction TEXT NOT NULL, command TEXT NOT NULL, system_id TEXT NOT NULL,
  deliver_to TEXT, service_type TEXT NOT NULL, source_ton INTEGER, source_npi INTEGER,
  source_addr TEXT NOT NULL, dest_ton INTEGER, dest_npi INTEGER, dest_addr TEXT NOT NULL,
  esm_class INTEGER, protocol_id INTEGER, priority_flag INTEGER,
  registered_delivery INTEGER NOT NULL, data_coding INTEGER, short_message BLOB,
  text TEXT NOT NULL, submitted_at INTEGER NOT NULL, schedule_at INTEGER, expire_at INTEGER NOT NULL,
  state TEXT NOT NULL, err INTEGER NOT NULL, done_at INTEGER, planned_state TEXT NOT NULL,
  planned_err INTEGER NOT NULL, due_at INTEGER, pdu BLOB, accept_detail TEXT NOT NULL, done_detail TEXT,
  multi_id INTEGER
)`;
/** ... and before compact rows (every column of the request NOT NULL too) */
const WHOLE_DDL = COMPACT_V1_DDL.replace(
  /(source_ton|source_npi|dest_ton|dest_npi|esm_class|protocol_id|priority_flag|data_coding) INTEGER,/g,
  '$1 INTEGER NOT NULL,',
).replace('short_message BLOB,', 'short_message BLOB NOT NULL,');

const fileWith = (ddl: string): string => fileWithLayout(tempDb(), ddl);
/** a single-part submit_sm as accept() stores it */
const submitted = (id: number, over: Partial<MessageRecord> = {}): MessageRecord => submittedRecord(id, FUTURE, over);

/** the mids and plans of messages 1.. (ids 10 and 11: mids as decimal and a submit_multi's shared one) */
const kinds = (id: number): Partial<MessageRecord> =>
  id === 10
    ? { mid: '10' }
    : id === 11
      ? { mid: 'a' }
      : id % 3 === 0
        ? { plannedState: 'UNDELIVERABLE', plannedErr: 5 }
        : id % 3 === 1
          ? {}
          : { plannedState: 'DELIVERED', plannedErr: 7 };

const rawMid = (s: MessageStore, id: number) =>
  (s.db.prepare('SELECT mid FROM messages WHERE id = ?').get(id) as { mid: string | null }).mid;

describe('id mids and the usual plan written as constants', () => {
  it('read back as the same rows in a file of every older layout, through every reader', () => {
    const now = new MessageStore({ path: tempDb() });
    const v1 = new MessageStore({ path: fileWith(COMPACT_V1_DDL) });
    const whole = new MessageStore({ path: fileWith(WHOLE_DDL) });
    const stores = [now, v1, whole];
    // two commits: runs of each kind, and a run of one
    for (const n of [12, 1])
      for (const s of stores) {
        for (let i = 0; i < n; i++) {
          const id = s.allocateId();
          s.insert(submitted(id, kinds(id)));
        }
        s.flush();
      }
    for (let id = 1; id <= 13; id++) {
      const seen = now.get(id);
      expect(seen?.mid).toBe(kinds(id).mid ?? id.toString(16));
      expect(seen?.plannedState).toBe(kinds(id).plannedState ?? 'DELIVERED');
      for (const s of [v1, whole]) {
        expect(s.get(id)).toEqual(seen);
        expect(s.history(id)).toEqual(now.history(id));
        expect(rawMid(s, id)).toBe(seen?.mid);
      }
      // written without its mid: its mid is its id in hex (not 10: decimal; not 11: another message's)
      expect(rawMid(now, id)).toBe(id === 10 || id === 11 ? seen?.mid : null);
    }
    // the columns left to the new file's DEFAULTs hold what the older file's INSERT wrote as literals
    expect(rawRows(now)).toEqual(rawRows(v1));
    expect(now.byIdWithMulti(11)).toEqual(whole.byIdWithMulti(11));
    expect(now.group(1)).toEqual(whole.group(1));
    expect(now.query({ limit: 100 })).toEqual(whole.query({ limit: 100 }));
    expect(now.pendingTransitions()).toEqual(whole.pendingTransitions());
    expect(now.findCancellable('acme', '111', '222', '')).toEqual(whole.findCancellable('acme', '111', '222', ''));
    expect(now.findReplaceable('acme', '111', '222', '')).toEqual(whole.findReplaceable('acme', '111', '222', ''));
    for (const s of stores) s.close();
  });

  it('a row written without its mid keeps it through a replace and a final state, and after a restart', () => {
    const path = tempDb();
    let s = new MessageStore({ path });
    s.insert(submitted(s.allocateId()));
    s.insert(submitted(s.allocateId()));
    s.flush();
    expect(rawMid(s, 1)).toBeNull();
    const again = submitted(99, { shortMessage: Buffer.from('new text') });
    s.replace(1, { shortMessage: again.shortMessage, text: 'new text', pdu: again.pdu }, Date.now(), 'replaced');
    s.setState(2, 'DELIVERED', 0, Date.now(), 'delivered');
    s.close();
    s = new MessageStore({ path });
    expect(s.get(1)).toMatchObject({ mid: '1', text: 'new text' });
    expect(s.get(2)).toMatchObject({ mid: '2', state: 'DELIVERED' });
    s.close();
  });

  it('a file of the compact-row version opens, reads its rows, and takes new ones with their mids', () => {
    const path = fileWith(COMPACT_V1_DDL);
    const old = new Database(path);
    const m = submitted(1);
    // a compact row as that version wrote it
    old
      .prepare(
        `INSERT INTO messages (id,mid,group_id,part_num,part_total,direction,command,system_id,deliver_to,service_type,source_addr,dest_addr,registered_delivery,text,submitted_at,schedule_at,expire_at,state,err,done_at,planned_state,planned_err,due_at,pdu,accept_detail,multi_id)
         VALUES (1,'1',1,1,1,'MT','submit_sm','acme',NULL,'','111','222',1,'',?,NULL,?,'ENROUTE',0,NULL,'DELIVERED',0,?,?,'accepted',NULL)`,
      )
      .run(m.submittedAt, m.expireAt, m.dueAt, m.pdu);
    old.close();
    let s = new MessageStore({ path });
    expect(s.get(1)).toEqual({ ...m, multiId: null, text: 'Your code is 123456' });
    s.insert(submitted(s.allocateId()));
    s.close();
    s = new MessageStore({ path });
    expect(rawMid(s, 2)).toBe('2');
    expect(s.get(2)).toEqual({ ...submitted(2), multiId: null, text: 'Your code is 123456' });
    expect(s.count()).toBe(2);
    s.close();
  });

  it('isHexFormOf says whether a mid is the id in lower-case hex, exactly', () => {
    for (const id of [1, 9, 10, 15, 16, 255, 256, 4095, 123_456_789, 2 ** 53 - 1]) {
      const hex = id.toString(16);
      expect(isHexFormOf(hex, id)).toBe(true);
      expect(isHexFormOf(`0${hex}`, id)).toBe(false);
      expect(isHexFormOf(`${hex}0`, id)).toBe(false);
      expect(isHexFormOf(hex.slice(1), id)).toBe(false);
      if (/[a-f]/.test(hex)) expect(isHexFormOf(hex.toUpperCase(), id)).toBe(false);
    }
    expect(isHexFormOf('10', 10)).toBe(false);
    expect(isHexFormOf('', 1)).toBe(false);
    expect(isHexFormOf('0', 0)).toBe(false);
  });
});
