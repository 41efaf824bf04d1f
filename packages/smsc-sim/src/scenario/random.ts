// Seeded pseudo-random numbers (mulberry32) and the delay distributions the scenario engine draws from.
// One generator per simulator, so a run with the same seed and the same traffic makes the same decisions.

export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A delay in milliseconds: a fixed number or a distribution. */
export type Delay =
  | number
  | { fixed: number }
  | { uniform: [number, number] }
  | { exponential: number } // mean
  | { normal: { mean: number; stddev: number } };

export function sampleDelay(d: Delay | undefined, rnd: Random): number {
  if (d === undefined) return 0;
  if (typeof d === 'number') return d;
  if ('fixed' in d) return d.fixed;
  if ('uniform' in d) return d.uniform[0] + rnd() * (d.uniform[1] - d.uniform[0]);
  if ('exponential' in d) return -Math.log(1 - rnd()) * d.exponential;
  // Box–Muller; clamp at 0, a delay cannot be negative.
  const u = 1 - rnd();
  const v = rnd();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(0, d.normal.mean + z * d.normal.stddev);
}

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
