// The scenario rules and faults editors (JSON textareas): GET to fill, PUT to save; a JSON syntax error or the
// API's validation error is shown under the textarea and the value it names is selected in the text.
import { ApiError, api, errorText } from './api.js';
import { byId, clearErrors, fieldError } from './dom.js';
import { selectField } from './json-paths.js';

type Faults = { global: unknown; accounts: Record<string, unknown> };
let faults: Faults = { global: null, accounts: {} };

function parse(id: string): { ok: true; value: unknown } | { ok: false } {
  const area = byId<HTMLTextAreaElement>(id);
  try {
    return { ok: true, value: JSON.parse(area.value.trim() === '' ? 'null' : area.value) };
  } catch (e) {
    fieldError(id, `not valid JSON: ${errorText(e)}`);
    return { ok: false };
  }
}

/** An API error at its field: the systemId input, or the place in the JSON it names, or under the textarea. */
function showApiError(e: unknown, area: string, root: string, value: unknown, inputs: Record<string, string> = {}) {
  const field = e instanceof ApiError ? e.field : null;
  const input = field ? inputs[field] : undefined;
  if (input) return fieldError(input, errorText(e));
  const a = byId<HTMLTextAreaElement>(area);
  const placed = selectField(a, value, root, field);
  fieldError(area, errorText(e), !placed);
}

async function loadRules() {
  const r = await api<{ rules: unknown[] }>('GET', '/api/rules');
  byId<HTMLTextAreaElement>('rules-json').value = JSON.stringify(r.rules, null, 2);
}

async function saveRules() {
  const form = byId('rules-form');
  clearErrors(form);
  byId('rules-result').textContent = '';
  const p = parse('rules-json');
  if (!p.ok) return;
  try {
    const r = await api<{ rules: unknown[] }>('PUT', '/api/rules', { rules: p.value });
    byId<HTMLTextAreaElement>('rules-json').value = JSON.stringify(r.rules, null, 2);
    byId('rules-result').textContent = `Saved ${r.rules.length} rule${r.rules.length === 1 ? '' : 's'}.`;
  } catch (e) {
    showApiError(e, 'rules-json', 'rules', p.value);
  }
}

function showFaults() {
  const id = byId<HTMLInputElement>('faults-systemId').value.trim();
  const f = id ? (faults.accounts[id] ?? null) : faults.global;
  byId<HTMLTextAreaElement>('faults-json').value = JSON.stringify(f, null, 2);
}

async function loadFaults() {
  faults = await api<Faults>('GET', '/api/faults');
  showFaults();
}

async function saveFaults() {
  const form = byId('faults-form');
  clearErrors(form);
  byId('faults-result').textContent = '';
  const p = parse('faults-json');
  if (!p.ok) return;
  const systemId = byId<HTMLInputElement>('faults-systemId').value.trim();
  const body: Record<string, unknown> = { faults: p.value };
  if (systemId) body.systemId = systemId;
  try {
    faults = await api<Faults>('PUT', '/api/faults', body);
    showFaults();
    byId('faults-result').textContent = `Saved faults for ${systemId || 'every account'}.`;
  } catch (e) {
    showApiError(e, 'faults-json', 'faults', p.value, { systemId: 'faults-systemId' });
  }
}

const report = (id: string) => (e: unknown) => {
  byId(id).textContent = `Could not load: ${errorText(e)}`;
};

export function loadEditors(): void {
  loadRules().catch(report('rules-result'));
  loadFaults().catch(report('faults-result'));
}

export function initEditors(): void {
  const submit = (id: string, fn: () => Promise<void>) =>
    byId(id).addEventListener('submit', (e) => {
      e.preventDefault();
      void fn();
    });
  submit('rules-form', saveRules);
  submit('faults-form', saveFaults);
  byId('rules-reload').addEventListener('click', () => {
    clearErrors(byId('rules-form'));
    loadRules().catch(report('rules-result'));
  });
  byId('faults-reload').addEventListener('click', () => {
    clearErrors(byId('faults-form'));
    loadFaults().catch(report('faults-result'));
  });
  // the textarea shows the named account's faults as its system_id is typed (before the faults are edited)
  byId('faults-systemId').addEventListener('input', showFaults);
}
