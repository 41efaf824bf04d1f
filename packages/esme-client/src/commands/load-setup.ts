// esme load, its options: the command line (LoadCliOptions) checked and turned into a LoadSetup — the arrival rate
// (constant, ramp FROM..TO over --ramp, steps over --step), the count or duration, the texts (--text, --texts, --mix)
// and the destinations (one number, a range, or a prefix plus random digits). Every bad value is a ConfigError naming
// the option and the value. Nothing is connected here.
import { readFileSync } from 'node:fs';
import { type Address, parseAddress, parseDestination } from '../address.js';
import { ConfigError } from '../errors.js';
import type { SubmitMessage } from '../message-builder.js';
import { urlFrom } from './common.js';

export { type LoadResult, reportTable } from '../load/report.js';

export interface LoadCliOptions {
  url?: string[];
  binds: number;
  window: number;
  rate?: string | number;
  ramp?: string;
  step?: string;
  unlimited?: boolean;
  count?: number;
  duration?: number;
  drain?: number;
  maxReconnects?: number;
  dlr?: boolean;
  receiptWait?: number;
  text?: string;
  texts?: string;
  mix?: string;
  from: string;
  to: string;
  toRandom?: string;
  country?: string;
  report?: string;
  json?: boolean;
  quiet?: boolean;
  hlog?: string;
  html?: string;
  interval?: number;
}

/** The message kinds of --mix. */
export const MIX: Record<string, (i: number) => string> = {
  gsm: () => 'Load test message: your code is 123456. Reply STOP to opt out.',
  ucs2: () => 'Нагрузочный тест: ваш код 123456 ✓',
  long: () => 'This is a long load-test message that needs two parts. '.repeat(4).trim(),
  emoji: () => 'Load test 😀👍 your code is 123456',
};

/** Where the destinations come from: one number, a range walked in order, or a prefix plus random digits. */
export type Destinations =
  | { kind: 'one'; to: Required<Address> }
  | { kind: 'range'; first: bigint; size: bigint; width: number }
  | { kind: 'random'; prefix: string; digits: number };

export interface LoadSetup {
  urls: string[];
  binds: number;
  window: number;
  mode: 'open' | 'closed';
  rate?: number;
  rateFrom?: number;
  rampMs?: number;
  steps?: number[];
  stepMs?: number;
  count?: number;
  durationMs?: number;
  drainMs?: number;
  /** Reconnect attempts per bind before the run stops (undefined: forever). */
  maxReconnects?: number;
  dlr: boolean;
  receiptWaitMs: number;
  /** Messages cycled through (the destination of each is replaced when `destinations` is a range or random). */
  messages: SubmitMessage[];
  destinations?: Destinations;
  intervalMs?: number;
}

/** '60s', '2m', '500ms', '1h' or plain seconds → ms. */
export function parseDuration(v: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new ConfigError(`${name} '${v}' is not a duration (e.g. 60s, 2m, 500ms, or seconds)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
  if (!(ms > 0)) throw new ConfigError(`${name} '${v}' is not a duration > 0`);
  return ms;
}

function parseRate(v: string | number): { from?: number; to: number; steps?: number[] } {
  const s = String(v).trim();
  if (s.includes(',')) {
    const steps = s.split(',').map((x) => Number(x.trim()));
    if (steps.some((x) => !Number.isFinite(x) || x <= 0))
      throw new ConfigError(`--rate '${s}': every step must be a number > 0 (e.g. 100,500,1000)`);
    return { to: steps[steps.length - 1]!, steps };
  }
  const m = /^(\d+(?:\.\d+)?)\s*\.\.\s*(\d+(?:\.\d+)?)$/.exec(s);
  if (m) {
    const from = Number(m[1]);
    const to = Number(m[2]);
    if (!(from > 0) || !(to > 0)) throw new ConfigError(`--rate '${s}': both ends of a ramp must be > 0`);
    return { from, to };
  }
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || n <= 0)
    throw new ConfigError(`--rate '${s}' is not a number > 0 or a ramp FROM..TO (e.g. 100..5000)`);
  return { to: n };
}

function parseDestinations(o: LoadCliOptions): Destinations {
  const opts = { lenient: true, allowShortCodes: true, ...(o.country ? { country: o.country } : {}) };
  if (o.toRandom !== undefined) {
    const m = /^(\+?\d*):(\d+)$/.exec(o.toRandom.trim());
    if (!m)
      throw new ConfigError(
        `--to-random '${o.toRandom}' is not PREFIX:DIGITS (e.g. 47900:5 for 47900 and 5 random digits)`,
      );
    const prefix = m[1]!.replace(/^\+/, '');
    const digits = Number(m[2]);
    if (digits < 1 || prefix.length + digits > 15)
      throw new ConfigError(
        `--to-random '${o.toRandom}': prefix and random digits make ${prefix.length + digits} digits, 1..15 allowed`,
      );
    parseDestination(prefix + '0'.repeat(digits), { ...opts, field: '--to-random' });
    return { kind: 'random', prefix, digits };
  }
  const range = /^\+?(\d+)\s*-\s*\+?(\d+)$/.exec(o.to.trim());
  if (range && range[1]!.length >= 3 && range[1]!.length === range[2]!.length) {
    const first = BigInt(range[1]!);
    const last = BigInt(range[2]!);
    if (last < first) throw new ConfigError(`--to '${o.to}': the range ends before it starts`);
    parseDestination(range[1]!, { ...opts, field: '--to (first of the range)' });
    parseDestination(range[2]!, { ...opts, field: '--to (last of the range)' });
    return { kind: 'range', first, size: last - first + 1n, width: range[1]!.length };
  }
  return { kind: 'one', to: parseDestination(o.to, { ...opts, field: '--to' }) };
}

function readTexts(file: string): string[] {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`--texts '${file}' cannot be read: ${(err as Error).message}`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new ConfigError(`--texts '${file}' has no text (one message per line)`);
  return lines;
}

export function loadSetup(o: LoadCliOptions): LoadSetup {
  const urls = o.url && o.url.length > 0 ? o.url : [urlFrom(undefined)];
  if (o.rate !== undefined && o.unlimited) throw new ConfigError('give --rate or --unlimited, not both');
  if (o.rate === undefined && !o.unlimited)
    throw new ConfigError('give --rate R (open loop) or --unlimited (closed loop at full window)');
  if (o.count === undefined && o.duration === undefined) throw new ConfigError('give --count N or --duration SECONDS');
  if ([o.text, o.mix, o.texts].filter((x) => x !== undefined).length > 1)
    throw new ConfigError('give one of --text, --texts or --mix');
  const rate = o.rate !== undefined ? parseRate(o.rate) : undefined;
  let rampMs: number | undefined;
  if (o.ramp !== undefined) {
    if (!rate) throw new ConfigError('--ramp needs --rate FROM..TO');
    rampMs = parseDuration(o.ramp, '--ramp');
  }
  if (rate?.from !== undefined && rampMs === undefined)
    throw new ConfigError(`--rate ${rate.from}..${rate.to} needs --ramp DURATION (e.g. --ramp 60s)`);
  if (rampMs !== undefined && rate?.from === undefined)
    throw new ConfigError('--ramp needs --rate FROM..TO (e.g. --rate 100..5000)');
  let stepMs: number | undefined;
  if (o.step !== undefined) {
    if (!rate?.steps) throw new ConfigError('--step needs --rate with steps (e.g. --rate 100,500,1000 --step 10s)');
    stepMs = parseDuration(o.step, '--step');
  }
  if (rate?.steps && stepMs === undefined)
    throw new ConfigError(`--rate ${rate.steps.join(',')} needs --step DURATION (e.g. --step 10s)`);
  const kinds = o.mix ? o.mix.split(',').map((k) => k.trim()) : [];
  for (const k of kinds)
    if (!MIX[k]) throw new ConfigError(`--mix '${k}' is not one of ${Object.keys(MIX).join(', ')}`);
  const texts =
    o.text !== undefined
      ? [o.text]
      : o.texts !== undefined
        ? readTexts(o.texts)
        : kinds.length > 0
          ? kinds.map((k, i) => MIX[k]!(i))
          : [MIX.gsm!(0)];
  const froms = o.from.split(',').map((f) => f.trim());
  for (const f of froms) parseAddress(f, '--from');
  const destinations = parseDestinations(o);
  const to = destinations.kind === 'one' ? destinations.to : { addr: destinationOf(destinations, 0), ton: 1, npi: 1 };
  // Every (sender, text) pair is prepared once; the sender cycles fastest.
  const messages: SubmitMessage[] = [];
  for (const text of texts) for (const from of froms) messages.push({ from, to, text, dlr: o.dlr ?? false });
  return {
    urls,
    binds: o.binds,
    window: o.window,
    mode: rate ? 'open' : 'closed',
    ...(rate ? { rate: rate.to } : {}),
    ...(rate?.from !== undefined ? { rateFrom: rate.from, rampMs: rampMs! } : {}),
    ...(rate?.steps ? { steps: rate.steps, stepMs: stepMs! } : {}),
    ...(o.count !== undefined ? { count: o.count } : {}),
    ...(o.duration !== undefined ? { durationMs: o.duration * 1000 } : {}),
    drainMs: (o.drain ?? 10) * 1000,
    maxReconnects: o.maxReconnects ?? 3,
    dlr: o.dlr ?? false,
    receiptWaitMs: (o.receiptWait ?? 10) * 1000,
    messages,
    ...(destinations.kind !== 'one' ? { destinations } : {}),
    intervalMs: (o.interval ?? 1) * 1000,
  };
}

/** Destination of message i. */
export function destinationOf(d: Destinations, i: number): string {
  if (d.kind === 'one') return d.to.addr;
  if (d.kind === 'range') return (d.first + (BigInt(i) % d.size)).toString().padStart(d.width, '0');
  let s = d.prefix;
  for (let k = 0; k < d.digits; k++) s += String(Math.floor(Math.random() * 10));
  return s;
}
