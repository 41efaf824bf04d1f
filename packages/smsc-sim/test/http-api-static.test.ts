// The console's files: GET / and /console/<file> from the built directory with their content types, 503 JSON
// while it is not built, and no way out of it (dot segments, encoded or not).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTarget } from '../src/admin.js';
import { HttpApi } from '../src/api/server.js';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { rawHttp } from './http-helpers.js';

let smsc: SmscHandle;
let built: HttpApi;
let missing: HttpApi;
const dir = mkdtempSync(join(tmpdir(), 'smsc-console-'));

beforeAll(async () => {
  mkdirSync(join(dir, 'console', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'console', 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'console', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'console', 'assets', 'style.css'), 'body{}');
  writeFileSync(join(dir, 'secret.json'), '{"name":"secret"}');
  smsc = await startSmsc({ logLevel: 'silent' });
  built = new HttpApi(adminTarget(smsc.smsc), { consoleDir: join(dir, 'console') });
  missing = new HttpApi(adminTarget(smsc.smsc), { consoleDir: join(dir, 'nowhere') });
  await built.listen(0, '127.0.0.1');
  await missing.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await built.close();
  await missing.close();
  await smsc.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (api: HttpApi, target: string) =>
  rawHttp(api.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);

describe('the console files', () => {
  it('serves index.html at / and assets under /console/ with their content types', async () => {
    const index = await fetch(`http://127.0.0.1:${built.port}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toMatch(/<title>console/);
    const js = await fetch(`http://127.0.0.1:${built.port}/console/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const css = await fetch(`http://127.0.0.1:${built.port}/console/assets/style.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`http://127.0.0.1:${built.port}/console/nope.js`)).status).toBe(404);
  });

  it('answers 503 JSON while the console is not built', async () => {
    const r = await fetch(`http://127.0.0.1:${missing.port}/`);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ error: 'console not built' });
  });

  it('serves nothing outside the console directory', async () => {
    for (const target of [
      '/console/../secret.json',
      '/console/../../package.json',
      '/console/%2e%2e/secret.json',
      '/console/..%2fsecret.json',
      '/console/%2E%2E%2Fsecret.json',
      '/console/..%5csecret.json',
      '/console/assets/../../secret.json',
      '/console/%00',
    ]) {
      const r = await get(built, target);
      expect(r.status, target).toBe(404);
      expect(r.body, target).not.toMatch(/"name"/);
    }
    expect((await get(built, '/console/assets/style.css')).status).toBe(200);
  });
});
