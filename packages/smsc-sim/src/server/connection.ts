// One ESME connection on the simulator: the core Session (role 'mc') plus what the simulator tracks for it —
// its account and bind type, requests not yet answered (the account window), PDU counts for fault injection,
// and deliver_sm in flight to it.
import type { Socket } from 'node:net';
import {
  BIND_STATE,
  COMMAND_TABLE,
  CommandId,
  CommandStatus,
  InterfaceVersion,
  isResponseId,
  type Pdu,
  type PduOf,
  type RequestName,
  type ResponseFields,
  responseNameOf,
  type Session,
} from '@smppkit/core';
import type { Account } from '../accounts/accounts.js';
import type { BindType, FaultConfig } from '../config/types.js';
import { malformedResponse, responseFault } from '../faults/faults.js';

export interface ConnectionInfo {
  id: number;
  remote: string;
  remoteAddress: string;
  remotePort: number;
  tls: boolean;
  state: string;
  systemId: string | null;
  bindType: BindType | null;
  connectedAt: string;
  /** = connectedAt */
  since: string;
  boundAt: string | null;
  requestsIn: number;
  pending: number;
  /** = pending: requests received and not yet answered */
  windowInUse: number;
  /** requests per second over the last TPS_SECONDS */
  tps: number;
  /** PDUs received (requests and responses) and sent */
  pdusIn: number;
  pdusOut: number;
  deliveriesInFlight: number;
  outbound: boolean;
}

type RequestPdu = Pdu & { sequence_number: number };

/** the seconds a session's `tps` is averaged over */
export const TPS_SECONDS = 5;

/** What a connection needs of the simulator. */
export interface ConnectionHost {
  defer(ms: number, fn: () => void): void;
  metrics: { pdu(direction: 'in' | 'out', command: string, status: number): void };
  faultsFor(systemId: string | null): FaultConfig | undefined;
  random(): number;
}

/** the status of an error response and of a generic_nack when the fault does not name one */
const FAULT_STATUS = CommandStatus.ESME_RSYSERR;

/** `<request>_resp` of each request, from core's table (one string per command, not one built per response) */
const RESPONSE_NAME = new Map<string, string>(
  COMMAND_TABLE.flatMap((c) => {
    const r = isResponseId(c.id) ? undefined : responseNameOf(c.name as RequestName);
    return r ? [[c.name, r] as [string, string]] : [];
  }),
);

export class Connection {
  account: Account | null = null;
  bindType: BindType | null = null;
  boundAt: Date | null = null;
  /** interface_version of the bind; below v3.4 the peer gets no TLVs */
  interfaceVersion: number = InterfaceVersion.V34;
  readonly connectedAt = new Date();
  /** requests received and not yet answered */
  pending = 0;
  requestsIn = 0;
  /** deliver_sm sent and not yet answered */
  deliveriesInFlight = 0;
  /** PDUs sent; responses received (to deliver_sm) */
  pdusOut = 0;
  responsesIn = 0;
  closed = false;
  /** requestsIn at each of the last seconds (a ring, written by second()) */
  private readonly perSecond = new Array<number>(TPS_SECONDS + 1).fill(0);
  private seconds = 0;

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
   * Call exactly once per request, each counted in `pending`.
   */
  respond(req: RequestPdu, fields: ResponseFields): void {
    this.pending--;
    if (this.closed) return;
    this.pdusOut++;
    this.host.metrics.pdu(
      'out',
      RESPONSE_NAME.get(req.command) ?? req.command,
      (fields.command_status as number | undefined) ?? 0,
    );
    const faults = this.host.faultsFor(this.account?.systemId ?? null);
    if (faults && !Object.hasOwn(BIND_STATE, req.command)) {
      const f = responseFault(faults, this.host.random, FAULT_STATUS);
      switch (f.kind) {
        case 'drop':
          return;
        case 'generic_nack':
          this.session.respond(req, { command: 'generic_nack', command_status: FAULT_STATUS });
          return;
        case 'malformed':
          this.writeMalformed(req);
          return;
        case 'status':
          this.session.respond(req, { command_status: f.status });
          return;
        case 'delay':
          this.host.defer(f.ms, () => {
            if (!this.closed) this.session.respond(req, fields);
          });
          return;
        case 'none':
          break;
      }
    }
    this.session.respond(req, fields);
  }

  /**
   * The malformed-response fault: bytes the peer cannot decode in place of the response, written through the
   * session's one writer (sendRaw), after every PDU already queued: it cannot overtake them.
   */
  private writeMalformed(req: RequestPdu): void {
    this.session.sendRaw(
      malformedResponse((CommandId as Record<string, number>)[req.command] ?? 0, req.sequence_number),
    );
  }

  /** Sends deliver_sm (a receipt or an MO) and resolves with the response. */
  deliver(pdu: Omit<PduOf<'deliver_sm'>, 'sequence_number'>): Promise<Pdu> {
    this.host.metrics.pdu('out', 'deliver_sm', 0);
    this.pdusOut++;
    return this.session.request(pdu).then((r) => {
      this.responsesIn++;
      this.host.metrics.pdu('in', r.command, r.command_status);
      return r;
    });
  }

  /** called once a second (the simulator's sweep): a sample for `tps` */
  second(): void {
    this.perSecond[this.seconds++ % this.perSecond.length] = this.requestsIn;
  }

  info(): ConnectionInfo {
    const span = Math.min(this.seconds, TPS_SECONDS);
    const then = this.perSecond[(this.seconds - span + this.perSecond.length) % this.perSecond.length];
    return {
      id: this.id,
      remote: this.remote,
      remoteAddress: this.socket.remoteAddress ?? '',
      remotePort: this.socket.remotePort ?? 0,
      tls: this.tls,
      state: this.session.state,
      systemId: this.account?.systemId ?? null,
      bindType: this.bindType,
      connectedAt: this.connectedAt.toISOString(),
      since: this.connectedAt.toISOString(),
      boundAt: this.boundAt?.toISOString() ?? null,
      requestsIn: this.requestsIn,
      pending: this.pending,
      windowInUse: this.pending,
      tps: span ? Math.round(((this.requestsIn - then) / span) * 10) / 10 : 0,
      pdusIn: this.requestsIn + this.responsesIn,
      pdusOut: this.pdusOut,
      deliveriesInFlight: this.deliveriesInFlight,
      outbound: this.outbound,
    };
  }
}
