// bind_transmitter / bind_receiver / bind_transceiver against the accounts.
import { CommandStatus, InterfaceVersion, type PduOf } from '@smppkit/core';
import type { BindType } from '../config/types.js';
import type { Connection, HandlerContext, Req } from './context.js';

/** system_id of the simulator in bind_*_resp */
const SYSTEM_ID = 'SMSCSIM';

type BindPdu = (PduOf<'bind_transmitter'> | PduOf<'bind_receiver'> | PduOf<'bind_transceiver'>) & Req;

export function bind(ctx: HandlerContext, conn: Connection, pdu: BindPdu): void {
  const type = pdu.command.slice('bind_'.length) as BindType;
  const r = ctx.accounts.authenticate(pdu.system_id, pdu.password, type, conn.socket.remoteAddress);
  if (typeof r === 'string') {
    ctx.log.info({ conn: conn.id, systemId: pdu.system_id, remote: conn.remote, status: r }, 'bind refused');
    conn.respond(pdu, { command_status: CommandStatus[r] });
    return;
  }
  conn.account = r;
  conn.bindType = type;
  conn.boundAt = new Date();
  conn.interfaceVersion = pdu.interface_version;
  // from the PDU after the bind on, this account's PDUs are read as it says
  if (r.config.strictness !== 'strict') conn.session.setStrictness(r.config.strictness);
  // a v3.3 peer gets no TLVs (v5.0 §2.11.2)
  const tlvs =
    pdu.interface_version >= InterfaceVersion.V34 ? { tlvs: { sc_interface_version: InterfaceVersion.V34 } } : {};
  conn.respond(pdu, { command_status: 0, system_id: SYSTEM_ID, ...tlvs });
  ctx.bound(conn);
}
