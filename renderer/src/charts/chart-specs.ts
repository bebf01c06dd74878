/** Which metrics each chart of a run shows (the keys are the trainer's metrics.jsonl columns). */

export interface ChartSpec {
  id: string;
  title: string;
  /** The metric keys to draw, chosen from the keys the run's rows have. */
  keys: (available: readonly string[]) => string[];
  /** Shown under the title. */
  hint?: string;
}

const only = (...keys: string[]) => (available: readonly string[]) => keys.filter((key) => available.includes(key));

export const RUN_CHARTS: ChartSpec[] = [
  { id: 'return', title: 'Episode return', keys: only('return_mean'), hint: 'mean of the last 20 training episodes' },
  { id: 'reward-terms', title: 'Reward terms', keys: (available) => available.filter((key) => key.startsWith('reward_')) },
  { id: 'policy-loss', title: 'Policy loss', keys: only('policy_loss') },
  { id: 'value-loss', title: 'Value loss', keys: only('value_loss') },
  { id: 'entropy', title: 'Entropy', keys: only('entropy') },
  { id: 'approx-kl', title: 'Approx KL', keys: only('approx_kl') },
  { id: 'clip-fraction', title: 'Clip fraction', keys: only('clip_fraction') },
  { id: 'explained-variance', title: 'Explained variance', keys: only('explained_variance') },
  { id: 'learning-rate', title: 'Learning rate', keys: only('learning_rate') },
  { id: 'sps', title: 'Env steps / s', keys: only('sps') },
  { id: 'episode-length', title: 'Episode length', keys: only('length_mean') },
];

/** Columns that are bookkeeping, not diagnostics: never charted on their own. */
const BOOKKEEPING = new Set(['update', 'step', 'wall_s', 'episodes', 'return_std']);

/** Whatever else the algorithm reports (TRPO's line search, V-MPO's temperatures...): one chart each. */
export function extraCharts(available: readonly string[]): ChartSpec[] {
  const charted = new Set(RUN_CHARTS.flatMap((spec) => spec.keys(available)));
  return available
    .filter((key) => !charted.has(key) && !BOOKKEEPING.has(key) && !key.startsWith('time_'))
    .map((key) => ({ id: `metric-${key}`, title: key, keys: only(key) }));
}

export const PALETTE = ['#6d8cff', '#3ecf8e', '#f5b14c', '#f2666a', '#c69cff', '#4cc9f0', '#ff8fab', '#a3e635'];

/** `reward_forward` -> `forward`. */
export function seriesLabel(key: string): string {
  return key.startsWith('reward_') ? key.slice('reward_'.length) : key;
}
