// Delivery statistics of the admin API: MT message parts submitted in a window, by account or destination prefix,
// with their states (as readers see them now) counted in SQL. Ids grow with submission time, so the window's first
// id is found by a binary search on the primary key: the scan covers the window, not the table (no extra index).
import { MessageState, RECEIPT_STAT } from '@smppkit/core';
import type { StateName } from '../config/types.js';
import { isPending, STATE_SQL } from './lifecycle.js';
import { FRAMED_SQL } from './pdu-fields.js';
import type { SqlDatabase } from './sqlite/driver.js';

export interface StatsQuery {
  /** the window: parts submitted in the last windowMs */
  windowMs: number;
  by: 'account' | 'prefix';
  /** destination prefix length (by 'prefix') */
  prefixLength: number;
}

export interface StatsRow {
  key: string;
  submitted: number;
  /** parts in a final state */
  final: number;
  delivered: number;
  /** delivered / final; null while nothing is final */
  rate: number | null;
  /** by receipt stat (DELIVRD, UNDELIV, …, ENROUTE for those still pending) */
  states: Record<string, number>;
}

/** the first id submitted at or after `since` (ids are allocated in submission order) */
function firstIdSince(db: SqlDatabase, since: number): number {
  const at = db.prepare('SELECT id, submitted_at AS at FROM messages WHERE id >= ? ORDER BY id LIMIT 1');
  const max = (db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM messages').get() as { m: number }).m;
  let lo = 0;
  let hi = max + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const r = at.get(mid) as { id: number; at: number } | undefined;
    if (!r || r.at >= since) hi = mid;
    else lo = r.id + 1;
  }
  return lo;
}

export function deliveryStats(db: SqlDatabase, q: StatsQuery, now: number): StatsRow[] {
  const since = now - q.windowMs;
  const key = q.by === 'account' ? 'system_id' : `substr(${FRAMED_SQL.dest_addr}, 1, ?)`;
  const args: unknown[] = q.by === 'account' ? [] : [q.prefixLength];
  const sql = `SELECT ${key} AS key, ${STATE_SQL} AS state, COUNT(*) AS n FROM messages
    WHERE id >= ? AND submitted_at >= ? AND direction = 'MT' GROUP BY 1, 2 ORDER BY 1`;
  const rows = new Map<string, StatsRow>();
  for (const r of db.prepare(sql).all(...args, now, firstIdSince(db, since), since) as Array<{
    key: string;
    state: StateName;
    n: number;
  }>) {
    let row = rows.get(r.key);
    if (!row) {
      row = { key: r.key, submitted: 0, final: 0, delivered: 0, rate: null, states: {} };
      rows.set(r.key, row);
    }
    row.submitted += r.n;
    if (!isPending(r.state)) row.final += r.n;
    if (r.state === 'DELIVERED') row.delivered += r.n;
    const stat = RECEIPT_STAT[MessageState[r.state]] ?? r.state;
    row.states[stat] = (row.states[stat] ?? 0) + r.n;
  }
  for (const row of rows.values()) row.rate = row.final ? row.delivered / row.final : null;
  return [...rows.values()];
}
