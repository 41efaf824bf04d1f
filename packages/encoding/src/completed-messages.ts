/**
 * The Reassembler's memory of completed concatenated messages, for telling a resent part from a new message.
 * A completed message is remembered for `windowMs` (at most `max` of them, the oldest forgotten first) as a hash of
 * each part's user data, under the same key as its assembly (originator, recipient, concatenation, reference, total).
 * A part arriving again within the window with the same user data is a resend (an SMSC resends a deliver_sm it got
 * no answer for); one that differs means the reference was reused, and the memory of the old message is dropped.
 * Only the first part of a new assembly is looked up here; no timer: sweep() is called by the Reassembler's.
 */

/** A completed message: when, and a hash of each part's user data. */
interface Completed {
  at: number;
  hashes: Uint32Array;
}

/** FNV-1a, 32 bits: enough to tell a resent part from a different part under a reused reference. */
function fnv1a(data: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
  return h >>> 0;
}

export class CompletedMessages {
  private readonly completed = new Map<string, Completed>();

  /** windowMs or max 0: nothing is remembered. */
  constructor(
    private readonly windowMs: number,
    private readonly max: number,
  ) {}

  /** Completed messages currently remembered. */
  get size(): number {
    return this.completed.size;
  }

  /**
   * Is part `sequence` (1-based) with user data `data` a resend of the completed message under `key`? When a
   * message is remembered under the key but this part differs from its (or the window is over), it is forgotten.
   */
  resent(key: string, sequence: number, data: Uint8Array, now: number): boolean {
    const done = this.completed.get(key);
    if (done === undefined) return false;
    if (now - done.at < this.windowMs && done.hashes[sequence - 1] === fnv1a(data)) return true;
    this.completed.delete(key); // a different part under the same reference: a new message
    return false;
  }

  /** Remembers the message just completed from `parts` (all present) under `key`. */
  remember(key: string, parts: readonly (Uint8Array | undefined)[], now: number): void {
    if (this.windowMs <= 0 || this.max <= 0) return;
    const hashes = new Uint32Array(parts.length);
    for (let i = 0; i < parts.length; i++) hashes[i] = fnv1a(parts[i]!);
    this.completed.delete(key);
    this.completed.set(key, { at: now, hashes });
    while (this.completed.size > this.max) this.completed.delete(this.completed.keys().next().value!);
  }

  /** Forgets the messages completed windowMs or longer before `now`. */
  sweep(now: number): void {
    for (const [key, c] of this.completed) {
      if (now - c.at < this.windowMs) break; // insertion order = completion order
      this.completed.delete(key);
    }
  }
}
