// How the store opens a file: the pragmas a SQLite file store runs with (message-store.ts).
import type { SqlDatabase } from './sqlite/driver.js';

export function fileStorePragmas(db: SqlDatabase): void {
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed transaction survives the process being killed (not a power loss).
  db.pragma('synchronous = NORMAL');
  // checkpoints run in a worker (Checkpointer); this is only the safety net if it falls behind (~80 MB of WAL)
  db.pragma('wal_autocheckpoint = 20000');
  // after a restart of the WAL, a file grown past this (a burst the worker could not keep up with) is cut back
  db.pragma(`journal_size_limit = ${32 * 2 ** 20}`);
}
