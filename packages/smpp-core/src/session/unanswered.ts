// The peer's requests handed to the application and not answered yet, by sequence number, and who waits for
// there to be none (a graceful unbind waits for the application's answers before it sends unbind).
// The sequence numbers are kept in an open-addressing table of doubles (linear probing, deletion by backward
// shift), not a Set: every request from the peer costs an add, a has and a delete, and a Set whose size swings
// between 0 and a window's worth per read grows and shrinks its table again and again (a rehash each time, in
// V8's runtime). This table only grows, and gives its memory back once empty.

/** An empty slot (sequence numbers are 0 … 2^32-1). */
const EMPTY = -1;
/** Slots of a new (or emptied) table. */
const INITIAL_SLOTS = 16;
/** Once empty, a table larger than this is replaced by a new small one (memory follows a past burst back down). */
const KEEP_SLOTS = 1024;

export class Unanswered {
  private keys = new Float64Array(INITIAL_SLOTS).fill(EMPTY);
  private mask = INITIAL_SLOTS - 1;
  private count = 0;
  private emptyListeners: Array<() => void> = [];

  get size(): number {
    return this.count;
  }

  add(sequenceNumber: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = this.mask;
    let i = slotOf(sequenceNumber, mask);
    for (let k = keys[i]!; k !== EMPTY; k = keys[i]!) {
      if (k === sequenceNumber) return;
      i = (i + 1) & mask;
    }
    keys[i] = sequenceNumber;
    this.count++;
  }

  has(sequenceNumber: number): boolean {
    return this.find(sequenceNumber) >= 0;
  }

  /** Forget one (it is being answered); false when it was not there (never received, or answered already). */
  delete(sequenceNumber: number): boolean {
    let i = this.find(sequenceNumber);
    if (i < 0) return false;
    const keys = this.keys;
    const mask = this.mask;
    // backward shift: move up each later key of the run that may sit at i (its home is not between i and it)
    for (let j = (i + 1) & mask; keys[j] !== EMPTY; j = (j + 1) & mask) {
      const home = slotOf(keys[j]!, mask);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        keys[i] = keys[j]!;
        i = j;
      }
    }
    keys[i] = EMPTY;
    this.count--;
    if (this.count === 0) {
      if (keys.length > KEEP_SLOTS) this.reset();
      this.changed();
    }
    return true;
  }

  /** Forget all (the session closed). */
  clear(): void {
    this.reset();
    this.changed();
  }

  /** Resolves once nothing is unanswered (at once when nothing is). */
  whenEmpty(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyListeners.push(resolve));
  }

  /** The slot holding sequenceNumber, or -1. */
  private find(sequenceNumber: number): number {
    const keys = this.keys;
    const mask = this.mask;
    for (let i = slotOf(sequenceNumber, mask); ; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === sequenceNumber) return i;
      if (k === EMPTY) return -1;
    }
  }

  private grow(): void {
    const old = this.keys;
    this.keys = new Float64Array(old.length * 2).fill(EMPTY);
    this.mask = this.keys.length - 1;
    this.count = 0;
    for (const k of old) if (k !== EMPTY) this.add(k);
  }

  private reset(): void {
    if (this.keys.length > INITIAL_SLOTS) {
      this.keys = new Float64Array(INITIAL_SLOTS).fill(EMPTY);
      this.mask = INITIAL_SLOTS - 1;
    } else this.keys.fill(EMPTY);
    this.count = 0;
  }

  private changed(): void {
    if (this.count > 0 || this.emptyListeners.length === 0) return;
    const listeners = this.emptyListeners;
    this.emptyListeners = [];
    for (const l of listeners) l();
  }
}

/** The home slot of a sequence number (a multiplicative hash: consecutive numbers spread over the table). */
function slotOf(sequenceNumber: number, mask: number): number {
  return (Math.imul(sequenceNumber | 0, 0x9e3779b1) >>> 0) & mask;
}
