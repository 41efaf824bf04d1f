// Receipts acknowledged at their first attempt are held a little before they join a commit (acked-receipts.ts): at
// most one commit of other writes every ACK_MS carries them; what is held is handed over on its own ACK_MS later,
// before a read, and at close. Fake timers and a recording group commit, then a SQLite file seen from a second
// connection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACK_BATCH, ACK_MS, AckedReceipts } from '../src/store/acked-receipts.js';
import type { Writes } from '../src/store/group-commit.js';
import { MessageStore } from '../src/store/index.js';
import { openDatabase } from '../src/store/sqlite/driver.js';
import { messageRecord } from './records.js';

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const writes = (): Writes => ({ ops: [], acked: [], ackedReceipts: [] });

function held() {
  const handed: number[] = [];
  const acks = new AckedReceipts({ ackReceipt: (id) => handed.push(id) });
  return { acks, handed };
}

describe('AckedReceipts', () => {
  it('join a commit at most once every ACK_MS: the first at once, the next ones ACK_MS later', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { acks, handed } = held();
    acks.add(1);
    expect(acks.join(writes()).ackedReceipts).toEqual([1]);
    acks.add(2);
    acks.add(3);
    vi.advanceTimersByTime(ACK_MS - 1);
    expect(acks.join(writes()).ackedReceipts).toEqual([]);
    vi.advanceTimersByTime(1);
    // the timer armed at add(2) handed them over on its own at ACK_MS
    expect(handed).toEqual([2, 3]);
    acks.add(4);
    expect(acks.join(writes()).ackedReceipts).toEqual([]);
    vi.advanceTimersByTime(ACK_MS);
    expect(handed).toEqual([2, 3, 4]);
    acks.close();
  });

  it('join the next commit once ACK_BATCH are held, whatever the time', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { acks } = held();
    acks.add(0);
    acks.join(writes());
    for (let i = 1; i < ACK_BATCH; i++) acks.add(i);
    expect(acks.join(writes()).ackedReceipts).toEqual([]);
    acks.add(ACK_BATCH);
    expect(acks.join(writes()).ackedReceipts).toHaveLength(ACK_BATCH);
    acks.close();
  });

  it('are handed over at close, and no timer is left', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { acks, handed } = held();
    acks.add(5);
    acks.close();
    expect(handed).toEqual([5]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('MessageStore: receipts acknowledged at their first attempt', () => {
  const ack = (s: MessageStore, id: number) => {
    const r = s.enqueueOutbox('receipt', id, 'acme', Date.now());
    r.status = 'acked';
    r.attempts = 1;
    s.setOutboxStatus(r);
  };

  it('a held one is seen by a read of the store, and is in the file after close', async () => {
    // the clock stands still (no commit is ACK_MS after another); setImmediate stays real: the commits run
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const d = mkdtempSync(join(tmpdir(), 'smsc-acks-'));
    dirs.push(d);
    const path = join(d, 'smsc.db');
    const s = new MessageStore({ path });
    const [a, b] = [messageRecord(s.allocateId()), messageRecord(s.allocateId())];
    s.insert(a);
    s.insert(b);
    await new Promise<void>((r) => s.afterCommit(() => r()));
    ack(s, a.id); // joins the next commit (the first in a while)
    s.insert(messageRecord(s.allocateId()));
    await new Promise<void>((r) => s.afterCommit(() => r()));
    ack(s, b.id); // held: a commit carried acknowledgements less than ACK_MS ago
    s.insert(messageRecord(s.allocateId()));
    await new Promise<void>((r) => s.afterCommit(() => r()));
    const other = new MessageStore({ path });
    expect(other.outboxOf(b.id)).toEqual([]);
    other.close();
    expect(s.outboxOf(b.id).map((o) => [o.kind, o.status, o.attempts])).toEqual([['receipt', 'acked', 1]]);
    ack(s, a.id + 2);
    s.close();
    const after = new MessageStore({ path });
    for (const id of [a.id, b.id, a.id + 2]) expect(after.outboxOf(id).map((o) => o.status)).toEqual(['acked']);
    // none of them owed after the restart
    expect(after.owed.receiptsWithoutRow(Date.now() + 86_400_000, after.lastId)).toEqual([]);
    after.close();
  });

  it('a lone insert committed while one is held stays one autocommit statement (no BEGIN … COMMIT)', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const d = mkdtempSync(join(tmpdir(), 'smsc-acks-'));
    dirs.push(d);
    const path = join(d, 'smsc.db');
    const s = new MessageStore({ path });
    const inTx: boolean[] = [];
    (s.db as unknown as { function(name: string, fn: () => number): void }).function('seen', () => {
      inTx.push(s.db.inTransaction === true);
      return 0;
    });
    s.db.exec('CREATE TEMP TRIGGER t BEFORE INSERT ON messages BEGIN SELECT seen(); END;');
    const commit = () => new Promise<void>((r) => s.afterCommit(() => r()));
    const first = messageRecord(s.allocateId());
    s.insert(first);
    await commit();
    ack(s, first.id);
    const second = messageRecord(s.allocateId());
    s.insert(second);
    await commit(); // carries first's acknowledgement: a transaction
    ack(s, second.id);
    s.insert(messageRecord(s.allocateId()));
    await commit(); // second's is held: the insert alone
    expect(inTx).toEqual([false, true, false]);
    const other = openDatabase(path);
    expect(other.prepare('SELECT COUNT(*) AS n FROM receipts_acked').get()).toEqual({ n: 1 });
    other.close();
    s.close();
  });
});
