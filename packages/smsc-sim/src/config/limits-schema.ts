// The config tables of the security and limits sections: failed binds throttled, what a peer may cost before and
// after its bind. Defaults let a test suite's few wrong passwords through unhurt (the first failure from a source
// is answered at once, 20 in a row lock it out for a minute).
import { defaultsOf, type Field, type FieldsOf, int, section, withDefault } from './fields.js';
import type { BindFailureConfig, LimitsConfig, SecurityConfig } from './types.js';

const MS = 2 ** 31;

export const BIND_FAILURE_FIELDS: FieldsOf<BindFailureConfig> = {
  delayMs: withDefault(
    int(0, 60_000, 'the answer to the n-th failed bind of a source or system_id waits (n-1) × this long'),
    100,
  ),
  maxDelayMs: withDefault(int(0, 600_000, 'the longest such wait'), 3000),
  lockoutAfter: withDefault(
    int(
      0,
      1_000_000,
      'after this many failed binds (a source or a system_id, none lockoutMs apart) its binds are refused ESME_RBINDFAIL at once and the connection closed, for lockoutMs; 0 = never',
    ),
    20,
  ),
  lockoutMs: withDefault(int(1, MS, 'how long a lockout lasts; failures this long ago are forgotten'), 60_000),
};

export const SECURITY_FIELDS: FieldsOf<SecurityConfig> = {
  bindFailures: withDefault(
    section(BIND_FAILURE_FIELDS, 'failed binds: a growing delay, then a lockout', {
      fill: true,
      unknown: 'unknown bindFailures setting',
    }),
    defaultsOf(BIND_FAILURE_FIELDS) as BindFailureConfig,
  ),
};

export const LIMITS_FIELDS: FieldsOf<LimitsConfig> = {
  unboundPerSource: withDefault(
    int(
      0,
      1_000_000,
      'connections not (yet) bound per source address; more are closed at accept; 0 = no limit (the default lets a load generator open thousands of binds at once from one host: lower it on an exposed port)',
    ),
    10_000,
  ),
  maxPendingWriteBytes: withDefault(
    int(16_384, 2 ** 30, 'bytes queued for a bound peer that does not read before reading from it stops'),
    4 * 1024 * 1024,
  ),
  unboundPendingWriteBytes: withDefault(int(16_384, 2 ** 30, 'the same before a bind'), 64 * 1024),
  unboundPdusPerTurn: withDefault(
    int(
      1,
      1_000_000,
      'PDUs read from all connections not bound, together, per event-loop turn and per ms (bound sessions get the rest)',
    ),
    16,
  ),
};

export const SECURITY: Field<SecurityConfig> = section(SECURITY_FIELDS, 'protection against bind guessing', {
  fill: true,
  unknown: 'unknown security setting',
});
export const LIMITS: Field<LimitsConfig> = section(LIMITS_FIELDS, 'what one peer may cost', {
  fill: true,
  unknown: 'unknown limits setting',
});
