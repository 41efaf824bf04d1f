// Helpers for the admin API's tests: JSON over fetch, and raw HTTP over a socket (for what fetch will not send:
// absolute-form targets, dot segments, bad percent-encoding).
import net from 'node:net';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  json: any;
}

export function apiClient(base: () => string, token?: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(base() + path, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    return { status: res.status, headers: res.headers, json } as ApiAnswer;
  };
}

/** Writes `request` as is and resolves with the status, headers and body of the answer. */
export function rawHttp(
  port: number,
  request: string | Buffer,
): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    // written, not ended: the server closes (Connection: close) once it has answered
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: rest.join('\r\n\r\n') });
    });
  });
}
