/**
 * Test helper: serve mode in a process of its own, so that a test can measure the server's own
 * memory (RSS) while it attacks it. As a child (forked with an IPC channel): starts the server on a
 * free port with the given runs folder and a stub UI, sends {port, token}, and answers 'rss' with
 * its RSS after a full garbage collection (so that only what it holds on to counts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeLauncher } from '../lab/fake-trainer.test-support.ts';
import { engineEntry } from '../../sim/core/engine-entry.ts';
import { startServer } from './server.ts';

export interface ServeProcess {
  port: number;
  token: string;
  /** Everything the server has logged so far. */
  log(): string;
  /** Resolves when the server has logged a line matching `pattern`. */
  logged(pattern: RegExp): Promise<void>;
  /** The server's RSS in bytes, after a full garbage collection. */
  rss(): Promise<number>;
  /** Whether the process is still alive. */
  alive(): boolean;
  close(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

export async function startServeProcess(runsDir: string, rendererDir: string): Promise<ServeProcess> {
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>GaitLab</title>');
  const child: ChildProcess = fork(SELF, [runsDir, rendererDir], {
    execArgv: [...engineEntry('main/serve/serve-process.test-support.ts').execArgv, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let log = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    log += text;
    for (const waiter of waiters.filter((w) => w.pattern.test(log))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const nextMessage = <T>() =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the server process exited (${code}):\n${log}`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message as T);
      });
    });
  const { port, token } = await nextMessage<{ port: number; token: string }>();
  return {
    port,
    token,
    log: () => log,
    logged: (pattern) => (pattern.test(log) ? Promise.resolve() : new Promise((resolve) => waiters.push({ pattern, resolve }))),
    rss: async () => {
      const reply = nextMessage<{ rss: number }>();
      child.send('rss');
      return (await reply).rss;
    },
    alive: () => child.exitCode === null && child.signalCode === null,
    close: async () => {
      if (!child.connected) return; // it died (what a test checks for) or was closed
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await exited;
    },
  };
}

if (process.argv[1] === SELF && process.send) {
  const [runsDir, rendererDir] = process.argv.slice(2);
  const server = await startServer({ port: 0, runsDir, rendererDir, launcher: fakeLauncher({ exitOnStop: true }).launcher });
  process.on('message', async (message) => {
    if (message === 'rss') {
      // What the server holds on to, not garbage not yet collected: V8 gives freed pages back to
      // the system a little after a collection, so collect a few times with pauses between.
      for (let i = 0; i < 4; i++) {
        globalThis.gc?.();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      process.send?.({ rss: process.memoryUsage().rss });
    } else if (message === 'close') {
      await server.close();
      process.disconnect();
    }
  });
  process.send({ port: server.port, token: server.token });
}
