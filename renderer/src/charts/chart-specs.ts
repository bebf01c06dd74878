/** Which metrics each chart of a run shows, and what every metric is called on screen. */

/** How a metrics.jsonl column (the trainer's key) is shown. */
export interface MetricInfo {
  label: string;
  unit?: string;
  /**
   * Set between updates, not measured (a hyperparameter, a count of passes): drawn as steps and never
   * smoothed, since an average of two settings is a setting nobody used.
   */
  stepLike?: boolean;
}

/** One table of human labels, used by every chart title, legend, tooltip and the Compare picker. */
const METRICS: Record<string, MetricInfo> = {
  return_mean: { label: 'Episode return' },
  return_std: { label: 'Episode return std' },
  length_mean: { label: 'Episode length', unit: 'steps' },
  policy_loss: { label: 'Policy loss' },
  policy_loss_before: { label: 'Policy loss before the update' },
  value_loss: { label: 'Value loss' },
  entropy: { label: 'Entropy', unit: 'nats' },
  approx_kl: { label: 'Approx KL' },
  old_approx_kl: { label: 'Approx KL (old estimator)' },
  clip_fraction: { label: 'Clip fraction' },
  drift_fraction: { label: 'Drift fraction' },
  explained_variance: { label: 'Explained variance' },
  grad_norm: { label: 'Gradient norm' },
  policy_grad_norm: { label: 'Policy gradient norm' },
  learning_rate: { label: 'Learning rate', stepLike: true },
  epochs: { label: 'Epochs run per update', stepLike: true },
  sps: { label: 'Env steps / s' },
  step: { label: 'Env steps' },
  update: { label: 'Update' },
  episodes: { label: 'Episodes finished' },
  wall_s: { label: 'Wall time', unit: 's' },
  time_env_s: { label: 'Env stepping time', unit: 's' },
  time_act_s: { label: 'Policy inference time', unit: 's' },
  time_update_s: { label: 'Update time', unit: 's' },
  time_rollout_s: { label: 'Rollout time', unit: 's' },
  time_train_s: { label: 'Training time', unit: 's' },
  // TRPO
  line_search_steps: { label: 'Line-search steps', stepLike: true },
  step_accepted: { label: 'Step accepted', stepLike: true },
  surrogate_improvement: { label: 'Surrogate improvement' },
  expected_improvement: { label: 'Expected improvement' },
  cg_residual: { label: 'CG residual' },
  // V-MPO
  temperature_loss: { label: 'Temperature loss' },
  kl_mu: { label: 'KL of the mean' },
  alpha_mu: { label: 'Multiplier α_μ' },
  selected_fraction: { label: 'Selected fraction' },
  // MDPO
  kl_coef: { label: 'KL coefficient', stepLike: true },
  // Off-policy
  actor_loss: { label: 'Actor loss' },
  qf_loss: { label: 'Q loss' },
  qf1_loss: { label: 'Q1 loss' },
  qf2_loss: { label: 'Q2 loss' },
  qf1_values: { label: 'Q1 values' },
  qf2_values: { label: 'Q2 values' },
  alpha: { label: 'Entropy temperature α' },
  alpha_loss: { label: 'Temperature loss' },
  replay_size: { label: 'Replay buffer size', unit: 'transitions' },
};

export function metricInfo(key: string): MetricInfo {
  const known = METRICS[key];
  if (known) return known;
  if (key.startsWith('reward_')) return { label: `Reward: ${key.slice('reward_'.length)}` };
  // A metric this table does not know yet: words, not an identifier.
  const words = key.replace(/_/g, ' ');
  return { label: words.charAt(0).toUpperCase() + words.slice(1) };
}

/** `Wall time (s)`: the label with its unit, for titles and pickers. */
export function metricTitle(key: string): string {
  const { label, unit } = metricInfo(key);
  return unit ? `${label} (${unit})` : label;
}

export function isStepLike(key: string): boolean {
  return metricInfo(key).stepLike === true;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** The metric keys to draw, chosen from the keys the run's rows have. */
  keys: (available: readonly string[]) => string[];
  /** Shown under the title. */
  hint?: string;
}

const only =
  (...keys: string[]) =>
  (available: readonly string[]) =>
    keys.filter((key) => available.includes(key));
const chartOf = (key: string, id = key.replace(/_/g, '-'), hint?: string): ChartSpec => ({ id, title: metricTitle(key), keys: only(key), hint });

export const RUN_CHARTS: ChartSpec[] = [
  chartOf('return_mean', 'return', 'mean of the last 20 training episodes'),
  { id: 'reward-terms', title: 'Reward terms', keys: (available) => available.filter((key) => key.startsWith('reward_')) },
  chartOf('policy_loss'),
  chartOf('value_loss'),
  chartOf('entropy'),
  chartOf('approx_kl'),
  chartOf('clip_fraction'),
  chartOf('explained_variance'),
  chartOf('learning_rate'),
  chartOf('sps'),
  chartOf('length_mean', 'episode-length'),
  // Constant at update_epochs unless target KL stops updates early: then it shows how often.
  chartOf('epochs', 'epochs', 'fewer than update_epochs when target KL stops an update early'),
];

/** Columns that are bookkeeping, not diagnostics: never charted on their own. */
export const BOOKKEEPING = new Set(['update', 'step', 'wall_s', 'episodes', 'return_std']);

/** Whatever else the algorithm reports (TRPO's line search, V-MPO's temperatures...): one chart each. */
export function extraCharts(available: readonly string[]): ChartSpec[] {
  const charted = new Set(RUN_CHARTS.flatMap((spec) => spec.keys(available)));
  return available.filter((key) => !charted.has(key) && !BOOKKEEPING.has(key) && !key.startsWith('time_')).map((key) => chartOf(key, `metric-${key}`));
}

export const PALETTE = ['#6d8cff', '#3ecf8e', '#f5b14c', '#f2666a', '#c69cff', '#4cc9f0', '#ff8fab', '#a3e635'];

/** A series' name inside a chart: `reward_forward` -> `forward` (the chart says "Reward terms"). */
export function seriesLabel(key: string): string {
  return key.startsWith('reward_') ? key.slice('reward_'.length) : metricInfo(key).label;
}
