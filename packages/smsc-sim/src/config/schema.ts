// The config file, one table per section: each key's check, default and documentation. Key sets, defaults, error
// messages and the JSON Schema (config.schema.json) all derive from these tables.
import { RECEIPT_STAT } from '@smppkit/core';
import {
  defaultsOf,
  delay,
  either,
  type Field,
  type FieldsOf,
  fraction,
  int,
  isObj,
  list,
  oneOf,
  patterns,
  regex,
  required,
  section,
  setOf,
  show,
  str,
  stringOrRegex,
  withDefault,
} from './fields.js';
import { LIMITS, LIMITS_FIELDS, SECURITY, SECURITY_FIELDS } from './limits-schema.js';
import { commandStatus } from './status-field.js';
import { STORE } from './store-schema.js';
import {
  type AccountConfig,
  BIND_TYPES,
  bindFieldMax,
  type FaultConfig,
  type LimitsConfig,
  LOG_FORMATS,
  OUTCOME_STATES,
  type OutbindTarget,
  type ReceiptStyle,
  type Rule,
  type RuleMatch,
  type RuleOutcome,
  type RuleResponse,
  type SecurityConfig,
  type SimConfig,
  STATE_NAMES,
  type StateName,
  type TlsConfig,
} from './types.js';

const PORT = (doc: string) => int(0, 65535, doc);
const MS = 2 ** 31;

const QUEUE_LIMIT_DOC =
  'deliver_sm owed per account held in memory at most (besides those in flight); the rest wait in the store and are read back in pages';

export const RECEIPT_FIELDS: FieldsOf<ReceiptStyle> = {
  idFormat: withDefault(
    oneOf(['decimal', 'hex'], 'message ids in submit_sm_resp: decimal digits or lower-case hex'),
    'hex',
  ),
  receiptIdFormat: oneOf(
    ['decimal', 'hex'],
    'ids in the receipt (text id: and receipted_message_id); default: as idFormat',
  ),
  dateDigits: withDefault(oneOf([10, 12], 'dates in the receipt text: YYMMDDhhmm (10) or YYMMDDhhmmss (12)'), 10),
  content: withDefault(
    oneOf(
      ['text+tlv', 'tlv', 'text'],
      'what carries the receipt: text and TLVs, TLVs only (empty short_message), or text only',
    ),
    'text+tlv',
  ),
  lowerCaseKeys: withDefault(
    oneOf([true, false], "'Text:' as in the v3.4 example, or every key lower case ('text:')"),
    false,
  ),
};
const receipt = (doc: string) => section(RECEIPT_FIELDS, doc, { fill: true, unknown: 'unknown receipt setting' });

export const FAULT_FIELDS: FieldsOf<FaultConfig> = {
  delayFraction: fraction('fraction (0..1) of responses delayed by delayMs'),
  delayMs: int(0, 3_600_000, 'delay of a delayed response (default 1000)'),
  dropFraction: fraction('fraction of requests left unanswered'),
  errorFraction: fraction('fraction of requests answered with errorStatus'),
  errorStatus: commandStatus('command_status of an error response (default ESME_RSYSERR)'),
  genericNackFraction: fraction('fraction of requests answered with generic_nack (ESME_RSYSERR)'),
  unbindAfterPdus: int(1, MS, 'send unbind after this many received requests (per session, the bind included)'),
  disconnectAfterPdus: int(
    1,
    MS,
    'destroy the TCP connection on this received request (per session, the bind included)',
  ),
  disconnectFraction: fraction('fraction of received PDUs after which the TCP connection is destroyed'),
  stopReadingMs: int(
    0,
    3_600_000,
    'stop reading from the socket (backpressure) for this many ms after each bind; 0 = off',
  ),
  malformedFraction: fraction('fraction of responses replaced by a malformed PDU'),
};
const faults = (doc: string) => section(FAULT_FIELDS, doc, { unknown: 'unknown fault' });

export const ACCOUNT_FIELDS: FieldsOf<AccountConfig> = {
  systemId: required(str('the system_id the ESME binds with', { min: 1, max: bindFieldMax('system_id') })),
  password: required(str('the password the ESME binds with', { min: 0, max: bindFieldMax('password') })),
  bindTypes: withDefault(setOf(BIND_TYPES, 'the bind types allowed'), [...BIND_TYPES]),
  maxBinds: withDefault(int(1, 100_000, 'sessions bound at once at most'), 10),
  tps: withDefault(int(0, 10_000_000, 'submits per second; 0 = unlimited (excess: ESME_RTHROTTLED)'), 0),
  window: withDefault(
    int(1, 100_000, 'outstanding (unanswered) requests per session at most (excess: ESME_RMSGQFUL)'),
    1000,
  ),
  sourceAddresses: withDefault(
    patterns("allowed source addresses: exact, prefix ending in '*', or /regex/; empty = any"),
    [],
  ),
  numbers: withDefault(
    patterns('numbers this account owns (exact, prefix*, /regex/): messages to them are delivered to it'),
    [],
  ),
  receipt: withDefault(receipt("how this account's receipts and message ids look"), defaultStyle()),
  strictness: withDefault(
    oneOf(
      ['strict', 'lenient'],
      'decoding once bound: strict refuses a C-string over its spec maximum; lenient accepts it (counted), to test a sloppy ESME',
    ),
    'strict',
  ),
  faults: faults('fault injection for this account'),
};

export const MATCH_FIELDS: FieldsOf<RuleMatch> = {
  systemId: str('the submitting account'),
  destination: str('destination prefix'),
  destinationRegex: regex('destination regex (source text, no slashes)'),
  source: str('source address'),
  text: stringOrRegex('substring the text must contain, or /regex/'),
};

export const RESPONSE_FIELDS: FieldsOf<RuleResponse> = {
  status: commandStatus('command_status of the submit response (0 = accept)'),
  delayMs: delay('delay before the submit response is sent'),
};

/** receipt stat texts (DELIVRD, UNDELIV, …) accepted for the state names */
const STAT_ALIASES = Object.fromEntries(
  STATE_NAMES.map((s, n) => [RECEIPT_STAT[n], s] as const).filter(([stat, s]) => stat !== s),
) as Record<string, StateName>;

export const OUTCOME_FIELDS: FieldsOf<RuleOutcome> = {
  state: oneOf(
    OUTCOME_STATES,
    'the final state the message reaches (receipt stats such as UNDELIV are accepted too)',
    STAT_ALIASES,
  ),
  err: int(0, 0xffff, 'the err code of the receipt'),
  delayMs: delay('after how long the message reaches it (default: defaultDelayMs)'),
};

export const RULE_FIELDS: FieldsOf<Rule> = {
  name: str('shown in the message history'),
  match: section(MATCH_FIELDS, 'what a message must be to take this rule (all keys must hold)', {
    unknown: 'unknown match key',
  }),
  probability: fraction('chance (0..1) that a matching message takes this rule; otherwise the next rules are tried'),
  response: section(RESPONSE_FIELDS, 'the submit response', { unknown: 'unknown response setting' }),
  outcome: section(OUTCOME_FIELDS, "the message's fate", { unknown: 'unknown outcome setting' }),
};

/** The same section, its errors naming the item by its `name` key when it has one (`… (rule "slow")`). */
function named<T>(f: Field<T>, what: string): Field<T> {
  return {
    ...f,
    read(v, path, errors) {
      const before = errors.length;
      const out = f.read(v, path, errors);
      const name = isObj(v) && typeof v.name === 'string' ? v.name : undefined;
      if (name !== undefined) for (let i = before; i < errors.length; i++) errors[i] += ` (${what} ${show(name)})`;
      return out;
    },
  };
}

export const RULE = named(
  section(RULE_FIELDS, 'a scenario rule: the first whose match holds decides', { unknown: 'unknown rule setting' }),
  'rule',
);

export const TLS_FIELDS: FieldsOf<TlsConfig> = {
  port: required(PORT('TLS listen port (0 = any free port)')),
  cert: required(str('certificate file (PEM)')),
  key: required(str('private key file (PEM)')),
};

export const OUTBIND_FIELDS: FieldsOf<OutbindTarget> = {
  host: withDefault(str('the ESME host'), '127.0.0.1'),
  port: required(int(1, 65535, 'the ESME port')),
  systemId: withDefault(str('system_id sent in outbind'), ''),
  password: withDefault(str('password sent in outbind'), ''),
};

const ACCOUNT = section(ACCOUNT_FIELDS, 'an account', { fill: true, unknown: 'unknown account setting' });
const OUTBIND = section(OUTBIND_FIELDS, 'an ESME to connect to and send outbind', {
  fill: true,
  unknown: 'unknown outbind setting',
});

const HTTP_PORT = either<number | null>(
  'HTTP admin API port (0 = any free port); null or false = no HTTP API',
  [
    { test: (v) => v === null || v === false, value: () => null, schema: { enum: [null, false] } },
    {
      test: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535,
      value: (v) => v as number,
      schema: { type: 'integer', minimum: 0, maximum: 65535 },
    },
  ],
  'an integer in 0..65535, null or false',
);

export const TOP_FIELDS: FieldsOf<SimConfig> = {
  host: withDefault(str('SMPP listen address'), '127.0.0.1'),
  port: withDefault(PORT('SMPP port (0 = any free port)'), 2775),
  httpHost: withDefault(str('HTTP admin API listen address'), '127.0.0.1'),
  httpPort: withDefault(HTTP_PORT, 8775),
  apiToken: str(
    'token the admin API requires (Authorization: Bearer …) on every route but /api/health; required when httpHost is not a loopback address (also --api-token, SMSC_API_TOKEN)',
    { min: 8, max: 1024 },
  ),
  store: withDefault(STORE, { path: 'data/smsc.db' }),
  seed: withDefault(int(0, 2 ** 32 - 1, 'seed of the scenario engine and of fault injection'), 1),
  logLevel: withDefault(
    oneOf(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'pino log level; debug adds a per-session PDU trace',
    ),
    'info',
  ),
  logFormat: withDefault(
    oneOf(LOG_FORMATS, 'log lines: pretty (one line per event, ISO time), json, or auto (pretty on a terminal)'),
    'auto',
  ),
  idleTimeoutMs: withDefault(int(0, MS, 'close sessions idle (nothing received) this long; 0 = never'), 300_000),
  deliveryRetryMs: withDefault(
    int(10, MS, 'receipts and MO deliveries not acknowledged within this time are retried'),
    10_000,
  ),
  deliveryWindow: withDefault(int(1, 10_000, 'deliver_sm (receipts, MO) outstanding per session at most'), 200),
  deliveryQueueLimit: withDefault(int(10, 10_000_000, QUEUE_LIMIT_DOC), 1000),
  defaultDelayMs: withDefault(delay('receipt delay when no rule says otherwise'), 100),
  defaultValidityMs: withDefault(int(1000, 2 ** 40, 'validity when the submit gives none'), 48 * 3600_000),
  tls: section(TLS_FIELDS, 'also listen with TLS', { unknown: 'unknown tls setting' }),
  accounts: withDefault(
    list(ACCOUNT, 'who may bind; none = the open mode (any system_id, loopback only)', uniqueSystemIds),
    [],
  ),
  rules: withDefault(list(RULE, 'the scenario: each message takes the first rule that matches'), []),
  faults: faults('fault injection for every account without its own'),
  outbind: withDefault(list(OUTBIND, 'ESMEs to outbind at start'), []),
  receipt: withDefault(
    receipt('receipt style for accounts that do not set one (and for the open mode)'),
    defaultStyle(),
  ),
  security: withDefault(SECURITY, defaultsOf(SECURITY_FIELDS) as SecurityConfig),
  limits: withDefault(LIMITS, defaultsOf(LIMITS_FIELDS) as LimitsConfig),
};

function uniqueSystemIds(accounts: AccountConfig[], path: string, errors: string[]): void {
  const seen = new Set<string>();
  for (const [i, a] of accounts.entries()) {
    if (seen.has(a.systemId)) errors.push(`${path}[${i}].systemId: ${JSON.stringify(a.systemId)} is configured twice`);
    seen.add(a.systemId);
  }
}

/** the receipt style of an account that sets none: the defaults of RECEIPT_FIELDS */
export function defaultStyle(): ReceiptStyle {
  return defaultsOf(RECEIPT_FIELDS) as ReceiptStyle;
}
