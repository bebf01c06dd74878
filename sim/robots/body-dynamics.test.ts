/**
 * The MuJoCo body quantities computed from Rapier (cinert, cvel, cfrc_ext) against what they must be
 * in situations whose answer is known: a robot resting on the floor, and one moving rigidly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMjcf } from '../mjcf/index.ts';
import { BodyDynamics } from './body-dynamics.ts';
import { initPhysics, robotModelXml, type RobotFile } from './physics.ts';

const GRAVITY = 9.81;

beforeAll(() => initPhysics());

function load(file: RobotFile) {
  const xml = robotModelXml(file, file);
  const model = loadMjcf(xml);
  const bodies = new BodyDynamics(model, xml);
  const totalMass = model.bodies.reduce((sum, b) => sum + b.mass, 0);
  const zero = new Float64Array(model.nu);
  const step = (n: number) => {
    for (let i = 0; i < n; i++) model.step(zero);
    bodies.update();
    bodies.updateContacts();
  };
  return { model, bodies, totalMass, step };
}

/** Sum over bodies of each of the 6 wrench components. */
function netWrench(bodies: BodyDynamics): number[] {
  const net = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < bodies.contactWrench.length; i++) net[i % 6] += bodies.contactWrench[i];
  return net;
}

describe.each<RobotFile>(['ant.xml', 'humanoid.xml'])('%s', (file) => {
  it('carries its weight through the floor contacts when at rest (Ant) or lying (Humanoid)', () => {
    const { model, bodies, totalMass, step } = load(file);
    step(Math.round(4 / model.timestep)); // 4 s: settled
    const [tx, ty, tz, fx, fy, fz] = netWrench(bodies);
    expect(fz / (totalMass * GRAVITY)).toBeCloseTo(1, 1);
    expect(Math.hypot(fx, fy)).toBeLessThan(1e-6); // normal forces only: friction is not reported
    if (file === 'ant.xml') expect(Math.hypot(tx, ty, tz)).toBeLessThan(0.02 * totalMass * GRAVITY);
    model.dispose();
  });

  it('reads a rigid motion of the whole robot as the same cvel on every body', () => {
    const { model, bodies } = load(file);
    const qpos = model.qpos();
    // Root linear velocity (world) and angular velocity (root frame = world at the initial pose); joints still.
    const v = [0.3, -0.2, 0.5];
    const w = [0.4, -0.7, 0.25];
    const qvel = new Float64Array(model.nv);
    qvel.set([...v, ...w]);
    model.setState(qpos, qvel);
    bodies.update();
    const c = bodies.robotCom;
    const r = [c[0] - qpos[0], c[1] - qpos[1], c[2] - qpos[2]];
    const expected = [...w, v[0] + w[1] * r[2] - w[2] * r[1], v[1] + w[2] * r[0] - w[0] * r[2], v[2] + w[0] * r[1] - w[1] * r[0]];
    const cvel = new Float64Array(6 * (bodies.bodyCount - 1));
    bodies.writeCvel(cvel, 0);
    for (let b = 0; b < bodies.bodyCount - 1; b++) {
      // Rapier keeps velocities in 32-bit floats.
      cvel.subarray(6 * b, 6 * b + 6).forEach((x, k) => expect(x, `body ${b + 1} cvel[${k}]`).toBeCloseTo(expected[k], 5));
    }
    model.dispose();
  });

  it('gives cinert entries that add up to the robot: total mass, zero first moment about its COM', () => {
    const { model, bodies, totalMass, step } = load(file);
    step(10);
    const cinert = new Float64Array(10 * (bodies.bodyCount - 1));
    bodies.writeCinert(cinert, 0);
    let mass = 0;
    const moment = [0, 0, 0];
    for (let b = 0; b < bodies.bodyCount - 1; b++) {
      const c = cinert.subarray(10 * b, 10 * b + 10);
      expect(c[9]).toBeCloseTo(model.bodies[b + 1].mass, 12);
      expect(Math.min(c[0], c[1], c[2])).toBeGreaterThan(0);
      mass += c[9];
      for (let k = 0; k < 3; k++) moment[k] += c[6 + k];
    }
    expect(mass).toBeCloseTo(totalMass, 9);
    for (const m of moment) expect(Math.abs(m)).toBeLessThan(1e-9);
    model.dispose();
  });

  it("orients each body's inertia: a capsule turns most easily about its own axis", () => {
    const { model, bodies } = load(file);
    bodies.update(); // the initial pose: every body frame is aligned with the world
    const cinert = new Float64Array(10 * (bodies.bodyCount - 1));
    bodies.writeCinert(cinert, 0);
    let checked = 0;
    model.scene.bodies.forEach((body, b) => {
      if (b === 0 || body.geoms.length !== 1 || body.geoms[0].type !== 'capsule') return;
      const c = cinert.subarray(10 * (b - 1), 10 * b);
      const [m, dx, dy, dz] = [c[9], c[6] / c[9], c[7] / c[9], c[8] / c[9]];
      // Back to the body's centre of mass: subtract the parallel-axis term m (|d|^2 E - d d^T).
      const d2 = dx * dx + dy * dy + dz * dz;
      const I = [
        [c[0] - m * (d2 - dx * dx), c[3] + m * dx * dy, c[4] + m * dx * dz],
        [c[3] + m * dx * dy, c[1] - m * (d2 - dy * dy), c[5] + m * dy * dz],
        [c[4] + m * dx * dz, c[5] + m * dy * dz, c[2] - m * (d2 - dz * dz)],
      ];
      const [x, y, z, w] = body.geoms[0].quat; // the capsule's axis is its frame's z
      const u = [2 * (x * z + y * w), 2 * (y * z - x * w), 1 - 2 * (x * x + y * y)];
      const axial = u.reduce((sum, ui, r) => sum + ui * u.reduce((row, uj, s) => row + I[r][s] * uj, 0), 0);
      expect(axial, body.name).toBeCloseTo(Math.min(...model.bodies[b].inertia), 9);
      expect(I[0][0] + I[1][1] + I[2][2], body.name).toBeCloseTo(
        model.bodies[b].inertia.reduce((a, v) => a + v, 0),
        9,
      );
      checked++;
    });
    expect(checked).toBeGreaterThan(3);
    model.dispose();
  });
});
