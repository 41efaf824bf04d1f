// data_sm: the message in message_payload, its validity from qos_time_to_live.
import type { PduOf } from '@smppkit/core';
import { readClock } from '../server/read-clock.js';
import { accept, type Envelope, finish, refuse } from './accept.js';
import type { Connection, HandlerContext, Req } from './context.js';
import { envelopeChecks } from './submit.js';
import { checkDestination, Invalid, userDataOf } from './submit-validation.js';

export function dataSm(ctx: HandlerContext, conn: Connection, pdu: PduOf<'data_sm'> & Req, frame: Buffer): void {
  const now = readClock.now();
  const bad = envelopeChecks(conn, pdu) ?? checkDestination(pdu.dest_addr_ton, pdu.dest_addr_npi, pdu.destination_addr);
  if (bad) return refuse(ctx, conn, pdu, bad);
  const payload = pdu.tlvs?.message_payload;
  if (payload === undefined)
    return refuse(ctx, conn, pdu, new Invalid('ESME_RMISSINGTLV', 'data_sm without message_payload'));
  const userData = userDataOf(Buffer.alloc(0), payload);
  if (userData instanceof Invalid) return refuse(ctx, conn, pdu, userData);
  const ttl = pdu.tlvs?.qos_time_to_live;
  const env: Envelope = {
    command: 'data_sm',
    serviceType: pdu.service_type,
    sourceTon: pdu.source_addr_ton,
    sourceNpi: pdu.source_addr_npi,
    sourceAddr: pdu.source_addr,
    esmClass: pdu.esm_class,
    protocolId: 0,
    priorityFlag: 0,
    registeredDelivery: pdu.registered_delivery,
    dataCoding: pdu.data_coding,
    userData,
    scheduleAt: null,
    expireAt: now + (ttl ? ttl * 1000 : ctx.defaultValidityMs),
    pdu: frame,
    fromFrame: false,
    tlvs: pdu.tlvs as never,
  };
  finish(
    ctx,
    conn,
    pdu,
    accept(ctx, conn, env, { ton: pdu.dest_addr_ton, npi: pdu.dest_addr_npi, addr: pdu.destination_addr }, null, now),
  );
}
