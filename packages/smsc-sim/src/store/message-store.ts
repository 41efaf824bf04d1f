// The message store: every message part with its lifecycle and state history, and the outbox of deliver_sm
// (receipts and mobile-originated deliveries) still owed to accounts. SQLite through better-sqlite3, on a file
// (WAL) or in memory (same code, same behaviour, nothing kept after close). The row is declared in columns.ts,
// the lifecycle rules (implicit transitions, receipts owed) in lifecycle.ts, the commit path in group-commit.ts,
// what a commit writes in writer.ts, how rows are read back in reads.ts; this class is the API over them.
//
// Receipts are outbox items without a row until their first outcome. The common outcome, acknowledged at the first
// attempt, writes no row of its own: it joins a run of message ids in receipts_acked (receipt-runs.ts). Any other
// outcome (refused, queued for a retry) writes the receipt's outbox row then, once. A receipt still owed after a
// restart is found from the message itself (final or planned, asking for a receipt, neither an outbox row nor in an
// acknowledged run: pendingTransitions), so a message with a receipt costs one INSERT (acked-receipts.ts: when).

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StateName, StoreSetting } from '../config/types.js';
import { AckedReceipts } from './acked-receipts.js';
import { takesCompactRows } from './columns.js';
import { deliveryStats, type StatsQuery, type StatsRow } from './delivery-stats.js';
import { fileStorePragmas } from './file-pragmas.js';
import { type Committed, GroupCommit } from './group-commit.js';
import { isPending } from './lifecycle.js';
import { OwedReads } from './owed.js';
import { addressArgs, framedEqArgs } from './pdu-fields.js';
import { COUNT_CAP, type GroupPage, queryGroups, type ScanWindow } from './queries.js';
import { historyOf, outboxOfMessage, type Row, toOutbox, toRecord } from './reads.js';
import type {
  HistoryEntry,
  MessageFilter,
  MessageRecord,
  OutboxItem,
  OutboxKind,
  PlannedTransition,
} from './record.js';
import { RowCount } from './row-count.js';
import { SettledMark } from './settled.js';
import { openDatabase, type SqlDatabase } from './sqlite/driver.js';
import { prepare, SCHEMA, type Statements } from './statements.js';
import { commitWriter } from './writer.js';

export class MessageStore {
  readonly db: SqlDatabase;
  readonly path: string | null;
  private readonly st: Statements;
  /** the group commit; each session tells it of its reads (readStart, readEnd: group-commit.ts) */
  readonly gc: GroupCommit;
  /** receipts acknowledged at their first attempt, held a little before they join a commit (acked-receipts.ts) */
  private readonly acks: AckedReceipts;
  private nextId: number;
  private nextOutboxId: number;
  private closed = false;
  /** the deliver_sm owed, in pages (owed.ts) */
  readonly owed: OwedReads;
  /** every message up to `settled.through` needs nothing at a restart (settled.ts) */
  readonly settled: SettledMark;
  /** how many messages are stored (row-count.ts) */
  private readonly rows: RowCount;
  private readonly listeners = new Set<() => void>();
  /** told the ids of messages whose insert was lost with a failed commit (before its afterCommit callbacks run) */
  onLostInserts: (ids: number[]) => void = () => {};
  /** told each state a message enters here (its insert, each setState): the metrics count them */
  onState: (state: StateName) => void = () => {};

  /** @param maxGroupCommit commit as soon as this many afterCommit callers wait (default 64) */
  constructor(store: StoreSetting, maxGroupCommit = 64) {
    this.path = store === 'memory' ? null : store.path;
    if (this.path) mkdirSync(dirname(this.path), { recursive: true });
    this.db = openDatabase(this.path ?? ':memory:');
    if (this.path) fileStorePragmas(this.db);
    this.db.exec(SCHEMA);
    this.rows = new RowCount(this.db);
    this.st = prepare(this.db);
    const write = commitWriter(this.db, this.st, takesCompactRows(this.db));
    this.nextId = (this.st.maxId.get() as { m: number }).m + 1;
    const backlog = store === 'memory' ? undefined : store.settleBacklog;
    this.settled = new SettledMark(this.db, this.st.firstNeeding, this.nextId - 1, backlog);
    this.owed = new OwedReads(() => this.read(), this.settled);
    this.nextOutboxId = (this.st.maxOutbox.get() as { m: number }).m + 1;
    this.gc = new GroupCommit(
      {
        write: (w) => write(this.acks.join(w)),
        lost: (ids) => {
          this.rows.add(-ids.length);
          this.onLostInserts(ids);
        },
        committed: () => {
          for (const l of this.listeners) l();
        },
      },
      maxGroupCommit,
      this.nextId - 1,
    );
    this.acks = new AckedReceipts(this.gc);
  }

  /**
   * Every message inserted with an id up to this one has been through a commit. The delivery scheduler acts on no
   * message above it: a receipt never leaves before its message is stored (and its submit_sm_resp queued).
   */
  get committedThrough(): number {
    return this.gc.committedThrough;
  }

  /** A new message id (unique in this store, also across restarts). */
  allocateId(): number {
    return this.nextId++;
  }

  /** A new message; its first history entry (submitted_at, its state, detail) is kept in the row itself. */
  insert(m: MessageRecord, detail = 'accepted'): void {
    this.gc.push({ t: 'insert', m, detail });
    this.rows.add(1);
    this.onState(m.state);
  }

  /** Moves a message to a state (its planned transition, if any, is dropped). */
  setState(id: number, state: StateName, err: number, at: number, detail: string): void {
    // the row keeps the final transition (done_at, done_detail); only other events go to the history table
    this.settled.touch(id);
    const final = !isPending(state);
    if (!final) this.gc.push({ t: 'history', id, at, state, detail });
    this.gc.push({ t: 'state', id, state, err, doneAt: final ? at : null, detail: final ? detail : '' });
    this.onState(state);
  }

  replace(id: number, fields: Partial<MessageRecord>, at: number, detail: string): void {
    this.settled.touch(id);
    this.gc.push({ t: 'replace', id, fields, at, detail });
  }

  /** A deliver_sm owed to an account. An MO delivery is written now; a receipt at its first outcome (see top). */
  enqueueOutbox(kind: OutboxKind, messageId: number, systemId: string, dueAt: number): OutboxItem {
    const id = this.nextOutboxId++;
    const o: OutboxItem = { id, kind, messageId, systemId, dueAt, attempts: 0, status: 'queued', stored: false };
    if (kind !== 'receipt') this.writeRow(o);
    return o;
  }

  setOutboxStatus(o: OutboxItem): void {
    const firstAck = o.status === 'acked' && o.attempts === 1;
    if (!o.stored) {
      if (o.kind === 'receipt' && firstAck) {
        // the common case: no row, the message id joins a run in receipts_acked (held a little first)
        this.acks.add(o.messageId);
        o.stored = true;
        return;
      }
      // a receipt's first other outcome: its row, written once with what it says now
      return this.writeRow(o);
    }
    // the common case, batched: one UPDATE per run of consecutive ids
    if (firstAck) return this.gc.ack(o.id);
    this.gc.push({ t: 'outboxStatus', id: o.id, status: o.status, dueAt: o.dueAt, attempts: o.attempts });
  }

  /** Gives an owed item its outbox row now, if it has none (it then waits in the store, not in memory). */
  keepInStore(o: OutboxItem): void {
    if (!o.stored) this.writeRow(o);
  }

  /** the highest message id allocated so far */
  get lastId(): number {
    return this.nextId - 1;
  }

  private writeRow(o: OutboxItem): void {
    this.gc.push({
      t: 'outboxRow',
      id: o.id,
      kind: o.kind,
      messageId: o.messageId,
      systemId: o.systemId,
      dueAt: o.dueAt,
      attempts: o.attempts,
      status: o.status,
    });
    o.stored = true;
  }

  /** Runs cb(ok, a, b, c, d) once every write made so far is committed (ok = false when the commit failed). */
  afterCommit<A, B, C, D>(cb: Committed<A, B, C, D>, a?: A, b?: B, c?: C, d?: D): void {
    this.gc.afterCommit(cb, a, b, c, d);
  }

  /** Called after each commit that wrote something (for waiters). */
  onCommit(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Commits pending writes now, then runs the afterCommit callbacks. */
  flush(): void {
    this.acks.handOver();
    this.gc.commit();
  }

  // ---- reads (each commits pending writes first, so it sees them) ----

  private read(): Statements {
    this.acks.handOver();
    if (this.gc.pending) this.gc.commit();
    return this.st;
  }

  get(id: number): MessageRecord | undefined {
    const r = this.read().get.get(id) as Row | undefined;
    return r && toRecord(r, Date.now());
  }

  /** A message and, for submit_multi, the other destinations sharing its message id. */
  byIdWithMulti(id: number): MessageRecord[] {
    const now = Date.now();
    return (this.read().byIdOrMulti.all(id, id) as Row[]).map((r) => toRecord(r, now));
  }

  /** The parts of a logical message (a single message is its own group). */
  group(groupId: number): MessageRecord[] {
    const st = this.read();
    const now = Date.now();
    const rows = st.group.all(groupId) as Row[];
    if (rows.length) return rows.map((r) => toRecord(r, now));
    const one = st.get.get(groupId) as Row | undefined;
    return one ? [toRecord(one, now)] : [];
  }

  /** State history: acceptance (from the row), events from the history table, the final state (from the row). */
  history(id: number): HistoryEntry[] {
    return historyOf(this.read(), id);
  }

  /** Messages with a planned transition (to reschedule after a restart). */
  pendingTransitions(): PlannedTransition[] {
    return this.read().pendingTransitions.all() as PlannedTransition[];
  }

  /** The deliver_sm (receipts, MO) owed or sent for a message (a receipt acknowledged in a run has no outbox id: 0). */
  outboxOf(messageId: number): OutboxItem[] {
    return outboxOfMessage(this.read(), messageId);
  }

  /** Outbox items not yet acknowledged (after a restart, 'sent' ones are sent again). */
  openOutbox(): OutboxItem[] {
    return (this.read().openOutbox.all() as Row[]).map(toOutbox);
  }

  findReplaceable(systemId: string, source: string, dest: string, serviceType: string): MessageRecord | undefined {
    const now = Date.now();
    const r = this.read().replaceable.get(systemId, serviceType, now, ...addressArgs(source, dest)) as Row | undefined;
    return r && toRecord(r, now);
  }

  findCancellable(systemId: string, source: string, dest: string, serviceType: string): MessageRecord[] {
    const now = Date.now();
    const rows = this.read().cancellable.all(systemId, serviceType, serviceType, now, ...addressArgs(source, dest));
    return (rows as Row[]).map((r) => toRecord(r, now));
  }

  /** The account's broadcasts from this source address (any state; the newest 1000), newest first. */
  findBroadcasts(systemId: string, source: string): MessageRecord[] {
    const now = Date.now();
    return (this.read().broadcasts.all(systemId, ...framedEqArgs(source)) as Row[]).map((r) => toRecord(r, now));
  }

  /** Logical messages (groups of parts) matching the filter, newest first unless 'asc' (total, scan: queries.ts). */
  query(f: MessageFilter, scan?: ScanWindow): Omit<GroupPage, 'groupIds'> & { groups: MessageRecord[][] } {
    this.read();
    const { groupIds, ...total } = queryGroups(this.db, f, Date.now(), this.rows.value, COUNT_CAP, scan);
    return { ...total, groups: groupIds.map((g) => this.group(g)) };
  }

  /** Delivery statistics over a window (delivery-stats.ts). */
  deliveryStats(q: StatsQuery): StatsRow[] {
    this.read();
    return deliveryStats(this.db, q, Date.now());
  }

  count(): number {
    this.read(); // a failed commit reports its inserts lost
    return this.rows.value;
  }

  /** DELETE /api/messages: forgets every message, its history and its outbox items. */
  deleteAll(): number {
    const n = this.count();
    this.db.exec('DELETE FROM messages; DELETE FROM history; DELETE FROM outbox; DELETE FROM receipts_acked;');
    this.settled.reset();
    this.rows.reset();
    return n;
  }

  close(): void {
    if (this.closed) return;
    this.acks.close();
    this.gc.close();
    this.rows.saveClean();
    this.closed = true;
    if (this.path) this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
