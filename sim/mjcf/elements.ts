/**
 * Readers for single MJCF elements — frames, geoms, joints, inertials, motors — turning attributes
 * (already merged with their default class) into checked, SI-unit values.
 */
import { geomInertia, geomVolume, isPhysicalInertia, type MassPart } from './inertia.ts';
import {
  IDENTITY_QUAT,
  cross,
  normalize,
  quatAxisAngle,
  quatFromColumns,
  quatMul,
  quatNormalize,
  quatZTo,
  scale,
  add,
  sub,
  norm,
  symmetricEigen,
  type Quat,
  type Vec3,
} from './math.ts';
import type { ElementReader, Warnings } from './reader.ts';
import type { GeomType } from '../core/scene.ts';

/** The `<compiler>` settings that change how numbers are read. */
export interface CompilerSettings {
  /** Multiplies angles written in the file: pi/180 for angle="degree" (MuJoCo's default). */
  angleScale: number;
  eulerSeq: string;
  autoLimits: boolean;
  inertiaFromGeom: 'true' | 'false' | 'auto';
  /** > 0: scale every body's mass and inertia so the model weighs this much. */
  setTotalMass: number;
}

/** Orientation from quat | euler | axisangle | xyaxes | zaxis (at most one of them). */
export function readOrientation(r: ElementReader, compiler: CompilerSettings): Quat {
  const given = ['quat', 'euler', 'axisangle', 'xyaxes', 'zaxis'].filter((name) => r.has(name));
  if (given.length > 1) throw r.error(`give one orientation, not ${given.join(' and ')}`);
  switch (given[0]) {
    case 'quat': {
      const q = quatNormalize(r.vec('quat', 4, IDENTITY_QUAT) as Quat);
      if (!q) throw r.error('quat must not be zero');
      return q;
    }
    case 'euler': {
      const angles = r.vec('euler', 3, [0, 0, 0]);
      let q: Quat = [...IDENTITY_QUAT];
      for (let i = 0; i < 3; i++) {
        const letter = compiler.eulerSeq[i];
        const axis: Vec3 = [0, 0, 0];
        axis['xyz'.indexOf(letter.toLowerCase())] = 1;
        const rotation = quatAxisAngle(axis, angles[i] * compiler.angleScale);
        // lower case: axes move with the frame (post-multiply); upper case: fixed axes
        q = letter === letter.toLowerCase() ? quatMul(q, rotation) : quatMul(rotation, q);
      }
      return q;
    }
    case 'axisangle': {
      const [x, y, z, angle] = r.vec('axisangle', 4, [0, 0, 1, 0]);
      const axis = normalize([x, y, z]);
      if (!axis) throw r.error('axisangle needs a non-zero axis');
      return quatAxisAngle(axis, angle * compiler.angleScale);
    }
    case 'xyaxes': {
      const v = r.vec('xyaxes', 6, [1, 0, 0, 0, 1, 0]);
      const x = normalize([v[0], v[1], v[2]]);
      const yRaw: Vec3 = [v[3], v[4], v[5]];
      const y = x && normalize(sub(yRaw, scale(x, x[0] * yRaw[0] + x[1] * yRaw[1] + x[2] * yRaw[2])));
      if (!x || !y) throw r.error('xyaxes must hold two independent vectors');
      return quatFromColumns(x, y, cross(x, y));
    }
    case 'zaxis': {
      const z = r.vec('zaxis', 3, [0, 0, 1]) as Vec3;
      if (!normalize(z)) throw r.error('zaxis must not be zero');
      return quatZTo(z);
    }
    default:
      return [...IDENTITY_QUAT];
  }
}

export interface CompiledGeom {
  name: string;
  type: GeomType;
  /** MuJoCo's sizes (see SceneGeom.size), with `fromto` resolved. */
  size: number[];
  pos: Vec3;
  quat: Quat;
  rgba: [number, number, number, number];
  /** Sliding friction coefficient (MuJoCo's first friction component). */
  friction: number;
  contype: number;
  conaffinity: number;
  /** Mass, 0 for planes. */
  mass: number;
  line: number;
}

const GEOM_TYPES = ['plane', 'sphere', 'capsule', 'cylinder', 'box', 'ellipsoid', 'hfield', 'mesh', 'sdf'] as const;
/** Numbers of `size` each type needs (with fromto, the length comes from the two points instead). */
const SIZE_COUNT: Record<GeomType, number> = { plane: 3, sphere: 1, capsule: 2, cylinder: 2, box: 3, ellipsoid: 3 };

export function readGeom(r: ElementReader, compiler: CompilerSettings, warnings: Warnings): CompiledGeom {
  const rawType = r.choice('type', GEOM_TYPES, 'sphere');
  if (rawType === 'hfield' || rawType === 'mesh' || rawType === 'sdf') throw r.error(`geom type '${rawType}' is not supported`);
  const type: GeomType = rawType;
  const fromto = type === 'plane' || type === 'sphere' ? undefined : r.numbers('fromto', [6]);
  const needed = SIZE_COUNT[type] - (fromto ? 1 : 0);
  // A plane's size only sets how it is drawn (0 = infinite), so it may be left out.
  const given = r.numbers('size', [1, 2, 3]) ?? (type === 'plane' ? [0, 0, 0] : undefined);
  if (!given || given.length < needed) throw r.error(`geom type '${type}' needs ${needed} size value(s)${fromto ? ' with fromto' : ''}`);
  const size = given.slice(0, needed);
  let pos: Vec3;
  let quat: Quat;
  if (fromto) {
    const from: Vec3 = [fromto[0], fromto[1], fromto[2]];
    const to: Vec3 = [fromto[3], fromto[4], fromto[5]];
    const length = norm(sub(to, from));
    if (length < 1e-12) throw r.error('fromto needs two distinct points');
    size.push(length / 2);
    pos = scale(add(from, to), 0.5);
    quat = quatZTo(sub(to, from));
    for (const ignored of ['pos', 'quat', 'euler', 'axisangle', 'xyaxes', 'zaxis']) r.skip(ignored);
  } else {
    pos = r.vec('pos', 3, [0, 0, 0]) as Vec3;
    quat = readOrientation(r, compiler);
  }
  if (type !== 'plane' && size.some((s) => !(s > 0))) throw r.error(`size must be positive, got ${size.join(' ')}`);

  // `mass` wins over `density`; planes are static and weigh nothing.
  const mass = type === 'plane' ? 0 : r.has('mass') ? r.num('mass', 0) : r.num('density', 1000) * geomVolume(type, size);
  r.skip('mass');
  r.skip('density');
  if (!(mass >= 0)) throw r.error(`mass must not be negative, got ${mass}`);
  const condim = r.num('condim', 3);
  if (condim !== 3) warnings.add(`geom@condim: only condim 3 (normal + sliding friction) is simulated, condim ${condim} acts as 3`);
  const friction = r.numbers('friction', [1, 2, 3])?.[0] ?? 1;
  if (friction < 0) throw r.error('friction must not be negative');
  const contype = r.num('contype', 1);
  const conaffinity = r.num('conaffinity', 1);
  for (const [name, bits] of [
    ['contype', contype],
    ['conaffinity', conaffinity],
  ] as const) {
    // Rapier has 16 group bits; the loader spends 8 on each side of MuJoCo's OR rule.
    if (!Number.isInteger(bits) || bits < 0 || bits > 255) throw r.error(`${name} must be an integer in 0..255, got ${bits}`);
  }
  return {
    name: r.str('name', ''),
    type,
    size,
    pos,
    quat,
    rgba: r.vec('rgba', 4, [0.5, 0.5, 0.5, 1]) as CompiledGeom['rgba'],
    friction,
    contype,
    conaffinity,
    mass,
    line: r.element.line,
  };
}

/** The geom's own mass part (in the body frame), or null for planes. */
export function geomMassPart(geom: CompiledGeom): MassPart | null {
  if (geom.type === 'plane') return null;
  return { mass: geom.mass, pos: geom.pos, quat: geom.quat, inertia: geomInertia(geom.type, geom.size, geom.mass) };
}

/** An explicit `<inertial>`: mass, centre and principal inertia in the body frame. */
export function readInertial(r: ElementReader, compiler: CompilerSettings): MassPart {
  const mass = r.num('mass', NaN);
  if (!(mass > 0)) throw r.error(`inertial needs a positive mass, got ${r.str('mass') ?? 'none'}`);
  const pos = r.vec('pos', 3, [0, 0, 0]) as Vec3;
  let quat = readOrientation(r, compiler);
  let inertia: Vec3;
  const full = r.numbers('fullinertia', [6]);
  if (full) {
    if (r.has('diaginertia')) throw r.error('give diaginertia or fullinertia, not both');
    const [xx, yy, zz, xy, xz, yz] = full;
    const eig = symmetricEigen([xx, xy, xz, xy, yy, yz, xz, yz, zz]);
    inertia = eig.values;
    quat = quatMul(quat, eig.quat);
  } else {
    const diag = r.numbers('diaginertia', [3]);
    if (!diag) throw r.error('inertial needs diaginertia or fullinertia');
    inertia = diag as Vec3;
  }
  if (!isPhysicalInertia(inertia)) throw r.error(`inertia ${inertia.join(' ')} is not positive or breaks the triangle inequality`);
  return { mass, pos, quat, inertia };
}

export type JointType = 'free' | 'slide' | 'hinge';

export interface CompiledJoint {
  name: string;
  type: JointType;
  /** Index of the body the joint moves. */
  body: number;
  /** Anchor and unit axis in the body frame. */
  pos: Vec3;
  axis: Vec3;
  /** [lo, hi] in qpos units (radians or metres); null when unlimited. */
  range: [number, number] | null;
  /** qpos0: the joint value at which the body sits where the file puts it. */
  ref: number;
  /** Rest value of the joint spring. */
  springref: number;
  armature: number;
  damping: number;
  stiffness: number;
  qposIndex: number;
  qvelIndex: number;
  line: number;
}

/** `<joint>` or `<freejoint>`; addresses are filled in by the caller. */
export function readJoint(r: ElementReader, compiler: CompilerSettings, body: number, warnings: Warnings): CompiledJoint {
  const type = r.element.tag === 'freejoint' ? 'free' : r.choice('type', ['free', 'ball', 'slide', 'hinge'], 'hinge');
  if (type === 'ball') throw r.error("joint type 'ball' is not supported (use hinges)");
  const name = r.str('name', '');
  if (type === 'free') {
    // A free joint has no axis, range or spring; only its (unsupported) armature and damping could matter.
    for (const meaningless of ['pos', 'axis', 'range', 'limited', 'ref', 'springref', 'stiffness']) r.skip(meaningless);
    for (const key of ['armature', 'damping']) {
      if (r.num(key, 0) !== 0) warnings.add(`joint@${key} on free joints: unsupported, ignored`);
    }
    return {
      name,
      type,
      body,
      pos: [0, 0, 0],
      axis: [0, 0, 1],
      range: null,
      ref: 0,
      springref: 0,
      armature: 0,
      damping: 0,
      stiffness: 0,
      qposIndex: -1,
      qvelIndex: -1,
      line: r.element.line,
    };
  }
  const angle = type === 'hinge' ? compiler.angleScale : 1;
  const axis = normalize(r.vec('axis', 3, [0, 0, 1]) as Vec3);
  if (!axis) throw r.error('axis must not be zero');
  const [lo, hi] = r.vec('range', 2, [0, 0]).map((v) => v * angle);
  const limited = r.choice('limited', ['true', 'false', 'auto'], 'auto');
  const isLimited = limited === 'auto' ? compiler.autoLimits && (lo !== 0 || hi !== 0) : limited === 'true';
  if (isLimited && !(lo < hi)) throw r.error(`range must have lo < hi, got ${lo} ${hi}`);
  const joint: CompiledJoint = {
    name,
    type,
    body,
    pos: r.vec('pos', 3, [0, 0, 0]) as Vec3,
    axis,
    range: isLimited ? [lo, hi] : null,
    ref: r.num('ref', 0) * angle,
    springref: r.num('springref', 0) * angle,
    armature: r.num('armature', 0),
    damping: r.num('damping', 0),
    stiffness: r.num('stiffness', 0),
    qposIndex: -1,
    qvelIndex: -1,
    line: r.element.line,
  };
  for (const key of ['armature', 'damping', 'stiffness'] as const) {
    if (!(joint[key] >= 0)) throw r.error(`${key} must not be negative, got ${joint[key]}`);
  }
  return joint;
}

export interface CompiledActuator {
  name: string;
  /** Index into the model's joints. */
  joint: number;
  gear: number;
  /** Controls are clipped to this range; null when ctrllimited is off. */
  ctrlRange: [number, number] | null;
}

export function readMotor(r: ElementReader, compiler: CompilerSettings, jointIndex: (name: string) => number | undefined): CompiledActuator {
  const jointName = r.str('joint');
  if (jointName === undefined) throw r.error('missing required attribute joint (only joint transmissions are supported)');
  const joint = jointIndex(jointName);
  if (joint === undefined) throw r.error(`joint '${jointName}' does not exist`);
  const gear = r.numbers('gear', [1, 2, 3, 4, 5, 6])?.[0] ?? 1;
  const [lo, hi] = r.vec('ctrlrange', 2, [0, 0]);
  const limited = r.choice('ctrllimited', ['true', 'false', 'auto'], 'auto');
  const isLimited = limited === 'auto' ? compiler.autoLimits && (lo !== 0 || hi !== 0) : limited === 'true';
  if (isLimited && !(lo < hi)) throw r.error(`ctrlrange must have lo < hi, got ${lo} ${hi}`);
  return { name: r.str('name', ''), joint, gear, ctrlRange: isLimited ? [lo, hi] : null };
}
