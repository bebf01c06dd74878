/**
 * The base of GaitLab's robot envs, after Gymnasium's `MujocoEnv`: an MJCF model simulated by Rapier
 * (sim/mjcf), frame skip, seeded reset noise and state save/restore (makeEnv's TimeLimit wrapper
 * truncates episodes). Each env adds its observation, reward terms and termination rule; the
 * helpers below hold the pieces several envs share (noise, control cost, healthy ranges).
 */
import type { Env, EnvSnapshot, EnvSpec, ResetOptions, StepInfo, StepResult } from '../core/env.ts';
import { Rng, type RngState } from '../core/rng.ts';
import { FRAME_STRIDE, type Frame, type Scene } from '../core/scene.ts';
import { uniformBox } from '../core/spaces.ts';
import { loadMjcf, type MjcfLoadOptions, type MjcfModel, type SolverSettings } from '../mjcf/index.ts';
import { robotModelXml, type RobotFile } from './physics.ts';

export interface RobotEnvConfig {
  id: string;
  description: string;
  /** MJCF file in assets/robots/. */
  modelFile: RobotFile;
  /** Physics steps per env step; the file's timestep x frameSkip must equal dtSeconds. */
  frameSkip: number;
  /** Rapier solver substeps and PGS iterations per physics step (sim/mjcf's defaults when absent). */
  solverIterations?: number;
  pgsIterations?: number;
  /** Solver settings of the steps that start with a joint at its limit (sim/mjcf's limitSolver). */
  limitSolver?: SolverSettings;
  /** Gymnasium's dt: simulated seconds per env step. */
  dtSeconds: number;
  /** Applied by makeEnv's TimeLimit wrapper. */
  maxEpisodeSteps: number;
  observationSize: number;
  /** Number of actuators and their (common) control range: the action space, known before the model loads. */
  actionSize: number;
  actionRange: readonly [number, number];
  rewardTerms: readonly string[];
}

/** How a robot's model is stepped: its solver settings (the env and the physics benchmarks load it alike). */
export function robotLoadOptions(config: RobotEnvConfig): MjcfLoadOptions {
  return { solverIterations: config.solverIterations, pgsIterations: config.pgsIterations, limitSolver: config.limitSolver };
}

/** The env's spec, built without loading the model (registerEnv needs it before initPhysics). */
export function robotEnvSpec(config: RobotEnvConfig): EnvSpec {
  return {
    id: config.id,
    description: config.description,
    observationSpace: uniformBox(config.observationSize, -Infinity, Infinity),
    actionSpace: uniformBox(config.actionSize, config.actionRange[0], config.actionRange[1]),
    dtSeconds: config.dtSeconds,
    maxEpisodeSteps: config.maxEpisodeSteps,
    rewardTerms: config.rewardTerms,
  };
}

/** What one step's reward and termination came to (terms carry their sign; they sum to the reward). */
export interface StepOutcome {
  rewardTerms: Record<string, number>;
  terminated: boolean;
  /** Extra Gymnasium-style info, e.g. `xVelocity`. */
  info?: Record<string, number>;
}

/** Seed of the generator before the first seeded reset (Gymnasium would draw one from the OS). */
const DEFAULT_SEED = 0;

export abstract class MujocoEnv implements Env {
  readonly spec: EnvSpec;
  readonly scene: Scene;
  protected readonly model: MjcfModel;
  /** qpos/qvel now: refreshed after every reset and step, so envs read them without engine calls. */
  protected readonly qpos: Float64Array;
  protected readonly qvel: Float64Array;
  /** Gymnasium's init_qpos / init_qvel: the model's state at load. */
  protected readonly initQpos: Float64Array;
  protected readonly initQvel: Float64Array;
  protected readonly rng = Rng.fromSeed(DEFAULT_SEED);
  /** The control applied in the last step (the action as sent; the model clips it); 0 after reset. */
  protected readonly ctrl: Float64Array;
  private readonly frameSkip: number;
  private readonly poses: Frame;
  private needsReset = true;

  protected constructor(config: RobotEnvConfig) {
    this.model = loadMjcf(robotModelXml(config.modelFile, config.id), { id: config.id, ...robotLoadOptions(config) });
    const physicsDt = this.model.timestep * config.frameSkip;
    if (Math.abs(physicsDt - config.dtSeconds) > 1e-9) {
      throw new Error(
        `${config.id}: timestep ${this.model.timestep} x frameSkip ${config.frameSkip} = ${physicsDt} s, but the env's dt is ${config.dtSeconds} s`,
      );
    }
    this.frameSkip = config.frameSkip;
    this.scene = this.model.scene;
    this.qpos = this.model.qpos();
    this.qvel = this.model.qvel();
    this.initQpos = this.qpos.slice();
    this.initQvel = this.qvel.slice();
    this.ctrl = new Float64Array(this.model.nu);
    this.poses = new Float32Array(FRAME_STRIDE * this.model.bodies.length);
    this.spec = robotEnvSpec(config);
    const mismatch = this.model.actuators.find((a) => a.ctrlRange?.[0] !== config.actionRange[0] || a.ctrlRange?.[1] !== config.actionRange[1]);
    if (this.model.nu !== config.actionSize || mismatch) {
      throw new Error(
        `${config.id}: ${config.modelFile} has ${this.model.nu} actuators (${mismatch?.name ?? 'ranges as declared'}), the env declares ${config.actionSize} in [${config.actionRange.join(', ')}]`,
      );
    }
  }

  reset(options: ResetOptions = {}): { obs: Float64Array; info: StepInfo } {
    if (options.seed !== undefined) this.rng.reseed(options.seed);
    // Restoring the load-time world first makes an episode independent of the ones before it.
    this.model.reset();
    const qpos = this.initQpos.slice();
    const qvel = this.initQvel.slice();
    if (options.state) {
      const { nq, nv } = this.model;
      if (options.state.length !== nq + nv)
        throw new RangeError(`${this.spec.id}: reset state must be qpos (${nq}) then qvel (${nv}), got ${options.state.length} numbers`);
      for (let i = 0; i < nq; i++) qpos[i] = options.state[i];
      for (let i = 0; i < nv; i++) qvel[i] = options.state[nq + i];
    } else {
      this.resetModel(qpos, qvel);
    }
    this.model.setState(qpos, qvel);
    this.syncState();
    this.ctrl.fill(0);
    this.needsReset = false;
    this.onReset();
    return { obs: this.observation(), info: {} };
  }

  step(action: ArrayLike<number>): StepResult {
    if (this.needsReset) throw new Error(`${this.spec.id}: call reset() before step()`);
    if (action.length !== this.ctrl.length) throw new RangeError(`${this.spec.id}: action has ${action.length} entries, expected ${this.ctrl.length}`);
    for (let i = 0; i < this.ctrl.length; i++) this.ctrl[i] = action[i];
    this.beforePhysics();
    for (let i = 0; i < this.frameSkip; i++) this.model.step(this.ctrl);
    this.syncState();
    this.afterPhysics();
    const outcome = this.evaluate(action);
    let reward = 0;
    for (const name in outcome.rewardTerms) reward += outcome.rewardTerms[name];
    return {
      obs: this.observation(),
      reward,
      terminated: outcome.terminated,
      truncated: false, // makeEnv's TimeLimit truncates
      info: { rewardTerms: outcome.rewardTerms, ...outcome.info },
    };
  }

  close(): void {
    this.model.dispose();
  }

  /** Body poses now, for the viewer (7 floats per scene body). */
  frame(out?: Frame): Frame {
    return this.model.frame(out);
  }

  /**
   * The exact state: Rapier's world snapshot (base64) with the joint state the model derives from
   * it, the last control and the generator (the step counter lives in the TimeLimit wrapper).
   * Stepping after loadState repeats the original episode bit for bit. qpos/qvel are also kept
   * in the clear for people reading checkpoints.
   */
  saveState(): EnvSnapshot {
    const { world, pose, velocity, axes, qpos, qvel } = this.model.saveState();
    return {
      qpos: Array.from(qpos),
      qvel: Array.from(qvel),
      physics: { world: Buffer.from(world).toString('base64'), pose: Array.from(pose), velocity: Array.from(velocity), axes: Array.from(axes) },
      ctrl: Array.from(this.ctrl),
      // Words as unsigned: Rng.getState() can return sfc32's `a` signed, which setState() rejects.
      rng: this.rng.getState().map((v, i) => (i < 4 ? v >>> 0 : v)),
      needsReset: this.needsReset,
    };
  }

  loadState(snapshot: EnvSnapshot): void {
    const physics = snapshot.physics as { world: string; pose: number[]; velocity: number[]; axes: number[] } | undefined;
    if (!physics || typeof physics.world !== 'string') throw new Error(`${this.spec.id}: the saved state has no physics snapshot (saved by an older GaitLab?)`);
    this.model.loadState({
      world: new Uint8Array(Buffer.from(physics.world, 'base64')),
      pose: Float64Array.from(physics.pose),
      velocity: Float64Array.from(physics.velocity),
      axes: Float64Array.from(physics.axes),
      qpos: Float64Array.from(snapshot.qpos as number[]),
      qvel: Float64Array.from(snapshot.qvel as number[]),
    });
    this.syncState();
    this.ctrl.set(snapshot.ctrl as number[]);
    this.rng.setState(snapshot.rng as RngState);
    this.needsReset = snapshot.needsReset as boolean;
    this.onReset();
  }

  /** Index of the named body (MuJoCo numbering); throws when the model has none. */
  protected bodyIndex(name: string): number {
    const index = this.model.bodies.findIndex((b) => b.name === name);
    if (index === -1) throw new Error(`${this.spec.id}: the model has no body '${name}'`);
    return index;
  }

  /**
   * Writes the world positions of body frames (Gymnasium's `get_body_com`, which returns the body
   * frame's position `xpos`, not its centre of mass) to out[at..], 3 numbers per body.
   */
  protected bodyPositions(bodies: readonly number[], out: Float64Array, at = 0): void {
    this.model.frame(this.poses);
    bodies.forEach((b, i) => {
      for (let k = 0; k < 3; k++) out[at + 3 * i + k] = this.poses[FRAME_STRIDE * b + k];
    });
  }

  /** Gymnasium's `reset_model`: perturb the initial state with this.rng. */
  protected abstract resetModel(qpos: Float64Array, qvel: Float64Array): void;
  /** Writes the observation (spec.observationSpace.size numbers). */
  protected abstract observe(out: Float64Array): void;
  /** Reward terms and termination after the physics of one env step; `action` as the agent sent it. */
  protected abstract evaluate(action: ArrayLike<number>): StepOutcome;

  /** Hook: remember what the reward compares against (e.g. the position before the step). */
  protected beforePhysics(): void {}
  /** Hook: derived quantities the observation and reward share (e.g. contact forces). */
  protected afterPhysics(): void {}
  /** Hook: the state was set from outside the dynamics (reset or loadState). */
  protected onReset(): void {}

  private syncState(): void {
    this.model.qpos(this.qpos);
    this.model.qvel(this.qvel);
  }

  private observation(): Float64Array {
    const obs = new Float64Array(this.spec.observationSpace.size);
    this.observe(obs);
    return obs;
  }
}

/** Adds U(-scale, scale) to every entry (Gymnasium: `np_random.uniform(low, high, size)`). */
export function addUniformNoise(values: Float64Array, rng: Rng, scale: number): void {
  for (let i = 0; i < values.length; i++) values[i] += rng.uniformRange(-scale, scale);
}

/** Adds scale x N(0, 1) to every entry (Gymnasium: `scale * np_random.standard_normal(size)`). */
export function addNormalNoise(values: Float64Array, rng: Rng, scale: number): void {
  for (let i = 0; i < values.length; i++) values[i] += scale * rng.normal();
}

/** Scales the quaternion at values[at..at+4) to unit length (reset noise leaves it unnormalized). */
export function normalizeQuaternion(values: Float64Array, at: number): void {
  const norm = Math.hypot(values[at], values[at + 1], values[at + 2], values[at + 3]);
  for (let i = 0; i < 4; i++) values[at + i] /= norm;
}

/** weight x sum of squares (Gymnasium's `control_cost`). */
export function controlCost(action: ArrayLike<number>, weight: number): number {
  let sum = 0;
  for (let i = 0; i < action.length; i++) sum += action[i] * action[i];
  return weight * sum;
}

/** Gymnasium's strict healthy-range test `lo < x < hi` (false for NaN). */
export function inOpenRange(x: number, range: readonly [number, number]): boolean {
  return range[0] < x && x < range[1];
}

/** Copies `source[from..from+count)` into `out` at `at`, clipped to ±limit; returns the next index. */
export function writeClipped(out: Float64Array, at: number, source: ArrayLike<number>, from: number, count: number, limit = Infinity): number {
  for (let i = 0; i < count; i++) out[at + i] = Math.min(limit, Math.max(-limit, source[from + i]));
  return at + count;
}
