// The time of the requests of a read: taken once when a session's read starts (core's aroundRead, wired in
// session-options.ts), not once per request: Date.now() is a call into V8's runtime, ~1 % of the simulator's CPU
// at window 100. Outside a read (a request delivered on resume, a timer) it is the time now. One per process:
// reads do not nest (each is one socket callback), and a read's requests are handled within it, so the time they
// get is at most that callback's run behind.
class ReadClock {
  /** when the read being handled started; 0 outside a read */
  private at = 0;

  readStarted(): void {
    this.at = Date.now();
  }

  readEnded(): void {
    this.at = 0;
  }

  /** ms since the epoch: the read's start while a read is handled, else Date.now() */
  now(): number {
    return this.at !== 0 ? this.at : Date.now();
  }
}

export const readClock = new ReadClock();
