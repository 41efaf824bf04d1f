// A common row whose addresses are its submit_sm frame's, in ASCII, is written with them NULL in a file created now
// (store/pdu-fields.ts, ROW_KIND.ADDRS): readers take them from the frame, queries that filter on them read them
// from its octets. Every reader must see what a file of the version before (addresses NOT NULL, always written)
// gives for the same messages; an address that is not ASCII is written as before.
import { describe, expect, it } from 'vitest';
import { MESSAGES_DDL } from '../src/store/columns.js';
import { type MessageRecord, MessageStore } from '../src/store/index.js';
import { fileWithLayout, rawRows, submittedRecord } from './layout-files.js';
import { tempDbs } from './temp-db.js';

const tempDb = tempDbs('smsc-framed-');
const FUTURE = Date.now() + 3_600_000;

/** the messages table as the version before created it: the same, its addresses NOT NULL */
const BEFORE_DDL = MESSAGES_DDL.replace('source_addr TEXT,', 'source_addr TEXT NOT NULL,').replace(
  'dest_addr TEXT,',
  'dest_addr TEXT NOT NULL,',
);

/** a frame's addresses (the record's the same): ASCII, empty, and one octet above 0x7f (latin1 é) */
const ADDRS: Array<[string, string]> = [
  ['4412345', '447700900123'],
  ['', '447700900124'],
  ['caf\u00e9', '447700900125'],
  ['4412345', '447700900123'],
];

function message(id: number): MessageRecord {
  const [source, dest] = ADDRS[(id - 1) % ADDRS.length]!;
  const m = submittedRecord(id, FUTURE, { sourceAddr: source, destAddr: dest });
  // the frame with these addresses: rebuilt by the same helper's layout, the addresses replaced octet for octet
  const frame = m.pdu!;
  const body = Buffer.concat([
    frame.subarray(0, 17),
    Buffer.from([1, 1]),
    Buffer.from(`${source}\0`, 'latin1'),
    Buffer.from([1, 1]),
    Buffer.from(`${dest}\0`, 'latin1'),
    frame.subarray(17 + 2 + 4 + 2 + 4),
  ]);
  body.writeUInt32BE(body.length, 0);
  // as the submit_sm handler marks what it decoded from the frame (half of them: the other half compared octet by octet)
  const fromFrame = id % 4 === 3 || id % 4 === 0;
  return { ...m, pdu: body, shortMessage: body.subarray(body.length - m.shortMessage.length), fromFrame };
}

const nullAddrs = (s: MessageStore) =>
  (
    s.db.prepare('SELECT id FROM messages WHERE source_addr IS NULL AND dest_addr IS NULL').all() as Array<{
      id: number;
    }>
  ).map((r) => r.id);

describe('addresses from the frame', () => {
  it('read back, filtered and counted as in a file of the version before, through every reader', () => {
    const now = new MessageStore({ path: tempDb() });
    const before = new MessageStore({ path: fileWithLayout(tempDb(), BEFORE_DDL) });
    for (const s of [now, before]) {
      for (let i = 0; i < 8; i++) s.insert(message(s.allocateId()));
      s.flush();
    }
    // the ASCII ones written NULL (the one with é bound), none in the older file
    expect(nullAddrs(now)).toEqual([1, 2, 4, 5, 6, 8]);
    expect(nullAddrs(before)).toEqual([]);
    expect(rawRows(now)).toEqual(rawRows(before));
    for (let id = 1; id <= 8; id++) expect(now.get(id), `message ${id}`).toEqual(before.get(id));
    expect(now.get(3)?.sourceAddr).toBe('caf\u00e9');
    expect(now.get(2)?.sourceAddr).toBe('');
    for (const f of [{ from: '4412345' }, { to: '447700900124' }, { from: 'caf\u00e9' }, { from: '' }]) {
      const seen = now.query({ ...f, limit: 100 });
      expect(seen, JSON.stringify(f)).toEqual(before.query({ ...f, limit: 100 }));
      expect(seen.total, JSON.stringify(f)).toBeGreaterThan(0);
    }
    const found = now.findCancellable('acme', '4412345', '447700900123', '');
    expect(found.map((m) => m.id)).toEqual([1, 4, 5, 8]);
    expect(found).toEqual(before.findCancellable('acme', '4412345', '447700900123', ''));
    expect(now.findReplaceable('acme', '4412345', '447700900123', '')).toEqual(
      before.findReplaceable('acme', '4412345', '447700900123', ''),
    );
    const stats = { by: 'prefix', prefixLength: 12, windowMs: 10 * 365 * 86_400_000 } as const;
    expect(now.deliveryStats(stats).length).toBeGreaterThan(1);
    expect(now.deliveryStats(stats)).toEqual(before.deliveryStats(stats));
    now.close();
    before.close();
  });

  it('kept through a replace of the frame, a final state and a restart', () => {
    const path = tempDb();
    let s = new MessageStore({ path });
    s.insert(message(s.allocateId()));
    s.insert(message(s.allocateId()));
    s.flush();
    expect(nullAddrs(s)).toEqual([1, 2]);
    // submit_sm replacing the content: another frame (other addresses in it), the addresses of the first stay
    const other = message(2);
    s.replace(1, { pdu: other.pdu, shortMessage: other.shortMessage, text: '' }, 1_700_000_001_000, 'replaced');
    s.setState(2, 'DELIVERED', 0, 1_700_000_002_000, 'delivered');
    s.flush();
    expect(nullAddrs(s)).toEqual([2]);
    s.close();
    s = new MessageStore({ path });
    expect(s.get(1)).toMatchObject({ sourceAddr: '4412345', destAddr: '447700900123' });
    expect(s.get(2)).toMatchObject({ sourceAddr: '', destAddr: '447700900124', state: 'DELIVERED' });
    s.close();
  });
});
