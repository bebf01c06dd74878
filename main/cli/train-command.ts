/**
 * `gaitlab train` / `gaitlab resume`: runs a Trainer in this process with a live progress bar, and
 * records the videos the run's schedule asks for (see training-videos.ts).
 */
import { getAlgorithm } from '../algos/index.ts';
import { budgetNote, planBudget, stepsPerUpdate } from '../config/update-budget.ts';
import { describeSchedule } from '../config/video-schedule.ts';
import type { RunHandle } from '../store/run-store.ts';
import { onStopSignals } from '../trainer/stop-signals.ts';
import { Trainer } from '../trainer/trainer.ts';
import { TrainingProgress } from './progress.ts';
import { scheduleToFollow, TrainingVideos } from './training-videos.ts';

export interface TrainingOptions {
  json: boolean;
  /** Resume from this checkpoint instead of the newest intact one. */
  checkpoint?: number;
  /** Raise the run's budget to this many env steps (`resume --steps`). */
  totalSteps?: number;
}

/**
 * Trains `run` holding its lock from start to end. A command refused before training starts (the
 * run is locked, or the checkpoint asked for cannot be loaded) changes nothing in the run.
 */
export async function runTraining(run: RunHandle, options: TrainingOptions): Promise<void> {
  run.lockForWriting();
  try {
    await trainLocked(run, options);
  } finally {
    run.unlock();
  }
}

async function trainLocked(run: RunHandle, options: TrainingOptions): Promise<void> {
  const schedule = scheduleToFollow(run);
  let progress: TrainingProgress | null = null;
  let videos: TrainingVideos | null = null;
  const trainer = await Trainer.open(
    run,
    (message) => {
      if (message.type === 'metrics' && progress) {
        const row = message.row;
        progress.update({ step: row.step ?? 0, sps: row.sps ?? 0, returnMean: row.return_mean ?? null });
      }
      if (message.type === 'checkpoint') videos?.checkpoint(message.step, message.update);
    },
    // Gymnasium's capped-cubic schedule films training episodes: the trainer stores them.
    { recordEpisodes: schedule?.kind === 'capped-cubic', checkpoint: options.checkpoint },
  );
  if (options.totalSteps !== undefined) run.updateInfo({ config: { ...run.info.config, totalSteps: options.totalSteps } });
  const config = run.info.config;
  const from = trainer.counters.step > 0 ? ` · from checkpoint ${trainer.counters.step}` : '';
  console.error(`run ${run.info.id} (${run.dir}) · ${config.algo} on ${config.env} · backend ${trainer.backendName}${from}`);
  const budget = planBudget(config.totalSteps, stepsPerUpdate(getAlgorithm(config.algo), config.hparams));
  const note = budgetNote(budget);
  if (note) console.error(`budget: ${note}`);
  if (schedule) {
    videos = new TrainingVideos(run, schedule, trainer.counters.update);
    console.error(`videos: ${describeSchedule(schedule)}, into ${run.videosDir}`);
  }
  progress = new TrainingProgress(budget.steps, trainer.counters.step, config.env);

  // First Ctrl-C, SIGTERM or SIGHUP: finish the current update, checkpoint, stop recording videos,
  // exit cleanly. A second: exit now (see stop-signals.ts; a video appears whole or not at all).
  const removeSignalHandler = onStopSignals((signal) => {
    console.error(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after this update (again to quit now)…`);
    trainer.stop(`received ${signal}`);
    videos?.close();
  });
  let status;
  try {
    try {
      status = await trainer.train();
    } catch (error) {
      videos?.close();
      run.updateInfo({ status: 'failed', error: (error as Error).message });
      throw error;
    } finally {
      progress.stop();
      trainer.dispose();
    }
    await videos?.finish((count) => console.error(`recording ${count} more scheduled video${count > 1 ? 's' : ''}…`));
  } finally {
    removeSignalHandler();
  }
  for (const problem of videos?.problems ?? []) console.error(`gaitlab: ${problem}`);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const totals: Record<string, number> = run.info.summary ?? {};
  const summary = {
    run: run.info.id,
    dir: run.dir,
    status,
    backend: trainer.backendName,
    peak_rss_mb: peakRssMb,
    ...totals,
    ...(videos && { videos: videos.written }),
  };
  if (options.json) console.log(JSON.stringify(summary));
  else {
    console.error(`${status}: ${totals.step} steps, return_mean ${totals.return_mean?.toFixed(1) ?? '-'}, ${totals.wall_s?.toFixed(1)} s → ${run.dir}`);
    if (videos) console.error(`${videos.written.length} video${videos.written.length === 1 ? '' : 's'} in ${run.videosDir}`);
  }
}
