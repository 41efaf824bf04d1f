// The store's cost per submitted message, alone: common rows (a single-part submit_sm as accept() builds it, its
// request PDU kept) inserted into a MessageStore on a real file, committed every 100, as at window 100. CPU time
// of this process per message (user + system), the record building measured apart.
//   node --import tsx bench/store-insert.ts [distA distB ...]
// Each argument is a package dist directory (packages/smsc-sim/dist of some checkout; default: this one's); with
// several, runs alternate A,B,A,B for STORE_ROUNDS rounds (3), each in a fresh process, and print one JSON line a run.
// STORE_MESSAGES (200000) per run, STORE_COMMIT (100) messages a commit; STORE_MID=decimal for decimal message ids
// (default hex, accept()'s with the default idFormat); STORE_RECEIPTS=1: each message asks for a receipt, and each
// commit also acknowledges the receipts of the messages of the commit before (at the first attempt, as at window
// 100 with receipts: setOutboxStatus, no outbox row).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodePdu } from '@smppkit/core';

const here = fileURLToPath(new URL('.', import.meta.url));
const env = process.env;
const decimalMids = env.STORE_MID === 'decimal';
const receipts = env.STORE_RECEIPTS === '1';

if (process.argv[2] === '--child') await child(process.argv[3]!);
else if (env.STORE_INPROC) await inProcess(process.argv.slice(2));
else {
  const dists = process.argv.length > 2 ? process.argv.slice(2) : [join(here, '../packages/smsc-sim/dist')];
  const rounds = Number(env.STORE_ROUNDS ?? 3);
  for (let r = 0; r < rounds; r++)
    for (const d of dists) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', d], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      process.stdout.write(`${JSON.stringify({ round: r, dist: d, ...JSON.parse(out) })}\n`);
    }
}

interface Store {
  allocateId(): number;
  insert(m: unknown, detail?: string): void;
  enqueueOutbox(
    kind: 'receipt',
    messageId: number,
    systemId: string,
    dueAt: number,
  ): { status: string; attempts: number };
  setOutboxStatus(o: unknown): void;
  flush(): void;
  gc: { commit(): void };
  close(): void;
}

async function open(dist: string, path: string): Promise<Store> {
  const mod = (await import(pathToFileURL(join(dist, 'store/message-store.js')).href)) as {
    MessageStore: new (s: { path: string }) => Store;
  };
  return new mod.MessageStore({ path });
}

/**
 * STORE_INPROC=1: every build's store open in this one process, blocks of STORE_BLOCK (25000) messages alternated
 * between them, STORE_BLOCKS (4) blocks each a round, STORE_ROUNDS (3) rounds; one line a round, each build's CPU
 * per message, and a last line with each build's median and lower quartile over all its blocks (on a busy machine,
 * many short blocks, e.g. STORE_BLOCK=2000 STORE_BLOCKS=20, and the quartiles are steadier than the means).
 * NB the main thread's time (/proc's schedstat) moves only at the scheduler's tick on this VM (4 ms, a reading taken
 * while the thread runs is stale): keep blocks ≥ 20,000 messages, or read the process's CPU per block (precise,
 * getrusage; it includes the checkpoint worker's), also given as a median and lower quartile.
 */
async function inProcess(dists: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'store-insert-'));
  const block = Number(env.STORE_BLOCK ?? 25_000);
  const blocks = Number(env.STORE_BLOCKS ?? 4);
  const runs: Array<(count: number) => NodeJS.CpuUsage> = [];
  // the main thread's own CPU time (ns; no checkpoint worker, no GC helper threads): steadier than the process's
  const mainNs = () => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
  for (const [i, d] of dists.entries()) runs.push(writer(await open(d, join(dir, `m${i}.db`))));
  for (const r of runs) r(20_000);
  const perBlock: number[][] = runs.map(() => []);
  const processPerBlock: number[][] = runs.map(() => []);
  const round2 = (x: number) => Math.round(x * 100) / 100;
  for (let round = 0; round < Number(env.STORE_ROUNDS ?? 3); round++) {
    const us = runs.map(() => 0);
    const main = runs.map(() => 0);
    for (let b = 0; b < blocks; b++)
      runs.forEach((r, i) => {
        const t = mainNs();
        const c = r(block);
        const m = (mainNs() - t) / 1000;
        main[i]! += m;
        perBlock[i]!.push(m / block);
        processPerBlock[i]!.push((c.user + c.system) / block);
        us[i]! += c.user + c.system;
      });
    const per = (x: number[]) => x.map((u) => round2(u / (blocks * block)));
    process.stdout.write(`${JSON.stringify({ round, usPerMsg: per(us), mainThreadUs: per(main), dists })}\n`);
  }
  const at = (xs: number[], q: number) => round2([...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!);
  process.stdout.write(
    `${JSON.stringify({ mainThreadMedianUs: perBlock.map((x) => at(x, 0.5)), mainThreadQ1Us: perBlock.map((x) => at(x, 0.25)), processMedianUs: processPerBlock.map((x) => at(x, 0.5)), processQ1Us: processPerBlock.map((x) => at(x, 0.25)), blocks: perBlock[0]!.length, dists })}\n`,
  );
  rmSync(dir, { recursive: true, force: true });
}

async function child(dist: string): Promise<void> {
  const n = Number(env.STORE_MESSAGES ?? 200_000);
  const dir = mkdtempSync(join(tmpdir(), 'store-insert-'));
  const store = await open(dist, join(dir, 'm.db'));
  const { run, record } = writerParts(store);
  run(20_000); // warm-up
  const build0 = process.cpuUsage();
  for (let i = 0; i < 20_000; i++) record(i, 0);
  const build = process.cpuUsage(build0);
  const c = run(n);
  store.close();
  const bytes = statSync(join(dir, 'm.db')).size;
  rmSync(dir, { recursive: true, force: true });
  const us = (x: number) => Math.round((x / n) * 100) / 100;
  process.stdout.write(
    JSON.stringify({
      usPerMsg: us(c.user + c.system),
      user: us(c.user),
      system: us(c.system),
      buildUs: Math.round(((build.user + build.system) / 20_000) * 100) / 100,
      fileBytesPerMsg: Math.round(bytes / (n + 20_000)),
    }),
  );
}

/** Inserts `count` messages into the store in commits of STORE_COMMIT, its CPU time (records built before). */
function writer(store: Store): (count: number) => NodeJS.CpuUsage {
  return writerParts(store).run;
}

function writerParts(store: Store) {
  const perCommit = Number(env.STORE_COMMIT ?? 100);
  const text = Buffer.from('Your verification code is 123456. It expires in 10 minutes.');
  const frame = (i: number) =>
    encodePdu({
      command: 'submit_sm',
      command_status: 0,
      sequence_number: i + 1,
      service_type: '',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '4412345',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: `44700${String(i % 1000).padStart(6, '0')}`,
      esm_class: 0,
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '',
      registered_delivery: 0,
      replace_if_present_flag: 0,
      data_coding: 0,
      sm_default_msg_id: 0,
      short_message: text,
    } as never);
  const frames = Array.from({ length: 1000 }, (_, i) => frame(i));
  const record = (i: number, now: number) => {
    const id = store.allocateId();
    // the session's own copy of the request, as the handler gets it
    const pdu = Buffer.from(frames[i % frames.length]!);
    return {
      id,
      mid: decimalMids ? String(id) : id.toString(16),
      multiId: null,
      groupId: id,
      partNum: 1,
      partTotal: 1,
      direction: 'MT',
      command: 'submit_sm',
      systemId: 'bench',
      deliverTo: null,
      serviceType: '',
      sourceTon: 1,
      sourceNpi: 1,
      sourceAddr: '4412345',
      destTon: 1,
      destNpi: 1,
      destAddr: `44700${String(i % 1000).padStart(6, '0')}`,
      esmClass: 0,
      protocolId: 0,
      priorityFlag: 0,
      registeredDelivery: receipts ? 1 : 0,
      dataCoding: 0,
      // a view into the frame, as the decoder gives it
      shortMessage: pdu.subarray(pdu.length - text.length),
      text: '',
      submittedAt: now,
      scheduleAt: null,
      expireAt: now + 86_400_000,
      state: 'ENROUTE',
      err: 0,
      doneAt: null,
      plannedState: 'DELIVERED',
      plannedErr: 0,
      dueAt: now,
      pdu,
    };
  };
  const run = (count: number) => {
    const recs = [];
    const now = Date.now();
    for (let i = 0; i < count; i++) recs.push(record(i, now));
    const t0 = process.cpuUsage();
    let prev = 0;
    for (let i = 0; i < count; i += perCommit) {
      for (let j = i; j < i + perCommit && j < count; j++) store.insert(recs[j], 'accepted');
      if (receipts) {
        // the receipts of the commit before, delivered and acknowledged at the first attempt
        for (let j = prev; j < i; j++) {
          const o = store.enqueueOutbox('receipt', recs[j].id, 'bench', now);
          o.status = 'acked';
          o.attempts = 1;
          store.setOutboxStatus(o);
        }
        prev = i;
      }
      store.gc.commit(); // as the group commit does (flush() would also hand over held acknowledgements)
    }
    return process.cpuUsage(t0);
  };
  return { run, record };
}
