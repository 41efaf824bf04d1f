// Checks on the fields of a submitted message (submit_sm, submit_multi, data_sm, replace_sm), each failure
// answered with its own command_status name. The codec has already checked field sizes and time formats.
import { type CommandStatusName, EsmClass, Npi, parseSmppTime, RegisteredDelivery, Ton } from '@smppkit/core';
import { MAX_SHORT_MESSAGE } from '../util/user-data.js';

/** Why a request was refused: the status it is answered with (core's name) and, for the log, the reason. */
export class Invalid {
  constructor(
    readonly status: CommandStatusName,
    readonly reason: string,
  ) {}
}

/** The octet values allowed, as a table indexed by the value (1: allowed): a lookup per field of every message. */
function octetTable(values: readonly number[]): Uint8Array {
  const t = new Uint8Array(256);
  for (const v of values) t[v] = 1;
  return t;
}
const TONS = octetTable(Object.values(Ton));
const NPIS = octetTable(Object.values(Npi));
/** esm_class message-type bits an ESME may submit with: normal, delivery ack, manual/user ack */
const SUBMIT_TYPES = octetTable([EsmClass.TYPE_DEFAULT, EsmClass.TYPE_SME_DELIVERY_ACK, EsmClass.TYPE_SME_MANUAL_ACK]);
/** registered_delivery bits with no meaning */
const REGISTERED_DELIVERY_RESERVED =
  0xff &
  ~(
    RegisteredDelivery.MC_RECEIPT_MASK |
    RegisteredDelivery.SME_ACK_MASK |
    RegisteredDelivery.INTERMEDIATE_NOTIFICATION
  );
/** highest priority_flag (v5.0: 0..4) and replace_if_present_flag (0..1) */
const MAX_PRIORITY = 4;
const MAX_REPLACE_FLAG = 1;
/** longest message_payload the simulator accepts */
export const MAX_PAYLOAD = 64 * 1024;

export function checkSource(ton: number, npi: number, addr: string, allowed: (a: string) => boolean): Invalid | null {
  if (TONS[ton] !== 1) return new Invalid('ESME_RINVSRCTON', `source_addr_ton ${ton} is reserved`);
  if (NPIS[npi] !== 1) return new Invalid('ESME_RINVSRCNPI', `source_addr_npi ${npi} is reserved`);
  if (!allowed(addr)) return new Invalid('ESME_RINVSRCADR', `source_addr '${addr}' is not allowed for this account`);
  if (ton === Ton.INTERNATIONAL && !isInternational(addr))
    return new Invalid('ESME_RINVSRCADR', `source_addr '${addr}' is not an international number`);
  return null;
}

export function checkDestination(ton: number, npi: number, addr: string): Invalid | null {
  if (TONS[ton] !== 1) return new Invalid('ESME_RINVDSTTON', `dest_addr_ton ${ton} is reserved`);
  if (NPIS[npi] !== 1) return new Invalid('ESME_RINVDSTNPI', `dest_addr_npi ${npi} is reserved`);
  if (addr.length === 0) return new Invalid('ESME_RINVDSTADR', 'destination_addr is empty');
  if (ton === Ton.INTERNATIONAL && !isInternational(addr))
    return new Invalid('ESME_RINVDSTADR', `destination_addr '${addr}' is not an international number`);
  if (ton !== Ton.ALPHANUMERIC && !isDialable(addr))
    return new Invalid('ESME_RINVDSTADR', `destination_addr '${addr}' has characters a number cannot have`);
  return null;
}

// Character checks by code, not by regular expression: they run for every submitted message.

/** 1 to 15 digits (E.164) */
function isInternational(addr: string): boolean {
  const n = addr.length;
  if (n === 0 || n > 15) return false;
  for (let i = 0; i < n; i++) {
    const c = addr.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** digits, letters, '+', '*', '#' (at least one) */
function isDialable(addr: string): boolean {
  const n = addr.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = addr.charCodeAt(i);
    if (
      !(
        (c >= 0x30 && c <= 0x39) ||
        (c >= 0x41 && c <= 0x5a) ||
        (c >= 0x61 && c <= 0x7a) ||
        c === 0x2b ||
        c === 0x2a ||
        c === 0x23
      )
    )
      return false;
  }
  return true;
}

export function checkFlags(f: {
  esm_class: number;
  registered_delivery: number;
  priority_flag?: number;
  replace_if_present_flag?: number;
  sm_default_msg_id?: number;
}): Invalid | null {
  if (SUBMIT_TYPES[f.esm_class & EsmClass.TYPE_MASK] !== 1)
    return new Invalid(
      'ESME_RINVESMCLASS',
      `esm_class 0x${f.esm_class.toString(16)} has a message type an ESME cannot submit`,
    );
  if (f.registered_delivery & REGISTERED_DELIVERY_RESERVED)
    return new Invalid(
      'ESME_RINVREGDLVFLG',
      `registered_delivery 0x${f.registered_delivery.toString(16)} sets reserved bits`,
    );
  if (f.priority_flag !== undefined && f.priority_flag > MAX_PRIORITY)
    return new Invalid('ESME_RINVPRTFLG', `priority_flag ${f.priority_flag} is reserved`);
  if (f.replace_if_present_flag !== undefined && f.replace_if_present_flag > MAX_REPLACE_FLAG)
    return new Invalid('ESME_RINVREPFLAG', `replace_if_present_flag ${f.replace_if_present_flag} is reserved`);
  if (f.sm_default_msg_id)
    return new Invalid(
      'ESME_RINVDFTMSGID',
      `sm_default_msg_id ${f.sm_default_msg_id}: this SMSC has no predefined messages`,
    );
  return null;
}

/** The user data: short_message, or message_payload when short_message is empty; never both. */
export function userDataOf(shortMessage: Buffer, payload: Buffer | undefined): Buffer | Invalid {
  if (payload !== undefined && shortMessage.length > 0)
    return new Invalid('ESME_RINVMSGLEN', 'both short_message and message_payload are set');
  if (payload !== undefined) {
    if (payload.length > MAX_PAYLOAD)
      return new Invalid('ESME_RINVMSGLEN', `message_payload of ${payload.length} octets exceeds ${MAX_PAYLOAD}`);
    return payload;
  }
  if (shortMessage.length > MAX_SHORT_MESSAGE)
    return new Invalid(
      'ESME_RINVMSGLEN',
      `short_message of ${shortMessage.length} octets exceeds ${MAX_SHORT_MESSAGE}`,
    );
  return shortMessage;
}

export interface Times {
  scheduleAt: number | null;
  expireAt: number;
}

/** schedule_delivery_time and validity_period as epoch ms; '' = now / the default validity. */
export function checkTimes(
  schedule: string,
  validity: string,
  now: number,
  defaultValidityMs: number,
): Times | Invalid {
  let scheduleAt: number | null = null;
  if (schedule) {
    const t = parseTime(schedule, now);
    if (t === null)
      return new Invalid('ESME_RINVSCHED', `schedule_delivery_time '${schedule}' is not a valid SMPP time`);
    scheduleAt = t > now ? t : null;
  }
  let expireAt = (scheduleAt ?? now) + defaultValidityMs;
  if (validity) {
    const t = parseTime(validity, now);
    if (t === null) return new Invalid('ESME_RINVEXPIRY', `validity_period '${validity}' is not a valid SMPP time`);
    if (t <= now) return new Invalid('ESME_RINVEXPIRY', `validity_period '${validity}' is in the past`);
    if (scheduleAt !== null && t <= scheduleAt)
      return new Invalid(
        'ESME_RINVEXPIRY',
        `validity_period '${validity}' ends before schedule_delivery_time '${schedule}'`,
      );
    expireAt = t;
  }
  return { scheduleAt, expireAt };
}

function parseTime(s: string, now: number): number | null {
  try {
    const t = parseSmppTime(s, new Date(now));
    if (t === null) return null;
    const ms = t.date.getTime();
    return Number.isFinite(ms) ? ms : null;
  } catch {
    return null;
  }
}
