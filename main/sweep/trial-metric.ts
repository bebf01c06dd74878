/** The number a sweep ranks a trial by: the last value of a metrics column, or an evaluation. */
import type { RunHandle } from '../store/run-store.ts';
import { Trainer } from '../trainer/trainer.ts';

/** Deterministic episodes per `eval` metric, from the evaluation seed `gaitlab eval` uses. */
const EVAL_EPISODES = 5;
const EVAL_SEED = 10_000;

export async function trialMetric(run: RunHandle, metric: string): Promise<number | null> {
  if (metric === 'eval') {
    if (run.listCheckpoints().length === 0) return null;
    const trainer = await Trainer.open(run);
    try {
      return trainer.evaluate(EVAL_EPISODES, EVAL_SEED).returnMean;
    } finally {
      trainer.dispose();
    }
  }
  const rows = run.readMetrics();
  for (let i = rows.length - 1; i >= 0; i--) {
    const value = rows[i][metric];
    if (typeof value === 'number') return value;
  }
  return null;
}
