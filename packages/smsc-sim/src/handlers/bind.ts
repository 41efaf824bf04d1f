// bind_transmitter / bind_receiver / bind_transceiver against the accounts, failures throttled per source address
// and system_id (server/bind-failures.ts): a failed bind is answered after a delay growing with the failures before
// it; a locked-out source or system_id is answered ESME_RBINDFAIL after the longest delay, without looking at the
// password, and the connection closed.
import { CommandStatus, InterfaceVersion, type PduOf } from '@smppkit/core';
import type { BindType } from '../config/types.js';
import { sourceOf } from '../server/bind-failures.js';
import type { Connection, HandlerContext, Req } from './context.js';

/** system_id of the simulator in bind_*_resp */
const SYSTEM_ID = 'SMSCSIM';

type BindPdu = (PduOf<'bind_transmitter'> | PduOf<'bind_receiver'> | PduOf<'bind_transceiver'>) & Req;

export function bind(ctx: HandlerContext, conn: Connection, pdu: BindPdu): void {
  const type = pdu.command.slice('bind_'.length) as BindType;
  const failures = ctx.guard.bindFailures;
  const source = sourceOf(conn.socket.remoteAddress);
  const now = Date.now();
  if (failures.lockedOut(source, pdu.system_id, now)) {
    ctx.defer(failures.maxDelayMs, () => {
      conn.respond(pdu, { command_status: CommandStatus.ESME_RBINDFAIL });
      conn.session.close('local'); // after the answer: what is queued is still written
    });
    return;
  }
  const r = ctx.accounts.authenticate(pdu.system_id, pdu.password, type, conn.socket.remoteAddress);
  if (typeof r === 'string') {
    const wait = failures.failed(source, pdu.system_id, r, now);
    ctx.defer(wait, () => conn.respond(pdu, { command_status: CommandStatus[r] }));
    return;
  }
  failures.succeeded(pdu.system_id);
  conn.account = r;
  conn.bindType = type;
  conn.boundAt = Date.now();
  conn.interfaceVersion = pdu.interface_version;
  // from the PDU after the bind on, this account's PDUs are read as it says
  if (r.config.strictness !== 'strict') conn.session.setStrictness(r.config.strictness);
  // a v3.3 peer gets no TLVs (v5.0 §2.11.2); a v3.4 peer hears 3.4, a v5.0 peer 5.0 (the simulator speaks both)
  const tlvs =
    pdu.interface_version >= InterfaceVersion.V34
      ? {
          tlvs: {
            sc_interface_version:
              pdu.interface_version >= InterfaceVersion.V50 ? InterfaceVersion.V50 : InterfaceVersion.V34,
          },
        }
      : {};
  conn.respond(pdu, { command_status: 0, system_id: SYSTEM_ID, ...tlvs });
  ctx.bound(conn);
}
