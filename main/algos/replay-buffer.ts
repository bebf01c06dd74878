/**
 * The off-policy replay buffer: a ring of transitions (s, a, r, s', terminated) in preallocated
 * Float32Arrays (what the networks read), overwritten oldest first once full, sampled uniformly
 * with replacement (as SB3's / CleanRL's ReplayBuffer) from the run's seeded generator.
 *
 * s' is the env's real next observation, the episode's final one where it ended (not the auto-reset
 * one), and `terminated` excludes time-limit truncation: targets bootstrap through time limits.
 *
 * Size: 4 · (2·obs + actions + 2) bytes a transition in memory. Checkpoints hold the filled rows
 * only, and s' only where it is not already the next stored s of the same env (between episode
 * ends s'_t = s_{t+1}): 4 · (obs + actions + 2) bytes a transition. Hopper (11 obs, 3 actions) at
 * CleanRL's 1e6 transitions: 108 MB in memory, 64 MB per checkpoint (the store keeps the last 5).
 * Humanoid (348 obs) would need 2.9 GB in memory: lower buffer_size for the large robots.
 */
import type { Rng } from '../../sim/index.ts';
import type { TransitionBatch } from './algorithm.ts';

export interface ReplayState {
  scalars: Record<string, number>;
  arrays: Record<string, Float32Array | Float64Array>;
}

export class ReplayBuffer {
  private readonly obs: Float32Array;
  private readonly nextObs: Float32Array;
  private readonly actions: Float32Array;
  private readonly rewards: Float32Array;
  private readonly terminated: Float32Array;
  /** The bits of obs and nextObs, to tell an exactly repeated observation (-0 is not +0 here). */
  private readonly obsBits: Uint32Array;
  private readonly nextObsBits: Uint32Array;
  /** Row the next transition goes to. */
  private position = 0;
  /** Rows filled so far (at most the capacity): always rows [0, size). */
  private filled = 0;

  constructor(
    readonly capacity: number,
    readonly obsSize: number,
    readonly actionSize: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`replay buffer capacity must be a positive integer, got ${capacity}`);
    this.obs = new Float32Array(capacity * obsSize);
    this.nextObs = new Float32Array(capacity * obsSize);
    this.actions = new Float32Array(capacity * actionSize);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Float32Array(capacity);
    this.obsBits = new Uint32Array(this.obs.buffer);
    this.nextObsBits = new Uint32Array(this.nextObs.buffer);
  }

  get size(): number {
    return this.filled;
  }

  /**
   * Stores one vector step of n envs, env e in the row after env e-1's:
   * obs and nextObs [n, obsSize], actions [n, actionSize], rewards and terminated [n].
   */
  add(
    obs: ArrayLike<number>,
    nextObs: ArrayLike<number>,
    actions: ArrayLike<number>,
    rewards: ArrayLike<number>,
    terminated: ArrayLike<number>,
    n: number,
  ): void {
    const { obsSize, actionSize } = this;
    for (let e = 0; e < n; e++) {
      const row = this.position;
      for (let k = 0; k < obsSize; k++) {
        this.obs[row * obsSize + k] = obs[e * obsSize + k];
        this.nextObs[row * obsSize + k] = nextObs[e * obsSize + k];
      }
      for (let k = 0; k < actionSize; k++) this.actions[row * actionSize + k] = actions[e * actionSize + k];
      this.rewards[row] = rewards[e];
      this.terminated[row] = terminated[e];
      this.position = (row + 1) % this.capacity;
      this.filled = Math.min(this.filled + 1, this.capacity);
    }
  }

  /** Fills `out` with `out.size` rows drawn uniformly with replacement. */
  sample(rng: Rng, out: TransitionBatch): void {
    if (this.filled === 0) throw new Error('cannot sample an empty replay buffer');
    const { obsSize, actionSize } = this;
    for (let b = 0; b < out.size; b++) {
      const row = rng.int(this.filled);
      out.obs.set(this.obs.subarray(row * obsSize, (row + 1) * obsSize), b * obsSize);
      out.nextObs.set(this.nextObs.subarray(row * obsSize, (row + 1) * obsSize), b * obsSize);
      out.actions.set(this.actions.subarray(row * actionSize, (row + 1) * actionSize), b * actionSize);
      out.rewards[b] = this.rewards[row];
      out.terminated[b] = this.terminated[row];
    }
  }

  /**
   * The filled rows for a checkpoint (views, not copies, except the s' rows kept). `stride` is the
   * number of envs: row i's successor in the same env is row i + stride (mod capacity).
   */
  saveState(stride: number): ReplayState {
    const { obsSize, filled } = this;
    const kept: number[] = [];
    for (let row = 0; row < filled; row++) if (!this.nextIsStored(row, stride)) kept.push(row);
    const nextObs = new Float32Array(kept.length * obsSize);
    kept.forEach((row, i) => nextObs.set(this.nextObs.subarray(row * obsSize, (row + 1) * obsSize), i * obsSize));
    return {
      scalars: { position: this.position, size: filled, stride },
      arrays: {
        obs: this.obs.subarray(0, filled * obsSize),
        actions: this.actions.subarray(0, filled * this.actionSize),
        rewards: this.rewards.subarray(0, filled),
        terminated: this.terminated.subarray(0, filled),
        next_obs_rows: Float64Array.from(kept),
        next_obs: nextObs,
      },
    };
  }

  loadState(state: ReplayState): void {
    const { position, size, stride } = state.scalars;
    if (!Number.isInteger(size) || size < 0 || size > this.capacity || !Number.isInteger(position) || position < 0 || position >= this.capacity) {
      throw new Error(`replay buffer state (size ${size}, position ${position}) does not fit a buffer of ${this.capacity} transitions`);
    }
    const { obsSize, actionSize } = this;
    const expected = { obs: size * obsSize, actions: size * actionSize, rewards: size, terminated: size };
    for (const [name, length] of Object.entries(expected)) {
      if (state.arrays[name]?.length !== length)
        throw new Error(`replay buffer state "${name}" should hold ${length} values, found ${state.arrays[name]?.length ?? 'none'}`);
    }
    const rows = state.arrays.next_obs_rows,
      nextObs = state.arrays.next_obs;
    if (!rows || nextObs?.length !== rows.length * obsSize) throw new Error('replay buffer state lacks consistent "next_obs_rows" and "next_obs"');
    this.obs.set(state.arrays.obs);
    this.actions.set(state.arrays.actions);
    this.rewards.set(state.arrays.rewards);
    this.terminated.set(state.arrays.terminated);
    this.position = position;
    this.filled = size;
    const stored = new Uint8Array(size).fill(1);
    rows.forEach((row, i) => {
      stored[row] = 0;
      this.nextObs.set(nextObs.subarray(i * obsSize, (i + 1) * obsSize), row * obsSize);
    });
    for (let row = 0; row < size; row++) {
      if (!stored[row]) continue;
      const next = this.successor(row, stride);
      this.nextObs.set(this.obs.subarray(next * obsSize, (next + 1) * obsSize), row * obsSize);
    }
  }

  private successor(row: number, stride: number): number {
    return (row + stride) % this.capacity;
  }

  /** Whether row's s' equals, bit for bit, the s stored in its successor row (so need not be saved). */
  private nextIsStored(row: number, stride: number): boolean {
    const next = this.successor(row, stride);
    if (next >= this.filled) return false;
    const { obsSize } = this;
    for (let k = 0; k < obsSize; k++) if (this.nextObsBits[row * obsSize + k] !== this.obsBits[next * obsSize + k]) return false;
    return true;
  }
}
