/**
 * Test helper: a WebSocket client written by hand on a raw TCP socket, so that a test can send what
 * no WebSocket library would (malformed frames) and stop reading at will.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';

export interface FrameOptions {
  opcode?: number;
  fin?: boolean;
  rsv1?: boolean;
  /** Clients must mask; false sends the payload in the clear. */
  masked?: boolean;
  /** The length written in the header, when it should lie about the payload. */
  declaredLength?: number;
}

/** One frame as a client sends it (RFC 6455 5.2): masked text, unless told otherwise. */
export function clientFrame(payload: Buffer | string, options: FrameOptions = {}): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const { opcode = 0x1, fin = true, rsv1 = false, masked = true, declaredLength = data.length } = options;
  const head = [(fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode];
  const maskBit = masked ? 0x80 : 0;
  let length: Buffer;
  if (declaredLength < 126) length = Buffer.from([maskBit | declaredLength]);
  else if (declaredLength < 1 << 16) {
    length = Buffer.alloc(3);
    length[0] = maskBit | 126;
    length.writeUInt16BE(declaredLength, 1);
  } else {
    length = Buffer.alloc(9);
    length[0] = maskBit | 127;
    length.writeBigUInt64BE(BigInt(declaredLength), 1);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), length, data]);
  const mask = randomBytes(4);
  const body = Buffer.from(data);
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
  return Buffer.concat([Buffer.from(head), length, mask, body]);
}

/** Connects and upgrades by hand; resolves once the server answered 101, with whatever followed it. */
export function rawUpgrade(port: number, token: string): Promise<{ socket: net.Socket; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const status = received.subarray(0, received.indexOf('\r\n')).toString();
      if (!status.startsWith('HTTP/1.1 101')) return reject(new Error(`upgrade refused: ${status}`));
      resolve({ socket, rest: received.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(
      [
        `GET /lab?token=${token} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        `Origin: http://127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
  });
}

/**
 * Reads the server's frames until its close frame or the end of the connection: how many bytes came,
 * how many text messages, and the close code (null if none came).
 */
export function readUntilClose(socket: net.Socket, first: Buffer = Buffer.alloc(0)): Promise<{ bytes: number; messages: number; closeCode: number | null }> {
  return new Promise((resolve) => {
    let pending = first;
    let bytes = first.length;
    let messages = 0;
    let done = false;
    const finish = (closeCode: number | null) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ bytes, messages, closeCode });
    };
    const parse = () => {
      for (;;) {
        if (pending.length < 2) return;
        const opcode = pending[0] & 0x0f;
        let length = pending[1] & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (pending.length < 4) return;
          length = pending.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (pending.length < 10) return;
          length = Number(pending.readBigUInt64BE(2));
          offset = 10;
        }
        if (pending.length < offset + length) return;
        if (opcode === 0x8) return finish(length >= 2 ? pending.readUInt16BE(offset) : null);
        if (opcode === 0x1) messages++;
        pending = pending.subarray(offset + length);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      parse();
    });
    // The server may cut the connection while this client still writes (a payload it no longer reads).
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
    socket.resume();
    parse();
  });
}
