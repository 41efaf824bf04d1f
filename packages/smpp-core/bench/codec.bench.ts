// pnpm bench:codec — encode and decode of a typical submit_sm and deliver_sm (a delivery receipt), ours vs the
// npm `smpp` package (new PDU(name, fields).toBuffer() / new PDU(buffer)), in one process. Prints JSON.
import { createRequire } from 'node:module';
import { decodePdu, encodePdu, type PduOf } from '../src/index.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const { PDU } = require('smpp/lib/pdu.js') as { PDU: any };

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 300);
/** Each side runs ROUNDS slices of SLICE_MS, alternating with the other side (~1.5 s each in all): on a shared,
 * loaded machine this keeps both sides under the same conditions. The best slice of each side is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 250);

const submit: PduOf<'submit_sm'> = {
  command: 'submit_sm',
  command_status: 0,
  sequence_number: 123456,
  service_type: '',
  source_addr_ton: 5,
  source_addr_npi: 0,
  source_addr: 'ACME',
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: '447700900123',
  esm_class: 0,
  protocol_id: 0,
  priority_flag: 0,
  schedule_delivery_time: '',
  validity_period: '',
  registered_delivery: 1,
  replace_if_present_flag: 0,
  data_coding: 0,
  sm_default_msg_id: 0,
  short_message: Buffer.from('Your verification code is 482913. It expires in 10 minutes. Do not share it.'),
};

const receiptText =
  'id:7f3a9c21e4 sub:001 dlvrd:001 submit date:2311231200 done date:2311231201 stat:DELIVRD err:000 text:Your verification c';
const deliver: PduOf<'deliver_sm'> = {
  command: 'deliver_sm',
  command_status: 0,
  sequence_number: 98765,
  service_type: '',
  source_addr_ton: 1,
  source_addr_npi: 1,
  source_addr: '447700900123',
  dest_addr_ton: 5,
  dest_addr_npi: 0,
  destination_addr: 'ACME',
  esm_class: 0x04,
  protocol_id: 0,
  priority_flag: 0,
  schedule_delivery_time: '',
  validity_period: '',
  registered_delivery: 0,
  replace_if_present_flag: 0,
  data_coding: 0,
  sm_default_msg_id: 0,
  short_message: Buffer.from(receiptText),
  tlvs: { receipted_message_id: '7f3a9c21e4', message_state: 2 },
};

/** The same fields for the smpp package (TLVs are top-level properties there). */
function smppFields(p: PduOf<'submit_sm'> | PduOf<'deliver_sm'>): Record<string, unknown> {
  const { command: _c, tlvs, ...rest } = p;
  return { ...rest, ...(tlvs ?? {}) };
}

let sink = 0;

/** Runs fn for about ms milliseconds; returns operations per second. */
function slice(fn: () => number, ms: number): number {
  const t0 = performance.now();
  let ops = 0;
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 1000; i++) sink += fn();
    ops += 1000;
    t = performance.now();
  }
  return (ops * 1000) / (t - t0);
}

/** ours vs theirs: warm-up, then alternating slices; best rate of each side and the ratio. */
function compare(ours: () => number, theirs: () => number) {
  slice(ours, WARMUP_MS);
  slice(theirs, WARMUP_MS);
  let a = 0;
  let b = 0;
  for (let r = 0; r < ROUNDS; r++) {
    a = Math.max(a, slice(ours, SLICE_MS));
    b = Math.max(b, slice(theirs, SLICE_MS));
  }
  return { ours: Math.round(a), smpp: Math.round(b), ratio: +(a / b).toFixed(1) };
}

function scenario(name: string, pdu: PduOf<'submit_sm'> | PduOf<'deliver_sm'>) {
  const ours = encodePdu(pdu);
  const fields = smppFields(pdu);
  const theirs: Buffer = new PDU(pdu.command, { ...fields }).toBuffer();
  if (!theirs.equals(ours)) throw new Error(`${name}: the two encoders disagree on the bytes`);
  return {
    pdu: name,
    octets: ours.length,
    encode: compare(
      () => encodePdu(pdu).length,
      () => new PDU(pdu.command, { ...fields }).toBuffer().length,
    ),
    decode: compare(
      () => decodePdu(ours).sequence_number,
      () => new PDU(theirs).sequence_number,
    ),
  };
}

if (sink === -1) console.error('unreachable');
const results = [scenario('submit_sm', submit), scenario('deliver_sm (receipt + 2 TLVs)', deliver)];
console.log(
  JSON.stringify(
    {
      benchmark: 'codec',
      node: process.version,
      unit: 'PDUs per second',
      method: `best of ${ROUNDS} alternating slices of ${SLICE_MS} ms per side, after ${WARMUP_MS} ms warm-up`,
      loadAverage: (await import('node:os')).loadavg().map((x) => +x.toFixed(2)),
      smppApi: 'encode: new PDU(name, fields).toBuffer(); decode: new PDU(buffer)',
      results,
    },
    null,
    2,
  ),
);
