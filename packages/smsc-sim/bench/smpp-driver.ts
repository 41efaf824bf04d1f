// The npm smpp package's client as the benchmark's driver: bind connections, then keep WINDOW submits
// outstanding on each until the total is sent. Shared by smsc.bench.ts and client-child.ts.
import smpp from 'smpp';

export const MESSAGE = 'Your verification code is 123456';

export async function connectBound(port: number | string, systemId: string): Promise<any> {
  const s = smpp.connect({ url: `smpp://127.0.0.1:${port}`, auto_enquire_link_period: 0 });
  s.on('error', () => {});
  await new Promise((r) => s.on('connect', r));
  const r: any = await new Promise((res) => s.bind_transceiver({ system_id: systemId, password: 'pw' }, res));
  if (r.command_status !== 0) throw new Error(`bind failed: ${r.command_status}`);
  return s;
}

/** Sends `total` submits spread over the sessions, each keeping `window` outstanding; resolves with the error count. */
export function drive(sessions: any[], total: number, window: number): Promise<number> {
  let errors = 0;
  return Promise.all(
    sessions.map(
      (s, k) =>
        new Promise<void>((resolve) => {
          const share = Math.floor(total / sessions.length) + (k < total % sessions.length ? 1 : 0);
          let sent = 0;
          let done = 0;
          const pump = () => {
            while (sent < share && sent - done < window) {
              sent++;
              s.submit_sm(
                { source_addr: '12345', destination_addr: '4479000001', short_message: MESSAGE },
                (r: any) => {
                  if (r.command_status !== 0) errors++;
                  if (++done === share) resolve();
                  else pump();
                },
              );
            }
          };
          if (share === 0) resolve();
          else pump();
        }),
    ),
  ).then(() => errors);
}

/** Binds a receiver that acknowledges every deliver_sm; resolves once n have arrived (then closes it). */
export async function receiveAll(port: number, systemId: string, n: number): Promise<void> {
  const rx = smpp.connect({ url: `smpp://127.0.0.1:${port}`, auto_enquire_link_period: 0 });
  rx.on('error', () => {});
  let got = 0;
  const all = new Promise<void>((resolve) =>
    rx.on('deliver_sm', (pdu: any) => {
      rx.send(pdu.response());
      if (++got === n) resolve();
    }),
  );
  await new Promise((r) => rx.on('connect', r));
  await new Promise((r) => rx.bind_receiver({ system_id: systemId, password: 'pw' }, r));
  await all;
  rx.destroy();
}
