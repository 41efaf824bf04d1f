// What the message store sees of SQLite, whichever driver is behind it (driver.ts): no driver's types here.
export interface SqlRunResult {
  /** rows inserted, updated or deleted by this statement (0 for one that changed nothing) */
  changes: number;
  lastInsertRowid: number | bigint;
}

/**
 * A prepared statement. Parameters: values for `?` in order (an array argument is spread), and one plain object for
 * named parameters (@name, :name, $name; keys without the prefix). Values: number, bigint, string, Buffer /
 * Uint8Array (BLOB), null (undefined binds NULL). Rows come back as objects keyed by column name, BLOBs as Buffers.
 */
export interface SqlStatement {
  run(...params: unknown[]): SqlRunResult;
  /** the first row, or undefined */
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** rows one at a time; the statement is busy until the iteration ends (or is left with break) */
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

export interface SqlDatabase {
  /** one statement; more than one, or none, is an error */
  prepare(sql: string): SqlStatement;
  /** any number of statements, no parameters, no results */
  exec(sql: string): void;
  /** `PRAGMA ${source}`: its rows, or with simple the first column of the first row */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /**
   * fn wrapped in BEGIN … COMMIT (ROLLBACK and rethrow when it throws); called inside another transaction it runs
   * in a savepoint, so its throw undoes its own part only. fn must not return a promise.
   */
  transaction<A extends any[], R>(fn: (...args: A) => R): (...args: A) => R;
  close(): void;
  readonly inTransaction?: boolean;
}
