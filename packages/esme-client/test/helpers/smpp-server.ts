// A test SMSC built on the npm `smpp` package (a peer nobody here wrote), listening on 127.0.0.1:0.
// It records what it received, counts outstanding submits (to check the client's window), and lets each test
// decide how to answer a submit.
import smpp from 'smpp';

export type SmppPdu = Record<string, any> & { command: string; sequence_number: number; command_status: number };
export type SmppSession = {
  send(pdu: unknown): boolean;
  deliver_sm(fields: Record<string, unknown>, cb?: (resp: SmppPdu) => void): boolean;
  close(): void;
  destroy(): void;
  on(event: string, fn: (...a: any[]) => void): void;
  socket: { destroy(): void; remoteAddress?: string };
};

export interface SubmitContext {
  session: SmppSession;
  /** 1-based count of submits received so far on this server. */
  index: number;
  messageId: string;
}

export type SubmitAnswer = { status?: number; messageId?: string; delayMs?: number } | 'noreply' | 'drop';

export interface ServerOptions {
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Accepted credentials (default any). */
  credentials?: { system_id: string; password: string };
  /** Decide the answer to each submit_sm / submit_multi (default: status 0 at once). */
  onSubmit?: (pdu: SmppPdu, ctx: SubmitContext) => SubmitAnswer;
  /** Message ids: a counter formatted by this function (default decimal). */
  formatId?: (n: number) => string;
  /**
   * The sc_interface_version TLV of bind_resp (default 0x34, an SMPP v3.4 SMSC); null leaves it out, as an SMPP
   * v3.3 SMSC does (v5.0 §2.11.2: then the ESME must assume the SMSC supports no TLVs).
   */
  scInterfaceVersion?: number | null;
  /** Called right after a bind_resp with status 0 (e.g. to deliver what an SMSC holds at once): both go in one TCP write. */
  onBound?: (session: SmppSession, bindCommand: string) => void;
}

export interface BindRecord {
  command: string;
  system_id: string;
  password: string;
  system_type: string;
  interface_version: number;
  address_range: string;
}

export interface TestServer {
  port: number;
  binds: BindRecord[];
  submits: SmppPdu[];
  sessions: Set<SmppSession>;
  /** Highest number of submits received and not yet answered, at any moment. */
  maxOutstanding: number;
  outstanding: number;
  /** Times (performance.now) at which submits arrived. */
  arrivals: number[];
  /** Send a deliver_sm to the (last) bound receiver/transceiver session; resolves with the resp. */
  deliver(fields: Record<string, unknown>, session?: SmppSession): Promise<SmppPdu>;
  receiverSessions(): SmppSession[];
  dropAll(): void;
  close(): Promise<void>;
}

export async function startSmppServer(opts: ServerOptions = {}): Promise<TestServer> {
  let counter = 0;
  const formatId = opts.formatId ?? ((n: number) => String(n));
  const receivers = new Map<SmppSession, string>();
  const state: TestServer = {
    port: 0,
    binds: [],
    submits: [],
    sessions: new Set(),
    maxOutstanding: 0,
    outstanding: 0,
    arrivals: [],
    deliver(fields, session) {
      const s = session ?? [...receivers.keys()].at(-1);
      if (!s) return Promise.reject(new Error('no receiver bound'));
      return new Promise((resolve) => s.deliver_sm(fields, (resp: SmppPdu) => resolve(resp)));
    },
    receiverSessions: () => [...receivers.keys()],
    dropAll() {
      for (const s of state.sessions) s.socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of state.sessions) s.socket.destroy();
        server.close(() => resolve());
      }),
  };
  const serverOptions = opts.tls ? { key: opts.tls.key, cert: opts.tls.cert } : {};
  const server = smpp.createServer(serverOptions, (session: SmppSession) => {
    state.sessions.add(session);
    session.on('error', () => {});
    session.on('close', () => {
      state.sessions.delete(session);
      receivers.delete(session);
    });
    const onBind = (pdu: SmppPdu) => {
      state.binds.push({
        command: pdu.command,
        system_id: pdu.system_id,
        password: pdu.password,
        system_type: pdu.system_type,
        interface_version: pdu.interface_version,
        address_range: pdu.address_range,
      });
      const c = opts.credentials;
      if (c && (pdu.system_id !== c.system_id || pdu.password !== c.password)) {
        session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
        return;
      }
      if (pdu.command !== 'bind_transmitter') receivers.set(session, pdu.command);
      const version = opts.scInterfaceVersion === undefined ? 0x34 : opts.scInterfaceVersion;
      const resp = pdu.response({
        system_id: 'TESTSMSC',
        ...(version === null ? {} : { sc_interface_version: version }),
      });
      if (!opts.onBound) {
        session.send(resp);
        return;
      }
      // bind_resp and what onBound sends leave in one TCP write (one chunk at the client), as a busy SMSC's may
      const socket = session.socket as unknown as { cork(): void; uncork(): void };
      socket.cork();
      session.send(resp);
      opts.onBound(session, pdu.command);
      process.nextTick(() => socket.uncork());
    };
    session.on('bind_transceiver', onBind);
    session.on('bind_transmitter', onBind);
    session.on('bind_receiver', onBind);
    session.on('enquire_link', (pdu: SmppPdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: SmppPdu) => {
      session.send(pdu.response());
      session.close();
    });
    const onSubmit = (pdu: SmppPdu) => {
      state.submits.push(pdu);
      state.arrivals.push(performance.now());
      state.outstanding++;
      if (state.outstanding > state.maxOutstanding) state.maxOutstanding = state.outstanding;
      const index = state.submits.length;
      const messageId = formatId(++counter);
      const answer = opts.onSubmit ? opts.onSubmit(pdu, { session, index, messageId }) : {};
      if (answer === 'drop') {
        state.outstanding--;
        session.socket.destroy();
        return;
      }
      if (answer === 'noreply') {
        state.outstanding--;
        return;
      }
      const reply = () => {
        state.outstanding--;
        if (answer.status) session.send(pdu.response({ command_status: answer.status }));
        else session.send(pdu.response({ message_id: answer.messageId ?? messageId }));
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    };
    session.on('submit_sm', onSubmit);
    session.on('submit_multi', onSubmit);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as { port: number }).port;
  return state;
}

/** Rebuild the text of a (possibly concatenated) message from the submits the server received. */
export function reassembleSubmits(submits: SmppPdu[]): string[] {
  const whole: string[] = [];
  const groups = new Map<string, Map<number, string>>();
  const totals = new Map<string, number>();
  for (const s of submits) {
    const sm = s.short_message as { message?: string; udh?: Buffer[] } | undefined;
    const text = typeof sm?.message === 'string' ? sm.message : (s.message_payload?.message ?? '');
    const concat = sm?.udh?.find((u: Buffer) => u[0] === 0x00 || u[0] === 0x08);
    let ref: string | undefined;
    let total = 1;
    let seq = 1;
    if (concat) {
      const is16 = concat[0] === 0x08;
      ref = `udh:${is16 ? concat.readUInt16BE(2) : concat[2]}`;
      total = concat[is16 ? 4 : 3]!;
      seq = concat[is16 ? 5 : 4]!;
    } else if (s.sar_msg_ref_num !== undefined) {
      ref = `sar:${s.sar_msg_ref_num}`;
      total = s.sar_total_segments;
      seq = s.sar_segment_seqnum;
    }
    if (!ref) {
      whole.push(text);
      continue;
    }
    const g = groups.get(ref) ?? new Map<number, string>();
    g.set(seq, text);
    groups.set(ref, g);
    totals.set(ref, total);
    if (g.size === total) {
      whole.push(
        [...g.entries()]
          .sort((a, b) => a[0] - b[0])
          .map((e) => e[1])
          .join(''),
      );
      groups.delete(ref);
    }
  }
  return whole;
}
