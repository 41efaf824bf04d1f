// The baseline load: a client built on the npm `smpp` package keeping `window` submits outstanding
// (closed loop), measured with the same HDR histogram as `esme load`.

import { LatencyHistogram, type LatencySummary } from '@smppkit/esme-client';
import smpp from 'smpp';

export interface BaselineReport {
  sent: number;
  acknowledged: number;
  failed: number;
  durationMs: number;
  throughput: number;
  latencyMs: LatencySummary;
  receipts?: { received: number; missing: number; latencyMs: LatencySummary; throughput: number };
}

export async function smppPackageLoad(
  port: number,
  opts: { window: number; durationMs: number; dlr: boolean; text: string; receiptWaitMs: number },
): Promise<BaselineReport> {
  const session = smpp.connect({ url: `smpp://127.0.0.1:${port}`, auto_enquire_link_period: 0 });
  session.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    session.on('connect', () =>
      session.bind_transceiver({ system_id: 'bench', password: 'bench' }, (pdu: any) =>
        pdu.command_status === 0 ? resolve() : reject(new Error(`bind ${pdu.command_status}`)),
      ),
    );
  });
  const latency = new LatencyHistogram();
  const receiptLatency = new LatencyHistogram();
  const submittedAt = new Map<string, number>();
  let sent = 0;
  let acked = 0;
  let failed = 0;
  let receipts = 0;
  let lastReceiptAt = 0;
  let onAllReceipts: (() => void) | undefined;
  session.on('deliver_sm', (pdu: any) => {
    session.send(pdu.response());
    const id = pdu.receipted_message_id;
    const t = submittedAt.get(id);
    if (t !== undefined) {
      submittedAt.delete(id);
      receiptLatency.record(performance.now() - t);
      receipts++;
      lastReceiptAt = performance.now();
      if (onAllReceipts && receipts >= acked) onAllReceipts();
    }
  });
  const start = performance.now();
  const end = start + opts.durationMs;
  let outstanding = 0;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const fields = {
    source_addr: 'LOADTEST',
    destination_addr: '4790000001',
    short_message: opts.text,
    registered_delivery: opts.dlr ? 1 : 0,
  };
  const one = () => {
    const t0 = performance.now();
    if (t0 >= end) {
      if (outstanding === 0) finish();
      return;
    }
    sent++;
    outstanding++;
    session.submit_sm({ ...fields }, (pdu: any) => {
      outstanding--;
      const t1 = performance.now();
      if (pdu.command_status === 0) {
        acked++;
        latency.record(t1 - t0);
        if (opts.dlr) submittedAt.set(pdu.message_id, t0);
      } else failed++;
      one();
    });
  };
  for (let i = 0; i < opts.window; i++) one();
  await done;
  const durationMs = performance.now() - start;
  if (opts.dlr && receipts < acked) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, opts.receiptWaitMs);
      onAllReceipts = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
  session.close();
  return {
    sent,
    acknowledged: acked,
    failed,
    durationMs: Math.round(durationMs),
    throughput: Math.round((acked * 1000) / durationMs),
    latencyMs: latency.summary(),
    ...(opts.dlr
      ? {
          receipts: {
            received: receipts,
            missing: acked - receipts,
            latencyMs: receiptLatency.summary(),
            throughput: receipts > 0 ? Math.round((receipts * 1000) / (lastReceiptAt - start)) : 0,
          },
        }
      : {}),
  };
}
