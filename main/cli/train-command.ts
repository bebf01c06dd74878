/** `gaitlab train` / `gaitlab resume`: runs a Trainer in this process with a live progress bar. */
import type { RunHandle } from '../store/run-store.ts';
import { Trainer } from '../trainer/trainer.ts';
import { TrainingProgress } from './progress.ts';

export async function runTraining(run: RunHandle, options: { json: boolean }): Promise<void> {
  let progress: TrainingProgress | null = null;
  let trainer: Trainer;
  try {
    trainer = await Trainer.open(run, (message) => {
      if (message.type === 'metrics' && progress) {
        const row = message.row;
        progress.update({ step: row.step ?? 0, sps: row.sps ?? 0, returnMean: row.return_mean ?? null });
      }
    });
  } catch (error) {
    run.updateInfo({ status: 'failed', error: (error as Error).message });
    throw error;
  }
  const config = run.info.config;
  console.error(`run ${run.info.id} (${run.dir}) · ${config.algo} on ${config.env} · backend ${trainer.backendName}`);
  progress = new TrainingProgress(config.totalSteps, trainer.counters.step, config.env);

  // First Ctrl-C: finish the current update, checkpoint, exit cleanly. Second: exit now (the last
  // complete checkpoint stays valid because checkpoints are written atomically).
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      console.error('\nstopping after this update (Ctrl-C again to quit now)…');
      trainer.command({ type: 'stop' });
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  let status;
  try {
    status = await trainer.train();
  } catch (error) {
    run.updateInfo({ status: 'failed', error: (error as Error).message });
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    progress.stop();
    trainer.dispose();
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const totals: Record<string, number> = run.info.summary ?? {};
  const summary = { run: run.info.id, dir: run.dir, status, backend: trainer.backendName, peak_rss_mb: peakRssMb, ...totals };
  if (options.json) console.log(JSON.stringify(summary));
  else console.error(`${status}: ${totals.step} steps, return_mean ${totals.return_mean?.toFixed(1) ?? '-'}, ${totals.wall_s?.toFixed(1)} s → ${run.dir}`);
}
