// A Prometheus histogram whose observe() is one loop over the bounds and two additions (prom-client's Histogram
// checks and hashes its labels on every call: too much for one call per receipt). It has no labels; a scrape
// reads it through the registry like any prom-client metric, in the same exposition format (cumulative
// `_bucket{le}` lines, `+Inf`, `_sum`, `_count`).
import type { Registry } from 'prom-client';

export class LatencyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** observations per bucket (the last: above every bound) */
  private readonly counts: Float64Array;
  private sum = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
    registry.registerMetric(this as never);
  }

  observe(value: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > b[i]) i++;
    this.counts[i]++;
    this.sum += value;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
  }

  get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }>;
  }> {
    const bucket = `${this.name}_bucket`;
    const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
    let acc = 0;
    this.bounds.forEach((le, i) => {
      acc += this.counts[i];
      values.push({ metricName: bucket, labels: { le }, value: acc });
    });
    acc += this.counts[this.bounds.length];
    values.push({ metricName: bucket, labels: { le: '+Inf' }, value: acc });
    values.push({ metricName: `${this.name}_sum`, labels: {}, value: this.sum });
    values.push({ metricName: `${this.name}_count`, labels: {}, value: acc });
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }
}
