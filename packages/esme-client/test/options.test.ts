import { describe, expect, it } from 'vitest';
import { ConfigError, parseSmppUrl, resolveOptions } from '../src/index.js';

describe('URL and options parsing', () => {
  it('reads smpp:// and smpps:// with credentials, port, and query options', () => {
    expect(
      parseSmppUrl('smpp://acme:s%40cret@smsc.example.com:2776?mode=tx&window=20&rate=50&system_type=VMA'),
    ).toMatchObject({
      tls: false,
      host: 'smsc.example.com',
      port: 2776,
      system_id: 'acme',
      password: 's@cret',
      mode: 'transmitter',
      windowSize: 20,
      rate: 50,
      system_type: 'VMA',
    });
    expect(parseSmppUrl('smpps://a:b@[::1]')).toMatchObject({ tls: {}, host: '::1', port: 3550 });
    expect(parseSmppUrl('smpp://a:b@h')).toMatchObject({ port: 2775 });
    const o = resolveOptions({ url: 'smpp://a:b@h?mode=pair', windowSize: 3 });
    expect(o).toMatchObject({ mode: 'pair', windowSize: 3, interface_version: 0x34, inFlight: 'reject' });
  });

  const bad: Array<[string, RegExp]> = [
    ['http://a:b@h', /scheme 'http:' is not smpp: or smpps:/],
    ['smpp://a:b@h:99999', /not a valid URL|port/],
    ['smpp://:b@h', /system_id is missing/],
    ['smpp://a:b@h?window=0', /URL query parameter 'window': '0' is not an integer in 1\.\.100000/],
    ['smpp://a:b@h?mode=duplex', /URL query parameter 'mode': 'duplex' is not one of/],
    ['smpp://a:b@h?colour=red', /URL query parameter 'colour' is unknown/],
    ['smpp://averyveryverylongsystemid:b@h', /system_id 'averyveryverylongsystemid' is 25 characters, max 15/],
    ['smpp://a:ninechars@h', /password is 9 characters, max 8/],
    ['smpp://a:b@h/path', /URL path '\/path' is not allowed/],
    ['not a url', /is not a valid URL/],
  ];
  for (const [u, re] of bad) {
    it(`rejects ${u} naming the bad part`, () => {
      let err: unknown;
      try {
        resolveOptions(u);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(re);
    });
  }

  it("takes writeTiming 'turn' (default) or 'callback', and names it when it is neither", () => {
    expect(resolveOptions('smpp://a:b@h').writeTiming).toBe('turn');
    expect(resolveOptions({ url: 'smpp://a:b@h', writeTiming: 'callback' }).writeTiming).toBe('callback');
    expect(() => resolveOptions({ url: 'smpp://a:b@h', writeTiming: 'soon' as 'turn' })).toThrow(/writeTiming 'soon'/);
  });

  it('never echoes the password in an error', () => {
    try {
      parseSmppUrl('smpp://a:topsecret@');
    } catch (e) {
      expect((e as Error).message).not.toContain('topsecret');
    }
  });
});
