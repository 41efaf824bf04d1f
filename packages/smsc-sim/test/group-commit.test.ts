// Acknowledgements nobody waits for ride with the next commit, or get one of their own after lazyMs: the group
// commit on its own (fake timers, a recording writer), then on a SQLite file seen from a second connection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GroupCommit, STREAK, type Writes } from '../src/store/group-commit.js';
import { MessageStore } from '../src/store/index.js';
import { openDatabase } from '../src/store/sqlite/driver.js';
import { messageRecord } from './records.js';

function recording(lazyMs: number) {
  const writes: Writes[] = [];
  const gc = new GroupCommit({ write: (w) => writes.push(w), lost: () => {}, committed: () => {} }, 64, 0, lazyMs);
  return { gc, writes };
}

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('GroupCommit acknowledgements', () => {
  it('ride with the next commit that someone waits for', () => {
    vi.useFakeTimers();
    const { gc, writes } = recording(5);
    gc.ackReceipt(7);
    gc.ack(3);
    vi.advanceTimersByTime(4); // immediates run, the deadline has not come
    expect(writes).toEqual([]);
    const m = messageRecord(8);
    gc.push({ t: 'insert', m, detail: 'accepted' });
    const oks: boolean[] = [];
    gc.afterCommit((ok) => oks.push(ok));
    vi.advanceTimersByTime(0);
    expect(oks).toEqual([true]);
    expect(writes).toEqual([{ ops: [{ t: 'insert', m, detail: 'accepted' }], acked: [3], ackedReceipts: [7] }]);
    expect(gc.committedThrough).toBe(8);
    vi.advanceTimersByTime(10); // the deadline finds nothing left to write
    expect(writes).toHaveLength(1);
  });

  it('are committed on their own once lazyMs has passed, one timer for all of them', () => {
    vi.useFakeTimers();
    const { gc, writes } = recording(5);
    gc.ackReceipt(7);
    vi.advanceTimersByTime(2);
    gc.ackReceipt(8);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(2);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual([{ ops: [], acked: [], ackedReceipts: [7, 8] }]);
  });

  it('wait again after a lazy commit: the same timer, armed anew', () => {
    vi.useFakeTimers();
    const { gc, writes } = recording(5);
    gc.ackReceipt(7);
    vi.advanceTimersByTime(5);
    gc.ackReceipt(9);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(4);
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual([
      { ops: [], acked: [], ackedReceipts: [7] },
      { ops: [], acked: [], ackedReceipts: [9] },
    ]);
    gc.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('are committed by close()', () => {
    vi.useFakeTimers();
    const { gc, writes } = recording(5);
    gc.ack(4);
    gc.close();
    expect(writes).toEqual([{ ops: [], acked: [4], ackedReceipts: [] }]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('GroupCommit callers', () => {
  it('are told in the order they came, each with the values it gave, ok = false after a failed write', () => {
    let fail = false;
    const gc = new GroupCommit(
      {
        write: () => {
          if (fail) throw new Error('disk full');
        },
        lost: () => {},
        committed: () => {},
      },
      3,
      0,
    );
    const told: unknown[][] = [];
    const note = (ok: boolean, a: unknown, b: unknown, c: unknown, d: unknown) => told.push([ok, a, b, c, d]);
    for (const f of [false, true]) {
      fail = f;
      gc.push({ t: 'insert', m: messageRecord(1), detail: 'accepted' });
      gc.afterCommit(note, 'a', 1, null, { n: 2 });
      gc.afterCommit((ok) => told.push([ok]));
      gc.afterCommit(note, 'b'); // the third caller: committed at once
    }
    expect(told).toEqual([
      [true, 'a', 1, null, { n: 2 }],
      [true],
      [true, 'b', undefined, undefined, undefined],
      [false, 'a', 1, null, { n: 2 }],
      [false],
      [false, 'b', undefined, undefined, undefined],
    ]);
  });
});

describe('GroupCommit reads', () => {
  /** a read of `reader` that writes one message and waits for its commit: was it committed when the read ended? */
  function read(gc: GroupCommit, reader: unknown, id: number): () => boolean {
    let told = false;
    gc.readStart(reader);
    gc.push({ t: 'insert', m: messageRecord(id), detail: 'accepted' });
    gc.afterCommit(() => {
      told = true;
    });
    gc.readEnd();
    const atEnd = told;
    return () => atEnd;
  }

  it('of one session, STREAK in a row, commit at the end of each read; before that at the end of the turn', async () => {
    const { gc, writes } = recording(5);
    const atEnd: boolean[] = [];
    for (let i = 1; i <= STREAK + 2; i++) {
      atEnd.push(read(gc, 'a', i)());
      await new Promise((r) => setImmediate(r));
    }
    expect(atEnd).toEqual([...Array(STREAK - 1).fill(false), true, true, true]);
    expect(writes).toHaveLength(STREAK + 2);
    expect(gc.committedThrough).toBe(STREAK + 2);
  });

  it('of sessions taking turns commit once per turn, whatever came before', async () => {
    const { gc, writes } = recording(5);
    for (let i = 1; i <= STREAK; i++) read(gc, 'a', i);
    await new Promise((r) => setImmediate(r));
    expect(writes).toHaveLength(1);
    // the next read is a's STREAK+1-th: at its end; then b's reads come between: no more at the end of a read
    const atEnd = [read(gc, 'a', 100)(), read(gc, 'b', 101)(), read(gc, 'a', 102)(), read(gc, 'b', 103)()];
    expect(atEnd).toEqual([true, false, false, false]);
    expect(writes).toHaveLength(2);
    await new Promise((r) => setImmediate(r));
    expect(writes).toHaveLength(3);
    expect(writes[2]!.ops.map((o) => (o.t === 'insert' ? o.m.id : 0))).toEqual([101, 102, 103]);
  });
});

describe('MessageStore: a receipt acknowledged at its first attempt', () => {
  it('is in the file with the next message committed (a second connection sees it)', async () => {
    // the lazy commit's timer (lazyMs, 2 ms) is held: on a loaded machine a real one may fire before the check
    // below, and committing the acknowledgement on its own then is what the store promises too
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const d = mkdtempSync(join(tmpdir(), 'smsc-gc-'));
    dirs.push(d);
    const path = join(d, 'smsc.db');
    const s = new MessageStore({ path });
    const m = messageRecord(s.allocateId());
    s.insert(m);
    await new Promise<void>((r) => s.afterCommit(() => r()));
    const r = s.enqueueOutbox('receipt', m.id, 'acme', Date.now());
    r.status = 'acked';
    r.attempts = 1;
    s.setOutboxStatus(r);
    await new Promise((res) => setImmediate(res)); // a commit of the acknowledgement alone would have run by now
    const before = new MessageStore({ path });
    expect(before.outboxOf(m.id)).toEqual([]);
    before.close();
    const next = messageRecord(s.allocateId());
    s.insert(next);
    await new Promise<void>((res) => s.afterCommit(() => res()));
    const after = new MessageStore({ path });
    expect(after.outboxOf(m.id).map((o) => [o.kind, o.status, o.attempts])).toEqual([['receipt', 'acked', 1]]);
    after.close();
    s.close();
  });
});

describe('MessageStore: a commit of one statement', () => {
  it('runs it alone (no BEGIN … COMMIT): in the file when its callback runs, nothing of it when it fails', async () => {
    const d = mkdtempSync(join(tmpdir(), 'smsc-gc-'));
    dirs.push(d);
    const path = join(d, 'smsc.db');
    const s = new MessageStore({ path });
    const lost: number[] = [];
    s.onLostInserts = (ids) => lost.push(...ids);
    // what each inserted row saw: inside an explicit transaction or not; dest 999 fails like a full disk
    const inTx: boolean[] = [];
    (s.db as unknown as { function(name: string, fn: () => number): void }).function('seen', () => {
      inTx.push(s.db.inTransaction === true);
      return 0;
    });
    s.db.exec(
      "CREATE TEMP TRIGGER t BEFORE INSERT ON messages BEGIN SELECT seen(); SELECT RAISE(ABORT, 'disk I/O error') WHERE NEW.dest_addr = '999'; END;",
    );
    const commit = () => new Promise<boolean>((r) => s.afterCommit((ok) => r(ok)));
    // what a second connection sees in the file
    const other = openDatabase(path);
    const stored = () =>
      (other.prepare('SELECT id FROM messages ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    const bad = messageRecord(s.allocateId(), { destAddr: '999' });
    s.insert(bad);
    expect(await commit()).toBe(false);
    const good = messageRecord(s.allocateId());
    s.insert(good);
    expect(await commit()).toBe(true);
    expect(stored()).toEqual([good.id]);
    // two ops: one transaction, all or nothing
    const a = messageRecord(s.allocateId());
    const b = messageRecord(s.allocateId(), { destAddr: '999' });
    s.insert(a);
    s.insert(b);
    expect(await commit()).toBe(false);
    expect(stored()).toEqual([good.id]);
    expect(inTx).toEqual([false, false, true, true]);
    expect(lost).toEqual([bad.id, a.id, b.id]);
    other.close();
    s.close();
  });
});
