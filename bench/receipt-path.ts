// The client's receipt path in one process, for two builds side by side (e.g. main's start and a branch, each built
// into its own packages/*/dist): per message, the matcher's begin and addId (the submit and its response), then the
// receipt's deliver_sm read by the client's Inbound (parsed, acknowledged to a stub session, paired in its
// microtask, its 'receipt' re-emitted as a Pool does) and recorded by a load run. Decoding is done once, outside the
// measurement. Rounds alternate the builds; prints CPU ns per message, minimum and median of the rounds after two
// warm-up rounds. The machine's noise moves both alike within a run: compare within one run.
//   node --import tsx bench/receipt-path.ts /path/a/packages /path/b/packages [rounds]
import { EventEmitter } from 'node:events';

const roots = process.argv.slice(2).filter((a) => a.includes('/'));
const ROUNDS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 12);
const N = 20_000;
const DATE = '2612011200';

type Round = () => Promise<number>;

async function setup(root: string): Promise<Round> {
  const core = await import(`${root}/smpp-core/dist/index.js`);
  const { ReceiptMatcher } = await import(`${root}/esme-client/dist/receipt-matcher.js`);
  const { Inbound } = await import(`${root}/esme-client/dist/inbound.js`);
  const { LoadRun } = await import(`${root}/esme-client/dist/load/generator.js`);
  const { emitReceipts } = await import(`${root}/esme-client/dist/client-events.js`);
  const matcher = new ReceiptMatcher({ completedTtlMs: 0, idForm: 'auto' });
  const host = Object.assign(new EventEmitter(), { logger: { warn() {}, debug() {}, info() {} } });
  const pool = new EventEmitter();
  host.on('receipt', (r: unknown) => pool.emit('receipt', r));
  const run = new LoadRun({ mode: 'closed', concurrency: 100, durationMs: 1e9, dlr: true }, () => undefined);
  pool.on('receipt', (r: { meta: unknown; submittedAt: number; latencyMs: number; stat: string }) => {
    const at = typeof r.meta === 'number' ? r.meta : undefined;
    const readAt = r.submittedAt + r.latencyMs;
    run.recordReceipt(r.stat, at !== undefined ? readAt - at : r.latencyMs, readAt);
  });
  // as esme load reads them (lazyReceipts; a build without the option reads them eagerly)
  const inbound = new Inbound(host, matcher, {
    reassemblyTimeoutMs: 60_000,
    moDuplicateWindowMs: 60_000,
    lazyReceipts: true,
  });
  const session = { respond: () => true };
  // ids repeat from round to round: a completed message is forgotten at once (completedTtlMs 0), as in esme load
  const pdus: Array<[string, unknown]> = [];
  for (let i = 0; i < N; i++) {
    const id = (0x10000 + i).toString(16);
    const text = `id:${id} sub:001 dlvrd:001 submit date:${DATE} done date:${DATE} stat:DELIVRD err:000 Text:Your verificatio`;
    const frame = core.encodeWithHeader(
      'deliver_sm',
      {
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: '4790000001',
        dest_addr_ton: 5,
        destination_addr: 'LOADTEST',
        esm_class: 4,
        short_message: Buffer.from(text, 'latin1'),
        tlvs: { receipted_message_id: id, message_state: 2 },
      },
      0,
      i + 1,
    );
    pdus.push([id, core.decodePdu(frame)]);
  }
  return async () => {
    const t0 = process.cpuUsage();
    for (let b = 0; b < N; b += 100) {
      const entries = [];
      for (let i = b; i < b + 100; i++) entries.push(matcher.begin(1, performance.now(), performance.now()));
      for (let i = b; i < b + 100; i++) emitReceipts(host, matcher.addId(entries[i - b], 0, pdus[i]![0]));
      for (let i = b; i < b + 100; i++) inbound.onRequest(pdus[i]![1], session);
      await null; // the microtask that pairs them
    }
    const c = process.cpuUsage(t0);
    return ((c.user + c.system) * 1000) / N;
  };
}

if (roots.length === 0) throw new Error('give one or more packages directories (each with built */dist)');
const rounds = await Promise.all(roots.map(setup));
const results: number[][] = roots.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? roots.map((_, i) => i) : roots.map((_, i) => roots.length - 1 - i);
  for (const i of order) results[i]!.push(await rounds[i]!());
}
roots.forEach((root, i) => {
  const s = results[i]!.slice(2).sort((a, b) => a - b);
  console.log(`${root}: ns per message min ${Math.round(s[0]!)}, median ${Math.round(s[s.length >> 1]!)}`);
});
