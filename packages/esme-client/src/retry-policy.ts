// The retry table: for each command_status, whether a submit is retried, how often, after what back-off,
// and whether the whole bind slows down. One table; everything else reads it.
import { CommandStatus } from '@smppkit/core';
import { backoffDelay } from './backoff.js';
import { ConfigError } from './errors.js';

export interface RetryRule {
  /** Total attempts including the first (1 = never retry). */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Pause the whole bind for the back-off (the SMSC says "too fast"), not only this request. */
  throttle: boolean;
}

/** command_status → rule. Statuses not in the table are final (no retry). */
export type RetryTable = Record<number, RetryRule>;

export const DEFAULT_RETRY_TABLE: RetryTable = {
  [CommandStatus.ESME_RTHROTTLED]: { maxAttempts: 10, initialDelayMs: 200, maxDelayMs: 10_000, throttle: true },
  [CommandStatus.ESME_RMSGQFUL]: { maxAttempts: 10, initialDelayMs: 1_000, maxDelayMs: 30_000, throttle: true },
  [CommandStatus.ESME_RSYSERR]: { maxAttempts: 3, initialDelayMs: 500, maxDelayMs: 5_000, throttle: false },
};

/**
 * User overrides: keyed by status number or name ('ESME_RTHROTTLED'); a value of `false` removes the rule,
 * a partial rule is merged over the default (or over { maxAttempts: 3, 500 ms, 10 s, no throttle }).
 */
export type RetryOverrides = Record<string | number, Partial<RetryRule> | false>;

export function buildRetryTable(overrides: RetryOverrides = {}): RetryTable {
  const table: RetryTable = { ...DEFAULT_RETRY_TABLE };
  for (const [key, value] of Object.entries(overrides)) {
    const status = statusFromKey(key);
    if (value === false) {
      delete table[status];
      continue;
    }
    const base = table[status] ?? { maxAttempts: 3, initialDelayMs: 500, maxDelayMs: 10_000, throttle: false };
    const rule = { ...base, ...value };
    if (!Number.isInteger(rule.maxAttempts) || rule.maxAttempts < 1)
      throw new ConfigError(`retry[${key}].maxAttempts '${rule.maxAttempts}' is not an integer >= 1`);
    if (!(rule.initialDelayMs >= 0) || !(rule.maxDelayMs >= rule.initialDelayMs)) {
      throw new ConfigError(
        `retry[${key}] delays '${rule.initialDelayMs}'..'${rule.maxDelayMs}' ms are not 0 <= initial <= max`,
      );
    }
    table[status] = rule;
  }
  return table;
}

function statusFromKey(key: string): number {
  if (/^(0x[0-9a-f]+|\d+)$/i.test(key)) return Number(key);
  const value = (CommandStatus as unknown as Record<string, number>)[key];
  if (typeof value !== 'number')
    throw new ConfigError(`retry table key '${key}' is not a command_status number or name`);
  return value;
}

export interface RetryDecision {
  retry: boolean;
  delayMs: number;
  throttle: boolean;
}

/** After attempt number `attempt` failed with `status`: retry? after how long? */
export function decideRetry(
  table: RetryTable,
  status: number,
  attempt: number,
  random: () => number = Math.random,
): RetryDecision {
  const rule = table[status];
  if (!rule || attempt >= rule.maxAttempts) return { retry: false, delayMs: 0, throttle: false };
  return {
    retry: true,
    delayMs: backoffDelay(
      attempt,
      { initialDelayMs: rule.initialDelayMs, maxDelayMs: rule.maxDelayMs, factor: 2, jitter: 0.5 },
      random,
    ),
    throttle: rule.throttle,
  };
}
