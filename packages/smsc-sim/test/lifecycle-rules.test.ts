// Each lifecycle rule of the store and its SQL twin (store/lifecycle.ts) say the same, for every combination of
// the columns they read: rows written through the table's own DDL and read back through both.

import { MessageState } from '@smppkit/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { StateName } from '../src/config/types.js';
import { MESSAGES_DDL } from '../src/store/columns.js';
import {
  ASKS_FOR_RECEIPT_SQL,
  asksForReceipt,
  hasReached,
  IMPLICIT_SQL,
  isImplicit,
  isPending,
  pendingSql,
  planOutcome,
  REACHED_SQL,
  STATE_SQL,
  wantsReceipt,
  wantsReceiptSql,
} from '../src/store/lifecycle.js';

const NOW = 1_700_000_000_000;
const STATES = Object.keys(MessageState) as StateName[];

describe('lifecycle rules and their SQL twins', () => {
  it('agree on implicit, reached, the state readers see, pending, and whether a receipt is owed', () => {
    const db = new Database(':memory:');
    db.exec(MESSAGES_DDL);
    const insert =
      db.prepare(`INSERT INTO messages (id, mid, group_id, part_num, part_total, direction, command, system_id, deliver_to, service_type,
      source_ton, source_npi, source_addr, dest_ton, dest_npi, dest_addr, esm_class, protocol_id, priority_flag, registered_delivery, data_coding,
      short_message, text, submitted_at, expire_at, state, err, planned_state, planned_err, due_at, accept_detail)
      VALUES (?, '', ?, 1, 1, ?, 'submit_sm', 'acme', ?, '', 1, 1, '1', 1, 1, '2', 0, 0, 0, ?, 0, x'', '', 0, 0, ?, 0, ?, 0, ?, '')`);
    const cases: Array<{
      id: number;
      direction: 'MT' | 'MO';
      deliverTo: string | null;
      registeredDelivery: number;
      state: StateName;
      plannedState: StateName;
      dueAt: number | null;
    }> = [];
    let id = 0;
    for (const direction of ['MT', 'MO'] as const)
      for (const deliverTo of [null, 'other'])
        for (const dueAt of [null, NOW - 1, NOW, NOW + 1])
          for (const registeredDelivery of [0, 1, 2, 3, 0x11, 0x1e])
            for (const state of STATES)
              for (const plannedState of ['DELIVERED', 'UNDELIVERABLE', 'EXPIRED'] as StateName[]) {
                cases.push({ id: ++id, direction, deliverTo, registeredDelivery, state, plannedState, dueAt });
                insert.run(id, id, direction, deliverTo, registeredDelivery, state, plannedState, dueAt);
              }
    const rows = db
      .prepare(`SELECT id, ${IMPLICIT_SQL} AS implicit, ${REACHED_SQL} AS reached, ${STATE_SQL} AS seen, ${pendingSql('state')} AS pending,
      ${wantsReceiptSql('state')} AS wants, ${wantsReceiptSql('planned_state')} AS wantsPlanned, ${ASKS_FOR_RECEIPT_SQL} AS asks FROM messages ORDER BY id`)
      .all(NOW, NOW) as Array<Record<string, number | string>>;
    expect(rows).toHaveLength(cases.length);
    for (const [i, c] of cases.entries()) {
      const reached = hasReached(c, NOW);
      expect({ id: c.id, ...rows[i] }).toEqual({
        id: c.id,
        implicit: +isImplicit(c),
        reached: +reached,
        seen: reached ? c.plannedState : c.state,
        pending: +isPending(c.state),
        wants: +wantsReceipt(c.registeredDelivery, c.state),
        wantsPlanned: +wantsReceipt(c.registeredDelivery, c.plannedState),
        asks: +asksForReceipt(c.registeredDelivery),
      });
    }
    db.close();
  });
});

describe('the outcome plan', () => {
  it("is the scenario's outcome at its time, EXPIRED at the end of validity when that comes first or the message waits for an account", () => {
    const outcome = { state: 'UNDELIVERABLE' as StateName, err: 11, at: NOW + 100 };
    expect(planOutcome(outcome, NOW + 1000, false)).toEqual({
      plannedState: 'UNDELIVERABLE',
      plannedErr: 11,
      dueAt: NOW + 100,
    });
    expect(planOutcome(outcome, NOW + 100, false)).toEqual({
      plannedState: 'UNDELIVERABLE',
      plannedErr: 11,
      dueAt: NOW + 100,
    });
    expect(planOutcome(outcome, NOW + 99, false)).toEqual({ plannedState: 'EXPIRED', plannedErr: 0, dueAt: NOW + 99 });
    expect(planOutcome(outcome, NOW + 1000, true)).toEqual({
      plannedState: 'EXPIRED',
      plannedErr: 0,
      dueAt: NOW + 1000,
    });
  });
});
