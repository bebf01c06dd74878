/**
 * WebSocket faults against a real `gaitlab serve` in a process of its own: malformed frames,
 * oversized messages and a client that sends and never reads. The server must stay up, answer a
 * good client after each, and hold on to no more memory (RSS) than it started with, give or take
 * 50 MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { buildRunConfig } from '../config/build-run-config.ts';
import type { WireServerFrame } from '../lab/api.ts';
import { RunStore } from '../store/run-store.ts';
import { CLOSE_POLICY_VIOLATION, MAX_QUEUED_BYTES } from './lab-socket.ts';
import { clientFrame, rawUpgrade, readUntilClose } from './raw-websocket.test-support.ts';
import { startServeProcess, type ServeProcess } from './serve-process.test-support.ts';

const MB = 1 << 20;
/** How far the server's RSS may be from where it started, after the attacks. */
const RSS_SLACK_BYTES = 50 * MB;

const call = (id: number, method: string, args: unknown[]) => JSON.stringify({ id, method, args });

let dir = '';
let server: ServeProcess;
let bigRunId = '';
let startRss = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-fuzz-'));
  const store = new RunStore(path.join(dir, 'runs'));
  const run = store.createRun(buildRunConfig({ env: 'Pendulum-v1', algo: 'ppo', totalSteps: 10_000_000 }), {
    versions: { gaitlab: 'test', node: process.version },
  });
  // A long run's metrics: 4,000 updates of 30 numbers, about 2.6 MB (the case).
  const row = (update: number) =>
    JSON.stringify(
      Object.fromEntries([['step', update * 2048], ['update', update], ...Array.from({ length: 28 }, (_, i) => [`metric_${i}`, 0.123456789 * (i + update)])]),
    );
  fs.writeFileSync(path.join(run.dir, 'metrics.jsonl'), Array.from({ length: 4_000 }, (_, u) => `${row(u + 1)}\n`).join(''));
  bigRunId = run.info.id;
  server = await startServeProcess(path.join(dir, 'runs'), path.join(dir, 'dist'));
  // Where it starts: a server that has answered a page once, the long run's getRun included.
  await expectAnswers('getRun', [bigRunId]);
  startRss = await server.rss();
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh, well-behaved client gets its reply: the server is up and serving. */
async function expectAnswers(method = 'listRuns', args: unknown[] = []): Promise<void> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/lab?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const reply = new Promise<WireServerFrame>((resolve) => socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as WireServerFrame)));
  socket.send(call(1, method, args));
  expect(await reply).toMatchObject({ kind: 'reply', id: 1, ok: true });
  socket.close();
  expect(server.alive()).toBe(true);
}

// Each bad frame, and the close code RFC 6455 gives for it.
const malformed: [string, () => Buffer, number][] = [
  ['a message over 1 MiB', () => clientFrame(Buffer.alloc(MB + 1, 0x20)), 1009],
  [
    'a message over 1 MiB in fragments',
    () => Buffer.concat([clientFrame(Buffer.alloc(600_000, 0x20), { fin: false }), clientFrame(Buffer.alloc(600_000, 0x20), { opcode: 0x0 })]),
    1009,
  ],
  ['invalid UTF-8 in a text frame', () => clientFrame(Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d])), 1007],
  ['an unmasked client frame', () => clientFrame(call(1, 'listRuns', []), { masked: false }), 1002],
  ['a reserved opcode', () => clientFrame('x', { opcode: 0x3 }), 1002],
  ['the RSV1 bit with no extension', () => clientFrame(call(1, 'listRuns', []), { rsv1: true }), 1002],
  ['a 4 GiB length field', () => clientFrame(Buffer.alloc(16), { declaredLength: 2 ** 32 }), 1009],
];

describe('serve mode under WebSocket faults', () => {
  it.each(malformed)('closes a socket that sends %s, and goes on serving', async (_kind, frame, code) => {
    const { socket, rest } = await rawUpgrade(server.port, server.token);
    const closed = readUntilClose(socket, rest);
    socket.write(frame(), () => {});
    expect((await closed).closeCode).toBe(code);
    await expectAnswers();
  });

  it('closes a client that sends calls and never reads (1008), holding at most its bound for it', async () => {
    const { socket, rest } = await rawUpgrade(server.port, server.token);
    socket.pause();
    const calls = 60;
    for (let id = 1; id <= calls; id++) socket.write(clientFrame(call(id, 'getRun', [bigRunId])));
    await server.logged(/closed a client that reads nothing/);
    const { bytes, messages, closeCode } = await readUntilClose(socket, rest);
    expect(closeCode).toBe(CLOSE_POLICY_VIOLATION);
    expect(messages).toBeLessThan(calls);
    // What it got: what the server queued (the bound and one reply) and what the kernel's buffers held.
    const reply = bytes / messages;
    console.log(`stalled client: ${messages} replies to ${calls} calls, ${(bytes / MB).toFixed(1)} MB, then closed with ${closeCode}`);
    expect(bytes).toBeLessThanOrEqual(MAX_QUEUED_BYTES + reply + kernelSocketBufferBytes());
    await expectAnswers();
  });

  it('keeps its memory within 50 MB of where it started after all of it', async () => {
    await expectAnswers();
    const rss = await server.rss();
    console.log(`serve RSS: ${(startRss / MB).toFixed(0)} MB at the start, ${(rss / MB).toFixed(0)} MB after the attacks`);
    expect(rss - startRss).toBeLessThan(RSS_SLACK_BYTES);
  });
});

/** The most a loopback connection's kernel buffers hold, both ends together (Linux; else a generous guess). */
function kernelSocketBufferBytes(): number {
  const max = (file: string) => Number(fs.readFileSync(file, 'utf8').trim().split(/\s+/)[2]);
  try {
    return max('/proc/sys/net/ipv4/tcp_rmem') + max('/proc/sys/net/ipv4/tcp_wmem');
  } catch {
    return 64 * MB;
  }
}
