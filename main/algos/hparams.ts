/**
 * Hyperparameter declarations: each is declared once, with its default, range and a one-line
 * description (CleanRL's habit). The CLI help, preset validation, the UI form and its tooltips
 * are all derived from these zod schemas. `live: true` marks values that may change mid-run.
 */
import { z } from 'zod';

interface NumberOptions {
  min?: number;
  max?: number;
  /** Exclusive lower bound (e.g. a learning rate must be > 0). */
  gt?: number;
  live?: boolean;
}

export function real(defaultValue: number, description: string, options: NumberOptions = {}) {
  let schema = z.number();
  if (options.gt !== undefined) schema = schema.gt(options.gt);
  if (options.min !== undefined) schema = schema.min(options.min);
  if (options.max !== undefined) schema = schema.max(options.max);
  return schema
    .default(defaultValue)
    .describe(description)
    .meta({ live: options.live ?? false });
}

export function integer(defaultValue: number, description: string, options: NumberOptions = {}) {
  let schema = z.number().int();
  if (options.min !== undefined) schema = schema.min(options.min);
  if (options.max !== undefined) schema = schema.max(options.max);
  return schema
    .default(defaultValue)
    .describe(description)
    .meta({ live: options.live ?? false });
}

export function flag(defaultValue: boolean, description: string, options: { live?: boolean } = {}) {
  return z
    .boolean()
    .default(defaultValue)
    .describe(description)
    .meta({ live: options.live ?? false });
}

/** A real number or null (off), e.g. target_kl. */
export function optionalReal(description: string, options: NumberOptions = {}) {
  let schema = z.number();
  if (options.gt !== undefined) schema = schema.gt(options.gt);
  if (options.max !== undefined) schema = schema.max(options.max);
  return schema
    .nullable()
    .default(null)
    .describe(description)
    .meta({ live: options.live ?? false });
}

/** Hidden layer widths as "64,64". */
export function netArch(defaultValue: string, description: string) {
  return z
    .string()
    .regex(/^\d{1,4}(,\d{1,4}){0,7}$/, 'expected comma-separated layer widths such as "64,64"')
    .default(defaultValue)
    .describe(description)
    .meta({ live: false });
}

export function parseNetArch(value: string): number[] {
  return value.split(',').map(Number);
}

/** Settings every on-policy algorithm shares: rollout shape, returns, normalization, networks. */
export const onPolicyCommon = {
  num_envs: integer(1, 'Parallel environments stepped together', { min: 1, max: 512 }),
  num_steps: integer(2048, 'Steps per environment per rollout', { min: 1, max: 100_000 }),
  gamma: real(0.99, 'Discount factor', { min: 0, max: 1, live: true }),
  gae_lambda: real(0.95, 'GAE lambda: bias/variance trade-off of advantages', { min: 0, max: 1, live: true }),
  norm_obs: flag(true, 'Running observation normalization (statistics saved in checkpoints)'),
  norm_reward: flag(true, 'Scale rewards by the std of the discounted return'),
  clip_obs: real(10, 'Clip normalized observations to +-this', { gt: 0 }),
  clip_reward: real(10, 'Clip scaled rewards to +-this', { gt: 0 }),
  policy_arch: netArch('64,64', 'Policy network hidden layer widths'),
  value_arch: netArch('64,64', 'Value network hidden layer widths'),
  activation: z.enum(['tanh', 'relu']).default('tanh').describe('Hidden activation').meta({ live: false }),
  log_std_init: real(0, 'Initial log standard deviation of the Gaussian policy', { min: -5, max: 2 }),
  learning_rate: real(3e-4, 'Adam learning rate', { gt: 0, max: 1, live: true }),
  anneal_lr: flag(true, 'Anneal the learning rate linearly to 0 over training'),
  max_grad_norm: real(0.5, 'Global gradient-norm clip', { gt: 0, live: true }),
} as const;

/** Settings every off-policy algorithm shares (CleanRL's td3/sac_continuous_action names and defaults). */
export const offPolicyCommon = {
  num_envs: integer(1, 'Parallel environments stepped together; one gradient step per vector step', { min: 1, max: 512 }),
  buffer_size: integer(1_000_000, 'Replay buffer capacity in transitions (the oldest are overwritten)', { min: 1, max: 10_000_000 }),
  learning_starts: integer(25_000, 'Env steps of uniformly random actions before the first gradient step', { min: 0 }),
  batch_size: integer(256, 'Transitions sampled per gradient step', { min: 1, max: 65_536 }),
  gamma: real(0.99, 'Discount factor', { min: 0, max: 1, live: true }),
  tau: real(0.005, 'Target smoothing coefficient: target <- tau * online + (1 - tau) * target', { min: 0, max: 1, live: true }),
  policy_frequency: integer(2, 'Critic gradient steps per delayed actor update', { min: 1, max: 1000, live: true }),
  policy_arch: netArch('256,256', 'Actor hidden layer widths'),
  q_arch: netArch('256,256', 'Q-network hidden layer widths'),
  activation: z.enum(['relu', 'tanh']).default('relu').describe('Hidden activation').meta({ live: false }),
  log_every: integer(1000, 'Env steps per metrics row; commands and checkpoints apply at these boundaries', { min: 1, max: 1_000_000 }),
} as const;

/** The keys a user may change while a run trains, read from the schema's metadata. */
export function liveKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => (field as z.ZodType).meta()?.live === true)
    .map(([key]) => key);
}
