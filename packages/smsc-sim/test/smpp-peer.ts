// The npm `smpp` package (an independent implementation) as the ESME in tests: promise wrappers around its
// callback API.
import smpp from 'smpp';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type PeerPdu = Record<string, any> & { command: string; command_status: number; sequence_number: number };
export interface Peer {
  session: any;
  call(command: string, fields?: Record<string, unknown>): Promise<PeerPdu>;
  /** next PDU of this command received from the simulator (deliver_sm answered with status 0 unless told) */
  next(command: string, timeoutMs?: number): Promise<PeerPdu>;
  received: PeerPdu[];
  closed: Promise<void>;
  close(): void;
}

export function connectPeer(port: number, opts: { answerDeliver?: number | null; tls?: boolean } = {}): Promise<Peer> {
  return new Promise((resolve, reject) => {
    const session = opts.tls
      ? smpp.connect({ host: '127.0.0.1', port, tls: true, rejectUnauthorized: false })
      : smpp.connect({ url: `smpp://127.0.0.1:${port}`, auto_enquire_link_period: 0 });
    const received: PeerPdu[] = [];
    const waiting: Array<{ command: string; resolve: (p: PeerPdu) => void }> = [];
    let closedResolve: () => void;
    const closed = new Promise<void>((r) => (closedResolve = r));
    session.on('close', () => closedResolve());
    session.on('error', () => {
      /* surfaced as close */
    });
    session.on('pdu', (pdu: PeerPdu) => {
      if (pdu.command === 'deliver_sm' && opts.answerDeliver !== null)
        session.send(pdu.response({ command_status: opts.answerDeliver ?? 0 }));
      if (pdu.command.endsWith('_resp')) return;
      const i = waiting.findIndex((w) => w.command === pdu.command);
      if (i >= 0) waiting.splice(i, 1)[0].resolve(pdu);
      else received.push(pdu);
    });
    session.on('connect', () =>
      resolve({
        session,
        received,
        closed,
        call: (command, fields = {}) => new Promise((res) => session[command](fields, (pdu: PeerPdu) => res(pdu))),
        next: (command, timeoutMs = 5000) => {
          const i = received.findIndex((p) => p.command === command);
          if (i >= 0) return Promise.resolve(received.splice(i, 1)[0]);
          return new Promise((res, rej) => {
            const w = {
              command,
              resolve: (p: PeerPdu) => {
                clearTimeout(t);
                res(p);
              },
            };
            const t = setTimeout(() => {
              waiting.splice(waiting.indexOf(w), 1);
              rej(new Error(`no ${command} within ${timeoutMs} ms`));
            }, timeoutMs);
            waiting.push(w);
          });
        },
        close: () => {
          session.destroy();
        },
      }),
    );
    session.socket.once('error', reject);
  });
}

export async function boundPeer(
  port: number,
  type: 'transceiver' | 'transmitter' | 'receiver',
  system_id: string,
  password: string,
  opts: { answerDeliver?: number | null; tls?: boolean } = {},
): Promise<Peer> {
  const p = await connectPeer(port, opts);
  const r = await p.call(`bind_${type}`, { system_id, password });
  if (r.command_status !== 0) throw new Error(`bind failed with status ${r.command_status}`);
  return p;
}

export const status = smpp.errors as Record<string, number>;
