/**
 * Fork: a new run that starts from a checkpoint of another, with some live hyperparameters changed,
 * linked to its parent in run.json. The checkpoint is copied into the fork with the new values
 * (the trainer adopts a checkpoint's hyperparameters when it resumes, so the change applies from
 * the fork's first update), and the parent's curve up to that step is copied too, so the fork's
 * charts read as a continuation.
 */
import { getAlgorithm, liveHparams, parseHparams } from '../algos/index.ts';
import { runConfigSchema, type Hparams } from '../config/run-config.ts';
import type { RunHandle, RunStore } from '../store/run-store.ts';
import { loadCheckpointHparams, writeCheckpointWithHparams } from '../trainer/trainer-checkpoint.ts';
import type { ForkRequest } from './api.ts';
import { labVersions } from './versions.ts';

export function forkRun(store: RunStore, parent: RunHandle, request: ForkRequest): RunHandle {
  const algo = getAlgorithm(parent.info.config.algo);
  const live = new Set(liveHparams(algo));
  const fixed = Object.keys(request.hparams).filter((key) => !live.has(key));
  if (fixed.length > 0) throw new Error(`a fork can change only live hyperparameters; not ${fixed.join(', ')}`);
  const saved = loadCheckpointHparams(parent, request.step);
  const hparams = parseHparams(algo, { ...saved.hparams, ...request.hparams }) as Hparams;
  const config = runConfigSchema.parse({ ...parent.info.config, hparams, totalSteps: request.totalSteps ?? parent.info.config.totalSteps });
  const history = parent.readMetrics().filter((row) => (row.step ?? Infinity) <= request.step);
  const child = store.createRun(config, {
    name: request.name ?? `${parent.info.name} fork@${request.step}`,
    versions: labVersions(),
    parent: { runId: parent.info.id, step: request.step },
  });
  writeCheckpointWithHparams(child, request.step, saved.checkpoint, hparams);
  for (const row of history) child.appendMetrics(row);
  const wallSeconds = history.at(-1)?.wall_s ?? 0;
  child.appendEvent({ type: 'fork', step: request.step, wallSeconds, parent: parent.info.id, values: request.hparams });
  return child;
}
