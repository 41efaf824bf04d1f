// The message store: every message part with its lifecycle and state history, and the outbox of deliver_sm
// (receipts and mobile-originated deliveries) still owed to accounts. SQLite through better-sqlite3, on a file
// (WAL) or in memory (same code, same behaviour, nothing kept after close).
//
// Writes are buffered and committed in one transaction per event-loop turn (group commit). Callers that must not
// answer before their write is durable — a submit_sm_resp — register with afterCommit(): the callback runs right
// after the transaction that holds the write has committed; once `maxGroupCommit` callers wait, the commit happens
// at once rather than at the end of the turn, so the first answers of a large read leave while the rest is still
// being processed (client and simulator then work in parallel). Reads flush pending writes first.
//
// Implicit transitions: a message that leaves the simulator (MT, not for another account) is not rewritten when it
// reaches its planned state. Its row keeps state = ENROUTE with due_at and planned_state, and every reader
// (toRecord, history, the state filter, the replace/cancel lookups) sees the planned state from due_at on. One
// rule, isImplicit / IMPLICIT_SQL, says which rows these are. The scheduler keeps a timer only for those whose
// outcome asks for a receipt (needsAction).
//
// Receipts are outbox items without a row until their first outcome. The common outcome, acknowledged at the first
// attempt, writes no row of its own: it joins a run of message ids in receipts_acked (one row per run per commit).
// Any other outcome (refused, queued for a retry) writes the receipt's outbox row then, once. A receipt still owed
// after a restart is found from the message itself (final or planned, asking for a receipt, neither an outbox row
// nor in an acknowledged run: pendingTransitions), so a message with a receipt costs one INSERT.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StateName } from './config.js';
import { wantsReceipt } from './deliver-pdus.js';
import { messageText } from './user-data.js';

export type Direction = 'MT' | 'MO';

export interface MessageRecord {
  /** numeric message id; the id given to the ESME is `mid` */
  id: number;
  mid: string;
  /** id of the first part seen of a concatenated message (the logical message); = id for a single part */
  groupId: number;
  partNum: number;
  partTotal: number;
  direction: Direction;
  command: string;
  /** submitting account; '' for injected MO */
  systemId: string;
  /** account that receives this message as deliver_sm (MO, ESME-to-ESME); null when it leaves the simulator */
  deliverTo: string | null;
  serviceType: string;
  sourceTon: number;
  sourceNpi: number;
  sourceAddr: string;
  destTon: number;
  destNpi: number;
  destAddr: string;
  esmClass: number;
  protocolId: number;
  priorityFlag: number;
  registeredDelivery: number;
  dataCoding: number;
  /** user data as submitted (UDH included) */
  shortMessage: Buffer;
  /** decoded text of this part, without UDH (stored '' for a single part, decoded when read: see messageText) */
  text: string;
  submittedAt: number;
  scheduleAt: number | null;
  expireAt: number;
  state: StateName;
  err: number;
  doneAt: number | null;
  /** the scenario's decision: the state the message reaches at dueAt */
  plannedState: StateName;
  plannedErr: number;
  dueAt: number | null;
  /** raw request PDU bytes */
  pdu: Buffer | null;
  /** submit_multi: the id of the first destination's message (they share its message id); null otherwise */
  multiId?: number | null;
}

export interface PlannedTransition {
  id: number;
  at: number;
  state: StateName;
  err: number;
  registeredDelivery: number;
  systemId: string;
  direction: Direction;
  deliverTo: string | null;
}

export interface HistoryEntry { at: number; state: StateName; detail: string }

export type OutboxKind = 'receipt' | 'mo';
export type OutboxStatus = 'queued' | 'sent' | 'acked' | 'failed';
export interface OutboxItem {
  id: number; kind: OutboxKind; messageId: number; systemId: string; dueAt: number; attempts: number; status: OutboxStatus;
  /** the item is in the store: its outbox row, or (a receipt acknowledged at its first attempt) a receipts_acked run */
  stored: boolean;
}

export interface MessageFilter {
  systemId?: string;
  from?: string;
  to?: string;
  state?: StateName;
  direction?: Direction;
  /** epoch ms: submitted at or after */
  since?: number;
  limit?: number;
  offset?: number;
  order?: 'asc' | 'desc';
}

type Row = Record<string, unknown>;

const COLUMNS = [
  'id', 'mid', 'group_id', 'part_num', 'part_total', 'direction', 'command', 'system_id', 'deliver_to', 'service_type',
  'source_ton', 'source_npi', 'source_addr', 'dest_ton', 'dest_npi', 'dest_addr', 'esm_class', 'protocol_id', 'priority_flag',
  'registered_delivery', 'data_coding', 'short_message', 'text', 'submitted_at', 'schedule_at', 'expire_at', 'state', 'err',
  'done_at', 'planned_state', 'planned_err', 'due_at', 'pdu', 'accept_detail', 'multi_id',
] as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY, mid TEXT NOT NULL, group_id INTEGER NOT NULL, part_num INTEGER NOT NULL, part_total INTEGER NOT NULL,
  direction TEXT NOT NULL, command TEXT NOT NULL, system_id TEXT NOT NULL, deliver_to TEXT, service_type TEXT NOT NULL,
  source_ton INTEGER NOT NULL, source_npi INTEGER NOT NULL, source_addr TEXT NOT NULL,
  dest_ton INTEGER NOT NULL, dest_npi INTEGER NOT NULL, dest_addr TEXT NOT NULL,
  esm_class INTEGER NOT NULL, protocol_id INTEGER NOT NULL, priority_flag INTEGER NOT NULL, registered_delivery INTEGER NOT NULL,
  data_coding INTEGER NOT NULL, short_message BLOB NOT NULL, text TEXT NOT NULL,
  submitted_at INTEGER NOT NULL, schedule_at INTEGER, expire_at INTEGER NOT NULL,
  state TEXT NOT NULL, err INTEGER NOT NULL, done_at INTEGER,
  planned_state TEXT NOT NULL, planned_err INTEGER NOT NULL, due_at INTEGER, pdu BLOB,
  accept_detail TEXT NOT NULL, done_detail TEXT, multi_id INTEGER
);
-- only concatenated parts and submit_multi destinations need these (partial indexes: nothing to update for the rest)
CREATE INDEX IF NOT EXISTS messages_group ON messages(group_id) WHERE part_total > 1;
CREATE INDEX IF NOT EXISTS messages_multi ON messages(multi_id) WHERE multi_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS history (message_id INTEGER NOT NULL, at INTEGER NOT NULL, state TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS history_message ON history(message_id);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, message_id INTEGER NOT NULL, system_id TEXT NOT NULL,
  due_at INTEGER NOT NULL, attempts INTEGER NOT NULL, status TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_open ON outbox(system_id, id) WHERE status IN ('queued', 'sent');
CREATE INDEX IF NOT EXISTS outbox_message ON outbox(message_id);
-- receipts acknowledged at their first attempt, as runs of consecutive message ids (runs never overlap: a receipt is
-- acknowledged once, and one acknowledged is not owed again after a restart)
CREATE TABLE IF NOT EXISTS receipts_acked (first_id INTEGER PRIMARY KEY, last_id INTEGER NOT NULL, at INTEGER NOT NULL);
`;

/** A message whose planned transition is not written when it happens: readers derive it (see the top of this file). */
export function isImplicit(m: { direction: Direction; deliverTo: string | null }): boolean {
  return m.direction === 'MT' && m.deliverTo === null;
}

/** Does the planned transition need the scheduler: a receipt for that outcome, or a delivery to an account? */
export function needsAction(m: { direction: Direction; deliverTo: string | null; registeredDelivery: number; plannedState: StateName }): boolean {
  return !isImplicit(m) || wantsReceipt(m.registeredDelivery, m.plannedState);
}

/** isImplicit in SQL */
const IMPLICIT_SQL = `(direction='MT' AND deliver_to IS NULL)`;
/** wantsReceipt in SQL for a state expression (registered_delivery & 3 = 1 always, 2 on failure, 3 on success) */
const wantsReceiptSql = (st: string) =>
  `(registered_delivery & 3 = 1 OR (registered_delivery & 3 = 2 AND ${st} <> 'DELIVERED') OR (registered_delivery & 3 = 3 AND ${st} = 'DELIVERED'))`;
/** the row has reached its implicit transition (one parameter: now) */
const REACHED_SQL = `(due_at IS NOT NULL AND due_at <= ? AND ${IMPLICIT_SQL})`;
/** the state as readers see it (one parameter: now) */
const STATE_SQL = `(CASE WHEN ${REACHED_SQL} THEN planned_state ELSE state END)`;
/** the first id of the run in receipts_acked that may hold message `id` (a column): the last run starting at or before it */
const RUN_START_SQL = (id: string) => `(SELECT MAX(first_id) FROM receipts_acked WHERE first_id <= ${id})`;
/** done_detail of an implicit transition (derived when read) */
function plannedDetail(state: StateName): string {
  return state === 'EXPIRED' ? 'validity period ended' : 'scenario';
}

function toRecord(r: Row, now: number): MessageRecord {
  const m = toStoredRecord(r);
  // a single-part text is decoded when read, not when submitted
  if (m.text === '' && m.shortMessage.length > 0) m.text = messageText(m);
  if (m.dueAt !== null && m.dueAt <= now && isImplicit(m)) {
    m.state = m.plannedState;
    m.err = m.plannedErr;
    m.doneAt = m.dueAt;
    m.dueAt = null;
  }
  return m;
}

function toStoredRecord(r: Row): MessageRecord {
  return {
    id: r.id as number, mid: r.mid as string, groupId: r.group_id as number, partNum: r.part_num as number,
    partTotal: r.part_total as number, direction: r.direction as Direction, command: r.command as string,
    systemId: r.system_id as string, deliverTo: (r.deliver_to as string | null) ?? null, serviceType: r.service_type as string,
    sourceTon: r.source_ton as number, sourceNpi: r.source_npi as number, sourceAddr: r.source_addr as string,
    destTon: r.dest_ton as number, destNpi: r.dest_npi as number, destAddr: r.dest_addr as string,
    esmClass: r.esm_class as number, protocolId: r.protocol_id as number, priorityFlag: r.priority_flag as number,
    registeredDelivery: r.registered_delivery as number, dataCoding: r.data_coding as number,
    shortMessage: r.short_message as Buffer, text: r.text as string, submittedAt: r.submitted_at as number,
    scheduleAt: (r.schedule_at as number | null) ?? null, expireAt: r.expire_at as number, state: r.state as StateName,
    err: r.err as number, doneAt: (r.done_at as number | null) ?? null, plannedState: r.planned_state as StateName,
    plannedErr: r.planned_err as number, dueAt: (r.due_at as number | null) ?? null, pdu: (r.pdu as Buffer | null) ?? null,
    multiId: (r.multi_id as number | null) ?? null,
  };
}

function toOutbox(r: Row): OutboxItem {
  return {
    id: r.id as number, kind: r.kind as OutboxKind, messageId: r.message_id as number, systemId: r.system_id as string,
    dueAt: r.due_at as number, attempts: r.attempts as number, status: r.status as OutboxStatus, stored: true,
  };
}

type Op =
  | { t: 'insert'; m: MessageRecord; detail: string }
  | { t: 'state'; id: number; state: StateName; err: number; doneAt: number | null; dueAt: number | null; detail: string }
  | { t: 'replace'; id: number; fields: Partial<MessageRecord>; at: number; detail: string }
  | { t: 'history'; id: number; at: number; state: StateName; detail: string }
  | { t: 'outboxRow'; id: number; kind: OutboxKind; messageId: number; systemId: string; dueAt: number; attempts: number; status: OutboxStatus }
  | { t: 'outboxStatus'; id: number; status: OutboxStatus; dueAt: number; attempts: number };

const REPLACEABLE: Record<string, string> = {
  shortMessage: 'short_message', text: 'text', scheduleAt: 'schedule_at', expireAt: 'expire_at', registeredDelivery: 'registered_delivery',
  dataCoding: 'data_coding', esmClass: 'esm_class', dueAt: 'due_at', plannedState: 'planned_state', plannedErr: 'planned_err',
  state: 'state', submittedAt: 'submitted_at', pdu: 'pdu',
};

export class MessageStore {
  readonly db: Database.Database;
  readonly path: string | null;
  private pending: Op[] = [];
  /** stored outbox items acknowledged at their first attempt, written as runs of consecutive ids at commit */
  private acked: number[] = [];
  /** message ids whose receipt (without a row) was acknowledged at its first attempt: runs in receipts_acked */
  private ackedReceipts: number[] = [];
  private callbacks: Array<(ok: boolean) => void> = [];
  private scheduled = false;
  private nextId: number;
  private nextOutboxId: number;
  private closed = false;
  /** the highest message id inserted among the pending writes */
  private pendingMaxId = 0;
  /**
   * Every message inserted with an id up to this one has been through a commit (ids are allocated and inserted in
   * order). The delivery scheduler acts on no message above it: a receipt never leaves before its message is stored
   * (and its submit_sm_resp queued). A failed commit counts too: its messages are forgotten (onLostInserts).
   */
  committedThrough = 0;
  /** the last commit failure, if any (the affected requests were answered ESME_RSYSERR) */
  lastError: Error | null = null;
  private readonly listeners = new Set<() => void>();
  /** told the ids of messages whose insert was lost with a failed commit (before its afterCommit callbacks run) */
  onLostInserts: (ids: number[]) => void = () => {};
  private readonly st: Record<string, Database.Statement>;
  private readonly commitTx: (ops: Op[], acked: number[], ackedReceipts: number[]) => void;

  /** @param maxGroupCommit commit as soon as this many afterCommit callers wait (default 64) */
  constructor(store: 'memory' | { path: string }, private readonly maxGroupCommit = 64) {
    this.path = store === 'memory' ? null : store.path;
    if (this.path) mkdirSync(dirname(this.path), { recursive: true });
    this.db = new Database(this.path ?? ':memory:');
    if (this.path) {
      this.db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a committed transaction survives the process being killed (not a power loss).
      this.db.pragma('synchronous = NORMAL');
      // checkpoints run in a worker (Checkpointer); this is only the safety net if it falls behind (~80 MB of WAL)
      this.db.pragma('wal_autocheckpoint = 20000');
    }
    this.db.exec(SCHEMA);
    this.st = {
      insert: this.db.prepare(`INSERT INTO messages (${COLUMNS.join(',')}) VALUES (${COLUMNS.map(() => '?').join(',')})`),
      // the common row (see isCommon): its constant columns written in the statement, 22 values bound instead of 35
      insertCommon: this.db.prepare(`INSERT INTO messages (${COLUMNS.join(',')}) VALUES (${COLUMNS.map((c) => COMMON_CONSTANTS[c] ?? '?').join(',')})`),
      state: this.db.prepare('UPDATE messages SET state=?, err=?, done_at=?, due_at=?, done_detail=? WHERE id=?'),
      history: this.db.prepare('INSERT INTO history (message_id, at, state, detail) VALUES (?,?,?,?)'),
      outboxRow: this.db.prepare('INSERT OR REPLACE INTO outbox (id, kind, message_id, system_id, due_at, attempts, status) VALUES (?,?,?,?,?,?,?)'),
      outboxStatus: this.db.prepare('UPDATE outbox SET status=?, due_at=?, attempts=? WHERE id=?'),
      outboxAcked: this.db.prepare("UPDATE outbox SET status='acked', attempts=1 WHERE id BETWEEN ? AND ?"),
      receiptsAcked: this.db.prepare(
        'INSERT INTO receipts_acked (first_id, last_id, at) VALUES (?,?,?) ON CONFLICT(first_id) DO UPDATE SET last_id = MAX(last_id, excluded.last_id)'),
      ackedReceiptOf: this.db.prepare(
        `SELECT r.at, m.system_id AS systemId FROM messages m JOIN receipts_acked r ON r.first_id = ${RUN_START_SQL('m.id')} WHERE m.id = ? AND r.last_id >= m.id`),
      get: this.db.prepare('SELECT * FROM messages WHERE id=?'),
      byIdOrMulti: this.db.prepare('SELECT * FROM messages WHERE id=? OR multi_id=? ORDER BY id'),
      group: this.db.prepare('SELECT * FROM messages WHERE group_id=? AND part_total > 1 ORDER BY part_num, id'),
      historyOf: this.db.prepare('SELECT at, state, detail FROM history WHERE message_id=? ORDER BY rowid'),
      // after a restart: deliveries to accounts still planned, and receipts still owed (planned, or final with neither
      // an outbox row nor an acknowledged run); implicit transitions without a receipt need nothing, readers derive
      // them. A message for another account (not implicit) owes its receipt once final; until then it is in the first part.
      pendingTransitions: this.db.prepare(
        `SELECT id, due_at AS at, planned_state AS state, planned_err AS err, registered_delivery AS registeredDelivery, system_id AS systemId, direction, deliver_to AS deliverTo FROM messages WHERE due_at IS NOT NULL AND NOT ${IMPLICIT_SQL}
         UNION ALL
         SELECT id, COALESCE(due_at, done_at) AS at, CASE WHEN due_at IS NULL THEN state ELSE planned_state END AS state,
           CASE WHEN due_at IS NULL THEN err ELSE planned_err END AS err, registered_delivery AS registeredDelivery, system_id AS systemId, direction, deliver_to AS deliverTo
         FROM messages m WHERE direction = 'MT' AND system_id <> '' AND registered_delivery & 3 <> 0
           AND (CASE WHEN deliver_to IS NULL THEN due_at IS NOT NULL OR state NOT IN ('ENROUTE', 'SCHEDULED')
                ELSE due_at IS NULL AND state NOT IN ('ENROUTE', 'SCHEDULED') END)
           AND ${wantsReceiptSql("CASE WHEN due_at IS NULL THEN state ELSE planned_state END")}
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id AND o.kind = 'receipt')
           AND NOT EXISTS (SELECT 1 FROM receipts_acked r WHERE r.first_id = ${RUN_START_SQL('m.id')} AND r.last_id >= m.id)`),
      outboxOf: this.db.prepare('SELECT * FROM outbox WHERE message_id=? ORDER BY id'),
      openOutbox: this.db.prepare("SELECT * FROM outbox WHERE status IN ('queued','sent') ORDER BY id"),
      maxId: this.db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM messages'),
      maxOutbox: this.db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM outbox'),
      replaceable: this.db.prepare(
        `SELECT * FROM messages WHERE system_id=? AND source_addr=? AND dest_addr=? AND service_type=? AND state IN ('ENROUTE','SCHEDULED') AND direction='MT' AND NOT ${REACHED_SQL} ORDER BY id DESC LIMIT 1`),
      cancellable: this.db.prepare(
        `SELECT * FROM messages WHERE system_id=? AND source_addr=? AND dest_addr=? AND (?='' OR service_type=?) AND state IN ('ENROUTE','SCHEDULED') AND direction='MT' AND NOT ${REACHED_SQL} ORDER BY id`),
    };
    const replaceStmts = new Map<string, Database.Statement>();
    this.commitTx = this.db.transaction((ops: Op[], acked: number[], ackedReceipts: number[]) => {
      for (const op of ops) {
        switch (op.t) {
          case 'insert': {
            const m = op.m;
            if (isCommon(m, op.detail)) {
              this.st.insertCommon.run(m.id, m.mid, m.id, m.systemId, m.sourceTon, m.sourceNpi, m.sourceAddr, m.destTon, m.destNpi, m.destAddr,
                m.esmClass, m.protocolId, m.priorityFlag, m.registeredDelivery, m.dataCoding, m.shortMessage, m.submittedAt, m.expireAt,
                m.plannedState, m.plannedErr, m.dueAt, m.pdu);
            } else this.st.insert.run(...toRow(op.m, op.detail));
            break;
          }
          case 'state': this.st.state.run(op.state, op.err, op.doneAt, op.dueAt, op.detail, op.id); break;
          case 'replace': {
            const keys = Object.keys(op.fields).filter((k) => REPLACEABLE[k]);
            const sig = keys.join(',');
            let s = replaceStmts.get(sig);
            if (!s) {
              s = this.db.prepare(`UPDATE messages SET ${keys.map((k) => `${REPLACEABLE[k]}=@${k}`).join(',')} WHERE id=@id`);
              replaceStmts.set(sig, s);
            }
            const params: Record<string, unknown> = { id: op.id };
            for (const k of keys) params[k] = (op.fields as Record<string, unknown>)[k] ?? null;
            s.run(params);
            this.st.history.run(op.id, op.at, op.fields.state ?? 'ENROUTE', op.detail);
            break;
          }
          case 'history': this.st.history.run(op.id, op.at, op.state, op.detail); break;
          case 'outboxRow': this.st.outboxRow.run(op.id, op.kind, op.messageId, op.systemId, op.dueAt, op.attempts, op.status); break;
          case 'outboxStatus': this.st.outboxStatus.run(op.status, op.dueAt, op.attempts, op.id); break;
        }
      }
      // after every other write (an item may be inserted and acknowledged within one commit)
      if (acked.length) forRuns(acked, (a, b) => this.st.outboxAcked.run(a, b));
      if (ackedReceipts.length) {
        const now = Date.now();
        forRuns(ackedReceipts, (a, b) => this.st.receiptsAcked.run(a, b, now));
      }
    });
    this.nextId = (this.st.maxId.get() as { m: number }).m + 1;
    this.committedThrough = this.nextId - 1;
    this.nextOutboxId = (this.st.maxOutbox.get() as { m: number }).m + 1;
  }

  /** A new message id (unique in this store, also across restarts). */
  allocateId(): number {
    return this.nextId++;
  }

  /** A new message; its first history entry (submitted_at, its state, detail) is kept in the row itself. */
  insert(m: MessageRecord, detail = 'accepted'): void {
    this.push({ t: 'insert', m, detail });
    if (m.id > this.pendingMaxId) this.pendingMaxId = m.id;
  }

  /** Moves a message to a state; dueAt is the next planned transition (null when none). */
  setState(id: number, state: StateName, err: number, at: number, detail: string, dueAt: number | null = null): void {
    // the row keeps the final transition (done_at, done_detail); only other events go to the history table
    const final = state !== 'ENROUTE' && state !== 'SCHEDULED';
    if (!final) this.push({ t: 'history', id, at, state, detail });
    this.push({ t: 'state', id, state, err, doneAt: final ? at : null, dueAt, detail: final ? detail : '' });
  }

  replace(id: number, fields: Partial<MessageRecord>, at: number, detail: string): void {
    this.push({ t: 'replace', id, fields, at, detail });
  }

  addHistory(id: number, state: StateName, at: number, detail: string): void {
    this.push({ t: 'history', id, at, state, detail });
  }

  /** A deliver_sm owed to an account. An MO delivery is written now; a receipt at its first outcome (see top). */
  enqueueOutbox(kind: OutboxKind, messageId: number, systemId: string, dueAt: number): OutboxItem {
    const o: OutboxItem = { id: this.nextOutboxId++, kind, messageId, systemId, dueAt, attempts: 0, status: 'queued', stored: false };
    if (kind !== 'receipt') this.writeRow(o);
    return o;
  }

  setOutboxStatus(o: OutboxItem): void {
    if (!o.stored) {
      if (o.kind === 'receipt' && o.status === 'acked' && o.attempts === 1) {
        // the common case: no row, the message id joins a run in receipts_acked
        if (this.closed) throw new Error('message store is closed');
        o.stored = true;
        this.ackedReceipts.push(o.messageId);
        this.schedule();
        return;
      }
      // a receipt's first other outcome: its row, written once with what it says now
      return this.writeRow(o);
    }
    if (o.status === 'acked' && o.attempts === 1) {
      // the common case, batched: one UPDATE per run of consecutive ids
      if (this.closed) throw new Error('message store is closed');
      this.acked.push(o.id);
      this.schedule();
      return;
    }
    this.push({ t: 'outboxStatus', id: o.id, status: o.status, dueAt: o.dueAt, attempts: o.attempts });
  }

  private writeRow(o: OutboxItem): void {
    o.stored = true;
    this.push({ t: 'outboxRow', id: o.id, kind: o.kind, messageId: o.messageId, systemId: o.systemId, dueAt: o.dueAt, attempts: o.attempts, status: o.status });
  }

  /** Runs cb once every write made so far is committed (ok = false when the commit failed). */
  afterCommit(cb: (ok: boolean) => void): void {
    this.callbacks.push(cb);
    if (this.callbacks.length >= this.maxGroupCommit) { this.flush(); return; }
    this.schedule();
  }

  /** Called after each commit that wrote something (for waiters). */
  onCommit(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private push(op: Op): void {
    if (this.closed) throw new Error('message store is closed');
    this.pending.push(op);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Commits pending writes now, then runs the afterCommit callbacks. */
  flush(): void {
    this.scheduled = false;
    const { ops, acked, ackedReceipts, maxId } = this.takeWrites();
    const cbs = this.callbacks;
    this.callbacks = [];
    const writes = ops.length + acked.length + ackedReceipts.length;
    let ok = !this.closed || writes === 0;
    if (writes && !this.closed) {
      try {
        this.commitTx(ops, acked, ackedReceipts);
        this.committedThrough = maxId;
      } catch (e) {
        this.committedThrough = maxId;
        ok = false;
        this.lastError = e as Error;
        const lost: number[] = [];
        for (const op of ops) if (op.t === 'insert') lost.push(op.m.id);
        if (lost.length) this.onLostInserts(lost);
      }
    }
    for (const cb of cbs) cb(ok);
    if (writes) for (const l of this.listeners) l();
  }

  // ---- reads (each flushes pending writes first, so it sees them) ----

  get(id: number): MessageRecord | undefined {
    this.flushPending();
    const r = this.st.get.get(id) as Row | undefined;
    return r && toRecord(r, Date.now());
  }

  /** A message and, for submit_multi, the other destinations sharing its message id. */
  byIdWithMulti(id: number): MessageRecord[] {
    this.flushPending();
    const now = Date.now();
    return (this.st.byIdOrMulti.all(id, id) as Row[]).map((r) => toRecord(r, now));
  }

  /** The parts of a logical message (a single message is its own group). */
  group(groupId: number): MessageRecord[] {
    this.flushPending();
    const now = Date.now();
    const rows = this.st.group.all(groupId) as Row[];
    if (rows.length) return rows.map((r) => toRecord(r, now));
    const one = this.st.get.get(groupId) as Row | undefined;
    return one ? [toRecord(one, now)] : [];
  }

  /** State history: acceptance (from the row), events from the history table, the final state (from the row). */
  history(id: number): HistoryEntry[] {
    this.flushPending();
    const r = this.st.get.get(id) as Row | undefined;
    if (!r) return [];
    const out: HistoryEntry[] = [{ at: r.submitted_at as number, state: 'ENROUTE', detail: r.accept_detail as string }];
    out.push(...(this.st.historyOf.all(id) as HistoryEntry[]));
    if (r.done_at !== null) out.push({ at: r.done_at as number, state: r.state as StateName, detail: (r.done_detail as string | null) ?? '' });
    else {
      const m = toRecord(r, Date.now());
      // an implicit transition, reached: the row was not rewritten
      if (m.doneAt !== null) out.push({ at: m.doneAt, state: m.state, detail: plannedDetail(m.state) });
    }
    return out;
  }

  /** Messages with a planned transition (to reschedule after a restart). */
  pendingTransitions(): PlannedTransition[] {
    this.flushPending();
    return this.st.pendingTransitions.all() as PlannedTransition[];
  }

  /** The deliver_sm (receipts, MO) owed or sent for a message (a receipt acknowledged in a run has no outbox id: 0). */
  outboxOf(messageId: number): OutboxItem[] {
    this.flushPending();
    const items = (this.st.outboxOf.all(messageId) as Row[]).map(toOutbox);
    const run = this.st.ackedReceiptOf.get(messageId) as { at: number; systemId: string } | undefined;
    if (run) items.push({ id: 0, kind: 'receipt', messageId, systemId: run.systemId, dueAt: run.at, attempts: 1, status: 'acked', stored: true });
    return items;
  }

  /** Outbox items not yet acknowledged (after a restart, 'sent' ones are sent again). */
  openOutbox(): OutboxItem[] {
    this.flushPending();
    return (this.st.openOutbox.all() as Row[]).map(toOutbox);
  }

  findReplaceable(systemId: string, source: string, dest: string, serviceType: string): MessageRecord | undefined {
    this.flushPending();
    const now = Date.now();
    const r = this.st.replaceable.get(systemId, source, dest, serviceType, now) as Row | undefined;
    return r && toRecord(r, now);
  }

  findCancellable(systemId: string, source: string, dest: string, serviceType: string): MessageRecord[] {
    this.flushPending();
    const now = Date.now();
    return (this.st.cancellable.all(systemId, source, dest, serviceType, serviceType, now) as Row[]).map((r) => toRecord(r, now));
  }

  /**
   * Logical messages (groups of parts) matching the filter, newest first unless order is 'asc'. Rows are walked in
   * id order and grouped on the way, so the newest page costs a few rows, not the whole table.
   */
  query(f: MessageFilter): { total: number; groups: MessageRecord[][] } {
    this.flushPending();
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.systemId !== undefined) { where.push('(system_id = ? OR deliver_to = ?)'); args.push(f.systemId, f.systemId); }
    if (f.from !== undefined) { where.push('source_addr = ?'); args.push(f.from); }
    if (f.to !== undefined) { where.push('dest_addr = ?'); args.push(f.to); }
    if (f.state !== undefined) { where.push(`${STATE_SQL} = ?`); args.push(Date.now(), f.state); }
    if (f.direction !== undefined) { where.push('direction = ?'); args.push(f.direction); }
    if (f.since !== undefined) { where.push('submitted_at >= ?'); args.push(f.since); }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(DISTINCT group_id) AS n FROM messages ${w}`).get(...args) as { n: number }).n;
    const order = f.order === 'asc' ? 'ASC' : 'DESC';
    const limit = f.limit ?? 100;
    const offset = f.offset ?? 0;
    const seen = new Set<number>();
    const picked: number[] = [];
    for (const r of this.db.prepare(`SELECT group_id FROM messages ${w} ORDER BY id ${order}`).iterate(...args) as IterableIterator<{ group_id: number }>) {
      if (seen.has(r.group_id)) continue;
      seen.add(r.group_id);
      if (seen.size > offset) picked.push(r.group_id);
      if (picked.length >= limit) break;
    }
    return { total, groups: picked.map((g) => this.group(g)) };
  }

  count(): number {
    this.flushPending();
    return (this.db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
  }

  /** DELETE /api/messages: forgets every message, its history and its outbox items. */
  deleteAll(): number {
    this.flushPending();
    const n = this.count();
    this.db.exec('DELETE FROM messages; DELETE FROM history; DELETE FROM outbox; DELETE FROM receipts_acked;');
    return n;
  }

  private flushPending(): void {
    if (this.pending.length || this.acked.length || this.ackedReceipts.length) {
      const { ops, acked, ackedReceipts, maxId } = this.takeWrites();
      this.commitTx(ops, acked, ackedReceipts);
      this.committedThrough = maxId;
    }
  }

  /** The pending writes, handed over to a commit. */
  private takeWrites(): { ops: Op[]; acked: number[]; ackedReceipts: number[]; maxId: number } {
    const w = { ops: this.pending, acked: this.acked, ackedReceipts: this.ackedReceipts, maxId: Math.max(this.committedThrough, this.pendingMaxId) };
    this.pending = [];
    this.acked = [];
    this.ackedReceipts = [];
    return w;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.path) this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}

/** Calls fn(first, last) for each run of consecutive numbers in ids (sorted in place). */
function forRuns(ids: number[], fn: (first: number, last: number) => void): void {
  ids.sort((a, b) => a - b);
  let start = ids[0];
  let prev = ids[0];
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] === prev) continue;
    if (ids[i] !== prev + 1) { fn(start, prev); start = ids[i]; }
    prev = ids[i];
  }
  fn(start, prev);
}

/** The columns a common row (isCommon) has the same in every row, as SQL literals. */
const COMMON_CONSTANTS: Partial<Record<(typeof COLUMNS)[number], string>> = {
  part_num: '1', part_total: '1', direction: "'MT'", command: "'submit_sm'", deliver_to: 'NULL', service_type: "''", text: "''",
  schedule_at: 'NULL', state: "'ENROUTE'", err: '0', done_at: 'NULL', accept_detail: "'accepted'", multi_id: 'NULL',
};

/** A single-part submit_sm leaving the simulator, accepted as it came: most rows (written by insertCommon). */
function isCommon(m: MessageRecord, detail: string): boolean {
  return m.partTotal === 1 && m.partNum === 1 && m.groupId === m.id && m.direction === 'MT' && m.command === 'submit_sm'
    && m.deliverTo === null && m.serviceType === '' && m.text === '' && m.scheduleAt === null && m.state === 'ENROUTE'
    && m.err === 0 && m.doneAt === null && (m.multiId ?? null) === null && detail === 'accepted';
}

/** Positional values in COLUMNS order (positional binding is much cheaper than named). */
function toRow(m: MessageRecord, detail: string): unknown[] {
  return [
    m.id, m.mid, m.groupId, m.partNum, m.partTotal, m.direction, m.command, m.systemId, m.deliverTo, m.serviceType,
    m.sourceTon, m.sourceNpi, m.sourceAddr, m.destTon, m.destNpi, m.destAddr, m.esmClass, m.protocolId, m.priorityFlag,
    m.registeredDelivery, m.dataCoding, m.shortMessage, m.text, m.submittedAt, m.scheduleAt, m.expireAt, m.state, m.err,
    m.doneAt, m.plannedState, m.plannedErr, m.dueAt, m.pdu, detail, m.multiId ?? null,
  ];
}
