// SMPP time fields (smpp-reference §5.7), until @smppkit/core exports parseSmppTime / formatSmppTime:
// absolute 'YYMMDDhhmmsstnnp' (p = '+' / '-', nn quarter hours from UTC) and relative 'YYMMDDhhmmss000R'.

/** Epoch ms for an SMPP time ('' is not a time: callers handle NULL); null when the text is not a valid time. */
export function smppTimeToMs(s: string, now: number): number | null {
  if (!/^\d{12}[0-9]\d\d[+\-R]$/.test(s)) return null;
  const n = (i: number) => Number(s.slice(i, i + 2));
  const [yy, mo, dd, hh, mi, ss] = [n(0), n(2), n(4), n(6), n(8), n(10)];
  const p = s[15];
  if (p === 'R') {
    const d = new Date(now);
    d.setUTCFullYear(d.getUTCFullYear() + yy, d.getUTCMonth() + mo, d.getUTCDate() + dd);
    d.setUTCHours(d.getUTCHours() + hh, d.getUTCMinutes() + mi, d.getUTCSeconds() + ss);
    return d.getTime();
  }
  const tenths = Number(s[12]);
  const nn = Number(s.slice(13, 15));
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59 || nn > 48) return null;
  const local = Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss, tenths * 100);
  if (new Date(local).getUTCDate() !== dd) return null;
  return local - (p === '+' ? 1 : -1) * nn * 15 * 60_000;
}

/** Absolute SMPP time in UTC ('YYMMDDhhmmsst00+'). */
export function formatSmppTimeUtc(ms: number): string {
  const d = new Date(ms);
  const p2 = (x: number) => String(x).padStart(2, '0');
  return `${p2(d.getUTCFullYear() % 100)}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}${Math.floor(d.getUTCMilliseconds() / 100)}00+`;
}
