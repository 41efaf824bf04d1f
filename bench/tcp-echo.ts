// The machine's limit for the end-to-end benchmark: a plain TCP exchange of the same sizes as the SMPP one, with no
// codec, no session and no store. The client keeps `window` requests outstanding (closed loop), each request a frame
// as long as the benchmark's submit_sm; the server answers each with a frame as long as a submit_sm_resp and, in
// receipt mode, also one as long as the receipt's deliver_sm, which the client answers with a deliver_sm_resp-sized
// frame: four frames a message, like the SMPP exchange. Frames are length-prefixed (4 octets, like command_length)
// and carry a kind octet at offset 4, so both sides split the stream exactly as an SMPP framer does.
import net from 'node:net';

const REQUEST = 1;
const RESPONSE = 2;
const RECEIPT = 3;
const RECEIPT_RESPONSE = 4;
const REQUEST_WITH_RECEIPT = 5;

/** Frame sizes of the benchmark's SMPP exchange (bench/e2e.bench.ts's message and the simulator's answers). */
export interface EchoSizes {
  submit: number;
  submitResp: number;
  receipt: number;
  receiptResp: number;
}

function frame(kind: number, size: number): Buffer {
  const b = Buffer.alloc(Math.max(size, 5));
  b.writeUInt32BE(b.length, 0);
  b[4] = kind;
  return b;
}

/** Calls `onFrame(kind)` for every whole frame in the stream; keeps a partial frame for the next read. */
function framer(socket: net.Socket, onFrame: (kind: number) => void): void {
  let pending: Buffer | undefined;
  socket.on('data', (chunk: Buffer) => {
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    let off = 0;
    while (buf.length - off >= 5) {
      const len = buf.readUInt32BE(off);
      if (buf.length - off < len) break;
      onFrame(buf[off + 4]!);
      off += len;
    }
    pending = off < buf.length ? buf.subarray(off) : undefined;
  });
}

/** The echo server; answers as described above. */
export function startEchoServer(sizes: EchoSizes): Promise<net.Server> {
  const resp = frame(RESPONSE, sizes.submitResp);
  const both = Buffer.concat([resp, frame(RECEIPT, sizes.receipt)]);
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    framer(socket, (kind) => {
      if (kind === REQUEST) socket.write(resp);
      else if (kind === REQUEST_WITH_RECEIPT) socket.write(both);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export interface EchoReport {
  /** Messages whose last frame came back per second (with receipts: the receipt). */
  throughput: number;
  messages: number;
  durationMs: number;
}

/** The echo client: `window` messages outstanding for `durationMs`. */
export function echoLoad(
  port: number,
  sizes: EchoSizes,
  opts: { window: number; durationMs: number; receipts: boolean },
): Promise<EchoReport> {
  const request = frame(opts.receipts ? REQUEST_WITH_RECEIPT : REQUEST, sizes.submit);
  const receiptResp = frame(RECEIPT_RESPONSE, sizes.receiptResp);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let done = 0;
    let stopping = false;
    let outstanding = 0;
    let started = 0;
    socket.once('error', reject);
    socket.once('connect', () => {
      started = performance.now();
      setTimeout(() => {
        stopping = true;
      }, opts.durationMs);
      const first: Buffer[] = [];
      for (let i = 0; i < opts.window; i++) first.push(request);
      outstanding = opts.window;
      socket.write(Buffer.concat(first));
    });
    // writes of one read go out together, as the session's outbox does
    let out: Buffer[] = [];
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      if (out.length) socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
      out = [];
    };
    framer(socket, (kind) => {
      const last = opts.receipts ? kind === RECEIPT : kind === RESPONSE;
      if (kind === RECEIPT) out.push(receiptResp);
      if (last) {
        done++;
        outstanding--;
        if (!stopping) {
          out.push(request);
          outstanding++;
        }
      }
      if (!scheduled && out.length) {
        scheduled = true;
        setImmediate(flush);
      }
      if (stopping && outstanding === 0) {
        const durationMs = performance.now() - started;
        socket.destroy();
        resolve({
          throughput: Math.round((done / durationMs) * 1000),
          messages: done,
          durationMs: Math.round(durationMs),
        });
      }
    });
  });
}
