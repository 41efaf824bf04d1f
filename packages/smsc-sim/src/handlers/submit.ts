// submit_sm: the envelope checks, the request PDU kept as it arrived, replace_if_present_flag, then accept(). The checks and
// envelope submit_multi shares (submitEnvelope) are here too.
import type { PduOf } from '@smppkit/core';
import { readClock } from '../server/read-clock.js';
import type { MessageRecord } from '../store/record.js';
import { readUserData } from '../util/user-data.js';
import { accept, type Envelope, finish, refuse, respondAfterCommit } from './accept.js';
import type { Connection, HandlerContext, Req } from './context.js';
import { checkDestination, checkFlags, checkSource, checkTimes, Invalid, userDataOf } from './submit-validation.js';

/** The source address and flag checks of every submission. */
export function envelopeChecks(
  conn: Connection,
  p: {
    source_addr_ton: number;
    source_addr_npi: number;
    source_addr: string;
    esm_class: number;
    registered_delivery: number;
    priority_flag?: number;
    replace_if_present_flag?: number;
    sm_default_msg_id?: number;
  },
): Invalid | null {
  return checkSource(p.source_addr_ton, p.source_addr_npi, p.source_addr, conn.account!.sourceAllowed) ?? checkFlags(p);
}

/**
 * The checks submit_sm and submit_multi share (user data, schedule and validity) and the envelope they give, or
 * undefined when the request was refused (and answered).
 */
export function submitEnvelope(
  ctx: HandlerContext,
  conn: Connection,
  pdu: (PduOf<'submit_sm'> | PduOf<'submit_multi'>) & Req,
  now: number,
  stored: Buffer | null,
): Envelope | undefined {
  const userData = userDataOf(pdu.short_message, pdu.tlvs?.message_payload);
  if (userData instanceof Invalid) {
    refuse(ctx, conn, pdu, userData);
    return undefined;
  }
  const times = checkTimes(pdu.schedule_delivery_time, pdu.validity_period, now, ctx.defaultValidityMs);
  if (times instanceof Invalid) {
    refuse(ctx, conn, pdu, times);
    return undefined;
  }
  return {
    command: pdu.command,
    serviceType: pdu.service_type,
    sourceTon: pdu.source_addr_ton,
    sourceNpi: pdu.source_addr_npi,
    sourceAddr: pdu.source_addr,
    esmClass: pdu.esm_class,
    protocolId: pdu.protocol_id,
    priorityFlag: pdu.priority_flag,
    registeredDelivery: pdu.registered_delivery,
    dataCoding: pdu.data_coding,
    userData,
    scheduleAt: times.scheduleAt,
    expireAt: times.expireAt,
    pdu: stored,
    fromFrame: stored !== null && pdu.command === 'submit_sm' && userData === pdu.short_message,
    tlvs: pdu.tlvs as Envelope['tlvs'],
  };
}

/** `frame`: the request as it arrived (the session's own copy), kept with the message. */
export function submitSm(ctx: HandlerContext, conn: Connection, pdu: PduOf<'submit_sm'> & Req, frame: Buffer): void {
  const now = readClock.now();
  const bad = envelopeChecks(conn, pdu) ?? checkDestination(pdu.dest_addr_ton, pdu.dest_addr_npi, pdu.destination_addr);
  if (bad) return refuse(ctx, conn, pdu, bad);
  const env = submitEnvelope(ctx, conn, pdu, now, frame);
  if (!env) return;
  if (pdu.replace_if_present_flag === 1) {
    const old = ctx.store.findReplaceable(
      conn.account!.systemId,
      pdu.source_addr,
      pdu.destination_addr,
      pdu.service_type,
    );
    if (old) return replaceContent(ctx, conn, pdu, old, env, now);
  }
  finish(
    ctx,
    conn,
    pdu,
    accept(ctx, conn, env, { ton: pdu.dest_addr_ton, npi: pdu.dest_addr_npi, addr: pdu.destination_addr }, null, now),
  );
}

/** submit_sm with replace_if_present_flag = 1 that found a pending message: its content is replaced in place. */
function replaceContent(
  ctx: HandlerContext,
  conn: Connection,
  pdu: Req,
  old: MessageRecord,
  env: Envelope,
  now: number,
): void {
  const ud = readUserData(env.userData, env.esmClass, env.dataCoding, env.tlvs as never);
  if ('error' in ud) return refuse(ctx, conn, pdu, new Invalid('ESME_RINVMSGLEN', ud.message));
  const fields: Partial<MessageRecord> = {
    shortMessage: env.userData,
    text: ud.text,
    esmClass: env.esmClass,
    dataCoding: env.dataCoding,
    registeredDelivery: env.registeredDelivery,
    scheduleAt: env.scheduleAt,
    expireAt: env.expireAt,
    submittedAt: now,
    pdu: env.pdu,
  };
  ctx.store.replace(old.id, fields, now, 'replaced by submit_sm with replace_if_present_flag');
  // the record held for its receipt, if any, gets the new content too
  const held = ctx.delivery.planned(old.id)?.rec;
  if (held) {
    Object.assign(held, fields);
    held.fromFrame = false; // its fields are now partly the first request's, partly this one's
  }
  respondAfterCommit(ctx, conn, pdu, { command_status: 0, message_id: old.mid }, 0, 1);
}
