/**
 * PBT's lineage from a sweep's decisions (trials.jsonl): each exploit is a trial that copied a
 * better trial's checkpoint (a fork: a new run whose parent is the donor's run) at a step, and
 * went on with new values.
 */
import type { Hparams, SweepDecision, TrialRecord } from '../../../main/lab/api.ts';

export interface Exploit {
  /** The trial that copied, and the run it trains with from then on (the fork). */
  trial: number;
  run: string;
  /** The run it left behind. */
  replaced: string;
  /** The trial and run it copied, at which env step. */
  fromTrial: number;
  fromRun: string;
  step: number;
  /** The explored values it goes on with. */
  hparams: Hparams;
  time: string;
}

/** The exploits in the order they were decided. */
export function pbtLineage(decisions: readonly SweepDecision[]): Exploit[] {
  return decisions
    .filter((d) => d.type === 'exploited')
    .map((d) => ({
      trial: d.trial,
      run: d.run,
      replaced: String(d.replaced ?? ''),
      fromTrial: Number(d.fromTrial),
      fromRun: String(d.from ?? ''),
      step: d.step,
      hparams: (d.hparams ?? {}) as Hparams,
      time: d.time,
    }));
}

/** Which trial each run belongs to: its current run and every run PBT replaced. */
export function trialOfRun(trials: readonly Pick<TrialRecord, 'trial' | 'run' | 'previousRuns'>[]): Map<string, number> {
  return new Map(trials.flatMap((t) => [t.run, ...t.previousRuns].map((run) => [run, t.trial] as const)));
}
