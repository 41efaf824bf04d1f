// The lifecycle rules of a stored message, each beside its SQL twin (the store's statements use the twins;
// test/lifecycle-rules.test.ts checks that both say the same for every case).
//
// Implicit transitions: a message that leaves the simulator (MT, not for another account) is not rewritten when it
// reaches its planned state. Its row keeps state = ENROUTE with due_at and planned_state, and every reader
// (toRecord, history, the state filter, the replace/cancel lookups) sees the planned state from due_at on.
import { RegisteredDelivery } from '@smppkit/core';
import type { StateName } from '../config/types.js';
import type { Direction, MessageRecord } from './record.js';

const { MC_RECEIPT_MASK, MC_RECEIPT_ALWAYS, MC_RECEIPT_ON_FAILURE, MC_RECEIPT_ON_SUCCESS } = RegisteredDelivery;

/** A message whose planned transition is not written when it happens: readers derive it. */
export function isImplicit(m: { direction: Direction; deliverTo: string | null }): boolean {
  return m.direction === 'MT' && m.deliverTo === null;
}
/** isImplicit in SQL */
export const IMPLICIT_SQL = `(direction='MT' AND deliver_to IS NULL)`;

/** The row has reached its implicit transition. */
export function hasReached(
  m: { dueAt: number | null; direction: Direction; deliverTo: string | null },
  now: number,
): boolean {
  return m.dueAt !== null && m.dueAt <= now && isImplicit(m);
}
/** hasReached in SQL (one parameter: now) */
export const REACHED_SQL = `(due_at IS NOT NULL AND due_at <= ? AND ${IMPLICIT_SQL})`;

/** Not final yet: a message in these states may still be cancelled, replaced, delivered. */
export const PENDING_STATES: readonly StateName[] = ['ENROUTE', 'SCHEDULED'];
export function isPending(state: StateName): boolean {
  return state === 'ENROUTE' || state === 'SCHEDULED';
}
/** isPending in SQL, of a state expression */
export const pendingSql = (st: string): string => `(${st} IN (${PENDING_STATES.map((s) => `'${s}'`).join(',')}))`;

/** Does registered_delivery ask for a receipt for this final state? */
export function wantsReceipt(registeredDelivery: number, state: StateName): boolean {
  switch (registeredDelivery & MC_RECEIPT_MASK) {
    case MC_RECEIPT_ALWAYS:
      return true;
    case MC_RECEIPT_ON_FAILURE:
      return state !== 'DELIVERED';
    case MC_RECEIPT_ON_SUCCESS:
      return state === 'DELIVERED';
    default:
      return false;
  }
}
/** wantsReceipt in SQL, of a state expression */
export const wantsReceiptSql = (st: string): string => {
  const mode = `registered_delivery & ${MC_RECEIPT_MASK}`;
  return `(${mode} = ${MC_RECEIPT_ALWAYS} OR (${mode} = ${MC_RECEIPT_ON_FAILURE} AND ${st} <> 'DELIVERED') OR (${mode} = ${MC_RECEIPT_ON_SUCCESS} AND ${st} = 'DELIVERED'))`;
};
/** registered_delivery asks for a receipt for some outcome (in SQL: `registered_delivery & 3 <> 0`) */
export function asksForReceipt(registeredDelivery: number): boolean {
  return (registeredDelivery & MC_RECEIPT_MASK) !== 0;
}
export const ASKS_FOR_RECEIPT_SQL = `(registered_delivery & ${MC_RECEIPT_MASK} <> 0)`;

/** Does the planned transition need the scheduler: a receipt for that outcome, or a delivery to an account? */
export function needsAction(m: {
  direction: Direction;
  deliverTo: string | null;
  registeredDelivery: number;
  plannedState: StateName;
}): boolean {
  return !isImplicit(m) || wantsReceipt(m.registeredDelivery, m.plannedState);
}

/** done_detail of an implicit transition (derived when read) */
export function plannedDetail(state: StateName): string {
  return state === 'EXPIRED' ? 'validity period ended' : 'scenario';
}

export interface Plan {
  plannedState: StateName;
  plannedErr: number;
  dueAt: number;
}

/**
 * The outcome a message is planned to reach: the scenario's state at its time, unless the validity period ends
 * first (then EXPIRED when it ends). A message for another account waits for that account to take it, its validity
 * bounding the wait (EXPIRED then, unless delivered before).
 */
export function planOutcome(
  outcome: { state: StateName; err: number; at: number },
  expireAt: number,
  forAccount: boolean,
): Plan {
  if (forAccount || outcome.at > expireAt) return { plannedState: 'EXPIRED', plannedErr: 0, dueAt: expireAt };
  return { plannedState: outcome.state, plannedErr: outcome.err, dueAt: outcome.at };
}

/** What readers see of a stored record at `now`: a reached implicit transition applied. */
export function asSeen(m: MessageRecord, now: number): MessageRecord {
  if (hasReached(m, now)) {
    m.state = m.plannedState;
    m.err = m.plannedErr;
    m.doneAt = m.dueAt;
    m.dueAt = null;
  }
  return m;
}
/** the state as readers see it, in SQL (one parameter: now) */
export const STATE_SQL = `(CASE WHEN ${REACHED_SQL} THEN planned_state ELSE state END)`;

// ---- broadcasts (broadcast_sm) ----
// A broadcast goes to a cell area, not to a handset: it gets no receipt and is never delivered to an account. It is
// ENROUTE from acceptance until its last repetition has gone out — start + (broadcast_rep_num − 1) × broadcast_frequency_interval — then DELIVERED; cancel_broadcast_sm makes
// it DELETED; a scenario rule's failure state (UNDELIVERABLE, REJECTED, …) ends it at the rule's delay; its validity
// period ends it EXPIRED (NULL validity: the broadcast's own span, or the default validity if longer). All of it is
// an implicit transition: the row keeps planned_state/due_at, readers derive the state.

/** When the broadcast is over: DELIVERED after its repetitions, or the rule's failure at its delay. */
export function planBroadcast(
  outcome: { state: StateName; err: number; delayMs: number },
  start: number,
  spanMs: number,
  expireAt: number,
): Plan {
  const at = outcome.state === 'DELIVERED' ? start + Math.max(outcome.delayMs, spanMs) : start + outcome.delayMs;
  return planOutcome({ state: outcome.state, err: outcome.err, at }, expireAt, false);
}

// ---- set_dpf and alert_notification ----
// A submission with set_dpf = 1 whose outcome is "absent subscriber" (UNDELIVERABLE with err 6, MAP
// absentSubscriberSM, or 27, MAP absentSubscriber) sets the delivery pending flag for its destination: the
// submitter is owed an alert_notification once that address becomes available.

/** The err codes of UNDELIVERABLE that mean the handset is absent. */
export const ABSENT_SUBSCRIBER_ERRS: readonly number[] = [6, 27];

/** Does this planned outcome set the delivery pending flag? */
export function isAbsentSubscriber(state: StateName, err: number): boolean {
  return state === 'UNDELIVERABLE' && ABSENT_SUBSCRIBER_ERRS.includes(err);
}
