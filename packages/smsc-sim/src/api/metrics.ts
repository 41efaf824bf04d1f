// Prometheus metrics (prom-client), one registry per simulator. The hot path only bumps a plain number (no label
// lookup, no key string built per PDU); the counts are copied into prom-client when /metrics is scraped.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsSource {
  binds(): Array<{ systemId: string; bindType: string; count: number }>;
  windowInUse(): number;
  queueDepth(): { receipts: number; mo: number; scheduled: number };
}

/** PDU counts of one direction and command: status 0 in a field, other statuses in a map */
interface CommandCounts {
  ok: number;
  other: Map<number, number>;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly pduCounts = { in: new Map<string, CommandCounts>(), out: new Map<string, CommandCounts>() };
  private readonly exported = new Map<string, number>();
  private submitsThisSecond = 0;
  private tps = 0;
  private readonly receiptLatency: Histogram;

  constructor(source: MetricsSource) {
    const reg = [this.registry];
    const counts = this.pduCounts;
    const exported = this.exported;
    new Counter({
      name: 'smsc_pdus_total',
      help: 'PDUs by direction, command and command_status',
      labelNames: ['direction', 'command', 'status'],
      registers: reg,
      // copy the hot-path counts into prom-client at scrape time
      collect() {
        const add = (direction: string, command: string, status: number, n: number) => {
          const key = `${direction}|${command}|${status}`;
          const prev = exported.get(key) ?? 0;
          if (n > prev) {
            this.inc({ direction, command, status: String(status) }, n - prev);
            exported.set(key, n);
          }
        };
        for (const direction of ['in', 'out'] as const) {
          for (const [command, c] of counts[direction]) {
            add(direction, command, 0, c.ok);
            for (const [status, n] of c.other) add(direction, command, status, n);
          }
        }
      },
    });
    new Gauge({
      name: 'smsc_binds',
      help: 'bound sessions by account and bind type',
      labelNames: ['system_id', 'bind_type'],
      registers: reg,
      collect() {
        this.reset();
        for (const b of source.binds()) this.set({ system_id: b.systemId, bind_type: b.bindType }, b.count);
      },
    });
    const self = this;
    new Gauge({
      name: 'smsc_submits_per_second',
      help: 'messages accepted in the last full second',
      registers: reg,
      collect() {
        this.set(self.tps);
      },
    });
    new Gauge({
      name: 'smsc_window_in_use',
      help: 'requests received and not yet answered, all sessions',
      registers: reg,
      collect() {
        this.set(source.windowInUse());
      },
    });
    new Gauge({
      name: 'smsc_queue_depth',
      help: 'receipts and MO deliveries waiting; messages waiting for a final state that needs an action (a receipt, a delivery)',
      labelNames: ['queue'],
      registers: reg,
      collect() {
        const q = source.queueDepth();
        this.set({ queue: 'receipts' }, q.receipts);
        this.set({ queue: 'mo' }, q.mo);
        this.set({ queue: 'scheduled' }, q.scheduled);
      },
    });
    this.receiptLatency = new Histogram({
      name: 'smsc_receipt_latency_seconds',
      help: 'submit accepted → receipt acknowledged by the ESME',
      registers: reg,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    });
  }

  pdu(direction: 'in' | 'out', command: string, status: number): void {
    const byCommand = this.pduCounts[direction];
    let c = byCommand.get(command);
    if (c === undefined) {
      c = { ok: 0, other: new Map() };
      byCommand.set(command, c);
    }
    if (status === 0) c.ok++;
    else c.other.set(status, (c.other.get(status) ?? 0) + 1);
  }

  accepted(n = 1): void {
    this.submitsThisSecond += n;
  }

  /** called once a second by the sweep */
  second(): void {
    this.tps = this.submitsThisSecond;
    this.submitsThisSecond = 0;
  }

  receiptAcked(latencyMs: number): void {
    this.receiptLatency.observe(latencyMs / 1000);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
