/**
 * Recorded episodes, for the live viewer and for replays and videos later:
 * - `EpisodeRecorder` follows env 0 while training: one body pose per step (the pose the action was
 *   taken from) and the raw reward. Finished episodes go to the viewer at most once per
 *   `intervalMs` of wall time (it plays in real time, so newer ones would only be skipped), and to
 *   the run's trajectories folder on Gymnasium's capped-cubic schedule.
 * - `recordEvaluation` plays deterministic evaluation episodes and records each of them.
 */
import type { NormalizeObservation, VecEnv, VecStepResult } from '../../sim/index.ts';
import type { DeterministicPolicy } from '../agent/policy.ts';
import type { TrajectoryMessage } from '../store/trajectory-file.ts';
import type { RunHandle, SavedTrajectory } from '../store/run-store.ts';
import { evaluatePolicy, type EvaluationResult } from './evaluate.ts';

type EnvInfo = Pick<VecEnv, 'spec' | 'scene'>;
type Position = { update: number; step: number };

export class EpisodeRecorder {
  private frames: number[] = [];
  private rewards: number[] = [];
  private lastEmitMs = -Infinity;
  /** Env 0's finished episodes since this recorder started. */
  private episodes = 0;
  private readonly frame: Float32Array;

  constructor(
    private readonly env: VecEnv,
    private readonly emit: (trajectory: TrajectoryMessage) => void,
    /** Where scheduled episodes are stored; none when null. */
    private readonly run: Pick<RunHandle, 'writeTrajectory'> | null = null,
    private readonly intervalMs = 1000,
  ) {
    this.frame = new Float32Array(env.scene.bodies.length * 7);
    this.capture();
  }

  /** After each vector step; `rawReward` is env 0's reward before normalization. */
  observe(result: VecStepResult, rawReward: number, position: Position): void {
    this.rewards.push(rawReward);
    if (result.terminated[0] || result.truncated[0]) {
      const episode = this.episodes++;
      const run = this.run;
      const save = run !== null && cappedCubic(episode);
      const now = performance.now();
      const show = now - this.lastEmitMs >= this.intervalMs;
      if (show || save) {
        const trajectory = trajectoryMessage(this.env, this.frames, this.rewards, position, false);
        if (show) {
          this.lastEmitMs = now;
          this.emit(trajectory);
        }
        if (save) saveTrajectory(run, savedTrajectory(trajectory, this.env, { checkpoint: null, seed: null, episode }));
      }
      this.frames = [];
      this.rewards = [];
    }
    // After an auto-reset this is already the first pose of the next episode.
    this.capture();
  }

  private capture(): void {
    const f = this.env.frame(0, this.frame);
    for (let i = 0; i < f.length; i++) this.frames.push(f[i]);
  }
}

/**
 * Gymnasium's RecordVideo default schedule: episodes 0, 1, 8, 27, ..., 729, 1000, then every
 * 1000th. Early learning changes fast and is worth many samples; later ones change slowly.
 */
export function cappedCubic(episode: number): boolean {
  if (episode < 1000) return Math.round(Math.cbrt(episode)) ** 3 === episode;
  return episode % 1000 === 0;
}

export interface RecordedEvaluation {
  result: EvaluationResult;
  /** One per episode, in order; episode i was reset with seed `seed + i`. */
  trajectories: SavedTrajectory[];
}

/** Deterministic episodes (see evaluate.ts), each recorded as a trajectory. */
export function recordEvaluation(
  agent: DeterministicPolicy,
  env: EnvInfo,
  obsNorm: NormalizeObservation | null,
  options: { episodes: number; seed: number; position: Position; checkpoint: number | null },
): RecordedEvaluation {
  const frames: number[] = [];
  const rewards: number[] = [];
  const result = evaluatePolicy(agent, env.spec.id, obsNorm, options.episodes, options.seed, (frame, reward) => {
    for (let i = 0; i < frame.length; i++) frames.push(frame[i]);
    rewards.push(reward);
  });
  const floatsPerStep = env.scene.bodies.length * 7;
  let start = 0;
  const trajectories = result.lengths.map((length, i) => {
    const message = trajectoryMessage(
      env,
      frames.slice(start * floatsPerStep, (start + length) * floatsPerStep),
      rewards.slice(start, start + length),
      options.position,
      true,
    );
    start += length;
    return savedTrajectory(message, env, { checkpoint: options.checkpoint, seed: options.seed + i, episode: null });
  });
  return { result, trajectories };
}

/** Stores an episode in the run; a failure (a full disk) is reported and does not stop training. */
export function saveTrajectory(run: Pick<RunHandle, 'writeTrajectory'>, trajectory: SavedTrajectory): void {
  try {
    run.writeTrajectory(trajectory);
  } catch (error) {
    console.warn(`gaitlab: could not store a recorded episode: ${(error as Error).message}`);
  }
}

function trajectoryMessage(env: EnvInfo, frames: number[], rewards: number[], position: Position, deterministic: boolean): TrajectoryMessage {
  return {
    envId: env.spec.id,
    dtSeconds: env.spec.dtSeconds,
    numBodies: env.scene.bodies.length,
    frames,
    rewards,
    update: position.update,
    step: position.step,
    episodeReturn: rewards.reduce((a, b) => a + b, 0),
    deterministic,
  };
}

function savedTrajectory(message: TrajectoryMessage, env: EnvInfo, origin: Pick<SavedTrajectory, 'checkpoint' | 'seed' | 'episode'>): SavedTrajectory {
  return { ...message, scene: env.scene, ...origin, createdAt: new Date().toISOString() };
}
