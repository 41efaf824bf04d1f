// The esme load client of two builds side by side in one process (e.g. main's start and a branch, each built into its
// own packages/*/dist), against one server in its own process (bench/server-process.ts: raw, the minimal SMSC that
// costs little, or smsc): short runs of `runLoadTest` alternating between the builds, after one warm-up run of each.
// Prints per build the client's CPU µs per message (user + system; the main thread's and V8's helper threads'),
// minimum and median over the rounds, the server's alongside, and messages per second (receipts received, with
// receipts). The machine's noise moves both builds alike
// within a run: compare within one run.
//   node --import tsx bench/client-ab.ts /path/a/packages /path/b/packages [rounds]
// Knobs: AB_KIND (raw), AB_WINDOW (100), AB_RECEIPTS (1), AB_MS (1000 per run).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { threadCpu } from './thread-cpu.js';

const env = process.env;
const roots = process.argv.slice(2).filter((a) => a.includes('/'));
const ROUNDS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 6);
const kind = env.AB_KIND ?? 'raw';
const window = Number(env.AB_WINDOW ?? 100);
const dlr = (env.AB_RECEIPTS ?? '1') === '1';
const ms = Number(env.AB_MS ?? 1000);
const TEXT = 'Your verification code is 123456. It expires in 10 minutes.';
if (roots.length === 0) throw new Error('give one or more packages directories (each with built */dist)');

const here = fileURLToPath(new URL('.', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'client-ab-'));
const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(here, 'server-process.ts'), kind, join(dir, 'smsc.db')],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const lines = createInterface({ input: child.stdout! });
const waiting: Array<(l: string) => void> = [];
lines.on('line', (l) => {
  if (l.startsWith('{"')) waiting.shift()?.(l);
});
const next = () => new Promise<string>((resolve) => waiting.push(resolve));
const port = (JSON.parse(await next()) as { port: number }).port;
const serverCpu = async () => {
  const answer = next();
  child.stdin!.write('cpu\n');
  const c = JSON.parse(await answer) as { userUs: number; systemUs: number };
  return c.userUs + c.systemUs;
};

type Load = (o: object) => Promise<{ acknowledged: number; receipts?: { received: number } }>;
const loads: Load[] = [];
for (const root of roots) loads.push((await import(`${root}/esme-client/dist/index.js`)).runLoadTest as Load);

async function once(load: Load, durationMs: number) {
  const s0 = await serverCpu();
  const c0 = process.cpuUsage();
  const t0 = threadCpu();
  const r = await load({
    urls: [`smpp://bench:bench@127.0.0.1:${port}`],
    binds: 1,
    window,
    mode: 'closed',
    durationMs,
    dlr,
    receiptWaitMs: 10_000,
    messages: [{ from: 'LOADTEST', to: '4790000001', text: TEXT, dlr }],
  });
  const c = process.cpuUsage(c0);
  const t1 = threadCpu();
  const s1 = await serverCpu();
  const n = Math.max(1, dlr ? (r.receipts?.received ?? 0) : r.acknowledged);
  return {
    rate: n / (durationMs / 1000),
    client: (c.user + c.system) / n,
    main: t0 && t1 ? (t1.mainUs - t0.mainUs) / n : Number.NaN,
    helpers: t0 && t1 ? (t1.otherUs - t0.otherUs) / n : Number.NaN,
    server: (s1 - s0) / n,
  };
}

for (const load of loads) await once(load, ms); // warm-up
const results = roots.map(() => [] as Awaited<ReturnType<typeof once>>[]);
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? roots.map((_, i) => i) : roots.map((_, i) => roots.length - 1 - i);
  for (const i of order) results[i]!.push(await once(loads[i]!, ms));
}
const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]!.toFixed(1)} median ${s[s.length >> 1]!.toFixed(1)}`;
};
console.log(`${kind}, window ${window}, receipts ${dlr}, ${ROUNDS} rounds of ${ms} ms, µs CPU per message`);
roots.forEach((root, i) => {
  const rs = results[i]!;
  console.log(
    `${root}: client ${stat(rs.map((x) => x.client))} (main ${stat(rs.map((x) => x.main))}, helpers ${stat(
      rs.map((x) => x.helpers),
    )}); server ${stat(rs.map((x) => x.server))}; messages/s ${stat(rs.map((x) => x.rate)).replace(/\.\d/g, '')}`,
  );
});
child.stdin!.end();
child.once('exit', () => rmSync(dir, { recursive: true, force: true }));
