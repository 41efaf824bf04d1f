// Exponential back-off with jitter, shared by retries and reconnects.

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay that is randomised, 0..1 (default 0.5): delay × (1 − jitter × random). */
  jitter?: number;
}

/** Delay before attempt number `attempt` (1 = first retry). `random` in [0, 1). */
export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const factor = o.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, o.jitter ?? 0.5));
  const raw = Math.min(o.maxDelayMs, o.initialDelayMs * factor ** Math.max(0, attempt - 1));
  return raw * (1 - jitter * random());
}
