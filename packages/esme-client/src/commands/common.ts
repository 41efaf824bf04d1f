// What the CLI commands share: the exit status table, error → output mapping, and option parsers.

import type { Logger } from '@smppkit/core';
import { InvalidArgumentError } from 'commander';
import pino from 'pino';
import { ConfigError, ConnectError, SmppStatusError } from '../errors.js';
import { type BindMode, parseMode, parseSmppUrl } from '../options.js';
import { ReceiptTimeoutError } from '../receipt-matcher.js';

/** Exit statuses of `esme` (documented in --help and the README). */
export const EXIT = {
  OK: 0,
  /** The SMSC refused something (a status other than ESME_ROK), a receipt says not delivered, or rows failed. */
  SMPP_FAILURE: 1,
  /** Bad command line, option, URL or input file. */
  USAGE: 2,
  /** Could not connect or bind. */
  CONNECT: 3,
  /** Waited for a receipt (or a response) and it did not come in time. */
  TIMEOUT: 4,
} as const;

export function exitCodeOf(err: unknown): number {
  if (err instanceof ConfigError) return EXIT.USAGE;
  if (err instanceof ConnectError) return EXIT.CONNECT;
  if (err instanceof ReceiptTimeoutError) return EXIT.TIMEOUT;
  if ((err as { code?: string })?.code === 'TIMEOUT') return EXIT.TIMEOUT;
  if ((err as { name?: string })?.name === 'EncodingError') return EXIT.USAGE;
  return EXIT.SMPP_FAILURE;
}

/** An error as JSON: stable code, and for SMPP statuses the name, number and description. */
export function errorJson(err: unknown): Record<string, unknown> {
  const e = err as Error & {
    code?: string;
    commandStatus?: number;
    statusName?: string;
    statusDescription?: string;
    maybeDelivered?: boolean;
  };
  const out: Record<string, unknown> = { code: e.code ?? e.name ?? 'ERROR', message: e.message ?? String(err) };
  if (err instanceof SmppStatusError) {
    out.status = err.statusName;
    out.commandStatus = err.commandStatus;
    out.description = err.statusDescription;
    if (err.acceptedMessageIds.length) out.acceptedMessageIds = err.acceptedMessageIds;
  } else if (e.commandStatus !== undefined) out.commandStatus = e.commandStatus;
  if (e.maybeDelivered !== undefined) out.maybeDelivered = e.maybeDelivered;
  return out;
}

export function positiveInt(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError(`${name} '${v}' is not a whole number >= 1`);
    return Number(v);
  };
}

export function nonNegativeInt(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name} '${v}' is not a whole number >= 0`);
    return Number(v);
  };
}

export function positiveNumber(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`${name} '${v}' is not a number > 0`);
    return n;
  };
}

export function urlFrom(opt: string | undefined): string {
  const url = opt ?? process.env.ESME_URL;
  if (!url) throw new ConfigError('--url is missing (or set ESME_URL), e.g. --url smpp://system_id:password@host:2775');
  return url;
}

/** The bind mode a command will use: --bind, else the URL's mode (checked: a bad URL is a usage error here). */
export function bindModeFor(url: string, bind: string | undefined): BindMode {
  const fromUrl = parseSmppUrl(url).mode ?? 'transceiver';
  if (bind === undefined) return fromUrl;
  return parseMode(bind, '--bind');
}

/** The --trace logger: debug lines to process.stderr (whose EPIPE the CLI handles by exiting quietly). */
export function cliLogger(): Logger {
  return pino({ level: 'debug' }, process.stderr) as unknown as Logger;
}

export function print(json: boolean, obj: unknown, text: string): void {
  process.stdout.write(json ? JSON.stringify(obj) + '\n' : text + '\n');
}

/** Resolve once SIGINT/SIGTERM arrives. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
