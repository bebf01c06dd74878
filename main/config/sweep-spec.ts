/**
 * A sweep's spec (SPEC.json of `gaitlab sweep`): what to train, how to search, and what to maximize.
 * Validated in full before anything starts, by the controller and again by every worker that takes
 * a trial; each mistake is named with its field path. Hyperparameters are checked against the
 * algorithm's own schema (names, ranges, and for PBT whether they can change while a run trains).
 */
import os from 'node:os';
import { z } from 'zod';
import { listEnvs } from '../../sim/index.ts';
import { getAlgorithm, liveHparams, listAlgorithms } from '../algos/index.ts';
import { hparamValueSchema } from './run-config.ts';

export const SWEEP_METHODS = ['grid', 'random', 'asha', 'pbt'] as const;
export type SweepMethod = (typeof SWEEP_METHODS)[number];

/** One hyperparameter's search space: listed values, or a range (log-uniform with `log`, rounded with `int`). */
const parameterSchema = z
  .object({
    values: z.array(hparamValueSchema).min(1).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    log: z.boolean().default(false),
    int: z.boolean().default(false),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.values !== undefined) {
      if (p.min !== undefined || p.max !== undefined) ctx.addIssue({ code: 'custom', message: 'give either "values" or "min"/"max", not both' });
      return;
    }
    if (p.min === undefined || p.max === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected {"values": [...]} or {"min": a, "max": b, "log"?: bool, "int"?: bool}' });
      return;
    }
    if (p.min > p.max) ctx.addIssue({ code: 'custom', path: ['min'], message: `min (${p.min}) is greater than max (${p.max})` });
    if (p.log && p.min <= 0) ctx.addIssue({ code: 'custom', path: ['min'], message: `a log range needs min > 0, got ${p.min}` });
  });
export type ParameterSpace = z.infer<typeof parameterSchema>;

const pbtSchema = z
  .object({
    interval: z.number().int().positive().optional().describe('Env steps between exploit/explore rounds (default: steps / 10)'),
    quantile: z.number().gt(0).max(0.5).default(0.25).describe('Fraction of the population that exploits (bottom) and donates (top)'),
    resample_probability: z.number().min(0).max(1).default(0.25).describe('Chance that explore resamples a value from its space instead of perturbing it'),
    factors: z.tuple([z.number().positive(), z.number().positive()]).default([0.8, 1.2]).describe('Perturbation factors'),
  })
  .strict();

const ashaSchema = z
  .object({
    reduction_factor: z.number().int().min(2).default(3).describe('1 / the fraction of a rung promoted to the next'),
    grace_period: z.number().int().positive().optional().describe('Env steps of the first rung (default: steps / reduction_factor²)'),
  })
  .strict();

const specObject = z
  .object({
    name: z.string().min(1).optional(),
    env: z.string().min(1),
    algo: z.string().min(1).default('ppo'),
    steps: z.number().int().positive().describe('Training budget of each trial, in env steps'),
    method: z.enum(SWEEP_METHODS),
    trials: z.number().int().positive().optional().describe('Settings sampled (random, asha) or population size (pbt); grid: every combination'),
    concurrency: z.number().int().positive().optional().describe('Trials training at once (default: the number of cores; with a queue, every trial)'),
    metric: z
      .string()
      .min(1)
      .default('return_mean')
      .describe('Metrics column to maximize (its last value), or "eval" (deterministic evaluation of the last checkpoint)'),
    mode: z.enum(['max', 'min']).default('max'),
    seeds: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      )
      .min(1)
      .default([1])
      .describe('Each setting is trained once per seed'),
    seed: z.number().int().min(0).default(0).describe('Seed of the search itself (sampling, PBT choices)'),
    parameters: z.record(z.string(), parameterSchema).default({}),
    set: z.record(z.string(), hparamValueSchema).default({}).describe('Fixed hyperparameters for every trial (like --set)'),
    checkpoint_every: z.number().int().positive().default(10).describe('Updates between checkpoints'),
    pbt: pbtSchema.optional(),
    asha: ashaSchema.optional(),
  })
  .strict();

export const sweepSpecSchema = specObject.superRefine((spec, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const envs = listEnvs().map((e) => e.id);
  if (!envs.includes(spec.env)) issue(['env'], `unknown environment "${spec.env}"; known: ${envs.join(', ')}`);
  const algos = listAlgorithms().map((a) => a.id);
  if (!algos.includes(spec.algo)) return issue(['algo'], `unknown algorithm "${spec.algo}"; known: ${algos.join(', ')}`);
  const algo = getAlgorithm(spec.algo);
  const fields = algo.hparamsSchema.shape as Record<string, z.ZodType>;
  const known = Object.keys(fields);
  const live = new Set(liveHparams(algo));

  for (const [key, value] of Object.entries(spec.set)) {
    if (!fields[key]) issue(['set', key], `unknown hyperparameter "${key}" for ${algo.id}; known: ${known.join(', ')}`);
    else checkValue(fields[key], value, ['set', key], issue);
  }
  for (const [key, space] of Object.entries(spec.parameters)) {
    const field = fields[key];
    if (!field) {
      issue(['parameters', key], `unknown hyperparameter "${key}" for ${algo.id}; known: ${known.join(', ')}`);
      continue;
    }
    if (key in spec.set) issue(['parameters', key], `"${key}" is both searched and fixed in "set"; keep one`);
    if (space.values) space.values.forEach((v, i) => checkValue(field, v, ['parameters', key, 'values', i], issue));
    else {
      const isInt = (field as unknown as { unwrap?: () => { isInt?: boolean } }).unwrap?.().isInt === true;
      if (isInt && !space.int) issue(['parameters', key], `"${key}" is an integer hyperparameter: add "int": true`);
      checkValue(field, space.min, ['parameters', key, 'min'], issue);
      checkValue(field, space.max, ['parameters', key, 'max'], issue);
    }
    if (spec.method === 'grid' && !space.values) issue(['parameters', key], 'a grid searches listed values: give {"values": [...]}');
    if (spec.method === 'pbt' && !live.has(key)) {
      issue(['parameters', key], `PBT perturbs hyperparameters while trials train, and "${key}" cannot change live; live ones: ${[...live].join(', ')}`);
    }
  }
  if (spec.method !== 'grid' && spec.trials === undefined)
    issue(['trials'], `method "${spec.method}" needs "trials" (how many settings, or the population size)`);
  if (spec.method === 'grid' && spec.trials !== undefined) issue(['trials'], 'a grid trains every combination of the values: leave "trials" out');
  if (spec.method === 'pbt' && (spec.trials ?? 0) < 2) issue(['trials'], 'PBT needs a population of at least 2 trials');
  if (spec.pbt && spec.method !== 'pbt') issue(['pbt'], `"pbt" options apply to method "pbt", not "${spec.method}"`);
  if (spec.asha && spec.method !== 'asha') issue(['asha'], `"asha" options apply to method "asha", not "${spec.method}"`);
  if (spec.pbt?.interval !== undefined && spec.pbt.interval >= spec.steps)
    issue(['pbt', 'interval'], `the interval (${spec.pbt.interval}) must be shorter than steps (${spec.steps})`);
  if (spec.asha?.grace_period !== undefined && spec.asha.grace_period > spec.steps)
    issue(['asha', 'grace_period'], `the grace period (${spec.asha.grace_period}) exceeds steps (${spec.steps})`);
});

function checkValue(field: z.ZodType, value: unknown, path: (string | number)[], issue: (path: (string | number)[], message: string) => void): void {
  const result = field.safeParse(value);
  if (!result.success) issue(path, `${JSON.stringify(value)} is not allowed: ${result.error.issues.map((i) => i.message).join('; ')}`);
}

export type SweepSpecInput = z.input<typeof sweepSpecSchema>;
type ParsedSpec = z.output<typeof specObject>;

/** A validated spec with every default filled in. */
export interface SweepSpec extends Omit<ParsedSpec, 'pbt' | 'asha' | 'concurrency'> {
  concurrency: number;
  pbt: { interval: number; quantile: number; resample_probability: number; factors: [number, number] };
  asha: { reduction_factor: number; grace_period: number };
}

/** Validates a spec; the error is one line per mistake, each with its field path. */
export function parseSweepSpec(input: unknown, defaults: { concurrency?: number } = {}): SweepSpec {
  const result = sweepSpecSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(spec)'}: ${i.message}`);
    throw new Error(`invalid sweep spec: ${lines.join('; ')}`);
  }
  const spec = result.data;
  const reduction = spec.asha?.reduction_factor ?? 3;
  return {
    ...spec,
    concurrency: spec.concurrency ?? defaults.concurrency ?? os.availableParallelism(),
    pbt: {
      quantile: 0.25,
      resample_probability: 0.25,
      factors: [0.8, 1.2],
      ...spec.pbt,
      interval: spec.pbt?.interval ?? Math.max(1, Math.floor(spec.steps / 10)),
    },
    asha: { reduction_factor: reduction, grace_period: spec.asha?.grace_period ?? Math.max(1, Math.floor(spec.steps / reduction ** 2)) },
  };
}
