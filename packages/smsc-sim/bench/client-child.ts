// A client process for the benchmark's multi-client mode: the npm smpp package's client, CONNECTIONS connections
// bound as one account each, driving a server at the given port. Over IPC: {go: n} sends n submits (each connection
// keeps WINDOW outstanding) and answers {seconds, errors, cpuMs}; 'stop' closes the connections and exits.
import smpp from 'smpp';

const [port, connections, window, prefix] = process.argv.slice(2);
const WINDOW = Number(window);
const MESSAGE = 'Your verification code is 123456';

async function connectBound(systemId: string): Promise<any> {
  const s = smpp.connect({ url: `smpp://127.0.0.1:${port}`, auto_enquire_link_period: 0 });
  s.on('error', () => {});
  await new Promise((r) => s.on('connect', r));
  const r: any = await new Promise((res) => s.bind_transceiver({ system_id: systemId, password: 'pw' }, res));
  if (r.command_status !== 0) throw new Error(`bind failed: ${r.command_status}`);
  return s;
}

function drive(sessions: any[], total: number): Promise<number> {
  let errors = 0;
  return Promise.all(sessions.map((s, k) => new Promise<void>((resolve) => {
    const share = Math.floor(total / sessions.length) + (k < total % sessions.length ? 1 : 0);
    let sent = 0;
    let done = 0;
    const pump = () => {
      while (sent < share && sent - done < WINDOW) {
        sent++;
        s.submit_sm({ source_addr: '12345', destination_addr: '4479000001', short_message: MESSAGE }, (r: any) => {
          if (r.command_status !== 0) errors++;
          if (++done === share) resolve(); else pump();
        });
      }
    };
    if (share === 0) resolve(); else pump();
  }))).then(() => errors);
}

const sessions = await Promise.all(Array.from({ length: Number(connections) }, (_, i) => connectBound(`${prefix}${i}`)));
process.on('message', async (m: { go?: number } | string) => {
  if (m === 'stop') {
    for (const s of sessions) s.destroy();
    process.exit(0);
  }
  if (typeof m === 'object' && m.go !== undefined) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const errors = await drive(sessions, m.go);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    process.send!({ seconds, errors, cpuMs: (c.user + c.system) / 1000 });
  }
});
process.send!({ ready: true });
