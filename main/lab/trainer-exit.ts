/**
 * What a trainer's exit means for its run. What the trainer wrote to run.json is the truth (its
 * last message may be lost with it): a run it left finished, stopped or failed ended so, whatever
 * the exit code; only a run it left unfinished (running, paused, created) failed, and whoever
 * started the trainer, now the run's only writer, marks it so with the reason.
 */
import { readRunInfo, writeRunInfo, type RunStatus } from '../store/run-info.ts';
import { assertNoOtherWriter } from '../store/run-lock.ts';
import type { TrainerExit } from './trainer-launcher.ts';

export const ENDED_STATUSES: ReadonlySet<RunStatus> = new Set(['finished', 'stopped', 'failed']);

export interface SettledRun {
  status: RunStatus;
  /** The env step of its summary (0 when it has none). */
  step: number;
  /** What the trainer wrote of the run's end (run.json's summary). */
  summary?: Record<string, number>;
  error?: string;
  stopReason?: string;
}

/** The final status of the run in `runDir` after its trainer exited (marked failed in run.json if the trainer left it unfinished). */
export function settleTrainerRun(runDir: string, exit: TrainerExit): SettledRun {
  const info = readRunInfo(runDir);
  const { status, error, stopReason, summary } = info;
  const step = summary?.step ?? 0;
  if (ENDED_STATUSES.has(status)) return { status, step, summary, error, stopReason };
  const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
  const lastLines = exit.stderrTail.trim().split('\n').slice(-3).join('\n');
  const failure = `the trainer ${how}${lastLines ? `: ${lastLines}` : ''}`;
  try {
    assertNoOtherWriter(runDir);
    writeRunInfo(runDir, { ...info, status: 'failed', error: failure, updatedAt: new Date().toISOString() });
  } catch (problem) {
    console.warn(`gaitlab: cannot mark run ${info.id} failed (${failure}): ${(problem as Error).message}`);
  }
  return { status: 'failed', step, summary, error: failure };
}
