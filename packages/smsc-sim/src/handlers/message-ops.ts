// Operations on stored messages: query_sm, cancel_sm, replace_sm. An account sees only its own messages, and these
// see no broadcast (broadcast.ts has its own).
import { CommandStatus, formatSmppTime, MessageState, type PduOf } from '@smppkit/core';
import { isPending, planOutcome } from '../store/lifecycle.js';
import { parseMessageId } from '../store/message-id.js';
import type { MessageRecord } from '../store/record.js';
import { readUserData } from '../util/user-data.js';
import { refuse } from './accept.js';
import type { Connection, HandlerContext, Req } from './context.js';
import { checkFlags, checkTimes, Invalid, userDataOf } from './submit-validation.js';

/** The account's parts with this message id (hex ids compared in lower case): its broadcasts, or its other messages. */
export function owned(ctx: HandlerContext, conn: Connection, messageId: string, broadcast = false): MessageRecord[] {
  const acc = conn.account!;
  const id = parseMessageId(messageId, acc.style.idFormat);
  if (id === null) return [];
  const mid = acc.style.idFormat === 'hex' ? messageId.toLowerCase() : messageId;
  return ctx.store
    .byIdWithMulti(id)
    .filter((m) => m.systemId === acc.systemId && m.mid === mid && (m.command === BROADCAST) === broadcast);
}

const BROADCAST = 'broadcast_sm';
const pending = (m: MessageRecord) => isPending(m.state);

export function querySm(ctx: HandlerContext, conn: Connection, pdu: PduOf<'query_sm'> & Req): void {
  const parts = owned(ctx, conn, pdu.message_id).filter((m) => !pdu.source_addr || m.sourceAddr === pdu.source_addr);
  if (parts.length === 0) return conn.respond(pdu, { command_status: CommandStatus.ESME_RQUERYFAIL });
  const m = parts[0];
  conn.respond(pdu, {
    command_status: 0,
    message_id: pdu.message_id,
    final_date: m.doneAt !== null ? formatSmppTime(new Date(m.doneAt)) : '',
    message_state: MessageState[m.state],
    error_code: m.err & 0xff,
  });
}

export function cancelSm(ctx: HandlerContext, conn: Connection, pdu: PduOf<'cancel_sm'> & Req): void {
  const now = Date.now();
  let targets: MessageRecord[];
  if (pdu.message_id) {
    targets = owned(ctx, conn, pdu.message_id).filter(
      (m) =>
        (!pdu.source_addr || m.sourceAddr === pdu.source_addr) &&
        (!pdu.destination_addr || m.destAddr === pdu.destination_addr),
    );
  } else {
    if (!pdu.source_addr || !pdu.destination_addr)
      return refuse(
        ctx,
        conn,
        pdu,
        new Invalid('ESME_RINVDSTADR', 'cancel_sm without message_id needs source_addr and destination_addr'),
      );
    targets = ctx.store.findCancellable(
      conn.account!.systemId,
      pdu.source_addr,
      pdu.destination_addr,
      pdu.service_type,
    );
  }
  const cancel = targets.filter(pending);
  if (cancel.length === 0) return conn.respond(pdu, { command_status: CommandStatus.ESME_RCANCELFAIL });
  for (const m of cancel) ctx.delivery.finalize(m, 'DELETED', 0, now, 'cancel_sm', m);
  ctx.store.afterCommit((ok) => conn.respond(pdu, { command_status: ok ? 0 : CommandStatus.ESME_RSYSERR }));
}

export function replaceSm(ctx: HandlerContext, conn: Connection, pdu: PduOf<'replace_sm'> & Req): void {
  const now = Date.now();
  const m = owned(ctx, conn, pdu.message_id).find((x) => !pdu.source_addr || x.sourceAddr === pdu.source_addr);
  if (!m || !pending(m)) return conn.respond(pdu, { command_status: CommandStatus.ESME_RREPLACEFAIL });
  const flags = checkFlags({
    esm_class: 0,
    registered_delivery: pdu.registered_delivery,
    sm_default_msg_id: pdu.sm_default_msg_id,
  });
  if (flags) return refuse(ctx, conn, pdu, flags);
  const userData = userDataOf(pdu.short_message, pdu.tlvs?.message_payload);
  if (userData instanceof Invalid) return refuse(ctx, conn, pdu, userData);
  const ud = readUserData(userData, m.esmClass, m.dataCoding, undefined);
  if ('error' in ud) return refuse(ctx, conn, pdu, new Invalid('ESME_RINVMSGLEN', ud.message));
  let scheduleAt = m.scheduleAt;
  let expireAt = m.expireAt;
  if (pdu.schedule_delivery_time || pdu.validity_period) {
    const t = checkTimes(pdu.schedule_delivery_time, pdu.validity_period, now, m.expireAt - now);
    if (t instanceof Invalid) return refuse(ctx, conn, pdu, t);
    if (pdu.schedule_delivery_time) scheduleAt = t.scheduleAt;
    if (pdu.validity_period) expireAt = t.expireAt;
  }
  const fields: Partial<MessageRecord> = {
    shortMessage: userData,
    text: ud.text,
    registeredDelivery: pdu.registered_delivery,
    scheduleAt,
    expireAt,
  };
  if (m.dueAt !== null && !m.deliverTo) {
    // keep the planned delay, counted from the new schedule time
    const delay = Math.max(0, m.dueAt - (m.scheduleAt ?? m.submittedAt));
    Object.assign(
      fields,
      planOutcome({ state: m.plannedState, err: m.plannedErr, at: (scheduleAt ?? now) + delay }, expireAt, false),
    );
    const next = { ...m, ...fields };
    ctx.delivery.dropPlan(m, now);
    ctx.delivery.schedule(next, next);
  }
  ctx.store.replace(m.id, fields, now, 'replace_sm');
  ctx.store.afterCommit((ok) => conn.respond(pdu, { command_status: ok ? 0 : CommandStatus.ESME_RSYSERR }));
}
