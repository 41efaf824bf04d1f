// The simulator's configuration types. Each key has its field (check, default, documentation) in schema.ts; the
// compiler holds the two together (FieldsOf). Bind types and message states are @smppkit/core's.
import { BIND_STATE, type BindType, commandByName, MessageState, type Strictness } from '@smppkit/core';
import type { Delay } from './delay.js';

export type { BindType };
/** transmitter, receiver, transceiver: core's bind commands without their `bind_` */
export const BIND_TYPES = Object.keys(BIND_STATE).map((c) => c.slice('bind_'.length)) as BindType[];

/** Message states by their spec names (numbers: core's MessageState). */
export type StateName = keyof typeof MessageState;
export const STATE_NAMES = Object.keys(MessageState) as StateName[];
/** States a scenario may give as a message's fate. */
export const OUTCOME_STATES: readonly StateName[] = [
  'DELIVERED',
  'UNDELIVERABLE',
  'EXPIRED',
  'REJECTED',
  'DELETED',
  'ACCEPTED',
  'UNKNOWN',
];

/** The longest value of a bind's C-string field (its size in core's command table, less the NUL). */
export function bindFieldMax(name: 'system_id' | 'password'): number {
  const f = commandByName.get('bind_transmitter')!.body.find((x) => x.name === name);
  return (f as { max: number }).max - 1;
}

/** How an account's receipts and message ids look: the variants real SMSCs send (not core's ReceiptDialect, which it picks from). */
export interface ReceiptStyle {
  idFormat: 'decimal' | 'hex';
  receiptIdFormat?: 'decimal' | 'hex';
  dateDigits: 10 | 12;
  content: 'text+tlv' | 'tlv' | 'text';
  lowerCaseKeys: boolean;
}

export interface FaultConfig {
  delayFraction?: number;
  delayMs?: number;
  dropFraction?: number;
  errorFraction?: number;
  errorStatus?: number;
  genericNackFraction?: number;
  unbindAfterPdus?: number;
  disconnectAfterPdus?: number;
  disconnectFraction?: number;
  stopReadingMs?: number;
  malformedFraction?: number;
}

export interface AccountConfig {
  systemId: string;
  password: string;
  bindTypes: BindType[];
  maxBinds: number;
  tps: number;
  window: number;
  sourceAddresses: string[];
  numbers: string[];
  receipt: ReceiptStyle;
  /** how this account's PDUs are decoded once it is bound (the bind itself is read strictly) */
  strictness: Strictness;
  faults?: FaultConfig;
}

export interface RuleMatch {
  systemId?: string;
  destination?: string;
  destinationRegex?: string;
  source?: string;
  text?: string;
}

export interface RuleResponse {
  status?: number;
  delayMs?: Delay;
}
export interface RuleOutcome {
  state?: StateName;
  err?: number;
  delayMs?: Delay;
}

export interface Rule {
  name?: string;
  match?: RuleMatch;
  probability?: number;
  response?: RuleResponse;
  outcome?: RuleOutcome;
}

export interface OutbindTarget {
  host: string;
  port: number;
  systemId: string;
  password: string;
}

export interface TlsConfig {
  port: number;
  cert: string;
  key: string;
}

/** Failed binds, per source address and per system_id: a growing delay before the answer, then a lockout. */
export interface BindFailureConfig {
  delayMs: number;
  maxDelayMs: number;
  lockoutAfter: number;
  lockoutMs: number;
}

export interface SecurityConfig {
  bindFailures: BindFailureConfig;
}

/** What one peer may cost: connections before a bind, bytes queued for it, its share of the server's turns. */
export interface LimitsConfig {
  unboundPerSource: number;
  maxPendingWriteBytes: number;
  unboundPendingWriteBytes: number;
  unboundPdusPerTurn: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** 'auto': one readable line per event when stdout is a terminal, JSON lines otherwise. */
export type LogFormat = 'auto' | 'pretty' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['auto', 'pretty', 'json'];

/** Where messages are kept: in memory, or in a SQLite file. */
export type StoreSetting =
  | 'memory'
  | {
      path: string;
      /** messages above the settled mark from which it moves up under load too (store/settled.ts; default 1,000,000) */
      settleBacklog?: number;
    };

export interface SimConfig {
  host: string;
  port: number;
  httpHost: string;
  /** null = no HTTP API */
  httpPort: number | null;
  /** the token the admin API requires; unset = none (allowed on a loopback httpHost only) */
  apiToken?: string;
  store: StoreSetting;
  seed: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  idleTimeoutMs: number;
  deliveryRetryMs: number;
  deliveryWindow: number;
  deliveryQueueLimit: number;
  defaultDelayMs: Delay;
  defaultValidityMs: number;
  tls?: TlsConfig;
  accounts: AccountConfig[];
  rules: Rule[];
  faults?: FaultConfig;
  outbind: OutbindTarget[];
  receipt: ReceiptStyle;
  security: SecurityConfig;
  limits: LimitsConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
