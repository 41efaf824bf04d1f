// The live feed: GET /api/events (server-sent events, `tick` every second, `sessions` on every bind and close).
// An EventSource cannot send headers: the token goes as ?token=. When the stream fails for good (401, 404, the
// simulator gone) a plain call tells why (a 401 asks for the token) and the stream is opened again, backing off.
import { api, errorText, getToken } from './api.js';
import type { SessionInfo, Tick } from './types.js';

export interface Feed {
  tick(t: Tick): void;
  sessions(s: SessionInfo[]): void;
  status(state: 'live' | 'connecting' | 'offline', text: string): void;
}

export function connectEvents(feed: Feed): void {
  let es: EventSource | null = null;
  let backoff = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    clearTimeout(timer);
    es?.close();
    const token = getToken();
    const src = new EventSource(`/api/events${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    es = src;
    feed.status('connecting', 'connecting…');
    src.onopen = () => {
      backoff = 1000;
      feed.status('live', 'live');
    };
    src.addEventListener('tick', (e) => feed.tick(JSON.parse((e as MessageEvent<string>).data) as Tick));
    src.addEventListener('sessions', (e) =>
      feed.sessions((JSON.parse((e as MessageEvent<string>).data) as { sessions: SessionInfo[] }).sessions),
    );
    src.onerror = () => {
      if (src !== es) return;
      if (src.readyState !== EventSource.CLOSED) return feed.status('connecting', 'reconnecting…');
      src.close();
      api<{ sessions: SessionInfo[] }>('GET', '/api/sessions')
        .then((r) => {
          feed.sessions(r.sessions);
          feed.status('offline', `no event stream: retrying in ${Math.round(backoff / 1000)} s`);
        })
        .catch((err: unknown) => feed.status('offline', `offline: ${errorText(err)}`))
        .finally(() => {
          if (src !== es) return; // a new token opened a new stream meanwhile
          timer = setTimeout(open, backoff);
          backoff = Math.min(backoff * 2, 15_000);
        });
    };
  };
  window.addEventListener('smsc-token', open);
  open();
}
