/**
 * Link plan -> Rapier world. Choices (see sim/mjcf/README.md for the measurements behind them):
 *
 * - Impulse joints (Rapier JS multibody joints have no limits or motors), anchored at the MuJoCo
 *   joint position, frames set explicitly so the joint reads 0 at qpos0; limits set after creation
 *   (Rapier ignores revolute limits passed in JointData).
 * - Joint armature, damping and stiffness as joint motors (drives.ts), set up by the model.
 * - Colliders carry no mass; each body gets MuJoCo's mass properties directly (links.ts).
 * - MuJoCo's contype/conaffinity rule, "collide if (t1 & a2) | (t2 & a1)", maps exactly onto
 *   Rapier's "(m1 & f2) && (m2 & f1)" with m = t | a << 8 and f = a | t << 8.
 * - Friction combines by max, as MuJoCo does.
 */
import {
  CoefficientCombineRule,
  ColliderDesc,
  HalfSpace,
  JointAxesMask,
  JointData,
  Quaternion,
  RigidBodyDesc,
  World,
  type RigidBody,
} from '@dimforge/rapier3d-compat';
import type { CompiledModel } from './compile.ts';
import { rawAxis } from './drives.ts';
import type { CompiledGeom } from './elements.ts';
import type { Link, LinkPlan } from './links.ts';
import { add, quatMul, rotate, type Quat, type Vec3 } from './math.ts';

export interface BuiltWorld {
  world: World;
  /** Rapier rigid-body handle of each link. */
  bodyHandles: number[];
  /** Rapier impulse-joint handle of each `jointed` link, -1 for the others. */
  jointHandles: number[];
}

const vec = (v: Readonly<Vec3>) => ({ x: v[0], y: v[1], z: v[2] });
/** MuJoCo (w, x, y, z) -> Rapier (x, y, z, w). */
const rot = (q: Readonly<Quat>) => new Quaternion(q[1], q[2], q[3], q[0]);
/** Rapier's capsules and cylinders run along y, MuJoCo's along z: turn +90 degrees about x. */
const Y_TO_Z: Quat = [Math.SQRT1_2, Math.SQRT1_2, 0, 0];

export function buildWorld(model: CompiledModel, plan: LinkPlan, solverIterations: number, pgsIterations: number): BuiltWorld {
  let world: World;
  try {
    world = new World(vec(model.gravity));
  } catch (error) {
    throw new Error(`loadMjcf needs Rapier initialized first: await RAPIER.init() (sim/robots initPhysics()) (${(error as Error).message})`);
  }
  world.timestep = model.timestep;
  world.numSolverIterations = solverIterations;
  world.numInternalPgsIterations = pgsIterations;

  const bodies = plan.links.map((link) => {
    const root = model.bodies[link.root];
    if (link.kind === 'world') return world.createRigidBody(RigidBodyDesc.fixed());
    const { mass, pos, quat, inertia } = link.mass;
    const desc = RigidBodyDesc.dynamic()
      .setTranslation(root.xpos[0], root.xpos[1], root.xpos[2])
      .setRotation(rot(root.xquat))
      .setAdditionalMassProperties(mass, vec(pos), vec(inertia), rot(quat))
      .setCanSleep(false);
    if (link.kind === 'planar') {
      // Lock the root only: locking every body of a jointed chain blows up in Rapier.
      desc
        .enabledTranslations(...link.freeTranslations)
        .enabledRotations(...link.freeRotations)
        .setGravityScale(link.gravityScale)
        .setLinearDamping(link.linearDamping)
        .setAngularDamping(link.angularDamping);
    }
    return world.createRigidBody(desc);
  });

  model.bodies.forEach((body, b) => {
    const place = plan.placements[b];
    for (const geom of body.geoms) {
      const desc = colliderDesc(geom, place.pos, place.quat);
      if (desc) world.createCollider(desc, bodies[place.link]);
    }
  });

  const jointHandles = plan.links.map((link, index) => (link.kind === 'jointed' ? createJoint(world, model, link, bodies[index], bodies[link.parent]) : -1));
  return { world, bodyHandles: bodies.map((b) => b.handle), jointHandles };
}

function colliderDesc(geom: CompiledGeom, bodyPos: Vec3, bodyQuat: Quat): ColliderDesc | null {
  const membership = geom.contype | (geom.conaffinity << 8);
  const filter = geom.conaffinity | (geom.contype << 8);
  if (membership === 0) return null; // collides with nothing
  const [r, half] = geom.size;
  let desc: ColliderDesc;
  let quat = quatMul(bodyQuat, geom.quat);
  switch (geom.type) {
    case 'plane':
      desc = new ColliderDesc(new HalfSpace({ x: 0, y: 0, z: 1 }));
      break;
    case 'sphere':
      desc = ColliderDesc.ball(r);
      break;
    case 'capsule':
      desc = ColliderDesc.capsule(half, r);
      quat = quatMul(quat, Y_TO_Z);
      break;
    case 'cylinder':
      desc = ColliderDesc.cylinder(half, r);
      quat = quatMul(quat, Y_TO_Z);
      break;
    case 'box':
      desc = ColliderDesc.cuboid(geom.size[0], geom.size[1], geom.size[2]);
      break;
    case 'ellipsoid':
      // Rapier has no ellipsoid: collide with the convex hull of points on its surface.
      desc = ColliderDesc.convexHull(ellipsoidPoints(geom.size))!;
      break;
  }
  const pos = add(bodyPos, rotate(bodyQuat, geom.pos));
  return desc
    .setTranslation(pos[0], pos[1], pos[2])
    .setRotation(rot(quat))
    .setDensity(0)
    .setFriction(geom.friction)
    .setFrictionCombineRule(CoefficientCombineRule.Max)
    .setCollisionGroups(((membership << 16) | filter) >>> 0);
}

/** 98 points on an ellipsoid's surface (8 latitude rings of 12, plus the poles). */
function ellipsoidPoints(size: readonly number[]): Float32Array {
  const points: number[] = [0, 0, size[2], 0, 0, -size[2]];
  for (let i = 1; i <= 8; i++) {
    const polar = (Math.PI * i) / 9;
    for (let j = 0; j < 12; j++) {
      const azimuth = (2 * Math.PI * j) / 12;
      points.push(size[0] * Math.sin(polar) * Math.cos(azimuth), size[1] * Math.sin(polar) * Math.sin(azimuth), size[2] * Math.cos(polar));
    }
  }
  return Float32Array.from(points);
}

function createJoint(world: World, model: CompiledModel, link: Link, child: RigidBody, parent: RigidBody): number {
  const dofs = [...link.slides, ...link.hinges].map((j) => model.joints[j]);
  const anchor2 = dofs[0].pos;
  const anchor1 = add(link.relPos, rotate(link.relQuat, anchor2));
  const axis = vec([1, 0, 0]);
  let data: JointData;
  if (link.slides.length === 1) data = JointData.prismatic(vec(anchor1), vec(anchor2), axis);
  else if (dofs.length === 1) data = JointData.revolute(vec(anchor1), vec(anchor2), axis);
  else {
    const locked = JointAxesMask.LinX | JointAxesMask.LinY | JointAxesMask.LinZ | (dofs.length === 2 ? JointAxesMask.AngZ : 0);
    data = JointData.generic(vec(anchor1), vec(anchor2), axis, locked);
  }
  const joint = world.createImpulseJoint(data, parent, child, true);
  // Explicit frames: the joint's axes are the MuJoCo axes and every dof reads 0 at qpos0.
  joint.setLocalFrame1(vec(anchor1), rot(quatMul(link.relQuat, link.jointFrame)));
  joint.setLocalFrame2(vec(anchor2), rot(link.jointFrame));
  joint.setContactsEnabled(link.parent === 0); // MuJoCo never collides a body with its parent, except the world

  dofs.forEach((dof, k) => {
    if (!dof.range) return;
    const slide = dof.type === 'slide';
    const sign = slide ? 1 : link.axisSigns[k];
    const [lo, hi] = [(dof.range[0] - dof.ref) * sign, (dof.range[1] - dof.ref) * sign];
    world.impulseJoints.raw.jointSetLimits(joint.handle, rawAxis(slide, k), Math.min(lo, hi), Math.max(lo, hi));
  });
  return joint.handle;
}
