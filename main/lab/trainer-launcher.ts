/**
 * How the Lab starts a trainer process, kept behind one small interface: a Node child process in
 * serve mode (fork-launcher.ts), an Electron utilityProcess in the app (app/utility-launcher.ts).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/**
 * The trainer's entry point: TypeScript, run through tsx's loader (the engine has no build step).
 * Written from the repository root, two folders up, so the path also holds from the Electron
 * bundle (out/main/index.js).
 */
export const TRAINER_ENTRY = fileURLToPath(new URL('../../main/trainer/trainer-process.ts', import.meta.url));

/** Node flags that load tsx, by absolute URL so they work whatever the working directory. */
export function tsxExecArgv(): string[] {
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}

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
