// What the admin API works on: a narrow interface (the simulator in smsc.ts is one), so the api room never
// imports the simulator itself.
import type { FaultConfig, OutbindTarget, Rule } from '../config/types.js';
import type { AlertResult } from '../delivery/alerts.js';
import type { MoRequest, MoResult } from '../delivery/mo.js';
import type { ConnectionInfo } from '../server/connection.js';
import type { StatsQuery, StatsRow } from '../store/delivery-stats.js';
import type { ScanWindow } from '../store/queries.js';
import type { MessageFilter } from '../store/record.js';
import type { Logger } from '../util/logger.js';
import type { ActivityTotals, LatencySummary } from './activity.js';
import type { MessageDetail, MessagePage } from './inspect.js';

export type { ActivityTotals };

export interface AdminTarget {
  readonly metrics: { readonly contentType: string; text(): Promise<string> };
  readonly log: Logger;
  readonly startedAt: number;
  readonly port: number;
  readonly tlsPort: number | null;
  readonly connections: { readonly size: number };
  readonly store: { readonly path: string | null; count(): number; deleteAll(): number };
  readonly accounts: { readonly open: boolean; get(systemId: string): unknown };
  readonly delivery: { clear(): void };
  readonly scenario: { readonly rules: Rule[] };
  sessions(): ConnectionInfo[];
  /** scan: a bounded look at the table (store/queries.ts) */
  messages(filter: MessageFilter, scan?: ScanWindow): MessagePage;
  message(id: string, systemId?: string): MessageDetail | undefined;
  setRules(rules: Rule[]): void;
  faults(): { global: FaultConfig | null; accounts: Record<string, FaultConfig> };
  setFaults(faults: FaultConfig | undefined, systemId?: string): void;
  injectMo(req: MoRequest): MoResult;
  /** a handset became available: alert_notification to the ESMEs that asked for it (set_dpf) */
  readonly alerts: { available(address: string): AlertResult };
  outbind(target: OutbindTarget): Promise<{ connection: number }>;
  /** sends unbind to a session (not waiting for the answer); false when there is no such session */
  unbindSession(id: number): boolean;
  /** destroys a session's socket; false when there is no such session */
  dropSession(id: number): boolean;
  /** parts submitted in the window by account or prefix, and the receipt latencies observed in it */
  deliveryStats(q: StatsQuery): { rows: StatsRow[]; latency: LatencySummary };
  activity(): ActivityTotals;
  /** calls fn after each bind and each closed session; returns the unsubscribe */
  onSessionsChange(fn: () => void): () => void;
}
