// The messages table, declared once: each column's name, the MessageRecord key it holds, its SQL type, and the
// value it has in every common row. The DDL, the row mapping both ways, the INSERT statements (all columns, and
// runs of common rows with their constant columns written into the statement) and the replace UPDATE derive from it.
// The mapping functions are generated once at load from the table (positional binding, one object literal per
// row: what a hand-written mapping would do, without a second list of the columns to drift).
import { formatMessageId } from './message-id.js';
import type { MessageRecord } from './record.js';
import type { SqlDatabase } from './sqlite/driver.js';

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
  /**
   * a field the request PDU holds as it is (pdu-fields.ts): NULL in a compact row, which readers fill from its
   * frame; NOT NULL in files of versions before the compact rows (which then write every row whole)
   */
  readonly derived?: true;
  /**
   * mid: NULL in a row written compact whose message id is its id in lower-case hex (the default idFormat), which
   * readers write back; NOT NULL in files of versions before (which then bind it)
   */
  readonly fromId?: true;
  /** the value most rows have, not every common row (planned_state, planned_err: the usual plan, ROW_KIND.DELIVERED) */
  readonly usual?: string | number;
  /** a value the rows of one read mostly share (one account, one millisecond): bound once a run (RowShape.alike) */
  readonly alike?: true;
  /** an address the frame holds: NULL in an ADDRS row of a file created now, else as `derived` (pdu-fields.ts) */
  readonly framed?: true;
}

const c = (name: string, key: Column['key'], sql: string, common?: Column['common']): Column =>
  common === undefined ? { name, key, sql } : { name, key, sql, common };
/** an ALIKE column; a DERIVED one */
const a = (name: string, key: Column['key'], sql: string): Column => ({ name, key, sql, alike: true });
const d = (name: string, key: Column['key'], sql: string): Column => ({ name, key, sql, derived: true });

export const MESSAGE_COLUMNS: readonly Column[] = [
  c('id', 'id', 'INTEGER PRIMARY KEY'),
  { name: 'mid', key: 'mid', sql: 'TEXT', fromId: true },
  c('group_id', 'groupId', 'INTEGER NOT NULL'),
  c('part_num', 'partNum', 'INTEGER NOT NULL', 1),
  c('part_total', 'partTotal', 'INTEGER NOT NULL', 1),
  c('direction', 'direction', 'TEXT NOT NULL', 'MT'),
  c('command', 'command', 'TEXT NOT NULL', 'submit_sm'),
  a('system_id', 'systemId', 'TEXT NOT NULL'),
  c('deliver_to', 'deliverTo', 'TEXT', null),
  c('service_type', 'serviceType', 'TEXT NOT NULL', ''),
  d('source_ton', 'sourceTon', 'INTEGER'),
  d('source_npi', 'sourceNpi', 'INTEGER'),
  { name: 'source_addr', key: 'sourceAddr', sql: 'TEXT NOT NULL', framed: true },
  d('dest_ton', 'destTon', 'INTEGER'),
  d('dest_npi', 'destNpi', 'INTEGER'),
  { name: 'dest_addr', key: 'destAddr', sql: 'TEXT NOT NULL', framed: true },
  d('esm_class', 'esmClass', 'INTEGER'),
  d('protocol_id', 'protocolId', 'INTEGER'),
  d('priority_flag', 'priorityFlag', 'INTEGER'),
  a('registered_delivery', 'registeredDelivery', 'INTEGER NOT NULL'),
  d('data_coding', 'dataCoding', 'INTEGER'),
  d('short_message', 'shortMessage', 'BLOB'),
  c('text', 'text', 'TEXT NOT NULL', ''),
  a('submitted_at', 'submittedAt', 'INTEGER NOT NULL'),
  c('schedule_at', 'scheduleAt', 'INTEGER', null),
  a('expire_at', 'expireAt', 'INTEGER NOT NULL'),
  c('state', 'state', 'TEXT NOT NULL', 'ENROUTE'),
  c('err', 'err', 'INTEGER NOT NULL', 0),
  c('done_at', 'doneAt', 'INTEGER', null),
  { name: 'planned_state', key: 'plannedState', sql: 'TEXT NOT NULL', usual: 'DELIVERED' },
  { name: 'planned_err', key: 'plannedErr', sql: 'INTEGER NOT NULL', usual: 0 },
  a('due_at', 'dueAt', 'INTEGER'),
  c('pdu', 'pdu', 'BLOB'),
  c('accept_detail', 'acceptDetail', 'TEXT NOT NULL', 'accepted'),
  { name: 'done_detail', key: 'doneDetail', sql: 'TEXT', inserted: false },
  c('multi_id', 'multiId', 'INTEGER', null),
];

/** NULL in a record (a DERIVED column is NULL only in a compact row, and filled when read) */
const nullable = (col: Column) =>
  !col.derived && !col.fromId && !col.framed && !col.sql.includes('NOT NULL') && !col.sql.includes('PRIMARY KEY');
/**
 * Never NULL in a record, but nullable in a file created now: a common row leaves it to its DEFAULT (an ADDRS row
 * its FRAMED columns NULL), and SQLite would check its NOT NULL in every row all the same (an opcode a column a
 * row). The writers that bind it check it instead (valueExpr, notNullFailed; writer.ts for a state and a replace):
 * a NULL fails the commit as the constraint does in files of older versions.
 */
const leftToDefault = (col: Column) =>
  (col.sql.includes('NOT NULL') && (col.common ?? col.usual ?? null) !== null) || col.framed === true;
/** the columns leftToDefault (and the FRAMED ones, NULL in ADDRS rows), by name */
export const CHECKED_IN_WRITERS: ReadonlySet<string> = new Set(
  MESSAGE_COLUMNS.filter(leftToDefault).map((col) => col.name),
);
/** What SQLite's NOT NULL would throw (a column CHECKED_IN_WRITERS given no value). */
export function notNullFailed(column: string): never {
  throw Object.assign(new Error(`NOT NULL constraint failed: messages.${column}`), {
    code: 'SQLITE_CONSTRAINT_NOTNULL',
  });
}
const RECORD_COLUMNS = MESSAGE_COLUMNS.filter((col) => col.key !== 'acceptDetail' && col.key !== 'doneDetail');
const INSERTED = MESSAGE_COLUMNS.filter((col) => col.inserted !== false);
const sqlLiteral = (v: string | number | null) =>
  v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
/** the JS expression of a column's value, for the generated functions (m: the record, detail: the accept detail) */
const rawExpr = (col: Column, m = 'm') =>
  col.key === 'acceptDetail' ? 'detail' : nullable(col) ? `(${m}.${col.key} ?? null)` : `${m}.${col.key}`;
/** ... checked where the file may not check it (leftToDefault) */
const valueExpr = (col: Column) =>
  leftToDefault(col) ? `(${rawExpr(col)} ?? nn(${JSON.stringify(col.name)}))` : rawExpr(col);
/** a generated function of `params` with notNullFailed as nn */
const generated = (params: string[], body: string) =>
  new Function('nn', `return (${params.join(', ')}) => { ${body} };`)(notNullFailed);

/** a column's DEFAULT in the DDL: its common value, or its usual one (NULL needs none) */
const defaultOf = (col: Column) => {
  const v = col.common ?? col.usual;
  return v === undefined || v === null ? '' : ` DEFAULT ${sqlLiteral(v)}`;
};
/**
 * The CREATE TABLE of messages. Each column with a common (or usual) value has it as its DEFAULT: an INSERT of
 * common rows leaves those columns out (SQLite fills a constant default once per statement, not once per row).
 */
export const MESSAGES_DDL = `CREATE TABLE IF NOT EXISTS messages (\n  ${MESSAGE_COLUMNS.map((col) => `${col.name} ${leftToDefault(col) ? col.sql.replace(' NOT NULL', '') : col.sql}${defaultOf(col)}`).join(',\n  ')}\n)`;

/** INSERT of every inserted column. */
export const INSERT_SQL = `INSERT INTO messages (${INSERTED.map((col) => col.name).join(',')}) VALUES (${INSERTED.map(() => '?').join(',')})`;
interface Runnable {
  run(...params: unknown[]): unknown;
}

/** How runs of common rows are inserted: whole (every column), or compact (without the DERIVED columns). */
export interface RowShape {
  /** the values a row binds */
  readonly bound: number;
  /**
   * INSERT of `rows` common rows in one statement (`bound` values a row, in put's order), its constant columns
   * written in the statement. OR FAIL: a failing row fails the statement without undoing the rows before it, so
   * SQLite keeps no statement journal (a copy of each page the statement touches); the commit's transaction is
   * rolled back whole anyway (group-commit.ts).
   */
  sql(rows: number): string;
  /** Writes the values a row binds into `to` from index `at`. */
  put(to: unknown[], at: number, m: MessageRecord): void;
  /** Runs the one-row statement (sql(1)) with a row's values as arguments, no array spread. */
  runOne(st: Runnable, m: MessageRecord): unknown;
  /** the same rows with their ALIKE columns bound once a statement (null: the shape binds none of them) */
  readonly alike: AlikeRows | null;
}

/**
 * Rows alike (same()) inserted by one statement that binds their ALIKE values once, as named parameters (@column,
 * from an object before the positional values): each bound value is a call into SQLite, a string also two copies.
 * bound, sql and put as in RowShape, for the values of a row's own.
 */
export interface AlikeRows extends Pick<RowShape, 'bound' | 'sql' | 'put'> {
  /** Do these two rows have the same ALIKE values? */
  same(a: MessageRecord, b: MessageRecord): boolean;
  /** Writes a row's ALIKE values into `to`, by column name. */
  named(to: Record<string, unknown>, m: MessageRecord): void;
}

/** columns a shape writes as constants rather than bound values (by name: the value) */
type Literals = Readonly<Record<string, string | number | null>>;
/**
 * The DEFAULT of each column in a file's messages table, as SQL text ('NULL' for a column without one), or null: a
 * shape that leaves no column out.
 */
type FileDefaults = ReadonlyMap<string, string> | null;

/**
 * The INSERT of common rows with `cols`: a column with a constant value (its common value, or one of `literals`)
 * is left out where the file's default for it is that value, else written as a literal; the others are bound.
 */
function rowShape(cols: readonly Column[], literals: Literals = {}, defaults: FileDefaults = null): RowShape {
  const constant = (col: Column) => (col.name in literals ? literals[col.name]! : col.common);
  const fixed = (col: Column) => constant(col) !== undefined;
  const written = cols.filter((col) => !fixed(col) || defaults?.get(col.name) !== sqlLiteral(constant(col)!));
  const bound = written.filter((col) => !fixed(col));
  const rowOf = (param: (col: Column) => string) =>
    `(${written.map((col) => (fixed(col) ? sqlLiteral(constant(col)!) : param(col))).join(',')})`;
  const row = rowOf(() => '?');
  const head = `INSERT OR FAIL INTO messages (${written.map((col) => col.name).join(',')}) VALUES `;
  const alike = bound.filter((col) => col.alike);
  const own = bound.filter((col) => !col.alike);
  const alikeRow = rowOf((col) => (col.alike ? `@${col.name}` : '?'));
  const putOf = (put: Column[]) =>
    generated(
      ['to', 'at', 'm'],
      put.map((col, i) => `to[at + ${i}] = ${valueExpr(col)};`).join('\n'),
    ) as RowShape['put'];
  return {
    bound: bound.length,
    sql: (rows) => head + Array(rows).fill(row).join(','),
    put: putOf(bound),
    runOne: generated(['st', 'm'], `return st.run(${bound.map(valueExpr).join(', ')});`) as RowShape['runOne'],
    alike:
      alike.length === 0
        ? null
        : {
            bound: own.length,
            sql: (rows) => head + Array(rows).fill(alikeRow).join(','),
            same: generated(
              ['a', 'b'],
              `return ${alike.map((col) => `${rawExpr(col, 'a')} === ${rawExpr(col, 'b')}`).join(' && ')};`,
            ) as AlikeRows['same'],
            named: generated(['to', 'm'], alike.map((col) => `to.${col.name} = ${valueExpr(col)};`).join('\n')),
            put: putOf(own),
          },
  };
}

/** common rows written whole, every column in the statement */
export const WHOLE_ROWS = rowShape(INSERTED);
/** common rows whose frame holds their DERIVED fields (pdu-fields.ts derivableFromPdu), written without them */
export const COMPACT_ROWS = rowShape(INSERTED.filter((col) => !col.derived));

/**
 * The kinds of common row, each with its INSERT (a bit each, any combination): COMPACT (above); ID_MID, a compact
 * row whose mid is its id in lower-case hex, written NULL (where the file takes it: takesIdMids); DELIVERED, a row
 * with the usual plan (DELIVERED, error 0), written as constants; ADDRS, a compact row whose addresses are its
 * frame's, in ASCII, written NULL (where the file takes it: pdu-fields.ts takesFramedAddrs).
 */
export const ROW_KIND = { COMPACT: 1, ID_MID: 2, DELIVERED: 4, ADDRS: 8 } as const;
const USUAL: Literals = Object.fromEntries(
  MESSAGE_COLUMNS.filter((col) => col.usual !== undefined).map((col) => [col.name, col.usual!]),
);

/**
 * The INSERT of each kind of common row (ROW_KIND bits) into this file, made at its first use: the columns it
 * leaves to their defaults are those the file's table gives the same value (a file of an older version has no
 * DEFAULTs: only its NULL columns are left out).
 */
export function rowShapes(db: SqlDatabase): (kind: number) => RowShape {
  const info = db.pragma('table_info(messages)') as Array<{ name: string; dflt_value: string | null }>;
  const defaults = new Map(info.map((col) => [col.name, col.dflt_value ?? 'NULL']));
  const shapes: RowShape[] = [];
  return (kind) => {
    let s = shapes[kind];
    if (s) return s;
    const cols = kind & ROW_KIND.COMPACT ? INSERTED.filter((col) => !col.derived) : INSERTED;
    const literals: Record<string, string | number | null> = kind & ROW_KIND.DELIVERED ? { ...USUAL } : {};
    if (kind & ROW_KIND.ID_MID) literals.mid = null;
    if (kind & ROW_KIND.ADDRS) for (const col of MESSAGE_COLUMNS) if (col.framed) literals[col.name] = null;
    s = rowShape(cols, literals, defaults);
    shapes[kind] = s;
    return s;
  };
}

/** Runs the INSERT statement with the record's values in column order. */
export const runInsert = generated(['st', 'm', 'detail'], `return st.run(${INSERTED.map(valueExpr).join(', ')});`) as (
  st: Runnable,
  m: MessageRecord,
  detail: string,
) => unknown;

/**
 * A single-part submit_sm leaving the simulator, accepted as it came (most rows): every column with a common value
 * has it, so insertCommonRowsSql writes the row.
 */
const COMMON_TESTS = INSERTED.filter((col) => col.common !== undefined).map(
  (col) => `${rawExpr(col)} === ${JSON.stringify(col.common)}`,
);
export const isCommon = new Function('m', 'detail', `return ${COMMON_TESTS.join(' && ')};`) as (
  m: MessageRecord,
  detail: string,
) => boolean;

/** A row of messages (SELECT *) as the record it stores (before lifecycle.ts derives what readers see); a mid left
 * NULL is the id in hex (message-id.ts, the one place the id forms are written). */
export const rowToRecord = new Function(
  'hexId',
  `return (r) => ({ ${RECORD_COLUMNS.map((col) => `${col.key}: r.${col.name}${col.fromId ? ' ?? hexId(r.id)' : nullable(col) ? ' ?? null' : ''}`).join(', ')} });`,
)((id: number) => formatMessageId(id, 'hex')) as (r: Record<string, unknown>) => MessageRecord;

/** The column of a record key. */
export const COLUMN_OF: Readonly<Partial<Record<Key, string>>> = Object.fromEntries(
  RECORD_COLUMNS.map((col) => [col.key, col.name]),
);

/** Are these columns nullable in this file's messages table (NOT NULL in a file of a version before its rows)? */
const takesNull = (db: SqlDatabase, names: (col: Column) => boolean | undefined): boolean => {
  const cols = db.pragma('table_info(messages)') as Array<{ name: string; notnull: number }>;
  const of = new Set(MESSAGE_COLUMNS.filter(names).map((col) => col.name));
  return cols.every((col) => !of.has(col.name) || col.notnull === 0);
};
/**
 * Does this file take compact rows (its DERIVED columns nullable)? ID_MID rows (mid)? ADDRS rows (the FRAMED
 * columns)? A file created by a version before them has them NOT NULL: its rows are written as that version did.
 */
export const takesCompactRows = (db: SqlDatabase) => takesNull(db, (col) => col.derived);
export const takesIdMids = (db: SqlDatabase) => takesNull(db, (col) => col.fromId);
export const takesFramedAddrs = (db: SqlDatabase) => takesNull(db, (col) => col.framed);
