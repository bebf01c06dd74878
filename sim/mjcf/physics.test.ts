import RAPIER, { World } from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { haveGymnasiumModels, readFixture, readGymnasiumModel as readModel } from '../fixtures/reference.test-support.ts';
import { loadMjcf, type MjcfModel } from './index.ts';

const MODELS = haveGymnasiumModels("the physics tests on Gymnasium's models");
const facts = readFixture<{ models: Record<string, { body1_z_after_1s_passive: number }> }>('mujoco_facts.json').models;

beforeAll(async () => {
  await RAPIER.init();
});

/** Deterministic uniform numbers in [0, 1) (LCG). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomCtrl(model: MjcfModel, next: () => number, out: Float64Array): Float64Array {
  model.actuators.forEach((a, i) => {
    const [lo, hi] = a.ctrlRange ?? [-1, 1];
    out[i] = lo + (hi - lo) * next();
  });
  return out;
}

/** Lowest point of the model's spheres and capsules (MuJoCo capsules run along their z axis). */
function lowestGeomZ(model: MjcfModel): number {
  const frame = model.frame();
  let lowest = Infinity;
  model.scene.bodies.forEach((body, b) => {
    if (b === 0) return;
    const [x, y, z, w] = [frame[7 * b + 3], frame[7 * b + 4], frame[7 * b + 5], frame[7 * b + 6]];
    // z row of the body's rotation matrix, to get world heights of body-frame points
    const row = [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)];
    const height = (p: number[]) => frame[7 * b + 2] + row[0] * p[0] + row[1] * p[1] + row[2] * p[2];
    for (const g of body.geoms) {
      const [gx, gy, gz, gw] = g.quat;
      const axis = [2 * (gx * gz + gw * gy), 2 * (gy * gz - gw * gx), 1 - 2 * (gx * gx + gy * gy)]; // geom z in the body frame
      const half = g.type === 'capsule' ? g.size[1] : 0;
      for (const s of [-1, 1]) lowest = Math.min(lowest, height(g.pos.map((c, k) => c + s * half * axis[k])) - g.size[0]);
    }
  });
  return lowest;
}

describe.skipIf(!MODELS).each(['hopper.xml', 'half_cheetah.xml'])('%s under random controls', (file) => {
  it('runs 1,000 steps with finite state, above the floor, within joint limits', () => {
    const model = loadMjcf(readModel(file));
    const next = rng(42);
    const ctrl = new Float64Array(model.nu);
    let lowest = Infinity;
    let worstLimit = 0;
    for (let i = 0; i < 1000; i++) {
      model.step(randomCtrl(model, next, ctrl));
      const qpos = model.qpos();
      const qvel = model.qvel();
      expect([...qpos, ...qvel].every(Number.isFinite), `step ${i}`).toBe(true);
      lowest = Math.min(lowest, lowestGeomZ(model));
      for (const j of model.joints) {
        if (j.range) worstLimit = Math.max(worstLimit, j.range[0] - qpos[j.qposIndex], qpos[j.qposIndex] - j.range[1]);
      }
    }
    expect(lowest).toBeGreaterThan(-0.02); // contact penetration stays under 2 cm
    expect(worstLimit).toBeLessThan(0.1);
    model.dispose();
  });
});

// The hopper and walker balance on one point when passive, so where they end up after 1 s hangs on
// tiny differences; the cheetah and the humanoid settle the same way whatever the solver does.
it.skipIf(!MODELS).each(['half_cheetah.xml', 'humanoid.xml'])('%s falls passively like MuJoCo (root height after 1 s within 5 cm)', (file) => {
  const model = loadMjcf(readModel(file));
  const zero = new Float64Array(model.nu);
  for (let i = 0; i < Math.round(1 / model.timestep); i++) model.step(zero);
  expect(Math.abs(model.frame()[7 + 2] - facts[file].body1_z_after_1s_passive)).toBeLessThan(0.05);
  model.dispose();
});

describe('motors', () => {
  // A 10 kg ball (I = 2/5 m r^2 = 0.04) on a hinge through its centre, no gravity: the hinge
  // accelerates at gear x clip(ctrl) / (I + armature). Armature is exact when it or the body
  // dominates the joint's inertia (drives.ts explains the middle ground).
  const wheel = (armature: number) =>
    `<mujoco><option gravity="0 0 0" timestep="0.01"/><worldbody><body><joint name="j" axis="0 0 1" armature="${armature}"/>` +
    '<geom type="sphere" size="0.1" mass="10" contype="0"/></body></worldbody>' +
    '<actuator><motor joint="j" gear="2" ctrlrange="-1 1"/></actuator></mujoco>';

  it.each([0, 0.0004, 4])('torque = gear x clipped control; armature %s adds joint inertia', (armature) => {
    const model = loadMjcf(wheel(armature));
    for (let i = 0; i < 50; i++) model.step([5]); // clipped to 1: 2 N m for 0.5 s
    const expected = (2 * 0.5) / (0.04 + armature);
    expect(Math.abs(model.qvel()[0] / expected - 1)).toBeLessThan(0.02);
    model.dispose();
  });
});

describe('solver options', () => {
  // A heavy arm on a free hinge, and a light forearm whose elbow (range 0..0.5 rad) a strong motor
  // drives into its upper limit: the elbow is a one-dof joint between links, which limitSolver watches.
  const arm =
    '<mujoco><compiler angle="radian"/><option gravity="0 0 0" timestep="0.01"/><worldbody><body><joint name="shoulder" axis="0 0 1"/>' +
    '<geom type="capsule" fromto="0 0 0 0.5 0 0" size="0.05" mass="5" contype="0"/>' +
    '<body pos="0.5 0 0"><joint name="elbow" axis="0 0 1" range="0 0.5" limited="true"/>' +
    '<geom type="capsule" fromto="0 0 0 0.3 0 0" size="0.02" mass="0.05" contype="0"/></body></body></worldbody>' +
    '<actuator><motor joint="elbow" gear="50" ctrlrange="-1 1"/></actuator></mujoco>';

  it('takes the timestep from the options over the file, and refuses a non-positive one', () => {
    const model = loadMjcf(arm, { timestep: 0.02 });
    expect(model.timestep).toBe(0.02);
    model.dispose();
    expect(() => loadMjcf(arm, { timestep: 0 })).toThrow(/timestep must be a positive number of seconds, got 0/);
  });

  it('uses limitSolver for exactly the steps that start with the elbow at its limit', () => {
    const model = loadMjcf(arm, { solverIterations: 2, pgsIterations: 1, limitSolver: { solverIterations: 6, pgsIterations: 3 } });
    const used = { normal: 0, limit: 0 };
    for (let t = 0; t < 60; t++) {
      const elbow = model.qpos()[1];
      model.step([t < 30 ? 1 : -1]);
      const atLimit = elbow <= 0 || elbow >= 0.5;
      expect([model.world.numSolverIterations, model.world.numInternalPgsIterations], `step ${t}, elbow ${elbow}`).toEqual(atLimit ? [6, 3] : [2, 1]);
      used[atLimit ? 'limit' : 'normal']++;
    }
    expect(used.normal).toBeGreaterThan(0);
    expect(used.limit).toBeGreaterThan(0);
    model.dispose();
  });
});

describe.skipIf(!MODELS)('determinism and reset', () => {
  function trajectory(model: MjcfModel, steps: number): number[] {
    const next = rng(7);
    const ctrl = new Float64Array(model.nu);
    const out: number[] = [];
    for (let i = 0; i < steps; i++) {
      model.step(randomCtrl(model, next, ctrl));
      out.push(...model.qpos(), ...model.qvel());
    }
    return out;
  }

  it('repeats a trajectory exactly: same inputs, same states', () => {
    const [a, b] = [loadMjcf(readModel('half_cheetah.xml')), loadMjcf(readModel('half_cheetah.xml'))];
    expect(trajectory(a, 300)).toEqual(trajectory(b, 300));
    a.dispose();
    b.dispose();
  });

  it('reset() restores the initial state, and the replay is identical', () => {
    const model = loadMjcf(readModel('hopper.xml'));
    const q0 = model.qpos();
    const first = trajectory(model, 200);
    model.reset();
    expect(model.qpos()).toEqual(q0);
    expect(Array.from(model.qvel()).every((v) => v === 0)).toBe(true);
    expect(trajectory(model, 200)).toEqual(first);
    model.dispose();
  });

  it('reset() restores the snapshot taken at load, once, whatever ran before (its time: bench:sim)', () => {
    const model = loadMjcf(readModel('hopper.xml'));
    const ctrl = new Float64Array(model.nu).fill(0.5);
    const restore = vi.spyOn(World, 'restoreSnapshot');
    for (let i = 0; i < 5; i++) {
      for (let k = 0; k < 20 * (i + 1); k++) model.step(ctrl);
      model.reset();
    }
    expect(restore).toHaveBeenCalledTimes(5);
    expect(new Set(restore.mock.calls.map(([snapshot]) => snapshot)).size).toBe(1);
    restore.mockRestore();
    model.dispose();
  });
});

describe.skipIf(!MODELS)('setState', () => {
  it.each(['hopper.xml', 'ant.xml', 'humanoid.xml', 'pusher_v5.xml'])('%s: qpos/qvel read back what was set', (file) => {
    const model = loadMjcf(readModel(file));
    const next = rng(3);
    const qpos = model.qpos().map((v) => v + 0.1 * (next() - 0.5));
    const qvel = model.qvel().map(() => next() - 0.5);
    const free = model.joints.find((j) => j.type === 'free');
    if (free) {
      const q = qpos.subarray(free.qposIndex + 3, free.qposIndex + 7);
      const n = Math.hypot(...q);
      q.forEach((v, k) => (q[k] = v / n));
    }
    model.setState(qpos, qvel);
    Array.from(model.qpos()).forEach((v, k) => expect(v).toBeCloseTo(qpos[k], 6));
    Array.from(model.qvel()).forEach((v, k) => expect(v).toBeCloseTo(qvel[k], 6));
    model.dispose();
  });

  it('keeps multi-turn hinge angles continuous (no wrap to +-pi)', () => {
    const model = loadMjcf(readModel('reacher.xml'));
    const qpos = model.qpos();
    qpos[0] = 7; // more than a full turn
    model.setState(qpos, new Float64Array(model.nv));
    model.step(new Float64Array(model.nu));
    expect(model.qpos()[0]).toBeCloseTo(7, 2);
    model.dispose();
  });
});

describe.skipIf(!MODELS)('frame', () => {
  it('gives the world frame pose of every body, root first', () => {
    const model = loadMjcf(readModel('hopper.xml'));
    const frame = model.frame();
    expect(frame).toHaveLength(7 * model.bodies.length);
    expect(Array.from(frame.slice(0, 7))).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(frame[7 + 2]).toBeCloseTo(1.25, 6); // torso
    expect(frame[7 * 4 + 0]).toBeCloseTo(0.13, 6); // foot body origin
    model.dispose();
  });
});
