/**
 * `gaitlab record`: a video of a run (see main/video/run-job.ts for what it shows), drawn and
 * encoded in a headless browser, with a progress bar over the frames. Nothing in the run changes
 * except the new file in its videos/ folder (or wherever --out says).
 */
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { RunHandle } from '../store/run-store.ts';
import { jobFrameCount, type Container } from '../video/record-job.ts';
import { recordRequestSchema } from '../config/record-request.ts';
import { recordVideo } from '../video/record-video.ts';
import { buildRunJob } from '../video/run-job.ts';

export interface RecordFlags {
  checkpoint?: number;
  trajectory?: string;
  episodes: number;
  montage?: boolean;
  seed: number;
  out?: string;
  width: number;
  height: number;
  fps?: number;
  camera: string;
  json?: boolean;
}

export async function runRecord(run: RunHandle, flags: RecordFlags): Promise<void> {
  const parsed = recordRequestSchema.safeParse({
    checkpoint: flags.checkpoint,
    trajectory: flags.trajectory,
    episodes: flags.episodes,
    montage: Boolean(flags.montage),
    seed: flags.seed,
    width: flags.width,
    height: flags.height,
    fps: flags.fps ?? null,
    camera: flags.camera,
    container: containerOf(flags.out),
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.length ? `--${i.path.join('.')}: ` : ''}${i.message}`).join('; '));
  const { job, name } = await buildRunJob(run, parsed.data);
  const out = flags.out ?? path.join(run.videosDir, `${name}.${job.container}`);

  const bar = new cliProgress.SingleBar(
    {
      format: 'record {bar} {percentage}% | {value}/{total} frames | ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  // Started with the first frame: a failure before (no browser, an unwritable file) shows no empty bar.
  let started = false;
  let video;
  try {
    video = await recordVideo(job, out, {
      onProgress: (done) => {
        if (!started) bar.start(jobFrameCount(job), 0);
        started = true;
        bar.update(done);
      },
    });
  } finally {
    if (started) bar.stop();
  }
  if (video.fallback) console.error(`gaitlab: ${video.fallback}`);
  if (flags.json) console.log(JSON.stringify({ run: run.info.id, ...video }));
  else
    console.error(
      `wrote ${video.file}: ${video.container}/${video.codec} ${video.width}x${video.height}, ${video.frames} frames at ${Number(video.fps.toFixed(3))} fps (${video.durationSeconds.toFixed(1)} s)`,
    );
}

function containerOf(out: string | undefined): Container {
  const extension = out === undefined ? '.mp4' : path.extname(out).toLowerCase();
  if (extension === '.mp4' || extension === '.webm') return extension === '.mp4' ? 'mp4' : 'webm';
  throw new Error(`--out must end in .mp4 (H.264) or .webm (VP9), got ${out}`);
}
