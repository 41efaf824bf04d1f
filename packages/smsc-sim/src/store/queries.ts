// The message list of the admin API: a filter turned into SQL, rows walked in id order and grouped into logical
// messages on the way, so the newest page costs a few rows, not the whole table. Its total does not read the table
// either: without a filter it comes from the number of rows kept in memory (row-count.ts) and the concatenated parts
// (their partial index); with a filter it counts the logical messages among at most COUNT_CAP of the newest
// matching rows, and says when more rows match (the total is then a lower bound).
// A filter that few rows match (one `to=` address) would still read the whole table to find them (those columns
// have no index, and one on every row would cost each insert). So the admin API asks for a bounded look (a
// ScanWindow): at most `rows` ids, from the newest (or from a cursor on), by the primary key's range; the answer says
// which ids it looked at, counts what it found there (a lower bound when rows are left), and gives the cursor to go
// on from. The programmatic API (smsc.messages, waitForMessage) asks for no window: it reads what it must.

import { STATE_SQL } from './lifecycle.js';
import { FRAMED_EQ, framedEqArgs } from './pdu-fields.js';
import type { MessageFilter } from './record.js';
import type { SqlDatabase } from './sqlite/driver.js';

/** a filtered list's total looks at this many of the newest matching rows at most */
export const COUNT_CAP = 10_000;
/** the admin API's look: this many ids at most (one pass: ~35 ms on this VM quiet, ~100 ms at load average 7.5) */
export const SCAN_ROWS = 200_000;

/** A bounded look at the table: at most `rows` ids, after `cursor` (exclusive) in the list's order. */
export interface ScanWindow {
  rows: number;
  /** a row id: the look begins just past it (older for desc, newer for asc); a cursor an earlier answer gave */
  cursor?: number;
}

/**
 * Logical messages among all rows: every single-part row is one (its group is itself), the parts count by their
 * group. Reads the parts only, through their partial index messages_group (statements.ts).
 */
export const PART_GROUPS_SQL =
  'SELECT COUNT(*) AS parts, COUNT(DISTINCT group_id) AS groups FROM messages WHERE part_total > 1';

export interface GroupPage {
  /** logical messages matching the filter (a lower bound when totalIsLowerBound) */
  total: number;
  /** more than COUNT_CAP rows match: total counts the logical messages among the newest COUNT_CAP + 1 of them */
  totalIsLowerBound?: true;
  groupIds: number[];
  /** a windowed answer that did not look at every row: the ids it looked at, in its order (both included) */
  scanned?: { fromId: number; toId: number };
  /** rows are left past what this answer looked at (or past its full page): the cursor to go on from */
  cursor?: number;
}

/**
 * @param rows the number of stored messages (row-count.ts)
 * @param cap COUNT_CAP
 */
export function queryGroups(
  db: SqlDatabase,
  f: MessageFilter,
  now: number,
  rows: number,
  cap = COUNT_CAP,
  scan?: ScanWindow,
): GroupPage {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.systemId !== undefined) {
    where.push('(system_id = ? OR deliver_to = ?)');
    args.push(f.systemId, f.systemId);
  }
  if (f.from !== undefined) {
    where.push(FRAMED_EQ.source_addr);
    args.push(...framedEqArgs(f.from));
  }
  if (f.to !== undefined) {
    where.push(FRAMED_EQ.dest_addr);
    args.push(...framedEqArgs(f.to));
  }
  if (f.state !== undefined) {
    where.push(`${STATE_SQL} = ?`);
    args.push(now, f.state);
  }
  if (f.direction !== undefined) {
    where.push('direction = ?');
    args.push(f.direction);
  }
  if (f.since !== undefined) {
    where.push('submitted_at >= ?');
    args.push(f.since);
  }
  if (f.until !== undefined) {
    where.push('submitted_at <= ?');
    args.push(f.until);
  }
  if (scan && (where.length || scan.cursor !== undefined)) return windowed(db, where.join(' AND '), args, f, cap, scan);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const page: GroupPage = { total: 0, groupIds: [] };
  if (where.length === 0) {
    const p = db.prepare(PART_GROUPS_SQL).get() as { parts: number; groups: number };
    page.total = rows - p.parts + p.groups;
  } else {
    const c = db
      .prepare(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT group_id) AS groups FROM (SELECT group_id FROM messages ${w} ORDER BY id DESC LIMIT ${cap + 1})`,
      )
      .get(...args) as { n: number; groups: number };
    page.total = c.groups;
    if (c.n > cap) page.totalIsLowerBound = true;
  }
  const order = f.order === 'asc' ? 'ASC' : 'DESC';
  const limit = f.limit ?? 100;
  const offset = f.offset ?? 0;
  const seen = new Set<number>();
  const groupIds = page.groupIds;
  let pageEnd = 0;
  for (const r of db
    .prepare(`SELECT id, group_id FROM messages ${w} ORDER BY id ${order}`)
    .iterate(...args) as IterableIterator<{ id: number; group_id: number }>) {
    if (seen.has(r.group_id)) continue;
    seen.add(r.group_id);
    if (seen.size > offset) {
      groupIds.push(r.group_id);
      pageEnd = r.id;
    }
    if (groupIds.length >= limit) break;
  }
  // a bounded look asked for: where the next page begins (a cursor), when there is one
  if (scan && groupIds.length >= limit && offset + limit < page.total) page.cursor = pageEnd;
  return page;
}

/** the oldest and newest ids: each through the primary key (MIN and MAX in one SELECT would read every row) */
export const ENDS_SQL = 'SELECT (SELECT MIN(id) FROM messages) AS lo, (SELECT MAX(id) FROM messages) AS hi';

/**
 * The rows of a window (ids between two bounds) that match `where`, in the list's order; `continued` (a cursor was
 * given): without the parts of a concatenated message that has a matching row before the cursor. Parameters: the
 * bounds, where's, then (continued) the cursor and where's again.
 */
export function windowSql(where: string, desc: boolean, continued: boolean): string {
  const and = where ? ` AND ${where}` : '';
  let sql = `SELECT id, group_id FROM messages WHERE id BETWEEN ? AND ?${and}`;
  // the cursor's own row was looked at; in the subquery the bare column names are those of `seen` (innermost)
  if (continued)
    sql += ` AND CASE WHEN part_total > 1 THEN NOT EXISTS (SELECT 1 FROM messages AS seen WHERE seen.group_id = messages.group_id AND seen.part_total > 1 AND seen.id ${desc ? '>=' : '<='} ?${and}) ELSE 1 END`;
  return `${sql} ORDER BY id ${desc ? 'DESC' : 'ASC'}`;
}

/**
 * The filtered list within a window of ids (ScanWindow), in one pass over the rows there that match: the page (groups
 * in the list's order, after `offset`), and the total: the logical messages among the first cap + 1 matching rows.
 * A row of a concatenated message whose group matched before the cursor is left out (that page showed it).
 */
function windowed(
  db: SqlDatabase,
  where: string,
  args: unknown[],
  f: MessageFilter,
  cap: number,
  scan: ScanWindow,
): GroupPage {
  const desc = f.order !== 'asc';
  const ends = db.prepare(ENDS_SQL).get() as {
    lo: number | null;
    hi: number | null;
  };
  if (ends.lo === null || ends.hi === null) return { total: 0, groupIds: [] };
  const tableEnd = desc ? ends.lo : ends.hi;
  const from = scan.cursor === undefined ? (desc ? ends.hi : ends.lo) : scan.cursor + (desc ? -1 : 1);
  if (desc ? from < ends.lo : from > ends.hi) {
    // a cursor past the last row: nothing there
    return { total: 0, totalIsLowerBound: true, groupIds: [] };
  }
  const end = desc ? Math.max(ends.lo, from - scan.rows + 1) : Math.min(ends.hi, from + scan.rows - 1);
  const args2: unknown[] = [Math.min(from, end), Math.max(from, end), ...args];
  if (scan.cursor !== undefined) args2.push(scan.cursor, ...args);
  const sql = windowSql(where, desc, scan.cursor !== undefined);
  const offset = f.offset ?? 0;
  const limit = f.limit ?? 100;
  const seen = new Set<number>();
  const groupIds: number[] = [];
  let matched = 0;
  let total = -1;
  /** the row where the page's last group was first seen */
  let pageEnd = 0;
  let more = false;
  let last = end;
  for (const r of db.prepare(sql).iterate(...args2) as IterableIterator<{ id: number; group_id: number }>) {
    matched++;
    if (!seen.has(r.group_id)) {
      seen.add(r.group_id);
      if (groupIds.length >= limit) more = true;
      else if (seen.size > offset) {
        groupIds.push(r.group_id);
        pageEnd = r.id;
      }
    }
    if (matched === cap + 1) total = seen.size;
    if (total >= 0 && groupIds.length >= limit) {
      last = r.id;
      break;
    }
  }
  const full = groupIds.length >= limit;
  const page: GroupPage = { total: total >= 0 ? total : seen.size, groupIds };
  const rowsLeft = last !== tableEnd;
  if (total >= 0 || rowsLeft || scan.cursor !== undefined) page.totalIsLowerBound = true;
  if (rowsLeft || scan.cursor !== undefined) page.scanned = { fromId: from, toId: last };
  if (full && (more || total >= 0 || rowsLeft)) page.cursor = pageEnd;
  else if (!full && rowsLeft) page.cursor = last;
  return page;
}
