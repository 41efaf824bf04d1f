// Sequence numbers of the requests one side sends: 1..0x7FFFFFFF, then back to 1 (v5.0 §2.6, §4.7.24).
// Each session (and each direction) has its own counter.

export const MIN_SEQUENCE = 1;
export const MAX_SEQUENCE = 0x7fffffff;

export class SequenceGenerator {
  private nextValue: number;

  constructor(start: number = MIN_SEQUENCE) {
    if (!Number.isInteger(start) || start < MIN_SEQUENCE || start > MAX_SEQUENCE) {
      throw new RangeError(`sequence start must be an integer in ${MIN_SEQUENCE}..${MAX_SEQUENCE}, got ${start}`);
    }
    this.nextValue = start;
  }

  next(): number {
    const value = this.nextValue;
    this.nextValue = value === MAX_SEQUENCE ? MIN_SEQUENCE : value + 1;
    return value;
  }
}
