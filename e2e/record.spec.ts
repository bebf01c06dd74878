/** A user records a video of a checkpoint from the run view; it lands in the run's videos/ folder. */
import fs from 'node:fs';
import path from 'node:path';
import { expect, keepScreenshot, startRunFromUi, test } from './fixtures.ts';

test('Record: a short Pendulum run, then a video of its latest checkpoint', async ({ app: page, lab }) => {
  const runId = await startRunFromUi(page, 'Pendulum-v1', { totalSteps: '2048', num_steps: '128' });
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
  await page.getByRole('combobox', { name: 'Resolution' }).selectOption('480p');
  await page.getByTestId('record-video').click();
  await expect(page.getByTestId('record-progress')).toBeVisible();
  await expect(page.getByTestId('video-list')).toContainText('videos/eval-step2048-seed10000.mp4', { timeout: 90_000 });
  await keepScreenshot(page, 'record-panel');
  expect(fs.readdirSync(path.join(lab.runsDir, runId, 'videos'))).toEqual(['eval-step2048-seed10000.mp4']);
});
