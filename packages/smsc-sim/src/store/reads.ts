// Rows read back for the store's readers: a message row as readers see it at a given time (its single-part text
// decoded, a reached implicit transition applied, lifecycle.ts), an outbox row, a message's state history and the
// deliver_sm owed or sent for it (a receipt acknowledged in a run, receipt-runs.ts, included). Callers commit
// pending writes first (message-store.ts read()).
import type { StateName } from '../config/types.js';
import { messageText } from '../util/user-data.js';
import { rowToRecord } from './columns.js';
import { asSeen, plannedDetail } from './lifecycle.js';
import { fillFromPdu } from './pdu-fields.js';
import type { HistoryEntry, MessageRecord, OutboxItem, OutboxKind, OutboxStatus } from './record.js';
import type { Statements } from './statements.js';

export type Row = Record<string, unknown>;

/**
 * A stored row as readers see it at `now`: a compact row's fields from its frame (pdu-fields.ts), its single-part
 * text decoded, a reached implicit transition applied.
 */
export function toRecord(r: Row, now: number): MessageRecord {
  const m = rowToRecord(r);
  if (r.source_ton === null || r.short_message === null) fillFromPdu(m, r);
  if (m.text === '' && m.shortMessage.length > 0) m.text = messageText(m);
  return asSeen(m, now);
}

export function toOutbox(r: Row): OutboxItem {
  return {
    id: r.id as number,
    kind: r.kind as OutboxKind,
    messageId: r.message_id as number,
    systemId: r.system_id as string,
    dueAt: r.due_at as number,
    attempts: r.attempts as number,
    status: r.status as OutboxStatus,
    stored: true,
  };
}

/** State history: acceptance (from the row), events from the history table, the final state (from the row). */
export function historyOf(st: Statements, id: number): HistoryEntry[] {
  const r = st.get.get(id) as Row | undefined;
  if (!r) return [];
  const out: HistoryEntry[] = [{ at: r.submitted_at as number, state: 'ENROUTE', detail: r.accept_detail as string }];
  out.push(...(st.historyOf.all(id) as HistoryEntry[]));
  if (r.done_at !== null)
    out.push({
      at: r.done_at as number,
      state: r.state as StateName,
      detail: (r.done_detail as string | null) ?? '',
    });
  else {
    const m = toRecord(r, Date.now());
    // an implicit transition, reached: the row was not rewritten
    if (m.doneAt !== null) out.push({ at: m.doneAt, state: m.state, detail: plannedDetail(m.state) });
  }
  return out;
}

/** The deliver_sm (receipts, MO) owed or sent for a message (a receipt acknowledged in a run has no outbox id: 0). */
export function outboxOfMessage(st: Statements, messageId: number): OutboxItem[] {
  const items = (st.outboxOf.all(messageId) as Row[]).map(toOutbox);
  const run = st.ackedReceiptOf.get(messageId) as { at: number; systemId: string } | undefined;
  if (run)
    items.push({
      id: 0,
      kind: 'receipt',
      messageId,
      systemId: run.systemId,
      dueAt: run.at,
      attempts: 1,
      status: 'acked',
      stored: true,
    });
  return items;
}
