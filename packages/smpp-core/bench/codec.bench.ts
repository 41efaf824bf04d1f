// pnpm bench:codec — encode and decode of a typical submit_sm and deliver_sm (a delivery receipt), ours vs the
// npm `smpp` package (new PDU(name, fields).toBuffer() / new PDU(buffer)), in one process. Prints JSON.
import { createRequire } from 'node:module';
import { decodePdu, encodePdu, type PduOf } from '../src/index.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const { PDU } = require('smpp/lib/pdu.js') as { PDU: any };

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 300);
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 1500);

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

function measure(fn: () => number): { opsPerSec: number; ops: number; ms: number } {
  let sink = 0;
  const until = (ms: number) => {
    const t0 = performance.now();
    let ops = 0;
    let t = t0;
    while (t - t0 < ms) {
      for (let i = 0; i < 1000; i++) sink += fn();
      ops += 1000;
      t = performance.now();
    }
    return { ops, ms: t - t0 };
  };
  until(WARMUP_MS);
  const r = until(RUN_MS);
  if (sink === -1) console.error('unreachable');
  return { opsPerSec: Math.round((r.ops * 1000) / r.ms), ops: r.ops, ms: Math.round(r.ms) };
}

function scenario(name: string, pdu: PduOf<'submit_sm'> | PduOf<'deliver_sm'>) {
  const ours = encodePdu(pdu);
  const fields = smppFields(pdu);
  const theirs: Buffer = new PDU(pdu.command, { ...fields }).toBuffer();
  if (!theirs.equals(ours)) throw new Error(`${name}: the two encoders disagree on the bytes`);
  const encOurs = measure(() => encodePdu(pdu).length);
  const encTheirs = measure(() => new PDU(pdu.command, { ...fields }).toBuffer().length);
  const decOurs = measure(() => decodePdu(ours).sequence_number);
  const decTheirs = measure(() => new PDU(theirs).sequence_number);
  return {
    pdu: name,
    octets: ours.length,
    encode: { ours: encOurs.opsPerSec, smpp: encTheirs.opsPerSec, ratio: +(encOurs.opsPerSec / encTheirs.opsPerSec).toFixed(1) },
    decode: { ours: decOurs.opsPerSec, smpp: decTheirs.opsPerSec, ratio: +(decOurs.opsPerSec / decTheirs.opsPerSec).toFixed(1) },
  };
}

const results = [scenario('submit_sm', submit), scenario('deliver_sm (receipt + 2 TLVs)', deliver)];
console.log(
  JSON.stringify(
    {
      benchmark: 'codec',
      node: process.version,
      unit: 'PDUs per second',
      runMs: RUN_MS,
      smppApi: 'encode: new PDU(name, fields).toBuffer(); decode: new PDU(buffer)',
      results,
    },
    null,
    2,
  ),
);
