/** The app's TrainerLauncher: each trainer in an Electron utilityProcess (its own process and heap). */
import { utilityProcess } from 'electron';
import { TRAINER_ENTRY, tailOf, trainerArgs, yieldToUi, type TrainerLauncher } from '../main/lab/trainer-launcher.ts';

export const utilityTrainer: TrainerLauncher = (runDir, options) => {
  const child = utilityProcess.fork(TRAINER_ENTRY.file, trainerArgs(runDir, options), {
    execArgv: TRAINER_ENTRY.execArgv,
    stdio: ['ignore', 'ignore', 'pipe'],
    serviceName: 'GaitLab trainer',
  });
  child.once('spawn', () => yieldToUi(child.pid));
  const stderrTail = tailOf(child.stderr, process.stderr);
  let running = true;
  child.once('exit', () => (running = false));
  return {
    send: (command) => {
      if (running) child.postMessage(command);
    },
    onMessage: (listener) => child.on('message', listener),
    // A utility process reports only its exit code; a crash shows as a non-zero code.
    onExit: (listener) => child.once('exit', (code) => listener({ code, signal: null, stderrTail: stderrTail() })),
    kill: () => void child.kill(),
  };
};
