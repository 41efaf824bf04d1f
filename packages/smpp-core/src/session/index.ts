// The session engine of @smppkit/core: state table, window, sequence numbers, clock, write batching, Session.
export type { SessionState, SessionRole, BindType, BindCommand, RuledCommand } from './states.js';
export { SEND_RULES, BIND_STATE, maySend, mayReceive, refusalStatus, isBound } from './states.js';
export type { Clock } from './clock.js';
export { systemClock, ManualClock } from './clock.js';
export { SequenceGenerator, MIN_SEQUENCE, MAX_SEQUENCE } from './sequence.js';
export { Window } from './window.js';
export { WriteBatcher } from './write-batcher.js';
export type { WritableTarget } from './write-batcher.js';
export type { Logger, LogFn } from './logger.js';
export { silentLogger } from './logger.js';
export { SessionError } from './errors.js';
export type { SessionErrorCode } from './errors.js';
export { Session } from './session.js';
export type { SessionOptions, WriteTiming } from './options.js';
export type { SessionEvents, SessionStats, BindOptions, CloseReason, TraceHook, RequestInput, ResponseNameOf, ResponseTo, ResponseFields, ResponseFieldsFor, ReceivedPdu, SendInput } from './api.js';
export { refusalOf, decodeErrorAction } from './refusal.js';
export type { Answer, DecodeErrorAction } from './refusal.js';
