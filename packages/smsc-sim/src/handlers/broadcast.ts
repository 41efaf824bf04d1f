// broadcast_sm, query_broadcast_sm, cancel_broadcast_sm. A broadcast is stored as a message of command
// 'broadcast_sm': no destination, its content the message_payload, its request PDU kept as it arrived (areas,
// content type, repetitions and user_message_reference are read back from it). Its lifecycle (ENROUTE until its
// repetitions are done, then DELIVERED; DELETED when cancelled; a rule may fail it) is store/lifecycle.ts
// planBroadcast. query_sm, cancel_sm and replace_sm do not see broadcasts; these operations see only broadcasts.
import { CommandStatus, decodePdu, formatSmppTime, MessageState, type PduOf } from '@smppkit/core';
import type { StateName } from '../config/types.js';
import { isPending, planBroadcast } from '../store/lifecycle.js';
import { formatMessageId } from '../store/message-id.js';
import type { MessageRecord } from '../store/record.js';
import { readUserData } from '../util/user-data.js';
import { refuse, respondAfter, respondAfterCommit } from './accept.js';
import { type BroadcastTlvs, broadcastSpanMs, checkBroadcastTlvs } from './broadcast-validation.js';
import type { Connection, HandlerContext, Req } from './context.js';
import { owned } from './message-ops.js';
import { envelopeChecks } from './submit.js';
import { checkTimes, Invalid, userDataOf } from './submit-validation.js';

/** broadcast_area_success: 100 % once done, 0 when it failed, 255 (information not available) while in progress */
function areaSuccess(state: StateName): number {
  return state === 'DELIVERED' ? 100 : isPending(state) ? 255 : 0;
}

/** The TLVs of the broadcast_sm a broadcast was stored from. */
function requestTlvs(m: MessageRecord): BroadcastTlvs | undefined {
  if (!m.pdu) return undefined;
  try {
    return (decodePdu(m.pdu, { strictness: 'lenient' }) as PduOf<'broadcast_sm'>).tlvs as BroadcastTlvs;
  } catch {
    return undefined;
  }
}

/** The account's broadcast with this message id (and this source address, when one is given). */
function ownedBroadcast(ctx: HandlerContext, conn: Connection, messageId: string, source: string) {
  return owned(ctx, conn, messageId, true).find((m) => !source || m.sourceAddr === source);
}

/** The account's broadcasts from this source address matching the optional criteria (newest first). */
function matching(
  ctx: HandlerContext,
  conn: Connection,
  source: string,
  serviceType: string,
  tlvs: { broadcast_content_type?: BroadcastTlvs['broadcast_content_type']; user_message_reference?: number },
): MessageRecord[] {
  const ct = tlvs.broadcast_content_type;
  const umr = tlvs.user_message_reference;
  return ctx.store.findBroadcasts(conn.account!.systemId, source).filter((m) => {
    if (serviceType && m.serviceType !== serviceType) return false;
    if (ct === undefined && umr === undefined) return true;
    const t = requestTlvs(m);
    if (!t) return false;
    if (
      ct &&
      (t.broadcast_content_type.network_type !== ct.network_type ||
        t.broadcast_content_type.content_type !== ct.content_type)
    )
      return false;
    return umr === undefined || t.user_message_reference === umr;
  });
}

export function broadcastSm(
  ctx: HandlerContext,
  conn: Connection,
  pdu: PduOf<'broadcast_sm'> & Req,
  frame: Buffer,
): void {
  const now = Date.now();
  const acc = conn.account!;
  const tlvs = pdu.tlvs as BroadcastTlvs; // the codec refused a broadcast_sm without its mandatory TLVs
  const bad = envelopeChecks(conn, { ...pdu, esm_class: 0, registered_delivery: 0 }) ?? checkBroadcastTlvs(tlvs);
  if (bad) return refuse(ctx, conn, pdu, bad);
  const payload = userDataOf(Buffer.alloc(0), tlvs.message_payload);
  if (payload instanceof Invalid) return refuse(ctx, conn, pdu, payload);
  const times = checkTimes(pdu.schedule_delivery_time, pdu.validity_period, now, ctx.defaultValidityMs);
  if (times instanceof Invalid) return refuse(ctx, conn, pdu, times);
  const start = times.scheduleAt ?? now;
  const reps = broadcastSpanMs(tlvs);
  // NULL validity: derived from the repetitions (their span, or the default validity when longer)
  const expireAt = pdu.validity_period || reps === null ? times.expireAt : Math.max(times.expireAt, start + reps);
  // broadcast_rep_num 0: repeated until the validity ends, done (DELIVERED) just before
  const span = reps ?? Math.max(0, expireAt - start - 1);
  // broadcast replace: the message_id (or user_message_reference) of a pending broadcast of this account
  let old: MessageRecord | undefined;
  if (pdu.replace_if_present_flag === 1) {
    if (pdu.message_id) {
      old = ownedBroadcast(ctx, conn, pdu.message_id, pdu.source_addr);
      if (!old || !isPending(old.state))
        return refuse(
          ctx,
          conn,
          pdu,
          new Invalid('ESME_RBCASTFAIL', `message_id '${pdu.message_id}' names no pending broadcast to replace`),
        );
    } else if (tlvs.user_message_reference !== undefined) {
      old = matching(ctx, conn, pdu.source_addr, '', { user_message_reference: tlvs.user_message_reference }).find(
        (m) => isPending(m.state),
      );
    }
  }
  const ud = readUserData(payload, 0, pdu.data_coding, undefined, ctx.scenario.needsText);
  if ('error' in ud)
    return refuse(
      ctx,
      conn,
      pdu,
      new Invalid(ud.error === 'data_coding' ? 'ESME_RINVDCS' : 'ESME_RINVMSGLEN', ud.message),
    );
  // a broadcast has no destination: rules on systemId, source and text apply to it
  const decision = ctx.scenario.decide({
    systemId: acc.systemId,
    source: pdu.source_addr,
    destination: '',
    text: ud.text,
  });
  if (decision.status !== 0)
    return respondAfter(ctx, conn, pdu, { command_status: decision.status }, decision.responseDelayMs);
  const plan = planBroadcast(decision, start, span, expireAt);
  const id = ctx.store.allocateId();
  const rec: MessageRecord = {
    id,
    mid: formatMessageId(id, acc.style.idFormat),
    multiId: null,
    groupId: id,
    partNum: 1,
    partTotal: 1,
    direction: 'MT',
    command: 'broadcast_sm',
    systemId: acc.systemId,
    deliverTo: null,
    serviceType: pdu.service_type,
    sourceTon: pdu.source_addr_ton,
    sourceNpi: pdu.source_addr_npi,
    sourceAddr: pdu.source_addr,
    destTon: 0,
    destNpi: 0,
    destAddr: '',
    esmClass: 0,
    protocolId: 0,
    priorityFlag: pdu.priority_flag,
    registeredDelivery: 0,
    dataCoding: pdu.data_coding,
    shortMessage: payload,
    text: ud.text,
    submittedAt: now,
    scheduleAt: times.scheduleAt,
    expireAt,
    state: 'ENROUTE',
    err: 0,
    doneAt: null,
    plannedState: plan.plannedState,
    plannedErr: plan.plannedErr,
    dueAt: plan.dueAt,
    pdu: frame,
  };
  ctx.store.insert(rec, decision.rule ? `accepted (rule ${decision.rule})` : 'accepted');
  if (old) ctx.delivery.finalize(old, 'DELETED', 0, now, `replaced by broadcast_sm ${rec.mid}`, old);
  respondAfterCommit(ctx, conn, pdu, { command_status: 0, message_id: rec.mid }, decision.responseDelayMs, 1);
}

export function queryBroadcastSm(ctx: HandlerContext, conn: Connection, pdu: PduOf<'query_broadcast_sm'> & Req): void {
  const umr = pdu.tlvs?.user_message_reference;
  const m = pdu.message_id
    ? ownedBroadcast(ctx, conn, pdu.message_id, pdu.source_addr)
    : umr !== undefined
      ? matching(ctx, conn, pdu.source_addr, '', { user_message_reference: umr })[0]
      : undefined;
  const req = m && requestTlvs(m);
  if (!m || !req) return conn.respond(pdu, { command_status: CommandStatus.ESME_RBCASTQUERYFAIL });
  conn.respond(pdu, {
    command_status: 0,
    message_id: m.mid,
    tlvs: {
      message_state: MessageState[m.state],
      broadcast_area_identifier: req.broadcast_area_identifier,
      broadcast_area_success: areaSuccess(m.state),
      ...(m.doneAt !== null ? { broadcast_end_time: formatSmppTime(new Date(m.doneAt)) } : {}),
      ...(req.user_message_reference !== undefined ? { user_message_reference: req.user_message_reference } : {}),
    },
  });
}

/**
 * By message_id (its source address must match when one is given), or with a NULL message_id every pending
 * broadcast of this account from source_addr matching service_type, broadcast_content_type and
 * user_message_reference where given.
 */
export function cancelBroadcastSm(
  ctx: HandlerContext,
  conn: Connection,
  pdu: PduOf<'cancel_broadcast_sm'> & Req,
): void {
  const now = Date.now();
  const targets = pdu.message_id
    ? [ownedBroadcast(ctx, conn, pdu.message_id, pdu.source_addr)].filter((m) => m !== undefined)
    : matching(ctx, conn, pdu.source_addr, pdu.service_type, pdu.tlvs ?? {});
  const cancel = targets.filter((m) => isPending(m.state));
  if (cancel.length === 0) return conn.respond(pdu, { command_status: CommandStatus.ESME_RBCASTCANCELFAIL });
  for (const m of cancel) ctx.delivery.finalize(m, 'DELETED', 0, now, 'cancel_broadcast_sm', m);
  ctx.store.afterCommit((ok) => conn.respond(pdu, { command_status: ok ? 0 : CommandStatus.ESME_RSYSERR }));
}
