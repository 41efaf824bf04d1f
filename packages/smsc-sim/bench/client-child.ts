// A client process for the benchmark's multi-client mode: the npm smpp package's client, CONNECTIONS connections
// bound as one account each, driving a server at the given port. Over IPC: {go: n} sends n submits (each connection
// keeps WINDOW outstanding) and answers {seconds, errors, cpuMs}; 'stop' closes the connections and exits.
import { connectBound, drive } from './smpp-driver.js';

const [port, connections, window, prefix] = process.argv.slice(2);
const WINDOW = Number(window);

const sessions = await Promise.all(
  Array.from({ length: Number(connections) }, (_, i) => connectBound(port!, `${prefix}${i}`)),
);
process.on('message', async (m: { go?: number } | string) => {
  if (m === 'stop') {
    for (const s of sessions) s.destroy();
    process.exit(0);
  }
  if (typeof m === 'object' && m.go !== undefined) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const errors = await drive(sessions, m.go, WINDOW);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    process.send!({ seconds, errors, cpuMs: (c.user + c.system) / 1000 });
  }
});
process.send!({ ready: true });
