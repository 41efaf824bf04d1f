// The message list of the admin API: a filter turned into SQL, rows walked in id order and grouped into logical
// messages on the way, so the newest page costs a few rows, not the whole table. Its total does not read the table
// either: without a filter it comes from the number of rows kept in memory (row-count.ts) and the concatenated parts
// (their partial index); with a filter it counts the logical messages among at most COUNT_CAP of the newest
// matching rows, and says when more rows match (the total is then a lower bound).

import { STATE_SQL } from './lifecycle.js';
import type { MessageFilter } from './record.js';
import type { SqlDatabase } from './sqlite/driver.js';

/** a filtered list's total looks at this many of the newest matching rows at most */
export const COUNT_CAP = 10_000;

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
}

/**
 * @param rows the number of stored messages (row-count.ts)
 * @param cap COUNT_CAP
 */
export function queryGroups(db: SqlDatabase, f: MessageFilter, now: number, rows: number, cap = COUNT_CAP): GroupPage {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.systemId !== undefined) {
    where.push('(system_id = ? OR deliver_to = ?)');
    args.push(f.systemId, f.systemId);
  }
  if (f.from !== undefined) {
    where.push('source_addr = ?');
    args.push(f.from);
  }
  if (f.to !== undefined) {
    where.push('dest_addr = ?');
    args.push(f.to);
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
  for (const r of db
    .prepare(`SELECT group_id FROM messages ${w} ORDER BY id ${order}`)
    .iterate(...args) as IterableIterator<{
    group_id: number;
  }>) {
    if (seen.has(r.group_id)) continue;
    seen.add(r.group_id);
    if (seen.size > offset) groupIds.push(r.group_id);
    if (groupIds.length >= limit) break;
  }
  return page;
}
