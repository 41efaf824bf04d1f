// Counts of the event-loop work a server does, for bench/probe.ts: loaded into the server process with
//   PROBE_NODE_ARGS="--import ./bench/loop-counts.ts" COUNT_OUT=/tmp/counts.json node --import tsx bench/probe.ts smsc
// it counts, from COUNT_DELAY_MS (1500: after start and warm-up) until the process exits, socket reads ('data')
// and writes, setImmediate, setTimeout, Timeout#refresh, process.nextTick, better-sqlite3 transactions and each
// prepared statement's runs (by the start of its SQL), and writes them as JSON to COUNT_OUT. Divided by the reads
// or the messages, they do not move with the machine's load as CPU times do (an A/B of two builds by counts).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { join } from 'node:path';

const counts: Record<string, number> = {};
let on = false;
const bump = (k: string) => {
  if (on) counts[k] = (counts[k] ?? 0) + 1;
};
setTimeout(
  () => {
    on = true;
  },
  Number(process.env.COUNT_DELAY_MS ?? 1500),
).unref();

/** Counts the calls of obj[name] (a method or a function) under `key`. */
function count(obj: object, name: string, key = name): void {
  const o = obj as Record<string, (...a: unknown[]) => unknown>;
  const f = o[name]!;
  o[name] = function (this: unknown, ...a: unknown[]) {
    bump(key);
    return f.apply(this, a);
  };
}

count(globalThis, 'setImmediate');
count(globalThis, 'setTimeout');
count(process, 'nextTick');
count(net.Socket.prototype, 'write', 'socket.write');
const t = setTimeout(() => {}, 1);
count(Object.getPrototypeOf(t) as object, 'refresh', 'timeout.refresh');
clearTimeout(t);
const emit = net.Socket.prototype.emit as (this: net.Socket, event: string | symbol, ...a: unknown[]) => boolean;
net.Socket.prototype.emit = function (this: net.Socket, event: string | symbol, ...a: unknown[]) {
  if (event === 'data') bump('socket.data');
  return emit.call(this, event, ...a);
} as typeof net.Socket.prototype.emit;

// better-sqlite3 as the simulator loads it
type Db = { prepare(sql: string): Record<string, (...a: unknown[]) => unknown>; transaction(fn: unknown): unknown };
const require = createRequire(join(process.cwd(), 'packages/smsc-sim/package.json'));
const proto = (require('better-sqlite3') as { prototype: Db }).prototype;
const prepare = proto.prepare;
proto.prepare = function (this: Db, sql: string) {
  const st = prepare.call(this, sql);
  const key = `sql ${sql.replace(/\s+/g, ' ').slice(0, 40)}`;
  for (const m of ['run', 'get', 'all']) count(st, m, `${key} .${m}`);
  return st;
};
const transaction = proto.transaction;
proto.transaction = function (this: Db, fn: unknown) {
  const tx = transaction.call(this, fn) as (...a: unknown[]) => unknown;
  return function (this: unknown, ...a: unknown[]) {
    bump('sql transaction');
    return tx.apply(this, a);
  };
};

process.on('exit', () => {
  if (process.env.COUNT_OUT) writeFileSync(process.env.COUNT_OUT, JSON.stringify(counts));
});
