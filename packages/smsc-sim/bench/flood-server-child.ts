// The simulator for the flood case of bench:smsc, in its own process: one account ('good'), SQLite on a temp file
// (persistence on), its info log to a temp file (failed binds are logged as an operator would see them; the size is
// reported). Over IPC like server-child.ts: its port, then 'mark', 'usage' (CPU, RSS, log bytes), 'stop'.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startSmsc } from '../src/index.js';
import { createLogger } from '../src/util/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'smsc-flood-'));
const logFile = join(dir, 'smsc.log');
const logger = createLogger('info', pino.destination({ dest: logFile, sync: false }));
const sim = await startSmsc({
  port: 0,
  store: { path: join(dir, 'bench.db') },
  logger,
  defaultDelayMs: 50,
  accounts: [{ systemId: 'good', password: 'pw', window: 10_000, maxBinds: 10 }],
});

const logBytes = () => {
  try {
    return statSync(logFile).size;
  } catch {
    return 0;
  }
};
let mark = process.cpuUsage();
let logMark = 0;
process.on('message', async (m: string) => {
  if (m === 'mark') {
    mark = process.cpuUsage();
    logMark = logBytes();
    process.send!({ ok: true });
  }
  if (m === 'usage') {
    const u = process.cpuUsage(mark);
    process.send!({
      cpuMs: (u.user + u.system) / 1000,
      rssMb: process.memoryUsage().rss / 2 ** 20,
      logBytes: logBytes() - logMark,
      sessions: sim.smsc.connections.size,
    });
  }
  if (m === 'stop') {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
});
process.send!({ port: sim.port });
