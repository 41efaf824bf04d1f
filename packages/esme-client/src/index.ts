// Public API of @smppkit/esme-client.

export type { Address, DestinationOptions } from './address.js';
export { parseAddress, parseDestination } from './address.js';
export type { BackoffOptions } from './backoff.js';
export { backoffDelay } from './backoff.js';
export { parseCsv } from './bulk/csv.js';
export { compileTemplate, renderTemplate } from './bulk/template.js';
export type { ClientEvents, ConnectOptions, SubmitMultiResult, SubmitResult } from './client.js';
export { Client, connect } from './client.js';
export { type LoadHooks, runLoadTest } from './commands/load-run.js';
export type { LoadSetup } from './commands/load-setup.js';
export * from './errors.js';
export { LoadRun } from './load/generator.js';
export { HlogWriter, readHlog } from './load/hlog.js';
export { renderHtmlReport } from './load/html.js';
export { LatencyHistogram, type LatencySummary } from './load/latency.js';
export type { LoadResult } from './load/report.js';
export { mergeReports, reportTable } from './load/report.js';
export type { LoadOptions, LoadProgress, LoadReport, StopReason, SubmitFn, TimelineSample } from './load/types.js';
export type {
  EncodingName,
  PeerCapabilities,
  PreparedMessage,
  SubmitMessage,
  SubmitMultiMessage,
} from './message-builder.js';
export type { MoCounters, MoMessage } from './mo.js';
export { UndecodableMessageError } from './mo.js';
export type { NationalCode } from './national.js';
export { NATIONAL_LANGUAGES, parseNational } from './national.js';
export type { BindMode, ClientOptions } from './options.js';
export { defaultOptions, parseSmppUrl, resolveOptions } from './options.js';
export { pduView, redactedHex } from './pdu-view.js';
export type { PoolBind, PoolOptions } from './pool.js';
export { connectPool, Pool } from './pool.js';
export { TokenBucket } from './rate-limiter.js';
export type {
  DestinationOutcome,
  IdForm,
  LogicalReceipt,
  MatchOutcome,
  PartReceipt,
  ReceiptMatcherOptions,
  UnmatchedReason,
} from './receipt-matcher.js';
export { ReceiptMatcher, ReceiptTimeoutError } from './receipt-matcher.js';
export type { LinkState, ReconnectOptions } from './reconnect.js';
export { LINK_TRANSITIONS, ReconnectMachine } from './reconnect.js';
export type { RetryOverrides, RetryRule, RetryTable } from './retry-policy.js';
export { buildRetryTable, DEFAULT_RETRY_TABLE, decideRetry } from './retry-policy.js';
