// Property tests: encode→decode is the identity for random valid PDUs of every type (arbitraries derived from
// the same tables as the codec), and random or mutated bytes through framer + decoder end in a PDU or an
// SmppDecodeError — never another exception, a hang, or an allocation beyond the declared command_length.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  COMMAND_TABLE,
  type CommandDef,
  decodePdu,
  encodePdu,
  type FieldDef,
  formatReceipt,
  formatRelativeSmppTime,
  formatSmppTime,
  type Pdu,
  PduFramer,
  parseReceipt,
  parseSmppTime,
  SmppDecodeError,
  TLV_TABLE,
  type TlvDef,
} from '../src/index.js';

const latin1Char = fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c));
const cstring = (maxChars: number, minChars = 0) =>
  fc.string({ unit: latin1Char, minLength: minChars, maxLength: maxChars });
const bytes = (min: number, max: number) =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((a) => Buffer.from(a));
const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const smppTime = (absoluteOnly: boolean) =>
  fc.oneof(
    fc.constant(''),
    fc.tuple(digits(15), fc.constantFrom('+', '-', ...(absoluteOnly ? [] : ['R']))).map(([d, p]) => d + p),
  );

function fieldArb(f: FieldDef): fc.Arbitrary<unknown> {
  switch (f.type) {
    case 'u8':
      return fc.integer({ min: 0, max: 255 });
    case 'cstring':
      return cstring(f.max - 1);
    case 'time':
      return smppTime(f.absoluteOnly === true);
    case 'short_message':
      return bytes(0, 255);
    case 'dest_address':
      return fc.array(
        fc.oneof(
          fc.record({
            dest_flag: fc.constant(1),
            dest_addr_ton: fc.integer({ min: 0, max: 255 }),
            dest_addr_npi: fc.integer({ min: 0, max: 255 }),
            destination_addr: cstring(20),
          }),
          fc.record({ dest_flag: fc.constant(2), dl_name: cstring(20) }),
        ),
        { minLength: 1, maxLength: 6 },
      );
    case 'unsuccess_sme':
      return fc.array(
        fc.record({
          dest_addr_ton: fc.integer({ min: 0, max: 255 }),
          dest_addr_npi: fc.integer({ min: 0, max: 255 }),
          destination_addr: cstring(20),
          error_status_code: fc.integer({ min: 0, max: 0xffffffff }),
        }),
        { maxLength: 6 },
      );
  }
}

function tlvValueArb(d: TlvDef): fc.Arbitrary<unknown> {
  const t = d.type;
  switch (t.kind) {
    case 'int':
      return fc.integer({ min: 0, max: t.size === 4 ? 0xffffffff : 2 ** (8 * t.size) - 1 });
    case 'uintvar':
      return fc.integer({ min: 0, max: 2 ** 40 - 1 });
    case 'cstring':
      return cstring(t.max - 1, t.min - 1);
    case 'octets':
      return bytes(t.min, Math.min(t.max, 300));
    case 'network_error_code':
      return fc.record({ type: fc.integer({ min: 0, max: 255 }), code: fc.integer({ min: 0, max: 0xffff }) });
    case 'broadcast_content_type':
      return fc.record({
        network_type: fc.integer({ min: 0, max: 255 }),
        content_type: fc.integer({ min: 0, max: 0xffff }),
      });
    case 'broadcast_frequency_interval':
      return fc.record({ time_unit: fc.integer({ min: 0, max: 255 }), number: fc.integer({ min: 0, max: 0xffff }) });
    case 'broadcast_area':
      return fc.record({ format: fc.integer({ min: 0, max: 255 }), details: bytes(0, 100) });
    case 'flag_or_int1':
      return fc.oneof(fc.constant(true as const), fc.integer({ min: 0, max: 255 }));
    case 'ms_validity':
      return fc.oneof(
        fc.integer({ min: 0, max: 255 }),
        fc.record({
          behaviour: fc.integer({ min: 0, max: 255 }),
          time_unit: fc.integer({ min: 0, max: 255 }),
          number: fc.integer({ min: 0, max: 0xffff }),
        }),
      );
  }
}

const knownTags = new Set<number>(TLV_TABLE.map((t) => t.tag));
const unknownTlv = fc.record({
  tag: fc.integer({ min: 0, max: 0xffff }).filter((t) => !knownTags.has(t)),
  value: bytes(0, 40),
});

/** TLVs valid in PDU c: tag 0x0606 is failed_broadcast_area_identifier in broadcast_sm_resp, else broadcast_area_identifier. */
function tlvsArb(c: CommandDef): fc.Arbitrary<Record<string, unknown>> {
  const exclude = c.name === 'broadcast_sm_resp' ? 'broadcast_area_identifier' : 'failed_broadcast_area_identifier';
  const defs: TlvDef[] = TLV_TABLE.filter((t) => t.name !== exclude);
  const mandatory = new Set<string>(c.mandatoryTlvs ?? []);
  return fc
    .tuple(
      fc.shuffledSubarray(
        defs.filter((d) => !mandatory.has(d.name)),
        { maxLength: 6 },
      ),
      fc.shuffledSubarray(
        defs.filter((d) => mandatory.has(d.name)),
        { minLength: mandatory.size, maxLength: mandatory.size },
      ),
    )
    .chain(([opt, mand]) => {
      const chosen = fc.shuffledSubarray([...opt, ...mand], {
        minLength: opt.length + mand.length,
        maxLength: opt.length + mand.length,
      });
      return chosen.chain((ds) =>
        fc
          .tuple(
            ...ds.map((d) =>
              d.repeatable ? fc.array(tlvValueArb(d), { minLength: 1, maxLength: 3 }) : tlvValueArb(d),
            ),
          )
          .map((vals) => Object.fromEntries(ds.map((d, i) => [d.name, vals[i]]))),
      );
    });
}

function pduArb(c: CommandDef): fc.Arbitrary<Pdu> {
  const isResp = (c.id & 0x80000000) !== 0;
  const hasMandatory = (c.mandatoryTlvs ?? []).length > 0;
  const status = isResp ? fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 0xffffffff })) : fc.constant(0);
  return fc
    .record({
      status,
      seq: fc.integer({ min: 0, max: 0xffffffff }),
      body: fc.tuple(...c.body.map(fieldArb)),
      tlvs: hasMandatory ? tlvsArb(c) : fc.option(tlvsArb(c), { nil: undefined }),
      unknown: fc.option(fc.array(unknownTlv, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    })
    .map(({ status, seq, body, tlvs, unknown }) => {
      const p: Record<string, unknown> = { command: c.name, command_status: status, sequence_number: seq };
      // an error response whose table has a body is header-only on the wire
      if (isResp && status !== 0 && c.body.length > 0) return p as Pdu;
      c.body.forEach((f, i) => (p[f.name] = body[i]));
      if (tlvs && Object.keys(tlvs).length > 0) {
        p.tlvs = tlvs;
        // short_message and message_payload are never both filled
        if (tlvs.message_payload !== undefined && 'short_message' in p) p.short_message = Buffer.alloc(0);
      }
      if (unknown) p.unknown_tlvs = unknown;
      return p as Pdu;
    });
}

const allPdus = fc.oneof(...COMMAND_TABLE.map(pduArb));

describe('encode → decode identity', () => {
  it.each(COMMAND_TABLE.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    fc.assert(
      fc.property(pduArb(c), (p) => {
        const b = encodePdu(p);
        expect(b.readUInt32BE(0)).toBe(b.length);
        const d = decodePdu(b);
        expect(d).toEqual(p);
        expect(encodePdu(d).equals(b)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('bad bytes', () => {
  const MAX = 2048;
  let allocated = 0;
  afterEach(() => vi.restoreAllMocks());

  /** Feeds bytes in the given chunking through framer + decoder; returns how it ended. Rethrows anything unexpected. */
  function feed(chunks: Buffer[]): 'ok' | 'fatal' {
    const framer = new PduFramer(
      (frame) => {
        try {
          decodePdu(frame);
        } catch (e) {
          if (!(e instanceof SmppDecodeError)) throw e;
          expect(e.fatal).toBe(false); // the framer already checked command_length
          expect(e.sequenceNumber).toBe(frame.readUInt32BE(12));
        }
      },
      { maxCommandLength: MAX },
    );
    try {
      for (const c of chunks) framer.push(c);
    } catch (e) {
      if (e instanceof SmppDecodeError && e.fatal) return 'fatal';
      throw e;
    }
    return 'ok';
  }

  /** Records the largest Buffer allocation from now until the test ends (reset `allocated` per run). */
  function watchAllocations(): void {
    allocated = 0;
    for (const fn of ['allocUnsafe', 'alloc', 'allocUnsafeSlow'] as const) {
      const orig = Buffer[fn].bind(Buffer) as (n: number, ...rest: unknown[]) => Buffer;
      vi.spyOn(Buffer, fn).mockImplementation(((n: number, ...rest: unknown[]) => {
        allocated = Math.max(allocated, n);
        return orig(n, ...rest);
      }) as never);
    }
  }

  const chunking = (b: Buffer) =>
    fc.array(fc.integer({ min: 0, max: b.length }), { maxLength: 6 }).map((cuts) => {
      const at = [...new Set([0, ...cuts, b.length])].sort((x, y) => x - y);
      return at.slice(1).map((e, i) => b.subarray(at[i], e));
    });

  it('random bytes end in a PDU or an SmppDecodeError, allocating at most the maximum command_length', () => {
    watchAllocations();
    fc.assert(
      fc.property(
        bytes(0, 600).chain((b) => chunking(b)),
        (chunks) => {
          allocated = 0;
          feed(chunks);
          expect(allocated).toBeLessThanOrEqual(MAX);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('random headers with a plausible command_length and a known command_id reach the body decoders', () => {
    const ids = COMMAND_TABLE.map((c) => c.id >>> 0);
    watchAllocations();
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.integer({ min: 0, max: 0xffffffff }), bytes(0, 300), (id, seq, body) => {
        const h = Buffer.alloc(16);
        h.writeUInt32BE(16 + body.length, 0);
        h.writeUInt32BE(id, 4);
        h.writeUInt32BE(seq, 12);
        const frame = Buffer.concat([h, body]);
        allocated = 0;
        try {
          decodePdu(frame);
        } catch (e) {
          if (!(e instanceof SmppDecodeError)) throw e;
          expect(e.commandId).toBe(id);
          expect(e.sequenceNumber).toBe(seq);
        }
        expect(allocated).toBeLessThanOrEqual(frame.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated valid PDUs (flipped, truncated, extended; length fixed up or not) never throw anything else', () => {
    const mutated = allPdus.chain((p) => {
      const b = encodePdu(p);
      return fc
        .record({
          flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
          cut: fc.option(fc.nat(), { nil: undefined }),
          extra: bytes(0, 8),
          fixLength: fc.boolean(),
        })
        .map(({ flips, cut, extra, fixLength }) => {
          let m = Buffer.from(b);
          for (const [i, v] of flips) m[i % m.length] = v;
          if (cut !== undefined) m = m.subarray(0, cut % (m.length + 1));
          m = Buffer.concat([m, extra]);
          if (fixLength && m.length >= 4) m.writeUInt32BE(m.length, 0);
          return m;
        });
    });
    watchAllocations();
    fc.assert(
      fc.property(
        mutated.chain((m) => fc.tuple(fc.constant(m), chunking(m))),
        ([m, chunks]) => {
          allocated = 0;
          feed(chunks);
          try {
            decodePdu(m);
          } catch (e) {
            if (!(e instanceof SmppDecodeError)) throw e;
          }
          expect(allocated).toBeLessThanOrEqual(Math.max(MAX, m.length));
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('framer over streams of random valid PDUs', () => {
  it('random chunking gives back exactly the encoded PDUs, in order', () => {
    fc.assert(
      fc.property(
        fc.array(allPdus, { minLength: 1, maxLength: 8 }).chain((pdus) => {
          const encoded = pdus.map((p) => encodePdu(p));
          const stream = Buffer.concat(encoded);
          return fc.tuple(
            fc.constant(encoded),
            fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 12 }).map((cuts) => {
              const at = [...new Set([0, ...cuts, stream.length])].sort((x, y) => x - y);
              return at.slice(1).map((e, i) => stream.subarray(at[i], e));
            }),
          );
        }),
        ([encoded, chunks]) => {
          const frames: Buffer[] = [];
          const framer = new PduFramer((f) => frames.push(f));
          for (const c of chunks) framer.push(c);
          expect(framer.buffered).toBe(0);
          expect(frames.map((f) => f.toString('hex'))).toEqual(encoded.map((e) => e.toString('hex')));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('time and receipt text', () => {
  it('formatSmppTime → parseSmppTime gives the same instant for any offset', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2036, 11, 30) })
          .map((ms) => new Date(Math.floor(ms / 100) * 100)),
        fc.integer({ min: -48, max: 48 }),
        (date, q) => {
          const t = parseSmppTime(formatSmppTime(date, q));
          expect(t?.kind).toBe('absolute');
          expect(t!.date.getTime()).toBe(date.getTime());
          expect(t!.kind === 'absolute' && t!.offsetQuarterHours).toBe(q);
        },
      ),
    );
  });

  it('formatRelativeSmppTime → parseSmppTime gives the same units', () => {
    const unit = fc.integer({ min: 0, max: 99 });
    fc.assert(
      fc.property(
        unit,
        fc.integer({ min: 0, max: 12 }),
        unit,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        (years, months, days, hours, minutes, seconds) => {
          const d = { years, months, days, hours, minutes, seconds };
          expect(parseSmppTime(formatRelativeSmppTime(d))).toMatchObject({ kind: 'relative', ...d });
        },
      ),
    );
  });

  it('formatReceipt → parseReceipt gives the fields back, whatever the text holds', () => {
    const token = fc.string({
      unit: fc.constantFrom(...'0123456789abcdefABCDEF-_'.split('')),
      minLength: 1,
      maxLength: 64,
    });
    fc.assert(
      fc.property(
        token,
        fc.constantFrom('DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD', 'ENROUTE'),
        fc.integer({ min: 0, max: 999 }),
        fc.string({ maxLength: 20 }),
        fc.constantFrom(10 as const, 12 as const),
        fc.constantFrom('text' as const, 'Text' as const),
        fc
          .integer({ min: Date.UTC(2001, 0, 1), max: Date.UTC(2036, 0, 1) })
          .map((ms) => new Date(Math.floor(ms / 60_000) * 60_000)),
        (id, stat, err, text, dateDigits, textKey, date) => {
          const r = parseReceipt(
            formatReceipt({ id, stat, err, text, submit_date: date, done_date: date }, { dateDigits, textKey }),
          );
          expect(r).toMatchObject({ id, stat, err: String(err).padStart(3, '0'), text });
          expect(r!.done_date!.getTime()).toBe(date.getTime());
        },
      ),
    );
  });

  it('parseReceipt and parseSmppTime never throw anything but RangeError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        parseReceipt(s);
        try {
          parseSmppTime(s);
        } catch (e) {
          expect(e).toBeInstanceOf(RangeError);
        }
      }),
    );
  });
});

describe('decode → encode → decode', () => {
  /**
   * For bytes that decode (strict): encoding the PDU and decoding again gives the same value, and encoding that
   * gives the same bytes again. An error response is re-encoded with its body when it came with one.
   */
  function roundTrip(m: Buffer): Buffer | undefined {
    let d: Pdu;
    try {
      d = decodePdu(m);
    } catch (e) {
      if (!(e instanceof SmppDecodeError)) throw e;
      return undefined;
    }
    const options = { bodyOnError: m.length > 16 };
    const b = encodePdu(d, options);
    const d2 = decodePdu(b);
    expect(d2).toEqual(d);
    expect(encodePdu(d2, options).equals(b)).toBe(true);
    return b;
  }

  /** A random valid PDU with its TLVs (known and unknown) in a random order (PDUs without mandatory TLVs). */
  const optionalOnly = fc.oneof(
    ...(COMMAND_TABLE as readonly CommandDef[]).filter((c) => !c.mandatoryTlvs?.length).map(pduArb),
  );
  const tlvSplit = (p: Pdu) => {
    const b = encodePdu(p);
    const start = b.length - tlvPartLength(p);
    return { head: b.subarray(0, start), tlvs: splitTlvs(b.subarray(start)) };
  };

  it('holds for random valid PDUs, byte for byte', () => {
    fc.assert(
      fc.property(allPdus, (p) => {
        const b = encodePdu(p);
        expect(roundTrip(b)?.toString('hex')).toBe(b.toString('hex'));
      }),
      { numRuns: 1000 },
    );
  });

  it('holds for valid PDUs with their TLVs in any order', () => {
    const shuffled = optionalOnly.chain((p) => {
      const { head, tlvs } = tlvSplit(p);
      return fc
        .shuffledSubarray(tlvs, { minLength: tlvs.length, maxLength: tlvs.length })
        .map((t) => Buffer.concat([head, ...t]));
    });
    fc.assert(
      fc.property(shuffled, (m) => {
        roundTrip(m);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same bytes back when vendor TLVs sit anywhere among the known ones', () => {
    const placed = optionalOnly.chain((p) => {
      const { head, tlvs } = tlvSplit(p);
      const known = tlvs.filter((t) => knownTags.has(t.readUInt16BE(0)));
      const vendor = tlvs.filter((t) => !knownTags.has(t.readUInt16BE(0)));
      return fc
        .array(fc.integer({ min: 0, max: known.length }), { minLength: vendor.length, maxLength: vendor.length })
        .map((at) => {
          at.sort((x, y) => x - y);
          const out: Buffer[] = [];
          let v = 0;
          for (let k = 0; k <= known.length; k++) {
            while (v < vendor.length && at[v] === k) out.push(vendor[v++]);
            if (k < known.length) out.push(known[k]);
          }
          return Buffer.concat([head, ...out]);
        });
    });
    fc.assert(
      fc.property(placed, (m) => {
        expect(roundTrip(m)?.toString('hex')).toBe(m.toString('hex'));
      }),
      { numRuns: 1000 },
    );
  });

  it('holds for every random or mutated frame that decodes', () => {
    const ids = COMMAND_TABLE.map((c) => c.id >>> 0);
    const headerAndBody = fc
      .tuple(fc.constantFrom(...ids), fc.constantFrom(0, 0, 0, 0x45), bytes(0, 200))
      .map(([id, st, body]) => {
        const h = Buffer.alloc(16);
        h.writeUInt32BE(16 + body.length, 0);
        h.writeUInt32BE(id, 4);
        h.writeUInt32BE(st, 8);
        return Buffer.concat([h, body]);
      });
    const mutated = allPdus.chain((p) =>
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }).map((flips) => {
        const m = Buffer.from(encodePdu(p));
        for (const [i, v] of flips) m[16 + (i % Math.max(1, m.length - 16))] = v;
        return m.length > 16 ? m : m.subarray(0, 16);
      }),
    );
    fc.assert(
      fc.property(fc.oneof(headerAndBody, mutated), (m) => {
        roundTrip(m);
      }),
      { numRuns: 3000 },
    );
  });
});

/** Octets of a decoded PDU's TLV part, as encodePdu writes it. */
function tlvPartLength(d: Pdu): number {
  const bare = { ...d, tlvs: undefined, unknown_tlvs: undefined } as Pdu;
  return encodePdu(d).length - encodePdu(bare).length;
}

/** The TLVs of a TLV part, each with its tag and length. */
function splitTlvs(part: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0; o < part.length; ) {
    const n = 4 + part.readUInt16BE(o + 2);
    out.push(part.subarray(o, o + n));
    o += n;
  }
  return out;
}
