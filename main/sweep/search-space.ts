/**
 * Drawing hyperparameters from a sweep's search space: every combination (grid), independent
 * draws (random, ASHA, PBT's first population), and PBT's explore step (perturb or resample).
 * All draws come from the sweep's own seeded Rng, so a sweep's settings repeat exactly.
 */
import type { Rng } from '../../sim/index.ts';
import type { Hparams, HparamValue } from '../config/run-config.ts';
import type { ParameterSpace } from '../config/sweep-spec.ts';

export type SearchSpace = Record<string, ParameterSpace>;

/** Every combination of the listed values, the first parameter varying slowest. */
export function gridSettings(space: SearchSpace): Hparams[] {
  let settings: Hparams[] = [{}];
  for (const [key, p] of Object.entries(space)) {
    settings = settings.flatMap((s) => (p.values ?? []).map((v) => ({ ...s, [key]: v })));
  }
  return settings;
}

export function sampleSetting(space: SearchSpace, rng: Rng): Hparams {
  return Object.fromEntries(Object.entries(space).map(([key, p]) => [key, sampleValue(p, rng)]));
}

function sampleValue(p: ParameterSpace, rng: Rng): HparamValue {
  if (p.values) return p.values[rng.int(p.values.length)];
  const [min, max] = [p.min as number, p.max as number];
  const x = p.log ? Math.exp(rng.uniformRange(Math.log(min), Math.log(max))) : rng.uniformRange(min, max);
  return p.int ? Math.min(max, Math.max(min, Math.round(x))) : x;
}

export interface ExploreOptions {
  resample_probability: number;
  factors: [number, number];
}

/**
 * PBT's explore (Jaderberg et al. 2017, Ray Tune's defaults): each value is resampled from its
 * space with `resample_probability`, else multiplied by one of the factors (a listed value moves
 * to its neighbour instead), kept inside its range.
 */
export function explore(current: Hparams, space: SearchSpace, options: ExploreOptions, rng: Rng): Hparams {
  const next: Hparams = {};
  for (const [key, p] of Object.entries(space)) {
    const value = current[key];
    if (rng.uniform() < options.resample_probability || (p.values === undefined && typeof value !== 'number')) {
      next[key] = sampleValue(p, rng);
    } else if (p.values) {
      const at = Math.max(0, p.values.indexOf(value as HparamValue));
      const step = rng.uniform() < 0.5 ? -1 : 1;
      next[key] = p.values[Math.min(p.values.length - 1, Math.max(0, at + step))];
    } else {
      const factor = options.factors[rng.int(2)];
      const x = Math.min(p.max as number, Math.max(p.min as number, (value as number) * factor));
      next[key] = p.int ? Math.round(x) : x;
    }
  }
  return next;
}
