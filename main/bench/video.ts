/**
 * `npm run bench:video -- [--env HalfCheetah-v0] [--frames 300] [--width 1280 --height 720] [--json]`
 * Video export speed: one episode of random actions (the robot moves, the camera follows), drawn
 * and encoded by the record page in headless Chromium, as MP4 (H.264) and as WebM (VP9). Frames a
 * second count from the first frame encoded to the last (browser start and page load apart, in
 * `totalSeconds`). Prints JSON with the machine's load, since the figures are CPU-bound.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { positiveInt } from '../cli/option-parsers.ts';
import { initPhysics, makeEnv, Rng } from '../../sim/index.ts';
import { recordVideo } from '../video/record-video.ts';
import type { Container, RecordJob } from '../video/record-job.ts';

const program = new Command('bench:video')
  .option('--env <id>', 'environment', 'HalfCheetah-v0')
  .option('--frames <n>', 'video frames (env steps)', positiveInt, 300)
  .option('--width <px>', 'frame width', positiveInt, 1280)
  .option('--height <px>', 'frame height', positiveInt, 720)
  .option('--json', 'JSON only');
program.parse(process.argv);
const opts = program.opts();

await initPhysics();
const env = makeEnv(opts.env);
const rng = Rng.fromSeed(1);
const frames: number[] = [];
const rewards: number[] = [];
const action = new Float64Array(env.spec.actionSpace.kind === 'box' ? env.spec.actionSpace.size : 1);
env.reset({ seed: 1 });
while (rewards.length < opts.frames) {
  for (let i = 0; i < action.length; i++) action[i] = rng.uniformRange(-1, 1);
  frames.push(...env.frame());
  const result = env.step(action);
  rewards.push(result.reward);
  if (result.terminated || result.truncated) env.reset({ seed: rewards.length });
}
const clip = { label: 'random actions', step: 0, scene: env.scene, dtSeconds: env.spec.dtSeconds, frames, rewards };
env.close();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-bench-video-'));
const results: Record<string, unknown> = {};
try {
  for (const container of ['mp4', 'webm'] as Container[]) {
    const job: RecordJob = {
      width: opts.width,
      height: opts.height,
      fps: null,
      camera: 'follow',
      container,
      layout: 'sequence',
      title: { run: 'bench', env: opts.env, algo: 'random' },
      clips: [clip],
    };
    let first = 0;
    let last = 0;
    const started = performance.now();
    const video = await recordVideo(job, path.join(dir, `bench.${container}`), {
      onProgress: (done) => {
        last = performance.now();
        if (done === 1) first = last;
      },
    });
    if (!opts.json) console.error(`${container}: ${((video.frames - 1) / ((last - first) / 1000)).toFixed(1)} frames/s`);
    results[container] = {
      codec: video.codec,
      fallback: video.fallback,
      frames: video.frames,
      fps: (video.frames - 1) / ((last - first) / 1000),
      totalSeconds: (performance.now() - started) / 1000,
      bytes: fs.statSync(video.file).size,
      browser: video.browser,
    };
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
const [load1, load5, load15] = os.loadavg();
console.log(JSON.stringify({ env: opts.env, width: opts.width, height: opts.height, cpus: os.cpus().length, loadAverage: { load1, load5, load15 }, results }));
