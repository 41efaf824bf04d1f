import { describe, expect, it } from 'vitest';
import { type MessageRecord, MessageStore } from '../src/store/index.js';
import { messageRecord } from './records.js';
import { tempDbs } from './temp-db.js';

const tempDb = tempDbs('smsc-store-');

function record(store: MessageStore, over: Partial<MessageRecord> = {}): MessageRecord {
  return messageRecord(store.allocateId(), over);
}

describe('MessageStore on a SQLite file', () => {
  it('runs afterCommit callbacks only once the write is in the file, and a reopened store has it', async () => {
    const path = tempDb();
    const s = new MessageStore({ path });
    const m = record(s);
    s.insert(m);
    const seen = await new Promise<number>((resolve) =>
      s.afterCommit(() => {
        // a second connection on the same file sees the committed row while the first is still open
        const other = new MessageStore({ path });
        const n = other.count();
        other.close();
        resolve(n);
      }),
    );
    expect(seen).toBe(1);
    s.close();
    const again = new MessageStore({ path });
    expect(again.get(m.id)).toMatchObject({
      mid: m.mid,
      text: 'hello',
      state: 'DELIVERED',
      shortMessage: Buffer.from('hello'),
    }); // reached its plan
    expect(again.allocateId()).toBe(m.id + 1);
    expect(again.pendingTransitions()).toEqual([
      {
        id: m.id,
        at: m.dueAt,
        state: 'DELIVERED',
        err: 0,
        registeredDelivery: 1,
        systemId: 'acme',
        direction: 'MT',
        deliverTo: null,
      },
    ]);
    again.close();
  });

  it('commits at once when maxGroupCommit callers wait, and the rest at the end of the turn', async () => {
    const path = tempDb();
    const s = new MessageStore({ path }, 4);
    const order: string[] = [];
    for (let i = 0; i < 10; i++) {
      s.insert(record(s));
      s.afterCommit((ok) => order.push(`${i}:${ok}`));
    }
    // two groups of four committed synchronously, in order; each callback saw its row in the file
    expect(order).toEqual(['0:true', '1:true', '2:true', '3:true', '4:true', '5:true', '6:true', '7:true']);
    const other = new MessageStore({ path });
    expect(other.count()).toBe(8);
    other.close();
    await new Promise((r) => setImmediate(r));
    expect(order).toHaveLength(10);
    expect(s.count()).toBe(10);
    s.close();
  });

  it('records the state history and the outbox queue', () => {
    const s = new MessageStore({ path: tempDb() });
    const m = record(s);
    s.insert(m);
    s.setState(m.id, 'DELIVERED', 0, m.submittedAt + 100, 'scenario: default');
    const o = s.enqueueOutbox('mo', m.id, 'acme', m.submittedAt + 100);
    expect(s.openOutbox()).toEqual([{ ...o }]);
    o.status = 'acked';
    s.setOutboxStatus(o);
    expect(s.openOutbox()).toEqual([]);
    // a receipt has no row until its first outcome; a retry is one
    const r = s.enqueueOutbox('receipt', m.id, 'acme', m.submittedAt + 100);
    expect(r.stored).toBe(false);
    expect(s.outboxOf(m.id)).toHaveLength(1);
    r.status = 'queued';
    r.attempts = 1;
    s.setOutboxStatus(r);
    expect(s.openOutbox()).toEqual([{ ...r }]);
    r.status = 'acked';
    r.attempts = 2;
    s.setOutboxStatus(r);
    expect(s.openOutbox()).toEqual([]);
    expect(s.outboxOf(m.id).map((x) => [x.kind, x.status, x.attempts])).toEqual([
      ['mo', 'acked', 0],
      ['receipt', 'acked', 2],
    ]);
    expect(s.history(m.id).map((h) => h.state)).toEqual(['ENROUTE', 'DELIVERED']);
    expect(s.get(m.id)).toMatchObject({ state: 'DELIVERED', doneAt: m.submittedAt + 100, dueAt: null });
    s.close();
  });

  it('lists after a restart every receipt still owed: planned, or final with neither an outbox row nor an acknowledged run', () => {
    const path = tempDb();
    const s = new MessageStore({ path });
    const past = Date.now() - 1000;
    const future = Date.now() + 3_600_000;
    const due = record(s, { dueAt: past }); // reached its planned DELIVERED: receipt owed
    const later = record(s, { dueAt: future }); // not yet
    // receipts acknowledged at the first attempt (runs of ids, acknowledged out of order, over two commits)
    const acked = [1, 2, 3, 4].map(() => record(s, { dueAt: past }));
    const cancelled = record(s, { dueAt: future }); // finalized explicitly: DELETED, receipt owed
    const none = record(s, { dueAt: past, registeredDelivery: 0 });
    const retried = record(s, { dueAt: past }); // its receipt was refused once: it has an outbox row, queued
    const forOther = record(s, { dueAt: null, deliverTo: 'other' }); // delivered to another account: receipt owed
    const toOther = record(s, { dueAt: future, deliverTo: 'other' }); // not delivered yet: its transition only
    for (const m of [due, later, ...acked, cancelled, none, retried, forOther, toOther]) s.insert(m);
    s.setState(cancelled.id, 'DELETED', 0, past + 10, 'cancel_sm');
    s.setState(forOther.id, 'DELIVERED', 0, past + 20, 'delivered to other');
    const ack = (m: MessageRecord, attempts = 1, status: 'acked' | 'queued' = 'acked') => {
      const r = s.enqueueOutbox('receipt', m.id, 'acme', past);
      r.status = status;
      r.attempts = attempts;
      s.setOutboxStatus(r);
    };
    ack(acked[3]);
    ack(acked[0]);
    s.flush();
    ack(acked[2]);
    ack(acked[1]);
    ack(retried, 1, 'queued');
    s.close();
    const again = new MessageStore({ path });
    const pending = again.pendingTransitions().sort((a, b) => a.id - b.id);
    expect(pending.map((t) => [t.id, t.state, t.at])).toEqual([
      [due.id, 'DELIVERED', past],
      [later.id, 'DELIVERED', future],
      [cancelled.id, 'DELETED', past + 10],
      [forOther.id, 'DELIVERED', past + 20],
      [toOther.id, 'DELIVERED', future],
    ]);
    expect(again.openOutbox().map((o) => o.messageId)).toEqual([retried.id]);
    for (const m of acked) {
      expect(again.outboxOf(m.id)).toEqual([
        {
          id: 0,
          kind: 'receipt',
          messageId: m.id,
          systemId: 'acme',
          dueAt: expect.any(Number),
          attempts: 1,
          status: 'acked',
          stored: true,
        },
      ]);
    }
    expect(again.outboxOf(due.id)).toEqual([]);
    expect(again.outboxOf(retried.id).map((o) => o.status)).toEqual(['queued']);
    // the implicit transition is what readers see, receipt or not
    expect(again.get(due.id)).toMatchObject({ state: 'DELIVERED', doneAt: past, dueAt: null });
    expect(again.history(due.id)).toEqual([
      { at: due.submittedAt, state: 'ENROUTE', detail: 'accepted' },
      { at: past, state: 'DELIVERED', detail: 'scenario' },
    ]);
    again.close();
  });

  it('reads what a restart owes in parts: transitions still ahead, receipts owed without a row per account and in pages, open rows in pages', () => {
    const s = new MessageStore('memory');
    const now = Date.now();
    const past = now - 1000;
    const future = now + 3_600_000;
    const owed = [1, 2, 3, 4, 5].map(() => record(s, { dueAt: past })); // reached: receipt owed, no row
    const other = record(s, { dueAt: past, systemId: 'other' });
    const later = record(s, { dueAt: future }); // still ahead: a transition
    const toOther = record(s, { dueAt: future, deliverTo: 'other' }); // a delivery to an account: a transition
    const acked = record(s, { dueAt: past });
    const retried = record(s, { dueAt: past }); // has an open outbox row
    for (const m of [...owed, other, later, toOther, acked, retried]) s.insert(m);
    const a = s.enqueueOutbox('receipt', acked.id, 'acme', past);
    a.status = 'acked';
    a.attempts = 1;
    s.setOutboxStatus(a);
    const r = s.enqueueOutbox('receipt', retried.id, 'acme', past);
    r.attempts = 1;
    s.setOutboxStatus(r);
    const mo = s.enqueueOutbox('mo', toOther.id, 'other', past);
    expect(
      s.owed
        .plannedTransitions(now)
        .map((t) => t.id)
        .sort((x, y) => x - y),
    ).toEqual([later.id, toOther.id]);
    const byAccount = s.owed.receiptsWithoutRow(now, s.lastId).sort((x, y) => x.systemId.localeCompare(y.systemId));
    expect(byAccount).toEqual([
      { systemId: 'acme', kind: 'receipt', n: 5, first: owed[0].id },
      { systemId: 'other', kind: 'receipt', n: 1, first: other.id },
    ]);
    // the same as the full list, in pages of message ids
    expect(s.owed.receiptPage('acme', 0, now, s.lastId, 3)).toEqual(owed.slice(0, 3).map((m) => m.id));
    expect(s.owed.receiptPage('acme', owed[2].id, now, s.lastId, 3)).toEqual(owed.slice(3).map((m) => m.id));
    expect(s.owed.receiptPage('acme', 0, now, owed[1].id, 10)).toEqual(owed.slice(0, 2).map((m) => m.id)); // up to maxId
    expect(s.owed.receiptPage('acme', 0, past - 1, s.lastId, 10)).toEqual([]); // not owed yet then
    const rowsOwed = s.pendingTransitions().filter((t) => t.at <= now && t.id !== toOther.id);
    expect(rowsOwed.map((t) => t.id).sort((x, y) => x - y)).toEqual([...owed, other].map((m) => m.id));
    expect(s.owed.openRows().sort((x, y) => x.systemId.localeCompare(y.systemId))).toEqual([
      { systemId: 'acme', kind: 'receipt', n: 1 },
      { systemId: 'other', kind: 'mo', n: 1 },
    ]);
    expect(s.owed.rowPage('acme', 0, 10).map((o) => o.messageId)).toEqual([retried.id]);
    expect(s.owed.rowPage('acme', r.id, 10)).toEqual([]);
    expect(s.owed.rowPage('other', 0, 10).map((o) => o.id)).toEqual([mo.id]);
    expect(s.owed.records([owed[1].id, 999_999, owed[0].id]).map((m) => [m.id, m.state])).toEqual([
      [owed[0].id, 'DELIVERED'],
      [owed[1].id, 'DELIVERED'],
    ]);
    s.close();
  });

  it('derives the planned transitions of messages leaving the simulator without rewriting the row', () => {
    const s = new MessageStore('memory');
    const past = Date.now() - 1000;
    const done = record(s, { registeredDelivery: 0, dueAt: past });
    const failedOnly = record(s, { registeredDelivery: 2, dueAt: past }); // a receipt only on failure: none for DELIVERED
    const later = record(s, { registeredDelivery: 0, dueAt: Date.now() + 3_600_000 });
    const receipt = record(s, { registeredDelivery: 1, dueAt: past }); // also reached; its receipt is still owed
    for (const m of [done, failedOnly, later, receipt]) s.insert(m);
    expect(s.get(done.id)).toMatchObject({ state: 'DELIVERED', doneAt: past, dueAt: null });
    expect(s.get(failedOnly.id)).toMatchObject({ state: 'DELIVERED' });
    expect(s.get(later.id)).toMatchObject({ state: 'ENROUTE', dueAt: later.dueAt });
    expect(s.get(receipt.id)).toMatchObject({ state: 'DELIVERED', doneAt: past });
    expect(s.history(done.id)).toEqual([
      { at: done.submittedAt, state: 'ENROUTE', detail: 'accepted' },
      { at: past, state: 'DELIVERED', detail: 'scenario' },
    ]);
    expect(
      s
        .query({ state: 'DELIVERED' })
        .groups.map((g) => g[0].id)
        .sort(),
    ).toEqual([done.id, failedOnly.id, receipt.id].sort());
    expect(
      s
        .query({ state: 'ENROUTE' })
        .groups.map((g) => g[0].id)
        .sort(),
    ).toEqual([later.id]);
    expect(s.pendingTransitions().map((t) => t.id)).toEqual([receipt.id]);
    expect(s.findCancellable('acme', '111', '222', '').map((m) => m.id)).toEqual([later.id]);
    s.close();
  });

  it('says up to which message id every insert has been through a commit (also after a reopen)', () => {
    const path = tempDb();
    const s = new MessageStore({ path });
    expect(s.committedThrough).toBe(0);
    const a = record(s);
    const b = record(s);
    s.insert(a);
    s.insert(b);
    expect(s.committedThrough).toBe(0);
    s.flush();
    expect(s.committedThrough).toBe(b.id);
    const c = record(s);
    s.insert(c);
    s.get(a.id); // a read commits what is pending first
    expect(s.committedThrough).toBe(c.id);
    s.close();
    const again = new MessageStore({ path });
    expect(again.committedThrough).toBe(c.id);
    again.close();
  });

  it('writes the common row (single part, accepted as it came) with the same columns as any other', () => {
    const s = new MessageStore('memory');
    const future = Date.now() + 3_600_000;
    const common = record(s, { text: '', dueAt: future, pdu: Buffer.from('0000', 'hex') });
    const other = record(s, { text: '', dueAt: future, pdu: Buffer.from('0000', 'hex'), serviceType: 'CMT' });
    s.insert(common);
    s.insert(other);
    s.flush();
    const rows = s.db.prepare('SELECT * FROM messages ORDER BY id').all() as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(2);
    expect({ ...rows[0], id: 0, mid: '', group_id: 0 }).toEqual({
      ...rows[1],
      id: 0,
      mid: '',
      group_id: 0,
      service_type: '',
    });
    expect(rows[0]).toMatchObject({
      id: common.id,
      mid: common.mid,
      group_id: common.id,
      part_num: 1,
      part_total: 1,
      direction: 'MT',
      command: 'submit_sm',
      deliver_to: null,
      state: 'ENROUTE',
      accept_detail: 'accepted',
      multi_id: null,
      due_at: future,
    });
    expect(s.get(common.id)).toMatchObject({ ...common, text: 'hello' });
    s.close();
  });

  it('writes the common rows of one commit (runs of any length, multi-row INSERTs) in order with its other writes', () => {
    const s = new MessageStore({ path: tempDb() }, 1000);
    const future = Date.now() + 3_600_000;
    const recs: MessageRecord[] = [];
    // runs of common rows of 1 to 150, each ended by an uncommon row (service_type set)
    for (const run of [150, 1, 2, 3, 37, 64, 65, 100]) {
      for (let i = 0; i < run; i++) recs.push(record(s, { text: '', dueAt: future, pdu: Buffer.from([i & 0xff]) }));
      recs.push(record(s, { text: '', dueAt: future, serviceType: 'CMT' }));
    }
    const finalId = recs[200]!.id;
    for (const m of recs) {
      s.insert(m);
      // a state change of a message inserted earlier in the same commit: applied after its insert
      if (m.id === finalId + 5) s.setState(finalId, 'UNDELIVERABLE', 11, future, 'refused');
    }
    s.flush();
    expect(s.count()).toBe(recs.length);
    for (const m of recs) {
      const want = m.id === finalId ? { ...m, state: 'UNDELIVERABLE', err: 11, doneAt: future, dueAt: null } : m;
      expect(s.get(m.id)).toEqual({ ...want, multiId: null, text: 'hello' });
    }
    s.close();
  });

  it('groups parts into logical messages and filters them', () => {
    const s = new MessageStore('memory');
    const a = record(s, { destAddr: '333' });
    s.insert(a);
    const p1 = record(s, { partNum: 2, partTotal: 2, text: 'world' });
    const p2 = record(s, { groupId: p1.id, partNum: 1, partTotal: 2, text: 'hello ' });
    s.insert(p1);
    s.insert(p2);
    const all = s.query({ order: 'asc' });
    expect(all.total).toBe(2);
    expect(all.groups.map((g) => g.map((p) => p.text).join(''))).toEqual(['hello', 'hello world']);
    expect(s.query({ to: '222' }).total).toBe(1);
    expect(s.query({ systemId: 'other' }).total).toBe(0);
    expect(s.query({ limit: 1, offset: 1 }).groups[0][0].id).toBe(a.id);
    expect(s.deleteAll()).toBe(3);
    expect(s.query({}).total).toBe(0);
    s.close();
  });
});
