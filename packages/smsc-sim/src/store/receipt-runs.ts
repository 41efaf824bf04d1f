// Receipts acknowledged at their first attempt are kept as runs of consecutive message ids (receipts_acked, one row
// per run per commit) rather than a row each. Runs never overlap: a receipt is acknowledged once, and one
// acknowledged is not owed again after a restart.

export const RECEIPTS_ACKED_DDL =
  'CREATE TABLE IF NOT EXISTS receipts_acked (first_id INTEGER PRIMARY KEY, last_id INTEGER NOT NULL, at INTEGER NOT NULL)';

/** the first id of the run that may hold message `id` (a column): the last run starting at or before it */
export const RUN_START_SQL = (id: string): string =>
  `(SELECT MAX(first_id) FROM receipts_acked WHERE first_id <= ${id})`;
/**
 * message `id` (a column) is in an acknowledged run: the last run starting at or before it reaches it (one seek of
 * the table, not MAX then a second lookup: the start-up scan of settled.ts runs this for every row above the mark)
 */
export const IN_ACKED_RUN_SQL = (id: string): string =>
  `COALESCE((SELECT last_id FROM receipts_acked WHERE first_id <= ${id} ORDER BY first_id DESC LIMIT 1), 0) >= ${id}`;

/** Calls fn(first, last) for each run of consecutive numbers in ids (sorted in place, unless in order already). */
export function forRuns(ids: number[], fn: (first: number, last: number) => void): void {
  // acknowledgements mostly come in the order sent: one pass instead of a sort then
  let sorted = true;
  for (let i = 1; i < ids.length && sorted; i++) sorted = ids[i - 1] <= ids[i];
  if (!sorted) ids.sort((a, b) => a - b);
  let start = ids[0];
  let prev = ids[0];
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] === prev) continue;
    if (ids[i] !== prev + 1) {
      fn(start, prev);
      start = ids[i];
    }
    prev = ids[i];
  }
  fn(start, prev);
}
