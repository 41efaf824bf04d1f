// SqlDatabase on sql.js (SQLite compiled to WebAssembly): the in-memory fallback where better-sqlite3 cannot be
// loaded. It keeps better-sqlite3's semantics for what the store uses:
// - binding: positional values fill `?` in order, one plain object fills named parameters (@name, :name, $name, keys
//   without the prefix); too few / too many values or a missing name is an error; undefined binds NULL; a Buffer or
//   Uint8Array binds a BLOB (an empty one stays an empty BLOB); a boolean or another object is a TypeError.
// - reading: rows as objects keyed by column name (a later column of the same name wins), BLOBs as Buffers,
//   INTEGER and REAL as numbers (an integer beyond 2^53 loses precision, as in better-sqlite3 without safeIntegers).
// - run() gives changes (0 when the statement changed nothing) and lastInsertRowid; get/all/iterate on a statement
//   that returns no data is a TypeError; a statement iterated is busy until the iteration ends.
// - transaction(fn): commits when fn returns, rolls back and rethrows when it throws; a call inside a transaction
//   (another transaction() or one begun with exec('BEGIN')) undoes only its own part on a throw; fn returning a
//   promise is a TypeError (and rolls back). inTransaction counts transaction() calls only.
// One difference stays: a number is bound as INTEGER when it is a 32-bit integer and as REAL otherwise
// (better-sqlite3 binds every number as REAL); a column with INTEGER affinity stores both as the same integer.
import type { Database as SqlJsDatabase, Statement as SqlJsStatement, SqlJsStatic, SqlValue } from 'sql.js';
import { type SqlParamLayout, sqlParamLayout } from './sql-params.js';
import type { SqlDatabase, SqlRunResult, SqlStatement } from './types.js';

const NAME = '"\t_sqljs.\t"';
const SAVEPOINT = `SAVEPOINT ${NAME}`;
const RELEASE = `RELEASE ${NAME}`;

/** sql.js statements are WebAssembly memory: freed when their wrapper is collected (or when the database closes) */
const finalizer = new FinalizationRegistry<SqlJsStatement>((s) => {
  try {
    s.free();
  } catch {
    /* closed already */
  }
});

/** sql.js throws strings for some misuse: make every throw an Error */
function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

function isNamedObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function checkValue(v: unknown): SqlValue {
  if (v === undefined || v === null) return null;
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'bigint' || v instanceof Uint8Array) return v as SqlValue;
  throw new TypeError('SQLite3 can only bind numbers, strings, bigints, buffers, and null');
}

class SqlJsStatementWrapper implements SqlStatement {
  private busy = false;
  readonly reader: boolean;

  constructor(
    private readonly owner: SqlJsConnection,
    private readonly stmt: SqlJsStatement,
    private readonly layout: SqlParamLayout,
    readonly source: string,
  ) {
    this.reader = stmt.getColumnNames().length > 0;
    finalizer.register(this, stmt);
  }

  run(...params: unknown[]): SqlRunResult {
    this.bind(params);
    try {
      while (this.stmt.step()) {
        /* rows of a reader are discarded, as better-sqlite3's run() does */
      }
    } catch (e) {
      throw asError(e);
    } finally {
      this.stmt.reset();
    }
    return this.owner.runResult();
  }

  get(...params: unknown[]): unknown {
    this.expectReader();
    this.bind(params);
    try {
      return this.stmt.step() ? this.row(this.stmt.getColumnNames()) : undefined;
    } catch (e) {
      throw asError(e);
    } finally {
      this.stmt.reset();
    }
  }

  all(...params: unknown[]): unknown[] {
    this.expectReader();
    this.bind(params);
    const out: unknown[] = [];
    try {
      const names = this.stmt.getColumnNames();
      while (this.stmt.step()) out.push(this.row(names));
    } catch (e) {
      throw asError(e);
    } finally {
      this.stmt.reset();
    }
    return out;
  }

  iterate(...params: unknown[]): IterableIterator<unknown> {
    this.expectReader();
    this.bind(params);
    this.busy = true;
    return this.rows();
  }

  private *rows(): Generator<unknown, void, undefined> {
    try {
      const names = this.stmt.getColumnNames();
      while (this.stepOrThrow()) yield this.row(names);
    } finally {
      // also when the loop is left early (break calls return())
      this.stmt.reset();
      this.busy = false;
    }
  }

  private stepOrThrow(): boolean {
    try {
      return this.stmt.step();
    } catch (e) {
      throw asError(e);
    }
  }

  private row(names: string[]): Record<string, unknown> {
    const values = this.stmt.get();
    const r: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const v = values[i];
      r[names[i]] = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
    }
    return r;
  }

  private expectReader(): void {
    if (!this.reader) throw new TypeError('This statement does not return data. Use run() instead');
  }

  /** Binds the call's values as better-sqlite3 reads them (see the top of this file). */
  private bind(params: unknown[]): void {
    this.owner.expectOpen();
    if (this.busy) throw new TypeError('This statement is busy executing a query');
    const { positional, named, count } = this.layout;
    // arrays given as arguments are spread, as better-sqlite3 does
    const values: unknown[] = [];
    let object: Record<string, unknown> | null = null;
    for (const p of params) {
      if (Array.isArray(p)) values.push(...p);
      else if (isNamedObject(p)) {
        if (object) throw new TypeError('You cannot specify named parameters in two different objects');
        object = p;
      } else values.push(p);
    }
    if (values.length < positional.length) throw new RangeError('Too few parameter values were provided');
    if (values.length > positional.length) throw new RangeError('Too many parameter values were provided');
    // every index filled in one array (sql.js binds value i at index i + 1; named ones at the index SQLite gave them)
    const bound: SqlValue[] = new Array<SqlValue>(count).fill(null);
    for (let i = 0; i < positional.length; i++) bound[positional[i] - 1] = checkValue(values[i]);
    for (const { index, name } of named) {
      if (!object || !(name in object)) throw new RangeError(`Missing named parameter "${name}"`);
      bound[index - 1] = checkValue(object[name]);
    }
    try {
      this.stmt.bind(bound);
    } catch (e) {
      this.stmt.reset();
      throw asError(e);
    }
  }
}

export class SqlJsConnection implements SqlDatabase {
  private open = true;
  /** depth of transaction() calls (0: none): what inTransaction says (sql.js cannot ask SQLite for autocommit) */
  private depth = 0;
  private totalChanges = 0;
  private readonly db: SqlJsDatabase;
  private readonly counters: SqlJsStatement;

  /** @param sqljs the initialised sql.js module (typed unknown: sql.js's types stay out of every .d.ts) */
  constructor(sqljs: unknown) {
    this.db = new (sqljs as SqlJsStatic).Database();
    // sql.js keeps its database as a file in Emscripten's memory file system: journal in memory, as ':memory:' does
    this.db.run('PRAGMA journal_mode = MEMORY');
    this.counters = this.db.prepare('SELECT total_changes(), changes(), last_insert_rowid()');
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  expectOpen(): void {
    if (!this.open) throw new TypeError('The database connection is not open');
  }

  prepare(sql: string): SqlStatement {
    this.expectOpen();
    const layout = sqlParamLayout(sql);
    if (layout.empty) throw new RangeError('The supplied SQL string contains no statements');
    if (layout.trailing) throw new RangeError('The supplied SQL string contains more than one statement');
    let stmt: SqlJsStatement;
    try {
      stmt = this.db.prepare(sql);
    } catch (e) {
      throw asError(e);
    }
    return new SqlJsStatementWrapper(this, stmt, layout, sql);
  }

  exec(sql: string): void {
    this.expectOpen();
    try {
      this.db.run(sql);
    } catch (e) {
      throw asError(e);
    }
    this.totalChanges = this.readCounters()[0];
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const rows = this.prepare(`PRAGMA ${source}`);
    if (!(rows as SqlJsStatementWrapper).reader) {
      rows.run();
      return options.simple ? undefined : [];
    }
    if (options.simple) {
      const r = rows.get() as Record<string, unknown> | undefined;
      return r === undefined ? undefined : Object.values(r)[0];
    }
    return rows.all();
  }

  transaction<A extends any[], R>(fn: (...args: A) => R): (...args: A) => R {
    const self = this;
    // always a savepoint: outside a transaction it begins one (as BEGIN DEFERRED) and its RELEASE commits; inside
    // one — ours, or one begun by exec('BEGIN') — it nests
    return function (this: unknown, ...args: A): R {
      self.exec(SAVEPOINT);
      self.depth++;
      try {
        const result = fn.apply(this, args);
        if (
          result !== null &&
          typeof result === 'object' &&
          typeof (result as { then?: unknown }).then === 'function'
        ) {
          throw new TypeError('Transaction function cannot return a promise');
        }
        self.exec(RELEASE);
        return result;
      } catch (e) {
        self.undo(e);
        throw e;
      } finally {
        self.depth--;
      }
    };
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.db.close();
  }

  /** The result of the run() that just finished (changes is 0 when it changed nothing). */
  runResult(): SqlRunResult {
    const [total, changes, rowid] = this.readCounters();
    const changed = total !== this.totalChanges;
    this.totalChanges = total;
    return { changes: changed ? changes : 0, lastInsertRowid: rowid };
  }

  private readCounters(): [number, number, number] {
    try {
      this.counters.step();
      return this.counters.get() as [number, number, number];
    } finally {
      this.counters.reset();
    }
  }

  /** Undoes a failed transaction or savepoint; SQLite may have rolled the transaction back itself already. */
  private undo(original: unknown): void {
    try {
      this.db.run(`ROLLBACK TO ${NAME}; ${RELEASE}`);
    } catch (e) {
      // the error itself may have ended the transaction (SQLite rolls back on some errors); anything else is reported
      if (!/no transaction is active|no such savepoint/.test(asError(e).message))
        throw new Error(`rollback failed: ${asError(e).message}`, { cause: original });
    }
    this.totalChanges = this.readCounters()[0];
  }
}
