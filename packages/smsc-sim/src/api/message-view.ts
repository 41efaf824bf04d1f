// What the API shows of a logical message: its parts reassembled into the whole text, each part with its own
// message id and state, and one overall state.
import type { StateName } from '../config/types.js';
import { isPending } from '../store/lifecycle.js';
import type { MessageRecord } from '../store/record.js';

export interface PartView {
  id: string;
  partNum: number;
  state: StateName;
  err: number;
  text: string;
  submittedAt: string;
  doneAt: string | null;
}

export interface MessageView {
  /** the first part's message id */
  id: string;
  ids: string[];
  direction: 'MT' | 'MO';
  command: string;
  systemId: string;
  deliverTo: string | null;
  from: string;
  to: string;
  text: string;
  /** parts expected / received */
  partTotal: number;
  partsReceived: number;
  complete: boolean;
  state: StateName;
  err: number;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  submittedAt: string;
  doneAt: string | null;
  scheduledAt: string | null;
  expiresAt: string;
  parts: PartView[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Overall state: the parts' state when they agree; ENROUTE while any part is; else the first part that failed. */
function overallState(parts: MessageRecord[]): MessageRecord {
  if (parts.every((p) => p.state === parts[0].state)) return parts[0];
  return parts.find((p) => isPending(p.state)) ?? parts.find((p) => p.state !== 'DELIVERED') ?? parts[0];
}

export function toView(parts: MessageRecord[]): MessageView {
  const sorted = [...parts].sort((a, b) => a.partNum - b.partNum || a.id - b.id);
  const head = parts.reduce((a, b) => (a.id <= b.id ? a : b));
  const st = overallState(sorted);
  const total = head.partTotal;
  const doneAts = sorted.map((p) => p.doneAt);
  return {
    id: head.mid,
    ids: sorted.map((p) => p.mid),
    direction: head.direction,
    command: head.command,
    systemId: head.systemId,
    deliverTo: head.deliverTo,
    from: head.sourceAddr,
    to: head.destAddr,
    text: sorted.map((p) => p.text).join(''),
    partTotal: total,
    partsReceived: sorted.length,
    complete: sorted.length >= total,
    state: st.state,
    err: st.err,
    dataCoding: head.dataCoding,
    esmClass: head.esmClass,
    registeredDelivery: head.registeredDelivery,
    submittedAt: iso(head.submittedAt)!,
    doneAt: doneAts.every((d) => d !== null) ? iso(Math.max(...(doneAts as number[]))) : null,
    scheduledAt: iso(head.scheduleAt),
    expiresAt: iso(head.expireAt)!,
    parts: sorted.map((p) => ({
      id: p.mid,
      partNum: p.partNum,
      state: p.state,
      err: p.err,
      text: p.text,
      submittedAt: iso(p.submittedAt)!,
      doneAt: iso(p.doneAt),
    })),
  };
}
