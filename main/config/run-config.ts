/**
 * The one schema for a run's configuration: CLI flags, preset files, UI forms, IPC/WebSocket
 * messages and run.json read back from disk are all validated by `parseRunConfig`.
 * Algorithm hyperparameters are validated by the algorithm's own schema (see main/algos/).
 */
import { z } from 'zod';

export const BACKENDS = ['auto', 'fused', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const hparamValueSchema = z.union([z.number(), z.boolean(), z.string(), z.null()]);
export type HparamValue = z.infer<typeof hparamValueSchema>;
export type Hparams = Record<string, HparamValue>;

/**
 * Names that are a JavaScript object's internals rather than keys: `__proto__` in a record is
 * dropped (or sets a prototype) without a word. Refused by name wherever hyperparameters come in.
 */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `name` cannot be a hyperparameter's name, or null if it can. */
export function reservedNameProblem(name: string): string | null {
  return RESERVED_NAMES.has(name) ? `"${name}" is not a hyperparameter name (it is reserved in JavaScript objects); see \`gaitlab algos\`` : null;
}

/** `record`, refusing reserved names by name before it parses (zod's records skip `__proto__` silently). */
export function withoutReservedNames<T extends z.ZodType>(record: T) {
  return z.preprocess((input, ctx) => {
    if (typeof input === 'object' && input !== null) {
      for (const key of Object.keys(input)) {
        const problem = reservedNameProblem(key);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [key], input });
      }
    }
    return input;
  }, record);
}

/** Hyperparameter values by name, as every entry point takes them. */
export const hparamsSchema = withoutReservedNames(z.record(z.string(), hparamValueSchema));

export const runConfigSchema = z
  .object({
    env: z.string().min(1).describe('Environment id, e.g. Pendulum-v1 (see `gaitlab envs`)'),
    algo: z.string().min(1).describe('Algorithm id, e.g. ppo (see `gaitlab algos`)'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .describe('Seed of every random stream in the run'),
    totalSteps: z.number().int().positive().describe('Training budget in environment steps'),
    hparams: hparamsSchema.describe('Algorithm hyperparameters (CleanRL names)'),
    backend: z.enum(BACKENDS).default('auto').describe('Tensor backend for the networks'),
    workers: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Threads stepping the envs: the trainer thread and workers - 1 worker threads (0 or 1: the trainer thread alone); at most num_envs'),
    checkpointEveryUpdates: z.number().int().positive().default(10).describe('Updates between checkpoints'),
  })
  .strict();

export type RunConfig = z.infer<typeof runConfigSchema>;
