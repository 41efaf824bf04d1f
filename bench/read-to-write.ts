// Where a lock-step (window 1) round trip goes, by wall time, in one process: loaded into a server with
//   PROBE_NODE_ARGS='--import ./bench/read-to-write.ts' RTW_OUT=/tmp/rtw node --import tsx bench/probe.ts smsc
// and into the client (the probe itself) with `node --import tsx --import ./bench/read-to-write.ts bench/probe.ts`,
// it measures, from RTW_DELAY_MS (1500) until the process exits, per socket 'data' event: the time from its start
// to the next socket.write (the process's part of the round trip: for a client that writes a turn later, the hop
// included), how long that write call takes (on a machine whose other core is busy, mostly the peer's own part: the
// write wakes the peer, which then often runs on this core before the write returns), how long the 'data' emit takes,
// and, in the simulator, the time spent in better-sqlite3 statement runs and main-thread WAL checkpoints (the
// finish: checkpointer.ts). Writes RTW_OUT.server or RTW_OUT.client (by whether argv names server-process) as JSON.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const now = () => performance.now() * 1000;
let on = false;
setTimeout(
  () => {
    on = true;
  },
  Number(process.env.RTW_DELAY_MS ?? 1500),
).unref();
const t = { reads: 0, emitUs: 0, toWrite: 0, toWriteUs: 0, writeUs: 0, sqlRuns: 0, sqlUs: 0, finishes: 0, finishUs: 0 };
let finishMaxUs = 0;
let dataAt = 0;

const emit = net.Socket.prototype.emit as (this: net.Socket, event: string | symbol, ...a: unknown[]) => boolean;
net.Socket.prototype.emit = function (this: net.Socket, event: string | symbol, ...a: unknown[]) {
  if (event !== 'data' || !on) return emit.call(this, event, ...a);
  const t0 = now();
  dataAt = t0;
  const r = emit.call(this, event, ...a);
  t.reads++;
  t.emitUs += now() - t0;
  return r;
} as typeof net.Socket.prototype.emit;
const write = net.Socket.prototype.write as (this: net.Socket, ...a: unknown[]) => boolean;
net.Socket.prototype.write = function (this: net.Socket, ...a: unknown[]) {
  if (!on || dataAt === 0) return write.apply(this, a);
  const t1 = now();
  t.toWrite++;
  t.toWriteUs += t1 - dataAt;
  dataAt = 0;
  const r = write.apply(this, a);
  t.writeUs += now() - t1;
  return r;
} as typeof net.Socket.prototype.write;

// better-sqlite3 as the simulator loads it (absent in a process that does not have it: nothing measured)
type Db = {
  prepare(sql: string): Record<string, (...a: unknown[]) => unknown>;
  pragma(s: string, o?: unknown): unknown;
};
try {
  const require = createRequire(join(process.cwd(), 'packages/smsc-sim/package.json'));
  const proto = (require('better-sqlite3') as { prototype: Db }).prototype;
  const prepare = proto.prepare;
  proto.prepare = function (this: Db, sql: string) {
    const st = prepare.call(this, sql);
    const run = st.run!;
    st.run = function (this: unknown, ...a: unknown[]) {
      if (!on) return run.apply(this, a);
      const s0 = now();
      const r = run.apply(this, a);
      t.sqlRuns++;
      t.sqlUs += now() - s0;
      return r;
    };
    return st;
  };
  const pragma = proto.pragma;
  proto.pragma = function (this: Db, s: string, o?: unknown) {
    if (!on || !isMainThread || !s.includes('wal_checkpoint')) return pragma.call(this, s, o);
    const s0 = now();
    const r = pragma.call(this, s, o);
    const d = now() - s0;
    t.finishes++;
    t.finishUs += d;
    if (d > finishMaxUs) finishMaxUs = d;
    return r;
  };
} catch {}

const per = (x: number, n: number) => Math.round((x / Math.max(n, 1)) * 100) / 100;
process.on('exit', () => {
  const out = process.env.RTW_OUT;
  if (!isMainThread || !out) return;
  const side = process.argv.some((a) => a.includes('server-process')) ? 'server' : 'client';
  writeFileSync(
    `${out}.${side}`,
    JSON.stringify({
      reads: t.reads,
      dataToWriteUs: per(t.toWriteUs, t.toWrite),
      writeCallUs: per(t.writeUs, t.toWrite),
      dataEmitUs: per(t.emitUs, t.reads),
      ...(t.sqlRuns ? { sqlRunUsPerRead: per(t.sqlUs, t.reads), sqlRunsPerRead: per(t.sqlRuns, t.reads) } : {}),
      ...(t.finishes
        ? { finishes: t.finishes, finishUsPerRead: per(t.finishUs, t.reads), finishMaxMs: per(finishMaxUs, 1000) }
        : {}),
    }),
  );
});
