/**
 * What a checkpoint holds: network weights, optimizer state, normalizer statistics, RNG state,
 * counters, the current (possibly live-edited) hyperparameters and the recent-episode window.
 * Enough to resume training and to evaluate exactly as trained.
 */
import type { Rng } from '../../sim/index.ts';
import type { RunHandle } from '../store/run-store.ts';
import type { ActorCritic } from '../agent/actor-critic.ts';
import type { OnPolicyAlgorithm } from '../algos/algorithm.ts';
import type { EnvStack } from './env-stack.ts';
import type { EpisodeWindow } from './episode-window.ts';
import type { RolloutCollector } from './rollout.ts';
import type { EnvSnapshot } from '../../sim/index.ts';
import type { EpisodeRecord } from '../../sim/index.ts';

export interface TrainerCounters {
  update: number;
  step: number;
  wallSeconds: number;
}

export interface CheckpointParts {
  counters: TrainerCounters;
  hparams: Record<string, unknown>;
  agent: ActorCritic;
  algorithm: OnPolicyAlgorithm;
  rng: Rng;
  stack: EnvStack;
  collector: RolloutCollector;
  episodes: EpisodeWindow;
}

interface TrainerState {
  counters: TrainerCounters;
  hparams: Record<string, unknown>;
  rng: number[];
  optimizer: Record<string, number>;
  obsNorm: unknown;
  rewardNorm: unknown;
  /** The envs mid-episode and the observation the next rollout starts from: resumes are exact. */
  envs: EnvSnapshot;
  episodes: { recent: EpisodeRecord[]; total: number };
}

export function saveCheckpoint(run: RunHandle, parts: CheckpointParts): void {
  const optimizer = parts.algorithm.saveState();
  const state: TrainerState = {
    counters: { ...parts.counters },
    hparams: parts.hparams,
    rng: parts.rng.getState(),
    optimizer: optimizer.scalars,
    obsNorm: parts.stack.obsNorm?.getStats() ?? null,
    rewardNorm: parts.stack.rewardNorm?.getStats() ?? null,
    envs: parts.stack.env.saveState(),
    episodes: parts.episodes.toJSON(),
  };
  const arrays: Record<string, Float32Array> = { ...parts.agent.exportParams() };
  for (const [name, array] of Object.entries(optimizer.arrays)) arrays[`optimizer/${name}`] = array;
  arrays['rollout/obs'] = Float32Array.from(parts.collector.currentObs);
  run.writeCheckpoint(parts.counters.step, { state, arrays });
}

/** Loads the checkpoint into the parts; returns what the trainer must adopt itself. */
export function restoreCheckpoint(
  run: RunHandle,
  step: number,
  parts: CheckpointParts,
): { counters: TrainerCounters; hparams: Record<string, unknown>; episodes: TrainerState['episodes'] } {
  const { state, arrays } = run.loadCheckpoint(step);
  const saved = state as TrainerState;
  const missing = (['counters', 'hparams', 'rng', 'optimizer', 'envs', 'episodes'] as const).filter((k) => saved?.[k] === undefined);
  if (missing.length > 0) {
    throw new Error(`checkpoint ${step} of run ${run.info.id} lacks ${missing.join(', ')}: it was written by another version of GaitLab`);
  }
  parts.agent.importParams(arrays);
  const optimizerArrays: Record<string, Float32Array | Float64Array> = {};
  for (const [name, array] of Object.entries(arrays)) {
    if (name.startsWith('optimizer/')) optimizerArrays[name.slice('optimizer/'.length)] = array;
  }
  parts.algorithm.loadState({ scalars: saved.optimizer, arrays: optimizerArrays });
  parts.rng.setState(saved.rng);
  if (parts.stack.obsNorm && saved.obsNorm) parts.stack.obsNorm.setStats(saved.obsNorm as never);
  if (parts.stack.rewardNorm && saved.rewardNorm) parts.stack.rewardNorm.setStats(saved.rewardNorm as never);
  parts.stack.env.loadState(saved.envs);
  parts.collector.restartFrom(Float64Array.from(arrays['rollout/obs']));
  return { counters: saved.counters, hparams: saved.hparams, episodes: saved.episodes };
}
