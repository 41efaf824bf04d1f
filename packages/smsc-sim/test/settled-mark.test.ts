// The settled mark (store/settled.ts): a store reopened on a file reads, at its start, only the messages above the
// first one that still needs something (a receipt owed, a transition planned) — and still finds every one of those.
import { describe, expect, it } from 'vitest';
import { Checkpointer } from '../src/store/checkpointer.js';
import { type MessageRecord, MessageStore } from '../src/store/index.js';
import { messageRecord } from './records.js';
import { tempDbs } from './temp-db.js';

const tempDb = tempDbs('smsc-settled-');

const now = Date.now();
/** delivered, asking for a receipt */
const delivered = (s: MessageStore, over: Partial<MessageRecord> = {}) =>
  messageRecord(s.allocateId(), { state: 'DELIVERED', doneAt: now - 1000, dueAt: null, ...over });
function ackReceipt(s: MessageStore, m: MessageRecord): void {
  const r = s.enqueueOutbox('receipt', m.id, m.systemId, now);
  r.status = 'acked';
  r.attempts = 1;
  s.setOutboxStatus(r);
}
function reopen(s: MessageStore, path: string): MessageStore {
  s.flush();
  s.close();
  return new MessageStore({ path });
}

describe('the settled mark', () => {
  it('stops below the first message that owes a receipt, finds it at the restart, and moves on once it is sent', () => {
    const path = tempDb();
    let s = new MessageStore({ path });
    const ms = [1, 2, 3, 4, 5].map(() => delivered(s));
    for (const m of ms) s.insert(m);
    for (const m of ms) if (m !== ms[2]) ackReceipt(s, m);
    s = reopen(s, path);
    expect(s.settled.through).toBe(ms[2]!.id - 1);
    expect(s.owed.receiptsWithoutRow(now, s.lastId)).toEqual([
      { systemId: 'acme', kind: 'receipt', n: 1, first: ms[2]!.id },
    ]);
    ackReceipt(s, ms[2]!);
    s = reopen(s, path);
    expect(s.settled.through).toBe(ms[4]!.id);
    expect(s.owed.receiptsWithoutRow(now, s.lastId)).toEqual([]);
    // written after the open: above the mark, found at the next one
    const late = delivered(s);
    s.insert(late);
    s = reopen(s, path);
    expect(s.owed.receiptsWithoutRow(now, s.lastId)).toEqual([
      { systemId: 'acme', kind: 'receipt', n: 1, first: late.id },
    ]);
    s.close();
  });

  it('a transition planned for an account keeps the mark below it', () => {
    const path = tempDb();
    let s = new MessageStore({ path });
    const done = delivered(s, { registeredDelivery: 0 });
    const toOther = messageRecord(s.allocateId(), {
      dueAt: now + 3_600_000,
      deliverTo: 'other',
      registeredDelivery: 0,
    });
    s.insert(done);
    s.insert(toOther);
    s = reopen(s, path);
    expect(s.settled.through).toBe(done.id);
    expect(s.owed.plannedTransitions(now).map((t) => t.id)).toEqual([toOther.id]);
    s.close();
  });

  it('a message below the mark that is replaced (now asking for a receipt) is found at the next start', () => {
    const path = tempDb();
    let s = new MessageStore({ path });
    // pending, implicit, no receipt asked: needs nothing at a restart
    const m = messageRecord(s.allocateId(), { registeredDelivery: 0, dueAt: now + 3_600_000 });
    s.insert(m);
    s = reopen(s, path);
    expect(s.settled.through).toBe(m.id);
    s.replace(m.id, { registeredDelivery: 1 }, now, 'replaced');
    expect(s.settled.through).toBe(m.id - 1);
    s = reopen(s, path);
    expect(s.owed.plannedTransitions(now).map((t) => t.id)).toEqual([m.id]);
    s.close();
  });

  it('a state change of a message below the mark lowers it too', () => {
    const path = tempDb();
    let s = new MessageStore({ path });
    const m = messageRecord(s.allocateId(), { registeredDelivery: 0, dueAt: now + 3_600_000 });
    s.insert(m);
    s = reopen(s, path);
    s.setState(m.id, 'DELETED', 0, now, 'cancelled');
    expect(s.settled.through).toBe(m.id - 1);
    s.close();
  });

  it('after DELETE of every message the ids start again from 1 and the mark with them', () => {
    const path = tempDb();
    let s = new MessageStore({ path });
    for (let i = 0; i < 3; i++) s.insert(delivered(s, { registeredDelivery: 0 }));
    s = reopen(s, path);
    expect(s.settled.through).toBe(3);
    s.deleteAll();
    s = reopen(s, path);
    const again = delivered(s);
    expect(again.id).toBe(1);
    s.insert(again);
    s = reopen(s, path);
    expect(s.owed.receiptsWithoutRow(now, s.lastId)).toEqual([{ systemId: 'acme', kind: 'receipt', n: 1, first: 1 }]);
    s.close();
  });

  it('moves up while the simulator runs, once the file is idle: the checkpoint worker scans a chunk at a time', async () => {
    const path = tempDb();
    const s = new MessageStore({ path });
    const errors: string[] = [];
    const ckpt = new Checkpointer(s, (m) => errors.push(m), { intervalMs: 5, settleRows: 7 });
    // the 20th owes its receipt: the mark stops below it
    const ms = Array.from({ length: 30 }, (_, i) => delivered(s, i === 19 ? {} : { registeredDelivery: 0 }));
    for (const m of ms) s.insert(m);
    s.flush();
    const stored = () =>
      (s.db.prepare("SELECT value FROM store_meta WHERE key = 'settled_through'").get() as { value: number }).value;
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    const owed = ms[19]!;
    expect(owed.id).toBe(ms[0]!.id + 19);
    await until(() => s.settled.through === owed.id - 1);
    expect(s.settled.through).toBe(owed.id - 1);
    expect(stored()).toBe(owed.id - 1);
    ackReceipt(s, owed);
    s.flush();
    await until(() => s.settled.through === s.lastId);
    expect(s.settled.through).toBe(s.lastId);
    expect(stored()).toBe(s.lastId);
    await ckpt.stop();
    expect(errors).toEqual([]);
    s.close();
  });

  describe('under steady writes (never 100 ms idle), past its backlog', () => {
    const BACKLOG = 2000;
    /** writes `perTurn` delivered messages (no receipt asked) a turn, committed, ~2 ms apart, until `done` */
    async function writeUntil(s: MessageStore, done: () => boolean | Promise<boolean>, perTurn = 20): Promise<void> {
      const t0 = Date.now();
      while (!(await done()) && Date.now() - t0 < 20_000) {
        for (let i = 0; i < perTurn; i++) s.insert(delivered(s, { registeredDelivery: 0 }));
        s.flush();
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    const stored = (s: MessageStore) =>
      (s.db.prepare("SELECT value FROM store_meta WHERE key = 'settled_through'").get() as { value: number }).value;

    it('moves up a chunk a tick, and a restart reads only the rows above it', async () => {
      const path = tempDb();
      let s = new MessageStore({ path, settleBacklog: BACKLOG });
      const errors: string[] = [];
      const ckpt = new Checkpointer(s, (m) => errors.push(m), { settleRows: 1000 });
      await writeUntil(s, () => s.settled.through >= 3 * BACKLOG);
      expect(s.settled.through).toBeGreaterThanOrEqual(3 * BACKLOG);
      expect((await ckpt.stats()).settleScansUnderLoad).toBeGreaterThan(0);
      // closed while still writing: no idle moment for the worker
      for (let i = 0; i < 20; i++) s.insert(delivered(s, { registeredDelivery: 0 }));
      await ckpt.stop();
      const mark = s.settled.through;
      const last = s.lastId;
      s.flush();
      expect(mark).toBeGreaterThanOrEqual(3 * BACKLOG);
      expect(stored(s)).toBe(mark);
      s.close();
      s = new MessageStore({ path, settleBacklog: BACKLOG });
      expect(s.settled.readAtOpen).toBe(last - mark);
      expect(s.settled.through).toBe(last);
      expect(errors).toEqual([]);
      s.close();
    });

    it('a receipt still owed below the backlog stops it, found at the restart; once acknowledged it moves on', async () => {
      const path = tempDb();
      let s = new MessageStore({ path, settleBacklog: BACKLOG });
      const errors: string[] = [];
      let ckpt = new Checkpointer(s, (m) => errors.push(m), { settleRows: 1000 });
      for (let i = 0; i < 99; i++) s.insert(delivered(s, { registeredDelivery: 0 }));
      const owed = delivered(s); // delivered, its receipt not acknowledged
      s.insert(owed);
      // written on past the backlog, long enough for a few scans under load
      const scans = async () => (await ckpt.stats()).settleScansUnderLoad;
      await writeUntil(s, async () => s.lastId > 4 * BACKLOG && (await scans()) >= 3);
      expect(await scans()).toBeGreaterThanOrEqual(3);
      expect(s.settled.through).toBe(owed.id - 1);
      expect(stored(s)).toBe(owed.id - 1);
      await ckpt.stop();
      const last = s.lastId;
      s = reopen(s, path);
      expect(s.settled.readAtOpen).toBe(last - (owed.id - 1));
      expect(s.owed.receiptsWithoutRow(now, s.lastId)).toEqual([
        { systemId: 'acme', kind: 'receipt', n: 1, first: owed.id },
      ]);
      s.close();
      s = new MessageStore({ path, settleBacklog: BACKLOG });
      ckpt = new Checkpointer(s, (m) => errors.push(m), { settleRows: 1000 });
      ackReceipt(s, owed);
      await writeUntil(s, () => s.settled.through > owed.id + BACKLOG);
      expect(s.settled.through).toBeGreaterThan(owed.id + BACKLOG);
      await ckpt.stop();
      expect(errors).toEqual([]);
      s.close();
    });
  });
});
