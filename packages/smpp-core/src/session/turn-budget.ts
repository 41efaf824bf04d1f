// A share of each event-loop turn for the PDUs of sessions that are not bound, shared by every session given the
// same TurnBudget (a server's connections): at most `framesPerTurn` such PDUs are handled per turn (and per
// millisecond: the budget is refilled by a 1 ms timer, so waiting sessions never keep the loop spinning), all sessions
// together, so a flood of unbound or failing connections (wrong-password binds, garbage, requests before a bind)
// cannot starve the bound sessions, whose PDUs are not counted. A session over the budget stops reading (its
// socket paused, TCP backpressure reaches the peer) and waits its turn in a round robin: each turn serves the
// waiting sessions in order, each at most its share (framesPerTurn / waiting, at least one PDU), those left over
// first on the next turn.

export class TurnBudget {
  /** PDUs still allowed in this turn. */
  private left: number;
  /** Turns begun so far: a session compares it with the turn of its last PDU to count its share per turn. */
  turn = 0;
  /** PDUs one session may have per turn (framesPerTurn divided among the sessions waiting at the turn's start). */
  share: number;
  private waiting: Array<() => void> = [];
  private head = 0;
  private scheduled = false;
  /** PDUs held back to a later turn so far (a session asking after the budget ran out). */
  deferred = 0;

  constructor(readonly framesPerTurn: number) {
    if (!Number.isInteger(framesPerTurn) || framesPerTurn < 1)
      throw new RangeError(`framesPerTurn must be an integer >= 1, got ${framesPerTurn}`);
    this.left = framesPerTurn;
    this.share = framesPerTurn;
  }

  /** Takes one PDU of this turn's budget; false when it is spent (then wait()). */
  take(): boolean {
    if (this.left <= 0) {
      this.deferred++;
      return false;
    }
    this.left--;
    this.schedule();
    return true;
  }

  /** Calls `resume` on a later turn, in order with the other sessions waiting. */
  wait(resume: () => void): void {
    this.waiting.push(resume);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(this.nextTurn, 1);
  }

  private readonly nextTurn = (): void => {
    this.scheduled = false;
    this.turn++;
    this.left = this.framesPerTurn;
    const queued = this.waiting.length - this.head;
    this.share = Math.max(1, Math.floor(this.framesPerTurn / Math.max(1, queued)));
    // those resumed may wait again: they join the end, behind the ones this turn could not serve
    const end = this.waiting.length;
    while (this.left > 0 && this.head < end) {
      const resume = this.waiting[this.head++]!;
      resume();
    }
    if (this.head > 1024 || this.head === this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    if (this.head < this.waiting.length) this.schedule();
  };
}
