// What the store keeps: a message part (MessageRecord: one row of the messages table, see columns.ts), the
// outbox items of deliver_sm owed to accounts, state history, and the filter of a query.
import type { StateName } from '../config/types.js';

export type Direction = 'MT' | 'MO';

export interface MessageRecord {
  /** numeric message id; the id given to the ESME is `mid` */
  id: number;
  mid: string;
  /** id of the first part seen of a concatenated message (the logical message); = id for a single part */
  groupId: number;
  partNum: number;
  partTotal: number;
  direction: Direction;
  command: string;
  /** submitting account; '' for injected MO */
  systemId: string;
  /** account that receives this message as deliver_sm (MO, ESME-to-ESME); null when it leaves the simulator */
  deliverTo: string | null;
  serviceType: string;
  sourceTon: number;
  sourceNpi: number;
  sourceAddr: string;
  destTon: number;
  destNpi: number;
  destAddr: string;
  esmClass: number;
  protocolId: number;
  priorityFlag: number;
  registeredDelivery: number;
  dataCoding: number;
  /** user data as submitted (UDH included) */
  shortMessage: Buffer;
  /** decoded text of this part, without UDH (stored '' for a single part, decoded when read: see messageText) */
  text: string;
  submittedAt: number;
  scheduleAt: number | null;
  expireAt: number;
  state: StateName;
  err: number;
  doneAt: number | null;
  /** the planned outcome (lifecycle.ts planOutcome): the state the message reaches at dueAt */
  plannedState: StateName;
  plannedErr: number;
  dueAt: number | null;
  /** raw request PDU bytes */
  pdu: Buffer | null;
  /**
   * Set by whoever builds the record from `pdu` itself (the submit_sm handler): its DERIVED fields (pdu-fields.ts)
   * and its addresses are that frame's, decoded as they are, so derivableFromPdu and addrsFromPdu need not read
   * the frame again.
   */
  fromFrame?: boolean;
  /** submit_multi: the id of the first destination's message (they share its message id); null otherwise */
  multiId?: number | null;
}

export interface PlannedTransition {
  id: number;
  at: number;
  state: StateName;
  err: number;
  registeredDelivery: number;
  systemId: string;
  direction: Direction;
  deliverTo: string | null;
}

export interface HistoryEntry {
  at: number;
  state: StateName;
  detail: string;
}

export type OutboxKind = 'receipt' | 'mo';
export type OutboxStatus = 'queued' | 'sent' | 'acked' | 'failed';
export interface OutboxItem {
  id: number;
  kind: OutboxKind;
  messageId: number;
  systemId: string;
  dueAt: number;
  attempts: number;
  status: OutboxStatus;
  /** the item is in the store: its outbox row, or (a receipt acknowledged at its first attempt) a receipts_acked run */
  stored: boolean;
}

export interface MessageFilter {
  systemId?: string;
  from?: string;
  to?: string;
  state?: StateName;
  direction?: Direction;
  /** epoch ms: submitted at or after */
  since?: number;
  /** epoch ms: submitted at or before */
  until?: number;
  limit?: number;
  offset?: number;
  order?: 'asc' | 'desc';
}
