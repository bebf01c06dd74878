/**
 * Turns user input (CLI flags, a UI form, a preset) into a validated RunConfig.
 * Precedence: algorithm defaults < built-in preset for (algo, env) < --preset file < flags < --set.
 */
import { listEnvs } from '../../sim/index.ts';
import { getAlgorithm, parseHparams } from '../algos/index.ts';
import { builtinPreset, readPreset } from './presets.ts';
import { runConfigSchema, type BackendName, type RunConfig, type Hparams } from './run-config.ts';

export interface RunRequest {
  env: string;
  algo: string;
  seed?: number;
  totalSteps?: number;
  numEnvs?: number;
  presetFile?: string;
  hparams?: Hparams;
  backend?: BackendName;
  workers?: number;
  checkpointEveryUpdates?: number;
}

const DEFAULT_TOTAL_STEPS = 1_000_000;

export function buildRunConfig(request: RunRequest): RunConfig {
  const known = listEnvs().map((e) => e.id);
  if (!known.includes(request.env)) {
    throw new Error(`unknown environment "${request.env}"; known: ${known.join(', ')} (see \`gaitlab envs\`)`);
  }
  const algo = getAlgorithm(request.algo);
  const builtin = builtinPreset(algo.id, request.env)?.preset;
  const user = request.presetFile ? readPreset(request.presetFile) : undefined;
  const merged: Hparams = { ...builtin?.hparams, ...user?.hparams };
  if (request.numEnvs !== undefined) merged.num_envs = request.numEnvs;
  Object.assign(merged, request.hparams);
  const hparams = parseHparams(algo, merged) as Hparams;
  const result = runConfigSchema.safeParse({
    env: request.env,
    algo: algo.id,
    seed: request.seed ?? 1,
    totalSteps: request.totalSteps ?? user?.totalSteps ?? builtin?.totalSteps ?? DEFAULT_TOTAL_STEPS,
    hparams,
    backend: request.backend ?? 'auto',
    workers: request.workers ?? 0,
    checkpointEveryUpdates: request.checkpointEveryUpdates ?? 10,
  });
  if (!result.success) {
    throw new Error(`invalid run configuration:\n${result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  // Checked here, not in the schema: num_envs is an algorithm hyperparameter the schema doesn't know.
  const {
    workers,
    hparams: { num_envs: numEnvs },
  } = result.data;
  if (typeof numEnvs === 'number' && workers > numEnvs) {
    throw new Error(
      `invalid run configuration:\n  workers: ${workers} workers for ${numEnvs} envs; each worker steps at least one env, so use at most num_envs (${numEnvs}) workers`,
    );
  }
  return result.data;
}
