// Client options: the one place where a URL or an options object becomes a complete, checked configuration.
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { ConfigError } from './errors.js';
import { type NationalCode, parseNational } from './national.js';
import type { ReconnectOptions } from './reconnect.js';
import type { RetryTable } from './retry-policy.js';

export type BindMode = 'transceiver' | 'transmitter' | 'receiver' | 'pair';

export interface ClientOptions {
  host: string;
  port: number;
  /** TLS: true for defaults, or node tls options (ca, rejectUnauthorized, …). */
  tls: false | TlsOptions;
  mode: BindMode;
  system_id: string;
  password: string;
  system_type: string;
  interface_version: number;
  addr_ton: number;
  addr_npi: number;
  address_range: string;
  /** Max outstanding requests per bind (the session window). */
  windowSize: number;
  /** Submits per second per bind (token bucket); 0 = unlimited. */
  rate: number;
  /** Token-bucket burst (tokens); default max(1, rate / 10). */
  burst: number;
  /**
   * What to do with requests that were on the wire when a connection dropped:
   * 'reject' (default) ends them with a DisconnectedError (maybeDelivered: true);
   * 'resubmit' sends them again after the rebind. Resubmission may DUPLICATE a message at the carrier,
   * because the carrier may have accepted it before the connection dropped.
   */
  inFlight: 'reject' | 'resubmit';
  /** Every submit ends within this time (queued, in flight and retried); 0 = no limit. */
  submitTimeoutMs: number;
  responseTimeoutMs: number;
  enquireLinkIntervalMs: number;
  /** The TCP (and TLS) connect, then the bind response, each within this (ms; default 10 000). */
  connectTimeoutMs: number;
  reconnect: ReconnectOptions;
  retry: Partial<RetryTable>;
  /** How long receipts are remembered for matching (ms). */
  receiptTtlMs: number;
  /** How long a message is remembered once all its receipts arrived, for late waitForReceipt calls and duplicates (ms). */
  receiptCompletedTtlMs: number;
  /** How receipts write the submit_sm_resp id: 'auto' (deduced), 'same', 'hexToDecimal', 'decimalToHex'. */
  receiptIdForm: 'auto' | 'same' | 'hexToDecimal' | 'decimalToHex';
  /**
   * Read receipts lazily: a receipt's id and stat at once (from its receipted_message_id and message_state TLVs
   * when it has them, without decoding its text), the text's other fields (sub, dlvrd, the dates, err, text) when
   * first read. Those are then getters (core's LazyReceipt), not own properties: a spread or Object.keys does not
   * show them; JSON.stringify and fields() do. Default false; esme load sets it (it only counts receipts).
   */
  lazyReceipts: boolean;
  /** MO concatenation: how long to wait for the missing parts (ms). */
  reassemblyTimeoutMs: number;
  /** MO concatenation: how long a delivered message is remembered so that a part resent after it is a duplicate (ms; 0 = not). */
  moDuplicateWindowMs: number;
  /** Split long text with 'udh' (default), 'sar' TLVs or one 'payload' (message_payload TLV). */
  split: 'udh' | 'sar' | 'payload';
  /**
   * National language shift tables outgoing text may use (GSM 7-bit with IEI 0x24/0x25 in the UDH), by code:
   * 'tr', 'es', 'pt', 'bn', 'gu', 'hi', 'kn', 'ml', 'or', 'pa', 'ta', 'te', 'ur', a list, or 'all'; default none.
   * Given as a string ('tr,es') or an array; resolved to the array of codes.
   */
  national: NationalCode[];
  /**
   * When what is sent goes out in one socket write (core's session writeTiming): 'turn' (default) at the end of the
   * event-loop turn, batching requests sent from promise continuations; 'callback' when the current callback and
   * its nextTick queue are done, for a sender whose requests come from callbacks (esme load: the next submit is
   * sent from the previous one's response, in the read that brought it). 'callback' skips the setImmediate hop.
   */
  writeTiming: 'turn' | 'callback';
  trace: boolean;
}

export const DEFAULT_PORT = 2775;
export const DEFAULT_TLS_PORT = 3550;

export const defaultOptions: Omit<ClientOptions, 'host' | 'system_id' | 'password'> = {
  port: DEFAULT_PORT,
  tls: false,
  mode: 'transceiver',
  system_type: '',
  interface_version: 0x34,
  addr_ton: 0,
  addr_npi: 0,
  address_range: '',
  windowSize: 10,
  rate: 0,
  burst: 0,
  inFlight: 'reject',
  submitTimeoutMs: 120_000,
  responseTimeoutMs: 30_000,
  enquireLinkIntervalMs: 30_000,
  connectTimeoutMs: 10_000,
  reconnect: { initialDelayMs: 500, maxDelayMs: 30_000, factor: 2, jitter: 0.5 },
  retry: {},
  receiptTtlMs: 3_600_000,
  receiptCompletedTtlMs: 10_000,
  receiptIdForm: 'auto',
  lazyReceipts: false,
  reassemblyTimeoutMs: 60_000,
  moDuplicateWindowMs: 600_000,
  split: 'udh',
  national: [],
  writeTiming: 'turn',
  trace: false,
};

const RECEIPT_ID_FORMS = ['auto', 'same', 'hexToDecimal', 'decimalToHex'] as const;

/** Bind mode names and their short forms (the URL's mode= and the CLI's --bind). */
export const MODE_ALIASES: Record<string, BindMode> = {
  trx: 'transceiver',
  transceiver: 'transceiver',
  tx: 'transmitter',
  transmitter: 'transmitter',
  rx: 'receiver',
  receiver: 'receiver',
  pair: 'pair',
  'tx+rx': 'pair',
  txrx: 'pair',
};

/** C-Octet limits of the bind PDU, including the NUL (smpp-reference §2.1). */
const BIND_LIMITS = { system_id: 16, password: 9, system_type: 13, address_range: 41 } as const;

/** URL query parameters → option names and how to read them. */
const QUERY_PARAMS: Record<string, (o: Partial<ClientOptions>, v: string, name: string) => void> = {
  mode: (o, v, n) => {
    o.mode = parseMode(v, n);
  },
  bind: (o, v, n) => {
    o.mode = parseMode(v, n);
  },
  system_type: (o, v) => {
    o.system_type = v;
  },
  interface_version: (o, v, n) => {
    o.interface_version = parseIntIn(v, n, 0, 255);
  },
  addr_ton: (o, v, n) => {
    o.addr_ton = parseIntIn(v, n, 0, 255);
  },
  addr_npi: (o, v, n) => {
    o.addr_npi = parseIntIn(v, n, 0, 255);
  },
  address_range: (o, v) => {
    o.address_range = v;
  },
  window: (o, v, n) => {
    o.windowSize = parseIntIn(v, n, 1, 100_000);
  },
  rate: (o, v, n) => {
    o.rate = parseNumberIn(v, n, 0, 1e9);
  },
  burst: (o, v, n) => {
    o.burst = parseNumberIn(v, n, 0, 1e9);
  },
  connect_timeout: (o, v, n) => {
    o.connectTimeoutMs = parseIntIn(v, n, 1, 3_600_000);
  },
  in_flight: (o, v, n) => {
    if (v !== 'reject' && v !== 'resubmit') throw new ConfigError(`${n}: '${v}' is not 'reject' or 'resubmit'`);
    o.inFlight = v;
  },
  split: (o, v, n) => {
    if (v !== 'udh' && v !== 'sar' && v !== 'payload')
      throw new ConfigError(`${n}: '${v}' is not 'udh', 'sar' or 'payload'`);
    o.split = v;
  },
  national: (o, v, n) => {
    o.national = parseNational(v, `${n}:`);
  },
  receipt_ids: (o, v, n) => {
    if (!RECEIPT_ID_FORMS.includes(v as never))
      throw new ConfigError(`${n}: '${v}' is not one of ${RECEIPT_ID_FORMS.join(', ')}`);
    o.receiptIdForm = v as ClientOptions['receiptIdForm'];
  },
  tls_verify: (o, v, n) => {
    const tls = o.tls ? o.tls : {};
    tls.rejectUnauthorized = parseBool(v, n);
    o.tls = tls;
  },
};

export function parseMode(v: string, name: string): BindMode {
  const m = MODE_ALIASES[v.toLowerCase()];
  if (!m) throw new ConfigError(`${name}: '${v}' is not one of ${Object.keys(MODE_ALIASES).join(', ')}`);
  return m;
}

function parseIntIn(v: string, name: string, min: number, max: number): number {
  const n = /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name}: '${v}' is not an integer in ${min}..${max}`);
  return n;
}

function parseNumberIn(v: string, name: string, min: number, max: number): number {
  const n = v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new ConfigError(`${name}: '${v}' is not a number in ${min}..${max}`);
  return n;
}

function parseBool(v: string, name: string): boolean {
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${name}: '${v}' is not a boolean (true/false)`);
}

/**
 * Parse `smpp://system_id:password@host:port?mode=tx&window=10&rate=50` (or `smpps://` for TLS).
 * Errors name the part of the URL that is wrong.
 */
export function parseSmppUrl(url: string): Partial<ClientOptions> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`URL '${redact(url)}' is not a valid URL (expected smpp://system_id:password@host:port)`);
  }
  const out: Partial<ClientOptions> = {};
  if (u.protocol === 'smpp:') out.tls = false;
  else if (u.protocol === 'smpps:') out.tls = {};
  else throw new ConfigError(`URL scheme '${u.protocol}' is not smpp: or smpps:`);
  if (!u.hostname) throw new ConfigError(`URL '${redact(url)}' has no host`);
  out.host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (u.port !== '') out.port = parseIntIn(u.port, 'URL port', 1, 65535);
  else out.port = u.protocol === 'smpps:' ? DEFAULT_TLS_PORT : DEFAULT_PORT;
  out.system_id = decodeURIComponent(u.username);
  out.password = decodeURIComponent(u.password);
  if (u.pathname && u.pathname !== '/' && u.pathname !== '') {
    throw new ConfigError(`URL path '${u.pathname}' is not allowed (put options in the query: ?mode=tx&window=10)`);
  }
  for (const [key, value] of u.searchParams) {
    const set = QUERY_PARAMS[key];
    if (!set)
      throw new ConfigError(`URL query parameter '${key}' is unknown (known: ${Object.keys(QUERY_PARAMS).join(', ')})`);
    set(out, value, `URL query parameter '${key}'`);
  }
  return out;
}

function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/** A URL string, an options object, or an options object with a `url` field → checked, complete options. */
export function resolveOptions(input: string | (Partial<ClientOptions> & { url?: string })): ClientOptions {
  const given = typeof input === 'string' ? { url: input } : input;
  const fromUrl = given.url !== undefined ? parseSmppUrl(given.url) : {};
  const { url: _url, ...rest } = given as Partial<ClientOptions> & { url?: string };
  const merged = { ...defaultOptions, ...fromUrl, ...stripUndefined(rest) } as ClientOptions;
  if (merged.tls === (true as unknown)) merged.tls = {};
  merged.reconnect = { ...defaultOptions.reconnect, ...(fromUrl.reconnect ?? {}), ...(rest.reconnect ?? {}) };
  merged.national = parseNational(merged.national);
  validate(merged);
  if (!merged.burst) merged.burst = Math.max(1, merged.rate / 10);
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function validate(o: ClientOptions): void {
  if (typeof o.host !== 'string' || o.host === '')
    throw new ConfigError(`host is missing (smpp://system_id:password@host:port)`);
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535)
    throw new ConfigError(`port '${o.port}' is not an integer in 1..65535`);
  if (typeof o.system_id !== 'string' || o.system_id === '')
    throw new ConfigError(`system_id is missing (smpp://system_id:password@host:port)`);
  if (typeof o.password !== 'string') throw new ConfigError(`password '${String(o.password)}' is not a string`);
  for (const [field, max] of Object.entries(BIND_LIMITS)) {
    const value = (o as unknown as Record<string, string>)[field]!;
    if (Buffer.byteLength(value, 'latin1') > max - 1) {
      const shown = field === 'password' ? '' : ` '${value}'`;
      throw new ConfigError(`${field}${shown} is ${value.length} characters, max ${max - 1}`);
    }
    if (!/^[\x20-\x7e]*$/.test(value)) throw new ConfigError(`${field} contains characters outside printable ASCII`);
  }
  if (!MODE_ALIASES[o.mode])
    throw new ConfigError(`mode '${o.mode}' is not one of transceiver, transmitter, receiver, pair`);
  if (!Number.isInteger(o.windowSize) || o.windowSize < 1)
    throw new ConfigError(`windowSize '${o.windowSize}' is not an integer >= 1`);
  if (!Number.isInteger(o.connectTimeoutMs) || o.connectTimeoutMs < 1)
    throw new ConfigError(`connectTimeoutMs '${o.connectTimeoutMs}' is not an integer >= 1 (ms)`);
  if (!(o.rate >= 0)) throw new ConfigError(`rate '${o.rate}' is not a number >= 0`);
  if (o.inFlight !== 'reject' && o.inFlight !== 'resubmit')
    throw new ConfigError(`inFlight '${o.inFlight}' is not 'reject' or 'resubmit'`);
  if (!RECEIPT_ID_FORMS.includes(o.receiptIdForm))
    throw new ConfigError(`receiptIdForm '${o.receiptIdForm}' is not one of ${RECEIPT_ID_FORMS.join(', ')}`);
  if (!(o.moDuplicateWindowMs >= 0))
    throw new ConfigError(`moDuplicateWindowMs '${o.moDuplicateWindowMs}' is not a number >= 0`);
  if (o.split !== 'udh' && o.split !== 'sar' && o.split !== 'payload')
    throw new ConfigError(`split '${o.split}' is not 'udh', 'sar' or 'payload'`);
  if (o.writeTiming !== 'turn' && o.writeTiming !== 'callback')
    throw new ConfigError(`writeTiming '${o.writeTiming}' is not 'turn' or 'callback'`);
}
