/**
 * One worker thread of a WorkerVecEnv (Node-only; started through tsx by worker-vec-env.ts). Its
 * slice of the vector is a SyncVecEnv, so auto-reset, final observations, episode statistics and
 * snapshots are SyncVecEnv's own; this module only copies results into the shared arrays and
 * answers commands (see worker-protocol.ts). An error while starting rejects this module's
 * evaluation, which the bootstrap reports; an error in a command is answered as Reply.Error.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { initPhysics, makeEnv } from '../index.ts';
import type { EnvSnapshot } from './env.ts';
import { SyncVecEnv, type EpisodeRecord } from './vec-env.ts';
import { Command, Control, Reply, type ResetRequest, type SharedArrays, type WorkerHello, type WorkerInit } from './worker-protocol.ts';

const { envId, make, start, count, port, control: controlBuffer } = workerData as WorkerInit;
const control = new Int32Array(controlBuffer);

function reply(code: number): void {
  Atomics.store(control, Control.Reply, code);
  Atomics.notify(control, Control.Reply);
}

// If env code ends the thread mid-command (process.exit), the main thread is told instead of
// waiting forever. Only a pending command is answered, so an error already reported stands.
process.on('exit', () => {
  Atomics.compareExchange(control, Control.Reply, Reply.Pending, Reply.Exited);
  Atomics.notify(control, Control.Reply);
});

await initPhysics(); // robot envs need Rapier and their models, once per thread
const envs = new SyncVecEnv(count, () => makeEnv(envId, make));
/** This slice's rows of the shared arrays (the frame array is whole: one frame at a time). */
let rows: SharedArrays | undefined;

function sliceRows(shared: SharedArrays): SharedArrays {
  const end = start + count, obsSize = envs.obsSize, actionSize = envs.actionSize;
  return {
    actions: shared.actions.subarray(start * actionSize, end * actionSize),
    obs: shared.obs.subarray(start * obsSize, end * obsSize),
    finalObs: shared.finalObs.subarray(start * obsSize, end * obsSize),
    rewards: shared.rewards.subarray(start, end),
    terminated: shared.terminated.subarray(start, end),
    truncated: shared.truncated.subarray(start, end),
    frame: shared.frame,
  };
}

function attached(): SharedArrays {
  if (!rows) throw new Error('vec-env worker: a command came before the shared arrays were attached');
  return rows;
}

function payload<T>(): T {
  const received = receiveMessageOnPort(port);
  if (!received) throw new Error('vec-env worker: the command came without its payload');
  return received.message as T;
}

/** Runs one command; returns the answer to post, if any. */
function handle(command: number): EpisodeRecord[] | EnvSnapshot | undefined {
  switch (command) {
    case Command.Attach:
      rows = sliceRows(payload<SharedArrays>());
      return undefined;
    case Command.Reset: {
      const { seed } = payload<ResetRequest>();
      attached().obs.set(envs.reset(seed));
      return undefined;
    }
    case Command.Step: {
      const out = attached();
      const result = envs.step(out.actions);
      out.obs.set(result.obs);
      out.rewards.set(result.rewards);
      out.terminated.set(result.terminated);
      out.truncated.set(result.truncated);
      for (let i = 0; i < count; i++) {
        const finalObs = result.finalObs[i];
        if (finalObs) out.finalObs.set(finalObs, i * envs.obsSize);
      }
      if (result.episodes.length === 0) return undefined;
      return result.episodes.map((episode) => ({ ...episode, envIndex: episode.envIndex + start }));
    }
    case Command.Frame:
      envs.frame(Atomics.load(control, Control.Env), attached().frame);
      return undefined;
    case Command.CopyEnv:
      envs.copyEnv(Atomics.load(control, Control.Env), Atomics.load(control, Control.TargetEnv));
      return undefined;
    case Command.SaveState:
      return envs.saveState();
    case Command.LoadState:
      envs.loadState(payload<EnvSnapshot>());
      return undefined;
    default:
      throw new Error(`vec-env worker: unknown command ${command}`);
  }
}

port.postMessage({ spec: envs.spec, scene: envs.scene } satisfies WorkerHello);
reply(Reply.Message);
// Answers commands until the main thread terminates this thread.
for (;;) {
  // A wake-up may come with no command: the main thread stores a command and then notifies, and
  // in between this thread can find the command without waiting, do it, reply, and go back to
  // waiting, to be woken by that late notify (a run of two Walker2d workers failed so about one
  // time in ten). So it takes a command only when there is one, and waits again otherwise.
  let command: number;
  while ((command = Atomics.exchange(control, Control.Command, Command.None)) === Command.None) Atomics.wait(control, Control.Command, Command.None);
  try {
    const answer = handle(command);
    if (answer !== undefined) port.postMessage(answer);
    reply(answer === undefined ? Reply.Done : Reply.Message);
  } catch (error) {
    port.postMessage(error instanceof Error ? error : new Error(String(error)));
    reply(Reply.Error);
  }
}
