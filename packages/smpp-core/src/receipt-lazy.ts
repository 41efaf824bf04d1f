// receiptFromPdu's reading, lazily: what pairing a receipt needs first (id, stat, message_state), the rest of its
// text only when asked for. Most MCs (and the simulator) send the receipted_message_id and message_state TLVs: then
// the text is not decoded at all unless a field of it is read.
import type { PduOf } from './commands.js';
import { EsmClass, statOfMessageState } from './constants.js';
import { carriesReceipt, type ParsedReceipt, parseReceipt, type Receipt, receiptOctets } from './receipt.js';
import type { NetworkErrorCode } from './tlv-table.js';

/** Nothing parsed from the text (no text, or not a receipt's). */
const NOTHING: ParsedReceipt = Object.freeze({});

/**
 * A receipt read as receiptFromPdu reads it, each field with the value receiptFromPdu gives (a property test
 * compares them), but lazily: id, stat, message_state, network_error_code and intermediate are own properties, set at
 * once (the text is parsed for them only when the TLVs do not give them); the text's other fields (sub, dlvrd, the
 * dates and their texts, err, text) are getters that parse the text at the first read. So unlike receiptFromPdu's
 * plain object, a spread or Object.keys does not show the text's fields (fields() and JSON.stringify do).
 */
export class LazyReceipt {
  /** receipted_message_id TLV when present, else the text's id */
  id: string | undefined;
  /** the stat of the message_state TLV when present and known, else the text's (else STATE_<n>) */
  stat: string | undefined;
  /** message_state TLV when present, else the state of the text's stat */
  message_state: number | undefined;
  network_error_code: NetworkErrorCode | undefined;
  /** esm_class says intermediate notification (0x20) rather than a final MC delivery receipt (0x04) */
  intermediate: boolean;
  /** the text's octets, until parsed */
  #bytes: Buffer | undefined;
  #parsed: ParsedReceipt | undefined;

  constructor(bytes: Buffer | undefined, intermediate: boolean, tlvs: NonNullable<PduOf<'deliver_sm'>['tlvs']>) {
    this.#bytes = bytes;
    this.#parsed = bytes === undefined ? NOTHING : undefined;
    this.intermediate = intermediate;
    const tlvId = tlvs.receipted_message_id;
    const tlvState = tlvs.message_state;
    const tlvStat = tlvState === undefined ? undefined : statOfMessageState(tlvState);
    // the text is needed for what a TLV does not say (an unknown state's stat is the text's when it has one)
    const text = tlvId === undefined || tlvStat === undefined ? this.#text() : undefined;
    this.id = tlvId ?? text?.id;
    this.message_state = tlvState ?? text?.message_state;
    this.stat = tlvStat ?? text?.stat ?? (tlvState === undefined ? undefined : `STATE_${tlvState}`);
    this.network_error_code = tlvs.network_error_code;
  }

  /** What the text says (parsed at the first call; an empty object when it is no receipt's text). */
  #text(): ParsedReceipt {
    let p = this.#parsed;
    if (p === undefined) {
      p = parseReceipt(this.#bytes!.toString('latin1')) ?? NOTHING;
      this.#parsed = p;
      this.#bytes = undefined;
    }
    return p;
  }

  /** Parse the text now (if not yet), letting go of its octets: for a receipt kept a while (they share a buffer). */
  parse(): void {
    this.#text();
  }

  get sub(): string | undefined {
    return this.#text().sub;
  }
  get dlvrd(): string | undefined {
    return this.#text().dlvrd;
  }
  get submit_date(): Date | undefined {
    return this.#text().submit_date;
  }
  get done_date(): Date | undefined {
    return this.#text().done_date;
  }
  get submit_date_text(): string | undefined {
    return this.#text().submit_date_text;
  }
  get done_date_text(): string | undefined {
    return this.#text().done_date_text;
  }
  get err(): string | undefined {
    return this.#text().err;
  }
  get text(): string | undefined {
    return this.#text().text;
  }

  /**
   * Every field as a plain object: receiptFromPdu's (the same keys and values), with the own properties set on this
   * object since (a reader's additions) over them.
   */
  fields(): Receipt {
    const r: Record<string, unknown> = { ...this.#text() };
    for (const [k, v] of Object.entries(this)) if (v !== undefined || k in r) r[k] = v;
    return r as unknown as Receipt;
  }

  toJSON(): Receipt {
    return this.fields();
  }
}

/**
 * receiptFromPdu, lazily (LazyReceipt): null when the PDU is not a receipt (esm_class not a receipt type and no
 * receipted_message_id).
 */
export function lazyReceiptFromPdu(pdu: PduOf<'deliver_sm'> | PduOf<'data_sm'>): LazyReceipt | null {
  if (!carriesReceipt(pdu)) return null;
  const intermediate = (pdu.esm_class & EsmClass.TYPE_MASK) === EsmClass.TYPE_INTERMEDIATE_NOTIFICATION;
  return new LazyReceipt(receiptOctets(pdu), intermediate, pdu.tlvs ?? {});
}
