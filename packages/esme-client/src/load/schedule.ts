// The open loop's arrival schedule: segments of linearly changing rate (a constant rate, a ramp, steps), the last
// one held. Arrival i is due when the integral of the rate reaches i — closed form per segment, no timers.

export interface Segment {
  /** Rate at the start and at the end of the segment (arrivals/s); length in ms (Infinity for the last). */
  from: number;
  to: number;
  ms: number;
}

interface Placed extends Segment {
  /** Start (ms after the run's start) and arrivals before it. */
  t0: number;
  n0: number;
  /** Arrivals within it (Infinity for the last). */
  n: number;
}

/** Arrivals in the first t seconds of a segment: r0 t + a t², a = (r1 - r0) / 2T. */
function countIn(s: Segment, tSec: number): number {
  if (s.ms === Infinity || s.from === s.to) return s.from * tSec;
  const a = (s.to - s.from) / (2 * (s.ms / 1000));
  return s.from * tSec + a * tSec * tSec;
}

/** Time (s) into a segment at which its k-th arrival is due. */
function timeIn(s: Segment, k: number): number {
  if (s.ms === Infinity || s.from === s.to) return k / s.from;
  const a = (s.to - s.from) / (2 * (s.ms / 1000));
  if (Math.abs(a) < 1e-12) return k / s.from;
  return (-s.from + Math.sqrt(Math.max(0, s.from * s.from + 4 * a * k))) / (2 * a);
}

export class Schedule {
  private readonly segs: Placed[] = [];
  private hint = 0;

  constructor(segments: Segment[]) {
    if (segments.length === 0) throw new Error('schedule: no segments');
    const list = [...segments];
    const last = list[list.length - 1]!;
    if (last.ms !== Infinity) list.push({ from: last.to, to: last.to, ms: Infinity });
    else if (last.from !== last.to) throw new Error('schedule: the last (held) segment must have a constant rate');
    let t0 = 0;
    let n0 = 0;
    list.forEach((s, i) => {
      if (!(s.from > 0 && s.to > 0))
        throw new Error(`schedule: rates must be > 0 (segment ${i + 1}: ${s.from}..${s.to})`);
      if (!(s.ms > 0)) throw new Error(`schedule: segment ${i + 1} has length ${s.ms} ms`);
      const n = s.ms === Infinity ? Infinity : countIn(s, s.ms / 1000);
      this.segs.push({ ...s, t0, n0, n });
      t0 += s.ms;
      n0 += n;
    });
  }

  /** A constant rate; a ramp from..to over ms then held; steps of ms each, the last held. */
  static constant(rate: number): Schedule {
    return new Schedule([{ from: rate, to: rate, ms: Infinity }]);
  }
  static ramp(from: number, to: number, ms: number): Schedule {
    return new Schedule([
      { from, to, ms },
      { from: to, to, ms: Infinity },
    ]);
  }
  static steps(rates: number[], ms: number): Schedule {
    return new Schedule(rates.map((r, i) => ({ from: r, to: r, ms: i === rates.length - 1 ? Infinity : ms })));
  }

  /** Due time of arrival i, ms after the start (i increases, so the segment search starts where it left off). */
  offsetOf(i: number): number {
    let k = this.hint;
    if (i < this.segs[k]!.n0) k = 0;
    while (i >= this.segs[k]!.n0 + this.segs[k]!.n) k++;
    this.hint = k;
    const s = this.segs[k]!;
    return s.t0 + timeIn(s, i - s.n0) * 1000;
  }

  /** Arrivals due by `ms` after the start. */
  countBy(ms: number): number {
    let k = 0;
    while (ms >= this.segs[k]!.t0 + this.segs[k]!.ms) k++;
    const s = this.segs[k]!;
    return Math.ceil(s.n0 + countIn(s, (ms - s.t0) / 1000) - 1e-9);
  }

  /** The rate at `ms` after the start. */
  rateAt(ms: number): number {
    let k = 0;
    while (ms >= this.segs[k]!.t0 + this.segs[k]!.ms) k++;
    const s = this.segs[k]!;
    if (s.ms === Infinity) return s.to;
    return s.from + ((s.to - s.from) * (ms - s.t0)) / s.ms;
  }

  /** The highest rate anywhere in the schedule. */
  get peak(): number {
    return Math.max(...this.segs.map((s) => Math.max(s.from, s.to)));
  }
}
