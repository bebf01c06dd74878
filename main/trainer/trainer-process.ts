/**
 * Entry point of a trainer process (one per active run): `node --import tsx trainer-process.ts <runDir> [--stop-at STEP]`,
 * forked by the Lab (Node child_process) or started as an Electron utilityProcess. It trains the
 * run in <runDir>, reports TrainerMessages to its parent and obeys TrainerCommands from it.
 * A crash here is an exit of this process, never of the app. It never loses the run's work: a
 * stop signal, or the loss of its parent (the app killed), stops it like the Stop button does
 * (finish the update, checkpoint, status stopped), and it exits only once its last messages are out.
 */
import path from 'node:path';
import { RunStore } from '../store/run-store.ts';
import { trainerCommandSchema } from './protocol.ts';
import { ParentChannel, parentLink } from './parent-channel.ts';
import { onStopSignals } from './stop-signals.ts';
import { Trainer } from './trainer.ts';

/** How long an update waits for the Lab to read the last one's messages (it takes milliseconds when the Lab is not busy). */
const PARENT_READ_PATIENCE_MS = 100;

/** The run.json reason of a run whose trainer outlived the app that started it. */
const ORPHANED_REASON = 'the app that started it exited';

async function main(): Promise<void> {
  // The parent reads our stderr: once it is gone, a warning must not crash us (EPIPE) before the checkpoint.
  process.stderr.on('error', () => {});
  const channel = new ParentChannel(parentLink());
  const [runDir, flag, stopAt] = process.argv.slice(2);
  if (!runDir || (flag !== undefined && (flag !== '--stop-at' || !/^\d+$/.test(stopAt ?? '')))) {
    throw new Error('usage: trainer-process <runDir> [--stop-at STEP]');
  }
  const run = new RunStore(path.dirname(path.resolve(runDir))).openRun(path.resolve(runDir));
  let trainer: Trainer;
  try {
    trainer = await Trainer.open(run, (message) => channel.send(message), {
      recordEpisodes: true,
      betweenUpdates: () => channel.letParentRead(PARENT_READ_PATIENCE_MS),
      stopAtStep: stopAt === undefined ? undefined : Number(stopAt),
    });
  } catch (error) {
    return fail(run, channel, error, 0);
  }
  const removeSignalHandler = onStopSignals((signal) => trainer.stop(`received ${signal}`));
  channel.onDisconnect(() => trainer.stop(ORPHANED_REASON));
  channel.onMessage((raw) => {
    const parsed = trainerCommandSchema.safeParse(raw);
    if (!parsed.success) {
      channel.send({
        type: 'event',
        event: { type: 'error', step: trainer.counters.step, wallSeconds: trainer.counters.wallSeconds, message: `invalid command: ${parsed.error.message}` },
      });
      return;
    }
    try {
      trainer.command(parsed.data);
    } catch (error) {
      // A rejected command (e.g. an out-of-range value) is reported; training goes on.
      channel.send({
        type: 'event',
        event: { type: 'error', step: trainer.counters.step, wallSeconds: trainer.counters.wallSeconds, message: (error as Error).message },
      });
    }
  });
  try {
    await trainer.train();
  } catch (error) {
    return fail(run, channel, error, trainer.counters.step);
  } finally {
    trainer.dispose();
    removeSignalHandler();
  }
  await exitWhenSent(channel, 0);
}

async function fail(
  run: { updateInfo(patch: { status: 'failed'; error: string }): void },
  channel: ParentChannel,
  error: unknown,
  step: number,
): Promise<void> {
  const message = (error as Error).message ?? String(error);
  try {
    run.updateInfo({ status: 'failed', error: message });
  } finally {
    channel.send({ type: 'status', status: 'failed', step, error: message });
    await exitWhenSent(channel, 1);
  }
}

/** Exits once the parent has every message (an exit before would drop those still queued: the final status). */
async function exitWhenSent(channel: ParentChannel, code: number): Promise<void> {
  await channel.drained();
  process.exit(code);
}

await main();
