/** `gaitlab eval`: deterministic episodes of a checkpoint, normalization frozen as trained. */
import type { RunHandle } from '../store/run-store.ts';
import { Trainer } from '../trainer/trainer.ts';

export async function runEvaluation(run: RunHandle, options: { checkpoint?: number; episodes: number; seed: number; json?: boolean }): Promise<void> {
  if (run.listCheckpoints().length === 0) throw new Error(`run ${run.info.id} has no complete checkpoint to evaluate yet`);
  const trainer = await Trainer.open(run, () => {}, { checkpoint: options.checkpoint });
  try {
    const result = trainer.evaluate(options.episodes, options.seed);
    const summary = { run: run.info.id, checkpoint: trainer.counters.step, env: run.info.config.env, episodes: options.episodes, ...result };
    if (options.json) console.log(JSON.stringify(summary));
    else {
      const velocities = result.forwardVelocities;
      const speed = velocities ? `, forward velocity ${(velocities.reduce((a, v) => a + v, 0) / velocities.length).toFixed(2)} m/s` : '';
      console.log(
        `${run.info.id} @ step ${trainer.counters.step}: return ${result.returnMean.toFixed(2)} ± ${result.returnStd.toFixed(2)} over ${options.episodes} episodes${speed}`,
      );
    }
  } finally {
    trainer.dispose();
  }
}
