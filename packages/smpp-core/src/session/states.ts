// The bind state machine of SMPP v5.0 §2.3 and the operation matrix of Table 2-1 (smpp-reference.md §6.2),
// written once as data. Everything else (may we send it, may we accept it, with which status do we refuse it,
// which state a bind leads to) is derived from this table.

import type { CommandName } from '../commands.js';
import { CommandStatus } from '../status.js';

export type SessionState = 'OPEN' | 'BOUND_TX' | 'BOUND_RX' | 'BOUND_TRX' | 'UNBOUND' | 'CLOSED' | 'OUTBOUND';
export type SessionRole = 'esme' | 'mc';

/** Status codes the state machine answers with. */
const { ESME_RINVCMDID, ESME_RINVBNDSTS, ESME_RALYBND } = CommandStatus;

type States = readonly SessionState[];
/** In which states each role may SEND a PDU. The receiving side's rule is the sender's rule for the other role. */
interface SendRule {
  readonly esme: States;
  readonly mc: States;
}

const NONE: States = [];
const BIND: States = ['OPEN', 'OUTBOUND'];
const TX: States = ['BOUND_TX', 'BOUND_TRX'];
const RX: States = ['BOUND_RX', 'BOUND_TRX'];
const BOUND: States = ['BOUND_TX', 'BOUND_RX', 'BOUND_TRX'];
/** Every state with a connection (v5.0 allows enquire_link and generic_nack in all of them). */
const CONNECTED: States = ['OPEN', 'OUTBOUND', 'BOUND_TX', 'BOUND_RX', 'BOUND_TRX', 'UNBOUND'];

const esmeOnly = (states: States): SendRule => ({ esme: states, mc: NONE });
const mcOnly = (states: States): SendRule => ({ esme: NONE, mc: states });
const both = (states: States): SendRule => ({ esme: states, mc: states });

/**
 * The operation matrix (v5.0 Table 2-1). v3.4 is stricter in two places (replace_sm in BOUND_TX only;
 * enquire_link/generic_nack in bound states only); we accept the v5.0 superset on receipt.
 */
export const SEND_RULES = {
  bind_transmitter: esmeOnly(BIND),
  bind_receiver: esmeOnly(BIND),
  bind_transceiver: esmeOnly(BIND),
  bind_transmitter_resp: mcOnly(BIND),
  bind_receiver_resp: mcOnly(BIND),
  bind_transceiver_resp: mcOnly(BIND),
  outbind: mcOnly(['OPEN']),
  submit_sm: esmeOnly(TX),
  submit_sm_resp: mcOnly(TX),
  submit_multi: esmeOnly(TX),
  submit_multi_resp: mcOnly(TX),
  query_sm: esmeOnly(TX),
  query_sm_resp: mcOnly(TX),
  cancel_sm: esmeOnly(TX),
  cancel_sm_resp: mcOnly(TX),
  replace_sm: esmeOnly(TX),
  replace_sm_resp: mcOnly(TX),
  broadcast_sm: esmeOnly(TX),
  broadcast_sm_resp: mcOnly(TX),
  query_broadcast_sm: esmeOnly(TX),
  query_broadcast_sm_resp: mcOnly(TX),
  cancel_broadcast_sm: esmeOnly(TX),
  cancel_broadcast_sm_resp: mcOnly(TX),
  deliver_sm: mcOnly(RX),
  deliver_sm_resp: esmeOnly(RX),
  alert_notification: mcOnly(RX),
  data_sm: { esme: TX, mc: RX },
  data_sm_resp: { esme: RX, mc: TX },
  unbind: both(BOUND),
  unbind_resp: both(BOUND),
  enquire_link: both(CONNECTED),
  enquire_link_resp: both(CONNECTED),
  generic_nack: both(CONNECTED),
} as const satisfies Record<CommandName, SendRule>; // every command of the codec's table has its rule

export type RuledCommand = keyof typeof SEND_RULES;

/** The state a successful bind_*_resp leads to. */
export const BIND_STATE = {
  bind_transmitter: 'BOUND_TX',
  bind_receiver: 'BOUND_RX',
  bind_transceiver: 'BOUND_TRX',
} as const satisfies Record<string, SessionState>;

export type BindCommand = keyof typeof BIND_STATE;
export type BindType = 'transmitter' | 'receiver' | 'transceiver';

export function bindCommand(type: BindType): BindCommand {
  return `bind_${type}`;
}

export function isBindCommand(command: string): command is BindCommand {
  return Object.hasOwn(BIND_STATE, command);
}

export function peerRole(role: SessionRole): SessionRole {
  return role === 'esme' ? 'mc' : 'esme';
}

const STATE_BIT: Readonly<Record<SessionState, number>> = {
  OPEN: 1,
  BOUND_TX: 2,
  BOUND_RX: 4,
  BOUND_TRX: 8,
  UNBOUND: 16,
  CLOSED: 32,
  OUTBOUND: 64,
};
const maskOf = (states: States): number => states.reduce((m, s) => m | STATE_BIT[s], 0);
const BOUND_MASK = maskOf(BOUND);

/** SEND_RULES as state bit masks per role, computed once: the hot path is one lookup and one AND. */
const SEND_MASKS: ReadonlyMap<string, { readonly esme: number; readonly mc: number }> = new Map(
  Object.entries(SEND_RULES).map(([command, rule]) => [command, { esme: maskOf(rule.esme), mc: maskOf(rule.mc) }]),
);

/** May a session of this role send this PDU in this state? Commands outside the table (vendor PDUs) may be sent when bound. */
export function maySend(role: SessionRole, state: SessionState, command: string): boolean {
  const masks = SEND_MASKS.get(command);
  return ((masks === undefined ? BOUND_MASK : masks[role]) & STATE_BIT[state]) !== 0;
}

/** May a session of this role accept this PDU from its peer in this state? */
export function mayReceive(role: SessionRole, state: SessionState, command: string): boolean {
  return maySend(peerRole(role), state, command);
}

/** Does the peer's role ever send this PDU (in any state)? False means: wrong direction. */
export function peerEverSends(role: SessionRole, command: string): boolean {
  const masks = SEND_MASKS.get(command);
  return masks !== undefined && masks[peerRole(role)] !== 0;
}

export const isBound = (state: SessionState): boolean => (STATE_BIT[state] & BOUND_MASK) !== 0;

/**
 * The command_status a received request is refused with, or 0 when it is allowed:
 * wrong direction (a PDU the peer's role never sends) → ESME_RINVCMDID (answered with generic_nack);
 * a bind on a bound session → ESME_RALYBND; otherwise not allowed in this state → ESME_RINVBNDSTS.
 */
export function refusalStatus(role: SessionRole, state: SessionState, command: string): number {
  if (mayReceive(role, state, command)) return 0;
  if (!peerEverSends(role, command)) return ESME_RINVCMDID;
  if (isBindCommand(command) && isBound(state)) return ESME_RALYBND;
  return ESME_RINVBNDSTS;
}
