// The messages table, declared once: each column's name, the MessageRecord key it holds, its SQL type, and the
// value it has in every common row. The DDL, the row mapping both ways, the INSERT statements (all columns, and
// runs of common rows with their constant columns written into the statement) and the replace UPDATE derive from it.
// The mapping functions are generated once at load from the table (positional binding, one object literal per
// row: what a hand-written mapping would do, without a second list of the columns to drift).
import type { MessageRecord } from './record.js';

type Key = keyof MessageRecord;

interface Column {
  readonly name: string;
  /** the record key; 'acceptDetail' / 'doneDetail' are the detail texts of the first and final history entries */
  readonly key: Key | 'acceptDetail' | 'doneDetail';
  readonly sql: string;
  /** the value every common row has in this column (see isCommon) */
  readonly common?: string | number | null;
  /** written by the INSERT (done_detail is written only by a final transition) */
  readonly inserted?: false;
}

const c = (name: string, key: Column['key'], sql: string, common?: Column['common']): Column =>
  common === undefined ? { name, key, sql } : { name, key, sql, common };

export const MESSAGE_COLUMNS: readonly Column[] = [
  c('id', 'id', 'INTEGER PRIMARY KEY'),
  c('mid', 'mid', 'TEXT NOT NULL'),
  c('group_id', 'groupId', 'INTEGER NOT NULL'),
  c('part_num', 'partNum', 'INTEGER NOT NULL', 1),
  c('part_total', 'partTotal', 'INTEGER NOT NULL', 1),
  c('direction', 'direction', 'TEXT NOT NULL', 'MT'),
  c('command', 'command', 'TEXT NOT NULL', 'submit_sm'),
  c('system_id', 'systemId', 'TEXT NOT NULL'),
  c('deliver_to', 'deliverTo', 'TEXT', null),
  c('service_type', 'serviceType', 'TEXT NOT NULL', ''),
  c('source_ton', 'sourceTon', 'INTEGER NOT NULL'),
  c('source_npi', 'sourceNpi', 'INTEGER NOT NULL'),
  c('source_addr', 'sourceAddr', 'TEXT NOT NULL'),
  c('dest_ton', 'destTon', 'INTEGER NOT NULL'),
  c('dest_npi', 'destNpi', 'INTEGER NOT NULL'),
  c('dest_addr', 'destAddr', 'TEXT NOT NULL'),
  c('esm_class', 'esmClass', 'INTEGER NOT NULL'),
  c('protocol_id', 'protocolId', 'INTEGER NOT NULL'),
  c('priority_flag', 'priorityFlag', 'INTEGER NOT NULL'),
  c('registered_delivery', 'registeredDelivery', 'INTEGER NOT NULL'),
  c('data_coding', 'dataCoding', 'INTEGER NOT NULL'),
  c('short_message', 'shortMessage', 'BLOB NOT NULL'),
  c('text', 'text', 'TEXT NOT NULL', ''),
  c('submitted_at', 'submittedAt', 'INTEGER NOT NULL'),
  c('schedule_at', 'scheduleAt', 'INTEGER', null),
  c('expire_at', 'expireAt', 'INTEGER NOT NULL'),
  c('state', 'state', 'TEXT NOT NULL', 'ENROUTE'),
  c('err', 'err', 'INTEGER NOT NULL', 0),
  c('done_at', 'doneAt', 'INTEGER', null),
  c('planned_state', 'plannedState', 'TEXT NOT NULL'),
  c('planned_err', 'plannedErr', 'INTEGER NOT NULL'),
  c('due_at', 'dueAt', 'INTEGER'),
  c('pdu', 'pdu', 'BLOB'),
  c('accept_detail', 'acceptDetail', 'TEXT NOT NULL', 'accepted'),
  { name: 'done_detail', key: 'doneDetail', sql: 'TEXT', inserted: false },
  c('multi_id', 'multiId', 'INTEGER', null),
];

const nullable = (col: Column) => !col.sql.includes('NOT NULL') && !col.sql.includes('PRIMARY KEY');
const RECORD_COLUMNS = MESSAGE_COLUMNS.filter((col) => col.key !== 'acceptDetail' && col.key !== 'doneDetail');
const INSERTED = MESSAGE_COLUMNS.filter((col) => col.inserted !== false);
const sqlLiteral = (v: string | number | null) =>
  v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
/** the JS expression of a column's value, for the generated functions (m: the record, detail: the accept detail) */
const valueExpr = (col: Column) =>
  col.key === 'acceptDetail' ? 'detail' : nullable(col) ? `(m.${col.key} ?? null)` : `m.${col.key}`;

/** The CREATE TABLE of messages. */
export const MESSAGES_DDL = `CREATE TABLE IF NOT EXISTS messages (\n  ${MESSAGE_COLUMNS.map((col) => `${col.name} ${col.sql}`).join(',\n  ')}\n)`;

/** INSERT of every inserted column. */
export const INSERT_SQL = `INSERT INTO messages (${INSERTED.map((col) => col.name).join(',')}) VALUES (${INSERTED.map(() => '?').join(',')})`;
const BOUND_IN_COMMON = INSERTED.filter((col) => col.common === undefined);
/** the VALUES row of a common row: its constant columns written in the statement, the rest bound */
const COMMON_ROW = `(${INSERTED.map((col) => (col.common !== undefined ? sqlLiteral(col.common) : '?')).join(',')})`;
/** the values a common row binds */
export const COMMON_BOUND = BOUND_IN_COMMON.length;
/**
 * INSERT of `rows` common rows in one statement (COMMON_BOUND values a row, in putCommonValues' order). OR FAIL: a
 * failing row fails the statement without undoing the rows before it, so SQLite keeps no statement journal (a copy
 * of each page the statement touches); the commit's transaction is rolled back whole anyway (group-commit.ts).
 */
export const insertCommonRowsSql = (rows: number): string =>
  `INSERT OR FAIL INTO messages (${INSERTED.map((col) => col.name).join(',')}) VALUES ${Array(rows).fill(COMMON_ROW).join(',')}`;

interface Runnable {
  run(...params: unknown[]): unknown;
}

/** Runs the INSERT statement with the record's values in column order. */
export const runInsert = new Function('st', 'm', 'detail', `return st.run(${INSERTED.map(valueExpr).join(', ')});`) as (
  st: Runnable,
  m: MessageRecord,
  detail: string,
) => unknown;
/** Writes the values a common row binds into `to` from index `at` (COMMON_BOUND of them). */
export const putCommonValues = new Function(
  'to',
  'at',
  'm',
  BOUND_IN_COMMON.map((col, i) => `to[at + ${i}] = ${valueExpr(col)};`).join('\n'),
) as (to: unknown[], at: number, m: MessageRecord) => void;

/** Runs the one-row common INSERT (insertCommonRowsSql(1)) with a row's values as arguments, no array spread. */
export const runCommonRow = new Function('st', 'm', `return st.run(${BOUND_IN_COMMON.map(valueExpr).join(', ')});`) as (
  st: { run(...params: unknown[]): unknown },
  m: MessageRecord,
) => unknown;

/**
 * A single-part submit_sm leaving the simulator, accepted as it came (most rows): every column with a common value
 * has it, so insertCommonRowsSql writes the row.
 */
const COMMON_TESTS = INSERTED.filter((col) => col.common !== undefined).map(
  (col) => `${valueExpr(col)} === ${JSON.stringify(col.common)}`,
);
export const isCommon = new Function('m', 'detail', `return ${COMMON_TESTS.join(' && ')};`) as (
  m: MessageRecord,
  detail: string,
) => boolean;

/** A row of messages (SELECT *) as the record it stores (before lifecycle.ts derives what readers see). */
export const rowToRecord = new Function(
  'r',
  `return { ${RECORD_COLUMNS.map((col) => `${col.key}: r.${col.name}${nullable(col) ? ' ?? null' : ''}`).join(', ')} };`,
) as (r: Record<string, unknown>) => MessageRecord;

/** The column of a record key. */
export const COLUMN_OF: Readonly<Partial<Record<Key, string>>> = Object.fromEntries(
  RECORD_COLUMNS.map((col) => [col.key, col.name]),
);
