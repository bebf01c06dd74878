/**
 * SIGINT (Ctrl-C), SIGTERM (kill, a service manager, docker stop) and SIGHUP (the terminal closed)
 * all ask a training process to stop the same way: finish the current update, checkpoint it, mark
 * the run stopped and exit 0. A second signal of any of them means now: exit at once with the
 * shell's 128 + signal number (the last complete checkpoint stays valid: checkpoints are written
 * atomically).
 */
import os from 'node:os';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Calls `stop` on the first of these signals; returns the function that removes the handler. */
export function onStopSignals(stop: (signal: StopSignal) => void): () => void {
  let received = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (++received === 1) stop(signal as StopSignal);
    else process.exit(128 + os.constants.signals[signal]);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
  };
}
