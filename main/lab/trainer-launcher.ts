/**
 * How the Lab starts a trainer process, kept behind one small interface: a Node child process in
 * serve mode (fork-launcher.ts), an Electron utilityProcess in the app (app/utility-launcher.ts).
 */
import os from 'node:os';
import { engineEntry } from '../../sim/core/engine-entry.ts';
import type { TrainerCommand } from '../trainer/protocol.ts';

export interface TrainerExit {
  code: number | null;
  signal: string | null;
  /** The end of what the process wrote to stderr: the reason, when it crashed. */
  stderrTail: string;
}

export interface TrainerProcess {
  send(command: TrainerCommand): void;
  /** Messages as the process sent them; the Lab validates them. */
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (exit: TrainerExit) => void): void;
  kill(): void;
}

export interface TrainerLaunchOptions {
  /** Train up to this env step, then checkpoint and stop (a sweep's rung or PBT interval). */
  stopAtStep?: number;
}

/** Starts the trainer of the run in `runDir`. */
export type TrainerLauncher = (runDir: string, options?: TrainerLaunchOptions) => TrainerProcess;

/** The trainer process's arguments for `runDir` and `options`. */
export function trainerArgs(runDir: string, options: TrainerLaunchOptions = {}): string[] {
  return options.stopAtStep === undefined ? [runDir] : [runDir, '--stop-at', String(options.stopAtStep)];
}

/** The trainer's entry point: its source through tsx, or its build (engine-entry.ts). */
export const TRAINER_ENTRY = engineEntry('main/trainer/trainer-process.ts');

/**
 * Trainers run at a lower CPU priority than the UI: they use every idle cycle, but when the
 * machine is short of cores the window keeps drawing and answering instead of stalling.
 */
const TRAINER_NICENESS = 5;

export function yieldToUi(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    os.setPriority(pid, TRAINER_NICENESS);
  } catch {
    // Not permitted here (some sandboxes): the trainer keeps the default priority.
  }
}

const TAIL_CHARS = 4000;

/** Keeps the last few KB of a stream (and echoes it, so a trainer's warnings stay visible). */
export function tailOf(stream: NodeJS.ReadableStream | null, echo: NodeJS.WritableStream | null): () => string {
  let tail = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    echo?.write(chunk);
    tail = (tail + chunk).slice(-TAIL_CHARS);
  });
  return () => tail;
}
