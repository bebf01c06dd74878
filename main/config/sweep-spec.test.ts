/** The sweep spec: defaults, and each mistake refused in one line naming its field path. */
import { describe, expect, it } from 'vitest';
import { parseSweepSpec } from './sweep-spec.ts';

const base = { env: 'Pendulum-v1', algo: 'ppo', steps: 8192, method: 'random', trials: 4, parameters: { learning_rate: { min: 1e-4, max: 3e-3, log: true } } };

function refusal(spec: unknown): string {
  try {
    parseSweepSpec(spec);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the spec was accepted');
}

describe('parseSweepSpec', () => {
  it('fills the defaults: return_mean maximized, one seed, PBT and ASHA options', () => {
    const spec = parseSweepSpec(base, { concurrency: 2 });
    expect(spec).toMatchObject({ metric: 'return_mean', mode: 'max', seeds: [1], concurrency: 2, set: {} });
    expect(spec.pbt).toEqual({ interval: 819, quantile: 0.25, resample_probability: 0.25, factors: [0.8, 1.2] });
    expect(spec.asha).toEqual({ reduction_factor: 3, grace_period: 910 });
  });

  it('refuses an unknown hyperparameter, naming it and its path', () => {
    const message = refusal({ ...base, parameters: { learnin_rate: { min: 1e-4, max: 1e-3 } } });
    expect(message).toMatch(/^invalid sweep spec: parameters\.learnin_rate: unknown hyperparameter "learnin_rate" for ppo; known: .*learning_rate/);
    expect(message).not.toContain('\n');
  });

  it("refuses min > max, and a value outside the schema's range", () => {
    expect(refusal({ ...base, parameters: { learning_rate: { min: 3e-3, max: 1e-4 } } })).toContain(
      'parameters.learning_rate.min: min (0.003) is greater than max (0.0001)',
    );
    expect(refusal({ ...base, parameters: { gamma: { values: [0.99, 1.5] } } })).toContain('parameters.gamma.values.1: 1.5 is not allowed');
  });

  it('refuses an unknown method, listing the known ones', () => {
    expect(refusal({ ...base, method: 'bayes' })).toMatch(/method: .*"grid"\|"random"\|"asha"\|"pbt"/);
  });

  it('refuses PBT on a hyperparameter that cannot change while a run trains, naming the live ones', () => {
    const message = refusal({ ...base, method: 'pbt', parameters: { num_steps: { values: [256, 512] }, learning_rate: { min: 1e-4, max: 1e-3 } } });
    expect(message).toMatch(
      /parameters\.num_steps: PBT perturbs hyperparameters while trials train, and "num_steps" cannot change live; live ones: .*learning_rate/,
    );
    expect(message).not.toContain('parameters.learning_rate');
  });

  it('refuses the rest with their paths: env, integer ranges, grids of ranges, misplaced options', () => {
    expect(refusal({ ...base, env: 'Nope-v0' })).toContain('env: unknown environment "Nope-v0"');
    expect(refusal({ ...base, parameters: { update_epochs: { min: 2, max: 10 } } })).toContain(
      'parameters.update_epochs: "update_epochs" is an integer hyperparameter: add "int": true',
    );
    expect(refusal({ ...base, method: 'grid', trials: undefined })).toContain('parameters.learning_rate: a grid searches listed values');
    expect(refusal({ ...base, asha: { reduction_factor: 2 } })).toContain('asha: "asha" options apply to method "asha"');
    expect(refusal({ ...base, set: { clip_coef: -1 } })).toContain('set.clip_coef: -1 is not allowed');
  });
});
