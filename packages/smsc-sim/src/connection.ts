// One ESME connection on the simulator: the core Session (role 'mc') plus what the simulator tracks for it —
// its account and bind type, requests not yet answered (the account window), PDU counts for fault injection,
// and deliver_sm in flight to it.
import type { Socket } from 'node:net';
import { CommandId, responseNameOf, Session, type Pdu, type PduOf, type ResponseFields } from '@smppkit/core';
import type { Account } from './accounts.js';
import type { BindType, FaultConfig } from './config.js';
import { malformedResponse, responseFault } from './faults.js';

export interface ConnectionInfo {
  id: number;
  remote: string;
  tls: boolean;
  state: string;
  systemId: string | null;
  bindType: BindType | null;
  connectedAt: string;
  boundAt: string | null;
  requestsIn: number;
  pending: number;
  deliveriesInFlight: number;
  outbound: boolean;
}

type RequestPdu = Pdu & { sequence_number: number };

export interface ConnectionHost {
  defer(ms: number, fn: () => void): void;
  metrics: { pdu(direction: 'in' | 'out', command: string, status: number): void };
  faultsFor(systemId: string | null): FaultConfig | undefined;
  random(): number;
  errorStatus: number;
  genericNackStatus: number;
}

export class Connection {
  account: Account | null = null;
  bindType: BindType | null = null;
  boundAt: Date | null = null;
  /** interface_version of the bind; below 0x34 (v3.3) the peer gets no TLVs */
  interfaceVersion = 0x34;
  readonly connectedAt = new Date();
  /** requests received and not yet answered */
  pending = 0;
  requestsIn = 0;
  /** deliver_sm sent and not yet answered */
  deliveriesInFlight = 0;
  closed = false;

  constructor(
    readonly id: number,
    readonly session: Session,
    readonly socket: Socket,
    readonly tls: boolean,
    readonly host: ConnectionHost,
    readonly outbound = false,
  ) {}

  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  get canReceive(): boolean {
    const s = this.session.state;
    return !this.closed && (s === 'BOUND_RX' || s === 'BOUND_TRX');
  }

  /**
   * Sends the response to a request, through the fault injector when faults are active for this account.
   * Call exactly once per request that was counted in `pending`.
   */
  respond(req: RequestPdu, fields: ResponseFields, counted = true): void {
    if (counted) this.pending--;
    if (this.closed) return;
    this.host.metrics.pdu('out', responseName(req.command), (fields.command_status as number | undefined) ?? 0);
    const faults = this.host.faultsFor(this.account?.systemId ?? null);
    if (faults && !req.command.startsWith('bind_')) {
      const f = responseFault(faults, this.host.random, this.host.errorStatus);
      switch (f.kind) {
        case 'drop':
          return;
        case 'generic_nack':
          this.session.respond(req, { command: 'generic_nack', command_status: this.host.genericNackStatus });
          return;
        case 'malformed':
          this.socket.write(malformedResponse(commandIdOf(req), req.sequence_number));
          return;
        case 'status':
          this.session.respond(req, { command_status: f.status });
          return;
        case 'delay':
          this.host.defer(f.ms, () => { if (!this.closed) this.session.respond(req, fields); });
          return;
        case 'none':
          break;
      }
    }
    this.session.respond(req, fields);
  }

  /** Sends deliver_sm (a receipt or an MO) and resolves with the response. */
  deliver(pdu: Omit<PduOf<'deliver_sm'>, 'sequence_number'>): Promise<Pdu> {
    this.host.metrics.pdu('out', 'deliver_sm', 0);
    return this.session.request(pdu).then((r) => {
      this.host.metrics.pdu('in', r.command, r.command_status);
      return r;
    });
  }

  info(): ConnectionInfo {
    return {
      id: this.id,
      remote: this.remote,
      tls: this.tls,
      state: this.session.state,
      systemId: this.account?.systemId ?? null,
      bindType: this.bindType,
      connectedAt: this.connectedAt.toISOString(),
      boundAt: this.boundAt?.toISOString() ?? null,
      requestsIn: this.requestsIn,
      pending: this.pending,
      deliveriesInFlight: this.deliveriesInFlight,
      outbound: this.outbound,
    };
  }
}

/** `<request>_resp`, one string per command (not one built per response) */
const RESPONSE_NAMES = new Map<string, string>();
function responseName(command: string): string {
  let r = RESPONSE_NAMES.get(command);
  if (r === undefined) { r = responseNameOf(command) ?? `${command}_resp`; RESPONSE_NAMES.set(command, r); }
  return r;
}

function commandIdOf(req: Pdu): number {
  return (CommandId as Record<string, number>)[req.command] ?? 0;
}
