import fs from 'node:fs';
import path from 'node:path';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { runConfigSchema } from '../config/run-config.ts';
import type { LabEvent, WireServerFrame } from '../lab/api.ts';
import { fakeLauncher } from '../lab/fake-trainer.test-support.ts';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import { startServer, type LabServer } from './server.ts';

const tempDir = useTempDir();
let server: LabServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(): Promise<LabServer> {
  const rendererDir = path.join(tempDir(), 'dist');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>GaitLab</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app-1234.js'), 'console.log(1)');
  fs.writeFileSync(path.join(tempDir(), 'secret.txt'), 'secret');
  server = await startServer({ port: 0, runsDir: path.join(tempDir(), 'runs'), rendererDir, launcher: fakeLauncher({ exitOnStop: true }).launcher });
  return server;
}

/** A raw HTTP GET (fetch would not let the test set Host). */
function get(
  server: LabServer,
  pathname: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path: pathname, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with it when open, or with the HTTP status of the refusal. */
function connect(server: LabServer, options: { token?: string; origin?: string | null; path?: string } = {}): Promise<WebSocket | number> {
  const token = options.token ?? server.token;
  const origin = options.origin === undefined ? `http://127.0.0.1:${server.port}` : options.origin;
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}${options.path ?? '/lab'}?token=${token}`, origin ? { origin } : {});
  return new Promise((resolve) => {
    socket.on('open', () => resolve(socket));
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('error', () => resolve(0));
  });
}

function nextFrame(socket: WebSocket, kind: WireServerFrame['kind']): Promise<WireServerFrame> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as WireServerFrame;
      if (frame.kind !== kind) return;
      socket.off('message', onMessage);
      resolve(frame);
    };
    socket.on('message', onMessage);
  });
}

describe('serve mode: HTTP', () => {
  it('listens on 127.0.0.1 only and prints an address with a long random token', async () => {
    const s = await start();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/?token=${s.token}`);
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const other = await startServer({
      port: 0,
      runsDir: path.join(tempDir(), 'runs'),
      rendererDir: path.join(tempDir(), 'dist'),
      launcher: fakeLauncher({ exitOnStop: true }).launcher,
    });
    expect(other.token).not.toBe(s.token);
    await other.close();
  });

  it('serves the page with the token, then its assets by the cookie it set', async () => {
    const s = await start();
    const page = await get(s, `/?token=${s.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>GaitLab</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const asset = await get(s, '/assets/app-1234.js', { cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('refuses requests without the token, with a wrong one, or for a foreign Host', async () => {
    const s = await start();
    expect((await get(s, '/')).status).toBe(403);
    expect((await get(s, '/')).body).toMatch(/needs its token/);
    expect((await get(s, '/?token=wrong')).status).toBe(403);
    expect((await get(s, '/assets/app-1234.js')).status).toBe(403);
    expect((await get(s, `/?token=${s.token}`, { host: `evil.example:${s.port}` })).status).toBe(403);
  });

  it('never serves a file outside the built UI', async () => {
    const s = await start();
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/missing.js']) {
      const response = await get(s, `${attempt}${attempt.includes('?') ? '&' : '?'}token=${s.token}`);
      expect(response.status, attempt).toBe(404);
    }
  });

  it('tells how to build the UI when it is not built', async () => {
    await expect(startServer({ port: 0, runsDir: tempDir(), rendererDir: path.join(tempDir(), 'nowhere') })).rejects.toThrow(/npm run build:renderer/);
  });
});

describe('serve mode: the LabApi over WebSocket', () => {
  it('refuses sockets without the token, from another origin, with no origin, or on another path', async () => {
    const s = await start();
    expect(await connect(s, { token: '' })).toBe(403);
    expect(await connect(s, { token: 'x'.repeat(32) })).toBe(403);
    expect(await connect(s, { origin: 'http://evil.example' })).toBe(403);
    expect(await connect(s, { origin: `http://127.0.0.1:${s.port + 1}` })).toBe(403);
    expect(await connect(s, { origin: null })).toBe(403);
    // Only exactly the page's origin: not without its scheme, with another scheme, or another name for the host.
    expect(await connect(s, { origin: `127.0.0.1:${s.port}` })).toBe(403);
    expect(await connect(s, { origin: `https://127.0.0.1:${s.port}` })).toBe(403);
    expect(await connect(s, { origin: `http://localhost:${s.port}` })).toBe(403);
    expect(await connect(s, { origin: `http://127.0.0.1:${s.port}/` })).toBe(403);
    expect(await connect(s, { path: '/other' })).toBe(403);
  });

  it('answers calls, reports errors as messages, and pushes Lab events', async () => {
    const s = await start();
    const socket = (await connect(s)) as WebSocket;
    expect(socket).toBeInstanceOf(WebSocket);
    const reply = nextFrame(socket, 'reply');
    socket.send(JSON.stringify({ id: 7, method: 'listRuns', args: [] }));
    expect(await reply).toEqual({ kind: 'reply', id: 7, ok: true, value: [] });

    const refused = nextFrame(socket, 'reply');
    socket.send(JSON.stringify({ id: 8, method: 'getRun', args: ['../../etc'] }));
    expect(await refused).toMatchObject({ kind: 'reply', id: 8, ok: false, error: expect.stringContaining('invalid arguments for getRun') });

    const pushed = nextFrame(socket, 'event');
    const created = nextFrame(socket, 'reply');
    socket.send(JSON.stringify({ id: 9, method: 'createRun', args: [{ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 2048, hparams: {} }] }));
    const event = ((await pushed) as { event: LabEvent }).event;
    expect(event).toMatchObject({ type: 'run', run: { status: 'created', live: true } });
    expect(await created).toMatchObject({ kind: 'reply', id: 9, ok: true, value: { id: (event as { run: { id: string } }).run.id } });
    socket.close();
  });

  it("names runs by id in error replies, never by the runs folder's path", async () => {
    const s = await start();
    const run = s.lab.store.createRun(runConfigSchema.parse({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 2048, hparams: {} }), {
      versions: { gaitlab: 'test', node: process.version },
    });
    fs.writeFileSync(path.join(run.dir, 'metrics.jsonl'), 'not json\n');
    const socket = (await connect(s)) as WebSocket;
    const replies: WireServerFrame[] = [];
    const bothReplied = new Promise<void>((resolve) =>
      socket.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as WireServerFrame;
        if (frame.kind === 'reply' && replies.push(frame) === 2) resolve();
      }),
    );
    socket.send(JSON.stringify({ id: 1, method: 'getRun', args: ['no-such-run'] }));
    socket.send(JSON.stringify({ id: 2, method: 'getRun', args: [run.info.id] }));
    await bothReplied;
    const [missing, corrupt] = replies;
    for (const reply of replies) {
      expect(reply).toMatchObject({ kind: 'reply', ok: false });
      expect(JSON.stringify(reply)).not.toContain(tempDir());
    }
    expect(missing).toMatchObject({ id: 1, error: expect.stringContaining("no run 'no-such-run' in the runs folder") });
    expect(corrupt).toMatchObject({ id: 2, error: expect.stringContaining(`${run.info.id}/metrics.jsonl:1: not valid JSON`) });
    socket.close();
  });

  it('closes a socket that sends something other than a call', async () => {
    const s = await start();
    const socket = (await connect(s)) as WebSocket;
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.send('hello');
    expect(await closed).toBe(1003);
  });
});
