/**
 * The MJCF "compiler": element tree -> bodies, geoms, joints and actuators with MuJoCo's numbering
 * (bodies depth-first, world = 0), qpos/qvel addresses, body masses and inertias. Pure data, no
 * physics engine: `build.ts` turns the result into a Rapier world.
 */
import { DefaultClasses, MAIN_CLASS, type DefaultedTag } from './defaults.ts';
import {
  geomMassPart,
  readGeom,
  readInertial,
  readJoint,
  readMotor,
  readOrientation,
  type CompiledActuator,
  type CompiledGeom,
  type CompiledJoint,
  type CompilerSettings,
} from './elements.ts';
import { combineMass, principalInertia, type MassPart } from './inertia.ts';
import { IDENTITY_QUAT, add, quatMul, rotate, type Quat, type Vec3 } from './math.ts';
import { ElementReader, mjcfError, warnUnsupportedElement, type Warnings } from './reader.ts';
import type { XmlElement } from './xml.ts';

export interface CompiledBody {
  name: string;
  /** Parent body index; -1 for the world body (index 0). */
  parent: number;
  /** Frame relative to the parent at qpos0. */
  pos: Vec3;
  quat: Quat;
  /** Frame in the world at qpos0. */
  xpos: Vec3;
  xquat: Quat;
  geoms: CompiledGeom[];
  /** Indices into `CompiledModel.joints`, in file order. */
  joints: number[];
  /** MuJoCo's body inertial: mass, centre (`pos`), principal frame (`quat`) and moments. */
  inertial: MassPart;
  line: number;
}

export interface CompiledModel {
  name: string;
  timestep: number;
  gravity: Vec3;
  bodies: CompiledBody[];
  joints: CompiledJoint[];
  actuators: CompiledActuator[];
  nq: number;
  nv: number;
}

/** Compiles a parsed `<mujoco>` element; what the loader ignores or approximates goes to `warnings`. */
export function compileMjcf(root: XmlElement, warnings: Warnings): CompiledModel {
  const sections = (tag: string) => root.children.filter((c) => c.tag === tag);
  for (const child of root.children) {
    if (child.tag === 'include') throw mjcfError(child, '<include> is not supported: inline the included file');
    if (!['compiler', 'option', 'default', 'worldbody', 'actuator'].includes(child.tag)) warnUnsupportedElement(child, warnings);
  }
  const compiler = readCompiler(sections('compiler'), warnings);
  const { timestep, gravity } = readOption(sections('option'), warnings);
  const defaults = new DefaultClasses(sections('default'), warnings);

  const ctx: BodyContext = { compiler, defaults, warnings, bodies: [], joints: [] };
  const world: CompiledBody = {
    name: 'world',
    parent: -1,
    pos: [0, 0, 0],
    quat: [...IDENTITY_QUAT],
    xpos: [0, 0, 0],
    xquat: [...IDENTITY_QUAT],
    geoms: [],
    joints: [],
    inertial: { mass: 0, pos: [0, 0, 0], quat: [...IDENTITY_QUAT], inertia: [0, 0, 0] },
    line: root.line,
  };
  ctx.bodies.push(world);
  const worldbodies = sections('worldbody');
  if (worldbodies.length === 0) throw mjcfError(root, 'missing <worldbody>');
  for (const worldbody of worldbodies) readBodyChildren(worldbody, 0, MAIN_CLASS, ctx);

  assignAddresses(ctx.joints);
  if (compiler.setTotalMass > 0) scaleTotalMass(ctx.bodies, compiler.setTotalMass);
  const actuators = readActuators(sections('actuator'), ctx, compiler);
  const last = ctx.joints[ctx.joints.length - 1];
  return {
    name: new ElementReader(root).str('model', 'mjcf'),
    timestep,
    gravity,
    bodies: ctx.bodies,
    joints: ctx.joints,
    actuators,
    nq: last ? last.qposIndex + (last.type === 'free' ? 7 : 1) : 0,
    nv: last ? last.qvelIndex + (last.type === 'free' ? 6 : 1) : 0,
  };
}

function readCompiler(elements: readonly XmlElement[], warnings: Warnings): CompilerSettings {
  const settings: CompilerSettings = { angleScale: Math.PI / 180, eulerSeq: 'xyz', autoLimits: true, inertiaFromGeom: 'auto', setTotalMass: -1 };
  for (const element of elements) {
    const r = new ElementReader(element);
    if (r.choice('coordinate', ['local', 'global'], 'local') === 'global') throw r.error('coordinate="global" is not supported (MuJoCo removed it too)');
    if (r.has('angle')) settings.angleScale = r.choice('angle', ['degree', 'radian'], 'degree') === 'degree' ? Math.PI / 180 : 1;
    if (r.has('eulerseq')) {
      settings.eulerSeq = r.str('eulerseq', 'xyz');
      if (!/^[xyzXYZ]{3}$/.test(settings.eulerSeq)) throw r.error(`eulerseq="${settings.eulerSeq}" must be three of x, y, z, X, Y, Z`);
    }
    if (r.has('autolimits')) settings.autoLimits = r.bool('autolimits', true);
    if (r.has('inertiafromgeom')) settings.inertiaFromGeom = r.choice('inertiafromgeom', ['true', 'false', 'auto'], 'auto');
    if (r.has('settotalmass')) settings.setTotalMass = r.num('settotalmass', -1);
    r.reportUnread(warnings);
    for (const child of element.children) warnUnsupportedElement(child, warnings, 'compiler');
  }
  return settings;
}

function readOption(elements: readonly XmlElement[], warnings: Warnings): { timestep: number; gravity: Vec3 } {
  let timestep = 0.002;
  let gravity: Vec3 = [0, 0, -9.81];
  for (const element of elements) {
    const r = new ElementReader(element);
    timestep = r.num('timestep', timestep);
    if (!(timestep > 0)) throw r.error(`timestep must be positive, got ${timestep}`);
    gravity = r.vec('gravity', 3, gravity) as Vec3;
    r.reportUnread(warnings);
    for (const child of element.children) warnUnsupportedElement(child, warnings, 'option');
  }
  return { timestep, gravity };
}

interface BodyContext {
  compiler: CompilerSettings;
  defaults: DefaultClasses;
  warnings: Warnings;
  bodies: CompiledBody[];
  joints: CompiledJoint[];
}

function reader(element: XmlElement, tag: DefaultedTag, childclass: string, ctx: BodyContext): ElementReader {
  return new ElementReader(element, ctx.defaults.attrs(tag, element.attrs.class ?? childclass, element));
}

/** Geoms, joints, inertial and child bodies of the world or of one body. */
function readBodyChildren(element: XmlElement, bodyIndex: number, childclass: string, ctx: BodyContext): void {
  const body = ctx.bodies[bodyIndex];
  let inertial: MassPart | undefined;
  const childBodies: XmlElement[] = [];
  for (const child of element.children) {
    switch (child.tag) {
      case 'geom': {
        const r = reader(child, 'geom', childclass, ctx);
        const geom = readGeom(r, ctx.compiler, ctx.warnings);
        r.reportUnread(ctx.warnings);
        if (geom.type === 'plane' && bodyIndex !== 0) throw r.error('plane geoms belong to the world body');
        body.geoms.push(geom);
        break;
      }
      case 'joint':
      case 'freejoint': {
        if (bodyIndex === 0) throw mjcfError(child, 'the world body cannot have joints');
        const r = child.tag === 'joint' ? reader(child, 'joint', childclass, ctx) : new ElementReader(child);
        const joint = readJoint(r, ctx.compiler, bodyIndex, ctx.warnings);
        r.reportUnread(ctx.warnings);
        body.joints.push(ctx.joints.length);
        ctx.joints.push(joint);
        break;
      }
      case 'inertial': {
        if (bodyIndex === 0) throw mjcfError(child, 'the world body cannot have an inertial');
        const r = new ElementReader(child);
        inertial = readInertial(r, ctx.compiler);
        r.reportUnread(ctx.warnings);
        break;
      }
      case 'body':
        childBodies.push(child);
        break;
      default:
        warnUnsupportedElement(child, ctx.warnings, element.tag);
    }
  }
  if (bodyIndex !== 0) body.inertial = bodyInertial(body, inertial, ctx);
  // Depth-first numbering: this body's children come right after it, in file order.
  for (const child of childBodies) readBody(child, bodyIndex, childclass, ctx);
}

function readBody(element: XmlElement, parent: number, inheritedClass: string, ctx: BodyContext): void {
  const r = new ElementReader(element);
  const parentBody = ctx.bodies[parent];
  const pos = r.vec('pos', 3, [0, 0, 0]) as Vec3;
  const quat = readOrientation(r, ctx.compiler);
  const childclass = r.str('childclass', inheritedClass);
  ctx.defaults.attrs('geom', childclass, element); // an unknown childclass is an error here, naming the body
  r.skip('name');
  r.reportUnread(ctx.warnings);
  const body: CompiledBody = {
    name: element.attrs.name ?? '',
    parent,
    pos,
    quat,
    xpos: add(parentBody.xpos, rotate(parentBody.xquat, pos)),
    xquat: quatMul(parentBody.xquat, quat),
    geoms: [],
    joints: [],
    inertial: { mass: 0, pos: [0, 0, 0], quat: [...IDENTITY_QUAT], inertia: [0, 0, 0] },
    line: element.line,
  };
  ctx.bodies.push(body);
  readBodyChildren(element, ctx.bodies.length - 1, childclass, ctx);
}

/** MuJoCo's inertiafromgeom rule: true = geoms, false = <inertial>, auto = <inertial> if given. */
function bodyInertial(body: CompiledBody, inertial: MassPart | undefined, ctx: BodyContext): MassPart {
  const mode = ctx.compiler.inertiaFromGeom;
  if (inertial && mode === 'true') ctx.warnings.add('<inertial>: replaced by the geoms\' inertia because inertiafromgeom="true"');
  if (inertial && mode !== 'true') return inertial;
  const parts = mode === 'false' ? [] : body.geoms.map(geomMassPart).filter((p): p is MassPart => p !== null);
  if (parts.length === 0) return { mass: 0, pos: [0, 0, 0], quat: [...IDENTITY_QUAT], inertia: [0, 0, 0] };
  // One geom: MuJoCo keeps the geom's own frame and moment order.
  return parts.length === 1 ? parts[0] : principalInertia(combineMass(parts));
}

function assignAddresses(joints: CompiledJoint[]): void {
  let qpos = 0;
  let qvel = 0;
  for (const joint of joints) {
    joint.qposIndex = qpos;
    joint.qvelIndex = qvel;
    qpos += joint.type === 'free' ? 7 : 1;
    qvel += joint.type === 'free' ? 6 : 1;
  }
}

function scaleTotalMass(bodies: CompiledBody[], total: number): void {
  const current = bodies.reduce((sum, b) => sum + b.inertial.mass, 0);
  if (!(current > 0)) return;
  const factor = total / current;
  for (const body of bodies) {
    body.inertial.mass *= factor;
    body.inertial.inertia = body.inertial.inertia.map((i) => i * factor) as Vec3;
  }
}

function readActuators(sections: readonly XmlElement[], ctx: BodyContext, compiler: CompilerSettings): CompiledActuator[] {
  const jointByName = new Map<string, number>();
  ctx.joints.forEach((joint, index) => {
    if (!joint.name) return;
    if (jointByName.has(joint.name)) throw new Error(`MJCF joint '${joint.name}' (line ${joint.line}): the name is used twice`);
    jointByName.set(joint.name, index);
  });
  const actuators: CompiledActuator[] = [];
  for (const section of sections) {
    for (const element of section.children) {
      if (element.tag !== 'motor') {
        warnUnsupportedElement(element, ctx.warnings, 'actuator');
        continue;
      }
      const r = reader(element, 'motor', MAIN_CLASS, ctx);
      const actuator = readMotor(r, compiler, (name) => jointByName.get(name));
      if (ctx.joints[actuator.joint].type === 'free') throw r.error('motors on free joints are not supported');
      r.reportUnread(ctx.warnings);
      actuators.push(actuator);
    }
  }
  return actuators;
}
