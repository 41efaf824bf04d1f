// What the simulator does with each request an ESME sends (the session has already checked state and direction):
// binds against the accounts, submit_sm / submit_multi / data_sm into the store, query_sm / cancel_sm / replace_sm
// against it. Window and TPS limits and fault injection are applied here.
import { CommandStatus, encodePdu, formatSmppTime, type Pdu, type PduOf } from '@smppkit/core';
import { Invalid, checkDestination, checkFlags, checkSource, checkTimes, userDataOf } from './submit-validation.js';
import type { BindType, StateName } from './config.js';
import type { Connection } from './connection.js';
import { stateNumber } from './deliver-pdus.js';
import { formatMessageId, parseMessageId } from './message-id.js';
import type { MessageRecord } from './message-store.js';
import type { Smsc } from './smsc.js';
import { readUserData } from './user-data.js';

type Req = Pdu & { sequence_number: number };
const S = CommandStatus as unknown as Record<string, number>;

const BIND_TYPE: Record<string, BindType> = {
  bind_transmitter: 'transmitter', bind_receiver: 'receiver', bind_transceiver: 'transceiver',
};

export function handleRequest(smsc: Smsc, conn: Connection, pdu: Req): void {
  conn.requestsIn++;
  smsc.metrics.pdu('in', pdu.command, 0);
  const faults = smsc.faultsFor(conn.account?.systemId ?? null);
  if (faults) {
    if (faults.disconnectAfterPdus && conn.requestsIn >= faults.disconnectAfterPdus) { conn.socket.destroy(); return; }
    if (faults.disconnectFraction && smsc.random() < faults.disconnectFraction) { conn.socket.destroy(); return; }
  }
  dispatch(smsc, conn, pdu);
  if (faults?.unbindAfterPdus && conn.requestsIn === faults.unbindAfterPdus) {
    // after this request's answer has gone out
    smsc.store.afterCommit(() => smsc.defer(1, () => { conn.session.unbind().catch(() => { /* peer gone */ }); }));
  }
}

function dispatch(smsc: Smsc, conn: Connection, pdu: Req): void {
  switch (pdu.command) {
    case 'bind_transmitter':
    case 'bind_receiver':
    case 'bind_transceiver':
      return bind(smsc, conn, pdu);
    case 'submit_sm':
      if (admitted(smsc, conn, pdu)) submitSm(smsc, conn, pdu);
      return;
    case 'data_sm':
      if (admitted(smsc, conn, pdu)) dataSm(smsc, conn, pdu);
      return;
    case 'submit_multi':
      if (admitted(smsc, conn, pdu)) submitMulti(smsc, conn, pdu);
      return;
    case 'query_sm':
      conn.pending++;
      return querySm(smsc, conn, pdu);
    case 'cancel_sm':
      conn.pending++;
      return cancelSm(smsc, conn, pdu);
    case 'replace_sm':
      conn.pending++;
      return replaceSm(smsc, conn, pdu);
    default:
      // broadcast_sm and friends: a cell-broadcast centre this is not
      conn.pending++;
      return conn.respond(pdu, { command_status: CommandStatus.ESME_RPROHIBITED });
  }
}

/** Window and TPS of the account: false when the request was refused (and answered) for exceeding them. */
function admitted(smsc: Smsc, conn: Connection, pdu: Req): boolean {
  const acc = conn.account!;
  conn.pending++;
  if (conn.pending > acc.config.window) { conn.respond(pdu, { command_status: CommandStatus.ESME_RMSGQFUL }); return false; }
  if (acc.config.tps > 0 && !smsc.bucket(acc.systemId, acc.config.tps).take(Date.now())) {
    conn.respond(pdu, { command_status: CommandStatus.ESME_RTHROTTLED });
    return false;
  }
  return true;
}

function fail(conn: Connection, pdu: Req, e: Invalid, smsc: Smsc): void {
  smsc.log.debug({ conn: conn.id, command: pdu.command, status: e.status, reason: e.reason }, 'request refused');
  conn.respond(pdu, { command_status: S[e.status] });
}

// ---- bind ----

function bind(smsc: Smsc, conn: Connection, pdu: PduOf<'bind_transmitter'> | PduOf<'bind_receiver'> | PduOf<'bind_transceiver'>): void {
  const type = BIND_TYPE[pdu.command];
  const r = smsc.accounts.authenticate(pdu.system_id, pdu.password, type, conn.socket.remoteAddress);
  conn.pending++;
  if (typeof r === 'string') {
    smsc.log.info({ conn: conn.id, systemId: pdu.system_id, remote: conn.remote, status: r }, 'bind refused');
    conn.respond(pdu as Req, { command_status: S[r] });
    return;
  }
  conn.account = r;
  conn.bindType = type;
  conn.boundAt = new Date();
  conn.interfaceVersion = pdu.interface_version;
  // a v3.3 peer gets no TLVs (v5.0 §2.11.2)
  const tlvs = pdu.interface_version >= 0x34 ? { tlvs: { sc_interface_version: 0x34 } } : {};
  conn.respond(pdu as Req, { command_status: 0, system_id: 'SMSCSIM', ...tlvs });
  smsc.bound(conn);
}

// ---- submissions ----

interface Envelope {
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
  tlvs: PduOf<'submit_sm'>['tlvs'];
}

interface Dest { ton: number; npi: number; addr: string }

/** Validates and stores one message to one destination; returns the record or why it was refused. */
interface Accepted { rec: MessageRecord; responseDelayMs: number }
interface Refused { status: number; responseDelayMs: number }

/** `multi`: a later submit_multi destination, sharing the first destination's message id. */
function accept(smsc: Smsc, conn: Connection, env: Envelope, dest: Dest, multi: { id: number; mid: string } | null, now: number): Accepted | Refused | Invalid {
  const acc = conn.account!;
  // the text is decoded here only for a part or when a rule matches on text; readers decode the rest (messageText)
  const ud = readUserData(env.userData, env.esmClass, env.dataCoding, env.tlvs as never, smsc.scenario.needsText);
  if ('error' in ud) {
    return ud.error === 'data_coding' ? new Invalid('ESME_RINVDCS', ud.message)
      : ud.error === 'sar' ? new Invalid('ESME_RINVTLVVAL', ud.message) : new Invalid('ESME_RINVMSGLEN', ud.message);
  }
  const decision = smsc.scenario.decide({ systemId: acc.systemId, source: env.sourceAddr, destination: dest.addr, text: ud.text });
  if (decision.status !== 0) return { status: decision.status, responseDelayMs: decision.responseDelayMs };
  const owner = smsc.accounts.ownerOf(dest.addr);
  const id = smsc.store.allocateId();
  let groupId = id;
  let partNum = 1;
  let partTotal = 1;
  if (ud.concat) {
    const key = `${acc.systemId}|${env.sourceAddr}|${dest.addr}|${ud.concat.ref}|${ud.concat.total}`;
    let g = smsc.groups.get(key);
    if (!g) { g = { groupId: id, seen: 0, at: now }; smsc.groups.set(key, g); }
    groupId = g.groupId;
    if (++g.seen >= ud.concat.total) smsc.groups.delete(key);
    partNum = ud.concat.seq;
    partTotal = ud.concat.total;
  }
  const start = env.scheduleAt ?? now;
  let plannedState: StateName = decision.state;
  let plannedErr = decision.err;
  let dueAt = start + decision.delayMs;
  if (owner) {
    // ESME to ESME: the message waits for the owner to take it; its validity bounds the wait
    plannedState = 'EXPIRED';
    plannedErr = 0;
    dueAt = env.expireAt;
  } else if (dueAt > env.expireAt) {
    plannedState = 'EXPIRED';
    plannedErr = 0;
    dueAt = env.expireAt;
  }
  const rec: MessageRecord = {
    id, mid: multi?.mid ?? formatMessageId(id, acc.dialect.idFormat), multiId: multi?.id ?? null, groupId, partNum, partTotal, direction: 'MT', command: env.command,
    systemId: acc.systemId, deliverTo: owner?.systemId ?? null, serviceType: env.serviceType,
    sourceTon: env.sourceTon, sourceNpi: env.sourceNpi, sourceAddr: env.sourceAddr, destTon: dest.ton, destNpi: dest.npi, destAddr: dest.addr,
    esmClass: env.esmClass, protocolId: env.protocolId, priorityFlag: env.priorityFlag, registeredDelivery: env.registeredDelivery,
    dataCoding: env.dataCoding, shortMessage: env.userData, text: ud.text, submittedAt: now, scheduleAt: env.scheduleAt,
    expireAt: env.expireAt, state: 'ENROUTE', err: 0, doneAt: null, plannedState, plannedErr, dueAt, pdu: env.pdu,
  };
  smsc.store.insert(rec, decision.rule ? `accepted (rule ${decision.rule})` : 'accepted');
  smsc.delivery.schedule(rec, rec);
  if (owner) smsc.delivery.enqueue('mo', id, owner.systemId, start);
  return { rec, responseDelayMs: decision.responseDelayMs };
}

/** Answers once the store has committed: message_id on success, ESME_RSYSERR if the write failed. */
function respondAfterCommit(smsc: Smsc, conn: Connection, pdu: Req, fields: Record<string, unknown>, delayMs: number, accepted: number): void {
  smsc.store.afterCommit((ok) => {
    if (ok) smsc.metrics.accepted(accepted);
    const answer = ok ? fields : { command_status: CommandStatus.ESME_RSYSERR };
    if (delayMs > 0) delayed(conn, pdu, answer, delayMs);
    else conn.respond(pdu, answer);
  });
}

function envelopeChecks(smsc: Smsc, conn: Connection, p: {
  source_addr_ton: number; source_addr_npi: number; source_addr: string; esm_class: number; registered_delivery: number;
  priority_flag?: number; replace_if_present_flag?: number; sm_default_msg_id?: number;
}): Invalid | null {
  return checkSource(p.source_addr_ton, p.source_addr_npi, p.source_addr, conn.account!.sourceAllowed) ?? checkFlags(p);
}

function storedPdu(pdu: Pdu): Buffer | null {
  try { return encodePdu(pdu); } catch { return null; }
}

/**
 * The submit_sm as it arrived, without encoding it again: the codec decodes zero-copy (short_message is a view
 * into the PDU's frame), so the frame starts a computable number of octets before short_message (C-strings are
 * one octet per character). The header found there is checked (command_length, command_id, sequence_number,
 * sm_length); anything unexpected falls back to encoding the decoded PDU.
 */
function receivedSubmitSm(pdu: PduOf<'submit_sm'> & Req): Buffer | null {
  const sm = pdu.short_message;
  if (sm.length > 0) {
    const off = 16 + pdu.service_type.length + 1 + 2 + pdu.source_addr.length + 1 + 2 + pdu.destination_addr.length + 1 + 3
      + pdu.schedule_delivery_time.length + 1 + pdu.validity_period.length + 1 + 5;
    const start = sm.byteOffset - off;
    if (start >= 0) {
      const frame = Buffer.from(sm.buffer, start, off + sm.length);
      const len = frame.readUInt32BE(0);
      if (frame.readUInt32BE(4) === 0x00000004 && frame.readUInt32BE(12) === pdu.sequence_number && frame[off - 1] === sm.length
        && len >= off + sm.length && start + len <= sm.buffer.byteLength) {
        return Buffer.from(sm.buffer, start, len);
      }
    }
  }
  return storedPdu(pdu);
}

/**
 * The checks submit_sm and submit_multi share (user data, schedule and validity) and the envelope they give, or
 * undefined when the request was refused (and answered).
 */
function submitEnvelope(smsc: Smsc, conn: Connection, pdu: (PduOf<'submit_sm'> | PduOf<'submit_multi'>) & Req, now: number, stored: Buffer | null): Envelope | undefined {
  const userData = userDataOf(pdu.short_message, pdu.tlvs?.message_payload);
  if (userData instanceof Invalid) { fail(conn, pdu, userData, smsc); return undefined; }
  const times = checkTimes(pdu.schedule_delivery_time, pdu.validity_period, now, smsc.config.defaultValidityMs);
  if (times instanceof Invalid) { fail(conn, pdu, times, smsc); return undefined; }
  return {
    command: pdu.command, serviceType: pdu.service_type, sourceTon: pdu.source_addr_ton, sourceNpi: pdu.source_addr_npi,
    sourceAddr: pdu.source_addr, esmClass: pdu.esm_class, protocolId: pdu.protocol_id, priorityFlag: pdu.priority_flag,
    registeredDelivery: pdu.registered_delivery, dataCoding: pdu.data_coding, userData, scheduleAt: times.scheduleAt,
    expireAt: times.expireAt, pdu: stored, tlvs: pdu.tlvs as Envelope['tlvs'],
  };
}

function submitSm(smsc: Smsc, conn: Connection, pdu: PduOf<'submit_sm'> & Req): void {
  const now = Date.now();
  const bad = envelopeChecks(smsc, conn, pdu) ?? checkDestination(pdu.dest_addr_ton, pdu.dest_addr_npi, pdu.destination_addr);
  if (bad) return fail(conn, pdu, bad, smsc);
  const env = submitEnvelope(smsc, conn, pdu, now, receivedSubmitSm(pdu));
  if (!env) return;
  const dest = { ton: pdu.dest_addr_ton, npi: pdu.dest_addr_npi, addr: pdu.destination_addr };
  if (pdu.replace_if_present_flag === 1) {
    const old = smsc.store.findReplaceable(conn.account!.systemId, pdu.source_addr, pdu.destination_addr, pdu.service_type);
    if (old) return replaceContent(smsc, conn, pdu, old, env, now);
  }
  const r = accept(smsc, conn, env, dest, null, now);
  finish(smsc, conn, pdu, r);
}

function finish(smsc: Smsc, conn: Connection, pdu: Req, r: Accepted | Refused | Invalid): void {
  if (r instanceof Invalid) return fail(conn, pdu, r, smsc);
  if ('status' in r) return delayed(conn, pdu, { command_status: r.status }, r.responseDelayMs);
  respondAfterCommit(smsc, conn, pdu, { command_status: 0, message_id: r.rec.mid }, r.responseDelayMs, 1);
}

function delayed(conn: Connection, pdu: Req, fields: Record<string, unknown>, delayMs: number): void {
  conn.host.defer(delayMs, () => conn.respond(pdu, fields));
}

function dataSm(smsc: Smsc, conn: Connection, pdu: PduOf<'data_sm'> & Req): void {
  const now = Date.now();
  const bad = envelopeChecks(smsc, conn, pdu) ?? checkDestination(pdu.dest_addr_ton, pdu.dest_addr_npi, pdu.destination_addr);
  if (bad) return fail(conn, pdu, bad, smsc);
  const payload = pdu.tlvs?.message_payload;
  if (payload === undefined) return fail(conn, pdu, new Invalid('ESME_RMISSINGTLV', 'data_sm without message_payload'), smsc);
  const userData = userDataOf(Buffer.alloc(0), payload);
  if (userData instanceof Invalid) return fail(conn, pdu, userData, smsc);
  const ttl = pdu.tlvs?.qos_time_to_live;
  const env: Envelope = {
    command: 'data_sm', serviceType: pdu.service_type, sourceTon: pdu.source_addr_ton, sourceNpi: pdu.source_addr_npi,
    sourceAddr: pdu.source_addr, esmClass: pdu.esm_class, protocolId: 0, priorityFlag: 0, registeredDelivery: pdu.registered_delivery,
    dataCoding: pdu.data_coding, userData, scheduleAt: null, expireAt: now + (ttl ? ttl * 1000 : smsc.config.defaultValidityMs),
    pdu: storedPdu(pdu), tlvs: pdu.tlvs as never,
  };
  finish(smsc, conn, pdu, accept(smsc, conn, env, { ton: pdu.dest_addr_ton, npi: pdu.dest_addr_npi, addr: pdu.destination_addr }, null, now));
}

function submitMulti(smsc: Smsc, conn: Connection, pdu: PduOf<'submit_multi'> & Req): void {
  const now = Date.now();
  const bad = envelopeChecks(smsc, conn, pdu);
  if (bad) return fail(conn, pdu, bad, smsc);
  if (pdu.dest_address.length === 0) return fail(conn, pdu, new Invalid('ESME_RINVNUMDESTS', 'number_of_dests is 0'), smsc);
  const env = submitEnvelope(smsc, conn, pdu, now, storedPdu(pdu));
  if (!env) return;
  const unsuccess: Array<{ dest_addr_ton: number; dest_addr_npi: number; destination_addr: string; error_status_code: number }> = [];
  let first: { id: number; mid: string } | null = null;
  let accepted = 0;
  let firstError: number | null = null;
  let delay = 0;
  for (const d of pdu.dest_address) {
    if (d.dest_flag !== 1) {
      // no distribution lists here: each one is reported as an unsuccessful destination
      unsuccess.push({ dest_addr_ton: 0, dest_addr_npi: 0, destination_addr: d.dl_name, error_status_code: CommandStatus.ESME_RCNTSUBDL });
      firstError ??= CommandStatus.ESME_RCNTSUBDL;
      continue;
    }
    const dest = { ton: d.dest_addr_ton, npi: d.dest_addr_npi, addr: d.destination_addr };
    const invalid = checkDestination(dest.ton, dest.npi, dest.addr);
    const r: Accepted | Refused | Invalid = invalid ?? accept(smsc, conn, env, dest, first, now);
    if (r instanceof Invalid || 'status' in r) {
      const code = r instanceof Invalid ? S[r.status] : r.status;
      if (r instanceof Invalid && (r.status === 'ESME_RINVDCS' || r.status === 'ESME_RINVMSGLEN' || r.status === 'ESME_RINVTLVVAL')) return fail(conn, pdu, r, smsc);
      unsuccess.push({ dest_addr_ton: dest.ton, dest_addr_npi: dest.npi, destination_addr: dest.addr, error_status_code: code });
      firstError ??= code;
      continue;
    }
    first ??= { id: r.rec.id, mid: r.rec.mid };
    accepted++;
    delay = Math.max(delay, r.responseDelayMs);
  }
  if (accepted === 0) return conn.respond(pdu, { command_status: firstError ?? CommandStatus.ESME_RSUBMITFAIL });
  respondAfterCommit(smsc, conn, pdu, { command_status: 0, message_id: first!.mid, unsuccess_sme: unsuccess }, delay, accepted);
}

/** submit_sm with replace_if_present_flag = 1 that found a pending message: its content is replaced in place. */
function replaceContent(smsc: Smsc, conn: Connection, pdu: Req, old: MessageRecord, env: Envelope, now: number): void {
  const ud = readUserData(env.userData, env.esmClass, env.dataCoding, env.tlvs as never);
  if ('error' in ud) return fail(conn, pdu, new Invalid('ESME_RINVMSGLEN', ud.message), smsc);
  const fields: Partial<MessageRecord> = {
    shortMessage: env.userData, text: ud.text, esmClass: env.esmClass, dataCoding: env.dataCoding, registeredDelivery: env.registeredDelivery,
    scheduleAt: env.scheduleAt, expireAt: env.expireAt, submittedAt: now, pdu: env.pdu,
  };
  smsc.store.replace(old.id, fields, now, 'replaced by submit_sm with replace_if_present_flag');
  // the record held for its receipt, if any, gets the new content too
  const held = smsc.delivery.planned(old.id)?.rec;
  if (held) Object.assign(held, fields);
  respondAfterCommit(smsc, conn, pdu, { command_status: 0, message_id: old.mid }, 0, 1);
}

// ---- operations on stored messages ----

/** The account's parts with this message id (hex ids compared in lower case). */
function owned(smsc: Smsc, conn: Connection, messageId: string): MessageRecord[] {
  const acc = conn.account!;
  const id = parseMessageId(messageId, acc.dialect.idFormat);
  if (id === null) return [];
  const mid = acc.dialect.idFormat === 'hex' ? messageId.toLowerCase() : messageId;
  return smsc.store.byIdWithMulti(id).filter((m) => m.systemId === acc.systemId && m.mid === mid);
}

const PENDING = (m: MessageRecord) => m.state === 'ENROUTE' || m.state === 'SCHEDULED';

function querySm(smsc: Smsc, conn: Connection, pdu: PduOf<'query_sm'> & Req): void {
  const parts = owned(smsc, conn, pdu.message_id).filter((m) => !pdu.source_addr || m.sourceAddr === pdu.source_addr);
  if (parts.length === 0) return conn.respond(pdu, { command_status: CommandStatus.ESME_RQUERYFAIL });
  const m = parts[0];
  conn.respond(pdu, {
    command_status: 0, message_id: pdu.message_id, final_date: m.doneAt !== null ? formatSmppTime(new Date(m.doneAt)) : '',
    message_state: stateNumber(m.state), error_code: m.err & 0xff,
  });
}

function cancelSm(smsc: Smsc, conn: Connection, pdu: PduOf<'cancel_sm'> & Req): void {
  const now = Date.now();
  let targets: MessageRecord[];
  if (pdu.message_id) {
    targets = owned(smsc, conn, pdu.message_id).filter((m) =>
      (!pdu.source_addr || m.sourceAddr === pdu.source_addr) && (!pdu.destination_addr || m.destAddr === pdu.destination_addr));
  } else {
    if (!pdu.source_addr || !pdu.destination_addr) return fail(conn, pdu, new Invalid('ESME_RINVDSTADR', 'cancel_sm without message_id needs source_addr and destination_addr'), smsc);
    targets = smsc.store.findCancellable(conn.account!.systemId, pdu.source_addr, pdu.destination_addr, pdu.service_type);
  }
  const pending = targets.filter(PENDING);
  if (pending.length === 0) return conn.respond(pdu, { command_status: CommandStatus.ESME_RCANCELFAIL });
  for (const m of pending) smsc.delivery.finalize(m, 'DELETED', 0, now, 'cancel_sm', m);
  smsc.store.afterCommit((ok) => conn.respond(pdu, { command_status: ok ? 0 : CommandStatus.ESME_RSYSERR }));
}

function replaceSm(smsc: Smsc, conn: Connection, pdu: PduOf<'replace_sm'> & Req): void {
  const now = Date.now();
  const m = owned(smsc, conn, pdu.message_id).find((x) => !pdu.source_addr || x.sourceAddr === pdu.source_addr);
  if (!m) return conn.respond(pdu, { command_status: CommandStatus.ESME_RREPLACEFAIL });
  if (!PENDING(m)) return conn.respond(pdu, { command_status: CommandStatus.ESME_RREPLACEFAIL });
  const flags = checkFlags({ esm_class: 0, registered_delivery: pdu.registered_delivery, sm_default_msg_id: pdu.sm_default_msg_id });
  if (flags) return fail(conn, pdu, flags, smsc);
  const userData = userDataOf(pdu.short_message, pdu.tlvs?.message_payload);
  if (userData instanceof Invalid) return fail(conn, pdu, userData, smsc);
  const ud = readUserData(userData, m.esmClass, m.dataCoding, undefined);
  if ('error' in ud) return fail(conn, pdu, new Invalid('ESME_RINVMSGLEN', ud.message), smsc);
  let scheduleAt = m.scheduleAt;
  let expireAt = m.expireAt;
  if (pdu.schedule_delivery_time || pdu.validity_period) {
    const t = checkTimes(pdu.schedule_delivery_time, pdu.validity_period, now, m.expireAt - now);
    if (t instanceof Invalid) return fail(conn, pdu, t, smsc);
    if (pdu.schedule_delivery_time) scheduleAt = t.scheduleAt;
    if (pdu.validity_period) expireAt = t.expireAt;
  }
  const fields: Partial<MessageRecord> = { shortMessage: userData, text: ud.text, registeredDelivery: pdu.registered_delivery, scheduleAt, expireAt };
  if (m.dueAt !== null && !m.deliverTo) {
    // keep the planned delay, counted from the new schedule time
    const delay = m.dueAt - (m.scheduleAt ?? m.submittedAt);
    let dueAt = (scheduleAt ?? now) + Math.max(0, delay);
    if (dueAt > expireAt) { dueAt = expireAt; fields.plannedState = 'EXPIRED'; fields.plannedErr = 0; }
    fields.dueAt = dueAt;
    const next = { ...m, ...fields };
    smsc.delivery.schedule(next, next);
  }
  smsc.store.replace(m.id, fields, now, 'replace_sm');
  smsc.store.afterCommit((ok) => conn.respond(pdu, { command_status: ok ? 0 : CommandStatus.ESME_RSYSERR }));
}
