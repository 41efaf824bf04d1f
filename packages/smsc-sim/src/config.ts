// The simulator's configuration: its shape, its defaults, loading from YAML/JSON, and validation with
// messages that name the field and the value.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { delayError, type Delay } from './random.js';

export const BIND_TYPES = ['transmitter', 'receiver', 'transceiver'] as const;
export type BindType = (typeof BIND_TYPES)[number];

/** Final and intermediate message states by their spec names (numbers come from @smppkit/core's MessageState). */
export const STATE_NAMES = [
  'SCHEDULED', 'ENROUTE', 'DELIVERED', 'EXPIRED', 'DELETED', 'UNDELIVERABLE', 'ACCEPTED', 'UNKNOWN', 'REJECTED', 'SKIPPED',
] as const;
export type StateName = (typeof STATE_NAMES)[number];
/** States a scenario may give as a message's fate. */
export const OUTCOME_STATES: readonly StateName[] = ['DELIVERED', 'UNDELIVERABLE', 'EXPIRED', 'REJECTED', 'DELETED', 'ACCEPTED', 'UNKNOWN'];

/** How an account's receipts look: the variants real SMSCs send. */
export interface ReceiptDialect {
  /** message ids in submit_sm_resp: decimal digits or lower-case hex. */
  idFormat: 'decimal' | 'hex';
  /** ids in the receipt (text id: and receipted_message_id); default: as idFormat. */
  receiptIdFormat?: 'decimal' | 'hex';
  /** dates in the receipt text: YYMMDDhhmm (10) or YYMMDDhhmmss (12). */
  dateDigits: 10 | 12;
  /** what carries the receipt: text and TLVs, TLVs only (empty short_message), or text only. */
  content: 'text+tlv' | 'tlv' | 'text';
  /** 'Text:' as in the v3.4 example, or every key lower case ('text:'). */
  lowerCaseKeys: boolean;
}

export interface FaultConfig {
  /** fraction (0..1) of responses delayed by delayMs */
  delayFraction?: number;
  delayMs?: number;
  /** fraction of requests left unanswered */
  dropFraction?: number;
  /** fraction of requests answered with errorStatus */
  errorFraction?: number;
  errorStatus?: number;
  /** fraction of requests answered with generic_nack (ESME_RSYSERR) */
  genericNackFraction?: number;
  /** send unbind after this many received requests (per session, the bind included) */
  unbindAfterPdus?: number;
  /** destroy the TCP connection on this received request (per session, the bind included) */
  disconnectAfterPdus?: number;
  /** fraction of received PDUs after which the TCP connection is destroyed */
  disconnectFraction?: number;
  /** stop reading from the socket (backpressure) for this many ms after each bind; 0 = off */
  stopReadingMs?: number;
  /** fraction of responses replaced by a malformed PDU */
  malformedFraction?: number;
}

export interface AccountConfig {
  systemId: string;
  password: string;
  bindTypes: BindType[];
  maxBinds: number;
  /** submits per second; 0 = unlimited */
  tps: number;
  /** max outstanding (unanswered) requests from this account's session; excess → ESME_RMSGQFUL */
  window: number;
  /** allowed source addresses: exact, prefix ending in '*', or /regex/; empty = any */
  sourceAddresses: string[];
  /** numbers this account owns: exact, prefix ending in '*', or /regex/; messages to them are delivered to it */
  numbers: string[];
  receipt: ReceiptDialect;
  faults?: FaultConfig;
}

export interface RuleMatch {
  systemId?: string;
  /** destination prefix */
  destination?: string;
  /** destination regex (source text, no slashes) */
  destinationRegex?: string;
  source?: string;
  /** substring the text must contain, or /regex/ */
  text?: string;
}

export interface Rule {
  name?: string;
  match?: RuleMatch;
  /** chance (0..1) that a matching message takes this rule; otherwise the next rules are tried */
  probability?: number;
  /** the submit response: a command_status (0 = accept) and a delay before it is sent */
  response?: { status?: number; delayMs?: Delay };
  /** the message's fate: its final state, err code, and when it reaches it */
  outcome?: { state?: StateName; err?: number; delayMs?: Delay };
}

export interface OutbindTarget {
  host: string;
  port: number;
  systemId: string;
  password: string;
}

export interface SimConfig {
  host: string;
  port: number;
  httpHost: string;
  /** 0 = any free port; null = no HTTP API */
  httpPort: number | null;
  /** SQLite file, or 'memory' */
  store: 'memory' | { path: string };
  seed: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** close sessions idle (nothing received) this long; 0 = never */
  idleTimeoutMs: number;
  /** receipts and MO deliveries not acknowledged within this time are retried */
  deliveryRetryMs: number;
  /** deliver_sm (receipts, MO) outstanding per session at most, unanswered by the ESME */
  deliveryWindow: number;
  /** default receipt delay when no rule says otherwise */
  defaultDelayMs: Delay;
  /** validity when the submit gives none */
  defaultValidityMs: number;
  tls?: { port: number; cert: string; key: string };
  accounts: AccountConfig[];
  rules: Rule[];
  faults?: FaultConfig;
  outbind: OutbindTarget[];
  /** receipt dialect for accounts that do not set one (and for the open mode without accounts) */
  receipt: ReceiptDialect;
}

export const DEFAULT_DIALECT: ReceiptDialect = { idFormat: 'hex', dateDigits: 10, content: 'text+tlv', lowerCaseKeys: false };

export function defaultConfig(): SimConfig {
  return {
    host: '127.0.0.1',
    port: 2775,
    httpHost: '127.0.0.1',
    httpPort: 8775,
    store: { path: 'data/smsc.db' },
    seed: 1,
    logLevel: 'info',
    idleTimeoutMs: 300_000,
    deliveryRetryMs: 10_000,
    deliveryWindow: 200,
    defaultDelayMs: 100,
    defaultValidityMs: 48 * 3600_000,
    accounts: [],
    rules: [],
    outbind: [],
    receipt: { ...DEFAULT_DIALECT },
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => JSON.stringify(v);

/** Reads a YAML (.yaml/.yml) or JSON file and validates it; throws ConfigError naming the field and value. */
export function loadConfigFile(path: string): Partial<SimConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`config file ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(`config file ${path}: not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  return validateConfig(raw ?? {}, path);
}

const TOP_KEYS = new Set([
  'host', 'port', 'httpHost', 'httpPort', 'store', 'db', 'memory', 'seed', 'logLevel', 'idleTimeoutMs', 'deliveryRetryMs', 'deliveryWindow',
  'defaultDelayMs', 'defaultValidityMs', 'tls', 'accounts', 'rules', 'faults', 'outbind', 'receipt',
]);

/** Validates a parsed config object (from a file or from the programmatic API). */
export function validateConfig(raw: unknown, where = 'config'): Partial<SimConfig> {
  const errors: string[] = [];
  const out: Partial<SimConfig> = {};
  if (!isObj(raw)) throw new ConfigError(`${where}: expected an object, got ${show(raw)}`);
  for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) errors.push(`${k}: unknown setting (value ${show(raw[k])})`);

  const str = (field: string, v: unknown): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string') { errors.push(`${field}: ${show(v)} is not a string`); return undefined; }
    return v;
  };
  const int = (field: string, v: unknown, min: number, max: number): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      errors.push(`${field}: ${show(v)} is not an integer in ${min}..${max}`);
      return undefined;
    }
    return v;
  };
  const fraction = (field: string, v: unknown): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) { errors.push(`${field}: ${show(v)} is not a fraction in 0..1`); return undefined; }
    return v;
  };
  const delay = (field: string, v: unknown): Delay | undefined => {
    if (v === undefined) return undefined;
    const e = delayError(field, v);
    if (e) { errors.push(e); return undefined; }
    return v as Delay;
  };
  const patterns = (field: string, v: unknown): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) { errors.push(`${field}: ${show(v)} is not a list of strings`); return []; }
    for (const [i, p] of (v as string[]).entries()) {
      if (p.length > 1 && p.startsWith('/') && p.endsWith('/')) {
        try { new RegExp(p.slice(1, -1)); } catch { errors.push(`${field}[${i}]: ${show(p)} is not a valid regex`); }
      }
    }
    return v as string[];
  };
  const status = (field: string, v: unknown): number | undefined => int(field, v, 0, 0xffffffff);

  const faults = (field: string, v: unknown): FaultConfig | undefined => {
    if (v === undefined) return undefined;
    if (!isObj(v)) { errors.push(`${field}: ${show(v)} is not an object`); return undefined; }
    const f: FaultConfig = {};
    const known = new Set(['delayFraction', 'delayMs', 'dropFraction', 'errorFraction', 'errorStatus', 'genericNackFraction',
      'unbindAfterPdus', 'disconnectAfterPdus', 'disconnectFraction', 'stopReadingMs', 'malformedFraction']);
    for (const k of Object.keys(v)) if (!known.has(k)) errors.push(`${field}.${k}: unknown fault (value ${show(v[k])})`);
    f.delayFraction = fraction(`${field}.delayFraction`, v.delayFraction);
    f.delayMs = int(`${field}.delayMs`, v.delayMs, 0, 3_600_000);
    f.dropFraction = fraction(`${field}.dropFraction`, v.dropFraction);
    f.errorFraction = fraction(`${field}.errorFraction`, v.errorFraction);
    f.errorStatus = status(`${field}.errorStatus`, v.errorStatus);
    f.genericNackFraction = fraction(`${field}.genericNackFraction`, v.genericNackFraction);
    f.unbindAfterPdus = int(`${field}.unbindAfterPdus`, v.unbindAfterPdus, 1, 2 ** 31);
    f.disconnectAfterPdus = int(`${field}.disconnectAfterPdus`, v.disconnectAfterPdus, 1, 2 ** 31);
    f.disconnectFraction = fraction(`${field}.disconnectFraction`, v.disconnectFraction);
    f.stopReadingMs = int(`${field}.stopReadingMs`, v.stopReadingMs, 0, 3_600_000);
    f.malformedFraction = fraction(`${field}.malformedFraction`, v.malformedFraction);
    for (const k of Object.keys(f) as (keyof FaultConfig)[]) if (f[k] === undefined) delete f[k];
    return f;
  };

  const dialect = (field: string, v: unknown): ReceiptDialect | undefined => {
    if (v === undefined) return undefined;
    if (!isObj(v)) { errors.push(`${field}: ${show(v)} is not an object`); return undefined; }
    const d: ReceiptDialect = { ...DEFAULT_DIALECT };
    const known = new Set(['idFormat', 'receiptIdFormat', 'dateDigits', 'content', 'lowerCaseKeys']);
    for (const k of Object.keys(v)) if (!known.has(k)) errors.push(`${field}.${k}: unknown receipt setting (value ${show(v[k])})`);
    const oneOf = <T>(k: string, allowed: readonly T[]): T | undefined => {
      if (v[k] === undefined) return undefined;
      if (!allowed.includes(v[k] as T)) { errors.push(`${field}.${k}: ${show(v[k])} is not one of ${allowed.map((a) => show(a)).join(', ')}`); return undefined; }
      return v[k] as T;
    };
    d.idFormat = oneOf('idFormat', ['decimal', 'hex'] as const) ?? d.idFormat;
    const rid = oneOf('receiptIdFormat', ['decimal', 'hex'] as const);
    if (rid) d.receiptIdFormat = rid;
    d.dateDigits = oneOf('dateDigits', [10, 12] as const) ?? d.dateDigits;
    d.content = oneOf('content', ['text+tlv', 'tlv', 'text'] as const) ?? d.content;
    d.lowerCaseKeys = oneOf('lowerCaseKeys', [true, false] as const) ?? d.lowerCaseKeys;
    return d;
  };

  const set = <K extends keyof SimConfig>(k: K, v: SimConfig[K] | undefined) => { if (v !== undefined) out[k] = v; };
  set('host', str('host', raw.host));
  set('port', int('port', raw.port, 0, 65535));
  set('httpHost', str('httpHost', raw.httpHost));
  if (raw.httpPort === null || raw.httpPort === false) out.httpPort = null;
  else set('httpPort', int('httpPort', raw.httpPort, 0, 65535));
  if (raw.memory === true || raw.store === 'memory') out.store = 'memory';
  else if (raw.db !== undefined) { const p = str('db', raw.db); if (p) out.store = { path: p }; }
  else if (raw.store !== undefined) {
    if (isObj(raw.store) && typeof raw.store.path === 'string') out.store = { path: raw.store.path };
    else errors.push(`store: ${show(raw.store)} is not 'memory' or {path}`);
  }
  set('seed', int('seed', raw.seed, 0, 2 ** 32 - 1));
  if (raw.logLevel !== undefined) {
    const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
    if (typeof raw.logLevel === 'string' && levels.includes(raw.logLevel)) out.logLevel = raw.logLevel as SimConfig['logLevel'];
    else errors.push(`logLevel: ${show(raw.logLevel)} is not one of ${levels.join(', ')}`);
  }
  set('idleTimeoutMs', int('idleTimeoutMs', raw.idleTimeoutMs, 0, 2 ** 31));
  set('deliveryRetryMs', int('deliveryRetryMs', raw.deliveryRetryMs, 10, 2 ** 31));
  set('deliveryWindow', int('deliveryWindow', raw.deliveryWindow, 1, 10_000));
  set('defaultDelayMs', delay('defaultDelayMs', raw.defaultDelayMs));
  set('defaultValidityMs', int('defaultValidityMs', raw.defaultValidityMs, 1000, 2 ** 40));
  set('receipt', dialect('receipt', raw.receipt));
  set('faults', faults('faults', raw.faults));
  if (raw.tls !== undefined) {
    const t = raw.tls;
    if (!isObj(t)) errors.push(`tls: ${show(t)} is not an object {port, cert, key}`);
    else {
      const port = int('tls.port', t.port, 0, 65535);
      const cert = str('tls.cert', t.cert);
      const key = str('tls.key', t.key);
      if (port === undefined || !cert || !key) errors.push(`tls: needs port, cert and key (got ${show(t)})`);
      else out.tls = { port, cert, key };
    }
  }

  if (raw.accounts !== undefined) {
    if (!Array.isArray(raw.accounts)) errors.push(`accounts: ${show(raw.accounts)} is not a list`);
    else {
      const seen = new Set<string>();
      out.accounts = raw.accounts.map((a: unknown, i: number): AccountConfig => {
        const f = `accounts[${i}]`;
        if (!isObj(a)) { errors.push(`${f}: ${show(a)} is not an object`); return undefined as never; }
        const known = new Set(['systemId', 'password', 'bindTypes', 'maxBinds', 'tps', 'window', 'sourceAddresses', 'numbers', 'receipt', 'faults']);
        for (const k of Object.keys(a)) if (!known.has(k)) errors.push(`${f}.${k}: unknown account setting (value ${show(a[k])})`);
        const systemId = str(`${f}.systemId`, a.systemId);
        if (systemId === undefined || systemId.length === 0 || systemId.length > 15) errors.push(`${f}.systemId: ${show(a.systemId)} must be 1..15 characters`);
        else if (seen.has(systemId)) errors.push(`${f}.systemId: ${show(systemId)} is configured twice`);
        else seen.add(systemId);
        const password = str(`${f}.password`, a.password);
        if (password === undefined || password.length > 8) errors.push(`${f}.password: ${show(a.password)} must be a string of at most 8 characters`);
        let bindTypes: BindType[] = [...BIND_TYPES];
        if (a.bindTypes !== undefined) {
          if (!Array.isArray(a.bindTypes) || a.bindTypes.length === 0 || a.bindTypes.some((b) => !BIND_TYPES.includes(b as BindType)))
            errors.push(`${f}.bindTypes: ${show(a.bindTypes)} must be a non-empty list of ${BIND_TYPES.join(', ')}`);
          else bindTypes = a.bindTypes as BindType[];
        }
        const acc: AccountConfig = {
          systemId: systemId ?? '',
          password: password ?? '',
          bindTypes,
          maxBinds: int(`${f}.maxBinds`, a.maxBinds, 1, 100_000) ?? 10,
          tps: int(`${f}.tps`, a.tps, 0, 10_000_000) ?? 0,
          window: int(`${f}.window`, a.window, 1, 100_000) ?? 1000,
          sourceAddresses: patterns(`${f}.sourceAddresses`, a.sourceAddresses),
          numbers: patterns(`${f}.numbers`, a.numbers),
          receipt: dialect(`${f}.receipt`, a.receipt) ?? { ...DEFAULT_DIALECT },
        };
        const fa = faults(`${f}.faults`, a.faults);
        if (fa) acc.faults = fa;
        return acc;
      });
    }
  }

  if (raw.rules !== undefined) {
    const r = validateRules(raw.rules, 'rules');
    if (Array.isArray(r)) out.rules = r;
    else errors.push(...r.errors);
  }

  if (raw.outbind !== undefined) {
    if (!Array.isArray(raw.outbind)) errors.push(`outbind: ${show(raw.outbind)} is not a list`);
    else {
      out.outbind = raw.outbind.map((o: unknown, i: number) => {
        const f = `outbind[${i}]`;
        if (!isObj(o)) { errors.push(`${f}: ${show(o)} is not an object`); return undefined as never; }
        const host = str(`${f}.host`, o.host) ?? '127.0.0.1';
        const port = int(`${f}.port`, o.port, 1, 65535);
        if (port === undefined) errors.push(`${f}.port: ${show(o.port)} is required`);
        return { host, port: port ?? 0, systemId: str(`${f}.systemId`, o.systemId) ?? '', password: str(`${f}.password`, o.password) ?? '' };
      });
    }
  }

  if (errors.length) throw new ConfigError(`${where}: ${errors.length === 1 ? errors[0] : '\n  ' + errors.join('\n  ')}`);
  return out;
}

/** Validates a rule list (config file, PUT /api/rules, setRules); returns the rules or the errors. */
export function validateRules(raw: unknown, field = 'rules'): Rule[] | { errors: string[] } {
  const errors: string[] = [];
  if (!Array.isArray(raw)) return { errors: [`${field}: ${show(raw)} is not a list`] };
  const rules = raw.map((r: unknown, i: number): Rule => {
    const f = `${field}[${i}]`;
    if (!isObj(r)) { errors.push(`${f}: ${show(r)} is not an object`); return {}; }
    for (const k of Object.keys(r)) if (!['name', 'match', 'probability', 'response', 'outcome'].includes(k)) errors.push(`${f}.${k}: unknown rule setting (value ${show(r[k])})`);
    const rule: Rule = {};
    if (r.name !== undefined) { if (typeof r.name === 'string') rule.name = r.name; else errors.push(`${f}.name: ${show(r.name)} is not a string`); }
    if (r.match !== undefined) {
      if (!isObj(r.match)) errors.push(`${f}.match: ${show(r.match)} is not an object`);
      else {
        const m: RuleMatch = {};
        for (const [k, v] of Object.entries(r.match)) {
          if (!['systemId', 'destination', 'destinationRegex', 'source', 'text'].includes(k)) { errors.push(`${f}.match.${k}: unknown match key (value ${show(v)})`); continue; }
          if (typeof v !== 'string') { errors.push(`${f}.match.${k}: ${show(v)} is not a string`); continue; }
          const re = k === 'destinationRegex' ? v : k === 'text' && v.length > 1 && v.startsWith('/') && v.endsWith('/') ? v.slice(1, -1) : null;
          if (re !== null) { try { new RegExp(re); } catch { errors.push(`${f}.match.${k}: ${show(v)} is not a valid regex`); continue; } }
          (m as Record<string, string>)[k] = v;
        }
        rule.match = m;
      }
    }
    if (r.probability !== undefined) {
      if (typeof r.probability !== 'number' || !(r.probability >= 0 && r.probability <= 1)) errors.push(`${f}.probability: ${show(r.probability)} is not a fraction in 0..1`);
      else rule.probability = r.probability;
    }
    if (r.response !== undefined) {
      if (!isObj(r.response)) errors.push(`${f}.response: ${show(r.response)} is not an object`);
      else {
        rule.response = {};
        const st = r.response.status;
        if (st !== undefined) {
          if (typeof st !== 'number' || !Number.isInteger(st) || st < 0 || st > 0xffffffff) errors.push(`${f}.response.status: ${show(st)} is not a command_status number`);
          else rule.response.status = st;
        }
        if (r.response.delayMs !== undefined) {
          const e = delayError(`${f}.response.delayMs`, r.response.delayMs);
          if (e) errors.push(e); else rule.response.delayMs = r.response.delayMs as Delay;
        }
      }
    }
    if (r.outcome !== undefined) {
      if (!isObj(r.outcome)) errors.push(`${f}.outcome: ${show(r.outcome)} is not an object`);
      else {
        rule.outcome = {};
        const o = r.outcome;
        if (o.state !== undefined) {
          const s = typeof o.state === 'string' ? o.state.toUpperCase() : o.state;
          const alias: Record<string, StateName> = { DELIVRD: 'DELIVERED', UNDELIV: 'UNDELIVERABLE', REJECTD: 'REJECTED', ACCEPTD: 'ACCEPTED' };
          const name = typeof s === 'string' ? alias[s] ?? s : s;
          if (!OUTCOME_STATES.includes(name as StateName)) errors.push(`${f}.outcome.state: ${show(o.state)} is not one of ${OUTCOME_STATES.join(', ')}`);
          else rule.outcome.state = name as StateName;
        }
        if (o.err !== undefined) {
          if (typeof o.err !== 'number' || !Number.isInteger(o.err) || o.err < 0 || o.err > 0xffff) errors.push(`${f}.outcome.err: ${show(o.err)} is not an integer in 0..65535`);
          else rule.outcome.err = o.err;
        }
        if (o.delayMs !== undefined) {
          const e = delayError(`${f}.outcome.delayMs`, o.delayMs);
          if (e) errors.push(e); else rule.outcome.delayMs = o.delayMs as Delay;
        }
      }
    }
    return rule;
  });
  return errors.length ? { errors } : rules;
}

/** Merges validated partial configs over the defaults (later wins). */
export function mergeConfig(...parts: Partial<SimConfig>[]): SimConfig {
  const c = defaultConfig();
  for (const p of parts) for (const [k, v] of Object.entries(p)) if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
  return c;
}
