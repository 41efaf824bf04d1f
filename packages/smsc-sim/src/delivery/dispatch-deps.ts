// What the dispatcher (dispatch.ts) is given: the store's outbox side, the counters it feeds, the delivery settings.
import type { StateName } from '../config/types.js';
import type { MessageStore } from '../store/message-store.js';
import type { Logger } from '../util/logger.js';
import type { OutboxPager } from './outbox-pager.js';

export interface DispatchDeps {
  store: Pick<MessageStore, 'committedThrough' | 'enqueueOutbox' | 'setOutboxStatus' | 'get'> &
    ConstructorParameters<typeof OutboxPager>[0];
  metrics: {
    /** `at`: when (epoch ms; now if not given) */
    receiptAcked(latencyMs: number, at?: number): void;
    /** an implicit transition planned (1) or dropped before its time (-1): counted when its time comes */
    implicitTransition(at: number, state: StateName, delta: 1 | -1): void;
    /** a message entered a state without a store write (an implicit transition whose time came) */
    stateEntered(state: StateName): void;
    /** every message forgotten: no planned implicit transition will happen */
    forgetPlanned(): void;
  };
  log: Logger;
  /** deliver_sm outstanding per session at most */
  deliveryWindow: number;
  /** a deliver_sm not acknowledged within this is sent again */
  deliveryRetryMs: number;
  /** deliver_sm held in memory per account at most (besides those in flight); the rest wait in the store */
  deliveryQueueLimit: number;
}
