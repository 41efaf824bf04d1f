// The Messages view: search (system_id, from, to, state, text, time range), paged, a row's id opens its detail.
import { ApiError, api, errorText } from './api.js';
import { byId, clearErrors, el, fmtNum, fmtTime, showText } from './dom.js';
import { initDetail, openDetail } from './message-detail.js';
import type { MessageView } from './types.js';

export const STATES = [
  'SCHEDULED',
  'ENROUTE',
  'DELIVERED',
  'EXPIRED',
  'DELETED',
  'UNDELIVERABLE',
  'ACCEPTED',
  'UNKNOWN',
  'REJECTED',
  'SKIPPED',
];

let offset = 0;
/** where the current stretch of a bounded look begins (an answer's cursor; none: the newest), and those before it */
let cursor: string | undefined;
const earlier: Array<string | undefined> = [];
/** the last answer: what Next does */
let last: { to: number; total: number; cursor?: string } = { to: 0, total: 0 };

const input = (name: string) => byId<HTMLInputElement>(`q-${name}`);
const limit = () => Number(byId<HTMLSelectElement>('q-limit').value);

function query(): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of ['systemId', 'from', 'to', 'state', 'text']) {
    const v = input(k).value.trim();
    if (v) q.set(k, v);
  }
  for (const k of ['since', 'until']) {
    const v = input(k).value;
    if (v) q.set(k, new Date(v).toISOString());
  }
  q.set('limit', String(limit()));
  q.set('offset', String(offset));
  if (cursor !== undefined) q.set('cursor', cursor);
  return q;
}

function row(m: MessageView): HTMLTableRowElement {
  const open = el('button', { type: 'button', class: 'link mono', 'aria-label': `Open message ${m.id}` }, m.id);
  open.addEventListener('click', () => void openDetail(m.id));
  return el(
    'tr',
    { 'data-id': m.id },
    el('td', { title: m.submittedAt }, fmtTime(m.submittedAt)),
    el('td', {}, open),
    el('td', {}, m.direction),
    el('td', {}, m.systemId),
    el('td', { class: 'mono' }, m.from),
    el('td', { class: 'mono' }, m.to),
    el('td', {}, el('span', { class: `state s-${m.state}` }, m.state)),
    el('td', { class: 'num' }, m.partTotal > 1 ? `${m.partsReceived}/${m.partTotal}` : '1'),
    el('td', { class: 'text-cell', title: m.text }, m.text.length > 60 ? `${m.text.slice(0, 60)}…` : m.text),
  );
}

export async function search(): Promise<void> {
  const form = byId('msg-form');
  clearErrors(form);
  const err = byId('msg-error');
  try {
    const r = await api<{
      total: number;
      totalIsLowerBound?: true;
      scanned?: { fromId: number; toId: number };
      cursor?: string;
      messages: MessageView[];
    }>('GET', `/api/messages?${query()}`);
    showText(err, '');
    byId('msg-body').replaceChildren(...r.messages.map(row));
    const to = offset + r.messages.length;
    last = { to, total: r.total, ...(r.cursor !== undefined && { cursor: r.cursor }) };
    // a filtered total may be a lower bound (the API counts the newest matches only, within a bounded look)
    const of = `${fmtNum(r.total)}${r.totalIsLowerBound ? '+' : ''}`;
    let range = r.messages.length ? `${fmtNum(offset + 1)}–${fmtNum(to)} of ${of}` : `0 of ${of}`;
    // the look did not cover every message: say which it looked at (Next page goes on past them)
    if (r.scanned) range += ` in ids ${fmtNum(r.scanned.fromId)}–${fmtNum(r.scanned.toId)}`;
    byId('msg-caption').textContent = `Messages ${range}`;
    byId('msg-page').textContent = range;
    byId<HTMLButtonElement>('msg-prev').disabled = offset === 0 && earlier.length === 0;
    byId<HTMLButtonElement>('msg-next').disabled = to >= r.total && r.cursor === undefined;
  } catch (e) {
    showText(err, errorText(e));
    const field = e instanceof ApiError && e.field ? document.getElementById(`q-${e.field}`) : null;
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-describedby', 'msg-error');
      field.focus();
    }
  }
}

export function initMessages(): void {
  const state = byId<HTMLSelectElement>('q-state');
  state.append(...STATES.map((s) => el('option', { value: s }, s)));
  const form = byId<HTMLFormElement>('msg-form');
  const restart = () => {
    offset = 0;
    cursor = undefined;
    earlier.length = 0;
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    restart();
    void search();
  });
  form.addEventListener('reset', () => {
    restart();
    setTimeout(() => void search());
  });
  byId('msg-prev').addEventListener('click', () => {
    if (offset > 0) offset = Math.max(0, offset - limit());
    else if (earlier.length) cursor = earlier.pop();
    void search();
  });
  // within what the answer counted, by offset; past it, from the answer's cursor (the look goes on)
  byId('msg-next').addEventListener('click', () => {
    if (last.to < last.total) offset += limit();
    else if (last.cursor !== undefined) {
      earlier.push(cursor);
      cursor = last.cursor;
      offset = 0;
    }
    void search();
  });
  initDetail();
}
