// node scripts/run.mjs bench packages/smpp-core/bench/roundtrip.bench.ts — decode → encode → decode over
// ROUNDTRIP_N (default 1,000,000) inputs: random frames of known commands and mutated valid PDUs (seeded, so a run
// can be repeated). For every input that decodes, the re-encoded PDU must decode to the same value and encode to
// the same bytes again. Prints JSON: how many inputs decoded, were refused (by status), and failed the property.
import { isDeepStrictEqual } from 'node:util';
import { COMMAND_TABLE, decodePdu, encodePdu, type Pdu, SmppDecodeError, statusName } from '../src/index.js';

const N = Number(process.env.ROUNDTRIP_N ?? 1_000_000);
let seed = Number(process.env.ROUNDTRIP_SEED ?? 13);
/** mulberry32: a small seeded generator. */
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n: number) => Math.floor(rand() * n);
const IDS = COMMAND_TABLE.map((c) => c.id >>> 0);

/** Valid PDUs to mutate: whatever random frames decoded so far (a pool, refreshed as the run goes). */
const pool: Buffer[] = [];

function input(): Buffer {
  if (pool.length > 0 && rand() < 0.5) {
    const m = Buffer.from(pool[int(pool.length)]);
    for (let f = 1 + int(3); f > 0; f--) if (m.length > 16) m[16 + int(m.length - 16)] = int(256);
    return m;
  }
  const body = Buffer.allocUnsafe(int(120));
  for (let i = 0; i < body.length; i++) body[i] = rand() < 0.4 ? 0 : int(256);
  const h = Buffer.alloc(16);
  h.writeUInt32BE(16 + body.length, 0);
  h.writeUInt32BE(IDS[int(IDS.length)], 4);
  h.writeUInt32BE(rand() < 0.8 ? 0 : 0x45, 8);
  h.writeUInt32BE(int(0x7fffffff), 12);
  return Buffer.concat([h, body]);
}

let decoded = 0;
let failed = 0;
const refused: Record<string, number> = {};
const failures: { input: string; error: string }[] = [];
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const m = input();
  let d: Pdu;
  try {
    d = decodePdu(m);
  } catch (e) {
    if (!(e instanceof SmppDecodeError)) throw e;
    const s = statusName(e.commandStatus) ?? String(e.commandStatus);
    refused[s] = (refused[s] ?? 0) + 1;
    continue;
  }
  decoded++;
  if (pool.length < 1000) pool.push(m);
  else if (rand() < 0.01) pool[int(pool.length)] = m;
  try {
    const options = { bodyOnError: m.length > 16 };
    const b = encodePdu(d, options);
    const d2 = decodePdu(b);
    if (!isDeepStrictEqual({ ...d2 }, { ...d }) || !encodePdu(d2, options).equals(b)) throw new Error('not the same');
  } catch (e) {
    failed++;
    if (failures.length < 5) failures.push({ input: m.toString('hex'), error: (e as Error).message });
  }
}
const seconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({ inputs: N, decoded, refused, failed, failures, seconds: Math.round(seconds * 10) / 10 }, null, 2),
);
if (failed > 0) process.exitCode = 1;
