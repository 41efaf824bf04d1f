// One message in detail (GET /api/messages/:id): the reassembled text, its parts and message ids, the state
// history, the deliveries owed, and each stored PDU as decoded fields and a hex dump.
import { api, errorText } from './api.js';
import { byId, el, fmtNum, fmtTime } from './dom.js';
import type { MessageDetail, PduView } from './types.js';

const hex2 = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

/** Offset, 16 bytes in hex, and their printable ASCII: one line each. */
export function hexDump(hex: string): string {
  const bytes = hex.match(/../g) ?? [];
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.slice(i, i + 16);
    const ascii = row.map((b) => {
      const c = Number.parseInt(b, 16);
      return c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
    });
    lines.push(`${i.toString(16).padStart(4, '0')}  ${row.join(' ').padEnd(47)}  ${ascii.join('')}`);
  }
  return lines.join('\n');
}

function table(caption: string, head: string[], rows: Array<Array<string | number | Node>>): HTMLTableElement {
  return el(
    'table',
    { class: 'grid compact' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
  );
}

const value = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v));

function pdu(p: PduView, i: number): HTMLElement {
  const fields = p.fields ?? p.decoded ?? null;
  const command = p.command ?? (fields && typeof fields.command === 'string' ? fields.command : 'PDU');
  const title = [p.direction, command, p.id ? `part ${p.id}` : '', p.at ? fmtTime(p.at) : '']
    .filter(Boolean)
    .join(' · ');
  return el(
    'details',
    { class: 'pdu', open: i === 0 },
    el('summary', {}, title),
    fields
      ? el(
          'table',
          { class: 'grid compact fields' },
          el('caption', {}, `${command}: decoded fields`),
          el(
            'tbody',
            {},
            ...Object.entries(fields).map(([k, v]) =>
              el('tr', {}, el('th', { scope: 'row' }, k), el('td', { class: 'mono' }, value(v))),
            ),
          ),
        )
      : el('p', {}, 'the stored bytes do not decode'),
    p.hex
      ? el('pre', { class: 'hex', 'aria-label': `${command} in hex` }, hexDump(p.hex))
      : el('p', {}, 'no PDU bytes stored'),
  );
}

function render(m: MessageDetail): Node[] {
  const dl = el('dl', { class: 'kv' });
  const put = (k: string, v: string | number | null | undefined) => dl.append(el('dt', {}, k), el('dd', {}, v ?? '–'));
  put('Direction', `${m.direction} (${m.command})`);
  put('system_id', m.systemId);
  if (m.deliverTo) put('Delivered to', m.deliverTo);
  put('From', m.from);
  put('To', m.to);
  put('State', m.err ? `${m.state} (err ${hex2(m.err)})` : m.state);
  put('Parts', `${m.partsReceived} of ${m.partTotal}${m.complete ? '' : ' (incomplete)'}`);
  put('data_coding', hex2(m.dataCoding));
  put('esm_class', hex2(m.esmClass));
  put('registered_delivery', hex2(m.registeredDelivery));
  put('Submitted', fmtTime(m.submittedAt));
  put('Final', fmtTime(m.doneAt));
  if (m.scheduledAt) put('Scheduled', fmtTime(m.scheduledAt));
  put('Expires', fmtTime(m.expiresAt));
  const ids = m.messageIds ?? m.ids;
  const out: Node[] = [
    dl,
    el('h4', {}, 'Text (reassembled)'),
    el('pre', { class: 'text', 'data-role': 'text' }, m.text),
    el('h4', {}, `Message ids (${ids.length})`),
    el('ul', { class: 'ids' }, ...ids.map((id) => el('li', { class: 'mono' }, id))),
    table(
      'Parts',
      ['#', 'Message id', 'State', 'err', 'Submitted', 'Final', 'Text'],
      m.parts.map((p) => [
        p.partNum,
        p.id,
        p.state,
        p.err ? hex2(p.err) : '',
        fmtTime(p.submittedAt),
        fmtTime(p.doneAt),
        p.text,
      ]),
    ),
    table(
      'State history',
      ['At', 'Part', 'State', 'Detail'],
      m.history.map((h) => [fmtTime(h.at), h.id ?? '', h.state, h.detail ?? '']),
    ),
  ];
  if (m.deliveries?.length)
    out.push(
      table(
        'Deliveries',
        ['Part', 'Kind', 'To account', 'Status', 'Attempts'],
        m.deliveries.map((d) => [d.id, d.kind, d.systemId, d.status, fmtNum(d.attempts)]),
      ),
    );
  out.push(el('h4', {}, `PDUs (${m.pdus.length})`), ...m.pdus.map(pdu));
  return out;
}

export async function openDetail(id: string): Promise<void> {
  const box = byId('msg-detail');
  const body = byId('detail-body');
  box.hidden = false;
  byId('h-detail').textContent = `Message ${id}`;
  body.replaceChildren(el('p', {}, 'loading…'));
  try {
    body.replaceChildren(...render(await api<MessageDetail>('GET', `/api/messages/${encodeURIComponent(id)}`)));
  } catch (e) {
    body.replaceChildren(el('p', { class: 'form-error', role: 'alert' }, errorText(e)));
  }
  byId('h-detail').focus();
}

export function initDetail(): void {
  byId('detail-close').addEventListener('click', () => {
    byId('msg-detail').hidden = true;
    byId('msg-body').querySelector<HTMLElement>('button')?.focus();
  });
}
