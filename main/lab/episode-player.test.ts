/**
 * Play: the Lab's episode player (a real background process) streams a finished run's checkpoint
 * as an evaluation episode in chunks, the first after a few steps; the chunks make up exactly the
 * episode `gaitlab eval` plays, and a checkpoint that is not on disk is refused with the ones kept.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../store/run-store.ts';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import { Trainer } from '../trainer/trainer.ts';
import type { EpisodeChunk, LabEvent } from './api.ts';
import { PLAY_SEED } from './episode-player.ts';
import { fakeLauncher } from './fake-trainer.test-support.ts';
import { Lab } from './lab.ts';
import { newRunConfig } from './new-run.ts';
import { labVersions } from './versions.ts';

const tempDir = useTempDir();

const smallRun = {
  env: 'Pendulum-v1',
  algo: 'ppo',
  seed: 5,
  totalSteps: 256 * 4,
  hparams: { num_envs: 1, num_steps: 256, num_minibatches: 4, update_epochs: 1 },
};

/** The chunks of play `playId` until its last one. */
function episodeOf(lab: Lab, playId: number): Promise<EpisodeChunk[]> {
  return new Promise((resolve, reject) => {
    const chunks: EpisodeChunk[] = [];
    const timer = setTimeout(() => reject(new Error('timed out waiting for the episode')), 120_000);
    const unsubscribe = lab.subscribe((event: LabEvent) => {
      if (event.type === 'episode-failed' && event.playId === playId) reject(new Error(event.error));
      if (event.type !== 'episode' || event.chunk.playId !== playId) return;
      chunks.push(event.chunk);
      if (!event.chunk.done) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(chunks);
    });
  });
}

describe('Lab.playCheckpoint', () => {
  it('streams the latest checkpoint of a finished run as its evaluation episode, in chunks', async () => {
    const runsDir = path.join(tempDir(), 'runs');
    const run = new RunStore(runsDir).createRun(newRunConfig(smallRun), { versions: labVersions() });
    const trainer = await Trainer.open(run);
    expect(await trainer.train()).toBe('finished');
    const expected = trainer.recordEvaluation(1, PLAY_SEED).trajectories[0];
    trainer.dispose();

    const lab = new Lab({ runsDir, launcher: fakeLauncher().launcher });
    try {
      expect(lab.getRun(run.info.id).checkpoints).toEqual([1024]);
      const start = lab.playCheckpoint(run.info.id, null);
      expect(start.checkpoint).toBe(1024);
      const chunks = await episodeOf(lab, start.playId);
      expect(chunks.length).toBeGreaterThan(2);
      expect(chunks[0].rewards.length).toBeLessThan(20);
      expect(chunks.map((c) => c.done)).toEqual([...chunks.slice(1).map(() => false), true]);
      expect(chunks[0]).toMatchObject({ envId: 'Pendulum-v1', numBodies: expected.numBodies, step: 1024, update: 4 });
      expect(chunks.flatMap((c) => c.rewards)).toEqual(expected.rewards);
      expect(chunks.flatMap((c) => c.frames)).toEqual(expected.frames);

      expect(() => lab.playCheckpoint(run.info.id, 512)).toThrow(/no checkpoint at step 512 \(kept: 1024\)/);
    } finally {
      await lab.close();
    }
  }, 180_000);
});
