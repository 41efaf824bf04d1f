// Mobile-originated messages injected through the API, the HTTP API or `smsc-sim mo`: encoded with
// @smppkit/encoding, split into UDH parts when long, stored like any other message, and delivered as deliver_sm to
// the account that owns the destination (or the named one; in the open mode, any bound receiver).
import { splitMessage } from '@smppkit/encoding';
import { ANY } from './delivery.js';
import { formatMessageId } from './message-id.js';
import type { MessageRecord } from './message-store.js';
import type { Smsc } from './smsc.js';
import { UDHI } from './user-data.js';

export interface MoRequest {
  from: string;
  to: string;
  text: string;
  /** deliver to this account instead of the owner of `to` */
  systemId?: string;
  /** force a data_coding (default: the cheapest that carries the text) */
  dataCoding?: number;
}

export interface MoResult {
  ids: string[];
  deliverTo: string;
  parts: number;
  dataCoding: number;
}

export class MoError extends Error {
  override name = 'MoError';
}

const ADDR = /^[0-9A-Za-z+ ]{1,20}$/;

export function injectMo(smsc: Smsc, req: MoRequest): MoResult {
  for (const k of ['from', 'to', 'text'] as const) {
    if (typeof req[k] !== 'string') throw new MoError(`${k}: ${JSON.stringify(req[k])} is not a string`);
  }
  if (!ADDR.test(req.from)) throw new MoError(`from: ${JSON.stringify(req.from)} is not an address (1..20 letters or digits)`);
  if (!ADDR.test(req.to)) throw new MoError(`to: ${JSON.stringify(req.to)} is not an address (1..20 letters or digits)`);
  if (req.systemId !== undefined && typeof req.systemId !== 'string') throw new MoError(`systemId: ${JSON.stringify(req.systemId)} is not a string`);
  let target: string;
  if (req.systemId) {
    if (!smsc.accounts.open && !smsc.accounts.get(req.systemId)) throw new MoError(`systemId: ${JSON.stringify(req.systemId)} is not a configured account`);
    target = req.systemId;
  } else {
    const owner = smsc.accounts.ownerOf(req.to);
    if (owner) target = owner.systemId;
    else if (smsc.accounts.open) target = ANY;
    else throw new MoError(`to: no account owns ${JSON.stringify(req.to)} (set systemId to choose one)`);
  }
  let split;
  try {
    split = splitMessage(req.text, req.dataCoding !== undefined ? { dataCoding: req.dataCoding } : {});
  } catch (e) {
    throw new MoError(`text: ${(e as Error).message}`);
  }
  const now = Date.now();
  const international = /^\d+$/.test(req.from);
  const ids: string[] = [];
  let groupId = 0;
  for (const p of split.parts) {
    const id = smsc.store.allocateId();
    groupId ||= id;
    const data = p.messagePayload ?? p.shortMessage;
    const rec: MessageRecord = {
      id, mid: formatMessageId(id, 'hex'), groupId, partNum: p.sequence, partTotal: p.total, direction: 'MO', command: 'mo',
      systemId: '', deliverTo: target, serviceType: '', sourceTon: international ? 1 : 5, sourceNpi: international ? 1 : 0,
      sourceAddr: req.from, destTon: /^\d+$/.test(req.to) ? 1 : 0, destNpi: /^\d+$/.test(req.to) ? 1 : 0, destAddr: req.to,
      esmClass: split.udhi ? UDHI : 0, protocolId: 0, priorityFlag: 0, registeredDelivery: 0, dataCoding: split.dataCoding,
      shortMessage: data, text: p.text, submittedAt: now, scheduleAt: null, expireAt: now + smsc.config.defaultValidityMs,
      state: 'ENROUTE', err: 0, doneAt: null, plannedState: 'EXPIRED', plannedErr: 0, dueAt: now + smsc.config.defaultValidityMs, pdu: null,
    };
    smsc.store.insert(rec, 'mobile originated');
    smsc.delivery.schedule(rec);
    smsc.delivery.enqueue('mo', id, target, now);
    ids.push(rec.mid);
  }
  return { ids, deliverTo: target, parts: split.parts.length, dataCoding: split.dataCoding };
}
