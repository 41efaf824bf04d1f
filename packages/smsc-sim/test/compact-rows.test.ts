// Compact rows (store/pdu-fields.ts): a common row whose submit_sm frame holds its TON/NPI, esm_class, protocol_id,
// priority_flag, data_coding and short_message is written without them and read back from the frame. Readers must
// see exactly what a whole row gives; files of versions before compact rows keep every row whole.
import { encodePdu } from '@smppkit/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type MessageRecord, MessageStore } from '../src/store/index.js';
import { messageRecord } from './records.js';
import { tempDbs } from './temp-db.js';

/** a planned outcome still ahead while the test runs */
const FUTURE = Date.now() + 3_600_000;
const tempDb = tempDbs('smsc-compact-');

/** The messages table as versions before compact rows created it (every column of the request NOT NULL). */
const LEGACY_MESSAGES_DDL = `CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY, mid TEXT NOT NULL, group_id INTEGER NOT NULL, part_num INTEGER NOT NULL,
  part_total INTEGER NOT NULL, direction TEXT NOT NULL, command TEXT NOT NULL, system_id TEXT NOT NULL,
  deliver_to TEXT, service_type TEXT NOT NULL, source_ton INTEGER NOT NULL, source_npi INTEGER NOT NULL,
  source_addr TEXT NOT NULL, dest_ton INTEGER NOT NULL, dest_npi INTEGER NOT NULL, dest_addr TEXT NOT NULL,
  esm_class INTEGER NOT NULL, protocol_id INTEGER NOT NULL, priority_flag INTEGER NOT NULL,
  registered_delivery INTEGER NOT NULL, data_coding INTEGER NOT NULL, short_message BLOB NOT NULL,
  text TEXT NOT NULL, submitted_at INTEGER NOT NULL, schedule_at INTEGER, expire_at INTEGER NOT NULL,
  state TEXT NOT NULL, err INTEGER NOT NULL, done_at INTEGER, planned_state TEXT NOT NULL,
  planned_err INTEGER NOT NULL, due_at INTEGER, pdu BLOB, accept_detail TEXT NOT NULL, done_detail TEXT,
  multi_id INTEGER
)`;

function legacyFile(): string {
  const path = tempDb();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(LEGACY_MESSAGES_DDL);
  db.close();
  return path;
}

interface Submit {
  serviceType?: string;
  sourceTon?: number;
  sourceNpi?: number;
  source?: string;
  destTon?: number;
  destNpi?: number;
  dest?: string;
  esmClass?: number;
  protocolId?: number;
  priorityFlag?: number;
  registeredDelivery?: number;
  dataCoding?: number;
  sm?: Buffer;
  payload?: Buffer;
}

/** A submit_sm frame and the record accept() builds from it (a single part, accepted as it came). */
function submitted(id: number, s: Submit = {}): MessageRecord {
  const p = {
    serviceType: '',
    sourceTon: 1,
    sourceNpi: 1,
    source: '4412345',
    destTon: 1,
    destNpi: 1,
    dest: '447700900123',
    esmClass: 0,
    protocolId: 0,
    priorityFlag: 0,
    registeredDelivery: 1,
    dataCoding: 0,
    sm: Buffer.from('Your code is 123456'),
    ...s,
  };
  const frame = encodePdu({
    command: 'submit_sm',
    command_status: 0,
    sequence_number: id,
    service_type: p.serviceType,
    source_addr_ton: p.sourceTon,
    source_addr_npi: p.sourceNpi,
    source_addr: p.source,
    dest_addr_ton: p.destTon,
    dest_addr_npi: p.destNpi,
    destination_addr: p.dest,
    esm_class: p.esmClass,
    protocol_id: p.protocolId,
    priority_flag: p.priorityFlag,
    schedule_delivery_time: '',
    validity_period: '000001000000000R',
    registered_delivery: p.registeredDelivery,
    replace_if_present_flag: 0,
    data_coding: p.dataCoding,
    sm_default_msg_id: 0,
    short_message: p.payload ? Buffer.alloc(0) : p.sm,
    ...(p.payload ? { tlvs: { message_payload: p.payload } } : {}),
  } as never);
  return messageRecord(id, {
    mid: String(id),
    serviceType: p.serviceType,
    sourceTon: p.sourceTon,
    sourceNpi: p.sourceNpi,
    sourceAddr: p.source,
    destTon: p.destTon,
    destNpi: p.destNpi,
    destAddr: p.dest,
    esmClass: p.esmClass,
    protocolId: p.protocolId,
    priorityFlag: p.priorityFlag,
    registeredDelivery: p.registeredDelivery,
    dataCoding: p.dataCoding,
    shortMessage: p.payload ?? p.sm,
    text: '',
    dueAt: FUTURE,
    pdu: Buffer.from(frame),
  });
}

const CASES: Array<[string, Submit]> = [
  ['plain GSM text', {}],
  [
    'other TON/NPI, esm_class, protocol_id, priority',
    { sourceTon: 5, sourceNpi: 0, destTon: 2, destNpi: 9, esmClass: 0x80, protocolId: 0x7f, priorityFlag: 3 },
  ],
  ['UCS-2', { dataCoding: 8, sm: Buffer.from('00480069', 'hex') }],
  ['UDHI set, no concatenation', { esmClass: 0x40, sm: Buffer.from('0504160400004869', 'hex') }],
  ['empty short_message', { sm: Buffer.alloc(0) }],
  ['user data in message_payload (kept whole)', { payload: Buffer.from('long text '.repeat(30)) }],
  ['a service_type (not a common row)', { serviceType: 'CMT' }],
  ['no receipt asked', { registeredDelivery: 0 }],
];

const derivedNull = (s: MessageStore, id: number) =>
  (
    s.db.prepare('SELECT source_ton IS NULL AND short_message IS NULL AS c FROM messages WHERE id = ?').get(id) as {
      c: number;
    }
  ).c === 1;

describe('compact rows', () => {
  it('read back exactly as the same message written whole (a file of an older version), through every reader', () => {
    const compact = new MessageStore({ path: tempDb() });
    const whole = new MessageStore({ path: legacyFile() });
    const compactOnes: boolean[] = [];
    for (const [, c] of CASES) {
      for (const s of [compact, whole]) s.insert(submitted(s.allocateId(), c));
    }
    compact.flush();
    whole.flush();
    for (let id = 1; id <= CASES.length; id++) {
      compactOnes.push(derivedNull(compact, id));
      expect(derivedNull(whole, id)).toBe(false);
      expect(compact.get(id), CASES[id - 1]![0]).toEqual(whole.get(id));
      expect(compact.history(id)).toEqual(whole.history(id));
    }
    // what was written compact: every common row whose frame holds its fields
    expect(compactOnes).toEqual([true, true, true, true, true, false, false, true]);
    expect(compact.query({ limit: 100 })).toEqual(whole.query({ limit: 100 }));
    for (const s of [compact, whole]) s.setState(1, 'DELIVERED', 0, Date.now(), 'delivered');
    const found = [compact, whole].map((s) => s.findCancellable('acme', '4412345', '447700900123', ''));
    expect(found[0]!.length).toBeGreaterThan(1);
    expect(found[0]).toEqual(found[1]);
    expect(compact.findReplaceable('acme', '4412345', '447700900123', '')).toEqual(
      whole.findReplaceable('acme', '4412345', '447700900123', ''),
    );
    compact.close();
    whole.close();
  });

  it('a replace keeps the fields the first request gave that it does not change, as in a whole row', () => {
    const compact = new MessageStore({ path: tempDb() });
    const whole = new MessageStore({ path: legacyFile() });
    const first: Submit = { sourceTon: 5, sourceNpi: 9, destTon: 2, destNpi: 8, protocolId: 0x41, priorityFlag: 2 };
    for (const s of [compact, whole]) {
      s.insert(submitted(s.allocateId(), first));
      s.insert(submitted(s.allocateId(), first));
    }
    compact.flush();
    expect(derivedNull(compact, 1) && derivedNull(compact, 2)).toBe(true);
    // submit_sm with replace_if_present_flag: a new frame (other TON/NPI), its user data and flags
    const again = submitted(99, { dataCoding: 8, esmClass: 0x40, sm: Buffer.from('0504160400004869', 'hex') });
    const byResubmit: Partial<MessageRecord> = {
      shortMessage: again.shortMessage,
      text: 'new',
      esmClass: again.esmClass,
      dataCoding: again.dataCoding,
      registeredDelivery: 0,
      submittedAt: 1_700_000_001_000,
      pdu: again.pdu,
    };
    // replace_sm: the user data alone (the frame stays)
    const byReplaceSm: Partial<MessageRecord> = { shortMessage: Buffer.from('replaced'), text: 'replaced' };
    for (const s of [compact, whole]) {
      s.replace(1, byResubmit, 1_700_000_001_000, 'replaced by submit_sm');
      s.replace(2, byReplaceSm, 1_700_000_001_000, 'replace_sm');
    }
    for (const id of [1, 2]) {
      expect(compact.get(id)).toEqual(whole.get(id));
      expect(compact.history(id)).toEqual(whole.history(id));
    }
    expect(compact.get(1)).toMatchObject({ sourceTon: 5, sourceNpi: 9, destTon: 2, destNpi: 8, protocolId: 0x41 });
    expect(compact.get(1)?.dataCoding).toBe(8);
    compact.close();
    whole.close();
  });

  it('a file of a version before compact rows opens, reads its rows, and takes new ones whole', () => {
    const path = legacyFile();
    const old = new Database(path);
    const m = submitted(1);
    // a row as the old version wrote it (every column)
    old
      .prepare(
        `INSERT INTO messages (id,mid,group_id,part_num,part_total,direction,command,system_id,deliver_to,service_type,source_ton,source_npi,source_addr,dest_ton,dest_npi,dest_addr,esm_class,protocol_id,priority_flag,registered_delivery,data_coding,short_message,text,submitted_at,schedule_at,expire_at,state,err,done_at,planned_state,planned_err,due_at,pdu,accept_detail,multi_id)
         VALUES (1,'1',1,1,1,'MT','submit_sm','acme',NULL,'',1,1,'4412345',1,1,'447700900123',0,0,0,1,0,?,'',?,NULL,?,'ENROUTE',0,NULL,'DELIVERED',0,?,?,'accepted',NULL)`,
      )
      .run(m.shortMessage, m.submittedAt, m.expireAt, m.dueAt, m.pdu);
    old.close();
    let s = new MessageStore({ path });
    expect(s.get(1)).toEqual({ ...m, multiId: null, text: 'Your code is 123456' });
    s.insert(submitted(s.allocateId()));
    s.close();
    s = new MessageStore({ path });
    expect(derivedNull(s, 2)).toBe(false);
    expect(s.get(2)).toEqual({ ...submitted(2), multiId: null, text: 'Your code is 123456' });
    expect(s.count()).toBe(2);
    s.close();
  });
});
