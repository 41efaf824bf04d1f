// The store's SQL: the tables (messages from columns.ts) and every prepared statement. Lifecycle conditions come
// from lifecycle.ts, receipt runs from receipt-runs.ts.

import { INSERT_SQL, MESSAGES_DDL } from './columns.js';
import { ASKS_FOR_RECEIPT_SQL, IMPLICIT_SQL, pendingSql, REACHED_SQL, wantsReceiptSql } from './lifecycle.js';
import { FRAMED_EQ } from './pdu-fields.js';
import { IN_ACKED_RUN_SQL, RECEIPTS_ACKED_DDL, RUN_START_SQL } from './receipt-runs.js';
import { ROW_COUNT_DDL } from './row-count.js';
import { SETTLED_DDL } from './settled.js';
import type { SqlDatabase, SqlStatement } from './sqlite/driver.js';

export const SCHEMA = `
${MESSAGES_DDL};
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
${RECEIPTS_ACKED_DDL};
${SETTLED_DDL};
${ROW_COUNT_DDL};
`;

/** the planned or final state, whichever the row holds (due_at set: planned) */
const PLANNED_OR_FINAL = (planned: string, final: string) =>
  `CASE WHEN due_at IS NULL THEN ${final} ELSE ${planned} END`;
const NOT_REACHED_PENDING = `${pendingSql('state')} AND direction='MT' AND NOT ${REACHED_SQL}`;

/** `address = ?` as readers see the addresses (NULL in a row written with its frame's: pdu-fields.ts), each
 * binding its address three times */
const { source_addr: SOURCE_IS, dest_addr: DEST_IS } = FRAMED_EQ;
/** the most broadcasts of one source address a lookup without message_id considers (the newest) */
const MAX_BROADCASTS_SEEN = 1000;
// after a restart: deliveries to accounts still planned, and receipts still owed (planned, or final with neither
// an outbox row nor an acknowledged run); implicit transitions without a receipt need nothing, readers derive
// them. A message for another account (not implicit) owes its receipt once final; until then it is in the first part.
// The acknowledged-run test comes before the outbox lookup: most old messages are in a run, and each test is a seek
// per row of a scan (a first start on 1 M rows: ~1.05 s of CPU → ~0.65 s).
const PLANNED_FOR_ACCOUNTS = `SELECT id, due_at AS at, planned_state AS state, planned_err AS err, registered_delivery AS registeredDelivery, system_id AS systemId, direction, deliver_to AS deliverTo FROM messages WHERE due_at IS NOT NULL AND NOT ${IMPLICIT_SQL}`;
const OWED_RECEIPT = `direction = 'MT' AND system_id <> '' AND ${ASKS_FOR_RECEIPT_SQL}
       AND (CASE WHEN deliver_to IS NULL THEN due_at IS NOT NULL OR NOT ${pendingSql('state')}
            ELSE due_at IS NULL AND NOT ${pendingSql('state')} END)
       AND ${wantsReceiptSql(PLANNED_OR_FINAL('planned_state', 'state'))}
       AND NOT ${IN_ACKED_RUN_SQL('m.id')}
       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id AND o.kind = 'receipt')`;
const OWED_OR_PLANNED_RECEIPTS = `SELECT id, COALESCE(due_at, done_at) AS at, ${PLANNED_OR_FINAL('planned_state', 'state')} AS state,
       ${PLANNED_OR_FINAL('planned_err', 'err')} AS err, registered_delivery AS registeredDelivery, system_id AS systemId, direction, deliver_to AS deliverTo
     FROM messages m WHERE ${OWED_RECEIPT}`;
/** owed by @now (reached or final then), among the messages up to @maxId */
const OWED_BY = 'COALESCE(due_at, done_at, 0) <= @now AND id <= @maxId';

/**
 * The first message in (@settled, @to] that needs something at a restart: what either start-up read would find
 * (settled.ts; the checkpoint worker runs it too).
 */
export const FIRST_NEEDING_SQL = `SELECT id FROM messages m WHERE id > @settled AND id <= @to AND ((due_at IS NOT NULL AND NOT ${IMPLICIT_SQL}) OR (${OWED_RECEIPT})) ORDER BY id LIMIT 1`;

/** messages read by one recordsIn */
export const RECORDS_PER_READ = 64;

const SQL = {
  insert: INSERT_SQL,
  state: 'UPDATE messages SET state=?, err=?, done_at=?, due_at=NULL, done_detail=? WHERE id=?',
  history: 'INSERT INTO history (message_id, at, state, detail) VALUES (?,?,?,?)',
  outboxRow:
    'INSERT OR REPLACE INTO outbox (id, kind, message_id, system_id, due_at, attempts, status) VALUES (?,?,?,?,?,?,?)',
  outboxStatus: 'UPDATE outbox SET status=?, due_at=?, attempts=? WHERE id=?',
  outboxAcked: "UPDATE outbox SET status='acked', attempts=1 WHERE id BETWEEN ? AND ?",
  receiptsAcked:
    'INSERT INTO receipts_acked (first_id, last_id, at) VALUES (?,?,?) ON CONFLICT(first_id) DO UPDATE SET last_id = MAX(last_id, excluded.last_id)',
  ackedReceiptOf: `SELECT r.at, m.system_id AS systemId FROM messages m JOIN receipts_acked r ON r.first_id = ${RUN_START_SQL('m.id')} WHERE m.id = ? AND r.last_id >= m.id`,
  get: 'SELECT * FROM messages WHERE id=?',
  byIdOrMulti: 'SELECT * FROM messages WHERE id=? OR multi_id=? ORDER BY id',
  group: 'SELECT * FROM messages WHERE group_id=? AND part_total > 1 ORDER BY part_num, id',
  historyOf: 'SELECT at, state, detail FROM history WHERE message_id=? ORDER BY rowid',
  pendingTransitions: `${PLANNED_FOR_ACCOUNTS} UNION ALL ${OWED_OR_PLANNED_RECEIPTS}`,
  // recovery reads the same in three parts: transitions still ahead (into memory), and the receipts owed by then,
  // per account (how many, the first id) and in pages of message ids (outbox-pager.ts)
  // (above the settled mark: settled.ts)
  plannedTransitions: `${PLANNED_FOR_ACCOUNTS} AND id > @settled UNION ALL ${OWED_OR_PLANNED_RECEIPTS} AND due_at > @now AND id > @settled`,
  owedReceiptAccounts: `SELECT system_id AS systemId, MIN(id) AS first, COUNT(*) AS n FROM messages m WHERE id > @settled AND ${OWED_RECEIPT} AND ${OWED_BY} GROUP BY system_id`,
  firstNeeding: FIRST_NEEDING_SQL,
  owedReceiptPage: `SELECT id FROM messages m WHERE system_id = @systemId AND id > @after AND ${OWED_RECEIPT} AND ${OWED_BY} ORDER BY id LIMIT @limit`,
  openOutboxAccounts:
    "SELECT system_id AS systemId, kind, COUNT(*) AS n FROM outbox WHERE status IN ('queued','sent') GROUP BY system_id, kind",
  openOutboxPage:
    "SELECT * FROM outbox WHERE system_id = ? AND status IN ('queued','sent') AND id > ? ORDER BY id LIMIT ?",
  recordsIn: `SELECT * FROM messages WHERE id IN (${Array(RECORDS_PER_READ).fill('?').join(',')}) ORDER BY id`,
  outboxOf: 'SELECT * FROM outbox WHERE message_id=? ORDER BY id',
  openOutbox: "SELECT * FROM outbox WHERE status IN ('queued','sent') ORDER BY id",
  maxId: 'SELECT COALESCE(MAX(id), 0) AS m FROM messages',
  maxOutbox: 'SELECT COALESCE(MAX(id), 0) AS m FROM outbox',
  count: 'SELECT COUNT(*) AS n FROM messages',
  replaceable: `SELECT * FROM messages WHERE system_id=? AND service_type=? AND ${NOT_REACHED_PENDING} AND ${SOURCE_IS} AND ${DEST_IS} ORDER BY id DESC LIMIT 1`,
  cancellable: `SELECT * FROM messages WHERE system_id=? AND (?='' OR service_type=?) AND ${NOT_REACHED_PENDING} AND ${SOURCE_IS} AND ${DEST_IS} ORDER BY id`,
  // cancel_broadcast_sm / query_broadcast_sm without a message_id; replace by user_message_reference
  broadcasts: `SELECT * FROM messages WHERE system_id=? AND command='broadcast_sm' AND ${SOURCE_IS} ORDER BY id DESC LIMIT ${MAX_BROADCASTS_SEEN}`,
} as const;

export type Statements = { readonly [K in keyof typeof SQL]: SqlStatement };

export function prepare(db: SqlDatabase): Statements {
  return Object.fromEntries(Object.entries(SQL).map(([k, sql]) => [k, db.prepare(sql)])) as unknown as Statements;
}
