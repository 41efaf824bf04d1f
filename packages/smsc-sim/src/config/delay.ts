// A delay setting (rules, defaultDelayMs): a number of ms or a distribution; scenario/random.ts samples it.

/** A delay in milliseconds: a fixed number or a distribution. */
export type Delay =
  | number
  | { fixed: number }
  | { uniform: [number, number] }
  | { exponential: number } // mean
  | { normal: { mean: number; stddev: number } };

/** Checks a Delay value read from a config; returns an error text naming the field and value, or null. */
export function delayError(field: string, d: unknown): string | null {
  const bad = `${field}: ${JSON.stringify(d)} is not a delay (a number of ms, {fixed}, {uniform:[min,max]}, {exponential:mean} or {normal:{mean,stddev}})`;
  const nonNeg = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  if (nonNeg(d)) return null;
  if (typeof d !== 'object' || d === null) return bad;
  const o = d as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1) return bad;
  if (keys[0] === 'fixed') return nonNeg(o.fixed) ? null : bad;
  if (keys[0] === 'exponential') return nonNeg(o.exponential) ? null : bad;
  if (keys[0] === 'uniform') {
    const u = o.uniform;
    return Array.isArray(u) && u.length === 2 && nonNeg(u[0]) && nonNeg(u[1]) && u[0] <= u[1] ? null : bad;
  }
  if (keys[0] === 'normal') {
    const n = o.normal as Record<string, unknown> | null;
    return n && typeof n === 'object' && nonNeg(n.mean) && nonNeg(n.stddev) ? null : bad;
  }
  return bad;
}
