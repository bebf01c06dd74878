/**
 * MuJoCo's per-body quantities that Gymnasium's Ant and Humanoid observe, computed from the Rapier
 * world after a step (MuJoCo's `mj_comPos`, `mj_comVel`, `mj_rnePostConstraint`):
 *
 * - centres of mass, and the robot's (MuJoCo's `subtree_com` of the root body, `c` below);
 * - cinert (10 per body): inertia about `c` in world axes (xx, yy, zz, xy, xz, yz), mass x (com - c),
 *   mass. Exact, from MuJoCo's compiled mass properties (armature excluded, as in MuJoCo).
 * - cvel (6 per body): angular velocity, then the velocity of the body-fixed point at `c`. Exact.
 * - cfrc_ext (6 per body): the contact wrench on the body, torque about `c` then force.
 *   Approximate: Rapier 0.21 reports only normal contact impulses (tangent impulses read 0), so
 *   friction is missing, and the impulses are the last physics step's, divided by its timestep.
 *
 * Bodies welded to their parent (no joints) share the parent's Rapier body; their velocities follow
 * from it. Rapier bodies and colliders are matched to MuJoCo bodies by where they sit at load.
 */
import { Vector3, type Collider, type RigidBody, type Rotation, type TempContactManifold, type Vector, type World } from '@dimforge/rapier3d-compat';
import type { MjcfModel } from '../mjcf/index.ts';
import { compileMjcf } from '../mjcf/compile.ts';
import { Warnings } from '../mjcf/reader.ts';
import { parseXml } from '../mjcf/xml.ts';
import { FRAME_STRIDE } from '../core/scene.ts';
import { quatMul, quatToMat, rotate, type Mat3, type Quat, type Vec3 } from '../mjcf/math.ts';

/** Rapier stores poses in 32-bit floats: matching tolerance in metres. */
const MATCH_TOLERANCE = 1e-4;

export class BodyDynamics {
  /** MuJoCo bodies including the world (index 0, whose entries stay 0). */
  readonly bodyCount: number;
  /** Contact wrench on each body: torque about the robot's centre of mass, then force (6 per body). */
  readonly contactWrench: Float64Array;
  /** The robot's centre of mass (all bodies but the world). */
  readonly robotCom = new Float64Array(3);

  /** Centre of mass, angular velocity and centre-of-mass velocity of each body, world frame (3 per body each). */
  private readonly com: Float64Array;
  private readonly angularVelocity: Float64Array;
  private readonly comVelocity: Float64Array;
  private readonly mass: Float64Array;
  private readonly totalMass: number;
  /** Body-frame centre of mass, principal moments, and inertial-frame orientation of each body. */
  private readonly localCom: Vec3[];
  private readonly moments: Vec3[];
  private readonly inertialQuat: Quat[];
  /** World rotation matrix of each body's inertial frame (row-major), updated by `update()`. */
  private readonly inertialRotation: Mat3[];
  /** Rapier body handle of the body each MuJoCo body moves with. */
  private readonly linkHandle: number[];
  /** Per MuJoCo body, its moving link (index into `links`); per link, mass, centre and velocity (w, v). */
  private readonly linkOf: number[];
  private readonly linkHandles: number[];
  private readonly linkMass: Float64Array;
  private readonly linkCom: Float64Array;
  private readonly linkVelocity: Float64Array;
  /** Robot colliders (handle and MuJoCo body of each), the world's colliders, and which robot
   * colliders may touch another robot collider. */
  private readonly colliderHandles: number[];
  private readonly colliderBody: number[];
  private readonly colliderIndex = new Map<number, number>();
  private readonly staticHandles: number[];
  private readonly selfTouching: number[];
  /** Robot collider pairs (pairKey) on the same or jointed links. */
  private readonly neighbours = new Set<number>();
  private readonly frame: Float32Array;
  private readonly scratch = new Vector3(0, 0, 0);
  private links: RigidBody[] = [];
  private colliders: Collider[] = [];
  private staticColliders: Collider[] = [];
  private world: World;

  constructor(
    private readonly model: MjcfModel,
    xml: string,
  ) {
    const n = model.bodies.length;
    this.bodyCount = n;
    this.com = new Float64Array(3 * n);
    this.angularVelocity = new Float64Array(3 * n);
    this.comVelocity = new Float64Array(3 * n);
    this.contactWrench = new Float64Array(6 * n);
    this.mass = Float64Array.from(model.bodies, (b) => b.mass);
    this.totalMass = this.mass.reduce((sum, m) => sum + m, 0);
    // MjcfBody has no inertial-frame orientation yet, so read it from the compiled model.
    const compiled = compileMjcf(parseXml(xml), new Warnings());
    this.localCom = compiled.bodies.map((b) => b.inertial.pos);
    this.moments = compiled.bodies.map((b) => b.inertial.inertia);
    this.inertialQuat = compiled.bodies.map((b) => b.inertial.quat);
    this.inertialRotation = compiled.bodies.map(() => quatToMat([1, 0, 0, 0]));
    this.frame = new Float32Array(FRAME_STRIDE * n);
    this.world = model.world;

    const moves = model.bodies.map(() => false);
    for (const joint of model.joints) moves[joint.body] = true;
    const linkRoot = model.bodies.map(() => 0);
    model.bodies.forEach((body, b) => (linkRoot[b] = b === 0 ? 0 : moves[b] ? b : linkRoot[body.parent]));
    model.frame(this.frame);
    this.linkHandle = this.matchLinks(linkRoot);
    this.linkHandles = [...new Set(this.linkHandle.slice(1))];
    this.linkOf = this.linkHandle.map((h) => this.linkHandles.indexOf(h));
    this.linkMass = new Float64Array(this.linkHandles.length);
    this.linkOf.forEach((k, b) => b > 0 && (this.linkMass[k] += this.mass[b]));
    this.linkCom = new Float64Array(3 * this.linkHandles.length);
    this.linkVelocity = new Float64Array(6 * this.linkHandles.length);
    [this.colliderHandles, this.colliderBody] = this.matchColliders();
    this.colliderHandles.forEach((h, i) => this.colliderIndex.set(h, i));
    this.staticHandles = this.world.colliders
      .getAll()
      .filter((c) => c.parent()?.handle === this.linkHandle[0])
      .map((c) => c.handle);
    this.selfTouching = this.selfTouchingColliders();
    this.findNeighbours(linkRoot);
    this.attach();
  }

  /** Re-reads Rapier objects by handle: the model's world is a new object after every reset. */
  attach(): void {
    this.world = this.model.world;
    this.links = this.linkHandles.map((h) => this.world.getRigidBody(h));
    this.colliders = this.colliderHandles.map((h) => this.world.getCollider(h));
    this.staticColliders = this.staticHandles.map((h) => this.world.getCollider(h));
  }

  /** Centres of mass, inertial frames and velocities of every body, from the world now. */
  update(): void {
    this.model.frame(this.frame);
    const f = this.frame;
    const c = this.robotCom;
    c.fill(0);
    this.linkCom.fill(0);
    for (let b = 1; b < this.bodyCount; b++) {
      const o = FRAME_STRIDE * b;
      const q: Quat = [f[o + 6], f[o + 3], f[o + 4], f[o + 5]]; // frames store (x, y, z, w)
      const [x, y, z] = rotate(q, this.localCom[b]);
      this.com[3 * b] = f[o] + x;
      this.com[3 * b + 1] = f[o + 1] + y;
      this.com[3 * b + 2] = f[o + 2] + z;
      const k = this.linkOf[b];
      for (let i = 0; i < 3; i++) {
        c[i] += (this.mass[b] * this.com[3 * b + i]) / this.totalMass;
        this.linkCom[3 * k + i] += (this.mass[b] * this.com[3 * b + i]) / this.linkMass[k];
      }
      this.inertialRotation[b] = quatToMat(quatMul(q, this.inertialQuat[b]));
    }
    // Rapier's linvel is the velocity of its body's centre of mass, which is the mass-weighted centre
    // of the MuJoCo bodies welded into it (Rapier's own worldCom() lags until the next step).
    this.links.forEach((link, k) => {
      const w = link.angvel();
      const v = link.linvel();
      this.linkVelocity.set([w.x, w.y, w.z, v.x, v.y, v.z], 6 * k);
    });
    for (let b = 1; b < this.bodyCount; b++) {
      const k = this.linkOf[b];
      const [wx, wy, wz, vx, vy, vz] = this.linkVelocity.subarray(6 * k, 6 * k + 6);
      const [rx, ry, rz] = [
        this.com[3 * b] - this.linkCom[3 * k],
        this.com[3 * b + 1] - this.linkCom[3 * k + 1],
        this.com[3 * b + 2] - this.linkCom[3 * k + 2],
      ];
      this.angularVelocity.set([wx, wy, wz], 3 * b);
      this.comVelocity.set([vx + wy * rz - wz * ry, vy + wz * rx - wx * rz, vz + wx * ry - wy * rx], 3 * b);
    }
  }

  /**
   * Contact wrenches from the last physics step (call after `update()`, which sets the robot's COM).
   * Contacts with the world (the floor) are found from the world's colliders; robot-robot contacts
   * only from colliders whose collision groups let them touch another part of the robot.
   */
  updateContacts(): void {
    this.contactWrench.fill(0);
    for (const fixed of this.staticColliders) {
      this.world.contactPairsWith(fixed, (other) => {
        const index = this.colliderIndex.get(other.handle);
        if (index === undefined) return;
        // Called as (fixed, other): the normal points from `fixed` to `other` unless flipped.
        this.world.contactPair(fixed, other, (manifold, flipped) => this.addManifold(index, manifold, !flipped));
      });
    }
    for (const index of this.selfTouching) {
      const collider = this.colliders[index];
      this.world.contactPairsWith(collider, (other) => {
        const otherIndex = this.colliderIndex.get(other.handle);
        // World contacts were counted above; each robot pair once, from its lower index; jointed
        // neighbours never touch (the loader turns their contacts off, as MuJoCo does).
        if (otherIndex === undefined || otherIndex < index || this.neighbours.has(this.pairKey(index, otherIndex))) return;
        this.world.contactPair(collider, other, (manifold, flipped) => this.addManifold(index, manifold, flipped, otherIndex));
      });
    }
  }

  /**
   * Adds a manifold's normal impulses to the wrench of robot collider `index` (and the opposite
   * wrench to robot collider `otherIndex`, if given). `second` says whether `index` is the manifold's
   * second collider: the normal points from the first to the second, each pushed away from the other.
   */
  private addManifold(index: number, manifold: TempContactManifold, second: boolean, otherIndex?: number): void {
    const c = this.robotCom;
    const n = manifold.normal(this.scratch);
    const scale = (second ? 1 : -1) / this.world.timestep;
    const [nx, ny, nz] = [n.x * scale, n.y * scale, n.z * scale];
    const collider = this.colliders[index];
    let pose: { t: Vector; r: Rotation } | undefined;
    for (let k = 0; k < manifold.numContacts(); k++) {
      const impulse = manifold.contactImpulse(k);
      if (!(impulse > 0)) continue;
      const local = second ? manifold.localContactPoint2(k, this.scratch) : manifold.localContactPoint1(k, this.scratch);
      if (!local) continue;
      pose ??= { t: collider.translation(), r: collider.rotation() };
      const { t, r } = pose;
      const [px, py, pz] = rotate([r.w, r.x, r.y, r.z], [local.x, local.y, local.z]);
      const d = [t.x + px - c[0], t.y + py - c[1], t.z + pz - c[2]];
      const f = [impulse * nx, impulse * ny, impulse * nz];
      const torque = [d[1] * f[2] - d[2] * f[1], d[2] * f[0] - d[0] * f[2], d[0] * f[1] - d[1] * f[0]];
      this.addWrench(this.colliderBody[index], torque, f, 1);
      if (otherIndex !== undefined) this.addWrench(this.colliderBody[otherIndex], torque, f, -1);
    }
  }

  private addWrench(body: number, torque: readonly number[], force: readonly number[], sign: number): void {
    const w = this.contactWrench;
    for (let k = 0; k < 3; k++) {
      w[6 * body + k] += sign * torque[k];
      w[6 * body + 3 + k] += sign * force[k];
    }
  }

  clearContacts(): void {
    this.contactWrench.fill(0);
  }

  /** MuJoCo's cinert of bodies 1.. into `out` from `at`; returns the next index. */
  writeCinert(out: Float64Array, at: number): number {
    const c = this.robotCom;
    for (let b = 1; b < this.bodyCount; b++, at += 10) {
      const m = this.mass[b];
      const R = this.inertialRotation[b];
      const [i0, i1, i2] = this.moments[b];
      // R diag(I) R^T, entry (r, s) = sum_k R[r][k] I[k] R[s][k]
      const rot = (r: number, s: number) => R[3 * r] * i0 * R[3 * s] + R[3 * r + 1] * i1 * R[3 * s + 1] + R[3 * r + 2] * i2 * R[3 * s + 2];
      const [dx, dy, dz] = [this.com[3 * b] - c[0], this.com[3 * b + 1] - c[1], this.com[3 * b + 2] - c[2]];
      out[at] = rot(0, 0) + m * (dy * dy + dz * dz);
      out[at + 1] = rot(1, 1) + m * (dx * dx + dz * dz);
      out[at + 2] = rot(2, 2) + m * (dx * dx + dy * dy);
      out[at + 3] = rot(0, 1) - m * dx * dy;
      out[at + 4] = rot(0, 2) - m * dx * dz;
      out[at + 5] = rot(1, 2) - m * dy * dz;
      out[at + 6] = m * dx;
      out[at + 7] = m * dy;
      out[at + 8] = m * dz;
      out[at + 9] = m;
    }
    return at;
  }

  /** MuJoCo's cvel of bodies 1..: angular velocity, velocity of the body point at the robot's COM. */
  writeCvel(out: Float64Array, at: number): number {
    const c = this.robotCom;
    for (let b = 1; b < this.bodyCount; b++, at += 6) {
      const [wx, wy, wz] = [this.angularVelocity[3 * b], this.angularVelocity[3 * b + 1], this.angularVelocity[3 * b + 2]];
      const [rx, ry, rz] = [c[0] - this.com[3 * b], c[1] - this.com[3 * b + 1], c[2] - this.com[3 * b + 2]];
      out[at] = wx;
      out[at + 1] = wy;
      out[at + 2] = wz;
      out[at + 3] = this.comVelocity[3 * b] + wy * rz - wz * ry;
      out[at + 4] = this.comVelocity[3 * b + 1] + wz * rx - wx * rz;
      out[at + 5] = this.comVelocity[3 * b + 2] + wx * ry - wy * rx;
    }
    return at;
  }

  /** cfrc_ext of bodies 1.., each component clipped to ±limit. */
  writeContactWrenches(out: Float64Array, at: number, limit = Infinity): number {
    for (let i = 6; i < this.contactWrench.length; i++) out[at++] = Math.min(limit, Math.max(-limit, this.contactWrench[i]));
    return at;
  }

  /** Sum of squares of the contact wrenches (all bodies), each component clipped to ±limit. */
  contactWrenchSquaredNorm(limit = Infinity): number {
    let sum = 0;
    for (const x of this.contactWrench) {
      const clipped = Math.min(limit, Math.max(-limit, x));
      sum += clipped * clipped;
    }
    return sum;
  }

  /** Rapier's rigid bodies in creation order are the world, then one per moving MuJoCo body. */
  private matchLinks(linkRoot: readonly number[]): number[] {
    const rigidBodies = this.world.bodies.getAll();
    const roots = [...new Set(linkRoot)];
    if (rigidBodies.length !== roots.length) throw this.mismatch(`${rigidBodies.length} Rapier bodies for ${roots.length} moving parts`);
    const handleOf = new Map<number, number>();
    roots.forEach((root, k) => {
      const t = rigidBodies[k].translation();
      const o = FRAME_STRIDE * root;
      if (Math.hypot(t.x - this.frame[o], t.y - this.frame[o + 1], t.z - this.frame[o + 2]) > MATCH_TOLERANCE) {
        throw this.mismatch(`Rapier body ${k} is not where body '${this.model.bodies[root].name}' is`);
      }
      handleOf.set(root, rigidBodies[k].handle);
    });
    return linkRoot.map((root) => handleOf.get(root)!);
  }

  /** Each robot collider belongs to the body (of its Rapier body) whose geom sits where it does. */
  private matchColliders(): [number[], number[]] {
    const handles: number[] = [];
    const bodies: number[] = [];
    const worldHandle = this.linkHandle[0];
    for (const collider of this.world.colliders.getAll()) {
      const parent = collider.parent();
      if (!parent || parent.handle === worldHandle) continue;
      const t = collider.translation();
      const body = this.model.scene.bodies.findIndex((sceneBody, b) => {
        if (b === 0 || this.linkHandle[b] !== parent.handle) return false;
        const o = FRAME_STRIDE * b;
        const f = this.frame;
        return sceneBody.geoms.some((g) => {
          const [x, y, z] = rotate([f[o + 6], f[o + 3], f[o + 4], f[o + 5]], g.pos);
          return Math.hypot(f[o] + x - t.x, f[o + 1] + y - t.y, f[o + 2] + z - t.z) < MATCH_TOLERANCE;
        });
      });
      if (body === -1) throw this.mismatch(`a collider at (${t.x}, ${t.y}, ${t.z}) matches no geom`);
      handles.push(collider.handle);
      bodies.push(body);
    }
    return [handles, bodies];
  }

  private pairKey(i: number, j: number): number {
    return i * this.colliderHandles.length + j;
  }

  /** Marks collider pairs whose bodies share a link or sit on links joined by a joint. */
  private findNeighbours(linkRoot: readonly number[]): void {
    const parentLink = (b: number) => this.linkOf[this.model.bodies[linkRoot[b]].parent];
    this.colliderBody.forEach((bi, i) =>
      this.colliderBody.forEach((bj, j) => {
        const [ki, kj] = [this.linkOf[bi], this.linkOf[bj]];
        if (ki === kj || parentLink(bi) === kj || parentLink(bj) === ki) this.neighbours.add(this.pairKey(i, j));
      }),
    );
  }

  /** Robot colliders whose collision groups admit a robot collider on another body. */
  private selfTouchingColliders(): number[] {
    // Rapier's rule: (membership1 & filter2) && (membership2 & filter1), groups = membership << 16 | filter.
    const groups = this.colliderHandles.map((h) => this.world.getCollider(h).collisionGroups());
    const touch = (i: number, j: number) => ((groups[i] >>> 16) & groups[j] & 0xffff) !== 0 && ((groups[j] >>> 16) & groups[i] & 0xffff) !== 0;
    return this.colliderHandles
      .map((_, i) => i)
      .filter((i) => this.colliderHandles.some((_, j) => this.colliderBody[j] !== this.colliderBody[i] && touch(i, j)));
  }

  private mismatch(what: string): Error {
    return new Error(`BodyDynamics (${this.model.name}): the Rapier world does not have the layout expected from sim/mjcf: ${what}`);
  }
}
