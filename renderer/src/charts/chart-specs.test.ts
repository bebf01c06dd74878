import { describe, expect, it } from 'vitest';
import { extraCharts, isStepLike, metricTitle, RUN_CHARTS } from './chart-specs.ts';
import { metricSeries, rowPositions, runCharts } from './run-chart-data.ts';

describe('metric labels', () => {
  it('names metrics in words, with units, never by their keys', () => {
    expect(metricTitle('return_mean')).toBe('Episode return');
    expect(metricTitle('old_approx_kl')).toBe('Approx KL (old estimator)');
    expect(metricTitle('time_act_s')).toBe('Policy inference time (s)');
    expect(metricTitle('reward_forward')).toBe('Reward: forward');
    expect(metricTitle('some_new_stat')).toBe('Some new stat');
  });

  it('titles every run chart from the table', () => {
    const keys = ['return_mean', 'policy_loss', 'approx_kl', 'old_approx_kl', 'grad_norm', 'epochs', 'line_search_steps'];
    for (const spec of [...RUN_CHARTS, ...extraCharts(keys)]) expect(spec.title).not.toMatch(/_/);
  });
});

describe('step-like series', () => {
  const rows = [
    { step: 1, wall_s: 1, learning_rate: 3e-4, epochs: 10, entropy: 1 },
    { step: 2, wall_s: 2, learning_rate: 1e-4, epochs: 4, entropy: 0 },
  ];

  it('are the hyperparameters and counts, not the measurements', () => {
    expect(['learning_rate', 'epochs', 'line_search_steps', 'kl_coef'].every(isStepLike)).toBe(true);
    expect(['return_mean', 'entropy', 'approx_kl', 'sps'].some(isStepLike)).toBe(false);
  });

  it('are drawn as steps and never smoothed into a slope', () => {
    const [lr, ...more] = metricSeries('learning_rate', 'Learning rate', '#fff', [3e-4, 1e-4], rowPositions(rows), 0.9);
    expect(more).toEqual([]);
    expect(lr).toMatchObject({ stepped: true, values: [3e-4, 1e-4] });
    const chart = runCharts(rows, [], 'steps', 0.9).find((c) => c.id === 'learning-rate')!;
    expect(chart.data.series.map((s) => s.values)).toEqual([[3e-4, 1e-4]]);
    const entropy = runCharts(rows, [], 'steps', 0.9).find((c) => c.id === 'entropy')!;
    expect(entropy.data.series.map((s) => Boolean(s.stepped))).toEqual([false, false]);
  });
});
