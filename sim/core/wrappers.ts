/**
 * The bases every wrapper extends: they forward the whole contract to the wrapped env, so a
 * wrapper overrides only what it changes (Gymnasium's `Wrapper` and `VectorWrapper`).
 */
import type { Env, EnvSnapshot, EnvSpec, ResetOptions, StepInfo, StepResult } from './env.ts';
import type { Frame, Scene } from './scene.ts';
import type { VecEnv, VecStepResult } from './vec-env.ts';

export abstract class EnvWrapper implements Env {
  constructor(protected readonly env: Env) {}

  get spec(): EnvSpec {
    return this.env.spec;
  }

  get scene(): Scene {
    return this.env.scene;
  }

  reset(options?: ResetOptions): { obs: Float64Array; info: StepInfo } {
    return this.env.reset(options);
  }

  step(action: ArrayLike<number>): StepResult {
    return this.env.step(action);
  }

  frame(out?: Frame): Frame {
    return this.env.frame(out);
  }

  saveState(): EnvSnapshot {
    return this.env.saveState();
  }

  loadState(snapshot: EnvSnapshot): void {
    this.env.loadState(snapshot);
  }

  close(): void {
    this.env.close();
  }
}

export abstract class VecEnvWrapper implements VecEnv {
  constructor(protected readonly inner: VecEnv) {}

  get spec(): EnvSpec {
    return this.inner.spec;
  }

  get numEnvs(): number {
    return this.inner.numEnvs;
  }

  get obsSize(): number {
    return this.inner.obsSize;
  }

  get actionSize(): number {
    return this.inner.actionSize;
  }

  get scene(): Scene {
    return this.inner.scene;
  }

  reset(seed?: number): Float64Array {
    return this.inner.reset(seed);
  }

  step(actions: Float64Array): VecStepResult {
    return this.inner.step(actions);
  }

  frame(index: number, out?: Frame): Frame {
    return this.inner.frame(index, out);
  }

  saveState(): EnvSnapshot {
    return this.inner.saveState();
  }

  loadState(snapshot: EnvSnapshot): void {
    this.inner.loadState(snapshot);
  }

  copyEnv(from: number, to: number): void {
    this.inner.copyEnv(from, to);
  }

  close(): void {
    this.inner.close();
  }
}
