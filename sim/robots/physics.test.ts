/**
 * Physics checks of every robot: determinism, long random rollouts (finite, above the floor,
 * within joint limits), rest on the floor against MuJoCo's passive reference, and reset cost.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.ts';
import { FRAME_STRIDE, type Scene } from '../core/scene.ts';
import { loadMjcf, type MjcfJoint } from '../mjcf/index.ts';
import { ROBOT_ENVS } from './index.ts';
import type { MujocoEnv, RobotEnvConfig } from './mujoco-env.ts';
import { initPhysics, robotModelXml } from './physics.ts';

const RANDOM_STEPS = 10_000;
/** Episodes of the long rollout last this long whatever happens (fallen robots keep flailing). */
const EPISODE = 1000;
/** How far a hinge may pass its limit (rad; slides: m). Rapier's limits are stiff but not rigid. */
const LIMIT_TOLERANCE = 0.1;
/** How deep any geom may sink into the floor (m). */
const FLOOR_TOLERANCE = 0.03;

const facts = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), '../shared/reference/mjcf/mujoco_facts.json'), 'utf8')) as {
  models: Record<string, { body1_z_initial: number; body1_z_after_1s_passive: number }>;
};
const FACTS_FILE: Record<string, string> = { 'walker2d.xml': 'walker2d_v5.xml', 'pusher.xml': 'pusher_v5.xml' };

/** Torso height band under zero action from the initial pose, and the tolerance against MuJoCo at 1 s. */
const REST: Record<string, { band: [number, number]; tolerance: number }> = {
  'Hopper-v0': { band: [0.9, 1.3], tolerance: 0.1 },
  'Walker2d-v0': { band: [0.7, 1.3], tolerance: 0.15 },
  'HalfCheetah-v0': { band: [0.3, 0.75], tolerance: 0.1 },
  'Ant-v0': { band: [0.25, 0.8], tolerance: 0.1 },
  // MuJoCo's humanoid falls over within the second; the band only asks that it stays on the floor.
  'Humanoid-v0': { band: [0.05, 1.45], tolerance: 0.25 },
  'Reacher-v0': { band: [0.005, 0.015], tolerance: 0.001 },
  'Pusher-v0': { band: [-0.001, 0.001], tolerance: 0.001 },
  'InvertedPendulum-v0': { band: [-0.001, 0.001], tolerance: 0.001 },
};

beforeAll(() => initPhysics());

function randomActions(config: RobotEnvConfig, seed: number): () => Float64Array {
  const rng = Rng.fromSeed(seed);
  const action = new Float64Array(config.actionSize);
  return () => {
    for (let i = 0; i < action.length; i++) action[i] = rng.uniformRange(config.actionRange[0], config.actionRange[1]);
    return action;
  };
}

function rollout(env: MujocoEnv, config: RobotEnvConfig, steps: number): number[] {
  const act = randomActions(config, 3);
  const trace: number[] = [];
  for (let t = 0; t < steps; t++) {
    const r = env.step(act());
    trace.push(r.reward, ...r.obs);
  }
  return trace;
}

/** Lowest point of every sphere or capsule of the robot (bodies 1..), from a frame. */
function lowestPoint(scene: Scene, frame: Float32Array): number {
  let lowest = Infinity;
  scene.bodies.forEach((body, b) => {
    if (b === 0) return;
    const o = FRAME_STRIDE * b;
    const [qx, qy, qz, qw] = [frame[o + 3], frame[o + 4], frame[o + 5], frame[o + 6]];
    // z row of the body's rotation matrix
    const row = [2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy)];
    const zOf = (p: readonly number[]) => frame[o + 2] + row[0] * p[0] + row[1] * p[1] + row[2] * p[2];
    for (const g of body.geoms) {
      if (g.type !== 'sphere' && g.type !== 'capsule') continue;
      const center = zOf(g.pos);
      let reach = 0;
      if (g.type === 'capsule') {
        // the geom's z axis in the body frame, then its world z component
        const [x, y, z, w] = g.quat;
        const axis = [2 * (x * z + y * w), 2 * (y * z - x * w), 1 - 2 * (x * x + y * y)];
        reach = Math.abs(row[0] * axis[0] + row[1] * axis[1] + row[2] * axis[2]) * g.size[1];
      }
      lowest = Math.min(lowest, center - reach - g.size[0]);
    }
  });
  return lowest;
}

const hasFloor = (scene: Scene) => scene.bodies[0].geoms.some((g) => g.type === 'plane' && g.pos[2] === 0);

describe.each(ROBOT_ENVS)('$config.id', ({ config, create }) => {
  it('repeats an episode bit for bit from the same seed, whatever ran before', () => {
    const fresh = create();
    fresh.reset({ seed: 7 });
    const first = rollout(fresh, config, 100);
    const used = create();
    used.reset({ seed: 1 });
    rollout(used, config, 150);
    used.reset({ seed: 7 });
    expect(rollout(used, config, 100)).toEqual(first);
    used.reset({ seed: 8 });
    expect(rollout(used, config, 100)).not.toEqual(first);
    fresh.close();
    used.close();
  });

  it(`stays finite, above the floor and within its joint limits over ${RANDOM_STEPS} random steps; resets in < 1 ms`, () => {
    const env = create();
    const joints = loadMjcf(robotModelXml(config.modelFile, config.id)).joints.filter((j): j is MjcfJoint & { range: [number, number] } => j.range !== null && j.type !== 'free');
    const floor = hasFloor(env.scene);
    const frame = new Float32Array(FRAME_STRIDE * env.scene.bodies.length);
    const act = randomActions(config, 11);
    const resetMs: number[] = [];
    let lowest = Infinity;
    let worstLimit = { excess: 0, joint: '' };
    env.reset({ seed: 2 });
    for (let t = 1; t <= RANDOM_STEPS; t++) {
      const r = env.step(act());
      if (!r.obs.every(Number.isFinite) || !Number.isFinite(r.reward)) throw new Error(`step ${t}: non-finite observation or reward`);
      const { qpos } = env.saveState() as { qpos: number[] };
      for (const j of joints) {
        const q = qpos[j.qposIndex];
        const excess = Math.max(j.range[0] - q, q - j.range[1]);
        if (excess > worstLimit.excess) worstLimit = { excess, joint: `${j.name} = ${q.toFixed(3)} at step ${t}` };
      }
      if (floor) lowest = Math.min(lowest, lowestPoint(env.scene, env.frame(frame)));
      if (t % EPISODE === 0) {
        const start = performance.now();
        env.reset();
        resetMs.push(performance.now() - start);
      }
    }
    expect(worstLimit.excess, worstLimit.joint).toBeLessThan(LIMIT_TOLERANCE);
    if (floor) expect(lowest).toBeGreaterThan(-FLOOR_TOLERANCE);
    const meanResetMs = resetMs.reduce((a, b) => a + b, 0) / resetMs.length;
    expect(meanResetMs).toBeLessThan(1);
    env.close();
  });

  it('rests on the floor under zero action, at MuJoCo\'s height after 1 s', () => {
    const env = create();
    const model = loadMjcf(robotModelXml(config.modelFile, config.id));
    const initial = [...model.qpos(), ...model.qvel()];
    model.dispose();
    const { band, tolerance } = REST[config.id];
    const reference = facts.models[FACTS_FILE[config.modelFile] ?? config.modelFile];
    const frame = new Float32Array(FRAME_STRIDE * env.scene.bodies.length);
    const torsoZ = () => env.frame(frame)[FRAME_STRIDE + 2];
    env.reset({ state: initial });
    expect(torsoZ()).toBeCloseTo(reference.body1_z_initial, 5);
    const zero = new Float64Array(config.actionSize);
    const oneSecond = Math.round(1 / config.dtSeconds);
    for (let t = 1; t <= Math.max(100, oneSecond); t++) {
      env.step(zero);
      const z = torsoZ();
      if (!(z >= band[0] && z <= band[1])) throw new Error(`step ${t}: torso z ${z} outside [${band}]`);
      if (t === oneSecond) expect(Math.abs(z - reference.body1_z_after_1s_passive), `z ${z} at 1 s`).toBeLessThan(tolerance);
    }
    env.close();
  });
});
