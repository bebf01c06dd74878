/**
 * Plans the rigid bodies the physics engine simulates ("links"): MuJoCo bodies without joints are
 * welded into their parent's link, as MuJoCo treats them; every other body becomes a link whose
 * joints are classified into what Rapier can build:
 *
 * - `free`: a free joint (root only);
 * - `jointed`: one hinge, one slide, or 2-3 hinges about one anchor with orthogonal axes, built as
 *   one impulse joint to the parent link (revolute, prismatic or generic);
 * - `planar`: a root with slides (then at most one hinge) along world axes, built by locking the
 *   other axes of the root body itself (Gymnasium's rootx/rootz/rooty walkers).
 *
 * Also the links' mass properties (MuJoCo's, plus the armature of locked-axis roots: see build.ts
 * for the armature of the other joints).
 */
import type { CompiledBody, CompiledModel } from './compile.ts';
import type { CompiledJoint } from './elements.ts';
import { addAxisInertia, combineMass, principalInertia, type MassPart } from './inertia.ts';
import { IDENTITY_QUAT, add, cross, dot, normalize, quatFromColumns, quatMul, rotate, sub, type Quat, type Vec3 } from './math.ts';
import type { Warnings } from './reader.ts';

export type LinkKind = 'world' | 'free' | 'jointed' | 'planar';

export interface Link {
  kind: LinkKind;
  /** The MuJoCo body whose frame is the link's frame. */
  root: number;
  /** Parent link index; -1 for the world link (index 0). */
  parent: number;
  /** Link frame relative to the parent link's frame, at qpos0. */
  relPos: Vec3;
  relQuat: Quat;
  /** `free`: index of the free joint in the model's joints; -1 otherwise. */
  freeJoint: number;
  /** Slide joints, then hinge joints, in file order (indices into the model's joints). */
  slides: number[];
  hinges: number[];
  /**
   * `jointed`: the impulse joint's frame in the link frame; its x axis is the first dof's axis,
   * (x, y, z) the axes of 2-3 hinges. Hinge k turns about `axisSigns[k]` x frame axis k.
   */
  jointFrame: Quat;
  axisSigns: number[];
  /** Mass properties for the engine, in the link frame. */
  mass: MassPart;
  /** `planar`: which world axes stay free. */
  freeTranslations: [boolean, boolean, boolean];
  freeRotations: [boolean, boolean, boolean];
  /** `planar`: slide armature as extra mass, gravity rescaled so weight is unchanged. */
  gravityScale: number;
  /** `planar`: joint damping as the body's own (implicit) velocity damping, in 1/s. */
  linearDamping: number;
  angularDamping: number;
}

/** Where a MuJoCo body sits: its link and its pose in the link frame. */
export interface BodyPlacement {
  link: number;
  pos: Vec3;
  quat: Quat;
}

export interface LinkPlan {
  links: Link[];
  placements: BodyPlacement[];
}

const AXIS_TOLERANCE = 1e-6;

export function planLinks(model: CompiledModel, warnings: Warnings): LinkPlan {
  const links: Link[] = [];
  const placements: BodyPlacement[] = [];
  model.bodies.forEach((body, index) => {
    if (index === 0) {
      links.push(emptyLink('world', 0, -1, [0, 0, 0], [...IDENTITY_QUAT]));
      placements.push({ link: 0, pos: [0, 0, 0], quat: [...IDENTITY_QUAT] });
      return;
    }
    const up = placements[body.parent];
    const pos = add(up.pos, rotate(up.quat, body.pos));
    const quat = quatMul(up.quat, body.quat);
    if (body.joints.length === 0) {
      placements.push({ link: up.link, pos, quat });
      return;
    }
    const link = emptyLink('jointed', index, up.link, pos, quat);
    classifyJoints(link, body, model);
    links.push(link);
    placements.push({ link: links.length - 1, pos: [0, 0, 0], quat: [...IDENTITY_QUAT] });
  });
  links.forEach((link, index) => {
    if (link.kind !== 'world') setMassProperties(link, index, model, placements, warnings);
  });
  warnLightLinks(links, model, warnings);
  return { links, placements };
}

function emptyLink(kind: LinkKind, root: number, parent: number, relPos: Vec3, relQuat: Quat): Link {
  return {
    kind,
    root,
    parent,
    relPos,
    relQuat,
    freeJoint: -1,
    slides: [],
    hinges: [],
    jointFrame: [...IDENTITY_QUAT],
    axisSigns: [],
    mass: { mass: 0, pos: [0, 0, 0], quat: [...IDENTITY_QUAT], inertia: [0, 0, 0] },
    freeTranslations: [true, true, true],
    freeRotations: [true, true, true],
    gravityScale: 1,
    linearDamping: 0,
    angularDamping: 0,
  };
}

function unsupported(body: CompiledBody, why: string): Error {
  return new Error(`MJCF body '${body.name}' (line ${body.line}): ${why}`);
}

function classifyJoints(link: Link, body: CompiledBody, model: CompiledModel): void {
  const joints = body.joints.map((j) => model.joints[j]);
  const isRoot = link.parent === 0;
  if (joints.some((j) => j.type === 'free')) {
    if (joints.length > 1 || !isRoot) throw unsupported(body, 'a free joint must be the only joint of a body whose parent is the world');
    link.kind = 'free';
    link.freeJoint = body.joints[0];
    return;
  }
  const firstHinge = joints.findIndex((j) => j.type === 'hinge');
  if (firstHinge !== -1 && joints.slice(firstHinge).some((j) => j.type !== 'hinge')) {
    throw unsupported(body, 'slides after a hinge in one body are not supported (put the slides first)');
  }
  body.joints.forEach((j) => (model.joints[j].type === 'slide' ? link.slides : link.hinges).push(j));
  const hinges = link.hinges.map((j) => model.joints[j]);
  if (hinges.some((h) => dot(sub(h.pos, hinges[0].pos), sub(h.pos, hinges[0].pos)) > AXIS_TOLERANCE ** 2)) {
    throw unsupported(body, 'hinges of one body must share their pos');
  }
  if (link.slides.length === 0 || (link.slides.length === 1 && hinges.length === 0)) {
    if (hinges.length > 3) throw unsupported(body, 'more than three hinges in one body');
    setJointFrame(link, body, joints);
    return;
  }
  if (!isRoot || hinges.length > 1) {
    throw unsupported(body, 'slides combined with other joints are only supported on a body whose parent is the world, with at most one hinge');
  }
  lockToWorldAxes(link, body, model);
}

/** Joint frame of a `jointed` link: x = first axis; for several hinges, the frame of their axes. */
function setJointFrame(link: Link, body: CompiledBody, joints: readonly CompiledJoint[]): void {
  const x = joints[0].axis;
  if (joints.length === 1) {
    const helper: Vec3 = Math.abs(x[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
    const y = normalize(cross(x, helper))!;
    link.jointFrame = quatFromColumns(x, y, cross(x, y));
    link.axisSigns = [1];
    return;
  }
  const y = joints[1].axis;
  if (Math.abs(dot(x, y)) > AXIS_TOLERANCE) throw unsupported(body, 'the axes of several hinges in one body must be orthogonal');
  const z = cross(x, y);
  link.axisSigns = [1, 1];
  if (joints.length === 3) {
    const third = joints[2].axis;
    if (Math.abs(dot(x, third)) > AXIS_TOLERANCE || Math.abs(dot(y, third)) > AXIS_TOLERANCE) {
      throw unsupported(body, 'the axes of several hinges in one body must be orthogonal');
    }
    // The frame must be right-handed; a left-handed axis triple turns about -z instead.
    link.axisSigns.push(Math.sign(dot(z, third)));
  }
  link.jointFrame = quatFromColumns(x, y, z);
}

/** `planar`: every slide and the hinge must lie along a world axis; the rest gets locked. */
function lockToWorldAxes(link: Link, body: CompiledBody, model: CompiledModel): void {
  link.kind = 'planar';
  link.freeTranslations = [false, false, false];
  link.freeRotations = [false, false, false];
  const worldAxis = (joint: CompiledJoint): number => {
    const a = rotate(body.xquat, joint.axis);
    const k = a.findIndex((c) => Math.abs(Math.abs(c) - 1) < AXIS_TOLERANCE);
    if (k === -1) throw unsupported(body, `root joint '${joint.name}' must lie along a world axis to be built by locking axes`);
    return k;
  };
  for (const j of link.slides) {
    const k = worldAxis(model.joints[j]);
    if (link.freeTranslations[k]) throw unsupported(body, 'two root slides along one axis');
    link.freeTranslations[k] = true;
  }
  for (const j of link.hinges) link.freeRotations[worldAxis(model.joints[j])] = true;
}

function setMassProperties(link: Link, index: number, model: CompiledModel, placements: readonly BodyPlacement[], warnings: Warnings): void {
  const parts: MassPart[] = [];
  placements.forEach((place, b) => {
    if (place.link !== index) return;
    const { mass, pos, quat, inertia } = model.bodies[b].inertial;
    parts.push({ mass, pos: add(place.pos, rotate(place.quat, pos)), quat: quatMul(place.quat, quat), inertia });
  });
  const props = combineMass(parts);
  const root = model.bodies[link.root];
  if (!(props.mass > 0)) {
    throw unsupported(root, 'a moving body needs a positive mass: give its geoms a size and density (or mass), or add an <inertial>');
  }
  const hinges = link.hinges.map((j) => model.joints[j]);
  const slides = link.slides.map((j) => model.joints[j]);
  if (link.kind === 'planar') {
    // With the world as parent, joint-space armature is plain extra inertia (hinge) or mass (slides).
    for (const h of hinges) addAxisInertia(props.tensor, h.axis, h.armature);
    const armature = Math.max(0, ...slides.map((s) => s.armature));
    const damping = Math.max(0, ...slides.map((s) => s.damping));
    if (slides.some((s) => s.armature !== armature || s.damping !== damping)) {
      warnings.add(`body '${root.name}': root slides with different armature or damping share the largest value`);
    }
    link.gravityScale = props.mass / (props.mass + armature);
    props.mass += armature;
    link.linearDamping = damping / props.mass;
    const hinge = hinges[0];
    if (hinge) {
      const a = hinge.axis;
      const t = props.tensor;
      const axial =
        a[0] * (t[0] * a[0] + t[1] * a[1] + t[2] * a[2]) + a[1] * (t[3] * a[0] + t[4] * a[1] + t[5] * a[2]) + a[2] * (t[6] * a[0] + t[7] * a[1] + t[8] * a[2]);
      link.angularDamping = hinge.damping / axial;
    }
    for (const s of slides) {
      if (s.range) warnings.add(`joint@range on root slide '${s.name}': not enforced (the root moves by locked axes)`);
    }
    if (hinge?.range) warnings.add(`joint@range on root hinge '${hinge.name}': not enforced (the root moves by locked axes)`);
    if (hinge?.stiffness || slides.some((s) => s.stiffness)) warnings.add(`joint@stiffness on root joints of body '${root.name}': not simulated`);
  }
  link.mass = principalInertia(props);
  if (!link.mass.inertia.every((i) => i > 0)) throw unsupported(root, 'a moving body needs a positive rotational inertia');
}

/** Heavier neighbour / link mass above which Rapier's iterative solver converges too slowly. */
const MASS_RATIO_WARNING = 30;

/** Flags links jointed between much heavier ones: the solver may not hold their limits. */
function warnLightLinks(links: readonly Link[], model: CompiledModel, warnings: Warnings): void {
  links.forEach((link, index) => {
    if (link.kind !== 'jointed') return;
    const neighbours = links.filter((other, k) => (k === link.parent && k !== 0) || (other.parent === index && other.kind === 'jointed'));
    const heaviest = Math.max(0, ...neighbours.map((n) => n.mass.mass));
    if (heaviest > MASS_RATIO_WARNING * link.mass.mass) {
      const ratio = Math.round(heaviest / link.mass.mass);
      warnings.add(
        `body '${model.bodies[link.root].name}': ${ratio}x lighter than a jointed neighbour; Rapier's iterative solver may not hold its joint limits`,
      );
    }
  });
}
