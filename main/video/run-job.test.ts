import { describe, expect, it } from 'vitest';
import { runConfigSchema } from '../config/run-config.ts';
import { RunStore } from '../store/run-store.ts';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import { montageCheckpoints } from './run-job.ts';

const tempDir = useTempDir();

describe('the checkpoints of a montage', () => {
  it('span early to late training of a long run, though the store keeps only the latest five and the milestones', () => {
    const run = new RunStore(tempDir()).createRun(runConfigSchema.parse({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 1_000_000, hparams: {} }), {
      versions: { gaitlab: 'test', node: process.version },
    });
    // A million steps checkpointed every 20k, as the trainer writes them.
    for (let step = 20_480; step <= 1_000_000; step += 20_480) run.writeCheckpoint(step, { state: { step }, arrays: { w: new Float32Array([step]) } });
    const kept = run.listCheckpoints();
    expect(kept).toEqual([20_480, 40_960, 81_920, 143_360, 266_240, 532_480, 901_120, 921_600, 942_080, 962_560, 983_040]);
    // Doubling steps from the first checkpoint to the last.
    expect(montageCheckpoints(kept)).toEqual([20_480, 40_960, 81_920, 266_240, 532_480, 983_040]);
  });

  it('are all of them when they fit', () => {
    expect(montageCheckpoints([1024, 2048, 3072])).toEqual([1024, 2048, 3072]);
  });
});
