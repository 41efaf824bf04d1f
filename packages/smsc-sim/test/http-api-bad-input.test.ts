// The admin API answers bad input with 4xx JSON naming the field, never a 500: every route with at least one bad
// input, and the requests that used to fail the old node:http API (URI malformed, deep JSON, absolute-form target,
// body over the limit, wrong method, closed outbind port).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { apiClient, rawHttp } from './http-helpers.js';

let smsc: SmscHandle;
const api = apiClient(() => `http://127.0.0.1:${smsc.httpPort}`);

beforeAll(async () => {
  smsc = await startSmsc({
    httpPort: 0,
    logLevel: 'silent',
    accounts: [{ systemId: 'web', password: 'pw', numbers: ['4470*'] }],
  });
});
afterAll(() => smsc.close());

describe('admin API: bad input is a 4xx JSON naming the field', () => {
  it('a message id that is not valid percent-encoding: 400, not a 500', async () => {
    const r = await api('GET', '/api/messages/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ field: 'url' });
    expect(r.json.error).toMatch(/%E0%A4%A/);
  });

  it('deeply nested JSON: 400 naming the body, not a stack overflow', async () => {
    const r = await api('PUT', '/api/rules', '['.repeat(100_000));
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: 'body: JSON nested deeper than 64 levels', field: 'body' });
    expect((await api('PUT', '/api/rules', `${'['.repeat(50)}${']'.repeat(50)}`)).json.field).toBe('rules[0]');
  });

  it('invalid JSON, an empty JSON body, a body that is not JSON (415)', async () => {
    const bad = await api('POST', '/api/mo', '{"from":');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^body: not valid JSON/);
    const text = await api('POST', '/api/mo', 'from=1', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.json).toMatchObject({ field: 'content-type' });
    expect(text.json.error).toMatch(/"text\/plain" is not application\/json/);
    const form = await api('PUT', '/api/faults', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const empty = await api('POST', '/api/mo', undefined, { 'content-type': 'application/json' });
    expect(empty.json).toEqual({ error: 'body is required (a JSON object)', field: 'body' });
    // fetch sends a string body as text/plain when no content-type is given
    expect((await api('POST', '/api/mo', '{"from":"1"}', { 'content-type': '' })).status).toBe(415);
  });

  it('an absolute-form request target is routed by its path, whatever its authority', async () => {
    // the old API answered the last three 500 Invalid URL
    for (const target of [
      'http://x/api/health',
      'http://x:99999/api/health',
      'http://[::1/api/health',
      'http://x%zz/api/health',
    ]) {
      const r = await rawHttp(smsc.httpPort!, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(r.status, target).toBe(200);
      expect(JSON.parse(r.body), target).toMatchObject({ status: 'ok' });
    }
    expect((await rawHttp(smsc.httpPort!, 'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).status).toBe(404);
  });

  it('a request the HTTP parser refuses: 400 JSON', async () => {
    const r = await rawHttp(smsc.httpPort!, 'GET http:/api/health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: 'request: not valid HTTP (HPE_INVALID_URL)', field: 'request' });
  });

  it('a body over the limit: 413 JSON, not a connection reset', async () => {
    const r = await api('PUT', '/api/rules', JSON.stringify({ rules: [], pad: 'x'.repeat(1024 * 1024) }));
    expect(r.status).toBe(413);
    expect(r.json).toEqual({ error: `body: larger than ${1024 * 1024} bytes`, field: 'body' });
  });

  it('a wrong method: 405 with Allow; an unknown path: 404', async () => {
    const r = await api('POST', '/api/messages');
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, DELETE, HEAD');
    expect(r.json.error).toMatch(/POST \/api\/messages: method not allowed/);
    const one = await api('DELETE', '/api/sessions/3/unbind');
    expect(one.status).toBe(405);
    expect(one.headers.get('allow')).toBe('POST');
    expect((await api('GET', '/api/nothing')).status).toBe(404);
    // a trailing slash is the same route (as before), not a wrong method
    expect((await api('GET', '/api/sessions/')).status).toBe(200);
    expect((await api('PUT', '/api/sessions/')).headers.get('allow')).toBe('GET, HEAD');
  });

  it('GET /api/messages: unknown parameters, bad dates, enums in any case', async () => {
    expect((await api('GET', '/api/messages?colour=red')).json).toEqual({
      error: 'colour: unknown query parameter',
      field: 'colour',
    });
    expect((await api('GET', '/api/messages?since=yesterday')).json).toMatchObject({ field: 'since' });
    expect((await api('GET', '/api/messages?until=soon')).json.error).toMatch(/until: "soon" is not a date/);
    expect((await api('GET', '/api/messages?limit=10001')).json).toMatchObject({ field: 'limit' });
    expect((await api('GET', '/api/messages?offset=x')).json.error).toMatch(/offset: "x" is not an integer/);
    for (const q of ['state=delivrd', 'state=Delivered', 'direction=mt', 'order=ASC'])
      expect((await api('GET', `/api/messages?${q}`)).status, q).toBe(200);
    expect((await api('GET', '/api/messages?direction=up')).json.error).toMatch(/direction: "up" is not one of MT, MO/);
  });

  it('GET /api/messages/:id: an id too long', async () => {
    expect((await api('GET', `/api/messages/${'1'.repeat(65)}`)).json).toMatchObject({ field: 'id' });
    const longer = await api('GET', `/api/messages/${'1'.repeat(200)}`);
    expect(longer.status).toBe(400);
    expect(longer.json).toMatchObject({ field: 'url' });
  });

  it('PUT /api/rules: errors name the rule index and field; errorStatus takes names and hex', async () => {
    const r = await api('PUT', '/api/rules', [{}, {}, { response: { status: 'ESME_NOSUCH' } }]);
    expect(r.status).toBe(400);
    expect(r.json.field).toBe('rules[2].response.status');
    expect(r.json.error).toBe(
      'rules[2].response.status: "ESME_NOSUCH" is not a command_status (an integer in 0..4294967295, hex such as "0x58", or a name such as "ESME_RTHROTTLED")',
    );
    expect((await api('PUT', '/api/rules', { rules: [{ nope: 1 }] })).json).toEqual({
      error: 'rules[0].nope: unknown key',
      field: 'rules[0].nope',
    });
    expect((await api('PUT', '/api/rules', {})).json).toEqual({ error: 'rules is required', field: 'rules' });
    const ok = await api('PUT', '/api/rules', [
      { match: { destination: '1' }, response: { status: 'ESME_RTHROTTLED' } },
      { match: { destination: '2' }, response: { status: '0x58' } },
      { match: { destination: '3' }, response: { status: 88 } },
    ]);
    expect(ok.status).toBe(200);
    expect(ok.json.rules.map((x: { response: { status: number } }) => x.response.status)).toEqual([0x58, 0x58, 0x58]);
    expect((await api('PUT', '/api/rules', { rules: [{ match: { destinationRegex: '(' } }] })).json.error).toMatch(
      /rules\[0\]\.match\.destinationRegex: "\(" is not a valid regex/,
    );
    await api('PUT', '/api/rules', []);
  });

  it('PUT /api/faults: errorStatus by name or hex; bad values named', async () => {
    const put = await api('PUT', '/api/faults', { systemId: 'web', faults: { errorStatus: 'ESME_RTHROTTLED' } });
    expect(put.json.accounts.web).toEqual({ errorStatus: 0x58 });
    expect((await api('PUT', '/api/faults', { faults: { errorStatus: '0x1G' } })).json.field).toBe(
      'faults.errorStatus',
    );
    expect((await api('PUT', '/api/faults', { faults: { errorStatus: -1 } })).status).toBe(400);
    expect((await api('PUT', '/api/faults', { systemId: 4, faults: null })).json).toEqual({
      error: 'systemId: 4 is not a string',
      field: 'systemId',
    });
    expect((await api('PUT', '/api/faults', { systemId: 'nobody', faults: { errorFraction: 1 } })).json).toEqual({
      error: 'systemId: "nobody" is not a configured account',
      field: 'systemId',
    });
    expect((await api('GET', '/api/faults')).json.accounts.nobody).toBeUndefined();
    await api('PUT', '/api/faults', { systemId: 'web', faults: null });
  });

  it('POST /api/mo and /api/mo/preview: required fields, bad data_coding, unknown systemId', async () => {
    expect((await api('POST', '/api/mo', { from: '1', text: 'x' })).json).toEqual({
      error: 'to is required',
      field: 'to',
    });
    expect((await api('POST', '/api/mo', { from: '1', to: '4470', text: 'x', systemId: 'ghost' })).json).toEqual({
      error: 'systemId: "ghost" is not a configured account',
      field: 'systemId',
    });
    expect((await api('POST', '/api/mo/preview', { from: '1', to: '2', text: 'x', dataCoding: 300 })).json.field).toBe(
      'dataCoding',
    );
    expect((await api('POST', '/api/mo/preview', { from: '1', to: '2' })).json.error).toBe('text is required');
    expect((await api('POST', '/api/mo', [])).json.error).toMatch(/body: \[\] is not an object/);
  });

  it('POST /api/outbind to a closed port: 502 naming host:port', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise((r) => s.close(r));
    const r = await api('POST', '/api/outbind', { host: '127.0.0.1', port });
    expect(r.status).toBe(502);
    expect(r.json.error).toBe(`outbind: cannot connect to 127.0.0.1:${port}: ECONNREFUSED`);
    expect((await api('POST', '/api/outbind', { port: 70000 })).json.field).toBe('port');
  });

  it('POST /api/sessions/:id/unbind|drop: an id that is not a number, an unknown id', async () => {
    expect((await api('POST', '/api/sessions/abc/drop')).json).toMatchObject({ field: 'id' });
    expect((await api('POST', '/api/sessions/999/unbind')).json).toEqual({
      error: 'session 999 not found',
      field: 'id',
    });
  });

  it('GET /api/stats/delivery: bad window, by, prefixLength', async () => {
    expect((await api('GET', '/api/stats/delivery?window=0')).json.field).toBe('window');
    expect((await api('GET', '/api/stats/delivery?by=country')).json.field).toBe('by');
    expect((await api('GET', '/api/stats/delivery?by=PREFIX&prefixLength=16')).json.field).toBe('prefixLength');
  });
});
