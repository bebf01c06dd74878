/**
 * What a checkpoint holds: the training loop's state (network weights, optimizer state, the
 * observation the next step starts from; off-policy also the replay buffer), normalizer
 * statistics, RNG state, counters, the current (possibly live-edited) hyperparameters and the
 * recent-episode window. Enough to resume training and to evaluate exactly as trained.
 */
import type { Rng } from '../../sim/index.ts';
import type { LoadedCheckpoint } from '../store/checkpoint.ts';
import type { RunHandle } from '../store/run-store.ts';
import type { EpisodeWindow } from './episode-window.ts';
import type { TrainingLoop } from './training-loop.ts';
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
  loop: TrainingLoop;
  rng: Rng;
  episodes: EpisodeWindow;
}

interface TrainerState {
  counters: TrainerCounters;
  hparams: Record<string, unknown>;
  rng: number[];
  /** The loop's scalars (optimizer steps; off-policy also replay-buffer and step counters). */
  optimizer: Record<string, number>;
  obsNorm: unknown;
  rewardNorm: unknown;
  /** The envs mid-episode and the observation the next rollout starts from: resumes are exact. */
  envs: EnvSnapshot;
  episodes: { recent: EpisodeRecord[]; total: number };
}

export function saveCheckpoint(run: RunHandle, parts: CheckpointParts): void {
  const loop = parts.loop.saveState();
  const { stack } = parts.loop;
  const state: TrainerState = {
    counters: { ...parts.counters },
    hparams: parts.hparams,
    rng: parts.rng.getState(),
    optimizer: loop.scalars,
    obsNorm: stack.obsNorm?.getStats() ?? null,
    rewardNorm: stack.rewardNorm?.getStats() ?? null,
    envs: stack.env.saveState(),
    episodes: parts.episodes.toJSON(),
  };
  run.writeCheckpoint(parts.counters.step, { state, arrays: loop.arrays });
}

/** Loads a checkpoint of `run` into the parts; returns what the trainer must adopt itself. */
export function restoreCheckpoint(
  run: RunHandle,
  { step, state, arrays }: LoadedCheckpoint,
  parts: CheckpointParts,
): { counters: TrainerCounters; hparams: Record<string, unknown>; episodes: TrainerState['episodes'] } {
  const saved = state as TrainerState;
  const missing = (['counters', 'hparams', 'rng', 'optimizer', 'envs', 'episodes'] as const).filter((k) => saved?.[k] === undefined);
  if (missing.length > 0) {
    throw new Error(`checkpoint ${step} of run ${run.info.id} lacks ${missing.join(', ')}: it was written by another version of GaitLab`);
  }
  parts.loop.loadState({ scalars: saved.optimizer, arrays });
  parts.rng.setState(saved.rng);
  const { stack } = parts.loop;
  if (stack.obsNorm && saved.obsNorm) stack.obsNorm.setStats(saved.obsNorm as never);
  if (stack.rewardNorm && saved.rewardNorm) stack.rewardNorm.setStats(saved.rewardNorm as never);
  stack.env.loadState(saved.envs);
  return { counters: saved.counters, hparams: saved.hparams, episodes: saved.episodes };
}

/**
 * Checkpoint `step` of `run` with the hyperparameters it was saved with: a fork starts from these
 * (with some changed) and writes the checkpoint back with them (writeCheckpointWithHparams).
 */
export function loadCheckpointHparams(run: RunHandle, step: number): { checkpoint: LoadedCheckpoint; hparams: Record<string, unknown> } {
  const checkpoint = run.loadCheckpoint(step);
  const hparams = (checkpoint.state as Partial<TrainerState> | null)?.hparams;
  if (typeof hparams !== 'object' || hparams === null) throw new Error(`checkpoint ${step} of run ${run.info.id} holds no hyperparameters`);
  return { checkpoint, hparams };
}

/** Writes `checkpoint` as `run`'s checkpoint at `step` with `hparams` instead of its own: a trainer resuming from it trains with them. */
export function writeCheckpointWithHparams(run: RunHandle, step: number, checkpoint: LoadedCheckpoint, hparams: Record<string, unknown>): void {
  const state: TrainerState = { ...(checkpoint.state as TrainerState), hparams };
  run.writeCheckpoint(step, { state, arrays: checkpoint.arrays });
}
