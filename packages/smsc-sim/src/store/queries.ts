// The message list of the admin API: a filter turned into SQL, rows walked in id order and grouped into logical
// messages on the way, so the newest page costs a few rows, not the whole table.

import { STATE_SQL } from './lifecycle.js';
import type { MessageFilter } from './record.js';
import type { SqlDatabase } from './sqlite/driver.js';

export function queryGroups(db: SqlDatabase, f: MessageFilter, now: number): { total: number; groupIds: number[] } {
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
  const total = (db.prepare(`SELECT COUNT(DISTINCT group_id) AS n FROM messages ${w}`).get(...args) as { n: number }).n;
  const order = f.order === 'asc' ? 'ASC' : 'DESC';
  const limit = f.limit ?? 100;
  const offset = f.offset ?? 0;
  const seen = new Set<number>();
  const groupIds: number[] = [];
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
  return { total, groupIds };
}
