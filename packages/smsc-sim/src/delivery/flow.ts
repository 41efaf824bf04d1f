// Flow control of deliveries to one session (AIMD, as TCP does it): a deliver_sm refused because the ESME cannot take
// more now (ESME_RTHROTTLED, ESME_RMSGQFUL: its receive queue is full) halves the session's delivery window (at
// least 1) and pauses its deliveries for BACKOFF_MS, doubled (up to BACKOFF_MAX_MS) at each shrink that follows one
// with no delivery acknowledged since; each full window of acknowledged deliveries then grows the window by one, up
// to deliveryWindow. One refusal per window shrinks it: the others of the same window (sent before the shrink) are
// counted but change nothing more. The refused deliver_sm go back to the head of the queue, at once.

/** first pause after a refusal for capacity */
export const BACKOFF_MS = 100;
/** longest pause */
export const BACKOFF_MAX_MS = 5_000;

/** What a session shows of its flow (server/connection.ts's info()). */
export interface FlowInfo {
  readonly window: number;
  readonly throttled: number;
  readonly deferred: number;
}

export class DeliveryFlow implements FlowInfo {
  /** deliver_sm this session may have unanswered now (at most `max`) */
  window: number;
  /** deliveries refused ESME_RTHROTTLED or ESME_RMSGQFUL (each sent again) */
  throttled = 0;
  /** deliveries put back unsent or refused while the session unbinds or closes (kept owed, not an attempt) */
  deferred = 0;
  /** no deliveries before this time (epoch ms) */
  pausedUntil = 0;
  /** the session said it takes no deliveries any more (ESME_RINVBNDSTS: it is unbinding) */
  stopped = false;
  /** bumped at each shrink: a refusal of a deliver_sm sent before the last shrink does not shrink again */
  epoch = 0;
  private backoff = 0;
  private ackedInWindow = 0;
  /** a delivery was acknowledged since the last shrink: the next back-off starts over */
  private progress = true;

  constructor(readonly max: number) {
    this.window = max;
  }

  hasRoom(inFlight: number, now: number): boolean {
    return !this.stopped && inFlight < this.window && now >= this.pausedUntil;
  }

  acked(): void {
    this.progress = true;
    if (++this.ackedInWindow < this.window) return;
    this.ackedInWindow = 0;
    if (this.window < this.max) this.window++;
  }

  /** A deliver_sm sent in `sentEpoch` refused for capacity; true when this refusal shrank the window. */
  refused(sentEpoch: number, now: number): boolean {
    this.throttled++;
    if (sentEpoch !== this.epoch) return false;
    this.epoch++;
    this.window = Math.max(1, this.window >> 1);
    this.backoff = this.progress ? BACKOFF_MS : Math.min(BACKOFF_MAX_MS, this.backoff * 2);
    this.progress = false;
    this.pausedUntil = now + this.backoff;
    this.ackedInWindow = 0;
    return true;
  }

  /** the pause now in force after a refusal, ms */
  get backoffMs(): number {
    return this.backoff;
  }
}
