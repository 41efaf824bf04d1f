// Values by sequence number in an open-addressing table (linear probing, deletion by backward shift), not a Map:
// a window's requests are added, looked up and deleted once each, and a Map whose size swings between 0 and a
// window's worth every round trip grows and shrinks its table again and again (a rehash each time, in V8's runtime;
// the peer's unanswered requests, unanswered.ts, are kept in one too). This table only grows, and gives its memory
// back once empty. Any key 0 … 2^53-1 works (e.g. the simulator's message ids, delivery/dispatch.ts); its hash
// takes the low 32 bits.

/** An empty slot (sequence numbers are 0 … 2^32-1). */
const EMPTY = -1;
/** Slots of a new (or emptied) table. */
const INITIAL_SLOTS = 16;
/** Once empty, a table larger than this is replaced by a new small one (memory follows a past burst back down). */
const KEEP_SLOTS = 1024;

export class SeqTable<V> {
  private keys = new Float64Array(INITIAL_SLOTS).fill(EMPTY);
  private values: Array<V | undefined> = new Array(INITIAL_SLOTS).fill(undefined);
  private mask = INITIAL_SLOTS - 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds the value of a sequence number not in the table; false (nothing changed) when it is there already. */
  add(sequenceNumber: number, value: V): boolean {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = this.mask;
    let i = slotOf(sequenceNumber, mask);
    for (let k = keys[i]!; k !== EMPTY; k = keys[i]!) {
      if (k === sequenceNumber) return false;
      i = (i + 1) & mask;
    }
    keys[i] = sequenceNumber;
    this.values[i] = value;
    this.count++;
    return true;
  }

  /** add(), or the value replaced when the sequence number is there already. */
  set(sequenceNumber: number, value: V): void {
    const i = this.find(sequenceNumber);
    if (i >= 0) this.values[i] = value;
    else this.add(sequenceNumber, value);
  }

  has(sequenceNumber: number): boolean {
    return this.find(sequenceNumber) >= 0;
  }

  get(sequenceNumber: number): V | undefined {
    const i = this.find(sequenceNumber);
    return i < 0 ? undefined : this.values[i];
  }

  /** Removes a sequence number and returns its value (undefined when it was not there). */
  take(sequenceNumber: number): V | undefined {
    let i = this.find(sequenceNumber);
    if (i < 0) return undefined;
    const keys = this.keys;
    const values = this.values;
    const value = values[i];
    const mask = this.mask;
    // backward shift: move up each later key of the run that may sit at i (its home is not between i and it)
    for (let j = (i + 1) & mask; keys[j] !== EMPTY; j = (j + 1) & mask) {
      const home = slotOf(keys[j]!, mask);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        keys[i] = keys[j]!;
        values[i] = values[j];
        i = j;
      }
    }
    keys[i] = EMPTY;
    values[i] = undefined;
    this.count--;
    if (this.count === 0 && keys.length > KEEP_SLOTS) this.clear();
    return value;
  }

  clear(): void {
    if (this.keys.length > INITIAL_SLOTS) {
      this.keys = new Float64Array(INITIAL_SLOTS).fill(EMPTY);
      this.values = new Array(INITIAL_SLOTS).fill(undefined);
      this.mask = INITIAL_SLOTS - 1;
    } else {
      this.keys.fill(EMPTY);
      this.values.fill(undefined);
    }
    this.count = 0;
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
    const keys = this.keys;
    const values = this.values;
    this.keys = new Float64Array(keys.length * 2).fill(EMPTY);
    this.values = new Array(keys.length * 2).fill(undefined);
    this.mask = this.keys.length - 1;
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.add(keys[i]!, values[i] as V);
  }
}

/** The home slot of a sequence number (a multiplicative hash: consecutive numbers spread over the table). */
function slotOf(sequenceNumber: number, mask: number): number {
  return (Math.imul(sequenceNumber | 0, 0x9e3779b1) >>> 0) & mask;
}
