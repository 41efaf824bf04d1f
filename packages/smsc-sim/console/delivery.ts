// The Delivery view: GET /api/stats/delivery over the chosen window, by account or destination prefix: the
// delivery rate (DELIVRD of final states), each state's count, and the receipt latency percentiles.
import { ApiError, api, errorText } from './api.js';
import { byId, clearErrors, el, fieldError, fmtNum, showText } from './dom.js';
import type { DeliveryStats } from './types.js';

let timer: ReturnType<typeof setInterval> | undefined;
let inFlight = false;

const FIRST = ['DELIVRD', 'UNDELIV', 'EXPIRED', 'REJECTD'];

function query(): string {
  const form = byId<HTMLFormElement>('dl-form');
  const by = byId<HTMLSelectElement>('dl-by').value;
  const q = new URLSearchParams({ window: byId<HTMLSelectElement>('dl-window').value, by });
  if (by === 'prefix') q.set('prefixLength', byId<HTMLInputElement>('dl-prefix').value);
  byId<HTMLInputElement>('dl-prefix').disabled = by !== 'prefix';
  form.dataset.query = q.toString();
  return q.toString();
}

const ms = (v: number | null) => (v === null ? '–' : `${fmtNum(Math.round(v))} ms`);

function render(s: DeliveryStats) {
  const l = s.latency;
  byId('dl-latency').replaceChildren(
    ...(
      [
        ['receipts', fmtNum(l.count)],
        ['p50', ms(l.p50)],
        ['p90', ms(l.p90)],
        ['p99', ms(l.p99)],
        ['max', ms(l.max)],
      ] as const
    ).flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-latency': k }, v)]),
  );
  const seen = new Set(s.rows.flatMap((r) => Object.keys(r.states)));
  const states = [...FIRST.filter((x) => seen.has(x)), ...[...seen].filter((x) => !FIRST.includes(x)).sort()];
  const th = (t: string, cls?: string) => el('th', { scope: 'col', class: cls }, t);
  byId('dl-head').replaceChildren(
    el(
      'tr',
      {},
      th(s.by === 'prefix' ? 'Destination prefix' : 'Account'),
      th('Submitted', 'num'),
      th('Final', 'num'),
      th('Delivered', 'num'),
      th('Delivery rate'),
      ...states.map((x) => th(x, 'num')),
    ),
  );
  byId('dl-body').replaceChildren(
    ...s.rows.map((r) =>
      el(
        'tr',
        { 'data-key': r.key },
        el('th', { scope: 'row' }, r.key),
        el('td', { class: 'num' }, fmtNum(r.submitted)),
        el('td', { class: 'num' }, fmtNum(r.final)),
        el('td', { class: 'num' }, fmtNum(r.delivered)),
        el(
          'td',
          { class: 'rate', 'data-rate': r.rate ?? '' },
          r.rate === null ? '– (nothing final yet)' : `${(r.rate * 100).toFixed(1)} %`,
          r.rate === null ? null : el('span', { class: 'bar', style: `--rate:${r.rate}`, 'aria-hidden': 'true' }),
        ),
        ...states.map((x) => el('td', { class: 'num' }, fmtNum(r.states[x] ?? 0))),
      ),
    ),
  );
  const win = byId<HTMLSelectElement>('dl-window').selectedOptions[0]?.textContent ?? `${s.window} s`;
  byId('dl-caption').textContent =
    s.rows.length === 0
      ? `No message submitted in the last ${win}`
      : `Delivery rate (DELIVRD of final states), last ${win}, by ${s.by === 'prefix' ? 'destination prefix' : 'account'}`;
}

export async function refreshDelivery(): Promise<void> {
  if (inFlight) return;
  inFlight = true;
  const form = byId('view-delivery');
  try {
    const s = await api<DeliveryStats>('GET', `/api/stats/delivery?${query()}`);
    clearErrors(form);
    render(s);
  } catch (e) {
    clearErrors(form);
    if (e instanceof ApiError && e.field === 'prefixLength') fieldError('dl-prefix', e.message, false);
    else showText(byId('dl-error'), `Delivery statistics: ${errorText(e)}`);
  } finally {
    inFlight = false;
  }
}

export function showDelivery(on: boolean): void {
  clearInterval(timer);
  if (!on) return;
  void refreshDelivery();
  timer = setInterval(() => void refreshDelivery(), 3000);
}

export function initDelivery(): void {
  const form = byId<HTMLFormElement>('dl-form');
  form.addEventListener('change', () => void refreshDelivery());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void refreshDelivery();
  });
  query();
}
