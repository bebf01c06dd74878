/**
 * `gaitlab train` / `gaitlab resume`: runs a Trainer in this process with a live progress bar, and
 * records the videos the run's schedule asks for (see training-videos.ts).
 */
import { describeSchedule } from '../lab/video-schedule.ts';
import type { RunHandle } from '../store/run-store.ts';
import { onStopSignals } from '../trainer/stop-signals.ts';
import { Trainer } from '../trainer/trainer.ts';
import { TrainingProgress } from './progress.ts';
import { scheduleToFollow, TrainingVideos } from './training-videos.ts';

export async function runTraining(run: RunHandle, options: { json: boolean }): Promise<void> {
  const schedule = scheduleToFollow(run);
  let progress: TrainingProgress | null = null;
  let videos: TrainingVideos | null = null;
  let trainer: Trainer;
  try {
    trainer = await Trainer.open(
      run,
      (message) => {
        if (message.type === 'metrics' && progress) {
          const row = message.row;
          progress.update({ step: row.step ?? 0, sps: row.sps ?? 0, returnMean: row.return_mean ?? null });
        }
        if (message.type === 'checkpoint') videos?.checkpoint(message.step, message.update);
      },
      // Gymnasium's capped-cubic schedule films training episodes: the trainer stores them.
      { recordEpisodes: schedule?.kind === 'capped-cubic' },
    );
  } catch (error) {
    run.updateInfo({ status: 'failed', error: (error as Error).message });
    throw error;
  }
  const config = run.info.config;
  console.error(`run ${run.info.id} (${run.dir}) · ${config.algo} on ${config.env} · backend ${trainer.backendName}`);
  if (schedule) {
    videos = new TrainingVideos(run, schedule, trainer.counters.update);
    console.error(`videos: ${describeSchedule(schedule)}, into ${run.videosDir}`);
  }
  progress = new TrainingProgress(config.totalSteps, trainer.counters.step, config.env);

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
  const summary = { run: run.info.id, dir: run.dir, status, backend: trainer.backendName, peak_rss_mb: peakRssMb, ...totals, ...(videos && { videos: videos.written }) };
  if (options.json) console.log(JSON.stringify(summary));
  else {
    console.error(`${status}: ${totals.step} steps, return_mean ${totals.return_mean?.toFixed(1) ?? '-'}, ${totals.wall_s?.toFixed(1)} s → ${run.dir}`);
    if (videos) console.error(`${videos.written.length} video${videos.written.length === 1 ? '' : 's'} in ${run.videosDir}`);
  }
}
