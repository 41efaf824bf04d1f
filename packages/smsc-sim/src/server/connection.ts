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
import { type CommandCounts, countPdu } from '../util/pdu-counts.js';
import type { ConnectionLogger } from './conn-log.js';

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
  /** fields accepted though longer than the spec allows (an account with strictness 'lenient') */
  leniency: number;
  /** = pending: requests received and not yet answered */
  windowInUse: number;
  /** requests per second over the last TPS_SECONDS */
  tps: number;
  /** PDUs received (requests and responses) and sent */
  pdusIn: number;
  pdusOut: number;
  deliveriesInFlight: number;
  /** the session's delivery window now (deliveryWindow, shrunk while the ESME refuses for capacity) */
  deliveryWindow: number | null;
  /** deliver_sm refused ESME_RTHROTTLED / ESME_RMSGQFUL (each sent again after a back-off) */
  deliveriesThrottled: number;
  /** deliver_sm put back while the session unbinds or closes (ESME_RINVBNDSTS, our unbind): owed, not attempts */
  deliveriesDeferred: number;
  outbound: boolean;
  /** bytes written to it and not yet sent (bounded by limits.maxPendingWriteBytes), and the most so far */
  pendingWriteBytes: number;
  peakPendingWriteBytes: number;
}

type RequestPdu = Pdu & { sequence_number: number };
/** metrics' counts of one command (a request's for 'out': those of its response) on the account it was taken for */
type Counted = { command: string; systemId: string | undefined; counts: CommandCounts | null };

/** the seconds a session's `tps` is averaged over */
export const TPS_SECONDS = 5;

/** What a connection needs of the simulator. */
export interface ConnectionHost {
  defer(ms: number, fn: () => void): void;
  metrics: {
    pdu(direction: 'in' | 'out', command: string, status: number, systemId?: string): void;
    commandCounts(direction: 'in' | 'out', command: string, systemId?: string): CommandCounts;
  };
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
  /** ms since the epoch (numbers, not Date objects: ~0.2 KB less a connection) */
  boundAt: number | null = null;
  /** interface_version of the bind; below v3.4 the peer gets no TLVs */
  interfaceVersion: number = InterfaceVersion.V34;
  readonly connectedAt = Date.now();
  /** requests received and not yet answered */
  pending = 0;
  requestsIn = 0;
  /** deliver_sm sent and not yet answered */
  deliveriesInFlight = 0;
  /** PDUs sent; responses received (to deliver_sm) */
  pdusOut = 0;
  responsesIn = 0;
  /** its delivery window and counts, from a receiver or transceiver bind on (set by delivery/receivers.ts) */
  flow: { readonly window: number; readonly throttled: number; readonly deferred: number } | null = null;
  closed = false;
  /** requestsIn at each of the last seconds (a ring, written by second()) */
  private readonly perSecond = new Array<number>(TPS_SECONDS + 1).fill(0);
  private seconds = 0;
  /** the source address it counts against while not bound (limits.unboundPerSource); null once bound or closed */
  unboundSource: string | null = null;
  /** the metrics' counts of the last request received and of the last response sent, and what they count */
  private inCounts: Counted = { command: '', systemId: undefined, counts: null };
  private outCounts: Counted = { command: '', systemId: undefined, counts: null };
  /** deliver_sm sent, and the responses to them */
  private deliverCounts: Counted = { command: '', systemId: undefined, counts: null };
  private deliverRespCounts: Counted = { command: '', systemId: undefined, counts: null };

  constructor(
    readonly id: number,
    readonly session: Session,
    readonly socket: Socket,
    readonly tls: boolean,
    readonly host: ConnectionHost,
    readonly outbound: boolean,
    /** this connection's logger (bindings: conn, remote; systemId and bindType once bound) */
    readonly log: ConnectionLogger,
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
    countPdu(this.counts(this.outCounts, 'out', req.command), (fields.command_status as number | undefined) ?? 0);
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

  /** Counts a request received (the metrics' PDU counts). */
  countRequest(command: string): void {
    countPdu(this.counts(this.inCounts, 'in', command), 0);
  }

  /**
   * The counts of a request received ('in') or of the response to one sent ('out'), kept while the command and the
   * account stay the same (a steady stream of one command looks them up once).
   */
  private counts(c: Counted, direction: 'in' | 'out', command: string, counted?: string): CommandCounts {
    const systemId = this.account?.systemId;
    if (c.counts === null || c.command !== command || c.systemId !== systemId) {
      const name = counted ?? (direction === 'out' ? (RESPONSE_NAME.get(command) ?? command) : command);
      c.counts = this.host.metrics.commandCounts(direction, name, systemId);
      c.command = command;
      c.systemId = systemId;
    }
    return c.counts;
  }

  /** Sends deliver_sm (a receipt or an MO); `done` gets the response or the failure, after this returns. */
  deliver(pdu: Omit<PduOf<'deliver_sm'>, 'sequence_number'>, done: (err: Error | null, resp?: Pdu) => void): void {
    this.session.requestWith(pdu, this.delivering(done));
  }

  /** deliver() for a deliver_sm already encoded, header included (delivery/receipt-pdu.ts): the session numbers it. */
  deliverEncoded(bytes: Buffer, done: (err: Error | null, resp?: Pdu) => void): void {
    this.session.requestEncodedWith('deliver_sm', bytes, this.delivering(done));
  }

  /** Counts a deliver_sm going out; the callback counts its response. */
  private delivering(done: (err: Error | null, resp?: Pdu) => void): (err: Error | null, resp?: Pdu) => void {
    countPdu(this.counts(this.deliverCounts, 'out', 'deliver_sm', 'deliver_sm'), 0);
    this.pdusOut++;
    return (err, r) => {
      if (r !== undefined) {
        this.responsesIn++;
        countPdu(this.counts(this.deliverRespCounts, 'in', r.command), r.command_status);
      }
      done(err, r);
    };
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
      connectedAt: new Date(this.connectedAt).toISOString(),
      since: new Date(this.connectedAt).toISOString(),
      boundAt: this.boundAt === null ? null : new Date(this.boundAt).toISOString(),
      requestsIn: this.requestsIn,
      pending: this.pending,
      leniency: this.session.stats.leniency,
      windowInUse: this.pending,
      tps: span ? Math.round(((this.requestsIn - then) / span) * 10) / 10 : 0,
      pdusIn: this.requestsIn + this.responsesIn,
      pdusOut: this.pdusOut,
      deliveriesInFlight: this.deliveriesInFlight,
      deliveryWindow: this.flow?.window ?? null,
      deliveriesThrottled: this.flow?.throttled ?? 0,
      deliveriesDeferred: this.flow?.deferred ?? 0,
      outbound: this.outbound,
      pendingWriteBytes: this.session.pendingWriteBytes,
      peakPendingWriteBytes: this.session.peakPendingWriteBytes,
    };
  }
}

/** Sessions bound, per account and bind type (the metrics' binds gauge). */
export function bindCounts(
  connections: Iterable<Connection>,
): Array<{ systemId: string; bindType: string; count: number }> {
  const m = new Map<string, { systemId: string; bindType: string; count: number }>();
  for (const c of connections) {
    if (!c.account || !c.bindType) continue;
    const k = `${c.account.systemId}|${c.bindType}`;
    const e = m.get(k) ?? { systemId: c.account.systemId, bindType: c.bindType, count: 0 };
    e.count++;
    m.set(k, e);
  }
  return [...m.values()];
}
