/**
 * Checks edited hyperparameters of an existing run the way a new run is checked: main validates
 * the run's config with the edits applied, using the CLI's schemas. Returns messages by name.
 */
import type { Hparams, LabApi, RunSummary } from '../../../main/lab/api.ts';

export async function checkHparams(api: LabApi, run: RunSummary, current: Hparams, edits: Record<string, unknown>): Promise<Record<string, string>> {
  const result = await api.validateRun({
    env: run.config.env,
    algo: run.config.algo,
    seed: run.config.seed,
    totalSteps: run.config.totalSteps,
    hparams: { ...current, ...edits },
  });
  if (result.ok) return {};
  return Object.fromEntries(result.issues.filter((i) => i.field.startsWith('hparams.')).map((i) => [i.field.slice('hparams.'.length), i.message]));
}
