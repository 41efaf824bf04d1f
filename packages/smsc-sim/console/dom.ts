// Small DOM helpers: build elements, find them by id, format numbers and times, show an error at its field.

type Child = Node | string | number | null | undefined | false;

/** An element with attributes (`class`, `aria-*`, `data-*`, …) and children; strings become text, never HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children)
    if (c !== null && c !== undefined && c !== false) e.append(typeof c === 'number' ? String(c) : c);
  return e;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`console: no element #${id}`);
  return e as T;
}

export const fmtNum = (n: number | null | undefined): string =>
  n === null || n === undefined ? '–' : n.toLocaleString('en');

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = d.toDateString() === new Date().toDateString();
  const time = d.toLocaleTimeString('en-GB', { hour12: false });
  return sameDay ? time : `${d.toISOString().slice(0, 10)} ${time}`;
}

/** "3 min 2 s ago" style age of an ISO time. */
export function fmtAge(iso: string | null | undefined): string {
  if (!iso) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Shows `message` under the control with `id` (its `<p id="<id>-error">`), marks the control invalid. */
export function fieldError(id: string, message: string, focus = true): void {
  const input = byId<HTMLInputElement>(id);
  const p = byId(`${id}-error`);
  p.textContent = message;
  p.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  if (focus) input.focus();
}

/** Clears every field error (and the form-level one) inside `root`. */
export function clearErrors(root: HTMLElement): void {
  for (const p of root.querySelectorAll<HTMLElement>('.field-error, .form-error')) {
    p.hidden = true;
    p.textContent = '';
  }
  for (const i of root.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
}

export function showText(p: HTMLElement, text: string): void {
  p.textContent = text;
  p.hidden = text === '';
}

/** Runs `fn` once `ms` after the last call. */
export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): (...a: A) => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}
