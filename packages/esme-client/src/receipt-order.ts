// The begin order of the submits tracked for receipts, and the first of them still waiting for its response. While
// the link's id form is not known, a held receipt whose id names one tracked submit in fewer forms than could write
// it is paired as soon as every submit begun before the receipt arrived has its response (or has failed): its own
// submit is then tracked under its id, and no other can still claim that id (receipt-matcher.ts). Kept only until
// the form is known: then a receipt is paired under that form alone and the order no longer matters.
import { Deque } from './deque.js';

/** A submit in begin order: an entry of the matcher, or a submit_multi whose entry is made once all ids are in. */
export interface Ordered {
  /** Its place in begin order (0, 1, …). */
  seq: number;
  /** Parts still waiting for their response; 0 once all have one or the submit failed. */
  unanswered: number;
}

/** At most this many submits are kept from the first unanswered on. */
const MAX_SPAN = 100_000;

export class SubmitOrder {
  /** Submits begun so far (the seq of the next). */
  private begun = 0;
  /** Begun submits from the first still unanswered on; answered ones behind it are shifted off as it advances. */
  private readonly open = new Deque<Ordered>(256);
  private on: boolean;

  constructor(on: boolean) {
    this.on = on;
  }

  /** Still kept (the form is not known). */
  get active(): boolean {
    return this.on;
  }

  /** The count of submits begun so far: a receipt arriving now settles once firstOpen reaches it. */
  get count(): number {
    return this.begun;
  }

  /** The seq of the first begun submit still unanswered (count when none is); -1 once no longer kept. */
  get firstOpen(): number {
    if (!this.on) return -1;
    const head = this.open.peek();
    return head === undefined ? this.begun : head.seq;
  }

  /**
   * A submit of `parts` parts begins. False when MAX_SPAN submits are begun since the first still unanswered (a
   * response lost, no submit timeout): the order is given up then rather than kept without bound.
   */
  begin(o: Ordered, parts: number): boolean {
    o.seq = this.begun++;
    o.unanswered = parts;
    if (!this.on || parts === 0) return true;
    if (this.open.length >= MAX_SPAN) {
      this.stop();
      return false;
    }
    this.open.push(o);
    return true;
  }

  /** One part of `o` has its response. True when this moved firstOpen. */
  answered(o: Ordered): boolean {
    if (o.unanswered > 0) o.unanswered--;
    return o.unanswered === 0 && this.advance(o);
  }

  /** No more responses will come for `o` (its submit failed). True when this moved firstOpen. */
  failed(o: Ordered): boolean {
    o.unanswered = 0;
    return this.advance(o);
  }

  /** The form is known: the order is no longer kept. */
  stop(): void {
    this.on = false;
    while (this.open.length > 0) this.open.shift();
  }

  private advance(o: Ordered): boolean {
    if (!this.on || this.open.peek() !== o) return false;
    this.open.shift();
    for (let h = this.open.peek(); h !== undefined && h.unanswered === 0; h = this.open.peek()) this.open.shift();
    return true;
  }
}
