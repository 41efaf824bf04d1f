// submit_multi: one message to several destinations, each accepted or reported in unsuccess_sme; every accepted
// destination shares the first one's message id.
import { CommandStatus, type PduOf, type UnsuccessSme } from '@smppkit/core';
import { readClock } from '../server/read-clock.js';
import {
  type Accepted,
  accept,
  type FirstDestination,
  type Refused,
  refuse,
  respondAfterCommit,
  USER_DATA_STATUSES,
} from './accept.js';
import type { Connection, HandlerContext, Req } from './context.js';
import { envelopeChecks, submitEnvelope } from './submit.js';
import { checkDestination, Invalid } from './submit-validation.js';

export function submitMulti(
  ctx: HandlerContext,
  conn: Connection,
  pdu: PduOf<'submit_multi'> & Req,
  frame: Buffer,
): void {
  const now = readClock.now();
  const bad = envelopeChecks(conn, pdu);
  if (bad) return refuse(ctx, conn, pdu, bad);
  if (pdu.dest_address.length === 0)
    return refuse(ctx, conn, pdu, new Invalid('ESME_RINVNUMDESTS', 'number_of_dests is 0'));
  const env = submitEnvelope(ctx, conn, pdu, now, frame);
  if (!env) return;
  const unsuccess: UnsuccessSme[] = [];
  let first: FirstDestination = null;
  let accepted = 0;
  let firstError: number | null = null;
  let delay = 0;
  for (const d of pdu.dest_address) {
    if (d.dest_flag !== 1) {
      // no distribution lists here: each one is reported as an unsuccessful destination
      unsuccess.push({
        dest_addr_ton: 0,
        dest_addr_npi: 0,
        destination_addr: d.dl_name,
        error_status_code: CommandStatus.ESME_RCNTSUBDL,
      });
      firstError ??= CommandStatus.ESME_RCNTSUBDL;
      continue;
    }
    const dest = { ton: d.dest_addr_ton, npi: d.dest_addr_npi, addr: d.destination_addr };
    const r: Accepted | Refused | Invalid =
      checkDestination(dest.ton, dest.npi, dest.addr) ?? accept(ctx, conn, env, dest, first, now);
    if (r instanceof Invalid && USER_DATA_STATUSES.has(r.status)) return refuse(ctx, conn, pdu, r);
    if (r instanceof Invalid || 'status' in r) {
      const code = r instanceof Invalid ? CommandStatus[r.status] : r.status;
      unsuccess.push({
        dest_addr_ton: dest.ton,
        dest_addr_npi: dest.npi,
        destination_addr: dest.addr,
        error_status_code: code,
      });
      firstError ??= code;
      continue;
    }
    first ??= { id: r.rec.id, mid: r.rec.mid };
    accepted++;
    delay = Math.max(delay, r.responseDelayMs);
  }
  if (accepted === 0) return conn.respond(pdu, { command_status: firstError ?? CommandStatus.ESME_RSUBMITFAIL });
  respondAfterCommit(
    ctx,
    conn,
    pdu,
    { command_status: 0, message_id: first!.mid, unsuccess_sme: unsuccess },
    delay,
    accepted,
  );
}
