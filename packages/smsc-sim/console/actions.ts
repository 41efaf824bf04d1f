// The Actions view's MO form (with POST /api/mo/preview as you type) and the clear-messages button.
import { ApiError, api, errorText } from './api.js';
import { byId, clearErrors, debounce, fieldError, showText } from './dom.js';
import type { MoPreview } from './types.js';

const FIELDS = ['systemId', 'from', 'to', 'text'] as const;

function body(): Record<string, string> {
  const b: Record<string, string> = {};
  for (const k of FIELDS) {
    const v = byId<HTMLInputElement>(`mo-${k}`).value;
    if (k === 'text' ? v !== '' : v.trim() !== '') b[k] = k === 'text' ? v : v.trim();
  }
  return b;
}

const UNIT: Record<string, [string, string]> = {
  septet: ['septet', 'septets'],
  octet: ['octet', 'octets'],
  utf16: ['UTF-16 unit', 'UTF-16 units'],
};

function units(p: MoPreview): string {
  const kind = p.unit ?? (/GSM/i.test(p.encoding) ? 'septet' : 'octet');
  const [one, many] = UNIT[kind] ?? [kind, kind];
  return `${p.septetsOrOctets} ${p.septetsOrOctets === 1 ? one : many}`;
}

const preview = debounce(async () => {
  const out = byId('mo-preview');
  const b = body();
  if (b.text === undefined) {
    out.textContent = 'type a text to see its encoding and parts';
    return;
  }
  try {
    const p = await api<MoPreview>('POST', '/api/mo/preview', { from: 'x', to: 'x', ...b });
    if (body().text !== b.text) return; // typed on meanwhile: the next preview tells
    out.textContent =
      `${p.encoding} (data_coding 0x${p.dataCoding.toString(16).padStart(2, '0')}) · ` +
      `${p.parts} part${p.parts === 1 ? '' : 's'} · ${units(p)}, ${p.perPart} a part`;
    out.dataset.parts = String(p.parts);
    out.dataset.encoding = p.encoding;
  } catch (e) {
    out.textContent = `no preview: ${errorText(e)}`;
  }
}, 250);

async function inject() {
  const form = byId('mo-form');
  clearErrors(form);
  const result = byId('mo-result');
  result.textContent = '';
  const b = body();
  const missing = (['from', 'to', 'text'] as const).filter((k) => b[k] === undefined);
  for (const [i, k] of missing.entries()) fieldError(`mo-${k}`, `${k} is required`, i === 0);
  if (missing.length) return;
  try {
    const r = await api<{ ids: string[]; deliverTo: string; parts: number; dataCoding: number }>('POST', '/api/mo', b);
    result.textContent = `MO queued for ${r.deliverTo}: ${r.parts} part${r.parts === 1 ? '' : 's'}, message id ${r.ids.join(', ')}.`;
  } catch (e) {
    const f = e instanceof ApiError ? e.field : null;
    if (f && (FIELDS as readonly string[]).includes(f)) fieldError(`mo-${f}`, errorText(e));
    else showText(byId('mo-error'), errorText(e));
  }
}

function initClear() {
  const ask = byId<HTMLButtonElement>('clear-ask');
  const box = byId('clear-confirm');
  const result = byId('clear-result');
  const close = () => {
    box.hidden = true;
    ask.hidden = false;
    ask.focus();
  };
  ask.addEventListener('click', () => {
    result.textContent = '';
    box.hidden = false;
    ask.hidden = true;
    byId('clear-no').focus();
  });
  byId('clear-no').addEventListener('click', close);
  byId('clear-yes').addEventListener('click', () => {
    api<{ deleted: number }>('DELETE', '/api/messages')
      .then((r) => (result.textContent = `Deleted ${r.deleted} message${r.deleted === 1 ? '' : 's'}.`))
      .catch((e: unknown) => (result.textContent = `Not cleared: ${errorText(e)}`))
      .finally(close);
  });
}

export function initActions(): void {
  const form = byId<HTMLFormElement>('mo-form');
  form.addEventListener('input', () => preview());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void inject();
  });
  initClear();
}
