/**
 * One worker thread of a WorkerVecEnv (Node-only; started by worker-vec-env.ts): it
 * runs its slice of the vector (vec-env-slice.ts) on the commands of worker-protocol.ts. An error
 * while starting rejects this module's evaluation, which the bootstrap reports; an error in a
 * command is answered as Reply.Error.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { initPhysics, makeEnv } from '../index.ts';
import { VecEnvSlice } from './vec-env-slice.ts';
import { SyncVecEnv } from './vec-env.ts';
import { carriesPayload, Command, Control, Reply, type WorkerInit } from './worker-protocol.ts';

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
const slice = new VecEnvSlice(new SyncVecEnv(count, () => makeEnv(envId, make)), start);

function payload(command: number): unknown {
  if (!carriesPayload(command)) return undefined;
  const received = receiveMessageOnPort(port);
  if (!received) throw new Error('vec-env worker: the command came without its payload');
  return received.message;
}

function nextCommand(): number {
  let command = Atomics.exchange(control, Control.Command, Command.None);
  // A wake-up may come with no command: the main thread stores a command and then notifies, and
  // in between this thread can find the command without waiting, do it, reply, and go back to
  // waiting, to be woken by that late notify (a run of two Walker2d workers failed so about one
  // time in ten). So it takes a command only when there is one, and waits again otherwise.
  while (command === Command.None) {
    Atomics.wait(control, Control.Command, Command.None);
    command = Atomics.exchange(control, Control.Command, Command.None);
  }
  return command;
}

reply(Reply.Done); // ready
// Answers commands until the main thread terminates this thread.
for (;;) {
  const command = nextCommand();
  try {
    const answer = slice.run(command, payload(command), { env: Atomics.load(control, Control.Env), target: Atomics.load(control, Control.TargetEnv) });
    if (answer !== undefined) port.postMessage(answer);
    reply(answer === undefined ? Reply.Done : Reply.Message);
  } catch (error) {
    port.postMessage(error instanceof Error ? error : new Error(String(error)));
    reply(Reply.Error);
  }
}
