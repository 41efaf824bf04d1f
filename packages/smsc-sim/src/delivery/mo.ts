// Mobile-originated messages injected through the API, the HTTP API or `smsc-sim mo`: encoded with
// @smppkit/encoding, split into UDH parts when long, stored like any other message, and delivered as deliver_sm to
// the account that owns the destination (or the named one; in the open mode, any bound receiver).
import { EsmClass, Npi, Ton } from '@smppkit/core';
import { splitMessage } from '@smppkit/encoding';
import type { Accounts } from '../accounts/accounts.js';
import { planOutcome } from '../store/lifecycle.js';
import { formatMessageId } from '../store/message-id.js';
import type { MessageStore } from '../store/message-store.js';
import type { MessageRecord } from '../store/record.js';
import type { Delivery } from './delivery.js';
import { ANY } from './receivers.js';

/** What injecting an MO works on. */
export interface MoContext {
  accounts: Pick<Accounts, 'open' | 'get' | 'ownerOf'>;
  store: Pick<MessageStore, 'allocateId' | 'insert'>;
  delivery: Pick<Delivery, 'schedule' | 'enqueue'>;
  defaultValidityMs: number;
}

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
const DIGITS = /^\d+$/;

export function injectMo(ctx: MoContext, req: MoRequest): MoResult {
  for (const k of ['from', 'to', 'text'] as const) {
    if (typeof req[k] !== 'string') throw new MoError(`${k}: ${JSON.stringify(req[k])} is not a string`);
  }
  if (!ADDR.test(req.from))
    throw new MoError(`from: ${JSON.stringify(req.from)} is not an address (1..20 letters or digits)`);
  if (!ADDR.test(req.to))
    throw new MoError(`to: ${JSON.stringify(req.to)} is not an address (1..20 letters or digits)`);
  if (req.systemId !== undefined && typeof req.systemId !== 'string')
    throw new MoError(`systemId: ${JSON.stringify(req.systemId)} is not a string`);
  let target: string;
  if (req.systemId) {
    if (!ctx.accounts.open && !ctx.accounts.get(req.systemId))
      throw new MoError(`systemId: ${JSON.stringify(req.systemId)} is not a configured account`);
    target = req.systemId;
  } else {
    const owner = ctx.accounts.ownerOf(req.to);
    if (owner) target = owner.systemId;
    else if (ctx.accounts.open) target = ANY;
    else throw new MoError(`to: no account owns ${JSON.stringify(req.to)} (set systemId to choose one)`);
  }
  let split;
  try {
    split = splitMessage(req.text, req.dataCoding !== undefined ? { dataCoding: req.dataCoding } : {});
  } catch (e) {
    throw new MoError(`text: ${(e as Error).message}`);
  }
  const now = Date.now();
  const expireAt = now + ctx.defaultValidityMs;
  // an MO waits for its account to take it until its validity ends
  const plan = planOutcome({ state: 'EXPIRED', err: 0, at: expireAt }, expireAt, true);
  const international = DIGITS.test(req.from);
  const toNumber = DIGITS.test(req.to);
  const ids: string[] = [];
  let groupId = 0;
  for (const p of split.parts) {
    const id = ctx.store.allocateId();
    groupId ||= id;
    const data = p.messagePayload ?? p.shortMessage;
    const rec: MessageRecord = {
      id,
      mid: formatMessageId(id, 'hex'),
      groupId,
      partNum: p.sequence,
      partTotal: p.total,
      direction: 'MO',
      command: 'mo',
      systemId: '',
      deliverTo: target,
      serviceType: '',
      sourceTon: international ? Ton.INTERNATIONAL : Ton.ALPHANUMERIC,
      sourceNpi: international ? Npi.ISDN : Npi.UNKNOWN,
      sourceAddr: req.from,
      destTon: toNumber ? Ton.INTERNATIONAL : Ton.UNKNOWN,
      destNpi: toNumber ? Npi.ISDN : Npi.UNKNOWN,
      destAddr: req.to,
      esmClass: split.udhi ? EsmClass.UDHI : 0,
      protocolId: 0,
      priorityFlag: 0,
      registeredDelivery: 0,
      dataCoding: split.dataCoding,
      shortMessage: data,
      text: p.text,
      submittedAt: now,
      scheduleAt: null,
      expireAt,
      state: 'ENROUTE',
      err: 0,
      doneAt: null,
      ...plan,
      pdu: null,
    };
    ctx.store.insert(rec, 'mobile originated');
    ctx.delivery.schedule(rec);
    ctx.delivery.enqueue('mo', id, target, now);
    ids.push(rec.mid);
  }
  return { ids, deliverTo: target, parts: split.parts.length, dataCoding: split.dataCoding };
}
