import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scene } from '../../sim/core/scene.ts';
import { listTrajectories, readTrajectory, trajectoryName, writeTrajectory, type SavedTrajectory } from './trajectory-file.ts';
import { useTempDir } from './temp-dir.test-support.ts';

const tempDir = useTempDir();

const scene: Scene = {
  id: 'two-bodies',
  up: 'z',
  bodies: [
    { name: 'torso', parent: -1, geoms: [{ type: 'capsule', size: [0.05, 0.2], pos: [0, 0, 0], quat: [0, 0, 0, 1], rgba: [0.8, 0.6, 0.4, 1] }] },
    { name: 'leg', parent: 0, geoms: [{ type: 'box', size: [0.1, 0.1, 0.3], pos: [0, 0, -0.3], quat: [0, 0, 0, 1], rgba: [0.5, 0.5, 0.5, 1] }] },
  ],
};

function episode(overrides: Partial<SavedTrajectory> = {}): SavedTrajectory {
  const steps = 3;
  return {
    envId: 'Test-v0',
    scene,
    dtSeconds: 0.05,
    numBodies: 2,
    // Values a float32 holds exactly, so they read back equal.
    frames: Array.from({ length: steps * 2 * 7 }, (_, i) => i * 0.25 - 3),
    rewards: [-1.5, 0.1, 2 / 3],
    update: 4,
    step: 2048,
    episodeReturn: -1.5 + 0.1 + 2 / 3,
    deterministic: true,
    checkpoint: 2048,
    seed: 10_000,
    episode: null,
    createdAt: '2026-11-25T10:00:00.000Z',
    ...overrides,
  };
}

describe('trajectory files', () => {
  it('read back exactly what was written, rewards in float64', () => {
    const name = writeTrajectory(tempDir(), episode());
    expect(name).toBe('eval-step0000002048-seed10000');
    expect(readTrajectory(tempDir(), name)).toEqual(episode());
    expect(fs.readdirSync(tempDir())).toEqual([`${name}.traj`]);
  });

  it('are compact: a header, then 8 bytes per reward and 4 per pose float', () => {
    const name = writeTrajectory(tempDir(), episode());
    const bytes = fs.readFileSync(path.join(tempDir(), `${name}.traj`));
    const headerEnd = 12 + bytes.readUInt32LE(8);
    expect(headerEnd % 8).toBe(0);
    expect(bytes.length - headerEnd).toBe(3 * 8 + 3 * 2 * 7 * 4);
  });

  it('are listed by training step with their headers, never their poses', () => {
    writeTrajectory(tempDir(), episode({ step: 9000 }));
    writeTrajectory(tempDir(), episode({ step: 100, deterministic: false, checkpoint: null, seed: null, episode: 8 }));
    const listed = listTrajectories(tempDir());
    expect(listed.map((t) => t.name)).toEqual(['train-step0000000100-ep8', 'eval-step0000009000-seed10000']);
    expect(listed[1]).toMatchObject({ envId: 'Test-v0', steps: 3, step: 9000, checkpoint: 2048, seed: 10_000 });
    expect(listed[1]).not.toHaveProperty('frames');
    expect(listed[1]).not.toHaveProperty('scene');
  });

  it('refuse names that are paths, and poses that do not match the scene', () => {
    expect(() => readTrajectory(tempDir(), '../run')).toThrow(/not a trajectory name/);
    expect(() => writeTrajectory(tempDir(), episode({ frames: [1, 2, 3] }))).toThrow(/do not make 3 frames of 2 bodies/);
    expect(fs.readdirSync(tempDir())).toEqual([]);
  });

  it('name a missing episode and what is there, and a damaged file by its path', () => {
    const name = writeTrajectory(tempDir(), episode());
    expect(() => readTrajectory(tempDir(), 'eval-step1')).toThrow(`stored ones: ${name}`);
    const file = path.join(tempDir(), `${name}.traj`);
    fs.truncateSync(file, fs.statSync(file).size - 4);
    expect(() => readTrajectory(tempDir(), name)).toThrow(`${file}: `);
  });

  it('names episodes so they sort by step', () => {
    expect(trajectoryName({ deterministic: false, step: 12, seed: null, episode: 27 })).toBe('train-step0000000012-ep27');
  });
});
