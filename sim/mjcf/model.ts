/**
 * A loaded MJCF model: the Rapier world plus MuJoCo's view of it (qpos/qvel, motors, reset by
 * snapshot, frames for the viewer).
 */
import { World, type RigidBody } from '@dimforge/rapier3d-compat';
import type { Frame, Scene } from '../core/scene.ts';
import { buildWorld } from './build.ts';
import type { CompiledModel } from './compile.ts';
import { carriesEffort, initDrive, planDrives, updateDrive, type Drive } from './drives.ts';
import type { JointType } from './elements.ts';
import { Kinematics, readPos, readQuat } from './kinematics.ts';
import type { LinkPlan } from './links.ts';
import { add, cross, quatMul, rotate, type Vec3 } from './math.ts';

/** Rapier's solver work per physics step: substeps, and PGS sweeps in each. */
export interface SolverSettings {
  solverIterations: number;
  pgsIterations: number;
}

export interface MjcfLoadOptions {
  /** Scene id; default `mjcf/<model name>`. */
  id?: string;
  /** Rapier solver iterations (substeps) per step (default 8: see sim/mjcf/README.md). */
  solverIterations?: number;
  /** Rapier PGS iterations inside each solver iteration (default 4). */
  pgsIterations?: number;
  /**
   * Solver settings for the steps that start with a one-dof joint at or past its range: Rapier's
   * iterative solver gives way at limits (light links between a strong motor and the floor) far
   * sooner than in free motion, so those steps alone get more iterations (default: none).
   */
  limitSolver?: SolverSettings;
  /** Physics step in seconds, in place of the file's `option timestep` (bench:fidelity tries other steps). */
  timestep?: number;
}

/** A body in MuJoCo's numbering (index 0 is the world). */
export interface MjcfBody {
  name: string;
  /** Parent body index, -1 for the world. */
  parent: number;
  /** MuJoCo's compiled mass (kg) and principal moments of inertia (kg m^2). */
  mass: number;
  inertia: [number, number, number];
  /** Centre of mass in the body frame. */
  com: [number, number, number];
}

export interface MjcfJoint {
  name: string;
  type: JointType;
  /** Index of the body it moves. */
  body: number;
  /** Limits in qpos units (rad or m); null when unlimited. */
  range: [number, number] | null;
  /** First qpos / qvel entry of the joint (free: 7 / 6 entries, hinge and slide: 1). */
  qposIndex: number;
  qvelIndex: number;
  armature: number;
  damping: number;
  stiffness: number;
}

export interface MjcfActuator {
  name: string;
  /** Name of the driven joint. */
  joint: string;
  /** Torque (or force) = gear x control clipped to ctrlRange. */
  gear: number;
  ctrlRange: [number, number] | null;
}

/**
 * Everything the next step depends on: Rapier's world as a snapshot (bodies, joints with their
 * motor settings, and the contact impulses it warm-starts from) plus the joint state derived from it.
 */
export interface MjcfModelState {
  world: Uint8Array;
  pose: Float64Array;
  velocity: Float64Array;
  axes: Float64Array;
  qpos: Float64Array;
  qvel: Float64Array;
}

export interface MjcfModel {
  readonly name: string;
  readonly bodies: readonly MjcfBody[];
  readonly joints: readonly MjcfJoint[];
  readonly actuators: readonly MjcfActuator[];
  readonly nq: number;
  readonly nv: number;
  readonly nu: number;
  /** Physics step in seconds (MJCF `option timestep`). */
  readonly timestep: number;
  /** What the loader ignored or approximated, each once. */
  readonly warnings: readonly string[];
  /** What to draw; body i of the scene is MuJoCo body i. */
  readonly scene: Scene;
  /** The Rapier world; a new object after every `reset()`. */
  readonly world: World;
  /** Back to the initial state by restoring the world snapshot taken at load. */
  reset(): void;
  /** One physics step with `ctrl` (length nu) applied through the motors. */
  step(ctrl: ArrayLike<number>): void;
  qpos(out?: Float64Array): Float64Array;
  qvel(out?: Float64Array): Float64Array;
  /** Places every body from MuJoCo coordinates (for reset noise). */
  setState(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void;
  /** Body poses for the viewer (7 floats per scene body). */
  frame(out?: Frame): Frame;
  /** The exact state: stepping after `loadState(saveState())` repeats the original bit for bit. */
  saveState(): MjcfModelState;
  loadState(state: MjcfModelState): void;
  /** Frees the Rapier world; the model is unusable afterwards. */
  dispose(): void;
}

let restoreWarmedUp = false;

export function createModel(model: CompiledModel, plan: LinkPlan, warnings: readonly string[], options: MjcfLoadOptions): MjcfModel {
  return new RapierMjcfModel(model, plan, warnings, options);
}

class RapierMjcfModel implements MjcfModel {
  readonly name: string;
  readonly bodies: readonly MjcfBody[];
  readonly joints: readonly MjcfJoint[];
  readonly actuators: readonly MjcfActuator[];
  readonly nq: number;
  readonly nv: number;
  readonly nu: number;
  readonly timestep: number;
  readonly scene: Scene;
  world: World;

  private readonly kinematics: Kinematics;
  private readonly snapshot: Uint8Array;
  private readonly bodyHandles: number[];
  private rigidBodies: RigidBody[];
  private readonly drives: Drive[];
  /** Link poses and velocities, dof axes, joint values now (see kinematics.ts for layouts). */
  private readonly pose: Float64Array;
  private readonly velocity: Float64Array;
  private readonly axes: Float64Array;
  private readonly qposNow: Float64Array;
  private readonly qvelNow: Float64Array;
  /** The same right after loading, for `reset`. */
  private readonly initial: { pose: Float64Array; velocity: Float64Array; axes: Float64Array; qpos: Float64Array; qvel: Float64Array };
  /** Per actuator: driven joint, gear and clip range; and the effort on each joint this step. */
  private readonly motors: { joint: number; gear: number; lo: number; hi: number }[];
  private readonly efforts: Float64Array;
  /** Actuated joints whose effort no drive carries: pushed by body torques (or forces) instead. */
  private readonly pushed: { joint: number; child: number; parent: number; slide: boolean }[];
  /** Rapier's raw getters write vectors and quaternions here. */
  private readonly scratch = new Float32Array(4);
  /** Solver iterations (substeps, PGS) of a step, and of one that starts at a limit. */
  private readonly solver: SolverSettings;
  private readonly limitSolver: SolverSettings | undefined;
  /** The limited one-dof joints whose state picks limitSolver: qpos entry and range. */
  private readonly limited: { qpos: number; lo: number; hi: number }[];

  constructor(
    compiled: CompiledModel,
    private readonly plan: LinkPlan,
    readonly warnings: readonly string[],
    options: MjcfLoadOptions,
  ) {
    this.name = compiled.name;
    this.nq = compiled.nq;
    this.nv = compiled.nv;
    this.nu = compiled.actuators.length;
    this.timestep = compiled.timestep;
    this.bodies = compiled.bodies.map((b) => ({
      name: b.name,
      parent: b.parent,
      mass: b.inertial.mass,
      inertia: [...b.inertial.inertia],
      com: [...b.inertial.pos],
    }));
    this.joints = compiled.joints.map((j) => ({
      name: j.name,
      type: j.type,
      body: j.body,
      range: j.range && [...j.range],
      qposIndex: j.qposIndex,
      qvelIndex: j.qvelIndex,
      armature: j.armature,
      damping: j.damping,
      stiffness: j.stiffness,
    }));
    this.actuators = compiled.actuators.map((a) => ({
      name: a.name,
      joint: compiled.joints[a.joint].name,
      gear: a.gear,
      ctrlRange: a.ctrlRange && [...a.ctrlRange],
    }));
    this.scene = sceneOf(compiled, options.id ?? `mjcf/${compiled.name}`);
    this.motors = compiled.actuators.map((a) => ({ joint: a.joint, gear: a.gear, lo: a.ctrlRange?.[0] ?? -Infinity, hi: a.ctrlRange?.[1] ?? Infinity }));
    this.efforts = new Float64Array(compiled.joints.length);

    this.solver = { solverIterations: options.solverIterations ?? 8, pgsIterations: options.pgsIterations ?? 4 };
    this.limitSolver = options.limitSolver;
    const built = buildWorld(compiled, plan, this.solver.solverIterations, this.solver.pgsIterations);
    this.world = built.world;
    this.bodyHandles = built.bodyHandles;
    this.rigidBodies = this.bodyHandles.map((h) => this.world.getRigidBody(h));
    this.drives = planDrives(compiled, plan, built.jointHandles);
    for (const drive of this.drives) initDrive(this.world.impulseJoints.raw, drive, this.timestep);
    const carried = new Set(this.drives.filter(carriesEffort).map((d) => d.joint));
    this.pushed = [...new Set(this.motors.map((m) => m.joint))]
      .filter((j) => !carried.has(j))
      .map((j) => {
        const child = plan.placements[compiled.joints[j].body].link;
        return { joint: j, child, parent: plan.links[child].parent, slide: compiled.joints[j].type === 'slide' };
      });
    this.kinematics = new Kinematics(compiled, plan);
    // One hinge or slide per link, not a root's locked axes (their ranges are not enforced) nor the
    // 2-3 hinges of one generic joint (whose Euler angles pass MuJoCo's ranges by the angle convention).
    this.limited = options.limitSolver
      ? compiled.joints
          .filter((j) => j.range !== null && compiled.bodies[j.body].parent > 0 && compiled.joints.filter((k) => k.body === j.body).length === 1)
          .map((j) => ({ qpos: j.qposIndex, lo: j.range![0], hi: j.range![1] }))
      : [];
    const links = plan.links.length;
    this.pose = new Float64Array(7 * links);
    this.velocity = new Float64Array(6 * links);
    this.axes = new Float64Array(3 * compiled.joints.length);
    this.qposNow = new Float64Array(compiled.nq);
    this.qvelNow = new Float64Array(compiled.nv);
    this.kinematics.initialQpos(this.qposNow);
    this.refresh();
    this.initial = {
      pose: this.pose.slice(),
      velocity: this.velocity.slice(),
      axes: this.axes.slice(),
      qpos: this.qposNow.slice(),
      qvel: this.qvelNow.slice(),
    };
    this.snapshot = this.world.takeSnapshot();
    if (!restoreWarmedUp) {
      // The first restore in a process takes tens of ms (V8 compiles that WASM path lazily):
      // pay it here, at load, so that every reset() is fast.
      World.restoreSnapshot(this.snapshot).free();
      restoreWarmedUp = true;
    }
  }

  reset(): void {
    this.loadState({ world: this.snapshot, ...this.initial });
  }

  saveState(): MjcfModelState {
    return {
      world: this.world.takeSnapshot(),
      pose: this.pose.slice(),
      velocity: this.velocity.slice(),
      axes: this.axes.slice(),
      qpos: this.qposNow.slice(),
      qvel: this.qvelNow.slice(),
    };
  }

  loadState(state: MjcfModelState): void {
    const sizes: [string, ArrayLike<number>, Float64Array][] = [
      ['pose', state.pose, this.pose],
      ['velocity', state.velocity, this.velocity],
      ['axes', state.axes, this.axes],
      ['qpos', state.qpos, this.qposNow],
      ['qvel', state.qvel, this.qvelNow],
    ];
    for (const [name, from, to] of sizes) {
      if (from.length !== to.length)
        throw new RangeError(`loadState: ${name} has ${from.length} entries, model '${this.name}' needs ${to.length} (a state saved from another model?)`);
    }
    const restored = World.restoreSnapshot(state.world);
    if (!restored) throw new Error(`loadState: the physics snapshot of model '${this.name}' is corrupt`);
    this.world.free();
    this.world = restored;
    this.rigidBodies = this.bodyHandles.map((h) => restored.getRigidBody(h));
    for (const [, from, to] of sizes) to.set(from);
  }

  step(ctrl: ArrayLike<number>): void {
    if (ctrl.length !== this.nu) throw new RangeError(`step: ctrl has ${ctrl.length} entries, the model has ${this.nu} actuators`);
    this.efforts.fill(0);
    for (let i = 0; i < this.motors.length; i++) {
      const m = this.motors[i];
      const u = ctrl[i];
      if (Number.isNaN(u)) throw new RangeError(`step: ctrl[${i}] is NaN`);
      this.efforts[m.joint] += m.gear * Math.min(m.hi, Math.max(m.lo, u));
    }
    if (this.pushed.length > 0) this.push();
    const raw = this.world.impulseJoints.raw;
    for (const drive of this.drives) {
      const rate = this.kinematics.frameRate(drive.link, drive.frameAxis, this.pose, this.velocity, this.qvelNow);
      updateDrive(raw, drive, rate, carriesEffort(drive) ? this.efforts[drive.joint] : 0, this.timestep);
    }
    // The pipeline itself: World.step() would also re-map the world's bodies, colliders and joints
    // into JS after every step, for ones added inside it, which this model never does.
    const w = this.world;
    if (this.limitSolver) {
      const solver = this.atLimit() ? this.limitSolver : this.solver;
      w.numSolverIterations = solver.solverIterations;
      w.numInternalPgsIterations = solver.pgsIterations;
    }
    w.physicsPipeline.step(
      w.gravity,
      w.integrationParameters,
      w.islands,
      w.broadPhase,
      w.narrowPhase,
      w.bodies,
      w.colliders,
      w.softBodies,
      w.impulseJoints,
      w.multibodyJoints,
      w.ccdSolver,
    );
    this.refresh();
  }

  /** Whether a limited one-dof joint is at or past its range: decided from the state alone, so a loaded state steps on bit for bit. */
  private atLimit(): boolean {
    for (const j of this.limited) {
      const q = this.qposNow[j.qpos];
      if (q <= j.lo || q >= j.hi) return true;
    }
    return false;
  }

  qpos(out = new Float64Array(this.nq)): Float64Array {
    out.set(this.qposNow);
    return out;
  }

  qvel(out = new Float64Array(this.nv)): Float64Array {
    out.set(this.qvelNow);
    return out;
  }

  setState(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void {
    if (qpos.length !== this.nq || qvel.length !== this.nv) {
      throw new RangeError(`setState: expected qpos ${this.nq} and qvel ${this.nv} entries, got ${qpos.length} and ${qvel.length}`);
    }
    for (const x of [...Array.from(qpos), ...Array.from(qvel)]) if (!Number.isFinite(x)) throw new RangeError('setState: qpos and qvel must be finite');
    this.kinematics.forward(qpos, qvel, this.pose, this.velocity);
    this.rigidBodies.forEach((body, k) => {
      if (k === 0) return;
      const p = readPos(this.pose, k);
      const q = readQuat(this.pose, k);
      const w: Vec3 = [this.velocity[6 * k], this.velocity[6 * k + 1], this.velocity[6 * k + 2]];
      const vCom = cross(w, add(p, rotate(q, this.plan.links[k].mass.pos)));
      body.setTranslation({ x: p[0], y: p[1], z: p[2] }, true);
      body.setRotation({ x: q[1], y: q[2], z: q[3], w: q[0] }, true);
      body.setAngvel({ x: w[0], y: w[1], z: w[2] }, true);
      body.setLinvel({ x: this.velocity[6 * k + 3] + vCom[0], y: this.velocity[6 * k + 4] + vCom[1], z: this.velocity[6 * k + 5] + vCom[2] }, true);
    });
    this.qposNow.set(qpos);
    this.kinematics.positions(this.pose, this.qposNow, this.axes);
    this.kinematics.velocities(this.pose, this.velocity, this.axes, this.qvelNow);
  }

  frame(out: Frame = new Float32Array(7 * this.bodies.length)): Frame {
    this.plan.placements.forEach((place, b) => {
      const q = readQuat(this.pose, place.link);
      const [px, py, pz] = add(readPos(this.pose, place.link), rotate(q, place.pos));
      const [w, x, y, z] = quatMul(q, place.quat);
      out.set([px, py, pz, x, y, z, w], 7 * b);
    });
    return out;
  }

  dispose(): void {
    this.world.free();
  }

  /** Efforts of joints without a drive, as a torque (force) on the child and its opposite on the parent. */
  private push(): void {
    const bodies = this.rigidBodies;
    for (let k = 1; k < bodies.length; k++) {
      bodies[k].resetForces(false);
      bodies[k].resetTorques(false);
    }
    for (const { joint, child, parent, slide } of this.pushed) {
      const effort = this.efforts[joint];
      const a = 3 * joint;
      const f = { x: effort * this.axes[a], y: effort * this.axes[a + 1], z: effort * this.axes[a + 2] };
      const minus = { x: -f.x, y: -f.y, z: -f.z };
      if (slide) {
        bodies[child].addForce(f, true);
        // The reaction acts at the same point, so the pair adds no net torque.
        if (parent > 0) bodies[parent].addForceAtPoint(minus, bodies[child].worldCom(), true);
      } else {
        bodies[child].addTorque(f, true);
        if (parent > 0) bodies[parent].addTorque(minus, true);
      }
    }
  }

  /** Reads link poses and velocities from Rapier and derives the joint state from them. */
  private refresh(): void {
    // Raw reads into one scratch buffer: this runs every physics step, and the RigidBody getters
    // allocate an object per call.
    const raw = this.world.bodies.raw;
    const b = this.scratch;
    const pose = this.pose;
    const velocity = this.velocity;
    for (let k = 0; k < this.bodyHandles.length; k++) {
      const h = this.bodyHandles[k];
      raw.rbTranslation(h, b);
      pose[7 * k] = b[0];
      pose[7 * k + 1] = b[1];
      pose[7 * k + 2] = b[2];
      raw.rbRotation(h, b); // x, y, z, w
      pose[7 * k + 3] = b[3];
      pose[7 * k + 4] = b[0];
      pose[7 * k + 5] = b[1];
      pose[7 * k + 6] = b[2];
      raw.rbAngvel(h, b);
      const wx = b[0],
        wy = b[1],
        wz = b[2];
      velocity[6 * k] = wx;
      velocity[6 * k + 1] = wy;
      velocity[6 * k + 2] = wz;
      // velocity of the body point at the world origin: v_com - w x com
      raw.rbWorldCom(h, b);
      const cx = b[0],
        cy = b[1],
        cz = b[2];
      raw.rbLinvel(h, b);
      velocity[6 * k + 3] = b[0] - (wy * cz - wz * cy);
      velocity[6 * k + 4] = b[1] - (wz * cx - wx * cz);
      velocity[6 * k + 5] = b[2] - (wx * cy - wy * cx);
    }
    this.kinematics.positions(this.pose, this.qposNow, this.axes);
    this.kinematics.velocities(this.pose, this.velocity, this.axes, this.qvelNow);
  }
}

function sceneOf(model: CompiledModel, id: string): Scene {
  return {
    id,
    up: 'z',
    bodies: model.bodies.map((body) => ({
      name: body.name,
      parent: body.parent,
      geoms: body.geoms.map((g) => ({
        type: g.type,
        size: [...g.size],
        pos: [...g.pos],
        quat: [g.quat[1], g.quat[2], g.quat[3], g.quat[0]],
        rgba: [...g.rgba],
      })),
    })),
  };
}
