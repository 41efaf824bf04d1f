// Accepting one message to one destination: its user data read, the scenario's decision, its concatenation
// group, its planned outcome (store/lifecycle.ts planOutcome), the row and the delivery plan. And the answers of a
// submission: after the store has committed it, or at once when refused.
import { CommandStatus, type PduOf } from '@smppkit/core';
import { planOutcome } from '../store/lifecycle.js';
import { formatMessageId } from '../store/message-id.js';
import type { MessageRecord } from '../store/record.js';
import { readUserData } from '../util/user-data.js';
import type { Connection, HandlerContext, Req } from './context.js';
import { Invalid } from './submit-validation.js';

/** What submit_sm, data_sm and submit_multi share about the message, whatever its destination. */
export interface Envelope {
  command: string;
  serviceType: string;
  sourceTon: number;
  sourceNpi: number;
  sourceAddr: string;
  esmClass: number;
  protocolId: number;
  priorityFlag: number;
  registeredDelivery: number;
  dataCoding: number;
  userData: Buffer;
  scheduleAt: number | null;
  expireAt: number;
  pdu: Buffer | null;
  /** the message's fields are `pdu`'s submit_sm decoded as they are, its user data short_message (record.ts fromFrame) */
  fromFrame: boolean;
  tlvs: PduOf<'submit_sm'>['tlvs'];
}

export interface Dest {
  ton: number;
  npi: number;
  addr: string;
}

export interface Accepted {
  rec: MessageRecord;
  responseDelayMs: number;
}
/** refused by the scenario (a rule's response status) */
export interface Refused {
  status: number;
  responseDelayMs: number;
}

/** The user-data errors that refuse a whole submit_multi (not one destination). */
export const USER_DATA_STATUSES = new Set(['ESME_RINVDCS', 'ESME_RINVMSGLEN', 'ESME_RINVTLVVAL']);

/** A later submit_multi destination's link to the first: they share its message id. */
export type FirstDestination = { id: number; mid: string } | null;

/** Validates and stores one message to one destination. */
export function accept(
  ctx: HandlerContext,
  conn: Connection,
  env: Envelope,
  dest: Dest,
  multi: FirstDestination,
  now: number,
): Accepted | Refused | Invalid {
  const acc = conn.account!;
  // the text is decoded here only for a part or when a rule matches on text; readers decode the rest (messageText)
  const ud = readUserData(env.userData, env.esmClass, env.dataCoding, env.tlvs as never, ctx.scenario.needsText);
  if ('error' in ud) {
    return ud.error === 'data_coding'
      ? new Invalid('ESME_RINVDCS', ud.message)
      : ud.error === 'sar'
        ? new Invalid('ESME_RINVTLVVAL', ud.message)
        : new Invalid('ESME_RINVMSGLEN', ud.message);
  }
  const decision = ctx.scenario.decide({
    systemId: acc.systemId,
    source: env.sourceAddr,
    destination: dest.addr,
    text: ud.text,
  });
  if (decision.status !== 0) return { status: decision.status, responseDelayMs: decision.responseDelayMs };
  const owner = ctx.accounts.ownerOf(dest.addr);
  const id = ctx.store.allocateId();
  let groupId = id;
  let partNum = 1;
  let partTotal = 1;
  if (ud.concat) {
    const key = `${acc.systemId}|${env.sourceAddr}|${dest.addr}|${ud.concat.ref}|${ud.concat.total}`;
    groupId = ctx.groups.join(key, id, ud.concat.total, now);
    partNum = ud.concat.seq;
    partTotal = ud.concat.total;
  }
  const start = env.scheduleAt ?? now;
  // ESME to ESME: the message waits for the owner to take it, its validity bounding the wait
  const plan = planOutcome(
    { state: decision.state, err: decision.err, at: start + decision.delayMs },
    env.expireAt,
    owner !== undefined,
  );
  const rec: MessageRecord = {
    id,
    mid: multi?.mid ?? formatMessageId(id, acc.style.idFormat),
    multiId: multi?.id ?? null,
    groupId,
    partNum,
    partTotal,
    direction: 'MT',
    command: env.command,
    systemId: acc.systemId,
    deliverTo: owner?.systemId ?? null,
    serviceType: env.serviceType,
    sourceTon: env.sourceTon,
    sourceNpi: env.sourceNpi,
    sourceAddr: env.sourceAddr,
    destTon: dest.ton,
    destNpi: dest.npi,
    destAddr: dest.addr,
    esmClass: env.esmClass,
    protocolId: env.protocolId,
    priorityFlag: env.priorityFlag,
    registeredDelivery: env.registeredDelivery,
    dataCoding: env.dataCoding,
    shortMessage: env.userData,
    text: ud.text,
    submittedAt: now,
    scheduleAt: env.scheduleAt,
    expireAt: env.expireAt,
    state: 'ENROUTE',
    err: 0,
    doneAt: null,
    plannedState: plan.plannedState,
    plannedErr: plan.plannedErr,
    dueAt: plan.dueAt,
    pdu: env.pdu,
    fromFrame: env.fromFrame,
  };
  ctx.store.insert(rec, decision.rule ? `accepted (rule ${decision.rule})` : 'accepted');
  ctx.delivery.schedule(rec, rec);
  ctx.alerts.requested(rec, env.tlvs?.set_dpf);
  if (owner) ctx.delivery.enqueue('mo', id, owner.systemId, start);
  return { rec, responseDelayMs: decision.responseDelayMs };
}

/** Answers a refusal with its status (and says why in the debug log). */
export function refuse(ctx: HandlerContext, conn: Connection, pdu: Req, e: Invalid): void {
  ctx.log.debug({ conn: conn.id, command: pdu.command, status: e.status, reason: e.reason }, 'request refused');
  conn.respond(pdu, { command_status: CommandStatus[e.status] });
}

/** Answers once the store has committed: `fields` on success, ESME_RSYSERR if the write failed. */
export function respondAfterCommit(
  ctx: HandlerContext,
  conn: Connection,
  pdu: Req,
  fields: Record<string, unknown>,
  delayMs: number,
  accepted: number,
): void {
  // the common answer (one message, at once) takes no closure of its own
  if (delayMs <= 0 && accepted === 1) return ctx.store.afterCommit(answerOne, ctx, conn, pdu, fields);
  ctx.store.afterCommit((ok) => {
    ctx.answers.answered(conn);
    if (ok) ctx.metrics.accepted(accepted);
    const answer = ok ? fields : { command_status: CommandStatus.ESME_RSYSERR };
    respondAfter(ctx, conn, pdu, answer, delayMs);
  });
}

function answerOne(
  ok: boolean,
  ctx: HandlerContext,
  conn: Connection,
  pdu: Req,
  fields: Record<string, unknown>,
): void {
  if (ok) ctx.metrics.accepted(1);
  ctx.answers.answered(conn);
  conn.respond(pdu, ok ? fields : { command_status: CommandStatus.ESME_RSYSERR });
}

export function respondAfter(
  ctx: HandlerContext,
  conn: Connection,
  pdu: Req,
  fields: Record<string, unknown>,
  delayMs: number,
): void {
  if (delayMs > 0) ctx.defer(delayMs, () => conn.respond(pdu, fields));
  else conn.respond(pdu, fields);
}

/** The answer to a single-destination submission (submit_sm, data_sm). */
export function finish(ctx: HandlerContext, conn: Connection, pdu: Req, r: Accepted | Refused | Invalid): void {
  if (r instanceof Invalid) return refuse(ctx, conn, pdu, r);
  if ('status' in r) return respondAfter(ctx, conn, pdu, { command_status: r.status }, r.responseDelayMs);
  respondAfterCommit(ctx, conn, pdu, { command_status: 0, message_id: r.rec.mid }, r.responseDelayMs, 1);
}
