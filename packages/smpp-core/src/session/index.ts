// The session engine of @smppkit/core: state table, window, sequence numbers, clock, write batching, Session.

export type {
  BindOptions,
  CloseReason,
  ReceivedPdu,
  RequestInput,
  ResponseFields,
  ResponseFieldsFor,
  ResponseNameOf,
  ResponseTo,
  SendInput,
  SessionEvents,
  SessionStats,
  TraceHook,
} from './api.js';
export type { Clock } from './clock.js';
export { ManualClock, systemClock } from './clock.js';
export type { SessionErrorCode } from './errors.js';
export { SessionError } from './errors.js';
export type { LogFn, Logger } from './logger.js';
export { silentLogger } from './logger.js';
export type { ReadHooks, SessionOptions, WriteTiming } from './options.js';
export type { Answer, DecodeErrorAction } from './refusal.js';
export { decodeErrorAction, refusalOf } from './refusal.js';
export { SeqTable } from './seq-table.js';
export { MAX_SEQUENCE, MIN_SEQUENCE, SequenceGenerator } from './sequence.js';
export { Session } from './session.js';
export type { BindCommand, BindType, RuledCommand, SessionRole, SessionState } from './states.js';
export { BIND_STATE, isBound, mayReceive, maySend, refusalStatus, SEND_RULES } from './states.js';
export { TurnBudget } from './turn-budget.js';
export { type Done, Window } from './window.js';
export type { WritableTarget } from './write-batcher.js';
export { WriteBatcher } from './write-batcher.js';
