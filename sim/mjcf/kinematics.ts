/**
 * MuJoCo's generalized coordinates <-> link poses and velocities.
 *
 * Layouts (all Float64Array):
 * - pose: 7 per link, (x, y, z, qw, qx, qy, qz) of the link frame in the world;
 * - velocity: 6 per link, (wx, wy, wz, vx, vy, vz): angular velocity and the velocity of the
 *   body-fixed point passing the world origin, so a point x moves at v + w x x;
 * - qpos/qvel: MuJoCo's (free joint: position, quaternion w-first | linear velocity in the world,
 *   angular velocity in the body frame; hinge/slide: one number, hinges not wrapped to +-pi);
 * - axes: 3 per joint, the world direction of each hinge/slide dof (free joints: unused).
 */
import type { CompiledModel } from './compile.ts';
import type { CompiledJoint } from './elements.ts';
import type { Link, LinkPlan } from './links.ts';
import { add, cross, dot, quatAxisAngle, quatConj, quatMul, quatNormalize, rotate, scale, sub, type Quat, type Vec3 } from './math.ts';

const TWO_PI = 2 * Math.PI;

export class Kinematics {
  private readonly links: readonly Link[];
  private readonly joints: readonly CompiledJoint[];

  constructor(
    private readonly model: CompiledModel,
    plan: LinkPlan,
  ) {
    this.links = plan.links;
    this.joints = model.joints;
  }

  /** qpos0 (each joint at `ref`, free joints where the file puts the body). */
  initialQpos(out: Float64Array): void {
    for (const joint of this.joints) {
      if (joint.type !== 'free') {
        out[joint.qposIndex] = joint.ref;
        continue;
      }
      const body = this.model.bodies[joint.body];
      out.set(body.xpos, joint.qposIndex);
      out.set(body.xquat, joint.qposIndex + 3);
    }
  }

  /**
   * Joint values and dof axes from link poses. Hinges are unwrapped against the values already in
   * `qpos`, so calling this once per physics step keeps multi-turn angles continuous.
   */
  positions(pose: Float64Array, qpos: Float64Array, axes: Float64Array): void {
    // Plain loops, and slide and last-hinge work only where needed: this runs every physics step.
    for (let k = 0; k < this.links.length; k++) {
      const link = this.links[k];
      if (link.kind === 'world') continue;
      const pC = readPos(pose, k);
      const qC = readQuat(pose, k);
      if (link.kind === 'free') {
        const adr = this.joints[link.freeJoint].qposIndex;
        qpos.set(pC, adr);
        qpos.set(qC, adr + 3);
        continue;
      }
      const [p0, q0] = this.restFrame(link, pose);
      const angles = this.hingeAngles(link, quatMul(quatConj(q0), qC));
      let frame = q0;
      const hinges = link.hinges;
      for (let i = 0; i < hinges.length; i++) {
        const joint = this.joints[hinges[i]];
        writeVec(axes, hinges[i], rotate(frame, joint.axis));
        const previous = qpos[joint.qposIndex];
        const value = joint.ref + angles[i];
        qpos[joint.qposIndex] = previous + wrapToPi(value - previous);
        if (i + 1 < hinges.length) frame = quatMul(frame, quatAxisAngle(joint.axis, angles[i]));
      }
      if (link.slides.length === 0) continue;
      // Slides move the hinge anchor (or the origin): MuJoCo applies them before the hinges.
      const anchor = this.anchor(link);
      const moved = sub(add(pC, rotate(qC, anchor)), add(p0, rotate(q0, anchor)));
      for (const j of link.slides) {
        const joint = this.joints[j];
        const axis = rotate(q0, joint.axis);
        writeVec(axes, j, axis);
        qpos[joint.qposIndex] = joint.ref + dot(moved, axis);
      }
    }
  }

  /** Joint velocities from link velocities; `axes` must be current (from `positions`). */
  velocities(pose: Float64Array, velocity: Float64Array, axes: Float64Array, qvel: Float64Array): void {
    for (let k = 0; k < this.links.length; k++) {
      const link = this.links[k];
      if (link.kind === 'world') continue;
      const w: Vec3 = [velocity[6 * k], velocity[6 * k + 1], velocity[6 * k + 2]];
      const v: Vec3 = [velocity[6 * k + 3], velocity[6 * k + 4], velocity[6 * k + 5]];
      if (link.kind === 'free') {
        const adr = this.joints[link.freeJoint].qvelIndex;
        const pC = readPos(pose, k);
        qvel.set(add(v, cross(w, pC)), adr);
        qvel.set(rotate(quatConj(readQuat(pose, k)), w), adr + 3);
        continue;
      }
      const p = link.parent;
      const wRel = sub(w, [velocity[6 * p], velocity[6 * p + 1], velocity[6 * p + 2]]);
      const hinges = link.hinges;
      if (hinges.length === 1) {
        // One axis: the least-squares rate is a projection (same arithmetic as leastSquares).
        const a = readVec(axes, hinges[0]);
        qvel[this.joints[hinges[0]].qvelIndex] = dot(a, wRel) / dot(a, a);
      } else if (hinges.length > 1) {
        const rates = leastSquares(
          hinges.map((j) => readVec(axes, j)),
          wRel,
        );
        hinges.forEach((j, i) => (qvel[this.joints[j].qvelIndex] = rates[i]));
      }
      if (link.slides.length === 0) continue;
      const vRel = sub(v, [velocity[6 * p + 3], velocity[6 * p + 4], velocity[6 * p + 5]]);
      // The anchor moves only by the slides (the hinges turn about it).
      const anchor = add(readPos(pose, k), rotate(readQuat(pose, k), this.anchor(link)));
      const vAnchor = add(vRel, cross(wRel, anchor));
      for (const j of link.slides) qvel[this.joints[j].qvelIndex] = dot(vAnchor, readVec(axes, j));
    }
  }

  /**
   * Rate of a `jointed` link's dof as a motor on joint-frame axis `frameAxis` sees it. Equals the
   * dof's qvel for one-dof joints; for several hinges the axes are the parent-side frame's.
   */
  frameRate(k: number, frameAxis: number, pose: Float64Array, velocity: Float64Array, qvel: Float64Array): number {
    const link = this.links[k];
    if (link.slides.length + link.hinges.length === 1) return qvel[this.joints[link.slides.length === 1 ? link.slides[0] : link.hinges[0]].qvelIndex];
    const p = link.parent;
    const wRel = sub([velocity[6 * k], velocity[6 * k + 1], velocity[6 * k + 2]], [velocity[6 * p], velocity[6 * p + 1], velocity[6 * p + 2]]);
    const unit: Vec3 = [0, 0, 0];
    unit[frameAxis] = 1;
    return dot(wRel, rotate(quatMul(this.restFrame(link, pose)[1], link.jointFrame), unit));
  }

  /** MuJoCo's forward kinematics: link poses and velocities from qpos and qvel. */
  forward(qpos: ArrayLike<number>, qvel: ArrayLike<number>, pose: Float64Array, velocity: Float64Array): void {
    this.links.forEach((link, k) => {
      if (link.kind === 'world') {
        pose.set([0, 0, 0, 1, 0, 0, 0], 0);
        velocity.fill(0, 0, 6);
        return;
      }
      if (link.kind === 'free') {
        const joint = this.joints[link.freeJoint];
        const a = joint.qposIndex;
        const q = quatNormalize([qpos[a + 3], qpos[a + 4], qpos[a + 5], qpos[a + 6]]) ?? [1, 0, 0, 0];
        const p: Vec3 = [qpos[a], qpos[a + 1], qpos[a + 2]];
        const d = joint.qvelIndex;
        const w = rotate(q, [qvel[d + 3], qvel[d + 4], qvel[d + 5]]);
        writePose(pose, k, p, q);
        velocity.set([...w, ...sub([qvel[d], qvel[d + 1], qvel[d + 2]], cross(w, p))], 6 * k);
        return;
      }
      let [p, q] = this.restFrame(link, pose);
      const pv = link.parent;
      let w: Vec3 = [velocity[6 * pv], velocity[6 * pv + 1], velocity[6 * pv + 2]];
      let v: Vec3 = [velocity[6 * pv + 3], velocity[6 * pv + 4], velocity[6 * pv + 5]];
      for (const j of [...link.slides, ...link.hinges]) {
        const joint = this.joints[j];
        const axis = rotate(q, joint.axis);
        const value = qpos[joint.qposIndex] - joint.ref;
        const rate = qvel[joint.qvelIndex];
        if (joint.type === 'slide') {
          p = add(p, scale(axis, value));
          v = add(v, scale(axis, rate));
        } else {
          const anchor = add(p, rotate(q, joint.pos));
          q = quatMul(q, quatAxisAngle(joint.axis, value));
          p = sub(anchor, rotate(q, joint.pos));
          w = add(w, scale(axis, rate));
          v = add(v, scale(cross(anchor, axis), rate));
        }
      }
      writePose(pose, k, p, q);
      velocity.set([...w, ...v], 6 * k);
    });
  }

  /** Where the link frame would be with all its joints at qpos0, given its parent's pose. */
  private restFrame(link: Link, pose: Float64Array): [Vec3, Quat] {
    const pP = readPos(pose, link.parent);
    const qP = readQuat(pose, link.parent);
    return [add(pP, rotate(qP, link.relPos)), quatMul(qP, link.relQuat)];
  }

  private anchor(link: Link): Vec3 {
    return link.hinges.length > 0 ? this.joints[link.hinges[0]].pos : [0, 0, 0];
  }

  /** Hinge angles (from qpos0) of the rotation `rel` of the link relative to its rest frame. */
  private hingeAngles(link: Link, rel: Quat): number[] {
    if (link.hinges.length === 0) return [];
    if (link.hinges.length === 1) {
      const a = this.joints[link.hinges[0]].axis;
      const s = rel[1] * a[0] + rel[2] * a[1] + rel[3] * a[2];
      return [2 * Math.atan2(rel[0] < 0 ? -s : s, Math.abs(rel[0]))];
    }
    // Several hinges: x-y(-z) Euler angles (intrinsic) in the joint frame, MuJoCo's joint order.
    const f = link.jointFrame;
    const [w, x, y, z] = quatMul(quatMul(quatConj(f), rel), f);
    let angles: number[];
    if (link.hinges.length === 2) {
      // R = Rx(a) Ry(b): its y column is (0, cos a, sin a) and its x row (cos b, 0, sin b); unlike
      // the three-angle formulas these stay well defined as b nears +-90 degrees.
      angles = [Math.atan2(2 * (y * z + w * x), 1 - 2 * (x * x + z * z)), Math.atan2(2 * (x * z + w * y), 1 - 2 * (y * y + z * z))];
    } else {
      angles = [
        Math.atan2(-2 * (y * z - w * x), 1 - 2 * (x * x + y * y)),
        Math.asin(Math.max(-1, Math.min(1, 2 * (x * z + w * y)))),
        Math.atan2(-2 * (x * y - w * z), 1 - 2 * (y * y + z * z)),
      ];
    }
    return angles.map((angle, i) => angle * link.axisSigns[i]);
  }
}

/** Position of link `k` in a pose array. */
export function readPos(pose: Float64Array, k: number): Vec3 {
  return [pose[7 * k], pose[7 * k + 1], pose[7 * k + 2]];
}

/** Orientation (w-first) of link `k` in a pose array. */
export function readQuat(pose: Float64Array, k: number): Quat {
  return [pose[7 * k + 3], pose[7 * k + 4], pose[7 * k + 5], pose[7 * k + 6]];
}

function readVec(v: Float64Array, j: number): Vec3 {
  return [v[3 * j], v[3 * j + 1], v[3 * j + 2]];
}

function writeVec(out: Float64Array, j: number, v: Readonly<Vec3>): void {
  out[3 * j] = v[0];
  out[3 * j + 1] = v[1];
  out[3 * j + 2] = v[2];
}

function writePose(pose: Float64Array, k: number, p: Readonly<Vec3>, q: Readonly<Quat>): void {
  pose.set(p, 7 * k);
  pose.set(q, 7 * k + 3);
}

function wrapToPi(x: number): number {
  return x - TWO_PI * Math.round(x / TWO_PI);
}

/** Rates r minimizing |sum r_i axes_i - target| (1-3 axes, solved by normal equations). */
function leastSquares(axes: readonly Vec3[], target: Readonly<Vec3>): number[] {
  const n = axes.length;
  const g = axes.map((a) => axes.map((b) => dot(a, b)));
  const r = axes.map((a) => dot(a, target));
  for (let i = 0; i < n; i++) {
    for (let k = i + 1; k < n; k++) {
      const f = g[k][i] / g[i][i];
      for (let c = i; c < n; c++) g[k][c] -= f * g[i][c];
      r[k] -= f * r[i];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let c = i + 1; c < n; c++) r[i] -= g[i][c] * r[c];
    r[i] /= g[i][i];
  }
  return r;
}
