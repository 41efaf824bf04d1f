// What the request handlers work on: the narrow HandlerContext (the simulator in smsc.ts is one), and the
// connection a request came in on (server/connection.ts).
import type { Pdu } from '@smppkit/core';
import type { Accounts } from '../accounts/accounts.js';
import type { Metrics } from '../api/metrics.js';
import type { FaultConfig } from '../config/types.js';
import type { Alerts } from '../delivery/alerts.js';
import type { Delivery } from '../delivery/delivery.js';
import type { ScenarioEngine } from '../scenario/scenario.js';
import type { Connection } from '../server/connection.js';
import type { Guard } from '../server/guard.js';
import type { MessageStore } from '../store/message-store.js';
import type { Logger } from '../util/logger.js';
import type { CommitAnswers } from './commit-answers.js';
import type { ConcatGroups } from './concat-groups.js';

export type { Connection };
export type Req = Pdu & { sequence_number: number };

export interface HandlerContext {
  readonly store: Pick<
    MessageStore,
    | 'allocateId'
    | 'insert'
    | 'afterCommit'
    | 'findReplaceable'
    | 'findCancellable'
    | 'findBroadcasts'
    | 'byIdWithMulti'
    | 'replace'
  >;
  readonly accounts: Pick<Accounts, 'authenticate' | 'ownerOf'>;
  readonly scenario: Pick<ScenarioEngine, 'decide' | 'needsText'>;
  readonly delivery: Pick<Delivery, 'schedule' | 'enqueue' | 'finalize' | 'planned' | 'dropPlan'>;
  readonly metrics: Pick<Metrics, 'accepted'>;
  /** delivery pending flags (set_dpf) */
  readonly alerts: Pick<Alerts, 'requested'>;
  readonly log: Logger;
  /** failed binds throttled (per source address and system_id) */
  readonly guard: {
    readonly bindFailures: Pick<Guard['bindFailures'], 'lockedOut' | 'failed' | 'succeeded' | 'maxDelayMs'>;
  };
  /** open concatenation groups */
  readonly groups: ConcatGroups;
  /** the sessions answered in a commit's callbacks, written after it */
  readonly answers: Pick<CommitAnswers, 'answered'>;
  /** validity when a submit gives none */
  readonly defaultValidityMs: number;
  /** the seeded generator (fault injection) */
  random(): number;
  faultsFor(systemId: string | null): FaultConfig | undefined;
  /** takes a token of the account's TPS bucket: false when the account is over its rate */
  takeToken(systemId: string, tps: number, now: number): boolean;
  /** runs fn after about ms (on the sweep); at once when ms <= 0 */
  defer(ms: number, fn: () => void): void;
  /** after a successful bind: account and bind type are set on the connection */
  bound(conn: Connection): void;
}
