// pnpm bench:encoding — text encode/decode, encoding detection, splitting, counting and reassembly rates,
// ours vs the npm `smpp` package's equivalent calls (lib/defs.js `encodings.ASCII` = its GSM coder, `UCS2`,
// `LATIN1`, `encodings.detect`, `gsmCoder` with the Turkish table) in one process. The smpp package has no
// message splitting, counting or reassembly: those rows have smpp: null. Prints JSON; ratio = ours / smpp.
import { createRequire } from 'node:module';
import { chooseEncoding, countMessage, decodeText, encodeText, Reassembler, splitMessage } from '../src/index.js';

const require = createRequire(import.meta.url);
interface SmppCoder {
  encode(v: string): Buffer;
  decode(v: Buffer): string;
}
const defs = require('smpp/lib/defs.js') as {
  encodings: { ASCII: SmppCoder; UCS2: SmppCoder; LATIN1: SmppCoder; detect(v: string): string | false };
  gsmCoder: { encode(v: string, lang: number): Buffer; decode(v: Buffer, lang: number): string };
};

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 200);
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 800);

function rate(fn: () => unknown): number {
  let sink: unknown;
  const until = (ms: number) => {
    const end = performance.now() + ms;
    let n = 0;
    while (performance.now() < end) {
      for (let i = 0; i < 100; i++) sink = fn();
      n += 100;
    }
    return n;
  };
  until(WARMUP_MS);
  const t0 = performance.now();
  const n = until(RUN_MS);
  const seconds = (performance.now() - t0) / 1000;
  if (sink === Symbol.for('never')) console.log(sink);
  return Math.round(n / seconds);
}

const gsm160 = 'Your code is 482913 {valid 10 min} - cost €0.05 [ref: A-77]. '.repeat(3).slice(0, 150);
const gsmLong = 'The quick brown fox jumps over the lazy dog; price €5 [ok]. '.repeat(7); // 3 parts
const ucs2Text = 'Привет! Ваш код 482913 😀 действует 10 минут. '.repeat(1).slice(0, 68);
const ucs2Long = 'Привет! Ваш код 482913 😀 действует 10 минут. '.repeat(4); // 3 parts
const latin1Text = 'Café crème brûlée à 5 francs, très bien façonné. '.repeat(2).slice(0, 140);
const turkish = 'Şişli ılık güzel bir gün; İstanbul Boğazı çok güzel ğ. '.repeat(2).slice(0, 100);

const gsmBytes = encodeText(gsm160, 0);
const ucs2Bytes = encodeText(ucs2Text, 8);
const latin1Bytes = encodeText(latin1Text, 3);
const trBytes = encodeText(turkish, 0, { nationalLanguage: { locking: 1, single: 1 } });
const trSmppBytes = defs.gsmCoder.encode(turkish, 1);

// sanity: both sides compute the same thing before they are timed
const same = (a: unknown, b: unknown, what: string) => {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what}: ours and smpp differ`);
};
same(encodeText(gsm160, 0), defs.encodings.ASCII.encode(gsm160), 'GSM encode');
same(decodeText(gsmBytes, 0), defs.encodings.ASCII.decode(gsmBytes), 'GSM decode');
same(encodeText(ucs2Text, 8), defs.encodings.UCS2.encode(ucs2Text), 'UCS-2 encode');
same(decodeText(ucs2Bytes, 8), defs.encodings.UCS2.decode(ucs2Bytes), 'UCS-2 decode');
same(encodeText(latin1Text, 3), defs.encodings.LATIN1.encode(latin1Text), 'Latin-1 encode');
same(
  decodeText(trSmppBytes, 0, { nationalLanguage: { locking: 1, single: 1 } }),
  turkish,
  'Turkish decode of smpp bytes',
);

const longParts = splitMessage(gsmLong, { reference: 1 }).parts;
const pushAll = () => {
  const r = new Reassembler();
  let m;
  for (const p of longParts)
    m = r.push({ source: 'a', destination: 'b', dataCoding: 0, shortMessage: p.shortMessage, udhi: true });
  return m;
};

type Row = { name: string; ours: number; smpp: number | null; ratio: number | null; note?: string };
const rows: Row[] = [];
function compare(name: string, ours: () => unknown, smpp: (() => unknown) | null, note?: string): void {
  const o = rate(ours);
  const s = smpp ? rate(smpp) : null;
  const row: Row = { name, ours: o, smpp: s, ratio: s ? Math.round((o / s) * 100) / 100 : null };
  if (note) row.note = note;
  rows.push(row);
}

compare(
  'gsm7 encode 150 chars',
  () => encodeText(gsm160, 0),
  () => defs.encodings.ASCII.encode(gsm160),
);
compare(
  'gsm7 decode 150 chars',
  () => decodeText(gsmBytes, 0),
  () => defs.encodings.ASCII.decode(gsmBytes),
);
compare(
  'ucs2 encode 68 units',
  () => encodeText(ucs2Text, 8),
  () => defs.encodings.UCS2.encode(ucs2Text),
);
compare(
  'ucs2 decode 68 units',
  () => decodeText(ucs2Bytes, 8),
  () => defs.encodings.UCS2.decode(ucs2Bytes),
);
compare(
  'latin1 encode 140 chars',
  () => encodeText(latin1Text, 3),
  () => defs.encodings.LATIN1.encode(latin1Text),
);
compare(
  'latin1 decode 140 chars',
  () => decodeText(latin1Bytes, 3),
  () => defs.encodings.LATIN1.decode(latin1Bytes),
);
compare(
  'gsm7 turkish encode 100 chars',
  () => encodeText(turkish, 0, { nationalLanguage: { locking: 1, single: 1 } }),
  () => defs.gsmCoder.encode(turkish, 1),
);
compare(
  'gsm7 turkish decode 100 chars',
  () => decodeText(trBytes, 0, { nationalLanguage: { locking: 1, single: 1 } }),
  () => defs.gsmCoder.decode(trSmppBytes, 1),
);
compare(
  'choose encoding (gsm text)',
  () => chooseEncoding(gsm160),
  () => defs.encodings.detect(gsm160),
  'smpp: encodings.detect',
);
compare(
  'choose encoding (ucs2 text)',
  () => chooseEncoding(ucs2Text),
  () => defs.encodings.detect(ucs2Text),
  'smpp: encodings.detect',
);
compare('split gsm7 3 parts', () => splitMessage(gsmLong, { reference: 1 }), null, 'smpp has no splitter');
compare('split ucs2 3 parts', () => splitMessage(ucs2Long, { reference: 1 }), null, 'smpp has no splitter');
compare('count gsm7 3 parts', () => countMessage(gsmLong), null, 'smpp has no calculator');
compare('reassemble gsm7 3 parts', pushAll, null, 'smpp has no reassembler');

console.log(
  JSON.stringify(
    {
      benchmark: 'encoding',
      node: process.version,
      unit: 'operations per second',
      runMs: RUN_MS,
      results: rows,
    },
    null,
    2,
  ),
);
