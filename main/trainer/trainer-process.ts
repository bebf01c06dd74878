/**
 * Entry point of a trainer process (one per active run): `node --import tsx trainer-process.ts <runDir> [--stop-at STEP]`,
 * forked by the Lab (Node child_process) or started as an Electron utilityProcess. It trains the
 * run in <runDir>, reports TrainerMessages to its parent and obeys TrainerCommands from it.
 * A crash here is an exit of this process, never of the app. SIGINT (Ctrl-C in the terminal that
 * started the parent) and losing the parent both stop it as a 'stop' command does: after the
 * current update, with a checkpoint.
 */
import path from 'node:path';
import { RunStore } from '../store/run-store.ts';
import { trainerCommandSchema, type TrainerMessage } from './protocol.ts';
import { Trainer } from './trainer.ts';

interface ParentChannel {
  send(message: TrainerMessage): void;
  onMessage(handler: (message: unknown) => void): void;
}

/** Electron's utilityProcess exposes process.parentPort; a Node fork has process.send. */
function parentChannel(): ParentChannel {
  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', h: (e: { data: unknown }) => void): void } }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (handler) => parentPort.on('message', (event) => handler(event.data)),
    };
  }
  if (process.send) {
    return {
      send: (message) => process.send?.(message),
      onMessage: (handler) => process.on('message', handler),
    };
  }
  throw new Error('trainer-process must be started by the Lab (no parent channel)');
}

async function main(): Promise<void> {
  const channel = parentChannel();
  const [runDir, flag, stopAt] = process.argv.slice(2);
  if (!runDir || (flag !== undefined && (flag !== '--stop-at' || !/^\d+$/.test(stopAt ?? '')))) {
    throw new Error('usage: trainer-process <runDir> [--stop-at STEP]');
  }
  const run = new RunStore(path.dirname(path.resolve(runDir))).openRun(path.resolve(runDir));
  let trainer: Trainer;
  try {
    trainer = await Trainer.open(run, (message) => channel.send(message), { recordEpisodes: true, stopAtStep: stopAt === undefined ? undefined : Number(stopAt) });
  } catch (error) {
    fail(run, channel, error);
    return;
  }
  channel.onMessage((raw) => {
    const parsed = trainerCommandSchema.safeParse(raw);
    if (!parsed.success) {
      channel.send({ type: 'event', event: { type: 'error', step: trainer.counters.step, wallSeconds: trainer.counters.wallSeconds, message: `invalid command: ${parsed.error.message}` } });
      return;
    }
    try {
      trainer.command(parsed.data);
    } catch (error) {
      // A rejected command (e.g. an out-of-range value) is reported; training goes on.
      channel.send({ type: 'event', event: { type: 'error', step: trainer.counters.step, wallSeconds: trainer.counters.wallSeconds, message: (error as Error).message } });
    }
  });
  const stop = () => trainer.command({ type: 'stop' });
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  try {
    await trainer.train();
  } catch (error) {
    fail(run, channel, error);
    return;
  } finally {
    trainer.dispose();
  }
  process.exit(0);
}

function fail(run: { updateInfo(patch: { status: 'failed'; error: string }): void }, channel: ParentChannel, error: unknown): void {
  const message = (error as Error).message ?? String(error);
  try {
    run.updateInfo({ status: 'failed', error: message });
  } finally {
    channel.send({ type: 'status', status: 'failed', step: 0, error: message });
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 50);
  }
}

await main();
