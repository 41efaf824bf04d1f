// Calls to the admin API: JSON in and out; the token (kept in sessionStorage) sent as Bearer; a 401 asks for it.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** the field the API named (`rules[2].errorStatus`, `text`), or null */
    readonly field: string | null,
  ) {
    super(message);
  }
}

const KEY = 'smsc-sim.api-token';
export const getToken = (): string | null => sessionStorage.getItem(KEY);
export function setToken(t: string): void {
  sessionStorage.setItem(KEY, t);
  window.dispatchEvent(new Event('smsc-token'));
}

/** Shown when a call answers 401: resolves with the token entered, rejects when the person declines. */
let prompt: (wrong: boolean) => Promise<string> = () => Promise.reject(new Error('no token prompt'));
let asking: Promise<void> | null = null;
export function onTokenNeeded(fn: (wrong: boolean) => Promise<string>): void {
  prompt = fn;
}

/** One prompt for every call that met a 401 meanwhile. */
export function needToken(hadToken: boolean): Promise<void> {
  asking ??= prompt(hadToken)
    .then(setToken)
    .finally(() => (asking = null));
  return asking;
}

/** `field: message` at the start of an error (after `body: `) names its field when the body does not. */
function fieldOf(message: string): string | null {
  const m = /^(?:body[.:] ?)?([A-Za-z_][\w.[\]]*): /.exec(message);
  return m ? m[1] : null;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  for (;;) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token = getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 401) {
      try {
        await needToken(token !== null);
      } catch {
        throw new ApiError(401, 'the admin API needs a token', null);
      }
      continue;
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: reported below when the status is an error */
    }
    if (!res.ok) {
      const e = (json ?? {}) as { error?: unknown; field?: unknown };
      const msg = typeof e.error === 'string' ? e.error : `${method} ${path} answered HTTP ${res.status}`;
      throw new ApiError(res.status, msg, typeof e.field === 'string' ? e.field : fieldOf(msg));
    }
    return json as T;
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
