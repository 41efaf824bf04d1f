// Prometheus metrics (prom-client), one registry per simulator (Node's default metrics on it too, so two simulators
// in one process do not collide). The hot path only bumps a plain number (no label lookup, no key string built per
// PDU); the counts are copied into prom-client when /metrics is scraped.
import { statusName } from '@smppkit/core';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { STATE_NAMES, type StateName } from '../config/types.js';
import { type CommandCounts, countPdu } from '../util/pdu-counts.js';
import { LatencyHistogram } from './latency-histogram.js';

export interface MetricsSource {
  binds(): Array<{ systemId: string; bindType: string; count: number }>;
  windowInUse(): number;
  queueDepth(): { receipts: number; mo: number; scheduled: number; inStore?: number };
  /** deliver_sm held in memory (queued or in flight); the rest of what is owed waits in the store */
  deliveriesHeld?(): number;
  /** deliver_sm refused for capacity (THROTTLED, MSGQFUL) and deferred (the session unbinding), since the start */
  deliveryRefusals?(): { readonly throttled: number; readonly deferred: number };
}

type PduCounts = { in: Map<string, CommandCounts>; out: Map<string, CommandCounts> };

/** implicit transitions are counted at most this late (at a scrape) */
const DUE_SLOT_MS = 100;
const STATE_INDEX = new Map<StateName, number>(STATE_NAMES.map((s, i) => [s, i]));
const ENROUTE = STATE_INDEX.get('ENROUTE')!;
const DELIVERED = STATE_INDEX.get('DELIVERED')!;

/** STATE_INDEX.get, the states of nearly every message (its insert, its planned delivery) compared first: no hash */
function stateIndex(state: StateName): number {
  return state === 'ENROUTE' ? ENROUTE : state === 'DELIVERED' ? DELIVERED : STATE_INDEX.get(state)!;
}

export class Metrics {
  readonly registry = new Registry();
  /** per system_id of the session ('' before a bind): only bound accounts' ids, so the label stays bounded */
  private readonly pduCounts = new Map<string, PduCounts>();
  private readonly exported = new Map<string, number>();
  /** messages that entered each state (STATE_NAMES order) */
  private readonly stateCounts = new Array<number>(STATE_NAMES.length).fill(0);
  /** implicit transitions still to come (store/lifecycle.ts), per 100 ms of their due time: counted when it passes */
  private readonly stateDueCounts = new Map<number, number[]>();
  /** the slot of stateDueCounts counted last, and its counts: a message planned in the same 100 ms looks up nothing */
  private dueSlot = Number.NaN;
  private dueSlotCounts: number[] = [];
  private submitsThisSecond = 0;
  private tps = 0;
  private readonly receiptLatency: LatencyHistogram;

  constructor(source: MetricsSource) {
    const reg = [this.registry];
    const counts = this.pduCounts;
    const exported = this.exported;
    new Counter({
      name: 'smsc_pdus_total',
      help: 'PDUs by direction, command, command_status (its name; hex when unknown) and system_id ("" before a bind)',
      labelNames: ['direction', 'command', 'status', 'system_id'],
      registers: reg,
      // copy the hot-path counts into prom-client at scrape time
      collect() {
        const add = (labels: Record<string, string>, n: number) => {
          const key = `${labels.direction}|${labels.command}|${labels.status}|${labels.system_id}`;
          const prev = exported.get(key) ?? 0;
          if (n > prev) {
            this.inc(labels, n - prev);
            exported.set(key, n);
          }
        };
        for (const [system_id, byDirection] of counts) {
          for (const direction of ['in', 'out'] as const) {
            for (const [command, c] of byDirection[direction]) {
              add({ direction, command, status: statusName(0), system_id }, c.ok);
              for (const [status, n] of c.other) add({ direction, command, status: statusName(status), system_id }, n);
            }
          }
        }
      },
    });
    const states = this.stateCounts;
    const messages = new Counter({
      name: 'smsc_messages_total',
      help: 'messages that entered each state (accepted as ENROUTE or SCHEDULED, then their final state), since start',
      labelNames: ['state'],
      registers: reg,
      collect: () => {
        this.stateDue(Date.now());
        for (const [i, state] of STATE_NAMES.entries()) {
          const key = `state|${state}`;
          const prev = exported.get(key) ?? 0;
          // every state is shown (0 until one enters it), so a rate can be graphed from the start
          if (states[i]! > prev || !exported.has(key)) {
            messages.inc({ state }, states[i]! - prev);
            exported.set(key, states[i]!);
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
        if (q.inStore !== undefined) this.set({ queue: 'in_store' }, q.inStore);
        if (source.deliveriesHeld) this.set({ queue: 'held_in_memory' }, source.deliveriesHeld());
      },
    });
    new Counter({
      name: 'smsc_deliveries_refused_total',
      help: 'deliver_sm (receipts, MO) an ESME refused for capacity (reason="capacity": ESME_RTHROTTLED, ESME_RMSGQFUL; the session backs off) or that went back to the queue because the session unbinds (reason="unbinding")',
      labelNames: ['reason'],
      registers: reg,
      collect() {
        const r = source.deliveryRefusals?.();
        this.reset();
        this.inc({ reason: 'capacity' }, r?.throttled ?? 0);
        this.inc({ reason: 'unbinding' }, r?.deferred ?? 0);
      },
    });
    this.receiptLatency = new LatencyHistogram(
      'smsc_receipt_latency_seconds',
      'submit accepted → receipt acknowledged by the ESME',
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      this.registry,
    );
    collectDefaultMetrics({ register: this.registry });
  }

  /** A PDU received or sent on a session of `systemId` ('' while not bound). */
  pdu(direction: 'in' | 'out', command: string, status: number, systemId = ''): void {
    countPdu(this.commandCounts(direction, command, systemId), status);
  }

  /**
   * The counts of one direction and command on sessions of `systemId`, for countPdu: a session keeps those of the
   * command it sends or answers most (never dropped, so never stale) instead of looking them up per PDU.
   */
  commandCounts(direction: 'in' | 'out', command: string, systemId = ''): CommandCounts {
    let bySystem = this.pduCounts.get(systemId);
    if (bySystem === undefined) {
      bySystem = { in: new Map(), out: new Map() };
      this.pduCounts.set(systemId, bySystem);
    }
    const byCommand = bySystem[direction];
    let c = byCommand.get(command);
    if (c === undefined) {
      c = { ok: 0, other: new Map() };
      byCommand.set(command, c);
    }
    return c;
  }

  /** A message entered a state (written to the store: its insert, a transition). */
  stateEntered(state: StateName): void {
    this.stateCounts[stateIndex(state)]!++;
  }

  /**
   * An implicit transition planned for `at` (delta 1), or dropped before it came (-1: cancelled, replanned). It is
   * counted in stateEntered's counts once `at` has passed (at the next second, or scrape).
   */
  implicitTransition(at: number, state: StateName, delta: 1 | -1): void {
    const slot = Math.ceil(at / DUE_SLOT_MS);
    let c = this.dueSlotCounts;
    if (slot !== this.dueSlot) {
      let found = this.stateDueCounts.get(slot);
      if (found === undefined) {
        found = new Array<number>(STATE_NAMES.length).fill(0);
        this.stateDueCounts.set(slot, found);
      }
      this.dueSlot = slot;
      this.dueSlotCounts = c = found;
    }
    c[stateIndex(state)]! += delta;
  }

  /** Every message was forgotten (DELETE /api/messages): their implicit transitions will not happen. */
  forgetPlanned(): void {
    this.stateDueCounts.clear();
    this.dueSlot = Number.NaN;
  }

  private stateDue(now: number): void {
    const through = Math.floor(now / DUE_SLOT_MS);
    for (const [slot, c] of this.stateDueCounts) {
      if (slot > through) continue;
      for (let i = 0; i < c.length; i++) this.stateCounts[i]! += c[i]!;
      this.stateDueCounts.delete(slot);
      if (slot === this.dueSlot) this.dueSlot = Number.NaN;
    }
  }

  accepted(n = 1): void {
    this.submitsThisSecond += n;
  }

  /** called once a second by the sweep */
  second(): void {
    this.stateDue(Date.now());
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
