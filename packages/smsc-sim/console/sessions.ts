// The Sessions view: one row a connection, from GET /api/sessions and every SSE `sessions` event; unbind and drop.
import { api, errorText } from './api.js';
import { byId, el, fmtAge, fmtNum, fmtTime } from './dom.js';
import type { SessionInfo } from './types.js';

let notify: (text: string) => void = () => {};

const peer = (s: SessionInfo) =>
  s.remoteAddress !== undefined ? `${s.remoteAddress}:${s.remotePort ?? ''}` : (s.remote ?? '–');

function row(s: SessionInfo): HTMLTableRowElement {
  const since = s.since ?? s.boundAt ?? s.connectedAt ?? null;
  const who = s.systemId ?? `connection ${s.id}`;
  const action = (name: 'unbind' | 'drop', label: string) => {
    const b = el(
      'button',
      { type: 'button', class: name === 'drop' ? 'danger' : '', 'aria-label': `${label} ${who}` },
      label,
    );
    b.addEventListener('click', () => {
      b.disabled = true;
      api('POST', `/api/sessions/${s.id}/${name}`)
        .then(() => notify(`${who}: ${name} sent`))
        .catch((e: unknown) => {
          notify(`${who}: ${name} failed: ${errorText(e)}`);
          b.disabled = false;
        });
    });
    return b;
  };
  return el(
    'tr',
    { 'data-session': s.id },
    el('td', { class: 'num' }, s.id),
    el('th', { scope: 'row' }, s.systemId ?? el('em', {}, 'not bound')),
    el('td', {}, s.bindType ?? '–', s.tls ? el('span', { class: 'tag' }, 'TLS') : null),
    el('td', { class: 'mono' }, peer(s)),
    el(
      'td',
      { title: since ?? '' },
      fmtTime(since),
      since ? el('span', { class: 'dim' }, ` (${fmtAge(since)})`) : null,
    ),
    el('td', { class: 'num' }, fmtNum(s.windowInUse ?? s.pending)),
    el('td', { class: 'num' }, s.tps === undefined ? '–' : s.tps.toFixed(1)),
    el('td', { class: 'num' }, fmtNum(s.pdusIn ?? s.requestsIn)),
    el('td', { class: 'num' }, fmtNum(s.pdusOut)),
    el('td', { class: 'actions' }, action('unbind', 'Unbind'), action('drop', 'Drop')),
  );
}

export function renderSessions(list: SessionInfo[]): void {
  const sorted = [...list].sort((a, b) => a.id - b.id);
  byId('sessions-body').replaceChildren(...sorted.map(row));
  const bound = sorted.filter((s) => s.bindType).length;
  byId('sessions-caption').textContent =
    sorted.length === 0 ? 'no session' : `${sorted.length} connection${sorted.length === 1 ? '' : 's'}, ${bound} bound`;
}

export async function refreshSessions(): Promise<void> {
  renderSessions((await api<{ sessions: SessionInfo[] }>('GET', '/api/sessions')).sessions);
}

export function initSessions(notice: (text: string) => void): void {
  notify = notice;
}
