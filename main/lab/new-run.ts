/**
 * The New-run form's checks and the config it starts: every field is checked by the schemas the CLI
 * uses (the env registry, the algorithm's hyperparameter schema, RunConfig), and the config is
 * built by the CLI's own builder, so a run started from the UI is the run the CLI would start.
 */
import type { z } from 'zod';
import { listEnvs } from '../../sim/index.ts';
import { listAlgorithms, parseHparams, getAlgorithm } from '../algos/index.ts';
import { buildRunConfig } from '../config/build-run-config.ts';
import { runConfigSchema, type Hparams, type RunConfig } from '../config/run-config.ts';
import { planBudget, stepsPerUpdate, type BudgetPlan } from '../config/update-budget.ts';
import { builtinPreset } from '../config/presets.ts';
import type { FieldIssue, NewRunRequest, RunDefaults } from './api.ts';

const budgetSchema = runConfigSchema.pick({ seed: true, totalSteps: true });

export function checkNewRun(request: NewRunRequest): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!listEnvs().some((env) => env.id === request.env)) issues.push({ field: 'env', message: `unknown environment "${request.env}"` });
  const algo = listAlgorithms().find((a) => a.id === request.algo);
  if (!algo) issues.push({ field: 'algo', message: `unknown algorithm "${request.algo}"` });
  else issues.push(...fieldIssues(algo.hparamsSchema.safeParse(request.hparams), 'hparams.'));
  issues.push(...fieldIssues(budgetSchema.safeParse({ seed: request.seed, totalSteps: request.totalSteps }), ''));
  return issues;
}

/** The validated config of a New-run request; an invalid request throws, naming each bad field. */
export function newRunConfig(request: NewRunRequest): RunConfig {
  const issues = checkNewRun(request);
  if (issues.length > 0) throw new Error(`invalid run:\n${issues.map((i) => `  ${i.field}: ${i.message}`).join('\n')}`);
  return buildRunConfig({
    env: request.env,
    algo: request.algo,
    seed: request.seed as number,
    totalSteps: request.totalSteps as number,
    hparams: request.hparams as Hparams,
  });
}

/** What a valid request trains: its budget as whole updates, for the form to say (config/update-budget.ts). */
export function newRunBudget(request: NewRunRequest): BudgetPlan {
  const config = newRunConfig(request);
  return planBudget(config.totalSteps, stepsPerUpdate(getAlgorithm(config.algo), config.hparams));
}

export function runDefaults(env: string, algo: string): RunDefaults {
  const definition = getAlgorithm(algo);
  const tuned = buildRunConfig({ env, algo });
  const preset = builtinPreset(definition.id, env);
  return {
    totalSteps: tuned.totalSteps,
    hparams: parseHparams(definition, {}) as Hparams,
    preset: preset ? { description: preset.preset.description ?? `tuned for ${env}`, hparams: tuned.hparams } : null,
  };
}

function fieldIssues(result: z.ZodSafeParseResult<unknown>, prefix: string): FieldIssue[] {
  if (result.success) return [];
  return result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: `${prefix}${key}`, message: 'unknown setting' }))
      : [{ field: `${prefix}${issue.path.join('.')}`, message: issue.message }],
  );
}
