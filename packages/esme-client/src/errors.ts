// Typed errors. Every failed submit ends in exactly one of these, each with a stable `code`.
import { statusDescription, statusName } from '@smppkit/core';

/** Bad configuration or input given by a person: the message names the field and the value. */
export class ConfigError extends Error {
  readonly code = 'CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The SMSC answered with a non-zero command_status (after any retries the retry table allowed). */
export class SmppStatusError extends Error {
  readonly code = 'SMPP_STATUS';
  readonly statusName: string;
  readonly statusDescription: string;
  constructor(
    readonly commandStatus: number,
    readonly command: string,
    readonly attempts = 1,
    /** For a long message: the ids of the parts accepted before this one failed. */
    readonly acceptedMessageIds: string[] = [],
  ) {
    const name = statusName(commandStatus);
    const description = statusDescription(commandStatus);
    super(`${command} failed: ${name} (0x${commandStatus.toString(16).padStart(8, '0')}) ${description}`);
    this.name = 'SmppStatusError';
    this.statusName = name;
    this.statusDescription = description;
  }
}

/** The connection dropped while the request was on the wire; the SMSC may or may not have accepted it. */
export class DisconnectedError extends Error {
  readonly code = 'DISCONNECTED';
  readonly maybeDelivered = true;
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`${command} lost: connection closed (${reason}) before the response; the SMSC may have accepted it`);
    this.name = 'DisconnectedError';
  }
}

/**
 * The SMSC answered with a response this client could not decode (a field beyond its limit, …); the connection
 * stays bound. The SMSC may have accepted the message: it is not sent again.
 */
export class InvalidResponseError extends Error {
  readonly code = 'INVALID_RESPONSE';
  readonly maybeDelivered = true;
  /** The field that could not be read, when the decoder named one. */
  readonly field: string | undefined;
  constructor(
    readonly command: string,
    cause: Error,
  ) {
    const detail = (cause.cause as { message?: string } | undefined)?.message ?? cause.message;
    super(`${command}: the SMSC's response could not be decoded: ${detail}; the SMSC may have accepted it`, { cause });
    this.name = 'InvalidResponseError';
    this.field = (cause.cause as { field?: string } | undefined)?.field;
  }
}

/** The submit did not end within submitTimeoutMs, or no response came within responseTimeoutMs. */
export class SubmitTimeoutError extends Error {
  readonly code = 'TIMEOUT';
  constructor(
    readonly command: string,
    readonly maybeDelivered: boolean,
    detail: string,
  ) {
    super(`${command} timed out: ${detail}`);
    this.name = 'SubmitTimeoutError';
  }
}

/** The client was closed with this request still pending. */
export class ClientClosedError extends Error {
  readonly code = 'CLOSED';
  constructor(
    readonly command: string,
    readonly maybeDelivered: boolean,
  ) {
    super(`${command} not completed: client closed`);
    this.name = 'ClientClosedError';
  }
}

/** Bind rejected or connection impossible. */
export class ConnectError extends Error {
  readonly code = 'CONNECT';
  constructor(
    message: string,
    readonly commandStatus?: number,
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

export type SubmitError =
  | SmppStatusError
  | DisconnectedError
  | SubmitTimeoutError
  | InvalidResponseError
  | ClientClosedError
  | ConfigError;
