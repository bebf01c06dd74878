/**
 * `gaitlab record` end to end: a tiny Pendulum run is trained, then recorded by the real command in
 * headless Chromium, and the files are read back: demuxed with Mediabunny here, decoded in Chromium.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineEntry, nodeArgs } from '../../sim/core/engine-entry.ts';
import { RunStore } from '../store/run-store.ts';
import { Trainer } from '../trainer/trainer.ts';
import { decodeFrames, demux, type FrameStats } from '../video/video-probe.test-support.ts';

const CLI = engineEntry('main/cli/cli.ts');
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the gaitlab record tests: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

/** Pendulum: 200-step episodes of 0.05 s. */
const STEPS = 200;
const DT = 0.05;

function gaitlab(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, nodeArgs(CLI, args), { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Every file of the run folder but its videos, with a hash of its content. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, file);
    if (relative.split(path.sep)[0] === 'videos' || !entry.isFile()) continue;
    files[relative] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return files;
}

/** Pixels differ between two frames: the mean difference of their 16 x 9 thumbnails. */
function difference(a: FrameStats, b: FrameStats): number {
  return a.thumbnail.reduce((sum, v, i) => sum + Math.abs(v - b.thumbnail[i]), 0) / a.thumbnail.length;
}

describe.skipIf(!hasChromium)('gaitlab record', () => {
  let root = '';
  let runsDir = '';
  let runId = '';

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-record-'));
    runsDir = path.join(root, 'runs');
    // 4 updates of 512 steps, a checkpoint every 2: checkpoints at 1024 and 2048.
    const trained = await gaitlab([
      'train',
      '--env',
      'Pendulum-v1',
      '--steps',
      '2048',
      '--set',
      'num_steps=64',
      '--checkpoint-every',
      '2',
      '--runs',
      runsDir,
      '--json',
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    runId = JSON.parse(trained.stdout.trim().split('\n').at(-1)!).run;
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes an H.264 MP4 into the run, one frame per env step in real time, and changes nothing else', async () => {
    const runDir = path.join(runsDir, runId);
    const before = snapshot(runDir);
    const result = await gaitlab(['record', runId, '--runs', runsDir, '--width', '320', '--height', '240', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    const file = path.join(runDir, 'videos', 'eval-step2048-seed10000.mp4');
    expect(summary).toMatchObject({ file, container: 'mp4', codec: 'avc', frames: STEPS, fps: 1 / DT });
    expect(fs.readdirSync(path.join(runDir, 'videos'))).toEqual([path.basename(file)]);
    expect(snapshot(runDir)).toEqual(before);

    const video = await demux(file);
    expect(video.mimeType).toMatch(/^video\/mp4/);
    expect(video).toMatchObject({ codec: 'avc', width: 320, height: 240 });
    expect(video.packets).toHaveLength(STEPS);
    expect(video.durationSeconds).toBeCloseTo(STEPS * DT, 6);
    expect(video.packets.map((p) => p.timestamp)).toEqual(video.packets.map((_, k) => expect.closeTo(k * DT, 6)));
    expect(video.packets[0].key).toBe(true);

    const { decoded, frames } = await decodeFrames(video, [0, 100, STEPS - 1], { kind: 'chromium', executable: CHROMIUM });
    expect(decoded).toBe(STEPS);
    for (const frame of frames) expect(frame.std, `frame ${frame.index} is blank`).toBeGreaterThan(5);
    // The pendulum swings and the overlay's return counts: no two of these frames are alike.
    expect(difference(frames[0], frames[1])).toBeGreaterThan(0.05);
    expect(difference(frames[1], frames[2])).toBeGreaterThan(0.05);
  });

  it('records a montage of the checkpoints as VP9 WebM, resampled to the frame rate asked for', async () => {
    const out = path.join(root, 'montage.webm');
    const result = await gaitlab([
      'record',
      runId,
      '--runs',
      runsDir,
      '--montage',
      '--out',
      out,
      '--width',
      '320',
      '--height',
      '180',
      '--fps',
      '10',
      '--camera',
      'side',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const video = await demux(out);
    expect(video.mimeType).toMatch(/^video\/webm/);
    expect(video).toMatchObject({ codec: 'vp9', width: 320, height: 180 });
    // 10 s of episode at 10 fps.
    expect(video.packets).toHaveLength(100);
    expect(video.durationSeconds).toBeCloseTo(10, 6);
    const { decoded, frames } = await decodeFrames(video, [50], { kind: 'chromium', executable: CHROMIUM });
    expect(decoded).toBe(100);
    expect(frames[0].std).toBeGreaterThan(5);
  });

  it('records a stored episode', async () => {
    const run = new RunStore(runsDir).openRun(runId);
    const trainer = await Trainer.open(run, () => {}, { checkpoint: 1024 });
    const name = run.writeTrajectory(trainer.recordEvaluation(1, 7).trajectories[0]);
    trainer.dispose();
    const out = path.join(root, 'stored.mp4');
    const result = await gaitlab(['record', runId, '--runs', runsDir, '--trajectory', name, '--out', out, '--width', '160', '--height', '120', '--fps', '2']);
    expect(result.code, result.stderr).toBe(0);
    expect((await demux(out)).packets).toHaveLength(20);
  });

  it('says clearly what is wrong, and leaves no file behind', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['record', 'no-such-run'], {}, /no run 'no-such-run'/],
      [['record', runId, '--checkpoint', '5'], {}, /has no checkpoint at step 5; it has: 1024, 2048/],
      [['record', runId, '--out', path.join(root, 'montage.webm', 'inside.mp4')], {}, /cannot write .*inside\.mp4: (ENOTDIR|EEXIST)/],
      [['record', runId, '--out', path.join(root, 'x.avi')], {}, /--out must end in \.mp4 .* or \.webm/],
      [['record', runId, '--width', '333'], {}, /must be even/],
      [
        ['record', runId, '--out', path.join(root, 'none.mp4')],
        { CHROMIUM_PATH: path.join(root, 'no-chromium') },
        /CHROMIUM_PATH is .*no-chromium, but there is no file there/,
      ],
    ];
    const filesBefore = fs.readdirSync(root).sort();
    for (const [args, env, message] of cases) {
      const result = await gaitlab([...args, '--runs', runsDir], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
    }
    expect(fs.readdirSync(root).sort()).toEqual(filesBefore);
    expect(fs.readdirSync(path.join(runsDir, runId, 'videos'))).toEqual(['eval-step2048-seed10000.mp4']);
  });
});
