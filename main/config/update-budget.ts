/**
 * How a budget in env steps becomes whole updates. CleanRL's rule: num_iterations =
 * total_timesteps // batch_size, so a run never trains more steps than asked (but at least one
 * update). A budget that is not a whole number of updates trains fewer steps: the CLI and the
 * New-run form say so in one line (budgetNote).
 */
import type { RegisteredAlgorithm } from '../algos/algorithm.ts';

/** On-policy: one rollout of num_steps per env. */
export function rolloutSteps(hp: { num_steps: number; num_envs: number }): number {
  return hp.num_steps * hp.num_envs;
}

/** Off-policy: log_every env steps, rounded up to whole vector steps of num_envs. */
export function offPolicyIterationSteps(hp: { log_every: number; num_envs: number }): number {
  return Math.ceil(hp.log_every / hp.num_envs) * hp.num_envs;
}

/** Env steps (all envs together) per update of a run of `algo` with these (validated) hyperparameters. */
export function stepsPerUpdate(algo: RegisteredAlgorithm, hparams: Record<string, unknown>): number {
  const hp = hparams as { num_steps: number; num_envs: number; log_every: number };
  return algo.kind === 'off-policy' ? offPolicyIterationSteps(hp) : rolloutSteps(hp);
}

export interface BudgetPlan {
  /** The budget asked for, in env steps. */
  requestedSteps: number;
  stepsPerUpdate: number;
  updates: number;
  /** What the run trains: updates x stepsPerUpdate. */
  steps: number;
}

export function planBudget(requestedSteps: number, perUpdate: number): BudgetPlan {
  const updates = Math.max(1, Math.floor(requestedSteps / perUpdate));
  return { requestedSteps, stepsPerUpdate: perUpdate, updates, steps: updates * perUpdate };
}

/** "trains 18,432 steps = 9 updates of 2,048 ..." when the budget is not whole updates, else null. */
export function budgetNote(plan: BudgetPlan): string | null {
  if (plan.steps === plan.requestedSteps) return null;
  const n = (value: number) => value.toLocaleString('en-US');
  const rounded = plan.steps < plan.requestedSteps ? 'rounded down to whole updates' : 'less than one update, rounded up to one';
  return `trains ${n(plan.steps)} steps = ${n(plan.updates)} update${plan.updates === 1 ? '' : 's'} of ${n(plan.stepsPerUpdate)} (the budget of ${n(plan.requestedSteps)} ${rounded})`;
}
