// Seeded pseudo-random numbers (mulberry32) and the delay distributions the scenario engine draws from.
// One generator per simulator, so a run with the same seed and the same traffic makes the same decisions.
import type { Delay } from '../config/delay.js';

export type { Delay };

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
