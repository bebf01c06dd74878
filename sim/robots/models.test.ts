/**
 * Our MJCF files against MuJoCo's compiled reference (sim/fixtures/mujoco_facts.json):
 * the same bodies with the same masses and inertias, the same joints (type, range, armature,
 * damping, stiffness) and the same actuators, so published hyperparameters transfer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixture } from '../fixtures/reference.test-support.ts';
import { loadMjcf } from '../mjcf/index.ts';
import { ROBOT_ENVS } from './index.ts';
import { initPhysics, robotModelXml, type RobotFile } from './physics.ts';

interface Facts {
  timestep: number;
  total_mass: number;
  bodies: { name: string; mass: number; inertia: number[] }[];
  joints: { name: string; type: string; limited: number; range: number[]; armature: number; damping: number; stiffness: number }[];
  actuators: { joint: string; gear: number; ctrlrange: number[] }[];
}

const facts = readFixture<{ models: Record<string, Facts> }>('mujoco_facts.json').models;

/** Gymnasium's file for each of ours. */
const REFERENCE: Record<RobotFile, string> = {
  'hopper.xml': 'hopper.xml',
  'walker2d.xml': 'walker2d_v5.xml',
  'half_cheetah.xml': 'half_cheetah.xml',
  'ant.xml': 'ant.xml',
  'humanoid.xml': 'humanoid.xml',
  'reacher.xml': 'reacher.xml',
  'pusher.xml': 'pusher_v5.xml',
  'inverted_pendulum.xml': 'inverted_pendulum.xml',
};

/** Bodies our files merge, deliberately (see the file's header): ours <- MuJoCo's, in MuJoCo's order. */
const MERGED: Partial<Record<RobotFile, Record<string, string[]>>> = {
  'pusher.xml': { r_wrist_roll_link: ['r_wrist_flex_link', 'r_wrist_roll_link'] },
};

/** MuJoCo's bodies as our file should have them: merged bodies summed (their inertia is not compared). */
function expectedBodies(file: RobotFile, reference: Facts): { name: string; mass: number; inertia: number[] | null }[] {
  const merged = MERGED[file] ?? {};
  const into = new Map(Object.entries(merged).flatMap(([ours, theirs]) => theirs.map((t) => [t, ours] as const)));
  const bodies: { name: string; mass: number; inertia: number[] | null }[] = [];
  for (const body of reference.bodies) {
    const target = into.get(body.name);
    const existing = target && bodies.find((b) => b.name === target);
    if (existing) existing.mass += body.mass;
    else bodies.push(target ? { name: target, mass: body.mass, inertia: null } : { ...body });
  }
  return bodies;
}

/** Relative tolerance on masses and inertias (the cheetah's capsule end points are rounded to 0.1 mm). */
const MASS_TOLERANCE = 1e-3;

beforeAll(() => initPhysics());

describe.each(ROBOT_ENVS.map((e) => e.config))('$modelFile', (config) => {
  const reference = facts[REFERENCE[config.modelFile]];

  it("has MuJoCo's bodies, masses and inertias", () => {
    const model = loadMjcf(robotModelXml(config.modelFile, config.id));
    expect(model.warnings.filter((w) => !w.includes('not enforced'))).toEqual([]);
    const expected = expectedBodies(config.modelFile, reference);
    expect(model.bodies.length).toBe(expected.length);
    const total = model.bodies.reduce((sum, b) => sum + b.mass, 0);
    expect(Math.abs(total - reference.total_mass) / reference.total_mass).toBeLessThan(MASS_TOLERANCE);
    const sorted = (v: readonly number[]) => [...v].sort((a, b) => a - b);
    model.bodies.forEach((body, i) => {
      const { name, mass, inertia } = expected[i];
      if (name !== '(null)') expect(body.name).toBe(name);
      expect(Math.abs(body.mass - mass), `${body.name} mass`).toBeLessThanOrEqual(MASS_TOLERANCE * mass);
      if (!inertia) return;
      sorted(body.inertia).forEach((moment, k) => {
        expect(Math.abs(moment - sorted(inertia)[k]), `${body.name} inertia`).toBeLessThanOrEqual(MASS_TOLERANCE * Math.max(...inertia));
      });
    });
    model.dispose();
  });

  it("has MuJoCo's joints and actuators", () => {
    const model = loadMjcf(robotModelXml(config.modelFile, config.id));
    expect(model.joints.map((j) => j.name)).toEqual(reference.joints.map((j) => j.name));
    model.joints.forEach((joint, i) => {
      const expected = reference.joints[i];
      expect(joint.type).toBe(expected.type);
      expect(joint.range === null).toBe(expected.limited === 0);
      if (joint.range) joint.range.forEach((v, k) => expect(v).toBeCloseTo(expected.range[k], 6));
      expect([joint.armature, joint.damping, joint.stiffness]).toEqual([expected.armature, expected.damping, expected.stiffness]);
    });
    expect(model.actuators.map((a) => [a.joint, a.gear, a.ctrlRange])).toEqual(reference.actuators.map((a) => [a.joint, a.gear, a.ctrlrange]));
    model.dispose();
  });

  it("keeps Gymnasium's dt: timestep x frameSkip", () => {
    const model = loadMjcf(robotModelXml(config.modelFile, config.id));
    expect(model.timestep * config.frameSkip).toBeCloseTo(config.dtSeconds, 9);
    model.dispose();
  });
});
