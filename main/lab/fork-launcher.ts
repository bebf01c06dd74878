/** Serve mode's TrainerLauncher: a Node child process with an IPC channel (`process.send`). */
import { fork } from 'node:child_process';
import { TRAINER_ENTRY, tailOf, trainerArgs, yieldToUi, type TrainerLauncher } from './trainer-launcher.ts';

export const forkTrainer: TrainerLauncher = (runDir, options) => {
  const child = fork(TRAINER_ENTRY.file, trainerArgs(runDir, options), { execArgv: TRAINER_ENTRY.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  yieldToUi(child.pid);
  const stderrTail = tailOf(child.stderr, process.stderr);
  return {
    send: (command) => {
      // A command racing the process's exit is dropped; the exit tells the Lab what happened.
      if (child.connected) child.send(command, () => {});
    },
    onMessage: (listener) => child.on('message', listener),
    // 'close' comes after stderr has drained, so the tail is complete.
    onExit: (listener) => child.on('close', (code, signal) => listener({ code, signal, stderrTail: stderrTail() })),
    kill: () => child.kill('SIGKILL'),
  };
};
