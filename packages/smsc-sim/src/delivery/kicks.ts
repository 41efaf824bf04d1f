// "Dispatch soon": the dispatcher's kicks (an item queued, a slot freed, a receiver bound) run one dispatch on the
// next turn of the event loop (setImmediate), however many came before it. The scheduler's tick, which queues
// receipts and then dispatches itself, holds them meanwhile (dispatchAfter): the receipts of a commit take no
// event-loop turn of their own (at window 1 with receipts, one a message).
export class Kicks {
  private scheduled = false;
  private holding = false;
  /** a kick came while held */
  private wanted = false;

  constructor(private readonly dispatch: () => void) {}

  kick(): void {
    if (this.holding) this.wanted = true;
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }

  /** Runs queue(arg), then one dispatch; a kick meanwhile adds none (if queue throws, it kicks after all). */
  dispatchAfter<T>(queue: (arg: T) => void, arg: T): void {
    this.holding = true;
    try {
      queue(arg);
    } catch (e) {
      this.release();
      throw e;
    }
    this.holding = false;
    this.wanted = false;
    this.dispatch();
  }

  private release(): void {
    this.holding = false;
    if (this.wanted) {
      this.wanted = false;
      this.kick();
    }
  }

  private readonly run = (): void => {
    this.scheduled = false;
    this.dispatch();
  };
}
