// What the simulator does with each request an ESME sends (the session has already checked state and direction):
// fault injection before the request, the account's window and TPS, then the handler of its command. With
// unbindAfterPdus N, requests after the Nth are refused ESME_RINVBNDSTS (never stored) and the unbind follows the
// Nth answer.
import { CommandStatus } from '@smppkit/core';
import { readClock } from '../server/read-clock.js';
import { bind } from './bind.js';
import { broadcastSm, cancelBroadcastSm, queryBroadcastSm } from './broadcast.js';
import type { Connection, HandlerContext, Req } from './context.js';
import { dataSm } from './data-sm.js';
import { cancelSm, querySm, replaceSm } from './message-ops.js';
import { submitSm } from './submit.js';
import { submitMulti } from './submit-multi.js';

/** `frame`: the request's bytes as they arrived (its own memory), kept with a stored message. */
export function handleRequest(ctx: HandlerContext, conn: Connection, pdu: Req, frame: Buffer): void {
  conn.requestsIn++;
  conn.countRequest(pdu.command);
  const faults = ctx.faultsFor(conn.account?.systemId ?? null);
  if (faults) {
    if (faults.disconnectAfterPdus && conn.requestsIn >= faults.disconnectAfterPdus) {
      conn.socket.destroy();
      return;
    }
    if (faults.disconnectFraction && ctx.random() < faults.disconnectFraction) {
      conn.socket.destroy();
      return;
    }
  }
  const unbindAfter = faults?.unbindAfterPdus;
  if (unbindAfter && conn.requestsIn > unbindAfter) {
    // past the Nth request the session is being unbound: answered, never stored (the rest of a pipelined burst)
    conn.pending++;
    conn.respond(pdu, { command_status: CommandStatus.ESME_RINVBNDSTS });
    return;
  }
  dispatch(ctx, conn, pdu, frame);
  if (unbindAfter && conn.requestsIn === unbindAfter) {
    // once this request's answer is written (after its commit): the session's unbind waits for the answers still
    // owed, then sends unbind — at once, not on a later sweep, so no further request is accepted before it
    ctx.store.afterCommit(() => {
      conn.session.unbind().catch(() => {
        /* peer gone */
      });
    });
  }
}

function dispatch(ctx: HandlerContext, conn: Connection, pdu: Req, frame: Buffer): void {
  switch (pdu.command) {
    case 'bind_transmitter':
    case 'bind_receiver':
    case 'bind_transceiver':
      conn.pending++;
      return bind(ctx, conn, pdu);
    case 'submit_sm':
      if (admitted(ctx, conn, pdu)) submitSm(ctx, conn, pdu, frame);
      return;
    case 'data_sm':
      if (admitted(ctx, conn, pdu)) dataSm(ctx, conn, pdu, frame);
      return;
    case 'submit_multi':
      if (admitted(ctx, conn, pdu)) submitMulti(ctx, conn, pdu, frame);
      return;
    case 'query_sm':
      conn.pending++;
      return querySm(ctx, conn, pdu);
    case 'cancel_sm':
      conn.pending++;
      return cancelSm(ctx, conn, pdu);
    case 'replace_sm':
      conn.pending++;
      return replaceSm(ctx, conn, pdu);
    case 'broadcast_sm':
      if (admitted(ctx, conn, pdu)) broadcastSm(ctx, conn, pdu, frame);
      return;
    case 'query_broadcast_sm':
      conn.pending++;
      return queryBroadcastSm(ctx, conn, pdu);
    case 'cancel_broadcast_sm':
      conn.pending++;
      return cancelBroadcastSm(ctx, conn, pdu);
    default:
      // a request the session hands over with no handler here (none in v5.0): refused, never left unanswered
      conn.pending++;
      return conn.respond(pdu, { command_status: CommandStatus.ESME_RPROHIBITED });
  }
}

/** Window and TPS of the account: false when the request was refused (and answered) for exceeding them. */
function admitted(ctx: HandlerContext, conn: Connection, pdu: Req): boolean {
  const acc = conn.account!;
  conn.pending++;
  if (conn.pending > acc.config.window) {
    conn.respond(pdu, { command_status: CommandStatus.ESME_RMSGQFUL });
    return false;
  }
  if (acc.config.tps > 0 && !ctx.takeToken(acc.systemId, acc.config.tps, readClock.now())) {
    conn.respond(pdu, { command_status: CommandStatus.ESME_RTHROTTLED });
    return false;
  }
  return true;
}
