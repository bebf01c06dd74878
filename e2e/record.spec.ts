/**
 * A user records a video of a checkpoint from the run view; it lands in the run's videos/ folder
 * and plays in the app, streamed from the server (seeking included), its path offered to copy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { demux } from '../main/video/video-probe.test-support.ts';
import { expect, keepScreenshot, startRunFromUi, test } from './fixtures.ts';

test('Record: a short Pendulum run, then a video of its latest checkpoint, played in the app', async ({ app: page, lab }) => {
  // Software rendering on a busy 2-core machine can fall to ~2 frames/s (200 frames: ~100 s).
  test.setTimeout(300_000);
  const runId = await startRunFromUi(page, 'Pendulum-v1', { totalSteps: '2048', num_steps: '128' });
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
  await page.getByRole('combobox', { name: 'Resolution' }).selectOption('480p');
  await page.getByTestId('record-video').click();
  await expect(page.getByTestId('record-progress')).toBeVisible();
  await expect(page.getByTestId('video-list')).toContainText('videos/eval-step2048-seed10000.mp4', { timeout: 200_000 });
  await keepScreenshot(page, 'record-panel');
  expect(fs.readdirSync(path.join(lab.runsDir, runId, 'videos'))).toEqual(['eval-step2048-seed10000.mp4']);

  const file = path.join(lab.runsDir, runId, 'videos', 'eval-step2048-seed10000.mp4');
  const recorded = await demux(file);
  await page.getByTestId('video-play').click();
  const player = page.getByTestId('video-player');
  await expect(player).toBeVisible();
  const video = page.getByTestId('video-element');
  // HAVE_CURRENT_DATA: the first frame is decoded, not just the header read.
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(2);
  expect(await video.evaluate((v: HTMLVideoElement) => v.duration)).toBeCloseTo(recorded.durationSeconds, 1);
  expect(await video.evaluate((v: HTMLVideoElement) => v.error)).toBeNull();
  // A seek reads the middle of the file: the server answers Range requests.
  const seeked = await video.evaluate(
    (v: HTMLVideoElement) =>
      new Promise<number>((resolve) => {
        v.pause();
        v.addEventListener('seeked', () => resolve(v.currentTime), { once: true });
        v.currentTime = v.duration / 2;
      }),
  );
  expect(seeked).toBeCloseTo(recorded.durationSeconds / 2, 0);
  // A browser tab cannot open the file manager: the path is there to copy instead.
  await expect(page.getByTestId('video-path')).toHaveValue(file);
  await expect(page.getByTestId('video-reveal')).toHaveCount(0);
  await keepScreenshot(page, 'video-player');
  await page.keyboard.press('Escape');
  await expect(player).toHaveCount(0);
});
