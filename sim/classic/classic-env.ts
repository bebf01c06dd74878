/**
 * What the classic-control tasks share: a small state vector advanced by closed-form dynamics,
 * Gymnasium's reset semantics (a seed reseeds the generator; `state` sets the state directly;
 * stepping before the first reset is an error, as under gymnasium.make's OrderEnforcing), and
 * snapshots of state + generator for exact resumes.
 */
import type { Env, EnvSnapshot, EnvSpec, ResetOptions, StepResult } from '../core/env.ts';
import type { Frame, Scene } from '../core/scene.ts';
import { FRAME_STRIDE } from '../core/scene.ts';
import { Rng } from '../core/rng.ts';

export abstract class ClassicEnv implements Env {
  abstract readonly spec: EnvSpec;
  abstract readonly scene: Scene;
  protected readonly rng = Rng.fromSeed(0);
  protected state: Float64Array;
  private needsReset = true;

  constructor(stateSize: number) {
    this.state = new Float64Array(stateSize);
  }

  /** A random initial state drawn from this.rng (Gymnasium's reset distribution). */
  protected abstract initialState(): ArrayLike<number>;
  /** Advances this.state; returns the reward and whether the MDP terminated. */
  protected abstract advance(action: ArrayLike<number>): { reward: number; terminated: boolean };
  protected abstract observation(): Float64Array;
  protected abstract drawFrame(out: Frame): Frame;

  reset(options: ResetOptions = {}) {
    if (options.seed !== undefined) this.rng.reseed(options.seed);
    const initial = options.state ?? this.initialState();
    if (initial.length !== this.state.length) {
      throw new Error(`${this.spec.id}: state must have ${this.state.length} numbers, got ${initial.length}`);
    }
    this.state.set(initial);
    this.needsReset = false;
    return { obs: this.observation(), info: {} };
  }

  step(action: ArrayLike<number>): StepResult {
    if (this.needsReset) throw new Error(`${this.spec.id}: call reset() before step()`);
    const { reward, terminated } = this.advance(action);
    return { obs: this.observation(), reward, terminated, truncated: false, info: {} };
  }

  frame(out: Frame = new Float32Array(this.scene.bodies.length * FRAME_STRIDE)): Frame {
    return this.drawFrame(out);
  }

  saveState(): EnvSnapshot {
    return { state: Array.from(this.state), rng: this.rng.getState() };
  }

  loadState(snapshot: EnvSnapshot): void {
    this.state.set(snapshot.state as number[]);
    this.rng.setState(snapshot.rng as number[]);
    this.needsReset = false;
  }

  close(): void {}
}
