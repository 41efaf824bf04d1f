// An ESME for the delivery tests: @smppkit/core's Session (role esme) over a real socket, bound, submitting with a
// wide window, and answering each deliver_sm as the test says (`answer`: a status, or null to hold it unanswered).
import net from 'node:net';
import { type Pdu, Session } from '@smppkit/core';

export type DeliverSm = Pdu & { command: 'deliver_sm'; sequence_number: number; short_message: Buffer };

export interface Esme {
  session: Session;
  /** every deliver_sm received, in order */
  delivered: DeliverSm[];
  /** submits `n` messages asking for a receipt; resolves with their message ids */
  submit(n: number, fields?: Record<string, unknown>): Promise<string[]>;
  close(): Promise<void>;
}

export async function esme(
  port: number,
  type: 'transmitter' | 'receiver' | 'transceiver',
  systemId: string,
  answer: (pdu: DeliverSm) => number | null = () => 0,
): Promise<Esme> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const session = new Session(socket, {
    role: 'esme',
    windowSize: 500,
    enquireLinkIntervalMs: 0,
    responseTimeoutMs: 60_000,
  });
  session.on('error', () => {});
  const delivered: DeliverSm[] = [];
  session.on('request', (pdu: Pdu) => {
    if (pdu.command !== 'deliver_sm') return session.respond(pdu as Parameters<Session['respond']>[0]);
    const d = pdu as DeliverSm;
    delivered.push(d);
    const status = answer(d);
    if (status !== null) session.respond(d, { command_status: status });
  });
  const r = await session.bind({ type, system_id: systemId, password: 'pw' });
  if (r.command_status !== 0) throw new Error(`bind ${systemId} failed: ${r.command_status}`);
  return {
    session,
    delivered,
    async submit(n, fields = {}) {
      const resps = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          session.request({
            command: 'submit_sm',
            source_addr: '12345',
            destination_addr: `4479${String(i).padStart(7, '0')}`,
            registered_delivery: 1,
            short_message: Buffer.from('x'),
            ...fields,
          } as never),
        ),
      );
      return resps.map((p) => {
        if (p.command_status !== 0) throw new Error(`submit refused: ${p.command_status}`);
        return (p as Pdu & { message_id: string }).message_id;
      });
    },
    async close() {
      await session.unbind();
    },
  };
}

/** Waits until f() holds (polling every 5 ms), failing after ms. */
export async function until(f: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  for (const end = Date.now() + ms; !f(); ) {
    if (Date.now() > end) throw new Error(`${what}: not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
